"""Plans, rounds and inspections: the planning side of the work (stages 1 and 3 of DOMAIN.md).

An inspection authority (巡察主体) is a Region: the city (市委) or a county (县委). Every record here
is placed at its authority (a denormalised `authority` foreign key, one hop for the scope check);
a county office also *views* the city's records read-only (see `planning/scoping.py`).

    FiveYearPlan ─< PlanTarget >─ Unit             (the units the authority must cover in the term)
    AnnualPlan ─< Round ─< InspectionGroup ─< Inspection >─< Unit (InspectionTarget)
    Inspection ─< StageTransition                     (append-only log of its stage changes)
    Inspection ─< HorizontalCheck                     (选人用人检查, 经济责任审计 scheduled with it)
    JointRound ─< Round                               (上下联动: the city's round and the counties')
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

from xuncha.core.models import AppendOnlyError, BaseModel, DictField, SoftDeleteModel
from xuncha.org import choices as org_choices

from . import choices as c
from .scoping import PlanningAllObjectsManager, PlanningManager, PlanningQuerySet

__all__ = ["FiveYearPlan", "PlanTarget", "AnnualPlan", "JointRound", "Round", "InspectionGroup", "Inspection",
           "InspectionTarget", "StageTransition", "HorizontalCheck", "PriorityWeights", "UnitRiskInput",
           "PlanProposal", "authority_name"]


def authority_name(region) -> str:
    """江城市 → 中共江城市委; 青阳县 → 中共青阳县委 (the committee that owns an inspection plan)."""
    return f"中共{region.name}委"


class PlanningModel(SoftDeleteModel):
    objects = PlanningManager()
    all_objects = PlanningAllObjectsManager()

    class Meta:
        abstract = True
        ordering = ["-id"]


# --- Five-year plan ------------------------------------------------------------------------------


class FiveYearPlan(PlanningModel):
    """A five-year plan of one inspection authority for one committee term (届): full coverage."""

    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("规划名称", max_length=100)
    term = models.CharField("届次", max_length=30, help_text="如“第十四届”。")
    start_year = models.PositiveSmallIntegerField("起始年度")
    years = models.PositiveSmallIntegerField("规划年数", default=5)
    stale_years = models.PositiveSmallIntegerField(
        "久未巡察年限", default=5, help_text="超过该年数未巡察的单位列入“久未巡察”清单（覆盖情况页可临时调整）。")
    remarks = models.TextField("说明", blank=True)

    scope_paths = {"region": "authority"}
    permission_name = "plan"
    reads_upward = True

    class Meta:
        ordering = ["-start_year", "authority__path", "id"]
        verbose_name = verbose_name_plural = "五年巡察规划"

    def __str__(self):
        return self.title

    @property
    def end_year(self) -> int:
        return self.start_year + self.years - 1

    @property
    def year_list(self) -> list[int]:
        return list(range(self.start_year, self.start_year + self.years))

    @property
    def period_label(self) -> str:
        return f"{self.start_year}—{self.end_year}年"


class PlanTarget(BaseModel):
    """A party organisation the plan must cover, with its planned year (and round, once proposed).

    `is_fixed`: a choice the office has made and the proposer must keep. `is_elevated`: a unit normally
    inspected by a county, lifted into the city's plan (提级巡察); the county still counts it, as
    covered by the city, and the city does not count it in its own full-coverage figures.
    """

    plan = models.ForeignKey(FiveYearPlan, verbose_name="五年规划", on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("org.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="+")
    planned_year = models.PositiveSmallIntegerField("计划年度", null=True, blank=True)
    planned_round = models.PositiveSmallIntegerField("计划轮次", null=True, blank=True,
                                                     help_text="该年度第几轮；可不填。")
    is_fixed = models.BooleanField("固定安排", default=False, help_text="生成排期建议时保持不变。")
    is_elevated = models.BooleanField("提级巡察", default=False)
    last_inspected_year = models.PositiveSmallIntegerField(
        "上次巡察年度", null=True, blank=True, help_text="系统启用前最近一次巡察的年度（之后由系统自动计算）。")
    remarks = models.CharField("备注", max_length=200, blank=True)

    objects = PlanningManager()
    all_objects = PlanningAllObjectsManager()
    scope_paths = {"region": "plan__authority"}
    permission_name = "plan"
    reads_upward = True

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = verbose_name_plural = "规划巡察对象"
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="plantarget_unique_unit")]

    def __str__(self):
        return f"{self.unit.name}（{self.planned_year or '未安排'}）"


# --- Annual plan, rounds, groups, inspections ---------------------------------------------------


class AnnualPlan(PlanningModel):
    """The year's plan of an authority: its rounds in order."""

    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    five_year_plan = models.ForeignKey(FiveYearPlan, verbose_name="所属五年规划", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="annual_plans")
    title = models.CharField("计划名称", max_length=100)
    summary = models.TextField("总体安排", blank=True, help_text="写入年度计划文件“总体安排”部分。")

    scope_paths = {"region": "authority"}
    permission_name = "annualplan"
    reads_upward = True

    class Meta:
        ordering = ["-year", "authority__path", "id"]
        verbose_name = verbose_name_plural = "年度巡察计划"

    def __str__(self):
        return self.title


