"""Small display helpers of the reporting pages."""

from django import template

register = template.Library()

REPORT_CLASSES = {
    "draft": "bg-secondary-subtle text-secondary-emphasis", "submitted": "bg-warning-subtle text-warning-emphasis",
    "returned": "bg-danger-subtle text-danger-emphasis", "approved": "bg-success-subtle text-success-emphasis",
    "issued": "bg-success-subtle text-success-emphasis",
}
ENTRY_ICONS = {"comment": "chat-left-text", "submit": "send", "return": "arrow-return-left", "approve": "check2-circle"}


@register.filter
def report_class(value: str) -> str:
    return REPORT_CLASSES.get(value, "bg-light text-dark border")


@register.filter
def entry_icon(value: str) -> str:
    return ENTRY_ICONS.get(value, "dot")


@register.filter
def human_bytes(value) -> str:
    from xuncha.core.files import human_size

    return human_size(int(value or 0))
