"""Secondments (抽调) and their expiry reminders, pledges (承诺书), honours and training."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from xuncha.core import changelog
from xuncha.core.files import store_upload
from xuncha.core.services import require_perm, scoped_create, scoped_soft_delete, scoped_update

from .. import choices as c
from ..models import (
    GroupMember,
    Honour,
    Pledge,
    Secondment,
    TeamReminder,
    TrainingAttendance,
    TrainingSession,
)
from ._common import assign, errors, log_create, log_update, today

# --- Secondments ---------------------------------------------------------------------------------

SECONDMENT_FIELDS = ("authority", "cadre", "group", "start_date", "end_date", "is_young_training", "letter_no",
                     "remarks")


def _check_secondment(data: dict, instance: Secondment | None = None) -> dict:
    data = dict(data)
    if not data.get("end_date") and data.get("start_date"):
        data["end_date"] = Secondment.default_end(data["start_date"])  # one year by default
    if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
        raise errors(end_date="抽调结束日期不能早于开始日期。")
    group = data.get("group")
    if group is not None and data.get("authority") is not None and not group.authority.path.startswith(
            data["authority"].path):
        raise errors(group=f"{group}不属于{data['authority'].name}，不能由其管理。")
    overlapping = Secondment.objects.filter(cadre=data["cadre"], status=c.SecondmentStatus.ACTIVE,
                                            start_date__lte=data["end_date"], end_date__gte=data["start_date"])
    if instance is not None:
        overlapping = overlapping.exclude(pk=instance.pk)
    if overlapping.exists():
        raise errors(cadre=f"{data['cadre'].name}在该期间已有抽调记录。")
    return data


def secondment_create(*, actor, data: dict) -> Secondment:
    data = _check_secondment(data)
    secondment = Secondment(from_unit=data["cadre"].unit)
    assign(secondment, data, SECONDMENT_FIELDS)
    return scoped_create(actor=actor, instance=secondment)


def secondment_update(*, actor, instance: Secondment, data: dict) -> Secondment:
    data = _check_secondment({**{f: getattr(instance, f) for f in SECONDMENT_FIELDS}, **data}, instance)

    def change(s: Secondment) -> None:
        assign(s, data, SECONDMENT_FIELDS)
        if s.cadre_id != instance.cadre_id:
            s.from_unit = s.cadre.unit

    return scoped_update(actor=actor, instance=instance, changes=change)


def secondment_delete(*, actor, instance: Secondment) -> Secondment:
    return scoped_soft_delete(actor=actor, instance=instance)


def secondment_end(*, actor, instance: Secondment, date: datetime.date | None = None) -> Secondment:
    """End a secondment (the person goes back to their unit); its open reminders are handled."""
    date = date or today()
    if instance.status == c.SecondmentStatus.ENDED:
        raise ValidationError("该抽调已结束。")
    if date < instance.start_date:
        raise errors(date="结束日期不能早于抽调开始日期。")

    def change(s: Secondment) -> None:
        s.status, s.end_date = c.SecondmentStatus.ENDED, date
        TeamReminder.objects.filter(secondment=s, handled_at__isnull=True).update(
            handled_at=timezone.now(), handled_by=actor)

    return scoped_update(actor=actor, instance=instance, changes=change)


def reminders_create_due(*, today: datetime.date | None = None, days: int = c.SECONDMENT_REMIND_DAYS) -> int:
    """The daily job: one reminder per active secondment ending within `days` days (30), once per
    end date, however often it runs. Returns the number created."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days)
    due = (Secondment.objects.filter(status=c.SecondmentStatus.ACTIVE, end_date__gte=today, end_date__lte=horizon)
           .exclude(reminders__kind=c.ReminderKind.SECONDMENT_EXPIRY, reminders__due_date=F("end_date"))
           .select_related("cadre", "from_unit"))
    created = 0
    for secondment in due:
        left = (secondment.end_date - today).days
        message = (f"{secondment.cadre.name}（{secondment.from_unit.name}）的抽调将于{secondment.end_date:%Y年%m月%d日}"
                   f"到期（还有 {left} 天），请办理续抽或结束手续。")
        try:
            with transaction.atomic():
                reminder = TeamReminder.objects.create(
                    kind=c.ReminderKind.SECONDMENT_EXPIRY, authority_id=secondment.authority_id,
                    group_id=secondment.group_id, secondment=secondment, due_date=secondment.end_date,
                    message=message)
                log_create(reminder, None)
        except IntegrityError:  # another run created it a moment ago
            continue
        created += 1
    return created


def reminder_handle(*, actor, reminder: TeamReminder) -> TeamReminder:
    require_perm(actor, "teams:reminder:change")
    if not TeamReminder.objects.for_user(actor, "change").filter(pk=reminder.pk).exists():
        raise ValidationError("该提醒不在您的授权范围内。")
    with transaction.atomic():
        locked = TeamReminder.objects.select_for_update().get(pk=reminder.pk)
        if locked.handled_at is None:
            before = changelog.snapshot(locked)
            locked.handled_at, locked.handled_by = timezone.now(), actor
            locked.save(update_fields=["handled_at", "handled_by"])
            log_update(locked, before, actor)
    return locked


