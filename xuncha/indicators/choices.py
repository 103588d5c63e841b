"""Enumerations of indicators that the code depends on (structure, not editable data)."""

from django.db import models

__all__ = ["SetStatus", "TargetKind", "KIND_CATEGORIES", "Issuer", "ResultValue", "DecisionStatus",
           "LEVEL_LABELS", "kind_for_category"]


class SetStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    SUPERSEDED = "superseded", "已被新版本替代"


class TargetKind(models.TextChoices):
    """The kinds of inspection target a template is written for."""

    ORGAN = "organ", "机关部门"
    SOE = "soe", "国有企业"
    INSTITUTION = "institution", "事业单位"
    TOWNSHIP = "township", "乡镇（街道）"
    VILLAGE = "village", "村（社区）"


# Which values of the `unit_category` dictionary (org) each kind of target covers.
KIND_CATEGORIES: dict[str, tuple[str, ...]] = {
    TargetKind.ORGAN: ("organ", "secondary", "mass_org", "other"),
    TargetKind.SOE: ("soe",),
    TargetKind.INSTITUTION: ("institution", "school", "hospital"),
    TargetKind.TOWNSHIP: ("township",),
    TargetKind.VILLAGE: ("village",),
}


def kind_for_category(category: str) -> str:
    """The kind of target of a unit category (机关部门 for anything not listed)."""
    for kind, categories in KIND_CATEGORIES.items():
        if category in categories:
            return str(kind)
    return str(TargetKind.ORGAN)


class Issuer(models.TextChoices):
    CENTRAL = "central", "党中央"
    PROVINCE = "province", "省委"
    CITY = "city", "市委"
    COUNTY = "county", "县委"


class ResultValue(models.TextChoices):
    COMPLIANT = "compliant", "符合"
    PROBLEM = "problem", "存在问题"
    NOT_APPLICABLE = "not_applicable", "不适用"


class DecisionStatus(models.TextChoices):
    DONE = "done", "已落实"
    PARTIAL = "partial", "部分落实"
    NOT_DONE = "not_done", "未落实"
    NOT_APPLICABLE = "not_applicable", "不适用"


LEVEL_LABELS = {1: "一级指标", 2: "二级指标", 3: "三级指标（检查事项）"}
