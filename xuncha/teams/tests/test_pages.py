"""The remaining pages and API routes: the proposer, the recusal check, cross inspection, quota
checks and their notice, the shortfall chart, training attendance and hours — each in scope and
out of scope."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from xuncha.core.testing.resources import covers
from xuncha.core.testing.world import make_region, make_unit
from xuncha.teams import choices as c
from xuncha.teams.models import (
    CrossChecklistItem,
    CrossPair,
    GroupMember,
    QuotaCheck,
    StaffingQuota,
    TrainingAttendance,
    TrainingSession,
)
from xuncha.teams.services import crossplan_create, quotacheck_create

from .factories import make_group, make_round, person, pool

covers("teams:round_propose", "teams:inspectiongroup_accept", "teams:recusal_check", "teams:crossplan_list",
       "teams:crossplan_add", "teams:crossplan_detail", "teams:crossplan_edit", "teams:crossplan_solve",
       "teams:crossplan_confirm", "teams:crosspair_liaison", "teams:crosschecklistitem_edit", "teams:quota_chart",
       "teams:quotacheck_fill", "teams:quotacheck_publish", "teams:quotacheck_notice", "teams:quotacheckitem_edit",
       "teams:training_hours", "teams:training_attendance", "api:crossplan-list", "api:crossplan-detail",
       "api:crossplan-solve", "api:crossplan-pairs", "api:recusalcheck-list", "api:groupproposal-list")


@pytest.mark.django_db
def test_proposer_page_and_accept(world, login):
    round_ = make_round(world.county_a)
    group = make_group(round_, 1, targets=[world.unit_a])
    for i, skill in enumerate(("finance", "audit", "discipline", "law", "writing", "organization")):
        pool(person(f"候选{i}", world.unit_b, skills=[skill]), world.county_a,
             c.PoolKind.LEADER if i == 0 else c.PoolKind.TALENT)
    pool(person("对象单位人员", world.unit_a, skills=["audit"]), world.county_a)
    client = login(world.users["office_a"])
    assert client.get(reverse("teams:round_propose", args=[round_.pk])).status_code == 200
    response = client.post(reverse("teams:round_propose", args=[round_.pk]), {
        "groups": [group.pk], "size_min": 5, "size_max": 7, "preferred": 6, "time_limit": 5,
        "need_finance": 1, "need_audit": 1, "need_discipline": 1})
    body = response.content.decode()
    assert response.status_code == 200 and "已生成建议" in body and "对象单位人员" not in body
    cadres = [int(v) for v in __import__("re").findall(r'name="cadre" value="(\d+)"', body)]
    roles = dict(__import__("re").findall(r'name="role_(\d+)" value="(\w+)"', body))
    data = {"cadre": cadres, **{f"role_{k}": v for k, v in roles.items()}}
    assert client.post(reverse("teams:inspectiongroup_accept", args=[group.pk]), data).status_code == 302
    assert GroupMember.objects.filter(group=group).count() == 6
    # the API gives the same proposal for the next round; out-of-scope round → 404
    api = client.post(reverse("api:groupproposal-list"), {"round": round_.pk, "groups": [group.pk],
                                                          "needs": {"audit": 9}}, content_type="application/json")
    assert api.status_code == 200 and api.json()["status"] == "infeasible"
    other = make_round(world.county_b)
    assert client.post(reverse("api:groupproposal-list"), {"round": other.pk, "groups": [1]},
                       content_type="application/json").status_code == 404
    assert login(world.users["office_b"]).get(reverse("teams:round_propose", args=[round_.pk])).status_code == 404


@pytest.mark.django_db
def test_recusal_check_page_and_api(world, login):
    round_ = make_round(world.county_a)
    group = make_group(round_, 1, targets=[world.unit_a])
    cadre = person("回避者", world.unit_b, family=[("spouse", "配偶甲", world.unit_a, "教师")])
    GroupMember.objects.create(group=group, round=round_, authority=world.county_a, cadre=cadre)
    client = login(world.users["office_a"])
    body = client.get(reverse("teams:recusal_check"), {"round": round_.pk, "people": "members"}).content.decode()
    assert "回避者" in body and "配偶甲在该单位任教师（家庭成员）" in body and "配偶或近亲属在该单位工作" in body
    response = client.post(reverse("api:recusalcheck-list"), {"cadres": [cadre.pk], "units": [world.unit_a.pk]},
                           content_type="application/json")
    assert response.json()["blocked"][0]["reasons"][0]["rule"] == "family"
    # county B's office cannot pick county A's round, nor check against A's units through the API
    other = login(world.users["office_b"])
    body = other.get(reverse("teams:recusal_check"), {"round": round_.pk, "people": "members"}).content.decode()
    assert "回避者" not in body
    response = other.post(reverse("api:recusalcheck-list"), {"cadres": [cadre.pk], "units": [world.unit_a.pk]},
                          content_type="application/json")
    assert response.json()["checked_units"] == 0 and response.json()["blocked"] == []


@pytest.fixture
def cross_setup(world):
    county_c = make_region("松山县", "990123", "county", world.city)
    units = {world.county_a.pk: world.unit_a, world.county_b.pk: world.unit_b,
             county_c.pk: make_unit("松山县教育局", county_c)}
    for county in (world.county_a, world.county_b, county_c):
        for j in range(4):
            pool(person(f"{county.name[:2]}派员{j}", make_unit(f"{county.name}单位{j}", county),
                        skills=[("finance", "audit", "law", "writing")[j]]), county)
    for i in range(4):
        pool(person(f"市组长{i}", world.unit_city, post="副局长", rank="division_2"), world.city, c.PoolKind.LEADER)
    round_ = make_round(world.city, kind="cross")
    return county_c, units, round_


@pytest.mark.django_db
def test_cross_pages(world, login, cross_setup):
    county_c, units, round_ = cross_setup
    client = login(world.users["city_office"])
    assert client.get(reverse("teams:crossplan_add")).status_code == 200
    response = client.post(reverse("teams:crossplan_add"), {
        "round": round_.pk, "group_size": 5, "time_limit": 5, "need_finance": 1,
        "targets": [u.pk for u in units.values()]})
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = round_.cross_plan
    assert client.get(reverse("teams:crossplan_edit", args=[plan.pk])).status_code == 200
    assert client.post(reverse("teams:crossplan_solve", args=[plan.pk])).status_code == 302
    body = client.get(reverse("teams:crossplan_detail", args=[plan.pk])).content.decode()
    assert 'id="cross-table"' in body and "echarts.min.js" in body and "cross-graph" in body
    assert "统一部署" in body and "统一成果运用" in body
    pair = CrossPair.objects.filter(plan=plan, target_county=world.county_a).get()
    office_a = login(world.users["office_a"])
    assert "推荐联络员" in office_a.get(reverse("teams:crossplan_list")).content.decode()
    assert office_a.get(reverse("teams:crosspair_liaison", args=[pair.pk])).status_code == 200
    response = office_a.post(reverse("teams:crosspair_liaison", args=[pair.pk]), {"cadre": "李桐溪"})
    assert "不存在或不在您的授权范围内" in response.content.decode()
    assert office_a.post(reverse("teams:crosspair_liaison", args=[pair.pk]), {"cadre": "张青阳"}).status_code == 302
    assert office_a.get(reverse("teams:crossplan_detail", args=[plan.pk])).status_code == 404  # the city's plan
    client = login(world.users["city_office"])
    for other in CrossPair.objects.filter(plan=plan).exclude(pk=pair.pk):
        liaison = person(f"{other.target_county.name}联络员", units[other.target_county_id])
        client.post(reverse("teams:crosspair_liaison", args=[other.pk]), {"cadre": f"#{liaison.pk}"})
    item = CrossChecklistItem.objects.filter(plan=plan).first()
    assert client.get(reverse("teams:crosschecklistitem_edit", args=[item.pk])).status_code == 200
    response = client.post(reverse("teams:crosschecklistitem_edit", args=[item.pk]),
                           {"content": "12月1日召开部署会", "done": "on"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.done and item.done_on is not None
    assert client.post(reverse("teams:crossplan_confirm", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == c.CrossStatus.CONFIRMED
    assert GroupMember.objects.filter(round=round_).count() == 3 * 5
    api = client.get(reverse("api:crossplan-pairs", args=[plan.pk])).json()
    assert len(api) == 3 and all(p["group"] for p in api)
    assert client.get(reverse("api:crossplan-detail", args=[plan.pk])).json()["status"] == "confirmed"


@pytest.mark.django_db
def test_cross_api_solve_and_scope(world, login, cross_setup):
    _, units, round_ = cross_setup
    plan = crossplan_create(actor=world.users["city_office"], round=round_, data={"group_size": 5, "needs": {}})
    client = login(world.users["city_office"])
    response = client.post(reverse("api:crossplan-solve", args=[plan.pk]))
    assert response.status_code == 200 and response.json()["status"] == "solved", response.json()["reasons"]
    assert len(response.json()["pairs"]) == 3
    assert client.get(reverse("api:crossplan-list")).json()["count"] == 1
    county = login(world.users["office_a"])
    assert county.get(reverse("api:crossplan-detail", args=[plan.pk])).status_code == 404
    assert county.post(reverse("api:crossplan-solve", args=[plan.pk])).status_code == 404
    for name in ("teams:crossplan_edit", "teams:crossplan_detail"):
        assert county.get(reverse(name, args=[plan.pk])).status_code == 404
    assert county.post(reverse("teams:crossplan_confirm", args=[plan.pk])).status_code == 404


@pytest.mark.django_db
def test_quota_check_notice_and_chart(world, login):
    StaffingQuota.objects.create(region=world.county_a, year=2026, office_name="青阳县委巡察办", approved_posts=12,
                                 filled_posts=9)
    StaffingQuota.objects.create(region=world.county_b, year=2026, office_name="桐溪县委巡察办", approved_posts=10,
                                 filled_posts=10)
    office = world.users["city_office"]
    check = quotacheck_create(actor=office, data={"authority": world.city, "year": 2026, "title": "2026年编制检查",
                                                  "checked_on": datetime.date(2026, 10, 9)})
    items = list(check.items.order_by("region__path"))
    assert [(i.region.name, i.conclusion, i.shortfall) for i in items] == [("青阳县", "short", 3), ("桐溪县", "met", 0)]
    client = login(office)
    assert client.get(reverse("teams:quotacheck_detail", args=[check.pk])).status_code == 200
    assert client.post(reverse("teams:quotacheck_fill", args=[check.pk])).status_code == 302
    assert client.get(reverse("teams:quotacheckitem_edit", args=[items[0].pk])).status_code == 200
    response = client.post(reverse("teams:quotacheckitem_edit", args=[items[0].pk]), {
        "approved_posts": 12, "filled_posts": 9, "conclusion": "short", "finding": "缺编 3 名，长期借调 2 名"})
    assert response.status_code == 302
    assert client.post(reverse("teams:quotacheck_publish", args=[check.pk])).status_code == 302
    assert QuotaCheck.objects.get(pk=check.pk).status == "published"
    notice = client.get(reverse("teams:quotacheck_notice", args=[check.pk]))
    xml = zipfile.ZipFile(io.BytesIO(notice.content)).read("word/document.xml").decode()
    assert "巡察机构编制" in xml and "缺编 3 名，长期借调 2 名" in xml and "中共江城市委巡察工作领导小组办公室" in xml
    assert "2026年10月9日" in xml
    chart = client.get(reverse("teams:quota_chart"), {"year": 2026}).content.decode()
    assert "quota-chart" in chart and "合计缺编 <strong>3</strong>" in chart
    county = login(world.users["office_a"])
    assert "合计缺编 <strong>3</strong>" in county.get(reverse("teams:quota_chart")).content.decode()
    assert "桐溪县委巡察办" not in county.get(reverse("teams:quota_chart")).content.decode()
    for name, pk in (("teams:quotacheck_notice", check.pk), ("teams:quotacheckitem_edit", items[0].pk)):
        assert county.get(reverse(name, args=[pk])).status_code == 404
    for name in ("teams:quotacheck_fill", "teams:quotacheck_publish"):
        assert county.post(reverse(name, args=[check.pk])).status_code == 404


@pytest.mark.django_db
def test_training_attendance_and_hours(world, login):
    session = TrainingSession.objects.create(authority=world.county_a, title="进驻前培训", held_on=datetime.date(2026, 12, 1),
                                             hours=4)
    other = person("张青阳", world.unit_b)  # a namesake outside county A: the name stays unique in A's scope
    client = login(world.users["office_a"])
    assert client.get(reverse("teams:training_attendance", args=[session.pk])).status_code == 200
    response = client.post(reverse("teams:training_attendance", args=[session.pk]), {"add_people": "张青阳、无此人"})
    assert response.status_code == 200 and "人员“无此人”不存在或不在您的授权范围内" in response.content.decode()
    response = client.post(reverse("teams:training_attendance", args=[session.pk]), {"add_people": "张青阳"})
    assert response.status_code == 302
    row = TrainingAttendance.objects.get()
    assert row.cadre == world.cadre_a and row.hours == 4 and other.pk != row.cadre_id
    response = client.post(reverse("teams:training_attendance", args=[session.pk]), {
        "cadre_ids": [f"#{world.cadre_a.pk}"], f"attended_{world.cadre_a.pk}": "on", f"hours_{world.cadre_a.pk}": "2.5"})
    assert response.status_code == 302
    body = client.get(reverse("teams:training_hours")).content.decode()
    assert "张青阳" in body and "2.5" in body
    assert "张青阳" not in login(world.users["office_b"]).get(reverse("teams:training_hours")).content.decode()
    assert login(world.users["office_b"]).get(reverse("teams:training_attendance", args=[session.pk])).status_code == 404
