"""Every read of planning goes through the user's scope (`for_user`), here and nowhere else.

`get_<entity>(user, pk, action)` raises Http404 for a record the user may not reach with `action`
(the same answer as for a record that does not exist). Functions that take an already fetched
record (`coverage_report(plan)`) state that precondition.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from xuncha.core import dictionaries
from xuncha.core.scoping import has_perm
from xuncha.org import choices as org_choices
from xuncha.org.models import Region, Unit

from . import alignment, coverage, priority, proposer, workflow
from .choices import COVERING_KINDS, RoundKind, Stage
from .models import (
    AnnualPlan,
    FiveYearPlan,
    HorizontalCheck,
    Inspection,
    InspectionGroup,
    InspectionTarget,
    JointRound,
    PlanProposal,
    PlanTarget,
    PriorityWeights,
    Round,
    StageTransition,
    UnitRiskInput,
    authority_name,
)
from .scoping import ancestor_ids


def _get(qs, pk):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404("记录不存在或不在您的授权范围内。")
    return obj


def can(user, model, obj, action: str) -> bool:
    """May `user` act with `action` on this very row (permission and scope)?"""
    from xuncha.core.scoping import permission_for

    if not has_perm(user, permission_for(model, action)):
        return False
    return model.objects.for_user(user, action).filter(pk=obj.pk).exists()


def authorities_for(user, permission: str):
    """Cities and counties the user may act on with `permission` (form choices, pickers)."""
    return Region.objects.for_user_perm(user, permission).filter(level__in=("city", "county")).order_by("path")


# --- Plans and coverage -------------------------------------------------------------------------


def get_plan(user, pk, action: str = "view") -> FiveYearPlan:
    return _get(FiveYearPlan.objects.for_user(user, action).select_related("authority"), pk)


def plan_targets(plan: FiveYearPlan):
    """Precondition: the caller may view `plan`."""
    return plan.targets.select_related("unit", "unit__region").order_by("is_elevated", "planned_year", "unit__name",
                                                                        "id")


def get_target(user, pk, action: str = "change") -> PlanTarget:
    return _get(PlanTarget.objects.for_user(user, action).select_related("plan", "plan__authority", "unit"), pk)


def _authority_chain(region: Region) -> list[int]:
    return [region.pk, *ancestor_ids(region.path)]


def _round_label(row: dict) -> str:
    title = row["inspection__round__title"] or (
        f"{row['inspection__round__year']}年第{row['inspection__round__number']}轮")
    return f"{title}·{row['inspection__group__name']}"


def _hits(unit_filter: Q, authority_ids: set[int]) -> list[dict]:
    """Every live inspection, by one of these authorities, of the units, with what coverage needs."""
    return list(InspectionTarget.objects.filter(
        unit_filter, inspection__is_deleted=False, inspection__round__is_deleted=False,
        inspection__authority_id__in=sorted(authority_ids), inspection__round__kind__in=sorted(COVERING_KINDS),
    ).values("unit_id", "inspection_id", "inspection__stage", "inspection__authority_id",
             "inspection__authority__name", "inspection__round__year", "inspection__round__number",
             "inspection__round__kind", "inspection__round__title", "inspection__group__name"))


def _hit_in(row: dict, plan_authority_id: int) -> coverage.HitIn:
    upper = row["inspection__authority_id"] != plan_authority_id
    kind = dict(RoundKind.choices).get(row["inspection__round__kind"], "")
    label = f"中共{row['inspection__authority__name']}委（{kind}）" if upper else "本级巡察"
    return coverage.HitIn(unit_id=row["unit_id"], year=row["inspection__round__year"],
                          started=row["inspection__stage"] != Stage.PREPARE, by_upper=upper, by_label=label,
                          round_label=_round_label(row), inspection_id=row["inspection_id"])


_TARGET_FIELDS = ("id", "plan_id", "unit_id", "unit__name", "unit__category", "unit__system", "planned_year",
                  "planned_round", "is_fixed", "is_elevated", "last_inspected_year")


def _target_in(row: dict) -> coverage.TargetIn:
    return coverage.TargetIn(
        unit_id=row["unit_id"], name=row["unit__name"], category=row["unit__category"], system=row["unit__system"],
        planned_year=row["planned_year"], planned_round=row["planned_round"], is_fixed=row["is_fixed"],
        is_elevated=row["is_elevated"], last_inspected_year=row["last_inspected_year"], target_id=row["id"])


def coverage_report(plan: FiveYearPlan, *, today: datetime.date | None = None,
                    stale_years: int | None = None) -> coverage.CoverageReport:
    """The plan's coverage (two queries). Precondition: the caller may view `plan`."""
    today = today or timezone.localdate()
    rows = list(PlanTarget.objects.filter(plan=plan, unit__is_deleted=False).values(*_TARGET_FIELDS))
    targets = [_target_in(r) for r in rows]
    unit_filter = Q(unit_id__in=PlanTarget.objects.filter(plan=plan).values("unit_id"))
    hits = [_hit_in(r, plan.authority_id) for r in _hits(unit_filter, set(_authority_chain(plan.authority)))]
    return coverage.compute(targets, hits, plan.year_list, today=today,
                            stale_years=stale_years or plan.stale_years)


