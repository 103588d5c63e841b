"""County-B survey records for the URL walk (`core.tests.test_url_walk`): one per model key that
the surveys route names start with (surveytemplate_…, survey_…, api:survey-…)."""

from __future__ import annotations

from xuncha.core.testing.resources import walk_objects


@walk_objects
def surveys_walk_objects(world) -> dict:
    cached = getattr(world, "_surveys_walk", None)
    if cached is not None:
        return cached
    import datetime

    from xuncha.planning.tests.factories import D, Side, make_inspection, make_round
    from xuncha.surveys.models import Survey, SurveyTemplate

    b = Side("b", world.county_b, world.users["office_b"])
    inspection = getattr(world, "_planning_walk", {}).get("inspection")
    if inspection is None:
        from xuncha.planning import services

        b.annual = services.annualplan_create(actor=b.actor, data={
            "authority": b.region, "year": 2026, "five_year_plan": None, "title": "桐溪县2026年度计划（测评走查）",
            "summary": ""})
        inspection = make_inspection(b, make_round(b), [world.unit_b])
    tpl = SurveyTemplate.objects.create(authority=world.county_b, kind="evaluation", title="桐溪县测评模板（走查）",
                                        questions=[{"key": "q1", "kind": "rating", "text": "总体评价",
                                                    "options": ["好", "较好", "一般", "差"], "required": True}])
    survey = Survey.objects.create(inspection=inspection, unit=world.unit_b, template=tpl, title="桐溪县测评（走查）",
                                   opens_on=D(2026, 3, 2), closes_on=D(2026, 3, 2) + datetime.timedelta(days=5))
    cached = {"surveytemplate": tpl, "survey": survey}
    world._surveys_walk = cached
    return cached
