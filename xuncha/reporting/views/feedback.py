"""Feedback (反馈意见): list, the feedback of an inspection (generate per target unit), one feedback
(versions, upload, issue, meetings), downloads, the feedback meeting, and the liaison's page
本单位巡察反馈 (issued feedback of the liaison's own unit, nothing else)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from xuncha.core.scoping import has_perm
from xuncha.planning.choices import STAGE_ORDER, Stage

from .. import forms, selectors, services
from ..models import Feedback, FeedbackMeeting
from .base import DOCX, ReportingView, flash_errors, form_refused, run, stored_response


def feedback_url(feedback_id: int) -> str:
    return reverse("reporting:feedback_detail", args=[feedback_id])


class FeedbackListView(ReportingView):
    permission = "reporting:feedback:view"

    def get(self, request):
        if not has_perm(request.user, "reporting:report:view"):
            # A unit's liaison holds only the feedback permission: its page is 本单位巡察反馈.
            return redirect("reporting:my_feedback")
        issued = request.GET.get("issued", "")
        q = request.GET.get("q", "").strip()
        page = Paginator(selectors.feedback_for_user(request.user, issued=issued, q=q), 50).get_page(
            request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "reporting/feedback_list.html", {
            "page": page, "issued": issued, "q": q, "query": query.urlencode()})


class InspectionFeedbackView(ReportingView):
    """The feedback of one inspection: one per target unit, with the generate button once the report
    is approved."""

    permissions = ("reporting:feedback:view",)

    def get(self, request, pk):
        user = request.user
        if not has_perm(user, "reporting:report:view"):
            raise Http404("记录不存在或不在您的授权范围内。")
        inspection = selectors.get_inspection(user, pk)
        report = selectors.report_of(user, inspection)
        items = list(selectors.feedback_of(user, inspection))
        targets = [link.unit for link in inspection.target_links.select_related("unit").order_by("unit__name")]
        have = {f.unit_id for f in items}
        missing = [u for u in targets if u.pk not in have]
        pending = bool(missing) or any(not f.is_issued for f in items)
        return render(request, "reporting/inspection_feedback.html", {
            "inspection": inspection, "report": report, "items": items, "missing": missing,
            "can_generate": report is not None and report.is_approved and pending
            and selectors.reaches_inspection(user, inspection, "reporting:feedback:add"),
        })


class FeedbackGenerateView(ReportingView):
    permission = "reporting:feedback:add"

    def post(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk)
        if not selectors.reaches_inspection(request.user, inspection, "reporting:feedback:add"):
            raise Http404("记录不存在或不在您的授权范围内。")
        return run(request, reverse("reporting:inspection_feedback", args=[inspection.pk]),
                   lambda: services.feedback_generate(actor=request.user, inspection=inspection),
                   "已根据审定的巡察报告生成各被巡察单位的反馈意见稿。")


class FeedbackDetailView(ReportingView):
    permission = "reporting:feedback:view"

    def get(self, request, pk):
        user = request.user
        if not has_perm(user, "reporting:report:view"):
            return redirect("reporting:my_feedback")
        feedback = selectors.get_feedback(user, pk)
        can_change = selectors.can(user, Feedback, feedback, "change") and not feedback.is_issued
        can_issue = selectors.can(user, Feedback, feedback, "issue") and not feedback.is_issued
        can_meet = has_perm(user, "reporting:meeting:view")
        return render(request, "reporting/feedback_detail.html", {
            "feedback": feedback, "inspection": feedback.inspection,
            "versions": selectors.feedback_versions(user, feedback),
            "meetings": selectors.meetings_of(user, feedback) if can_meet else None,
            "can_add_meeting": selectors.reaches_inspection(user, feedback.inspection, "reporting:meeting:add"),
            "can_change": can_change, "can_issue": can_issue,
            "stage_ok": STAGE_ORDER.index(feedback.inspection.stage) >= STAGE_ORDER.index(Stage.FEEDBACK),
            "upload_form": forms.DocxUploadForm(),
            "issue_form": forms.IssueForm(initial={"issued_on": timezone.localdate()}),
        })


class FeedbackUploadView(ReportingView):
    permission = "reporting:feedback:change"

    def post(self, request, pk):
        feedback = selectors.get_feedback(request.user, pk, "change")
        form = forms.DocxUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            form_refused(request, form)
            return redirect(feedback_url(feedback.pk))
        try:
            version = services.feedback_upload(actor=request.user, feedback=feedback,
                                               upload=form.cleaned_data["file"], note=form.cleaned_data["note"])
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, f"已上传修改稿，保存为{version}。")
        return redirect(feedback_url(feedback.pk))


class FeedbackIssueView(ReportingView):
    permission = "reporting:feedback:issue"

    def post(self, request, pk):
        feedback = selectors.get_feedback(request.user, pk, "issue")
        form = forms.IssueForm(request.POST)
        if not form.is_valid():
            form_refused(request, form)
            return redirect(feedback_url(feedback.pk))
        return run(request, feedback_url(feedback.pk),
                   lambda: services.feedback_issue(actor=request.user, feedback=feedback, **form.cleaned_data),
                   f"反馈意见已印发，{feedback.unit.name}的联络人现在可以查看。")


class FeedbackDownloadView(ReportingView):
    """The current document of a feedback. The liaison reaches only issued feedback of its own unit
    (the scope rule), so this one route serves both the group/office and the liaison."""

    permission = "reporting:feedback:view"

    def get(self, request, pk):
        feedback = selectors.get_feedback(request.user, pk)
        if feedback.current_id is None:
            raise Http404("该反馈意见尚无文稿。")
        return stored_response(feedback.current.file, DOCX)


class FeedbackVersionDownloadView(ReportingView):
    permission = "reporting:feedback:view"

    def get(self, request, pk):
        version = selectors.get_feedback_version(request.user, pk)
        return stored_response(version.file, DOCX)


class MyFeedbackView(ReportingView):
    """本单位巡察反馈: what a unit's liaison sees of the inspection of its unit (issued feedback only)."""

    permission = "reporting:feedback:view"

    def get(self, request):
        from xuncha.core.scoping import SCOPE_UNIT, user_grants

        own_unit = any(g.kind == SCOPE_UNIT for g in user_grants(request.user))
        return render(request, "reporting/my_feedback.html", {
            "items": selectors.liaison_feedback(request.user),
            "heading": "本单位巡察反馈" if own_unit else "已印发的反馈意见"})


