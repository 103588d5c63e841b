"""Enumerations of fieldwork that the code depends on (structure, not editable data)."""

from django.db import models

__all__ = ["TalkCategory", "TalkStatus", "PetitionChannel", "PetitionCategory", "PetitionStatus",
           "RequestStatus", "MeetingKind", "VisitLevel", "INTAKE_STAGES", "PUBLIC_CHANNELS"]


class TalkCategory(models.TextChoices):
    PRINCIPAL = "principal", "主要负责人"
    LEADERSHIP = "leadership", "班子成员"
    MIDDLE = "middle", "中层干部"
    STAFF = "staff", "一般干部"
    RETIRED = "retired", "退休干部"
    SERVED = "served", "服务对象"
    OTHER = "other", "其他人员"


class TalkStatus(models.TextChoices):
    PLANNED = "planned", "计划谈话"
    DONE = "done", "已谈话"
    CANCELLED = "cancelled", "取消"


class PetitionChannel(models.TextChoices):
    LETTER = "letter", "来信"
    PHONE = "phone", "来电"
    VISIT = "visit", "来访"
    MAILBOX = "mailbox", "信箱"
    QRCODE = "qrcode", "二维码"
    ONLINE = "online", "网络"


# What a member of the public may choose on the public intake page (the rest are recorded by the group).
PUBLIC_CHANNELS = (PetitionChannel.QRCODE, PetitionChannel.MAILBOX, PetitionChannel.ONLINE)


class PetitionCategory(models.TextChoices):
    """The six disciplines are the yardstick of problems (DOMAIN.md), plus what falls outside them."""

    POLITICAL = "political", "违反政治纪律"
    ORGANISATIONAL = "organisational", "违反组织纪律"
    INTEGRITY = "integrity", "违反廉洁纪律"
    MASSES = "masses", "违反群众纪律"
    WORK = "work", "违反工作纪律"
    LIFE = "life", "违反生活纪律"
    SELECTION = "selection", "选人用人问题"
    COMPLAINT = "complaint", "诉求类事项"
    OTHER = "other", "其他"


class PetitionStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    CLUE = "clue", "已转线索"
    REFERRED = "referred", "已转办"
    KEPT = "kept", "留存"
    CLOSED = "closed", "了结"


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", "已提出"
    PARTIAL = "partial", "部分提供"
    RECEIVED = "received", "已提供"
    REVIEWED = "reviewed", "已审阅"


class MeetingKind(models.TextChoices):
    COMMITTEE = "committee", "党委（党组）会议"
    OFFICE = "office", "行政办公会议"
    STUDY = "study", "理论学习中心组学习"
    LIFE = "life", "民主生活会"
    ORGANISATION = "organisation", "组织生活会"
    OTHER = "other", "其他会议"


class VisitLevel(models.TextChoices):
    VISIT = "visit", "走访"
    DOWN_ONE = "down1", "下沉一级"
    DOWN_TWO = "down2", "下沉两级"


# The public intake accepts petitions only while the group is stationed at the unit.
INTAKE_STAGES = ("stationed", "understand")
