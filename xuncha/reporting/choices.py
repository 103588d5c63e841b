"""Enumerations of reporting that the code depends on (structure, not editable data)."""

from django.db import models

__all__ = ["ReportStatus", "VersionSource", "ReviewAction", "FeedbackStatus", "ARCHIVE_ITEMS", "REPORTER_SECRET"]


class ReportStatus(models.TextChoices):
    """巡察报告: 草稿 → 待把关 (the group leader submits) → 已退回 (with reasons) / 已审定 (the office)."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待把关"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已审定"


class VersionSource(models.TextChoices):
    GENERATED = "generated", "系统生成"
    UPLOADED = "uploaded", "上传修改稿"


class ReviewAction(models.TextChoices):
    """One entry of a report's thread in the unified review (统一把关)."""

    COMMENT = "comment", "意见"
    SUBMIT = "submit", "提交把关"
    RETURN = "return", "退回修改"
    APPROVE = "approve", "审定通过"


class FeedbackStatus(models.TextChoices):
    DRAFT = "draft", "待印发"
    ISSUED = "issued", "已印发"


# The closing checklist of 立卷归档: (code, label, help). The archive step needs all ticked.
ARCHIVE_ITEMS = [
    ("report_approved", "巡察报告已审定", "巡察报告经统一把关审定，定稿已上传。"),
    ("feedback_delivered", "反馈意见已送达", "反馈意见已印发并送达被巡察单位党组织，反馈会已召开。"),
    ("clues_transferred", "问题线索已移交", "问题线索已按干部管理权限和职责分工移交有关部门。"),
    ("rectification_received", "整改情况已报送", "被巡察单位已在反馈后2个月内报送整改情况。"),
    ("materials_sorted", "巡察材料已整理", "谈话记录、信访件、调阅资料、测评问卷、问题底稿等已分类整理。"),
    ("catalogue_done", "卷内目录已编制", "已编制卷内目录，材料与目录一致。"),
]

REPORTER_SECRET = "信访举报人身份、问题线索内容只在保密卷中导出，不进入一般档案。"
