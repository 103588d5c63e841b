"""Every write of rectification: keyword-only, one transaction, change log inside it, scope re-check.

Gates (see models.RectificationTask): each step checks the permission, that the record is in the
actor's reach for that action (404 otherwise), its conditions (Chinese reasons), and appends a
`GateLog` row. E-mails go out only after commit.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from xuncha.core import changelog
from xuncha.core.files import store_upload
from xuncha.core.models import ChangeLog, StoredFile
from xuncha.core.scoping import has_perm, permission_for
from xuncha.core.services import (
    ScopeViolation,
    require_perm,
    scoped_create,
    scoped_soft_delete,
    scoped_update,
)

from . import choices as c
from .models import (
    GateLog,
    ProgressMeeting,
    ProgressReport,
    RectificationPlan,
    RectificationTask,
    Reminder,
    RevisitCheck,
    SupervisionGroup,
    SupervisionNotice,
    SupervisionRound,
)

__all__ = [
    "add_months", "urgency", "plan_create", "plan_update", "plan_submit", "plan_approve", "plan_return",
    "plan_report_submit", "plan_publish", "plan_unpublish", "task_create", "task_update", "task_delete",
    "task_report_progress", "task_apply", "task_accept", "task_send_back", "task_withhold", "task_evidence_count",
    "revisit_check", "supervisiongroup_create", "supervisiongroup_update", "supervisiongroup_delete", "run_month",
    "meeting_update", "notice_regenerate", "notice_review", "notice_publish", "reminders_create_due",
    "mail_configured",
]

TS, PS, A = c.TaskStatus, c.PlanStatus, c.TaskAction
TASK_FIELDS = ("kind", "content", "responsible", "deadline", "accountable_persons", "accountability_method",
               "accountability_detail", "rule_name")


# --- Dates and colours -----------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """2026-12-31 + 2 → 2027-02-28: the same day of the month, or the month's last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    import calendar

    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def urgency(deadline: datetime.date | None, *, done: bool, today: datetime.date | None = None) -> str:
    """正常 / 即将到期 (yellow, within DUE_SOON_DAYS) / 已逾期 (red) / 已完成."""
    if done:
        return c.Urgency.DONE
    if deadline is None:
        return c.Urgency.NORMAL
    today = today or timezone.localdate()
    if deadline < today:
        return c.Urgency.OVERDUE
    if (deadline - today).days <= c.DUE_SOON_DAYS:
        return c.Urgency.SOON
    return c.Urgency.NORMAL


# --- Helpers ----------------------------------------------------------------------------------------


def _locked(model, pk):
    return model.all_objects.select_for_update().get(pk=pk)


def _reach(actor, instance, action: str) -> None:
    """Permission first (403), then the row's scope for that action (404 as if it did not exist)."""
    model = type(instance)
    permission = permission_for(model, action)
    if not has_perm(actor, permission):
        raise PermissionDenied("您没有执行此操作的权限。")
    if not model.objects.for_user(actor, action).filter(pk=instance.pk).exists():
        raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")


def _log(*, plan, task=None, action: str, from_status: str = "", to_status: str = "", opinion: str = "",
         actor=None) -> GateLog:
    return GateLog.objects.create(plan=plan, task=task, action=action, from_status=from_status,
                                  to_status=to_status, opinion=(opinion or "").strip(), user=actor,
                                  username=getattr(actor, "username", "") or "系统")


def _record(instance, before, actor) -> None:
    changelog.record(instance, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(instance), user=actor)


def _required(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"请填写{label}。"})
    return value


def _store(upload, actor) -> StoredFile | None:
    if upload is None:
        return None
    if isinstance(upload, StoredFile):
        return upload
    return store_upload(upload, user=actor)


# --- Plan (gate 1) -----------------------------------------------------------------------------------


def confirmed_problems(plan_or_feedback):
    """The confirmed problems of the feedback's unit in its inspection (the 问题清单 to answer)."""
    from xuncha.findings.models import Problem

    return Problem.objects.confirmed().filter(inspection_id=plan_or_feedback.inspection_id,
                                              unit_id=plan_or_feedback.unit_id)


