"""Enumerations of findings that the code depends on (structure, not editable data)."""

from django.db import models

__all__ = ["ProblemKind", "Severity", "ProblemStatus", "OPEN_PROBLEM_STATUSES", "EDITABLE_PROBLEM_STATUSES",
           "ClueSource", "ClueStatus", "ReceiverKind", "DispositionKind", "ReminderKind", "SecretLevel",
           "WRITING_STAGES", "CLUE_STAGES"]


class ProblemKind(models.TextChoices):
    """问题类型: the kinds of problems an inspection reports (statistics by kind)."""

    DECISIONS = "decisions", "贯彻落实党中央决策部署不到位"
    GOVERNANCE = "governance", "落实全面从严治党责任不到位"
    GRASSROOTS = "grassroots", "基层党组织建设薄弱"
    APPOINTMENT = "appointment", "选人用人问题"
    CONDUCT = "conduct", "违反中央八项规定精神和作风问题"
    INTEGRITY = "integrity", "廉洁风险和腐败问题"
    RECTIFICATION = "rectification", "巡视巡察和审计整改不到位"
    OTHER = "other", "其他"


class Severity(models.TextChoices):
    GENERAL = "general", "一般"
    SERIOUS = "serious", "较重"
    GRAVE = "grave", "严重"


class ProblemStatus(models.TextChoices):
    """底稿 → 待审核 → 已审核 → 已确认; 退回 goes back to the author, who edits and resubmits."""

    DRAFT = "draft", "底稿"
    SUBMITTED = "submitted", "待审核"
    REVIEWED = "reviewed", "已审核"
    CONFIRMED = "confirmed", "已确认"
    RETURNED = "returned", "退回修改"


# Every status but 已确认: a draft on its way (the report cannot be submitted while one is left).
OPEN_PROBLEM_STATUSES = (ProblemStatus.DRAFT, ProblemStatus.SUBMITTED, ProblemStatus.REVIEWED,
                         ProblemStatus.RETURNED)
# The author edits a draft only before submitting it, or after it was sent back.
EDITABLE_PROBLEM_STATUSES = (ProblemStatus.DRAFT, ProblemStatus.RETURNED)

# Stages of the inspection in which members write problem drafts (进驻, 了解; 报告 sent back → 了解 again).
WRITING_STAGES = ("stationed", "understand")
# Stages in which clues are registered and transferred (not before 进驻, not after 归档).
CLUE_STAGES = ("stationed", "understand", "report", "feedback", "transfer", "rectify")


class ClueSource(models.TextChoices):
    TALK = "talk", "个别谈话"
    PETITION = "petition", "信访举报"
    DOCUMENTS = "documents", "调阅资料"
    VISIT = "visit", "走访调研"
    OTHER = "other", "其他"


class ClueStatus(models.TextChoices):
    REGISTERED = "registered", "已登记"
    TRANSFERRED = "transferred", "已移交"
    DISPOSED = "disposed", "已反馈处置"


class ReceiverKind(models.TextChoices):
    """Discipline matters to 纪委监委, selection and appointment to 组织部, others to the competent department."""

    DISCIPLINE = "discipline", "纪委监委"
    ORGANISATION = "organisation", "组织部"
    OTHER = "other", "其他有关部门"


class DispositionKind(models.TextChoices):
    TALK = "talk", "谈话函询"
    PRELIMINARY = "preliminary", "初步核实"
    CASE = "case", "立案审查调查"
    ORGANISATIONAL = "organisational", "组织处理"
    CLOSED = "closed", "予以了结"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "处置期限将至"
    OVERDUE = "overdue", "处置逾期"


class SecretLevel(models.TextChoices):
    CONFIDENTIAL = "机密", "机密"
    SECRET = "秘密", "秘密"
