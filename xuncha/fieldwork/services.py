"""Every write of fieldwork: one transaction, the change log inside it, the scope re-checked.

Services are keyword-only and named `<entity>_<verb>`. The record services share one shape
(`record_create/record_update/record_delete` bound per model below); petitions add the receipt
number, their handling and the reporter's identity; the public intake writes a petition without a
user (the actor is None, the intake code is the authority).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from xuncha.core import changelog
from xuncha.core.files import store_upload
from xuncha.core.models import ChangeLog
from xuncha.core.scoping import has_perm
from xuncha.core.services import ScopeViolation, scoped_create, scoped_soft_delete, scoped_update
from xuncha.org.validators import validate_id_card, validate_mobile
from xuncha.planning.choices import Stage
from xuncha.planning.records import check_target

from . import choices as c
from .models import (
    DocumentRequest,
    DocumentRequestItem,
    HearingReport,
    IntakeChannel,
    MeetingAttendance,
    Petition,
    PetitionReporter,
    Talk,
    Visit,
)
from .permissions import REPORTER_CHANGE, REPORTER_VIEW

# Fields each record's form may set (the inspection is set once, at creation).
FIELDS: dict[type, tuple[str, ...]] = {
    HearingReport: ("report_date", "unit", "reporter", "topic", "summary"),
    Talk: ("unit", "cadre", "interviewee_name", "interviewee_post", "category", "status", "planned_date",
           "talked_at", "place", "recorder", "content"),
    Petition: ("channel", "received_date", "subject_unit", "subject_persons", "category", "content"),
    DocumentRequest: ("title", "unit", "requested_date", "due_date", "received_date", "status", "reviewer",
                      "reviewer_notes"),
    MeetingAttendance: ("meeting_date", "unit", "kind", "title", "attendees", "summary", "observations"),
    Visit: ("level", "visit_date", "unit", "place", "people_met", "findings"),
}
M2M: dict[type, tuple[str, ...]] = {Talk: ("talkers",)}
UNIT_FIELD = {Petition: "subject_unit"}
REPORTER_FIELDS = ("anonymous", "name", "phone", "id_card", "address", "identity", "relationship",
                   "wants_feedback", "notes")


# --- Rules shared by every record ---------------------------------------------------------------


def _check_open(inspection) -> None:
    if inspection.stage == Stage.ARCHIVED:
        raise ValidationError({"inspection": "巡察任务已归档，不能再新增或修改巡察工作记录。"})


def _check_rules(model, inspection, data: dict, instance=None) -> None:
    _check_open(inspection)
    unit_field = UNIT_FIELD.get(model, "unit")
    check_target(inspection, data.get(unit_field), unit_field)
    errors: dict[str, str] = {}
    if model is Talk:
        if not data.get("cadre") and not (data.get("interviewee_name") or "").strip():
            errors["interviewee_name"] = "请从干部库选择谈话对象，或填写谈话对象姓名。"
        if data.get("status") == c.TalkStatus.DONE:
            if not data.get("talked_at"):
                errors["talked_at"] = "已谈话的记录请填写谈话时间。"
            if not (data.get("content") or "").strip() and not data.get("files"):
                errors["content"] = "已谈话的记录请填写谈话内容或上传谈话记录。"
        if data.get("status") == c.TalkStatus.PLANNED and not data.get("planned_date"):
            errors["planned_date"] = "计划谈话请填写计划日期。"
    if model is DocumentRequest:
        requested, due, received = data.get("requested_date"), data.get("due_date"), data.get("received_date")
        if requested and due and due < requested:
            errors["due_date"] = "「要求提供日期」不能早于「提出日期」。"
        if requested and received and received < requested:
            errors["received_date"] = "「实际提供日期」不能早于「提出日期」。"
        if data.get("status") in (c.RequestStatus.RECEIVED, c.RequestStatus.REVIEWED) and not received:
            errors["received_date"] = "材料已提供时请填写实际提供日期。"
    if model is Petition and data.get("received_date") and data["received_date"] > timezone.localdate():
        errors["received_date"] = "「收到日期」不能晚于今天。"
    if errors:
        raise ValidationError(errors)


def _assign(instance, data: dict, fields: Iterable[str]) -> None:
    for name in fields:
        if name in data:
            value = data[name]
            setattr(instance, name, value.strip() if isinstance(value, str) else value)


def _store_files(actor, files) -> list:
    return [store_upload(f, user=actor) for f in (files or [])]


def _sync_items(request: DocumentRequest, text: str | None) -> None:
    """One item per line; an item already received keeps its mark when its line stays."""
    if text is None:
        return
    names = [line.strip() for line in text.splitlines() if line.strip()]
    existing = {item.name: item for item in request.items.all()}
    keep = set()
    for order, name in enumerate(names, start=1):
        item = existing.get(name)
        if item is None:
            item = DocumentRequestItem.objects.create(request=request, name=name[:200], order=order)
        elif item.order != order:
            item.order = order
            item.save(update_fields=["order"])
        keep.add(item.pk)
    request.items.exclude(pk__in=keep).delete()


def record_create(*, model, actor, data: dict):
    """Create one record of an inspection from a form's cleaned data (files: new attachments)."""
    inspection = data.get("inspection")
    if inspection is None:
        raise ValidationError({"inspection": "请选择巡察任务。"})
    _check_rules(model, inspection, data)
    instance = model(inspection=inspection, authority_id=inspection.authority_id)
    _assign(instance, data, FIELDS[model])
    if model is Petition:
        instance.receipt_no = new_receipt_no(instance.received_date)
    stored = _store_files(actor, data.get("files"))
    m2m = {name: data.get(name) or [] for name in M2M.get(model, ())}

    def after(obj):
        if stored:
            obj.attachments.add(*stored)
        if model is DocumentRequest:
            _sync_items(obj, data.get("items_text"))

    return scoped_create(actor=actor, instance=instance, m2m=m2m, after_save=after)


