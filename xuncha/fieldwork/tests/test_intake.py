"""Public petition intake (QR code page and API): the code, the stage, validation, the rate limit,
the answer that echoes nothing, and the operation log that keeps nothing."""

import pytest
from django.test import override_settings
from django.urls import reverse

from xuncha.core.models import ChangeLog, OperationLog
from xuncha.core.testing.resources import covers
from xuncha.fieldwork import services
from xuncha.fieldwork.models import IntakeChannel, Petition, PetitionReporter
from xuncha.planning.tests.factories import advance

from . import factories as f

covers("fieldwork:inspection_intake", "fieldwork:inspection_intake_qr")

INTAKE = "/api/petitions/intake/"
NAME, PHONE = "上官晓雯", "13687654321"
CONTENT = "反映青阳县教育局某负责人在校舍维修工程中指定施工单位、收受好处的问题。"


@pytest.fixture
def channel(world):
    fw = f.setup(world)
    return services.intake_channel_ensure(actor=fw.a_leader, inspection=fw.a)


def _post(client, intake, **extra):
    data = {"code": intake.code, "content": CONTENT, "category": "integrity", "subject_persons": "某副局长",
            "name": NAME, "phone": PHONE, "wants_feedback": True, **extra}
    return client.post(INTAKE, data, content_type="application/json")


@pytest.mark.django_db
class TestIntakeApi:
    def test_accepts_and_answers_only_a_receipt(self, world, client, channel):
        response = _post(client, channel, subject_unit=str(world.unit_a.pk))
        assert response.status_code == 201, response.content.decode()
        data = response.json()
        assert set(data) == {"receipt_no", "message"}
        body = response.content.decode()
        for echoed in (NAME, PHONE, CONTENT[:10], "某副局长"):
            assert echoed not in body
        petition = Petition.objects.get(receipt_no=data["receipt_no"])
        assert petition.via_intake and petition.channel == "online" and petition.inspection == channel.inspection
        assert petition.subject_unit == world.unit_a and petition.status == "pending"
        reporter = PetitionReporter.objects.get(petition=petition)
        assert reporter.name == NAME and reporter.phone == PHONE and reporter.wants_feedback
        assert "受理编号" in data["message"]
        history = ChangeLog.objects.get(content_type__model="petitionreporter", object_id=str(reporter.pk))
        assert history.after["name"] == "［保密］" and NAME not in repr(history.after)

    def test_anonymous_without_identity_stores_no_reporter_row_of_names(self, world, client, channel):
        response = _post(client, channel, name="", phone="", anonymous=True, wants_feedback=False)
        assert response.status_code == 201
        petition = Petition.objects.get(receipt_no=response.json()["receipt_no"])
        assert PetitionReporter.objects.get(petition=petition).anonymous is True
        response = _post(client, channel, name="", phone="", anonymous=False, wants_feedback=False)
        assert response.status_code == 400
        assert "实名举报请填写姓名" in response.json()["name"][0]

    @pytest.mark.parametrize("extra, field, words", [
        ({"content": "太短"}, "content", "反映内容过短"),
        ({"content": ""}, "content", "请填写反映内容"),
        ({"phone": "1234"}, "phone", "联系电话"),
        ({"id_card": "110101199003071235"}, "id_card", "校验位"),
        ({"category": "bogus"}, "category", "问题类别"),
        ({"channel": "letter"}, "channel", "来源渠道"),
        ({"subject_unit": "999999"}, "subject_unit", "被巡察单位"),
        ({"anonymous": "maybe"}, "anonymous", "只能填写 true 或 false"),
        ({"reporter_secret": "x"}, "non_field_errors", "无法识别的字段"),
        ({"content": "很" * 5001}, "content", "最多 5000 个字"),
    ])
    def test_bad_input_gets_a_chinese_error_and_changes_nothing(self, world, client, channel, extra, field, words):
        before = Petition.all_objects.count()
        response = _post(client, channel, **extra)
        assert response.status_code == 400, response.content.decode()
        errors = response.json()
        assert words in "".join(errors[field]), errors
        assert Petition.all_objects.count() == before
        assert NAME not in response.content.decode()

    def test_another_county_unit_is_refused(self, world, client, channel):
        response = _post(client, channel, subject_unit=str(world.unit_b.pk))
        assert response.status_code == 400
        assert "被巡察单位" in response.json()["subject_unit"][0]

    def test_unknown_suspended_or_closed_code_is_refused_the_same_way(self, world, client, channel):
        fw = f.setup(world)
        assert _post(client, channel, code="x" * 32).status_code == 403
        services.intake_channel_set_active(actor=fw.a_leader, channel=channel, active=False)
        response = _post(client, channel)
        assert response.status_code == 403 and "不在受理" in response.json()["detail"]
        services.intake_channel_set_active(actor=fw.a_leader, channel=channel, active=True)
        assert _post(client, channel).status_code == 201
        advance(fw.a, world.users["office_a"], "report")
        response = _post(client, channel)
        assert response.status_code == 403
        assert Petition.objects.filter(via_intake=True).count() == 1

    def test_prepare_stage_refuses(self, world, client):
        fw = f.setup(world)
        from xuncha.planning.tests.factories import started

        _, prepared = started(fw.pw.a, [fw.pw.a.units[2]], number=2, stage="prepare")
        channel = services.intake_channel_ensure(actor=world.users["office_a"], inspection=prepared)
        assert _post(client, channel).status_code == 403

    @override_settings(FIELDWORK_INTAKE_RATE="3/hour")
    def test_rate_limit_per_ip(self, world, client, channel):
        codes = [_post(client, channel).status_code for _ in range(4)]
        assert codes == [201, 201, 201, 429]
        assert Petition.objects.filter(via_intake=True).count() == 3
        other = client.post(INTAKE, {"code": channel.code, "content": CONTENT, "name": NAME},
                            content_type="application/json", REMOTE_ADDR="10.1.2.3")
        assert other.status_code == 201
        # X-Forwarded-For is not believed: a client cannot pick a fresh address for each post.
        forged = client.post(INTAKE, {"code": channel.code, "content": CONTENT, "name": NAME},
                             content_type="application/json", HTTP_X_FORWARDED_FOR="10.9.9.9")
        assert forged.status_code == 429

    def test_get_is_not_allowed_and_needs_no_login(self, world, client, channel):
        assert client.get(INTAKE).status_code == 405

    def test_the_operation_log_keeps_nothing_of_the_post(self, world, client, channel):
        assert _post(client, channel).status_code == 201
        row = OperationLog.objects.order_by("-seq").first()
        assert row.method == "POST" and row.path.startswith("/api/petitions/intake")
        text = repr(row.params) + row.path
        assert NAME not in text and PHONE not in text and channel.code not in text and "校舍" not in text