@dataclass
class OverviewRow:
    plan: FiveYearPlan
    report: coverage.CoverageReport


def coverage_overview(user, *, start_year: int | None = None, today: datetime.date | None = None):
    """Coverage of every plan the user may view for one term, in three queries whatever the number
    of plans; and the network total, each unit counted once (elevated ones only by their county)."""
    today = today or timezone.localdate()
    plans_qs = FiveYearPlan.objects.for_user(user, "view").select_related("authority")
    terms = sorted(set(plans_qs.values_list("start_year", flat=True)), reverse=True)
    if start_year is None:
        current = [y for y in terms if y <= today.year < y + 5]
        start_year = current[0] if current else (terms[0] if terms else today.year)
    plans = list(plans_qs.filter(start_year=start_year).order_by("authority__path", "id"))
    plan_ids = [p.pk for p in plans]
    targets_by_plan: dict[int, list[coverage.TargetIn]] = defaultdict(list)
    for row in PlanTarget.objects.filter(plan_id__in=plan_ids, unit__is_deleted=False).values(*_TARGET_FIELDS):
        targets_by_plan[row["plan_id"]].append(_target_in(row))
    chains = {p.pk: set(_authority_chain(p.authority)) for p in plans}
    all_authorities = set().union(*chains.values()) if chains else set()
    raw = _hits(Q(unit_id__in=PlanTarget.objects.filter(plan_id__in=plan_ids).values("unit_id")), all_authorities)
    rows = []
    for plan in plans:
        units = {t.unit_id for t in targets_by_plan[plan.pk]}
        hits = [_hit_in(r, plan.authority_id) for r in raw
                if r["unit_id"] in units and r["inspection__authority_id"] in chains[plan.pk]]
        rows.append(OverviewRow(plan, coverage.compute(targets_by_plan[plan.pk], hits, plan.year_list, today=today,
                                                       stale_years=plan.stale_years)))
    total = {"total": sum(r.report.total for r in rows), "covered": sum(r.report.covered for r in rows),
             "late": sum(r.report.late for r in rows), "stale": sum(len(r.report.stale) for r in rows),
             "elevated": sum(len(r.report.elevated) for r in rows)}
    total["rate"] = round(total["covered"] * 100.0 / total["total"], 1) if total["total"] else 0.0
    return {"start_year": start_year, "terms": terms, "rows": rows, "total": total}


def plan_has_coverage_of(plan: FiveYearPlan) -> bool:
    return plan.targets.exists()


# --- Priority ---------------------------------------------------------------------------------------


def weights_for(authority: Region) -> tuple[priority.Weights, PriorityWeights | None]:
    """The authority's saved weights, or the defaults. Precondition: the caller may view the ranking."""
    row = PriorityWeights.objects.filter(authority=authority).first()
    if row is None:
        return priority.Weights(), None
    return priority.Weights(
        attention=row.w_attention, power=row.w_power, fund=row.w_fund, petition=row.w_petition,
        problem=row.w_problem, years=row.w_years, fund_ref=float(row.fund_ref), petition_ref=row.petition_ref,
        problem_ref=row.problem_ref, years_ref=row.years_ref), row


