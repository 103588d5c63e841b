"""Enumerations of the teams app that the code depends on (structure, not editable data), and the
codes of the dictionaries it seeds (editable labels, stable values)."""

from django.db import models

__all__ = [
    "MemberRole", "PartyOrgKind", "PoolKind", "EntryStatus", "PoolAction", "Proposal", "Decision",
    "DeclarationKind", "CrossStatus", "ChecklistItem", "SecondmentStatus", "ReminderKind", "PledgeKind",
    "QuotaCheckStatus", "QuotaConclusion", "DICT_EVALUATION_GRADE", "DICT_POOL_SOURCE", "DICT_HONOUR_LEVEL",
    "DICTIONARIES", "GROUP_SIZE_MIN", "GROUP_SIZE_MAX", "RECUSAL_YEARS", "SECONDMENT_REMIND_DAYS",
    "LEADER_RANKS",
]

GROUP_SIZE_MIN = 5  # a group is 5–7 people (DOMAIN.md, stage 2)
GROUP_SIZE_MAX = 7
RECUSAL_YEARS = 3  # nobody inspects a unit where they worked in the last 3 years
SECONDMENT_REMIND_DAYS = 30
# "A city cadre of county level leads each cross group": 正处级 or 副处级.
LEADER_RANKS = ("division_1", "division_2")


class MemberRole(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "成员"
    LIAISON = "liaison", "联络员"


ROLE_ORDER = {MemberRole.LEADER: 0, MemberRole.DEPUTY: 1, MemberRole.MEMBER: 2, MemberRole.LIAISON: 3}


class PartyOrgKind(models.TextChoices):
    PARTY_GROUP = "party_group", "临时党小组"
    PARTY_BRANCH = "party_branch", "临时党支部"


class PoolKind(models.TextChoices):
    LEADER = "leader", "组长库"
    TALENT = "talent", "人才库"


class EntryStatus(models.TextChoices):
    ACTIVE = "active", "在库"
    SUSPENDED = "suspended", "暂停使用"
    EXITED = "exited", "已出库"


class PoolAction(models.TextChoices):
    ADMIT = "admit", "入库"
    EXIT = "exit", "出库"
    SUSPEND = "suspend", "暂停使用"
    RESUME = "resume", "恢复使用"
    READMIT = "readmit", "重新入库"


class Proposal(models.TextChoices):
    """What the system proposes after an evaluation; the office decides."""

    NONE = "none", "无"
    ADMIT_TALENT = "admit_talent", "建议纳入人才库"
    ADMIT_LEADER = "admit_leader", "建议纳入组长库"
    REMOVE = "remove", "建议调整出库"


class Decision(models.TextChoices):
    NONE = "none", "无需决定"
    PENDING = "pending", "待决定"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "不采纳"


class DeclarationKind(models.TextChoices):
    SELF = "self", "本人申请回避"
    UNIT = "unit", "被巡察单位提出回避"


class CrossStatus(models.TextChoices):
    DRAFT = "draft", "待编组"
    SOLVED = "solved", "已生成方案"
    INFEASIBLE = "infeasible", "无可行方案"
    CONFIRMED = "confirmed", "已确认"


class ChecklistItem(models.TextChoices):
    """The six things a cross inspection unifies (六统一)."""

    DEPLOY = "deploy", "统一部署"
    TARGETS = "targets", "统一确定巡察对象"
    TRAINING = "training", "统一培训"
    DEADLINE = "deadline", "统一时限"
    REPORT = "report", "统一汇报"
    RESULTS = "results", "统一成果运用"


CHECKLIST_HINTS = {
    ChecklistItem.DEPLOY: "市委巡察工作领导小组统一召开部署会，印发交叉巡察工作方案。",
    ChecklistItem.TARGETS: "市委巡察办统一确定各县区被巡察单位名单。",
    ChecklistItem.TRAINING: "各交叉巡察组统一参加进驻前业务培训。",
    ChecklistItem.DEADLINE: "统一进驻时间、了解时间和报告时间。",
    ChecklistItem.REPORT: "各组向市委巡察工作领导小组统一汇报巡察情况。",
    ChecklistItem.RESULTS: "统一反馈、统一移交问题线索、统一督促整改和成果运用。",
}


class SecondmentStatus(models.TextChoices):
    ACTIVE = "active", "抽调中"
    ENDED = "ended", "已结束"


class ReminderKind(models.TextChoices):
    SECONDMENT_EXPIRY = "secondment_expiry", "抽调到期提醒"


class PledgeKind(models.TextChoices):
    CONFIDENTIALITY = "confidentiality", "保密承诺书"
    DUTY = "duty", "履职尽责承诺书"


class QuotaCheckStatus(models.TextChoices):
    DRAFT = "draft", "检查中"
    PUBLISHED = "published", "已通报"


class QuotaConclusion(models.TextChoices):
    MET = "met", "编制落实到位"
    SHORT = "short", "编制未落实到位"


DICT_EVALUATION_GRADE = "team_evaluation_grade"
DICT_POOL_SOURCE = "team_pool_source"
DICT_HONOUR_LEVEL = "team_honour_level"

# Loaded by the data migration (core.seed.load_dictionaries). The grade values are stable codes the
# proposals depend on (excellent → admission, incompetent → removal); the labels may be edited.
DICTIONARIES = {
    DICT_EVALUATION_GRADE: ("巡察人员考核等次", [
        ("excellent", "优秀"), ("competent", "称职"), ("basic", "基本称职"), ("incompetent", "不称职"),
    ]),
    DICT_POOL_SOURCE: ("入库来源", [
        ("org_recommend", "组织部门推荐"), ("unit_recommend", "单位推荐"), ("self", "个人报名"),
        ("evaluation", "巡察考核优秀"), ("discipline", "纪检监察机关推荐"), ("other", "其他"),
    ]),
    DICT_HONOUR_LEVEL: ("荣誉级别", [
        ("national", "国家级"), ("provincial", "省级"), ("city", "市级"), ("county", "县级"), ("unit", "单位内部"),
    ]),
}
