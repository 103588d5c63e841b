"""The demo: results and decision checks for the inspections in 了解 or later, none before."""

import pytest
from django.core.management import call_command

from xuncha.indicators.demo import build_indicators_demo
from xuncha.indicators.models import DecisionCheck, IndicatorResult
from xuncha.planning.tests.factories import build, started

pytestmark = pytest.mark.django_db


def test_demo_records_results_for_inspections_in_understand_or_later(world):
    pw = build(world)
    _, early = started(pw.a, [pw.a.units[1]], stage="stationed")
    _, current = started(pw.a, [world.unit_a], number=2, stage="understand")
    summary = build_indicators_demo(seed=3)
    assert summary["results"] == IndicatorResult.objects.count() > 0
    assert not IndicatorResult.objects.filter(inspection=early).exists()
    results = IndicatorResult.objects.filter(inspection=current)
    assert 0 < results.count() < 39  # still in 了解: part of the 39 items of the organ template
    assert set(results.values_list("result", flat=True)) <= {"compliant", "problem", "not_applicable"}
    assert all(r.notes for r in results.filter(result="problem"))
    assert DecisionCheck.objects.filter(inspection=current).exists()
    again = build_indicators_demo(seed=3)
    assert again["results"] == 0 and IndicatorResult.objects.count() == summary["results"]  # idempotent


def test_demo_command_if_empty(world, capsys):
    pw = build(world)
    started(pw.a, [world.unit_a], stage="understand")
    call_command("indicators_demo", "--if-empty")
    count = IndicatorResult.objects.count()
    call_command("indicators_demo", "--if-empty")
    assert IndicatorResult.objects.count() == count
    assert "跳过" in capsys.readouterr().out
