"""The monthly supervision cycle: the rounds, running a month, the progress meeting, the notice
(download, regenerate, review, publish) and the reminders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from xuncha.core.files import read_bytes

from .. import choices as c
from .. import forms, selectors, services
from ..models import SupervisionNotice
from .base import DOCX, RectView, file_response, flash_errors, form_errors


def _round_url(rnd) -> str:
    return reverse("rectification:supervision_detail", args=[rnd.pk])


class SupervisionListView(RectView):
    permission = "rectification:supervision:view"

    def get(self, request):
        page = Paginator(selectors.rounds_for_user(request.user), 50).get_page(request.GET.get("page"))
        can_run = selectors.has_perm(request.user, "rectification:supervision:run")
        return render(request, "rectification/supervision_list.html", {
            "page": page, "form": forms.MonthForm(user=request.user) if can_run else None})


class SupervisionRunView(RectView):
    """Generate the month (idempotent: what exists stays as it is)."""

    permission = "rectification:supervision:run"

    def post(self, request):
        form = forms.MonthForm(request.POST, user=request.user)
        if not form.is_valid():
            request._operation_failed = True
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(reverse("rectification:supervision_list"))
        month = form.cleaned_data["month"]
        try:
            made = services.run_month(authority=form.cleaned_data["authority"], year=month.year, month=month.month,
                                      actor=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            if made["rounds"] or made["meetings"] or made["notices"]:
                messages.success(request, f"已生成{month.year}年{month.month}月督导：督导轮次{made['rounds']}个，"
                                          f"推进会{made['meetings']}个，督查通报{made['notices']}份。")
            else:
                messages.info(request, f"{month.year}年{month.month}月的督导已生成过，本次未作任何更改。")
        return redirect(reverse("rectification:supervision_list"))


class SupervisionDetailView(RectView):
    permission = "rectification:supervision:view"

    def get(self, request, pk):
        user = request.user
        rnd = selectors.get_round(user, pk)
        notice = SupervisionNotice.objects.for_user(user, "view").filter(round=rnd).first()
        meeting = rnd.meeting if hasattr(rnd, "meeting") else None
        can_meeting = meeting is not None and selectors.can(user, type(meeting), meeting, "change")
        return render(request, "rectification/supervision_detail.html", {
            "round": rnd, "figures": rnd.figures, "notice": notice, "meeting": meeting, "can_meeting": can_meeting,
            "can_review": notice is not None and notice.status == c.NoticeStatus.DRAFT
            and selectors.can(user, SupervisionNotice, notice, "review"),
            "can_regenerate": notice is not None and notice.status == c.NoticeStatus.DRAFT
            and selectors.can(user, SupervisionNotice, notice, "change"),
            "can_publish": notice is not None and notice.status == c.NoticeStatus.REVIEWED
            and selectors.can(user, SupervisionNotice, notice, "publish")})


class SupervisionMeetingView(RectView):
    """The progress meeting (整改推进会) of a round: date, attendees, minutes, decisions."""

    permission = "rectification:supervision:change"

    def _render(self, request, rnd, form):
        return render(request, "rectification/meeting_form.html", {"round": rnd, "form": form})

    def get(self, request, pk):
        rnd = selectors.get_round(request.user, pk, "change")
        meeting = selectors.get_meeting(request.user, rnd.meeting.pk)
        return self._render(request, rnd, forms.MeetingForm(instance=meeting, user=request.user))

    def post(self, request, pk):
        rnd = selectors.get_round(request.user, pk, "change")
        meeting = selectors.get_meeting(request.user, rnd.meeting.pk)
        form = forms.MeetingForm(request.POST, instance=selectors.get_meeting(request.user, rnd.meeting.pk),
                                 user=request.user)
        if form.is_valid():
            try:
                services.meeting_update(actor=request.user, meeting=meeting, data=form.cleaned_data)
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, "整改推进会记录已保存。")
                return redirect(_round_url(rnd))
        request._operation_failed = True
        return self._render(request, rnd, form)


class NoticeDocumentView(RectView):
    permission = "rectification:notice:view"

    def get(self, request, pk):
        notice = selectors.get_notice(request.user, pk)
        return file_response(read_bytes(notice.document), f"{notice.title}.docx", DOCX)


class _NoticeAction(RectView):
    done = ""

    def act(self, request, notice):
        raise NotImplementedError

    def post(self, request, pk):
        notice = selectors.get_notice(request.user, pk)
        try:
            self.act(request, notice)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, self.done)
        return redirect(_round_url(notice.round))


class NoticeRegenerateView(_NoticeAction):
    permission = "rectification:notice:change"
    done = "督查通报已按本月数据和推进会议定事项重新生成。"

    def act(self, request, notice):
        services.notice_regenerate(actor=request.user, notice=notice)


class NoticeReviewView(_NoticeAction):
    permission = "rectification:notice:review"
    done = "督查通报已审核。"

    def act(self, request, notice):
        services.notice_review(actor=request.user, notice=notice, opinion=request.POST.get("opinion", ""))


class NoticePublishView(_NoticeAction):
    permission = "rectification:notice:publish"
    done = "督查通报已发布。"

    def act(self, request, notice):
        services.notice_publish(actor=request.user, notice=notice)


class ReminderListView(RectView):
    permission = "rectification:reminder:view"

    def get(self, request):
        show_all = request.GET.get("all") == "1"
        page = Paginator(selectors.reminders_for_user(request.user, open_only=not show_all), 50).get_page(
            request.GET.get("page"))
        return render(request, "rectification/reminder_list.html", {"page": page, "show_all": show_all})


class ReminderHandleView(RectView):
    permission = "rectification:reminder:change"

    def post(self, request, pk):
        reminder = selectors.get_reminder(request.user, pk)
        services.reminder_handle(actor=request.user, reminder=reminder)
        messages.success(request, "提醒已标记为已处理。")
        return redirect(reverse("rectification:reminder_list"))