# --- Pledges ---------------------------------------------------------------------------------------

PLEDGE_TYPES = {"application/pdf", "image/jpeg", "image/png",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
PLEDGE_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".docx")


def pledge_upload(*, actor, member: GroupMember, kind: str, upload, signed_on: datetime.date | None = None) -> Pledge:
    """Keep the signed copy of a member's pledge (a new upload replaces the link; the bytes stay)."""
    require_perm(actor, "teams:pledge:add")
    if kind not in c.PledgeKind.values:
        raise errors(kind="请选择承诺书类型。")
    if upload is None:
        raise errors(file="请选择签字后的扫描件或照片。")
    if not upload.name.lower().endswith(PLEDGE_SUFFIXES):
        raise errors(file="签字件应为 PDF、JPG、PNG 或 Word（.docx）文件。")
    try:
        stored = store_upload(upload, user=actor)
    except ValidationError as error:
        raise errors(file="；".join(error.messages)) from None
    signed_on = signed_on or today()
    existing = Pledge.objects.filter(member=member, kind=kind).first()
    if existing is None:
        pledge = Pledge(member=member, kind=kind, authority_id=member.authority_id, group_id=member.group_id,
                        signed_file=stored, signed_on=signed_on)
        try:
            return scoped_create(actor=actor, instance=pledge)
        except IntegrityError:
            existing = Pledge.objects.get(member=member, kind=kind)

    def change(p: Pledge) -> None:
        p.signed_file, p.signed_on = stored, signed_on

    return scoped_update(actor=actor, instance=existing, changes=change, action="add")


# --- Honours ---------------------------------------------------------------------------------------

HONOUR_FIELDS = ("authority", "cadre", "title", "level", "issuer", "awarded_on", "certificate_no", "remarks")


def honour_create(*, actor, data: dict) -> Honour:
    honour = Honour()
    assign(honour, data, HONOUR_FIELDS)
    return scoped_create(actor=actor, instance=honour)


def honour_update(*, actor, instance: Honour, data: dict) -> Honour:
    return scoped_update(actor=actor, instance=instance, changes=lambda h: assign(h, data, HONOUR_FIELDS))


def honour_delete(*, actor, instance: Honour) -> Honour:
    return scoped_soft_delete(actor=actor, instance=instance)


# --- Training --------------------------------------------------------------------------------------

TRAINING_FIELDS = ("authority", "round", "title", "held_on", "hours", "location", "content")


def _check_training(data: dict) -> None:
    if data.get("hours") is not None and data["hours"] <= 0:
        raise errors(hours="学时应大于 0。")
    round_ = data.get("round")
    if round_ is not None and data.get("authority") is not None and round_.authority_id != data["authority"].pk:
        raise errors(round=f"{round_}不是{data['authority'].name}的轮次。")


def training_create(*, actor, data: dict) -> TrainingSession:
    _check_training(data)
    session = TrainingSession()
    assign(session, data, TRAINING_FIELDS)
    return scoped_create(actor=actor, instance=session)


def training_update(*, actor, instance: TrainingSession, data: dict) -> TrainingSession:
    _check_training(data)
    return scoped_update(actor=actor, instance=instance, changes=lambda s: assign(s, data, TRAINING_FIELDS))


def training_delete(*, actor, instance: TrainingSession) -> TrainingSession:
    return scoped_soft_delete(actor=actor, instance=instance)


def attendance_save(*, actor, session: TrainingSession, rows: list[dict]) -> list[TrainingAttendance]:
    """Set the attendance of a session (rows: cadre, attended, hours, remarks); people not in the rows
    are removed. Hours default to the session's and may not exceed them."""
    require_perm(actor, "teams:training:change")
    if not TrainingSession.objects.for_user(actor, "change").filter(pk=session.pk).exists():
        raise ValidationError("该培训不在您的授权范围内。")
    problems = []
    for row in rows:
        hours = row.get("hours")
        if hours is not None and (hours < 0 or hours > session.hours):
            problems.append(f"{row['cadre'].name}的计入学时应在 0 至 {session.hours} 之间。")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        before = changelog.snapshot(session)
        before["attendance"] = [f"{a.cadre_id}:{a.attended}:{a.hours}" for a in session.attendance.all()]
        session.attendance.all().delete()
        saved = TrainingAttendance.objects.bulk_create([
            TrainingAttendance(session=session, cadre=row["cadre"], attended=row.get("attended", True),
                               hours=(row.get("hours") if row.get("hours") is not None else session.hours)
                               if row.get("attended", True) else 0,
                               remarks=row.get("remarks", ""))
            for row in rows])
        after = changelog.snapshot(session)
        after["attendance"] = [f"{a.cadre_id}:{a.attended}:{a.hours}" for a in saved]
        changelog.record(session, "update", before=before, after=after, user=actor)
    return saved
