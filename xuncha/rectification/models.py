"""Rectification (整改) after feedback, its supervision, publication, 回头看 and reminders (stages 7–8).

    reporting.Feedback ─ RectificationPlan (one per inspection and unit: the unit's 整改方案, gate 1)
    RectificationPlan ─< RectificationTask >─ findings.Problem   (one task per measure of a problem)
    RectificationTask ─< ProgressReport (monthly, evidence files)  ─< RevisitCheck (回头看)
    RectificationPlan ─< GateLog (append-only: every submit/approve/return/start/report/apply/accept/reopen)
    SupervisionGroup (督导组) ─< SupervisionRound (one per group and month) ─ ProgressMeeting, SupervisionNotice
    Reminder                                        (in-platform reminders, created once per deadline)

Plans and tasks are records of an inspection (`InspectionRecord`): the office of the inspecting
authority sees them, an inspection group sees its own inspections', and the unit's liaison sees its
own unit's (`scope_paths["unit"]`). Supervisors hold a region grant over the authority they work for.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, FSMModelMixin, transition

from xuncha.core.models import AppendOnlyError, BaseModel, SoftDeleteModel
from xuncha.core.scoping import ScopedManager, ScopedQuerySet
from xuncha.planning.records import INSPECTION_SCOPE_PATHS, InspectionRecord

from . import choices as c

__all__ = ["RectificationPlan", "RectificationTask", "GateLog", "ProgressReport", "RevisitCheck",
           "SupervisionGroup", "SupervisionRound", "ProgressMeeting", "SupervisionNotice", "Reminder"]

RECORD_SCOPE = {**INSPECTION_SCOPE_PATHS, "unit": "unit"}


def _user_fk(label: str):
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=label, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")


# --- The unit's plan and its tasks -------------------------------------------------------------------


class RectificationPlan(FSMModelMixin, InspectionRecord):
    """The unit's rectification plan (整改方案) answering one feedback; gate 1 of every task.

    编制中 → 待审批 (the liaison submits) → 已批准 (the office approves: every task starts) or
    已退回 (with the reason; the liaison edits and submits again). The unit's rectification report
    (整改情况报告) is due `REPORT_DUE_MONTHS` after the feedback was issued.
    """

    feedback = models.OneToOneField("reporting.Feedback", verbose_name="反馈意见", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="rectification_plan")
    unit = models.ForeignKey("org.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="+")
    status = FSMField("状态", max_length=16, choices=c.PlanStatus.choices, default=c.PlanStatus.DRAFT,
                      protected=True)
    summary = models.TextField("整改工作总体安排", blank=True)
    feedback_on = models.DateField("反馈日期")
    report_due = models.DateField("整改情况报告截止日期")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decided_by = _user_fk("审批人")
    return_reason = models.TextField("退回理由", blank=True)
    report_text = models.TextField("整改情况报告", blank=True)
    report_file = models.ForeignKey("core.StoredFile", verbose_name="整改情况报告附件", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    report_submitted_at = models.DateTimeField("报告报送时间", null=True, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_by = _user_fk("公开人")

    scope_paths = RECORD_SCOPE
    permission_name = "plan"
    history_exclude = ("authority",)

    class Meta:
        ordering = ["-feedback_on", "-id"]
        verbose_name = verbose_name_plural = "整改方案"
        constraints = [models.UniqueConstraint(fields=["inspection", "unit"], condition=Q(is_deleted=False),
                                               name="rectplan_unique_unit")]

    def __str__(self):
        return f"{self.unit.name}整改方案"

    @transition(field=status, source=[c.PlanStatus.DRAFT, c.PlanStatus.RETURNED], target=c.PlanStatus.SUBMITTED)
    def submit(self):
        """The liaison submits the plan (every problem has a measure)."""

    @transition(field=status, source=c.PlanStatus.SUBMITTED, target=c.PlanStatus.APPROVED)
    def approve(self):
        """The office approves: gate 1 passed for every task."""

    @transition(field=status, source=c.PlanStatus.SUBMITTED, target=c.PlanStatus.RETURNED)
    def send_back(self):
        """The office returns the plan with its reasons."""

    @property
    def editable(self) -> bool:
        return self.status in (c.PlanStatus.DRAFT, c.PlanStatus.RETURNED)


class RectificationTask(FSMModelMixin, InspectionRecord):
    """One measure (措施) against one confirmed problem: the unit of the three gates.

    待启动 → 推进中 (gate 1: the plan is approved) → 待验收 (the unit applies, with evidence) →
    已验收 (gate 3: the supervisor accepts) or back to 推进中 (returned with reasons); a 回头看 that finds
    the rectification did not hold reopens an accepted task (已验收 → 推进中), its history intact.
    """

    plan = models.ForeignKey(RectificationPlan, verbose_name="整改方案", on_delete=models.PROTECT,
                             related_name="tasks")
    problem = models.ForeignKey("findings.Problem", verbose_name="问题", on_delete=models.PROTECT,
                                related_name="rectification_tasks")
    unit = models.ForeignKey("org.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="+",
                             editable=False)
    kind = models.CharField("措施类型", max_length=16, choices=c.MeasureKind.choices)
    content = models.TextField("整改措施")
    responsible = models.CharField("责任人", max_length=50)
    deadline = models.DateField("完成时限")
    status = FSMField("状态", max_length=16, choices=c.TaskStatus.choices, default=c.TaskStatus.PENDING,
                      protected=True)
    started_at = models.DateTimeField("启动时间", null=True, blank=True)
    closed_at = models.DateTimeField("验收时间", null=True, blank=True)
    # 问责: who was held accountable and how.
    accountable_persons = models.CharField("被问责人员", max_length=300, blank=True,
                                           help_text="姓名及职务，多人以顿号分隔。")
    accountability_method = models.CharField("处理方式", max_length=16, blank=True,
                                             choices=c.AccountabilityMethod.choices)
    accountability_detail = models.CharField("问责情况说明", max_length=300, blank=True)
    # 建章立制: the rule and its document.
    rule_name = models.CharField("制度名称", max_length=200, blank=True)
    rule_document = models.ForeignKey("core.StoredFile", verbose_name="制度文件", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    # Publication exceptions (公开的例外): the reason is recorded, the item stays off the public page.
    withheld = models.BooleanField("不予公开", default=False)
    withhold_reason = models.CharField("不予公开理由", max_length=16, blank=True, choices=c.WithholdReason.choices)
    withhold_note = models.CharField("不予公开说明", max_length=200, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重新整改次数", default=0, editable=False)

    scope_paths = RECORD_SCOPE
    permission_name = "task"
    history_exclude = ("authority", "unit")

    class Meta:
        ordering = ["plan_id", "problem_id", "id"]
        verbose_name = verbose_name_plural = "整改任务"
        indexes = [models.Index(fields=["authority", "status", "deadline"]),
                   models.Index(fields=["unit", "status"])]

    def __str__(self):
        return f"{self.get_kind_display()}措施（{self.deadline:%Y-%m-%d}）"

    @transition(field=status, source=c.TaskStatus.PENDING, target=c.TaskStatus.PROGRESS)
    def start(self):
        """Gate 1: the plan is approved."""

    @transition(field=status, source=c.TaskStatus.PROGRESS, target=c.TaskStatus.REVIEW)
    def apply(self):
        """The unit asks for acceptance (evidence required)."""

    @transition(field=status, source=c.TaskStatus.REVIEW, target=c.TaskStatus.ACCEPTED)
    def accept(self):
        """Gate 3: the supervisor accepts the evidence."""

    @transition(field=status, source=c.TaskStatus.REVIEW, target=c.TaskStatus.PROGRESS)
    def send_back(self):
        """The supervisor returns the task to progress with reasons."""

    @transition(field=status, source=c.TaskStatus.ACCEPTED, target=c.TaskStatus.PROGRESS)
    def reopen(self):
        """回头看: the rectification did not hold."""


class AppendOnlyQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("整改流转记录只可追加，不可修改。")

    def delete(self):
        raise AppendOnlyError("整改流转记录只可追加，不可删除。")


class GateLog(models.Model):
    """One step of a plan or a task through its gates: who, when, from, to, opinion. Append-only."""

    plan = models.ForeignKey(RectificationPlan, verbose_name="整改方案", on_delete=models.PROTECT,
                             related_name="log")
    task = models.ForeignKey(RectificationTask, verbose_name="整改任务", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="log")
    action = models.CharField("操作", max_length=16, choices=c.TaskAction.choices)
    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16, blank=True)
    opinion = models.TextField("意见", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT,
                             related_name="+")
    username = models.CharField("操作人", max_length=150)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()
    scope_paths = {"region": "plan__authority", "group": "plan__inspection__group", "unit": "plan__unit"}
    permission_name = "plan"

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = verbose_name_plural = "整改流转记录"

    def __str__(self):
        return self.get_action_display()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("整改流转记录只可追加，不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("整改流转记录只可追加，不可删除。")

    @property
    def status_labels(self) -> tuple[str, str]:
        labels = {**dict(c.PlanStatus.choices), **dict(c.TaskStatus.choices)}
        return labels.get(self.from_status, self.from_status), labels.get(self.to_status, self.to_status)


class ProgressReport(BaseModel):
    """The unit's monthly progress on a task (gate 2, 推进), with its evidence (佐证材料)."""

    task = models.ForeignKey(RectificationTask, verbose_name="整改任务", on_delete=models.PROTECT,
                             related_name="reports")
    month = models.DateField("报送月份", help_text="该月 1 日。")
    content = models.TextField("进展情况")
    percent = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    evidence = models.ManyToManyField("core.StoredFile", verbose_name="佐证材料", blank=True, related_name="+")

    scope_paths = {"region": "task__authority", "group": "task__inspection__group", "unit": "task__unit"}
    permission_name = "task"

    class Meta:
        ordering = ["task_id", "month", "id"]
        verbose_name = verbose_name_plural = "整改进展"
        constraints = [models.UniqueConstraint(fields=["task", "month"], name="progressreport_unique_month")]

    def __str__(self):
        return f"{self.month:%Y年%m月}进展"