def plan_create(*, actor, feedback, summary: str = "") -> RectificationPlan:
    """Open the unit's plan for an issued feedback (the liaison, or the office on its behalf)."""
    if feedback.issued_at is None:
        raise ValidationError("反馈意见尚未印发，不能编制整改方案。")
    if RectificationPlan.objects.filter(inspection_id=feedback.inspection_id, unit_id=feedback.unit_id).exists():
        raise ValidationError("该单位已有整改方案，请在原方案上修改。")
    feedback_on = timezone.localdate(feedback.issued_at)
    due = getattr(feedback, "rectification_due", None) or add_months(feedback_on, c.REPORT_DUE_MONTHS)
    plan = RectificationPlan(inspection_id=feedback.inspection_id, authority_id=feedback.authority_id,
                             feedback=feedback, unit_id=feedback.unit_id, summary=(summary or "").strip(),
                             feedback_on=feedback_on, report_due=due)
    try:
        with transaction.atomic():
            return scoped_create(actor=actor, instance=plan)
    except IntegrityError as error:
        raise ValidationError("该单位已有整改方案，请在原方案上修改。") from error


def _editable(plan: RectificationPlan) -> None:
    if not plan.editable:
        raise ValidationError(f"整改方案{plan.get_status_display()}，不能修改；退回后方可修改。")


def plan_update(*, actor, plan: RectificationPlan, summary: str) -> RectificationPlan:
    _editable(plan)

    def change(p):
        _editable(p)
        p.summary = (summary or "").strip()

    return scoped_update(actor=actor, instance=plan, changes=change)


def plan_submit(*, actor, plan: RectificationPlan, opinion: str = "") -> RectificationPlan:
    """编制中/已退回 → 待审批: every confirmed problem of the feedback has at least one measure."""
    with transaction.atomic():
        locked = _locked(RectificationPlan, plan.pk)
        _reach(actor, locked, "submit")
        if locked.status not in (PS.DRAFT, PS.RETURNED):
            raise ValidationError(f"整改方案{locked.get_status_display()}，不能再次提交。")
        reasons = []
        if not locked.summary.strip():
            reasons.append("请先填写「整改工作总体安排」。")
        answered = set(RectificationTask.objects.filter(plan=locked).values_list("problem_id", flat=True))
        missing = [p for p in confirmed_problems(locked).only("id", "title") if p.pk not in answered]
        if missing:
            names = "、".join(f"「{p.title}」" for p in missing[:5]) + ("等" if len(missing) > 5 else "")
            reasons.append(f"还有 {len(missing)} 个问题没有整改措施：{names}。")
        if not answered:
            reasons.append("整改方案还没有任何整改措施。")
        if reasons:
            raise ValidationError(reasons)
        before, source = changelog.snapshot(locked), locked.status
        locked.submit()
        locked.submitted_at = timezone.now()
        locked.return_reason = ""
        locked.save()
        _log(plan=locked, action=A.PLAN_SUBMIT, from_status=source, to_status=locked.status, opinion=opinion,
             actor=actor)
        _record(locked, before, actor)
    return locked


def plan_approve(*, actor, plan: RectificationPlan, opinion: str = "") -> RectificationPlan:
    """待审批 → 已批准; every task of the plan starts (gate 1, 启动)."""
    with transaction.atomic():
        locked = _locked(RectificationPlan, plan.pk)
        _reach(actor, locked, "approve")
        if locked.status != PS.SUBMITTED:
            raise ValidationError(f"整改方案{locked.get_status_display()}，只有待审批的方案可以批准。")
        before, source = changelog.snapshot(locked), locked.status
        locked.approve()
        locked.decided_at, locked.decided_by = timezone.now(), actor
        locked.save()
        _log(plan=locked, action=A.PLAN_APPROVE, from_status=source, to_status=locked.status, opinion=opinion,
             actor=actor)
        now = timezone.now()
        for task in RectificationTask.objects.select_for_update().filter(plan=locked, status=TS.PENDING):
            task.start()
            task.started_at = now
            task.save(update_fields=["status", "started_at", "updated_at"])
            _log(plan=locked, task=task, action=A.START, from_status=TS.PENDING, to_status=task.status,
                 opinion="整改方案已批准，任务启动。", actor=actor)
        _record(locked, before, actor)
    return locked


