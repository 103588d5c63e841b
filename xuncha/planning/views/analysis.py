"""Analysis pages: the priority ranking with editable weights, and the city–county alignment check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from xuncha.core.scoping import in_scope

from .. import forms, selectors, services
from ..models import PriorityWeights
from .base import PlanningView, form_errors


class PriorityRankingView(PlanningView):
    permission = "planning:priority:view"

    def get(self, request):
        params = request.GET.copy()
        authorities = selectors.authorities_for(request.user, "planning:priority:view")
        first = authorities.first()
        if first is None:
            raise Http404("您的授权范围内没有巡察主体。")
        params.setdefault("authority", str(first.pk))
        params.setdefault("year", str(timezone.localdate().year))
        form = forms.RankingFilterForm(params, user=request.user)
        scores, authority, weights, saved = [], None, None, None
        if form.is_valid():
            data = form.cleaned_data
            authority = data["authority"]
            scores = selectors.priority_ranking(request.user, authority, data["year"], category=data["category"],
                                                system=data["system"], q=data["q"])
            weights, saved = selectors.weights_for(authority)
        page = Paginator(scores, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "planning/priority_ranking.html", {
            "form": form, "page": page, "authority": authority, "weights": weights, "saved": saved,
            "rank_offset": (page.number - 1) * 50, "query": query.urlencode(), "total": len(scores),
            "can_change": authority is not None and in_scope(request.user, "planning:priority:change",
                                                             region=authority),
        })


class PriorityWeightsView(PlanningView):
    permission = "planning:priority:change"

    def _authority(self, request):
        value = request.GET.get("authority") or request.POST.get("authority") or ""
        authority = selectors.authorities_for(request.user, "planning:priority:change").filter(
            pk=int(value) if value.isdigit() else 0).first()
        if authority is None:
            raise Http404("记录不存在或不在您的授权范围内。")
        return authority

    def _render(self, request, authority, form):
        return render(request, "planning/priority_weights.html", {"authority": authority, "form": form})

    def get(self, request):
        authority = self._authority(request)
        _, row = selectors.weights_for(authority)
        form = forms.WeightsForm(instance=row or PriorityWeights(authority=authority))
        return self._render(request, authority, form)

    def post(self, request):
        authority = self._authority(request)
        form = forms.WeightsForm(request.POST)
        if form.is_valid():
            try:
                services.weights_save(actor=request.user, authority=authority, data=form.cleaned_data)
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, f"{authority.name}的排序权重已保存，排序已按新权重重新计算。")
                return redirect(reverse("planning:priority_ranking") + f"?authority={authority.pk}")
        request._operation_failed = True
        return self._render(request, authority, form)


class AlignmentView(PlanningView):
    permission = "planning:plan:view"

    def get(self, request):
        counties = selectors.alignment_counties(request.user)
        params = request.GET.copy()
        first = counties.first()
        if first is not None:
            params.setdefault("county", str(first.pk))
        params.setdefault("dimension", "system")
        form = forms.AlignmentForm(params, user=request.user)
        result = None
        if first is not None and form.is_valid():
            result = selectors.alignment_check(request.user, form.cleaned_data["county"],
                                               dimension=form.cleaned_data["dimension"])
        rows = []
        if result:
            for year in result["years"]:
                rows.append({
                    "year": year,
                    "city": sorted(result["city_side"].planned_kinds.get(year, set())),
                    "county": sorted(result["county_side"].planned_kinds.get(year, set())),
                    "city_rounds": result["city_side"].rounds.get(year, []),
                    "county_rounds": result["county_side"].rounds.get(year, []),
                })
        return render(request, "planning/alignment.html", {"form": form, "result": result, "rows": rows,
                                                            "has_counties": first is not None})
