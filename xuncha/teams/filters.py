"""Filters of the teams lists. Region choices come from the user's scope only."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from xuncha.core import dictionaries
from xuncha.org import choices as org_choices
from xuncha.org.filters import ScopedFilterSet, _scoped_regions, region_subtree

from . import choices as c
from .models import (
    Honour,
    PoolEntry,
    QuotaCheck,
    RecusalDeclaration,
    Secondment,
    StaffingQuota,
    TrainingSession,
)


@extend_schema_field(OpenApiTypes.INT)
class RegionSubtreeFilter(django_filters.ModelChoiceFilter):
    """A region and everything below it, by the region's id (so the API schema says: an integer)."""


@extend_schema_field(OpenApiTypes.STR)
class SkillFilter(django_filters.ChoiceFilter):
    """A speciality code from the dictionary."""


def _region_filter(label: str = "所属区域（含下级）"):
    return RegionSubtreeFilter(label=label, queryset=_scoped_regions, method="filter_region", empty_label="全部")


def _dict_filter(code: str, label: str):
    return django_filters.ChoiceFilter(label=label, choices=lambda: dictionaries.choices(code, include_inactive=True),
                                       empty_label="全部")


class _AuthorityFilterSet(ScopedFilterSet):
    region_field = "authority"

    def filter_region(self, queryset, name, value):
        return region_subtree(queryset, self.region_field, value)


class PoolEntryFilterSet(_AuthorityFilterSet):
    q = django_filters.CharFilter(label="姓名或单位", method="search")
    region = _region_filter("所属库（含下级）")
    kind = django_filters.ChoiceFilter(label="库别", choices=c.PoolKind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=c.EntryStatus.choices, empty_label="全部")
    skill = SkillFilter(label="专长", choices=lambda: dictionaries.choices(org_choices.DICT_CADRE_SKILL),
                        method="filter_skill", empty_label="全部")
    source = _dict_filter(c.DICT_POOL_SOURCE, "入库来源")

    class Meta:
        model = PoolEntry
        fields = ["q", "region", "kind", "status", "skill", "source"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(cadre__name__icontains=value) | Q(cadre__unit__name__icontains=value))

    def filter_skill(self, queryset, name, value):
        return queryset.filter(specialities__dict_type__code=org_choices.DICT_CADRE_SKILL,
                               specialities__value=value).distinct()


class DeclarationFilterSet(_AuthorityFilterSet):
    q = django_filters.CharFilter(label="姓名或单位", method="search")
    region = _region_filter()
    kind = django_filters.ChoiceFilter(label="类型", choices=c.DeclarationKind.choices, empty_label="全部")
    is_active = django_filters.BooleanFilter(
        label="有效", widget=forms.Select(choices=[("", "全部"), ("true", "有效"), ("false", "已失效")]))

    class Meta:
        model = RecusalDeclaration
        fields = ["q", "region", "kind", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(cadre__name__icontains=value) | Q(unit__name__icontains=value))


class SecondmentFilterSet(_AuthorityFilterSet):
    q = django_filters.CharFilter(label="姓名或派出单位", method="search")
    region = _region_filter()
    status = django_filters.ChoiceFilter(label="状态", choices=c.SecondmentStatus.choices, empty_label="全部")
    is_young_training = django_filters.BooleanFilter(
        label="年轻干部跟班学习", widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]))
    ending_before = django_filters.DateFilter(label="结束日期不晚于", field_name="end_date", lookup_expr="lte",
                                              widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Secondment
        fields = ["q", "region", "status", "is_young_training", "ending_before"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(cadre__name__icontains=value) | Q(from_unit__name__icontains=value))


class HonourFilterSet(_AuthorityFilterSet):
    q = django_filters.CharFilter(label="姓名或荣誉名称", method="search")
    region = _region_filter()
    level = _dict_filter(c.DICT_HONOUR_LEVEL, "荣誉级别")

    class Meta:
        model = Honour
        fields = ["q", "region", "level"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(cadre__name__icontains=value) | Q(title__icontains=value))


class QuotaFilterSet(_AuthorityFilterSet):
    region_field = "region"
    q = django_filters.CharFilter(label="机构名称", field_name="office_name", lookup_expr="icontains")
    region = _region_filter()
    year = django_filters.NumberFilter(label="年度")

    class Meta:
        model = StaffingQuota
        fields = ["q", "region", "year"]


class QuotaCheckFilterSet(_AuthorityFilterSet):
    q = django_filters.CharFilter(label="检查名称", field_name="title", lookup_expr="icontains")
    region = _region_filter()
    year = django_filters.NumberFilter(label="年度")

    class Meta:
        model = QuotaCheck
        fields = ["q", "region", "year"]


class TrainingFilterSet(_AuthorityFilterSet):
    q = django_filters.CharFilter(label="培训名称", field_name="title", lookup_expr="icontains")
    region = _region_filter()
    year = django_filters.NumberFilter(label="年度", field_name="held_on", lookup_expr="year")

    class Meta:
        model = TrainingSession
        fields = ["q", "region", "year"]