def plan_return(*, actor, plan: RectificationPlan, reason: str) -> RectificationPlan:
    """待审批 → 已退回, with the reasons the unit must address."""
    reason = _required(reason, "reason", "退回理由")
    with transaction.atomic():
        locked = _locked(RectificationPlan, plan.pk)
        _reach(actor, locked, "approve")
        if locked.status != PS.SUBMITTED:
            raise ValidationError(f"整改方案{locked.get_status_display()}，只有待审批的方案可以退回。")
        before, source = changelog.snapshot(locked), locked.status
        locked.send_back()
        locked.decided_at, locked.decided_by, locked.return_reason = timezone.now(), actor, reason
        locked.save()
        _log(plan=locked, action=A.PLAN_RETURN, from_status=source, to_status=locked.status, opinion=reason,
             actor=actor)
        _record(locked, before, actor)
    return locked


def plan_report_submit(*, actor, plan: RectificationPlan, text: str, upload=None) -> RectificationPlan:
    """The unit's rectification report (整改情况报告), due two months after the feedback."""
    text = _required(text, "report_text", "整改情况报告")
    with transaction.atomic():
        locked = _locked(RectificationPlan, plan.pk)
        _reach(actor, locked, "submit")
        if locked.status != PS.APPROVED:
            raise ValidationError("整改方案批准后才能报送整改情况报告。")
        before = changelog.snapshot(locked)
        locked.report_text = text
        if upload is not None:
            locked.report_file = _store(upload, actor)
        locked.report_submitted_at = timezone.now()
        locked.save()
        _log(plan=locked, action=A.REPORT_SUBMIT, opinion="逾期报送" if timezone.localdate() > locked.report_due
             else "", actor=actor)
        _record(locked, before, actor)
    return locked


def plan_publish(*, actor, plan: RectificationPlan) -> RectificationPlan:
    """Put the plan's progress and results on the public page (tasks marked 不予公开 stay off)."""
    with transaction.atomic():
        locked = _locked(RectificationPlan, plan.pk)
        _reach(actor, locked, "publish")
        if locked.status != PS.APPROVED:
            raise ValidationError("整改方案批准后才能公开整改进展。")
        before = changelog.snapshot(locked)
        locked.published_at, locked.published_by = timezone.now(), actor
        locked.save()
        _record(locked, before, actor)
    return locked


def plan_unpublish(*, actor, plan: RectificationPlan) -> RectificationPlan:
    with transaction.atomic():
        locked = _locked(RectificationPlan, plan.pk)
        _reach(actor, locked, "publish")
        before = changelog.snapshot(locked)
        locked.published_at, locked.published_by = None, None
        locked.save()
        _record(locked, before, actor)
    return locked


# --- Measures ------------------------------------------------------------------------------------------


def _task_rules(plan: RectificationPlan, problem, data: dict) -> None:
    errors = {}
    if problem is not None:
        if problem.inspection_id != plan.inspection_id or problem.unit_id != plan.unit_id:
            errors["problem"] = "只能针对本单位反馈意见中的问题制定整改措施。"
        elif getattr(problem, "status", "confirmed") != "confirmed":
            errors["problem"] = "只能针对已确认的问题制定整改措施。"
    if data.get("kind") not in c.MeasureKind.values:
        errors["kind"] = "请选择措施类型（纠正、清理、问责、建章立制）。"
    for field, label in (("content", "整改措施"), ("responsible", "责任人")):
        if not str(data.get(field) or "").strip():
            errors[field] = f"请填写{label}。"
    deadline = data.get("deadline")
    if not deadline:
        errors["deadline"] = "请填写完成时限。"
    elif deadline < plan.feedback_on:
        errors["deadline"] = f"完成时限不能早于反馈日期（{plan.feedback_on:%Y年%m月%d日}）。"
    method = data.get("accountability_method") or ""
    if method and method not in c.AccountabilityMethod.values:
        errors["accountability_method"] = "请选择有效的处理方式。"
    if errors:
        raise ValidationError(errors)


