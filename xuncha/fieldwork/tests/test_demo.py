"""The fieldwork demo fills every inspection at 进驻 or later through the services."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xuncha.core.models import ChangeLog
from xuncha.fieldwork import selectors
from xuncha.fieldwork.demo import build_fieldwork_demo
from xuncha.fieldwork.models import IntakeChannel, Petition, PetitionReporter, Talk

from . import factories as f


@pytest.mark.django_db
def test_demo_fills_the_started_inspections(world):
    fw = f.setup(world)
    from xuncha.planning.tests.factories import started

    _, prepared = started(fw.pw.a, [fw.pw.a.units[2]], number=2, stage="prepare")
    summary = build_fieldwork_demo(seed=3)
    assert summary["inspections"] == 2
    assert summary["talks"] == 14 * 3  # fourteen talks per target unit (A has two, B one)
    assert summary["petitions"] == Petition.objects.count() >= 6
    assert summary["reporters"] == PetitionReporter.objects.count()
    assert not Talk.objects.filter(inspection=prepared).exists()
    counts = selectors.method_counts(fw.a)
    assert counts["听取汇报"] == 2 and counts["走访下沉"] == 4 and counts["个别谈话"] > 0
    assert set(IntakeChannel.objects.values_list("inspection_id", flat=True)) == {fw.a.pk, fw.b.pk}
    # Written through the services: the change log has them, and never a reporter's name.
    assert ChangeLog.objects.filter(content_type__model="talk").count() == summary["talks"]
    for row in ChangeLog.objects.filter(content_type__model="petitionreporter"):
        assert row.after["name"] in ("", "［保密］")
    with pytest.raises(CommandError):
        call_command("fieldwork_demo")
    call_command("fieldwork_demo", "--if-empty")  # skips quietly
    assert Petition.objects.count() == summary["petitions"]
