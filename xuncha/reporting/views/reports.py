"""The inspection report: list, the report page of an inspection (generate, upload, submit, thread),
version downloads, and the office's unified review of a round (统一把关)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from xuncha.core.scoping import has_perm
from xuncha.planning.choices import Stage

from .. import choices as c
from .. import forms, selectors, services
from ..models import InspectionReport
from .base import DOCX, ReportingView, flash_errors, form_refused, run, stored_response

REPORT_STAGES = [Stage.UNDERSTAND, Stage.REPORT]


def report_url(inspection_id: int) -> str:
    return reverse("reporting:inspection_report", args=[inspection_id])


class ReportListView(ReportingView):
    permission = "reporting:report:view"

    def get(self, request):
        status = request.GET.get("status", "")
        q = request.GET.get("q", "").strip()
        page = Paginator(selectors.reports_for_user(request.user, status=status, q=q), 50).get_page(
            request.GET.get("page"))
        waiting = []
        if has_perm(request.user, "reporting:report:add"):
            waiting = list(selectors.inspections_for_reporting(request.user, REPORT_STAGES).exclude(
                reporting_inspectionreport_set__is_deleted=False)[:20])
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "reporting/report_list.html", {
            "page": page, "status": status, "q": q, "statuses": c.ReportStatus.choices, "waiting": waiting,
            "query": query.urlencode()})


class InspectionReportView(ReportingView):
    """The report of one inspection: its status, versions, thread and the actions the user may take."""

    permission = "reporting:report:view"

    def get(self, request, pk):
        user = request.user
        inspection = selectors.get_inspection(user, pk)
        report = selectors.report_of(user, inspection)
        can_add = selectors.reaches_inspection(user, inspection, "reporting:report:add")
        context = {"inspection": inspection, "report": report, "stage_ok": inspection.stage in REPORT_STAGES,
                   "can_generate": False, "can_change": False, "can_submit": False, "can_review": False,
                   "can_comment": False}
        if report is None:
            context["can_generate"] = can_add and inspection.stage in REPORT_STAGES
        else:
            can_change = selectors.can(user, InspectionReport, report, "change")
            can_review = selectors.can(user, InspectionReport, report, "review")
            context.update({
                "versions": selectors.report_versions(user, report),
                "entries": selectors.report_entries(user, report),
                "can_generate": can_change and report.editable and inspection.stage in REPORT_STAGES,
                "can_change": can_change and report.editable and inspection.stage in REPORT_STAGES,
                "can_submit": selectors.can(user, InspectionReport, report, "submit") and report.editable,
                "can_review": can_review and report.status == c.ReportStatus.SUBMITTED,
                "can_comment": can_change or can_review,
                "upload_form": forms.DocxUploadForm(), "edit_form": forms.ReportEditForm(initial={
                    "title": report.title, "recommendations": report.recommendations}),
                "comment_form": forms.CommentForm(), "return_form": forms.ReturnForm(),
                "approve_form": forms.ApproveForm(), "submit_form": forms.SubmitForm(),
            })
        return render(request, "reporting/inspection_report.html", context)


class ReportGenerateView(ReportingView):
    """生成报告初稿 (POST): the first draft, or a new generated version of an editable report."""

    permission = "reporting:report:add"

    def post(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk)
        return run(request, report_url(inspection.pk),
                   lambda: services.report_generate(actor=request.user, inspection=inspection),
                   "已根据已确认的问题生成巡察报告初稿，请下载后修改。")


class ReportEditView(ReportingView):
    permission = "reporting:report:change"

    def post(self, request, pk):
        report = selectors.get_report(request.user, pk, "change")
        form = forms.ReportEditForm(request.POST)
        if not form.is_valid():
            form_refused(request, form)
            return redirect(report_url(report.inspection_id))
        return run(request, report_url(report.inspection_id),
                   lambda: services.report_update(actor=request.user, report=report, **form.cleaned_data),
                   "报告标题和意见建议已保存。")


class ReportUploadView(ReportingView):
    permission = "reporting:report:change"

    def post(self, request, pk):
        report = selectors.get_report(request.user, pk, "change")
        form = forms.DocxUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            form_refused(request, form)
            return redirect(report_url(report.inspection_id))
        try:
            version = services.report_upload(actor=request.user, report=report, upload=form.cleaned_data["file"],
                                             note=form.cleaned_data["note"])
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, f"已上传修改稿，保存为{version}。")
        return redirect(report_url(report.inspection_id))


class ReportSubmitView(ReportingView):
    permission = "reporting:report:submit"

    def post(self, request, pk):
        report = selectors.get_report(request.user, pk, "submit")
        form = forms.SubmitForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        return run(request, report_url(report.inspection_id),
                   lambda: services.report_submit(actor=request.user, report=report, note=note),
                   "巡察报告已提交巡察办统一把关。")


def _back(request, report) -> str:
    """Back to the review page when the action came from it, else to the report page."""
    if request.POST.get("from") == "review":
        return reverse("reporting:round_review", args=[report.inspection.round_id]) + f"#report-{report.pk}"
    return report_url(report.inspection_id)


class ReportCommentView(ReportingView):
    permissions = ("reporting:report:review", "reporting:report:change")

    def post(self, request, pk):
        report = selectors.get_report(request.user, pk)
        form = forms.CommentForm(request.POST)
        if not form.is_valid():
            form_refused(request, form)
            return redirect(_back(request, report))
        return run(request, _back(request, report),
                   lambda: services.report_comment(actor=request.user, report=report, text=form.cleaned_data["text"]),
                   "意见已发表。")


class ReportReturnView(ReportingView):
    permission = "reporting:report:review"

    def post(self, request, pk):
        report = selectors.get_report(request.user, pk, "review")
        form = forms.ReturnForm(request.POST)
        if not form.is_valid():
            form_refused(request, form)
            return redirect(_back(request, report))
        return run(request, _back(request, report),
                   lambda: services.report_return(actor=request.user, report=report,
                                                  reasons=form.cleaned_data["reasons"]),
                   "巡察报告已退回巡察组修改。")


class ReportApproveView(ReportingView):
    permission = "reporting:report:review"

    def post(self, request, pk):
        report = selectors.get_report(request.user, pk, "review")
        form = forms.ApproveForm(request.POST)
        opinion = form.cleaned_data["opinion"] if form.is_valid() else ""
        return run(request, _back(request, report),
                   lambda: services.report_approve(actor=request.user, report=report, opinion=opinion),
                   "巡察报告已审定，巡察任务可以转入反馈阶段。")


class ReportVersionDownloadView(ReportingView):
    permission = "reporting:report:view"

    def get(self, request, pk):
        version = selectors.get_report_version(request.user, pk)
        return stored_response(version.file, DOCX)


# --- 统一把关 ------------------------------------------------------------------------------------------


class ReviewRoundsView(ReportingView):
    """The rounds whose reports the office reviews, with how many wait and how many are approved."""

    permission = "reporting:report:review"

    def get(self, request):
        return render(request, "reporting/review_rounds.html", {"rounds": selectors.review_rounds(request.user)})


class RoundReviewView(ReportingView):
    """统一把关 of one round (and of every round of its joint round): each report with its status, its
    current version, its thread, and the return / approve forms."""

    permission = "reporting:report:review"

    def get(self, request, pk):
        rnd = selectors.get_review_round(request.user, pk)
        reports = selectors.round_reports(request.user, rnd)
        summary = {s: sum(1 for r in reports if r.status == s) for s in c.ReportStatus.values}
        return render(request, "reporting/round_review.html", {
            "round": rnd, "reports": reports, "summary": summary, "statuses": c.ReportStatus,
            "comment_form": forms.CommentForm(), "return_form": forms.ReturnForm(),
            "approve_form": forms.ApproveForm()})
