"""The priority score: transparent arithmetic, editable weights, the ranking page with its breakdown."""

import pytest
from django.urls import reverse

from xuncha.core.services import ScopeViolation
from xuncha.planning import priority, selectors, services
from xuncha.planning.models import PriorityWeights, UnitRiskInput

from .factories import started


def test_score_is_the_weighted_mean_of_the_factor_points():
    facts = priority.UnitFacts(unit_id=1, name="某局", social_attention="high", low_rank_high_power=False,
                               special_fund=5000, petitions=10, problems=40, last_year=2021)
    weights = priority.Weights()  # 20, 15, 15, 20, 15, 15; refs 10000 万元, 20 件, 20 个, 5 年
    s = priority.score(facts, weights, 2026)
    points = {f.key: f.points for f in s.factors}
    assert points == {"attention": 100.0, "power": 0.0, "fund": 50.0, "petition": 50.0, "problem": 100.0,
                      "years": 100.0}
    # (100×20 + 0×15 + 50×15 + 50×20 + 100×15 + 100×15) ÷ 100 = 67.5
    assert s.total == 67.5
    assert sum(f.contribution for f in s.factors) == pytest.approx(67.5)
    raw = {f.key: f.raw for f in s.factors}
    assert raw == {"attention": "高", "power": "否", "fund": "5000 万元", "petition": "10 件", "problem": "40 个",
                   "years": "5 年"}


def test_never_inspected_scores_full_and_unknowns_score_nothing():
    facts = priority.UnitFacts(unit_id=1, name="新单位")
    s = priority.score(facts, priority.Weights(attention=0, power=0, fund=0, petition=0, problem=0, years=1), 2026)
    assert s.total == 100.0 and s.factors[-1].raw == "从未巡察"
    assert priority.score(facts, priority.Weights(years=0), 2026).total == 0.0


def test_ranking_orders_by_score_then_name():
    a = priority.UnitFacts(1, "乙局", social_attention="high", last_year=2025)
    b = priority.UnitFacts(2, "甲局", social_attention="high", last_year=2025)
    c = priority.UnitFacts(3, "丙局", social_attention="low", last_year=2025)
    ranked = priority.rank([c, a, b], priority.Weights(), 2026)
    assert [s.facts.unit_id for s in ranked] == [1, 2, 3]  # equal scores by name: 乙 (U+4E59) before 甲


@pytest.mark.django_db
def test_ranking_reads_risk_inputs_and_the_last_inspection(pw, login):
    town, health = pw.a.units[2], pw.a.units[1]
    UnitRiskInput.objects.create(unit=town, region=town.region, year=2025, petition_count=40, problem_count=2)
    UnitRiskInput.objects.create(unit=town, region=town.region, year=2027, petition_count=0)  # after the year: unused
    started(pw.a, [health], stage="stationed")  # inspected in 2026
    scores = {s.facts.unit_id: s for s in selectors.priority_ranking(pw.a.actor, pw.world.county_a, 2026)}
    assert scores[town.pk].facts.petitions == 40 and scores[town.pk].facts.last_year is None
    assert scores[health.pk].facts.last_year == 2026
    ranked = list(scores)
    assert ranked[0] == town.pk  # petitions, low rank high power, never inspected
    client = login(pw.a.actor)
    body = client.get(reverse("planning:priority_ranking"), {"authority": pw.world.county_a.pk, "year": 2026})
    text = body.content.decode()
    assert body.status_code == 200 and "青阳县城关镇" in text and "40 件" in text and "从未巡察" in text
    assert "当前为默认权重" in text


@pytest.mark.django_db
def test_office_edits_its_weights_and_the_ranking_follows(pw, login):
    client = login(pw.a.actor)
    url = reverse("planning:priority_weights") + f"?authority={pw.world.county_a.pk}"
    data = {"w_attention": 0, "w_power": 0, "w_fund": 0, "w_petition": 0, "w_problem": 0, "w_years": 0,
            "fund_ref": "10000", "petition_ref": 20, "problem_ref": 20, "years_ref": 5}
    body = client.post(url, data).content.decode()
    assert "各项权重之和须大于 0。" in body and not PriorityWeights.objects.exists()
    response = client.post(url, {**data, "w_power": 10})
    assert response.status_code == 302
    saved = PriorityWeights.objects.get(authority=pw.world.county_a)
    assert saved.w_power == 10 and saved.created_by == pw.a.actor
    ranked = selectors.priority_ranking(pw.a.actor, pw.world.county_a, 2026)
    assert ranked[0].facts.name == "青阳县城关镇" and ranked[0].total == 100.0
    # The county cannot set the city's weights, nor county B's.
    assert client.get(reverse("planning:priority_weights") + f"?authority={pw.world.city.pk}").status_code == 404
    with pytest.raises(ScopeViolation):
        services.weights_save(actor=pw.a.actor, authority=pw.world.county_b,
                             data={**data, "fund_ref": 10000, "w_power": 1})
    assert login(pw.world.users["leader_a"]).get(url).status_code == 403