# --- Feedback meetings ---------------------------------------------------------------------------------


class MeetingAddView(ReportingView):
    permission = "reporting:meeting:add"

    def _feedback(self, request, pk):
        feedback = selectors.get_feedback(request.user, pk)
        if not selectors.reaches_inspection(request.user, feedback.inspection, "reporting:meeting:add"):
            raise Http404("记录不存在或不在您的授权范围内。")
        return feedback

    def _render(self, request, feedback, form):
        return render(request, "reporting/meeting_form.html", {"feedback": feedback, "form": form})

    def get(self, request, pk):
        feedback = self._feedback(request, pk)
        return self._render(request, feedback, forms.MeetingForm(user=request.user, feedback=feedback, initial={
            "held_on": feedback.inspection.feedback_date}))

    def post(self, request, pk):
        feedback = self._feedback(request, pk)
        form = forms.MeetingForm(request.POST, request.FILES, user=request.user, feedback=feedback)
        if form.is_valid():
            data = dict(form.cleaned_data)
            attachments = data.pop("attachments")
            try:
                services.meeting_create(actor=request.user, feedback=feedback, data=data, attachments=attachments)
            except ValidationError as error:
                _apply(request, form, error)
            else:
                messages.success(request, "反馈会情况已登记。")
                return redirect(feedback_url(feedback.pk))
        request._operation_failed = True
        return self._render(request, feedback, form)


def _apply(request, form, error: ValidationError) -> None:
    from xuncha.core.views import apply_form_errors

    request._operation_failed = True
    apply_form_errors(form, error)


class MeetingEditView(ReportingView):
    permission = "reporting:meeting:change"

    def _render(self, request, meeting, form):
        return render(request, "reporting/meeting_form.html", {
            "feedback": meeting.feedback, "meeting": meeting, "form": form,
            "can_delete": selectors.can(request.user, FeedbackMeeting, meeting, "delete")})

    def get(self, request, pk):
        meeting = selectors.get_meeting(request.user, pk, "change")
        form = forms.MeetingForm(user=request.user, feedback=meeting.feedback, initial={
            "held_on": meeting.held_on, "place": meeting.place, "presided_by": meeting.presided_by,
            "attending_cadres": list(meeting.attending_cadres.all()), "attending_names": meeting.attending_names,
            "minutes": meeting.minutes})
        return self._render(request, meeting, form)

    def post(self, request, pk):
        meeting = selectors.get_meeting(request.user, pk, "change")
        form = forms.MeetingForm(request.POST, request.FILES, user=request.user, feedback=meeting.feedback)
        if form.is_valid():
            data = dict(form.cleaned_data)
            attachments = data.pop("attachments")
            try:
                services.meeting_update(actor=request.user, meeting=meeting, data=data, attachments=attachments)
            except ValidationError as error:
                _apply(request, form, error)
            else:
                messages.success(request, "反馈会情况已保存。")
                return redirect(feedback_url(meeting.feedback_id))
        request._operation_failed = True
        return self._render(request, meeting, form)


class MeetingDeleteView(ReportingView):
    permission = "reporting:meeting:delete"

    def post(self, request, pk):
        meeting = selectors.get_meeting(request.user, pk, "delete")
        return run(request, feedback_url(meeting.feedback_id),
                   lambda: services.meeting_delete(actor=request.user, meeting=meeting),
                   "反馈会记录已删除，删除前的内容保留在变更记录中。")


class MeetingFileView(ReportingView):
    """An attachment of a meeting (?file=<id>): only the meeting's own attachments."""

    permission = "reporting:meeting:view"

    def get(self, request, pk):
        meeting = selectors.get_meeting(request.user, pk)
        value = request.GET.get("file", "")
        stored = next((f for f in meeting.attachments.all() if str(f.pk) == value), None)
        if stored is None:
            raise Http404("附件不存在。")
        return stored_response(stored)

