"""Every read of teams, always through the user's scope (`for_user` / `for_user_perm`).

A group is visible to whoever may view its members (`teams:member:view`): an office over the
group's authority, or a group grant over the group itself. Lists are built with a fixed number of
queries whatever the number of rows (the tests count them).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from xuncha.core import dictionaries
from xuncha.core.models import ChangeLog  # noqa: F401  (history pages of explicit views)
from xuncha.org import choices as org_choices
from xuncha.org.models import Cadre
from xuncha.planning.models import Inspection, InspectionGroup, Round

from . import choices as c
from . import recusal
from .models import (
    CrossPair,
    CrossPlan,
    Evaluation,
    GroupMember,
    GroupProfile,
    Honour,
    Pledge,
    PoolEntry,
    PoolEvent,
    RecusalDeclaration,
    Secondment,
    TeamReminder,
    TrainingAttendance,
)
from .services._common import authority_chain_q
from .services.groups import group_target_units

MEMBER_VIEW = "teams:member:view"
NEEDED_SKILLS = ("finance", "audit", "discipline")


# --- Rounds and groups -----------------------------------------------------------------------------------


def specialities_for(cadre_ids) -> dict[int, set[str]]:
    """What each person brings: the specialities of their active pool entries and the skills of
    their cadre record (the same union the proposer and the cross solver use). Two queries."""
    ids = list(cadre_ids)
    result: dict[int, set[str]] = defaultdict(set)
    for cadre_id, value in PoolEntry.objects.filter(cadre_id__in=ids, status=c.EntryStatus.ACTIVE).values_list(
            "cadre_id", "specialities__value"):
        if value:
            result[cadre_id].add(value)
    through = Cadre.skills.through
    for cadre_id, value in through.objects.filter(cadre_id__in=ids).values_list(
            "cadre_id", "dictitem__value"):
        result[cadre_id].add(value)
    return result


def rounds_for_user(user):
    """Rounds whose groups the user may see: the offices' rounds, and a group grant's own round."""
    own = Round.objects.for_user_perm(user, MEMBER_VIEW)
    through_members = GroupMember.objects.for_user(user, "view").values("round_id")
    return (Round.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=through_members))
            .select_related("authority").annotate(group_count=Count("groups", filter=Q(groups__is_deleted=False),
                                                                    distinct=True))
            .order_by("-year", "authority__path", "number", "id"))


def get_round_for_user(user, pk: int) -> Round:
    return get_object_or_404(rounds_for_user(user), pk=pk)


def groups_for_user(user):
    own = InspectionGroup.objects.for_user_perm(user, MEMBER_VIEW)
    through_members = GroupMember.objects.for_user(user, "view").values("group_id")
    return InspectionGroup.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=through_members)).select_related(
        "round", "authority")


def get_group_for_user(user, pk: int) -> InspectionGroup:
    return get_object_or_404(groups_for_user(user), pk=pk)


def get_member_for_user(user, pk: int, action: str = "view") -> GroupMember:
    return get_object_or_404(GroupMember.objects.for_user(user, action).select_related(
        "cadre", "cadre__unit", "group", "round", "authority"), pk=pk)


def mobilisation_dates(groups) -> dict[int, datetime.date | None]:
    """The group's mobilisation meeting (动员会): the profile's date, else the earliest 进驻 date of its
    inspections, else the round's start."""
    ids = [g.pk for g in groups]
    profiles = dict(GroupProfile.objects.filter(group_id__in=ids).values_list("group_id", "mobilisation_date"))
    stationed = dict(Inspection.objects.filter(group_id__in=ids).values_list("group_id").annotate(
        d=Min("stationed_date")).values_list("group_id", "d"))
    return {g.pk: profiles.get(g.pk) or stationed.get(g.pk) or g.round.start_date for g in groups}


@dataclass
class GroupView:
    group: InspectionGroup
    members: list = field(default_factory=list)
    profile: GroupProfile | None = None
    targets: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    mobilisation: datetime.date | None = None
    unsigned: int = 0


