"""Filters of the survey template list. Choices of related records come from the user's scope."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from xuncha.org.filters import ScopedFilterSet
from xuncha.org.models import Region

from .choices import SurveyKind
from .models import SurveyTemplate


def _authorities(request):
    if request is None:
        return Region.objects.none()
    visible = SurveyTemplate.objects.for_user(request.user, "view").values("authority_id")
    return Region.objects.filter(pk__in=visible).order_by("path")


class SurveyTemplateFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label="名称", method="search")
    kind = django_filters.ChoiceFilter(label="类型", choices=SurveyKind.choices, empty_label="全部")
    authority = django_filters.ModelChoiceFilter(label="所属巡察机构", queryset=_authorities, empty_label="全部")
    shared = django_filters.BooleanFilter(label="平台通用模板", field_name="authority", lookup_expr="isnull")

    class Meta:
        model = SurveyTemplate
        fields = ["q", "kind", "authority", "shared"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(instructions__icontains=value))
