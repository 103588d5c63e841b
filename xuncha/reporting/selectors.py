"""Every read of reporting's pages and API, always through the user's scope (`for_user`).

A record outside the user's scope is a 404, exactly as if it did not exist.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from xuncha.core.scoping import has_perm
from xuncha.planning.models import Inspection, Round

from . import choices as c
from .models import (
    ArchiveChecklist,
    ArchiveItem,
    Feedback,
    FeedbackMeeting,
    FeedbackVersion,
    InspectionReport,
    ReportVersion,
    ReviewEntry,
)

__all__ = ["get_inspection", "reports_for_user", "get_report", "report_of", "report_versions", "report_entries",
           "get_report_version", "review_rounds", "get_review_round", "round_reports", "feedback_for_user",
           "get_feedback", "feedback_of", "feedback_versions", "get_feedback_version", "meetings_of",
           "get_meeting", "liaison_feedback", "archives_for_user", "get_archive", "archive_of", "get_archive_item",
           "can", "inspections_for_reporting", "reaches_inspection"]


def _get(qs, pk):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404("记录不存在或不在您的授权范围内。")
    return obj


def can(user, model, obj, action: str) -> bool:
    """May `user` act with `action` on this very row (permission and scope)?"""
    from xuncha.core.scoping import permission_for

    if obj is None or not has_perm(user, permission_for(model, action)):
        return False
    return model.objects.for_user(user, action).filter(pk=obj.pk).exists()


def reaches_inspection(user, inspection, permission: str) -> bool:
    """Does a grant holding `permission` reach this inspection (the office over its region and below,
    the group over its own inspections)? For actions that create a record of the inspection."""
    from xuncha.core.scoping import SCOPE_GLOBAL, SCOPE_GROUP, SCOPE_REGION, user_grants

    path = inspection.authority.path
    for grant in user_grants(user):
        if permission not in grant.permissions:
            continue
        if grant.kind == SCOPE_GLOBAL:
            return True
        if grant.kind == SCOPE_REGION and path.startswith(grant.region_path or "\0"):
            return True
        if grant.kind == SCOPE_GROUP and grant.group_id == inspection.group_id:
            return True
    return False


def get_inspection(user, pk) -> Inspection:
    """The inspection, if the user sees it *and* holds some permission of reporting over it."""
    return _get(Inspection.objects.for_user(user, "view").select_related(
        "round", "round__authority", "group", "authority"), pk)


def inspections_for_reporting(user, stages: list[str]):
    """Inspections the user sees at one of `stages` (for the list pages' "not yet started" rows)."""
    return Inspection.objects.for_user(user, "view").filter(stage__in=stages).select_related(
        "round", "group", "authority").order_by("-round__year", "round__number", "group__number", "id")


# --- Reports --------------------------------------------------------------------------------------------


def reports_for_user(user, *, status: str = "", q: str = ""):
    qs = InspectionReport.objects.for_user(user, "view").select_related(
        "inspection", "inspection__round", "inspection__group", "authority", "current")
    if status in c.ReportStatus.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(inspection__group__name__icontains=q))
    return qs.order_by("-inspection__round__year", "inspection__round__number", "inspection__group__number", "id")


def get_report(user, pk, action: str = "view") -> InspectionReport:
    return _get(InspectionReport.objects.for_user(user, action).select_related(
        "inspection", "inspection__round", "inspection__group", "authority", "current"), pk)


def report_of(user, inspection) -> InspectionReport | None:
    return InspectionReport.objects.for_user(user, "view").select_related("current").filter(
        inspection=inspection).first()


def report_versions(user, report):
    return ReportVersion.objects.for_user(user, "view").filter(report=report).select_related(
        "file", "created_by").order_by("-number")


def get_report_version(user, pk) -> ReportVersion:
    return _get(ReportVersion.objects.for_user(user, "view").select_related("file", "report"), pk)


def report_entries(user, report):
    return ReviewEntry.objects.for_user(user, "view").filter(report=report).select_related("version").order_by("id")


# --- The unified review (统一把关) --------------------------------------------------------------------------


def review_rounds(user):
    """Rounds with at least one report the user may review, with counts per status."""
    reviewable = InspectionReport.objects.for_user(user, "review").values("inspection__round_id")
    return Round.objects.for_user(user, "view").filter(pk__in=reviewable).select_related(
        "authority", "joint_round").annotate(
        report_count=Count("inspections__reporting_inspectionreport_set", filter=Q(
            inspections__reporting_inspectionreport_set__is_deleted=False), distinct=True),
        waiting=Count("inspections__reporting_inspectionreport_set", filter=Q(
            inspections__reporting_inspectionreport_set__is_deleted=False,
            inspections__reporting_inspectionreport_set__status=c.ReportStatus.SUBMITTED), distinct=True),
        approved=Count("inspections__reporting_inspectionreport_set", filter=Q(
            inspections__reporting_inspectionreport_set__is_deleted=False,
            inspections__reporting_inspectionreport_set__status=c.ReportStatus.APPROVED), distinct=True),
    ).order_by("-year", "authority__path", "number", "id")


def get_review_round(user, pk) -> Round:
    return _get(Round.objects.for_user(user, "view").select_related("authority", "joint_round"), pk)


