"""The people behind the groups (DOMAIN.md, stage 2 and "The people behind the groups").

People are `org.Cadre` records. Groups are `planning.InspectionGroup` (one per group per round);
this app adds who is in them and everything about those people:

    InspectionGroup ─1 GroupProfile               (临时党小组/党支部, mobilisation date)
    InspectionGroup ─< GroupMember >─ Cadre        (组长/副组长/成员/联络员, party secretary, conduct supervisor)
    GroupMember ─1 Evaluation                      (优秀/称职/基本称职/不称职 after the round; proposal + decision)
    GroupMember ─< Pledge                          (保密承诺书, 履职尽责承诺书: signed copies)
    PoolEntry >─ Cadre, PoolEntry ─< PoolEvent     (组长库/人才库 with every entry and exit)
    RecusalDeclaration >─ Cadre, Unit              (回避申请 and the unit's request)
    CrossPlan ─1 Round, ─< CrossPair, ─< CrossChecklistItem   (交叉巡察 and its six unified items)
    Secondment >─ Cadre, InspectionGroup; TeamReminder        (抽调 and its expiry reminders)
    Honour, TrainingSession ─< TrainingAttendance, StaffingQuota, QuotaCheck ─< QuotaCheckItem

Every row reaches its region in one hop: `authority` is the office (city or county region) that
keeps it, denormalised by the services. A group grant reaches the rows of its own group.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from xuncha.core.models import BaseModel, DictField, SoftDeleteModel
from xuncha.core.scoping import SCOPE_GLOBAL, SCOPE_REGION, ScopedManager
from xuncha.org import choices as org_choices

from . import choices as c

__all__ = [
    "GroupProfile", "GroupMember", "PoolEntry", "PoolEvent", "Evaluation", "RecusalDeclaration", "CrossPlan",
    "CrossPair", "CrossChecklistItem", "Secondment", "TeamReminder", "Pledge", "Honour", "StaffingQuota",
    "QuotaCheck", "QuotaCheckItem", "TrainingSession", "TrainingAttendance",
]


def _region_fk(label: str = "巡察机构", **extra):
    return models.ForeignKey("org.Region", verbose_name=label, on_delete=models.PROTECT, related_name="+", **extra)


# --- Groups and their members ---------------------------------------------------------------------


class GroupProfile(BaseModel):
    """What the teams side keeps about a group: its temporary party organisation and meeting date."""

    group = models.OneToOneField("planning.InspectionGroup", verbose_name="巡察组", on_delete=models.PROTECT,
                                 related_name="team_profile")
    authority = _region_fk(editable=False)
    party_org_kind = models.CharField("临时党组织", max_length=16, choices=c.PartyOrgKind.choices,
                                      default=c.PartyOrgKind.PARTY_GROUP)
    party_org_established = models.DateField("临时党组织成立日期", null=True, blank=True)
    mobilisation_date = models.DateField("动员会日期", null=True, blank=True,
                                         help_text="不填则取该组巡察任务的进驻（动员会）日期。")
    remarks = models.CharField("备注", max_length=200, blank=True)

    scope_paths = {"region": "authority", "group": "group"}
    permission_name = "member"
    history_exclude = ("authority",)

    class Meta:
        ordering = ["group_id"]
        verbose_name = verbose_name_plural = "巡察组组建信息"

    def __str__(self):
        return f"{self.group}的组建信息"


class GroupMember(SoftDeleteModel):
    """A cadre in an inspection group of one round, with the role and the conduct duties they hold."""

    group = models.ForeignKey("planning.InspectionGroup", verbose_name="巡察组", on_delete=models.PROTECT,
                              related_name="members")
    round = models.ForeignKey("planning.Round", verbose_name="轮次", on_delete=models.PROTECT, related_name="+",
                              editable=False)
    authority = _region_fk(editable=False)
    cadre = models.ForeignKey("org.Cadre", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("组内职务", max_length=16, choices=c.MemberRole.choices, default=c.MemberRole.MEMBER)
    is_party_secretary = models.BooleanField("临时党组织书记（组长）", default=False)
    is_conduct_supervisor = models.BooleanField("作风监督员", default=False)
    pool_entry = models.ForeignKey("PoolEntry", verbose_name="来源（库）", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    duty = models.CharField("分工", max_length=100, blank=True)
    joined_on = models.DateField("加入日期", null=True, blank=True)
    remarks = models.CharField("备注", max_length=200, blank=True)

    scope_paths = {"region": "authority", "group": "group"}
    permission_name = "member"
    history_exclude = ("authority", "round")

    class Meta:
        ordering = ["group_id", "role", "id"]
        verbose_name = verbose_name_plural = "巡察组成员"
        constraints = [models.UniqueConstraint(fields=["group", "cadre"], condition=Q(is_deleted=False),
                                               name="groupmember_unique_cadre")]
        indexes = [models.Index(fields=["cadre", "is_deleted"])]

    def __str__(self):
        return f"{self.cadre.name}（{self.get_role_display()}）"


# --- Pools ----------------------------------------------------------------------------------------


class PoolEntry(SoftDeleteModel):
    """A person in the leader pool (组长库) or talent pool (人才库) of an office: 一人一表一档.

    The status changes only through the pool services, each writing a `PoolEvent` with its reason.
    """

    authority = _region_fk()
    kind = models.CharField("库别", max_length=16, choices=c.PoolKind.choices)
    cadre = models.ForeignKey("org.Cadre", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=16, choices=c.EntryStatus.choices, default=c.EntryStatus.ACTIVE,
                              editable=False)
    entry_date = models.DateField("入库日期")
    source = DictField("入库来源", dict_code=c.DICT_POOL_SOURCE)
    entry_reason = models.CharField("入库理由", max_length=300)
    specialities = models.ManyToManyField(
        "core.DictItem", verbose_name="专长", blank=True, related_name="+",
        limit_choices_to={"dict_type__code": org_choices.DICT_CADRE_SKILL})
    exit_date = models.DateField("出库日期", null=True, blank=True, editable=False)
    exit_reason = models.CharField("出库理由", max_length=300, blank=True, editable=False)
    remarks = models.TextField("备注", blank=True)

    scope_paths = {"region": "authority"}
    permission_name = "pool"

    class Meta:
        ordering = ["authority__path", "kind", "status", "id"]
        verbose_name = verbose_name_plural = "组长库和人才库"
        constraints = [models.UniqueConstraint(fields=["authority", "kind", "cadre"], condition=Q(is_deleted=False),
                                               name="poolentry_unique_cadre")]
        indexes = [models.Index(fields=["authority", "kind", "status"])]

    def __str__(self):
        return f"{self.cadre.name}（{self.get_kind_display()}）"


class PoolEvent(models.Model):
    """One entry, exit, suspension or resumption of a pool entry, with its reason (the entry's 档)."""

    entry = models.ForeignKey(PoolEntry, verbose_name="入库记录", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("事项", max_length=16, choices=c.PoolAction.choices)
    date = models.DateField("日期")
    reason = models.CharField("理由", max_length=300)
    evaluation = models.ForeignKey("Evaluation", verbose_name="依据的考核", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager()
    scope_paths = {"region": "entry__authority"}
    permission_name = "pool"

    class Meta:
        ordering = ["entry_id", "date", "id"]
        verbose_name = verbose_name_plural = "出入库记录"

    def __str__(self):
        return f"{self.date} {self.get_action_display()}"


class Evaluation(BaseModel):
    """The office's evaluation of one member after the round, the system's proposal and the decision."""

    member = models.OneToOneField(GroupMember, verbose_name="巡察组成员", on_delete=models.PROTECT,
                                  related_name="evaluation")
    authority = _region_fk(editable=False)
    round = models.ForeignKey("planning.Round", verbose_name="轮次", on_delete=models.PROTECT, related_name="+",
                              editable=False)
    grade = DictField("考核等次", dict_code=c.DICT_EVALUATION_GRADE)
    comments = models.TextField("考核评语", blank=True)
    evaluated_on = models.DateField("考核日期")
    proposal = models.CharField("系统建议", max_length=16, choices=c.Proposal.choices, default=c.Proposal.NONE,
                                editable=False)
    decision = models.CharField("办公室决定", max_length=16, choices=c.Decision.choices, default=c.Decision.NONE,
                                editable=False)
    decision_note = models.CharField("决定说明", max_length=300, blank=True, editable=False)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)

    scope_paths = {"region": "authority"}
    permission_name = "evaluation"
    history_exclude = ("authority", "round")

    class Meta:
        ordering = ["round_id", "member__group__number", "id"]
        verbose_name = verbose_name_plural = "巡察人员考核"

    def __str__(self):
        return f"{self.member.cadre.name}的考核"


# --- Recusal --------------------------------------------------------------------------------------


class RecusalDeclaration(SoftDeleteModel):
    """A person's own request to be recused (回避申请) or the inspected unit's request; while active it
    blocks assigning the person to the unit, and the block names this record and its reason."""

    authority = _region_fk()
    kind = models.CharField("类型", max_length=16, choices=c.DeclarationKind.choices)
    cadre = models.ForeignKey("org.Cadre", verbose_name="申请（被申请）回避人员", on_delete=models.PROTECT,
                              related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name="回避单位", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("回避事由", max_length=300)
    declared_on = models.DateField("提出日期")
    is_active = models.BooleanField("有效", default=True)
    remarks = models.CharField("备注", max_length=200, blank=True)

    scope_paths = {"region": "authority"}
    permission_name = "recusal"

    class Meta:
        ordering = ["-declared_on", "-id"]
        verbose_name = verbose_name_plural = "回避申请"

    def __str__(self):
        return f"{self.cadre.name}—{self.unit.name}"


# --- Cross inspection ------------------------------------------------------------------------------


class CrossPlan(BaseModel):
    """The formation of a cross-inspection round (交叉巡察): which county's group inspects which county,
    who leads each group and who goes; solved with CP-SAT, confirmed by the office."""

    round = models.OneToOneField("planning.Round", verbose_name="交叉巡察轮次", on_delete=models.PROTECT,
                                 related_name="cross_plan")
    authority = _region_fk(editable=False)
    status = models.CharField("状态", max_length=16, choices=c.CrossStatus.choices, default=c.CrossStatus.DRAFT,
                              editable=False)
    counties = models.ManyToManyField("org.Region", verbose_name="参加县区", related_name="+")
    targets = models.ManyToManyField("org.Unit", verbose_name="被巡察单位", blank=True, related_name="+",
                                     help_text="未选择单位的县区，按该县区全部单位审查回避。")
    group_size = models.PositiveSmallIntegerField("每组人数（含组长）", default=7)
    needs = models.JSONField("每组所需专长", default=dict, blank=True)
    time_limit = models.PositiveSmallIntegerField("求解时限（秒）", default=20)
    result = models.JSONField("编组结果", default=dict, blank=True, editable=False)
    reasons = models.JSONField("说明", default=list, blank=True, editable=False)
    solved_at = models.DateTimeField("求解时间", null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+", editable=False)

    scope_paths = {"region": "authority"}
    permission_name = "cross"
    history_exclude = ("authority", "result")

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "交叉巡察编组"

    def __str__(self):
        return f"{self.round}交叉编组"


class CrossPair(BaseModel):
    """One cross group: the source county's group inspects the target county, led by a city cadre;
    the inspected county names its liaison (联络员)."""

    plan = models.ForeignKey(CrossPlan, verbose_name="交叉巡察编组", on_delete=models.CASCADE, related_name="pairs")
    number = models.PositiveSmallIntegerField("组序号")
    source_county = models.ForeignKey("org.Region", verbose_name="派出县区", on_delete=models.PROTECT,
                                      related_name="+")
    target_county = models.ForeignKey("org.Region", verbose_name="被巡察县区", on_delete=models.PROTECT,
                                      related_name="+")
    leader = models.ForeignKey("org.Cadre", verbose_name="组长", on_delete=models.PROTECT, related_name="+")
    member_ids = models.JSONField("成员", default=list)
    liaison = models.ForeignKey("org.Cadre", verbose_name="被巡察县区联络员", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey("planning.InspectionGroup", verbose_name="巡察组", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+", editable=False)

    permission_name = "cross"
    objects = ScopedManager()

    class Meta:
        ordering = ["plan_id", "number"]
        verbose_name = verbose_name_plural = "交叉巡察组"

    def __str__(self):
        return f"{self.source_county.name}→{self.target_county.name}"

    @staticmethod
    def scope_q_for_grant(grant):
        """The city office sees its plan's pairs; a county office sees the pairs its county sends or
        receives (the inspected county names the liaison)."""
        if grant.kind == SCOPE_GLOBAL:
            return Q()
        if grant.kind == SCOPE_REGION:
            path = grant.region_path
            return (Q(plan__authority__path__startswith=path) | Q(source_county__path__startswith=path)
                    | Q(target_county__path__startswith=path))
        return None


class CrossChecklistItem(models.Model):
    """One of the six unified items of a cross inspection (部署, 对象, 培训, 时限, 汇报, 成果运用)."""

    plan = models.ForeignKey(CrossPlan, verbose_name="交叉巡察编组", on_delete=models.CASCADE,
                             related_name="checklist")
    item = models.CharField("事项", max_length=16, choices=c.ChecklistItem.choices)
    content = models.TextField("具体安排", blank=True)
    due_date = models.DateField("完成时限", null=True, blank=True)
    done = models.BooleanField("已落实", default=False)
    done_on = models.DateField("落实日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = ScopedManager()
    scope_paths = {"region": "plan__authority"}
    permission_name = "cross"

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = verbose_name_plural = "交叉巡察“六统一”"
        constraints = [models.UniqueConstraint(fields=["plan", "item"], name="crosschecklist_unique_item")]

    def __str__(self):
        return self.get_item_display()


# --- Secondments and reminders ---------------------------------------------------------------------


def _one_year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1) - datetime.timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class Secondment(SoftDeleteModel):
    """A cadre seconded (抽调) from their unit to inspection work, one year by default, managed by the
    group they serve in. Young cadres sent for training (年轻干部跟班学习) are counted apart."""

    authority = _region_fk()
    cadre = models.ForeignKey("org.Cadre", verbose_name="抽调人员", on_delete=models.PROTECT, related_name="+")
    from_unit = models.ForeignKey("org.Unit", verbose_name="派出单位", on_delete=models.PROTECT, related_name="+",
                                  editable=False)
    group = models.ForeignKey("planning.InspectionGroup", verbose_name="管理巡察组", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField("抽调开始日期")
    end_date = models.DateField("抽调结束日期", blank=True, help_text="不填默认为一年。")
    is_young_training = models.BooleanField("年轻干部跟班学习", default=False)
    letter_no = models.CharField("抽调函文号", max_length=50, blank=True)
    status = models.CharField("状态", max_length=16, choices=c.SecondmentStatus.choices,
                              default=c.SecondmentStatus.ACTIVE, editable=False)
    remarks = models.CharField("备注", max_length=200, blank=True)

    scope_paths = {"region": "authority", "group": "group"}
    permission_name = "secondment"

    class Meta:
        ordering = ["end_date", "id"]
        verbose_name = verbose_name_plural = "人员抽调"

    def __str__(self):
        return f"{self.cadre.name}（{self.start_date}—{self.end_date}）"

    @staticmethod
    def default_end(start: datetime.date) -> datetime.date:
        return _one_year_later(start)


class TeamReminder(models.Model):
    """An in-platform reminder (a secondment ends in 30 days). Created once per secondment and end date
    by the daily task, whatever the number of runs."""

    kind = models.CharField("类型", max_length=32, choices=c.ReminderKind.choices)
    authority = _region_fk()
    group = models.ForeignKey("planning.InspectionGroup", verbose_name="巡察组", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    secondment = models.ForeignKey(Secondment, verbose_name="抽调", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="reminders")
    due_date = models.DateField("到期日期")
    message = models.CharField("提醒内容", max_length=300)
    created_at = models.DateTimeField("提醒时间", auto_now_add=True)
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager()
    scope_paths = {"region": "authority", "group": "group"}
    permission_name = "reminder"

    class Meta:
        ordering = ["handled_at", "due_date", "id"]
        verbose_name = verbose_name_plural = "到期提醒"
        constraints = [models.UniqueConstraint(fields=["kind", "secondment", "due_date"],
                                               name="teamreminder_once")]

    def __str__(self):
        return self.message


# --- Pledges and honours ---------------------------------------------------------------------------


class Pledge(BaseModel):
    """A member's signed pledge (保密承诺书 or 履职尽责承诺书): the generated Word is made on request,
    the signed copy is stored by hash."""

    member = models.ForeignKey(GroupMember, verbose_name="巡察组成员", on_delete=models.PROTECT,
                               related_name="pledges")
    kind = models.CharField("承诺书", max_length=16, choices=c.PledgeKind.choices)
    authority = _region_fk(editable=False)
    group = models.ForeignKey("planning.InspectionGroup", verbose_name="巡察组", on_delete=models.PROTECT,
                              related_name="+", editable=False)
    signed_file = models.ForeignKey("core.StoredFile", verbose_name="签字件", on_delete=models.PROTECT,
                                    related_name="+")
    signed_on = models.DateField("签署日期")

    scope_paths = {"region": "authority", "group": "group"}
    permission_name = "pledge"
    history_exclude = ("authority", "group")

    class Meta:
        ordering = ["member_id", "kind"]
        verbose_name = verbose_name_plural = "承诺书"
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="pledge_unique_kind")]

    def __str__(self):
        return f"{self.member.cadre.name}·{self.get_kind_display()}"


class Honour(SoftDeleteModel):
    """An honour certificate (荣誉证书) a person received for inspection work."""

    authority = _region_fk()
    cadre = models.ForeignKey("org.Cadre", verbose_name="获奖人员", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("荣誉名称", max_length=100)
    level = DictField("荣誉级别", dict_code=c.DICT_HONOUR_LEVEL)
    issuer = models.CharField("颁发单位", max_length=100)
    awarded_on = models.DateField("颁发日期")
    certificate_no = models.CharField("证书编号", max_length=50, blank=True)
    remarks = models.CharField("备注", max_length=200, blank=True)

    scope_paths = {"region": "authority"}
    permission_name = "honour"

    class Meta:
        ordering = ["-awarded_on", "-id"]
        verbose_name = verbose_name_plural = "荣誉证书"

    def __str__(self):
        return f"{self.cadre.name}·{self.title}"


# --- Staffing quotas ------------------------------------------------------------------------------


class StaffingQuota(SoftDeleteModel):
    """The approved and filled posts (编制) of one inspection office in one year."""

    region = _region_fk("所属区域")
    year = models.PositiveSmallIntegerField("年度")
    office_name = models.CharField("机构名称", max_length=100)
    approved_posts = models.PositiveSmallIntegerField("核定编制数")
    filled_posts = models.PositiveSmallIntegerField("实有在编人数")
    seconded_posts = models.PositiveSmallIntegerField("抽调在岗人数", default=0)
    remarks = models.CharField("备注", max_length=200, blank=True)

    scope_paths = {"region": "region"}
    permission_name = "quota"

    class Meta:
        ordering = ["-year", "region__path", "id"]
        verbose_name = verbose_name_plural = "巡察机构编制"
        constraints = [models.UniqueConstraint(fields=["region", "year"], condition=Q(is_deleted=False),
                                               name="staffingquota_unique_year")]

    def __str__(self):
        return f"{self.office_name}（{self.year}年）"

    @property
    def shortfall(self) -> int:
        return max(self.approved_posts - self.filled_posts, 0)


class QuotaCheck(SoftDeleteModel):
    """The city's check of each county's staffing quotas, published as a notice (Word)."""

    authority = _region_fk("检查机关")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("检查名称", max_length=100)
    checked_on = models.DateField("检查日期")
    summary = models.TextField("总体情况", blank=True)
    requirements = models.TextField("整改要求", blank=True)
    status = models.CharField("状态", max_length=16, choices=c.QuotaCheckStatus.choices,
                              default=c.QuotaCheckStatus.DRAFT, editable=False)
    published_at = models.DateTimeField("通报时间", null=True, blank=True, editable=False)

    scope_paths = {"region": "authority"}
    permission_name = "quotacheck"

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = verbose_name_plural = "编制落实检查"

    def __str__(self):
        return self.title


class QuotaCheckItem(models.Model):
    """One county's result in a quota check."""

    check_record = models.ForeignKey(QuotaCheck, verbose_name="编制检查", on_delete=models.CASCADE,
                                     related_name="items")
    region = models.ForeignKey("org.Region", verbose_name="被检查县区", on_delete=models.PROTECT, related_name="+")
    approved_posts = models.PositiveSmallIntegerField("核定编制数")
    filled_posts = models.PositiveSmallIntegerField("实有在编人数")
    conclusion = models.CharField("检查结论", max_length=16, choices=c.QuotaConclusion.choices)
    finding = models.CharField("检查发现", max_length=300, blank=True)

    objects = ScopedManager()
    scope_paths = {"region": "check_record__authority"}
    permission_name = "quotacheck"

    class Meta:
        ordering = ["check_record_id", "region__path", "id"]
        verbose_name = verbose_name_plural = "编制检查结果"
        constraints = [models.UniqueConstraint(fields=["check_record", "region"], name="quotacheckitem_unique")]

    def __str__(self):
        return f"{self.region.name}：{self.get_conclusion_display()}"

    @property
    def shortfall(self) -> int:
        return max(self.approved_posts - self.filled_posts, 0)


# --- Training --------------------------------------------------------------------------------------


class TrainingSession(SoftDeleteModel):
    """A training session for inspection staff (进驻前培训, 业务培训)."""

    authority = _region_fk("举办机构")
    round = models.ForeignKey("planning.Round", verbose_name="所属轮次", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    title = models.CharField("培训名称", max_length=100)
    held_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    location = models.CharField("地点", max_length=100, blank=True)
    content = models.TextField("培训内容", blank=True)

    scope_paths = {"region": "authority"}
    permission_name = "training"

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "培训"

    def __str__(self):
        return self.title


class TrainingAttendance(models.Model):
    """Who attended a session and the hours credited."""

    session = models.ForeignKey(TrainingSession, verbose_name="培训", on_delete=models.CASCADE,
                                related_name="attendance")
    cadre = models.ForeignKey("org.Cadre", verbose_name="参训人员", on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField("出勤", default=True)
    hours = models.DecimalField("计入学时", max_digits=5, decimal_places=1)
    remarks = models.CharField("备注", max_length=100, blank=True)

    objects = ScopedManager()
    scope_paths = {"region": "session__authority"}
    permission_name = "training"

    class Meta:
        ordering = ["session_id", "id"]
        verbose_name = verbose_name_plural = "培训签到"
        constraints = [models.UniqueConstraint(fields=["session", "cadre"], name="trainingattendance_unique")]

    def __str__(self):
        return f"{self.cadre.name}（{'出勤' if self.attended else '缺勤'}）"