class RevisitCheck(BaseModel):
    """回头看: a later round re-checks an accepted task; "does not hold" reopens it."""

    task = models.ForeignKey(RectificationTask, verbose_name="整改任务", on_delete=models.PROTECT,
                             related_name="revisits")
    revisit = models.ForeignKey("planning.Inspection", verbose_name="回头看巡察任务", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT, related_name="+",
                                  editable=False)
    result = models.CharField("检查结论", max_length=16, choices=c.RevisitResult.choices)
    notes = models.TextField("检查情况")
    new_deadline = models.DateField("重新整改时限", null=True, blank=True)

    scope_paths = {"region": "authority", "unit": "task__unit"}
    permission_name = "revisit"

    class Meta:
        ordering = ["task_id", "id"]
        verbose_name = verbose_name_plural = "回头看检查"

    def __str__(self):
        return self.get_result_display()


# --- Supervision (督导) --------------------------------------------------------------------------------


class SupervisionGroup(SoftDeleteModel):
    """A rectification supervision group (督导组) of an authority.

    Its members are platform users; what they may see comes from their `supervisor` grant over the
    authority's region (the scope mechanism), not from membership. The group decides which units
    its monthly round covers: the units in `regions` (and below), or every unit of the authority's
    inspections when `regions` is empty.
    """

    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("督导组名称", max_length=100)
    leader_name = models.CharField("组长", max_length=50, blank=True)
    regions = models.ManyToManyField("org.Region", verbose_name="督导范围", blank=True, related_name="+",
                                     help_text="不选则督导本巡察主体全部被巡察单位的整改。")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="成员（接收提醒）", blank=True,
                                     related_name="+")
    is_active = models.BooleanField("启用", default=True)

    scope_paths = {"region": "authority"}
    permission_name = "supervisiongroup"

    class Meta:
        ordering = ["authority_id", "id"]
        verbose_name = verbose_name_plural = "督导组"
        constraints = [models.UniqueConstraint(fields=["authority", "name"], condition=Q(is_deleted=False),
                                               name="supervisiongroup_unique_name")]

    def __str__(self):
        return self.name


