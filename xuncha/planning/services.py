"""Every write of planning: keyword-only, one transaction each, the change log inside it, and the
actor's scope checked inside the transaction (`core.services`). Errors are Chinese and name the
field (a ValidationError with a dict) where a form can show them.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from xuncha.core import changelog
from xuncha.core.models import ChangeLog, Job
from xuncha.core.scoping import has_perm, permission_for
from xuncha.core.services import (
    ScopeViolation,
    require_perm,
    scoped_create,
    scoped_soft_delete,
    scoped_update,
)
from xuncha.org.models import Region, Unit

from . import workflow
from .choices import (
    STAGE_ORDER,
    CheckStatus,
    ProposalStatus,
    RoundKind,
    RoundStatus,
    Stage,
    chinese_number,
)
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
)

PLAN_FIELDS = ("authority", "title", "term", "start_year", "years", "stale_years", "remarks")
ANNUAL_FIELDS = ("authority", "year", "five_year_plan", "title", "summary")
ROUND_FIELDS = ("number", "kind", "title", "start_date", "end_date", "training_date", "focus", "remarks")
INSPECTION_DATE_FIELDS = tuple(workflow.STAGE_DATE_FIELDS)
JOINT_FIELDS = ("authority", "year", "title", "system", "plan_text", "training_date", "mobilisation_date")
CHECK_FIELDS = ("kind", "department", "unit", "subject", "planned_start", "planned_end")
WEIGHT_FIELDS = ("w_attention", "w_power", "w_fund", "w_petition", "w_problem", "w_years", "fund_ref",
                 "petition_ref", "problem_ref", "years_ref")
RISK_FIELDS = ("unit", "year", "petition_count", "problem_count", "remarks")


def _assign(instance, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


def _reachable(actor, instance, action: str) -> None:
    """The actor may act with `action` on this row (raises ScopeViolation: a 404 to the views)."""
    model = type(instance)
    manager = getattr(model, "all_objects", model.objects)
    if not manager.for_user(actor, action).filter(pk=instance.pk).exists():
        raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")


def _locked(instance):
    model = type(instance)
    return model.objects.select_for_update().get(pk=instance.pk)


def _update_logged(instance, actor, apply) -> None:
    """Apply a change to a locked row the caller has checked, and log before/after."""
    before = changelog.snapshot(instance)
    apply(instance)
    instance.save()
    changelog.record(instance, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(instance),
                     user=actor)


def _check_authority(region: Region | None) -> None:
    if region is not None and region.level not in ("city", "county"):
        raise ValidationError({"authority": "巡察主体须为市或县（市、区）。"})


# --- Five-year plans ------------------------------------------------------------------------------


def _plan_rules(data: dict, instance: FiveYearPlan | None = None) -> None:
    _check_authority(data.get("authority"))
    years = data.get("years") or 5
    if not 1 <= years <= 10:
        raise ValidationError({"years": "规划年数应在 1 到 10 年之间（一届通常为 5 年）。"})
    start = data.get("start_year")
    if start is not None and not 2000 <= start <= 2100:
        raise ValidationError({"start_year": "起始年度应为 2000 至 2100 年之间的四位年份。"})
    if data.get("authority") is not None and start is not None:
        clash = FiveYearPlan.objects.filter(authority=data["authority"], start_year=start)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise ValidationError({"start_year": f"{data['authority'].name}已有 {start} 年起的五年规划。"})
    if instance is not None and instance.pk:
        if data.get("authority") is not None and data["authority"].pk != instance.authority_id \
                and instance.targets.exists():
            raise ValidationError({"authority": "规划中已有巡察对象，不能更改巡察主体。"})


def plan_create(*, actor, data: dict) -> FiveYearPlan:
    _plan_rules(data)
    plan = FiveYearPlan()
    _assign(plan, data, PLAN_FIELDS)
    return scoped_create(actor=actor, instance=plan)


def plan_update(*, actor, instance: FiveYearPlan, data: dict) -> FiveYearPlan:
    _plan_rules(data, instance)
    return scoped_update(actor=actor, instance=instance, changes=lambda p: _assign(p, data, PLAN_FIELDS))


def _plan_guard(plan: FiveYearPlan) -> None:
    linked = AnnualPlan.objects.filter(five_year_plan=plan).count()
    if linked:
        raise ValidationError(f"该规划已关联 {linked} 个年度计划，不能删除。")


def plan_delete(*, actor, instance: FiveYearPlan) -> FiveYearPlan:
    return scoped_soft_delete(actor=actor, instance=instance, guard=_plan_guard)


def _plan_for_change(actor, plan: FiveYearPlan) -> FiveYearPlan:
    require_perm(actor, "planning:plan:change")
    locked = _locked(plan)
    _reachable(actor, locked, "change")
    return locked


def _year_in_plan(plan: FiveYearPlan, year: int | None, field: str = "planned_year") -> None:
    if year is not None and not plan.start_year <= year <= plan.end_year:
        raise ValidationError({field: f"计划年度应在规划期 {plan.period_label}内。"})


def plan_target_add(*, actor, plan: FiveYearPlan, units, planned_year: int | None = None) -> list[PlanTarget]:
    """Add units of the plan's own authority to the plan (a county unit goes to the city's plan only
    through `plan_elevate`)."""
    with transaction.atomic():
        plan = _plan_for_change(actor, plan)
        _year_in_plan(plan, planned_year)
        existing = set(plan.targets.values_list("unit_id", flat=True))
        created = []
        for unit in units:
            if unit.region_id != plan.authority_id:
                raise ValidationError({"units": f"「{unit.name}」不属于{plan.authority.name}，不能列入该规划；"
                                                "县管单位纳入市委规划请使用“提级巡察”。"})
            if unit.pk in existing:
                raise ValidationError({"units": f"「{unit.name}」已在规划中。"})
            target = PlanTarget.objects.create(plan=plan, unit=unit, planned_year=planned_year, created_by=actor)
            changelog.record(target, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(target),
                             user=actor)
            created.append(target)
    return created


def plan_populate(*, actor, plan: FiveYearPlan) -> int:
    """Add every live unit of the authority that the plan does not list yet (全覆盖 starts here)."""
    with transaction.atomic():
        plan = _plan_for_change(actor, plan)
        missing = Unit.objects.filter(region_id=plan.authority_id).exclude(
            pk__in=plan.targets.values("unit_id")).order_by("pk")
        rows = [PlanTarget(plan=plan, unit=unit, created_by=actor) for unit in missing]
        PlanTarget.objects.bulk_create(rows, batch_size=1000)
        if rows:
            changelog.record(plan, ChangeLog.Action.UPDATE, before={"targets_added": 0},
                             after={"targets_added": len(rows)}, user=actor)
    return len(rows)


def plan_target_update(*, actor, target: PlanTarget, data: dict) -> PlanTarget:
    with transaction.atomic():
        _plan_for_change(actor, target.plan)
        locked = _locked(target)
        _year_in_plan(locked.plan, data.get("planned_year"))
        if data.get("planned_round") is not None and data.get("planned_year") is None:
            raise ValidationError({"planned_round": "填写计划轮次前须先填写计划年度。"})
        _update_logged(locked, actor, lambda t: _assign(
            t, data, ("planned_year", "planned_round", "is_fixed", "last_inspected_year", "remarks")))
    return locked


def plan_target_remove(*, actor, target: PlanTarget) -> None:
    with transaction.atomic():
        _plan_for_change(actor, target.plan)
        before = changelog.snapshot(target)
        changelog.record(target, ChangeLog.Action.DELETE, before=before, after=None, user=actor)
        PlanTarget.objects.filter(pk=target.pk).delete()


def plan_elevate(*, actor, plan: FiveYearPlan, unit: Unit, planned_year: int | None = None,
                 remarks: str = "") -> PlanTarget:
    """提级巡察: lift a unit normally inspected by a county below the plan's authority into this plan."""
    with transaction.atomic():
        plan = _plan_for_change(actor, plan)
        _year_in_plan(plan, planned_year)
        authority = plan.authority
        if unit.region_id == authority.pk or not unit.region.path.startswith(authority.path):
            raise ValidationError({"unit": f"「{unit.name}」不是{authority.name}下辖县（市、区）的单位，不能提级。"})
        if not Unit.objects.for_user(actor, "view").filter(pk=unit.pk).exists():
            raise ValidationError({"unit": f"「{unit.name}」不在您的授权范围内。"})
        if plan.targets.filter(unit=unit).exists():
            raise ValidationError({"unit": f"「{unit.name}」已在规划中。"})
        target = PlanTarget.objects.create(plan=plan, unit=unit, planned_year=planned_year, is_elevated=True,
                                           remarks=remarks or "提级巡察", created_by=actor)
        changelog.record(target, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(target), user=actor)
    return target


