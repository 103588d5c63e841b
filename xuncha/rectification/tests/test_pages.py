"""The whole flow through the pages, as the unit, the office and the supervisor would click it:
feedback → plan → measures → submit → return → resubmit → approve → progress with evidence → apply →
send back → accept → report → publish; 回头看; the monthly cycle pages. Every route answers in Chinese."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuncha.core.models import StoredFile
from xuncha.documents.reading import docx_text
from xuncha.rectification.models import (
    RectificationPlan,
    RectificationTask,
    SupervisionNotice,
    SupervisionRound,
)

from .factories import client_for, setup, upload

pytestmark = pytest.mark.django_db


def _ok(response, status=200):
    assert response.status_code == status, response.content.decode()[:2000]
    return response


def test_flow_through_the_pages(world, login):
    rw = setup(world, problems=1)
    liaison, office, supervisor = client_for(rw.liaison), client_for(rw.office), client_for(rw.supervisor)
    # The liaison sees its issued feedback waiting for a plan.
    body = _ok(liaison.get(reverse("rectification:plan_list"))).content.decode()
    assert "待编制整改方案的反馈意见" in body and rw.feedback.title in body
    add = reverse("rectification:plan_add") + f"?feedback={rw.feedback.pk}"
    _ok(liaison.get(add))
    body = _ok(liaison.post(add, {"summary": ""})).content.decode()
    assert "这个字段是必填项" in body or "必填" in body
    _ok(liaison.post(add, {"summary": "成立领导小组，逐项销号。"}), 302)
    plan = RectificationPlan.objects.get(unit=rw.unit, inspection=rw.inspection)
    detail = reverse("rectification:plan_detail", args=[plan.pk])
    body = _ok(liaison.get(detail)).content.decode()
    problem = rw.problems[0]
    assert problem.title in body and "尚未制定整改措施" in body and "尚未确认的底稿问题" not in body
    _ok(liaison.get(reverse("rectification:plan_edit", args=[plan.pk])))
    _ok(liaison.post(reverse("rectification:plan_edit", args=[plan.pk]), {"summary": "成立领导小组。"}), 302)
    task_add = reverse("rectification:plan_task_add", args=[plan.pk]) + f"?problem={problem.pk}"
    _ok(liaison.get(task_add))
    body = _ok(liaison.post(task_add, {"kind": "correct", "content": "", "responsible": "王局长",
                                       "deadline": "2000-01-01"})).content.decode()
    assert "完成时限不能早于反馈日期" in body or "必填" in body
    deadline = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    _ok(liaison.post(task_add, {"kind": "correct", "content": "清退违规发放的补贴。", "responsible": "王局长",
                                "deadline": deadline}), 302)
    _ok(liaison.post(task_add, {"kind": "rules", "content": "修订津补贴发放办法。", "responsible": "李主任",
                                "deadline": deadline}), 302)
    correct = RectificationTask.objects.get(plan=plan, kind="correct")
    rules = RectificationTask.objects.get(plan=plan, kind="rules")
    _ok(liaison.get(reverse("rectification:task_edit", args=[rules.pk])))
    # Submit; the office returns; the liaison resubmits; the office approves.
    _ok(liaison.post(reverse("rectification:plan_submit", args=[plan.pk]), {"opinion": "请审批"}), 302)
    body = _ok(office.post(reverse("rectification:plan_return", args=[plan.pk]), {"reason": ""}, follow=True)).content.decode()
    assert "请填写退回理由" in body
    _ok(office.post(reverse("rectification:plan_return", args=[plan.pk]), {"reason": "时限过长。"}), 302)
    assert "时限过长" in _ok(liaison.get(detail)).content.decode()
    _ok(liaison.post(reverse("rectification:plan_submit", args=[plan.pk])), 302)
    _ok(office.post(reverse("rectification:plan_approve", args=[plan.pk]), {"opinion": "同意"}), 302)
    plan.refresh_from_db()
    assert plan.status == "approved"
    # Progress with evidence, then apply.
    progress = reverse("rectification:task_progress", args=[correct.pk])
    _ok(liaison.get(progress))
    month = timezone.localdate().strftime("%Y-%m")
    _ok(liaison.post(progress, {"month": month, "content": "已清退。", "percent": 100,
                                "evidence": [upload("清退凭证.pdf", b"receipt"), upload("会议记录.pdf", b"minutes")]}), 302)
    assert correct.reports.get().evidence.count() == 2
    body = _ok(liaison.post(reverse("rectification:task_apply", args=[rules.pk]), follow=True)).content.decode()
    assert "没有任何佐证材料" in body and "制度名称" in body
    _ok(liaison.post(reverse("rectification:task_apply", args=[correct.pk]), {"opinion": "已完成"}), 302)
    # The supervisor sends back, then accepts.
    task_detail = reverse("rectification:task_detail", args=[correct.pk])
    body = _ok(supervisor.get(task_detail)).content.decode()
    assert "验收通过" in body and "清退凭证.pdf" in body
    evidence = StoredFile.objects.get(original_name="清退凭证.pdf")
    file_url = reverse("rectification:task_file", args=[correct.pk]) + f"?id={evidence.pk}"
    assert _ok(supervisor.get(file_url)).content == b"receipt"
    assert supervisor.get(reverse("rectification:task_file", args=[correct.pk]) + "?id=999999").status_code == 404
    _ok(supervisor.post(reverse("rectification:task_send_back", args=[correct.pk]), {"reason": "补充银行回单。"}), 302)
    _ok(liaison.post(reverse("rectification:task_apply", args=[correct.pk])), 302)
    _ok(supervisor.post(reverse("rectification:task_accept", args=[correct.pk]), {"opinion": "到位"}), 302)
    correct.refresh_from_db()
    assert correct.status == "accepted"
    assert "退回继续整改" in _ok(liaison.get(task_detail)).content.decode()
    # The rectification report, the withhold setting and publication.
    report = reverse("rectification:plan_report", args=[plan.pk])
    _ok(liaison.get(report))
    _ok(liaison.post(report, {"report_text": "整改情况如下……", "report_upload": upload("报告.pdf", b"report")}), 302)
    assert _ok(liaison.get(reverse("rectification:plan_file", args=[plan.pk]))).content == b"report"
    _ok(office.post(reverse("rectification:task_withhold", args=[rules.pk]),
                    {"withheld": "on", "withhold_reason": "investigation"}), 302)
    _ok(office.post(reverse("rectification:plan_publish", args=[plan.pk])), 302)
    public = _ok(client_for(world.users["nobody"]).get(reverse("rectification:public", args=[world.county_a.pk])))
    assert "清退违规发放的补贴" in public.content.decode() and "修订津补贴发放办法" not in public.content.decode()
    # 回头看 on the accepted task.
    revisit = reverse("rectification:task_revisit", args=[correct.pk])
    _ok(office.get(revisit))
    new_deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    _ok(office.post(revisit, {"result": "fails", "notes": "补贴又有发放。", "new_deadline": new_deadline}), 302)
    correct.refresh_from_db()
    assert correct.status == "progress" and correct.reopen_count == 1
    # Lists and the ledger.
    body = _ok(office.get(reverse("rectification:task_list"), {"kind": "correct"})).content.decode()
    assert "回头看重新整改" in body
    ledger = _ok(office.get(reverse("rectification:task_export")))
    rows = list(load_workbook(io.BytesIO(ledger.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][0] == "被巡察单位" and len(rows) == 4
    # Measures of an editable plan can be deleted, not of a submitted one.
    body = _ok(liaison.post(reverse("rectification:task_delete", args=[rules.pk]), follow=True)).content.decode()
    assert "不能删除" in body


def test_monthly_pages(world, login):
    rw = setup(world, problems=1)
    office, supervisor = client_for(rw.office), client_for(rw.supervisor)
    _ok(office.post(reverse("rectification:supervisiongroup_add"), {
        "authority": world.county_a.pk, "name": "青阳县督导组", "leader_name": "林督导",
        "members": [rw.supervisor.pk], "is_active": "on"}), 302)
    _ok(supervisor.get(reverse("rectification:supervision_list")))
    body = _ok(supervisor.post(reverse("rectification:supervision_run"), {"authority": world.county_a.pk,
                                                                         "month": "2026-11"}, follow=True))
    assert "已生成2026年11月督导" in body.content.decode()
    body = _ok(supervisor.post(reverse("rectification:supervision_run"), {"authority": world.county_a.pk,
                                                                         "month": "2026-11"}, follow=True))
    assert "已生成过，本次未作任何更改" in body.content.decode()
    body = _ok(supervisor.post(reverse("rectification:supervision_run"), {"authority": world.county_b.pk,
                                                                         "month": "2026-11"}, follow=True))
    assert "选择一个有效的选项" in body.content.decode() or "有效" in body.content.decode()
    rnd = SupervisionRound.objects.get()
    detail = reverse("rectification:supervision_detail", args=[rnd.pk])
    assert "整改督查通报" in _ok(supervisor.get(detail)).content.decode()
    meeting = reverse("rectification:supervision_meeting", args=[rnd.pk])
    _ok(supervisor.get(meeting))
    _ok(supervisor.post(meeting, {"held_on": "2026-11-27", "attendees": "督导组、各单位", "minutes": "通报进展。",
                                  "decisions": "逾期任务挂牌督办。"}), 302)
    notice = SupervisionNotice.objects.get()
    _ok(supervisor.post(reverse("rectification:notice_regenerate", args=[notice.pk])), 302)
    doc = _ok(supervisor.get(reverse("rectification:notice_document", args=[notice.pk])))
    assert "逾期任务挂牌督办。" in docx_text(doc.content)
    assert supervisor.post(reverse("rectification:notice_publish", args=[notice.pk])).status_code == 403
    _ok(supervisor.post(reverse("rectification:notice_review", args=[notice.pk]), {"opinion": "同意"}), 302)
    _ok(office.post(reverse("rectification:notice_publish", args=[notice.pk])), 302)
    notice.refresh_from_db()
    assert notice.status == "published"


def test_reminder_pages(world, login):
    from xuncha.rectification import services

    from .factories import approved_plan

    rw = setup(world, problems=1)
    plan = approved_plan(rw)
    RectificationTask.objects.filter(plan=plan).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    services.reminders_create_due()
    liaison = login(rw.liaison)
    body = _ok(liaison.get(reverse("rectification:reminder_list"))).content.decode()
    assert "整改任务已逾期" in body
    reminder = plan.reminders.get()
    _ok(liaison.post(reverse("rectification:reminder_handle", args=[reminder.pk])), 302)
    reminder.refresh_from_db()
    assert reminder.handled_by == rw.liaison
    assert "没有提醒" in _ok(liaison.get(reverse("rectification:reminder_list"))).content.decode()
    assert login(world.users["office_b"]).post(reverse("rectification:reminder_handle",
                                                       args=[reminder.pk])).status_code == 404