class JointRound(PlanningModel):
    """上下联动: the city's round and the counties' rounds on one system, with one shared plan, one
    training session and mobilisation date, and one review of all reports (统一把关)."""

    authority = models.ForeignKey("org.Region", verbose_name="牵头巡察主体", on_delete=models.PROTECT,
                                  related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=100)
    system = DictField("联动系统", dict_code=org_choices.DICT_UNIT_SYSTEM)
    plan_text = models.TextField("统一工作方案", help_text="市县共用的巡察重点、方法和要求。")
    training_date = models.DateField("统一培训日期")
    mobilisation_date = models.DateField("统一动员部署日期")
    review_opinion = models.TextField("统一把关意见", blank=True)
    reviewed_at = models.DateTimeField("统一把关时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="把关人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    scope_paths = {"region": "authority"}
    permission_name = "jointround"
    reads_upward = True

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = verbose_name_plural = "上下联动巡察"

    def __str__(self):
        return self.title

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


class Round(FSMModelMixin, PlanningModel):
    """A round (轮次) of an annual plan: its kind, dates, groups and their inspections.

    A round starts (筹备中 → 进行中) only when it has groups and every group has targets.
    """

    annual_plan = models.ForeignKey(AnnualPlan, verbose_name="年度计划", on_delete=models.PROTECT,
                                    related_name="rounds")
    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT, related_name="+",
                                  editable=False)
    year = models.PositiveSmallIntegerField("年度", editable=False)
    number = models.PositiveSmallIntegerField("轮次序号")
    kind = models.CharField("巡察类型", max_length=16, choices=c.RoundKind.choices)
    title = models.CharField("名称", max_length=100, blank=True)
    start_date = models.DateField("进驻开始日期")
    end_date = models.DateField("进驻结束日期")
    training_date = models.DateField("培训日期", null=True, blank=True)
    focus = models.TextField("巡察重点", blank=True, help_text="写入工作方案；不填则采用政治巡察“四个落实”的通用表述。")
    status = FSMField("状态", max_length=16, choices=c.RoundStatus.choices, default=c.RoundStatus.DRAFT,
                      protected=True)
    joint_round = models.ForeignKey(JointRound, verbose_name="上下联动", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="rounds", editable=False)
    remarks = models.TextField("备注", blank=True)

    scope_paths = {"region": "authority"}
    permission_name = "round"
    reads_upward = True
    history_exclude = ("authority", "year")

    class Meta:
        ordering = ["-year", "authority__path", "number", "id"]
        verbose_name = verbose_name_plural = "巡察轮次"

    def __str__(self):
        return self.title or self.default_title

    @property
    def default_title(self) -> str:
        return f"{self.year}年第{c.chinese_number(self.number)}轮巡察"

    @property
    def number_label(self) -> str:
        return f"第{c.chinese_number(self.number)}轮"

    @transition(field=status, source=c.RoundStatus.DRAFT, target=c.RoundStatus.STARTED)
    def start(self):
        """筹备中 → 进行中 (services.round_start checks groups, targets and dates first)."""

    @transition(field=status, source=c.RoundStatus.STARTED, target=c.RoundStatus.FINISHED)
    def finish(self):
        """进行中 → 已结束 (every inspection archived)."""


