"""Secondment expiry reminders: 30 days before, once, whatever the number of runs."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from xuncha.core.testing.resources import covers
from xuncha.teams.models import Secondment, TeamReminder
from xuncha.teams.services import reminders_create_due, secondment_create, secondment_end
from xuncha.teams.tasks import create_due_reminders

from .factories import TODAY, group_user, make_group, make_round, secondment

covers("teams:reminder_list", "teams:reminder_handle", "teams:secondment_end", "api:reminder-list",
       "api:reminder-detail")


@pytest.mark.django_db
def test_reminder_thirty_days_before_and_only_once(world):
    in_30 = secondment(world.cadre_a, world.county_a, start=datetime.date(2025, 12, 30), end=TODAY + datetime.timedelta(days=30))
    in_31 = secondment(world.cadre_b, world.county_b, start=datetime.date(2025, 12, 31), end=TODAY + datetime.timedelta(days=31))
    assert reminders_create_due(today=TODAY) == 1
    reminder = TeamReminder.objects.get()
    assert reminder.secondment == in_30 and reminder.due_date == in_30.end_date
    assert reminder.message == "张青阳（青阳县教育局）的抽调将于2026年12月30日到期（还有 30 天），请办理续抽或结束手续。"
    assert reminders_create_due(today=TODAY) == 0  # idempotent
    assert reminders_create_due(today=TODAY + datetime.timedelta(days=1)) == 1  # now in_31 is due
    assert reminders_create_due(today=TODAY + datetime.timedelta(days=2)) == 0
    assert TeamReminder.objects.filter(secondment=in_31).count() == 1


@pytest.mark.django_db
def test_extended_secondment_is_reminded_again_for_its_new_end(world):
    s = secondment(world.cadre_a, world.county_a, start=datetime.date(2025, 12, 1), end=TODAY + datetime.timedelta(days=10))
    assert reminders_create_due(today=TODAY) == 1
    Secondment.objects.filter(pk=s.pk).update(end_date=TODAY + datetime.timedelta(days=20))
    assert reminders_create_due(today=TODAY) == 1
    assert reminders_create_due(today=TODAY) == 0


@pytest.mark.django_db
def test_ended_and_expired_secondments_are_not_reminded(world):
    s = secondment(world.cadre_a, world.county_a, start=datetime.date(2025, 12, 1), end=TODAY + datetime.timedelta(days=5))
    secondment_end(actor=world.users["office_a"], instance=s, date=TODAY)
    secondment(world.cadre_b, world.county_b, start=datetime.date(2025, 1, 1), end=TODAY - datetime.timedelta(days=1))
    assert reminders_create_due(today=TODAY) == 0


@pytest.mark.django_db
def test_command_and_task(world):
    secondment(world.cadre_a, world.county_a, start=datetime.date(2025, 12, 1), end=TODAY + datetime.timedelta(days=3))
    out = io.StringIO()
    call_command("teams_reminders", "--date", TODAY.isoformat(), stdout=out)
    assert "已生成 1 条" in out.getvalue()
    assert create_due_reminders.delay(TODAY.isoformat()).get() == 0


@pytest.mark.django_db
def test_one_year_by_default(world):
    s = secondment_create(actor=world.users["office_a"], data={
        "authority": world.county_a, "cadre": world.cadre_a, "start_date": datetime.date(2026, 3, 1)})
    assert s.end_date == datetime.date(2027, 2, 28)
    assert s.from_unit == world.unit_a


@pytest.mark.django_db
def test_reminders_are_scoped(world, login):
    round_ = make_round(world.county_a)
    group = make_group(round_)
    secondment(world.cadre_a, world.county_a, start=datetime.date(2025, 12, 1), end=TODAY + datetime.timedelta(days=3),
               group=group)
    secondment(world.cadre_b, world.county_b, start=datetime.date(2025, 12, 1), end=TODAY + datetime.timedelta(days=4))
    reminders_create_due(today=TODAY)
    mine, theirs = TeamReminder.objects.order_by("due_date")
    client = login(world.users["office_a"])
    body = client.get(reverse("teams:reminder_list")).content.decode()
    assert "张青阳" in body and "李桐溪" not in body
    assert client.post(reverse("teams:reminder_handle", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("teams:reminder_handle", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.handled_at is not None
    ids = {r["id"] for r in client.get(reverse("api:reminder-list")).json()["results"]}
    assert ids == {mine.pk}
    leader = group_user("group_leader_a", "group_leader", group)
    client = login(leader)
    body = client.get(reverse("teams:reminder_list") + "?all=1").content.decode()
    assert "张青阳" in body and "李桐溪" not in body
    assert client.get(reverse("api:reminder-detail", args=[theirs.pk])).status_code == 404
