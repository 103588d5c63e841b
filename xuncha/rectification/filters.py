"""Filters of the rectification lists. Region choices come from the user's scope only."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from xuncha.org.filters import ScopedFilterSet, _scoped_regions, region_subtree

from .models import SupervisionGroup


class SupervisionGroupFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label="名称或组长", method="search")
    region = django_filters.ModelChoiceFilter(label="巡察主体（含下级）", queryset=_scoped_regions,
                                              method="filter_region", empty_label="全部")
    is_active = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = SupervisionGroup
        fields = ["q", "region", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(leader_name__icontains=value))

    def filter_region(self, queryset, name, value):
        return region_subtree(queryset, "authority", value)
