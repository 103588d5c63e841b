"""The standard methods of an inspection (巡察方式方法), each a record of one inspection.

    Inspection ─< HearingReport        听取汇报
    Inspection ─< Talk                 个别谈话 (a talk plan: planned, then done)
    Inspection ─< Petition ─ PetitionReporter   信访举报, and the reporter's identity (one-to-one, protected)
    Inspection ─< DocumentRequest ─< DocumentRequestItem   调阅清单
    Inspection ─< MeetingAttendance    列席会议
    Inspection ─< Visit                走访、下沉
    Inspection ─ IntakeChannel         the unguessable code of the public petition intake (QR code, mailbox)

Every record subclasses `planning.records.InspectionRecord`: the office sees its region and below,
the group its own inspections, a unit's liaison nothing. The reporter's identity lives apart in
`PetitionReporter`, with its own permission (`fieldwork:reporter:view`), so that no page, export or
API route that shows a petition can show who reported it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xuncha.core.models import BaseModel
from xuncha.core.scoping import AllObjectsManager, ScopedManager
from xuncha.planning.records import InspectionRecord

from . import choices as c

__all__ = ["HearingReport", "Talk", "Petition", "PetitionReporter", "DocumentRequest", "DocumentRequestItem",
           "MeetingAttendance", "Visit", "IntakeChannel"]


def _attachments():
    return models.ManyToManyField("core.StoredFile", verbose_name="附件", blank=True, related_name="+")


def _target():
    return models.ForeignKey("org.Unit", verbose_name="被巡察单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")


class HearingReport(InspectionRecord):
    """听取汇报: the unit's leadership (or a department) reports to the group."""

    report_date = models.DateField("汇报日期")
    unit = _target()
    reporter = models.CharField("汇报人", max_length=100, help_text="如“党委书记 张某”，或汇报部门。")
    topic = models.CharField("汇报主题", max_length=200)
    summary = models.TextField("汇报要点", blank=True)
    attachments = _attachments()

    permission_name = "hearingreport"

    class Meta(InspectionRecord.Meta):
        ordering = ["-report_date", "-id"]
        verbose_name = verbose_name_plural = "听取汇报"

    def __str__(self):
        return f"{self.report_date:%Y-%m-%d} {self.topic}"


class Talk(InspectionRecord):
    """个别谈话. A talk is planned first (the talk plan) and recorded once held."""

    unit = _target()
    cadre = models.ForeignKey("org.Cadre", verbose_name="谈话对象（干部库）", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    interviewee_name = models.CharField("谈话对象", max_length=50, blank=True,
                                        help_text="不在干部库中的对象（退休干部、服务对象等）直接填写姓名。")
    interviewee_post = models.CharField("职务或身份", max_length=100, blank=True)
    category = models.CharField("对象类别", max_length=16, choices=c.TalkCategory.choices)
    status = models.CharField("状态", max_length=16, choices=c.TalkStatus.choices, default=c.TalkStatus.PLANNED)
    planned_date = models.DateField("计划日期", null=True, blank=True)
    talked_at = models.DateTimeField("谈话时间", null=True, blank=True)
    place = models.CharField("谈话地点", max_length=100, blank=True)
    talkers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="谈话人", blank=True, related_name="+")
    recorder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    content = models.TextField("谈话内容", blank=True)
    attachments = _attachments()

    permission_name = "talk"

    class Meta(InspectionRecord.Meta):
        ordering = ["status", "planned_date", "-talked_at", "-id"]
        verbose_name = verbose_name_plural = "个别谈话"
        indexes = [models.Index(fields=["inspection", "status"])]

    def __str__(self):
        return f"谈话：{self.person_name}"

    @property
    def person_name(self) -> str:
        if self.interviewee_name:
            return self.interviewee_name
        return self.cadre.name if self.cadre_id else "—"