def _assign_task(task: RectificationTask, data: dict, actor) -> None:
    for field in TASK_FIELDS:
        if field in data:
            value = data[field]
            setattr(task, field, value.strip() if isinstance(value, str) else (value or "" if field != "deadline"
                                                                               else value))
    if data.get("rule_document") is not None:
        task.rule_document = _store(data["rule_document"], actor)


def task_create(*, actor, plan: RectificationPlan, problem, data: dict) -> RectificationTask:
    """A measure against one confirmed problem of the plan (only while the plan is editable)."""
    _editable(plan)
    _task_rules(plan, problem, data)
    task = RectificationTask(plan=plan, problem=problem, inspection_id=plan.inspection_id,
                             authority_id=plan.authority_id, unit_id=plan.unit_id)
    _assign_task(task, data, actor)
    return scoped_create(actor=actor, instance=task)


def task_update(*, actor, task: RectificationTask, data: dict) -> RectificationTask:
    """Edit a measure: its wording while the plan is editable; the accountability and rule records at
    any time before acceptance (they are filled as the work is done)."""
    plan = task.plan
    if task.status == TS.ACCEPTED:
        raise ValidationError("该任务已验收，不能修改。")
    if not plan.editable:
        fixed = [f for f in ("kind", "content", "responsible", "deadline")
                 if f in data and data[f] != getattr(task, f)]
        if fixed:
            raise ValidationError("整改方案已提交，措施类型、内容、责任人和时限不能修改；"
                                  "如需调整，请由巡察办退回方案。")
    merged = {f: getattr(task, f) for f in TASK_FIELDS}
    merged.update({k: v for k, v in data.items() if k in TASK_FIELDS})
    _task_rules(plan, None, merged)
    return scoped_update(actor=actor, instance=task, changes=lambda t: _assign_task(t, data, actor))


def task_delete(*, actor, task: RectificationTask) -> RectificationTask:
    def guard(t):
        if not t.plan.editable:
            raise ValidationError("整改方案已提交，不能删除措施。")

    return scoped_soft_delete(actor=actor, instance=task, guard=guard)


# --- Progress and acceptance (gates 2 and 3) ------------------------------------------------------------


def task_evidence_count(task: RectificationTask) -> int:
    return StoredFile.objects.filter(pk__in=ProgressReport.evidence.through.objects.filter(
        progressreport__task_id=task.pk).values("storedfile_id")).count()


def _evidence_reasons(task: RectificationTask) -> list[str]:
    reasons = []
    if task_evidence_count(task) == 0:
        reasons.append("该任务没有任何佐证材料，不能验收：请在整改进展中上传佐证材料。")
    if task.kind == c.MeasureKind.ACCOUNTABILITY and not (task.accountable_persons and task.accountability_method):
        reasons.append("问责类措施须写明被问责人员和处理方式。")
    if task.kind == c.MeasureKind.RULES and not (task.rule_name and task.rule_document_id):
        reasons.append("建章立制类措施须写明制度名称并上传制度文件。")
    return reasons