def unit_facts(authority: Region, units: list[dict], year: int) -> list[priority.UnitFacts]:
    """Risk attributes, the latest risk inputs up to `year`, and the last inspection of each unit.

    `units`: dicts with id, name, category, system, social_attention, low_rank_high_power,
    special_fund_scale. Three queries whatever the number of units.
    """
    ids = [u["id"] for u in units]
    latest: dict[int, dict] = {}
    for row in UnitRiskInput.objects.filter(unit_id__in=ids, year__lte=year).order_by("unit_id", "-year").values(
            "unit_id", "year", "petition_count", "problem_count"):
        latest.setdefault(row["unit_id"], row)
    last: dict[int, int] = {}
    for row in PlanTarget.objects.filter(unit_id__in=ids, plan__is_deleted=False,
                                         last_inspected_year__isnull=False).values("unit_id", "last_inspected_year"):
        last[row["unit_id"]] = max(last.get(row["unit_id"], 0), row["last_inspected_year"])
    chain = set(_authority_chain(authority))
    for row in _hits(Q(unit_id__in=ids), chain):
        if row["inspection__stage"] != Stage.PREPARE and row["inspection__round__year"] <= year:
            last[row["unit_id"]] = max(last.get(row["unit_id"], 0), row["inspection__round__year"])
    facts = []
    for u in units:
        risk = latest.get(u["id"])
        fund = u["special_fund_scale"]
        facts.append(priority.UnitFacts(
            unit_id=u["id"], name=u["name"], category=u["category"], system=u["system"],
            social_attention=u["social_attention"], low_rank_high_power=u["low_rank_high_power"],
            special_fund=float(fund) if fund is not None else None,
            petitions=risk["petition_count"] if risk else None, problems=risk["problem_count"] if risk else None,
            last_year=last.get(u["id"])))
    return facts


_UNIT_FACT_FIELDS = ("id", "name", "category", "system", "social_attention", "low_rank_high_power",
                     "special_fund_scale")


def priority_ranking(user, authority: Region, year: int, *, category: str = "", system: str = "",
                     q: str = "") -> list[priority.Score]:
    """Every unit of the authority the user may view, scored and ranked."""
    units = Unit.objects.for_user(user, "view").filter(region=authority)
    if category:
        units = units.filter(category=category)
    if system:
        units = units.filter(system=system)
    if q:
        units = units.filter(name__icontains=q)
    weights, _ = weights_for(authority)
    return priority.rank(unit_facts(authority, list(units.values(*_UNIT_FACT_FIELDS)), year), weights, year)


def proposer_units(plan: FiveYearPlan, *, rounds_per_year: int) -> list[proposer.UnitIn]:
    """The plan's own targets as proposer input: priority score, system, and what is fixed — the
    office's fixed choices, and the units already covered or scheduled in the term (their year)."""
    rows = list(PlanTarget.objects.filter(plan=plan, is_elevated=False, unit__is_deleted=False).values(
        "unit_id", "planned_year", "planned_round", "is_fixed", "unit__name"))
    units = list(Unit.objects.filter(pk__in=[r["unit_id"] for r in rows]).values(*_UNIT_FACT_FIELDS))
    weights, _ = weights_for(plan.authority)
    scores = {s.facts.unit_id: s for s in priority.rank(unit_facts(plan.authority, units, plan.start_year), weights,
                                                        plan.start_year)}
    report = coverage_report(plan)
    taken = {r.target.unit_id: (r.covered_year or r.scheduled_year) for r in report.rows
             if r.covered_year or r.scheduled_year}
    result = []
    for row in rows:
        unit_id = row["unit_id"]
        fixed_year, fixed_round = None, None
        if unit_id in taken:
            fixed_year = taken[unit_id]
        elif row["is_fixed"] and row["planned_year"]:
            fixed_year = row["planned_year"]
            if row["planned_round"] and row["planned_round"] <= rounds_per_year:
                fixed_round = row["planned_round"]
        score = scores.get(unit_id)
        result.append(proposer.UnitIn(id=unit_id, name=row["unit__name"], system=score.facts.system if score else "",
                                      priority=score.total if score else 0.0, fixed_year=fixed_year,
                                      fixed_round=fixed_round))
    return result


