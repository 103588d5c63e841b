"""Scopes of planning: a county office plans its own county and reads the city's plans; the city
office sees all; a group sees only its own inspections and their targets; outside the scope every
page, download and API route answers 404 (403 without the permission)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from xuncha.accounts import services as account_services
from xuncha.accounts.models import Grant, Role
from xuncha.core.testing.world import make_user
from xuncha.org.models import Unit
from xuncha.planning.models import FiveYearPlan, Inspection, Round

from .factories import D, group_user, make_inspection, make_round, started
from .walk import planning_walk_objects

pytestmark = pytest.mark.django_db


def _routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name and "pk" in entry.pattern.regex.groupindex:
            yield f"{prefix}{entry.name}"


def planning_routes() -> list[str]:
    keys = {"plan", "plantarget", "annualplan", "round", "inspectiongroup", "inspection", "horizontalcheck",
            "jointround", "proposal", "riskinput"}
    names = []
    for name in _routes(get_resolver().url_patterns):
        app, rest = name.split(":", 1)
        if app in ("planning", "api") and rest.split("_")[0].split("-")[0] in keys and "format" not in rest:
            names.append(name)
    return sorted(set(names))


def test_every_planning_route_is_404_for_the_other_county(world, login):
    objects = planning_walk_objects(world)
    client = login(world.users["office_a"])
    routes = planning_routes()
    assert len(routes) > 40
    for name in routes:
        model = name.split(":")[1].split("_")[0].split("-")[0]
        url = reverse(name, kwargs={"pk": objects[model].pk})
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (403, 404, 405), (name, method, response.status_code)
    # Nothing of county B was changed on the way.
    objects["inspection"].refresh_from_db()
    assert objects["inspection"].stage == "prepare" and not objects["plan"].is_deleted


def test_county_reads_the_city_plan_but_cannot_change_it(pw, login):
    client = login(pw.a.actor)
    city_plan, target = pw.city.plan, pw.city.plan.targets.first()
    assert "江城市巡察规划" in client.get(reverse("planning:plan_list")).content.decode()
    detail = client.get(reverse("planning:plan_detail", args=[city_plan.pk])).content.decode()
    assert "只读" in detail and reverse("planning:plan_edit", args=[city_plan.pk]) not in detail
    assert client.get(reverse("planning:plan_coverage", args=[city_plan.pk])).status_code == 200
    for name in ("plan_edit", "plan_delete", "plan_propose", "plan_elevate", "plan_target_add", "plan_ledger"):
        assert client.get(reverse(f"planning:{name}", args=[city_plan.pk])).status_code == 404, name
    for name in ("plan_edit", "plan_delete", "plan_populate", "plan_target_add", "plan_propose"):
        assert client.post(reverse(f"planning:{name}", args=[city_plan.pk]), {"title": "改"}).status_code == 404
    assert client.post(reverse("planning:plantarget_edit", args=[target.pk]), {"planned_year": 2027}).status_code == 404
    api = reverse("api:plan-detail", args=[city_plan.pk])
    assert client.get(api).status_code == 200
    assert client.patch(api, {"title": "改"}, content_type="application/json").status_code == 404
    assert client.delete(api).status_code == 404
    city_plan.refresh_from_db()
    assert city_plan.title == "江城市巡察规划（2026—2030年）" and not city_plan.is_deleted
    # Nor can it create a plan for the city: the authority is not among its choices.
    response = client.post(reverse("planning:plan_add"), {"authority": pw.world.city.pk, "title": "假规划",
                                                          "term": "x", "start_year": 2031, "years": 5, "stale_years": 5})
    assert response.status_code == 200 and not FiveYearPlan.objects.filter(title="假规划").exists()


def test_county_reads_the_city_rounds_but_cannot_run_them(pw, login):
    rnd, inspection = started(pw.city, [pw.world.unit_city], stage="stationed")
    client = login(pw.a.actor)
    body = client.get(reverse("planning:round_detail", args=[rnd.pk])).content.decode()
    assert "只读" in body and "转入了解阶段" not in body
    assert client.get(reverse("planning:inspection_detail", args=[inspection.pk])).status_code == 200
    for name in ("round_edit", "round_inspection_add", "round_document"):
        assert client.get(reverse(f"planning:{name}", args=[rnd.pk])).status_code == 404, name
    for name in ("round_start", "round_finish", "round_delete", "round_group_add"):
        assert client.post(reverse(f"planning:{name}", args=[rnd.pk])).status_code == 404, name
    assert client.post(reverse("planning:inspection_transition", args=[inspection.pk]),
                       {"to_stage": "understand"}).status_code == 404
    assert client.post(reverse("api:inspection-transition", args=[inspection.pk]),
                       {"to_stage": "understand"}, content_type="application/json").status_code == 404
    assert client.patch(reverse("api:round-detail", args=[rnd.pk]), {"title": "改"},
                        content_type="application/json").status_code == 404
    inspection.refresh_from_db()
    assert inspection.stage == "stationed"
    # The transition log and the horizontal checks of the city are not the county's to read.
    assert '暂无流转记录' in client.get(reverse("planning:inspection_detail", args=[inspection.pk])).content.decode()


def test_city_office_sees_and_changes_the_counties(pw, login):
    client = login(pw.city.actor)
    assert client.get(reverse("planning:plan_edit", args=[pw.a.plan.pk])).status_code == 200
    ids = {row["id"] for row in client.get(reverse("api:plan-list")).json()["results"]}
    assert ids == {pw.city.plan.pk, pw.a.plan.pk, pw.b.plan.pk}
    ids = {row["id"] for row in login(pw.a.actor).get(reverse("api:plan-list")).json()["results"]}
    assert ids == {pw.city.plan.pk, pw.a.plan.pk}


def test_a_group_sees_only_its_own_inspections_and_their_targets(pw, login):
    rnd = make_round(pw.a)
    mine = make_inspection(pw.a, rnd, [pw.world.unit_a, pw.a.units[1]])
    theirs = make_inspection(pw.a, rnd, [pw.a.units[2]])
    user = group_user("member_a1", "group_member", mine.group)
    assert set(Inspection.objects.for_user(user)) == {mine}
    assert set(Unit.objects.for_user(user)) == {pw.world.unit_a, pw.a.units[1]}
    assert not Round.objects.for_user(user).exists() and not FiveYearPlan.objects.for_user(user).exists()
    client = login(user)
    listing = client.get(reverse("planning:inspection_list")).content.decode()
    assert "第一巡察组" in listing and "第二巡察组" not in listing
    assert client.get(reverse("planning:inspection_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("planning:plan_list")).status_code == 403
    assert client.get(reverse("planning:round_detail", args=[rnd.pk])).status_code == 403
    assert [row["id"] for row in client.get(reverse("api:inspection-list")).json()["results"]] == [mine.pk]
    assert client.get(reverse("api:inspection-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("api:plan-list")).status_code == 403
    assert client.get(reverse("org:unit_detail", args=[pw.a.units[2].pk])).status_code == 404
    assert client.get(reverse("org:unit_detail", args=[pw.world.unit_a.pk])).status_code == 200
    # A deleted inspection takes its targets out of the group's reach.
    mine.is_deleted = True
    mine.save(update_fields=["is_deleted"])
    assert not Unit.objects.for_user(user).exists()


def test_security_administrator_grants_a_role_over_a_group(pw, login):
    rnd = make_round(pw.a)
    inspection = make_inspection(pw.a, rnd, [pw.world.unit_a])
    target = make_user("new_member")
    client = login(pw.world.users["secadmin"])
    page = client.get(reverse("accounts:user_detail", args=[target.pk])).content.decode()
    assert "巡察组" in page and inspection.group.full_name in page
    response = client.post(reverse("accounts:user_grant_add", args=[target.pk]), {
        "role": Role.objects.get(code="group_member").pk, "scope_kind": "group", "group": inspection.group.pk})
    assert response.status_code == 302
    grant = Grant.objects.get(user=target)
    assert grant.scope_label == inspection.group.full_name
    assert list(Inspection.objects.for_user(target)) == [inspection]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        account_services.grant_create(actor=pw.world.users["secadmin"], user=target,
                                      role=Role.objects.get(code="office_admin"), scope_kind="group",
                                      group=inspection.group)
    assert "巡察组授权只能授予巡察组组长或巡察组组员角色。" in refused.value.messages
    with pytest.raises(ValidationError):
        account_services.grant_create(actor=pw.world.users["secadmin"], user=target,
                                      role=Role.objects.get(code="group_member"), scope_kind="group")


def test_read_only_leader_cannot_write_through_the_api(pw, login):
    client = login(pw.world.users["leader_a"])
    assert client.get(reverse("api:round-list")).status_code == 200
    data = {"annual_plan": pw.a.annual.pk, "number": 1, "kind": "regular", "start_date": "2026-03-02",
            "end_date": "2026-05-29"}
    assert client.post(reverse("api:round-list"), data, content_type="application/json").status_code == 403
    office = login(pw.a.actor)
    created = office.post(reverse("api:round-list"), data, content_type="application/json")
    assert created.status_code == 201, created.content.decode()
    rnd_id = created.json()["id"]
    bad = office.post(reverse("api:round-list"), {**data, "number": 2, "end_date": "2026-01-01"},
                      content_type="application/json")
    assert bad.status_code == 400 and "不能早于" in bad.content.decode()
    started_ = office.post(reverse("api:round-start", args=[rnd_id]))
    assert started_.status_code == 400 and "本轮尚未设置巡察组" in started_.content.decode()
    group = Round.objects.get(pk=rnd_id)
    from xuncha.planning import services

    g = services.group_create(actor=pw.a.actor, round=group)
    made = office.post(reverse("api:inspection-list"), {
        "round": rnd_id, "group": g.pk, "targets": [pw.world.unit_a.pk], "stationed_date": "2026-03-02"},
        content_type="application/json")
    assert made.status_code == 201, made.content.decode()
    other_county = office.post(reverse("api:inspection-list"), {
        "round": rnd_id, "group": g.pk, "targets": [pw.world.unit_b.pk], "stationed_date": "2026-03-02"},
        content_type="application/json")
    assert other_county.status_code == 400
    assert office.post(reverse("api:round-start", args=[rnd_id])).status_code == 200
    moved = office.post(reverse("api:inspection-transition", args=[made.json()["id"]]), {"to_stage": "stationed"},
                        content_type="application/json")
    assert moved.status_code == 200 and moved.json()["stage"] == "stationed"
    steps = office.get(reverse("api:inspection-transitions", args=[made.json()["id"]])).json()
    assert steps["available"][0]["to_stage"] == "understand" and steps["log"][0]["to_stage"] == "stationed"
    assert D(2026, 3, 2)


def test_plan_targets_and_joint_rounds_through_the_api(pw, login):
    joint = JointRoundFactory(pw)
    client = login(pw.a.actor)
    rows = client.get(reverse("api:plantarget-list"), {"plan": pw.city.plan.pk}).json()["results"]
    assert {r["unit_name"] for r in rows} == {u.name for u in pw.city.units}  # the city's plan, read-only
    assert client.get(reverse("api:plantarget-list"), {"plan": pw.b.plan.pk}).json()["results"] == []
    target_b = pw.b.plan.targets.first()
    assert client.get(reverse("api:plantarget-detail", args=[target_b.pk])).status_code == 404
    assert [r["id"] for r in client.get(reverse("api:jointround-list")).json()["results"]] == [joint.pk]
    assert client.get(reverse("api:jointround-detail", args=[joint.pk])).json()["title"] == "教育系统上下联动"
    assert login(group_user("gm_api", "group_member", make_inspection(pw.a, make_round(pw.a), [pw.world.unit_a]).group)
                 ).get(reverse("api:jointround-list")).status_code == 403


def JointRoundFactory(pw):  # noqa: N802 - reads like a factory
    from xuncha.planning import services

    return services.jointround_create(actor=pw.city.actor, data={
        "authority": pw.world.city, "year": 2026, "title": "教育系统上下联动", "system": "education",
        "plan_text": "统一方案", "training_date": D(2026, 2, 20), "mobilisation_date": D(2026, 3, 2)})
