"""The shared write path: every create, update and soft delete of a scoped record goes through here.

Each runs in one transaction, writes its change-log row inside it, and re-checks inside the
transaction that the row is still in the actor's scope for the action (so nobody creates or moves a
record out of their own reach); a failed check rolls everything back.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from . import changelog, dictionaries
from .models import ChangeLog, DictItem, DictType
from .scoping import has_perm, permission_for


class ScopeViolation(PermissionDenied):
    pass


def require_perm(actor, permission: str) -> None:
    if not has_perm(actor, permission):
        raise PermissionDenied("您没有执行此操作的权限。")


def _check_in_scope(actor, instance: models.Model, action: str) -> None:
    model = type(instance)
    manager = getattr(model, "all_objects", model.objects)
    if not manager.for_user(actor, action).filter(pk=instance.pk).exists():
        raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")


def scoped_create(*, actor, instance: models.Model, m2m: dict | None = None,
                  after_save: Callable[[models.Model], None] | None = None,
                  action: str = ChangeLog.Action.CREATE) -> models.Model:
    """Insert `instance` (already validated) and its many-to-many values, then check scope and log."""
    require_perm(actor, permission_for(type(instance), "add"))
    with transaction.atomic():
        if hasattr(instance, "created_by_id") and actor is not None and actor.is_authenticated:
            instance.created_by = actor
        instance.save(force_insert=True)
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
        if after_save:
            after_save(instance)
        _check_in_scope(actor, instance, "add")
        changelog.record(instance, action, before=None, after=changelog.snapshot(instance), user=actor)
    return instance


def scoped_update(*, actor, instance: models.Model, changes: Callable[[models.Model], None],
                  action: str = "change") -> models.Model:
    """Apply `changes(instance)` to a row the actor may change, then check it is still in scope."""
    model = type(instance)
    require_perm(actor, permission_for(model, action))
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=instance.pk)
        _check_in_scope(actor, locked, action)
        before = changelog.snapshot(locked)
        changes(locked)
        locked.save()
        _check_in_scope(actor, locked, action)
        changelog.record(locked, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(locked),
                         user=actor)
    return locked


def scoped_soft_delete(*, actor, instance: models.Model, guard: Callable[[models.Model], None] | None = None):
    """Hide a row (is_deleted); `guard` raises ValidationError when live records still depend on it."""
    model = type(instance)
    require_perm(actor, permission_for(model, "delete"))
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=instance.pk)
        _check_in_scope(actor, locked, "delete")
        if guard:
            guard(locked)
        before = changelog.snapshot(locked)
        locked.is_deleted = True
        locked.deleted_at = timezone.now()
        locked.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
        changelog.record(locked, ChangeLog.Action.DELETE, before=before, after=changelog.snapshot(locked),
                         user=actor)
    return locked


# --- Dictionaries -------------------------------------------------------------------------------


def dict_item_save(*, actor, dict_type: DictType, item: DictItem | None, value: str, label: str, sort: int,
                   is_active: bool) -> DictItem:
    """Add or edit one dictionary item. Values are stable codes: an existing item's value never changes,
    because records store it."""
    from django.core.exceptions import ValidationError

    require_perm(actor, "core:dictionary:change")
    with transaction.atomic():
        if item is None:
            if DictItem.objects.filter(dict_type=dict_type, value=value).exists():
                raise ValidationError({"value": "该字典中已有相同的值。"})
            item = DictItem(dict_type=dict_type, value=value)
            before = None
        else:
            before = changelog.snapshot(item)
        if DictItem.objects.filter(dict_type=dict_type, label=label).exclude(pk=item.pk).exists():
            raise ValidationError({"label": "该字典中已有相同的名称。"})
        item.label, item.sort, item.is_active = label, sort, is_active
        item.save()
        changelog.record(item, ChangeLog.Action.CREATE if before is None else ChangeLog.Action.UPDATE,
                         before=before, after=changelog.snapshot(item), user=actor)
    dictionaries.invalidate()
    transaction.on_commit(dictionaries.invalidate)  # again after commit: a reader may have re-cached the old state
    return item
