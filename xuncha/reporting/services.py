"""Every write of reporting: the report and its versions, the unified review (统一把关), the feedback
and its issue, the feedback meeting, the archive checklist and its export.

Each service is keyword-only, runs in one transaction, writes the change log inside it and
re-checks the scope (`core.services.scoped_*`). Refusals are Chinese `ValidationError`s that name
the field; nothing is written when one is raised.
"""

from __future__ import annotations

import datetime
import io
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xuncha.core import changelog
from xuncha.core.files import read_upload, store_bytes
from xuncha.core.models import ChangeLog, Job
from xuncha.core.scoping import has_perm
from xuncha.core.services import (
    ScopeViolation,
    require_perm,
    scoped_create,
    scoped_soft_delete,
    scoped_update,
)
from xuncha.planning.choices import STAGE_ORDER, Stage
from xuncha.planning.records import check_target

from . import choices as c
from . import documents, sources
from .models import (
    DOCX_CONTENT_TYPE,
    ArchiveChecklist,
    ArchiveItem,
    Feedback,
    FeedbackMeeting,
    FeedbackVersion,
    InspectionReport,
    ReportVersion,
    ReviewEntry,
)

__all__ = [
    "validate_docx", "report_generate", "report_upload", "report_submit", "report_comment", "report_return",
    "report_approve", "report_update", "feedback_generate", "feedback_upload", "feedback_issue",
    "meeting_create", "meeting_update", "meeting_delete", "archive_open", "archive_tick", "archive_update",
    "archive_export_start", "add_months",
]

DOCX_MAX_BYTES = 30 * 1024 * 1024


def add_months(day: datetime.date, months: int) -> datetime.date:
    """2026-12-31 + 2 → 2027-02-28 (the last day of a shorter month)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- Word uploads -------------------------------------------------------------------------------------


def validate_docx(upload, *, field: str = "file") -> bytes:
    """The bytes of an uploaded Word document (.docx), or a Chinese error naming the field."""
    if upload is None:
        raise ValidationError({field: "请选择要上传的 Word 文档（.docx）。"})
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith(".doc") or name.endswith(".wps"):
        raise ValidationError({field: "不支持旧版 Word（.doc）或 WPS（.wps）格式，请另存为 .docx 后重新上传。"})
    if not name.endswith(".docx"):
        raise ValidationError({field: "只能上传 Word 文档（.docx 格式），请在 Word 或 WPS 中另存为 .docx 后重新上传。"})
    try:
        data = read_upload(upload, max_bytes=DOCX_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    if not docx_is_valid(data):
        raise ValidationError({field: "文件已损坏或不是有效的 Word 文档（.docx），无法打开，请检查后重新上传。"})
    return data


def docx_is_valid(data: bytes) -> bool:
    """A real .docx: a zip with a main document part that python-docx opens."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                return False
            if archive.testzip() is not None:
                return False
        from docx import Document

        Document(io.BytesIO(data))
    except Exception:  # any parse error means Word would not open it either
        return False
    return True


def _next_number(model, **parent) -> int:
    return (model.objects.filter(**parent).aggregate(n=Max("number"))["n"] or 0) + 1


def _stored_docx(data: bytes, name: str, actor):
    return store_bytes(data, name=name, content_type=DOCX_CONTENT_TYPE, user=actor, max_bytes=DOCX_MAX_BYTES)


def _stage_at_least(inspection, stage: str) -> bool:
    return STAGE_ORDER.index(inspection.stage) >= STAGE_ORDER.index(stage)


# --- The inspection report ------------------------------------------------------------------------------


def _targets(inspection) -> list:
    return [link.unit for link in inspection.target_links.select_related("unit").order_by("unit__name")]


def report_draft_bytes(report: InspectionReport) -> bytes:
    """The first draft of the report, from the inspection's confirmed problems as they are now."""
    inspection = report.inspection
    return documents.report_document(
        inspection=inspection, units=_targets(inspection), methods=sources.method_counts(inspection),
        problems=sources.confirmed_problems(inspection), clue_count=sources.clue_count(inspection),
        recommendations=report.recommendations)


def _editable_or_refuse(report: InspectionReport) -> None:
    if not report.editable:
        raise ValidationError(f"巡察报告当前状态为「{report.get_status_display()}」，不能修改；"
                              "如需修改，请巡察办在统一把关中退回。")


