"""Cross inspection (交叉巡察) of a city round: the plan, its CP-SAT solution, the liaisons the
inspected counties name, the six unified items, and the confirmation that creates the groups."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core import dictionaries
from xuncha.core.scoping import in_scope
from xuncha.core.services import require_perm, scoped_create, scoped_update
from xuncha.org import choices as org_choices
from xuncha.org.models import Cadre, Region, Unit
from xuncha.planning import services as planning_services
from xuncha.planning.choices import RoundKind
from xuncha.planning.models import InspectionGroup

from .. import choices as c
from .. import recusal
from ..models import CrossChecklistItem, CrossPair, CrossPlan, GroupMember, GroupProfile, PoolEntry
from ..solvers import cross as solver
from ._common import errors, log_create, log_update, today
from .proposals import workloads

PLAN_FIELDS = ("group_size", "needs", "time_limit")
DEFAULT_NEEDS = {"finance": 1, "audit": 1, "discipline": 1}


def _check_editable(plan: CrossPlan) -> None:
    if plan.status == c.CrossStatus.CONFIRMED:
        raise ValidationError("编组方案已确认，不能再修改。")


def crossplan_create(*, actor, round, data: dict) -> CrossPlan:
    """A cross-inspection plan for a city's 交叉巡察 round, with the six unified items to fill in."""
    if round.kind != RoundKind.CROSS:
        raise errors(round="只有“交叉巡察”类型的轮次才能进行交叉编组。")
    if CrossPlan.objects.filter(round=round).exists():
        raise errors(round="该轮次已有交叉编组。")
    counties = list(data.get("counties") or Region.objects.filter(parent=round.authority, level="county",
                                                                      is_deleted=False))
    wrong = [r.name for r in counties if r.parent_id != round.authority_id]
    if wrong:
        raise errors(counties=f"{'、'.join(wrong)}不是{round.authority.name}所辖县区。")
    plan = CrossPlan(round=round, authority_id=round.authority_id, group_size=data.get("group_size") or 7,
                     needs=data["needs"] if data.get("needs") is not None else dict(DEFAULT_NEEDS),
                     time_limit=data.get("time_limit") or 20)

    def related(saved: CrossPlan) -> None:
        saved.counties.set(counties)
        saved.targets.set(data.get("targets") or [])
        for item in c.ChecklistItem:
            CrossChecklistItem.objects.create(plan=saved, item=item, content=c.CHECKLIST_HINTS[item])

    return scoped_create(actor=actor, instance=plan, after_save=related)


def crossplan_update(*, actor, instance: CrossPlan, data: dict) -> CrossPlan:
    _check_editable(instance)

    def change(plan: CrossPlan) -> None:
        for name in PLAN_FIELDS:
            if name in data and data[name] is not None:
                setattr(plan, name, data[name])
        if "counties" in data:
            plan.counties.set(data["counties"])
        if "targets" in data:
            plan.targets.set(data["targets"])
        if plan.status != c.CrossStatus.DRAFT:
            plan.status = c.CrossStatus.DRAFT  # the old solution no longer answers the new question
            plan.pairs.all().delete()
            plan.result, plan.reasons = {}, []

    return scoped_update(actor=actor, instance=instance, changes=change)


# --- Solving -------------------------------------------------------------------------------------


def _person(cadre: Cadre, skills: set[str], workload: int) -> solver.Person:
    return solver.Person(cadre.pk, cadre.name, frozenset(skills), workload)


def _pool(authority_ids, kinds) -> dict[int, tuple[Cadre, set[str], int]]:
    """{cadre id: (cadre, skills, authority id)} of the active entries (one row per cadre)."""
    entries = (PoolEntry.objects.filter(authority_id__in=list(authority_ids), kind__in=kinds,
                                        status=c.EntryStatus.ACTIVE)
               .select_related("cadre", "cadre__region").prefetch_related("specialities", "cadre__skills")
               .order_by("cadre_id", "id"))
    people: dict[int, tuple[Cadre, set[str], int]] = {}
    for entry in entries:
        cadre, skills, authority = people.setdefault(entry.cadre_id, (entry.cadre, set(), entry.authority_id))
        skills.update(s.value for s in entry.specialities.all())
        skills.update(s.value for s in entry.cadre.skills.all())
    return people


