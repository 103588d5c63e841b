"""Problems (问题底稿 → 问题清单) and clues (问题线索) found by an inspection (stage 5 of DOMAIN.md).

    Inspection ─< Problem ─< ProblemTransition        (append-only log of the review workflow)
    Inspection ─< Clue ─< CluePerson                   (the persons concerned: the most protected data)
                  Clue ─< ClueDisposition              (the receiver's disposition, recorded by the office)
    Inspection ─< ClueTransfer ─< Clue                 (移交 with its letter and 3-month deadline)
                  ClueTransfer ─< ClueReminder         (due-soon and overdue reminders, once each)

Every record hangs on one `planning.Inspection` (`InspectionRecord`): the office of the region and
the inspection's own group see it, nobody else. Clues are narrower still: only the permission
`findings:clue:view` (group leader over the group, office) reads them; a member may add one and read
what they wrote. `str()` of a clue or a transfer is its number only: it goes into the logs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

from xuncha.core.models import AppendOnlyError, BaseModel
from xuncha.core.scoping import ScopedManager, ScopedQuerySet
from xuncha.planning.records import InspectionRecord

from . import choices as c

__all__ = ["Problem", "ProblemTransition", "Clue", "CluePerson", "ClueTransfer", "ClueDisposition",
           "ClueReminder", "ProblemQuerySet"]

P = c.ProblemStatus


class ProblemQuerySet(ScopedQuerySet):
    def confirmed(self):
        """The 问题清单: confirmed problems only."""
        return self.filter(status=P.CONFIRMED)

    def open(self):
        """Drafts still on their way (底稿, 待审核, 已审核, 退回)."""
        return self.filter(status__in=c.OPEN_PROBLEM_STATUSES)


class ProblemManager(ScopedManager.from_queryset(ProblemQuerySet)):
    pass


class ProblemAllManager(models.Manager.from_queryset(ProblemQuerySet)):
    pass


class Problem(FSMModelMixin, InspectionRecord):
    """A problem found in a target unit: a member's work draft (问题底稿) until the group confirms it;
    confirmed problems make the problem list (问题清单) that the report, the feedback and the
    rectification build on.

    The status changes only through `services.problem_*` (django-fsm transitions, the permission and
    conditions in `workflow.py`, a `ProblemTransition` row each time). A confirmed problem is
    read-only until the office reopens it with a reason.
    """

    number = models.PositiveIntegerField("序号", editable=False)
    unit = models.ForeignKey("org.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey("indicators.Indicator", verbose_name="对应指标", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  help_text="指标体系中的三级指标（检查事项）。")
    # The level-1 indicator of `indicator` (党的领导、党的建设…), kept by the services: statistics by area.
    category = models.ForeignKey("indicators.Indicator", verbose_name="指标领域", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField("问题类型", max_length=32, choices=c.ProblemKind.choices)
    severity = models.CharField("严重程度", max_length=16, choices=c.Severity.choices, default=c.Severity.GENERAL)
    title = models.CharField("问题标题", max_length=200)
    description = models.TextField("问题描述")
    evidence = models.TextField("证据材料", blank=True, help_text="佐证事实、来源及出处，如调阅的文件、谈话记录编号。")
    evidence_files = models.ManyToManyField("core.StoredFile", verbose_name="证据附件", blank=True, related_name="+")
    responsible_cadres = models.ManyToManyField("org.Cadre", verbose_name="责任人", blank=True, related_name="+")
    responsible_text = models.CharField("责任人（补充）", max_length=300, blank=True,
                                        help_text="未在干部库中的责任人或责任部门。")
    status = FSMField("状态", max_length=16, choices=P.choices, default=P.DRAFT, protected=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, editable=False)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+", editable=False)
    return_reason = models.TextField("退回理由", blank=True, editable=False)
    # The group's discussion that confirmed it (组务会/巡察组会议), or the office's meeting.
    meeting = models.CharField("确认会议", max_length=100, blank=True, editable=False)
    meeting_date = models.DateField("会议日期", null=True, blank=True, editable=False)
    confirm_opinion = models.TextField("确认意见", blank=True, editable=False)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+", editable=False)

    objects = ProblemManager()
    all_objects = ProblemAllManager()
    permission_name = "problem"
    history_exclude = ("authority", "number", "submitted_at", "reviewed_at", "confirmed_at")

    class Meta:
        ordering = ["inspection_id", "number", "id"]
        verbose_name = verbose_name_plural = "问题"
        constraints = [models.UniqueConstraint(fields=["inspection", "number"], name="problem_number_unique")]
        indexes = [models.Index(fields=["inspection", "status"])]

    def __str__(self):
        return f"问题{self.number}：{self.title}"[:120]

    @staticmethod
    def scope_q_for_grant(grant):
        """The usual inspection-record scope; a grant whose role cannot write problems (领导, 督导组)
        reads the confirmed problem list only, never the drafts on their way."""
        from django.db.models import Q

        from xuncha.core.scoping import SCOPE_GLOBAL, SCOPE_GROUP, SCOPE_REGION

        if grant.kind == SCOPE_GLOBAL:
            q = Q()
        elif grant.kind == SCOPE_REGION:
            q = Q(authority__path__startswith=grant.region_path)
        elif grant.kind == SCOPE_GROUP:
            q = Q(inspection__group_id=grant.group_id)
        else:
            return None
        if "findings:problem:add" not in grant.permissions:
            q &= Q(status=P.CONFIRMED)
        return q

    @property
    def is_confirmed(self) -> bool:
        return self.status == P.CONFIRMED

    # Transitions: the graph only. Conditions and permissions are checked by the services (workflow.py).
    @transition(field=status, source=[P.DRAFT, P.RETURNED], target=P.SUBMITTED)
    def submit(self):
        """底稿/退回 → 待审核 (the author submits)."""

    @transition(field=status, source=P.SUBMITTED, target=P.REVIEWED)
    def review(self):
        """待审核 → 已审核 (the group leader reviewed it)."""

    @transition(field=status, source=[P.SUBMITTED, P.REVIEWED], target=P.RETURNED)
    def send_back(self):
        """待审核/已审核 → 退回 (with the reason; the author edits and resubmits)."""

    @transition(field=status, source=P.REVIEWED, target=P.CONFIRMED)
    def confirm(self):
        """已审核 → 已确认 (after the group's discussion, or by the office)."""

    @transition(field=status, source=P.CONFIRMED, target=P.REVIEWED)
    def reopen(self):
        """已确认 → 已审核 (the office reopens it, with the reason)."""


class AppendOnlyQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("流转记录只可追加，不可修改。")

    def delete(self):
        raise AppendOnlyError("流转记录只可追加，不可删除。")


class ProblemTransition(models.Model):
    """One status change of a problem: who, when, from, to, opinion. Append-only."""

    problem = models.ForeignKey(Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField("原状态", max_length=16, choices=P.choices)
    to_status = models.CharField("新状态", max_length=16, choices=P.choices)
    opinion = models.TextField("意见", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT,
                             related_name="+")
    username = models.CharField("操作人", max_length=150)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()
    scope_paths = {"region": "problem__authority", "group": "problem__inspection__group"}
    permission_name = "problem"

    class Meta:
        ordering = ["problem_id", "id"]
        verbose_name = verbose_name_plural = "问题流转记录"

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("流转记录只可追加，不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("流转记录只可追加，不可删除。")


# --- Clues -----------------------------------------------------------------------------------------


class ClueTransfer(InspectionRecord):
    """One transfer (移交) of clues to 纪委监委, 组织部 or another department, with its letter (Word,
    official-document layout) and the receiver's disposition deadline (transfer date + 3 months)."""

    number = models.CharField("函号", max_length=60, editable=False)
    receiver_kind = models.CharField("接收机关类型", max_length=16, choices=c.ReceiverKind.choices)
    receiver_name = models.CharField("接收机关", max_length=100,
                                     help_text="如“中共江城市纪律检查委员会 江城市监察委员会”“中共江城市委组织部”。")
    transfer_date = models.DateField("移交日期")
    due_date = models.DateField("处置反馈期限", editable=False)
    secret_level = models.CharField("密级", max_length=8, choices=c.SecretLevel.choices,
                                    default=c.SecretLevel.CONFIDENTIAL)
    remarks = models.TextField("备注", blank=True)
    letter = models.ForeignKey("core.StoredFile", verbose_name="移交函", null=True, blank=True, editable=False,
                               on_delete=models.PROTECT, related_name="+")

    permission_name = "clue"
    history_exclude = ("authority",)

    class Meta:
        ordering = ["-transfer_date", "-id"]
        verbose_name = verbose_name_plural = "线索移交"

    def __str__(self):
        return self.number or f"移交{self.pk}"


class Clue(InspectionRecord):
    """A clue about individuals (问题线索): the most protected record of the platform.

    Only `findings:clue:view` reads it (the group leader over the own group, the office over its
    region); a group member may add one and read the ones they wrote (`selectors.my_clues`). Content,
    summary, evidence and persons never reach the change history (`history_secret`), the clue pages
    keep their parameters out of the operation log, and `str()` is the number only.
    """

    number = models.CharField("线索编号", max_length=40, editable=False)
    seq = models.PositiveIntegerField("序号", editable=False)
    unit = models.ForeignKey("org.Unit", verbose_name="涉及单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    summary = models.CharField("线索摘要", max_length=200)
    content = models.TextField("线索内容")
    evidence = models.TextField("证据材料", blank=True)
    evidence_files = models.ManyToManyField("core.StoredFile", verbose_name="证据附件", blank=True, related_name="+")
    source = models.CharField("线索来源", max_length=16, choices=c.ClueSource.choices)
    petition = models.ForeignKey("fieldwork.Petition", verbose_name="来源信访件", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    source_note = models.CharField("来源说明", max_length=200, blank=True,
                                   help_text="如谈话记录、信访件编号或调阅材料名称。")
    suggested_receiver = models.CharField("建议移交", max_length=16, choices=c.ReceiverKind.choices,
                                          default=c.ReceiverKind.DISCIPLINE)
    problem = models.ForeignKey(Problem, verbose_name="关联问题", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="clues")
    status = models.CharField("状态", max_length=16, choices=c.ClueStatus.choices, default=c.ClueStatus.REGISTERED,
                              editable=False)
    transfer = models.ForeignKey(ClueTransfer, verbose_name="移交", null=True, blank=True, editable=False,
                                 on_delete=models.PROTECT, related_name="clues")

    permission_name = "clue"
    history_exclude = ("authority", "seq")
    history_secret = ("summary", "content", "evidence", "source_note", "unit")

    class Meta:
        ordering = ["inspection_id", "seq", "id"]
        verbose_name = verbose_name_plural = "问题线索"
        constraints = [models.UniqueConstraint(fields=["inspection", "seq"], name="clue_seq_unique")]
        indexes = [models.Index(fields=["inspection", "status"])]

    def __str__(self):
        return self.number

    def history_extra(self) -> dict:
        # Persons are edited with the clue: the history says how many, never who.
        if not self.pk:
            return {}
        return {"persons": f"{self.persons.count()} 人［保密］"}


class CluePerson(models.Model):
    """A person a clue is about: a cadre of the registry, or a name, post and unit written in."""

    clue = models.ForeignKey(Clue, verbose_name="问题线索", on_delete=models.CASCADE, related_name="persons")
    cadre = models.ForeignKey("org.Cadre", verbose_name="干部", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=100, blank=True)
    unit_name = models.CharField("工作单位", max_length=100, blank=True)

    objects = ScopedManager()
    scope_paths = {"region": "clue__authority", "group": "clue__inspection__group"}
    permission_name = "clue"

    class Meta:
        ordering = ["clue_id", "id"]
        verbose_name = verbose_name_plural = "线索涉及人员"

    def __str__(self):
        return f"涉及人员{self.pk}"


class ClueDisposition(BaseModel):
    """The receiver's disposition of a transferred clue (谈话函询, 初核, 立案, 组织处理, 了结), recorded
    by the office on the receiver's behalf."""

    clue = models.ForeignKey(Clue, verbose_name="问题线索", on_delete=models.PROTECT, related_name="dispositions")
    kind = models.CharField("处置方式", max_length=16, choices=c.DispositionKind.choices)
    date = models.DateField("处置日期")
    result = models.TextField("处置结果")

    scope_paths = {"region": "clue__authority", "group": "clue__inspection__group"}
    permission_name = "clue"
    history_secret = ("result",)

    class Meta:
        ordering = ["clue_id", "date", "id"]
        verbose_name = verbose_name_plural = "线索处置情况"

    def __str__(self):
        return f"处置{self.pk}"


class ClueReminder(models.Model):
    """An in-platform reminder that a transfer's disposition is due soon or overdue. Created once per
    transfer, kind and deadline by the daily task, however often it runs. Its message names the
    transfer letter's number and counts, never a clue's content."""

    kind = models.CharField("类型", max_length=16, choices=c.ReminderKind.choices)
    transfer = models.ForeignKey(ClueTransfer, verbose_name="移交", on_delete=models.CASCADE,
                                 related_name="reminders")
    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey("planning.InspectionGroup", verbose_name="巡察组", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField("处置反馈期限")
    message = models.CharField("提醒内容", max_length=300)
    created_at = models.DateTimeField("提醒时间", auto_now_add=True)
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager()
    scope_paths = {"region": "authority", "group": "group"}
    permission_name = "clue"

    class Meta:
        ordering = ["handled_at", "due_date", "id"]
        verbose_name = verbose_name_plural = "线索处置提醒"
        constraints = [models.UniqueConstraint(fields=["kind", "transfer", "due_date"], name="cluereminder_once")]

    def __str__(self):
        return self.message
