"""Every read of indicators, always through the user's scope (`for_user`), except the functions
marked "precondition", which take an object the caller has already fetched through it.

Contracts for other apps:
- `indicator_tree(indicator_set)` → the level-1 nodes, each with `.children` down to level 3.
- `problem_areas(inspection, user=None)` → the results marked 存在问题, grouped by level-1 indicator
  in tree order (reporting organises the report by it).
- `inspection_indicator_set(inspection)` → the set the inspection checks against (None before first use).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from xuncha.core.scoping import has_perm, permission_for
from xuncha.planning.models import Inspection

from . import choices as c
from .models import (
    DecisionCheck,
    DecisionItem,
    Indicator,
    IndicatorResult,
    IndicatorSet,
    IndicatorTemplate,
    InspectionChecklist,
)

NOT_FOUND = "记录不存在或不在您的授权范围内。"


def _get(qs, pk):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404(NOT_FOUND)
    return obj


def can(user, model, obj, action: str) -> bool:
    """May `user` act with `action` on this very row (permission and scope)?"""
    if not has_perm(user, permission_for(model, action)):
        return False
    return model.objects.for_user(user, action).filter(pk=obj.pk).exists()


# --- Library -----------------------------------------------------------------------------------------


def sets_for_user(user):
    return (IndicatorSet.objects.for_user(user, "view").select_related("authority", "based_on")
            .annotate(n_items=Count("indicators", filter=Q(indicators__level=3, indicators__is_deleted=False)))
            .order_by("authority__path", "name", "-version"))


def get_set(user, pk, action: str = "view") -> IndicatorSet:
    return _get(IndicatorSet.objects.for_user(user, action).select_related("authority", "based_on", "published_by"),
                pk)


def get_indicator(user, pk, action: str = "view") -> Indicator:
    return _get(Indicator.objects.for_user(user, action).select_related("indicator_set", "parent"), pk)


def get_template(user, pk, action: str = "view") -> IndicatorTemplate:
    return _get(IndicatorTemplate.objects.for_user(user, action).select_related("indicator_set",
                                                                                "indicator_set__authority"), pk)


def copy_sources(user):
    """Sets the user may copy into a new draft (everything readable)."""
    return IndicatorSet.objects.for_user(user, "view").select_related("authority").order_by("authority__path", "name",
                                                                                            "-version")


@dataclass
class TreeNode:
    indicator: Indicator
    children: list[TreeNode] = field(default_factory=list)

    @property
    def leaves(self) -> list[Indicator]:
        if self.indicator.level == 3:
            return [self.indicator]
        return [leaf for child in self.children for leaf in child.leaves]


def indicator_tree(indicator_set: IndicatorSet, *, only=None) -> list[TreeNode]:
    """The tree of a set in order, in one query. `only`: ids of level-3 items to keep (a template);
    branches left without items are dropped. Precondition: the caller may view the set."""
    nodes: dict[int, TreeNode] = {}
    roots: list[TreeNode] = []
    rows = list(Indicator.objects.filter(indicator_set=indicator_set).order_by("order", "id"))
    for ind in rows:
        nodes[ind.pk] = TreeNode(ind)
    for ind in rows:
        node = nodes[ind.pk]
        if ind.parent_id is None:
            roots.append(node)
        elif ind.parent_id in nodes:
            nodes[ind.parent_id].children.append(node)
    if only is None:
        return roots
    keep = set(only)

    def prune(node: TreeNode) -> TreeNode | None:
        if node.indicator.level == 3:
            return node if node.indicator.pk in keep else None
        kids = [k for k in (prune(child) for child in node.children) if k is not None]
        return TreeNode(node.indicator, kids) if kids else None

    return [n for n in (prune(r) for r in roots) if n is not None]


def set_templates(indicator_set: IndicatorSet) -> list[IndicatorTemplate]:
    """Precondition: the caller may view the set."""
    return list(indicator_set.templates.annotate(n_items=Count("items")).order_by("id"))


def decisions_for_user(user):
    return DecisionItem.objects.for_user(user, "view").select_related("authority").order_by("order", "id")


# --- Per inspection ----------------------------------------------------------------------------------


def get_inspection(user, pk, permission: str = "indicators:indicatorresult:view") -> Inspection:
    """An inspection the user sees, for a user who may also act on its indicator records."""
    if not has_perm(user, permission):
        raise Http404(NOT_FOUND)
    return _get(Inspection.objects.for_user(user, "view").select_related("round", "group", "authority"), pk)


def inspection_indicator_set(inspection) -> IndicatorSet | None:
    binding = InspectionChecklist.objects.filter(inspection=inspection).select_related("indicator_set").first()
    return binding.indicator_set if binding else None


def results_of(user, inspection, unit=None):
    qs = IndicatorResult.objects.for_user(user, "view").filter(inspection=inspection)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.select_related("indicator").prefetch_related("evidence_files")


def get_result(user, pk, action: str = "view") -> IndicatorResult:
    return _get(IndicatorResult.objects.for_user(user, action).select_related("inspection", "unit", "indicator"), pk)


def get_decision_check(user, pk, action: str = "view") -> DecisionCheck:
    return _get(DecisionCheck.objects.for_user(user, action).select_related("inspection", "unit", "decision"), pk)


def checks_of(user, inspection, unit=None):
    qs = DecisionCheck.objects.for_user(user, "view").filter(inspection=inspection)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.select_related("decision").prefetch_related("evidence_files")


def template_for(indicator_set: IndicatorSet, unit) -> IndicatorTemplate | None:
    """The template of the set for the unit's kind of target (by its `unit_category`)."""
    kind = c.kind_for_category(unit.category)
    return indicator_set.templates.filter(kind=kind).prefetch_related("items").first()


