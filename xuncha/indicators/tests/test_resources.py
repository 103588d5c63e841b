"""Generated page and API tests of the decision checklist (a Resource), NetBox style."""

from xuncha.core.testing.resources import ResourceSpec, resource_tests
from xuncha.indicators.models import DecisionItem
from xuncha.indicators.resources import decisionitem_resource


def _make(world, region, index):
    return DecisionItem.objects.create(authority=region, issuer="county", title=f"{region.name}委第{index}项部署",
                                       requirement="按要求抓好落实。", kinds=["organ"])


def _form_data(world, region):
    return {"authority": region.pk, "issuer": "city", "title": f"{region.name}测试部署", "doc_number": "",
            "issued_on": "2026-03-01", "requirement": "抓好落实。", "kinds": ["organ", "village"], "is_active": "on",
            "order": "3"}


TestDecisionItemResource = resource_tests(ResourceSpec(
    resource=decisionitem_resource, make=_make, form_data=_form_data, edit=("title", "修改后的部署"),
    text=lambda d: d.title))
