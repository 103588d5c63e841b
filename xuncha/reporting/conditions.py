"""Conditions reporting adds to the inspection's stage machine (planning.workflow)."""

from __future__ import annotations

from .choices import ReportStatus


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
