"""Where the indicator library sits in the scope mechanism (see docs/indicators.md).

The library (sets with their indicators and templates) and the decision checklist are reference
data *of an inspection authority*: the city office (市委巡察办) keeps the city's library, a county
office may keep its own (usually a copy of the city's, adapted). So:

* a region grant **writes** only in its own subtree (a county never edits the city's library);
* a region grant **reads** its subtree and, published rows only, the authorities above it (a county
  reads the city's library to use or copy it) — the "upward read" of planning, limited to what is
  published;
* a group grant reads the published library of its inspection authority and of the authorities
  above it (what the group checks against), never drafts;
* the library shipped with the platform (no authority, 平台内置) is read by every region and group
  grant holding the view permission and written by none: an office copies it into its own draft;
* a unit grant (an inspected unit's liaison) reaches nothing.

`grant_q` does not know the action, so the upward read lives in the queryset, as in planning.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q

from xuncha.core.scoping import (
    SCOPE_GLOBAL,
    SCOPE_GROUP,
    SCOPE_REGION,
    ScopedQuerySet,
    permission_for,
    scope_q,
    user_grants,
)

__all__ = ["LibraryQuerySet", "LibraryManager", "LibraryAllObjectsManager", "library_grant_q"]


def _group_reach(grant, authority: str) -> Q:
    """Rows placed at the group's authority or above it (the group's authority path starts with theirs)."""
    from xuncha.planning.models import InspectionGroup

    return Q(Exists(InspectionGroup.all_objects.filter(
        pk=grant.group_id, authority__path__startswith=OuterRef(f"{authority}__path"))))


def library_grant_q(model, grant) -> Q | None:
    """The rows of a library model one grant reaches (downward part; see LibraryQuerySet for upward)."""
    authority = model.authority_path
    if grant.kind == SCOPE_GLOBAL:
        return Q()
    if grant.kind == SCOPE_REGION:
        return Q(**{f"{authority}__path__startswith": grant.region_path})
    if grant.kind == SCOPE_GROUP:
        return (_group_reach(grant, authority) | Q(**{f"{authority}__isnull": True})) & model.public_q()
    return None


def _ancestor_ids(path: str) -> list[int]:
    parts = [int(p) for p in path.strip("/").split("/") if p]
    return parts[:-1]


class LibraryQuerySet(ScopedQuerySet):
    def for_user(self, user, action: str = "view"):
        return self.for_user_perm(user, permission_for(self.model, action))

    def for_user_perm(self, user, permission: str):
        q = scope_q(self.model, user, permission)
        if q is not None and not q:
            return self
        if permission.rsplit(":", 1)[-1] == "view":
            ids: set[int] = set()
            regional = False
            for grant in user_grants(user):
                if permission in grant.permissions and grant.kind == SCOPE_REGION and grant.region_path:
                    regional = True
                    ids.update(_ancestor_ids(grant.region_path))
            if regional:
                field = self.model.authority_path
                up = (Q(**{f"{field}_id__in": sorted(ids)}) | Q(**{f"{field}__isnull": True})) & self.model.public_q()
                q = up if q is None else q | up
        if q is None:
            return self.none()
        return self.filter(q)


class LibraryManager(models.Manager.from_queryset(LibraryQuerySet)):
    """Default manager of the library models: hides soft-deleted rows."""

    def get_queryset(self):
        qs = super().get_queryset()
        if hasattr(self.model, "is_deleted"):
            qs = qs.filter(is_deleted=False)
        return qs


class LibraryAllObjectsManager(models.Manager.from_queryset(LibraryQuerySet)):
    """Includes soft-deleted rows (history, the re-check inside a write)."""
