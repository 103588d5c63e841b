"""The report, the feedback and the archive of an inspection (stages 报告, 反馈, 归档 of DOMAIN.md).

    Inspection ─ InspectionReport ─< ReportVersion      (generated draft, uploaded edited versions)
                                  ─< ReviewEntry        (统一把关: comments, submit, return, approve)
    Inspection ─< Feedback (one per target unit) ─< FeedbackVersion
                                                 ─< FeedbackMeeting (attending leaders)
    Inspection ─ ArchiveChecklist ─< ArchiveItem        (立卷归档: counts, ticked items, number)

Every record hangs on one inspection (`planning.records.InspectionRecord`): the office of the
region and the inspection's own group see it. A unit's liaison sees the *issued* feedback of its
own unit and nothing else (scope rule registered in `apps.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, FSMModelMixin, transition

from xuncha.core.models import BaseModel
from xuncha.core.scoping import AllObjectsManager, ScopedManager, ScopedQuerySet
from xuncha.planning.records import InspectionRecord

from . import choices as c

__all__ = ["InspectionReport", "ReportVersion", "ReviewEntry", "Feedback", "FeedbackVersion",
           "FeedbackMeeting", "ArchiveChecklist", "ArchiveItem"]

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

REPORT_SCOPE = {"region": "report__authority", "group": "report__inspection__group"}
FEEDBACK_SCOPE = {"region": "feedback__authority", "group": "feedback__inspection__group"}


def _user_fk(label: str):
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=label, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+", editable=False)


# --- The inspection report ----------------------------------------------------------------------


class InspectionReport(FSMModelMixin, InspectionRecord):
    """The inspection report (巡察报告) of one inspection: a generated first draft, then the versions the
    group edits in Word and uploads back; the office's unified review of the round approves it.

    草稿 → 待把关 (group leader submits) → 已退回 (the office, with reasons) → 待把关 … → 已审定.
    The status changes only through `services.report_submit/report_return/report_approve`.
    """

    title = models.CharField("报告标题", max_length=200)
    status = FSMField("状态", max_length=16, choices=c.ReportStatus.choices, default=c.ReportStatus.DRAFT,
                      protected=True)
    current = models.ForeignKey("ReportVersion", verbose_name="当前稿", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+", editable=False)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, editable=False)
    submitted_by = _user_fk("提交人")
    approved_at = models.DateTimeField("审定时间", null=True, blank=True, editable=False)
    approved_by = _user_fk("审定人")
    recommendations = models.TextField(
        "意见建议", blank=True, help_text="写入报告“意见建议”部分，每行一条；不填则采用通用表述。")

    permission_name = "report"
    history_exclude = ("authority",)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "巡察报告"
        constraints = [models.UniqueConstraint(fields=["inspection"], condition=Q(is_deleted=False),
                                               name="report_one_per_inspection")]

    def __str__(self):
        return self.title

    @property
    def is_approved(self) -> bool:
        return self.status == c.ReportStatus.APPROVED

    @property
    def editable(self) -> bool:
        """The group edits the draft and a returned report; a submitted or approved one is frozen."""
        return self.status in (c.ReportStatus.DRAFT, c.ReportStatus.RETURNED)

    @transition(field=status, source=[c.ReportStatus.DRAFT, c.ReportStatus.RETURNED], target=c.ReportStatus.SUBMITTED)
    def submit(self):
        """草稿/已退回 → 待把关."""

    @transition(field=status, source=c.ReportStatus.SUBMITTED, target=c.ReportStatus.RETURNED)
    def send_back(self):
        """待把关 → 已退回 (with the reasons in a ReviewEntry)."""

    @transition(field=status, source=c.ReportStatus.SUBMITTED, target=c.ReportStatus.APPROVED)
    def approve(self):
        """待把关 → 已审定."""


class ReportVersion(BaseModel):
    """One version of a report's Word document, kept for ever (the file is stored by SHA-256)."""

    report = models.ForeignKey(InspectionReport, verbose_name="巡察报告", on_delete=models.PROTECT,
                               related_name="versions")
    number = models.PositiveIntegerField("版本号")
    source = models.CharField("来源", max_length=16, choices=c.VersionSource.choices)
    file = models.ForeignKey("core.StoredFile", verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("修改说明", max_length=200, blank=True)

    objects = ScopedManager()
    all_objects = AllObjectsManager()
    scope_paths = REPORT_SCOPE
    permission_name = "report"

    class Meta:
        ordering = ["report_id", "-number"]
        verbose_name = verbose_name_plural = "报告版本"
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique_number")]

    def __str__(self):
        return f"第{self.number}稿"


class ReviewEntry(BaseModel):
    """One entry of the review thread of a report (统一把关): a comment, a submission, a return with
    its reasons, the approval. Append-only: an entry is never edited."""

    report = models.ForeignKey(InspectionReport, verbose_name="巡察报告", on_delete=models.PROTECT,
                               related_name="entries")
    action = models.CharField("类型", max_length=16, choices=c.ReviewAction.choices)
    text = models.TextField("意见", blank=True)
    version = models.ForeignKey(ReportVersion, verbose_name="针对版本", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    username = models.CharField("意见人", max_length=150, blank=True)

    objects = ScopedManager()
    all_objects = AllObjectsManager()
    scope_paths = REPORT_SCOPE
    permission_name = "report"

    class Meta:
        ordering = ["report_id", "id"]
        verbose_name = verbose_name_plural = "把关意见"

    def __str__(self):
        return self.get_action_display()


# --- Feedback --------------------------------------------------------------------------------------


class FeedbackQuerySet(ScopedQuerySet):
    def issued(self):
        """Feedback that the office has issued to the unit (the rectification starts from these)."""
        return self.filter(issued_at__isnull=False)


class FeedbackManager(ScopedManager.from_queryset(FeedbackQuerySet)):
    pass


class Feedback(InspectionRecord):
    """The feedback (反馈意见) to one target unit of an inspection: generated from the approved report's
    problems for the unit, edited by upload, issued by the office. Once issued, the unit's liaison
    sees it (and nothing else of the inspection); the rectification starts from it."""

    unit = models.ForeignKey("org.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=200)
    current = models.ForeignKey("FeedbackVersion", verbose_name="当前稿", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+", editable=False)
    issued_at = models.DateTimeField("印发时间", null=True, blank=True, editable=False)
    issued_by = _user_fk("印发人")
    issue_number = models.CharField("文号", max_length=50, blank=True)
    rectification_due = models.DateField("整改报告期限", null=True, blank=True, editable=False,
                                         help_text="反馈后2个月内报送整改情况。")

    objects = FeedbackManager()
    all_objects = AllObjectsManager.from_queryset(FeedbackQuerySet)()
    permission_name = "feedback"
    history_exclude = ("authority",)

    class Meta:
        ordering = ["inspection_id", "unit_id", "id"]
        verbose_name = verbose_name_plural = "反馈意见"
        constraints = [models.UniqueConstraint(fields=["inspection", "unit"], condition=Q(is_deleted=False),
                                               name="feedback_one_per_unit")]

    def __str__(self):
        return self.title

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None

    @property
    def status(self) -> str:
        return c.FeedbackStatus.ISSUED if self.is_issued else c.FeedbackStatus.DRAFT

    def get_status_display(self) -> str:
        return c.FeedbackStatus(self.status).label


class FeedbackVersion(BaseModel):
    """One version of a feedback's Word document (kept for ever, by SHA-256)."""

    feedback = models.ForeignKey(Feedback, verbose_name="反馈意见", on_delete=models.PROTECT,
                                 related_name="versions")
    number = models.PositiveIntegerField("版本号")
    source = models.CharField("来源", max_length=16, choices=c.VersionSource.choices)
    file = models.ForeignKey("core.StoredFile", verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("修改说明", max_length=200, blank=True)

    objects = ScopedManager()
    all_objects = AllObjectsManager()
    permission_name = "feedback"
    scope_paths = FEEDBACK_SCOPE

    class Meta:
        ordering = ["feedback_id", "-number"]
        verbose_name = verbose_name_plural = "反馈意见版本"
        constraints = [models.UniqueConstraint(fields=["feedback", "number"],
                                               name="feedbackversion_unique_number")]

    def __str__(self):
        return f"第{self.number}稿"


class FeedbackMeeting(InspectionRecord):
    """The feedback meeting (反馈会) with the unit's leadership: who presided, the leaders who attended
    (the unit's cadres, and other attendees such as the city leader by name), the minutes."""

    feedback = models.ForeignKey(Feedback, verbose_name="反馈意见", on_delete=models.PROTECT,
                                 related_name="meetings")
    held_on = models.DateField("会议日期")
    place = models.CharField("地点", max_length=100)
    presided_by = models.CharField("主持人", max_length=100)
    attending_cadres = models.ManyToManyField("org.Cadre", verbose_name="出席的被巡察单位领导", blank=True,
                                              related_name="+")
    attending_names = models.TextField("其他出席人员", blank=True,
                                       help_text="如出席会议的市（县）领导、巡察组成员，每行一人（姓名 职务）。")
    minutes = models.TextField("会议纪要", blank=True)
    attachments = models.ManyToManyField("core.StoredFile", verbose_name="附件", blank=True, related_name="+")

    permission_name = "meeting"

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "反馈会"

    def __str__(self):
        return f"反馈会（{self.held_on:%Y-%m-%d}）"


# --- Archive ----------------------------------------------------------------------------------------


class ArchiveChecklist(InspectionRecord):
    """立卷归档 of one inspection: the counts of its work, the closing items ticked by whom and when,
    the archive number. The inspection's step to 归档 requires every item ticked and a number."""

    archive_number = models.CharField("档号", max_length=50, blank=True)
    counts = models.JSONField("归档时统计", default=dict, blank=True, editable=False)
    completed_at = models.DateTimeField("归档完成时间", null=True, blank=True, editable=False)
    completed_by = _user_fk("归档人")
    remarks = models.TextField("备注", blank=True)

    permission_name = "archive"
    history_exclude = ("authority", "counts")

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "立卷归档"
        constraints = [models.UniqueConstraint(fields=["inspection"], condition=Q(is_deleted=False),
                                               name="archive_one_per_inspection")]

    def __str__(self):
        return f"立卷归档 #{self.pk}"


class ArchiveItem(BaseModel):
    """One item of the closing checklist (报告已审定, 反馈已送达…), ticked by whom and when."""

    checklist = models.ForeignKey(ArchiveChecklist, verbose_name="立卷归档", on_delete=models.CASCADE,
                                  related_name="items")
    code = models.CharField("编码", max_length=32)
    label = models.CharField("事项", max_length=100)
    order = models.PositiveSmallIntegerField("排序", default=0)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_by = _user_fk("确认人")
    note = models.CharField("说明", max_length=200, blank=True)

    objects = ScopedManager()
    all_objects = AllObjectsManager()
    scope_paths = {"region": "checklist__authority", "group": "checklist__inspection__group"}
    permission_name = "archive"

    class Meta:
        ordering = ["checklist_id", "order", "id"]
        verbose_name = verbose_name_plural = "归档事项"
        constraints = [models.UniqueConstraint(fields=["checklist", "code"], name="archiveitem_unique_code")]

    def __str__(self):
        return self.label

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
