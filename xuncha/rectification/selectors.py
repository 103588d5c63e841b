"""Every read of rectification goes through the user's scope (`for_user`), here and nowhere else —
except the public page (`public_*`), which shows only what the office published, to anyone.

`get_<entity>(user, pk, action)` raises Http404 for a record the user may not reach with `action`.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Count, Exists, OuterRef, Prefetch, Q, Value, When
from django.http import Http404
from django.utils import timezone

from xuncha.core.scoping import has_perm, permission_for

from . import choices as c
from .models import (
    GateLog,
    ProgressMeeting,
    ProgressReport,
    RectificationPlan,
    RectificationTask,
    Reminder,
    RevisitCheck,
    SupervisionGroup,
    SupervisionNotice,
    SupervisionRound,
)

TS = c.TaskStatus


def _get(qs, pk):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404("记录不存在或不在您的授权范围内。")
    return obj


def can(user, model, obj, action: str) -> bool:
    """May `user` act with `action` on this very row (permission and scope)?"""
    if not has_perm(user, permission_for(model, action)):
        return False
    return model.objects.for_user(user, action).filter(pk=obj.pk).exists()


def urgency_case(today: datetime.date | None = None) -> Case:
    """The colour of a task's deadline in SQL: done / overdue (red) / soon (yellow) / normal."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=c.DUE_SOON_DAYS)
    return Case(When(status=TS.ACCEPTED, then=Value(c.Urgency.DONE)),
                When(deadline__lt=today, then=Value(c.Urgency.OVERDUE)),
                When(deadline__lte=soon, then=Value(c.Urgency.SOON)),
                default=Value(c.Urgency.NORMAL), output_field=CharField())


def urgency_q(urgency: str, today: datetime.date | None = None) -> Q:
    """The tasks of one colour, as plain conditions on indexed columns (not on the CASE)."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=c.DUE_SOON_DAYS)
    open_ = ~Q(status=TS.ACCEPTED)
    return {c.Urgency.DONE: Q(status=TS.ACCEPTED), c.Urgency.OVERDUE: open_ & Q(deadline__lt=today),
            c.Urgency.SOON: open_ & Q(deadline__gte=today, deadline__lte=soon),
            c.Urgency.NORMAL: open_ & Q(deadline__gt=soon)}.get(urgency, Q())


def report_urgency_case(today: datetime.date | None = None) -> Case:
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=c.DUE_SOON_DAYS)
    return Case(When(report_submitted_at__isnull=False, then=Value(c.Urgency.DONE)),
                When(report_due__lt=today, then=Value(c.Urgency.OVERDUE)),
                When(report_due__lte=soon, then=Value(c.Urgency.SOON)),
                default=Value(c.Urgency.NORMAL), output_field=CharField())


# --- Plans ------------------------------------------------------------------------------------------------


def plans_for_user(user, *, status: str = "", q: str = ""):
    today = timezone.localdate()
    qs = RectificationPlan.objects.for_user(user, "view").select_related("unit", "authority", "inspection__round",
                                                                         "inspection__group")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(unit__name__icontains=q)
    return qs.annotate(report_urgency=report_urgency_case(today)).order_by("-feedback_on", "-id")


def with_task_counts(plans: list, today: datetime.date | None = None) -> list:
    """Put task_total / task_done / task_overdue on a page of plans, in one aggregate query over
    those plans only (aggregating every plan before paginating would cost the whole table)."""
    today = today or timezone.localdate()
    rows = (RectificationTask.objects.filter(plan_id__in=[p.pk for p in plans]).values("plan_id")
            .annotate(total=Count("id"), done=Count("id", filter=Q(status=TS.ACCEPTED)),
                      overdue=Count("id", filter=Q(deadline__lt=today) & ~Q(status=TS.ACCEPTED))))
    counts = {r["plan_id"]: r for r in rows}
    for plan in plans:
        row = counts.get(plan.pk, {})
        plan.task_total, plan.task_done, plan.task_overdue = (row.get("total", 0), row.get("done", 0),
                                                              row.get("overdue", 0))
    return plans


def open_feedbacks(user):
    """Issued feedback the user sees and may answer with a plan, that has no plan yet."""
    from xuncha.reporting.models import Feedback

    if not has_perm(user, "rectification:plan:add"):
        return Feedback.objects.none()
    planned = RectificationPlan.objects.filter(inspection_id=OuterRef("inspection_id"), unit_id=OuterRef("unit_id"))
    return (Feedback.objects.for_user(user, "view").filter(issued_at__isnull=False)
            .annotate(planned=Exists(planned)).filter(planned=False)
            .select_related("unit", "inspection__round", "inspection__group").order_by("-issued_at"))


def get_feedback(user, pk):
    from xuncha.reporting.models import Feedback

    return _get(Feedback.objects.for_user(user, "view").filter(issued_at__isnull=False), pk)


def get_plan(user, pk, action: str = "view") -> RectificationPlan:
    return _get(RectificationPlan.objects.for_user(user, action).select_related(
        "unit", "authority", "inspection__round", "inspection__group", "feedback", "report_file"), pk)


def plan_problems(plan: RectificationPlan, today: datetime.date | None = None) -> list[dict]:
    """The plan's confirmed problems, each with its measures. Precondition: the caller may view the plan."""
    from xuncha.findings.models import Problem

    tasks = RectificationTask.objects.filter(plan=plan).annotate(urgency=urgency_case(today)).order_by("kind", "id")
    problems = (Problem.objects.confirmed().filter(inspection_id=plan.inspection_id, unit_id=plan.unit_id)
                .select_related("category").prefetch_related(Prefetch("rectification_tasks", queryset=tasks,
                                                                      to_attr="plan_tasks")))
    extra = (Problem.objects.filter(rectification_tasks__plan=plan).exclude(status="confirmed")
             .distinct().prefetch_related(Prefetch("rectification_tasks", queryset=tasks, to_attr="plan_tasks")))
    return [{"problem": p, "tasks": [t for t in p.plan_tasks if not t.is_deleted]} for p in [*problems, *extra]]