def get_proposal(user, pk, action: str = "view") -> PlanProposal:
    proposal = _get(PlanProposal.objects.for_user(user, "view").select_related("plan", "plan__authority"), pk)
    if action != "view" and not FiveYearPlan.objects.for_user(user, action).filter(pk=proposal.plan_id).exists():
        raise Http404("记录不存在或不在您的授权范围内。")
    return proposal


@dataclass
class ProposalRow:
    target: PlanTarget
    year: int | None
    round: int | None
    group: int | None
    fixed: bool
    changed: bool


def proposal_rows(proposal: PlanProposal) -> list[ProposalRow]:
    """The proposed schedule next to the plan as it stands. Precondition: the caller may view it."""
    assigned = {row[0]: row for row in proposal.result.get("assignments", [])}
    rows = []
    for target in proposal.plan.targets.filter(is_elevated=False).select_related("unit").order_by("unit__name"):
        a = assigned.get(target.unit_id)
        year, rnd, group, fixed = (a[1], a[2], a[3], a[4]) if a else (None, None, None, False)
        rows.append(ProposalRow(target, year, rnd, group, fixed or target.is_fixed,
                                changed=(year, rnd) != (target.planned_year, target.planned_round)))
    rows.sort(key=lambda r: (r.year or 9999, r.round or 99, r.group or 99, r.target.unit.name))
    return rows


# --- Annual plans, rounds, inspections --------------------------------------------------------------


def get_annualplan(user, pk, action: str = "view") -> AnnualPlan:
    return _get(AnnualPlan.objects.for_user(user, action).select_related("authority", "five_year_plan"), pk)


def rounds_of(user, annual_plan: AnnualPlan):
    return Round.objects.for_user(user, "view").filter(annual_plan=annual_plan).select_related(
        "joint_round").annotate(group_count=Count("groups", filter=Q(groups__is_deleted=False), distinct=True),
                                inspection_count=Count("inspections", filter=Q(inspections__is_deleted=False),
                                                       distinct=True)).order_by("number", "id")


def rounds_for_user(user, *, year=None, authority=None, kind: str = "", status: str = ""):
    qs = Round.objects.for_user(user, "view").select_related("authority", "annual_plan", "joint_round").annotate(
        group_count=Count("groups", filter=Q(groups__is_deleted=False), distinct=True),
        inspection_count=Count("inspections", filter=Q(inspections__is_deleted=False), distinct=True))
    if year:
        qs = qs.filter(year=year)
    if authority is not None:
        qs = qs.filter(authority=authority)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "authority__path", "number", "id")


def get_round(user, pk, action: str = "view") -> Round:
    return _get(Round.objects.for_user(user, action).select_related("authority", "annual_plan", "joint_round"), pk)


def _inspection_prefetch():
    return Prefetch("target_links", queryset=InspectionTarget.objects.select_related("unit", "unit__region").order_by(
        "unit__name"))


def round_inspections(user, rnd: Round):
    return Inspection.objects.for_user(user, "view").filter(round=rnd).select_related("group").prefetch_related(
        _inspection_prefetch()).order_by("group__number", "id")


def get_group(user, pk, action: str = "view") -> InspectionGroup:
    return _get(InspectionGroup.objects.for_user(user, action).select_related("round"), pk)


def round_start_check(rnd: Round) -> list[str]:
    """Why the round cannot start yet (empty: it can). Precondition: the caller may view the round."""
    inspections = list(Inspection.objects.filter(round=rnd).select_related("group").annotate(
        target_count=Count("target_links")))
    return workflow.round_start_reasons(rnd, list(round_groups(rnd)), inspections)


