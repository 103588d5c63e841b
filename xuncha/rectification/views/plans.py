"""The unit's plan (gate 1): list, open from an issued feedback, edit, measures, submit, approve or
return, the rectification report, publication."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from .. import choices as c
from .. import forms, selectors, services
from ..models import RectificationPlan
from .base import RectView, flash_errors, form_errors, int_param


def _plan_url(plan) -> str:
    return reverse("rectification:plan_detail", args=[plan.pk])


class PlanListView(RectView):
    permission = "rectification:plan:view"

    def get(self, request):
        status = request.GET.get("status", "")
        q = request.GET.get("q", "").strip()
        qs = selectors.plans_for_user(request.user, status=status if status in c.PlanStatus.values else "", q=q)
        inspection = request.GET.get("inspection", "")
        if inspection.isdigit():
            qs = qs.filter(inspection_id=int(inspection))
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        page.object_list = selectors.with_task_counts(list(page.object_list))
        return render(request, "rectification/plan_list.html", {
            "page": page, "status": status, "q": q, "statuses": c.PlanStatus.choices,
            "feedbacks": list(selectors.open_feedbacks(request.user)[:50])})


class InspectionPlansView(RectView):
    """The plans of one inspection (the 整改落实 panel of the inspection page)."""

    permission = "rectification:plan:view"

    def get(self, request, pk):
        from xuncha.planning.models import Inspection

        inspection = Inspection.objects.for_user(request.user, "view").filter(pk=pk).first()
        if inspection is None:
            raise Http404("记录不存在或不在您的授权范围内。")
        return redirect(reverse("rectification:plan_list") + f"?inspection={inspection.pk}")


class PlanAddView(RectView):
    """Open the plan answering an issued feedback (?feedback=<id>)."""

    permission = "rectification:plan:add"

    def _feedback(self, request):
        pk = int_param(request, "feedback")
        if pk is None:
            raise Http404("请从反馈意见进入。")
        return selectors.get_feedback(request.user, pk)

    def get(self, request):
        feedback = self._feedback(request)
        return render(request, "rectification/plan_form.html", {"feedback": feedback, "form": forms.PlanForm()})

    def post(self, request):
        feedback = self._feedback(request)
        form = forms.PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = services.plan_create(actor=request.user, feedback=feedback, summary=form.cleaned_data["summary"])
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, "整改方案已建立，请逐个问题制定整改措施。")
                return redirect(_plan_url(plan))
        request._operation_failed = True
        return render(request, "rectification/plan_form.html", {"feedback": feedback, "form": form})


class PlanDetailView(RectView):
    permission = "rectification:plan:view"

    def get(self, request, pk):
        user = request.user
        plan = selectors.get_plan(user, pk)
        problems = selectors.plan_problems(plan)
        can = {a: selectors.can(user, RectificationPlan, plan, a) for a in ("change", "submit", "approve", "publish")}
        approved = plan.status == c.PlanStatus.APPROVED
        can["any"] = ((can["submit"] and plan.editable) or (can["approve"] and plan.status == c.PlanStatus.SUBMITTED)
                      or (approved and (can["submit"] or can["publish"])))
        return render(request, "rectification/plan_detail.html", {
            "plan": plan, "problems": problems, "log": selectors.plan_log(plan), "can": can,
            "can_add_task": plan.editable and can["change"] and selectors.has_perm(user, "rectification:task:add"),
            "report_urgency": services.urgency(plan.report_due, done=plan.report_submitted_at is not None),
            "reason_form": forms.ReasonForm(), "opinion_form": forms.OpinionForm(),
            "can_profile": selectors.has_perm(user, "rectification:dashboard:view"),
            "task_count": sum(len(p["tasks"]) for p in problems)})


class PlanEditView(RectView):
    permission = "rectification:plan:change"

    def get(self, request, pk):
        plan = selectors.get_plan(request.user, pk, "change")
        return render(request, "rectification/plan_form.html", {
            "plan": plan, "form": forms.PlanForm(initial={"summary": plan.summary})})

    def post(self, request, pk):
        plan = selectors.get_plan(request.user, pk, "change")
        form = forms.PlanForm(request.POST)
        if form.is_valid():
            try:
                services.plan_update(actor=request.user, plan=plan, summary=form.cleaned_data["summary"])
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, "整改方案已保存。")
                return redirect(_plan_url(plan))
        request._operation_failed = True
        return render(request, "rectification/plan_form.html", {"plan": plan, "form": form})


class _PlanAction(RectView):
    """A POST that moves the plan through gate 1 (the service checks permission, scope, conditions)."""

    done = ""

    def act(self, request, plan):
        raise NotImplementedError

    def post(self, request, pk):
        plan = selectors.get_plan(request.user, pk)
        try:
            self.act(request, plan)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, self.done)
        return redirect(_plan_url(plan))


class PlanSubmitView(_PlanAction):
    permission = "rectification:plan:submit"
    done = "整改方案已提交，等待巡察办审批。"

    def act(self, request, plan):
        services.plan_submit(actor=request.user, plan=plan, opinion=request.POST.get("opinion", ""))


class PlanApproveView(_PlanAction):
    permission = "rectification:plan:approve"
    done = "整改方案已批准，各项整改任务已启动。"

    def act(self, request, plan):
        services.plan_approve(actor=request.user, plan=plan, opinion=request.POST.get("opinion", ""))


class PlanReturnView(_PlanAction):
    permission = "rectification:plan:approve"
    done = "整改方案已退回，退回理由已告知被巡察单位。"

    def act(self, request, plan):
        services.plan_return(actor=request.user, plan=plan, reason=request.POST.get("reason", ""))


class PlanPublishView(_PlanAction):
    permission = "rectification:plan:publish"
    done = "整改进展已在公开页发布（设置为不予公开的任务除外）。"

    def act(self, request, plan):
        if request.POST.get("unpublish"):
            services.plan_unpublish(actor=request.user, plan=plan)
            self.done = "已撤回公开。"
        else:
            services.plan_publish(actor=request.user, plan=plan)


class PlanReportView(RectView):
    """The unit's rectification report (整改情况报告), due two months after the feedback."""

    permission = "rectification:plan:submit"

    def _render(self, request, plan, form):
        return render(request, "rectification/plan_report.html", {"plan": plan, "form": form})

    def get(self, request, pk):
        plan = selectors.get_plan(request.user, pk, "submit")
        return self._render(request, plan, forms.ReportForm(initial={"report_text": plan.report_text}))

    def post(self, request, pk):
        plan = selectors.get_plan(request.user, pk, "submit")
        form = forms.ReportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.plan_report_submit(actor=request.user, plan=plan, text=form.cleaned_data["report_text"],
                                            upload=form.cleaned_data.get("report_upload"))
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, "整改情况报告已报送。")
                return redirect(_plan_url(plan))
        request._operation_failed = True
        return self._render(request, plan, form)


