"""Helpers shared by the teams services."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from xuncha.core import changelog
from xuncha.core.models import ChangeLog


def assign(instance, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


def today() -> datetime.date:
    return timezone.localdate()


def log_create(instance: models.Model, actor) -> None:
    changelog.record(instance, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(instance), user=actor)


def log_update(instance: models.Model, before: dict | None, actor) -> None:
    changelog.record(instance, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(instance), user=actor)


def errors(**fields: str) -> ValidationError:
    return ValidationError({name: message for name, message in fields.items()})


def authority_chain_q(authority, prefix: str = "authority") -> models.Q:
    """Rows kept by `authority` or an office above it (the city's pools serve its counties' groups)."""
    ids = [int(p) for p in authority.path.strip("/").split("/") if p]
    return models.Q(**{f"{prefix}_id__in": ids})