def record_update(*, model, actor, instance, data: dict):
    _check_rules(model, instance.inspection, data, instance)
    stored = _store_files(actor, data.get("files"))

    def change(obj):
        _assign(obj, data, FIELDS[model])
        for name in M2M.get(model, ()):
            if name in data:
                getattr(obj, name).set(data[name] or [])
        if stored:
            obj.attachments.add(*stored)
        if model is DocumentRequest:
            _sync_items(obj, data.get("items_text"))

    return scoped_update(actor=actor, instance=instance, changes=change)


def record_delete(*, model, actor, instance):
    _check_open(instance.inspection)
    if model is Petition and instance.status == c.PetitionStatus.CLUE:
        def guard(obj):
            raise ValidationError("该信访举报已转为问题线索，不能删除。")
    else:
        guard = None
    return scoped_soft_delete(actor=actor, instance=instance, guard=guard)


def record_remove_attachment(*, actor, instance, file_id: int):
    """Detach one file (the stored bytes stay: uploads are never overwritten or removed)."""
    _check_open(instance.inspection)
    if not instance.attachments.filter(pk=file_id).exists():
        raise ValidationError("该附件不属于此记录。")
    return scoped_update(actor=actor, instance=instance, changes=lambda obj: obj.attachments.remove(file_id))


def _bind(model):
    def create(*, actor, data):
        return record_create(model=model, actor=actor, data=data)

    def update(*, actor, instance, data):
        return record_update(model=model, actor=actor, instance=instance, data=data)

    def delete(*, actor, instance):
        return record_delete(model=model, actor=actor, instance=instance)

    name = model._meta.model_name
    create.__name__, update.__name__, delete.__name__ = f"{name}_create", f"{name}_update", f"{name}_delete"
    return create, update, delete


hearingreport_create, hearingreport_update, hearingreport_delete = _bind(HearingReport)
talk_create, talk_update, talk_delete = _bind(Talk)
petition_create, petition_update, petition_delete = _bind(Petition)
documentrequest_create, documentrequest_update, documentrequest_delete = _bind(DocumentRequest)
meetingattendance_create, meetingattendance_update, meetingattendance_delete = _bind(MeetingAttendance)
visit_create, visit_update, visit_delete = _bind(Visit)


# --- Talks --------------------------------------------------------------------------------------


def talk_record(*, actor, talk: Talk, talked_at: datetime.datetime, place: str, content: str, files=None) -> Talk:
    """Mark a planned talk as held (the talk plan's progress)."""
    data = {"status": c.TalkStatus.DONE, "talked_at": talked_at, "place": place, "content": content,
            "files": files, "cadre": talk.cadre, "interviewee_name": talk.interviewee_name, "unit": talk.unit}
    return record_update(model=Talk, actor=actor, instance=talk, data=data)


