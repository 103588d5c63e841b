"""Scope rules rectification adds to other apps' models (registered in apps.py)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

__all__ = ["problem_unit_rule"]


def problem_unit_rule(grant) -> Q:
    """A unit grant (the liaison) sees the confirmed problems of its own unit, in the inspections whose
    feedback to that unit has been issued; never a draft, never another unit's."""
    from xuncha.reporting.models import Feedback

    issued = Feedback.all_objects.filter(inspection_id=OuterRef("inspection_id"), unit_id=grant.unit_id,
                                         issued_at__isnull=False, is_deleted=False)
    return Q(Exists(issued), unit_id=grant.unit_id, status="confirmed", is_deleted=False)
