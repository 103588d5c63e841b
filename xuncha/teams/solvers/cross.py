"""Cross inspection (交叉巡察): which county's group inspects which county, who leads and who goes.
Pure functions over plain data (no Django), solved with OR-Tools CP-SAT.

The rules (DOMAIN.md, stage 2):
- each county contributes one group, and each county is inspected by exactly one group;
- no county inspects itself, and no two counties inspect each other in the same round;
- a city cadre of county level (from the leader pool) leads each group, one group each;
- the rest of the group (`group_size - 1` people) comes from the sending county's talent pool, with
  the needed specialities (`needs`: {speciality: at least how many});
- recusal holds for every member and every leader against the inspected county (`blocked`: pairs
  (person id, county id), computed by `teams.recusal` against that county's target units);
- the inspected county names its liaison afterwards (not part of the solve).

Preferences (minimised): the least-used people (workload), and not repeating a pairing of the
previous cross round (`avoid_pairs`).

The model. A group's members come from its own county and their only link to the rest is the county
the group inspects (recusal is per target county), so for each pairing g → t the cheapest valid
members are computed exactly first (`_best_members`: a cover of the needed specialities plus the
least-used others). CP-SAT then decides x[g,t] (county g inspects county t, costing its members)
and w[l,t] (city cadre l leads the group that inspects t): every group inspects exactly one
county, so "l leads the group inspecting t" is "l leads g's group" for the g with x[g,t] = 1, and
the leaders need no product variables. The optimum is that of the model with a variable per
person, in a model of counties² + leaders × counties booleans (100 counties solve in about a second).

Infeasibility is explained in Chinese by the necessary conditions (number of counties, leaders,
people and specialities per county, recusal per pairing, a perfect matching of the allowed
pairings), then, if the solver still finds nothing, by an infeasible core over assumption literals.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations

__all__ = ["County", "Person", "CrossParams", "CrossPairOut", "CrossResult", "solve", "precheck",
           "chinese_ordinal"]

_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 12 → 十二, 100 → 一百, 105 → 一百零五 (group numbers up to 999)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return _DIGITS[hundreds] + "百"
    tail = ("零" + _DIGITS[rest]) if rest < 10 else (_DIGITS[rest // 10] + "十" + (_DIGITS[rest % 10] if rest % 10 else ""))
    return _DIGITS[hundreds] + "百" + tail


@dataclass(frozen=True)
class County:
    id: int
    name: str


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    skills: frozenset[str] = frozenset()
    workload: int = 0


@dataclass
class CrossParams:
    group_size: int = 7  # the leader and group_size - 1 people from the sending county
    needs: Mapping[str, int] = field(default_factory=dict)
    avoid_pairs: frozenset[tuple[int, int]] = frozenset()  # (source, target) of the previous round
    time_limit: float = 20.0
    seed: int = 7
    workers: int = 1  # one worker: the same data gives the same formation on every run


@dataclass
class CrossPairOut:
    number: int
    source: int
    target: int
    leader: int
    members: list[int]


@dataclass
class CrossResult:
    status: str  # optimal, feasible, infeasible
    pairs: list[CrossPairOut] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "feasible")


def _label(labels: Mapping[str, str], skill: str) -> str:
    return labels.get(skill, skill)


def _feasible_members(pool: list[Person], target: int, k: int, needs, blocked) -> bool:
    """Can `k` people of `pool` not blocked for `target` cover `needs`? (greedy check: enough people
    and enough of each speciality; exact for one speciality per need, a necessary condition otherwise)."""
    usable = [p for p in pool if (p.id, target) not in blocked]
    if len(usable) < k:
        return False
    return all(sum(1 for p in usable if s in p.skills) >= n for s, n in needs.items())


def _matching(allowed: dict[int, set[int]], targets: list[int]) -> dict[int, int]:
    """A maximum bipartite matching source → target (augmenting paths; n is a few hundred)."""
    match_target: dict[int, int] = {}

    def augment(source: int, seen: set[int]) -> bool:
        for t in sorted(allowed.get(source, ())):
            if t in seen:
                continue
            seen.add(t)
            if t not in match_target or augment(match_target[t], seen):
                match_target[t] = source
                return True
        return False

    for source in sorted(allowed):
        augment(source, set())
    return {s: t for t, s in match_target.items()}


def precheck(counties: list[County], leaders: list[Person], members: Mapping[int, list[Person]], blocked,
             params: CrossParams, *, labels: Mapping[str, str] | None = None) -> tuple[list[str], dict[int, set[int]]]:
    """Necessary conditions, each failure a Chinese sentence; also the allowed pairings source → targets."""
    labels = labels or {}
    names = {c.id: c.name for c in counties}
    n = len(counties)
    k = params.group_size - 1
    if n == 0:
        return ["没有参加交叉巡察的县区。"], {}
    if n == 1:
        return [f"参加交叉巡察的县区只有 1 个（{counties[0].name}），无法满足“不得巡察本县区”。"], {}
    if n == 2:
        return [f"县区数为 2 时无法满足“两县不得互查”：{counties[0].name}与{counties[1].name}只能互相巡察。"
                "请增加参加交叉巡察的县区。"], {}
    reasons: list[str] = []
    if params.group_size < 2:
        reasons.append("每组人数至少为 2 人（市级组长 1 人和派出县区人员）。")
    if len(leaders) < n:
        reasons.append(f"可担任组长的市管县处级干部不足：需要 {n} 人，组长库中符合条件的只有 {len(leaders)} 人。")
    for c in counties:
        free = [p for p in leaders if (p.id, c.id) not in blocked]
        if not free and leaders:
            reasons.append(f"没有可带队巡察{c.name}的组长：组长库中符合条件的 {len(leaders)} 人均需回避。")
    for c in counties:
        pool = members.get(c.id, [])
        if len(pool) < k:
            reasons.append(f"{c.name}可派出人员不足：每组需要本县区 {k} 人，人才库在库只有 {len(pool)} 人。")
        for skill, need in params.needs.items():
            have = sum(1 for p in pool if skill in p.skills)
            if have < need:
                reasons.append(f"{c.name}派出组所需 {_label(labels, skill)} 专长人员不足：需要 {need} 人，可用 {have} 人。")
    if reasons:
        return reasons, {}
    allowed: dict[int, set[int]] = {}
    for g in counties:
        pool = members.get(g.id, [])
        allowed[g.id] = {t.id for t in counties if t.id != g.id
                         and _feasible_members(pool, t.id, k, params.needs, blocked)}
        if not allowed[g.id]:
            reasons.append(f"{g.name}的人员因回避无法组成巡察其他任何县区的巡察组。")
    for t in counties:
        if not any(t.id in allowed[g.id] for g in counties):
            reasons.append(f"没有县区的巡察组能够巡察{t.name}：各县区可派出的人员均需回避或专长不足。")
    if reasons:
        return reasons, allowed
    matched = _matching(allowed, [c.id for c in counties])
    if len(matched) < n:
        unmatched = [names[g.id] for g in counties if g.id not in matched]
        reasons.append("按回避要求，各县区无法与被巡察县区一一对应（"
                       f"{'、'.join(unmatched[:5])}{'等' if len(unmatched) > 5 else ''}"
                       "找不到可巡察的县区）。")
    return reasons, allowed


def _best_members(pool: list[Person], target: int, k: int, needs: Mapping[str, int], blocked,
                  cache: dict) -> tuple[int, tuple[int, ...]] | None:
    """The cheapest `k` people of `pool` not blocked for `target` that cover `needs`: (cost, ids),
    or None. Exact: an optimal choice contains a cover of at most sum(needs) people, and the rest
    are the cheapest others; every such cover is tried (a few hundred for a pool of 15), and the
    answer is cached per set of usable people (most targets block nobody of a pool)."""
    usable = tuple(p for p in pool if (p.id, target) not in blocked)
    key = (tuple(p.id for p in usable), k)
    if key in cache:
        return cache[key]
    answer = None
    if len(usable) >= k:
        ranked = sorted(usable, key=lambda p: (_cost(p), p.id))
        wanted = {s: n for s, n in needs.items() if n > 0}
        helpers = [p for p in ranked if p.skills & set(wanted)]
        limit = min(sum(wanted.values()), k)
        best: tuple[int, tuple[int, ...]] | None = None
        for size in range(0, limit + 1):
            for cover in combinations(helpers, size):
                if any(sum(1 for p in cover if s in p.skills) < n for s, n in wanted.items()):
                    continue
                chosen = {p.id for p in cover}
                fill = [p for p in ranked if p.id not in chosen][: k - size]
                ids = tuple(sorted(chosen | {p.id for p in fill}))
                cost = sum(_cost(p) for p in cover) + sum(_cost(p) for p in fill)
                if best is None or (cost, ids) < best:
                    best = (cost, ids)
        answer = best
    cache[key] = answer
    return answer


def _cost(person: Person) -> int:
    return 1 + 10 * person.workload


class _Model:
    """A CP-SAT model whose constraint groups can be switched to assumption literals (to explain)."""

    def __init__(self, with_assumptions: bool):
        from ortools.sat.python import cp_model

        self.model = cp_model.CpModel()
        self.with_assumptions = with_assumptions
        self.assumptions: dict[str, object] = {}

    def enforce(self, constraint, name: str) -> None:
        if self.with_assumptions:
            if name not in self.assumptions:
                self.assumptions[name] = self.model.NewBoolVar(name)
            constraint.OnlyEnforceIf(self.assumptions[name])

    def finish(self, cost) -> None:
        self.model.Minimize(sum(cost))
        if self.assumptions:
            self.model.AddAssumptions(list(self.assumptions.values()))


def _teams(counties, members, blocked, params, allowed) -> dict[tuple[int, int], tuple[int, tuple[int, ...]]]:
    """The cheapest valid members of every allowed pairing g → t."""
    ids = [c.id for c in counties]
    k = params.group_size - 1
    cache: dict = {}
    teams = {}
    for g in ids:
        for t in sorted(allowed.get(g, ())) if allowed else [t for t in ids if t != g]:
            best = _best_members(members.get(g, []), t, k, params.needs, blocked, cache)
            if best is not None:
                teams[g, t] = best
    return teams


def _build_pairs(counties, teams, params, *, with_assumptions=False):
    """Who inspects whom: x[g,t], one target per county and one group per county, no 2-cycles;
    each pairing costs its members (and 50 when it repeats the previous round)."""
    m = _Model(with_assumptions)
    ids = [c.id for c in counties]
    x = {pair: m.model.NewBoolVar(f"x_{pair[0]}_{pair[1]}") for pair in teams}
    for g in ids:
        m.enforce(m.model.AddExactlyOne([x[g, t] for t in ids if (g, t) in x]), "one_each")
    for t in ids:
        m.enforce(m.model.AddExactlyOne([x[g, t] for g in ids if (g, t) in x]), "one_each")
    for (g, t), var in x.items():
        if g < t and (t, g) in x:
            m.enforce(m.model.AddBoolOr([var.Not(), x[t, g].Not()]), "no_mutual")
    cost = [teams[pair][0] * var for pair, var in x.items()]
    cost += [50 * var for (g, t), var in x.items() if (g, t) in params.avoid_pairs or (t, g) in params.avoid_pairs]
    m.finish(cost)
    return m, x


def _leader_classes(counties, leaders, blocked) -> list[tuple[int, list[Person], frozenset[int]]]:
    """Leaders alike for the solver (same cost, same counties to avoid), as (cost, people, allowed
    county ids): 130 city cadres make a handful of classes, so the model stays small."""
    ids = [c.id for c in counties]
    classes: dict[tuple[int, frozenset[int]], list[Person]] = {}
    for p in sorted(leaders, key=lambda p: p.id):
        allowed = frozenset(t for t in ids if (p.id, t) not in blocked)
        classes.setdefault((_cost(p), allowed), []).append(p)
    return [(cost, people, allowed) for (cost, allowed), people in sorted(
        classes.items(), key=lambda item: (item[0][0], item[1][0].id))]


def _build_leaders(counties, leaders, blocked, *, with_assumptions=False):
    """Who leads the group that inspects t. Independent of the pairings (every county is inspected
    by exactly one group, whichever it is): y[class, t], at most the class's size per class."""
    m = _Model(with_assumptions)
    ids = [c.id for c in counties]
    classes = _leader_classes(counties, leaders, blocked)
    y = {(i, t): m.model.NewBoolVar(f"y_{i}_{t}") for i, (_, _, allowed) in enumerate(classes) for t in ids
         if t in allowed}
    for t in ids:
        m.enforce(m.model.AddExactlyOne([y[i, t] for i in range(len(classes)) if (i, t) in y]), "leaders")
    for i, (_, people, _) in enumerate(classes):
        vars_ = [y[i, t] for t in ids if (i, t) in y]
        if len(vars_) > len(people):
            m.model.Add(sum(vars_) <= len(people))
    m.finish([classes[i][0] * var for (i, _t), var in y.items()])
    return m, (classes, y)