def task_report_progress(*, actor, task: RectificationTask, month: datetime.date, content: str,
                         percent: int = 0, uploads=()) -> ProgressReport:
    """The month's progress (one report per task and month; a second one the same month adds to it)."""
    content = _required(content, "content", "进展情况")
    if percent is None or not 0 <= int(percent) <= 100:
        raise ValidationError({"percent": "完成进度应在 0 到 100 之间。"})
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": "不能报送未来月份的进展。"})
    with transaction.atomic():
        locked = _locked(RectificationTask, task.pk)
        _reach(actor, locked, "report")
        if locked.status != TS.PROGRESS:
            raise ValidationError(f"任务{locked.get_status_display()}，推进中的任务才能报送进展。")
        files = [_store(u, actor) for u in uploads]
        report = ProgressReport.objects.filter(task=locked, month=month).first()
        before = changelog.snapshot(report) if report else None
        if report is None:
            report = ProgressReport(task=locked, month=month, created_by=actor)
        report.content, report.percent = content, int(percent)
        report.save()
        if files:
            report.evidence.add(*files)
        _log(plan=locked.plan, task=locked, action=A.REPORT, from_status=locked.status, to_status=locked.status,
             opinion=f"{month:%Y年%m月}进展，完成{report.percent}%，新增佐证材料{len(files)}份。", actor=actor)
        changelog.record(report, ChangeLog.Action.UPDATE if before else ChangeLog.Action.CREATE, before=before,
                         after=changelog.snapshot(report), user=actor)
    return report


def _gate(actor, task: RectificationTask, *, action: str, perm_action: str, method: str, log_action: str,
          opinion: str, check=None, after=None) -> RectificationTask:
    with transaction.atomic():
        locked = _locked(RectificationTask, task.pk)
        _reach(actor, locked, perm_action)
        if check:
            reasons = check(locked)
            if reasons:
                raise ValidationError(reasons)
        before, source = changelog.snapshot(locked), locked.status
        getattr(locked, method)()
        if after:
            after(locked)
        locked.save()
        _log(plan=locked.plan, task=locked, action=log_action, from_status=source, to_status=locked.status,
             opinion=opinion, actor=actor)
        _record(locked, before, actor)
    return locked


def _status_is(status: str, verb: str):
    def check(task):
        if task.status != status:
            return [f"任务{task.get_status_display()}，不能{verb}。"]
        return []
    return check


def task_apply(*, actor, task: RectificationTask, opinion: str = "") -> RectificationTask:
    """推进中 → 待验收: the unit says the measure is done; evidence and the kind's records are required."""
    def check(t):
        return _status_is(TS.PROGRESS, "申请验收")(t) or _evidence_reasons(t)

    return _gate(actor, task, action="apply", perm_action="apply", method="apply", log_action=A.APPLY,
                 opinion=opinion, check=check)


def task_accept(*, actor, task: RectificationTask, opinion: str = "") -> RectificationTask:
    """待验收 → 已验收 (the supervisor): no evidence, no acceptance."""
    def check(t):
        return _status_is(TS.REVIEW, "验收")(t) or _evidence_reasons(t)

    def after(t):
        t.closed_at = timezone.now()

    return _gate(actor, task, action="accept", perm_action="accept", method="accept", log_action=A.ACCEPT,
                 opinion=opinion or "验收通过。", check=check, after=after)


def task_send_back(*, actor, task: RectificationTask, reason: str) -> RectificationTask:
    """待验收 → 推进中 (the supervisor), with the reasons."""
    reason = _required(reason, "reason", "退回理由")
    return _gate(actor, task, action="accept", perm_action="accept", method="send_back", log_action=A.SEND_BACK,
                 opinion=reason, check=_status_is(TS.REVIEW, "退回"))


def task_withhold(*, actor, task: RectificationTask, withheld: bool, reason: str = "",
                  note: str = "") -> RectificationTask:
    """Mark a task 不予公开 (secret, under investigation, …) with the reason, or make it public again."""
    if withheld and reason not in c.WithholdReason.values:
        raise ValidationError({"withhold_reason": "设置不予公开时须选择理由。"})
    if withheld and reason == c.WithholdReason.OTHER and not (note or "").strip():
        raise ValidationError({"withhold_note": "理由为“其他”时请写明具体情形。"})

    def change(t):
        t.withheld = withheld
        t.withhold_reason = reason if withheld else ""
        t.withhold_note = (note or "").strip() if withheld else ""

    return scoped_update(actor=actor, instance=task, changes=change, action="withhold")


