"""County-B planning records for the URL walk (`core.tests.test_url_walk`): one per model key that
the planning route names start with (plan_…, round_…, api:inspection-…)."""

from __future__ import annotations

from xuncha.core.testing.resources import walk_objects


@walk_objects
def planning_walk_objects(world) -> dict:
    cached = getattr(world, "_planning_walk", None)
    if cached is not None:
        return cached
    from xuncha.planning import services
    from xuncha.planning.models import HorizontalCheck, JointRound, PlanProposal, UnitRiskInput

    from .factories import D, Side, make_inspection, make_round

    b = Side("b", world.county_b, world.users["office_b"])
    b.plan = services.plan_create(actor=b.actor, data={
        "authority": b.region, "title": "桐溪县巡察规划（走查）", "term": "第十四届", "start_year": 2026, "years": 5,
        "stale_years": 5, "remarks": ""})
    services.plan_populate(actor=b.actor, plan=b.plan)
    b.annual = services.annualplan_create(actor=b.actor, data={
        "authority": b.region, "year": 2026, "five_year_plan": b.plan, "title": "桐溪县2026年度计划（走查）",
        "summary": ""})
    rnd = make_round(b)
    inspection = make_inspection(b, rnd, [world.unit_b])
    check = HorizontalCheck.objects.create(inspection=inspection, authority=world.county_b, kind="audit",
                                           department="审计局", unit=world.unit_b, planned_start=D(2026, 3, 2),
                                           planned_end=D(2026, 4, 2))
    joint = JointRound.objects.create(authority=world.county_b, year=2026, title="桐溪县联动（走查）",
                                      system="education", plan_text="—", training_date=D(2026, 3, 1),
                                      mobilisation_date=D(2026, 3, 2))
    proposal = PlanProposal.objects.create(plan=b.plan, authority=world.county_b, params={}, status="ready")
    risk = UnitRiskInput.objects.create(unit=world.unit_b, region=world.county_b, year=2025, petition_count=3)
    cached = {
        "plan": b.plan, "plantarget": b.plan.targets.first(), "annualplan": b.annual, "round": rnd,
        "inspectiongroup": inspection.group, "inspection": inspection, "horizontalcheck": check,
        "jointround": joint, "proposal": proposal, "riskinput": risk,
    }
    world._planning_walk = cached
    return cached
