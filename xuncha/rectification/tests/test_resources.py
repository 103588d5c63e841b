"""Generated CRUD and permission tests for the supervision groups (督导组)."""

from xuncha.core.testing.resources import ResourceSpec, resource_tests
from xuncha.rectification.models import SupervisionGroup
from xuncha.rectification.resources import supervisiongroup_resource


def _make(world, region, index):
    return SupervisionGroup.objects.create(authority=region, name=f"{region.name}第{index}督导组")


def _form(world, region):
    return {"authority": region.pk, "name": f"{region.name}新督导组", "leader_name": "林督导", "is_active": "on"}


TestSupervisionGroupResource = resource_tests(ResourceSpec(
    resource=supervisiongroup_resource, make=_make, form_data=_form, edit=("leader_name", "陈组长"),
    text=lambda g: g.name, api_basename="supervisiongroup"))
