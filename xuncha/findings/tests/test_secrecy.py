"""Clues are the most protected data: nobody but the group leader (own group) and the office (own region)
reads them — not another member of the group, the leader (领导), the supervisor, the unit's liaison,
the other county's office or group, nor the three administrators — through any page, search, filter,
export, API route, history, the operation log, the change log or the application log."""

import json
import logging
import re

import pytest
from django.urls import reverse

from xuncha.core.models import ChangeLog, OperationLog
from xuncha.findings import services
from xuncha.findings.models import Clue

from .factories import SECRET_CONTENT, SECRET_PERSON, SECRET_SUMMARY, D, clue, confirmed, transfer

pytestmark = pytest.mark.django_db

SEARCH_FORM = re.compile(r'<form method="get"[^>]*role="search".*?</form>', re.S)
SECRETS = (SECRET_CONTENT, SECRET_PERSON, SECRET_SUMMARY, "谈话记录第3号", "已对其谈话提醒")


@pytest.fixture
def secret(fw, login):
    problem = confirmed(fw, title="公开的问题标题")
    item = clue(fw, fw.member2, problem=problem)
    transfer(fw, [item], day=D(2026, 8, 1))
    services.disposition_create(actor=fw.office, clue=item, data={"kind": "talk", "date": D(2026, 10, 1),
                                                                  "result": "已对其谈话提醒。"})
    services.reminders_create_due(today=D(2026, 10, 20))
    item.refresh_from_db()
    # The authorised readers use the pages (so that the logs have something to leak, if they would).
    office = login(fw.office)
    office.get(reverse("findings:clue_list"), {"q": SECRET_PERSON})
    office.get(reverse("findings:clue_detail", args=[item.pk]), {"q": SECRET_CONTENT})
    office.get(reverse("findings:clue_history", args=[item.pk]))
    office.post(reverse("findings:clue_dispose", args=[item.pk]), {"kind": "closed", "date": "2026-10-02",
                                                                    "result": f"{SECRET_PERSON}已了结"})
    office.get(reverse("api:clue-detail", args=[item.pk]))
    return item


def _snoopers(fw):
    users = fw.world.users
    return {"member": fw.member, "leader": users["leader_a"], "liaison": users["liaison_a"],
            "office_b": users["office_b"], "leader_b": fw.leader_b, "auditor": users["auditor"],
            "sysadmin": users["sysadmin"], "secadmin": users["secadmin"], "supervisor": fw.supervisor}


def _clean(text: str, who: str, where: str, number: str) -> None:
    for value in (*SECRETS, number) if number else SECRETS:
        assert value not in text, (who, where, value)


def test_nobody_else_sees_a_clue_through_pages_search_filters_exports_or_the_api(fw, login, secret):
    transfer_pk = secret.transfer_id
    pages = [
        ("findings:clue_list", [], {}), ("findings:clue_list", [], {"q": SECRET_PERSON}),
        ("findings:clue_list", [], {"status": "disposed"}),
        ("findings:inspection_clues", [fw.inspection.pk], {"q": SECRET_SUMMARY}),
        ("findings:clue_detail", [secret.pk], {}), ("findings:clue_history", [secret.pk], {}),
        ("findings:clue_file", [secret.pk], {"file": 1}), ("findings:clue_edit", [secret.pk], {}),
        ("findings:cluetransfer_list", [], {}), ("findings:cluetransfer_detail", [transfer_pk], {}),
        ("findings:cluetransfer_letter", [transfer_pk], {}), ("findings:cluereminder_list", [], {"all": "1"}),
        ("findings:problem_list", [], {"q": SECRET_PERSON}), ("findings:problem_list", [], {}),
        ("findings:problem_export", [], {}),
        ("findings:inspection_problems", [fw.inspection.pk], {"status": ""}),
        ("findings:inspection_problems_export", [fw.inspection.pk], {}),
        ("findings:problem_detail", [secret.problem_id], {}), ("findings:problem_history", [secret.problem_id], {}),
        ("planning:inspection_detail", [fw.inspection.pk], {}),
        ("api:clue-list", [], {}), ("api:clue-list", [], {"inspection": fw.inspection.pk}),
        ("api:clue-detail", [secret.pk], {}), ("api:cluetransfer-list", [], {}),
        ("api:cluetransfer-detail", [transfer_pk], {}), ("api:problem-list", [], {}),
        ("api:problem-detail", [secret.problem_id], {}), ("core:home", [], {}),
        ("core:operationlog_list", [], {}), ("core:operationlog_list", [], {"q": SECRET_PERSON}),
    ]
    for who, user in _snoopers(fw).items():
        client = login(user)
        for name, args, params in pages:
            response = client.get(reverse(name, args=args), params)
            body = b"".join(response) if response.streaming else response.content
            # The filter form echoes what the snooper typed; everything else must be clean.
            text = SEARCH_FORM.sub("", body.decode(errors="ignore"))
            if name.startswith(("findings:clue", "findings:inspection_clues", "api:clue")):
                assert response.status_code in (200, 403, 404), (who, name, response.status_code)
                if name in ("findings:clue_detail", "findings:clue_history", "findings:clue_file",
                            "findings:clue_edit", "findings:cluetransfer_detail", "findings:cluetransfer_letter",
                            "api:clue-detail", "api:cluetransfer-detail"):
                    assert response.status_code in (403, 404), (who, name)
            _clean(text, who, name, secret.number)