def _report_stage_or_refuse(inspection) -> None:
    if inspection.stage not in (Stage.UNDERSTAND, Stage.REPORT):
        raise ValidationError(f"巡察任务当前处于「{inspection.get_stage_display()}」阶段，"
                              "只有在「了解」或「报告」阶段才能起草和修改巡察报告。")


def _add_report_version(report, *, data: bytes, name: str, source: str, note: str, actor) -> ReportVersion:
    stored = _stored_docx(data, name, actor)
    version = ReportVersion.objects.create(report=report, number=_next_number(ReportVersion, report=report),
                                           source=source, file=stored, note=note[:200], created_by=actor)
    changelog.record(version, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(version), user=actor)
    report.current = version
    return version


def report_generate(*, actor, inspection, recommendations: str | None = None) -> InspectionReport:
    """生成报告初稿: create the inspection's report if it has none, and add a generated version
    (the report must still be editable: a draft or returned)."""
    _report_stage_or_refuse(inspection)
    with transaction.atomic():
        report = InspectionReport.objects.select_for_update().filter(inspection=inspection).first()
        if report is None:
            report = InspectionReport(inspection=inspection, title=documents.report_title(
                inspection, _targets(inspection)), recommendations=recommendations or "")
            report = scoped_create(actor=actor, instance=report)
        _editable_or_refuse(report)

        def changes(locked):
            if recommendations is not None:
                locked.recommendations = recommendations
            number = _next_number(ReportVersion, report=locked)
            _add_report_version(locked, data=report_draft_bytes(locked), name=f"{locked.title}（第{number}稿）.docx",
                                source=c.VersionSource.GENERATED, note="系统根据已确认问题生成", actor=actor)

        return scoped_update(actor=actor, instance=report, changes=changes)


def report_update(*, actor, report: InspectionReport, title: str, recommendations: str) -> InspectionReport:
    _editable_or_refuse(report)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写报告标题。"})

    def changes(locked):
        locked.title, locked.recommendations = title[:200], recommendations or ""

    return scoped_update(actor=actor, instance=report, changes=changes)


def report_upload(*, actor, report: InspectionReport, upload, note: str = "") -> ReportVersion:
    """Upload the group's edited version (docx only, validated, stored by SHA-256, every version kept)."""
    data = validate_docx(upload)
    _editable_or_refuse(report)
    _report_stage_or_refuse(report.inspection)
    holder = {}

    def changes(locked):
        _editable_or_refuse(locked)
        holder["version"] = _add_report_version(locked, data=data, name=upload.name, source=c.VersionSource.UPLOADED,
                                                note=note or "上传修改稿", actor=actor)

    scoped_update(actor=actor, instance=report, changes=changes)
    return holder["version"]


def _entry(report, action: str, text: str, actor) -> ReviewEntry:
    entry = ReviewEntry.objects.create(report=report, action=action, text=text, version=report.current,
                                       username=actor.username, created_by=actor)
    changelog.record(entry, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(entry), user=actor)
    return entry


def report_submit(*, actor, report: InspectionReport, note: str = "") -> InspectionReport:
    """The group leader submits the report to the office's unified review (草稿/已退回 → 待把关)."""
    if report.status not in (c.ReportStatus.DRAFT, c.ReportStatus.RETURNED):
        raise ValidationError(f"巡察报告当前状态为「{report.get_status_display()}」，不能提交。")
    if report.current_id is None:
        raise ValidationError("巡察报告尚无文稿：请先生成初稿或上传修改稿。")
    if report.inspection.stage != Stage.REPORT:
        raise ValidationError(f"巡察任务当前处于「{report.inspection.get_stage_display()}」阶段："
                              "须先将巡察任务转入「报告」阶段，才能提交统一把关。")

    def changes(locked):
        locked.submit()
        locked.submitted_at, locked.submitted_by = timezone.now(), actor
        _entry(locked, c.ReviewAction.SUBMIT, note.strip(), actor)

    return scoped_update(actor=actor, instance=report, changes=changes, action="submit")


