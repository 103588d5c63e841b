"""Who reads which survey templates.

A template is placed at an authority (`authority`, the office that keeps it) or at none: the shared
starting templates shipped by the platform (a data migration). Changing a template is scoped like
any region record (the office's own subtree). *Reading* reaches wider, so that whoever draws up a
survey can pick a template: the shared ones, the ones of the authorities above a region grant (a
county reads the city's), and for an inspection group's grant the ones of the group's authority
and above. The rule is action-aware, which `scope_q_for_grant` cannot be, so it lives here (the
same shape as `planning/scoping.py`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from xuncha.core.scoping import (
    SCOPE_GROUP,
    SCOPE_REGION,
    ScopedQuerySet,
    permission_for,
    scope_q,
    user_grants,
)
from xuncha.planning.scoping import ancestor_ids

__all__ = ["TemplateQuerySet", "TemplateManager", "TemplateAllObjectsManager"]


def _read_reach(user, permission: str) -> Q | None:
    holding = [g for g in user_grants(user) if permission in g.permissions]
    if not holding:
        return None
    ids: set[int] = set()
    group_ids = []
    for grant in holding:
        if grant.kind == SCOPE_REGION and grant.region_path:
            ids.update(ancestor_ids(grant.region_path))
        elif grant.kind == SCOPE_GROUP and grant.group_id:
            group_ids.append(grant.group_id)
    if group_ids:
        from xuncha.planning.models import InspectionGroup

        for path in InspectionGroup.objects.filter(pk__in=group_ids).values_list("authority__path", flat=True):
            parts = [int(p) for p in path.strip("/").split("/") if p]
            ids.update(parts)
    q = Q(authority__isnull=True)
    if ids:
        q |= Q(authority_id__in=sorted(ids))
    return q


class TemplateQuerySet(ScopedQuerySet):
    def for_user(self, user, action: str = "view"):
        return self.for_user_perm(user, permission_for(self.model, action))

    def for_user_perm(self, user, permission: str):
        q = scope_q(self.model, user, permission)
        if q is not None and not q:
            return self  # a global grant: everything
        if permission.rsplit(":", 1)[-1] == "view":
            wider = _read_reach(user, permission)
            if wider is not None:
                q = wider if q is None else q | wider
        if q is None:
            return self.none()
        return self.filter(q)


class TemplateManager(models.Manager.from_queryset(TemplateQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(is_deleted=False)


class TemplateAllObjectsManager(models.Manager.from_queryset(TemplateQuerySet)):
    """Includes soft-deleted rows (history, the re-check inside a write)."""
