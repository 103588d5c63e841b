"""Scope rules reporting adds (registered in ReportingConfig.ready)."""

from __future__ import annotations

from django.db.models import Q


def feedback_unit_rule(grant) -> Q:
    """A unit grant (the unit's liaison) sees the feedback of its own unit once it is issued."""
    return Q(unit_id=grant.unit_id, issued_at__isnull=False, is_deleted=False)