# --- Document requests --------------------------------------------------------------------------


def documentrequest_item_toggle(*, actor, request: DocumentRequest, item_id: int) -> DocumentRequest:
    """Mark one item received (or not); the request's status follows its items."""
    _check_open(request.inspection)
    if not request.items.filter(pk=item_id).exists():
        raise ValidationError("该材料不属于此调阅清单。")

    def change(obj: DocumentRequest):
        item = obj.items.get(pk=item_id)
        item.received = not item.received
        item.save(update_fields=["received"])
        items = list(obj.items.all())
        if obj.status != c.RequestStatus.REVIEWED:
            done = sum(1 for i in items if i.received)
            obj.status = (c.RequestStatus.RECEIVED if done == len(items) else
                          c.RequestStatus.PARTIAL if done else c.RequestStatus.REQUESTED)
            if done == len(items) and not obj.received_date:
                obj.received_date = timezone.localdate()

    return scoped_update(actor=actor, instance=request, changes=change)


# --- Petitions ----------------------------------------------------------------------------------

_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone


def new_receipt_no(received: datetime.date | None = None) -> str:
    """XF20260315-7KQ4MZ: the date and six random characters (not a counter: it must not tell how
    many petitions an inspection received, nor be guessable)."""
    day = received or timezone.localdate()
    for _ in range(10):
        code = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(6))
        number = f"XF{day:%Y%m%d}-{code}"
        if not Petition.all_objects.filter(receipt_no=number).exists():
            return number
    raise RuntimeError("could not draw a free receipt number")


def petition_handle(*, actor, petition: Petition, status: str, opinion: str) -> Petition:
    """Record the handling of a petition: 已转线索 / 已转办 / 留存 / 了结, with the opinion."""
    if not has_perm(actor, "fieldwork:petition:handle"):
        raise PermissionDenied("您没有办理信访举报的权限。")
    _check_open(petition.inspection)
    errors = {}
    if status not in c.PetitionStatus.values:
        errors["status"] = "请选择办理状态。"
    if status != c.PetitionStatus.PENDING and not opinion.strip():
        errors["opinion"] = "请填写处理意见。"
    if errors:
        raise ValidationError(errors)

    def change(obj: Petition):
        obj.status, obj.handling_opinion = status, opinion.strip()
        obj.handled_at, obj.handled_by = timezone.now(), actor

    return scoped_update(actor=actor, instance=petition, changes=change, action="handle")


def petition_mark_clue(*, actor, petition: Petition, opinion: str = "已转为问题线索。") -> Petition:
    """For the findings app: a clue was made from this petition."""
    return petition_handle(actor=actor, petition=petition, status=c.PetitionStatus.CLUE, opinion=opinion)


def truthy(value) -> bool:
    """A checkbox or JSON flag: "on", "true", "1", True, 是."""
    if isinstance(value, str):
        return value.strip().lower() in ("on", "true", "1", "yes", "是")
    return bool(value)


def validate_reporter(data: dict) -> dict:
    """Clean a reporter's identity; raise ValidationError naming the fields (Chinese)."""
    cleaned = {k: str(data.get(k) or "").strip() for k in REPORTER_FIELDS}
    cleaned["anonymous"] = truthy(data.get("anonymous"))
    cleaned["wants_feedback"] = truthy(data.get("wants_feedback"))
    errors: dict[str, str] = {}
    if cleaned["phone"]:
        digits = cleaned["phone"].replace("-", "").replace(" ", "")
        if digits.startswith("1") and len(digits) == 11:
            try:
                validate_mobile(digits)
            except ValidationError as error:
                errors["phone"] = error.messages[0]
        elif not (digits.isdigit() and 7 <= len(digits) <= 12):
            errors["phone"] = "联系电话应为 11 位手机号或带区号的固定电话。"
        cleaned["phone"] = digits
    if cleaned["id_card"]:
        cleaned["id_card"] = cleaned["id_card"].upper()
        try:
            validate_id_card(cleaned["id_card"])
        except ValidationError as error:
            errors["id_card"] = error.messages[0]
    if cleaned["anonymous"] and (cleaned["name"] or cleaned["id_card"]):
        errors["anonymous"] = "匿名举报不应填写姓名或身份证号；如为实名举报，请取消“匿名”。"
    if not cleaned["anonymous"] and not cleaned["name"]:
        errors["name"] = "实名举报请填写姓名；不愿留名请勾选“匿名”。"
    if cleaned["wants_feedback"] and not (cleaned["phone"] or cleaned["address"]):
        errors["wants_feedback"] = "要求反馈时请留下联系电话或联系地址。"
    for field, limit in (("name", 50), ("address", 200), ("identity", 100), ("relationship", 100)):
        if len(cleaned[field]) > limit:
            errors[field] = f"最多 {limit} 个字。"
    if errors:
        raise ValidationError(errors)
    return cleaned


