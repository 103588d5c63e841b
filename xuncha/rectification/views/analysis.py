"""成果运用: the dashboard (charts and tables, Excel export) and the per-unit page; the public page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from xuncha.documents.ledger import ledger_workbook
from xuncha.org.models import Region, Unit

from .. import dashboard as dash
from .. import selectors
from ..dashboard import DASHBOARD
from .base import XLSX, RectView, file_response


def _filters(request) -> dash.Filters:
    year = request.GET.get("year", "")
    authority = request.GET.get("authority", "")
    authority_id = None
    if authority.isdigit():
        region = Region.objects.for_user_perm(request.user, DASHBOARD).filter(pk=int(authority)).first()
        if region is None:
            raise Http404("该区域不在您的授权范围内。")
        authority_id = region.pk
    return dash.Filters(year=int(year) if year.isdigit() else None, authority_id=authority_id)


class DashboardView(RectView):
    permission = DASHBOARD

    def get(self, request):
        filters = _filters(request)
        data = dash.dashboard(request.user, filters)
        authorities = Region.objects.for_user_perm(request.user, DASHBOARD).filter(
            level__in=("city", "county")).order_by("path")
        this_year = timezone.localdate().year
        unit_q = request.GET.get("unit_q", "").strip()
        units = (list(Unit.objects.for_user_perm(request.user, DASHBOARD).filter(name__icontains=unit_q)
                      .select_related("region").order_by("region__path", "name")[:20]) if unit_q else [])
        return render(request, "rectification/dashboard.html", {
            "unit_q": unit_q, "units": units,
            "data": data, "filters": filters, "authorities": authorities,
            "years": list(range(this_year, this_year - 8, -1)), "query": request.GET.urlencode(),
            "can_export": selectors.has_perm(request.user, "rectification:dashboard:export")})


class DashboardExportView(RectView):
    permission = "rectification:dashboard:export"

    def get(self, request):
        data = dash.dashboard(request.user, _filters(request))
        return file_response(ledger_workbook(dash.export_sheets(data)), "巡察成果运用统计.xlsx", XLSX)


class UnitProfileView(RectView):
    """Every inspection, problem, task and clue of one unit over the years (within the viewer's scope)."""

    permission = DASHBOARD

    def get(self, request, pk):
        unit = Unit.objects.for_user_perm(request.user, DASHBOARD).select_related("region").filter(pk=pk).first()
        if unit is None:
            raise Http404("记录不存在或不在您的授权范围内。")
        return render(request, "rectification/unit_profile.html", {"profile": dash.unit_profile(request.user, unit)})


def public_page(request, pk):
    """整改公开: the published progress and results of an authority's inspections, for anyone (no
    login). Tasks marked 不予公开 (secret, under investigation…) are left out and only counted."""
    authority = selectors.public_authority(pk)
    rows = selectors.public_plans(authority)
    from xuncha.planning.models import authority_name

    return render(request, "rectification/public.html", {"authority": authority, "rows": rows,
                                                         "issuer": authority_name(authority)})