def round_groups(rnd: Round):
    """Precondition: the caller may view the round."""
    return InspectionGroup.objects.filter(round=rnd).order_by("number", "id")


def inspections_for_user(user, *, stage: str = "", year=None, q: str = ""):
    qs = Inspection.objects.for_user(user, "view").select_related(
        "round", "group", "authority").prefetch_related(_inspection_prefetch())
    if stage:
        qs = qs.filter(stage=stage)
    if year:
        qs = qs.filter(round__year=year)
    if q:
        qs = qs.filter(Q(target_links__unit__name__icontains=q) | Q(group__name__icontains=q)).distinct()
    return qs.order_by("-round__year", "authority__path", "round__number", "group__number", "id")


def get_inspection(user, pk, action: str = "view") -> Inspection:
    return _get(Inspection.objects.for_user(user, action).select_related(
        "round", "round__authority", "round__joint_round", "group", "authority"), pk)


def inspection_targets(inspection: Inspection) -> list[Unit]:
    """Precondition: the caller may view the inspection."""
    return [link.unit for link in inspection.target_links.select_related("unit", "unit__region").order_by(
        "unit__name")]


def transition_log(user, inspection: Inspection):
    return StageTransition.objects.for_user(user, "view").filter(inspection=inspection).order_by("id")


@dataclass
class StepOption:
    step: workflow.StageStep
    reasons: list[str]

    @property
    def allowed(self) -> bool:
        return not self.reasons


def inspection_steps(user, inspection: Inspection) -> list[StepOption]:
    """The steps from the current stage that this user may take on this inspection (permission and
    scope); each with the reasons it is blocked now, if any."""
    options = []
    for step in workflow.steps_from(inspection.stage):
        if not has_perm(user, step.permission):
            continue
        if not Inspection.objects.for_user(user, step.action).filter(pk=inspection.pk).exists():
            continue
        reasons = [r for r in workflow.blocking_reasons(inspection, step, opinion="—") if "须填写意见" not in r]
        options.append(StepOption(step, reasons))
    return options


def target_unit_choices(user, rnd: Round):
    """Units an inspection of this round may target, among those the user may view."""
    authority = rnd.authority
    units = Unit.objects.for_user(user, "view").select_related("region")
    if rnd.kind in (RoundKind.CROSS, RoundKind.JOINT):
        return units.filter(region__path__startswith=authority.path).order_by("region__path", "name")
    elevated = PlanTarget.objects.filter(plan__authority=authority, plan__is_deleted=False,
                                         is_elevated=True).values("unit_id")
    return units.filter(Q(region_id=authority.pk) | Q(pk__in=elevated)).order_by("region__path", "name")


def elevation_choices(user, plan: FiveYearPlan):
    """County units below the plan's authority the user may view and the plan does not list."""
    return Unit.objects.for_user(user, "view").filter(region__path__startswith=plan.authority.path).exclude(
        region_id=plan.authority_id).exclude(pk__in=plan.targets.values("unit_id")).select_related(
        "region").order_by("region__path", "name")


def addable_units(user, plan: FiveYearPlan):
    return Unit.objects.for_user(user, "view").filter(region_id=plan.authority_id).exclude(
        pk__in=plan.targets.values("unit_id")).order_by("name")


# --- Horizontal checks -------------------------------------------------------------------------------


def can_view_checks(user) -> bool:
    return has_perm(user, "planning:horizontalcheck:view")


def checks_of(user, inspection: Inspection):
    return HorizontalCheck.objects.for_user(user, "view").filter(inspection=inspection).select_related(
        "unit", "result_file").order_by("planned_start", "id")


def get_check(user, pk, action: str = "view") -> HorizontalCheck:
    return _get(HorizontalCheck.objects.for_user(user, action).select_related(
        "inspection", "inspection__round", "inspection__group", "unit", "result_file"), pk)


# --- Joint rounds ------------------------------------------------------------------------------------


def jointrounds_for_user(user):
    return JointRound.objects.for_user(user, "view").select_related("authority").annotate(
        round_count=Count("rounds", filter=Q(rounds__is_deleted=False), distinct=True)).order_by("-year", "-id")


