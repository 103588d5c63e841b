"""立卷归档: the list, the closing page of an inspection (counts, items, number), the export job
(general volume, and the office's secret volume), its progress and its download."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from xuncha.core.models import Job
from xuncha.core.selectors import apply_live_progress
from xuncha.planning.choices import Stage

from .. import choices as c
from .. import forms, selectors, services, sources
from ..models import ArchiveChecklist
from .base import ReportingView, flash_errors, form_refused, run, stored_response


def archive_url(inspection_id: int) -> str:
    return reverse("reporting:inspection_archive", args=[inspection_id])


class ArchiveListView(ReportingView):
    permission = "reporting:archive:view"

    def get(self, request):
        page = Paginator(selectors.archives_for_user(request.user), 50).get_page(request.GET.get("page"))
        waiting = list(selectors.inspections_for_reporting(request.user, [Stage.FEEDBACK, Stage.TRANSFER,
                                                                          Stage.RECTIFY]).exclude(
            reporting_archivechecklist_set__is_deleted=False)[:20])
        return render(request, "reporting/archive_list.html", {"page": page, "waiting": waiting})


class InspectionArchiveView(ReportingView):
    permission = "reporting:archive:view"

    def get(self, request, pk):
        user = request.user
        inspection = selectors.get_inspection(user, pk)
        checklist = selectors.archive_of(user, inspection)
        context = {"inspection": inspection, "checklist": checklist,
                   "can_open": checklist is None and selectors.reaches_inspection(
                       user, inspection, "reporting:archive:add")
                   and inspection.stage in (Stage.FEEDBACK, Stage.TRANSFER, Stage.RECTIFY)}
        if checklist is not None:
            frozen = inspection.stage == Stage.ARCHIVED
            counts = sources.archive_counts(inspection)
            context.update({
                "items": selectors.archive_items(user, checklist), "counts": counts,
                "snapshot": checklist.counts, "help": {code: text for code, _, text in c.ARCHIVE_ITEMS},
                "can_change": not frozen and selectors.can(user, ArchiveChecklist, checklist, "change"),
                "can_export": selectors.can(user, ArchiveChecklist, checklist, "export"),
                "can_secret": selectors.can(user, ArchiveChecklist, checklist, "secret"),
                "jobs": selectors.archive_jobs(user, checklist),
                "form": forms.ArchiveForm(initial={"archive_number": checklist.archive_number,
                                                   "remarks": checklist.remarks}),
                "reasons": _archive_reasons(inspection),
                "secret_note": c.REPORTER_SECRET,
            })
        return render(request, "reporting/inspection_archive.html", context)


def _archive_reasons(inspection) -> list[str]:
    from ..conditions import archive_reasons

    return archive_reasons(inspection)


class ArchiveOpenView(ReportingView):
    permission = "reporting:archive:add"

    def post(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk)
        if not selectors.reaches_inspection(request.user, inspection, "reporting:archive:add"):
            raise Http404("记录不存在或不在您的授权范围内。")
        return run(request, archive_url(inspection.pk),
                   lambda: services.archive_open(actor=request.user, inspection=inspection),
                   "已建立立卷归档清单。")


class ArchiveEditView(ReportingView):
    permission = "reporting:archive:change"

    def post(self, request, pk):
        checklist = selectors.get_archive(request.user, pk, "change")
        form = forms.ArchiveForm(request.POST)
        if not form.is_valid():
            form_refused(request, form)
            return redirect(archive_url(checklist.inspection_id))
        return run(request, archive_url(checklist.inspection_id),
                   lambda: services.archive_update(actor=request.user, checklist=checklist, **form.cleaned_data),
                   "档号和备注已保存。")


class ArchiveItemTickView(ReportingView):
    permission = "reporting:archive:change"

    def post(self, request, pk):
        item = selectors.get_archive_item(request.user, pk, "change")
        form = forms.TickForm(request.POST)
        form.is_valid()
        done = bool(form.cleaned_data.get("done"))
        return run(request, archive_url(item.checklist.inspection_id),
                   lambda: services.archive_tick(actor=request.user, item=item, done=done,
                                                 note=form.cleaned_data.get("note", "")),
                   f"「{item.label}」已{'确认完成' if done else '改为未完成'}。")


class ArchiveExportView(ReportingView):
    """Start the export job (POST, `secret=1` for the secret volume) and show its progress page."""

    permissions = ("reporting:archive:export", "reporting:archive:secret")

    def post(self, request, pk):
        secret = request.POST.get("secret") == "1"
        checklist = selectors.get_archive(request.user, pk, "secret" if secret else "export")
        try:
            job = services.archive_export_start(actor=request.user, checklist=checklist, secret=secret)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect(archive_url(checklist.inspection_id))
        messages.info(request, "已开始导出，完成后可在本页下载。")
        return redirect(reverse("reporting:archivejob_detail", args=[job.pk]))


class ArchiveJobView(ReportingView):
    """The progress of an archive export; only its owner sees it (htmx polls while it runs)."""

    permissions = ("reporting:archive:export", "reporting:archive:secret")

    def get(self, request, pk):
        job = selectors.get_archive_job(request.user, pk)
        apply_live_progress(job)
        template = "reporting/_archive_job.html" if request.headers.get("HX-Request") else "reporting/archive_job.html"
        checklist = selectors.get_archive(request.user, (job.params or {}).get("checklist") or 0)
        return render(request, template, {"job": job, "checklist": checklist})


class ArchiveJobDownloadView(ReportingView):
    """The zip an archive export produced: its owner only, and only while the inspection is still in
    the owner's scope for that volume."""

    permissions = ("reporting:archive:export", "reporting:archive:secret")

    def get(self, request, pk):
        from xuncha.core.models import StoredFile

        job = selectors.get_archive_job(request.user, pk)
        if job.status != Job.Status.SUCCEEDED:
            raise Http404("导出尚未完成。")
        action = "secret" if (job.params or {}).get("secret") else "export"
        selectors.get_archive(request.user, (job.params or {}).get("checklist") or 0, action)
        stored = StoredFile.objects.filter(pk=(job.result or {}).get("file_id") or 0).first()
        if stored is None:
            raise Http404("导出文件不存在。")
        return stored_response(stored, "application/zip")
