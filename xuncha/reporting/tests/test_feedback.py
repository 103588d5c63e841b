"""Feedback: generated per target unit from the approved report, edited by upload, issued by the
office; the unit's liaison sees the issued feedback of its own unit and nothing else. The feedback
meeting with the leaders who attended."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from xuncha.core.testing.world import make_cadre
from xuncha.planning.tests.factories import advance
from xuncha.reporting import services
from xuncha.reporting.models import Feedback, FeedbackMeeting, InspectionReport

from .factories import approved, at_feedback, docx_upload, make_clue

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_feedback_waits_for_the_approved_report_and_the_feedback_stage(rw, login):
    with pytest.raises(ValidationError) as refused:
        services.feedback_generate(actor=rw.office, inspection=rw.inspection)
    assert "尚未经统一把关审定" in " ".join(refused.value.messages)
    approved(rw)
    client = login(rw.office)
    page = reverse("reporting:inspection_feedback", args=[rw.inspection.pk])
    assert "生成反馈意见稿" in client.get(page).content.decode()
    client.post(reverse("reporting:inspection_feedback_generate", args=[rw.inspection.pk]))
    items = {f.unit_id: f for f in Feedback.objects.filter(inspection=rw.inspection)}
    assert set(items) == {u.pk for u in rw.units}  # one per target unit
    edu = items[rw.units[0].pk]
    # Still in 报告: the office cannot issue yet.
    response = client.post(reverse("reporting:feedback_issue", args=[edu.pk]),
                           {"issued_on": timezone.localdate().isoformat()}, follow=True)
    assert "须先转入「反馈」阶段" in _messages(response)
    edu.refresh_from_db()
    assert not edu.is_issued


def test_issue_freezes_the_feedback_and_sets_the_two_month_deadline(rw, login):
    _, feedbacks = at_feedback(rw)
    edu = next(f for f in feedbacks if f.unit_id == rw.units[0].pk)
    client = login(rw.leader)
    client.post(reverse("reporting:feedback_upload", args=[edu.pk]), {"file": docx_upload("反馈意见修改稿")})
    edu.refresh_from_db()
    assert edu.current.number == 2
    # The group may not issue; the office may, not in the future.
    assert client.post(reverse("reporting:feedback_issue", args=[edu.pk]), {"issued_on": "2026-06-20"}).status_code == 403
    office = login(rw.office)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = office.post(reverse("reporting:feedback_issue", args=[edu.pk]), {"issued_on": tomorrow.isoformat()},
                           follow=True)
    assert "印发日期不能晚于今天" in _messages(response)
    response = office.post(reverse("reporting:feedback_issue", args=[edu.pk]), {"issued_on": ""}, follow=True)
    assert "「印发日期」：请填写印发日期。" in _messages(response)
    day = timezone.localdate() - datetime.timedelta(days=3)
    office.post(reverse("reporting:feedback_issue", args=[edu.pk]),
                {"issued_on": day.isoformat(), "issue_number": "青巡反〔2026〕1号"})
    edu.refresh_from_db()
    assert edu.is_issued and edu.issued_by == rw.office and edu.issue_number == "青巡反〔2026〕1号"
    assert edu.rectification_due == services.add_months(day, 2)
    assert services.add_months(datetime.date(2026, 12, 31), 2) == datetime.date(2027, 2, 28)
    with pytest.raises(ValidationError):
        services.feedback_upload(actor=rw.leader, feedback=edu, upload=docx_upload())
    with pytest.raises(ValidationError):
        services.feedback_issue(actor=rw.office, feedback=edu)
    assert Feedback.objects.issued().filter(pk=edu.pk).exists()


def test_the_liaison_sees_only_issued_feedback_of_its_own_unit_and_nothing_else(rw, login, pw):
    liaison = pw.world.users["liaison_a"]  # 青阳县教育局
    make_clue(rw.inspection, rw.units[0], "举报内容（保密）")
    report, feedbacks = at_feedback(rw)
    edu = next(f for f in feedbacks if f.unit_id == rw.units[0].pk)
    health = next(f for f in feedbacks if f.unit_id == rw.units[1].pk)
    client = login(liaison)
    # Before issue: nothing.
    assert Feedback.objects.for_user(liaison).count() == 0
    page = client.get(reverse("reporting:my_feedback")).content.decode()
    assert "暂无印发给本单位的巡察反馈意见" in page and "本单位巡察反馈" in page
    assert client.get(reverse("reporting:feedback_download", args=[edu.pk])).status_code == 404
    assert client.get("/api/reporting/my-feedback/").json()["count"] == 0
    _problems_seen_by(liaison, expected=set())

    services.feedback_issue(actor=rw.office, feedback=edu)
    services.feedback_issue(actor=rw.office, feedback=health)
    assert list(Feedback.objects.for_user(liaison)) == [edu]
    page = client.get(reverse("reporting:my_feedback")).content.decode()
    assert edu.title in page and "卫生健康委员会" not in page
    response = client.get(reverse("reporting:feedback_download", args=[edu.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert client.get(reverse("reporting:feedback_download", args=[health.pk])).status_code == 404
    body = client.get("/api/reporting/my-feedback/").json()
    assert [row["id"] for row in body["results"]] == [edu.pk] and "inspection" not in body["results"][0]
    assert [row["id"] for row in client.get("/api/reporting/feedback/").json()["results"]] == [edu.pk]
    assert client.get(f"/api/reporting/feedback/{health.pk}/").status_code == 404
    # Nothing of the report, its versions, the review, the archive, the inspection's other records.
    for url in [reverse("reporting:report_list"), reverse("reporting:inspection_report", args=[rw.inspection.pk]),
                reverse("reporting:reportversion_download", args=[report.current_id]),
                reverse("reporting:round_review", args=[rw.inspection.round_id]),
                reverse("reporting:inspection_feedback", args=[rw.inspection.pk]),
                reverse("reporting:feedbackversion_download", args=[edu.current_id]),
                reverse("reporting:archive_list"), f"/api/reporting/reports/{report.pk}/", "/api/reporting/archives/"]:
        assert client.get(url).status_code in (403, 404), url
    # The feedback detail page (versions, meetings) is the group's and the office's: the liaison is sent
    # to 本单位巡察反馈.
    response = client.get(reverse("reporting:feedback_detail", args=[edu.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("reporting:my_feedback")
    assert InspectionReport.objects.for_user(liaison).count() == 0
    for app_label, model_name in (("fieldwork", "Talk"), ("fieldwork", "Petition"), ("findings", "Clue"),
                                  ("findings", "ClueTransfer")):
        from django.apps import apps

        assert apps.get_model(app_label, model_name).objects.for_user(liaison).count() == 0, model_name
    # Problems: at most the confirmed ones of its own unit, the same facts its feedback states.
    _problems_seen_by(liaison, expected={p.pk for p in rw.problems if p.unit_id == edu.unit_id and p.is_confirmed},
                      at_most=True)


def _problems_seen_by(user, *, expected: set, at_most: bool = False):
    from xuncha.findings.models import Problem

    seen = set(Problem.objects.for_user(user).values_list("pk", flat=True))
    assert seen <= expected if at_most else seen == expected


def test_feedback_meeting_records_the_unit_leaders_who_attended(rw, login, pw):
    _, feedbacks = at_feedback(rw)
    edu = next(f for f in feedbacks if f.unit_id == rw.units[0].pk)
    secretary = make_cadre("李书记", rw.units[0], post="党组书记、局长")
    outsider = make_cadre("王某", rw.units[1], post="主任")
    office = login(rw.office)
    url = reverse("reporting:feedback_meeting_add", args=[edu.pk])
    form = office.get(url).content.decode()
    assert "李书记" in form and "王某" not in form
    data = {"held_on": rw.inspection.round.end_date.isoformat(), "place": "教育局三楼会议室",
            "presided_by": "县委巡察办主任 赵某", "attending_cadres": [secretary.pk],
            "attending_names": "县委常委 孙某\n第一巡察组组长 周某", "minutes": "通报巡察发现的问题，提出整改要求。"}
    response = office.post(url, {**data, "attending_cadres": [outsider.pk]})
    assert response.status_code == 200 and FeedbackMeeting.objects.count() == 0  # not a choice: refused
    response = office.post(url, {**data, "held_on": "2026-01-01"})
    assert "反馈会日期不能早于进驻日期" in response.content.decode() and FeedbackMeeting.objects.count() == 0
    office.post(url, {**data, "attachments": [SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 sign-in")]})
    meeting = FeedbackMeeting.objects.get()
    assert list(meeting.attending_cadres.all()) == [secretary] and meeting.attachments.count() == 1
    detail = office.get(reverse("reporting:feedback_detail", args=[edu.pk])).content.decode()
    assert "李书记（党组书记、局长）" in detail and "县委常委 孙某" in detail
    stored = meeting.attachments.get()
    file_url = reverse("reporting:feedbackmeeting_file", args=[meeting.pk])
    assert office.get(f"{file_url}?file={stored.pk}").content == b"%PDF-1.4 sign-in"
    assert office.get(f"{file_url}?file=999999").status_code == 404
    edit = reverse("reporting:feedbackmeeting_edit", args=[meeting.pk])
    assert "教育局三楼会议室" in office.get(edit).content.decode()
    office.post(edit, {**data, "place": "教育局一楼会议室"})
    meeting.refresh_from_db()
    assert meeting.place == "教育局一楼会议室"
    assert login(pw.world.users["office_b"]).get(edit).status_code == 404
    office = login(rw.office)
    office.post(reverse("reporting:feedbackmeeting_delete", args=[meeting.pk]))
    assert not FeedbackMeeting.objects.filter(pk=meeting.pk).exists()
    assert FeedbackMeeting.all_objects.filter(pk=meeting.pk, is_deleted=True).exists()


def test_feedback_list_and_detail_pages(rw, login):
    _, feedbacks = at_feedback(rw)
    client = login(rw.leader)
    page = client.get(reverse("reporting:feedback_list")).content.decode()
    assert all(f.unit.name in page for f in feedbacks) and "待印发" in page
    detail = client.get(reverse("reporting:feedback_detail", args=[feedbacks[0].pk])).content.decode()
    assert "上传修改稿" in detail and "印发（巡察办）" not in detail
    version = feedbacks[0].current
    assert client.get(reverse("reporting:feedbackversion_download", args=[version.pk])).status_code == 200
    advance(rw.inspection, rw.office, "feedback")  # already there: a no-op
