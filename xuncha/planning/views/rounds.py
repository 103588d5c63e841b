"""Rounds of an annual plan, their groups, and the Word documents of rounds and annual plans."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from xuncha.core.scoping import in_scope

from .. import documents, forms, selectors, services
from ..choices import RoundKind, RoundStatus
from ..models import AnnualPlan, Round
from .base import DOCX, PlanningView, file_response, flash_errors, form_errors


def _round_url(rnd) -> str:
    return reverse("planning:round_detail", args=[rnd.pk])


class RoundListView(PlanningView):
    permission = "planning:round:view"

    def get(self, request):
        year = request.GET.get("year", "")
        kind = request.GET.get("kind", "")
        status = request.GET.get("status", "")
        qs = selectors.rounds_for_user(request.user, year=int(year) if year.isdigit() else None,
                                       kind=kind if kind in RoundKind.values else "",
                                       status=status if status in RoundStatus.values else "")
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "planning/round_list.html", {
            "page": page, "year": year, "kind": kind, "status": status, "kinds": RoundKind.choices,
            "statuses": RoundStatus.choices, "query": query.urlencode()})


class RoundAddView(PlanningView):
    """A new round in an annual plan (the annual plan's authority, year and numbering)."""

    permission = "planning:round:add"

    def _plan(self, request, pk) -> AnnualPlan:
        plan = selectors.get_annualplan(request.user, pk, "change")
        if not in_scope(request.user, "planning:round:add", region=plan.authority):
            from django.http import Http404

            raise Http404("记录不存在或不在您的授权范围内。")
        return plan

    def _render(self, request, plan, form):
        return render(request, "planning/round_form.html", {"annual_plan": plan, "form": form})

    def get(self, request, pk):
        plan = self._plan(request, pk)
        number = (plan.rounds.filter(is_deleted=False).order_by("-number").values_list("number", flat=True).first()
                  or 0) + 1
        return self._render(request, plan, forms.RoundForm(initial={"number": number, "kind": RoundKind.REGULAR}))

    def post(self, request, pk):
        plan = self._plan(request, pk)
        form = forms.RoundForm(request.POST)
        if form.is_valid():
            try:
                rnd = services.round_create(actor=request.user, annual_plan=plan, data=form.cleaned_data)
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, f"“{rnd}”已创建。请设置巡察组和巡察对象，然后启动本轮。")
                return redirect(_round_url(rnd))
        request._operation_failed = True
        return self._render(request, plan, form)


class RoundDetailView(PlanningView):
    permission = "planning:round:view"

    def get(self, request, pk):
        rnd = selectors.get_round(request.user, pk)
        user = request.user
        editable = selectors.can(user, Round, rnd, "change")
        inspections = list(selectors.round_inspections(user, rnd))
        can_transition = editable or selectors.can(user, Round, rnd, "transition")
        steps = {i.pk: selectors.inspection_steps(user, i) for i in inspections}
        start_reasons = []
        if rnd.status == RoundStatus.DRAFT and selectors.can(user, Round, rnd, "transition"):
            start_reasons = selectors.round_start_check(rnd)
        return render(request, "planning/round_detail.html", {
            "round": rnd, "groups": selectors.round_groups(rnd), "inspections": inspections,
            "rows": [(i, steps[i.pk]) for i in inspections], "editable": editable,
            "busy_groups": {i.group_id for i in inspections},
            "can_transition": can_transition and selectors.can(user, Round, rnd, "transition"),
            "can_export": selectors.can(user, Round, rnd, "export"),
            "can_delete": selectors.can(user, Round, rnd, "delete"),
            "can_add_inspection": editable and in_scope(user, "planning:inspection:add", region=rnd.authority),
            "start_reasons": start_reasons, "group_form": forms.GroupForm(),
        })


class RoundEditView(PlanningView):
    permission = "planning:round:change"

    def _render(self, request, rnd, form):
        return render(request, "planning/round_form.html", {"annual_plan": rnd.annual_plan, "round": rnd,
                                                             "form": form})

    def get(self, request, pk):
        rnd = selectors.get_round(request.user, pk, "change")
        return self._render(request, rnd, forms.RoundForm(instance=rnd))

    def post(self, request, pk):
        rnd = selectors.get_round(request.user, pk, "change")
        form = forms.RoundForm(request.POST, instance=selectors.get_round(request.user, pk, "change"))
        if form.is_valid():
            try:
                services.round_update(actor=request.user, instance=rnd, data=form.cleaned_data)
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, f"“{rnd}”已保存。")
                return redirect(_round_url(rnd))
        request._operation_failed = True
        return self._render(request, rnd, form)


class RoundDeleteView(PlanningView):
    permission = "planning:round:delete"

    def post(self, request, pk):
        rnd = selectors.get_round(request.user, pk, "delete")
        try:
            services.round_delete(actor=request.user, instance=rnd)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect(_round_url(rnd))
        messages.success(request, f"“{rnd}”已删除，删除前的内容保留在变更记录中。")
        return redirect(reverse("planning:annualplan_detail", args=[rnd.annual_plan_id]))


class RoundStartView(PlanningView):
    permission = "planning:round:transition"

    def post(self, request, pk):
        rnd = selectors.get_round(request.user, pk, "transition")
        try:
            services.round_start(actor=request.user, round=rnd)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, f"“{rnd}”已启动，各巡察组可按进驻日期进驻。")
        return redirect(_round_url(rnd))


class RoundFinishView(PlanningView):
    permission = "planning:round:transition"

    def post(self, request, pk):
        rnd = selectors.get_round(request.user, pk, "transition")
        try:
            services.round_finish(actor=request.user, round=rnd)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, f"“{rnd}”已结束。")
        return redirect(_round_url(rnd))


class RoundGroupAddView(PlanningView):
    permission = "planning:round:change"

    def post(self, request, pk):
        rnd = selectors.get_round(request.user, pk, "change")
        form = forms.GroupForm(request.POST)
        if form.is_valid():
            try:
                group = services.group_create(actor=request.user, round=rnd, **form.cleaned_data)
            except ValidationError as error:
                flash_errors(request, error)
            else:
                messages.success(request, f"已增加“{group.name}”。")
        else:
            request._operation_failed = True
            for line in form.error_summary():
                messages.error(request, line)
        return redirect(_round_url(rnd))


class GroupDeleteView(PlanningView):
    permission = "planning:round:change"

    def post(self, request, pk):
        group = selectors.get_group(request.user, pk, "change")
        try:
            services.group_delete(actor=request.user, group=group)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, f"已删除“{group.name}”。")
        return redirect(_round_url(group.round))


class RoundDocumentView(PlanningView):
    permission = "planning:round:export"

    def get(self, request, pk):
        rnd = selectors.get_round(request.user, pk, "export")
        inspections = list(selectors.round_inspections(request.user, rnd))
        checks = [c for i in inspections for c in selectors.checks_of(request.user, i)]
        content = documents.round_work_plan(rnd, inspections, checks)
        return file_response(content, f"{rnd.authority.name}{rnd}工作方案.docx", DOCX)


class AnnualPlanDocumentView(PlanningView):
    permission = "planning:annualplan:export"

    def get(self, request, pk):
        plan = selectors.get_annualplan(request.user, pk, "export")
        rounds = list(selectors.rounds_of(request.user, plan))
        by_round = {rnd.pk: list(selectors.round_inspections(request.user, rnd)) for rnd in rounds}
        content = documents.annual_plan(plan, rounds, by_round)
        return file_response(content, f"{plan.authority.name}{plan.year}年度巡察工作计划.docx", DOCX)
