"""One whole inspection of 青阳县教育局 (world.unit_a) by 青阳县's office, through the real pages.

The office (office_a), a group leader and a group member of the inspection's group, and the unit's
liaison (liaison_a) each use their own test client and POST the forms the pages show, in the order
the work is done: checklist results, a talk, a petition with its reporter, a problem draft tied to an
indicator, its review and confirmation, a clue; the report, the unified review, the feedback and the
liaison's view of it; the clue's transfer with its letter; the rectification plan; the archive.

No stage condition is ever suspended: every stage change goes through planning's transition page
and meets the conditions the other apps register (findings, reporting) exactly as users would.
Only the set-up of the started round (planning's factories) is done through the services.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xuncha.documents.reading import docx_text
from xuncha.fieldwork.models import Petition, Talk
from xuncha.findings.models import Clue, ClueTransfer, Problem
from xuncha.indicators.models import IndicatorResult, IndicatorSet
from xuncha.planning import services as planning_services
from xuncha.planning.tests.factories import advance, build, group_user, make_inspection, make_round
from xuncha.rectification.models import RectificationPlan, RectificationTask
from xuncha.reporting.models import ArchiveChecklist, Feedback, InspectionReport

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    """A client of its own per person (the shared `login` fixture reuses one client)."""
    client = Client()
    client.force_login(user, backend="xuncha.accounts.backends.LockoutModelBackend")
    return client


def ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def move(client, inspection, to_stage, opinion="同意。"):
    """The stage change as the inspection page posts it; returns the flashed messages."""
    response = client.post(reverse("planning:inspection_transition", args=[inspection.pk]),
                           {"to_stage": to_stage, "opinion": opinion}, follow=True)
    assert response.status_code == 200
    inspection.refresh_from_db()
    return messages_of(response)


def test_a_whole_inspection_through_the_pages(world):
    today = timezone.localdate()
    unit = world.unit_a
    office_user, liaison_user = world.users["office_a"], world.users["liaison_a"]

    # --- 1. Office: a started round with one inspection of 青阳县教育局, moved to 了解 --------------------
    # Set-up through planning's services (allowed by the brief); the walk to 了解 keeps every app's
    # conditions on (other_apps_conditions=True): nothing is suspended, even here.
    pw = build(world)
    rnd = make_round(pw.a)
    inspection = make_inspection(pw.a, rnd, [unit])
    planning_services.round_start(actor=office_user, round=rnd)
    advance(inspection, office_user, "understand", other_apps_conditions=True)
    assert inspection.stage == "understand"
    leader_user = group_user("zuzhang_qy", "group_leader", inspection.group)
    member_user = group_user("zuyuan_qy", "group_member", inspection.group)
    office, leader, member, liaison = (client_for(u) for u in (office_user, leader_user, member_user, liaison_user))

    # --- 2. Group member: checklist, talk, petition; leader registers the reporter ----------------------
    ok(member.get(reverse("indicators:inspection_checklist", args=[inspection.pk])), 200)
    builtin = IndicatorSet.objects.get(authority__isnull=True, status="published")
    problem_item = builtin.indicators.get(code="2.2.1")
    fine_item = builtin.indicators.get(code="1.1.1")
    record = reverse("indicators:inspection_result_record", args=[inspection.pk])
    for item, result, notes in ((fine_item, "compliant", ""),
                                (problem_item, "problem", "抽查2025年公务接待，3批次无公函。")):
        ok(member.post(record, {"unit": unit.pk, "indicator": item.pk, "result": result, "notes": notes},
                       HTTP_HX_REQUEST="true"), 200)
    results = {r.indicator_id: r for r in IndicatorResult.objects.filter(inspection=inspection, unit=unit)}
    assert results[problem_item.pk].result == "problem" and results[fine_item.pk].result == "compliant"
    assert results[problem_item.pk].created_by == member_user

    ok(member.post(reverse("fieldwork:talk_add"), {
        "inspection": inspection.pk, "unit": unit.pk, "cadre": world.cadre_a.pk, "category": "leadership",
        "status": "done", "talked_at": f"{today.isoformat()}T10:00", "place": "谈话室一",
        "talkers": [member_user.pk, leader_user.pk], "content": "反映公务接待管理不严。"}))
    talk = Talk.objects.get(inspection=inspection)
    assert talk.status == "done" and talk.cadre == world.cadre_a

    ok(member.post(reverse("fieldwork:petition_add"), {
        "inspection": inspection.pk, "channel": "letter", "received_date": today.isoformat(),
        "subject_unit": unit.pk, "subject_persons": "赵某某（财务股长）", "category": "integrity",
        "content": "反映财务股长在采购中收受供应商礼金。"}))
    petition = Petition.objects.get(inspection=inspection)
    reporter_url = reverse("fieldwork:petitionreporter_detail", args=[petition.pk])
    # A member never registers or reads a reporter; the group leader does.
    assert member.get(reporter_url).status_code in (403, 404)
    ok(leader.post(reporter_url, {"anonymous": "", "name": "欧阳明珠", "phone": "13912345678",
                                  "identity": "本单位职工", "relationship": "同事", "wants_feedback": "on"}))
    petition.refresh_from_db()
    assert petition.reporter.name == "欧阳明珠" and not petition.reporter.anonymous

    # --- Problem draft tied to the indicator, submitted ---------------------------------------------------
    ok(member.post(reverse("findings:inspection_problem_add", args=[inspection.pk]), {
        "unit": unit.pk, "indicator": problem_item.pk, "kind": "governance", "severity": "serious",
        "title": "公务接待无公函", "description": "2025年3批次公务接待无公函、无清单。", "evidence": "接待台账",
        "responsible_cadres": [world.cadre_a.pk], "responsible_text": "办公室"}))
    problem = Problem.objects.get(inspection=inspection)
    assert problem.status == "draft" and problem.indicator == problem_item
    assert problem.category == problem_item.top
    transition = reverse("findings:problem_transition", args=[problem.pk])
    ok(member.post(transition, {"step": "submit"}))
    problem.refresh_from_db()
    assert problem.status == "submitted"

    # --- 3a. The report step is refused while the draft is unconfirmed ---------------------------------
    refused = move(leader, inspection, "report", "了解阶段工作完成。")
    assert "尚有 1 条问题底稿未经确认" in refused and inspection.stage == "understand"

    # Group leader reviews and confirms (the group's meeting, today).
    ok(leader.post(transition, {"step": "review", "opinion": "同意。"}))
    ok(leader.post(transition, {"step": "confirm", "meeting": "第一巡察组组务会", "meeting_date": today.isoformat(),
                                "opinion": "经集体研究确认。"}))
    problem.refresh_from_db()
    assert problem.status == "confirmed" and problem.confirmed_by == leader_user

    # Member registers a clue (from the petition).
    ok(member.post(reverse("findings:inspection_clue_add", args=[inspection.pk]), {
        "unit": unit.pk, "summary": "财务股长收受供应商礼金", "content": "信访反映该股长在采购中收受供应商礼金。",
        "evidence": "", "source": "petition", "petition": petition.pk, "source_note": "",
        "suggested_receiver": "discipline", "other_persons": "赵某某，财务股长，青阳县教育局"}))
    clue = Clue.objects.get(inspection=inspection)
    assert clue.status == "registered" and clue.created_by == member_user and clue.number.startswith("XS")

    # The liaison sees nothing of the fieldwork, ever.
    secret_pages = [reverse("findings:problem_detail", args=[problem.pk]),
                    reverse("fieldwork:talk_detail", args=[talk.pk]),
                    reverse("fieldwork:petition_detail", args=[petition.pk]),
                    reverse("fieldwork:petitionreporter_detail", args=[petition.pk]),
                    reverse("findings:clue_detail", args=[clue.pk])]
    for url in secret_pages:
        assert liaison.get(url).status_code in (403, 404), url

    # --- 3b. Report allowed now; the group leader drafts and submits it ---------------------------------
    assert "已由「了解」转入「报告」" in move(leader, inspection, "report", "了解阶段工作完成。")
    assert inspection.stage == "report"
    ok(leader.post(reverse("reporting:inspection_report_generate", args=[inspection.pk])))
    report = InspectionReport.objects.get(inspection=inspection)
    assert report.status == "draft" and report.versions.count() == 1
    text = docx_text(b"".join(ok(leader.get(reverse("reporting:reportversion_download",
                                                    args=[report.current.pk])), 200)))
    assert "公务接待无公函" in text and "另发现问题线索1件" in text and "收受供应商礼金" not in text
    ok(leader.post(reverse("reporting:report_submit", args=[report.pk]), {"note": "请审阅。"}))
    report.refresh_from_db()
    assert report.status == "submitted"

    # The feedback step is refused before the approval.
    refused = move(office, inspection, "feedback")
    assert "巡察报告当前状态为「待把关」" in refused and inspection.stage == "report"

    # The office approves it in the round's unified review.
    review = reverse("reporting:round_review", args=[rnd.pk])
    assert f'id="report-{report.pk}"' in ok(office.get(review), 200).content.decode()
    ok(office.post(reverse("reporting:report_approve", args=[report.pk]), {"opinion": "同意。", "from": "review"}))
    report.refresh_from_db()
    assert report.status == "approved" and report.approved_by == office_user
    assert "已由「报告」转入「反馈」" in move(office, inspection, "feedback")

    # --- 4. Feedback generated and issued; the liaison sees exactly that ---------------------------------
    ok(office.post(reverse("reporting:inspection_feedback_generate", args=[inspection.pk])))
    feedback = Feedback.objects.get(inspection=inspection)
    assert feedback.unit == unit and not feedback.is_issued
    assert feedback.title
    my_feedback = reverse("reporting:my_feedback")
    assert feedback.title not in ok(liaison.get(my_feedback), 200).content.decode()
    assert liaison.get(reverse("reporting:feedback_download", args=[feedback.pk])).status_code in (403, 404)
    assert liaison.get(reverse("api:liaisonfeedback-list")).json()["count"] == 0

    ok(office.post(reverse("reporting:feedback_issue", args=[feedback.pk]),
                   {"issued_on": today.isoformat(), "issue_number": "青巡反〔2026〕1号"}))
    feedback.refresh_from_db()
    assert feedback.is_issued and feedback.issue_number == "青巡反〔2026〕1号"
    page = ok(liaison.get(my_feedback), 200).content.decode()
    assert feedback.title in page
    listed = liaison.get(reverse("api:liaisonfeedback-list")).json()
    assert [row["id"] for row in listed["results"]] == [feedback.pk]
    download = ok(liaison.get(reverse("reporting:feedback_download", args=[feedback.pk])), 200)
    assert "公务接待无公函" in docx_text(b"".join(download))
    # Still never the report, the review, the drafts' history, talks, petitions, reporters or clues.
    # Once the feedback is issued the liaison reads its unit's confirmed problem (rectification's scope
    # rule), never its drafting history nor where it came from.
    confirmed_page = ok(liaison.get(reverse("findings:problem_detail", args=[problem.pk])), 200).content.decode()
    assert "公务接待无公函" in confirmed_page
    assert clue.number not in confirmed_page and petition.receipt_no not in confirmed_page
    for url in [*secret_pages[1:], reverse("findings:problem_history", args=[problem.pk]),
                reverse("reporting:inspection_report", args=[inspection.pk]), review,
                reverse("reporting:feedback_detail", args=[feedback.pk])]:
        assert liaison.get(url).status_code in (302, 403, 404), url

    # --- 5. Clue transfer: 整改 refused while the clue is untransferred ----------------------------------
    assert "已由「反馈」转入「移交」" in move(office, inspection, "transfer")
    refused = move(office, inspection, "rectify")
    assert "尚有 1 条问题线索未移交，须移交后才能转入整改阶段" in refused and inspection.stage == "transfer", refused
    ok(office.post(reverse("findings:inspection_transfer_add", args=[inspection.pk]), {
        "receiver_kind": "discipline", "receiver_name": "中共青阳县纪律检查委员会 青阳县监察委员会",
        "transfer_date": today.isoformat(), "secret_level": "机密", "remarks": "", "clues": [clue.pk]}))
    transfer = ClueTransfer.objects.get(inspection=inspection)
    clue.refresh_from_db()
    assert clue.status == "transferred" and clue.transfer == transfer
    letter = ok(office.get(reverse("findings:cluetransfer_letter", args=[transfer.pk])), 200)
    letter_text = docx_text(b"".join(letter))
    assert clue.number in letter_text and transfer.number in letter_text
    assert "已由「移交」转入「整改」" in move(office, inspection, "rectify")

    # --- 6. The liaison's rectification plan, a measure per confirmed problem; the office approves -------
    add = reverse("rectification:plan_add") + f"?feedback={feedback.pk}"
    ok(liaison.get(add), 200)
    ok(liaison.post(add, {"summary": "成立整改领导小组，逐项销号。"}))
    plan = RectificationPlan.objects.get(inspection=inspection, unit=unit)
    submit = reverse("rectification:plan_submit", args=[plan.pk])
    # Not before every confirmed problem has a measure.
    body = ok(liaison.post(submit, {"opinion": "请审批"}, follow=True), 200).content.decode()
    assert "还有 1 个问题没有整改措施" in body or "整改方案还没有任何整改措施" in body, body[:3000]
    plan.refresh_from_db()
    assert plan.status != "submitted"
    deadline = (today + datetime.timedelta(days=60)).isoformat()
    for confirmed in Problem.objects.confirmed().filter(inspection=inspection):
        ok(liaison.post(reverse("rectification:plan_task_add", args=[plan.pk]) + f"?problem={confirmed.pk}", {
            "kind": "rules", "content": "修订公务接待管理办法，严格执行公函制度。", "responsible": "王局长",
            "deadline": deadline}))
    assert RectificationTask.objects.filter(plan=plan, problem=problem).count() == 1
    ok(liaison.post(submit, {"opinion": "请审批"}))
    plan.refresh_from_db()
    assert plan.status == "submitted"
    ok(office.post(reverse("rectification:plan_approve", args=[plan.pk]), {"opinion": "同意"}))
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert set(RectificationTask.objects.filter(plan=plan).values_list("status", flat=True)) == {"progress"}

    # --- 7. Archive: refused until the checklist is complete ----------------------------------------------
    ok(leader.post(reverse("reporting:inspection_archive_open", args=[inspection.pk])))
    checklist = ArchiveChecklist.objects.get(inspection=inspection)
    refused = move(office, inspection, "archived")
    assert "尚未确认完成" in refused and "尚未填写档号" in refused and inspection.stage == "rectify"
    for item in checklist.items.all():
        ok(leader.post(reverse("reporting:archiveitem_tick", args=[item.pk]), {"done": "on", "note": "已核对"}))
    ok(leader.post(reverse("reporting:archivechecklist_edit", args=[checklist.pk]),
                   {"archive_number": "青巡档〔2026〕1号"}))
    checklist.refresh_from_db()
    assert checklist.completed_at is not None
    assert checklist.counts["confirmed"] == 1
    assert "已由「整改」转入「归档」" in move(office, inspection, "archived")
    assert inspection.stage == "archived"
    assert list(inspection.transitions.order_by("id").values_list("to_stage", flat=True)) == [
        "stationed", "understand", "report", "feedback", "transfer", "rectify", "archived"]
