"""Small display helpers of the planning pages."""

from django import template

from xuncha.core import dictionaries
from xuncha.org import choices as org_choices

register = template.Library()

STAGE_CLASSES = {
    "prepare": "bg-secondary-subtle text-secondary-emphasis", "stationed": "bg-info-subtle text-info-emphasis",
    "understand": "bg-primary-subtle text-primary-emphasis", "report": "bg-warning-subtle text-warning-emphasis",
    "feedback": "bg-warning-subtle text-warning-emphasis", "transfer": "bg-danger-subtle text-danger-emphasis",
    "rectify": "bg-danger-subtle text-danger-emphasis", "archived": "bg-success-subtle text-success-emphasis",
}
STATUS_CLASSES = {
    "covered": "bg-success-subtle text-success-emphasis", "scheduled": "bg-info-subtle text-info-emphasis",
    "late": "bg-danger-subtle text-danger-emphasis", "planned": "bg-secondary-subtle text-secondary-emphasis",
    "unplanned": "bg-light text-dark border",
    "draft": "bg-secondary-subtle text-secondary-emphasis", "started": "bg-primary-subtle text-primary-emphasis",
    "finished": "bg-success-subtle text-success-emphasis",
    "running": "bg-info-subtle text-info-emphasis", "ready": "bg-warning-subtle text-warning-emphasis",
    "infeasible": "bg-danger-subtle text-danger-emphasis", "failed": "bg-danger-subtle text-danger-emphasis",
    "accepted": "bg-success-subtle text-success-emphasis", "rejected": "bg-secondary-subtle text-secondary-emphasis",
    "done": "bg-success-subtle text-success-emphasis",
}


@register.filter
def stage_class(value: str) -> str:
    return STAGE_CLASSES.get(value, "bg-light text-dark")


@register.filter
def status_class(value: str) -> str:
    return STATUS_CLASSES.get(value, "bg-light text-dark border")


@register.filter
def system_label(value: str) -> str:
    return dictionaries.label(org_choices.DICT_UNIT_SYSTEM, value) or "—"


@register.filter
def category_label(value: str) -> str:
    return dictionaries.label(org_choices.DICT_UNIT_CATEGORY, value) or "—"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
