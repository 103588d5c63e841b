"""The planning share of the scope mechanism: one extra, read-only reach upward.

A county office plans its own county and must *see* the city's plans (to align with them) without
being able to change them. `grant_q` does not know the action it is asked about, so the rule lives
in the planning querysets instead: for a *view* permission, a region grant also reaches the rows of
the authorities above the granted region (the city above a county, read from the materialised
path, no query). Every other action (add, change, delete, transition…) sees only the granted
subtree, exactly as `core.scoping` decides. A model opts in with `reads_upward = True`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from xuncha.core.scoping import SCOPE_REGION, ScopedQuerySet, permission_for, scope_q, user_grants

__all__ = ["PlanningQuerySet", "PlanningManager", "PlanningAllObjectsManager", "upward_q", "ancestor_ids",
           "READ_UPWARD_ACTIONS"]

READ_UPWARD_ACTIONS = {"view"}


def ancestor_ids(path: str) -> list[int]:
    """"/1/2/5/" → [1, 2]: the regions above the last one, from the materialised path."""
    parts = [int(p) for p in path.strip("/").split("/") if p]
    return parts[:-1]


def upward_q(model, user, permission: str) -> Q | None:
    """Rows placed at an authority above one of the user's region grants holding `permission`."""
    region_path = (getattr(model, "scope_paths", None) or {}).get("region")
    if not region_path:
        return None
    ids: set[int] = set()
    for grant in user_grants(user):
        if permission in grant.permissions and grant.kind == SCOPE_REGION and grant.region_path:
            ids.update(ancestor_ids(grant.region_path))
    if not ids:
        return None
    return Q(**{f"{region_path}_id__in": sorted(ids)})


class PlanningQuerySet(ScopedQuerySet):
    def for_user(self, user, action: str = "view"):
        return self.for_user_perm(user, permission_for(self.model, action))

    def for_user_perm(self, user, permission: str):
        q = scope_q(self.model, user, permission)
        if q is not None and not q:
            return self  # an empty Q() is "everything"
        if getattr(self.model, "reads_upward", False) and permission.rsplit(":", 1)[-1] in READ_UPWARD_ACTIONS:
            up = upward_q(self.model, user, permission)
            if up is not None:
                q = up if q is None else q | up
        if q is None:
            return self.none()
        return self.filter(q)


class PlanningManager(models.Manager.from_queryset(PlanningQuerySet)):
    """Default manager of the planning models: hides soft-deleted rows."""

    def get_queryset(self):
        qs = super().get_queryset()
        if hasattr(self.model, "is_deleted"):
            qs = qs.filter(is_deleted=False)
        return qs


class PlanningAllObjectsManager(models.Manager.from_queryset(PlanningQuerySet)):
    """Includes soft-deleted rows (history, the re-check inside a write)."""