def composition(user, round_: Round, *, today: datetime.date | None = None) -> list[GroupView]:
    """The round's groups with their members, targets and what is missing or forbidden."""
    today = today or timezone.localdate()
    groups = list(groups_for_user(user).filter(round=round_).order_by("number", "id"))
    ids = [g.pk for g in groups]
    members = list(GroupMember.objects.for_user(user, "view").filter(group_id__in=ids)
                   .select_related("cadre", "cadre__unit", "pool_entry"))
    skills = specialities_for(m.cadre_id for m in members)
    profiles = {p.group_id: p for p in GroupProfile.objects.for_user(user, "view").filter(group_id__in=ids)}
    targets = group_target_units(ids)
    dates = mobilisation_dates(groups)
    signed = defaultdict(set)
    for member_id, kind in Pledge.objects.filter(member__in=[m.pk for m in members]).values_list("member_id", "kind"):
        signed[member_id].add(kind)
    unit_ids = sorted({u for units in targets.values() for u, _ in units})
    blocks = recusal.blocks_for([m.cadre_id for m in members], unit_ids, today=today) if members and unit_ids else {}
    unit_names = {u: name for units in targets.values() for u, name in units}
    skill_labels = dictionaries.labels(org_choices.DICT_CADRE_SKILL)
    views = {g.pk: GroupView(g, profile=profiles.get(g.pk), targets=targets.get(g.pk, []),
                             mobilisation=dates.get(g.pk)) for g in groups}
    for m in sorted(members, key=lambda m: (c.ROLE_ORDER.get(m.role, 9), m.pk)):
        m.skill_values = skills.get(m.cadre_id, set())
        m.skill_labels = [skill_labels.get(v, v) for v in sorted(m.skill_values)]
        m.signed = signed.get(m.pk, set())
        m.unsigned = [k.label for k in c.PledgeKind if k.value not in m.signed]
        views[m.group_id].members.append(m)
        for unit_id, _ in targets.get(m.group_id, []):
            for block in blocks.get((m.cadre_id, unit_id), []):
                views[m.group_id].conflicts.append(f"{m.cadre.name}需回避{unit_names[unit_id]}：{block.text}")
    for view in views.values():
        n = len(view.members)
        if not c.GROUP_SIZE_MIN <= n <= c.GROUP_SIZE_MAX:
            view.warnings.append(f"现有 {n} 人，巡察组应为 {c.GROUP_SIZE_MIN}—{c.GROUP_SIZE_MAX} 人。")
        if not any(m.role == c.MemberRole.LEADER for m in view.members):
            view.warnings.append("尚未确定组长。")
        if not any(m.is_party_secretary for m in view.members):
            view.warnings.append("尚未明确临时党组织书记。")
        if not any(m.is_conduct_supervisor for m in view.members):
            view.warnings.append("尚未明确作风监督员。")
        if view.profile is None or view.profile.party_org_established is None:
            view.warnings.append("尚未登记临时党小组（党支部）成立情况。")
        have = set().union(*(m.skill_values for m in view.members))
        for skill in NEEDED_SKILLS:
            if skill not in have:
                view.warnings.append(f"缺少{skill_labels.get(skill, skill)}专长人员。")
        if not view.targets:
            view.warnings.append("尚未安排巡察对象（回避审查在安排对象后进行）。")
        view.unsigned = sum(len(m.unsigned) for m in view.members)
    return [views[g.pk] for g in groups]


def cadres_for_user(user):
    """Cadres the user may name in a teams operation: those of the user's regions or units, and the
    people of the pools and groups the user sees (a county's pool may hold a cadre from elsewhere)."""
    return Cadre.objects.filter(
        Q(pk__in=Cadre.objects.for_user(user, "view").values("pk"))
        | Q(pk__in=PoolEntry.objects.for_user(user, "view").values("cadre_id"))
        | Q(pk__in=GroupMember.objects.for_user(user, "view").values("cadre_id")))


def pool_cadres_for_group(user, group: InspectionGroup | None):
    """Cadres in an active pool (of the group's authority or above) that the user may see."""
    if group is None:
        return Cadre.objects.none()
    entries = PoolEntry.objects.for_user(user, "view").filter(authority_chain_q(group.authority),
                                                              status=c.EntryStatus.ACTIVE)
    return Cadre.objects.filter(pk__in=entries.values("cadre_id")).select_related("unit").order_by("name", "pk")


# --- Evaluations ------------------------------------------------------------------------------------------


