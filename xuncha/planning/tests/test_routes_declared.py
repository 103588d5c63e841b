"""The planning routes the explicit tests of this folder exercise (the URL walk checks that every
route of the configuration is declared by some test). The Resource routes are declared by
`test_resources.py`."""

from xuncha.core.testing.resources import covers

covers(
    # plans, coverage, proposals (test_pages, test_coverage, test_scopes, test_documents)
    "planning:plan_target_add", "planning:plan_populate", "planning:plan_elevate", "planning:plan_coverage",
    "planning:plan_ledger", "planning:plan_propose", "planning:plantarget_edit", "planning:plantarget_delete",
    "planning:proposal_detail", "planning:proposal_accept", "planning:proposal_reject", "planning:coverage_overview",
    # annual plans and rounds (test_pages, test_workflow, test_documents)
    "planning:annualplan_round_add", "planning:annualplan_document", "planning:round_list", "planning:round_detail",
    "planning:round_edit", "planning:round_delete", "planning:round_start", "planning:round_finish",
    "planning:round_document", "planning:round_group_add", "planning:round_inspection_add",
    "planning:inspectiongroup_delete",
    # inspections and horizontal checks (test_workflow, test_pages, test_scopes)
    "planning:inspection_list", "planning:inspection_detail", "planning:inspection_edit", "planning:inspection_delete",
    "planning:inspection_transition", "planning:inspection_check_add", "planning:horizontalcheck_edit",
    "planning:horizontalcheck_result", "planning:horizontalcheck_file",
    # linkage and analysis (test_pages, test_workflow, test_priority, test_alignment)
    "planning:jointround_list", "planning:jointround_add", "planning:jointround_detail", "planning:jointround_edit",
    "planning:jointround_link", "planning:jointround_unlink", "planning:jointround_review",
    "planning:priority_ranking", "planning:priority_weights", "planning:alignment",
    # API beyond the Resources' (test_scopes, test_coverage)
    "api:plan-coverage", "api:plantarget-list", "api:plantarget-detail", "api:round-list", "api:round-detail",
    "api:round-start", "api:inspection-list", "api:inspection-detail", "api:inspection-transition",
    "api:inspection-transitions", "api:jointround-list", "api:jointround-detail",
)


def test_planning_views_read_scoped_models_through_for_user():
    """The platform's lint rule, applied to planning's views package (the rule itself looks at
    files named views.py)."""
    from pathlib import Path

    from xuncha.core.tests.test_lint_rules import _scoped_model_names, _violations

    folder = Path(__file__).resolve().parents[1] / "views"
    files = sorted(folder.glob("*.py"))
    assert len(files) >= 5
    problems = [v for f in files for v in _violations(f, _scoped_model_names())]
    assert not problems, "\n".join(problems)
