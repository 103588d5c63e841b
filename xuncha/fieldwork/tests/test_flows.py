"""The work of a group: the hub, talk plans, petition handling, document requests, attachments,
scopes between groups and counties, counting helpers and the risk inputs fed to planning."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuncha.core.models import ChangeLog
from xuncha.core.testing.resources import covers
from xuncha.fieldwork import selectors, services
from xuncha.fieldwork.models import DocumentRequest, Petition, Talk
from xuncha.planning.models import UnitRiskInput

from . import factories as f

covers("fieldwork:inspection_index", "fieldwork:inspection_hub", "fieldwork:petition_handle",
       "fieldwork:documentrequest_item",
       *(f"fieldwork:{n}_{v}" for n in ("hearingreport", "talk", "petition", "documentrequest", "meetingattendance",
                                        "visit") for v in ("file", "file_remove")))


@pytest.mark.django_db
class TestHub:
    def test_tabs_counts_and_talk_plan(self, world, login):
        fw = f.setup(world)
        f.make_talk(world, world.county_a, 1)
        f.make_talk(world, world.county_a, 2, status="done", talked_at=datetime.datetime(2026, 3, 9, 9, 30,
                                                                                         tzinfo=datetime.UTC))
        f.make_talk(world, world.county_a, 3, category="principal")
        f.make_petition(world, world.county_a, 1)
        f.make_visit(world, world.county_a, 1)
        f.make_talk(world, world.county_b, 9)
        client = login(fw.a_member)
        response = client.get(reverse("fieldwork:inspection_hub", args=[fw.a.pk]), {"tab": "talk"})
        assert response.status_code == 200
        tabs = {t["key"]: t["count"] for t in response.context["tabs"]}
        assert tabs == {"hearingreport": 0, "talk": 3, "petition": 1, "documentrequest": 0, "meetingattendance": 0,
                        "visit": 1}
        plan = {row["category"]: (row["total"], row["done"], row["percent"]) for row in response.context["talk_plan"]}
        assert plan == {"middle": (2, 1, 50), "principal": (1, 0, 0)}
        body = response.content.decode()
        assert "谈话计划进度" in body and "青阳谈话对象1" in body and "桐溪谈话对象9" not in body
        assert selectors.method_counts(fw.a) == {"听取汇报": 0, "个别谈话": 1, "信访举报": 1, "调阅资料": 0,
                                                 "列席会议": 0, "走访下沉": 1}

    @pytest.mark.parametrize("who, status", [
        ("zuzhang_b", 404), ("office_b", 404), ("liaison_a", 403), ("auditor", 403), ("sysadmin", 403),
        ("leader_a", 200), ("office_a", 200), ("city_office", 200), ("zuyuan_a", 200),
    ])
    def test_hub_scope(self, world, login, who, status):
        fw = f.setup(world)
        user = {"zuzhang_b": fw.b_leader, "zuyuan_a": fw.a_member}.get(who) or world.users[who]
        client = login(user)
        assert client.get(reverse("fieldwork:inspection_hub", args=[fw.a.pk])).status_code == status
        index = client.get(reverse("fieldwork:inspection_index"))
        if status == 200:
            assert f'href="{reverse("fieldwork:inspection_hub", args=[fw.a.pk])}"' in index.content.decode()
        elif status == 404:
            assert f'href="{reverse("fieldwork:inspection_hub", args=[fw.a.pk])}"' not in index.content.decode()
        else:
            assert index.status_code == 403

    def test_a_county_office_does_not_read_the_city_s_fieldwork(self, world, login):
        fw = f.setup(world)
        from xuncha.planning.tests.factories import started

        _, city_inspection = started(fw.pw.city, [fw.pw.city.units[1]], stage="stationed")
        client = login(world.users["office_a"])
        assert client.get(reverse("fieldwork:inspection_hub", args=[city_inspection.pk])).status_code == 404

    def test_hub_and_index_query_counts_are_constant(self, world, login):
        fw = f.setup(world)
        client = login(fw.a_leader)
        f.make_talk(world, world.county_a, 19)
        f.make_petition(world, world.county_a, 19)
        url = reverse("fieldwork:inspection_hub", args=[fw.a.pk])
        client.get(url, {"tab": "talk"})
        client.get(reverse("fieldwork:inspection_index"))
        with CaptureQueriesContext(connection) as few:
            client.get(url, {"tab": "talk"})
        with CaptureQueriesContext(connection) as few_index:
            client.get(reverse("fieldwork:inspection_index"))
        for i in range(15):
            f.make_talk(world, world.county_a, 20 + i, category=("middle", "staff", "retired")[i % 3])
            f.make_petition(world, world.county_a, 20 + i)
        with CaptureQueriesContext(connection) as many:
            client.get(url, {"tab": "talk"})
        with CaptureQueriesContext(connection) as many_index:
            client.get(reverse("fieldwork:inspection_index"))
        assert len(many.captured_queries) == len(few.captured_queries)
        assert len(many_index.captured_queries) == len(few_index.captured_queries)


@pytest.mark.django_db
class TestGroupScopes:
    def test_group_a_never_reaches_group_b(self, world, login):
        fw = f.setup(world)
        theirs = {"talk": f.make_talk(world, world.county_b, 1), "petition": f.make_petition(world, world.county_b, 1),
                  "visit": f.make_visit(world, world.county_b, 1)}
        client = login(fw.a_member)
        for name, obj in theirs.items():
            assert client.get(reverse(f"fieldwork:{name}_detail", args=[obj.pk])).status_code == 404
            assert client.get(reverse(f"fieldwork:{name}_file", args=[obj.pk]), {"f": 1}).status_code == 404
        assert client.get(reverse("api:talk-detail", args=[theirs["talk"].pk])).status_code == 404
        ids = {row["id"] for row in client.get(reverse("api:petition-list")).json()["results"]}
        assert theirs["petition"].pk not in ids

    def test_member_creates_in_own_group_only(self, world, login):
        fw = f.setup(world)
        client = login(fw.a_member)
        data = {"category": "staff", "status": "planned", "planned_date": "2026-03-20", "interviewee_name": "周某"}
        response = client.post(reverse("fieldwork:talk_add"), {**data, "inspection": fw.b.pk})
        assert response.status_code == 200 and "有误" in response.content.decode()
        response = client.post(reverse("fieldwork:talk_add"), {**data, "inspection": fw.a.pk,
                                                                "talkers": [fw.a_member.pk, fw.a_leader.pk]})
        assert response.status_code == 302, response.content.decode()[:2000]
        talk = Talk.objects.get(interviewee_name="周某")
        assert talk.inspection == fw.a and set(talk.talkers.all()) == {fw.a_member, fw.a_leader}
        # A member has no delete and no handling.
        assert client.post(reverse("fieldwork:talk_delete", args=[talk.pk])).status_code == 403

    def test_hub_prefills_the_inspection(self, world, login):
        fw = f.setup(world)
        client = login(fw.a_member)
        body = client.get(reverse("fieldwork:visit_add"), {"inspection": fw.a.pk}).content.decode()
        assert f'<option value="{fw.a.pk}" selected' in body

    def test_unit_must_be_a_target_of_the_inspection(self, world, login):
        fw = f.setup(world)
        client = login(world.users["office_a"])
        from xuncha.core.testing.world import make_unit
        from xuncha.planning.tests.factories import started

        # A unit no inspection targets is not even offered; a target of another inspection is refused.
        response = client.post(reverse("fieldwork:visit_add"), {
            "inspection": fw.a.pk, "level": "visit", "visit_date": "2026-03-15", "place": "水利站",
            "unit": make_unit("青阳县水利局", world.county_a).pk})
        assert "选择一个有效的选项" in response.content.decode()
        other = fw.pw.a.units[2]
        started(fw.pw.a, [other], number=2, stage="stationed")
        response = client.post(reverse("fieldwork:visit_add"), {
            "inspection": fw.a.pk, "level": "visit", "visit_date": "2026-03-15", "place": "水利站", "unit": other.pk})
        assert response.status_code == 200
        assert "不是本次巡察的对象" in response.content.decode()

    def test_talk_rules(self, world):
        fw = f.setup(world)
        base = {"inspection": fw.a, "category": "staff", "status": "done", "interviewee_name": "吴某"}
        with pytest.raises(ValidationError) as error:
            services.talk_create(actor=fw.a_member, data=base)
        assert "谈话时间" in str(error.value) and "谈话内容" in str(error.value)
        with pytest.raises(ValidationError) as error:
            services.talk_create(actor=fw.a_member, data={**base, "status": "planned", "interviewee_name": ""})
        assert "谈话对象" in str(error.value) and "计划日期" in str(error.value)
        talk = services.talk_create(actor=fw.a_member, data={**base, "status": "planned",
                                                             "planned_date": datetime.date(2026, 3, 20)})
        talk = services.talk_record(actor=fw.a_member, talk=talk, place="谈话室",
                                    talked_at=datetime.datetime(2026, 3, 20, 15, 0, tzinfo=datetime.UTC),
                                    content="谈了单位党组织建设情况。")
        assert talk.status == "done"

    def test_archived_inspection_takes_no_new_records(self, world):
        fw = f.setup(world)
        talk = f.make_talk(world, world.county_a, 1)
        # Reporting's conditions guard the later steps; the stage itself is what this test needs.
        type(fw.a).objects.filter(pk=fw.a.pk).update(stage="archived")
        fw.a.refresh_from_db()
        with pytest.raises(ValidationError) as error:
            services.visit_create(actor=world.users["office_a"], data={
                "inspection": fw.a, "level": "visit", "visit_date": datetime.date(2026, 3, 1), "place": "某地"})
        assert "已归档" in str(error.value)
        with pytest.raises(ValidationError):
            services.talk_update(actor=world.users["office_a"], instance=talk, data={"place": "改"})


@pytest.mark.django_db
class TestPetitionHandling:
    def test_leader_handles_member_cannot(self, world, login):
        fw = f.setup(world)
        petition = f.make_petition(world, world.county_a, 1)
        url = reverse("fieldwork:petition_handle", args=[petition.pk])
        assert login(fw.a_member).post(url, {"status": "kept", "opinion": "留存备查"}).status_code == 403
        client = login(fw.a_leader)
        response = client.post(url, {"status": "referred", "opinion": ""})
        assert response.status_code == 302
        petition.refresh_from_db()
        assert petition.status == "pending"  # refused: an opinion is needed
        client.post(url, {"status": "referred", "opinion": "转被巡察单位党组办理，限期报告结果。"})
        petition.refresh_from_db()
        assert petition.status == "referred" and petition.handled_by == fw.a_leader
        assert login(fw.b_leader).post(url, {"status": "closed", "opinion": "了结"}).status_code == 404
        detail = login(fw.a_member).get(reverse("fieldwork:petition_detail", args=[petition.pk])).content.decode()
        assert "转被巡察单位党组办理" in detail and "保存办理情况" not in detail

    def test_mark_clue_and_no_delete_after(self, world):
        fw = f.setup(world)
        petition = f.make_petition(world, world.county_a, 1)
        services.petition_mark_clue(actor=fw.a_leader, petition=petition)
        petition.refresh_from_db()
        assert petition.status == "clue"
        with pytest.raises(ValidationError):
            services.petition_delete(actor=fw.a_leader, instance=petition)
        with pytest.raises(PermissionDenied):
            services.petition_mark_clue(actor=fw.a_member, petition=petition)

    def test_receipt_numbers_are_unique_and_not_a_counter(self, world):
        numbers = {services.new_receipt_no(datetime.date(2026, 3, 5)) for _ in range(200)}
        assert len(numbers) == 200
        assert all(n.startswith("XF20260305-") and len(n) == 17 for n in numbers)

    def test_risk_inputs_refresh(self, world):
        f.setup(world)
        for i in range(3):
            f.make_petition(world, world.county_a, i)
        f.make_petition(world, world.county_b, 1)
        f.make_petition(world, world.county_a, 9, subject_unit=None)
        assert services.risk_inputs_refresh(year=2026) == 2
        row = UnitRiskInput.objects.get(unit=world.unit_a, year=2026, source="fieldwork")
        assert row.petition_count == 3 and row.region == world.county_a
        assert services.risk_inputs_refresh(year=2026) == 0  # nothing changed
        f.make_petition(world, world.county_a, 5)
        assert services.risk_inputs_refresh(year=2026) == 1
        row.refresh_from_db()
        assert row.petition_count == 4
        assert ChangeLog.objects.filter(content_type__model="unitriskinput", action="update").count() == 1


@pytest.mark.django_db
class TestRequestsAndAttachments:
    def test_items_and_status(self, world, login):
        fw = f.setup(world)
        client = login(fw.a_member)
        response = client.post(reverse("fieldwork:documentrequest_add"), {
            "inspection": fw.a.pk, "title": "财务资料", "requested_date": "2026-03-03", "due_date": "2026-03-06",
            "status": "requested", "items_text": "2024年会计凭证\n2025年会计凭证\n\n三重一大事项台账"})
        assert response.status_code == 302, response.content.decode()[:2000]
        req = DocumentRequest.objects.get(title="财务资料")
        items = list(req.items.all())
        assert [i.name for i in items] == ["2024年会计凭证", "2025年会计凭证", "三重一大事项台账"]
        url = reverse("fieldwork:documentrequest_item", args=[req.pk])
        client.post(url, {"item": items[0].pk})
        req.refresh_from_db()
        assert req.status == "partial"
        for item in items[1:]:
            client.post(url, {"item": item.pk})
        req.refresh_from_db()
        assert req.status == "received" and req.received_date is not None
        history = client.get(reverse("fieldwork:documentrequest_history", args=[req.pk])).content.decode()
        assert "三重一大事项台账（已提供）" in history
        other = f.make_request(world, world.county_b, 1)
        assert client.post(reverse("fieldwork:documentrequest_item", args=[other.pk]),
                           {"item": other.items.first().pk}).status_code == 404
        response = client.post(reverse("fieldwork:documentrequest_add"), {
            "inspection": fw.a.pk, "title": "日期倒挂", "requested_date": "2026-03-06", "due_date": "2026-03-03",
            "status": "requested"})
        assert "不能早于「提出日期」" in response.content.decode()

    def test_upload_download_remove(self, world, login):
        fw = f.setup(world)
        client = login(fw.a_member)
        files = [SimpleUploadedFile("谈话记录.txt", "谈话记录正文".encode()),
                 SimpleUploadedFile("补充材料.txt", b"supplement")]
        response = client.post(reverse("fieldwork:talk_add"), {
            "inspection": fw.a.pk, "category": "staff", "status": "done", "interviewee_name": "郑某",
            "talked_at": "2026-03-09T10:00", "place": "谈话室一", "content": "", "files": files})
        assert response.status_code == 302, response.content.decode()[:2000]
        talk = Talk.objects.get(interviewee_name="郑某")
        stored = list(talk.attachments.order_by("original_name"))
        assert len(stored) == 2
        detail = client.get(reverse("fieldwork:talk_detail", args=[talk.pk])).content.decode()
        assert "谈话记录.txt" in detail
        download = client.get(reverse("fieldwork:talk_file", args=[talk.pk]), {"f": stored[1].pk})
        assert download.status_code == 200 and download.content == "谈话记录正文".encode()
        assert client.get(reverse("fieldwork:talk_file", args=[talk.pk]), {"f": 999999}).status_code == 404
        assert login(fw.b_leader).get(reverse("fieldwork:talk_file", args=[talk.pk]),
                                      {"f": stored[1].pk}).status_code == 404
        client = login(fw.a_member)
        client.post(reverse("fieldwork:talk_file_remove", args=[talk.pk]), {"f": stored[0].pk})
        assert talk.attachments.count() == 1
        assert ChangeLog.objects.filter(object_id=str(talk.pk), content_type__model="talk",
                                        action="update").exists()

    def test_petition_attachment_route_logs_no_parameters(self, world, login):
        fw = f.setup(world)
        petition = f.make_petition(world, world.county_a, 1)
        from xuncha.core.files import store_bytes

        stored = store_bytes(b"scan", name="举报信扫描件.pdf")
        petition.attachments.add(stored)
        client = login(fw.a_member)
        assert client.get(reverse("fieldwork:petition_file", args=[petition.pk]), {"f": stored.pk}).status_code == 200
        from xuncha.core.models import OperationLog

        # A download is not a logged read today (core's list of logged GET verbs); if it becomes one,
        # it must keep neither the petition's id nor the file's.
        for row in OperationLog.objects.filter(path__contains="/petitions/"):
            assert f"/{petition.pk}/" not in row.path and row.params == {"参数": "［保密内容，不予记录］"}


@pytest.mark.django_db
def test_petition_list_is_not_a_leak_for_the_liaison(world, login):
    f.setup(world)
    petition = f.make_petition(world, world.county_a, 1)
    client = login(world.users["liaison_a"])
    assert client.get(reverse("fieldwork:petition_list")).status_code == 403
    assert client.get(reverse("fieldwork:petition_detail", args=[petition.pk])).status_code == 403
    assert client.get(reverse("api:petition-list")).status_code == 403
    assert Petition.objects.for_user(world.users["liaison_a"], "view").count() == 0
