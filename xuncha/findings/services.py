"""Every write of findings: keyword-only, one transaction each, the change log inside it, the actor's
scope checked inside the transaction (`core.services`). Errors are Chinese and name the field (a
ValidationError with a dict) where a form can show them.

Problems: `problem_create/_update/_delete`, `problem_transition` (the review workflow).
Clues: `clue_create/_update/_delete`, `transfer_create` (移交 with its Word letter),
`disposition_create` (the receiver's disposition), `reminders_create_due` (the daily job),
`reminder_handle`.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from xuncha.core import changelog
from xuncha.core.files import store_bytes, store_upload
from xuncha.core.models import ChangeLog
from xuncha.core.scoping import has_perm
from xuncha.core.services import (
    ScopeViolation,
    require_perm,
    scoped_create,
    scoped_soft_delete,
    scoped_update,
)
from xuncha.planning.models import Inspection
from xuncha.planning.records import check_target

from . import workflow
from .choices import CLUE_STAGES, WRITING_STAGES, ClueStatus, ReminderKind
from .models import Clue, ClueDisposition, CluePerson, ClueReminder, ClueTransfer, Problem, ProblemTransition

__all__ = ["problem_create", "problem_update", "problem_delete", "problem_transition", "clue_create",
           "clue_update", "clue_delete", "transfer_create", "disposition_create", "reminders_create_due",
           "reminder_handle", "attach_files"]

PROBLEM_FIELDS = ("unit", "indicator", "kind", "severity", "title", "description", "evidence", "responsible_text")
CLUE_FIELDS = ("unit", "summary", "content", "evidence", "source", "petition", "source_note", "suggested_receiver",
               "problem")
TRANSFER_FIELDS = ("receiver_kind", "receiver_name", "transfer_date", "secret_level", "remarks")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _inspection_for(actor, inspection: Inspection) -> Inspection:
    """The inspection, locked, if the actor sees it (a ScopeViolation, i.e. 404, otherwise)."""
    if not Inspection.objects.for_user(actor, "view").filter(pk=inspection.pk).exists():
        raise ScopeViolation("该巡察任务不在您的授权范围内，操作未执行。")
    return Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)


def _reachable(actor, instance, action: str) -> None:
    model = type(instance)
    if not model.all_objects.for_user(actor, action).filter(pk=instance.pk).exists():
        raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")


def _assign(instance, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


def attach_files(instance, uploads, *, actor) -> None:
    """Store uploads by hash and add them to the record's evidence (inside the caller's transaction)."""
    stored = [store_upload(upload, user=actor) for upload in uploads or [] if upload]
    if stored:
        instance.evidence_files.add(*stored)


# --- Problems -----------------------------------------------------------------------------------------


def _problem_rules(inspection: Inspection, data: dict) -> None:
    errors = {}
    unit = data.get("unit")
    if unit is not None:
        try:
            check_target(inspection, unit)
        except ValidationError as error:
            errors.update(error.message_dict)
    indicator = data.get("indicator")
    if indicator is not None and indicator.level != 3:
        errors["indicator"] = "请选择三级指标（具体检查事项）。"
    target_ids = set(inspection.target_links.values_list("unit_id", flat=True))
    strangers = [c.name for c in data.get("responsible_cadres") or [] if c.unit_id not in target_ids]
    if strangers:
        errors["responsible_cadres"] = f"责任人须为被巡察单位的干部：{'、'.join(strangers)}不在本次巡察对象中。"
    if errors:
        raise ValidationError(errors)


def _category(indicator):
    return indicator.top if indicator is not None else None


def problem_create(*, actor, inspection: Inspection, data: dict, uploads=None) -> Problem:
    """A member's new work draft (底稿) about one target of the inspection."""
    require_perm(actor, "findings:problem:add")
    with transaction.atomic():
        locked = _inspection_for(actor, inspection)
        if locked.stage not in WRITING_STAGES:
            raise ValidationError(f"巡察任务当前处于「{locked.get_stage_display()}」阶段，只有在进驻、了解阶段才能撰写问题底稿。")
        _problem_rules(locked, data)
        problem = Problem(inspection=locked, authority_id=locked.authority_id)
        _assign(problem, data, PROBLEM_FIELDS)
        problem.category = _category(problem.indicator)
        last = Problem.all_objects.filter(inspection=locked).aggregate(n=Max("number"))["n"] or 0
        problem.number = last + 1
        problem = scoped_create(actor=actor, instance=problem,
                                m2m={"responsible_cadres": data.get("responsible_cadres") or []},
                                after_save=lambda p: attach_files(p, uploads, actor=actor))
    return problem