def round_reports(user, rnd: Round) -> list[InspectionReport]:
    """Every report of the round the user may review; for a joint round (上下联动) led by the user's
    office, the reports of every round of the joint round."""
    rounds = [rnd.pk]
    if rnd.joint_round_id:
        rounds = list(Round.objects.for_user(user, "view").filter(joint_round_id=rnd.joint_round_id).values_list(
            "pk", flat=True)) or rounds
    return list(InspectionReport.objects.for_user(user, "review").filter(inspection__round_id__in=rounds).select_related(
        "inspection", "inspection__round", "inspection__round__authority", "inspection__group", "current",
        "current__file", "authority").prefetch_related(
        Prefetch("entries", queryset=ReviewEntry.objects.for_user(user, "view").order_by("id"), to_attr="thread"),
        "inspection__target_links__unit").order_by(
        "inspection__round__authority__path", "inspection__group__number", "id"))


# --- Feedback ---------------------------------------------------------------------------------------------------


def feedback_for_user(user, *, issued: str = "", q: str = ""):
    qs = Feedback.objects.for_user(user, "view").select_related(
        "inspection", "inspection__round", "inspection__group", "unit", "authority", "current")
    if issued == "yes":
        qs = qs.filter(issued_at__isnull=False)
    elif issued == "no":
        qs = qs.filter(issued_at__isnull=True)
    if q:
        qs = qs.filter(Q(unit__name__icontains=q) | Q(title__icontains=q))
    return qs.order_by("-inspection__round__year", "inspection__round__number", "inspection__group__number",
                       "unit__name", "id")


def get_feedback(user, pk, action: str = "view") -> Feedback:
    return _get(Feedback.objects.for_user(user, action).select_related(
        "inspection", "inspection__round", "inspection__group", "unit", "authority", "current", "current__file"), pk)


def feedback_of(user, inspection):
    return Feedback.objects.for_user(user, "view").filter(inspection=inspection).select_related(
        "unit", "current", "current__file").order_by("unit__name", "id")


def feedback_versions(user, feedback):
    return FeedbackVersion.objects.for_user(user, "view").filter(feedback=feedback).select_related(
        "file", "created_by").order_by("-number")


def get_feedback_version(user, pk) -> FeedbackVersion:
    return _get(FeedbackVersion.objects.for_user(user, "view").select_related("file", "feedback"), pk)


def liaison_feedback(user):
    """本单位巡察反馈: the issued feedback of the liaison's own unit(s). The scope rule already keeps a
    unit grant to issued feedback of its unit; the filter on `issued_at` says it again here."""
    return Feedback.objects.for_user(user, "view").filter(issued_at__isnull=False).select_related(
        "unit", "inspection", "inspection__round", "authority", "current", "current__file").order_by(
        "-issued_at", "id")


def meetings_of(user, feedback):
    return FeedbackMeeting.objects.for_user(user, "view").filter(feedback=feedback).prefetch_related(
        "attending_cadres", "attachments").order_by("-held_on", "-id")


def get_meeting(user, pk, action: str = "view") -> FeedbackMeeting:
    return _get(FeedbackMeeting.objects.for_user(user, action).select_related(
        "feedback", "feedback__unit", "inspection").prefetch_related("attending_cadres", "attachments"), pk)


# --- Archive ------------------------------------------------------------------------------------------------------


def archives_for_user(user):
    return ArchiveChecklist.objects.for_user(user, "view").select_related(
        "inspection", "inspection__round", "inspection__group", "authority").annotate(
        item_count=Count("items", distinct=True),
        done_count=Count("items", filter=Q(items__done_at__isnull=False), distinct=True),
    ).order_by("-inspection__round__year", "inspection__round__number", "inspection__group__number", "id")


def get_archive(user, pk, action: str = "view") -> ArchiveChecklist:
    return _get(ArchiveChecklist.objects.for_user(user, action).select_related(
        "inspection", "inspection__round", "inspection__group", "authority", "completed_by"), pk)


def archive_of(user, inspection) -> ArchiveChecklist | None:
    return ArchiveChecklist.objects.for_user(user, "view").filter(inspection=inspection).first()


def archive_items(user, checklist):
    return ArchiveItem.objects.for_user(user, "view").filter(checklist=checklist).select_related(
        "done_by").order_by("order", "id")


def get_archive_item(user, pk, action: str = "change") -> ArchiveItem:
    return _get(ArchiveItem.objects.for_user(user, action).select_related(
        "checklist", "checklist__inspection"), pk)


def archive_jobs(user, checklist):
    """The archive exports this user started for this checklist (a job belongs to its owner)."""
    from xuncha.core.models import Job

    from .services import ARCHIVE_JOB, SECRET_JOB

    return Job.objects.filter(user=user, kind__in=[ARCHIVE_JOB, SECRET_JOB],
                              params__checklist=checklist.pk).order_by("-id")[:10]


def get_archive_job(user, pk):
    from xuncha.core.models import Job

    from .services import ARCHIVE_JOB, SECRET_JOB

    job = _get(Job.objects.filter(user=user, kind__in=[ARCHIVE_JOB, SECRET_JOB]), pk) if user.is_authenticated \
        else None
    if job is None:
        raise Http404("记录不存在或不在您的授权范围内。")
    return job
