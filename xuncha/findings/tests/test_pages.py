"""The findings pages as a user goes through them: writing, reviewing and confirming problems, the
problem list with its filters and Excel export, clues, their transfer with the Word letter,
dispositions and reminders; constant query counts on the lists."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.core.testing.resources import covers, result_rows
from xuncha.documents.reading import docx_text
from xuncha.findings.models import Clue, ClueDisposition, ClueReminder, ClueTransfer, Problem

from .factories import SECRET_CONTENT, SECRET_PERSON, D, clue, confirmed, draft, transfer

pytestmark = pytest.mark.django_db

covers(
    "findings:problem_list", "findings:problem_export", "findings:inspection_problems",
    "findings:inspection_problems_export", "findings:inspection_problem_add", "findings:problem_detail",
    "findings:problem_edit", "findings:problem_delete", "findings:problem_transition", "findings:problem_history",
    "findings:problem_file",
    "findings:clue_list", "findings:inspection_clues", "findings:inspection_clue_add",
    "findings:inspection_transfer_add", "findings:clue_detail", "findings:clue_edit", "findings:clue_delete",
    "findings:clue_history", "findings:clue_file", "findings:clue_dispose",
    "findings:cluetransfer_list", "findings:cluetransfer_detail", "findings:cluetransfer_letter",
    "findings:cluereminder_list", "findings:cluereminder_handle",
)


def _post_problem(client, fw, **overrides):
    data = {"unit": fw.world.unit_a.pk, "indicator": "", "kind": "governance", "severity": "serious",
            "title": "党组会议研究党风廉政建设不足", "description": "全年仅研究一次。", "evidence": "会议记录",
            "responsible_cadres": [fw.world.cadre_a.pk], "responsible_text": "办公室"}
    data.update(overrides)
    return client.post(reverse("findings:inspection_problem_add", args=[fw.inspection.pk]), data)


def test_member_writes_a_draft_with_evidence_and_the_leader_confirms_it_on_the_pages(fw, login):
    client = login(fw.member)
    page = client.get(reverse("findings:inspection_problems", args=[fw.inspection.pk])).content.decode()
    assert "撰写问题底稿" in page
    response = _post_problem(client, fw, upload=SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 minutes",
                                                                    content_type="application/pdf"))
    assert response.status_code == 302, response.content.decode()[:2000]
    problem = Problem.objects.get()
    assert problem.evidence_files.get().original_name == "会议记录.pdf"
    detail = client.get(reverse("findings:problem_detail", args=[problem.pk])).content.decode()
    assert "提交审核" in detail and "会议记录.pdf" in detail and "张青阳" in detail
    file_response = client.get(reverse("findings:problem_file", args=[problem.pk]), {
        "file": problem.evidence_files.get().pk})
    assert file_response.status_code == 200 and b"".join(file_response) == b"%PDF-1.4 minutes"
    assert client.get(reverse("findings:problem_file", args=[problem.pk]), {"file": 999999}).status_code == 404
    edit = client.get(reverse("findings:problem_edit", args=[problem.pk]))
    assert edit.status_code == 200 and "删除附件" in edit.content.decode()
    response = client.post(reverse("findings:problem_edit", args=[problem.pk]), {
        **_form(fw), "title": "党组研究党风廉政建设不足（修改）"})
    assert response.status_code == 302
    url = reverse("findings:problem_transition", args=[problem.pk])
    assert client.post(url, {"step": "submit"}).status_code == 302
    problem.refresh_from_db()
    assert problem.status == "submitted" and problem.title.endswith("（修改）")
    # a member cannot review: the page says why, nothing changes
    response = client.post(url, {"step": "review"}, follow=True)
    assert "权限" in response.content.decode() or response.status_code == 403
    problem.refresh_from_db()
    assert problem.status == "submitted"

    leader = login(fw.leader)
    detail = leader.get(reverse("findings:problem_detail", args=[problem.pk])).content.decode()
    assert "审核通过" in detail and "退回修改" in detail
    leader.post(url, {"step": "review", "opinion": "同意。"})
    response = leader.post(url, {"step": "confirm", "meeting": "", "meeting_date": ""}, follow=True)
    assert "请填写研究确认的会议" in response.content.decode()
    leader.post(url, {"step": "confirm", "meeting": "第一巡察组组务会", "meeting_date": "2026-11-20"})
    problem.refresh_from_db()
    assert problem.status == "confirmed"
    detail = leader.get(reverse("findings:problem_detail", args=[problem.pk])).content.decode()
    assert "内容只读" in detail and reverse("findings:problem_edit", args=[problem.pk]) not in detail
    response = leader.get(reverse("findings:problem_edit", args=[problem.pk]), follow=True)
    assert "已确认的问题为只读" in response.content.decode()
    history = leader.get(reverse("findings:problem_history", args=[problem.pk])).content.decode()
    assert "（修改）" in history and "已确认" in history


def _form(fw):
    return {"unit": fw.world.unit_a.pk, "indicator": "", "kind": "governance", "severity": "serious",
            "title": "标题", "description": "描述", "evidence": "", "responsible_cadres": [], "responsible_text": ""}


def test_bad_input_names_the_field_and_changes_nothing(fw, login):
    client = login(fw.member)
    response = _post_problem(client, fw, unit=fw.pw.a.units[2].pk, title="")
    body = response.content.decode()
    assert response.status_code == 200 and "「问题标题」" in body and "「被巡察单位」" in body
    assert not Problem.all_objects.exists()


def test_delete_a_draft(fw, login):
    problem = draft(fw)
    client = login(fw.member2)
    assert client.post(reverse("findings:problem_delete", args=[problem.pk]), follow=True).status_code == 200
    problem.refresh_from_db()
    assert not problem.is_deleted  # not the author
    client = login(fw.member)
    assert client.post(reverse("findings:problem_delete", args=[problem.pk])).status_code == 302
    assert Problem.all_objects.get(pk=problem.pk).is_deleted


def test_problem_list_filters_and_export(fw, login):
    from xuncha.indicators.models import Indicator

    item = Indicator.objects.filter(level=3).select_related("root").first()
    a = confirmed(fw, indicator=item, kind="conduct", title="公车私用问题")
    b = confirmed(fw, unit=fw.pw.a.units[1], kind="appointment", title="超职数配备干部")
    open_draft = draft(fw, title="尚在撰写的底稿")
    assert a.category == item.top
    client = login(fw.office)
    rows = result_rows(client.get(reverse("findings:problem_list")).content.decode())
    assert "公车私用问题" in rows and "超职数配备干部" in rows and "尚在撰写的底稿" not in rows  # 问题清单: confirmed
    url = reverse("findings:inspection_problems", args=[fw.inspection.pk])
    assert "尚在撰写的底稿" in result_rows(client.get(url).content.decode())
    for params, shown, hidden in (
            ({"unit": fw.pw.a.units[1].pk}, b, a), ({"kind": "conduct"}, a, b),
            ({"category": item.top.pk}, a, b), ({"status": "draft"}, open_draft, a), ({"q": "公车"}, a, b)):
        rows = result_rows(client.get(url, params).content.decode())
        assert shown.title in rows and hidden.title not in rows, params
    export = client.get(reverse("findings:inspection_problems_export", args=[fw.inspection.pk]), {"kind": "conduct"})
    assert export.status_code == 200
    cells = [row for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)]
    assert cells[1][0] == "序号" and any("公车私用问题" in str(r) for r in cells)
    assert not any("超职数配备干部" in str(r) for r in cells)
    export = client.get(reverse("findings:problem_export"))
    text = str(list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)))
    assert "超职数配备干部" in text and "尚在撰写的底稿" not in text
    # the leader reads the confirmed list only, never drafts on their way
    leader = login(fw.world.users["leader_a"])
    rows = result_rows(leader.get(url, {"status": ""}).content.decode())
    assert "公车私用问题" in rows and "尚在撰写的底稿" not in rows
    assert leader.get(reverse("findings:problem_detail", args=[open_draft.pk])).status_code == 404
    # the other county sees none of it
    other = login(fw.world.users["office_b"])
    assert other.get(url).status_code == 404
    assert "公车私用问题" not in other.get(reverse("findings:problem_list")).content.decode()
    assert "公车私用问题" not in other.get(reverse("findings:problem_export")).content.decode(errors="ignore")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_list_pages_run_a_constant_number_of_queries(fw, login):
    def add(n):
        for i in range(n):
            p = confirmed(fw, title=f"问题{i}", responsible_cadres=[fw.world.cadre_a])
            c = clue(fw, problem=p)
            transfer(fw, [c])
    client = login(fw.office)
    urls = [reverse("findings:problem_list"), reverse("findings:inspection_problems", args=[fw.inspection.pk]),
            reverse("findings:clue_list"), reverse("findings:inspection_clues", args=[fw.inspection.pk]),
            reverse("findings:cluetransfer_list"), reverse("findings:cluereminder_list"),
            reverse("api:problem-list"), reverse("api:clue-list"), reverse("api:cluetransfer-list")]
    add(2)
    from xuncha.findings.services import reminders_create_due
    reminders_create_due(today=D(2027, 3, 1))
    for url in urls:
        client.get(url)  # warm caches
    few = [_count(client, url) for url in urls]
    add(6)
    reminders_create_due(today=D(2027, 3, 1))
    assert ClueReminder.objects.count() == 8
    many = [_count(client, url) for url in urls]
    assert many == few


# --- Clues --------------------------------------------------------------------------------------------


def test_member_registers_a_clue_and_sees_only_their_own(fw, login):
    client = login(fw.member)
    page = client.get(reverse("findings:inspection_clues", args=[fw.inspection.pk])).content.decode()
    assert "登记线索" in page and "移交线索" not in page
    response = client.post(reverse("findings:inspection_clue_add", args=[fw.inspection.pk]), {
        "unit": fw.world.unit_a.pk, "summary": "违规发放津补贴", "content": "2025年违规发放加班费。",
        "evidence": "", "source": "documents", "source_note": "调阅财务凭证", "suggested_receiver": "discipline",
        "cadres": [fw.world.cadre_a.pk], "other_persons": "赵某某，财务股长，青阳县教育局\n孙某",
        "upload": SimpleUploadedFile("凭证.png", b"\x89PNG fake", content_type="image/png")})
    assert response.status_code == 302, response.content.decode()[:3000]
    mine = Clue.objects.get()
    assert mine.number.startswith("XS2026-") and str(mine) == mine.number
    assert [p.name for p in mine.persons.order_by("id")] == ["张青阳", "赵某某", "孙某"]
    assert mine.persons.get(name="赵某某").post == "财务股长"
    theirs = clue(fw, fw.member2)
    rows = result_rows(client.get(reverse("findings:clue_list")).content.decode())
    assert mine.number in rows and theirs.number not in rows
    assert client.get(reverse("findings:clue_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("findings:clue_file", args=[mine.pk]), {
        "file": mine.evidence_files.get().pk}).status_code == 200
    assert client.get(reverse("findings:clue_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("findings:clue_file", args=[theirs.pk]), {"file": 1}).status_code == 404
    assert client.get(reverse("findings:clue_history", args=[mine.pk])).status_code == 403
    assert client.get(reverse("findings:clue_edit", args=[mine.pk])).status_code == 403
    # the group leader sees both, edits and deletes a registered one
    leader = login(fw.leader)
    rows = result_rows(leader.get(reverse("findings:inspection_clues", args=[fw.inspection.pk])).content.decode())
    assert mine.number in rows and theirs.number in rows
    response = leader.post(reverse("findings:clue_edit", args=[theirs.pk]), {
        "unit": fw.world.unit_a.pk, "summary": "修改后的摘要", "content": "内容", "source": "talk",
        "suggested_receiver": "organisation", "other_persons": "钱某，副局长"})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.summary == "修改后的摘要" and [p.name for p in theirs.persons.all()] == ["钱某"]
    history = leader.get(reverse("findings:clue_history", args=[theirs.pk])).content.decode()
    assert "［保密］" in history and "修改后的摘要" not in history and "钱某" not in history
    response = leader.post(reverse("findings:clue_edit", args=[theirs.pk]), {
        "summary": "x", "content": "y", "source": "talk", "suggested_receiver": "discipline", "other_persons": ""})
    assert "请至少填写一名涉及人员" in response.content.decode()
    assert leader.post(reverse("findings:clue_delete", args=[theirs.pk])).status_code == 302
    assert Clue.all_objects.get(pk=theirs.pk).is_deleted


def test_office_transfers_clues_with_a_letter_records_dispositions_and_handles_reminders(fw, login):
    first, second = clue(fw), clue(fw, fw.member2, summary="插手工程项目")
    client = login(fw.office)
    page = client.get(reverse("findings:inspection_transfer_add", args=[fw.inspection.pk])).content.decode()
    assert first.number in page and "中共青阳县纪律检查委员会" in page
    response = client.post(reverse("findings:inspection_transfer_add", args=[fw.inspection.pk]), {
        "receiver_kind": "discipline", "receiver_name": "中共青阳县纪律检查委员会 青阳县监察委员会",
        "transfer_date": "2026-08-31", "secret_level": "机密", "remarks": "", "clues": [first.pk, second.pk]})
    assert response.status_code == 302, response.content.decode()[:3000]
    moved = ClueTransfer.objects.get()
    assert moved.due_date == D(2026, 11, 30) and moved.number == "青巡移〔2026〕1号"
    detail = client.get(reverse("findings:cluetransfer_detail", args=[moved.pk])).content.decode()
    assert "2026年11月30日" in detail and first.number in detail
    letter = client.get(reverse("findings:cluetransfer_letter", args=[moved.pk]))
    assert letter.status_code == 200 and letter["Cache-Control"] == "no-store"
    text = docx_text(b"".join(letter))
    assert "青巡移〔2026〕1号" in text and "插手工程项目" in text and SECRET_PERSON in text
    # again: nothing left to transfer, and a transferred clue cannot be edited or deleted
    response = client.post(reverse("findings:inspection_transfer_add", args=[fw.inspection.pk]), {
        "receiver_kind": "discipline", "receiver_name": "x", "transfer_date": "2026-09-01", "secret_level": "机密",
        "clues": [first.pk]})
    assert response.status_code == 200 and ClueTransfer.objects.count() == 1
    assert client.post(reverse("findings:clue_delete", args=[first.pk]), follow=True).status_code == 200
    assert not Clue.all_objects.get(pk=first.pk).is_deleted
    # dispositions: bad date refused, then recorded; the clue becomes disposed
    url = reverse("findings:clue_dispose", args=[first.pk])
    response = client.post(url, {"kind": "talk", "date": "2026-01-01", "result": "谈话提醒"}, follow=True)
    assert "处置日期不能早于移交日期" in response.content.decode()
    client.post(url, {"kind": "talk", "date": "2026-10-15", "result": "已对其谈话提醒。"})
    first.refresh_from_db()
    assert first.status == "disposed" and ClueDisposition.objects.count() == 1
    assert "已对其谈话提醒" in client.get(reverse("findings:clue_detail", args=[first.pk])).content.decode()
    # reminders: the other clue is overdue after 11-30
    from xuncha.findings.services import reminders_create_due
    assert reminders_create_due(today=D(2026, 12, 5)) == 1
    reminder = ClueReminder.objects.get()
    page = client.get(reverse("findings:cluereminder_list")).content.decode()
    assert "已逾期 5 天" in page and "尚有 1 条未反馈处置情况" in page
    assert client.post(reverse("findings:cluereminder_handle", args=[reminder.pk])).status_code == 302
    reminder.refresh_from_db()
    assert reminder.handled_by == fw.office
    lists = client.get(reverse("findings:cluetransfer_list")).content.decode()
    assert "青巡移〔2026〕1号" in lists
    # the leader of the group reads them; a member does not
    assert login(fw.leader).get(reverse("findings:cluetransfer_detail", args=[moved.pk])).status_code == 200
    assert login(fw.member).get(reverse("findings:cluetransfer_detail", args=[moved.pk])).status_code == 403


def test_panels_on_the_inspection_page(fw, login):
    draft(fw)
    clue(fw)
    clue(fw, fw.member2)
    page = login(fw.member).get(reverse("planning:inspection_detail", args=[fw.inspection.pk])).content.decode()
    assert "问题底稿与问题清单" in page and reverse("findings:inspection_clues", args=[fw.inspection.pk]) in page
    from xuncha.planning.panels import panels_for
    counts = {p["label"]: p["count"] for p in panels_for(fw.member, fw.inspection)}
    assert counts == {**{k: v for k, v in counts.items() if k not in ("问题底稿与问题清单", "问题线索")},
                      "问题底稿与问题清单": 1, "问题线索": 1}
    counts = {p["label"]: p["count"] for p in panels_for(fw.leader, fw.inspection)}
    assert counts["问题线索"] == 2
    leader_counts = {p["label"] for p in panels_for(fw.world.users["leader_a"], fw.inspection)}
    assert "问题线索" not in leader_counts


def test_problem_form_offers_only_the_inspections_targets_and_cadres(fw, login):
    page = login(fw.member).get(reverse("findings:inspection_problem_add", args=[fw.inspection.pk])).content.decode()
    assert "青阳县教育局" in page and "张青阳" in page
    assert "桐溪县教育局" not in page and "李桐溪" not in page and "江城市财政局" not in page
    assert SECRET_CONTENT not in page


def test_the_change_log_of_a_problem_is_only_for_who_may_see_drafts(fw, login):
    """The read-only roles read the confirmed problem, never its drafting (earlier wording, authors,
    reviewers, addresses) through the change log."""
    problem = confirmed(fw)
    history = reverse("findings:problem_history", args=[problem.pk])
    for user in (fw.world.users["leader_a"], fw.supervisor):
        client = login(user)
        detail = client.get(reverse("findings:problem_detail", args=[problem.pk]))
        assert detail.status_code == 200 and history not in detail.content.decode()
        assert "撰写人" not in detail.content.decode() and 'id="transition-log"' not in detail.content.decode()
        assert client.get(history).status_code == 403
        api = client.get(reverse("api:problem-detail", args=[problem.pk])).json()
        assert api["title"] == problem.title and "meeting" not in api and "confirm_opinion" not in api
    for user in (fw.leader, fw.office):
        client = login(user)
        detail = client.get(reverse("findings:problem_detail", args=[problem.pk])).content.decode()
        assert history in detail and "撰写人" in detail and 'id="transition-log"' in detail
        assert client.get(history).status_code == 200
        assert "meeting" in client.get(reverse("api:problem-detail", args=[problem.pk])).json()
    assert login(fw.leader_b).get(history).status_code == 404