# --- Proposals ------------------------------------------------------------------------------------


def proposal_start(*, actor, plan: FiveYearPlan, params: dict) -> PlanProposal:
    """Record the parameters and run the proposer as a background job (eager by default)."""
    require_perm(actor, "planning:plan:propose")
    if not FiveYearPlan.objects.for_user(actor, "propose").filter(pk=plan.pk).exists():
        raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
    from .tasks import run_proposal

    with transaction.atomic():
        job = Job.objects.create(kind="planning_proposal", title=f"生成排期建议：{plan}", user=actor,
                                 params={"plan": plan.pk, **params})
        proposal = PlanProposal.objects.create(plan=plan, authority_id=plan.authority_id, params=params, job=job,
                                               created_by=actor)
        changelog.record(proposal, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(proposal),
                         user=actor)
        transaction.on_commit(lambda: run_proposal.delay(proposal.pk))
    return proposal


def proposal_run(*, proposal_id: int) -> PlanProposal | None:
    """The job: read the plan, solve, store the result (or the reasons none exists)."""
    from . import proposer, selectors

    proposal = PlanProposal.objects.select_related("plan", "job").filter(pk=proposal_id).first()
    if proposal is None or proposal.status != ProposalStatus.RUNNING:
        return proposal
    Job.objects.filter(pk=proposal.job_id).update(status=Job.Status.RUNNING)
    plan = proposal.plan
    p = proposal.params
    units = selectors.proposer_units(plan, rounds_per_year=p["rounds_per_year"])
    params = proposer.Params(start_year=plan.start_year, years=plan.years, rounds_per_year=p["rounds_per_year"],
                             groups_per_round=p["groups_per_round"], capacity=p["capacity"],
                             time_limit=p.get("time_limit", 5.0), keep_systems=p.get("keep_systems", True),
                             first_year=p.get("first_year"))
    result = proposer.propose(units, params)
    status = ProposalStatus.READY if result.ok else ProposalStatus.INFEASIBLE
    data = {"status": result.status, "objective": result.objective, "stats": result.stats,
            "seconds": round(result.solve_seconds, 2),
            "assignments": [[a.unit_id, a.year, a.round, a.group, a.fixed] for a in result.assignments]}
    PlanProposal.objects.filter(pk=proposal.pk).update(status=status, result=data, reasons=result.reasons,
                                                       updated_at=timezone.now())
    message = (f"已生成排期建议：{len(result.assignments)} 个单位，用时 {result.solve_seconds:.1f} 秒。" if result.ok
               else "无可行方案：" + "；".join(result.reasons))
    Job.objects.filter(pk=proposal.job_id).update(
        status=Job.Status.SUCCEEDED if result.ok else Job.Status.FAILED, progress=len(units), total=len(units),
        message=message, finished_at=timezone.now(), result={"proposal": proposal.pk})
    proposal.refresh_from_db()
    return proposal


