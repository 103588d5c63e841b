"""Quota checks (fill, edit, publish, the Word notice), the shortfall chart; training attendance
and hours per person."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from .. import documents, forms, selectors, services
from ..models import QuotaCheck, QuotaCheckItem, TrainingAttendance, TrainingSession
from .base import TeamsView, apply_form_errors, file_response


def _check(user, pk, action="view"):
    return get_object_or_404(QuotaCheck.objects.for_user(user, action).select_related("authority"), pk=pk)


class QuotaCheckFillView(TeamsView):
    permission = "teams:quotacheck:change"
    http_method_names = ["post"]

    def post(self, request, pk):
        check = _check(request.user, pk, "change")
        try:
            added = services.quotacheck_fill(actor=request.user, check=check)
        except ValidationError as error:
            self.failed()
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已补充 {added} 个县区的检查结果。" if added else "各县区的检查结果均已列入。")
        return redirect(reverse("teams:quotacheck_detail", args=[pk]))


class QuotaCheckPublishView(TeamsView):
    permission = "teams:quotacheck:publish"
    http_method_names = ["post"]

    def post(self, request, pk):
        check = _check(request.user, pk, "publish")
        try:
            services.quotacheck_publish(actor=request.user, check=check)
        except ValidationError as error:
            self.failed()
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, "检查结果已通报，可下载通报文件。")
        return redirect(reverse("teams:quotacheck_detail", args=[pk]))


class QuotaCheckNoticeView(TeamsView):
    permission = "teams:quotacheck:export"

    def get(self, request, pk):
        check = _check(request.user, pk)
        items = list(QuotaCheckItem.objects.for_user(request.user, "view").filter(check_record=check)
                     .select_related("region"))
        content = documents.quota_notice(check, items, city_name=check.authority.name)
        return file_response(content, f"{check.title}通报.docx")


class QuotaCheckItemEditView(TeamsView):
    permission = "teams:quotacheck:change"

    def _item(self, pk):
        return get_object_or_404(QuotaCheckItem.objects.for_user(self.request.user, "change").select_related(
            "region", "check_record"), pk=pk)

    def _render(self, item, form):
        return render(self.request, "teams/quotacheckitem_form.html", {"item": item, "form": form})

    def get(self, request, pk):
        item = self._item(pk)
        return self._render(item, forms.QuotaCheckItemForm(instance=item))

    def post(self, request, pk):
        item = self._item(pk)
        form = forms.QuotaCheckItemForm(request.POST, instance=QuotaCheckItem(pk=item.pk, region=item.region,
                                                                              check_record=item.check_record))
        if form.is_valid():
            try:
                services.quotacheck_item_update(actor=request.user, item=item, data=form.cleaned_data)
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, f"{item.region.name}的检查结果已保存。")
                return redirect(reverse("teams:quotacheck_detail", args=[item.check_record_id]))
        self.failed()
        return self._render(item, form)


class QuotaChartView(TeamsView):
    permission = "teams:quota:view"

    def get(self, request):
        year = request.GET.get("year", "")
        data = selectors.quota_chart(request.user, int(year) if year.isdigit() else None)
        return render(request, "teams/quota_chart.html", {"data": data, "chart": {
            "names": data["names"], "approved": data["approved"], "filled": data["filled"],
            "shortfall": data["shortfall"]}})


class TrainingAttendanceView(TeamsView):
    permission = "teams:training:change"

    def _session(self, pk):
        return get_object_or_404(TrainingSession.objects.for_user(self.request.user, "change"), pk=pk)

    def _render(self, session, form):
        rows = list(TrainingAttendance.objects.for_user(self.request.user, "view").filter(session=session)
                    .select_related("cadre", "cadre__unit"))
        return render(self.request, "teams/training_attendance.html", {"session": session, "form": form,
                                                                        "rows": rows})

    def get(self, request, pk):
        session = self._session(pk)
        return self._render(session, forms.AttendanceForm(user=request.user, session=session))

    def post(self, request, pk):
        session = self._session(pk)
        form = forms.AttendanceForm(request.POST, user=request.user, session=session)
        if form.is_valid():
            try:
                saved = services.attendance_save(actor=request.user, session=session, rows=form.rows)
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, f"签到已保存：{sum(1 for a in saved if a.attended)} 人出勤。")
                return redirect(reverse("teams:training_detail", args=[pk]))
        self.failed()
        return self._render(session, form)


class TrainingHoursView(TeamsView):
    permission = "teams:training:view"

    def get(self, request):
        year = request.GET.get("year", "")
        rows = selectors.training_hours(request.user, int(year) if year.isdigit() else None)
        return render(request, "teams/training_hours.html", {"rows": rows, "year": year})
