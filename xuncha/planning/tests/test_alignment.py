"""The alignment check: every difference between a county's plans and the city's, by year and round."""

import pytest
from django.urls import reverse

from xuncha.planning import alignment, selectors, services

from .factories import D, make_inspection, make_round


def test_compare_lists_every_difference():
    city = alignment.PlanSide("中共江城市委", planned_kinds={2026: {"教育系统", "国资国企系统"}, 2027: {"卫生健康系统"}},
                              rounds={2026: [(1, "常规巡察", {"国资国企系统"}), (2, "上下联动", {"教育系统"})]})
    county = alignment.PlanSide("中共青阳县委", planned_kinds={2026: {"教育系统", "基层组织"}, 2027: {"卫生健康系统"}},
                                rounds={2026: [(1, "上下联动", {"教育系统"}), (2, "常规巡察", {"基层组织"}),
                                               (3, "专项巡察", set())]})
    diffs = alignment.compare(city, county, [2026, 2027])
    messages = [d.message for d in diffs]
    assert messages == [
        "2026 年：中共江城市委安排了「国资国企系统」，中共青阳县委未安排。",
        "2026 年：中共青阳县委安排了「基层组织」，中共江城市委未安排。",
        "2026 年第 1 轮：中共江城市委为「常规巡察」，中共青阳县委为「上下联动」。",
        "2026 年第 1 轮：中共江城市委巡察了「国资国企系统」，中共青阳县委未巡察。",
        "2026 年第 1 轮：中共青阳县委巡察了「教育系统」，中共江城市委未巡察。",
        "2026 年第 2 轮：中共江城市委为「上下联动」，中共青阳县委为「常规巡察」。",
        "2026 年第 2 轮：中共江城市委巡察了「教育系统」，中共青阳县委未巡察。",
        "2026 年第 2 轮：中共青阳县委巡察了「基层组织」，中共江城市委未巡察。",
        "2026 年第 3 轮：中共青阳县委安排了「专项巡察」，中共江城市委没有第 3 轮。",
    ]
    assert [d.section for d in diffs][:3] == ["五年规划", "五年规划", "轮次顺序"]
    assert alignment.compare(city, city, [2026, 2027]) == []


@pytest.mark.django_db
def test_alignment_of_the_real_plans(pw, login):
    # Same year, same kinds: education in 2026 for both; the county adds health in 2027 alone.
    city_edu, a_edu, a_health = pw.city.units[1], pw.world.unit_a, pw.a.units[1]
    for side, unit, year in ((pw.city, city_edu, 2026), (pw.a, a_edu, 2026), (pw.a, a_health, 2027)):
        target = side.plan.targets.get(unit=unit)
        services.plan_target_update(actor=side.actor, target=target, data={"planned_year": year})
    make_inspection(pw.city, make_round(pw.city, kind="regular"), [city_edu])
    make_inspection(pw.a, make_round(pw.a, kind="special"), [a_edu])
    make_round(pw.a, number=2, kind="regular", start=D(2026, 9, 1), end=D(2026, 10, 30))
    result = selectors.alignment_check(pw.a.actor, pw.world.county_a)
    messages = [d.message for d in result["differences"]]
    assert "2027 年：中共青阳县委安排了「卫生健康系统」，中共江城市委未安排。" in messages
    assert "2026 年第 1 轮：中共江城市委为「常规巡察」，中共青阳县委为「专项巡察」。" in messages
    assert "2026 年第 2 轮：中共青阳县委安排了「常规巡察」，中共江城市委没有第 2 轮。" in messages
    assert not any("2026 年：" in m for m in messages)  # education planned by both in 2026
    by_category = selectors.alignment_check(pw.a.actor, pw.world.county_a, dimension="category")
    assert "2027 年：中共青阳县委安排了「机关部门」，中共江城市委未安排。" in [d.message for d in by_category["differences"]]
    client = login(pw.a.actor)
    body = client.get(reverse("planning:alignment")).content.decode()
    assert "共 3 处差异" in body and "卫生健康系统" in body
    # County A may compare only itself; asking for county B shows A's form error, not B's plans.
    body = client.get(reverse("planning:alignment"), {"county": pw.world.county_b.pk}).content.decode()
    assert "差异清单" not in body
