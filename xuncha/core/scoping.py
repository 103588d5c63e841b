"""One mechanism decides what a user may see: `Model.objects.for_user(user, action)`.

A user holds grants; a grant is a role over a scope (a region subtree, a unit, or the whole system
for the three administrators). A model says how a scope reaches it by declaring `scope_paths`:

    scope_paths = {"region": "region", "unit": "unit"}

(an empty path means the row itself), meaning "a region grant sees rows whose `region` lies in the granted subtree; a unit grant sees rows
whose `unit` is the granted unit". A kind a model does not list sees none of its rows. The union of
all grants whose role holds the permission is what the user sees: the widest grant wins, no grant
sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

SCOPE_REGION = "region"
SCOPE_UNIT = "unit"
SCOPE_GLOBAL = "global"
SCOPE_GROUP = "group"  # an inspection group of one round (planning.InspectionGroup)


@dataclass(frozen=True)
class GrantView:
    """What the scope check needs of a grant, loaded once per request."""

    kind: str
    permissions: frozenset[str]
    region_id: int | None = None
    region_path: str | None = None
    unit_id: int | None = None
    unit_region_id: int | None = None
    group_id: int | None = None


def user_grants(user) -> list[GrantView]:
    """The user's active grants, cached on the user object (one query per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_xuncha_grants", None)
    if cached is None:
        from xuncha.accounts.models import Grant

        rows = Grant.objects.filter(user_id=user.pk, is_active=True).select_related("role", "region", "unit")
        cached = [
            GrantView(
                kind=g.scope_kind,
                permissions=frozenset(g.role.permissions or []),
                region_id=g.region_id,
                region_path=g.region.path if g.region_id else None,
                unit_id=g.unit_id,
                unit_region_id=g.unit.region_id if g.unit_id else None,
                group_id=g.group_id,
            )
            for g in rows
            if g.role.is_active
        ]
        user._xuncha_grants = cached
    return cached


def forget_grants(user) -> None:
    """Drop the per-request cache after the user's grants changed."""
    if hasattr(user, "_xuncha_grants"):
        del user._xuncha_grants


def user_permissions(user) -> set[str]:
    perms: set[str] = set()
    for grant in user_grants(user):
        perms |= grant.permissions
    return perms


def has_perm(user, permission: str) -> bool:
    """True when some grant of the user holds the permission, whatever its scope."""
    return any(permission in g.permissions for g in user_grants(user))


# (model, kind) -> function(grant) -> Q | None, registered by apps that add a kind of scope later
# (planning adds inspection groups: a group's grant reaches the units its inspections target).
_EXTRA_RULES: dict[tuple[type, str], object] = {}


def register_scope_rule(model, kind: str, rule) -> None:
    """Teach `for_user` how a grant of `kind` reaches rows of `model` (call from AppConfig.ready)."""
    _EXTRA_RULES[(model, kind)] = rule


def grant_q(model, grant: GrantView) -> Q | None:
    """The rows of `model` one grant reaches, or None when this kind of grant reaches none."""
    extra = _EXTRA_RULES.get((model, grant.kind))
    if extra is not None:
        return extra(grant)
    custom = getattr(model, "scope_q_for_grant", None)
    if custom is not None:
        return custom(grant)
    paths = getattr(model, "scope_paths", None) or {}
    if grant.kind == SCOPE_GLOBAL:
        return Q()
    if grant.kind == SCOPE_REGION and "region" in paths:
        prefix = f"{paths['region']}__" if paths["region"] else ""
        return Q(**{f"{prefix}path__startswith": grant.region_path})
    if grant.kind == SCOPE_UNIT and "unit" in paths:
        return Q(**{f"{paths['unit']}_id" if paths["unit"] else "pk": grant.unit_id})
    if grant.kind == SCOPE_GROUP and "group" in paths:
        return Q(**{f"{paths['group']}_id" if paths["group"] else "pk": grant.group_id})
    return None


def scope_q(model, user, permission: str) -> Q | None:
    """The union of the grants holding `permission`; None means the user sees nothing."""
    combined: Q | None = None
    for grant in user_grants(user):
        if permission not in grant.permissions:
            continue
        q = grant_q(model, grant)
        if q is None:
            continue
        if not q:  # an empty Q() is "everything": nothing wider exists
            return q
        combined = q if combined is None else combined | q
    return combined


def permission_for(model, action: str) -> str:
    """`app:model:action`; a dependent row (a cadre's work history) may borrow its parent's name."""
    name = getattr(model, "permission_name", None) or model._meta.model_name
    return f"{model._meta.app_label}:{name}:{action}"


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view"):
        """Rows of this queryset the user may act on with `action` (view, change, delete, export…)."""
        q = scope_q(self.model, user, permission_for(self.model, action))
        if q is None:
            return self.none()
        return self.filter(q) if q else self

    def for_user_perm(self, user, permission: str):
        """Rows a grant holding `permission` reaches, e.g. the regions where the user may add a unit."""
        q = scope_q(self.model, user, permission)
        if q is None:
            return self.none()
        return self.filter(q) if q else self

    def alive(self):
        if hasattr(self.model, "is_deleted"):
            return self.filter(is_deleted=False)
        return self


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    """Default manager: hides soft-deleted rows."""

    def get_queryset(self):
        qs = super().get_queryset()
        if hasattr(self.model, "is_deleted"):
            qs = qs.filter(is_deleted=False)
        return qs


class AllObjectsManager(models.Manager.from_queryset(ScopedQuerySet)):
    """Includes soft-deleted rows: for history, restore and the audit."""


def in_scope(user, permission: str, *, region=None, unit=None) -> bool:
    """May `user` act with `permission` on something placed in `region` (and `unit`)?

    Used by services before a create or a move, where no row exists yet to filter on.
    """
    for grant in user_grants(user):
        if permission not in grant.permissions:
            continue
        if grant.kind == SCOPE_GLOBAL:
            return True
        if grant.kind == SCOPE_REGION and region is not None and region.path.startswith(grant.region_path):
            return True
        if grant.kind == SCOPE_UNIT and unit is not None and unit.pk == grant.unit_id:
            return True
    return False