class Petition(InspectionRecord):
    """信访举报 received during an inspection. Its reporter, if known, is in `PetitionReporter`.

    `str()` is the receipt number only: it reaches the change log and messages, never a name.
    """

    receipt_no = models.CharField("受理编号", max_length=32, unique=True, editable=False)
    channel = models.CharField("来源渠道", max_length=16, choices=c.PetitionChannel.choices)
    received_date = models.DateField("收到日期")
    subject_unit = models.ForeignKey("org.Unit", verbose_name="被反映单位", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    subject_persons = models.CharField("被反映人", max_length=200, blank=True, help_text="姓名及职务，多人用顿号分隔。")
    category = models.CharField("问题类别", max_length=16, choices=c.PetitionCategory.choices)
    content = models.TextField("反映内容")
    attachments = _attachments()
    status = models.CharField("办理状态", max_length=16, choices=c.PetitionStatus.choices,
                              default=c.PetitionStatus.PENDING)
    handling_opinion = models.TextField("处理意见", blank=True)
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    via_intake = models.BooleanField("在线受理", default=False, editable=False)

    permission_name = "petition"

    class Meta(InspectionRecord.Meta):
        ordering = ["-received_date", "-id"]
        verbose_name = verbose_name_plural = "信访举报"
        indexes = [models.Index(fields=["inspection", "status"])]

    def __str__(self):
        return self.receipt_no or "信访举报"


class PetitionReporter(BaseModel):
    """The identity of a petition's reporter: the most protected data of the system.

    Seen only with `fieldwork:reporter:view` (group leader of the petition's group, the office of
    its region); never in a list, a search, an export, the API of petitions, the change history
    (every identity field is `history_secret`) or the operation log (its pages log no parameters).
    """

    petition = models.OneToOneField(Petition, verbose_name="信访举报", on_delete=models.PROTECT,
                                    related_name="reporter")
    anonymous = models.BooleanField("匿名", default=False)
    name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    id_card = models.CharField("身份证号", max_length=18, blank=True)
    address = models.CharField("联系地址", max_length=200, blank=True)
    identity = models.CharField("身份", max_length=100, blank=True, help_text="如“本单位职工”“服务对象”“群众”。")
    relationship = models.CharField("与被反映人关系", max_length=100, blank=True)
    wants_feedback = models.BooleanField("要求反馈", default=False)
    notes = models.TextField("备注", blank=True)
    # The identity's values never reach the history, so a change of them alone would leave no trace;
    # the revision does (“修改次数 1 → 2”, by whom and when).
    revision = models.PositiveIntegerField("登记版本", default=1, editable=False)

    objects = ScopedManager()
    all_objects = AllObjectsManager()
    scope_paths = {"region": "petition__authority", "group": "petition__inspection__group"}
    permission_name = "reporter"
    history_secret = ("anonymous", "name", "phone", "id_card", "address", "identity", "relationship",
                      "wants_feedback", "notes")

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "举报人信息"

    def __str__(self):
        return f"举报人信息（{self.petition.receipt_no}）"


class DocumentRequest(InspectionRecord):
    """调阅清单: what the group asks the unit to provide, by when, and what the reviewer noted."""

    title = models.CharField("调阅事项", max_length=200)
    unit = _target()
    requested_date = models.DateField("提出日期")
    due_date = models.DateField("要求提供日期")
    received_date = models.DateField("实际提供日期", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=c.RequestStatus.choices, default=c.RequestStatus.REQUESTED)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审阅人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    reviewer_notes = models.TextField("审阅意见", blank=True)
    attachments = _attachments()

    permission_name = "documentrequest"

    class Meta(InspectionRecord.Meta):
        ordering = ["-requested_date", "-id"]
        verbose_name = verbose_name_plural = "调阅清单"

    def __str__(self):
        return self.title

    def history_extra(self) -> dict:
        return {"items": [f"{i.name}{'（已提供）' if i.received else ''}" for i in self.items.all()]}

    history_labels = {"items": "调阅材料"}


class DocumentRequestItem(models.Model):
    """One item of a request (e.g. “2024年度党委会议记录”); changed only with its request."""

    request = models.ForeignKey(DocumentRequest, verbose_name="调阅清单", on_delete=models.CASCADE,
                                related_name="items")
    name = models.CharField("材料名称", max_length=200)
    received = models.BooleanField("已提供", default=False)
    order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        ordering = ["request_id", "order", "id"]
        verbose_name = verbose_name_plural = "调阅材料"

    def __str__(self):
        return self.name


class MeetingAttendance(InspectionRecord):
    """列席会议: a meeting of the unit the group attended, and what it observed."""

    meeting_date = models.DateField("会议日期")
    unit = _target()
    kind = models.CharField("会议类型", max_length=16, choices=c.MeetingKind.choices)
    title = models.CharField("会议名称", max_length=200)
    attendees = models.CharField("列席人员", max_length=200, blank=True)
    summary = models.TextField("会议情况", blank=True)
    observations = models.TextField("发现的问题", blank=True)
    attachments = _attachments()

    permission_name = "meetingattendance"

    class Meta(InspectionRecord.Meta):
        ordering = ["-meeting_date", "-id"]
        verbose_name = verbose_name_plural = "列席会议"

    def __str__(self):
        return f"{self.meeting_date:%Y-%m-%d} {self.title}"


class Visit(InspectionRecord):
    """走访 or 下沉 (going one or two levels down to the unit's subordinate units or villages)."""

    level = models.CharField("方式", max_length=16, choices=c.VisitLevel.choices)
    visit_date = models.DateField("日期")
    unit = _target()
    place = models.CharField("地点", max_length=200)
    people_met = models.CharField("走访对象", max_length=300, blank=True)
    findings = models.TextField("了解情况", blank=True)
    attachments = _attachments()

    permission_name = "visit"

    class Meta(InspectionRecord.Meta):
        ordering = ["-visit_date", "-id"]
        verbose_name = verbose_name_plural = "走访下沉"

    def __str__(self):
        return f"{self.visit_date:%Y-%m-%d} {self.get_level_display()}：{self.place}"


class IntakeChannel(InspectionRecord):
    """The public petition intake of one inspection: an unguessable code in the QR code's URL."""

    code = models.CharField("受理码", max_length=64, unique=True, editable=False)
    is_active = models.BooleanField("启用", default=True)

    permission_name = "petition"
    history_secret = ("code",)

    class Meta(InspectionRecord.Meta):
        verbose_name = verbose_name_plural = "信访举报受理码"
        constraints = [models.UniqueConstraint(fields=["inspection"], name="fieldwork_one_intake_per_inspection")]

    def __str__(self):
        return f"{self.inspection}的信访举报受理码"