def proposal_fail(*, proposal_id: int, message: str) -> None:
    PlanProposal.objects.filter(pk=proposal_id, status=ProposalStatus.RUNNING).update(
        status=ProposalStatus.FAILED, reasons=[message])


def _proposal_for_decision(actor, proposal: PlanProposal) -> PlanProposal:
    require_perm(actor, "planning:plan:propose")
    locked = _locked(proposal)
    if not FiveYearPlan.objects.for_user(actor, "propose").filter(pk=locked.plan_id).exists():
        raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
    if locked.status != ProposalStatus.READY:
        raise ValidationError(f"该排期建议当前为「{locked.get_status_display()}」，不能再采纳或放弃。")
    return locked


def proposal_accept(*, actor, proposal: PlanProposal,
                    overrides: dict[int, tuple[int | None, int | None, bool]] | None = None) -> int:
    """Write the proposed (or edited) year and round of every unit that is not fixed into the plan.

    `overrides`: {unit id: (year, round, fixed)} from the edited table. Returns the number of targets
    changed.
    """
    overrides = overrides or {}
    with transaction.atomic():
        proposal = _proposal_for_decision(actor, proposal)
        plan = FiveYearPlan.objects.select_for_update().get(pk=proposal.plan_id)
        rounds = proposal.params.get("rounds_per_year")
        proposed = {row[0]: (row[1], row[2], False) for row in proposal.result.get("assignments", [])}
        proposed.update(overrides)
        targets = {t.unit_id: t for t in plan.targets.filter(is_elevated=False).select_related("unit")}
        changed = 0
        for unit_id, (year, rnd, fixed) in sorted(proposed.items()):
            target = targets.get(unit_id)
            if target is None:
                continue
            if year is not None and not plan.start_year <= year <= plan.end_year:
                raise ValidationError(f"「{target.unit.name}」的年度 {year} 不在规划期 {plan.period_label}内。")
            if rnd is not None and rounds and not 1 <= rnd <= rounds:
                raise ValidationError(f"「{target.unit.name}」的轮次 {rnd} 超出每年 {rounds} 轮。")
            if target.is_fixed and unit_id not in overrides:
                continue  # the office's own choice stays
            if (target.planned_year, target.planned_round, target.is_fixed) == (year, rnd, target.is_fixed or fixed):
                continue
            before = changelog.snapshot(target)
            target.planned_year, target.planned_round = year, rnd
            target.is_fixed = target.is_fixed or fixed
            target.save(update_fields=["planned_year", "planned_round", "is_fixed", "updated_at"])
            changelog.record(target, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(target),
                             user=actor)
            changed += 1
        before = changelog.snapshot(proposal)
        proposal.status, proposal.decided_at, proposal.decided_by = ProposalStatus.ACCEPTED, timezone.now(), actor
        proposal.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        changelog.record(proposal, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(proposal),
                         user=actor)
    return changed


def proposal_reject(*, actor, proposal: PlanProposal) -> PlanProposal:
    with transaction.atomic():
        proposal = _proposal_for_decision(actor, proposal)
        before = changelog.snapshot(proposal)
        proposal.status, proposal.decided_at, proposal.decided_by = ProposalStatus.REJECTED, timezone.now(), actor
        proposal.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        changelog.record(proposal, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(proposal),
                         user=actor)
    return proposal


