"""The rectification routes the explicit tests of this folder exercise (the URL walk checks that
every route is declared by some test). The Resource routes are declared by `test_resources.py`."""

from xuncha.core.testing.resources import covers

covers(
    # plans (test_pages, test_scopes, test_gates)
    "rectification:plan_list", "rectification:inspection_plans", "rectification:plan_add", "rectification:plan_detail", "rectification:plan_edit",
    "rectification:plan_submit", "rectification:plan_approve", "rectification:plan_return",
    "rectification:plan_publish", "rectification:plan_report", "rectification:plan_file",
    "rectification:plan_task_add",
    # tasks (test_pages, test_scopes)
    "rectification:task_list", "rectification:task_export", "rectification:task_detail", "rectification:task_edit",
    "rectification:task_delete", "rectification:task_progress", "rectification:task_apply",
    "rectification:task_accept", "rectification:task_send_back", "rectification:task_withhold",
    "rectification:task_revisit", "rectification:task_file",
    # reminders and supervision (test_pages, test_cycle)
    "rectification:reminder_list", "rectification:reminder_handle", "rectification:supervision_list",
    "rectification:supervision_run", "rectification:supervision_detail", "rectification:supervision_meeting",
    "rectification:notice_document", "rectification:notice_regenerate", "rectification:notice_review",
    "rectification:notice_publish",
    # 成果运用 and the public page (test_dashboard, test_cycle)
    "rectification:dashboard", "rectification:dashboard_export", "rectification:unit_profile",
    "rectification:public",
    # API (test_scopes, test_dashboard)
    "api:rectplan-list", "api:rectplan-detail", "api:rectplan-submit", "api:rectplan-approve",
    "api:rectplan-send-back", "api:rectplan-publish", "api:recttask-list", "api:recttask-detail",
    "api:recttask-apply", "api:recttask-accept", "api:recttask-send-back", "api:supervisionround-list",
    "api:supervisionround-detail", "api:rectnotice-list", "api:rectnotice-detail", "api:rectreminder-list",
    "api:rectreminder-detail", "api:rectdashboard-list",
)


def test_rectification_views_read_scoped_models_through_for_user():
    """The platform's lint rule, applied to the views package (the rule itself looks at files named
    views.py)."""
    from pathlib import Path

    from xuncha.core.tests.test_lint_rules import _scoped_model_names, _violations

    folder = Path(__file__).resolve().parents[1] / "views"
    files = sorted(folder.glob("*.py"))
    assert len(files) >= 5
    problems = [v for f in files for v in _violations(f, _scoped_model_names())]
    assert not problems, "\n".join(problems)
