"""Five-year plan pages beyond the Resource's: targets, elevation, coverage, ledger, proposals."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from xuncha.core import dictionaries
from xuncha.org import choices as org_choices

from .. import documents, forms, selectors, services
from ..choices import ProposalStatus
from ..coverage import STATUS_LABELS
from .base import XLSX, PlanningView, file_response, flash_errors, form_errors


def _plan_url(plan) -> str:
    return reverse("planning:plan_detail", args=[plan.pk])


class PlanTargetAddView(PlanningView):
    permission = "planning:plan:change"

    def _render(self, request, plan, form):
        return render(request, "planning/plan_target_add.html", {"plan": plan, "form": form})

    def get(self, request, pk):
        plan = selectors.get_plan(request.user, pk, "change")
        return self._render(request, plan, forms.TargetAddForm(user=request.user, plan=plan))

    def post(self, request, pk):
        plan = selectors.get_plan(request.user, pk, "change")
        form = forms.TargetAddForm(request.POST, user=request.user, plan=plan)
        if form.is_valid():
            try:
                added = services.plan_target_add(actor=request.user, plan=plan, units=form.cleaned_data["units"],
                                                 planned_year=form.cleaned_data["planned_year"])
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, f"已将 {len(added)} 个单位列入规划。")
                return redirect(_plan_url(plan))
        request._operation_failed = True
        return self._render(request, plan, form)


class PlanPopulateView(PlanningView):
    permission = "planning:plan:change"

    def post(self, request, pk):
        plan = selectors.get_plan(request.user, pk, "change")
        count = services.plan_populate(actor=request.user, plan=plan)
        messages.success(request, f"已将{plan.authority.name}尚未列入规划的 {count} 个单位全部列入。" if count
                         else "本级单位均已列入规划。")
        return redirect(_plan_url(plan))


class PlanTargetEditView(PlanningView):
    permission = "planning:plan:change"

    def _render(self, request, target, form):
        return render(request, "planning/plan_target_edit.html", {"target": target, "plan": target.plan, "form": form})

    def get(self, request, pk):
        target = selectors.get_target(request.user, pk, "change")
        initial = {name: getattr(target, name) for name in
                   ("planned_year", "planned_round", "is_fixed", "last_inspected_year", "remarks")}
        return self._render(request, target, forms.TargetEditForm(initial=initial, plan=target.plan))

    def post(self, request, pk):
        target = selectors.get_target(request.user, pk, "change")
        form = forms.TargetEditForm(request.POST, plan=target.plan)
        if form.is_valid():
            try:
                services.plan_target_update(actor=request.user, target=target, data=form.cleaned_data)
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, f"“{target.unit.name}”的安排已保存。")
                return redirect(_plan_url(target.plan))
        request._operation_failed = True
        return self._render(request, target, form)


class PlanTargetDeleteView(PlanningView):
    permission = "planning:plan:change"

    def post(self, request, pk):
        target = selectors.get_target(request.user, pk, "change")
        plan = target.plan
        services.plan_target_remove(actor=request.user, target=target)
        messages.success(request, f"已将“{target.unit.name}”移出规划，移出前的内容保留在变更记录中。")
        return redirect(_plan_url(plan))


class PlanElevateView(PlanningView):
    permission = "planning:plan:change"

    def _render(self, request, plan, form):
        return render(request, "planning/plan_elevate.html", {"plan": plan, "form": form})

    def get(self, request, pk):
        plan = selectors.get_plan(request.user, pk, "change")
        return self._render(request, plan, forms.ElevateForm(user=request.user, plan=plan))

    def post(self, request, pk):
        plan = selectors.get_plan(request.user, pk, "change")
        form = forms.ElevateForm(request.POST, user=request.user, plan=plan)
        if form.is_valid():
            try:
                target = services.plan_elevate(actor=request.user, plan=plan, unit=form.cleaned_data["unit"],
                                               planned_year=form.cleaned_data["planned_year"],
                                               remarks=form.cleaned_data["remarks"])
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, f"已将“{target.unit.name}”提级纳入本规划；所在县的覆盖统计将计为由市委巡察覆盖。")
                return redirect(_plan_url(plan))
        request._operation_failed = True
        return self._render(request, plan, form)


def _stale_years(request, default: int) -> int:
    try:
        value = int(request.GET.get("stale_years", default))
    except ValueError:
        return default
    return min(max(value, 1), 30)


def coverage_charts(report) -> dict:
    """Plain data for the ECharts options of the coverage page."""
    return {
        "years": [str(y.year) for y in report.per_year],
        "planned": [y.planned for y in report.per_year],
        "covered": [y.covered for y in report.per_year],
        "upper": [y.covered_by_upper for y in report.per_year],
        "late": [y.late for y in report.per_year],
        "rate": [y.cumulative_rate for y in report.per_year],
        "status": [{"name": STATUS_LABELS[k], "value": v} for k, v in report.status_counts.items()],
        # colours follow the statuses, so a status without units keeps its colour off the pie
        "status_colors": ["#2e7d32", "#1d6fa5", "#a4161a", "#9aa0a6", "#d6d8dc"],
    }


class PlanCoverageView(PlanningView):
    permission = "planning:plan:view"

    def get(self, request, pk):
        plan = selectors.get_plan(request.user, pk, "view")
        stale_years = _stale_years(request, plan.stale_years)
        report = selectors.coverage_report(plan, stale_years=stale_years)
        stale_page = Paginator(report.stale, 50).get_page(request.GET.get("page"))
        systems = dictionaries.labels(org_choices.DICT_UNIT_SYSTEM)
        return render(request, "planning/plan_coverage.html", {
            "plan": plan, "report": report, "stale_years": stale_years, "stale_page": stale_page,
            "charts": coverage_charts(report), "systems": systems,
            "can_export": selectors.can(request.user, type(plan), plan, "export"),
            "query": f"stale_years={stale_years}",
        })


class PlanLedgerView(PlanningView):
    permission = "planning:plan:export"

    def get(self, request, pk):
        plan = selectors.get_plan(request.user, pk, "export")
        report = selectors.coverage_report(plan, stale_years=_stale_years(request, plan.stale_years))
        stamp = timezone.localtime().strftime("%Y%m%d")
        return file_response(documents.coverage_ledger(plan, report), f"{plan.title}覆盖台账_{stamp}.xlsx", XLSX)


class CoverageOverviewView(PlanningView):
    permission = "planning:plan:view"

    def get(self, request):
        try:
            start_year = int(request.GET["term"]) if request.GET.get("term") else None
        except ValueError:
            start_year = None
        data = selectors.coverage_overview(request.user, start_year=start_year)
        chart = {"names": [r.plan.authority.name for r in data["rows"]],
                 "rates": [r.report.rate for r in data["rows"]],
                 "late": [r.report.late for r in data["rows"]]}
        return render(request, "planning/coverage_overview.html", {**data, "chart": chart})


class PlanProposeView(PlanningView):
    permission = "planning:plan:propose"

    def _render(self, request, plan, form):
        return render(request, "planning/plan_propose.html", {
            "plan": plan, "form": form, "target_count": plan.targets.filter(is_elevated=False).count()})

    def get(self, request, pk):
        plan = selectors.get_plan(request.user, pk, "propose")
        return self._render(request, plan, forms.ProposerForm(plan=plan, today=timezone.localdate()))

    def post(self, request, pk):
        plan = selectors.get_plan(request.user, pk, "propose")
        form = forms.ProposerForm(request.POST, plan=plan, today=timezone.localdate())
        if not form.is_valid():
            request._operation_failed = True
            return self._render(request, plan, form)
        proposal = services.proposal_start(actor=request.user, plan=plan, params=form.cleaned_data)
        return redirect(reverse("planning:proposal_detail", args=[proposal.pk]))


class ProposalDetailView(PlanningView):
    permission = "planning:plan:view"

    def get(self, request, pk):
        proposal = selectors.get_proposal(request.user, pk)
        context = {"proposal": proposal, "plan": proposal.plan,
                   "can_decide": proposal.status == ProposalStatus.READY and selectors.can(
                       request.user, type(proposal.plan), proposal.plan, "propose")}
        if proposal.status == ProposalStatus.RUNNING:
            template = "planning/_proposal_running.html" if request.headers.get("HX-Request") else \
                "planning/proposal_detail.html"
            return render(request, template, context)
        if proposal.status in (ProposalStatus.READY, ProposalStatus.ACCEPTED, ProposalStatus.REJECTED):
            rows = selectors.proposal_rows(proposal)
            per_slot: dict[tuple, int] = {}
            for row in rows:
                if row.year:
                    per_slot[(row.year, row.round)] = per_slot.get((row.year, row.round), 0) + 1
            context.update(rows=rows, per_slot=sorted(per_slot.items()),
                           years=proposal.plan.year_list, changed=sum(1 for r in rows if r.changed))
        if request.headers.get("HX-Request"):
            # The job finished while the page was polling: load the whole page.
            response = render(request, "planning/_proposal_running.html", context)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "planning/proposal_detail.html", context)


def _int_or_none(value):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationError(f"“{value}”不是有效的数字。") from None


class ProposalAcceptView(PlanningView):
    permission = "planning:plan:propose"

    def post(self, request, pk):
        proposal = selectors.get_proposal(request.user, pk, "propose")
        try:
            overrides = {}
            proposed = {row[0]: row for row in proposal.result.get("assignments", [])}
            for unit_id, row in proposed.items():
                if f"year_{unit_id}" not in request.POST:
                    continue
                year = _int_or_none(request.POST.get(f"year_{unit_id}"))
                rnd = _int_or_none(request.POST.get(f"round_{unit_id}"))
                fixed = request.POST.get(f"fixed_{unit_id}") == "on"
                if (year, rnd) != (row[1], row[2]) or fixed:
                    overrides[unit_id] = (year, rnd, fixed)
            changed = services.proposal_accept(actor=request.user, proposal=proposal, overrides=overrides)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect(reverse("planning:proposal_detail", args=[proposal.pk]))
        messages.success(request, f"已采纳排期建议，{changed} 个单位的计划年度已写入规划。")
        return redirect(_plan_url(proposal.plan))


class ProposalRejectView(PlanningView):
    permission = "planning:plan:propose"

    def post(self, request, pk):
        proposal = selectors.get_proposal(request.user, pk, "propose")
        try:
            services.proposal_reject(actor=request.user, proposal=proposal)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect(reverse("planning:proposal_detail", args=[proposal.pk]))
        messages.info(request, "已放弃该排期建议，规划未作任何改动。")
        return redirect(_plan_url(proposal.plan))
