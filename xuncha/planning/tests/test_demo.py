"""The planning demo builds on a small world: plans, rounds in several stages, a joint round, an
elevated inspection, horizontal checks and a group grant, all through the services."""

import pytest

from xuncha.core.testing.world import make_unit, make_user
from xuncha.planning.demo import build_planning_demo
from xuncha.planning.models import Inspection, JointRound, PlanTarget, Round
from xuncha.planning.selectors import coverage_report

from .factories import build


@pytest.mark.django_db
def test_demo_builds_every_feature(world):
    build(world, with_plans=False)
    for name, system in (("桐溪县财政局", "finance"), ("桐溪县民政局", "civil"), ("桐溪县水利局", "water"),
                         ("桐溪县城关镇", "grassroots"), ("青阳县财政局", "finance"), ("青阳县水利局", "water"),
                         ("江城市民政局", "civil"), ("江城市水利局", "water"), ("江城市卫生健康委员会", "health")):
        region = world.county_b if name.startswith("桐溪") else world.county_a if name.startswith("青阳") else world.city
        make_unit(name, region, system=system,
                  managing_authority="city" if region == world.city else "county")
    make_user("group_leader")
    summary = build_planning_demo(actors=("city_office", "office_a", "office_b"), proposal_seconds=0.5)
    assert summary == {"plans": 3, "rounds": 6, "joint_rounds": 1}
    stages = set(Inspection.objects.values_list("stage", flat=True))
    assert {"archived", "rectify", "report", "understand"} <= stages
    joint = JointRound.objects.get()
    assert Round.objects.filter(joint_round=joint).count() == 3
    assert PlanTarget.objects.filter(is_elevated=True).count() == 1
    county = coverage_report(PlanTarget.objects.get(is_elevated=True, plan__authority=world.city).plan)
    assert len(county.elevated) == 1
    assert not PlanTarget.objects.filter(plan__authority=world.county_a, planned_year__isnull=True).exists()
    assert world.users["city_office"].pk and Inspection.objects.for_user(
        type(world.users["city_office"]).objects.get(username="group_leader")).count() == 1
