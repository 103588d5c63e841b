"""Groups and members: the composition rules, recusal on every add (with the reason on the field),
the composition page (constant queries) and the scopes of pages and API."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuncha.core.models import ChangeLog
from xuncha.core.testing.resources import covers
from xuncha.teams import choices as c
from xuncha.teams.models import GroupMember
from xuncha.teams.services import inspection_group_create, member_add, member_update

from .factories import group_user, make_group, make_round, member, person, pool

covers("teams:round_list", "teams:round_groups", "teams:round_group_add", "teams:inspectiongroup_detail",
       "teams:inspectiongroup_profile", "teams:inspectiongroup_member_add", "teams:groupmember_edit",
       "teams:groupmember_delete", "api:groupmember-list", "api:groupmember-detail")


@pytest.fixture
def county_round(world):
    round_ = make_round(world.county_a)
    group = make_group(round_, 1, targets=[world.unit_a])
    return round_, group


def _people(world, n, *, unit=None, leader_first=True, county=None):
    county = county or world.county_a
    people = []
    for i in range(n):
        cadre = person(f"组员{i}", unit or world.unit_b, skills=[("finance", "audit", "discipline")[i % 3]])
        pool(cadre, county, c.PoolKind.LEADER if leader_first and i == 0 else c.PoolKind.TALENT)
        people.append(cadre)
    return people


@pytest.mark.django_db
def test_member_add_checks_composition(world, county_round):
    _, group = county_round
    office = world.users["office_a"]
    people = _people(world, 8)
    member_add(actor=office, group=group, cadre=people[0], role=c.MemberRole.LEADER, is_party_secretary=True)
    with pytest.raises(ValidationError) as error:
        member_add(actor=office, group=group, cadre=people[1], role=c.MemberRole.LEADER)
    assert error.value.message_dict["role"] == ["第一巡察组已有组长组员0。"]
    with pytest.raises(ValidationError) as error:
        member_add(actor=office, group=group, cadre=people[1], is_party_secretary=True)
    assert "临时党组织书记已由组员0担任" in error.value.message_dict["is_party_secretary"][0]
    for cadre in people[1:7]:
        member_add(actor=office, group=group, cadre=cadre, is_conduct_supervisor=cadre == people[1])
    with pytest.raises(ValidationError) as error:
        member_add(actor=office, group=group, cadre=people[7])
    assert error.value.messages == ["巡察组人数应为 5—7 人：第一巡察组已有 7 人。"]
    assert GroupMember.objects.filter(group=group).count() == 7
    assert ChangeLog.objects.filter(content_type__model="groupmember", action="create").count() == 7


@pytest.mark.django_db
def test_leader_must_come_from_the_leader_pool(world, county_round):
    _, group = county_round
    outsider = person("库外人员", world.unit_b)
    talent = _people(world, 1, leader_first=False)[0]
    for cadre in (outsider, talent):
        with pytest.raises(ValidationError) as error:
            member_add(actor=world.users["office_a"], group=group, cadre=cadre, role=c.MemberRole.LEADER)
        assert error.value.message_dict["role"][0].startswith("组长须从组长库中选配")


@pytest.mark.django_db
def test_recusal_blocks_the_assignment_with_its_reason(world, county_round):
    _, group = county_round
    cadre = person("回避人员", world.unit_b, family=[("spouse", "林某某", world.unit_a, "教师")])
    pool(cadre, world.county_a)
    with pytest.raises(ValidationError) as error:
        member_add(actor=world.users["office_a"], group=group, cadre=cadre)
    assert error.value.message_dict["cadre"] == [
        "不能安排回避人员：回避青阳县教育局：配偶林某某在该单位任教师（家庭成员）"]


@pytest.mark.django_db
def test_one_group_per_round(world, county_round):
    round_, group = county_round
    other = make_group(round_, 2, targets=[])
    cadre = _people(world, 1, leader_first=False)[0]
    member_add(actor=world.users["office_a"], group=group, cadre=cadre)
    with pytest.raises(ValidationError) as error:
        member_add(actor=world.users["office_a"], group=other, cadre=cadre)
    assert "同一轮次每人只参加一个巡察组" in error.value.message_dict["cadre"][0]


@pytest.mark.django_db
def test_member_update_keeps_single_roles(world, county_round):
    _, group = county_round
    a, b = _people(world, 2)
    member_add(actor=world.users["office_a"], group=group, cadre=a, is_conduct_supervisor=True)
    m = member_add(actor=world.users["office_a"], group=group, cadre=b)
    with pytest.raises(ValidationError):
        member_update(actor=world.users["office_a"], instance=m, data={"role": "member", "is_conduct_supervisor": True})


@pytest.mark.django_db
def test_group_create_names_the_group_for_grants(world):
    round_ = make_round(world.county_a)
    group = inspection_group_create(actor=world.users["office_a"], round=round_)
    assert (group.number, group.name) == (1, "第一巡察组")
    assert group.full_name.startswith("青阳县") and group.full_name.endswith("·第一巡察组")
    with pytest.raises(ValidationError) as error:
        inspection_group_create(actor=world.users["office_a"], round=round_, name="第一巡察组")
    assert "name" in error.value.message_dict
    other = make_round(world.county_b)
    with pytest.raises(PermissionDenied):
        inspection_group_create(actor=world.users["office_a"], round=other, name="第一巡察组")


@pytest.mark.django_db
def test_pages_add_member_and_show_the_field_error(world, login, county_round):
    round_, group = county_round
    people = _people(world, 2)
    blocked = person("近亲属在对象单位", world.unit_b, family=[("parent", "父亲", world.unit_a, "")])
    pool(blocked, world.county_a)
    client = login(world.users["office_a"])
    assert client.get(reverse("teams:round_list")).status_code == 200
    response = client.post(reverse("teams:inspectiongroup_member_add", args=[group.pk]),
                           {"cadre": people[0].pk, "role": "leader", "is_party_secretary": "on"})
    assert response.status_code == 302
    response = client.post(reverse("teams:inspectiongroup_member_add", args=[group.pk]),
                           {"cadre": blocked.pk, "role": "member"})
    body = response.content.decode()
    assert response.status_code == 200 and "「人员（组长库、人才库在库人员）」" in body
    assert "父母父亲在该单位工作（家庭成员）" in body
    response = client.post(reverse("teams:inspectiongroup_profile", args=[group.pk]),
                           {"party_org_kind": "party_group", "party_org_established": "2026-12-01",
                            "mobilisation_date": "2026-12-10"})
    assert response.status_code == 302
    m = GroupMember.objects.get(cadre=people[0])
    assert client.get(reverse("teams:groupmember_edit", args=[m.pk])).status_code == 200
    response = client.post(reverse("teams:groupmember_edit", args=[m.pk]),
                           {"role": "leader", "is_party_secretary": "on", "duty": "全面负责"})
    assert response.status_code == 302
    assert client.get(reverse("teams:groupmember_delete", args=[m.pk])).status_code == 200
    assert client.post(reverse("teams:groupmember_delete", args=[m.pk])).status_code == 302
    assert not GroupMember.objects.filter(pk=m.pk).exists()
    response = client.post(reverse("teams:round_group_add", args=[round_.pk]), {"name": "第二巡察组"})
    assert response.status_code == 302
    assert client.get(reverse("teams:round_group_add", args=[round_.pk])).status_code == 405


@pytest.mark.django_db
def test_composition_page_has_constant_queries(world, login, county_round):
    round_, group = county_round
    client = login(world.users["office_a"])
    url = reverse("teams:round_groups", args=[round_.pk])
    client.get(url)
    for cadre in _people(world, 2):
        member(group, cadre)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    second = make_group(round_, 2, targets=[world.unit_a])
    for cadre in _people(world, 6, county=world.county_a)[0:6]:
        member(second, cadre)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_county_office_sees_only_its_groups(world, login, county_round):
    _, group_a = county_round
    round_b = make_round(world.county_b)
    group_b = make_group(round_b, 1)
    member(group_a, world.cadre_a)
    m_b = member(group_b, world.cadre_b)
    client = login(world.users["office_a"])
    body = client.get(reverse("teams:round_list")).content.decode()
    assert "青阳县" in body and "桐溪县" not in body
    for name, pk in (("teams:round_groups", round_b.pk), ("teams:inspectiongroup_detail", group_b.pk),
                     ("teams:groupmember_edit", m_b.pk), ("teams:groupmember_delete", m_b.pk),
                     ("teams:groupmember_pledge_word", m_b.pk)):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert client.post(reverse("teams:inspectiongroup_member_add", args=[group_b.pk]), {}).status_code == 404
    ids = {row["id"] for row in client.get(reverse("api:groupmember-list")).json()["results"]}
    assert m_b.pk not in ids and len(ids) == 1
    assert client.get(reverse("api:groupmember-detail", args=[m_b.pk])).status_code == 404
    assert client.delete(reverse("api:groupmember-detail", args=[m_b.pk])).status_code == 404


@pytest.mark.django_db
def test_group_grant_sees_its_own_group_only(world, login, county_round):
    round_, group = county_round
    other = make_group(round_, 2)
    member(group, world.cadre_a, role=c.MemberRole.LEADER)
    stranger = member(other, person("别组成员", world.unit_b))
    client = login(group_user("leader_of_one", "group_leader", group))
    assert client.get(reverse("teams:inspectiongroup_detail", args=[group.pk])).status_code == 200
    assert client.get(reverse("teams:inspectiongroup_detail", args=[other.pk])).status_code == 404
    body = client.get(reverse("teams:round_groups", args=[round_.pk])).content.decode()
    assert "张青阳" in body and "别组成员" not in body
    ids = {row["id"] for row in client.get(reverse("api:groupmember-list")).json()["results"]}
    assert stranger.pk not in ids and len(ids) == 1
    assert client.post(reverse("api:groupmember-list"), {"group": group.pk}).status_code == 403


@pytest.mark.django_db
def test_api_add_member_reports_recusal(world, login, county_round):
    _, group = county_round
    cadre = person("接口人员", world.unit_a)  # works in the target
    pool(cadre, world.county_a)
    ok = _people(world, 1, leader_first=False)[0]
    client = login(world.users["office_a"])
    response = client.post(reverse("api:groupmember-list"), {"group": group.pk, "cadre": cadre.pk, "role": "member"},
                           content_type="application/json")
    assert response.status_code == 400
    assert "回避青阳县教育局" in response.json()["cadre"][0]
    response = client.post(reverse("api:groupmember-list"), {"group": group.pk, "cadre": ok.pk, "role": "member"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    response = client.delete(reverse("api:groupmember-detail", args=[response.json()["id"]]))
    assert response.status_code == 204


@pytest.mark.django_db
def test_inspection_date_is_the_mobilisation_date(world, county_round):
    from xuncha.planning.models import Inspection
    from xuncha.teams.selectors import mobilisation_dates

    _, group = county_round
    Inspection.objects.filter(group=group).update(stationed_date=datetime.date(2026, 12, 12))
    assert mobilisation_dates([group]) == {group.pk: datetime.date(2026, 12, 12)}


def test_menu_entries_resolve_and_need_declared_permissions():
    from xuncha.core.menu import all_items
    from xuncha.core.permissions import PERMISSIONS

    items = [i for i in all_items() if i.url_name.startswith("teams:")]
    assert len(items) == 13
    for item in items:
        reverse(item.url_name)
        assert item.permission in PERMISSIONS, item.permission