def report_comment(*, actor, report: InspectionReport, text: str) -> ReviewEntry:
    """A comment in the report's thread: the office reviewing, or the group answering."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写意见内容。"})
    if not (has_perm(actor, "reporting:report:review") or has_perm(actor, "reporting:report:change")):
        raise PermissionDenied("您没有发表把关意见的权限。")
    reachable = any(InspectionReport.objects.for_user(actor, action).filter(pk=report.pk).exists()
                    for action in ("review", "change"))
    if not reachable:
        raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
    with transaction.atomic():
        return _entry(report, c.ReviewAction.COMMENT, text[:5000], actor)


def report_return(*, actor, report: InspectionReport, reasons: str) -> InspectionReport:
    """The office returns a submitted report with its reasons (待把关 → 已退回)."""
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": "退回须填写理由，说明需要修改的内容。"})
    if report.status != c.ReportStatus.SUBMITTED:
        raise ValidationError(f"巡察报告当前状态为「{report.get_status_display()}」，只有待把关的报告才能退回。")

    def changes(locked):
        locked.send_back()
        _entry(locked, c.ReviewAction.RETURN, reasons, actor)

    return scoped_update(actor=actor, instance=report, changes=changes, action="review")


def report_approve(*, actor, report: InspectionReport, opinion: str = "") -> InspectionReport:
    """The office approves the report in the round's unified review (待把关 → 已审定): the condition
    of the inspection's step to 反馈."""
    if report.status != c.ReportStatus.SUBMITTED:
        raise ValidationError(f"巡察报告当前状态为「{report.get_status_display()}」，只有待把关的报告才能审定。")

    def changes(locked):
        locked.approve()
        locked.approved_at, locked.approved_by = timezone.now(), actor
        _entry(locked, c.ReviewAction.APPROVE, (opinion or "").strip() or "审定通过。", actor)

    return scoped_update(actor=actor, instance=report, changes=changes, action="review")


# --- Feedback ---------------------------------------------------------------------------------------------


def _approved_report(inspection) -> InspectionReport:
    report = InspectionReport.objects.filter(inspection=inspection).first()
    if report is None or not report.is_approved:
        raise ValidationError("巡察报告尚未经统一把关审定，不能生成反馈意见。")
    return report


def feedback_draft_bytes(feedback: Feedback) -> bytes:
    return documents.feedback_document(
        inspection=feedback.inspection, unit=feedback.unit,
        problems=sources.confirmed_problems(feedback.inspection, unit=feedback.unit))


def _add_feedback_version(feedback, *, data: bytes, name: str, source: str, note: str, actor) -> FeedbackVersion:
    stored = _stored_docx(data, name, actor)
    version = FeedbackVersion.objects.create(
        feedback=feedback, number=_next_number(FeedbackVersion, feedback=feedback), source=source, file=stored,
        note=note[:200], created_by=actor)
    changelog.record(version, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(version), user=actor)
    feedback.current = version
    return version


def _not_issued_or_refuse(feedback: Feedback) -> None:
    if feedback.is_issued:
        raise ValidationError("反馈意见已印发，不能再修改。")


def feedback_generate(*, actor, inspection, units: list | None = None) -> list[Feedback]:
    """Generate the feedback of each target unit (or of `units`) from the approved report's problems:
    a new feedback where the unit has none, a new generated version where it has one not yet issued."""
    _approved_report(inspection)
    targets = _targets(inspection)
    chosen = targets if units is None else [u for u in targets if u.pk in {x.pk for x in units}]
    if units is not None:
        for unit in units:
            check_target(inspection, unit)
    results = []
    with transaction.atomic():
        for unit in chosen:
            feedback = Feedback.objects.select_for_update().filter(inspection=inspection, unit=unit).first()
            if feedback is None:
                feedback = scoped_create(actor=actor, instance=Feedback(
                    inspection=inspection, unit=unit, title=documents.feedback_title(inspection, unit)))
            if feedback.is_issued:
                continue

            def changes(locked):
                number = _next_number(FeedbackVersion, feedback=locked)
                _add_feedback_version(locked, data=feedback_draft_bytes(locked),
                                      name=f"{locked.unit.name}反馈意见（第{number}稿）.docx",
                                      source=c.VersionSource.GENERATED, note="系统根据审定的巡察报告生成", actor=actor)

            results.append(scoped_update(actor=actor, instance=feedback, changes=changes))
    return results


