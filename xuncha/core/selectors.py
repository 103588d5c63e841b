"""Reads of the kernel: history entries with readable labels, the home page summary."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from . import changelog, dictionaries
from .models import DictField


@dataclass
class FieldChange:
    label: str
    before: object
    after: object


@dataclass
class HistoryEntry:
    entry: object
    changes: list[FieldChange]


def _readable(field: models.Field | None, value):
    if value is None or value == "":
        return "—"
    if isinstance(field, DictField):
        return dictionaries.label(field.dict_code, value)
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    if field is not None and field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, list):
        return "；".join(str(_readable(None, v) if not isinstance(v, dict) else
                             "，".join(f"{k}:{x}" for k, x in v.items() if x not in (None, ""))) for v in value) or "—"
    return value


def history_entries(instance: models.Model) -> list[HistoryEntry]:
    """The record's change log, each entry with its changed fields labelled in Chinese.

    Precondition: the caller has checked that the user may view `instance`.
    """
    fields = {f.name: f for f in type(instance)._meta.get_fields() if hasattr(f, "verbose_name")}
    extra_labels = getattr(type(instance), "history_labels", {})
    result = []
    for entry in changelog.history_for(instance):
        changes = []
        for name, before, after in entry.changed_fields():
            field = fields.get(name)
            label = extra_labels.get(name) or (field.verbose_name if field is not None else name)
            changes.append(FieldChange(str(label), _readable(field, before), _readable(field, after)))
        result.append(HistoryEntry(entry, changes))
    return result


def home_summary(user) -> list[dict]:
    """Counts of what the user may see, one query per model."""
    from django.urls import reverse

    from .resources import REGISTRY
    from .scoping import has_perm

    cards = []
    for resource in REGISTRY.values():
        if has_perm(user, resource.perm("view")):
            cards.append({
                "label": resource.label,
                "count": resource.model.objects.for_user(user, "view").count(),
                "url": reverse(resource.url_name("list")),
            })
    return cards


def filtered_queryset(resource, user, params, action: str, *, request=None):
    """A Resource's rows for a list or an export: scope first, then the user's filters, search, sort.

    `params` is the query (a QueryDict); a filter whose value is not a choice the user may see makes
    the whole result empty rather than silently ignoring the filter.
    """
    from types import SimpleNamespace

    qs = resource.queryset(user, action)
    filterset = None
    if resource.filterset_class:
        request = request or SimpleNamespace(user=user, GET=params)
        filterset = resource.filterset_class(params or None, queryset=qs, request=request)
        if filterset.is_bound and filterset.is_valid():
            qs = filterset.qs
        elif filterset.is_bound:
            qs = qs.none()
    sort = params.get("sort", "")
    key = sort.lstrip("-")
    if key in resource.sortable:
        order = resource.sortable[key]
        qs = qs.order_by(f"-{order}" if sort.startswith("-") else order, "pk")
    elif resource.default_sort:
        qs = qs.order_by(resource.default_sort, "pk")
    return qs, filterset, sort


def export_queryset(resource, user, params):
    """Rows the user may both export and view, filtered as the list was."""
    qs, _, _ = filtered_queryset(resource, user, params, "export")
    return qs.filter(pk__in=resource.model.objects.for_user(user, "view").values("pk"))


def jobs_for_user(user):
    """A job belongs to the person who started it; nobody else sees its progress or its errors."""
    from .models import Job

    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(user=user)


def apply_live_progress(job) -> None:
    """A running job reports progress through the cache (its rows sit in an open transaction)."""
    if job.is_finished:
        return
    from django.core.cache import cache

    from .excel import progress_key

    live = cache.get(progress_key(job.pk))
    if live:
        job.progress, job.total = live