def plan_inputs(plan: CrossPlan):
    """Everything the solver needs, read from the database (all of the plan's own region)."""
    counties = sorted(plan.counties.all(), key=lambda r: (r.path, r.pk))
    county_by_id = {r.pk: r for r in counties}
    city_leaders = {pk: v for pk, v in _pool([plan.authority_id], [c.PoolKind.LEADER]).items()
                    if v[0].region_id == plan.authority_id and v[0].rank in c.LEADER_RANKS}
    county_people = _pool(list(county_by_id), [c.PoolKind.TALENT, c.PoolKind.LEADER])
    members_by_county: dict[int, list[Cadre]] = defaultdict(list)
    for pk, (cadre, _skills, authority) in county_people.items():
        county = county_by_id.get(authority)
        if county is not None and cadre.region.path.startswith(county.path):
            members_by_county[authority].append(pk)
    chosen_targets = defaultdict(list)
    for unit_id, region_path in plan.targets.values_list("pk", "region__path"):
        for county in counties:
            if region_path.startswith(county.path):
                chosen_targets[county.pk].append(unit_id)
    unit_county: dict[int, int] = {}
    for county in counties:
        ids = chosen_targets.get(county.pk) or list(
            Unit.objects.filter(region__path__startswith=county.path).values_list("pk", flat=True))
        for unit_id in ids:
            unit_county[unit_id] = county.pk
    people_ids = list(city_leaders) + [pk for pks in members_by_county.values() for pk in pks]
    blocks = recusal.blocks_for(people_ids, list(unit_county), today=today()) if people_ids else {}
    blocked: dict[tuple[int, int], list[str]] = defaultdict(list)
    for (pid, unit_id), items in blocks.items():
        texts = blocked[pid, unit_county[unit_id]]
        for block in items:
            if len(texts) < 3:
                texts.append(block.text)
    loads = workloads(people_ids, since_year=plan.round.year - 1, exclude_round_id=plan.round_id)
    leaders = [_person(cadre, skills, loads.get(pk, 0)) for pk, (cadre, skills, _) in sorted(city_leaders.items())]
    members = {county: [_person(county_people[pk][0], county_people[pk][1], loads.get(pk, 0)) for pk in sorted(pks)]
               for county, pks in members_by_county.items()}
    previous = (CrossPlan.objects.filter(authority_id=plan.authority_id, status=c.CrossStatus.CONFIRMED)
                .exclude(pk=plan.pk).order_by("-round__year", "-round__number").first())
    avoid = frozenset(previous.pairs.values_list("source_county_id", "target_county_id")) if previous else frozenset()
    county_list = [solver.County(r.pk, r.name) for r in counties]
    return county_list, leaders, members, dict(blocked), avoid, chosen_targets


def crossplan_solve(*, actor, plan: CrossPlan) -> CrossPlan:
    """Solve the formation and keep the answer (pairs, or the reasons in Chinese why none exists)."""
    require_perm(actor, "teams:cross:propose")
    _check_editable(plan)
    counties, leaders, members, blocked, avoid, _ = plan_inputs(plan)
    labels = dict(dictionaries.labels(org_choices.DICT_CADRE_SKILL))
    params = solver.CrossParams(group_size=plan.group_size, needs={k: int(v) for k, v in plan.needs.items() if v},
                                avoid_pairs=avoid, time_limit=float(plan.time_limit))
    outcome = solver.solve(counties, leaders, members, blocked, params, labels=labels)
    with transaction.atomic():
        def change(p: CrossPlan) -> None:
            p.pairs.all().delete()
            p.solved_at = timezone.now()
            p.reasons = outcome.reasons
            p.status = c.CrossStatus.SOLVED if outcome.ok else c.CrossStatus.INFEASIBLE
            excluded = {}
            for pair in outcome.pairs:
                pool = members.get(pair.source, [])
                excluded[str(pair.number)] = [
                    {"name": person.name, "reasons": blocked[person.id, pair.target]}
                    for person in pool if (person.id, pair.target) in blocked][:10]
            p.result = {"stats": outcome.stats, "avoided_pairs": len(avoid), "excluded": excluded}
            for pair in outcome.pairs:
                CrossPair.objects.create(
                    plan=p, number=pair.number, source_county_id=pair.source, target_county_id=pair.target,
                    leader_id=pair.leader, member_ids=pair.members)

        return scoped_update(actor=actor, instance=plan, changes=change, action="propose")