# --- Annual plans ---------------------------------------------------------------------------------


def _annual_rules(data: dict, instance: AnnualPlan | None = None) -> None:
    _check_authority(data.get("authority"))
    year, authority, plan = data.get("year"), data.get("authority"), data.get("five_year_plan")
    if year is not None and not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度应为 2000 至 2100 年之间的四位年份。"})
    if plan is not None and authority is not None and plan.authority_id != authority.pk:
        raise ValidationError({"five_year_plan": f"所选五年规划属于{plan.authority.name}，与巡察主体不一致。"})
    if plan is not None and year is not None and not plan.start_year <= year <= plan.end_year:
        raise ValidationError({"five_year_plan": f"{year} 年不在所选五年规划的规划期（{plan.period_label}）内。"})
    if authority is not None and year is not None:
        clash = AnnualPlan.objects.filter(authority=authority, year=year)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise ValidationError({"year": f"{authority.name}已有 {year} 年度巡察计划。"})
    if instance is not None and instance.pk and instance.rounds.exists():
        if (authority is not None and authority.pk != instance.authority_id) or (year is not None and year != instance.year):
            raise ValidationError({"year": "计划中已有轮次，不能更改巡察主体或年度。"})


def annualplan_create(*, actor, data: dict) -> AnnualPlan:
    _annual_rules(data)
    plan = AnnualPlan()
    _assign(plan, data, ANNUAL_FIELDS)
    return scoped_create(actor=actor, instance=plan)


def annualplan_update(*, actor, instance: AnnualPlan, data: dict) -> AnnualPlan:
    _annual_rules(data, instance)
    return scoped_update(actor=actor, instance=instance, changes=lambda p: _assign(p, data, ANNUAL_FIELDS))


def _annual_guard(plan: AnnualPlan) -> None:
    count = plan.rounds.filter(is_deleted=False).count()
    if count:
        raise ValidationError(f"该年度计划下还有 {count} 个轮次，不能删除。")


def annualplan_delete(*, actor, instance: AnnualPlan) -> AnnualPlan:
    return scoped_soft_delete(actor=actor, instance=instance, guard=_annual_guard)


# --- Rounds and groups ----------------------------------------------------------------------------


def _round_rules(data: dict, annual_plan: AnnualPlan, instance: Round | None = None) -> None:
    errors = workflow.round_date_errors(year=annual_plan.year, start=data.get("start_date"),
                                        end=data.get("end_date"), training=data.get("training_date"))
    number = data.get("number")
    if number is not None:
        if number < 1:
            errors["number"] = "轮次序号应为正整数。"
        clash = Round.objects.filter(annual_plan=annual_plan, number=number)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["number"] = f"本年度计划已有第{chinese_number(number)}轮。"
    if instance is not None and instance.pk and not errors:
        outside = [i for i in instance.inspections.filter(is_deleted=False, stationed_date__isnull=False)
                   if not data["start_date"] <= i.stationed_date <= data["end_date"]]
        if outside:
            errors["start_date"] = (f"已有 {len(outside)} 项巡察任务的进驻日期不在新的进驻期间内，"
                                    "请先调整这些巡察任务的日期。")
        if instance.status == RoundStatus.FINISHED:
            errors.setdefault("kind", "本轮已结束，不能再修改。")
        if instance.joint_round_id and data.get("kind") != RoundKind.JOINT:
            errors["kind"] = "本轮已纳入上下联动巡察，类型须为“上下联动”；如需更改，请先解除联动。"
    if errors:
        raise ValidationError(errors)


def round_create(*, actor, annual_plan: AnnualPlan, data: dict) -> Round:
    _round_rules(data, annual_plan)
    rnd = Round(annual_plan=annual_plan, authority_id=annual_plan.authority_id, year=annual_plan.year)
    _assign(rnd, data, ROUND_FIELDS)
    return scoped_create(actor=actor, instance=rnd)


def round_update(*, actor, instance: Round, data: dict) -> Round:
    _round_rules(data, instance.annual_plan, instance)

    def change(rnd: Round) -> None:
        _assign(rnd, data, ROUND_FIELDS)

    with transaction.atomic():
        updated = scoped_update(actor=actor, instance=instance, changes=change)
        _refresh_group_names(updated)
    return updated


def _refresh_group_names(rnd: Round) -> None:
    for group in InspectionGroup.objects.filter(round=rnd):
        name = _group_full_name(rnd, group.name)
        if group.full_name != name:
            InspectionGroup.all_objects.filter(pk=group.pk).update(full_name=name)


def _round_guard(rnd: Round) -> None:
    if rnd.status != RoundStatus.DRAFT:
        raise ValidationError("本轮已启动，不能删除。")
    count = rnd.inspections.filter(is_deleted=False).count()
    if count:
        raise ValidationError(f"本轮还有 {count} 项巡察任务，请先删除巡察任务。")


