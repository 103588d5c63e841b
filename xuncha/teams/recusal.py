"""Recusal (回避): who may not inspect which unit, and why.

Pure functions over plain data (the dataclasses below), so that tests, the proposer, the cross
solver and the benchmarks use them without a database; `load_people` / `load_targets` /
`load_declarations` read them from the ORM in a fixed number of queries.

The rules (DOMAIN.md, stage 2), each answer naming the rule and the record that caused it:

1. 工作经历 — the person worked in the unit (or a unit under it) within the last `years` (3) years:
   a post still held, or one that ended on or after the day three years before today.
2. 家庭成员 — a spouse or close relative (any family relation registered) works in the unit or a
   unit under it.
3. 直接上下级 — a leader of the unit (班子成员: `leadership_level(post) >= 2`) was the person's direct
   superior or subordinate: both held posts in the same unit at overlapping dates, and one post
   ranks above the other with the higher one a leading post (see `leadership_level`), or one heads
   an internal department the other worked in.
4. 回避申请 — the person asked to be recused from the unit.
5. 单位提出 — the unit asked for the person to be recused.

`leadership_level(post)`: 3 主要负责人 (书记, 局长, 主任, 院长, 镇长, 董事长 … without 副 and not the
head of an internal office), 2 班子副职 (副局长, 副书记, 纪委书记, 纪检监察组组长, 党组成员, 组织委员,
总监 …), 1 内设机构负责人 (办公室主任, 财务科科长, 财政所所长, 工程部经理, 负责人 …), 0 otherwise.
Rank is not compared: a county 局长 is 正科 and a city one 正处, and only the current post has a rank.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = [
    "Post", "Relative", "Person", "Target", "Declaration", "Block", "RULES", "leadership_level",
    "years_before", "check", "check_many", "load_people", "load_targets", "load_declarations",
    "blocks_for", "LEADING_LEVEL",
]

RULE_WORKED = "worked"
RULE_FAMILY = "family"
RULE_SUPERIOR = "superior"
RULE_SUBORDINATE = "subordinate"
RULE_DECLARED = "declared"
RULE_UNIT_REQUEST = "unit_request"
RULES = {
    RULE_WORKED: "近三年在该单位工作",
    RULE_FAMILY: "配偶或近亲属在该单位工作",
    RULE_SUPERIOR: "该单位负责人曾为其直接上级",
    RULE_SUBORDINATE: "该单位负责人曾为其直接下级",
    RULE_DECLARED: "本人申请回避",
    RULE_UNIT_REQUEST: "被巡察单位提出回避",
}
LEADING_LEVEL = 2  # 班子成员 and above: "the unit's leadership"


@dataclass(frozen=True)
class Post:
    """A post held: unit (id may be None for a unit outside the platform), dates (end None = 至今)."""

    unit_id: int | None
    unit_name: str
    post: str
    start: datetime.date | None
    end: datetime.date | None = None
    record: str = "工作经历"


@dataclass(frozen=True)
class Relative:
    relation_label: str
    name: str
    unit_id: int | None
    unit_name: str = ""
    post: str = ""


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    posts: tuple[Post, ...] = ()
    relatives: tuple[Relative, ...] = ()
    current_post: str = ""


@dataclass(frozen=True)
class Target:
    """A unit to be inspected: its id and name, the units under it, and its current leaders."""

    unit_id: int
    name: str
    sub_units: dict[int, str] = field(default_factory=dict)  # units under it (id -> name)
    leaders: tuple[Person, ...] = ()

    def covers(self, unit_id: int | None) -> bool:
        return unit_id is not None and (unit_id == self.unit_id or unit_id in self.sub_units)

    def where(self, unit_id: int, fallback: str) -> str:
        if unit_id == self.unit_id:
            return self.name
        return f"{self.sub_units.get(unit_id, fallback)}（{self.name}下属单位）"


@dataclass(frozen=True)
class Declaration:
    person_id: int
    unit_id: int
    kind: str  # "self" or "unit"
    reason: str
    date: datetime.date | None = None
    record_id: int | None = None


@dataclass(frozen=True)
class Block:
    """Why one person may not inspect one unit: the rule and the record, in a sentence."""

    rule: str
    text: str

    @property
    def rule_label(self) -> str:
        return RULES[self.rule]


# --- Leadership of a post ---------------------------------------------------------------------------

_PRINCIPAL = ("书记", "局长", "主任", "院长", "校长", "镇长", "乡长", "县长", "区长", "市长", "部长", "主席",
              "董事长", "总经理", "行长", "馆长", "厂长", "处长", "站长", "所长", "社长", "主委", "检察长", "庭长",
              "队长", "经理", "科长", "股长", "组长")
_DEPUTY_ONLY = ("纪委书记", "纪工委书记", "纪检监察组组长", "纪检组长", "党组成员", "党委委员", "组织委员",
                "宣传委员", "总监", "总会计师", "总工程师", "监事会主席", "监督委员会主任", "妇联主席", "工会主席",
                "团委书记")
# A title ending like these heads an internal office, not the unit.
_DEPARTMENT = re.compile(r"(科|股|室|办|所|站|部|处|中心|队|组)(科长|股长|主任|所长|站长|部长|经理|处长|队长|组长)$")
_MIDDLE_ONLY = ("科长", "股长", "经理", "负责人", "组长", "队长")
_SPLIT = re.compile(r"[、，,/兼]")


def _title_level(title: str) -> int:
    title = re.sub(r"（.*?）|\(.*?\)", "", title).strip()
    if not title:
        return 0
    if any(title.endswith(word) or word in title for word in _DEPUTY_ONLY):
        return 2
    if _DEPARTMENT.search(title):
        return 1
    for word in _PRINCIPAL:
        position = title.find(word)
        if position < 0:
            continue
        deputy = "副" in title[:position]
        if word in _MIDDLE_ONLY:
            return 1
        return 2 if deputy else 3
    return 1 if title.endswith("负责人") else 0


def leadership_level(post: str) -> int:
    """3 主要负责人, 2 班子副职, 1 内设机构负责人, 0 other (the highest of a post's titles)."""
    return max((_title_level(t) for t in _SPLIT.split(post or "")), default=0)


def _department(post: str) -> str:
    """"财务科科长" → "财务科": the internal office a level-1 title heads ("" when none)."""
    for title in _SPLIT.split(post or ""):
        match = _DEPARTMENT.search(title.strip())
        if match:
            return title.strip()[: match.start() + len(match.group(1))]
    return ""


# --- Dates --------------------------------------------------------------------------------------------


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _month(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月" if day else "（起始日期不详）"


def _span(post: Post) -> str:
    start = _month(post.start)
    return f"{start}至今" if post.end is None else f"{start}至{_month(post.end)}"


def _overlap(a: Post, b: Post, today: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    start = max(a.start or datetime.date.min, b.start or datetime.date.min)
    end = min(a.end or today, b.end or today)
    return (start, end) if start <= end else None


def _years(span: tuple[datetime.date, datetime.date], today: datetime.date) -> str:
    start, end = span
    start_year = "" if start == datetime.date.min else str(start.year)
    end_year = "至今" if end >= today else str(end.year)
    if start_year and end_year == start_year:
        return f"{start_year}年"
    return f"{start_year or '（不详）'}—{end_year}{'' if end_year == '至今' else '年'}"


# --- The rules ----------------------------------------------------------------------------------------


def _worked(person: Person, target: Target, cutoff: datetime.date, years: int) -> list[Block]:
    blocks = []
    for post in person.posts:
        if not target.covers(post.unit_id):
            continue
        if post.end is not None and post.end < cutoff:
            continue  # left more than `years` years ago
        place = target.where(post.unit_id, post.unit_name)
        note = post.record if post.end is None else f"{post.record}，离任未满{years}年"
        blocks.append(Block(RULE_WORKED, f"{_span(post)}在{place}任{post.post}（{note}）"))
    return blocks


def _family(person: Person, target: Target) -> list[Block]:
    blocks = []
    for relative in person.relatives:
        if not target.covers(relative.unit_id):
            continue
        where = "该单位" if relative.unit_id == target.unit_id else target.where(relative.unit_id, relative.unit_name)
        doing = f"任{relative.post}" if relative.post else "工作"
        blocks.append(Block(RULE_FAMILY, f"{relative.relation_label}{relative.name}在{where}{doing}（家庭成员）"))
    return blocks


def _posts_by_unit(leaders: Iterable[Person]) -> dict[int, list[tuple[Person, Post, int]]]:
    index: dict[int, list[tuple[Person, Post, int]]] = defaultdict(list)
    for leader in leaders:
        for post in leader.posts:
            if post.unit_id is not None:
                index[post.unit_id].append((leader, post, leadership_level(post.post)))
    return index


def _relation(upper: Post, upper_level: int, lower: Post, lower_level: int) -> bool:
    """Was the holder of `upper` the direct superior of the holder of `lower` (same unit, overlapping)?"""
    if upper_level <= lower_level:
        return False
    if upper_level >= LEADING_LEVEL:
        return True
    department = _department(upper.post)  # a department head leads the people of that department
    return bool(department) and department in lower.post


def _superiors(person: Person, target: Target, today: datetime.date,
               index: dict[int, list[tuple[Person, Post, int]]] | None = None) -> list[Block]:
    index = index if index is not None else _posts_by_unit(target.leaders)
    blocks: list[Block] = []
    seen: set[tuple[int, str]] = set()
    for mine in person.posts:
        if mine.unit_id is None or mine.unit_id not in index:
            continue
        my_level = leadership_level(mine.post)
        for leader, theirs, their_level in index[mine.unit_id]:
            if leader.id == person.id:
                continue
            span = _overlap(mine, theirs, today)
            if span is None:
                continue
            who = f"该单位负责人{leader.name}（{leader.current_post}）" if leader.current_post else f"该单位负责人{leader.name}"
            when = f"{_years(span, today)}同在{mine.unit_name}"
            if _relation(theirs, their_level, mine, my_level):
                rule, text = RULE_SUPERIOR, (f"{who}曾为其直接上级：{when}，{leader.name}任{theirs.post}，"
                                             f"本人任{mine.post}（工作经历）")
            elif _relation(mine, my_level, theirs, their_level):
                rule, text = RULE_SUBORDINATE, (f"{who}曾为其直接下级：{when}，本人任{mine.post}，"
                                                f"{leader.name}任{theirs.post}（工作经历）")
            else:
                continue
            if (leader.id, rule) in seen:
                continue
            seen.add((leader.id, rule))
            blocks.append(Block(rule, text))
    return blocks


def _declared(person: Person, target: Target, declarations: Iterable[Declaration]) -> list[Block]:
    blocks = []
    for d in declarations:
        if d.person_id != person.id or d.unit_id != target.unit_id:
            continue
        when = f"，{d.date.isoformat()}" if d.date else ""
        if d.kind == "unit":
            blocks.append(Block(RULE_UNIT_REQUEST, f"被巡察单位{target.name}提出回避：{d.reason}（单位提出{when}）"))
        else:
            blocks.append(Block(RULE_DECLARED, f"本人申请回避：{d.reason}（回避申请{when}）"))
    return blocks


def check(person: Person, target: Target, *, today: datetime.date, declarations: Iterable[Declaration] = (),
          years: int = 3, _index=None) -> list[Block]:
    """Every reason `person` may not inspect `target` (empty: the assignment is allowed)."""
    cutoff = years_before(today, years)
    return [
        *_worked(person, target, cutoff, years),
        *_family(person, target),
        *_superiors(person, target, today, _index),
        *_declared(person, target, declarations),
    ]


def check_many(people: Iterable[Person], targets: Iterable[Target], *, today: datetime.date,
               declarations: Iterable[Declaration] = (), years: int = 3) -> dict[tuple[int, int], list[Block]]:
    """{(person id, target unit id): blocks} for the blocked pairs only."""
    targets = list(targets)
    by_person: dict[int, list[Declaration]] = defaultdict(list)
    for d in declarations:
        by_person[d.person_id].append(d)
    indexes = {t.unit_id: _posts_by_unit(t.leaders) for t in targets}
    # Only a target reachable from one of the person's units can block: one covering a unit where
    # the person (or a relative) works or worked, one whose leaders held a post in such a unit, or
    # one the person's declarations name. Checking just those is exact and avoids people × targets.
    by_unit: dict[int, set[int]] = defaultdict(set)
    for t in targets:
        for unit_id in (t.unit_id, *t.sub_units):
            by_unit[unit_id].add(t.unit_id)
        for unit_id in indexes[t.unit_id]:
            by_unit[unit_id].add(t.unit_id)
    target_by_id = {t.unit_id: t for t in targets}
    result: dict[tuple[int, int], list[Block]] = {}
    for person in people:
        mine = by_person.get(person.id, ())
        reachable: set[int] = {d.unit_id for d in mine if d.unit_id in target_by_id}
        for unit_id in [p.unit_id for p in person.posts] + [r.unit_id for r in person.relatives]:
            if unit_id is not None:
                reachable |= by_unit.get(unit_id, set())
        for target_id in sorted(reachable):
            target = target_by_id[target_id]
            blocks = check(person, target, today=today, declarations=mine, years=years,
                           _index=indexes[target.unit_id])
            if blocks:
                result[(person.id, target.unit_id)] = blocks
    return result


# --- Loading from the ORM ---------------------------------------------------------------------------


def _chunks(ids: list[int], size: int = 900):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def load_people(cadre_ids: Iterable[int]) -> dict[int, Person]:
    """Cadres with their work history and family (three queries per 900 cadres).

    The cadre's current unit counts as a post held now even when the work history lacks it.
    Reads every record regardless of the viewer's scope: recusal must hold whoever asks; the
    callers pass only cadres and targets the user may see.
    """
    from xuncha.core import dictionaries
    from xuncha.org import choices as org_choices
    from xuncha.org.models import Cadre, FamilyRelation, WorkHistory

    ids = sorted(set(cadre_ids))
    relation_labels = dictionaries.labels(org_choices.DICT_FAMILY_RELATION)
    posts: dict[int, list[Post]] = defaultdict(list)
    relatives: dict[int, list[Relative]] = defaultdict(list)
    base: dict[int, tuple[str, int, str, str]] = {}
    for chunk in _chunks(ids):
        for pk, name, unit_id, unit_name, post in Cadre.all_objects.filter(pk__in=chunk).values_list(
                "pk", "name", "unit_id", "unit__name", "post"):
            base[pk] = (name, unit_id, unit_name, post)
        for cadre_id, unit_id, unit_name, linked_name, post, start, end in WorkHistory.objects.filter(
                cadre_id__in=chunk).values_list("cadre_id", "unit_id", "unit_name", "unit__name", "post",
                                                "start_date", "end_date"):
            posts[cadre_id].append(Post(unit_id, linked_name or unit_name, post, start, end))
        for cadre_id, relation, name, unit_id, unit_name, linked_name, post in FamilyRelation.objects.filter(
                cadre_id__in=chunk).values_list("cadre_id", "relation", "name", "unit_id", "unit_name",
                                                "unit__name", "post"):
            relatives[cadre_id].append(Relative(relation_labels.get(relation, relation), name, unit_id,
                                                linked_name or unit_name, post))
    people = {}
    for pk, (name, unit_id, unit_name, post) in base.items():
        held = posts.get(pk, [])
        if not any(p.unit_id == unit_id and p.end is None for p in held):
            held = [*held, Post(unit_id, unit_name, post, None, None, record="干部信息")]
        people[pk] = Person(pk, name, tuple(held), tuple(relatives.get(pk, ())), post)
    return people


def load_targets(unit_ids: Iterable[int]) -> dict[int, Target]:
    """Units with the units under them (three levels down) and their current leadership."""
    from xuncha.org.models import Cadre, Unit

    ids = sorted(set(unit_ids))
    names = dict(Unit.all_objects.filter(pk__in=ids).values_list("pk", "name"))
    subs: dict[int, dict[int, str]] = {pk: {} for pk in names}
    frontier = {pk: pk for pk in names}  # unit -> the target it belongs to
    for _ in range(3):
        if not frontier:
            break
        children = list(Unit.objects.filter(parent_id__in=list(frontier)).values_list("pk", "name", "parent_id"))
        next_frontier = {}
        for pk, name, parent in children:
            root = frontier[parent]
            if pk not in subs[root] and pk != root:
                subs[root][pk] = name
                next_frontier[pk] = root
        frontier = next_frontier
    leader_ids: dict[int, list[int]] = defaultdict(list)
    for pk, unit_id, post in Cadre.objects.filter(unit_id__in=list(names)).values_list("pk", "unit_id", "post"):
        if leadership_level(post) >= LEADING_LEVEL:
            leader_ids[unit_id].append(pk)
    people = load_people(pk for pks in leader_ids.values() for pk in pks)
    return {
        pk: Target(pk, name, subs[pk], tuple(people[c] for c in leader_ids.get(pk, ()) if c in people))
        for pk, name in names.items()
    }


def load_declarations(cadre_ids: Iterable[int], unit_ids: Iterable[int]) -> list[Declaration]:
    """The active declarations and unit requests among these people and units."""
    from .models import RecusalDeclaration

    cadre_ids, unit_ids = sorted(set(cadre_ids)), sorted(set(unit_ids))
    rows = []
    for chunk in _chunks(cadre_ids):
        rows += RecusalDeclaration.objects.filter(cadre_id__in=chunk, unit_id__in=unit_ids, is_active=True).order_by(
            "declared_on", "pk").values_list(
            "cadre_id", "unit_id", "kind", "reason", "declared_on", "pk")
    return [Declaration(*row) for row in rows]


def blocks_for(cadre_ids: Iterable[int], unit_ids: Iterable[int], *, today: datetime.date,
               years: int = 3) -> dict[tuple[int, int], list[Block]]:
    """Load and check: {(cadre id, unit id): blocks} for the blocked pairs."""
    cadre_ids, unit_ids = list(cadre_ids), list(unit_ids)
    people = load_people(cadre_ids)
    targets = load_targets(unit_ids)
    declarations = load_declarations(cadre_ids, unit_ids)
    return check_many(people.values(), targets.values(), today=today, declarations=declarations, years=years)
