"""Every read of findings, always through the user's scope (`for_user`). A record outside the scope is
a 404 (`Http404`), exactly as if it did not exist.

Clues: `findings:clue:view` (group leader over the own group, the office over its region) reads them;
a holder of `findings:clue:add` alone (a group member) reads only the clues they registered.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from xuncha.core.scoping import has_perm
from xuncha.planning.models import Inspection, InspectionTarget

from . import workflow
from .choices import OPEN_PROBLEM_STATUSES, ClueStatus, ProblemStatus
from .models import Clue, ClueDisposition, CluePerson, ClueReminder, ClueTransfer, Problem, ProblemTransition

__all__ = ["finding_counts", "get_inspection", "problems_for", "get_problem", "problem_steps", "problem_log",
           "clues_for", "get_clue", "can_view_clues", "transfers_for", "get_transfer", "reminders_for",
           "transferable_clues", "clue_flags"]

NOT_FOUND = "记录不存在或不在您的授权范围内。"


def finding_counts(inspection) -> dict[str, int]:
    """Counts for the archive checklist (立卷归档): problem drafts still open, confirmed problems, clues,
    transferred clues (transferred or disposed). The caller has checked the user may see the inspection."""
    problems = Problem.objects.filter(inspection=inspection).aggregate(
        drafts=Count("id", filter=Q(status__in=OPEN_PROBLEM_STATUSES)),
        confirmed=Count("id", filter=Q(status=ProblemStatus.CONFIRMED)))
    clues = Clue.objects.filter(inspection=inspection).aggregate(
        clues=Count("id"), transferred=Count("id", filter=Q(transfer__isnull=False)))
    return {"drafts": problems["drafts"], "confirmed": problems["confirmed"], "clues": clues["clues"],
            "transferred": clues["transferred"]}


def get_inspection(user, pk: int, permission: str = "view") -> Inspection:
    inspection = (Inspection.objects.for_user(user, permission).select_related("round", "group", "authority")
                  .filter(pk=pk).first())
    if inspection is None:
        raise Http404(NOT_FOUND)
    return inspection


def inspection_units(inspection):
    return [link.unit for link in InspectionTarget.objects.filter(inspection=inspection).select_related("unit")]


# --- Problems -----------------------------------------------------------------------------------------


@dataclass
class ProblemFilters:
    inspection: int | None = None
    unit: int | None = None
    category: int | None = None
    kind: str = ""
    severity: str = ""
    status: str = ""
    q: str = ""


def problems_for(user, filters: ProblemFilters | None = None, action: str = "view"):
    """Problems the user sees, filtered; the list's related rows in a constant number of queries."""
    f = filters or ProblemFilters()
    qs = (Problem.objects.for_user(user, action)
          .select_related("unit", "indicator", "category", "authority", "inspection__group", "inspection__round",
                          "created_by")
          .prefetch_related("responsible_cadres"))
    if f.inspection:
        qs = qs.filter(inspection_id=f.inspection)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(description__icontains=f.q) | Q(unit__name__icontains=f.q))
    return qs.order_by("-inspection__round__year", "inspection_id", "number", "id")


def get_problem(user, pk: int, action: str = "view") -> Problem:
    problem = (Problem.objects.for_user(user, action)
               .select_related("unit", "indicator", "category", "authority", "inspection__group", "inspection__round",
                               "created_by", "reviewed_by", "confirmed_by")
               .filter(pk=pk).first())
    if problem is None:
        raise Http404(NOT_FOUND)
    return problem


@dataclass
class StepOption:
    step: workflow.ProblemStep
    allowed: bool
    reasons: list[str]


def problem_steps(user, problem: Problem) -> list[StepOption]:
    """The steps the user holds the permission for, from the problem's status, with why not (other than
    the opinion and meeting the form asks for)."""
    options = []
    for step in workflow.STEPS:
        if problem.status not in step.sources or not has_perm(user, step.permission):
            continue
        if not Problem.objects.for_user(user, step.action).filter(pk=problem.pk).exists():
            continue
        reasons = workflow.blocking_reasons(user, problem, step, opinion="-", meeting="-",
                                            meeting_date=timezone.localdate())
        options.append(StepOption(step, not reasons, reasons))
    return options


