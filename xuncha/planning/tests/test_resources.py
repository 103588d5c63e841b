"""Generated page, API and permission tests for the planning Resources (core.testing)."""

from xuncha.core.testing.resources import ResourceSpec, resource_tests
from xuncha.core.testing.world import make_unit
from xuncha.planning.models import AnnualPlan, FiveYearPlan, UnitRiskInput
from xuncha.planning.resources import annualplan_resource, plan_resource, riskinput_resource


def _plan(world, region, i):
    return FiveYearPlan.objects.create(authority=region, title=f"{region.name}规划{i}", term="第十四届",
                                       start_year=2000 + i, years=5)


def _plan_form(world, region):
    return {"authority": region.pk, "title": f"{region.name}第十五届巡察规划", "term": "第十五届", "start_year": 2031,
            "years": 5, "stale_years": 5, "remarks": ""}


def _annual(world, region, i):
    return AnnualPlan.objects.create(authority=region, year=2000 + i, title=f"{region.name}{2000 + i}年度计划{i}")


def _annual_form(world, region):
    return {"authority": region.pk, "year": 2027, "title": f"{region.name}2027年度巡察工作计划", "summary": ""}


def _risk(world, region, i):
    unit = make_unit(f"{region.name}风险单位{i}", region)
    return UnitRiskInput.objects.create(unit=unit, region=region, year=2025, petition_count=i, problem_count=1)


def _risk_form(world, region):
    unit = world.unit_a if region == world.county_a else world.unit_b
    return {"unit": unit.pk, "year": 2025, "petition_count": 7, "problem_count": 3, "remarks": ""}


TestFiveYearPlanResource = resource_tests(ResourceSpec(
    resource=plan_resource, make=_plan, form_data=_plan_form, edit=("title", "改名后的规划"), text=lambda p: p.title))
TestAnnualPlanResource = resource_tests(ResourceSpec(
    resource=annualplan_resource, make=_annual, form_data=_annual_form, edit=("title", "改名后的年度计划"),
    text=lambda p: p.title))
TestUnitRiskInputResource = resource_tests(ResourceSpec(
    resource=riskinput_resource, make=_risk, form_data=_risk_form, edit=("remarks", "已核实"),
    text=lambda r: r.unit.name))
