"""Who sees what: the unit sees only its own plan, tasks and confirmed problems of its issued feedback;
the office its region; the group its inspections; the supervisor the region it supervises. Pages and
API alike (404 outside the scope, 403 without the permission)."""

import pytest
from django.urls import reverse

from xuncha.core.testing.world import make_user
from xuncha.findings.models import Clue, Problem
from xuncha.planning.tests.factories import group_user
from xuncha.rectification import selectors, services
from xuncha.rectification.models import RectificationPlan, RectificationTask

from .factories import approved_plan, client_for, make_feedback, make_problem, setup, with_evidence

pytestmark = pytest.mark.django_db


def test_liaison_sees_only_confirmed_problems_of_its_issued_feedback(world):
    rw = setup(world, problems=2)
    liaison = rw.liaison
    visible = set(Problem.objects.for_user(liaison, "view").values_list("pk", flat=True))
    assert visible == {p.pk for p in rw.problems}  # not the draft
    # Another inspection of the same unit whose feedback is not issued yet: nothing of it.
    other = setup(world, problems=1, issued=None)
    other.feedback.issued_at = None
    other.feedback.save()
    assert not Problem.objects.for_user(liaison, "view").filter(inspection=other.inspection).exists()
    # Another unit's problems in the same inspection: never.
    stranger_unit_problem = make_problem(rw.inspection, world.unit_city, "别的单位的问题")
    assert not Problem.objects.for_user(liaison, "view").filter(pk=stranger_unit_problem.pk).exists()
    # Clues: never (no permission at all).
    assert not Clue.objects.for_user(liaison, "view").exists()


def test_liaison_sees_only_its_own_plans_and_tasks(world):
    rw = setup(world, problems=1)
    plan = approved_plan(rw)
    rb = setup(world, side="b", problems=1)
    rb.liaison = rb.office
    plan_b = approved_plan(rb)
    other_liaison = make_user("liaison_other", ("unit_liaison", world.unit_b))
    assert list(selectors.plans_for_user(rw.liaison)) == [plan]
    assert list(selectors.plans_for_user(other_liaison)) == [plan_b]
    assert set(selectors.tasks_for_user(rw.liaison).values_list("plan_id", flat=True)) == {plan.pk}
    client = client_for(rw.liaison)
    assert client.get(reverse("rectification:plan_detail", args=[plan_b.pk])).status_code == 404
    task_b = plan_b.tasks.first()
    for name in ("task_detail", "task_progress", "task_edit"):
        assert client.get(reverse(f"rectification:{name}", args=[task_b.pk])).status_code == 404, name
    assert client.post(reverse("rectification:task_apply", args=[task_b.pk])).status_code == 404
    body = client.get(reverse("rectification:task_list")).content.decode()
    assert rw.unit.name in body and world.unit_b.name not in body
    # The liaison has no business in supervision, the dashboard or the office's gates.
    for name in ("supervision_list", "dashboard", "supervisiongroup_list"):
        assert client.get(reverse(f"rectification:{name}")).status_code == 403, name
    assert client.post(reverse("rectification:plan_approve", args=[plan.pk])).status_code == 403
    assert client.post(reverse("rectification:task_accept", args=[plan.tasks.first().pk])).status_code == 403


def test_office_supervisor_group_and_leader_scopes(world):
    rw = setup(world, problems=1)
    plan = approved_plan(rw)
    rb = setup(world, side="b", problems=1)
    rb.liaison = rb.office
    plan_b = approved_plan(rb)
    users = world.users
    member = group_user("member_a", "group_member", rw.inspection.group)
    other_member = group_user("member_b", "group_member", rb.inspection.group)
    expectations = {
        users["office_a"]: {plan.pk}, users["office_b"]: {plan_b.pk}, users["city_office"]: {plan.pk, plan_b.pk},
        users["leader_a"]: {plan.pk}, rw.supervisor: {plan.pk}, rb.supervisor: {plan_b.pk}, member: {plan.pk},
        other_member: {plan_b.pk}, users["sysadmin"]: set(), users["auditor"]: set(), users["nobody"]: set(),
    }
    for user, expected in expectations.items():
        assert set(RectificationPlan.objects.for_user(user, "view").values_list("pk", flat=True)) == expected, user
        assert set(RectificationTask.objects.for_user(user, "view").values_list("plan_id", flat=True)) == expected
    # The leader reads, never writes.
    leader = client_for(users["leader_a"])
    assert leader.get(reverse("rectification:plan_detail", args=[plan.pk])).status_code == 200
    assert leader.post(reverse("rectification:plan_publish", args=[plan.pk])).status_code == 403
    assert leader.post(reverse("rectification:task_withhold", args=[plan.tasks.first().pk])).status_code == 403
    # The other county's office: 404 on county A's records.
    office_b = client_for(users["office_b"])
    assert office_b.get(reverse("rectification:plan_detail", args=[plan.pk])).status_code == 404
    assert office_b.post(reverse("rectification:plan_publish", args=[plan.pk])).status_code == 404


