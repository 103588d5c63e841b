"""Regions (省/市/县区), units inspected (被巡察对象) and cadres, with their work history and family."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from xuncha.core.models import DictField, SoftDeleteModel
from xuncha.core.scoping import SCOPE_REGION, SCOPE_UNIT, ScopedManager

from . import choices as c

__all__ = ["Region", "Unit", "Cadre", "WorkHistory", "FamilyRelation"]


class Region(SoftDeleteModel):
    """A node of the administrative tree. `path` ("/1/4/") lets "this region and below" be one filter."""

    name = models.CharField("名称", max_length=50)
    code = models.CharField("行政区划代码", max_length=12, unique=True)
    level = models.CharField("层级", max_length=16, choices=c.RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级区域", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")
    sort = models.PositiveIntegerField("排序", default=0)

    @staticmethod
    def scope_q_for_grant(grant):
        if grant.kind == SCOPE_REGION:
            return Q(path__startswith=grant.region_path)
        if grant.kind == SCOPE_UNIT:
            return Q(pk=grant.unit_region_id)  # a unit's liaison sees the name of its own region
        return None  # the three administrators (global grants) hold no business data

    class Meta:
        ordering = ["path"]
        verbose_name = verbose_name_plural = "区域"

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    def is_within(self, other: Region) -> bool:
        return self.path.startswith(other.path)


class Unit(SoftDeleteModel):
    """A party organisation or unit that can be inspected (被巡察对象)."""

    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    region = models.ForeignKey(Region, verbose_name="所属区域", on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    category = DictField("单位类别", dict_code=c.DICT_UNIT_CATEGORY)
    level = DictField("层级", dict_code=c.DICT_UNIT_LEVEL)
    managing_authority = DictField("管理权限", dict_code=c.DICT_MANAGING_AUTHORITY)
    system = DictField("所属系统", dict_code=c.DICT_UNIT_SYSTEM, blank=True)
    social_attention = DictField("社会关注度", dict_code=c.DICT_SOCIAL_ATTENTION, blank=True)
    low_rank_high_power = models.BooleanField("职级不高权力较大", default=False)
    special_fund_scale = models.DecimalField(
        "专项资金规模（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    address = models.CharField("地址", max_length=200, blank=True)
    remarks = models.TextField("备注", blank=True)

    scope_paths = {"region": "region", "unit": ""}

    class Meta:
        ordering = ["region__path", "name", "id"]
        verbose_name = verbose_name_plural = "被巡察对象"
        indexes = [models.Index(fields=["region", "is_deleted", "name"])]

    def __str__(self):
        return self.name


class Cadre(SoftDeleteModel):
    """A cadre (干部): the people inspected, the people inspecting, and the relations recusal needs."""

    name = models.CharField("姓名", max_length=50)
    gender = DictField("性别", dict_code=c.DICT_GENDER, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    id_card = models.CharField("身份证号", max_length=18, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="工作单位", on_delete=models.PROTECT, related_name="cadres")
    # Denormalised from unit so that the scope check is one hop; services keep it in step.
    region = models.ForeignKey(Region, verbose_name="所属区域", on_delete=models.PROTECT, related_name="cadres",
                               editable=False)
    post = models.CharField("职务", max_length=100)
    rank = DictField("职级", dict_code=c.DICT_CADRE_RANK)
    skills = models.ManyToManyField(
        "core.DictItem", verbose_name="专长", blank=True, related_name="+",
        limit_choices_to={"dict_type__code": c.DICT_CADRE_SKILL},
    )
    remarks = models.TextField("备注", blank=True)

    scope_paths = {"region": "region", "unit": "unit"}
    history_exclude = ("region",)
    history_labels = {"work_history": "工作经历", "family": "家庭成员及重要社会关系"}

    class Meta:
        ordering = ["region__path", "unit__name", "name", "id"]
        verbose_name = verbose_name_plural = "干部"
        indexes = [models.Index(fields=["region", "is_deleted", "name"])]

    def __str__(self):
        return self.name

    def history_extra(self) -> dict:
        """Work history and family are edited with the cadre, so their state is part of its history."""
        if not self.pk:
            return {}
        return {
            "work_history": [w.as_history() for w in self.work_history.all()],
            "family": [f.as_history() for f in self.family.all()],
        }


class WorkHistory(models.Model):
    """One post a cadre held; recusal looks here for "worked there in the last three years"."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="work_history")
    unit = models.ForeignKey(Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    unit_name = models.CharField("单位名称", max_length=100, blank=True)
    post = models.CharField("职务", max_length=100)
    start_date = models.DateField("起始日期")
    end_date = models.DateField("截止日期", null=True, blank=True, help_text="空表示至今")

    scope_paths = {"region": "cadre__region", "unit": "cadre__unit"}
    permission_name = "cadre"
    objects = ScopedManager()

    class Meta:
        ordering = ["cadre_id", "-start_date", "id"]
        verbose_name = verbose_name_plural = "工作经历"

    def __str__(self):
        return f"{self.start_date:%Y.%m}—{self.end_date:%Y.%m} {self.place} {self.post}" if self.end_date else (
            f"{self.start_date:%Y.%m}— {self.place} {self.post}"
        )

    @property
    def place(self) -> str:
        return self.unit.name if self.unit_id else self.unit_name

    def as_history(self) -> str:
        end = self.end_date.isoformat() if self.end_date else "至今"
        return f"{self.start_date.isoformat()}—{end} {self.unit_name or self.place} {self.post}"


class FamilyRelation(models.Model):
    """A spouse or close relative; recusal blocks inspecting the unit where they work."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="family")
    relation = DictField("关系", dict_code=c.DICT_FAMILY_RELATION)
    name = models.CharField("姓名", max_length=50)
    unit = models.ForeignKey(Unit, verbose_name="工作单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    unit_name = models.CharField("单位名称（系统外）", max_length=100, blank=True)
    post = models.CharField("职务", max_length=100, blank=True)

    scope_paths = {"region": "cadre__region", "unit": "cadre__unit"}
    permission_name = "cadre"
    objects = ScopedManager()

    class Meta:
        ordering = ["cadre_id", "id"]
        verbose_name = verbose_name_plural = "家庭成员及重要社会关系"

    def __str__(self):
        return f"{self.name}（{self.relation}）"

    @property
    def relation_label(self) -> str:
        from xuncha.core import dictionaries

        return dictionaries.label(c.DICT_FAMILY_RELATION, self.relation)

    def as_history(self) -> str:
        return f"{self.relation_label} {self.name} {self.unit_name} {self.post}".strip()