class PlanTaskAddView(RectView):
    """A measure against one problem of the plan (?problem=<id>)."""

    permission = "rectification:task:add"

    def _context(self, request, pk):
        plan = selectors.get_plan(request.user, pk, "change")
        problem_id = int_param(request, "problem")
        problem = next((p["problem"] for p in selectors.plan_problems(plan) if p["problem"].pk == problem_id), None)
        if problem is None:
            raise Http404("该问题不在本单位的问题清单中。")
        return plan, problem

    def _render(self, request, plan, problem, form):
        return render(request, "rectification/task_form.html", {"plan": plan, "problem": problem, "form": form})

    def get(self, request, pk):
        plan, problem = self._context(request, pk)
        return self._render(request, plan, problem, forms.TaskForm(user=request.user))

    def post(self, request, pk):
        plan, problem = self._context(request, pk)
        form = forms.TaskForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                services.task_create(actor=request.user, plan=plan, problem=problem, data=form.service_data())
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, "整改措施已添加。")
                return redirect(_plan_url(plan) + f"#problem-{problem.pk}")
        request._operation_failed = True
        return self._render(request, plan, problem, form)


__all__ = ["PlanListView", "InspectionPlansView", "PlanAddView", "PlanDetailView", "PlanEditView", "PlanSubmitView", "PlanApproveView",
           "PlanReturnView", "PlanPublishView", "PlanReportView", "PlanTaskAddView"]