def problem_update(*, actor, problem: Problem, data: dict, uploads=None, remove_files=()) -> Problem:
    require_perm(actor, "findings:problem:change")
    _reachable(actor, problem, "change")

    def change(p: Problem) -> None:
        refusal = workflow.edit_refusal(actor, p)
        if refusal:
            raise ValidationError(refusal)
        _problem_rules(p.inspection, data)
        _assign(p, data, PROBLEM_FIELDS)
        p.category = _category(p.indicator)
        if "responsible_cadres" in data:
            p.responsible_cadres.set(data["responsible_cadres"])
        if remove_files:
            p.evidence_files.remove(*remove_files)
        attach_files(p, uploads, actor=actor)

    return scoped_update(actor=actor, instance=problem, changes=change)


def problem_delete(*, actor, problem: Problem) -> Problem:
    def guard(p: Problem) -> None:
        refusal = workflow.edit_refusal(actor, p)
        if refusal:
            raise ValidationError(refusal.replace("修改", "删除"))

    return scoped_soft_delete(actor=actor, instance=problem, guard=guard)


def problem_transition(*, actor, problem: Problem, step: str, opinion: str = "", meeting: str = "",
                       meeting_date: datetime.date | None = None) -> ProblemTransition:
    """Take one step of the review workflow (提交, 审核, 退回, 确认, 重新打开), with the permission it
    needs, its conditions explained in Chinese, and a row in the append-only transition log."""
    chosen = workflow.step_named(step)
    if chosen is None:
        raise ValidationError(f"未知的操作“{step}”。")
    with transaction.atomic():
        locked = Problem.objects.select_for_update(of=("self",)).select_related("inspection").get(pk=problem.pk)
        if not Problem.objects.for_user(actor, "view").filter(pk=locked.pk).exists():
            raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
        if not has_perm(actor, chosen.permission):
            raise PermissionDenied(f"您没有「{chosen.label}」的权限。")
        _reachable(actor, locked, chosen.action)
        reasons = workflow.blocking_reasons(actor, locked, chosen, opinion=opinion, meeting=meeting,
                                            meeting_date=meeting_date)
        if reasons:
            raise ValidationError(reasons)
        before = changelog.snapshot(locked)
        from_status = locked.status
        getattr(locked, chosen.method)()
        now = timezone.now()
        fields = ["status", "updated_at"]
        if chosen.method == "submit":
            locked.submitted_at = now
            fields.append("submitted_at")
        elif chosen.method == "review":
            locked.reviewed_at, locked.reviewed_by = now, actor
            fields += ["reviewed_at", "reviewed_by"]
        elif chosen.method == "send_back":
            locked.return_reason = opinion.strip()
            fields.append("return_reason")
        elif chosen.method == "confirm":
            locked.meeting, locked.meeting_date = meeting.strip(), meeting_date
            locked.confirm_opinion, locked.confirmed_at, locked.confirmed_by = opinion.strip(), now, actor
            fields += ["meeting", "meeting_date", "confirm_opinion", "confirmed_at", "confirmed_by"]
        elif chosen.method == "reopen":
            locked.confirmed_at, locked.confirmed_by = None, None
            fields += ["confirmed_at", "confirmed_by"]
        locked.save(update_fields=fields)
        text = opinion.strip()
        if chosen.needs_meeting:
            text = f"{meeting.strip()}（{meeting_date:%Y-%m-%d}）研究确认。{text}".strip()
        row = ProblemTransition.objects.create(problem=locked, from_status=from_status, to_status=locked.status,
                                               opinion=text, user=actor, username=actor.username)
        changelog.record(locked, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(locked), user=actor)
    return row


