"""Filters of the decision list. Choices of related records come from the user's scope only."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from xuncha.org.filters import ScopedFilterSet

from . import choices as c
from .models import DecisionItem


class DecisionItemFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label="决策部署或文号", method="search")
    issuer = django_filters.ChoiceFilter(label="决策主体", choices=c.Issuer.choices, empty_label="全部")
    kind = django_filters.ChoiceFilter(label="适用对象类型", choices=c.TargetKind.choices, empty_label="全部",
                                       method="filter_kind")
    is_active = django_filters.ChoiceFilter(label="启用", choices=[("yes", "启用"), ("no", "停用")], empty_label="全部",
                                            method="filter_active")

    class Meta:
        model = DecisionItem
        fields = ["q", "issuer", "kind", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(doc_number__icontains=value))

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")

    def filter_kind(self, queryset, name, value):
        # JSON containment is not on every backend: an item applies when its list is empty or names the kind.
        return queryset.filter(Q(kinds=[]) | Q(kinds__icontains=f'"{value}"'))