def round_delete(*, actor, instance: Round) -> Round:
    with transaction.atomic():
        deleted = scoped_soft_delete(actor=actor, instance=instance, guard=_round_guard)
        InspectionGroup.objects.filter(round=instance).update(is_deleted=True, deleted_at=timezone.now())
    return deleted


def _round_for(actor, rnd: Round, action: str) -> Round:
    require_perm(actor, permission_for(Round, action))
    locked = _locked(rnd)
    _reachable(actor, locked, action)
    return locked


def round_start(*, actor, round: Round) -> Round:  # noqa: A002 - the domain's word
    """筹备中 → 进行中: only with groups, targets for every group and a 进驻 date for every inspection."""
    with transaction.atomic():
        rnd = _round_for(actor, round, "transition")
        groups = list(rnd.groups.filter(is_deleted=False).order_by("number"))
        inspections = list(rnd.inspections.filter(is_deleted=False).select_related("group").annotate(
            target_count=Count("target_links")))
        reasons = workflow.round_start_reasons(rnd, groups, inspections)
        if reasons:
            raise ValidationError(reasons)
        _update_logged(rnd, actor, lambda r: r.start())
    return rnd


def round_finish(*, actor, round: Round) -> Round:  # noqa: A002
    with transaction.atomic():
        rnd = _round_for(actor, round, "transition")
        inspections = list(rnd.inspections.filter(is_deleted=False).select_related("group"))
        reasons = workflow.round_finish_reasons(rnd, inspections)
        if reasons:
            raise ValidationError(reasons)
        _update_logged(rnd, actor, lambda r: r.finish())
    return rnd


def _group_full_name(rnd: Round, name: str) -> str:
    return f"{rnd.authority.name}{rnd}·{name}"[:150]


def group_create(*, actor, round: Round, name: str = "", remarks: str = "") -> InspectionGroup:  # noqa: A002
    """Add the next group (第N巡察组) to a round."""
    with transaction.atomic():
        rnd = _round_for(actor, round, "change")
        if rnd.status == RoundStatus.FINISHED:
            raise ValidationError("本轮已结束，不能再增加巡察组。")
        number = (InspectionGroup.all_objects.filter(round=rnd).order_by("-number").values_list(
            "number", flat=True).first() or 0) + 1
        name = (name or "").strip() or f"第{chinese_number(number)}巡察组"
        if InspectionGroup.objects.filter(round=rnd, name=name).exists():
            raise ValidationError({"name": f"本轮已有「{name}」。"})
        group = InspectionGroup.objects.create(round=rnd, authority_id=rnd.authority_id, number=number, name=name,
                                               full_name=_group_full_name(rnd, name), remarks=remarks,
                                               created_by=actor)
        changelog.record(group, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(group), user=actor)
    return group


def group_delete(*, actor, group: InspectionGroup) -> None:
    with transaction.atomic():
        _round_for(actor, group.round, "change")
        locked = _locked(group)
        if locked.inspections.filter(is_deleted=False).exists():
            raise ValidationError(f"「{locked.name}」还有巡察任务，不能删除。")
        before = changelog.snapshot(locked)
        locked.is_deleted, locked.deleted_at = True, timezone.now()
        locked.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
        changelog.record(locked, ChangeLog.Action.DELETE, before=before, after=changelog.snapshot(locked), user=actor)


# --- Inspections ----------------------------------------------------------------------------------


# Round kinds in which a city round may inspect any unit of its counties (the others: elevated units only).
CROSS_KINDS = {RoundKind.CROSS, RoundKind.JOINT}


def _target_errors(rnd: Round, units, inspection: Inspection | None) -> list[str]:
    """Which units this round may not take as targets, and why."""
    errors = []
    authority = rnd.authority
    elevated = set(PlanTarget.objects.filter(plan__authority=authority, plan__is_deleted=False, is_elevated=True,
                                             plan__start_year__lte=rnd.year).values_list("unit_id", flat=True))
    taken = InspectionTarget.objects.filter(
        inspection__round=rnd, inspection__is_deleted=False, unit__in=[u.pk for u in units]).select_related(
        "inspection__group")
    if inspection is not None:
        taken = taken.exclude(inspection=inspection)
    taken_by = {t.unit_id: t.inspection.group.name for t in taken}
    for unit in units:
        if not unit.region.path.startswith(authority.path):
            errors.append(f"「{unit.name}」不在{authority.name}的巡察范围内。")
            continue
        if unit.region_id != authority.pk and unit.pk not in elevated and rnd.kind not in CROSS_KINDS:
            errors.append(f"「{unit.name}」是{unit.region.name}管理的单位：须先提级纳入{authority.name}的五年规划"
                          "（提级巡察），或在交叉巡察、上下联动轮次中巡察。")
        if unit.pk in taken_by:
            errors.append(f"「{unit.name}」已是本轮「{taken_by[unit.pk]}」的巡察对象。")
    return errors


