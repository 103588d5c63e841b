"""Enumerations of planning that the code depends on (structure, not editable data)."""

from django.db import models

__all__ = ["RoundKind", "Stage", "RoundStatus", "CheckKind", "CheckStatus", "ProposalStatus", "STAGE_ORDER",
           "COVERING_KINDS", "UPPER_KINDS", "CHINESE_NUMERALS", "chinese_number"]


class RoundKind(models.TextChoices):
    REGULAR = "regular", "常规巡察"
    SPECIAL = "special", "专项巡察"
    MOBILE = "mobile", "机动巡察"
    ELEVATED = "elevated", "提级巡察"
    CROSS = "cross", "交叉巡察"
    JOINT = "joint", "上下联动"
    REVISIT = "revisit", "巡察“回头看”"


# A 回头看 revisits units already inspected: it checks that rectification held and is not new coverage.
COVERING_KINDS = {k.value for k in RoundKind if k != RoundKind.REVISIT}
# Kinds in which a city round may take a county-managed unit as its target.
UPPER_KINDS = {RoundKind.ELEVATED.value, RoundKind.CROSS.value, RoundKind.JOINT.value}


class Stage(models.TextChoices):
    """The stages of one inspection, in order (准备 → 进驻 → 了解 → 报告 → 反馈 → 移交 → 整改 → 归档)."""

    PREPARE = "prepare", "准备"
    STATIONED = "stationed", "进驻"
    UNDERSTAND = "understand", "了解"
    REPORT = "report", "报告"
    FEEDBACK = "feedback", "反馈"
    TRANSFER = "transfer", "移交"
    RECTIFY = "rectify", "整改"
    ARCHIVED = "archived", "归档"


STAGE_ORDER = [s.value for s in Stage]


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "筹备中"
    STARTED = "started", "进行中"
    FINISHED = "finished", "已结束"


class CheckKind(models.TextChoices):
    """Horizontal linkage: checks by other departments scheduled with an inspection."""

    SELECTION = "selection", "选人用人专项检查"
    AUDIT = "audit", "经济责任审计"


CHECK_DEPARTMENTS = {CheckKind.SELECTION: "组织部", CheckKind.AUDIT: "审计局"}


class CheckStatus(models.TextChoices):
    PLANNED = "planned", "已安排"
    DONE = "done", "已完成"


class ProposalStatus(models.TextChoices):
    RUNNING = "running", "计算中"
    READY = "ready", "待确认"
    INFEASIBLE = "infeasible", "无可行方案"
    FAILED = "failed", "计算失败"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "已放弃"


CHINESE_NUMERALS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (group and round ordinals; up to 99)."""
    if n <= 10:
        return CHINESE_NUMERALS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_NUMERALS[tens]
    return f"{head}十{CHINESE_NUMERALS[ones] if ones else ''}"