# --- Clues --------------------------------------------------------------------------------------------


def _clue_rules(inspection: Inspection, data: dict, persons: list[dict]) -> None:
    errors = {}
    unit = data.get("unit")
    if unit is not None:
        try:
            check_target(inspection, unit)
        except ValidationError as error:
            errors.update(error.message_dict)
    problem = data.get("problem")
    if problem is not None and problem.inspection_id != inspection.pk:
        errors["problem"] = "关联问题须为本巡察任务的问题。"
    petition = data.get("petition")
    if petition is not None and petition.inspection_id != inspection.pk:
        errors["petition"] = "来源信访件须为本巡察任务受理的信访件。"
    if not persons:
        errors["persons"] = "请至少填写一名涉及人员（从干部库选择，或填写姓名）。"
    if errors:
        raise ValidationError(errors)


def _person_rows(persons: list[dict]) -> list[CluePerson]:
    rows = []
    for p in persons:
        cadre = p.get("cadre")
        rows.append(CluePerson(
            cadre=cadre, name=(p.get("name") or (cadre.name if cadre else "")).strip(),
            post=(p.get("post") or (cadre.post if cadre else "")).strip(),
            unit_name=(p.get("unit_name") or (cadre.unit.name if cadre else "")).strip()))
    return rows


def _set_persons(clue: Clue, persons: list[dict]) -> None:
    clue.persons.all().delete()
    rows = _person_rows(persons)
    for row in rows:
        row.clue = clue
    CluePerson.objects.bulk_create(rows)


def clue_create(*, actor, inspection: Inspection, data: dict, persons: list[dict], uploads=None) -> Clue:
    """Register a clue (问题线索) found during the inspection; `persons`: [{cadre, name, post, unit_name}]."""
    require_perm(actor, "findings:clue:add")
    with transaction.atomic():
        locked = _inspection_for(actor, inspection)
        if locked.stage not in CLUE_STAGES:
            raise ValidationError(f"巡察任务当前处于「{locked.get_stage_display()}」阶段，不能登记问题线索。")
        _clue_rules(locked, data, persons)
        clue = Clue(inspection=locked, authority_id=locked.authority_id)
        _assign(clue, data, CLUE_FIELDS)
        clue.seq = (Clue.all_objects.filter(inspection=locked).aggregate(n=Max("seq"))["n"] or 0) + 1
        year = locked.stationed_date.year if locked.stationed_date else timezone.localdate().year
        clue.number = f"XS{year}-{locked.pk:04d}-{clue.seq:03d}"

        def after(c: Clue) -> None:
            _set_persons(c, persons)
            attach_files(c, uploads, actor=actor)

        clue = scoped_create(actor=actor, instance=clue, after_save=after)
    return clue


def _clue_editable(clue: Clue) -> None:
    if clue.status != ClueStatus.REGISTERED:
        raise ValidationError(f"线索已{clue.get_status_display().removeprefix('已')}，不能再修改或删除。")
    if clue.inspection.stage == "archived":
        raise ValidationError("巡察任务已归档，线索不能再修改。")


def clue_update(*, actor, clue: Clue, data: dict, persons: list[dict], uploads=None, remove_files=()) -> Clue:
    require_perm(actor, "findings:clue:change")
    _reachable(actor, clue, "change")

    def change(c: Clue) -> None:
        _clue_editable(c)
        _clue_rules(c.inspection, data, persons)
        _assign(c, data, CLUE_FIELDS)
        _set_persons(c, persons)
        if remove_files:
            c.evidence_files.remove(*remove_files)
        attach_files(c, uploads, actor=actor)

    return scoped_update(actor=actor, instance=clue, changes=change)