def _inspection_rules(rnd: Round, data: dict, inspection: Inspection | None = None) -> None:
    errors: dict[str, list[str] | str] = {}
    if rnd.status == RoundStatus.FINISHED:
        raise ValidationError("本轮已结束，不能再调整巡察任务。")
    group = data.get("group")
    if group is not None and (group.round_id != rnd.pk or group.is_deleted):
        errors["group"] = "所选巡察组不属于本轮。"
    units = list(data.get("targets") or [])
    if "targets" in data:
        if not units:
            errors["targets"] = "请至少选择一个巡察对象。"
        elif inspection is not None and inspection.stage != Stage.PREPARE:
            current = set(inspection.target_links.values_list("unit_id", flat=True))
            if current != {u.pk for u in units}:
                errors["targets"] = "巡察任务已进驻，不能再更改巡察对象。"
        if "targets" not in errors:
            problems = _target_errors(rnd, units, inspection)
            if problems:
                errors["targets"] = problems
    dates = {name: data.get(name) for name in INSPECTION_DATE_FIELDS}
    joint = rnd.joint_round if rnd.joint_round_id else None
    errors.update(workflow.stage_date_errors(dates, rnd, joint))
    if errors:
        raise ValidationError(errors)


def inspection_create(*, actor, round: Round, data: dict) -> Inspection:  # noqa: A002
    _inspection_rules(round, data)
    inspection = Inspection(round=round, authority_id=round.authority_id, group=data["group"],
                            remarks=data.get("remarks", ""))
    _assign(inspection, data, INSPECTION_DATE_FIELDS)
    return scoped_create(actor=actor, instance=inspection, m2m={"targets": [u.pk for u in data["targets"]]})


def inspection_update(*, actor, instance: Inspection, data: dict) -> Inspection:
    _inspection_rules(instance.round, data, instance)

    def change(inspection: Inspection) -> None:
        _assign(inspection, data, ("group", "remarks", *INSPECTION_DATE_FIELDS))
        if "targets" in data:
            inspection.targets.set([u.pk for u in data["targets"]])

    return scoped_update(actor=actor, instance=instance, changes=change)


def _inspection_guard(inspection: Inspection) -> None:
    if inspection.stage != Stage.PREPARE:
        raise ValidationError("巡察任务已进驻，不能删除。")


def inspection_delete(*, actor, instance: Inspection) -> Inspection:
    return scoped_soft_delete(actor=actor, instance=instance, guard=_inspection_guard)


def inspection_advance(*, actor, inspection: Inspection, to_stage: str, opinion: str = "") -> StageTransition:
    """Move an inspection to its next stage (or back from 报告 to 了解), with the permission the step
    needs, its conditions explained in Chinese, and a row in the append-only transition log."""
    with transaction.atomic():
        locked = Inspection.objects.select_for_update(of=("self",)).select_related("round", "round__joint_round").get(
            pk=inspection.pk)
        step = workflow.step_between(locked.stage, to_stage)
        if step is None:
            # Reveal nothing about a record outside the actor's view.
            if not Inspection.objects.for_user(actor, "view").filter(pk=locked.pk).exists():
                raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
            raise ValidationError(workflow.refusal_for_unknown_step(locked.stage, to_stage))
        if not has_perm(actor, step.permission):
            raise PermissionDenied(f"您没有「{step.label}」的权限。")
        _reachable(actor, locked, step.action)
        reasons = workflow.blocking_reasons(locked, step, opinion=opinion)
        if reasons:
            raise ValidationError(reasons)
        before = changelog.snapshot(locked)
        from_stage = locked.stage
        getattr(locked, step.method)()
        locked.stage_changed_at = timezone.now()
        locked.save(update_fields=["stage", "stage_changed_at", "updated_at"])
        row = StageTransition.objects.create(inspection=locked, from_stage=from_stage, to_stage=locked.stage,
                                             opinion=opinion.strip(), user=actor, username=actor.username)
        changelog.record(locked, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(locked), user=actor)
    return row


# --- Joint rounds (上下联动) --------------------------------------------------------------------------


def _joint_rules(data: dict, instance: JointRound | None = None) -> None:
    authority = data.get("authority")
    if authority is not None and authority.level != "city":
        raise ValidationError({"authority": "上下联动由市委巡察机构牵头，巡察主体须为市。"})
    errors = {}
    training, mobilisation = data.get("training_date"), data.get("mobilisation_date")
    year = data.get("year")
    if training and mobilisation and training > mobilisation:
        errors["training_date"] = "「统一培训日期」应不晚于「统一动员部署日期」：先培训，后部署。"
    if year and mobilisation and mobilisation.year != year:
        errors["mobilisation_date"] = f"「统一动员部署日期」应在 {year} 年内。"
    if instance is not None and instance.pk and year and year != instance.year and instance.rounds.exists():
        errors["year"] = "已有轮次纳入联动，不能更改年度。"
    if errors:
        raise ValidationError(errors)


