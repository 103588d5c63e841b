"""Conditions reporting adds to the inspection's stage machine (planning.workflow).

`suspended()` lifts them for the duration of a block, for one purpose only: building demo or
migrated data whose inspections passed 报告/归档 before their reports and checklists exist (the
planning demo walks inspections to 反馈 and 归档; `reporting_demo` then backfills the approved
reports, issued feedback and archive checklists). No page, API route or service uses it.
"""

from __future__ import annotations

from xuncha.planning.workflow import conditions_suspended

from .choices import ReportStatus


def suspended():
    """Lift the registered stage conditions in this thread while the block runs (demo/migrated data).
    Kept for the callers written before `planning.workflow.conditions_suspended` existed."""
    return conditions_suspended()


def feedback_reasons(inspection) -> list[str]:
    """报告 → 反馈 needs the report approved in the round's unified review (统一把关)."""
    from .models import InspectionReport

    report = InspectionReport.objects.filter(inspection=inspection).first()
    if report is None:
        return ["尚未形成巡察报告，须生成报告并经巡察办统一把关审定后才能反馈。"]
    if report.status != ReportStatus.APPROVED:
        return [f"巡察报告当前状态为「{report.get_status_display()}」，须经巡察办统一把关审定后才能反馈。"]
    return []


def archive_reasons(inspection) -> list[str]:
    """整改 → 归档 needs the closing checklist complete: every item ticked and an archive number."""
    from .models import ArchiveChecklist

    checklist = ArchiveChecklist.objects.filter(inspection=inspection).first()
    if checklist is None:
        return ["尚未建立立卷归档清单，不能归档。"]
    reasons = [f"归档事项「{item.label}」尚未确认完成。" for item in checklist.items.all() if not item.is_done]
    if not checklist.items.exists():
        reasons.append("立卷归档清单尚无归档事项，不能归档。")
    if not checklist.archive_number.strip():
        reasons.append("尚未填写档号，不能归档。")
    return reasons
