"""The planning pages as an office uses them: plans and targets, elevation, the proposer (accept with
edits, reject, infeasible), rounds and inspections, joint rounds, horizontal checks, the menu, and
constant query counts on the list pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuncha.core.models import ChangeLog
from xuncha.planning import services
from xuncha.planning.models import JointRound, PlanProposal, PlanTarget

from .factories import D, annual, dates, group_user, make_inspection, make_round, started

pytestmark = pytest.mark.django_db


def test_plan_targets_are_added_edited_and_removed(pw, login):
    client = login(pw.a.actor)
    plan = pw.a.plan
    target = plan.targets.get(unit=pw.world.unit_a)
    url = reverse("planning:plantarget_edit", args=[target.pk])
    body = client.post(url, {"planned_year": "2031"}).content.decode()
    assert "有误" in body  # 2031 is not among the choices of the term
    assert client.post(url, {"planned_year": "2027", "planned_round": "2", "is_fixed": "on"}).status_code == 302
    target.refresh_from_db()
    assert (target.planned_year, target.planned_round, target.is_fixed) == (2027, 2, True)
    assert ChangeLog.objects.filter(content_type__model="plantarget", object_id=str(target.pk), action="update").exists()
    assert client.post(reverse("planning:plantarget_delete", args=[target.pk])).status_code == 302
    assert not plan.targets.filter(unit=pw.world.unit_a).exists()
    page = client.get(reverse("planning:plan_target_add", args=[plan.pk])).content.decode()
    assert "青阳县教育局" in page and "桐溪县" not in page
    response = client.post(reverse("planning:plan_target_add", args=[plan.pk]),
                           {"units": [pw.world.unit_a.pk], "planned_year": "2028"})
    assert response.status_code == 302 and plan.targets.get(unit=pw.world.unit_a).planned_year == 2028
    assert client.post(reverse("planning:plan_populate", args=[plan.pk])).status_code == 302
    detail = client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    assert "纳入本级全部单位" in detail and "青阳县城关镇" in detail


def test_elevation_through_the_page(pw, login):
    client = login(pw.city.actor)
    url = reverse("planning:plan_elevate", args=[pw.city.plan.pk])
    page = client.get(url).content.decode()
    assert "青阳县城关镇（青阳县）" in page and "江城市财政局" not in page
    response = client.post(url, {"unit": pw.a.units[2].pk, "planned_year": "2026", "remarks": "关系网复杂"})
    assert response.status_code == 302
    target = PlanTarget.objects.get(plan=pw.city.plan, unit=pw.a.units[2])
    assert target.is_elevated and target.remarks == "关系网复杂"
    # County B's office cannot lift anything, county A's office has no city plan to lift into.
    assert login(pw.a.actor).get(url).status_code == 404


def test_proposer_accept_with_edits_and_reject(pw, login, django_capture_on_commit_callbacks):
    client = login(pw.a.actor)
    plan = pw.a.plan
    fixed = plan.targets.get(unit=pw.a.units[1])
    services.plan_target_update(actor=pw.a.actor, target=fixed, data={"planned_year": 2030, "is_fixed": True})
    page = client.get(reverse("planning:plan_propose", args=[plan.pk])).content.decode()
    assert "本规划共有 <strong>3</strong> 个本级巡察对象" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("planning:plan_propose", args=[plan.pk]), {
            "first_year": 2026, "rounds_per_year": 1, "groups_per_round": 1, "capacity": 1, "time_limit": 1, "keep_systems": "on"})
    proposal = PlanProposal.objects.get(plan=plan)
    assert response["Location"] == reverse("planning:proposal_detail", args=[proposal.pk])
    assert proposal.status == "ready" and proposal.job.status == "succeeded"
    body = client.get(response["Location"]).content.decode()
    assert "建议安排" in body and "采纳" in body
    assignment = {row[0]: row for row in proposal.result["assignments"]}
    assert assignment[fixed.unit_id][1] == 2030  # the fixed choice stays
    town = pw.a.units[2]
    edited_year = 2029 if assignment[town.pk][1] != 2029 else 2028
    post = {f"year_{u}": row[1] for u, row in assignment.items()}
    post.update({f"round_{u}": row[2] for u, row in assignment.items()})
    post[f"year_{town.pk}"] = edited_year
    post[f"fixed_{town.pk}"] = "on"
    response = client.post(reverse("planning:proposal_accept", args=[proposal.pk]), post)
    assert response.status_code == 302
    town_target = plan.targets.get(unit=town)
    assert (town_target.planned_year, town_target.is_fixed) == (edited_year, True)
    fixed.refresh_from_db()
    assert fixed.planned_year == 2030
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.decided_by == pw.a.actor
    assert client.post(reverse("planning:proposal_reject", args=[proposal.pk]), follow=True).status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == "accepted"  # decided once
    # A second run, rejected: nothing is written.
    before = list(plan.targets.values_list("unit_id", "planned_year").order_by("unit_id"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("planning:plan_propose", args=[plan.pk]), {
            "first_year": 2026, "rounds_per_year": 2, "groups_per_round": 1, "capacity": 1, "time_limit": 1})
    second = PlanProposal.objects.filter(plan=plan).latest("id")
    assert client.post(reverse("planning:proposal_reject", args=[second.pk])).status_code == 302
    second.refresh_from_db()
    assert second.status == "rejected"
    assert list(plan.targets.values_list("unit_id", "planned_year").order_by("unit_id")) == before


def test_an_infeasible_proposal_says_which_constraint_fails(pw, login, django_capture_on_commit_callbacks):
    client = login(pw.a.actor)
    for target in pw.a.plan.targets.all():
        services.plan_target_update(actor=pw.a.actor, target=target, data={"planned_year": 2027, "planned_round": 1,
                                                                           "is_fixed": True})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("planning:plan_propose", args=[pw.a.plan.pk]), {
            "first_year": 2026, "rounds_per_year": 1, "groups_per_round": 1, "capacity": 2, "time_limit": 1})
    body = client.get(response["Location"]).content.decode()
    assert "按当前条件无法排出全覆盖方案" in body
    assert "2027 年已固定 3 个单位，超过该年容量 2 个（1 轮 × 1 个组 × 每组 2 个单位）。" in body
    form = client.post(reverse("planning:plan_propose", args=[pw.a.plan.pk]), {"rounds_per_year": 0}).content.decode()
    assert "「每轮巡察组数」" in form and "「每年巡察轮次」" in form


def test_round_and_inspection_pages(pw, login):
    client = login(pw.a.actor)
    add = reverse("planning:annualplan_round_add", args=[pw.a.annual.pk])
    assert "本年度的第几轮" in client.get(add).content.decode()
    body = client.post(add, {"number": 1, "kind": "regular", "start_date": "2026-05-01", "end_date": "2026-04-01"})
    assert "「进驻结束日期」不能早于「进驻开始日期」" in body.content.decode()
    response = client.post(add, {"number": 1, "kind": "special", "start_date": "2026-04-01", "end_date": "2026-05-31",
                                 "training_date": "2026-03-25", "focus": "聚焦惠民资金"})
    assert response.status_code == 302
    rnd = pw.a.annual.rounds.get()
    assert str(rnd) == "2026年第一轮巡察" and rnd.kind == "special"
    assert "本年度计划已有第一轮" in client.post(add, {"number": 1, "kind": "regular", "start_date": "2026-06-01",
                                                   "end_date": "2026-07-01"}).content.decode()
    client.post(reverse("planning:round_group_add", args=[rnd.pk]), {"name": ""})
    group = rnd.groups.get()
    form_url = reverse("planning:round_inspection_add", args=[rnd.pk])
    page = client.get(form_url).content.decode()
    assert "青阳县教育局（青阳县）" in page and "桐溪县教育局" not in page
    response = client.post(form_url, {"group": group.pk, "targets": [pw.world.unit_b.pk], "stationed_date": "2026-04-01"})
    assert "有误" in response.content.decode()
    response = client.post(form_url, {"group": group.pk, "targets": [pw.world.unit_a.pk],
                                      "stationed_date": "2026-04-01"})
    inspection = rnd.inspections.get()
    assert response.status_code == 302
    edit = reverse("planning:inspection_edit", args=[inspection.pk])
    response = client.post(edit, {"group": group.pk, "targets": [pw.world.unit_a.pk, pw.a.units[1].pk],
                                  "stationed_date": "2026-04-02", "remarks": "一托二"})
    assert response.status_code == 302
    assert inspection.target_links.count() == 2
    assert client.get(reverse("planning:round_edit", args=[rnd.pk])).status_code == 200
    response = client.post(reverse("planning:round_edit", args=[rnd.pk]), {
        "number": 1, "kind": "special", "start_date": "2026-04-05", "end_date": "2026-05-31"})
    assert "已有 1 项巡察任务的进驻日期不在新的进驻期间内" in response.content.decode()
    assert client.post(reverse("planning:inspectiongroup_delete", args=[group.pk]), follow=True).content.decode(
    ).count("还有巡察任务，不能删除") == 1
    assert client.post(reverse("planning:inspection_delete", args=[inspection.pk])).status_code == 302
    assert client.post(reverse("planning:inspectiongroup_delete", args=[group.pk])).status_code == 302
    assert client.post(reverse("planning:round_delete", args=[rnd.pk])).status_code == 302
    assert not pw.a.annual.rounds.exists()
    assert client.get(reverse("planning:annualplan_detail", args=[pw.a.annual.pk])).status_code == 200


def test_joint_round_pages(pw, login):
    client = login(pw.city.actor)
    response = client.post(reverse("planning:jointround_add"), {
        "authority": pw.world.county_a.pk, "year": 2026, "title": "x", "system": "education", "plan_text": "方案",
        "training_date": "2026-02-20", "mobilisation_date": "2026-03-02"})
    assert "有误" in response.content.decode()  # a county cannot lead
    response = client.post(reverse("planning:jointround_add"), {
        "authority": pw.world.city.pk, "year": 2026, "title": "教育系统上下联动", "system": "education",
        "plan_text": "统一方案", "training_date": "2026-02-20", "mobilisation_date": "2026-03-02"})
    joint = JointRound.objects.get()
    assert response.status_code == 302
    regular = make_round(pw.a)
    joint_a = make_round(pw.a, number=2, kind="joint")
    make_inspection(pw.a, joint_a, [pw.world.unit_a])
    detail = reverse("planning:jointround_detail", args=[joint.pk])
    page = client.get(detail).content.decode()
    assert "青阳县 2026年第二轮巡察" in page and "青阳县 2026年第一轮巡察" not in page  # only joint rounds offered
    body = client.post(reverse("planning:jointround_link", args=[joint.pk]), {"round": regular.pk},
                       follow=True).content.decode()
    assert "有误" in body or "选择一个有效的选项" in body
    client.post(reverse("planning:jointround_link", args=[joint.pk]), {"round": joint_a.pk})
    joint_a.refresh_from_db()
    assert joint_a.joint_round == joint
    county_page = login(pw.a.actor).get(detail).content.decode()
    assert "只读" in county_page and "完成统一把关" not in county_page
    client = login(pw.city.actor)
    body = client.post(reverse("planning:jointround_review", args=[joint.pk]), {"opinion": "同意"},
                       follow=True).content.decode()
    assert "尚有 1 个巡察组未提交巡察报告" in body
    assert client.post(reverse("planning:jointround_unlink", args=[joint.pk]), {"round": joint_a.pk}).status_code == 302
    joint_a.refresh_from_db()
    assert joint_a.joint_round is None
    response = client.post(reverse("planning:jointround_edit", args=[joint.pk]), {
        "authority": pw.world.city.pk, "year": 2026, "title": "改名", "system": "education", "plan_text": "统一方案",
        "training_date": "2026-03-05", "mobilisation_date": "2026-03-02"})
    assert "「统一培训日期」应不晚于「统一动员部署日期」" in response.content.decode()


def test_horizontal_check_pages(pw, login):
    rnd, inspection = started(pw.a, [pw.world.unit_a], stage="stationed")
    client = login(pw.a.actor)
    url = reverse("planning:inspection_check_add", args=[inspection.pk])
    assert "选人用人专项检查" in client.get(url).content.decode()
    body = client.post(url, {"kind": "audit", "unit": pw.world.unit_a.pk, "planned_start": "2026-07-01",
                             "planned_end": "2026-08-01"}).content.decode()
    assert "协同检查须与巡察同步开展" in body
    response = client.post(url, {"kind": "audit", "unit": pw.world.unit_a.pk, "planned_start": "2026-04-01",
                                 "planned_end": "2026-05-01"})
    assert response.status_code == 302
    check = inspection.checks.get()
    assert check.department == "审计局"
    edit = reverse("planning:horizontalcheck_edit", args=[check.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"kind": "audit", "department": "市审计局", "unit": pw.world.unit_a.pk,
                              "planned_start": "2026-04-01", "planned_end": "2026-05-01"}).status_code == 302
    result = reverse("planning:horizontalcheck_result", args=[check.pk])
    assert "「结果摘要」" in client.post(result, {"completed_on": "2026-05-01"}).content.decode()
    assert client.get(reverse("planning:horizontalcheck_file", args=[check.pk])).status_code == 404  # no file yet
    group = group_user("member_x", "group_member", inspection.group)
    assert login(group).get(reverse("planning:inspection_detail", args=[inspection.pk])).content.decode().count(
        "协同检查") == 0  # results of other departments are the office's


def test_menu_follows_the_role(pw, login):
    body = login(pw.a.actor).get(reverse("core:home")).content.decode()
    for label in ("五年规划", "覆盖情况", "年度计划", "巡察轮次", "巡察任务", "上下联动", "规划对标", "重点对象排序"):
        assert label in body, label
    rnd = make_round(pw.a)
    inspection = make_inspection(pw.a, rnd, [pw.world.unit_a])
    body = login(group_user("gl", "group_leader", inspection.group)).get(reverse("core:home")).content.decode()
    assert "巡察任务" in body and "五年规划" not in body and "重点对象排序" not in body


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_list_pages_have_a_constant_query_count(pw, login):
    client = login(pw.city.actor)
    urls = [reverse("planning:round_list"), reverse("planning:inspection_list"), reverse("planning:jointround_list"),
            reverse("planning:coverage_overview"), reverse("api:inspection-list"), reverse("api:round-list")]

    def more(year):
        plan = annual(pw, pw.a, year)
        rnd, inspection = started(pw.a, [pw.world.unit_a, pw.a.units[1]], annual_plan=plan,
                                  start=D(year, 3, 2), end=D(year, 5, 1), stage="stationed")
        group = services.group_create(actor=pw.a.actor, round=rnd)
        services.inspection_create(actor=pw.a.actor, round=rnd, data={
            "group": group, "targets": [pw.a.units[2]], **dates(rnd.start_date, rnd.end_date)})
        services.jointround_create(actor=pw.city.actor, data={
            "authority": pw.world.city, "year": year, "title": f"{year}联动", "system": "education",
            "plan_text": "方案", "training_date": D(year, 2, 1), "mobilisation_date": D(year, 3, 1)})

    more(2027)
    few = [_count(client, url) for url in urls]
    for year in (2028, 2029):
        more(year)
    many = [_count(client, url) for url in urls]
    assert few == many
