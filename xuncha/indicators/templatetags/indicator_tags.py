"""Small helpers of the indicators templates."""

from django import template

register = template.Library()

RESULT_CLASSES = {"compliant": "bg-success", "problem": "bg-danger", "not_applicable": "bg-secondary"}
RESULT_BUTTONS = {"compliant": "btn-outline-success", "problem": "btn-outline-danger",
                  "not_applicable": "btn-outline-secondary"}
RESULT_ACTIVE = {"compliant": "btn-success", "problem": "btn-danger", "not_applicable": "btn-secondary"}
DECISION_CLASSES = {"done": "bg-success", "partial": "bg-warning text-dark", "not_done": "bg-danger",
                    "not_applicable": "bg-secondary"}
SET_CLASSES = {"draft": "bg-warning text-dark", "published": "bg-success", "superseded": "bg-secondary"}


@register.filter
def result_class(value: str) -> str:
    return RESULT_CLASSES.get(value, "bg-light text-dark border")


@register.simple_tag
def result_button(value: str, current: str | None) -> str:
    return RESULT_ACTIVE[value] if value == current else RESULT_BUTTONS[value]


@register.filter
def decision_class(value: str) -> str:
    return DECISION_CLASSES.get(value, "bg-light text-dark border")


@register.filter
def set_class(value: str) -> str:
    return SET_CLASSES.get(value, "bg-light text-dark border")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
