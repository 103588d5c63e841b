"""Every write of indicators: keyword-only, one transaction each, the change log inside it, and the
actor's scope re-checked inside the transaction (`core.services`). Errors are Chinese and name the
field where a form can show them.

Library: `indicatorset_copy / _import / _update / _publish / _delete`, `indicator_create / _update /
_delete`, `template_update`, `decisionitem_create / _update / _delete`.
Per inspection: `checklist_bind`, `result_record`, `result_attach / result_detach`,
`decisioncheck_record`, `decisioncheck_attach`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xuncha.core import changelog
from xuncha.core.files import store_upload
from xuncha.core.models import ChangeLog
from xuncha.core.scoping import in_scope
from xuncha.core.services import (
    ScopeViolation,
    require_perm,
    scoped_create,
    scoped_soft_delete,
    scoped_update,
)
from xuncha.planning.choices import Stage
from xuncha.planning.records import check_target

from . import choices as c
from . import library
from .models import (
    DecisionCheck,
    DecisionItem,
    Indicator,
    IndicatorResult,
    IndicatorSet,
    IndicatorTemplate,
    InspectionChecklist,
)

SET_FIELDS = ("name", "description")
INDICATOR_FIELDS = ("code", "title", "guidance", "evidence", "order")
DECISION_FIELDS = ("authority", "issuer", "title", "doc_number", "issued_on", "requirement", "kinds", "is_active",
                   "order")
# Results are recorded while the group is on site; after the report they are the report's basis.
RECORDING_STAGES = (Stage.STATIONED, Stage.UNDERSTAND)
MAX_EVIDENCE_FILES = 20


def _assign(obj, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def _authority_check(actor, authority, permission: str) -> None:
    if authority is None or authority.level not in ("city", "county"):
        raise ValidationError({"authority": "请选择市或县（市、区）作为巡察主体。"})
    if not in_scope(actor, permission, region=authority):
        raise ValidationError({"authority": "所选巡察主体不在您的授权范围内。"})


def _draft_only(indicator_set: IndicatorSet) -> None:
    """Refuse unless the set is a draft, as stored now (not as an older copy in memory says)."""
    status = IndicatorSet.all_objects.filter(pk=indicator_set.pk).values_list("status", flat=True).first()
    if status != c.SetStatus.DRAFT:
        raise ValidationError("已发布的指标体系不能修改；请复制为新的草稿版本后修改，再发布。")


def _next_version(authority, name: str) -> int:
    top = IndicatorSet.all_objects.filter(authority=authority, name=name).aggregate(v=Max("version"))["v"]
    return (top or 0) + 1


def _lock_set(indicator_set: IndicatorSet) -> IndicatorSet:
    return IndicatorSet.all_objects.select_for_update().get(pk=indicator_set.pk)


# --- Sets ------------------------------------------------------------------------------------------


def indicatorset_import(*, actor, authority, data: library.LibraryData) -> IndicatorSet:
    """A library read from a file becomes a new draft version of `authority` (all or nothing)."""
    require_perm(actor, "indicators:indicatorset:import")
    _authority_check(actor, authority, "indicators:indicatorset:add")
    library.check(data)
    with transaction.atomic():
        version = _next_version(authority, data.name)
        created = library.build_set((IndicatorSet, Indicator, IndicatorTemplate), data, authority_id=authority.pk,
                                    status=c.SetStatus.DRAFT, version=version, user_id=actor.pk)
        if not IndicatorSet.objects.for_user(actor, "add").filter(pk=created.pk).exists():
            raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
        changelog.record(created, ChangeLog.Action.IMPORT, before=None, after={
            **changelog.snapshot(created), "indicators": len(data.rows), "templates": len(data.templates)}, user=actor)
    return created


def indicatorset_copy(*, actor, source: IndicatorSet, authority, name: str = "") -> IndicatorSet:
    """Copy a set the actor can read (the built-in library, the city's, an older version of its own)
    into a new draft version of `authority`: indicators, tree and templates."""
    require_perm(actor, "indicators:indicatorset:add")
    if not IndicatorSet.objects.for_user(actor, "view").filter(pk=source.pk).exists():
        raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
    _authority_check(actor, authority, "indicators:indicatorset:add")
    data = library.library_from_set(source)
    if name:
        data.name = name.strip()
    library.check(data)
    with transaction.atomic():
        created = library.build_set((IndicatorSet, Indicator, IndicatorTemplate), data, authority_id=authority.pk,
                                    status=c.SetStatus.DRAFT, version=_next_version(authority, data.name),
                                    user_id=actor.pk, based_on_id=source.pk)
        if not IndicatorSet.objects.for_user(actor, "add").filter(pk=created.pk).exists():
            raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
        changelog.record(created, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(created), user=actor)
    return created


def indicatorset_update(*, actor, instance: IndicatorSet, data: dict) -> IndicatorSet:
    _draft_only(instance)
    if not (data.get("name") or "").strip():
        raise ValidationError({"name": "请填写指标体系名称。"})

    def changes(s):
        _draft_only(s)
        _assign(s, data, SET_FIELDS)
        clash = IndicatorSet.all_objects.filter(authority_id=s.authority_id, name=s.name, version=s.version,
                                                is_deleted=False).exclude(pk=s.pk)
        if clash.exists():
            raise ValidationError({"name": f"本巡察主体已有“{s.name}”第{s.version}版，请换一个名称。"})

    return scoped_update(actor=actor, instance=instance, changes=changes)


def publish_errors(indicator_set: IndicatorSet) -> list[str]:
    """Why a draft cannot be published yet (Chinese), or [] when it can."""
    rows = list(indicator_set.indicators.values_list("pk", "parent_id", "level", "code"))
    errors = []
    if not any(level == 3 for _, _, level, _ in rows):
        errors.append("指标体系中还没有三级指标（检查事项），不能发布。")
    parents = {parent for _, parent, _, _ in rows if parent}
    empty = [code for pk, _, level, code in rows if level < 3 and pk not in parents]
    if empty:
        errors.append(f"以下指标没有下级指标：{'、'.join(empty)}。一级、二级指标下应至少有一个下级指标。")
    return errors


def indicatorset_publish(*, actor, instance: IndicatorSet) -> IndicatorSet:
    """draft → published; the version published before it becomes superseded (and stays readable,
    so inspections bound to it keep their results)."""
    require_perm(actor, "indicators:indicatorset:publish")
    with transaction.atomic():
        locked = _lock_set(instance)
        if not IndicatorSet.objects.for_user(actor, "publish").filter(pk=locked.pk).exists():
            raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
        if not locked.is_draft:
            raise ValidationError("只有草稿可以发布。")
        errors = publish_errors(locked)
        if errors:
            raise ValidationError(errors)
        previous = list(IndicatorSet.objects.filter(authority_id=locked.authority_id, name=locked.name,
                                                    status=c.SetStatus.PUBLISHED).exclude(pk=locked.pk))
        for old in previous:
            before = changelog.snapshot(old)
            old.status = c.SetStatus.SUPERSEDED
            old.save(update_fields=["status", "updated_at"])
            changelog.record(old, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(old), user=actor)
        before = changelog.snapshot(locked)
        locked.status = c.SetStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = actor
        locked.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        changelog.record(locked, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(locked), user=actor)
    return locked


def _set_guard(indicator_set: IndicatorSet) -> None:
    _draft_only(indicator_set)
    if InspectionChecklist.objects.filter(indicator_set=indicator_set).exists():
        raise ValidationError("已有巡察任务选用该指标体系，不能删除。")


def indicatorset_delete(*, actor, instance: IndicatorSet) -> IndicatorSet:
    """Only a draft can be deleted (soft); a published version stays for the inspections that used it."""
    return scoped_soft_delete(actor=actor, instance=instance, guard=_set_guard)


# --- Indicators and templates (drafts only) ----------------------------------------------------------


def _indicator_rules(indicator_set: IndicatorSet, parent: Indicator | None, data: dict, instance=None) -> int:
    code = (data.get("code") or "").strip()
    errors = {}
    if not code:
        errors["code"] = "请填写编码。"
    elif len(code) > 20 or not library.CODE_RE.match(code):
        errors["code"] = "编码格式不正确，应为 1、1.2、1.2.3 的形式（不超过 20 个字符）。"
    elif indicator_set.indicators.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists():
        errors["code"] = f"编码“{code}”在本指标体系中已存在。"
    if not (data.get("title") or "").strip():
        errors["title"] = "请填写指标名称。"
    if parent is not None and parent.indicator_set_id != indicator_set.pk:
        errors["parent"] = "上级指标应属于同一个指标体系。"
    elif parent is not None and parent.level >= 3:
        errors["parent"] = "三级指标下不能再添加下级指标。"
    if errors:
        raise ValidationError(errors)
    data["code"] = code
    return 1 if parent is None else parent.level + 1


def indicator_create(*, actor, indicator_set: IndicatorSet, parent: Indicator | None, data: dict) -> Indicator:
    _draft_only(indicator_set)
    level = _indicator_rules(indicator_set, parent, data)
    indicator = Indicator(indicator_set=indicator_set, parent=parent, level=level,
                          root_id=parent.root_id if parent else None)
    _assign(indicator, data, INDICATOR_FIELDS)
    if not data.get("order"):
        top = indicator_set.indicators.aggregate(o=Max("order"))["o"] or 0
        indicator.order = top + 1

    def set_root(obj):
        if obj.level == 1:
            obj.root_id = obj.pk
            obj.save(update_fields=["root"])

    return scoped_create(actor=actor, instance=indicator, after_save=set_root)


def indicator_update(*, actor, instance: Indicator, data: dict) -> Indicator:
    _draft_only(instance.indicator_set)
    _indicator_rules(instance.indicator_set, instance.parent, data, instance)
    return scoped_update(actor=actor, instance=instance, changes=lambda i: _assign(i, data, INDICATOR_FIELDS))


def _indicator_guard(indicator: Indicator) -> None:
    _draft_only(indicator.indicator_set)
    if indicator.children.filter(is_deleted=False).exists():
        raise ValidationError("该指标下还有下级指标，请先删除下级指标。")
    if indicator.results.filter(is_deleted=False).exists():
        raise ValidationError("该指标已有检查结果，不能删除。")


def indicator_delete(*, actor, instance: Indicator) -> Indicator:
    def guard(locked):
        _indicator_guard(locked)
        for template in locked.templates.all():
            template.items.remove(locked)

    return scoped_soft_delete(actor=actor, instance=instance, guard=guard)


def template_update(*, actor, instance: IndicatorTemplate, items, name: str, description: str = "") -> IndicatorTemplate:
    """Replace the level-3 items of a draft's template."""
    _draft_only(instance.indicator_set)
    items = list(items)
    wrong = [i.code for i in items if i.indicator_set_id != instance.indicator_set_id or i.level != 3]
    if wrong:
        raise ValidationError({"items": f"以下指标不是本指标体系的三级指标：{'、'.join(wrong)}。"})
    if not name.strip():
        raise ValidationError({"name": "请填写模板名称。"})

    def changes(t):
        t.name, t.description = name.strip(), description
        t.items.set(items)

    return scoped_update(actor=actor, instance=instance, changes=changes)


# --- Decision items --------------------------------------------------------------------------------


def decisionitem_create(*, actor, data: dict) -> DecisionItem:
    _authority_check(actor, data.get("authority"), "indicators:decisionitem:add")
    item = DecisionItem()
    _assign(item, data, DECISION_FIELDS)
    return scoped_create(actor=actor, instance=item)


def decisionitem_update(*, actor, instance: DecisionItem, data: dict) -> DecisionItem:
    _authority_check(actor, data.get("authority"), "indicators:decisionitem:change")
    return scoped_update(actor=actor, instance=instance, changes=lambda d: _assign(d, data, DECISION_FIELDS))


def decisionitem_delete(*, actor, instance: DecisionItem) -> DecisionItem:
    def guard(item):
        used = item.checks.filter(is_deleted=False).count()
        if used:
            raise ValidationError(f"该决策部署已有 {used} 条落实检查记录，不能删除；可改为停用。")

    return scoped_soft_delete(actor=actor, instance=instance, guard=guard)


# --- Per inspection ----------------------------------------------------------------------------------


def default_set_for(inspection) -> IndicatorSet | None:
    """The library an inspection checks against unless the group chose another: the latest
    published version of its own authority, else of the nearest authority above, else the built-in."""
    path = inspection.authority.path
    ids = [int(p) for p in path.strip("/").split("/") if p]
    candidates = list(IndicatorSet.objects.filter(status=c.SetStatus.PUBLISHED, authority_id__in=ids)
                      .select_related("authority"))
    if candidates:
        return max(candidates, key=lambda s: (len(s.authority.path), s.published_at or s.created_at, s.pk))
    return IndicatorSet.objects.filter(status=c.SetStatus.PUBLISHED, authority__isnull=True).order_by(
        "-published_at", "-pk").first()


def _recording_allowed(inspection) -> None:
    if inspection.stage not in RECORDING_STAGES:
        if inspection.stage == Stage.PREPARE:
            raise ValidationError("巡察组进驻后才能记录检查结果。")
        raise ValidationError(f"巡察任务已处于“{inspection.get_stage_display()}”阶段，检查结果不能再修改。")


def checklist_bind(*, actor, inspection, indicator_set: IndicatorSet) -> InspectionChecklist:
    """Choose the published set the inspection checks against; fixed once results are recorded."""
    require_perm(actor, "indicators:indicatorresult:add")
    indicator_set = IndicatorSet.objects.get(pk=indicator_set.pk)  # its status now, not as held in memory
    if indicator_set.status != c.SetStatus.PUBLISHED:
        raise ValidationError({"indicator_set": "只能选用已发布的最新版本指标体系。"})
    if not IndicatorSet.objects.for_user(actor, "view").filter(pk=indicator_set.pk).exists():
        raise ValidationError({"indicator_set": "所选指标体系不在您的授权范围内。"})
    with transaction.atomic():
        current = InspectionChecklist.objects.select_for_update().filter(inspection=inspection).first()
        if current is None:
            return scoped_create(actor=actor, instance=InspectionChecklist(inspection=inspection,
                                                                           indicator_set=indicator_set))
        if current.indicator_set_id == indicator_set.pk:
            return current
        if IndicatorResult.objects.filter(inspection=inspection).exists():
            raise ValidationError({"indicator_set": "本巡察任务已按原指标体系记录了检查结果，不能更换。"})

        def changes(binding):
            binding.indicator_set = indicator_set

        return scoped_update(actor=actor, instance=current, changes=changes)


def checklist_of(*, actor, inspection) -> InspectionChecklist:
    """The inspection's binding, created with the default set on first use."""
    binding = InspectionChecklist.objects.filter(inspection=inspection).select_related("indicator_set").first()
    if binding is not None:
        return binding
    default = default_set_for(inspection)
    if default is None:
        raise ValidationError("尚无已发布的指标体系，请巡察办先发布指标体系。")
    return checklist_bind(actor=actor, inspection=inspection, indicator_set=default)


def result_record(*, actor, inspection, unit, indicator: Indicator, result: str, notes: str | None = None
                  ) -> IndicatorResult:
    """Record (or change) the result of one check item at one target unit."""
    if result not in c.ResultValue.values:
        raise ValidationError({"result": "检查结果应为“符合”“存在问题”或“不适用”。"})
    _recording_allowed(inspection)
    check_target(inspection, unit)
    binding = checklist_of(actor=actor, inspection=inspection)
    if indicator.indicator_set_id != binding.indicator_set_id or indicator.level != 3:
        raise ValidationError({"indicator": "该检查事项不属于本巡察任务选用的指标体系，或不是三级指标。"})
    existing = IndicatorResult.objects.filter(inspection=inspection, unit=unit, indicator=indicator).first()
    if existing is None:
        record = IndicatorResult(inspection=inspection, unit=unit, indicator=indicator, result=result,
                                 notes=(notes or "").strip())
        return scoped_create(actor=actor, instance=record)

    def changes(r):
        r.result = result
        if notes is not None:
            r.notes = notes.strip()

    return scoped_update(actor=actor, instance=existing, changes=changes)


def _attach(actor, instance, upload):
    if instance.evidence_files.count() >= MAX_EVIDENCE_FILES:
        raise ValidationError({"file": f"每条记录最多上传 {MAX_EVIDENCE_FILES} 个佐证材料。"})
    stored = store_upload(upload, user=actor)

    def changes(r):
        r.evidence_files.add(stored)

    return scoped_update(actor=actor, instance=instance, changes=changes), stored


def result_attach(*, actor, result: IndicatorResult, upload):
    _recording_allowed(result.inspection)
    return _attach(actor, result, upload)


def result_detach(*, actor, result: IndicatorResult, file_id: int) -> IndicatorResult:
    _recording_allowed(result.inspection)

    def changes(r):
        r.evidence_files.remove(file_id)

    return scoped_update(actor=actor, instance=result, changes=changes)


def decisioncheck_record(*, actor, inspection, unit, decision: DecisionItem, status: str,
                         notes: str | None = None) -> DecisionCheck:
    if status not in c.DecisionStatus.values:
        raise ValidationError({"status": "落实情况应为“已落实”“部分落实”“未落实”或“不适用”。"})
    _recording_allowed(inspection)
    check_target(inspection, unit)
    if not DecisionItem.objects.for_user(actor, "view").filter(pk=decision.pk).exists():
        raise ValidationError({"decision": "该决策部署不在您的授权范围内。"})
    existing = DecisionCheck.objects.filter(inspection=inspection, unit=unit, decision=decision).first()
    if existing is None:
        return scoped_create(actor=actor, instance=DecisionCheck(inspection=inspection, unit=unit, decision=decision,
                                                                 status=status, notes=(notes or "").strip()))

    def changes(r):
        r.status = status
        if notes is not None:
            r.notes = notes.strip()

    return scoped_update(actor=actor, instance=existing, changes=changes)


def decisioncheck_attach(*, actor, check: DecisionCheck, upload):
    _recording_allowed(check.inspection)
    return _attach(actor, check, upload)
