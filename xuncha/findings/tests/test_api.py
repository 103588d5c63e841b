"""The findings API: problems (scoped, written through the page forms and services, with their
transitions), clues (read-only, secret, scoped) and transfers."""

import pytest
from django.urls import reverse

from xuncha.core.testing.resources import covers
from xuncha.findings.models import Problem

from .factories import SECRET_CONTENT, D, clue, confirmed, draft, transfer

pytestmark = pytest.mark.django_db

covers("api:problem-list", "api:problem-detail", "api:problem-transition", "api:problem-transitions",
       "api:clue-list", "api:clue-detail", "api:cluetransfer-list", "api:cluetransfer-detail")


def _body(fw, **overrides):
    data = {"inspection": fw.inspection.pk, "unit": fw.world.unit_a.pk, "kind": "integrity", "severity": "grave",
            "title": "接受管理服务对象宴请", "description": "2025年多次接受宴请。", "responsible_cadres": [fw.world.cadre_a.pk]}
    data.update(overrides)
    return data


def test_member_creates_and_submits_the_leader_confirms_through_the_api(fw, login):
    client = login(fw.member)
    response = client.post(reverse("api:problem-list"), _body(fw), content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    pk = response.json()["id"]
    assert response.json()["status"] == "draft" and response.json()["responsible_cadres"] == [fw.world.cadre_a.pk]
    response = client.patch(reverse("api:problem-detail", args=[pk]), {"title": "多次接受宴请"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["title"] == "多次接受宴请"
    url = reverse("api:problem-transition", args=[pk])
    assert client.post(url, {"step": "submit"}, content_type="application/json").json()["status"] == "submitted"
    response = client.post(url, {"step": "review"}, content_type="application/json")
    assert response.status_code == 403 and "审核通过" in response.json()["detail"]
    leader = login(fw.leader)
    options = leader.get(reverse("api:problem-transitions", args=[pk])).json()
    assert {o["step"] for o in options["available"]} == {"review", "send_back"}
    assert leader.post(url, {"step": "review"}, content_type="application/json").status_code == 200
    response = leader.post(url, {"step": "confirm"}, content_type="application/json")
    assert response.status_code == 400 and "确认的会议" in response.content.decode()
    response = leader.post(url, {"step": "confirm", "meeting": "组务会", "meeting_date": "2026-11-20"},
                           content_type="application/json")
    assert response.json()["status"] == "confirmed"
    assert leader.delete(reverse("api:problem-detail", args=[pk])).status_code == 400
    log = leader.get(reverse("api:problem-transitions", args=[pk])).json()["log"]
    assert [row["to_status"] for row in log] == ["submitted", "reviewed", "confirmed"]


def test_api_input_errors_are_chinese_and_change_nothing(fw, login):
    client = login(fw.member)
    response = client.post(reverse("api:problem-list"), _body(fw, unit=fw.world.unit_b.pk, title=""),
                           content_type="application/json")
    assert response.status_code == 400 and "unit" in response.json() and "title" in response.json()
    response = client.post(reverse("api:problem-list"), _body(fw, inspection=fw.inspection_b.pk),
                           content_type="application/json")
    assert response.status_code == 400 and "不在您的授权范围内" in response.json()["inspection"][0]
    assert not Problem.all_objects.exists()


def test_problem_api_scope_and_filters(fw, login):
    mine = confirmed(fw, kind="conduct")
    open_draft = draft(fw)
    theirs = draft(fw, fw.leader_b, inspection=fw.inspection_b, unit=fw.world.unit_b, responsible_cadres=[])
    client = login(fw.office)
    ids = {row["id"] for row in client.get(reverse("api:problem-list")).json()["results"]}
    assert ids == {mine.pk, open_draft.pk}
    ids = {row["id"] for row in client.get(reverse("api:problem-list"), {"status": "confirmed"}).json()["results"]}
    assert ids == {mine.pk}
    assert client.get(reverse("api:problem-detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("api:problem-transition", args=[theirs.pk]), {"step": "submit"},
                       content_type="application/json").status_code == 404
    leader = login(fw.world.users["leader_a"])
    ids = {row["id"] for row in leader.get(reverse("api:problem-list")).json()["results"]}
    assert ids == {mine.pk}
    assert leader.post(reverse("api:problem-list"), _body(fw), content_type="application/json").status_code == 403
    # the unit's liaison sees problems only once the feedback of its unit is issued (rectification's rule)
    response = login(fw.world.users["liaison_a"]).get(reverse("api:problem-list"))
    assert response.status_code == 403 or response.json()["results"] == []


def test_clue_api_is_read_only_and_scoped(fw, login):
    item = clue(fw)
    moved = transfer(fw, [item], day=D(2026, 6, 1))
    client = login(fw.office)
    rows = client.get(reverse("api:clue-list")).json()["results"]
    assert [r["number"] for r in rows] == [item.number] and rows[0]["content"] == SECRET_CONTENT
    assert rows[0]["persons"][0]["name"] and rows[0]["due_date"] == "2026-09-01"
    assert client.post(reverse("api:clue-list"), {}).status_code == 405
    assert client.delete(reverse("api:clue-detail", args=[item.pk])).status_code == 405
    transfers = client.get(reverse("api:cluetransfer-list")).json()["results"]
    assert transfers[0]["number"] == moved.number and transfers[0]["overdue"] is True
    assert "content" not in transfers[0]
    assert client.get(reverse("api:cluetransfer-detail", args=[moved.pk])).json()["waiting"] == 1
    other = login(fw.world.users["office_b"])
    assert other.get(reverse("api:clue-list")).json()["results"] == []
    assert other.get(reverse("api:cluetransfer-detail", args=[moved.pk])).status_code == 404
    assert login(fw.world.users["leader_a"]).get(reverse("api:clue-list")).status_code == 403