def evaluation_rows(user, round_: Round) -> list[GroupMember]:
    """Every member of the round the user may see, with their evaluation (or None)."""
    members = sorted(GroupMember.objects.for_user(user, "view").filter(round=round_)
                     .select_related("cadre", "cadre__unit", "group"),
                     key=lambda m: (m.group.number, c.ROLE_ORDER.get(m.role, 9), m.pk))
    evaluations = {e.member_id: e for e in Evaluation.objects.for_user(user, "view").filter(round=round_)}
    grades = dictionaries.labels(c.DICT_EVALUATION_GRADE)
    for m in members:
        m.eval = evaluations.get(m.pk)
        m.grade_label = grades.get(m.eval.grade, "") if m.eval else ""
    return members


def get_evaluation_for_user(user, pk: int, action: str = "view") -> Evaluation:
    return get_object_or_404(Evaluation.objects.for_user(user, action).select_related(
        "member", "member__cadre", "member__group", "member__round", "member__authority"), pk=pk)


# --- One person, one file (一人一表一档) ---------------------------------------------------------------


@dataclass
class PersonFile:
    cadre: Cadre
    entries: list
    events: list
    memberships: list
    secondments: list
    honours: list
    trainings: list
    declarations: list
    training_hours: Decimal = Decimal(0)
    skills: list[str] = field(default_factory=list)  # labels: pool specialities and cadre skills


def person_file(user, cadre_pk: int) -> PersonFile:
    """Everything about one person the user may see; 404 unless the person is in one of the user's
    pools or groups (a pool page is not a window onto every cadre)."""
    entries = list(PoolEntry.objects.for_user(user, "view").filter(cadre_id=cadre_pk)
                   .select_related("authority").prefetch_related("specialities"))
    memberships = list(GroupMember.objects.for_user(user, "view").filter(cadre_id=cadre_pk)
                       .select_related("group", "round", "evaluation").order_by("-round__year", "-round__number"))
    if not entries and not memberships:
        raise Http404
    cadre = get_object_or_404(Cadre.all_objects.select_related("unit", "region").prefetch_related(
        "skills", "work_history__unit", "family"), pk=cadre_pk)
    events = list(PoolEvent.objects.for_user(user, "view").filter(entry__cadre_id=cadre_pk)
                  .select_related("entry", "entry__authority", "created_by").order_by("date", "id"))
    grades = dictionaries.labels(c.DICT_EVALUATION_GRADE)
    pledges = defaultdict(list)
    for p in Pledge.objects.for_user(user, "view").filter(member__cadre_id=cadre_pk):
        pledges[p.member_id].append(p)
    for m in memberships:
        evaluation = getattr(m, "evaluation", None)
        m.eval = evaluation
        m.grade_label = grades.get(evaluation.grade, "") if evaluation else ""
        m.pledge_list = pledges.get(m.pk, [])
    secondments = list(Secondment.objects.for_user(user, "view").filter(cadre_id=cadre_pk)
                       .select_related("from_unit", "group"))
    honours = list(Honour.objects.for_user(user, "view").filter(cadre_id=cadre_pk))
    trainings = list(TrainingAttendance.objects.for_user(user, "view").filter(cadre_id=cadre_pk)
                     .select_related("session").order_by("-session__held_on"))
    declarations = list(RecusalDeclaration.objects.for_user(user, "view").filter(cadre_id=cadre_pk)
                        .select_related("unit"))
    hours = sum((t.hours for t in trainings if t.attended), Decimal(0))
    labels = dictionaries.labels(org_choices.DICT_CADRE_SKILL)
    skills = [labels.get(v, v) for v in sorted(specialities_for([cadre.pk]).get(cadre.pk, ()))]
    return PersonFile(cadre, entries, events, memberships, secondments, honours, trainings, declarations, hours,
                      skills)


# --- Recusal check ----------------------------------------------------------------------------------------


@dataclass
class RecusalRow:
    cadre: Cadre
    unit_name: str
    group_name: str
    blocks: list


def recusal_rows(user, round_: Round, people: str = "members", *, today: datetime.date | None = None):
    """Who is blocked for which target of the round, and why. `people`: the round's members, or
    every active pool entry of the round's authority the user may see."""
    today = today or timezone.localdate()
    groups = list(groups_for_user(user).filter(round=round_))
    targets = group_target_units([g.pk for g in groups])
    unit_group = {}
    for g in groups:
        for unit_id, name in targets[g.pk]:
            unit_group.setdefault(unit_id, (name, []))[1].append(g.name)
    if people == "pool":
        cadre_ids = list(PoolEntry.objects.for_user(user, "view").filter(
            authority_chain_q(round_.authority), status=c.EntryStatus.ACTIVE).values_list("cadre_id", flat=True))
    else:
        cadre_ids = list(GroupMember.objects.for_user(user, "view").filter(round=round_).values_list("cadre_id",
                                                                                                     flat=True))
    blocks = recusal.blocks_for(cadre_ids, list(unit_group), today=today) if cadre_ids and unit_group else {}
    cadres = Cadre.all_objects.select_related("unit").in_bulk({pid for pid, _ in blocks})
    rows = [RecusalRow(cadres[pid], unit_group[u][0], "、".join(unit_group[u][1]), items)
            for (pid, u), items in blocks.items()]
    rows.sort(key=lambda r: (r.group_name, r.unit_name, r.cadre.name))
    return rows, len(cadre_ids), len(unit_group)


