"""Coverage arithmetic: per year and overall, late and stale units, and no double counting across
elevated (提级) and joint (上下联动) rounds, on plain data and through the real records."""

import datetime

import pytest
from django.urls import reverse

from xuncha.planning import coverage, selectors, services
from xuncha.planning.coverage import HitIn, TargetIn

from .factories import D, annual, started

YEARS = [2026, 2027, 2028, 2029, 2030]


def hit(unit, year, started=True, upper=False):
    return HitIn(unit_id=unit, year=year, started=started, by_upper=upper, by_label="上级" if upper else "本级")


def test_per_year_and_overall_arithmetic():
    targets = [TargetIn(1, "甲", planned_year=2026), TargetIn(2, "乙", planned_year=2026),
               TargetIn(3, "丙", planned_year=2027), TargetIn(4, "丁", planned_year=2028),
               TargetIn(5, "戊"), TargetIn(6, "己", planned_year=2027, last_inspected_year=2020)]
    hits = [hit(1, 2026), hit(1, 2027),  # inspected twice: covered once, in 2026
            hit(3, 2026),  # ahead of plan
            hit(4, 2028, started=False)]  # scheduled, not yet stationed
    report = coverage.compute(targets, hits, YEARS, today=D(2027, 6, 1), stale_years=5)
    assert (report.total, report.covered, report.rate) == (6, 2, 33.3)
    status = {r.target.unit_id: r.status for r in report.rows}
    assert status == {1: "covered", 2: "late", 3: "covered", 4: "scheduled", 5: "unplanned", 6: "planned"}
    y2026, y2027, y2028 = report.per_year[:3]
    assert (y2026.planned, y2026.covered, y2026.covered_as_planned, y2026.late) == (2, 2, 1, 1)
    assert (y2027.planned, y2027.covered, y2027.cumulative) == (2, 0, 2)
    assert (y2028.scheduled, y2028.planned) == (1, 1)
    assert report.per_year[-1].cumulative == 2 and report.per_year[-1].cumulative_rate == 33.3
    # Stale after 5 years: never inspected (2, 4, 5) and last inspected 2020 (6, 7 years ago).
    assert {r.target.unit_id for r in report.stale} == {2, 4, 5, 6}


def test_elevated_targets_are_apart_and_upper_hits_count_for_the_county():
    county = coverage.compute([TargetIn(1, "镇", planned_year=2026), TargetIn(2, "局", planned_year=2026)],
                              [hit(1, 2026, upper=True), hit(1, 2027), hit(2, 2026)], YEARS, today=D(2026, 12, 1))
    assert (county.covered, county.covered_by_upper) == (2, 1)
    assert county.per_year[0].covered == 2 and county.per_year[0].covered_by_upper == 1
    city = coverage.compute([TargetIn(9, "市局"), TargetIn(1, "镇", is_elevated=True)], [hit(1, 2026)], YEARS,
                            today=D(2026, 12, 1))
    assert (city.total, city.covered) == (1, 0)  # the elevated unit is not the city's to count
    assert [r.status for r in city.elevated] == ["covered"]


def test_a_hit_outside_the_term_counts_for_last_inspection_only():
    report = coverage.compute([TargetIn(1, "甲", planned_year=2027)], [hit(1, 2024)], YEARS, today=D(2026, 3, 1),
                              stale_years=2)
    assert report.covered == 0 and report.rows[0].last_year == 2024 and report.rows[0].years_since == 2
    assert len(report.stale) == 1


@pytest.mark.django_db
def test_no_double_counting_across_elevated_and_joint_rounds(pw):
    town = pw.a.units[2]  # 青阳县城关镇
    # The city lifts the township into its plan and inspects it in 2026 (提级巡察)…
    services.plan_elevate(actor=pw.city.actor, plan=pw.city.plan, unit=town, planned_year=2026)
    started(pw.city, [town, pw.city.units[0]], stage="understand")
    # …and the county inspects it again in 2027, in a joint round with the city (上下联动).
    a2027 = annual(pw, pw.a, 2027)
    started(pw.a, [town], kind="joint", annual_plan=a2027, start=D(2027, 3, 1), end=D(2027, 5, 1), stage="stationed")
    # A 回头看 of the county's education bureau does not cover it.
    started(pw.a, [pw.world.unit_a], kind="revisit", number=2, start=D(2026, 9, 1), end=D(2026, 10, 30),
            stage="stationed")

    county = selectors.coverage_report(pw.a.plan, today=D(2027, 6, 1))
    rows = {r.target.unit_id: r for r in county.rows}
    assert county.total == 3 and county.covered == 1 and county.covered_by_upper == 1
    assert rows[town.pk].covered_year == 2026 and "江城市" in rows[town.pk].covered_by
    assert rows[pw.world.unit_a.pk].status != "covered"
    assert sum(y.covered for y in county.per_year) == 1

    city = selectors.coverage_report(pw.city.plan, today=D(2027, 6, 1))
    assert city.total == 3 and city.covered == 1  # 江城市财政局 only; the township is listed apart
    assert [r.target.unit_id for r in city.elevated] == [town.pk] and city.elevated[0].status == "covered"

    overview = selectors.coverage_overview(pw.world.users["city_office"], start_year=2026, today=D(2027, 6, 1))
    assert overview["total"]["total"] == 3 + 3 + 2 and overview["total"]["covered"] == 2
    assert overview["total"]["elevated"] == 1


@pytest.mark.django_db
def test_the_county_inspecting_its_own_unit_in_a_city_joint_round_counts_once(pw):
    # The city's joint round may take a county unit; the county's own round inspects it too.
    started(pw.city, [pw.world.unit_a], kind="joint", stage="stationed")
    started(pw.a, [pw.world.unit_a], kind="joint", stage="stationed")
    county = selectors.coverage_report(pw.a.plan, today=D(2026, 12, 1))
    assert county.covered == 1 and county.covered_by_upper == 0  # its own inspection wins the tie
    city = selectors.coverage_report(pw.city.plan, today=D(2026, 12, 1))
    assert city.covered == 0


@pytest.mark.django_db
def test_coverage_page_ledger_and_api_agree(pw, login):
    started(pw.a, [pw.world.unit_a], stage="stationed")
    client = login(pw.world.users["office_a"])
    page = client.get(reverse("planning:plan_coverage", args=[pw.a.plan.pk]), {"stale_years": 3})
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="coverage-data"' in body and "echarts.min.js" in body and "分年度覆盖" in body
    assert "3 年以上未巡察" in body
    data = client.get(reverse("api:plan-coverage", args=[pw.a.plan.pk])).json()
    assert (data["total"], data["covered"]) == (3, 1)
    ledger = client.get(reverse("planning:plan_ledger", args=[pw.a.plan.pk]))
    assert ledger.status_code == 200 and ledger["Content-Type"].startswith("application/vnd.openxmlformats")
    overview = client.get(reverse("planning:coverage_overview")).content.decode()
    assert "青阳县" in overview and "江城市" in overview and "桐溪县" not in overview


def test_today_is_a_parameter():
    report = coverage.compute([TargetIn(1, "甲", planned_year=2026)], [], YEARS, today=datetime.date(2026, 12, 31))
    assert report.late == 0 and report.planned == 1
    report = coverage.compute([TargetIn(1, "甲", planned_year=2026)], [], YEARS, today=datetime.date(2027, 1, 1))
    assert report.late == 1
