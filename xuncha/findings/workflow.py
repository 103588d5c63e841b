"""The review workflow of a problem, and the conditions findings adds to an inspection's stages.

django-fsm keeps the graph on `Problem` (submit, review, send_back, confirm, reopen); this module says
for each step which permission it needs, what must be true before it, and why not (in Chinese).
Services call `blocking_reasons()` before a transition; pages call `steps_for()` to show the buttons.

    底稿 ─提交→ 待审核 ─审核→ 已审核 ─确认（组务会研究）→ 已确认 ─重新打开（巡察办）→ 已审核
     ↑            └──退回──┐   │
    退回修改 ←──────────────┴───┘ (the author edits and resubmits)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from xuncha.core.scoping import has_perm

from .choices import OPEN_PROBLEM_STATUSES, WRITING_STAGES, ClueStatus, ProblemStatus

__all__ = ["ProblemStep", "STEPS", "step_named", "blocking_reasons", "may_edit", "edit_refusal",
           "report_conditions", "rectify_conditions", "disposition_months", "add_months"]

P = ProblemStatus
STATUS_LABELS = dict(P.choices)


@dataclass(frozen=True)
class ProblemStep:
    method: str  # the django-fsm transition on Problem
    sources: tuple[str, ...]
    target: str
    label: str  # the button
    action: str  # findings:problem:<action>
    needs_opinion: bool = False
    needs_meeting: bool = False
    style: str = "primary"

    @property
    def permission(self) -> str:
        return f"findings:problem:{self.action}"


STEPS = [
    ProblemStep("submit", (P.DRAFT, P.RETURNED), P.SUBMITTED, "提交审核", "change"),
    ProblemStep("review", (P.SUBMITTED,), P.REVIEWED, "审核通过", "review", style="success"),
    ProblemStep("send_back", (P.SUBMITTED, P.REVIEWED), P.RETURNED, "退回修改", "review", needs_opinion=True,
                style="outline-danger"),
    ProblemStep("confirm", (P.REVIEWED,), P.CONFIRMED, "确认（经集体研究）", "confirm", needs_meeting=True,
                style="success"),
    ProblemStep("reopen", (P.CONFIRMED,), P.REVIEWED, "重新打开", "reopen", needs_opinion=True,
                style="outline-warning"),
]


def step_named(method: str) -> ProblemStep | None:
    return next((s for s in STEPS if s.method == method), None)


def _is_author(user, problem) -> bool:
    return problem.created_by_id is not None and problem.created_by_id == getattr(user, "pk", None)


def may_edit(user, problem) -> bool:
    """The author edits their own draft; the group leader and the office (who review) any draft."""
    return _is_author(user, problem) or has_perm(user, "findings:problem:review")


def edit_refusal(user, problem) -> str | None:
    """Why `user` may not edit (or delete) `problem` now, or None."""
    if problem.inspection.stage == "archived":
        return "巡察任务已归档，问题不能再修改。"
    if problem.status == P.CONFIRMED:
        return "已确认的问题为只读；确需修改的，请由巡察办“重新打开”并说明理由。"
    if problem.status not in (P.DRAFT, P.RETURNED):
        return f"问题当前为「{problem.get_status_display()}」，须退回后才能修改。"
    if not may_edit(user, problem):
        return "只能修改本人撰写的问题底稿。"
    return None


def blocking_reasons(user, problem, step: ProblemStep, *, opinion: str = "", meeting: str = "",
                     meeting_date: datetime.date | None = None) -> list[str]:
    """Why `step` cannot be taken now by `user` (empty: it can)."""
    reasons: list[str] = []
    inspection = problem.inspection
    if problem.status not in step.sources:
        reasons.append(f"问题当前为「{problem.get_status_display()}」，不能执行「{step.label}」。")
        return reasons
    if inspection.stage == "archived":
        reasons.append("巡察任务已归档，问题不能再流转。")
        return reasons
    if step.method == "submit":
        if not may_edit(user, problem):
            reasons.append("只能提交本人撰写的问题底稿。")
        if inspection.stage not in WRITING_STAGES:
            reasons.append(f"巡察任务当前处于「{inspection.get_stage_display()}」阶段，"
                           "只有在进驻、了解阶段才能提交问题底稿。")
    if step.needs_opinion and not opinion.strip():
        reasons.append(f"「{step.label}」须填写理由。")
    if step.needs_meeting:
        if not meeting.strip():
            reasons.append("请填写研究确认的会议（如“第一巡察组组务会”）。")
        if meeting_date is None:
            reasons.append("请填写会议日期。")
        elif meeting_date > timezone.localdate():
            reasons.append("会议日期不能晚于今天。")
    return reasons


# --- Conditions on the inspection's stages -----------------------------------------------------------


def report_conditions(inspection) -> list[str]:
    """报告: no report while problem drafts are still on their way (each must be confirmed or deleted);
    with FINDINGS_REPORT_REQUIRES_PROBLEM (default off), not without a confirmed problem either."""
    from .models import Problem

    counts: dict[str, int] = {}
    for status in Problem.objects.filter(inspection=inspection).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    open_total = sum(counts.get(s, 0) for s in OPEN_PROBLEM_STATUSES)
    reasons = []
    if open_total:
        parts = "、".join(f"{STATUS_LABELS[s]} {counts[s]} 条" for s in OPEN_PROBLEM_STATUSES if counts.get(s))
        reasons.append(f"尚有 {open_total} 条问题底稿未经确认（{parts}），须全部审核确认或删除后才能提交巡察报告。")
    if getattr(settings, "FINDINGS_REPORT_REQUIRES_PROBLEM", False) and not counts.get(P.CONFIRMED):
        reasons.append("尚无已确认的问题，不能提交巡察报告。")
    return reasons


def rectify_conditions(inspection) -> list[str]:
    """移交 → 整改: every registered clue must have been transferred."""
    from .models import Clue

    pending = Clue.objects.filter(inspection=inspection, status=ClueStatus.REGISTERED).count()
    if pending:
        return [f"尚有 {pending} 条问题线索未移交，须移交后才能转入整改阶段。"]
    return []


# --- The disposition deadline ---------------------------------------------------------------------


def disposition_months() -> int:
    """FINDINGS_DISPOSITION_MONTHS (default 3): the receiver reports its disposition within 3 months."""
    return int(getattr(settings, "FINDINGS_DISPOSITION_MONTHS", 3))


def due_soon_days() -> int:
    return int(getattr(settings, "FINDINGS_DUE_SOON_DAYS", 15))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar months: 11-30 + 3 → 2-28 (2-29 in a leap year); the day is clamped to the month's end."""
    import calendar

    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
