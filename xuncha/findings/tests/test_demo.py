"""The findings demo builds on planning's inspections: drafts at each status in 了解, confirmed problem
lists later, clues, transfers with letters (one overdue, one due soon, one disposed) and reminders."""

import pytest
from django.core.management import call_command

from xuncha.accounts.models import User
from xuncha.findings.demo import build_findings_demo
from xuncha.findings.models import Clue, ClueReminder, ClueTransfer, Problem, ProblemTransition
from xuncha.planning.tests.factories import started
from xuncha.reporting.conditions import suspended

from .factories import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def stages(fw):
    """Inspections of county A in 报告, 移交, 整改 and 归档 besides the fixture's one in 了解."""
    made = {"understand": fw.inspection}
    units = fw.pw.a.units
    with suspended():
        for number, stage in enumerate(("report", "transfer", "rectify"), start=2):
            _, made[stage] = started(fw.pw.a, [units[number % len(units)]], number=number, stage=stage)
    return made


def test_demo_builds_every_status_and_an_overdue_transfer(fw, stages):
    summary = build_findings_demo(seed=1, today=D(2026, 11, 30))
    statuses = set(Problem.objects.filter(inspection=stages["understand"]).values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "reviewed", "returned", "confirmed"}
    for stage in ("report", "transfer", "rectify"):
        rows = Problem.objects.filter(inspection=stages[stage])
        assert rows.exists() and set(rows.values_list("status", flat=True)) == {"confirmed"}
        assert ProblemTransition.objects.filter(problem__inspection=stages[stage], to_status="confirmed").count() == \
            rows.count()
    for stage in ("transfer", "rectify"):  # every clue of an inspection in 移交 or later is transferred
        assert not Clue.objects.filter(inspection=stages[stage], status="registered").exists()
        assert ClueTransfer.objects.get(inspection=stages[stage]).letter_id
    assert Clue.objects.filter(inspection=stages["understand"], status="registered").count() == 2
    assert summary["overdue"] == 1 and summary["transfers"] == 2
    kinds = set(ClueReminder.objects.values_list("kind", flat=True))
    assert kinds == {"overdue", "due_soon"}


def test_demo_command_if_empty_and_determinism(fw, stages, capsys):
    call_command("findings_demo", "--if-empty")
    assert "问题与线索演示数据已生成" in capsys.readouterr().out
    titles = list(Problem.objects.order_by("inspection_id", "number").values_list("title", flat=True))
    call_command("findings_demo", "--if-empty")
    assert "跳过" in capsys.readouterr().out
    assert list(Problem.objects.order_by("inspection_id", "number").values_list("title", flat=True)) == titles
    assert not User.objects.filter(username="group_member").exists()  # no demo group leader here: no member made
