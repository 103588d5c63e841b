"""成果运用: the figures of the leaders' and offices' dashboard and of the per-unit page.

Every figure is an aggregate in SQL over `Model.objects.for_user_perm(user, DASHBOARD)`: the rows
the viewer's grants holding `rectification:dashboard:view` reach (a county office its county, the
city office and city leaders everything below the city). The number of queries does not depend on
the number of rows. Clue *details* are shown only to who may view clues (`findings:clue:view`);
everybody else with the dashboard sees counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone

from xuncha.core.scoping import has_perm

from . import choices as c
from .models import RectificationPlan, RectificationTask

__all__ = ["DASHBOARD", "Filters", "dashboard", "export_sheets", "unit_profile"]

DASHBOARD = "rectification:dashboard:view"
TS = c.TaskStatus


@dataclass
class Filters:
    year: int | None = None
    authority_id: int | None = None


def _rate(done: int, total: int) -> float:
    return round(done * 100 / total, 1) if total else 0.0


def _problems(user, f: Filters):
    from xuncha.findings.models import Problem

    qs = Problem.objects.for_user_perm(user, DASHBOARD).confirmed()
    if f.year:
        qs = qs.filter(inspection__round__year=f.year)
    if f.authority_id:
        qs = qs.filter(authority_id=f.authority_id)
    return qs


def _tasks(user, f: Filters):
    qs = RectificationTask.objects.for_user_perm(user, DASHBOARD)
    if f.year:
        qs = qs.filter(inspection__round__year=f.year)
    if f.authority_id:
        qs = qs.filter(authority_id=f.authority_id)
    return qs


def _clues(user, f: Filters):
    from xuncha.findings.models import Clue

    qs = Clue.objects.for_user_perm(user, DASHBOARD)
    if f.year:
        qs = qs.filter(inspection__round__year=f.year)
    if f.authority_id:
        qs = qs.filter(authority_id=f.authority_id)
    return qs


def _targets(user, f: Filters):
    from xuncha.planning.choices import COVERING_KINDS
    from xuncha.planning.models import InspectionTarget

    qs = InspectionTarget.objects.for_user_perm(user, DASHBOARD).filter(
        inspection__is_deleted=False, inspection__round__kind__in=COVERING_KINDS)
    if f.year:
        qs = qs.filter(inspection__round__year=f.year)
    if f.authority_id:
        qs = qs.filter(inspection__authority_id=f.authority_id)
    return qs


def _units(user, f: Filters):
    from xuncha.org.models import Unit

    qs = Unit.objects.for_user_perm(user, DASHBOARD)
    if f.authority_id:
        from xuncha.org.models import Region

        region = Region.objects.filter(pk=f.authority_id).first()
        qs = qs.filter(region__path__startswith=region.path) if region else qs.none()
    return qs


def _labelled(rows, key: str, labels: dict, value: str = "n") -> list[dict]:
    return [{"name": labels.get(r[key], r[key] or "未分类"), "value": r[value]} for r in rows]


def dashboard(user, f: Filters | None = None, today: datetime.date | None = None) -> dict:
    """Coverage, problems by indicator area/kind/region, rectification rate and overdue, clues and their
    dispositions, trends by year — every figure limited to the user's dashboard scope."""
    from xuncha.findings.choices import ClueStatus, DispositionKind, ProblemKind
    from xuncha.findings.models import ClueDisposition

    f = f or Filters()
    today = today or timezone.localdate()
    problems, tasks, clues = _problems(user, f), _tasks(user, f), _clues(user, f)
    done, overdue = Q(status=TS.ACCEPTED), Q(deadline__lt=today) & ~Q(status=TS.ACCEPTED)
    soon = Q(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=c.DUE_SOON_DAYS)) & ~Q(
        status=TS.ACCEPTED)
    unit_total = _units(user, f).count()
    covered = _targets(user, f).values("unit_id").distinct().count()
    task_totals = tasks.aggregate(total=Count("id"), accepted=Count("id", filter=done),
                                  overdue=Count("id", filter=overdue), soon=Count("id", filter=soon),
                                  review=Count("id", filter=Q(status=TS.REVIEW)),
                                  reopened=Count("id", filter=Q(reopen_count__gt=0)))
    plans = RectificationPlan.objects.for_user_perm(user, DASHBOARD)
    if f.authority_id:
        plans = plans.filter(authority_id=f.authority_id)
    if f.year:
        plans = plans.filter(inspection__round__year=f.year)
    report_late = plans.filter(report_due__lt=today, report_submitted_at__isnull=True).count()
    by_category = list(problems.values(name=F("category__title")).annotate(n=Count("id")).order_by("-n", "name"))
    by_kind = list(problems.values("kind").annotate(n=Count("id")).order_by("-n"))
    by_region = list(problems.values(name=F("unit__region__name")).annotate(n=Count("id")).order_by("-n", "name"))
    task_regions = list(tasks.values(name=F("unit__region__name")).annotate(
        total=Count("id"), accepted=Count("id", filter=done), overdue=Count("id", filter=overdue)).order_by("name"))
    task_kinds = {r["kind"]: r for r in tasks.values("kind").annotate(
        total=Count("id"), accepted=Count("id", filter=done), overdue=Count("id", filter=overdue))}
    clue_status = list(clues.values("status").annotate(n=Count("id")).order_by("status"))
    dispositions = ClueDisposition.objects.for_user_perm(user, DASHBOARD).filter(clue__in=clues.values("id"))
    disposition_kinds = list(dispositions.values("kind").annotate(n=Count("id")).order_by("kind"))
    p_year = {r["y"]: r["n"] for r in problems.values(y=F("inspection__round__year")).annotate(n=Count("id"))}
    t_year = {r["y"]: r for r in tasks.values(y=F("inspection__round__year")).annotate(
        total=Count("id"), accepted=Count("id", filter=done))}
    i_year = {r["y"]: r["n"] for r in _targets(user, Filters(authority_id=f.authority_id)).values(
        y=F("inspection__round__year")).annotate(n=Count("unit_id", distinct=True))}
    c_year = {r["y"]: r["n"] for r in clues.values(y=F("inspection__round__year")).annotate(n=Count("id"))}
    years = sorted(set(p_year) | set(t_year) | set(i_year) | set(c_year))
    return {
        "coverage": {"units": unit_total, "covered": covered, "rate": _rate(covered, unit_total)},
        "problems": {"total": sum(r["n"] for r in by_kind),
                     "by_category": [{"name": r["name"] or "未关联指标", "value": r["n"]} for r in by_category],
                     "by_kind": _labelled(by_kind, "kind", dict(ProblemKind.choices)),
                     "by_region": [{"name": r["name"], "value": r["n"]} for r in by_region]},
        "tasks": {**task_totals, "rate": _rate(task_totals["accepted"], task_totals["total"]),
                  "report_late": report_late,
                  "by_region": [{**r, "rate": _rate(r["accepted"], r["total"])} for r in task_regions],
                  "by_kind": [{"name": k.label, "total": task_kinds.get(k.value, {}).get("total", 0),
                               "accepted": task_kinds.get(k.value, {}).get("accepted", 0),
                               "overdue": task_kinds.get(k.value, {}).get("overdue", 0)} for k in c.MeasureKind]},
        "clues": {"total": sum(r["n"] for r in clue_status),
                  "by_status": _labelled(clue_status, "status", dict(ClueStatus.choices)),
                  "dispositions": _labelled(disposition_kinds, "kind", dict(DispositionKind.choices))},
        "years": [{"year": y, "inspected": i_year.get(y, 0), "problems": p_year.get(y, 0),
                   "tasks": t_year.get(y, {}).get("total", 0), "accepted": t_year.get(y, {}).get("accepted", 0),
                   "clues": c_year.get(y, 0)} for y in years if y],
    }


