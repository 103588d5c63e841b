"""Filters of the org lists. Choices of related objects are drawn from the user's scope only."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from xuncha.core import dictionaries

from . import choices as c
from .models import Cadre, Region, Unit


def _scoped_regions(request):
    if request is None:
        return Region.objects.none()
    return Region.objects.for_user(request.user, "view")


def _dict_filter(code: str, label: str, field_name: str | None = None):
    return django_filters.ChoiceFilter(
        field_name=field_name, label=label, choices=lambda: dictionaries.choices(code, include_inactive=True),
        empty_label="全部",
    )


class ScopedFilterSet(django_filters.FilterSet):
    """Adds Bootstrap classes; subclasses declare filters whose choices come from the user's scope."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            field.widget.attrs["class"] = css


def region_subtree(queryset, name, value):
    """"This region and everything below it", the way officials think of a county."""
    if not value:
        return queryset
    prefix = f"{name}__" if name else ""
    return queryset.filter(**{f"{prefix}path__startswith": value.path})


class RegionFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label="名称或代码", method="search")
    level = django_filters.ChoiceFilter(label="层级", choices=c.RegionLevel.choices, empty_label="全部")
    within = django_filters.ModelChoiceFilter(label="所属区域（含下级）", queryset=_scoped_regions,
                                              method="filter_within", empty_label="全部")

    class Meta:
        model = Region
        fields = ["q", "level", "within"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))

    def filter_within(self, queryset, name, value: int):
        return region_subtree(queryset, "", value)


class UnitFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label="单位名称", method="search")
    region = django_filters.ModelChoiceFilter(label="所属区域（含下级）", queryset=_scoped_regions,
                                              method="filter_region", empty_label="全部")
    category = _dict_filter(c.DICT_UNIT_CATEGORY, "单位类别")
    level = _dict_filter(c.DICT_UNIT_LEVEL, "层级")
    managing_authority = _dict_filter(c.DICT_MANAGING_AUTHORITY, "管理权限")
    system = _dict_filter(c.DICT_UNIT_SYSTEM, "所属系统")
    social_attention = _dict_filter(c.DICT_SOCIAL_ATTENTION, "社会关注度")
    low_rank_high_power = django_filters.BooleanFilter(
        label="职级不高权力较大", widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]))
    min_fund = django_filters.NumberFilter(label="专项资金不少于（万元）", field_name="special_fund_scale",
                                           lookup_expr="gte")

    class Meta:
        model = Unit
        fields = ["q", "region", "category", "level", "managing_authority", "system", "social_attention",
                  "low_rank_high_power", "min_fund"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))

    def filter_region(self, queryset, name, value):
        return region_subtree(queryset, "region", value)


class CadreFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label="姓名或职务", method="search")
    region = django_filters.ModelChoiceFilter(label="所属区域（含下级）", queryset=_scoped_regions,
                                              method="filter_region", empty_label="全部")
    unit_name = django_filters.CharFilter(label="工作单位", field_name="unit__name", lookup_expr="icontains")
    rank = _dict_filter(c.DICT_CADRE_RANK, "职级")
    skill = django_filters.ChoiceFilter(
        label="专长", choices=lambda: dictionaries.choices(c.DICT_CADRE_SKILL), method="filter_skill",
        empty_label="全部")

    class Meta:
        model = Cadre
        fields = ["q", "region", "unit_name", "rank", "skill"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(post__icontains=value))

    def filter_region(self, queryset, name, value):
        return region_subtree(queryset, "region", value)

    def filter_skill(self, queryset, name, value: str):
        return queryset.filter(skills__dict_type__code=c.DICT_CADRE_SKILL, skills__value=value).distinct()