@dataclass
class UnitProgress:
    unit: object
    template: IndicatorTemplate | None
    done: int
    total: int
    problems: int

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0


def progress(user, inspection, units, indicator_set: IndicatorSet | None) -> list[UnitProgress]:
    """Per target unit: items of its template with a result (n of m) and the problems found.
    A constant number of queries whatever the number of units and items."""
    if indicator_set is None:
        return [UnitProgress(u, None, 0, 0, 0) for u in units]
    templates = {t.kind: t for t in indicator_set.templates.prefetch_related(
        Prefetch("items", queryset=Indicator.objects.only("pk")))}
    all_items = set(indicator_set.indicators.filter(level=3).values_list("pk", flat=True))
    recorded: dict[int, dict[int, str]] = {}
    for unit_id, indicator_id, result in results_of(user, inspection).values_list("unit_id", "indicator_id", "result"):
        recorded.setdefault(unit_id, {})[indicator_id] = result
    rows = []
    for unit in units:
        template = templates.get(c.kind_for_category(unit.category))
        items = {i.pk for i in template.items.all()} if template else all_items
        mine = recorded.get(unit.pk, {})
        rows.append(UnitProgress(unit, template, sum(1 for i in items if i in mine), len(items),
                                 sum(1 for v in mine.values() if v == c.ResultValue.PROBLEM)))
    return rows


@dataclass
class ProblemArea:
    """One level-1 area with the results marked 存在问题 under it (for the report)."""

    area: Indicator
    results: list[IndicatorResult]


def problem_areas(inspection, user=None) -> list[ProblemArea]:
    """The results marked 存在问题 of an inspection, grouped by their level-1 indicator in tree order.
    With `user`, only what the user may see; without, the caller has checked the inspection's scope."""
    manager = IndicatorResult.objects
    qs = manager.for_user(user, "view") if user is not None else manager.all()
    rows = list(qs.filter(inspection=inspection, result=c.ResultValue.PROBLEM)
                .select_related("indicator", "indicator__root", "indicator__parent", "unit")
                .order_by("indicator__root__order", "indicator__order", "unit__name", "id"))
    areas: dict[int, ProblemArea] = {}
    for row in rows:
        root = row.indicator.top
        areas.setdefault(root.pk, ProblemArea(root, [])).results.append(row)
    return list(areas.values())


def decision_rows(user, inspection, unit, kind: str):
    """The decision items that apply to the unit's kind, each with its check (or None)."""
    checks = {ch.decision_id: ch for ch in checks_of(user, inspection, unit)}
    items = [d for d in decisions_for_user(user) if (d.is_active and d.applies_to(kind)) or d.pk in checks]
    return [(d, checks.get(d.pk)) for d in items]