def reporter_save(*, actor, petition: Petition, data: dict) -> PetitionReporter:
    """Record or correct who reported a petition. Only holders of `fieldwork:reporter:change` whose
    scope reaches the petition; the change log keeps that it changed, never the values."""
    if not has_perm(actor, REPORTER_CHANGE):
        raise PermissionDenied("您没有登记举报人信息的权限。")
    cleaned = validate_reporter(data)
    with transaction.atomic():
        if not Petition.objects.for_user_perm(actor, REPORTER_CHANGE).filter(pk=petition.pk).exists():
            raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
        reporter = PetitionReporter.objects.select_for_update().filter(petition=petition).first()
        before = changelog.snapshot(reporter)
        if reporter is None:
            reporter = PetitionReporter(petition=petition, created_by=actor)
        elif any(getattr(reporter, k) != cleaned[k] for k in REPORTER_FIELDS):
            reporter.revision += 1
        _assign(reporter, cleaned, REPORTER_FIELDS)
        reporter.save()
        if not PetitionReporter.objects.for_user_perm(actor, REPORTER_CHANGE).filter(pk=reporter.pk).exists():
            raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
        changelog.record(reporter, ChangeLog.Action.CREATE if before is None else ChangeLog.Action.UPDATE,
                         before=before, after=changelog.snapshot(reporter), user=actor)
    return reporter


def reporter_for(user, petition: Petition) -> PetitionReporter | None:
    """The reporter of a petition for a holder of `fieldwork:reporter:view` in scope, else None."""
    if not has_perm(user, REPORTER_VIEW):
        return None
    return PetitionReporter.objects.for_user_perm(user, REPORTER_VIEW).filter(petition_id=petition.pk).first()


# --- Public intake ------------------------------------------------------------------------------


def intake_channel_ensure(*, actor, inspection) -> IntakeChannel:
    """The inspection's intake code, made on first use (by someone who may add petitions to it)."""
    existing = IntakeChannel.objects.filter(inspection=inspection).first()
    if existing is not None:
        return existing
    channel = IntakeChannel(inspection=inspection, authority_id=inspection.authority_id,
                            code=secrets.token_urlsafe(24))
    try:
        with transaction.atomic():
            return scoped_create(actor=actor, instance=channel)
    except IntegrityError:  # made by another request a moment ago
        return IntakeChannel.objects.get(inspection=inspection)


def intake_channel_set_active(*, actor, channel: IntakeChannel, active: bool) -> IntakeChannel:
    def change(obj):
        obj.is_active = active

    return scoped_update(actor=actor, instance=channel, changes=change)


def intake_channel_renew(*, actor, channel: IntakeChannel) -> IntakeChannel:
    """A new code (the old QR code stops working at once), e.g. after a leak."""
    def change(obj):
        obj.code = secrets.token_urlsafe(24)

    return scoped_update(actor=actor, instance=channel, changes=change)


INTAKE_CLOSED = "本巡察组目前不在受理信访举报期间，请通过其他渠道反映。"


def intake_channel_open(code: str) -> IntakeChannel | None:
    """The active intake of an inspection in 进驻/了解, or None (the caller answers the same for
    an unknown code and a closed one, so a code cannot be probed)."""
    if not code or len(code) > 64:
        return None
    channel = IntakeChannel.objects.select_related("inspection", "inspection__group", "inspection__round").filter(
        code=code, is_active=True, inspection__is_deleted=False).first()
    if channel is None or channel.inspection.stage not in c.INTAKE_STAGES:
        return None
    return channel


