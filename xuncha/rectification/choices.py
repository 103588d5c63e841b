"""Enumerations of rectification that the code depends on (structure, not editable data)."""

from django.db import models

__all__ = ["PlanStatus", "MeasureKind", "TaskStatus", "TaskAction", "AccountabilityMethod", "Urgency",
           "WithholdReason", "NoticeStatus", "RevisitResult", "ReminderKind", "REPORT_DUE_MONTHS",
           "DUE_SOON_DAYS"]

# The unit reports its rectification within two months of the feedback (中央巡视工作规划 / 巡察工作条例).
REPORT_DUE_MONTHS = 2
# A task whose deadline is this close is shown yellow (and reminded); past it, red.
DUE_SOON_DAYS = 15


class PlanStatus(models.TextChoices):
    """Gate 1 (启动): the unit writes its plan, the office approves it or sends it back."""

    DRAFT = "draft", "编制中"
    SUBMITTED = "submitted", "待审批"
    APPROVED = "approved", "已批准"
    RETURNED = "returned", "已退回"


class MeasureKind(models.TextChoices):
    """The four kinds of rectification measure (四类措施)."""

    CORRECT = "correct", "纠正"
    CLEANUP = "cleanup", "清理"
    ACCOUNTABILITY = "accountability", "问责"
    RULES = "rules", "建章立制"


class TaskStatus(models.TextChoices):
    """A task (one measure) passes three gates: 启动 (plan approved), 推进 (monthly reports), 验收."""

    PENDING = "pending", "待启动"
    PROGRESS = "progress", "推进中"
    REVIEW = "review", "待验收"
    ACCEPTED = "accepted", "已验收"


class TaskAction(models.TextChoices):
    """What a row of the gate log records (plan rows and task rows share the log)."""

    PLAN_SUBMIT = "plan_submit", "提交整改方案"
    PLAN_APPROVE = "plan_approve", "批准整改方案"
    PLAN_RETURN = "plan_return", "退回整改方案"
    START = "start", "启动"
    REPORT = "report", "报送进展"
    APPLY = "apply", "申请验收"
    ACCEPT = "accept", "验收通过"
    SEND_BACK = "send_back", "退回继续整改"
    REOPEN = "reopen", "回头看重新整改"
    REPORT_SUBMIT = "report_submit", "报送整改情况报告"


class AccountabilityMethod(models.TextChoices):
    """处理方式 of an accountability measure."""

    CRITICISM = "criticism", "批评教育"
    ADMONISH = "admonish", "诫勉"
    ORGANISATIONAL = "organisational", "组织处理"
    PARTY = "party", "党纪处分"
    GOVERNMENT = "government", "政务处分"
    OTHER = "other", "其他"


class Urgency(models.TextChoices):
    """The colour of a deadline: on time, due soon (yellow), overdue (red), done."""

    NORMAL = "normal", "正常"
    SOON = "soon", "即将到期"
    OVERDUE = "overdue", "已逾期"
    DONE = "done", "已完成"


class WithholdReason(models.TextChoices):
    """Why a task is kept off the public page (公开的例外)."""

    SECRET = "secret", "涉及国家秘密或工作秘密"
    INVESTIGATION = "investigation", "正在调查处理"
    PRIVACY = "privacy", "涉及个人隐私"
    OTHER = "other", "其他不宜公开的情形"


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", "待审核"
    REVIEWED = "reviewed", "已审核"
    PUBLISHED = "published", "已发布"


class RevisitResult(models.TextChoices):
    HOLDS = "holds", "整改到位"
    FAILS = "fails", "整改不到位"


class ReminderKind(models.TextChoices):
    REPORT_DUE = "report_due", "整改情况报告即将到期"
    REPORT_OVERDUE = "report_overdue", "整改情况报告已逾期"
    TASK_DUE = "task_due", "整改任务即将到期"
    TASK_OVERDUE = "task_overdue", "整改任务已逾期"