def export_sheets(data: dict) -> list[tuple[str, str, list[str], list[list]]]:
    """The dashboard's tables as ledger sheets (one workbook, one sheet per table)."""
    p, t, cl = data["problems"], data["tasks"], data["clues"]
    return [
        ("总体情况", "巡察成果运用总体情况", ["项目", "数值"], [
            ["应巡察单位数", data["coverage"]["units"]], ["已巡察单位数", data["coverage"]["covered"]],
            ["巡察覆盖率（%）", data["coverage"]["rate"]], ["发现问题数", p["total"]], ["整改任务数", t["total"]],
            ["已验收", t["accepted"]], ["整改完成率（%）", t["rate"]], ["逾期未完成", t["overdue"]],
            ["即将到期", t["soon"]], ["整改报告逾期未报", t["report_late"]], ["问题线索数", cl["total"]]]),
        ("问题按指标领域", "发现问题按指标领域统计", ["指标领域", "问题数"], [[r["name"], r["value"]] for r in p["by_category"]]),
        ("问题按类型", "发现问题按类型统计", ["问题类型", "问题数"], [[r["name"], r["value"]] for r in p["by_kind"]]),
        ("问题按区域", "发现问题按区域统计", ["区域", "问题数"], [[r["name"], r["value"]] for r in p["by_region"]]),
        ("整改按区域", "整改任务按区域统计", ["区域", "任务数", "已验收", "逾期", "完成率（%）"],
         [[r["name"], r["total"], r["accepted"], r["overdue"], r["rate"]] for r in t["by_region"]]),
        ("整改按措施类型", "整改任务按措施类型统计", ["措施类型", "任务数", "已验收", "逾期"],
         [[r["name"], r["total"], r["accepted"], r["overdue"]] for r in t["by_kind"]]),
        ("线索处置", "问题线索及处置情况", ["类别", "项目", "数量"],
         [["线索状态", r["name"], r["value"]] for r in cl["by_status"]]
         + [["处置方式", r["name"], r["value"]] for r in cl["dispositions"]]),
        ("年度趋势", "巡察成果年度趋势", ["年度", "巡察单位数", "发现问题", "整改任务", "已验收", "问题线索"],
         [[r["year"], r["inspected"], r["problems"], r["tasks"], r["accepted"], r["clues"]] for r in data["years"]]),
    ]