def jointround_create(*, actor, data: dict) -> JointRound:
    _joint_rules(data)
    joint = JointRound()
    _assign(joint, data, JOINT_FIELDS)
    return scoped_create(actor=actor, instance=joint)


def jointround_update(*, actor, instance: JointRound, data: dict) -> JointRound:
    _joint_rules(data, instance)
    with transaction.atomic():
        updated = scoped_update(actor=actor, instance=instance, changes=lambda j: _assign(j, data, JOINT_FIELDS))
        _apply_unified_dates(updated, actor)
    return updated


def _apply_unified_dates(joint: JointRound, actor) -> None:
    """One training session for every linked round (the unified mobilisation is checked on 进驻)."""
    for rnd in Round.objects.filter(joint_round=joint).exclude(training_date=joint.training_date):
        if rnd.start_date < joint.training_date:
            continue  # the round's own period says otherwise; the joint page lists it as a difference
        _update_logged(_locked(rnd), actor, lambda r: setattr(r, "training_date", joint.training_date))


def _joint_for(actor, joint: JointRound, action: str) -> JointRound:
    require_perm(actor, permission_for(JointRound, action))
    locked = _locked(joint)
    _reachable(actor, locked, action)
    return locked


def jointround_link(*, actor, joint: JointRound, round: Round) -> Round:  # noqa: A002
    """Put a round (the city's own, or a county's) into the joint round."""
    with transaction.atomic():
        joint = _joint_for(actor, joint, "change")
        rnd = _locked(round)
        require_perm(actor, "planning:round:change")
        _reachable(actor, rnd, "change")
        errors = []
        if rnd.kind != RoundKind.JOINT:
            errors.append(f"「{rnd.authority.name}{rnd}」的类型为“{rnd.get_kind_display()}”，只有“上下联动”类型的轮次才能纳入联动。")
        if rnd.year != joint.year:
            errors.append(f"「{rnd.authority.name}{rnd}」属于 {rnd.year} 年，与联动年度 {joint.year} 年不一致。")
        if not rnd.authority.path.startswith(joint.authority.path):
            errors.append(f"「{rnd.authority.name}」不在{joint.authority.name}的范围内。")
        if rnd.joint_round_id and rnd.joint_round_id != joint.pk:
            errors.append(f"「{rnd.authority.name}{rnd}」已纳入另一项上下联动巡察。")
        if Round.objects.filter(joint_round=joint, authority_id=rnd.authority_id).exclude(pk=rnd.pk).exists():
            errors.append(f"{rnd.authority.name}已有轮次纳入本次联动，每个巡察主体只纳入一个轮次。")
        if rnd.start_date < joint.mobilisation_date:
            errors.append(f"「{rnd.authority.name}{rnd}」的进驻开始日期早于统一动员部署日期，请先调整该轮次的日期。")
        if errors:
            raise ValidationError(errors)

        def link(r: Round) -> None:
            r.joint_round = joint
            r.training_date = joint.training_date

        _update_logged(rnd, actor, link)
    return rnd


def jointround_unlink(*, actor, joint: JointRound, round: Round) -> Round:  # noqa: A002
    with transaction.atomic():
        joint = _joint_for(actor, joint, "change")
        rnd = _locked(round)
        if rnd.joint_round_id != joint.pk:
            raise ValidationError("该轮次未纳入本次上下联动巡察。")
        if joint.is_reviewed:
            raise ValidationError("已统一把关，不能再解除联动。")
        _update_logged(rnd, actor, lambda r: setattr(r, "joint_round", None))
    return rnd


def jointround_review(*, actor, joint: JointRound, opinion: str) -> JointRound:
    """统一把关: the lead office reviews all reports of the joint round to one standard."""
    with transaction.atomic():
        joint = _joint_for(actor, joint, "review")
        if joint.is_reviewed:
            raise ValidationError("本次联动已统一把关。")
        if not opinion.strip():
            raise ValidationError({"opinion": "请填写统一把关意见。"})
        inspections = list(Inspection.objects.filter(round__joint_round=joint, round__is_deleted=False).select_related(
            "round__authority", "group").order_by("authority__path", "id"))
        if not inspections:
            raise ValidationError("本次联动尚无巡察任务，不能统一把关。")
        waiting = [i for i in inspections if i.stage_index < STAGE_ORDER.index(Stage.REPORT)]
        if waiting:
            names = "、".join(f"「{i.round.authority.name}·{i.group.name}」" for i in waiting[:6])
            raise ValidationError(f"尚有 {len(waiting)} 个巡察组未提交巡察报告（{names}），不能统一把关。")

        def review(j: JointRound) -> None:
            j.review_opinion, j.reviewed_at, j.reviewed_by = opinion.strip(), timezone.now(), actor

        _update_logged(joint, actor, review)
    return joint


# --- Horizontal checks --------------------------------------------------------------------------------


