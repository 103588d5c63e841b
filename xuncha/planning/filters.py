"""Filters of the planning lists. Choices of related records come from the user's scope only."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from xuncha.org.filters import ScopedFilterSet, region_subtree
from xuncha.org.models import Region

from .models import AnnualPlan, FiveYearPlan, UnitRiskInput


def _plan_authorities(request):
    if request is None:
        return Region.objects.none()
    visible = FiveYearPlan.objects.for_user(request.user, "view").values("authority_id")
    return Region.objects.filter(pk__in=visible).order_by("path")


def _annual_authorities(request):
    if request is None:
        return Region.objects.none()
    visible = AnnualPlan.objects.for_user(request.user, "view").values("authority_id")
    return Region.objects.filter(pk__in=visible).order_by("path")


def _regions(request):
    if request is None:
        return Region.objects.none()
    return Region.objects.for_user(request.user, "view")


class FiveYearPlanFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label="规划名称或届次", method="search")
    authority = django_filters.ModelChoiceFilter(label="巡察主体", queryset=_plan_authorities, empty_label="全部")
    start_year = django_filters.NumberFilter(label="起始年度")

    class Meta:
        model = FiveYearPlan
        fields = ["q", "authority", "start_year"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(term__icontains=value))


class AnnualPlanFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label="计划名称", field_name="title", lookup_expr="icontains")
    authority = django_filters.ModelChoiceFilter(label="巡察主体", queryset=_annual_authorities, empty_label="全部")
    year = django_filters.NumberFilter(label="年度")

    class Meta:
        model = AnnualPlan
        fields = ["q", "authority", "year"]


class UnitRiskInputFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label="单位名称", field_name="unit__name", lookup_expr="icontains")
    region = django_filters.ModelChoiceFilter(label="所属区域（含下级）", queryset=_regions, method="filter_region",
                                              empty_label="全部")
    year = django_filters.NumberFilter(label="年度")
    source = django_filters.ChoiceFilter(label="来源", choices=UnitRiskInput.Source.choices, empty_label="全部")

    class Meta:
        model = UnitRiskInput
        fields = ["q", "region", "year", "source"]

    def filter_region(self, queryset, name, value):
        return region_subtree(queryset, "region", value)
