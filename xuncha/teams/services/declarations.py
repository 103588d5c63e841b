"""回避申请 (the person's own declaration) and the inspected unit's request, recorded as records
that block the assignment with their reason while they are active."""

from __future__ import annotations

from xuncha.core.services import scoped_create, scoped_soft_delete, scoped_update

from ..models import RecusalDeclaration
from ._common import assign

FIELDS = ("authority", "kind", "cadre", "unit", "reason", "declared_on", "is_active", "remarks")


def declaration_create(*, actor, data: dict) -> RecusalDeclaration:
    declaration = RecusalDeclaration()
    assign(declaration, data, FIELDS)
    return scoped_create(actor=actor, instance=declaration)


def declaration_update(*, actor, instance: RecusalDeclaration, data: dict) -> RecusalDeclaration:
    return scoped_update(actor=actor, instance=instance, changes=lambda d: assign(d, data, FIELDS))


def declaration_delete(*, actor, instance: RecusalDeclaration) -> RecusalDeclaration:
    return scoped_soft_delete(actor=actor, instance=instance)