def get_jointround(user, pk, action: str = "view") -> JointRound:
    return _get(JointRound.objects.for_user(user, action).select_related("authority", "reviewed_by"), pk)


def joint_rounds(user, joint: JointRound):
    """The linked rounds the user may view, with their inspections."""
    return Round.objects.for_user(user, "view").filter(joint_round=joint).select_related("authority").prefetch_related(
        Prefetch("inspections", queryset=Inspection.objects.filter(is_deleted=False).select_related("group").order_by(
            "group__number"))).order_by("authority__path", "number")


def joint_candidates(user, joint: JointRound):
    return Round.objects.for_user(user, "change").filter(
        kind=RoundKind.JOINT, year=joint.year, joint_round__isnull=True,
        authority__path__startswith=joint.authority.path).select_related("authority").order_by("authority__path",
                                                                                               "number")


# --- Alignment ----------------------------------------------------------------------------------------


def alignment_counties(user):
    """Counties the user may compare, those with a visible five-year plan first."""
    from django.db.models import Exists, OuterRef

    has_plan = Exists(FiveYearPlan.objects.for_user(user, "view").filter(authority=OuterRef("pk")))
    return Region.objects.for_user_perm(user, "planning:plan:view").filter(level="county").annotate(
        has_plan=has_plan).order_by("-has_plan", "path")


def _kind_of(dimension: str):
    code = org_choices.DICT_UNIT_SYSTEM if dimension == "system" else org_choices.DICT_UNIT_CATEGORY
    labels = dictionaries.labels(code)
    return lambda value: labels.get(value, value) or "未分类"


def _side(user, region: Region, years: list[int], dimension: str) -> tuple[alignment.PlanSide, FiveYearPlan | None]:
    kind = _kind_of(dimension)
    field = "unit__system" if dimension == "system" else "unit__category"
    side = alignment.PlanSide(name=authority_name(region))
    plan = FiveYearPlan.objects.for_user(user, "view").filter(
        authority=region, start_year__lte=years[0], start_year__gt=years[0] - 10).order_by("-start_year").first()
    if plan is not None:
        for row in PlanTarget.objects.filter(plan=plan, is_elevated=False, planned_year__in=years).values(
                "planned_year", field):
            side.planned_kinds.setdefault(row["planned_year"], set()).add(kind(row[field]))
    rounds = Round.objects.for_user(user, "view").filter(authority=region, year__in=years)
    kinds_by_round: dict[int, set[str]] = defaultdict(set)
    for row in InspectionTarget.objects.filter(inspection__round__in=rounds, inspection__is_deleted=False).values(
            "inspection__round_id", field):
        kinds_by_round[row["inspection__round_id"]].add(kind(row[field]))
    for rnd in rounds.order_by("year", "number"):
        side.rounds.setdefault(rnd.year, []).append((rnd.number, rnd.get_kind_display(), kinds_by_round[rnd.pk]))
    return side, plan


def alignment_check(user, county: Region, *, dimension: str = "system", years: list[int] | None = None):
    """The county's plans against the city's above it, over the county plan's term (or `years`).

    Precondition: `county` comes from `alignment_counties(user)`.
    """
    city = Region.objects.filter(pk=county.parent_id).first()
    if city is None:
        return None
    plan = FiveYearPlan.objects.for_user(user, "view").filter(authority=county).order_by("-start_year").first()
    if plan is None:  # compare over the city's term then: every planned year shows as a difference
        plan = FiveYearPlan.objects.for_user(user, "view").filter(authority=city).order_by("-start_year").first()
    if years is None:
        years = plan.year_list if plan is not None else [timezone.localdate().year]
    county_side, county_plan = _side(user, county, years, dimension)
    city_side, city_plan = _side(user, city, years, dimension)
    return {"city": city, "county": county, "years": years, "county_plan": county_plan, "city_plan": city_plan,
            "differences": alignment.compare(city_side, county_side, years),
            "city_side": city_side, "county_side": county_side}
