"""The change log: services call `snapshot()` before a change and `record()` after it,
inside the same transaction, so that a change and its history commit or roll back together."""

from __future__ import annotations

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import context
from .masking import mask_id_card, mask_phone
from .models import ChangeLog

# Personal numbers are kept masked in the history too: the history is read by more people than the record.
_MASKERS = {"id_card": mask_id_card, "phone": mask_phone}


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


SECRET_VALUE = "［保密］"


def _secret_marker(value) -> str:
    """The secret itself is dropped; a short digest-free marker still tells set from empty. Two
    different secrets give the same marker, so a change of the secret alone is not recorded as a
    difference: the history must not become an oracle for guessing it."""
    return SECRET_VALUE if value not in (None, "", [], {}) else ""


def snapshot(instance: models.Model | None) -> dict | None:
    """The field values of a row as JSON-safe data (foreign keys by id, many-to-many by sorted ids)."""
    if instance is None:
        return None
    data: dict = {}
    skip = set(getattr(instance, "history_exclude", ())) | {"created_at", "updated_at", "created_by"}
    # `history_secret`: fields whose values never reach the history (a reporter's name or phone);
    # the history still shows that they were set or changed, as SECRET_VALUE.
    secret = set(getattr(instance, "history_secret", ()))
    for field in instance._meta.concrete_fields:
        if field.name in skip:
            continue
        value = _plain(field.value_from_object(instance))
        if field.name in secret:
            value = _secret_marker(value)
        elif field.name in _MASKERS and value:
            value = _MASKERS[field.name](value)
        data[field.name] = value
    if instance.pk:
        for field in instance._meta.many_to_many:
            data[field.name] = sorted(obj.pk for obj in getattr(instance, field.name).all())
    for name, value in (getattr(instance, "history_extra", lambda: {})() or {}).items():
        data[name] = value
    return data


def record(instance: models.Model, action: str, *, before: dict | None, after: dict | None, user=None) -> ChangeLog | None:
    """Append one history row for `instance`; an update that changed nothing is not recorded."""
    if action == ChangeLog.Action.UPDATE and before == after:
        return None
    ctx = context.current()
    return ChangeLog.append(
        content_type_id=ContentType.objects.get_for_model(instance, for_concrete_model=True).pk,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        action=action,
        before=before,
        after=after,
        user_id_value=getattr(user, "pk", None) or ctx.user_id,
        username=getattr(user, "username", "") or ctx.username,
        ip=ctx.ip,
        request_id=ctx.request_id,
    )


def history_for(instance: models.Model):
    """History rows of one record, newest first. The caller has already checked the record's scope."""
    ct = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    return ChangeLog.objects.filter(content_type=ct, object_id=str(instance.pk)).order_by("-seq")
