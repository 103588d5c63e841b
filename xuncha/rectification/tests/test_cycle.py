"""Deadlines and colours, reminders (in-platform and e-mail), the monthly cycle's idempotency, the
notice document, publication exceptions and 回头看."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from xuncha.core.files import read_bytes
from xuncha.documents.reading import docx_text
from xuncha.rectification import choices as c
from xuncha.rectification import selectors, services
from xuncha.rectification.models import (
    GateLog,
    ProgressMeeting,
    RectificationTask,
    Reminder,
    SupervisionGroup,
    SupervisionNotice,
    SupervisionRound,
)

from .factories import approved_plan, setup, with_evidence

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 30)


def test_urgency_colours():
    assert services.urgency(TODAY + datetime.timedelta(days=16), done=False, today=TODAY) == c.Urgency.NORMAL
    assert services.urgency(TODAY + datetime.timedelta(days=15), done=False, today=TODAY) == c.Urgency.SOON
    assert services.urgency(TODAY, done=False, today=TODAY) == c.Urgency.SOON
    assert services.urgency(TODAY - datetime.timedelta(days=1), done=False, today=TODAY) == c.Urgency.OVERDUE
    assert services.urgency(TODAY - datetime.timedelta(days=1), done=True, today=TODAY) == c.Urgency.DONE
    assert services.add_months(datetime.date(2026, 1, 31), 2) == datetime.date(2026, 3, 31)
    assert services.add_months(datetime.date(2026, 11, 15), 2) == datetime.date(2027, 1, 15)


def test_task_colours_in_sql_match_the_rule(world):
    rw = setup(world, problems=3)
    plan = approved_plan(rw)
    today = timezone.localdate()
    tasks = list(RectificationTask.objects.filter(plan=plan).order_by("id"))
    for task, days in zip(tasks, (-1, 3, 40), strict=True):
        RectificationTask.objects.filter(pk=task.pk).update(deadline=today + datetime.timedelta(days=days))
    colours = {t.pk: t.urgency for t in selectors.tasks_for_user(rw.office)}
    assert [colours[t.pk] for t in tasks] == ["overdue", "soon", "normal"]
    assert [t.pk for t in selectors.tasks_for_user(rw.office, urgency="overdue")] == [tasks[0].pk]


def test_task_list_page_shows_red_and_yellow(world, login):
    rw = setup(world, problems=2)
    plan = approved_plan(rw)
    today = timezone.localdate()
    first, second = RectificationTask.objects.filter(plan=plan).order_by("id")
    RectificationTask.objects.filter(pk=first.pk).update(deadline=today - datetime.timedelta(days=2))
    RectificationTask.objects.filter(pk=second.pk).update(deadline=today + datetime.timedelta(days=5))
    body = login(rw.liaison).get(reverse("rectification:task_list")).content.decode()
    assert 'class="urgency-overdue"' in body and 'class="urgency-soon"' in body
    assert "badge bg-danger fw-normal\">已逾期" in body and "bg-warning text-dark fw-normal\">即将到期" in body


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_reminders_once_per_deadline_and_mailed(world, django_capture_on_commit_callbacks):
    rw = setup(world, problems=1)
    rw.liaison.email = "liaison@example.cn"
    rw.liaison.save(update_fields=["email"])
    plan = approved_plan(rw)
    today = timezone.localdate()
    task = RectificationTask.objects.get(plan=plan)
    RectificationTask.objects.filter(pk=task.pk).update(deadline=today + datetime.timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        created = services.reminders_create_due(today=today)
    assert created == 1  # the report is due in two months: not yet
    reminder = Reminder.objects.get()
    assert reminder.kind == "task_due" and reminder.unit == rw.unit and "即将到期" in reminder.message
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["liaison@example.cn"]
    assert "整改提醒" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_create_due(today=today) == 0
    assert len(mail.outbox) == 1
    # Overdue and the report due: new reminders, once each.
    later = plan.report_due + datetime.timedelta(days=1)
    assert services.reminders_create_due(today=later) == 2
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"task_due", "task_overdue", "report_overdue"}
    assert services.reminders_create_due(today=later) == 0
    # The liaison sees its own reminders; the other county's office does not.
    assert selectors.reminders_for_user(rw.liaison).count() == 3
    assert selectors.reminders_for_user(world.users["office_b"]).count() == 0


@override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="localhost")
def test_no_mail_without_a_mail_server(world):
    assert services.mail_configured() is False


def _group(rw, world):
    return services.supervisiongroup_create(actor=rw.office, data={
        "authority": world.county_a, "name": "青阳县第一督导组", "leader_name": "林督导", "regions": [],
        "members": [rw.supervisor]})


def test_monthly_cycle_is_idempotent(world):
    rw = setup(world, problems=2)
    approved_plan(rw)
    group = _group(rw, world)
    first = services.run_month(authority=world.county_a, year=2026, month=11, actor=rw.office)
    assert first == {"rounds": 1, "meetings": 1, "notices": 1}
    rnd = SupervisionRound.objects.get(group=group)
    notice = SupervisionNotice.objects.get(round=rnd)
    snapshot = (rnd.figures, rnd.updated_at, notice.document_id, notice.updated_at,
                ProgressMeeting.objects.get(round=rnd).updated_at)
    counts = (SupervisionRound.objects.count(), ProgressMeeting.objects.count(), SupervisionNotice.objects.count())
    # Data changes in between must not alter an existing month.
    RectificationTask.objects.filter(plan__unit=rw.unit).update(deadline=datetime.date(2026, 1, 1))
    second = services.run_month(authority=world.county_a, year=2026, month=11, actor=rw.office)
    assert second == {"rounds": 0, "meetings": 0, "notices": 0}
    rnd.refresh_from_db()
    notice.refresh_from_db()
    assert (SupervisionRound.objects.count(), ProgressMeeting.objects.count(),
            SupervisionNotice.objects.count()) == counts
    assert (rnd.figures, rnd.updated_at, notice.document_id, notice.updated_at,
            ProgressMeeting.objects.get(round=rnd).updated_at) == snapshot
    # Another month is another round.
    assert services.run_month(authority=world.county_a, year=2026, month=12)["rounds"] == 1


def test_monthly_command_and_task_are_idempotent(world):
    from django.core.management import call_command

    from xuncha.rectification.tasks import run_month

    rw = setup(world, problems=1)
    _group(rw, world)
    call_command("rectification_month", "--month", "2026-10", stdout=open("/dev/null", "w"))
    call_command("rectification_month", "--month", "2026-10", stdout=open("/dev/null", "w"))
    assert run_month.delay(2026, 10).get() == {"rounds": 0, "meetings": 0, "notices": 0}
    assert SupervisionRound.objects.filter(year=2026, month=10).count() == 1


def test_notice_document_figures_late_units_and_charts(world):
    rw = setup(world, problems=2)
    plan = approved_plan(rw)
    RectificationTask.objects.filter(plan=plan).update(deadline=datetime.date(2026, 10, 15))
    _group(rw, world)
    services.run_month(authority=world.county_a, year=2026, month=11, actor=rw.office)
    notice = SupervisionNotice.objects.get()
    data = read_bytes(notice.document)
    text = docx_text(data)
    assert "关于2026年11月巡察整改落实情况的督查通报" in text
    assert "整改任务2项" in text and "逾期未完成2项" in text
    assert f"{rw.unit.name}2项" in text  # the late unit, named
    assert "中共青阳县委巡察工作领导小组办公室" in text
    import io
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    pngs = [n for n in names if n.startswith("word/media/") and n.endswith(".png")]
    assert len(pngs) == 2
    png = zipfile.ZipFile(io.BytesIO(data)).read(pngs[0])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_notice_review_then_publish(world):
    rw = setup(world, problems=1)
    _group(rw, world)
    services.run_month(authority=world.county_a, year=2026, month=11)
    notice = SupervisionNotice.objects.get()
    with pytest.raises(ValidationError, match="审核后才能发布"):
        services.notice_publish(actor=rw.office, notice=notice)
    services.notice_review(actor=rw.supervisor, notice=notice, opinion="数据核实无误。")
    services.notice_publish(actor=rw.office, notice=notice)
    notice.refresh_from_db()
    assert notice.status == "published" and notice.reviewed_by == rw.supervisor and notice.published_by == rw.office
    with pytest.raises(ValidationError):
        services.notice_regenerate(actor=rw.office, notice=notice)


def test_meeting_decisions_go_into_the_regenerated_notice(world):
    rw = setup(world, problems=1)
    _group(rw, world)
    services.run_month(authority=world.county_a, year=2026, month=11)
    meeting = ProgressMeeting.objects.get()
    with pytest.raises(ValidationError, match="召开日期"):
        services.meeting_update(actor=rw.supervisor, meeting=meeting, data={"decisions": "一、限期整改。"})
    services.meeting_update(actor=rw.supervisor, meeting=meeting, data={
        "held_on": datetime.date(2026, 11, 28), "decisions": "对逾期任务挂牌督办。\n下月底前完成制度修订。"})
    notice = services.notice_regenerate(actor=rw.supervisor, notice=SupervisionNotice.objects.get())
    text = docx_text(read_bytes(notice.document))
    assert "对逾期任务挂牌督办。" in text and "下月底前完成制度修订。" in text


def test_group_scope_limits_the_month_to_its_regions(world):
    from xuncha.org.models import Region

    rw = setup(world, problems=1)
    approved_plan(rw)
    town = Region.objects.create(name="青阳县城关镇", code="990121001", level="township", parent=world.county_a)
    town.path = f"{world.county_a.path}{town.pk}/"
    town.save(update_fields=["path"])
    group = services.supervisiongroup_create(actor=rw.office, data={
        "authority": world.county_a, "name": "乡镇督导组", "regions": [town]})
    services.run_month(authority=world.county_a, year=2026, month=11)
    assert SupervisionRound.objects.get(group=group).figures["tasks"]["total"] == 0
    with pytest.raises(ValidationError, match="辖区内"):
        services.supervisiongroup_create(actor=rw.office, data={
            "authority": world.county_a, "name": "越界督导组", "regions": [world.county_b]})
    assert SupervisionGroup.objects.filter(name="越界督导组").count() == 0


def test_publication_excludes_withheld_items_with_reasons(world, client):
    rw = setup(world, problems=3)
    plan = approved_plan(rw)
    secret, investigated, public = RectificationTask.objects.filter(plan=plan).order_by("id")
    with pytest.raises(ValidationError, match="选择理由"):
        services.task_withhold(actor=rw.office, task=secret, withheld=True, reason="")
    with pytest.raises(ValidationError, match="具体情形"):
        services.task_withhold(actor=rw.office, task=secret, withheld=True, reason="other")
    services.task_withhold(actor=rw.office, task=secret, withheld=True, reason="secret", note="涉及工作秘密")
    services.task_withhold(actor=rw.office, task=investigated, withheld=True, reason="investigation")
    url = reverse("rectification:public", args=[world.county_a.pk])
    assert rw.unit.name not in client.get(url).content.decode()  # not published yet
    services.plan_publish(actor=rw.office, plan=plan)
    body = client.get(url).content.decode()
    assert client.get(url).status_code == 200
    problem_of = {t.pk: t.problem.title for t in (secret, investigated, public)}
    assert problem_of[public.pk] in body
    assert problem_of[secret.pk] not in body and problem_of[investigated.pk] not in body
    assert "另有 2 项整改事项依规不予公开" in body
    assert "涉及工作秘密" not in body  # the reason is recorded, not published
    secret.refresh_from_db()
    assert secret.withhold_reason == "secret" and secret.withhold_note == "涉及工作秘密"
    # Another authority's public page shows nothing of county A.
    assert rw.unit.name not in client.get(reverse("rectification:public", args=[world.county_b.pk])).content.decode()
    services.plan_unpublish(actor=rw.office, plan=plan)
    assert problem_of[public.pk] not in client.get(url).content.decode()


def test_liaison_cannot_publish_or_withhold(world):
    from django.core.exceptions import PermissionDenied

    rw = setup(world, problems=1)
    plan = approved_plan(rw)
    with pytest.raises(PermissionDenied):
        services.plan_publish(actor=rw.liaison, plan=plan)
    with pytest.raises(PermissionDenied):
        services.task_withhold(actor=rw.liaison, task=RectificationTask.objects.get(plan=plan), withheld=True,
                               reason="secret")


def test_revisit_reopens_with_history_intact(world):
    rw = setup(world, problems=1)
    approved_plan(rw)
    task = with_evidence(RectificationTask.objects.get(plan__unit=rw.unit), rw.liaison)
    services.task_apply(actor=rw.liaison, task=task)
    with pytest.raises(ValidationError, match="已验收"):
        services.revisit_check(actor=rw.office, task=task, result="fails", notes="x",
                               new_deadline=timezone.localdate() + datetime.timedelta(days=30))
    services.task_accept(actor=rw.supervisor, task=task)
    before = list(GateLog.objects.filter(task=task).values_list("pk", "action"))
    services.revisit_check(actor=rw.office, task=task, result="holds", notes="制度执行到位。")
    task.refresh_from_db()
    assert task.status == "accepted"
    with pytest.raises(ValidationError, match="重新整改的时限"):
        services.revisit_check(actor=rw.office, task=task, result="fails", notes="问题反弹。")
    deadline = timezone.localdate() + datetime.timedelta(days=45)
    services.revisit_check(actor=rw.office, task=task, result="fails", notes="公车私用问题反弹。",
                           new_deadline=deadline)
    task.refresh_from_db()
    assert task.status == "progress" and task.reopen_count == 1 and task.deadline == deadline
    assert task.closed_at is None
    after = list(GateLog.objects.filter(task=task).values_list("pk", "action"))
    assert after[:len(before)] == before and after[-1][1] == "reopen"
    assert task.reports.count() == 1 and task.revisits.count() == 2
    # It goes through the gates again.
    with_evidence(task, rw.liaison)
    services.task_apply(actor=rw.liaison, task=task)
    services.task_accept(actor=rw.supervisor, task=task)
    task.refresh_from_db()
    assert task.status == "accepted"


def test_revisit_must_be_a_revisit_round_of_the_unit(world):
    from xuncha.planning.tests.factories import make_inspection, make_round

    rw = setup(world, problems=1)
    approved_plan(rw)
    task = with_evidence(RectificationTask.objects.get(plan__unit=rw.unit), rw.liaison)
    services.task_apply(actor=rw.liaison, task=task)
    services.task_accept(actor=rw.supervisor, task=task)
    side = rw.pw.a
    regular = make_inspection(side, make_round(side, number=8), [rw.unit])
    with pytest.raises(ValidationError, match="回头看"):
        services.revisit_check(actor=rw.office, task=task, result="holds", notes="x", revisit=regular)
    revisit = make_inspection(side, make_round(side, number=9, kind="revisit"), [rw.unit])
    check = services.revisit_check(actor=rw.office, task=task, result="holds", notes="到位。", revisit=revisit)
    assert check.revisit == revisit
