"""The left menu: each entry names the permission it needs, so a role sees only what it may use.

Apps add their entries in their AppConfig.ready() via `register()`; later apps (planning, teams…)
extend the menu the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from .scoping import user_permissions


@dataclass
class MenuItem:
    label: str
    url_name: str
    permission: str
    icon: str = "circle"


@dataclass
class MenuGroup:
    label: str
    icon: str
    order: int
    items: list[MenuItem] = field(default_factory=list)


_GROUPS: dict[str, MenuGroup] = {}


def register(group: str, *, icon: str, order: int, items: list[MenuItem]) -> None:
    entry = _GROUPS.setdefault(group, MenuGroup(group, icon, order))
    known = {i.url_name for i in entry.items}
    entry.items.extend(i for i in items if i.url_name not in known)


def menu_for(user, current_path: str = "") -> list[dict]:
    perms = user_permissions(user)
    menu = []
    for group in sorted(_GROUPS.values(), key=lambda g: g.order):
        items = []
        for item in group.items:
            if item.permission in perms:
                url = reverse(item.url_name)
                items.append({"label": item.label, "url": url, "icon": item.icon,
                              "active": current_path.startswith(url)})
        if items:
            menu.append({"label": group.label, "icon": group.icon, "items": items,
                         "active": any(i["active"] for i in items)})
    return menu


def all_items() -> list[MenuItem]:
    return [item for group in _GROUPS.values() for item in group.items]