def _leaders_chosen(solver, classes, y) -> dict[int, int]:
    """{county id: leader id}: each class's people, by id, to its counties, by id."""
    chosen: dict[int, int] = {}
    for i, (_, people, _) in enumerate(classes):
        counties = sorted(t for (j, t), var in y.items() if j == i and solver.Value(var))
        for person, t in zip(people, counties, strict=False):
            chosen[t] = person.id
    return chosen


def _run(model, params):
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(params.time_limit)
    solver.parameters.num_workers = max(1, int(params.workers))
    solver.parameters.random_seed = int(params.seed)
    solver.parameters.linearization_level = 2  # the full LP relaxation proves assignments optimal at once
    solver.parameters.symmetry_level = 0  # counties are all alike: detecting that costs seconds and buys nothing
    return solver, solver.Solve(model)


def _explain(solver, assumptions, names, labels) -> list[str]:
    core = set(solver.SufficientAssumptionsForInfeasibility())
    texts = {
        "one_each": "“每个县区派出一个组、每个县区由一个组巡察”",
        "no_mutual": "“两县不得互查”",
        "leaders": "“每组由一名市管县处级干部任组长”",
    }
    reasons = []
    for name, var in assumptions.items():
        if var.Index() not in core:
            continue
        kind, _, rest = name.partition("_")
        if name in texts:
            reasons.append(f"约束{texts[name]}无法与其他要求同时满足。")
    return reasons or ["约束之间相互冲突，未能找到满足全部要求的方案。"]


