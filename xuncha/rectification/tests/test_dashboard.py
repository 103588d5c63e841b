"""成果运用: figures limited to the viewer's scope, constant queries, Excel export, the per-unit page
(clue details only for who may see clues), the API."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.rectification import dashboard as dash

from .factories import approved_plan, client_for, make_problem, setup

pytestmark = pytest.mark.django_db


def _clue(inspection, unit, summary):
    from xuncha.findings.models import Clue

    seq = Clue.all_objects.filter(inspection=inspection).count() + 1
    return Clue.objects.create(inspection=inspection, unit=unit, number=f"XS-{inspection.pk}-{seq}", seq=seq,
                               summary=summary, content="某干部收受礼金。", source="petition")


def test_figures_follow_the_scope(world):
    rw = setup(world, problems=2)
    approved_plan(rw)
    rb = setup(world, side="b", problems=3)
    _clue(rw.inspection, rw.unit, "甲线索")
    users = world.users
    a, b, city = (dash.dashboard(users[u]) for u in ("office_a", "office_b", "city_office"))
    assert (a["problems"]["total"], b["problems"]["total"], city["problems"]["total"]) == (2, 3, 5)
    assert (a["tasks"]["total"], b["tasks"]["total"]) == (2, 0)
    assert a["clues"]["total"] == 1 and b["clues"]["total"] == 0
    leader = dash.dashboard(users["leader_a"])
    assert leader["problems"]["total"] == 2 and leader["clues"]["total"] == 1
    regions = {r["name"]: r["value"] for r in city["problems"]["by_region"]}
    assert regions == {"青阳县": 2, "桐溪县": 3}
    assert a["years"] and a["years"][0]["problems"] == 2
    filtered = dash.dashboard(users["city_office"], dash.Filters(authority_id=world.county_b.pk))
    assert filtered["problems"]["total"] == 3
    assert rb.problems


def test_dashboard_page_queries_are_constant(world):
    rw = setup(world, problems=1)
    approved_plan(rw)
    client = client_for(world.users["office_a"])
    client.get(reverse("rectification:dashboard"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("rectification:dashboard")).status_code == 200
    for i in range(15):
        make_problem(rw.inspection, rw.unit, f"更多问题{i}")
        _clue(rw.inspection, rw.unit, f"更多线索{i}")
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("rectification:dashboard")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert 'id="problem-total">16<' in body


def test_dashboard_export_and_api(world):
    rw = setup(world, problems=2)
    approved_plan(rw)
    client = client_for(world.users["leader_a"])
    response = client.get(reverse("rectification:dashboard_export"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[0] == "总体情况" and "年度趋势" in wb.sheetnames
    summary = {row[0]: row[1] for row in wb["总体情况"].iter_rows(min_row=3, values_only=True)}
    assert summary["发现问题数"] == 2 and summary["整改任务数"] == 2
    data = client.get(reverse("api:rectdashboard-list")).json()
    assert data["problems"]["total"] == 2
    assert client.get(reverse("api:rectdashboard-list"), {"authority": world.county_b.pk}).status_code == 404
    assert client.get(reverse("rectification:dashboard"), {"authority": world.county_b.pk}).status_code == 404
    assert client_for(rw.liaison).get(reverse("api:rectdashboard-list")).status_code == 403


def test_unit_page_gathers_everything_and_hides_clue_details(world):
    rw = setup(world, problems=2)
    approved_plan(rw)
    _clue(rw.inspection, rw.unit, "涉及某副局长的线索")
    url = reverse("rectification:unit_profile", args=[rw.unit.pk])
    office = client_for(world.users["office_a"]).get(url).content.decode()
    assert rw.problems[0].title in office and "涉及某副局长的线索" in office and "（1件）" in office
    leader = client_for(world.users["leader_a"]).get(url).content.decode()
    assert rw.problems[0].title in leader and "（1件）" in leader
    assert "涉及某副局长的线索" not in leader and "只显示数量" in leader
    assert client_for(world.users["office_b"]).get(url).status_code == 404
    assert client_for(rw.liaison).get(url).status_code == 403


def test_unit_search_on_the_dashboard_stays_in_scope(world):
    client = client_for(world.users["office_a"])
    body = client.get(reverse("rectification:dashboard"), {"unit_q": "教育局"}).content.decode()
    assert reverse("rectification:unit_profile", args=[world.unit_a.pk]) in body
    assert reverse("rectification:unit_profile", args=[world.unit_b.pk]) not in body