def _check_rules(inspection: Inspection, data: dict) -> None:
    errors = {}
    unit = data.get("unit")
    if unit is not None and not inspection.target_links.filter(unit=unit).exists():
        errors["unit"] = "被检查单位须是本巡察任务的巡察对象。"
    start, end = data.get("planned_start"), data.get("planned_end")
    if start and end and end < start:
        errors["planned_end"] = "「计划结束日期」不能早于「计划开始日期」。"
    rnd = inspection.round
    if start and end and "planned_end" not in errors and (start > rnd.end_date or end < rnd.start_date):
        errors["planned_start"] = (f"协同检查须与巡察同步开展：计划时间应与本轮进驻期间（{rnd.start_date:%Y-%m-%d} 至 "
                                   f"{rnd.end_date:%Y-%m-%d}）有交叉。")
    if errors:
        raise ValidationError(errors)


def check_create(*, actor, inspection: Inspection, data: dict) -> HorizontalCheck:
    if inspection.stage == Stage.ARCHIVED:
        raise ValidationError("巡察任务已归档，不能再安排协同检查。")
    _check_rules(inspection, data)
    check = HorizontalCheck(inspection=inspection, authority_id=inspection.authority_id)
    _assign(check, data, CHECK_FIELDS)
    return scoped_create(actor=actor, instance=check)


def check_update(*, actor, instance: HorizontalCheck, data: dict) -> HorizontalCheck:
    _check_rules(instance.inspection, data)
    return scoped_update(actor=actor, instance=instance, changes=lambda c: _assign(c, data, CHECK_FIELDS))


def check_record_result(*, actor, check: HorizontalCheck, summary: str, completed_on: datetime.date,
                        upload=None) -> HorizontalCheck:
    """Attach the department's result (summary, date, and the report file kept by its hash)."""
    from xuncha.core.files import store_upload

    errors = {}
    if not summary.strip():
        errors["result_summary"] = "请填写结果摘要。"
    if completed_on is None:
        errors["completed_on"] = "请填写完成日期。"
    elif completed_on < check.planned_start:
        errors["completed_on"] = "「完成日期」不能早于「计划开始日期」。"
    if errors:
        raise ValidationError(errors)
    stored = store_upload(upload, user=actor) if upload is not None else None

    def record(c: HorizontalCheck) -> None:
        c.result_summary, c.completed_on, c.status = summary.strip(), completed_on, CheckStatus.DONE
        if stored is not None:
            c.result_file = stored

    return scoped_update(actor=actor, instance=check, changes=record)


# --- Priority weights and risk inputs -------------------------------------------------------------------


def weights_save(*, actor, authority: Region, data: dict) -> PriorityWeights:
    """Save the office's weights (the row is created on the first save; "change" governs it)."""
    from xuncha.core.scoping import in_scope

    require_perm(actor, "planning:priority:change")
    if sum(int(data.get(name) or 0) for name in WEIGHT_FIELDS[:6]) <= 0:
        raise ValidationError({"w_attention": "各项权重之和须大于 0。"})
    for name in ("fund_ref", "petition_ref", "problem_ref", "years_ref"):
        if data.get(name) is not None and data[name] <= 0:
            raise ValidationError({name: "参照值须大于 0。"})
    with transaction.atomic():
        row = PriorityWeights.objects.select_for_update().filter(authority=authority).first()
        if row is None:
            if not in_scope(actor, "planning:priority:change", region=authority):
                raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
            row = PriorityWeights(authority=authority, created_by=actor)
            _assign(row, data, WEIGHT_FIELDS)
            row.save(force_insert=True)
            changelog.record(row, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(row), user=actor)
            return row
        _reachable(actor, row, "change")
        _update_logged(row, actor, lambda w: _assign(w, data, WEIGHT_FIELDS))
    return row


def _risk_rules(data: dict, instance: UnitRiskInput | None = None) -> None:
    unit, year = data.get("unit"), data.get("year")
    if year is not None and not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度应为 2000 至 2100 年之间的四位年份。"})
    if unit is not None and year is not None:
        clash = UnitRiskInput.objects.filter(unit=unit, year=year)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise ValidationError({"year": f"「{unit.name}」已有 {year} 年的风险信息，请修改原记录。"})


def riskinput_create(*, actor, data: dict) -> UnitRiskInput:
    _risk_rules(data)
    row = UnitRiskInput()
    _assign(row, data, RISK_FIELDS)
    row.region_id = row.unit.region_id
    return scoped_create(actor=actor, instance=row)


def riskinput_update(*, actor, instance: UnitRiskInput, data: dict) -> UnitRiskInput:
    _risk_rules(data, instance)

    def change(row: UnitRiskInput) -> None:
        _assign(row, data, RISK_FIELDS)
        row.region_id = row.unit.region_id

    return scoped_update(actor=actor, instance=instance, changes=change)


def riskinput_delete(*, actor, instance: UnitRiskInput) -> UnitRiskInput:
    return scoped_soft_delete(actor=actor, instance=instance)