def problem_log(user, problem: Problem):
    return ProblemTransition.objects.for_user(user, "view").filter(problem=problem).order_by("id")


def problem_filter_choices(user, inspection=None) -> dict:
    """Units and indicator areas for the filters: only those of problems the user sees."""
    from xuncha.indicators.models import Indicator
    from xuncha.org.models import Unit

    seen = Problem.objects.for_user(user, "view")
    if inspection is not None:
        seen = seen.filter(inspection=inspection)
    units = Unit.all_objects.filter(pk__in=seen.values("unit_id")).order_by("name")
    categories = Indicator.all_objects.filter(pk__in=seen.values("category_id")).order_by("code")
    inspections = (Inspection.objects.for_user(user, "view").filter(pk__in=seen.values("inspection_id"))
                   .select_related("round", "group").order_by("-round__year", "round__number", "group__number"))
    return {"units": list(units), "categories": list(categories), "inspections": list(inspections)}


# --- Clues --------------------------------------------------------------------------------------------


def can_view_clues(user) -> bool:
    return has_perm(user, "findings:clue:view")


def clue_base(user):
    """Clues the user may read: their scope with `view`, else only the ones they registered."""
    if can_view_clues(user):
        return Clue.objects.for_user(user, "view")
    return Clue.objects.for_user(user, "add").filter(created_by_id=user.pk)


def clues_for(user, *, inspection=None, status: str = "", q: str = ""):
    qs = (clue_base(user).select_related("unit", "inspection__group", "inspection__round", "authority", "transfer",
                                         "created_by")
          .prefetch_related(Prefetch("persons", queryset=CluePerson.objects.order_by("id"))))
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    if status in ClueStatus.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(summary__icontains=q) | Q(persons__name__icontains=q)).distinct()
    return qs.order_by("-inspection__round__year", "inspection_id", "seq", "id")


def get_clue(user, pk: int, action: str = "view") -> Clue:
    if action == "view":
        qs = clue_base(user)
    else:
        qs = Clue.objects.for_user(user, action)
    clue = (qs.select_related("unit", "inspection__group", "inspection__round", "authority", "transfer", "problem",
                              "petition", "created_by")
            .filter(pk=pk).first())
    if clue is None:
        raise Http404(NOT_FOUND)
    return clue


def clue_dispositions(user, clue: Clue):
    return ClueDisposition.objects.for_user(user, "view").filter(clue=clue).select_related("created_by").order_by(
        "date", "id")


def transferable_clues(user, inspection):
    return (Clue.objects.for_user(user, "transfer").filter(inspection=inspection, status=ClueStatus.REGISTERED)
            .prefetch_related("persons").order_by("seq"))


@dataclass
class Flags:
    overdue: bool
    due_soon: bool
    days_left: int | None

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def clue_flags(due_date: datetime.date | None, waiting: bool, today: datetime.date | None = None) -> Flags:
    """Overdue: the deadline passed with no disposition; due soon: within FINDINGS_DUE_SOON_DAYS."""
    if due_date is None or not waiting:
        return Flags(False, False, None)
    today = today or timezone.localdate()
    left = (due_date - today).days
    return Flags(left < 0, 0 <= left <= workflow.due_soon_days(), left)


def transfers_for(user, *, inspection=None):
    qs = (ClueTransfer.objects.for_user(user, "view")
          .select_related("inspection__group", "inspection__round", "authority", "letter")
          .annotate(clue_count=Count("clues", filter=Q(clues__is_deleted=False)),
                    waiting=Count("clues", filter=Q(clues__is_deleted=False, clues__status=ClueStatus.TRANSFERRED))))
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    return qs.order_by("-transfer_date", "-id")


def get_transfer(user, pk: int) -> ClueTransfer:
    transfer = transfers_for(user).filter(pk=pk).first()
    if transfer is None:
        raise Http404(NOT_FOUND)
    return transfer


def reminders_for(user, *, open_only: bool = False):
    qs = ClueReminder.objects.for_user(user, "view").select_related("transfer", "handled_by")
    if open_only:
        qs = qs.filter(handled_at__isnull=True)
    return qs.order_by("handled_at", "-due_date", "-id")
