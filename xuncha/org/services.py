"""Every write on regions, units and cadres (keyword-only, one transaction each, logged)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from xuncha.core.services import scoped_create, scoped_soft_delete, scoped_update

from .models import Cadre, FamilyRelation, Region, Unit, WorkHistory

REGION_FIELDS = ("name", "code", "level", "parent", "sort")
UNIT_FIELDS = ("name", "short_name", "credit_code", "region", "parent", "category", "level", "managing_authority",
               "system", "social_attention", "low_rank_high_power", "special_fund_scale", "address", "remarks")
CADRE_FIELDS = ("name", "gender", "birth_date", "id_card", "phone", "unit", "post", "rank", "remarks")


def _assign(instance, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


# --- Regions ------------------------------------------------------------------------------------


def _set_region_path(region: Region) -> None:
    region.path = f"{region.parent.path if region.parent_id else '/'}{region.pk}/"
    Region.all_objects.filter(pk=region.pk).update(path=region.path)


def region_create(*, actor, data: dict) -> Region:
    if Region.all_objects.filter(code=data["code"]).exists():
        raise ValidationError({"code": "该行政区划代码已存在。"})
    region = Region()
    _assign(region, data, REGION_FIELDS)
    return scoped_create(actor=actor, instance=region, after_save=_set_region_path)


def region_update(*, actor, instance: Region, data: dict) -> Region:
    if Region.all_objects.filter(code=data["code"]).exclude(pk=instance.pk).exists():
        raise ValidationError({"code": "该行政区划代码已存在。"})
    moved = data.get("parent") is not None and data["parent"].pk != instance.parent_id
    if moved and Region.objects.filter(parent=instance).exists():
        raise ValidationError({"parent": "该区域下还有下级区域，不能调整上级区域。"})

    def change(region: Region) -> None:
        _assign(region, data, REGION_FIELDS)
        if moved:
            region.path = f"{region.parent.path}{region.pk}/"

    return scoped_update(actor=actor, instance=instance, changes=change)


def _region_guard(region: Region) -> None:
    if Region.objects.filter(parent=region).exists():
        raise ValidationError("该区域下还有下级区域，不能删除。")
    units = Unit.objects.filter(region=region).count()
    if units:
        raise ValidationError(f"该区域下还有 {units} 个被巡察对象，不能删除。")


def region_delete(*, actor, instance: Region) -> Region:
    return scoped_soft_delete(actor=actor, instance=instance, guard=_region_guard)


# --- Units --------------------------------------------------------------------------------------


def unit_create(*, actor, data: dict) -> Unit:
    unit = Unit()
    _assign(unit, data, UNIT_FIELDS)
    return scoped_create(actor=actor, instance=unit)


def unit_update(*, actor, instance: Unit, data: dict) -> Unit:
    def change(unit: Unit) -> None:
        old_region = unit.region_id
        _assign(unit, data, UNIT_FIELDS)
        if unit.region_id != old_region:
            # Cadres follow their unit: their denormalised region must stay in step for the scope check.
            Cadre.all_objects.filter(unit=unit).update(region_id=unit.region_id)

    return scoped_update(actor=actor, instance=instance, changes=change)


def _unit_guard(unit: Unit) -> None:
    cadres = Cadre.objects.filter(unit=unit).count()
    if cadres:
        raise ValidationError(f"该单位下还有 {cadres} 名干部，请先调整或删除后再删除单位。")
    children = Unit.objects.filter(parent=unit).count()
    if children:
        raise ValidationError(f"该单位下还有 {children} 个下级单位，不能删除。")


def unit_delete(*, actor, instance: Unit) -> Unit:
    return scoped_soft_delete(actor=actor, instance=instance, guard=_unit_guard)


# --- Cadres -------------------------------------------------------------------------------------


def _replace_related(cadre: Cadre, data: dict) -> None:
    """Store the posted work history and family as the new state (the change log keeps the old one)."""
    if "work_history" in data:
        cadre.work_history.all().delete()
        WorkHistory.objects.bulk_create([
            WorkHistory(cadre=cadre, unit=_unit_by_name(row["unit_name"]), unit_name=row["unit_name"],
                        post=row["post"], start_date=row["start_date"], end_date=row.get("end_date"))
            for row in data["work_history"]
        ])
    if "family" in data:
        cadre.family.all().delete()
        FamilyRelation.objects.bulk_create([
            FamilyRelation(cadre=cadre, relation=row["relation"], name=row["name"],
                           unit=_unit_by_name(row.get("unit_name", "")), unit_name=row.get("unit_name", ""),
                           post=row.get("post", ""))
            for row in data["family"]
        ])


def _unit_by_name(name: str) -> Unit | None:
    """Link a typed unit name to the unit record when exactly one matches, so recusal can use it."""
    if not name:
        return None
    matches = list(Unit.objects.filter(name=name.strip())[:2])
    return matches[0] if len(matches) == 1 else None


def cadre_create(*, actor, data: dict) -> Cadre:
    cadre = Cadre()
    _assign(cadre, data, CADRE_FIELDS)
    cadre.region_id = data["unit"].region_id

    def related(saved: Cadre) -> None:
        _replace_related(saved, data)

    return scoped_create(actor=actor, instance=cadre, m2m={"skills": data.get("skills", [])}, after_save=related)


def cadre_update(*, actor, instance: Cadre, data: dict) -> Cadre:
    def change(cadre: Cadre) -> None:
        _assign(cadre, data, CADRE_FIELDS)
        cadre.region_id = cadre.unit.region_id
        if "skills" in data:
            cadre.skills.set(data["skills"])
        _replace_related(cadre, data)

    return scoped_update(actor=actor, instance=instance, changes=change)


def cadre_delete(*, actor, instance: Cadre) -> Cadre:
    return scoped_soft_delete(actor=actor, instance=instance)
