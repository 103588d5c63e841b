"""The reporter's identity is the most protected data: no page, export, API route, search, filter,
history or log shows it to anyone but the group leader of the petition's group and the office."""

import io
import zipfile

import pytest
from django.urls import reverse

from xuncha.core.models import ChangeLog, OperationLog
from xuncha.core.testing.resources import covers
from xuncha.fieldwork import services
from xuncha.fieldwork.models import PetitionReporter
from xuncha.org.validators import id_card_check_digit

from . import factories as f

covers("fieldwork:petitionreporter_detail", "api:petition-reporter")

NAME = "欧阳明珠"
PHONE = "13912345678"
ID17 = "11010119850512063"
ID_CARD = ID17 + id_card_check_digit(ID17)
ADDRESS = "青阳县幸福路八号院"
NOTE = "其妻在该局财务科工作"
SECRETS = (NAME, PHONE, ID_CARD, ADDRESS, NOTE, "139****5678", ID_CARD[-6:])
REPORTER = {"anonymous": False, "name": NAME, "phone": PHONE, "id_card": ID_CARD, "address": ADDRESS,
            "identity": "本单位职工", "relationship": "同事", "wants_feedback": True, "notes": NOTE}
OUTSIDERS = ("zuyuan_a", "leader_a", "liaison_a", "office_b", "auditor", "zuzhang_b")


def _user(world, fw, name):
    return {"zuyuan_a": fw.a_member, "zuzhang_a": fw.a_leader, "zuzhang_b": fw.b_leader}.get(name) or world.users[name]


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                           if n.endswith(".xml"))
    return response.content.decode("utf-8", "replace")


def _without_echo(url: str, text: str) -> str:
    """A probe's own query is echoed by the search box and the sort links: look at the results only."""
    if "?" not in url or not any(p in url for p in (NAME, PHONE)):
        return text
    if 'id="result-table"' in text:
        start = text.index('id="result-table"')
        text = text[start: text.index("</table>", start)]
        return text.split("</thead>", 1)[-1]
    if "log-table" in text:
        start = text.index("log-table")
        return text[start: text.index("</table>", start)]
    return text


def _assert_clean(text: str, where) -> None:
    for secret in SECRETS:
        assert secret not in text, (where, secret)


@pytest.fixture
def petition(world):
    fw = f.setup(world)
    petition = f.make_petition(world, world.county_a, 1)
    services.reporter_save(actor=fw.a_leader, petition=petition, data=REPORTER)
    # A second change, so that the history has an update of every identity field.
    services.reporter_save(actor=world.users["office_a"], petition=petition,
                           data={**REPORTER, "address": ADDRESS + "二单元"})
    return petition


def _urls(petition):
    pk = petition.pk
    return [
        reverse("fieldwork:petition_list"),
        reverse("fieldwork:petition_list") + f"?q={NAME}",
        reverse("fieldwork:petition_list") + f"?q={PHONE}",
        reverse("fieldwork:petition_list") + f"?name={NAME}&phone={PHONE}&reporter__name={NAME}",
        reverse("fieldwork:petition_list") + f"?inspection={petition.inspection_id}&status=pending",
        reverse("fieldwork:petition_detail", args=[pk]),
        reverse("fieldwork:petition_history", args=[pk]),
        reverse("fieldwork:petition_export"),
        reverse("fieldwork:petition_export") + f"?q={NAME}",
        reverse("fieldwork:petition_edit", args=[pk]),
        reverse("fieldwork:inspection_hub", args=[petition.inspection_id]) + "?tab=petition",
        reverse("fieldwork:inspection_index"),
        reverse("fieldwork:petitionreporter_detail", args=[pk]),
        reverse("api:petition-list"),
        reverse("api:petition-list") + f"?search={NAME}",
        reverse("api:petition-detail", args=[pk]),
        reverse("api:petition-reporter", args=[pk]),
        reverse("core:operationlog_list"),
        reverse("core:operationlog_list") + f"?q={NAME}",
    ]


