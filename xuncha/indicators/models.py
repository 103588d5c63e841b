"""The political-inspection indicator system (巡察指标体系) and what each inspection records against it.

    IndicatorSet (a versioned library of one authority: draft → published → superseded)
      ─< Indicator (three-level tree: 一级 areas → 二级 → 三级 check items with 检查要点 and 典型佐证材料)
      ─< IndicatorTemplate (per kind of target: the level-3 items it includes)
    DecisionItem (重大决策部署清单 of an authority: what the central, provincial and city committees decided)

    per inspection (InspectionRecord, scoped to the office and the inspection's own group):
    InspectionChecklist (which published set the inspection checks against; fixed once results exist)
      IndicatorResult (inspection × unit × level-3 indicator: 符合 / 存在问题 / 不适用, notes, evidence)
      DecisionCheck (inspection × unit × decision item: 已落实 / 部分落实 / 未落实 / 不适用)

A published set is never edited: changes go into a copy (a new draft version); publishing it marks
the previous version superseded, and inspections bound to the old version keep it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from xuncha.core.models import SoftDeleteModel
from xuncha.planning.records import InspectionRecord

from . import choices as c
from .scoping import LibraryAllObjectsManager, LibraryManager, library_grant_q

__all__ = ["IndicatorSet", "Indicator", "IndicatorTemplate", "DecisionItem", "InspectionChecklist",
           "IndicatorResult", "DecisionCheck"]

PUBLIC_STATUSES = (c.SetStatus.PUBLISHED, c.SetStatus.SUPERSEDED)


class LibraryModel(SoftDeleteModel):
    """Reference data of an inspection authority (see indicators/scoping.py)."""

    objects = LibraryManager()
    all_objects = LibraryAllObjectsManager()
    authority_path = "authority"

    class Meta:
        abstract = True
        ordering = ["-id"]

    @classmethod
    def scope_q_for_grant(cls, grant):
        return library_grant_q(cls, grant)

    @classmethod
    def public_q(cls) -> Q:
        return Q()


class IndicatorSet(LibraryModel):
    """One version of an authority's indicator library (指标体系). Versions of one library share the name."""

    # Empty: the library shipped with the platform (平台内置), read by every authority, edited by none.
    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    name = models.CharField("指标体系名称", max_length=100)
    version = models.PositiveIntegerField("版本号", default=1)
    status = models.CharField("状态", max_length=16, choices=c.SetStatus.choices, default=c.SetStatus.DRAFT)
    description = models.TextField("说明", blank=True)
    based_on = models.ForeignKey("self", verbose_name="复制自", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="copies")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    scope_paths = {"region": "authority"}
    permission_name = "indicatorset"

    class Meta:
        ordering = ["authority__path", "name", "-version"]
        verbose_name = verbose_name_plural = "指标体系"
        constraints = [models.UniqueConstraint(fields=["authority", "name", "version"],
                                               condition=Q(is_deleted=False), name="indicatorset_unique_version")]

    def __str__(self):
        return f"{self.name}（第{self.version}版）"

    @property
    def is_builtin(self) -> bool:
        return self.authority_id is None

    @property
    def authority_label(self) -> str:
        return self.authority.name if self.authority_id else "平台内置"

    @classmethod
    def public_q(cls) -> Q:
        return Q(status__in=PUBLIC_STATUSES)

    @property
    def is_draft(self) -> bool:
        return self.status == c.SetStatus.DRAFT


