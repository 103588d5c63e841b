"""Badges of findings' statuses."""

from django import template

register = template.Library()

_CLASSES = {
    "draft": "bg-secondary-subtle text-secondary-emphasis",
    "submitted": "bg-info-subtle text-info-emphasis",
    "reviewed": "bg-primary-subtle text-primary-emphasis",
    "confirmed": "bg-success",
    "returned": "bg-warning-subtle text-warning-emphasis",
    "registered": "bg-secondary-subtle text-secondary-emphasis",
    "transferred": "bg-primary-subtle text-primary-emphasis",
    "disposed": "bg-success",
    "grave": "bg-danger",
    "serious": "bg-warning-subtle text-warning-emphasis",
    "general": "bg-light text-dark border",
}


@register.filter
def finding_class(value: str) -> str:
    return _CLASSES.get(value, "bg-light text-dark border")