# --- 回头看 -----------------------------------------------------------------------------------------------


def revisit_check(*, actor, task: RectificationTask, result: str, notes: str, revisit=None,
                  new_deadline: datetime.date | None = None) -> RevisitCheck:
    """A 回头看 re-checks an accepted task; "整改不到位" reopens it (推进中, a new deadline, history kept)."""
    notes = _required(notes, "notes", "检查情况")
    if result not in c.RevisitResult.values:
        raise ValidationError({"result": "请选择检查结论。"})
    if result == c.RevisitResult.FAILS:
        if new_deadline is None:
            raise ValidationError({"new_deadline": "整改不到位的，请确定重新整改的时限。"})
        if new_deadline <= timezone.localdate():
            raise ValidationError({"new_deadline": "重新整改时限应晚于今天。"})
    if revisit is not None:
        if revisit.round.kind != "revisit":
            raise ValidationError({"revisit": "请选择“回头看”轮次中的巡察任务。"})
        if not revisit.target_links.filter(unit_id=task.unit_id).exists():
            raise ValidationError({"revisit": "该回头看巡察任务不包括此单位。"})
    require_perm(actor, "rectification:revisit:add")
    with transaction.atomic():
        locked = _locked(RectificationTask, task.pk)
        if not RectificationTask.objects.for_user(actor, "view").filter(pk=locked.pk).exists():
            raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
        if locked.status != TS.ACCEPTED:
            raise ValidationError("回头看只检查已验收的整改任务。")
        check = RevisitCheck(task=locked, revisit=revisit, authority_id=locked.authority_id, result=result,
                             notes=notes, new_deadline=new_deadline if result == c.RevisitResult.FAILS else None)
        scoped_create(actor=actor, instance=check)
        if result == c.RevisitResult.FAILS:
            before = changelog.snapshot(locked)
            locked.reopen()
            locked.reopen_count += 1
            locked.closed_at = None
            locked.deadline = new_deadline
            locked.save()
            _log(plan=locked.plan, task=locked, action=A.REOPEN, from_status=TS.ACCEPTED, to_status=locked.status,
                 opinion=notes, actor=actor)
            _record(locked, before, actor)
    return check


# --- Supervision groups --------------------------------------------------------------------------------


def _group_rules(data: dict) -> None:
    authority, regions = data.get("authority"), data.get("regions") or []
    if authority is not None:
        outside = [r.name for r in regions if not r.path.startswith(authority.path)]
        if outside:
            raise ValidationError({"regions": f"督导范围须在巡察主体辖区内：{'、'.join(outside)}不在其中。"})


def supervisiongroup_create(*, actor, data: dict) -> SupervisionGroup:
    _group_rules(data)
    group = SupervisionGroup(authority=data["authority"], name=data["name"].strip(),
                             leader_name=(data.get("leader_name") or "").strip(),
                             is_active=data.get("is_active", True))
    if SupervisionGroup.objects.filter(authority=group.authority, name=group.name).exists():
        raise ValidationError({"name": "该巡察主体已有同名督导组。"})
    return scoped_create(actor=actor, instance=group, m2m={"regions": data.get("regions") or [],
                                                            "members": data.get("members") or []})


def supervisiongroup_update(*, actor, instance: SupervisionGroup, data: dict) -> SupervisionGroup:
    _group_rules({**data, "authority": data.get("authority", instance.authority)})

    def change(g):
        for field in ("name", "leader_name", "is_active", "authority"):
            if field in data:
                setattr(g, field, data[field].strip() if isinstance(data[field], str) else data[field])
        if "regions" in data:
            g.regions.set(data["regions"])
        if "members" in data:
            g.members.set(data["members"])

    return scoped_update(actor=actor, instance=instance, changes=change)


def supervisiongroup_delete(*, actor, instance: SupervisionGroup) -> SupervisionGroup:
    return scoped_soft_delete(actor=actor, instance=instance)


# --- The monthly cycle --------------------------------------------------------------------------------------