@dataclass
class UnitProfile:
    unit: object
    inspections: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    clues: list | None = None  # details, only for who may view clues
    clue_count: int = 0


def unit_profile(user, unit) -> UnitProfile:
    """Every inspection, problem, task and clue of one unit over the years, within the user's scope.
    Precondition: the caller checked that `unit` is in the user's dashboard scope."""
    from xuncha.findings.models import Clue, Problem
    from xuncha.planning.models import InspectionTarget

    targets = (InspectionTarget.objects.for_user_perm(user, DASHBOARD).filter(unit=unit, inspection__is_deleted=False)
               .select_related("inspection__round", "inspection__group", "inspection__authority")
               .order_by("-inspection__round__year", "-inspection__round__number"))
    problems = (Problem.objects.for_user_perm(user, DASHBOARD).confirmed().filter(unit=unit)
                .select_related("inspection__round", "category").order_by("-inspection__round__year", "number"))
    tasks = (RectificationTask.objects.for_user_perm(user, DASHBOARD).filter(unit=unit)
             .select_related("problem", "inspection__round").order_by("-inspection__round__year", "deadline"))
    profile = UnitProfile(unit=unit, inspections=list(targets), problems=list(problems), tasks=list(tasks))
    clues = Clue.objects.for_user_perm(user, DASHBOARD).filter(unit=unit)
    profile.clue_count = clues.count()
    if has_perm(user, "findings:clue:view"):
        profile.clues = list(Clue.objects.for_user(user, "view").filter(unit=unit).select_related(
            "inspection__round").order_by("-id"))
    return profile