def crosspair_name_liaison(*, actor, pair: CrossPair, cadre: Cadre) -> CrossPair:
    """The inspected county names its liaison: a cadre working in that county."""
    require_perm(actor, "teams:cross:change")
    if not in_scope(actor, "teams:cross:change", region=pair.target_county):
        raise ValidationError("联络员由被巡察县区（或市委巡察办）推荐。")
    if pair.plan.status == c.CrossStatus.CONFIRMED and pair.liaison_id:
        raise ValidationError("编组方案已确认，联络员不能再更换。")
    if not cadre.region.path.startswith(pair.target_county.path):
        raise errors(cadre=f"联络员应为{pair.target_county.name}的干部。")
    with transaction.atomic():
        locked = CrossPair.objects.select_for_update().get(pk=pair.pk)
        from xuncha.core import changelog

        before = changelog.snapshot(locked)
        locked.liaison = cadre
        locked.save(update_fields=["liaison", "updated_at"])
        log_update(locked, before, actor)
    return locked


CHECKLIST_FIELDS = ("content", "due_date", "done", "done_on", "note")


def checklist_item_update(*, actor, item: CrossChecklistItem, data: dict) -> CrossChecklistItem:
    require_perm(actor, "teams:cross:change")
    if not CrossChecklistItem.objects.for_user(actor, "change").filter(pk=item.pk).exists():
        raise ValidationError("该事项不在您的授权范围内。")
    if data.get("done") and not data.get("done_on"):
        data = {**data, "done_on": today()}
    with transaction.atomic():
        from xuncha.core import changelog

        locked = CrossChecklistItem.objects.select_for_update().get(pk=item.pk)
        before = changelog.snapshot(locked)
        for name in CHECKLIST_FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        locked.save()
        log_update(locked, before, actor)
    return locked


def crossplan_confirm(*, actor, plan: CrossPlan) -> CrossPlan:
    """Create the round's groups from the solution: one group per sending county, led by its city
    cadre, the county's people as members (the most senior as 副组长), an inspection of the target
    county's chosen units; the liaisons are recorded on the pairs."""
    require_perm(actor, "teams:cross:approve")
    if plan.status != c.CrossStatus.SOLVED:
        raise ValidationError("只有已生成的编组方案才能确认。")
    pairs = list(plan.pairs.select_related("source_county", "target_county", "leader"))
    missing = [p.target_county.name for p in pairs if p.liaison_id is None]
    if missing:
        raise ValidationError(f"以下被巡察县区尚未推荐联络员：{'、'.join(missing)}。")
    round_ = plan.round
    _, _, _, _, _, chosen_targets = plan_inputs(plan)
    with transaction.atomic():
        if InspectionGroup.objects.filter(round=round_).exists():
            raise ValidationError("该轮次已有巡察组，请先核对后再确认交叉编组。")
        cadres = Cadre.objects.in_bulk([pk for p in pairs for pk in p.member_ids])
        units = {u.pk: u for u in Unit.objects.filter(pk__in=[pk for ids in chosen_targets.values() for pk in ids])
                 .select_related("region")}
        for pair in pairs:
            group = planning_services.group_create(
                actor=actor, round=round_, name=f"第{solver.chinese_ordinal(pair.number)}巡察组",
                remarks=f"{pair.source_county.name}派出，交叉巡察{pair.target_county.name}")
            profile = GroupProfile.objects.create(group=group, authority_id=group.authority_id)
            log_create(profile, actor)
            people = sorted((cadres[pk] for pk in pair.member_ids), key=lambda x: (-recusal.leadership_level(x.post),
                                                                                   x.pk))
            rows = [(pair.leader, c.MemberRole.LEADER, True, False)]
            rows += [(cadre, c.MemberRole.DEPUTY if i == 0 else c.MemberRole.MEMBER, False, i == 1)
                     for i, cadre in enumerate(people)]
            for cadre, role, secretary, supervisor in rows:
                member = GroupMember(group=group, round_id=round_.pk, authority_id=group.authority_id, cadre=cadre,
                                     role=role, is_party_secretary=secretary, is_conduct_supervisor=supervisor,
                                     joined_on=today())
                scoped_create(actor=actor, instance=member)
            targets = [units[pk] for pk in chosen_targets.get(pair.target_county_id, []) if pk in units]
            if targets:
                planning_services.inspection_create(actor=actor, round=round_, data={
                    "group": group, "targets": targets, "remarks": f"交叉巡察{pair.target_county.name}"})
            CrossPair.objects.filter(pk=pair.pk).update(group=group)

        def change(p: CrossPlan) -> None:
            p.status = c.CrossStatus.CONFIRMED
            p.confirmed_at, p.confirmed_by = timezone.now(), actor

        return scoped_update(actor=actor, instance=plan, changes=change, action="approve")
