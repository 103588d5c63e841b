"""Every read of fieldwork, always through the user's scope (except the counting helpers for other
apps' checklists, whose caller has already checked the inspection)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404

from xuncha.core.scoping import has_perm, scope_q
from xuncha.planning.models import Inspection

from . import choices as c
from .models import DocumentRequest, HearingReport, MeetingAttendance, Petition, Talk, Visit

__all__ = ["METHODS", "inspections_for_fieldwork", "get_inspection", "method_counts", "method_tabs",
           "talk_plan_progress", "petition_status_counts"]

# (key, Chinese label, model): the order of the hub's tabs and of `method_counts`.
METHODS = [
    ("hearingreport", "听取汇报", HearingReport),
    ("talk", "个别谈话", Talk),
    ("petition", "信访举报", Petition),
    ("documentrequest", "调阅资料", DocumentRequest),
    ("meetingattendance", "列席会议", MeetingAttendance),
    ("visit", "走访下沉", Visit),
]


def inspections_for_fieldwork(user, permission: str):
    """Inspections whose records `permission` reaches: the office's region and below, a group's own.

    Not planning's upward read: a county office reads the city's plans, never the city's talks.
    """
    q = scope_q(Inspection, user, permission)
    if q is None:
        return Inspection.objects.none()
    return Inspection.objects.filter(q).select_related("round", "group", "authority")


def any_method_permission(user, action: str = "view") -> str | None:
    for key, _, _ in METHODS:
        if has_perm(user, f"fieldwork:{key}:{action}"):
            return f"fieldwork:{key}:{action}"
    return None


def get_inspection(user, pk: int) -> Inspection:
    """The inspection for the hub: 404 unless some fieldwork view permission of the user reaches it."""
    permission = any_method_permission(user)
    if permission is not None:
        inspection = inspections_for_fieldwork(user, permission).filter(pk=pk).first()
        if inspection is not None:
            return inspection
    raise Http404("记录不存在或不在您的授权范围内。")


def method_counts(inspection) -> dict[str, int]:
    """Live records per method of one inspection, Chinese labels as keys (for the archive checklist).

    Talks count only those held (已谈话); planned and cancelled ones are not yet work done.
    The caller has checked that the inspection is in the reader's scope.
    """
    counts = {}
    for _key, label, model in METHODS:
        qs = model.objects.filter(inspection=inspection)
        if model is Talk:
            qs = qs.filter(status=c.TalkStatus.DONE)
        counts[label] = qs.count()
    return counts


def method_tabs(user, inspection) -> list[dict]:
    """The hub's tabs: per method the count the user may see (None where the user may not see it)."""
    tabs = []
    for key, label, model in METHODS:
        visible = has_perm(user, f"fieldwork:{key}:view")
        count = model.objects.for_user(user, "view").filter(inspection=inspection).count() if visible else None
        tabs.append({"key": key, "label": label, "count": count, "visible": visible,
                     "can_add": has_perm(user, f"fieldwork:{key}:add")})
    return tabs


def counts_for_inspections(user, inspection_ids: list[int]) -> dict[int, dict[str, int | None]]:
    """{inspection id: {method key: count the user sees}}: one grouped query per method."""
    result: dict[int, dict[str, int | None]] = {pk: {} for pk in inspection_ids}
    for key, _, model in METHODS:
        if not has_perm(user, f"fieldwork:{key}:view"):
            for pk in inspection_ids:
                result[pk][key] = None
            continue
        rows = (model.objects.for_user(user, "view").filter(inspection_id__in=inspection_ids)
                .values("inspection_id").annotate(n=Count("id")).order_by())
        found = {row["inspection_id"]: row["n"] for row in rows}
        for pk in inspection_ids:
            result[pk][key] = found.get(pk, 0)
    return result


def talk_plan_progress(user, inspection) -> list[dict]:
    """Talk plan per interviewee category: planned, held, cancelled (one grouped query)."""
    rows = (Talk.objects.for_user(user, "view").filter(inspection=inspection).values("category", "status")
            .annotate(n=Count("id")))
    table = {cat: {"label": label, "planned": 0, "done": 0, "cancelled": 0}
             for cat, label in c.TalkCategory.choices}
    for row in rows:
        table[row["category"]][row["status"]] += row["n"]
    result = []
    for cat, entry in table.items():
        total = entry["planned"] + entry["done"]
        if total or entry["cancelled"]:
            entry["total"] = total
            entry["percent"] = round(100 * entry["done"] / total) if total else 0
            entry["category"] = cat
            result.append(entry)
    return result


def petition_status_counts(user, inspection) -> dict[str, int]:
    qs = Petition.objects.for_user(user, "view").filter(inspection=inspection)
    agg = qs.aggregate(**{s: Count("id", filter=Q(status=s)) for s in c.PetitionStatus.values})
    return {label: agg[value] for value, label in c.PetitionStatus.choices}


def recent(user, model, inspection, limit: int = 8):
    return model.objects.for_user(user, "view").filter(inspection=inspection)[:limit]
