"""Filters of the fieldwork lists. Choices come from the user's scope only. The petition search
looks at the receipt number, the persons reported and the content, never at the reporter's identity
(which lives in another table): a member must not be able to probe a name through the search box."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from xuncha.org.filters import ScopedFilterSet, region_subtree
from xuncha.org.models import Region, Unit
from xuncha.planning.choices import Stage

from . import choices as c
from . import selectors
from .models import DocumentRequest, HearingReport, MeetingAttendance, Petition, Talk, Visit


def _inspections_for(permission):
    def choices(request):
        if request is None:
            return selectors.inspections_for_fieldwork(None, permission)
        return selectors.inspections_for_fieldwork(request.user, permission).order_by("-round__year", "id")
    return choices


def _units_for(permission):
    def choices(request):
        if request is None:
            return Unit.objects.none()
        return Unit.objects.for_user_perm(request.user, permission)
    return choices


def _regions(request):
    if request is None:
        return Region.objects.none()
    return Region.objects.for_user(request.user, "view")


class RecordFilterSet(ScopedFilterSet):
    """inspection, region (the authority and below), stage, year, plus each list's own filters."""

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(label="关键词", method="search")
    region = django_filters.ModelChoiceFilter(label="巡察主体（含下级）", queryset=_regions, method="filter_region",
                                              empty_label="全部")
    stage = django_filters.ChoiceFilter(label="巡察阶段", field_name="inspection__stage", choices=Stage.choices,
                                        empty_label="全部")
    year = django_filters.NumberFilter(label="年度", field_name="inspection__round__year")

    def search(self, queryset, name, value):
        cond = Q()
        for field in self.search_fields:
            cond |= Q(**{f"{field}__icontains": value})
        queryset = queryset.filter(cond)
        return queryset.distinct() if any("__" in f for f in self.search_fields) else queryset

    def filter_region(self, queryset, name, value):
        return region_subtree(queryset, "authority", value)


def _record_filterset(model, perm: str, search: tuple[str, ...], extra: dict, unit_field: str = "unit",
                      search_label: str = "关键词"):
    attrs = {
        "inspection": django_filters.ModelChoiceFilter(label="巡察任务", queryset=_inspections_for(
            f"fieldwork:{perm}:view"), empty_label="全部"),
        unit_field: django_filters.ModelChoiceFilter(label="被巡察单位" if unit_field == "unit" else "被反映单位",
                                                     queryset=_units_for(f"fieldwork:{perm}:view"), empty_label="全部"),
        "search_fields": search,
        "q": django_filters.CharFilter(label=search_label, method="search"),
        **extra,
    }
    meta = type("Meta", (), {"model": model, "fields": ["q", "inspection", unit_field, *extra, "region", "stage",
                                                         "year"]})
    attrs["Meta"] = meta
    return type(f"{model.__name__}FilterSet", (RecordFilterSet,), attrs)


HearingReportFilterSet = _record_filterset(HearingReport, "hearingreport", ("topic", "reporter", "summary"), {},
                                           search_label="主题、汇报人或要点")
TalkFilterSet = _record_filterset(Talk, "talk", ("interviewee_name", "cadre__name", "interviewee_post", "place"), {
    "status": django_filters.ChoiceFilter(label="状态", choices=c.TalkStatus.choices, empty_label="全部"),
    "category": django_filters.ChoiceFilter(label="对象类别", choices=c.TalkCategory.choices, empty_label="全部"),
}, search_label="谈话对象或地点")
PetitionFilterSet = _record_filterset(Petition, "petition", ("receipt_no", "subject_persons", "content"), {
    "status": django_filters.ChoiceFilter(label="办理状态", choices=c.PetitionStatus.choices, empty_label="全部"),
    "channel": django_filters.ChoiceFilter(label="来源渠道", choices=c.PetitionChannel.choices, empty_label="全部"),
    "category": django_filters.ChoiceFilter(label="问题类别", choices=c.PetitionCategory.choices, empty_label="全部"),
}, unit_field="subject_unit", search_label="受理编号、被反映人或内容")
DocumentRequestFilterSet = _record_filterset(DocumentRequest, "documentrequest", ("title", "items__name"), {
    "status": django_filters.ChoiceFilter(label="状态", choices=c.RequestStatus.choices, empty_label="全部"),
}, search_label="调阅事项或材料")
MeetingAttendanceFilterSet = _record_filterset(MeetingAttendance, "meetingattendance", ("title", "summary"), {
    "kind": django_filters.ChoiceFilter(label="会议类型", choices=c.MeetingKind.choices, empty_label="全部"),
}, search_label="会议名称或情况")
VisitFilterSet = _record_filterset(Visit, "visit", ("place", "people_met", "findings"), {
    "level": django_filters.ChoiceFilter(label="方式", choices=c.VisitLevel.choices, empty_label="全部"),
}, search_label="地点、对象或情况")
