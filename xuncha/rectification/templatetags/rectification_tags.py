"""Badges of rectification pages: deadline colours (yellow due soon, red overdue) and statuses."""

from django import template

from .. import choices as c

register = template.Library()

URGENCY_CLASSES = {c.Urgency.OVERDUE: "bg-danger", c.Urgency.SOON: "bg-warning text-dark",
                   c.Urgency.DONE: "bg-success", c.Urgency.NORMAL: "bg-secondary-subtle text-secondary-emphasis"}
STATUS_CLASSES = {
    "draft": "bg-secondary-subtle text-secondary-emphasis", "submitted": "bg-info-subtle text-info-emphasis",
    "approved": "bg-success-subtle text-success-emphasis", "returned": "bg-danger-subtle text-danger-emphasis",
    "pending": "bg-secondary-subtle text-secondary-emphasis", "progress": "bg-primary-subtle text-primary-emphasis",
    "review": "bg-info-subtle text-info-emphasis", "accepted": "bg-success-subtle text-success-emphasis",
    "reviewed": "bg-info-subtle text-info-emphasis", "published": "bg-success-subtle text-success-emphasis",
}


@register.filter
def urgency_class(value) -> str:
    return URGENCY_CLASSES.get(value, "bg-secondary")


@register.filter
def urgency_label(value) -> str:
    try:
        return c.Urgency(value).label
    except ValueError:
        return ""


@register.filter
def rect_status_class(value) -> str:
    return STATUS_CLASSES.get(value, "bg-secondary-subtle text-secondary-emphasis")


@register.filter
def kind_label(value) -> str:
    try:
        return c.MeasureKind(value).label
    except ValueError:
        return value
