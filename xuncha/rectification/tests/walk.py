"""County-B rectification records for the URL walk (`core.tests.test_url_walk`): one per model key
that the rectification route names start with (plan_…, task_…, supervision_…, api:rectplan-…)."""

from __future__ import annotations

from xuncha.core.testing.resources import walk_objects


@walk_objects
def rectification_walk_objects(world) -> dict:
    cached = getattr(world, "_rectification_walk", None)
    if cached is not None:
        return cached
    from xuncha.rectification import services
    from xuncha.rectification.models import Reminder, SupervisionNotice, SupervisionRound

    from .factories import approved_plan, setup

    rw = setup(world, side="b", problems=1)
    rw.liaison = rw.office
    plan = approved_plan(rw)
    task = plan.tasks.first()
    group = services.supervisiongroup_create(actor=rw.office, data={
        "authority": world.county_b, "name": "桐溪县督导组（走查）"})
    services.run_month(authority=world.county_b, year=2026, month=11)
    rnd = SupervisionRound.objects.get(group=group)
    reminder = Reminder.objects.create(key=f"walk:{task.pk}", kind="task_due", authority=world.county_b,
                                       unit=world.unit_b, plan=plan, task=task, due_date=task.deadline,
                                       message="走查提醒")
    cached = {
        "plan": plan, "task": task, "supervision": rnd, "notice": SupervisionNotice.objects.get(round=rnd),
        "reminder": reminder, "supervisiongroup": group, "public": world.county_b,
        "rectplan": plan, "recttask": task, "supervisionround": rnd, "rectnotice": rnd.notice,
        "rectreminder": reminder,
    }
    world._rectification_walk = cached
    return cached
