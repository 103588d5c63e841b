"""Template filters of the duplicate check."""

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """0.932 -> "93.2%"."""
    try:
        return f"{float(value) * 100:.1f}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def ratio_class(value, threshold=0.3) -> str:
    """Bootstrap text class for a ratio: red at or above the threshold, amber above half of it."""
    try:
        value, threshold = float(value), float(threshold)
    except (TypeError, ValueError):
        return ""
    if value >= threshold:
        return "text-danger fw-bold"
    if value >= threshold / 2:
        return "text-warning-emphasis"
    return ""