def feedback_upload(*, actor, feedback: Feedback, upload, note: str = "") -> FeedbackVersion:
    data = validate_docx(upload)
    _not_issued_or_refuse(feedback)
    holder = {}

    def changes(locked):
        _not_issued_or_refuse(locked)
        holder["version"] = _add_feedback_version(locked, data=data, name=upload.name,
                                                  source=c.VersionSource.UPLOADED, note=note or "上传修改稿",
                                                  actor=actor)

    scoped_update(actor=actor, instance=feedback, changes=changes)
    return holder["version"]


def feedback_issue(*, actor, feedback: Feedback, issue_number: str = "",
                   issued_on: datetime.date | None = None) -> Feedback:
    """印发: the office issues the feedback to the unit; from now on the unit's liaison sees it, and
    the unit reports its rectification within 2 months."""
    _not_issued_or_refuse(feedback)
    if feedback.current_id is None:
        raise ValidationError("反馈意见尚无文稿，不能印发。")
    inspection = feedback.inspection
    if not _stage_at_least(inspection, Stage.FEEDBACK):
        raise ValidationError(f"巡察任务当前处于「{inspection.get_stage_display()}」阶段："
                              "须先转入「反馈」阶段（巡察报告经统一把关审定后），才能印发反馈意见。")
    _approved_report(inspection)
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        raise ValidationError({"issued_on": "印发日期不能晚于今天。"})

    def changes(locked):
        _not_issued_or_refuse(locked)
        locked.issued_at = timezone.now() if issued_on == today else timezone.make_aware(
            datetime.datetime.combine(issued_on, datetime.time(9, 0)))
        locked.issued_by = actor
        locked.issue_number = (issue_number or "").strip()[:50]
        locked.rectification_due = add_months(issued_on, 2)

    return scoped_update(actor=actor, instance=feedback, changes=changes, action="issue")


# --- Feedback meeting -----------------------------------------------------------------------------------


def _meeting_rules(feedback: Feedback, data: dict) -> None:
    errors = {}
    held_on = data.get("held_on")
    if held_on and held_on > timezone.localdate() + datetime.timedelta(days=366):
        errors["held_on"] = "会议日期不合理，请检查。"
    stationed = feedback.inspection.stationed_date
    if held_on and stationed and held_on < stationed:
        errors["held_on"] = f"反馈会日期不能早于进驻日期（{stationed:%Y-%m-%d}）。"
    for cadre in data.get("attending_cadres") or []:
        if cadre.unit_id != feedback.unit_id:
            errors["attending_cadres"] = f"「{cadre.name}」不是{feedback.unit.name}的干部，请在“其他出席人员”中填写。"
            break
    if errors:
        raise ValidationError(errors)


MEETING_FIELDS = ("held_on", "place", "presided_by", "attending_names", "minutes")


def meeting_create(*, actor, feedback: Feedback, data: dict, attachments: list | None = None) -> FeedbackMeeting:
    _meeting_rules(feedback, data)
    stored = [_store_attachment(f, actor) for f in attachments or []]
    meeting = FeedbackMeeting(inspection=feedback.inspection, feedback=feedback)
    for name in MEETING_FIELDS:
        setattr(meeting, name, data.get(name) or ("" if name != "held_on" else None))
    return scoped_create(actor=actor, instance=meeting, m2m={
        "attending_cadres": list(data.get("attending_cadres") or []), "attachments": stored})


def meeting_update(*, actor, meeting: FeedbackMeeting, data: dict, attachments: list | None = None) -> FeedbackMeeting:
    _meeting_rules(meeting.feedback, data)
    stored = [_store_attachment(f, actor) for f in attachments or []]

    def changes(locked):
        for name in MEETING_FIELDS:
            setattr(locked, name, data.get(name) or ("" if name != "held_on" else None))

    with transaction.atomic():
        updated = scoped_update(actor=actor, instance=meeting, changes=changes)
        before = changelog.snapshot(updated)
        updated.attending_cadres.set(list(data.get("attending_cadres") or []))
        if stored:
            updated.attachments.add(*stored)
        after = changelog.snapshot(updated)
        if before != after:
            changelog.record(updated, ChangeLog.Action.UPDATE, before=before, after=after, user=actor)
    return updated


def meeting_delete(*, actor, meeting: FeedbackMeeting) -> FeedbackMeeting:
    return scoped_soft_delete(actor=actor, instance=meeting)


def _store_attachment(upload, actor):
    try:
        return store_bytes(read_upload(upload), name=upload.name, content_type=getattr(upload, "content_type", ""),
                           user=actor)
    except ValidationError as error:
        raise ValidationError({"attachments": [f"「{upload.name}」：{m}" for m in error.messages]}) from None


