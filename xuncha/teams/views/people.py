"""The person file (一人一表一档), pool status changes, pledges, secondments and reminders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from xuncha.core.files import read_bytes
from xuncha.core.scoping import has_perm

from .. import choices as c
from .. import documents, forms, selectors, services
from ..models import Pledge, PoolEntry, Secondment, TeamReminder
from ..resources import pool_resource
from .base import TeamsView, file_response


class PersonView(TeamsView):
    """一人一表一档: one page per person with entries, history, groups, evaluations, pledges,
    secondments, training and honours (pk is the cadre's)."""

    permission = "teams:pool:view"

    def get(self, request, pk):
        file = selectors.person_file(request.user, pk)
        return render(request, "teams/person_detail.html", {"file": file, "cadre": file.cadre})


class PersonWordView(TeamsView):
    permission = "teams:pool:export"

    def get(self, request, pk):
        file = selectors.person_file(request.user, pk)
        return file_response(documents.person_document(file), f"{file.cadre.name}登记表.docx")


class PoolStatusView(TeamsView):
    """出库、暂停使用、恢复使用、重新入库, each with a date and a reason."""

    permission = "teams:pool:change"
    http_method_names = ["post"]

    def post(self, request, pk):
        entry = get_object_or_404(PoolEntry.objects.for_user(request.user, "change"), pk=pk)
        form = forms.PoolStatusForm(request.POST)
        if form.is_valid():
            action = form.cleaned_data["action"]
            try:
                services.pools.STATUS_ACTIONS[action](actor=request.user, entry=entry, reason=form.cleaned_data["reason"],
                                                      date=form.cleaned_data["date"])
            except ValidationError as error:
                self.failed()
                messages.error(request, "；".join(error.messages))
            else:
                messages.success(request, f"{entry.cadre.name}：{c.PoolAction(action).label}已登记。")
        else:
            self.failed()
            messages.error(request, "；".join(form.error_summary()))
        return redirect(reverse(pool_resource.url_name("detail"), args=[pk]))


# --- Pledges ------------------------------------------------------------------------------------------


class PledgeWordView(TeamsView):
    """The pledge to print and sign, generated for this member (?kind=confidentiality|duty)."""

    permission = "teams:pledge:export"

    def get(self, request, pk):
        member = selectors.get_member_for_user(request.user, pk)
        kind = request.GET.get("kind", c.PledgeKind.CONFIDENTIALITY)
        if kind not in c.PledgeKind.values:
            raise Http404
        dates = selectors.mobilisation_dates([member.group])
        content = documents.pledge_document(member, kind, date=dates.get(member.group_id))
        return file_response(content, f"{member.cadre.name}{c.PledgeKind(kind).label}.docx")


class PledgeUploadView(TeamsView):
    permission = "teams:pledge:add"

    def _render(self, member, form):
        return render(self.request, "teams/pledge_upload.html", {"member": member, "form": form})

    def get(self, request, pk):
        member = selectors.get_member_for_user(request.user, pk)
        return self._render(member, forms.PledgeUploadForm(initial={
            "kind": request.GET.get("kind", c.PledgeKind.CONFIDENTIALITY), "signed_on": timezone.localdate()}))

    def post(self, request, pk):
        member = selectors.get_member_for_user(request.user, pk)
        form = forms.PledgeUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.pledge_upload(actor=request.user, member=member, kind=form.cleaned_data["kind"],
                                       upload=form.cleaned_data["file"], signed_on=form.cleaned_data["signed_on"])
            except ValidationError as error:
                from .base import apply_form_errors

                apply_form_errors(form, error)
            else:
                messages.success(request, f"{member.cadre.name}的签字件已上传。")
                return redirect(reverse("teams:inspectiongroup_detail", args=[member.group_id]))
        self.failed()
        return self._render(member, form)


class PledgeFileView(TeamsView):
    permission = "teams:pledge:view"

    def get(self, request, pk):
        pledge = get_object_or_404(Pledge.objects.for_user(request.user, "view").select_related(
            "signed_file", "member__cadre"), pk=pk)
        stored = pledge.signed_file
        return file_response(read_bytes(stored), stored.original_name,
                             stored.content_type or "application/octet-stream")


class PledgeOverviewView(TeamsView):
    """Who has not signed, group by group, before the mobilisation meeting (?round=)."""

    permission = "teams:pledge:view"

    def get(self, request):
        rounds = list(selectors.rounds_for_user(request.user)[:100])
        chosen = None
        value = request.GET.get("round", "")
        if value.isdigit():
            chosen = next((r for r in rounds if r.pk == int(value)), None)
            if chosen is None:
                raise Http404
        elif rounds:
            chosen = rounds[0]
        views = selectors.pledge_overview(request.user, chosen) if chosen else []
        return render(request, "teams/pledge_overview.html", {
            "rounds": rounds, "round": chosen, "groups": views, "today": timezone.localdate(),
            "can_upload": has_perm(request.user, "teams:pledge:add")})


# --- Secondments and reminders -------------------------------------------------------------------------


class SecondmentEndView(TeamsView):
    permission = "teams:secondment:change"
    http_method_names = ["post"]

    def post(self, request, pk):
        secondment = get_object_or_404(Secondment.objects.for_user(request.user, "change"), pk=pk)
        try:
            services.secondment_end(actor=request.user, instance=secondment)
        except ValidationError as error:
            self.failed()
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"{secondment.cadre.name}的抽调已结束。")
        return redirect(reverse("teams:secondment_detail", args=[pk]))


class ReminderListView(TeamsView):
    permission = "teams:reminder:view"

    def get(self, request):
        include = request.GET.get("all") == "1"
        reminders = list(selectors.reminders_for_user(request.user, include_handled=include)[:500])
        today = timezone.localdate()
        for r in reminders:
            r.days_left = (r.due_date - today).days
        return render(request, "teams/reminder_list.html", {
            "reminders": reminders, "include_handled": include,
            "can_handle": has_perm(request.user, "teams:reminder:change")})


class ReminderHandleView(TeamsView):
    permission = "teams:reminder:change"
    http_method_names = ["post"]

    def post(self, request, pk):
        reminder = get_object_or_404(TeamReminder.objects.for_user(request.user, "change"), pk=pk)
        services.reminder_handle(actor=request.user, reminder=reminder)
        messages.success(request, "提醒已标记为已处理。")
        return redirect(reverse("teams:reminder_list"))