class SupervisionRound(BaseModel):
    """The month's supervision of one group (督导轮次): created once per group and month."""

    group = models.ForeignKey(SupervisionGroup, verbose_name="督导组", on_delete=models.PROTECT,
                              related_name="rounds")
    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT, related_name="+",
                                  editable=False)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    figures = models.JSONField("当月数据", default=dict, editable=False)

    scope_paths = {"region": "authority"}
    permission_name = "supervision"

    class Meta:
        ordering = ["-year", "-month", "group_id"]
        verbose_name = verbose_name_plural = "月度督导"
        constraints = [models.UniqueConstraint(fields=["group", "year", "month"], name="supervisionround_unique")]

    def __str__(self):
        return f"{self.year}年{self.month}月督导"

    @property
    def label(self) -> str:
        return f"{self.group.name}{self.year}年{self.month}月"


class ProgressMeeting(BaseModel):
    """整改推进会 of a month's supervision: date, minutes and decisions."""

    round = models.OneToOneField(SupervisionRound, verbose_name="月度督导", on_delete=models.PROTECT,
                                 related_name="meeting")
    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT, related_name="+",
                                  editable=False)
    held_on = models.DateField("召开日期", null=True, blank=True)
    attendees = models.CharField("参会人员", max_length=300, blank=True)
    minutes = models.TextField("会议纪要", blank=True)
    decisions = models.TextField("议定事项", blank=True)

    scope_paths = {"region": "authority"}
    permission_name = "supervision"

    class Meta:
        ordering = ["-round_id"]
        verbose_name = verbose_name_plural = "整改推进会"

    def __str__(self):
        return "整改推进会"