@pytest.mark.django_db
class TestIntakePage:
    def test_public_page_posts_a_petition(self, world, client, channel):
        url = reverse("fieldwork:intake", args=[channel.code])
        page = client.get(url)
        assert page.status_code == 200
        body = page.content.decode()
        assert "反映问题" in body and world.unit_a.name in body
        response = client.post(url, {"content": CONTENT, "category": "integrity", "name": NAME, "phone": PHONE,
                                     "subject_unit": str(world.unit_a.pk)})
        assert response.status_code == 200
        body = response.content.decode()
        petition = Petition.objects.get(via_intake=True)
        assert petition.receipt_no in body and petition.channel == "qrcode"
        assert NAME not in body and PHONE not in body and "校舍" not in body
        row = OperationLog.objects.order_by("-seq").first()
        assert channel.code not in row.path and NAME not in repr(row.params)

    def test_public_page_errors_in_chinese(self, world, client, channel):
        url = reverse("fieldwork:intake", args=[channel.code])
        response = client.post(url, {"content": "短", "category": "", "phone": "abc"})
        assert response.status_code == 400
        body = response.content.decode()
        assert "「问题类别」" in body and "反映内容过短" in body and "联系电话" in body
        assert not Petition.objects.exists()

    def test_unknown_code_and_closed_stage_answer_403(self, world, client, channel):
        fw = f.setup(world)
        assert client.get(reverse("fieldwork:intake", args=["nonexistent"])).status_code == 403
        advance(fw.a, world.users["office_a"], "report")
        response = client.get(reverse("fieldwork:intake", args=[channel.code]))
        assert response.status_code == 403 and "不在受理" in response.content.decode()

    @override_settings(FIELDWORK_INTAKE_RATE="2/hour")
    def test_public_page_is_rate_limited(self, world, client, channel):
        url = reverse("fieldwork:intake", args=[channel.code])
        data = {"content": CONTENT, "category": "other", "anonymous": "on"}
        assert [client.post(url, data).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
class TestIntakeChannelPage:
    def test_leader_makes_the_code_and_the_qr_code(self, world, login):
        fw = f.setup(world)
        client = login(fw.a_leader)
        url = reverse("fieldwork:inspection_intake", args=[fw.a.pk])
        assert "生成受理码" in client.get(url).content.decode()
        assert client.post(url, {"op": "create"}).status_code == 302
        channel = IntakeChannel.objects.get(inspection=fw.a)
        body = client.get(url).content.decode()
        assert "<svg" in body and channel.code in body
        qr = client.get(reverse("fieldwork:inspection_intake_qr", args=[fw.a.pk]))
        assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
        old = channel.code
        client.post(url, {"op": "renew"})
        channel.refresh_from_db()
        assert channel.code != old and services.intake_channel_open(old) is None
        client.post(url, {"op": "suspend"})
        channel.refresh_from_db()
        assert not channel.is_active
        client.post(url, {"op": "resume"})
        channel.refresh_from_db()
        assert channel.is_active
        history = ChangeLog.objects.filter(content_type__model="intakechannel")
        assert all(channel.code not in repr(h.after) and old not in repr(h.before) for h in history)

    def test_scopes(self, world, login):
        fw = f.setup(world)
        services.intake_channel_ensure(actor=fw.a_leader, inspection=fw.a)
        for user, expected in ((fw.a_member, 200), (fw.b_leader, 404), (world.users["office_b"], 404),
                               (world.users["leader_a"], 403), (world.users["liaison_a"], 403),
                               (world.users["auditor"], 403)):
            client = login(user)
            assert client.get(reverse("fieldwork:inspection_intake", args=[fw.a.pk])).status_code == expected, user
            qr = client.get(reverse("fieldwork:inspection_intake_qr", args=[fw.a.pk])).status_code
            assert qr == expected, user
        client = login(fw.a_member)
        assert client.post(reverse("fieldwork:inspection_intake", args=[fw.a.pk]), {"op": "renew"}).status_code == 302
        assert IntakeChannel.objects.get(inspection=fw.a).is_active  # a member may not manage: nothing changed
