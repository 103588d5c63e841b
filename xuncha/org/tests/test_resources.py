"""Generated page, API and permission tests for regions, units and cadres."""

from xuncha.core.testing.resources import ResourceSpec, resource_tests
from xuncha.core.testing.world import make_cadre, make_region, make_unit
from xuncha.org.resources import cadre_resource, region_resource, unit_resource


def _region(world, region, i):
    return make_region(f"{region.name}第{i}乡", f"{region.code}{i:03d}", "county", region)


def _region_form(world, region):
    return {"name": f"{region.name}新设区", "code": f"{region.code}901", "level": "county", "parent": region.pk,
            "sort": 0}


def _unit(world, region, i):
    return make_unit(f"{region.name}测试单位{i}", region)


def _unit_form(world, region):
    return {"name": f"{region.name}审计局", "region": region.pk, "category": "organ", "level": "section",
            "managing_authority": "county", "system": "finance", "social_attention": "low",
            "special_fund_scale": "1200.50"}


def _cadre(world, region, i):
    unit = world.unit_a if region == world.county_a else world.unit_b if region == world.county_b else world.unit_city
    return make_cadre(f"测试干部{region.code[-2:]}{i}", unit)


def _cadre_form(world, region):
    unit = world.unit_a if region == world.county_a else world.unit_b
    return {"name": "王新干部", "gender": "male", "birth_date": "1985-06-01", "unit": unit.pk, "post": "副局长",
            "rank": "section_2", "id_card": "",
            "phone": "13900001111"}


TestRegionResource = resource_tests(ResourceSpec(
    resource=region_resource, make=_region, form_data=_region_form, edit=("name", "改名后的区"),
    text=lambda r: r.name))
TestUnitResource = resource_tests(ResourceSpec(
    resource=unit_resource, make=_unit, form_data=_unit_form, edit=("name", "改名后的单位"),
    text=lambda u: u.name))
TestCadreResource = resource_tests(ResourceSpec(
    resource=cadre_resource, make=_cadre, form_data=_cadre_form, edit=("post", "局长"),
    text=lambda c: c.name))
