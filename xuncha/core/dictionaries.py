"""Reading dictionaries: labels and choices, loaded once per request whatever the number of rows."""

from __future__ import annotations

import time

from django.core.cache import cache

from .models import DictItem

_CACHE_KEY = "xuncha:dict:v1"
# A process-local copy for a couple of seconds: a list page or an export reads a label per cell, and
# even a local-memory cache unpickles the whole dictionary set on every read. Other processes see
# an edit once their copy expires (the shared cache entry is deleted at once).
_LOCAL_SECONDS = 2.0
_local: tuple[float, dict] | None = None


def _load() -> dict[str, list[tuple[str, str, bool]]]:
    global _local
    now = time.monotonic()
    if _local is not None and _local[0] > now:
        return _local[1]
    data = cache.get(_CACHE_KEY)
    if data is None:
        data = {}
        for code, value, label, active in DictItem.objects.select_related("dict_type").order_by(
            "dict_type__code", "sort", "id"
        ).values_list("dict_type__code", "value", "label", "is_active"):
            data.setdefault(code, []).append((value, label, active))
        cache.set(_CACHE_KEY, data, 300)
    _local = (now + _LOCAL_SECONDS, data)
    return data


def invalidate() -> None:
    global _local
    _local = None
    cache.delete(_CACHE_KEY)


def choices(code: str, *, include_inactive: bool = False) -> list[tuple[str, str]]:
    return [(v, label) for v, label, active in _load().get(code, []) if active or include_inactive]


def labels(code: str) -> dict[str, str]:
    return {v: label for v, label, _ in _load().get(code, [])}


def label(code: str, value: str | None) -> str:
    if value in (None, ""):
        return ""
    return labels(code).get(value, value)


def value_for_label(code: str, text: str) -> str | None:
    """Map what a person typed in Excel (a label, or the code itself) to the stored value."""
    text = (text or "").strip()
    for value, label_text, active in _load().get(code, []):
        if active and text in (label_text, value):
            return value
    return None
