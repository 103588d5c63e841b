"""Cross inspection pages: plans, solving, the table and the diagram, liaisons, the six items."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from xuncha.core.scoping import has_perm, in_scope

from .. import choices as c
from .. import forms, selectors, services
from ..models import CrossChecklistItem, CrossPair, CrossPlan
from .base import TeamsView, apply_form_errors


class CrossPlanListView(TeamsView):
    permission = "teams:cross:view"

    def get(self, request):
        plans = CrossPlan.objects.for_user(request.user, "view").select_related("round", "authority")
        pairs = (CrossPair.objects.for_user(request.user, "view").exclude(plan__in=plans)
                 .select_related("plan", "plan__round", "source_county", "target_county"))
        return render(request, "teams/crossplan_list.html", {
            "plans": plans, "pairs": pairs, "can_add": has_perm(request.user, "teams:cross:add")})


class CrossPlanFormView(TeamsView):
    permission = "teams:cross:add"

    def _render(self, form, plan=None):
        return render(self.request, "teams/crossplan_form.html", {"form": form, "plan": plan})

    def get(self, request):
        return self._render(forms.CrossPlanForm(user=request.user))

    def post(self, request):
        form = forms.CrossPlanForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.crossplan_create(actor=request.user, round=data["round"], data=data)
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, "交叉编组已建立，请核对参数后生成编组方案。")
                return redirect(reverse("teams:crossplan_detail", args=[plan.pk]))
        self.failed()
        return self._render(form)


class CrossPlanEditView(CrossPlanFormView):
    permission = "teams:cross:change"

    def get(self, request, pk):
        plan = selectors.get_crossplan_for_user(request.user, pk, "change")
        return self._render(forms.CrossPlanForm(instance=plan, user=request.user), plan)

    def post(self, request, pk):
        plan = selectors.get_crossplan_for_user(request.user, pk, "change")
        form = forms.CrossPlanForm(request.POST, instance=plan, user=request.user)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "round"}
            if not data.get("counties"):
                data.pop("counties", None)
            try:
                services.crossplan_update(actor=request.user, instance=plan, data=data)
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, "编组参数已保存，请重新生成编组方案。")
                return redirect(reverse("teams:crossplan_detail", args=[plan.pk]))
        self.failed()
        return self._render(form, plan)


class CrossPlanDetailView(TeamsView):
    """The plan: parameters, the solution as a table and a diagram, or the reasons none exists;
    the liaisons; the six unified items."""

    permission = "teams:cross:view"

    def get(self, request, pk):
        plan = selectors.get_crossplan_for_user(request.user, pk)
        pairs = selectors.cross_pairs(request.user, plan)
        user = request.user
        for pair in pairs:
            pair.can_name = (plan.status != c.CrossStatus.CONFIRMED and has_perm(user, "teams:cross:change")
                             and in_scope(user, "teams:cross:change", region=pair.target_county))
        from xuncha.core import dictionaries
        from xuncha.org import choices as org_choices

        labels = dictionaries.labels(org_choices.DICT_CADRE_SKILL)
        return render(request, "teams/crossplan_detail.html", {
            "plan": plan, "pairs": pairs, "graph": selectors.cross_graph(pairs),
            "checklist": CrossChecklistItem.objects.for_user(user, "view").filter(plan=plan),
            "counties": plan.counties.all(), "target_count": plan.targets.count(),
            "needs": [(labels.get(k, k), v) for k, v in (plan.needs or {}).items()],
            "excluded": (plan.result or {}).get("excluded", {}), "stats": (plan.result or {}).get("stats", {}),
            "can_change": has_perm(user, "teams:cross:change"), "can_solve": has_perm(user, "teams:cross:propose"),
            "can_confirm": has_perm(user, "teams:cross:approve"),
            "missing_liaisons": [p.target_county.name for p in pairs if p.liaison_id is None],
        })


class CrossPlanSolveView(TeamsView):
    permission = "teams:cross:propose"
    http_method_names = ["post"]

    def post(self, request, pk):
        plan = selectors.get_crossplan_for_user(request.user, pk, "propose")
        try:
            plan = services.crossplan_solve(actor=request.user, plan=plan)
        except ValidationError as error:
            self.failed()
            messages.error(request, "；".join(error.messages))
        else:
            if plan.status == c.CrossStatus.SOLVED:
                messages.success(request, "已生成编组方案，请各被巡察县区推荐联络员后确认。")
            else:
                self.failed()
                messages.error(request, "无可行的编组方案，原因见页面说明。")
        return redirect(reverse("teams:crossplan_detail", args=[pk]))


class CrossPlanConfirmView(TeamsView):
    permission = "teams:cross:approve"
    http_method_names = ["post"]

    def post(self, request, pk):
        plan = selectors.get_crossplan_for_user(request.user, pk, "approve")
        try:
            services.crossplan_confirm(actor=request.user, plan=plan)
        except ValidationError as error:
            self.failed()
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, "编组方案已确认，巡察组及其成员已生成。")
        return redirect(reverse("teams:crossplan_detail", args=[pk]))


class CrossPairLiaisonView(TeamsView):
    """The inspected county names its liaison."""

    permission = "teams:cross:change"

    def _render(self, pair, form):
        return render(self.request, "teams/crosspair_liaison.html", {"pair": pair, "form": form})

    def _pair(self, pk):
        return get_object_or_404(CrossPair.objects.for_user(self.request.user, "change").select_related(
            "plan", "plan__round", "source_county", "target_county", "leader"), pk=pk)

    def get(self, request, pk):
        pair = self._pair(pk)
        return self._render(pair, forms.LiaisonForm(user=request.user, county=pair.target_county,
                                                    initial={"cadre": pair.liaison}))

    def post(self, request, pk):
        pair = self._pair(pk)
        form = forms.LiaisonForm(request.POST, user=request.user, county=pair.target_county)
        if form.is_valid():
            try:
                services.crosspair_name_liaison(actor=request.user, pair=pair, cadre=form.cleaned_data["cadre"])
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, f"{pair.target_county.name}的联络员已登记。")
                if CrossPlan.objects.for_user(request.user, "view").filter(pk=pair.plan_id).exists():
                    return redirect(reverse("teams:crossplan_detail", args=[pair.plan_id]))
                return redirect(reverse("teams:crossplan_list"))
        self.failed()
        return self._render(pair, form)


class ChecklistItemView(TeamsView):
    permission = "teams:cross:change"

    def _item(self, pk):
        return get_object_or_404(CrossChecklistItem.objects.for_user(self.request.user, "change").select_related(
            "plan", "plan__round"), pk=pk)

    def _render(self, item, form):
        return render(self.request, "teams/checklist_form.html", {"item": item, "form": form})

    def get(self, request, pk):
        item = self._item(pk)
        return self._render(item, forms.ChecklistItemForm(instance=item))

    def post(self, request, pk):
        item = self._item(pk)
        form = forms.ChecklistItemForm(request.POST, instance=CrossChecklistItem(pk=item.pk, plan=item.plan,
                                                                                  item=item.item))
        if form.is_valid():
            try:
                services.checklist_item_update(actor=request.user, item=item, data=form.cleaned_data)
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, f"“{item.get_item_display()}”已保存。")
                return redirect(reverse("teams:crossplan_detail", args=[item.plan_id]) + "#checklist")
        self.failed()
        return self._render(item, form)