class InspectionGroup(PlanningModel):
    """An inspection group of one round (第一巡察组…). Its members come from the teams app later."""

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="groups")
    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT, related_name="+",
                                  editable=False)
    number = models.PositiveSmallIntegerField("组序号")
    name = models.CharField("组名", max_length=50)
    # "江城市2026年第一轮·第一巡察组": what a grant over the group shows, kept by the services.
    full_name = models.CharField("全称", max_length=150, editable=False)
    remarks = models.CharField("备注", max_length=200, blank=True)

    scope_paths = {"region": "authority", "group": ""}
    permission_name = "round"
    reads_upward = True
    history_exclude = ("authority", "full_name")

    class Meta:
        ordering = ["round_id", "number", "id"]
        verbose_name = verbose_name_plural = "巡察组"

    def __str__(self):
        return self.name

    @property
    def scope_label(self) -> str:
        return self.full_name or self.name


class Inspection(FSMModelMixin, PlanningModel):
    """One group inspecting one or more units in a round, through the stages of `choices.Stage`.

    The stage changes only through `services.inspection_advance` (django-fsm transitions, permission
    and condition checks, and a `StageTransition` row for each change).
    """

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="inspections")
    group = models.ForeignKey(InspectionGroup, verbose_name="巡察组", on_delete=models.PROTECT,
                              related_name="inspections")
    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT, related_name="+",
                                  editable=False)
    targets = models.ManyToManyField("org.Unit", verbose_name="巡察对象", through="InspectionTarget",
                                     related_name="+")
    stage = FSMField("当前阶段", max_length=16, choices=c.Stage.choices, default=c.Stage.PREPARE, protected=True)
    stage_changed_at = models.DateTimeField("阶段变更时间", null=True, blank=True, editable=False)
    prepare_date = models.DateField("准备", null=True, blank=True)
    stationed_date = models.DateField("进驻（动员会）", null=True, blank=True)
    understand_date = models.DateField("了解", null=True, blank=True)
    report_date = models.DateField("报告", null=True, blank=True)
    feedback_date = models.DateField("反馈", null=True, blank=True)
    transfer_date = models.DateField("移交", null=True, blank=True)
    rectify_date = models.DateField("整改", null=True, blank=True)
    archived_date = models.DateField("归档", null=True, blank=True)
    remarks = models.TextField("备注", blank=True)

    scope_paths = {"region": "authority", "group": "group"}
    permission_name = "inspection"
    reads_upward = True
    history_exclude = ("authority", "stage_changed_at")

    class Meta:
        ordering = ["round_id", "group__number", "id"]
        verbose_name = verbose_name_plural = "巡察任务"

    def __str__(self):
        return f"{self.round}·{self.group}"

    def stage_date(self, stage: str):
        return getattr(self, f"{stage}_date")

    @property
    def stage_index(self) -> int:
        return c.STAGE_ORDER.index(self.stage)

    # Transitions: conditions and permissions are checked by services.inspection_advance, which
    # explains a refusal in Chinese; django-fsm keeps the graph itself.
    @transition(field=stage, source=c.Stage.PREPARE, target=c.Stage.STATIONED)
    def station(self):
        """准备 → 进驻 (动员会)."""

    @transition(field=stage, source=c.Stage.STATIONED, target=c.Stage.UNDERSTAND)
    def understand(self):
        """进驻 → 了解."""

    @transition(field=stage, source=c.Stage.UNDERSTAND, target=c.Stage.REPORT)
    def report(self):
        """了解 → 报告 (the group submits its report)."""

    @transition(field=stage, source=c.Stage.REPORT, target=c.Stage.UNDERSTAND)
    def send_back(self):
        """报告 → 了解 (the office sends the report back for more fieldwork)."""

    @transition(field=stage, source=c.Stage.REPORT, target=c.Stage.FEEDBACK)
    def feedback(self):
        """报告 → 反馈."""

    @transition(field=stage, source=c.Stage.FEEDBACK, target=c.Stage.TRANSFER)
    def transfer(self):
        """反馈 → 移交."""

    @transition(field=stage, source=c.Stage.TRANSFER, target=c.Stage.RECTIFY)
    def rectify(self):
        """移交 → 整改."""

    @transition(field=stage, source=c.Stage.RECTIFY, target=c.Stage.ARCHIVED)
    def archive(self):
        """整改 → 归档."""


