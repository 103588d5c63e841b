"""The read-only API: the same scopes as the pages (403 without the permission, 404 outside)."""

import pytest

from xuncha.reporting import services

from .factories import at_feedback

pytestmark = pytest.mark.django_db


def test_api_routes_follow_the_scopes(rw, login, pw):
    report, feedbacks = at_feedback(rw)
    checklist = services.archive_open(actor=rw.office, inspection=rw.inspection)
    leader = login(rw.leader)
    body = leader.get("/api/reporting/reports/").json()
    assert [r["id"] for r in body["results"]] == [report.pk]
    row = leader.get(f"/api/reporting/reports/{report.pk}/").json()
    assert row["status"] == "approved" and row["status_label"] == "已审定" and row["current_version"] == 1
    assert row["download_url"].endswith(f"/reporting/report-versions/{report.current_id}/download/")
    feedback_rows = leader.get("/api/reporting/feedback/").json()["results"]
    assert {r["unit_name"] for r in feedback_rows} == {u.name for u in rw.units}
    assert all(r["status"] == "draft" for r in feedback_rows)
    assert leader.get(f"/api/reporting/feedback/{feedbacks[0].pk}/").json()["status_label"] == "待印发"
    assert leader.get("/api/reporting/my-feedback/").json()["count"] == 0  # nothing issued yet
    archive = leader.get(f"/api/reporting/archives/{checklist.pk}/").json()
    assert archive["stage"] == "feedback" and len(archive["items"]) == 6
    assert leader.get("/api/reporting/archives/").json()["count"] == 1
    # Read-only.
    assert leader.post("/api/reporting/reports/", {}).status_code in (403, 405)
    # The other county: 404 on the records, empty lists.
    other = login(pw.world.users["office_b"])
    assert other.get(f"/api/reporting/reports/{report.pk}/").status_code == 404
    assert other.get(f"/api/reporting/feedback/{feedbacks[0].pk}/").status_code == 404
    assert other.get(f"/api/reporting/archives/{checklist.pk}/").status_code == 404
    assert other.get("/api/reporting/reports/").json()["count"] == 0
    # Administrators see no business data.
    assert login(pw.world.users["sysadmin"]).get("/api/reporting/reports/").status_code == 403