def test_the_author_sees_their_clue_but_not_its_transfer_and_disposition(fw, login, secret):
    client = login(fw.member2)
    text = client.get(reverse("findings:clue_detail", args=[secret.pk])).content.decode()
    assert SECRET_CONTENT in text and "已对其谈话提醒" not in text
    assert client.get(reverse("findings:cluetransfer_detail", args=[secret.transfer_id])).status_code == 403
    assert client.get(reverse("findings:clue_history", args=[secret.pk])).status_code == 403
    assert [c["number"] for c in client.get(reverse("api:clue-list")).json()["results"]] == [secret.number]


def test_the_group_leader_and_the_office_read_it(fw, login, secret):
    for user in (fw.leader, fw.office, fw.world.users["city_office"]):
        client = login(user)
        assert SECRET_CONTENT in client.get(reverse("findings:clue_detail", args=[secret.pk])).content.decode()
        assert client.get(reverse("api:clue-detail", args=[secret.pk])).json()["content"] == SECRET_CONTENT
        assert SECRET_PERSON in client.get(reverse("findings:clue_list"), {"q": SECRET_PERSON}).content.decode()


def test_no_log_holds_clue_data(fw, secret):
    for row in OperationLog.objects.all():
        text = json.dumps([row.path, row.params, row.module, row.action], ensure_ascii=False)
        _clean(text, "operationlog", row.path, "")
        if "clue" in row.path or "线索" in row.module:
            assert str(secret.pk) not in row.path.split("/"), row.path  # the route pattern, not the real path
    clue_logs = [r for r in OperationLog.objects.all() if r.path.startswith(("/findings/clues", "/api/clues"))]
    assert clue_logs and all("<int:pk>" in r.path or "(?P<pk>" in r.path or r.path.endswith(("clues/", "clues/$"))
                         for r in clue_logs)
    rows = ChangeLog.objects.all()
    assert rows.filter(content_type__model="clue").exists()
    assert rows.filter(content_type__model="cluedisposition").exists()
    for row in rows:
        text = json.dumps([row.object_repr, row.before, row.after], ensure_ascii=False)
        _clean(text, "changelog", row.object_repr, "")
    after = ChangeLog.objects.filter(content_type__model="clue", action="create").get().after
    assert after["content"] == after["summary"] == "［保密］" and after["persons"] == "1 人［保密］"


def test_str_of_protected_records_is_a_number_only(fw, secret):
    assert str(secret) == secret.number
    assert SECRET_PERSON not in str(secret.persons.get()) and str(secret.transfer) == secret.transfer.number
    disposition = secret.dispositions.first()
    assert "谈话" not in str(disposition) and "提醒" not in str(disposition)
    for reminder in secret.transfer.reminders.all():
        _clean(str(reminder), "reminder", "str", secret.number)


def test_application_log_holds_no_clue_data(fw, login, caplog):
    caplog.set_level(logging.DEBUG)
    item = clue(fw)
    transfer(fw, [item], day=D(2026, 6, 1))
    services.reminders_create_due(today=D(2026, 12, 1))
    login(fw.office).get(reverse("findings:clue_detail", args=[item.pk]))
    for record in caplog.records:
        _clean(record.getMessage(), "log", record.name, item.number)


def test_a_member_cannot_list_others_clues_even_by_guessing(fw, login):
    theirs = clue(fw, fw.member2)
    client = login(fw.member)
    assert client.get(reverse("api:clue-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("api:clue-list"), {"inspection": fw.inspection.pk}).json()["results"] == []
    assert Clue.objects.for_user(fw.member, "view").count() == 0