def run_month(*, authority, year: int, month: int, actor=None) -> dict:
    """Create, for every active supervision group of `authority`, the month's supervision round, its
    progress meeting and its notice (with the Word document). Idempotent: what exists is left as it
    is, so running the month twice creates nothing and changes nothing.

    Returns {"rounds": created, "meetings": created, "notices": created}.
    """
    from . import notices

    if not 1 <= month <= 12:
        raise ValidationError({"month": "月份应在 1 到 12 之间。"})
    if actor is not None and not has_perm(actor, "rectification:supervision:run"):
        raise PermissionDenied("您没有生成月度督导的权限。")
    created = {"rounds": 0, "meetings": 0, "notices": 0}
    groups = SupervisionGroup.objects.filter(authority=authority, is_active=True).prefetch_related("regions")
    for group in groups:
        with transaction.atomic():
            rnd, made = SupervisionRound.objects.select_for_update().get_or_create(
                group=group, year=year, month=month,
                defaults={"authority_id": group.authority_id, "created_by": actor})
            if made:
                rnd.figures = notices.month_figures(group, year, month)
                rnd.save(update_fields=["figures", "updated_at"])
                created["rounds"] += 1
                changelog.record(rnd, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(rnd), user=actor)
            if not ProgressMeeting.objects.filter(round=rnd).exists():
                ProgressMeeting.objects.create(round=rnd, authority_id=rnd.authority_id, created_by=actor)
                created["meetings"] += 1
            if not SupervisionNotice.objects.filter(round=rnd).exists():
                notice = SupervisionNotice(round=rnd, authority_id=rnd.authority_id, created_by=actor,
                                           title=notices.notice_title(rnd), number=notices.notice_number(rnd))
                notice.document = notices.store_notice(rnd, notice, user=actor)
                notice.save()
                created["notices"] += 1
                changelog.record(notice, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(notice),
                                 user=actor)
    return created


def meeting_update(*, actor, meeting: ProgressMeeting, data: dict) -> ProgressMeeting:
    def change(m):
        for field in ("held_on", "attendees", "minutes", "decisions"):
            if field in data:
                value = data[field]
                setattr(m, field, value.strip() if isinstance(value, str) else value)

    if data.get("decisions") and not data.get("held_on") and not meeting.held_on:
        raise ValidationError({"held_on": "记录议定事项时请填写召开日期。"})
    return scoped_update(actor=actor, instance=meeting, changes=change)


def notice_regenerate(*, actor, notice: SupervisionNotice) -> SupervisionNotice:
    """Draw the draft notice again from the round's figures and the meeting's decisions."""
    from . import notices

    def change(n):
        if n.status != c.NoticeStatus.DRAFT:
            raise ValidationError("通报已审核，不能重新生成。")
        n.document = notices.store_notice(n.round, n, user=actor)

    return scoped_update(actor=actor, instance=notice, changes=change)


def notice_review(*, actor, notice: SupervisionNotice, opinion: str = "") -> SupervisionNotice:
    def change(n):
        if n.status != c.NoticeStatus.DRAFT:
            raise ValidationError(f"通报{n.get_status_display()}，不能再审核。")
        n.status, n.review_opinion = c.NoticeStatus.REVIEWED, (opinion or "").strip()
        n.reviewed_at, n.reviewed_by = timezone.now(), actor

    return scoped_update(actor=actor, instance=notice, changes=change, action="review")


def notice_publish(*, actor, notice: SupervisionNotice) -> SupervisionNotice:
    def change(n):
        if n.status != c.NoticeStatus.REVIEWED:
            raise ValidationError("通报审核后才能发布。")
        n.status, n.published_at, n.published_by = c.NoticeStatus.PUBLISHED, timezone.now(), actor

    return scoped_update(actor=actor, instance=notice, changes=change, action="publish")


# --- Reminders ---------------------------------------------------------------------------------------------


