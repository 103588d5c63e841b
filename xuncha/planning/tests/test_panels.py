"""The inspection page gathers the panels other apps register, for the users who may open them."""

import pytest
from django.urls import reverse

from xuncha.planning import panels
from xuncha.planning.models import Inspection

from .factories import group_user, started

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    panel = panels.InspectionPanel(
        "巡察对象清单（测试）", "planning:inspection_edit", "planning:inspection:change", order=1,
        count=lambda inspection, user: Inspection.objects.for_user(user).filter(pk=inspection.pk).count())
    panels.register_inspection_panel(panel)
    yield panel
    panels._PANELS.pop(panel.url_name)


def test_panels_show_with_their_counts_to_users_holding_the_permission(pw, login, registered):
    _, inspection = started(pw.a, [pw.world.unit_a], stage="understand")
    page = login(pw.a.actor).get(reverse("planning:inspection_detail", args=[inspection.pk])).content.decode()
    assert 'id="inspection-panels"' in page and "巡察对象清单（测试）" in page
    assert reverse("planning:inspection_edit", args=[inspection.pk]) in page
    shown = panels.panels_for(pw.a.actor, inspection)
    assert [p["count"] for p in shown if p["label"] == "巡察对象清单（测试）"] == [1]

    member = group_user("panel_member", "group_member", inspection.group)
    assert not any(p["label"] == "巡察对象清单（测试）" for p in panels.panels_for(member, inspection))
    page = login(member).get(reverse("planning:inspection_detail", args=[inspection.pk])).content.decode()
    assert "巡察对象清单（测试）" not in page


def test_a_group_sees_the_cadres_of_its_targets_and_no_other(pw):
    from xuncha.org.models import Cadre

    _, inspection = started(pw.a, [pw.world.unit_a], stage="understand")
    member = group_user("cadre_member", "group_member", inspection.group)
    assert list(Cadre.objects.for_user(member)) == [pw.world.cadre_a]
    other = group_user("cadre_other", "group_member", started(pw.b, [pw.world.unit_b])[1].group)
    assert list(Cadre.objects.for_user(other)) == [pw.world.cadre_b]
