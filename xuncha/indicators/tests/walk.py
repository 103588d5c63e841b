"""County-B indicators records for the URL walk (`core.tests.test_url_walk`): one per model key the
route names start with (indicatorset_…, indicator_…, indicatortemplate_…, decisionitem_…,
indicatorresult_…, decisioncheck_…, api:…). `inspection_…` routes use planning's inspection."""

from __future__ import annotations

from xuncha.core.testing.resources import walk_objects


@walk_objects
def indicators_walk_objects(world) -> dict:
    cached = getattr(world, "_indicators_walk", None)
    if cached is not None:
        return cached
    from xuncha.indicators import services
    from xuncha.indicators.models import DecisionCheck, DecisionItem, IndicatorResult, IndicatorSet
    from xuncha.planning.tests.walk import planning_walk_objects

    office_b = world.users["office_b"]
    builtin = IndicatorSet.objects.get(authority__isnull=True, status="published")
    draft = services.indicatorset_copy(actor=office_b, source=builtin, authority=world.county_b)
    inspection = planning_walk_objects(world)["inspection"]
    decision = DecisionItem.objects.create(authority=world.county_b, issuer="county", title="桐溪县委部署（走查）",
                                           requirement="—")
    item = builtin.indicators.get(code="1.1.1")
    result = IndicatorResult.objects.create(inspection=inspection, unit=world.unit_b, indicator=item,
                                            result="compliant")
    check = DecisionCheck.objects.create(inspection=inspection, unit=world.unit_b, decision=decision, status="done")
    cached = {
        "indicatorset": draft, "indicator": draft.indicators.get(code="1.1.1"),
        "indicatortemplate": draft.templates.first(), "decisionitem": decision, "indicatorresult": result,
        "decisioncheck": check,
    }
    world._indicators_walk = cached
    return cached