def clue_delete(*, actor, clue: Clue) -> Clue:
    return scoped_soft_delete(actor=actor, instance=clue, guard=_clue_editable)


def _transfer_number(inspection: Inspection, year: int) -> str:
    """江城市 → 江巡移〔2026〕3号: the office's running number of transfer letters in the year."""
    count = ClueTransfer.all_objects.filter(authority_id=inspection.authority_id, transfer_date__year=year).count()
    return f"{inspection.authority.name[:1]}巡移〔{year}〕{count + 1}号"


def transfer_create(*, actor, inspection: Inspection, clues: list[Clue], data: dict) -> ClueTransfer:
    """Transfer (移交) registered clues of one inspection to 纪委监委, 组织部 or another department: the
    letter (关于移交…问题线索的函) is generated and kept; the receiver reports within 3 months."""
    from .documents import transfer_letter

    require_perm(actor, "findings:clue:transfer")
    with transaction.atomic():
        locked = _inspection_for(actor, inspection)
        if locked.stage not in CLUE_STAGES:
            raise ValidationError(f"巡察任务当前处于「{locked.get_stage_display()}」阶段，不能移交问题线索。")
        ids = [c.pk for c in clues]
        if not ids:
            raise ValidationError({"clues": "请选择要移交的问题线索。"})
        rows = list(Clue.objects.for_user(actor, "transfer").select_for_update(of=("self",))
                    .filter(pk__in=ids, inspection=locked).order_by("seq"))
        if len(rows) != len(set(ids)):
            raise ValidationError({"clues": "所选线索不存在、不属于本巡察任务或不在您的授权范围内。"})
        done = [c.number for c in rows if c.status != ClueStatus.REGISTERED]
        if done:
            raise ValidationError({"clues": f"线索 {'、'.join(done)} 已移交，不能重复移交。"})
        day = data.get("transfer_date")
        if day is not None and day > timezone.localdate():
            raise ValidationError({"transfer_date": "移交日期不能晚于今天。"})
        transfer = ClueTransfer(inspection=locked, authority_id=locked.authority_id)
        _assign(transfer, data, TRANSFER_FIELDS)
        transfer.due_date = workflow.add_months(transfer.transfer_date, workflow.disposition_months())
        transfer.number = _transfer_number(locked, transfer.transfer_date.year)

        def after(t: ClueTransfer) -> None:
            for clue in rows:
                before = changelog.snapshot(clue)
                clue.status, clue.transfer = ClueStatus.TRANSFERRED, t
                clue.save(update_fields=["status", "transfer", "updated_at"])
                changelog.record(clue, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(clue),
                                 user=actor)
            content = transfer_letter(t, rows)
            t.letter = store_bytes(content, name=f"{t.number}移交函.docx", content_type=DOCX, user=actor)
            t.save(update_fields=["letter"])

        transfer = scoped_create(actor=actor, instance=transfer, after_save=after)
    return transfer


