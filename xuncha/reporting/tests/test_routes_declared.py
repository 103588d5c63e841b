"""The reporting routes the explicit tests of this folder exercise (the URL walk checks that every
route of the configuration is declared by some test), and the lint rule on the views package."""

from xuncha.core.testing.resources import covers

covers(
    # report and unified review (test_reports)
    "reporting:report_list", "reporting:inspection_report", "reporting:inspection_report_generate",
    "reporting:report_edit", "reporting:report_upload", "reporting:report_submit", "reporting:report_comment",
    "reporting:report_return", "reporting:report_approve", "reporting:reportversion_download",
    "reporting:review_rounds", "reporting:round_review",
    # feedback, meetings, the liaison (test_feedback)
    "reporting:feedback_list", "reporting:my_feedback", "reporting:inspection_feedback",
    "reporting:inspection_feedback_generate", "reporting:feedback_detail", "reporting:feedback_upload",
    "reporting:feedback_issue", "reporting:feedback_download", "reporting:feedbackversion_download",
    "reporting:feedback_meeting_add", "reporting:feedbackmeeting_edit", "reporting:feedbackmeeting_delete",
    "reporting:feedbackmeeting_file",
    # archive (test_archive)
    "reporting:archive_list", "reporting:inspection_archive", "reporting:inspection_archive_open",
    "reporting:archivechecklist_edit", "reporting:archivechecklist_export", "reporting:archiveitem_tick",
    "reporting:archivejob_detail", "reporting:archivejob_download",
    # API (test_api)
    "api:inspectionreport-list", "api:inspectionreport-detail", "api:feedback-list", "api:feedback-detail",
    "api:liaisonfeedback-list", "api:liaisonfeedback-detail", "api:archivechecklist-list",
    "api:archivechecklist-detail",
)


def test_reporting_views_read_scoped_models_through_for_user():
    """The platform's lint rule, applied to reporting's views package (the rule itself looks at
    files named views.py)."""
    from pathlib import Path

    from xuncha.core.tests.test_lint_rules import _scoped_model_names, _violations

    folder = Path(__file__).resolve().parents[1] / "views"
    files = sorted(folder.glob("*.py"))
    assert len(files) >= 4
    problems = [v for f in files for v in _violations(f, _scoped_model_names())]
    assert not problems, "\n".join(problems)
