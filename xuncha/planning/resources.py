"""The reference-like records of planning as Resources (list, filters, form, services, export,
import): five-year plans, annual plans and units' risk inputs. Their detail pages are planning's
own templates; the workflows (rounds, inspections, coverage, proposals…) are explicit views."""

from __future__ import annotations

from xuncha.core.excel import ImportColumn, ImportSpec
from xuncha.core.resources import Column, Resource
from xuncha.org.models import Unit
from xuncha.org.resources import _resolve_by_name

from . import filters, forms, selectors, services
from .models import AnnualPlan, FiveYearPlan, UnitRiskInput


def _plan_context(request, plan: FiveYearPlan) -> dict:
    from django.core.paginator import Paginator

    from .coverage import STATUS_LABELS

    report = selectors.coverage_report(plan)
    status = request.GET.get("status", "")
    rows = sorted((r for r in report.rows + report.elevated if not status or r.status == status),
                  key=lambda r: (r.target.is_elevated, r.target.planned_year or 9999, r.target.planned_round or 99,
                                 r.target.name))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    user = request.user
    return {
        "report": report, "page": page, "status": status, "status_labels": STATUS_LABELS, "query": query.urlencode(),
        "editable": selectors.can(user, FiveYearPlan, plan, "change"),
        "can_propose": selectors.can(user, FiveYearPlan, plan, "propose"),
        "can_export_plan": selectors.can(user, FiveYearPlan, plan, "export"),
        "is_city": plan.authority.level == "city",
        "proposals": plan.proposals.order_by("-id")[:5] if selectors.can(user, FiveYearPlan, plan, "propose") else [],
    }


def _annual_context(request, plan: AnnualPlan) -> dict:
    from xuncha.core.scoping import in_scope

    user = request.user
    editable = selectors.can(user, AnnualPlan, plan, "change")
    return {
        "rounds": selectors.rounds_of(user, plan),
        "editable": editable,
        "can_add_round": editable and in_scope(user, "planning:round:add", region=plan.authority),
        "can_export_plan": selectors.can(user, AnnualPlan, plan, "export"),
    }


plan_resource = Resource(
    model=FiveYearPlan, namespace="planning", name="plan", label="五年巡察规划",
    columns=[
        Column("title", "规划名称", sort="title"),
        Column("authority.name", "巡察主体", sort="authority__path"),
        Column("term", "届次"),
        Column("period_label", "规划期", sort="start_year"),
        Column("stale_years", "久未巡察年限"),
    ],
    detail_fields=[
        Column("title", "规划名称"), Column("authority.name", "巡察主体"), Column("term", "届次"),
        Column("period_label", "规划期"), Column("stale_years", "久未巡察年限（年）"), Column("remarks", "说明"),
    ],
    filterset_class=filters.FiveYearPlanFilterSet, form_class=forms.FiveYearPlanForm,
    create=services.plan_create, update=services.plan_update, delete=services.plan_delete,
    select_related=("authority",), default_sort="-start_year",
    row_edit_links=False, detail_template="planning/plan_detail.html",
    extra_context=_plan_context,
)

annualplan_resource = Resource(
    model=AnnualPlan, namespace="planning", name="annualplan", label="年度巡察计划",
    columns=[
        Column("title", "计划名称", sort="title"),
        Column("authority.name", "巡察主体", sort="authority__path"),
        Column("year", "年度", sort="year"),
        Column("five_year_plan.title", "所属五年规划"),
    ],
    detail_fields=[
        Column("title", "计划名称"), Column("authority.name", "巡察主体"), Column("year", "年度"),
        Column("five_year_plan.title", "所属五年规划"), Column("summary", "总体安排"),
    ],
    filterset_class=filters.AnnualPlanFilterSet, form_class=forms.AnnualPlanForm,
    create=services.annualplan_create, update=services.annualplan_update, delete=services.annualplan_delete,
    select_related=("authority", "five_year_plan"), default_sort="-year",
    row_edit_links=False, detail_template="planning/annualplan_detail.html",
    extra_context=_annual_context,
)


def _risk_unit_resolver(user, text):
    return _resolve_by_name(Unit.objects.for_user_perm(user, "planning:riskinput:add"), text, "单位")


riskinput_resource = Resource(
    model=UnitRiskInput, namespace="planning", name="riskinput", label="单位风险信息",
    columns=[
        Column("unit.name", "单位", sort="unit__name"),
        Column("region.name", "所属区域", sort="region__path"),
        Column("year", "年度", sort="year"),
        Column("petition_count", "信访举报量（件）", sort="petition_count"),
        Column("problem_count", "上次巡察发现问题（个）", sort="problem_count"),
        Column("source", "来源", render=lambda r: r.get_source_display()),
    ],
    detail_fields=[
        Column("unit.name", "单位"), Column("region.name", "所属区域"), Column("year", "年度"),
        Column("petition_count", "信访举报量（件）"), Column("problem_count", "上次巡察发现问题（个）"),
        Column("source", "来源", render=lambda r: r.get_source_display()), Column("remarks", "备注"),
    ],
    filterset_class=filters.UnitRiskInputFilterSet, form_class=forms.UnitRiskInputForm,
    create=services.riskinput_create, update=services.riskinput_update, delete=services.riskinput_delete,
    select_related=("unit", "region"), default_sort="-year",
    importer=ImportSpec(columns=[
        ImportColumn("单位", "unit", kind="fk", required=True, resolve=_risk_unit_resolver,
                     note="填写单位全称，重名时填写“#编号”", export=lambda r: r.unit.name),
        ImportColumn("年度", "year", required=True),
        ImportColumn("信访举报量（件）", "petition_count", required=True),
        ImportColumn("上次巡察发现问题（个）", "problem_count", required=True),
        ImportColumn("备注", "remarks"),
    ], instructions=["5. 同一单位同一年度只填一行；已有记录请勾选“按编号更新已有记录”后修改。"]),
)

RESOURCES = [plan_resource, annualplan_resource, riskinput_resource]
