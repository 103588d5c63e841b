"""County-B reporting records for the URL walk (`core.tests.test_url_walk`): one per model key that
the reporting route names start with (inspectionreport-…, report_…, feedback_…, archivejob_…).
Routes keyed by `inspection_…` and `round_…` use planning's county-B inspection and round."""

from __future__ import annotations

from xuncha.core.testing.resources import walk_objects


@walk_objects
def reporting_walk_objects(world) -> dict:
    cached = getattr(world, "_reporting_walk", None)
    if cached is not None:
        return cached
    from xuncha.core.files import store_bytes
    from xuncha.core.models import Job
    from xuncha.planning.tests.walk import planning_walk_objects
    from xuncha.reporting.models import (
        ArchiveChecklist,
        ArchiveItem,
        Feedback,
        FeedbackMeeting,
        FeedbackVersion,
        InspectionReport,
        ReportVersion,
    )

    inspection = planning_walk_objects(world)["inspection"]
    office_b = world.users["office_b"]
    stored = store_bytes(b"PK walk", name="walk.docx", user=office_b)
    report = InspectionReport.objects.create(inspection=inspection, title="桐溪县报告（走查）")
    version = ReportVersion.objects.create(report=report, number=1, source="generated", file=stored)
    feedback = Feedback.objects.create(inspection=inspection, unit=world.unit_b, title="桐溪县反馈（走查）")
    feedback_version = FeedbackVersion.objects.create(feedback=feedback, number=1, source="generated", file=stored)
    meeting = FeedbackMeeting.objects.create(inspection=inspection, feedback=feedback, held_on=inspection.round.end_date,
                                             place="会议室", presided_by="某某")
    checklist = ArchiveChecklist.objects.create(inspection=inspection)
    item = ArchiveItem.objects.create(checklist=checklist, code="materials_sorted", label="巡察材料已整理")
    job = Job.objects.create(kind="reporting_archive", title="他人的归档导出", user=office_b,
                             params={"checklist": checklist.pk, "secret": False})
    cached = {
        "report": report, "inspectionreport": report, "reportversion": version, "feedback": feedback,
        "feedbackversion": feedback_version, "feedbackmeeting": meeting, "archivechecklist": checklist,
        "archiveitem": item, "archivejob": job, "liaisonfeedback": feedback,
    }
    world._reporting_walk = cached
    return cached