class InspectionTarget(models.Model):
    """A unit inspected by an inspection (the through table of `Inspection.targets`)."""

    inspection = models.ForeignKey(Inspection, verbose_name="巡察任务", on_delete=models.CASCADE,
                                   related_name="target_links")
    unit = models.ForeignKey("org.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="+")

    objects = PlanningManager()
    scope_paths = {"region": "inspection__authority", "group": "inspection__group"}
    permission_name = "inspection"
    reads_upward = True

    class Meta:
        ordering = ["inspection_id", "id"]
        verbose_name = verbose_name_plural = "巡察对象"
        constraints = [models.UniqueConstraint(fields=["inspection", "unit"], name="inspectiontarget_unique")]

    def __str__(self):
        return str(self.unit_id)


class AppendOnlyPlanningQuerySet(PlanningQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("阶段流转记录只可追加，不可修改。")

    def delete(self):
        raise AppendOnlyError("阶段流转记录只可追加，不可删除。")


class StageTransition(models.Model):
    """One stage change of an inspection: who, when, from, to, opinion. Append-only."""

    inspection = models.ForeignKey(Inspection, verbose_name="巡察任务", on_delete=models.PROTECT,
                                   related_name="transitions")
    from_stage = models.CharField("原阶段", max_length=16, choices=c.Stage.choices)
    to_stage = models.CharField("新阶段", max_length=16, choices=c.Stage.choices)
    opinion = models.TextField("意见", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT,
                             related_name="+")
    username = models.CharField("操作人", max_length=150)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = models.Manager.from_queryset(AppendOnlyPlanningQuerySet)()
    # The log of a county's inspection is the county's and the group's business, not the city's
    # neighbours': no upward reach here.
    scope_paths = {"region": "inspection__authority", "group": "inspection__group"}
    permission_name = "inspection"

    class Meta:
        ordering = ["inspection_id", "id"]
        verbose_name = verbose_name_plural = "阶段流转记录"

    def __str__(self):
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("阶段流转记录只可追加，不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("阶段流转记录只可追加，不可删除。")


# --- Horizontal linkage ---------------------------------------------------------------------------


class HorizontalCheck(PlanningModel):
    """A check by another department scheduled with an inspection (横向联动): the organisation
    department's 选人用人专项检查 or the audit bureau's 经济责任审计, with its result attached."""

    inspection = models.ForeignKey(Inspection, verbose_name="巡察任务", on_delete=models.PROTECT,
                                   related_name="checks")
    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT, related_name="+",
                                  editable=False)
    kind = models.CharField("检查类型", max_length=16, choices=c.CheckKind.choices)
    department = models.CharField("实施部门", max_length=50)
    unit = models.ForeignKey("org.Unit", verbose_name="被检查单位", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField("检查（审计）对象", max_length=100, blank=True,
                               help_text="如：单位主要负责人任期经济责任。")
    planned_start = models.DateField("计划开始日期")
    planned_end = models.DateField("计划结束日期")
    status = models.CharField("状态", max_length=16, choices=c.CheckStatus.choices, default=c.CheckStatus.PLANNED)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    result_summary = models.TextField("结果摘要", blank=True)
    result_file = models.ForeignKey("core.StoredFile", verbose_name="结果附件", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    scope_paths = {"region": "authority"}
    permission_name = "horizontalcheck"

    class Meta:
        ordering = ["inspection_id", "planned_start", "id"]
        verbose_name = verbose_name_plural = "协同检查"

    def __str__(self):
        return f"{self.get_kind_display()}（{self.department}）"


# --- Priority ranking inputs ------------------------------------------------------------------------


class PriorityWeights(BaseModel):
    """The weights an office gives each factor of the priority score, and the reference values that
    turn a raw figure into 0–100 points. One row per authority (defaults until the office saves)."""

    authority = models.OneToOneField("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT,
                                     related_name="+")
    w_attention = models.PositiveSmallIntegerField("权重：社会关注度", default=20)
    w_power = models.PositiveSmallIntegerField("权重：职级不高权力较大", default=15)
    w_fund = models.PositiveSmallIntegerField("权重：专项资金规模", default=15)
    w_petition = models.PositiveSmallIntegerField("权重：信访举报量", default=20)
    w_problem = models.PositiveSmallIntegerField("权重：上次巡察发现问题", default=15)
    w_years = models.PositiveSmallIntegerField("权重：距上次巡察年数", default=15)
    fund_ref = models.DecimalField("专项资金参照值（万元）", max_digits=14, decimal_places=2, default=10000,
                                   help_text="资金规模达到该值记满分 100 分。")
    petition_ref = models.PositiveIntegerField("信访举报参照值（件）", default=20)
    problem_ref = models.PositiveIntegerField("问题数参照值（个）", default=20)
    years_ref = models.PositiveSmallIntegerField("年数参照值（年）", default=5, help_text="从未巡察按满分计。")

    objects = PlanningManager()
    all_objects = PlanningAllObjectsManager()
    scope_paths = {"region": "authority"}
    permission_name = "priority"

    class Meta:
        ordering = ["authority_id"]
        verbose_name = verbose_name_plural = "重点对象排序权重"

    def __str__(self):
        return f"{self.authority}的排序权重"


class UnitRiskInput(PlanningModel):
    """Per unit and year: petition volume and problems found by the last inspection. Entered or
    imported by the office now; the fieldwork app will feed the same rows later (source 巡察发现)."""

    class Source(models.TextChoices):
        MANUAL = "manual", "手工录入"
        IMPORT = "import", "导入"
        FIELDWORK = "fieldwork", "巡察发现"

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("org.Region", verbose_name="所属区域", on_delete=models.PROTECT, related_name="+",
                               editable=False)
    year = models.PositiveSmallIntegerField("年度")
    petition_count = models.PositiveIntegerField("信访举报量（件）", default=0)
    problem_count = models.PositiveIntegerField("上次巡察发现问题（个）", default=0)
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.MANUAL)
    remarks = models.CharField("备注", max_length=200, blank=True)

    scope_paths = {"region": "region", "unit": "unit"}
    permission_name = "riskinput"
    history_exclude = ("region",)

    class Meta:
        ordering = ["-year", "region_id", "unit_id", "id"]
        verbose_name = verbose_name_plural = "单位风险信息"
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self):
        return f"{self.unit.name} {self.year}年"


# --- Proposals of the plan proposer ----------------------------------------------------------------


class PlanProposal(BaseModel):
    """One run of the plan proposer for a five-year plan: parameters in, a schedule (or the reasons
    none exists) out. The office accepts it (with edits), or rejects it; nothing is written to the
    plan before it is accepted."""

    plan = models.ForeignKey(FiveYearPlan, verbose_name="五年规划", on_delete=models.CASCADE,
                             related_name="proposals")
    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT, related_name="+",
                                  editable=False)
    status = models.CharField("状态", max_length=16, choices=c.ProposalStatus.choices,
                              default=c.ProposalStatus.RUNNING)
    params = models.JSONField("参数", default=dict)
    result = models.JSONField("结果", default=dict, blank=True)
    reasons = models.JSONField("说明", default=list, blank=True)
    job = models.ForeignKey("core.Job", verbose_name="后台任务", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = PlanningManager()
    all_objects = PlanningAllObjectsManager()
    scope_paths = {"region": "authority"}
    permission_name = "plan"
    history_exclude = ("result",)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "排期建议"

    def __str__(self):
        return f"排期建议 #{self.pk}"
