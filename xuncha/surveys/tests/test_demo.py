"""The demo: a closed evaluation with answers and an open questionnaire with unused slips."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from xuncha.surveys import selectors
from xuncha.surveys.models import Survey, SurveyToken

pytestmark = pytest.mark.django_db


def test_demo_builds_a_closed_and_an_open_survey(sw, client, login):
    out = io.StringIO()
    call_command("surveys_demo", "--if-empty", "--base-url", "http://demo.local", stdout=out)
    text = out.getvalue()
    assert "民主测评演示数据已生成" in text
    link = text.strip().rsplit("：", 1)[-1]
    assert link == "http://demo.local/surveys/a/demo-zuofeng-2026/"
    closed = Survey.objects.get(status="closed")
    opened = Survey.objects.get(status="open")
    assert closed.inspection == opened.inspection and closed.inspection.stage == "understand"
    assert closed.kind == "evaluation" and opened.kind == "questionnaire"
    results = selectors.survey_results(closed)
    assert results.visible and results.responses == 28
    assert dict(results.categories) == {"中层干部": 9, "一般干部": 12, "其他（合并列示）": 7}
    assert any(q.texts for q in results.questions if q.kind == "text")
    assert SurveyToken.objects.filter(survey=opened, used=False).count() == 24
    path = link.removeprefix("http://demo.local")
    assert client.get(path).status_code == 200
    # Shown on the inspection's page as a panel.
    page = login(sw.world.users["office_a"]).get(reverse("planning:inspection_detail", args=[closed.inspection_id]))
    assert reverse("surveys:inspection_surveys", args=[closed.inspection_id]) in page.content.decode()
    again = io.StringIO()
    call_command("surveys_demo", "--if-empty", stdout=again)
    assert "跳过" in again.getvalue() and Survey.objects.count() == 2