def disposition_create(*, actor, clue: Clue, data: dict) -> ClueDisposition:
    """Record the receiver's disposition of a transferred clue (the office enters it on its behalf)."""
    require_perm(actor, "findings:clue:dispose")
    _reachable(actor, clue, "dispose")
    with transaction.atomic():
        locked = Clue.objects.select_for_update(of=("self",)).select_related("transfer").get(pk=clue.pk)
        if locked.transfer_id is None:
            raise ValidationError("线索尚未移交，不能登记处置情况。")
        day = data.get("date")
        errors = {}
        if day is not None and day < locked.transfer.transfer_date:
            errors["date"] = f"处置日期不能早于移交日期（{locked.transfer.transfer_date:%Y-%m-%d}）。"
        elif day is not None and day > timezone.localdate():
            errors["date"] = "处置日期不能晚于今天。"
        if errors:
            raise ValidationError(errors)
        disposition = ClueDisposition(clue=locked)
        _assign(disposition, data, ("kind", "date", "result"))
        disposition.created_by = actor
        disposition.save(force_insert=True)
        changelog.record(disposition, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(disposition),
                         user=actor)
        if locked.status != ClueStatus.DISPOSED:
            before = changelog.snapshot(locked)
            locked.status = ClueStatus.DISPOSED
            locked.save(update_fields=["status", "updated_at"])
            changelog.record(locked, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(locked),
                             user=actor)
        # The reminders of a transfer whose clues are all disposed are done.
        if not locked.transfer.clues.filter(is_deleted=False, status=ClueStatus.TRANSFERRED).exists():
            ClueReminder.objects.filter(transfer_id=locked.transfer_id, handled_at__isnull=True).update(
                handled_at=timezone.now(), handled_by=actor)
    return disposition


# --- Reminders ----------------------------------------------------------------------------------------


def _day(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def reminders_create_due(*, today: datetime.date | None = None, days: int | None = None) -> int:
    """The daily job: for each transfer with clues still awaiting disposition, one "due soon" reminder
    when the deadline is within `days` days (FINDINGS_DUE_SOON_DAYS, 15) and one "overdue" reminder once
    it has passed; once per transfer, kind and deadline, however often it runs. Returns the number created."""
    today = today or timezone.localdate()
    days = workflow.due_soon_days() if days is None else days
    horizon = today + datetime.timedelta(days=days)
    pending = (ClueTransfer.objects.filter(due_date__lte=horizon, clues__status=ClueStatus.TRANSFERRED,
                                           clues__is_deleted=False)
               .select_related("inspection").distinct())
    created = 0
    for transfer in pending:
        waiting = transfer.clues.filter(is_deleted=False, status=ClueStatus.TRANSFERRED).count()
        receiver = transfer.receiver_name or transfer.get_receiver_kind_display()
        if transfer.due_date < today:
            kind = ReminderKind.OVERDUE
            message = (f"移交{receiver}的问题线索（{transfer.number}）处置反馈期限为{_day(transfer.due_date)}，"
                       f"已逾期 {(today - transfer.due_date).days} 天，尚有 {waiting} 条未反馈处置情况，请督促办理。")
        else:
            kind = ReminderKind.DUE_SOON
            message = (f"移交{receiver}的问题线索（{transfer.number}）处置反馈期限为{_day(transfer.due_date)}"
                       f"（还有 {(transfer.due_date - today).days} 天），尚有 {waiting} 条未反馈处置情况。")
        if ClueReminder.objects.filter(kind=kind, transfer=transfer, due_date=transfer.due_date).exists():
            continue
        try:
            with transaction.atomic():
                reminder = ClueReminder.objects.create(
                    kind=kind, transfer=transfer, authority_id=transfer.authority_id,
                    group_id=transfer.inspection.group_id, due_date=transfer.due_date, message=message[:300])
                changelog.record(reminder, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(reminder))
        except IntegrityError:  # another run created it a moment ago
            continue
        created += 1
    return created


def reminder_handle(*, actor, reminder: ClueReminder) -> ClueReminder:
    require_perm(actor, "findings:clue:view")
    if not ClueReminder.objects.for_user(actor, "view").filter(pk=reminder.pk).exists():
        raise ScopeViolation("该提醒不在您的授权范围内。")
    with transaction.atomic():
        locked = ClueReminder.objects.select_for_update().get(pk=reminder.pk)
        if locked.handled_at is None:
            before = changelog.snapshot(locked)
            locked.handled_at, locked.handled_by = timezone.now(), actor
            locked.save(update_fields=["handled_at", "handled_by"])
            changelog.record(locked, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(locked),
                             user=actor)
    return locked