def mail_configured() -> bool:
    """E-mail goes out only where a mail server is configured (or a non-SMTP backend, as in tests)."""
    backend = getattr(settings, "EMAIL_BACKEND", "")
    if backend and not backend.endswith("smtp.EmailBackend"):
        return True
    host = getattr(settings, "EMAIL_HOST", "")
    return bool(host) and host != "localhost"


def _recipients(reminder: Reminder) -> list[str]:
    """The unit's liaisons and the authority's supervision group members with an e-mail address."""
    from xuncha.accounts.models import User

    users = User.objects.filter(is_active=True).exclude(email="").filter(
        grants__is_active=True, grants__unit_id=reminder.unit_id).distinct()
    members = User.objects.filter(is_active=True).exclude(email="").filter(
        pk__in=SupervisionGroup.members.through.objects.filter(
            supervisiongroup__authority_id=reminder.authority_id, supervisiongroup__is_deleted=False,
        ).values("user_id"))
    return sorted({u.email for u in users} | {u.email for u in members})


def _send_mail(reminder_ids: list[int]) -> None:
    from django.core.mail import send_mail

    for reminder in Reminder.objects.filter(pk__in=reminder_ids).select_related("unit"):
        to = _recipients(reminder)
        if not to:
            continue
        send_mail(f"【巡察整改提醒】{reminder.get_kind_display()}", f"{reminder.message}\n\n请登录巡察工作管理平台查看。",
                  None, to, fail_silently=True)
        Reminder.objects.filter(pk=reminder.pk).update(emailed=len(to))


def reminders_create_due(*, today: datetime.date | None = None) -> int:
    """Create the due reminders (reports and tasks due within DUE_SOON_DAYS, or overdue); safe to run
    every day: a reminder is made once per plan/task, kind and due date."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=c.DUE_SOON_DAYS)
    rows: list[Reminder] = []
    plans = RectificationPlan.objects.filter(report_submitted_at__isnull=True, report_due__lte=soon).select_related(
        "unit")
    for plan in plans:
        late = plan.report_due < today
        kind = c.ReminderKind.REPORT_OVERDUE if late else c.ReminderKind.REPORT_DUE
        message = (f"{plan.unit.name}整改情况报告应于{plan.report_due:%Y年%m月%d日}前报送，"
                   + ("已逾期，请尽快报送。" if late else "请按时报送。"))
        rows.append(Reminder(key=f"{kind}:{plan.pk}:{plan.report_due:%Y%m%d}", kind=kind, authority_id=plan.authority_id,
                             unit_id=plan.unit_id, plan=plan, due_date=plan.report_due, message=message))
    tasks = RectificationTask.objects.filter(status__in=[TS.PROGRESS, TS.PENDING], deadline__lte=soon).select_related(
        "unit", "problem")
    for task in tasks.iterator(chunk_size=2000):
        late = task.deadline < today
        kind = c.ReminderKind.TASK_OVERDUE if late else c.ReminderKind.TASK_DUE
        message = (f"{task.unit.name}“{task.problem.title[:40]}”的{task.get_kind_display()}措施应于"
                   f"{task.deadline:%Y年%m月%d日}前完成，" + ("已逾期。" if late else "即将到期。"))
        rows.append(Reminder(key=f"{kind}:{task.plan_id}:{task.pk}:{task.deadline:%Y%m%d}", kind=kind,
                             authority_id=task.authority_id, unit_id=task.unit_id, plan_id=task.plan_id, task=task,
                             due_date=task.deadline, message=message[:300]))
    existing = set(Reminder.objects.filter(key__in=[r.key for r in rows]).values_list("key", flat=True))
    new = [r for r in rows if r.key not in existing]
    with transaction.atomic():
        Reminder.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    if new and mail_configured():
        keys = [r.key for r in new]
        ids = list(Reminder.objects.filter(key__in=keys).values_list("pk", flat=True))
        transaction.on_commit(lambda: _send_mail(ids))
    return len(new)


def reminder_handle(*, actor, reminder: Reminder) -> Reminder:
    def change(r):
        r.handled_at, r.handled_by = timezone.now(), actor

    return scoped_update(actor=actor, instance=reminder, changes=change)
