"""Inspections: list, create in a round, detail with the stage buttons, transitions, horizontal checks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from xuncha.core.files import read_bytes
from xuncha.core.scoping import in_scope

from .. import forms, selectors, services
from ..choices import Stage
from ..models import HorizontalCheck, Inspection
from ..panels import panels_for
from .base import PlanningView, file_response, flash_errors, form_errors


def _inspection_url(inspection) -> str:
    return reverse("planning:inspection_detail", args=[inspection.pk])


class InspectionListView(PlanningView):
    permission = "planning:inspection:view"

    def get(self, request):
        stage = request.GET.get("stage", "")
        year = request.GET.get("year", "")
        q = request.GET.get("q", "").strip()
        qs = selectors.inspections_for_user(request.user, stage=stage if stage in Stage.values else "",
                                            year=int(year) if year.isdigit() else None, q=q)
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "planning/inspection_list.html", {
            "page": page, "stage": stage, "year": year, "q": q, "stages": Stage.choices, "query": query.urlencode()})


class InspectionAddView(PlanningView):
    permission = "planning:inspection:add"

    def _round(self, request, pk):
        rnd = selectors.get_round(request.user, pk, "change")
        if not in_scope(request.user, "planning:inspection:add", region=rnd.authority):
            from django.http import Http404

            raise Http404("记录不存在或不在您的授权范围内。")
        return rnd

    def _render(self, request, rnd, form):
        return render(request, "planning/inspection_form.html", {"round": rnd, "form": form})

    def get(self, request, pk):
        rnd = self._round(request, pk)
        initial = {"stationed_date": rnd.start_date}
        return self._render(request, rnd, forms.InspectionForm(initial=initial, round=rnd, user=request.user))

    def post(self, request, pk):
        rnd = self._round(request, pk)
        form = forms.InspectionForm(request.POST, round=rnd, user=request.user)
        if form.is_valid():
            try:
                inspection = services.inspection_create(actor=request.user, round=rnd, data=form.cleaned_data)
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, f"已为“{inspection.group.name}”确定巡察任务。")
                return redirect(reverse("planning:round_detail", args=[rnd.pk]))
        request._operation_failed = True
        return self._render(request, rnd, form)


class InspectionDetailView(PlanningView):
    permission = "planning:inspection:view"

    def get(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk)
        user = request.user
        log = list(selectors.transition_log(user, inspection))
        reached = {}
        for row in log:
            reached.setdefault(row.to_stage, row.created_at)
        timeline = [{"value": s.value, "label": s.label, "planned": inspection.stage_date(s.value),
                     "done": index <= inspection.stage_index, "current": s.value == inspection.stage,
                     "reached": reached.get(s.value)} for index, s in enumerate(Stage)]
        can_view_checks = selectors.can_view_checks(user)
        return render(request, "planning/inspection_detail.html", {
            "inspection": inspection, "round": inspection.round, "targets": selectors.inspection_targets(inspection),
            "timeline": timeline, "log": log, "steps": selectors.inspection_steps(user, inspection),
            "editable": selectors.can(user, Inspection, inspection, "change"),
            "can_delete": inspection.stage == Stage.PREPARE and selectors.can(user, Inspection, inspection, "delete"),
            "checks": selectors.checks_of(user, inspection) if can_view_checks else None,
            "can_add_check": inspection.stage != Stage.ARCHIVED and in_scope(
                user, "planning:horizontalcheck:add", region=inspection.authority),
            "panels": panels_for(user, inspection),
        })


class InspectionEditView(PlanningView):
    permission = "planning:inspection:change"

    def _render(self, request, inspection, form):
        return render(request, "planning/inspection_form.html", {"round": inspection.round, "inspection": inspection,
                                                                  "form": form})

    def get(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk, "change")
        return self._render(request, inspection, forms.InspectionForm(instance=inspection, round=inspection.round,
                                                                      user=request.user))

    def post(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk, "change")
        form = forms.InspectionForm(request.POST, instance=selectors.get_inspection(request.user, pk, "change"),
                                    round=inspection.round, user=request.user)
        if form.is_valid():
            try:
                services.inspection_update(actor=request.user, instance=inspection, data=form.cleaned_data)
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, "巡察任务已保存。")
                return redirect(_inspection_url(inspection))
        request._operation_failed = True
        return self._render(request, inspection, form)


class InspectionDeleteView(PlanningView):
    permission = "planning:inspection:delete"

    def post(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk, "delete")
        try:
            services.inspection_delete(actor=request.user, instance=inspection)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect(_inspection_url(inspection))
        messages.success(request, "巡察任务已删除，删除前的内容保留在变更记录中。")
        return redirect(reverse("planning:round_detail", args=[inspection.round_id]))


class InspectionTransitionView(PlanningView):
    """One stage change. Permission per step (流转 or 提交报告), checked by the service."""

    permission = "planning:inspection:view"

    def post(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk)
        form = forms.TransitionForm(request.POST)
        if not form.is_valid():
            request._operation_failed = True
            for line in form.error_summary():
                messages.error(request, line)
            return redirect(_inspection_url(inspection))
        try:
            row = services.inspection_advance(actor=request.user, inspection=inspection,
                                              to_stage=form.cleaned_data["to_stage"],
                                              opinion=form.cleaned_data["opinion"])
        except PermissionDenied:
            request._operation_failed = True
            raise
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, f"已由「{row.get_from_stage_display()}」转入「{row.get_to_stage_display()}」。")
        return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/planning/")
                        else _inspection_url(inspection))


class CheckAddView(PlanningView):
    permission = "planning:horizontalcheck:add"

    def _inspection(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk)
        if not in_scope(request.user, "planning:horizontalcheck:add", region=inspection.authority):
            from django.http import Http404

            raise Http404("记录不存在或不在您的授权范围内。")
        return inspection

    def _render(self, request, inspection, form, check=None):
        return render(request, "planning/check_form.html", {"inspection": inspection, "form": form, "check": check})

    def get(self, request, pk):
        inspection = self._inspection(request, pk)
        rnd = inspection.round
        return self._render(request, inspection, forms.CheckForm(
            inspection=inspection, initial={"planned_start": rnd.start_date, "planned_end": rnd.end_date}))

    def post(self, request, pk):
        inspection = self._inspection(request, pk)
        form = forms.CheckForm(request.POST, inspection=inspection)
        if form.is_valid():
            try:
                check = services.check_create(actor=request.user, inspection=inspection, data=form.cleaned_data)
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, f"已安排“{check}”与本次巡察同步开展。")
                return redirect(_inspection_url(inspection))
        request._operation_failed = True
        return self._render(request, inspection, form)


class CheckEditView(PlanningView):
    permission = "planning:horizontalcheck:change"

    def get(self, request, pk):
        check = selectors.get_check(request.user, pk, "change")
        form = forms.CheckForm(instance=check, inspection=check.inspection)
        return render(request, "planning/check_form.html", {"inspection": check.inspection, "form": form,
                                                             "check": check})

    def post(self, request, pk):
        check = selectors.get_check(request.user, pk, "change")
        form = forms.CheckForm(request.POST, instance=selectors.get_check(request.user, pk, "change"),
                               inspection=check.inspection)
        if form.is_valid():
            try:
                services.check_update(actor=request.user, instance=check, data=form.cleaned_data)
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, "协同检查已保存。")
                return redirect(_inspection_url(check.inspection))
        request._operation_failed = True
        return render(request, "planning/check_form.html", {"inspection": check.inspection, "form": form,
                                                             "check": check})


class CheckResultView(PlanningView):
    """Attach the department's result: a summary, the date and the report file."""

    permission = "planning:horizontalcheck:change"

    def _render(self, request, check, form):
        return render(request, "planning/check_result.html", {"check": check, "inspection": check.inspection,
                                                               "form": form})

    def get(self, request, pk):
        check = selectors.get_check(request.user, pk, "change")
        initial = {"result_summary": check.result_summary, "completed_on": check.completed_on}
        return self._render(request, check, forms.CheckResultForm(initial=initial))

    def post(self, request, pk):
        check = selectors.get_check(request.user, pk, "change")
        form = forms.CheckResultForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.check_record_result(actor=request.user, check=check,
                                             summary=form.cleaned_data["result_summary"],
                                             completed_on=form.cleaned_data["completed_on"],
                                             upload=form.cleaned_data.get("file"))
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, f"已登记“{check}”的结果。")
                return redirect(_inspection_url(check.inspection))
        request._operation_failed = True
        return self._render(request, check, form)


class CheckFileView(PlanningView):
    permission = "planning:horizontalcheck:view"

    def get(self, request, pk):
        check: HorizontalCheck = selectors.get_check(request.user, pk)
        if check.result_file_id is None:
            from django.http import Http404

            raise Http404("该协同检查尚未上传结果附件。")
        stored = check.result_file
        return file_response(read_bytes(stored), stored.original_name,
                             stored.content_type or "application/octet-stream")