def plan_log(plan: RectificationPlan):
    """Precondition: the caller may view the plan."""
    return GateLog.objects.filter(plan=plan).select_related("task").order_by("id")


# --- Tasks ---------------------------------------------------------------------------------------------


def tasks_for_user(user, *, status: str = "", kind: str = "", urgency: str = "", q: str = "", plan=None,
                   action: str = "view"):
    qs = (RectificationTask.objects.for_user(user, action)
          .select_related("unit", "problem", "plan", "authority")
          .annotate(urgency=urgency_case()))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if urgency:
        qs = qs.filter(urgency_q(urgency))
    if q:
        qs = qs.filter(Q(unit__name__icontains=q) | Q(problem__title__icontains=q) | Q(content__icontains=q))
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.order_by("deadline", "id")


def get_task(user, pk, action: str = "view") -> RectificationTask:
    return _get(RectificationTask.objects.for_user(user, action).select_related(
        "unit", "problem", "plan", "plan__inspection__round", "authority", "rule_document").annotate(
        urgency=urgency_case()), pk)


def task_reports(task: RectificationTask):
    """Precondition: the caller may view the task."""
    return ProgressReport.objects.filter(task=task).prefetch_related("evidence").select_related("created_by")


def task_log(task: RectificationTask):
    return GateLog.objects.filter(task=task).order_by("id")


def task_revisits(task: RectificationTask):
    return RevisitCheck.objects.filter(task=task).select_related("revisit__round", "created_by")


def get_task_file(user, task_pk: int, file_pk: int):
    """An evidence or rule file of a task the user may view (404 otherwise)."""
    from xuncha.core.models import StoredFile

    task = get_task(user, task_pk)
    ids = set(ProgressReport.evidence.through.objects.filter(progressreport__task=task).values_list(
        "storedfile_id", flat=True))
    if task.rule_document_id:
        ids.add(task.rule_document_id)
    if task.plan.report_file_id:
        ids.add(task.plan.report_file_id)
    if file_pk not in ids:
        raise Http404("文件不存在或不在您的授权范围内。")
    return StoredFile.objects.get(pk=file_pk)


def revisit_inspections(user, task: RectificationTask):
    """回头看 inspections the user sees that target the task's unit."""
    from xuncha.planning.models import Inspection

    return (Inspection.objects.for_user(user, "view").filter(round__kind="revisit", target_links__unit_id=task.unit_id)
            .select_related("round", "group").distinct())


# --- Reminders ------------------------------------------------------------------------------------------


def reminders_for_user(user, *, open_only: bool = True):
    qs = Reminder.objects.for_user(user, "view").select_related("unit", "plan", "task")
    if open_only:
        qs = qs.filter(handled_at__isnull=True)
    return qs.order_by("handled_at", "due_date", "id")


def get_reminder(user, pk, action="change") -> Reminder:
    return _get(Reminder.objects.for_user(user, action), pk)


# --- Supervision ---------------------------------------------------------------------------------------


def rounds_for_user(user):
    return (SupervisionRound.objects.for_user(user, "view").select_related("group", "authority", "notice", "meeting")
            .order_by("-year", "-month", "group__name"))


def get_round(user, pk, action="view") -> SupervisionRound:
    return _get(SupervisionRound.objects.for_user(user, action).select_related("group", "authority"), pk)


def get_notice(user, pk, action="view") -> SupervisionNotice:
    return _get(SupervisionNotice.objects.for_user(user, action).select_related("round__group", "document"), pk)


def get_meeting(user, pk, action="change") -> ProgressMeeting:
    return _get(ProgressMeeting.objects.for_user(user, action).select_related("round__group"), pk)


def groups_for_user(user):
    return SupervisionGroup.objects.for_user(user, "view")


# --- The public page (no login): only what the office published, minus what is withheld ------------------


def public_authority(pk: int):
    from xuncha.org.models import Region

    region = Region.objects.filter(pk=pk, level__in=("city", "county")).first()
    if region is None:
        raise Http404("页面不存在。")
    return region


def public_plans(authority) -> list[dict]:
    """Published plans of an authority with their public tasks; withheld tasks are only counted."""
    tasks = (RectificationTask.objects.filter(withheld=False).select_related("problem")
             .order_by("problem__number", "kind", "id"))
    plans = (RectificationPlan.objects.filter(authority=authority, published_at__isnull=False, status="approved")
             .select_related("unit", "inspection__round")
             .annotate(withheld_count=Count("tasks", filter=Q(tasks__withheld=True, tasks__is_deleted=False)))
             .prefetch_related(Prefetch("tasks", queryset=tasks, to_attr="public_tasks"))
             .order_by("-published_at", "id"))
    rows = []
    for plan in plans:
        public = plan.public_tasks
        done = sum(1 for t in public if t.status == TS.ACCEPTED)
        rows.append({"plan": plan, "tasks": public, "done": done, "total": len(public),
                     "rate": round(done * 100 / len(public), 1) if public else 0, "withheld": plan.withheld_count})
    return rows
