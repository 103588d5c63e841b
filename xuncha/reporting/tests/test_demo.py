"""The demo builder: reports for inspections in 报告 and later, issued feedback with meetings,
checklists; the liaison of 青阳县教育局 then sees its unit's feedback only."""

import pytest

from xuncha.planning.tests.factories import started
from xuncha.reporting.choices import ReportStatus
from xuncha.reporting.conditions import suspended
from xuncha.reporting.demo import build_reporting_demo
from xuncha.reporting.models import ArchiveChecklist, Feedback, FeedbackMeeting, InspectionReport

pytestmark = pytest.mark.django_db


def test_demo_backfills_reports_feedback_and_archives(pw):
    world = pw.world
    _, in_report = started(pw.a, [pw.a.units[1]], number=1, stage="report")
    with suspended():  # as the planning demo walks its inspections past 报告 and 归档
        _, archived = started(pw.a, [world.unit_a], number=2, stage="archived")
        _, rectifying = started(pw.b, [world.unit_b], number=1, stage="rectify")
    summary = build_reporting_demo()
    assert summary["reports"] == 3 and summary["approved"] == 2 and summary["submitted"] == 1
    assert InspectionReport.objects.get(inspection=in_report).status == ReportStatus.SUBMITTED
    assert InspectionReport.objects.get(inspection=archived).status == ReportStatus.APPROVED
    assert Feedback.objects.issued().count() == 2 and FeedbackMeeting.objects.count() == 2
    assert all(f.current_id for f in Feedback.objects.all())
    done = ArchiveChecklist.objects.get(inspection=archived)
    assert done.completed_at and done.archive_number and not done.items.filter(done_at__isnull=True).exists()
    half = ArchiveChecklist.objects.get(inspection=rectifying)
    assert half.completed_at is None and half.items.filter(done_at__isnull=False).count() == 2
    assert summary["liaison_feedback"] == 1
    liaison = world.users["liaison_a"]
    assert [f.unit for f in Feedback.objects.for_user(liaison)] == [world.unit_a]
    # Run again: nothing new.
    assert build_reporting_demo()["reports"] == 0