def solve(counties: list[County], leaders: list[Person], members: Mapping[int, list[Person]], blocked=frozenset(),
          params: CrossParams | None = None, *, labels: Mapping[str, str] | None = None) -> CrossResult:
    """Form the cross groups. `members[county id]` is the county's pool; `blocked` holds
    (person id, county id) pairs that recusal forbids."""
    from ortools.sat.python import cp_model

    params = params or CrossParams()
    labels = labels or {}
    started = time.perf_counter()
    blocked = set(blocked)
    counties = sorted(counties, key=lambda c: c.id)
    names = {c.id: c.name for c in counties}
    reasons, allowed = precheck(counties, leaders, members, blocked, params, labels=labels)
    if reasons:
        return CrossResult("infeasible", reasons=reasons, stats={"seconds": round(time.perf_counter() - started, 3)})
    teams = _teams(counties, members, blocked, params, allowed)
    built = time.perf_counter()
    pair_model, x = _build_pairs(counties, teams, params)
    leader_model, w = _build_leaders(counties, leaders, blocked)
    stats = {"counties": len(counties), "leaders": len(leaders),
             "members": sum(len(v) for v in members.values()), "blocked_pairs": len(blocked),
             "variables": len(x) + len(w[1]), "build_seconds": round(built - started, 3)}
    solvers = []
    for build, model in ((lambda a: _build_pairs(counties, teams, params, with_assumptions=a), pair_model),
                         (lambda a: _build_leaders(counties, leaders, blocked, with_assumptions=a), leader_model)):
        solver, status = _run(model.model, params)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            stats["seconds"] = round(time.perf_counter() - started, 3)
            if status == cp_model.INFEASIBLE:
                explained, _ = build(True)
                solver, status = _run(explained.model, params)
                reasons = _explain(solver, explained.assumptions, names, labels) if status == cp_model.INFEASIBLE else []
                return CrossResult("infeasible", reasons=reasons or ["未能找到满足全部要求的编组方案。"], stats=stats)
            return CrossResult("infeasible", stats=stats, reasons=[
                f"在 {params.time_limit:g} 秒内未找到编组方案，请延长求解时限或放宽条件。"])
        solvers.append((solver, status))
    (pair_solver, pair_status), (leader_solver, leader_status) = solvers
    leaders_for = _leaders_chosen(leader_solver, *w)
    status = cp_model.OPTIMAL if pair_status == leader_status == cp_model.OPTIMAL else cp_model.FEASIBLE
    pairs = []
    for number, g in enumerate(counties, start=1):
        target = next(t for (gg, t), var in x.items() if gg == g.id and pair_solver.Value(var))
        leader = leaders_for[target]
        pairs.append(CrossPairOut(number, g.id, target, leader, list(teams[g.id, target][1])))
    stats.update(status="optimal" if status == cp_model.OPTIMAL else "feasible",
                 objective=int(pair_solver.ObjectiveValue() + leader_solver.ObjectiveValue()),
                 seconds=round(time.perf_counter() - started, 3))
    return CrossResult("optimal" if status == cp_model.OPTIMAL else "feasible", pairs=pairs, stats=stats)
