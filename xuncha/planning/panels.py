"""The work of an inspection, gathered on its page: each app that keeps records of an inspection
(indicator checklist, talks, petitions, surveys, problems, clues, report, feedback, archive…)
registers a panel from its AppConfig.ready, and the inspection page shows the ones the user may
open, with their counts.

    register_inspection_panel(InspectionPanel(
        "谈话记录", "fieldwork:talk_list_for", "fieldwork:talk:view", icon="chat-left-text", order=20,
        count=lambda inspection, user: Talk.objects.for_user(user).filter(inspection=inspection).count()))

`url_name` is reversed with the inspection's pk. A panel is shown to a user holding `permission`
(the page itself is already limited to inspections the user sees); `count` receives the user so
that it counts only what the user may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from xuncha.core.scoping import user_permissions

__all__ = ["InspectionPanel", "register_inspection_panel", "panels_for"]


@dataclass(frozen=True)
class InspectionPanel:
    label: str
    url_name: str
    permission: str
    icon: str = "folder2-open"
    order: int = 100
    count: Callable | None = None  # (inspection, user) -> int | None
    hint: str = ""


_PANELS: dict[str, InspectionPanel] = {}


def register_inspection_panel(panel: InspectionPanel) -> None:
    _PANELS[panel.url_name] = panel


def panels_for(user, inspection) -> list[dict]:
    """The panels `user` may open on `inspection`, in order, with their links and counts."""
    permissions = user_permissions(user)
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.label)):
        if panel.permission not in permissions:
            continue
        try:
            url = reverse(panel.url_name, args=[inspection.pk])
        except NoReverseMatch:
            continue
        count = panel.count(inspection, user) if panel.count else None
        shown.append({"label": panel.label, "url": url, "icon": panel.icon, "count": count, "hint": panel.hint})
    return shown