# --- Cross inspection --------------------------------------------------------------------------------------


def get_crossplan_for_user(user, pk: int, action: str = "view") -> CrossPlan:
    return get_object_or_404(CrossPlan.objects.for_user(user, action).select_related("round", "authority"), pk=pk)


def cross_pairs(user, plan: CrossPlan) -> list[CrossPair]:
    pairs = list(CrossPair.objects.for_user(user, "view").filter(plan=plan)
                 .select_related("source_county", "target_county", "leader", "leader__unit", "liaison",
                                 "liaison__unit", "group"))
    ids = [pk for p in pairs for pk in p.member_ids]
    people = Cadre.all_objects.select_related("unit").in_bulk(ids)
    labels = dictionaries.labels(org_choices.DICT_CADRE_SKILL)
    specialities = specialities_for(ids)
    for p in pairs:
        p.members = [people[pk] for pk in p.member_ids if pk in people]
        for m in p.members:
            m.skill_labels = [labels.get(v, v) for v in sorted(specialities.get(m.pk, ()))]
    return pairs


def cross_graph(pairs) -> dict:
    """Nodes (counties) and directed edges (source → target) for the ECharts diagram."""
    nodes, seen = [], set()
    for p in pairs:
        for region in (p.source_county, p.target_county):
            if region.pk not in seen:
                seen.add(region.pk)
                nodes.append({"id": str(region.pk), "name": region.name})
    links = [{"source": str(p.source_county_id), "target": str(p.target_county_id),
              "value": f"第{p.number}组·组长{p.leader.name}"} for p in pairs]
    return {"nodes": nodes, "links": links}


# --- Pledges, reminders, quotas, training ---------------------------------------------------------------


def pledge_overview(user, round_: Round, *, today: datetime.date | None = None):
    """Per group: each member and the pledges not yet signed; overdue once the mobilisation meeting
    has passed."""
    today = today or timezone.localdate()
    views = []
    for view in composition(user, round_, today=today):
        date = view.mobilisation
        view.days_left = (date - today).days if date else None
        view.overdue = bool(date and date < today and view.unsigned)
        views.append(view)
    return views


def reminders_for_user(user, *, include_handled: bool = False):
    qs = TeamReminder.objects.for_user(user, "view").select_related("secondment", "secondment__cadre", "group")
    if not include_handled:
        qs = qs.filter(handled_at__isnull=True)
    return qs.order_by("handled_at", "due_date", "id")


def quota_chart(user, year: int | None = None) -> dict:
    """Approved vs filled posts per office for the year (the latest registered when not given)."""
    from .models import StaffingQuota

    qs = StaffingQuota.objects.for_user(user, "view").select_related("region")
    years = sorted(set(qs.values_list("year", flat=True)), reverse=True)
    year = year or (years[0] if years else timezone.localdate().year)
    rows = list(qs.filter(year=year).order_by("region__path"))
    return {
        "year": year, "years": years, "rows": rows,
        "names": [r.region.name for r in rows],
        "approved": [r.approved_posts for r in rows],
        "filled": [r.filled_posts for r in rows],
        "shortfall": [r.shortfall for r in rows],
        "total_shortfall": sum(r.shortfall for r in rows),
    }


def training_hours(user, year: int | None = None):
    """Hours per person (attended sessions only) the user may see, most hours first."""
    qs = TrainingAttendance.objects.for_user(user, "view").filter(attended=True, session__is_deleted=False)
    if year:
        qs = qs.filter(session__held_on__year=year)
    rows = list(qs.values("cadre_id", "cadre__name", "cadre__unit__name").annotate(
        hours=Sum("hours"), sessions=Count("id")).order_by("-hours", "cadre__name"))
    return rows