@pytest.mark.django_db
class TestReporterProtection:
    @pytest.mark.parametrize("who", OUTSIDERS)
    def test_nobody_else_sees_the_reporter_anywhere(self, world, login, petition, who):
        fw = f.setup(world)
        client = login(_user(world, fw, who))
        for url in _urls(petition):
            response = client.get(url)
            _assert_clean(_without_echo(url, _text(response)), (who, url, response.status_code))
        # The identity's own page and API route refuse them outright.
        assert client.get(reverse("fieldwork:petitionreporter_detail", args=[petition.pk])).status_code in (403, 404)
        assert client.get(reverse("api:petition-reporter", args=[petition.pk])).status_code in (403, 404)
        assert client.post(reverse("fieldwork:petitionreporter_detail", args=[petition.pk]),
                           {"name": "篡改"}).status_code in (403, 404)
        assert PetitionReporter.objects.get(petition=petition).name == NAME

    def test_the_group_member_sees_the_petition_but_not_the_reporter(self, world, login, petition):
        fw = f.setup(world)
        client = login(fw.a_member)
        body = client.get(reverse("fieldwork:petition_detail", args=[petition.pk])).content.decode()
        assert petition.receipt_no in body and petition.subject_persons in body
        assert "查看举报人信息" not in body
        listed = client.get(reverse("fieldwork:petition_list"), {"q": petition.subject_persons}).content.decode()
        assert petition.receipt_no in listed
        # Searching for the reporter's name or phone finds nothing: the search cannot probe identities.
        for probe in (NAME, PHONE, NAME[:2]):
            body = client.get(reverse("fieldwork:petition_list"), {"q": probe}).content.decode()
            assert petition.receipt_no not in body, probe
        api = client.get(reverse("api:petition-detail", args=[petition.pk])).json()
        assert api["receipt_no"] == petition.receipt_no
        assert not {"reporter", "name", "phone", "id_card", "anonymous"} & set(api)

    @pytest.mark.parametrize("who", ["zuzhang_a", "office_a", "city_office"])
    def test_group_leader_and_office_see_it_on_its_own_page(self, world, login, petition, who):
        fw = f.setup(world)
        client = login(_user(world, fw, who))
        detail = client.get(reverse("fieldwork:petition_detail", args=[petition.pk])).content.decode()
        assert "查看举报人信息" in detail
        _assert_clean(detail, who)  # even for them, the petition's own page does not show it
        response = client.get(reverse("fieldwork:petitionreporter_detail", args=[petition.pk]))
        assert response.status_code == 200
        body = response.content.decode()
        assert NAME in body and PHONE in body and ID_CARD in body
        assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
        api = client.get(reverse("api:petition-reporter", args=[petition.pk])).json()
        assert api["name"] == NAME and api["phone"] == PHONE
        # Exports never carry reporter columns, not even for the office.
        export = client.get(reverse("fieldwork:petition_export"))
        if export.status_code == 200:
            _assert_clean(_text(export), who)
            assert "举报人" not in _text(export)

    def test_the_change_log_keeps_that_it_changed_never_the_values(self, world, login, petition):
        rows = ChangeLog.objects.filter(content_type__model="petitionreporter")
        assert rows.count() == 2
        for row in rows:
            _assert_clean(repr(row.before) + repr(row.after) + row.object_repr, row.pk)
        update = rows.get(action="update")
        assert update.before["address"] == "［保密］" and update.after["address"] == "［保密］"
        assert str(petition) == petition.receipt_no

    def test_the_operation_log_never_keeps_what_was_posted(self, world, login, petition):
        fw = f.setup(world)
        client = login(fw.a_leader)
        response = client.post(reverse("fieldwork:petitionreporter_detail", args=[petition.pk]),
                               {**REPORTER, "anonymous": "", "wants_feedback": "on", "notes": NOTE + "，另附电话"})
        assert response.status_code == 302
        client.get(reverse("fieldwork:petitionreporter_detail", args=[petition.pk]))
        client.get(reverse("api:petition-reporter", args=[petition.pk]))
        # Opening the identity is itself recorded (who, when), without what was seen.
        opened = OperationLog.objects.filter(method="GET", path="/fieldwork/petitions/<int:pk>/reporter/",
                                             username=fw.a_leader.username)
        assert opened.count() == 1 and opened.get().params == {"参数": "［保密内容，不予记录］"}
        client.post(reverse("fieldwork:petition_edit", args=[petition.pk]), {
            "channel": "letter", "received_date": "2026-03-05", "category": "integrity",
            "subject_persons": petition.subject_persons, "content": f"反映内容，署名{NAME}，电话{PHONE}"})
        rows = list(OperationLog.objects.all())
        assert any("举报" in r.module for r in rows)
        for row in rows:
            _assert_clean(repr(row.params) + row.path, (row.module, row.action))
        # The petition's receipt number in a path is not kept either (the route pattern is).
        assert not any(petition.receipt_no in row.path for row in rows)
        auditor = login(world.users["auditor"])
        _assert_clean(auditor.get(reverse("core:operationlog_list")).content.decode(), "auditor")

    def test_a_member_cannot_register_a_reporter(self, world, login, petition):
        fw = f.setup(world)
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            services.reporter_save(actor=fw.a_member, petition=petition, data=REPORTER)
        from xuncha.core.services import ScopeViolation

        with pytest.raises(ScopeViolation):
            services.reporter_save(actor=fw.b_leader, petition=petition, data=REPORTER)

    def test_reporter_input_is_validated_in_chinese(self, world, login, petition):
        fw = f.setup(world)
        client = login(fw.a_leader)
        response = client.post(reverse("fieldwork:petitionreporter_detail", args=[petition.pk]), {
            "name": "张三", "phone": "12345", "id_card": "110101199003071235", "wants_feedback": "on"})
        assert response.status_code == 200
        body = response.content.decode()
        assert "身份证号校验位不正确" in body and "联系电话" in body
        assert PetitionReporter.objects.get(petition=petition).name == NAME
        response = client.post(reverse("fieldwork:petitionreporter_detail", args=[petition.pk]),
                               {"anonymous": "on", "name": "李四"})
        assert "匿名举报不应填写姓名" in response.content.decode()
