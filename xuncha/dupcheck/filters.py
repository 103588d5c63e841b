"""Filters of the document list (pages and API). Choices of units and regions come from the user's scope."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from xuncha.core import dictionaries
from xuncha.org.filters import ScopedFilterSet, region_subtree
from xuncha.org.models import Region, Unit

from . import choices as c
from .models import Document
from .selectors import flagged_q


def _regions(request):
    return Region.objects.for_user(request.user, "view") if request is not None else Region.objects.none()


def _units(request):
    if request is None:
        return Unit.objects.none()
    return Unit.objects.for_user(request.user, "view").select_related("region").order_by("region__path", "name")


class DocumentFilterSet(ScopedFilterSet):
    """Expects a queryset annotated by selectors.annotate_list_scores (for 疑似雷同)."""

    q = django_filters.CharFilter(label="干部姓名或文件名", method="search")
    year = django_filters.NumberFilter(label="年度")
    kind = django_filters.ChoiceFilter(label="材料类型", empty_label="全部",
                                       choices=lambda: dictionaries.choices(c.DICT_REPORT_KIND, include_inactive=True))
    region = django_filters.ModelChoiceFilter(label="所属区域（含下级）", queryset=_regions, method="filter_region",
                                              empty_label="全部")
    unit = django_filters.ModelChoiceFilter(label="单位", queryset=_units, empty_label="全部")
    meeting = django_filters.CharFilter(label="会议", lookup_expr="icontains")
    flagged = django_filters.BooleanFilter(
        label="疑似雷同", method="filter_flagged",
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]))
    cadre = django_filters.NumberFilter(label="干部编号", field_name="cadre_id", widget=forms.HiddenInput)

    class Meta:
        model = Document
        fields = ["q", "year", "kind", "flagged", "region", "unit", "meeting", "cadre"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(author__icontains=value) | Q(cadre__name__icontains=value)
                               | Q(filename__icontains=value))

    def filter_region(self, queryset, name, value):
        return region_subtree(queryset, "region", value)

    def filter_flagged(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(flagged_q()) if value else queryset.exclude(flagged_q())