def test_api_scopes_and_gates(world):
    rw = setup(world, problems=1)
    plan = approved_plan(rw)
    rb = setup(world, side="b", problems=1)
    rb.liaison = rb.office
    plan_b = approved_plan(rb)
    task = plan.tasks.first()
    liaison, supervisor = client_for(rw.liaison), client_for(rw.supervisor)
    ids = {row["id"] for row in liaison.get(reverse("api:rectplan-list")).json()["results"]}
    assert ids == {plan.pk}
    assert liaison.get(reverse("api:rectplan-detail", args=[plan_b.pk])).status_code == 404
    rows = liaison.get(reverse("api:recttask-list")).json()["results"]
    assert {r["id"] for r in rows} == {task.pk} and rows[0]["urgency"] in ("normal", "soon")
    assert liaison.get(reverse("api:recttask-detail", args=[task.pk])).status_code == 200
    # Gates through the API: no evidence → 400 with the reason; the liaison cannot accept (403).
    response = liaison.post(reverse("api:recttask-apply", args=[task.pk]), {}, content_type="application/json")
    assert response.status_code == 400 and "佐证材料" in response.content.decode()
    with_evidence(task, rw.liaison)
    assert liaison.post(reverse("api:recttask-apply", args=[task.pk])).status_code == 200
    assert liaison.post(reverse("api:recttask-accept", args=[task.pk])).status_code == 403
    assert client_for(rb.supervisor).post(reverse("api:recttask-accept", args=[task.pk])).status_code == 404
    response = supervisor.post(reverse("api:recttask-send-back", args=[task.pk]), {"reason": ""},
                               content_type="application/json")
    assert response.status_code == 400 and "退回理由" in response.content.decode()
    assert supervisor.post(reverse("api:recttask-send-back", args=[task.pk]), {"reason": "补充材料"},
                           content_type="application/json").status_code == 200
    liaison.post(reverse("api:recttask-apply", args=[task.pk]))
    response = supervisor.post(reverse("api:recttask-accept", args=[task.pk]), {"opinion": "到位"},
                               content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    # Plan gates through the API.
    rc = setup(world, problems=1)
    fresh = services.plan_create(actor=rc.liaison, feedback=rc.feedback, summary="安排")
    services.task_create(actor=rc.liaison, plan=fresh, problem=rc.problems[0], data={
        "kind": "correct", "content": "纠正", "responsible": "张三", "deadline": task.deadline})
    client_for(rc.liaison).post(reverse("api:rectplan-submit", args=[fresh.pk]))
    office = client_for(rc.office)
    assert office.post(reverse("api:rectplan-send-back", args=[fresh.pk]), {"reason": "细化"},
                       content_type="application/json").json()["status"] == "returned"
    client_for(rc.liaison).post(reverse("api:rectplan-submit", args=[fresh.pk]))
    assert office.post(reverse("api:rectplan-approve", args=[fresh.pk])).json()["status"] == "approved"
    assert office.post(reverse("api:rectplan-publish", args=[fresh.pk])).json()["published_at"]
    assert client_for(world.users["office_b"]).post(reverse("api:rectplan-approve", args=[fresh.pk])).status_code == 404


def test_api_supervision_and_reminders(world):
    rw = setup(world, problems=1)
    approved_plan(rw)
    services.supervisiongroup_create(actor=rw.office, data={"authority": world.county_a, "name": "督导一组"})
    services.run_month(authority=world.county_a, year=2026, month=11)
    services.reminders_create_due()
    supervisor = client_for(rw.supervisor)
    rounds = supervisor.get(reverse("api:supervisionround-list")).json()["results"]
    assert len(rounds) == 1 and rounds[0]["figures"]["tasks"]["total"] == 1
    assert supervisor.get(reverse("api:supervisionround-detail", args=[rounds[0]["id"]])).status_code == 200
    notices = supervisor.get(reverse("api:rectnotice-list")).json()["results"]
    assert notices[0]["status"] == "draft"
    assert supervisor.get(reverse("api:rectnotice-detail", args=[notices[0]["id"]])).status_code == 200
    assert client_for(world.users["office_b"]).get(reverse("api:rectnotice-list")).json()["results"] == []
    liaison = client_for(rw.liaison)
    assert liaison.get(reverse("api:supervisionround-list")).status_code == 403
    reminders = liaison.get(reverse("api:rectreminder-list")).json()["results"]
    assert all(r["unit"] == rw.unit.pk for r in reminders)
    if reminders:
        assert liaison.get(reverse("api:rectreminder-detail", args=[reminders[0]["id"]])).status_code == 200
    feedback_b = make_feedback(rw.inspection, world.unit_city)
    assert not selectors.open_feedbacks(rw.liaison).filter(pk=feedback_b.pk).exists()


def test_plan_list_counts_and_constant_queries(world):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    rw = setup(world, problems=2)
    plan = approved_plan(rw)
    RectificationTask.objects.filter(plan=plan).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    client = client_for(rw.office)
    url = reverse("rectification:plan_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        body = client.get(url).content.decode()
    assert '<td class="text-danger fw-semibold">2</td>' in body
    for _ in range(3):
        approved_plan(setup(world, problems=1))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_inspection_panel_leads_to_its_plans(world):
    rw = setup(world, problems=1)
    plan = approved_plan(rw)
    client = client_for(rw.office)
    response = client.get(reverse("rectification:inspection_plans", args=[rw.inspection.pk]))
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert reverse("rectification:plan_detail", args=[plan.pk]) in body
    page = client.get(reverse("planning:inspection_detail", args=[rw.inspection.pk])).content.decode()
    assert "整改落实" in page
    other = client_for(world.users["office_b"])
    assert other.get(reverse("rectification:inspection_plans", args=[rw.inspection.pk])).status_code == 404
