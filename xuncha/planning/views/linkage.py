"""City–county linkage (上下联动): the joint round, its linked rounds and the unified review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from .. import forms, selectors, services
from ..models import JointRound
from .base import PlanningView, flash_errors, form_errors


def _joint_url(joint) -> str:
    return reverse("planning:jointround_detail", args=[joint.pk])


class JointRoundListView(PlanningView):
    permission = "planning:jointround:view"

    def get(self, request):
        page = Paginator(selectors.jointrounds_for_user(request.user), 50).get_page(request.GET.get("page"))
        return render(request, "planning/jointround_list.html", {
            "page": page, "query": "", "can_add": bool(selectors.authorities_for(
                request.user, "planning:jointround:add").filter(level="city").exists())})


class JointRoundAddView(PlanningView):
    permission = "planning:jointround:add"

    def _render(self, request, form, joint=None):
        return render(request, "planning/jointround_form.html", {"form": form, "joint": joint})

    def get(self, request):
        return self._render(request, forms.JointRoundForm(user=request.user))

    def post(self, request):
        form = forms.JointRoundForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                joint = services.jointround_create(actor=request.user, data=form.cleaned_data)
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, f"“{joint}”已创建。请将市、县“上下联动”类型的轮次纳入联动。")
                return redirect(_joint_url(joint))
        request._operation_failed = True
        return self._render(request, form)


class JointRoundEditView(PlanningView):
    permission = "planning:jointround:change"

    def get(self, request, pk):
        joint = selectors.get_jointround(request.user, pk, "change")
        return render(request, "planning/jointround_form.html", {
            "form": forms.JointRoundForm(instance=joint, user=request.user), "joint": joint})

    def post(self, request, pk):
        joint = selectors.get_jointround(request.user, pk, "change")
        form = forms.JointRoundForm(request.POST, instance=selectors.get_jointround(request.user, pk, "change"),
                                    user=request.user)
        if form.is_valid():
            try:
                services.jointround_update(actor=request.user, instance=joint, data=form.cleaned_data)
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, f"“{joint}”已保存，统一培训日期已同步到纳入联动的轮次。")
                return redirect(_joint_url(joint))
        request._operation_failed = True
        return render(request, "planning/jointround_form.html", {"form": form, "joint": joint})


class JointRoundDetailView(PlanningView):
    permission = "planning:jointround:view"

    def get(self, request, pk):
        joint = selectors.get_jointround(request.user, pk)
        user = request.user
        rounds = list(selectors.joint_rounds(user, joint))
        editable = selectors.can(user, JointRound, joint, "change")
        differences = []
        for rnd in rounds:
            if rnd.training_date != joint.training_date:
                differences.append(f"{rnd.authority.name}{rnd}的培训日期与统一培训日期不一致。")
            early = [i for i in rnd.inspections.all() if i.stationed_date and i.stationed_date < joint.mobilisation_date]
            if early:
                differences.append(f"{rnd.authority.name}{rnd}有 {len(early)} 个巡察组的进驻日期早于统一动员部署日期。")
        return render(request, "planning/jointround_detail.html", {
            "joint": joint, "rounds": rounds, "editable": editable, "differences": differences,
            "link_form": forms.JointLinkForm(user=user, joint=joint) if editable and not joint.is_reviewed else None,
            "can_review": not joint.is_reviewed and selectors.can(user, JointRound, joint, "review"),
            "review_form": forms.ReviewForm(),
        })


class JointRoundLinkView(PlanningView):
    permission = "planning:jointround:change"

    def post(self, request, pk):
        joint = selectors.get_jointround(request.user, pk, "change")
        form = forms.JointLinkForm(request.POST, user=request.user, joint=joint)
        if form.is_valid():
            try:
                rnd = services.jointround_link(actor=request.user, joint=joint, round=form.cleaned_data["round"])
            except ValidationError as error:
                flash_errors(request, error)
            else:
                messages.success(request, f"已将{rnd.authority.name}{rnd}纳入联动。")
        else:
            request._operation_failed = True
            for line in form.error_summary():
                messages.error(request, line)
        return redirect(_joint_url(joint))


class JointRoundUnlinkView(PlanningView):
    permission = "planning:jointround:change"

    def post(self, request, pk):
        joint = selectors.get_jointround(request.user, pk, "change")
        rnd = None
        if request.POST.get("round", "").isdigit():
            rnd = selectors.joint_rounds(request.user, joint).filter(pk=int(request.POST["round"])).first()
        if rnd is None:
            messages.error(request, "请选择要解除联动的轮次。")
            request._operation_failed = True
            return redirect(_joint_url(joint))
        try:
            services.jointround_unlink(actor=request.user, joint=joint, round=rnd)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, f"已解除{rnd.authority.name}{rnd}的联动。")
        return redirect(_joint_url(joint))


class JointRoundReviewView(PlanningView):
    permission = "planning:jointround:review"

    def post(self, request, pk):
        joint = selectors.get_jointround(request.user, pk, "review")
        form = forms.ReviewForm(request.POST)
        if not form.is_valid():
            request._operation_failed = True
            for line in form.error_summary():
                messages.error(request, line)
            return redirect(_joint_url(joint))
        try:
            services.jointround_review(actor=request.user, joint=joint, opinion=form.cleaned_data["opinion"])
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, "已完成统一把关，各巡察组可以反馈。")
        return redirect(_joint_url(joint))