class SupervisionNotice(BaseModel):
    """整改督查通报 of a month's supervision: a Word document, reviewed, then published."""

    round = models.OneToOneField(SupervisionRound, verbose_name="月度督导", on_delete=models.PROTECT,
                                 related_name="notice")
    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT, related_name="+",
                                  editable=False)
    title = models.CharField("标题", max_length=200)
    number = models.CharField("期号", max_length=50)
    status = models.CharField("状态", max_length=16, choices=c.NoticeStatus.choices, default=c.NoticeStatus.DRAFT)
    document = models.ForeignKey("core.StoredFile", verbose_name="通报文件", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    review_opinion = models.TextField("审核意见", blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = _user_fk("审核人")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = _user_fk("发布人")

    scope_paths = {"region": "authority"}
    permission_name = "notice"

    class Meta:
        ordering = ["-round__year", "-round__month", "id"]
        verbose_name = verbose_name_plural = "整改督查通报"

    def __str__(self):
        return self.title


# --- Reminders -----------------------------------------------------------------------------------------


class Reminder(models.Model):
    """An in-platform reminder of a deadline (and an e-mail where mail is configured); created once
    per plan or task, kind and due date, whatever the number of runs."""

    key = models.CharField("去重键", max_length=80, unique=True, editable=False)
    kind = models.CharField("类型", max_length=16, choices=c.ReminderKind.choices)
    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(RectificationPlan, verbose_name="整改方案", on_delete=models.CASCADE,
                             related_name="reminders")
    task = models.ForeignKey(RectificationTask, verbose_name="整改任务", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="reminders")
    due_date = models.DateField("到期日期")
    message = models.CharField("提醒内容", max_length=300)
    emailed = models.PositiveSmallIntegerField("已发送邮件数", default=0)
    created_at = models.DateTimeField("提醒时间", auto_now_add=True)
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handled_by = _user_fk("处理人")

    objects = ScopedManager()
    scope_paths = {"region": "authority", "unit": "unit", "group": "plan__inspection__group"}
    permission_name = "reminder"

    class Meta:
        ordering = ["handled_at", "due_date", "id"]
        verbose_name = verbose_name_plural = "整改提醒"

    def __str__(self):
        return self.get_kind_display()