# --- Archive ------------------------------------------------------------------------------------------------


def archive_open(*, actor, inspection) -> ArchiveChecklist:
    """Open the closing checklist (立卷归档) of an inspection, with its standard items."""
    if not _stage_at_least(inspection, Stage.FEEDBACK):
        raise ValidationError(f"巡察任务当前处于「{inspection.get_stage_display()}」阶段，反馈后才能开始立卷归档。")
    with transaction.atomic():
        existing = ArchiveChecklist.objects.filter(inspection=inspection).first()
        if existing is not None:
            return existing

        def items(checklist):
            for order, (code, label, _) in enumerate(c.ARCHIVE_ITEMS, start=1):
                ArchiveItem.objects.create(checklist=checklist, code=code, label=label, order=order, created_by=actor)

        return scoped_create(actor=actor, instance=ArchiveChecklist(inspection=inspection), after_save=items)


def _refresh_completion(checklist: ArchiveChecklist, actor) -> None:
    """Complete when every item is ticked and the number filled in: snapshot the counts then."""
    complete = bool(checklist.archive_number.strip()) and not checklist.items.filter(done_at__isnull=True).exists()
    if complete and checklist.completed_at is None:
        checklist.completed_at, checklist.completed_by = timezone.now(), actor
        checklist.counts = {row.key: row.value for row in sources.archive_counts(checklist.inspection)}
    elif not complete:
        checklist.completed_at, checklist.completed_by = None, None


def archive_tick(*, actor, item: ArchiveItem, done: bool, note: str = "") -> ArchiveItem:
    """Tick (or untick) one closing item, with who and when; an archived inspection's list is frozen."""
    checklist = item.checklist
    if checklist.inspection.stage == Stage.ARCHIVED:
        raise ValidationError("巡察任务已归档，归档清单不能再修改。")

    def changes(locked):
        row = ArchiveItem.objects.select_for_update().get(pk=item.pk, checklist=locked)
        before = changelog.snapshot(row)
        row.done_at, row.done_by = (timezone.now(), actor) if done else (None, None)
        row.note = (note or "").strip()[:200]
        row.save(update_fields=["done_at", "done_by", "note", "updated_at"])
        changelog.record(row, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(row), user=actor)
        _refresh_completion(locked, actor)

    scoped_update(actor=actor, instance=checklist, changes=changes)
    item.refresh_from_db()
    return item


def archive_update(*, actor, checklist: ArchiveChecklist, archive_number: str, remarks: str = "") -> ArchiveChecklist:
    if checklist.inspection.stage == Stage.ARCHIVED:
        raise ValidationError("巡察任务已归档，归档清单不能再修改。")
    number = (archive_number or "").strip()
    if len(number) > 50:
        raise ValidationError({"archive_number": "档号不能超过 50 个字符。"})
    if number and ArchiveChecklist.objects.filter(archive_number=number, authority_id=checklist.authority_id).exclude(
            pk=checklist.pk).exists():
        raise ValidationError({"archive_number": f"档号「{number}」已被本级其他巡察任务使用。"})

    def changes(locked):
        locked.archive_number, locked.remarks = number, remarks or ""
        _refresh_completion(locked, actor)

    return scoped_update(actor=actor, instance=checklist, changes=changes)


ARCHIVE_JOB = "reporting_archive"
SECRET_JOB = "reporting_archive_secret"


def archive_export_start(*, actor, checklist: ArchiveChecklist, secret: bool = False) -> Job:
    """Export the inspection's files as a zip with a catalogue, as a background job with progress.
    The secret volume (clues, petitions and reporters) needs `reporting:archive:secret`."""
    action = "secret" if secret else "export"
    require_perm(actor, f"reporting:archive:{action}")
    if not ArchiveChecklist.objects.for_user(actor, action).filter(pk=checklist.pk).exists():
        raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
    from .tasks import run_archive_job

    label = "保密卷" if secret else "档案材料"
    job = Job.objects.create(kind=SECRET_JOB if secret else ARCHIVE_JOB, user=actor,
                             title=f"导出{checklist.inspection}{label}",
                             params={"checklist": checklist.pk, "secret": secret})
    transaction.on_commit(lambda: run_archive_job.delay(job.pk))
    return job