class Indicator(LibraryModel):
    """One node of the three-level tree. Level 3 items are what a group checks and records."""

    indicator_set = models.ForeignKey(IndicatorSet, verbose_name="指标体系", on_delete=models.PROTECT,
                                      related_name="indicators")
    parent = models.ForeignKey("self", verbose_name="上级指标", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    # The level-1 ancestor (itself for a level-1 indicator): grouping problems by area in one query.
    root = models.ForeignKey("self", verbose_name="一级指标", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", editable=False)
    level = models.PositiveSmallIntegerField("层级", choices=[(k, v) for k, v in c.LEVEL_LABELS.items()])
    code = models.CharField("编码", max_length=20, help_text="如 1.2.3，层级之间用“.”分隔。")
    title = models.CharField("指标名称", max_length=200)
    guidance = models.TextField("检查要点", blank=True)
    evidence = models.TextField("典型佐证材料", blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    scope_paths = {"region": "indicator_set__authority"}
    permission_name = "indicatorset"
    authority_path = "indicator_set__authority"

    class Meta:
        ordering = ["indicator_set_id", "order", "id"]
        verbose_name = verbose_name_plural = "指标"
        constraints = [models.UniqueConstraint(fields=["indicator_set", "code"], condition=Q(is_deleted=False),
                                               name="indicator_unique_code")]
        indexes = [models.Index(fields=["indicator_set", "level"])]

    def __str__(self):
        return f"{self.code} {self.title}"

    @classmethod
    def public_q(cls) -> Q:
        return Q(indicator_set__status__in=PUBLIC_STATUSES)

    @property
    def top(self) -> Indicator:
        """The level-1 ancestor (党的领导 / 党的建设 / 全面从严治党 / 整改落实…)."""
        return self if self.level == 1 else self.root


class IndicatorTemplate(LibraryModel):
    """The level-3 items checked for one kind of target (机关部门, 国有企业, 事业单位, 乡镇, 村社区)."""

    indicator_set = models.ForeignKey(IndicatorSet, verbose_name="指标体系", on_delete=models.PROTECT,
                                      related_name="templates")
    kind = models.CharField("对象类型", max_length=16, choices=c.TargetKind.choices)
    name = models.CharField("模板名称", max_length=100)
    description = models.TextField("说明", blank=True)
    items = models.ManyToManyField(Indicator, verbose_name="检查事项", blank=True, related_name="templates")

    scope_paths = {"region": "indicator_set__authority"}
    permission_name = "indicatorset"
    authority_path = "indicator_set__authority"

    class Meta:
        ordering = ["indicator_set_id", "id"]
        verbose_name = verbose_name_plural = "指标模板"
        constraints = [models.UniqueConstraint(fields=["indicator_set", "kind"], condition=Q(is_deleted=False),
                                               name="indicatortemplate_unique_kind")]

    def __str__(self):
        return self.name

    @classmethod
    def public_q(cls) -> Q:
        return Q(indicator_set__status__in=PUBLIC_STATUSES)


class DecisionItem(LibraryModel):
    """One major decision of the central, provincial or city committee a target must carry out."""

    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    issuer = models.CharField("决策主体", max_length=16, choices=c.Issuer.choices)
    title = models.CharField("决策部署", max_length=200)
    doc_number = models.CharField("文件文号", max_length=100, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    requirement = models.TextField("贯彻落实要求")
    kinds = models.JSONField("适用对象类型", default=list, blank=True,
                             help_text="空表示适用于全部类型的巡察对象。")
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveIntegerField("排序", default=0)

    scope_paths = {"region": "authority"}
    permission_name = "decisionitem"

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "重大决策部署"

    def __str__(self):
        return self.title

    @classmethod
    def public_q(cls) -> Q:
        return Q(is_active=True)

    @property
    def authority_label(self) -> str:
        return self.authority.name if self.authority_id else "平台内置"

    @property
    def kinds_label(self) -> str:
        labels = dict(c.TargetKind.choices)
        return "、".join(labels.get(k, k) for k in self.kinds) if self.kinds else "全部类型"

    def applies_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


class InspectionChecklist(InspectionRecord):
    """The published indicator set an inspection checks against (chosen once; fixed once results exist)."""

    indicator_set = models.ForeignKey(IndicatorSet, verbose_name="指标体系", on_delete=models.PROTECT,
                                      related_name="+")

    permission_name = "indicatorresult"

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "巡察指标体系选用"
        constraints = [models.UniqueConstraint(fields=["inspection"], condition=Q(is_deleted=False),
                                               name="inspectionchecklist_unique")]

    def __str__(self):
        return f"巡察任务{self.inspection_id}选用{self.indicator_set_id}"


class IndicatorResult(InspectionRecord):
    """What the group found for one level-3 item at one target unit."""

    unit = models.ForeignKey("org.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, verbose_name="检查事项", on_delete=models.PROTECT,
                                  related_name="results")
    result = models.CharField("检查结果", max_length=16, choices=c.ResultValue.choices)
    notes = models.TextField("情况说明", blank=True)
    evidence_files = models.ManyToManyField("core.StoredFile", verbose_name="佐证材料", blank=True,
                                            related_name="+")

    permission_name = "indicatorresult"

    class Meta:
        ordering = ["indicator__order", "id"]
        verbose_name = verbose_name_plural = "指标检查结果"
        constraints = [models.UniqueConstraint(fields=["inspection", "unit", "indicator"],
                                               condition=Q(is_deleted=False), name="indicatorresult_unique")]

    def __str__(self):
        return f"{self.unit_id}·{self.indicator_id}检查结果"


class DecisionCheck(InspectionRecord):
    """How one target unit carried out one major decision."""

    unit = models.ForeignKey("org.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(DecisionItem, verbose_name="重大决策部署", on_delete=models.PROTECT,
                                 related_name="checks")
    status = models.CharField("落实情况", max_length=16, choices=c.DecisionStatus.choices)
    notes = models.TextField("情况说明", blank=True)
    evidence_files = models.ManyToManyField("core.StoredFile", verbose_name="佐证材料", blank=True,
                                            related_name="+")

    permission_name = "decisioncheck"

    class Meta:
        ordering = ["decision__order", "id"]
        verbose_name = verbose_name_plural = "决策部署落实检查"
        constraints = [models.UniqueConstraint(fields=["inspection", "unit", "decision"],
                                               condition=Q(is_deleted=False), name="decisioncheck_unique")]

    def __str__(self):
        return f"{self.unit_id}·决策{self.decision_id}落实情况"