def intake_clean(inspection, data: dict) -> tuple[dict, dict[str, str]]:
    """Check a public submission: (cleaned values, {field: Chinese error}); nothing is written."""
    errors: dict[str, str] = {}
    source = data.get("channel") or c.PetitionChannel.QRCODE
    if source not in c.PUBLIC_CHANNELS:
        errors["channel"] = "来源渠道只能是二维码、信箱或网络。"
    category = data.get("category") or c.PetitionCategory.OTHER
    if category not in c.PetitionCategory.values:
        errors["category"] = "请选择问题类别。"
    content = str(data.get("content") or "").strip()
    if len(content) < 10:
        errors["content"] = "反映内容过短，请具体写明事实（不少于 10 个字）。"
    elif len(content) > 5000:
        errors["content"] = "反映内容最多 5000 个字，请精简后提交。"
    persons = str(data.get("subject_persons") or "").strip()
    if len(persons) > 200:
        errors["subject_persons"] = "被反映人最多 200 个字。"
    unit = None
    unit_id = str(data.get("subject_unit") or "")
    if unit_id:
        link = inspection.target_links.select_related("unit").filter(unit_id=unit_id).first() \
            if unit_id.isdigit() else None
        if link is None:
            errors["subject_unit"] = "被反映单位应为本次巡察的被巡察单位。"
        else:
            unit = link.unit
    reporter = None
    try:
        reporter = validate_reporter(data)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    cleaned = {"channel": source, "category": category, "content": content, "subject_persons": persons,
               "subject_unit": unit, "reporter": reporter}
    return cleaned, errors


def petition_intake(*, channel: IntakeChannel, data: dict) -> Petition:
    """A petition posted by the public (QR code, mailbox front end): no user, validated strictly.

    `data` holds channel, category, subject_unit (a target's id, optional), subject_persons, content and
    the reporter's fields (anonymous, name, phone, …). Raises ValidationError with Chinese messages.
    """
    inspection = channel.inspection
    if inspection.stage not in c.INTAKE_STAGES:
        raise ValidationError(INTAKE_CLOSED)
    cleaned, errors = intake_clean(inspection, data)
    if errors:
        raise ValidationError(errors)
    reporter = cleaned["reporter"]
    today = timezone.localdate()
    with transaction.atomic():
        petition = Petition(inspection=inspection, authority_id=inspection.authority_id, channel=cleaned["channel"],
                            received_date=today, subject_unit=cleaned["subject_unit"],
                            subject_persons=cleaned["subject_persons"], category=cleaned["category"],
                            content=cleaned["content"], via_intake=True, receipt_no=new_receipt_no(today))
        petition.save(force_insert=True)
        changelog.record(petition, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(petition))
        if reporter is not None and (reporter["name"] or reporter["phone"] or reporter["address"]
                                     or reporter["id_card"] or reporter["anonymous"]):
            row = PetitionReporter(petition=petition)
            _assign(row, reporter, REPORTER_FIELDS)
            row.save()
            changelog.record(row, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(row))
    return petition


# --- Risk inputs for planning -------------------------------------------------------------------


def risk_inputs_refresh(*, year: int) -> int:
    """Count petitions per reported unit and year into planning's `UnitRiskInput` (source 巡察发现).

    A system job (no actor): one row per unit and year with source 巡察发现 is created or updated;
    rows entered by hand or imported are left alone. Returns the number of rows written.
    """
    from django.db.models import Count

    from xuncha.planning.models import UnitRiskInput

    counts = (Petition.objects.filter(received_date__year=year, subject_unit__isnull=False)
              .values("subject_unit", "subject_unit__region").annotate(n=Count("id")))
    written = 0
    with transaction.atomic():
        for row in counts:
            existing = UnitRiskInput.objects.select_for_update().filter(
                unit_id=row["subject_unit"], year=year, source=UnitRiskInput.Source.FIELDWORK).first()
            if existing is None:
                obj = UnitRiskInput(unit_id=row["subject_unit"], region_id=row["subject_unit__region"], year=year,
                                    petition_count=row["n"], source=UnitRiskInput.Source.FIELDWORK,
                                    remarks="由巡察期间受理的信访举报统计生成")
                obj.save()
                changelog.record(obj, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(obj))
                written += 1
            elif existing.petition_count != row["n"]:
                before = changelog.snapshot(existing)
                existing.petition_count = row["n"]
                existing.save(update_fields=["petition_count", "updated_at"])
                changelog.record(existing, ChangeLog.Action.UPDATE, before=before,
                                 after=changelog.snapshot(existing))
                written += 1
    return written
