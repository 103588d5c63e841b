"""Pools with their entry/exit history (一人一表一档), evaluations after a round, the system's
proposals and the office's decisions."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xuncha.core.testing.resources import covers
from xuncha.teams import choices as c
from xuncha.teams.models import Evaluation, PoolEntry, PoolEvent
from xuncha.teams.services import (
    evaluation_decide,
    evaluation_save,
    pool_entry_create,
    pool_entry_exit,
    pool_entry_readmit,
    pool_entry_suspend,
)

from .factories import make_group, make_round, member, person, pool

covers("teams:pool_status", "teams:person_detail", "teams:person_word", "teams:evaluation_rounds",
       "teams:round_evaluations", "teams:groupmember_evaluate", "teams:evaluation_decide", "api:evaluation-list",
       "api:evaluation-detail", "api:pool-change-status")

D = datetime.date


@pytest.mark.django_db
def test_entry_and_exit_history(world):
    office = world.users["office_a"]
    entry = pool_entry_create(actor=office, data={
        "authority": world.county_a, "kind": "talent", "cadre": world.cadre_a, "entry_date": D(2025, 3, 1),
        "source": "org_recommend", "entry_reason": "组织部推荐，熟悉财务"})
    with pytest.raises(ValidationError) as error:
        pool_entry_create(actor=office, data={
            "authority": world.county_a, "kind": "talent", "cadre": world.cadre_a, "entry_date": D(2025, 3, 2),
            "source": "self", "entry_reason": "重复"})
    assert "已在青阳县人才库中（在库）" in error.value.message_dict["cadre"][0]
    pool_entry_suspend(actor=office, entry=entry, reason="借调省里半年", date=D(2025, 9, 1))
    pool_entry_exit(actor=office, entry=entry, reason="调离巡察系统", date=D(2026, 1, 10))
    with pytest.raises(ValidationError):
        pool_entry_suspend(actor=office, entry=PoolEntry.objects.get(pk=entry.pk), reason="x")
    pool_entry_readmit(actor=office, entry=PoolEntry.objects.get(pk=entry.pk), reason="重新推荐", date=D(2026, 5, 1))
    entry.refresh_from_db()
    assert entry.status == c.EntryStatus.ACTIVE and entry.entry_date == D(2026, 5, 1) and entry.exit_reason == ""
    assert list(PoolEvent.objects.filter(entry=entry).values_list("action", "reason")) == [
        ("admit", "组织部推荐，熟悉财务"), ("suspend", "借调省里半年"), ("exit", "调离巡察系统"), ("readmit", "重新推荐")]


@pytest.mark.django_db
def test_pool_status_page_and_person_file(world, login):
    entry = pool(world.cadre_a, world.county_a, skills=["finance"])
    client = login(world.users["office_a"])
    assert client.get(reverse("teams:pool_detail", args=[entry.pk])).status_code == 200
    response = client.post(reverse("teams:pool_status", args=[entry.pk]),
                           {"action": "exit", "date": "2026-12-01", "reason": "考核不称职"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == c.EntryStatus.EXITED and entry.exit_reason == "考核不称职"
    body = client.get(reverse("teams:person_detail", args=[world.cadre_a.pk])).content.decode()
    assert "考核不称职" in body and "一人一表一档" in body
    word = client.get(reverse("teams:person_word", args=[world.cadre_a.pk]))
    xml = zipfile.ZipFile(io.BytesIO(word.content)).read("word/document.xml").decode()
    assert "巡察人才库人员登记表" in xml and "考核不称职" in xml
    # out of scope: county B's office, and a cadre in no pool or group of the user
    other = login(world.users["office_b"])
    assert other.get(reverse("teams:person_detail", args=[world.cadre_a.pk])).status_code == 404
    assert other.get(reverse("teams:person_word", args=[world.cadre_a.pk])).status_code == 404
    assert other.post(reverse("teams:pool_status", args=[entry.pk]), {}).status_code == 404
    assert client.get(reverse("teams:person_detail", args=[world.cadre_b.pk])).status_code == 404


@pytest.mark.django_db
def test_pool_status_through_the_api(world, login):
    entry = pool(world.cadre_a, world.county_a)
    client = login(world.users["office_a"])
    response = client.post(reverse("api:pool-change-status", args=[entry.pk]),
                           {"action": "suspend", "date": "2026-12-01", "reason": "病休"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "suspended"
    response = client.post(reverse("api:pool-change-status", args=[entry.pk]),
                           {"action": "suspend", "date": "2026-12-01", "reason": "再次"}, content_type="application/json")
    assert response.status_code == 400
    assert login(world.users["office_b"]).post(reverse("api:pool-change-status", args=[entry.pk]), {
        "action": "exit", "date": "2026-12-01", "reason": "x"}, content_type="application/json").status_code == 404


@pytest.fixture
def finished_round(world):
    round_ = make_round(world.county_a, start=D(2026, 3, 1))
    group = make_group(round_, 1, targets=[world.unit_b])
    leader_cadre = person("组长甲", world.unit_a, post="局长")
    pool(leader_cadre, world.county_a, c.PoolKind.LEADER)
    newcomer = person("新人乙", world.unit_a)
    weak = person("弱者丙", world.unit_a)
    pool(weak, world.county_a)
    deputy = person("副组长丁", world.unit_a)
    pool(deputy, world.county_a)
    return round_, {
        "leader": member(group, leader_cadre, c.MemberRole.LEADER),
        "newcomer": member(group, newcomer),
        "weak": member(group, weak),
        "deputy": member(group, deputy, c.MemberRole.DEPUTY),
    }


@pytest.mark.django_db
def test_proposals_follow_the_grades(world, finished_round):
    _, m = finished_round
    office = world.users["office_a"]
    assert evaluation_save(actor=office, member=m["newcomer"], grade="excellent").proposal == c.Proposal.ADMIT_TALENT
    assert evaluation_save(actor=office, member=m["deputy"], grade="excellent").proposal == c.Proposal.ADMIT_LEADER
    assert evaluation_save(actor=office, member=m["leader"], grade="excellent").proposal == c.Proposal.NONE
    with pytest.raises(ValidationError) as error:
        evaluation_save(actor=office, member=m["weak"], grade="incompetent")
    assert "comments" in error.value.message_dict
    weak = evaluation_save(actor=office, member=m["weak"], grade="incompetent", comments="多次违反工作纪律")
    assert weak.proposal == c.Proposal.REMOVE and weak.decision == c.Decision.PENDING


@pytest.mark.django_db
def test_the_office_decides(world, finished_round):
    round_, m = finished_round
    office = world.users["office_a"]
    admit = evaluation_save(actor=office, member=m["newcomer"], grade="excellent", comments="发现问题线索多")
    remove = evaluation_save(actor=office, member=m["weak"], grade="incompetent", comments="多次违反工作纪律")
    evaluation_decide(actor=office, evaluation=admit, accept=True)
    entry = PoolEntry.objects.get(cadre=m["newcomer"].cadre)
    assert entry.kind == c.PoolKind.TALENT and entry.source == "evaluation"
    assert entry.entry_reason == f"{round_}考核优秀（第一巡察组）"
    assert entry.events.get().evaluation == admit
    with pytest.raises(ValidationError):
        evaluation_decide(actor=office, evaluation=Evaluation.objects.get(pk=admit.pk), accept=True)
    with pytest.raises(ValidationError) as error:
        evaluation_decide(actor=office, evaluation=remove, accept=False)
    assert "note" in error.value.message_dict
    evaluation_decide(actor=office, evaluation=remove, accept=True)
    weak_entry = PoolEntry.objects.get(cadre=m["weak"].cadre)
    assert weak_entry.status == c.EntryStatus.EXITED and "考核不称职" in weak_entry.exit_reason


@pytest.mark.django_db
def test_evaluation_pages_and_scope(world, login, finished_round):
    round_, m = finished_round
    client = login(world.users["office_a"])
    assert client.get(reverse("teams:evaluation_rounds")).status_code == 200
    response = client.post(reverse("teams:groupmember_evaluate", args=[m["newcomer"].pk]),
                           {"grade": "excellent", "comments": "表现突出", "evaluated_on": "2026-06-01"})
    assert response.status_code == 302
    body = client.get(reverse("teams:round_evaluations", args=[round_.pk])).content.decode()
    assert "建议纳入人才库" in body and "表现突出" in body
    response = client.post(reverse("teams:groupmember_evaluate", args=[m["weak"].pk]),
                           {"grade": "basic", "comments": "", "evaluated_on": "2026-06-01"})
    assert response.status_code == 200 and "「考核评语」" in response.content.decode()
    evaluation = Evaluation.objects.get(member=m["newcomer"])
    other = login(world.users["office_b"])
    assert other.get(reverse("teams:round_evaluations", args=[round_.pk])).status_code == 404
    assert other.get(reverse("teams:groupmember_evaluate", args=[m["weak"].pk])).status_code == 404
    assert other.post(reverse("teams:evaluation_decide", args=[evaluation.pk]), {"accept": "1"}).status_code == 404
    assert other.get(reverse("api:evaluation-detail", args=[evaluation.pk])).status_code == 404
    client = login(world.users["office_a"])
    assert client.post(reverse("teams:evaluation_decide", args=[evaluation.pk]), {"accept": "1"}).status_code == 302
    assert PoolEntry.objects.filter(cadre=m["newcomer"].cadre, status="active").exists()
    assert client.get(reverse("api:evaluation-list")).json()["count"] == 1  # the refused one was not saved
