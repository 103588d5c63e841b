"""Scope rules planning adds to other apps' models (registered in PlanningConfig.ready)."""

from __future__ import annotations

from django.db.models import Q


def unit_group_rule(grant) -> Q:
    """A group grant sees the units targeted by the group's live inspections."""
    from .models import InspectionTarget

    targeted = InspectionTarget.objects.filter(
        inspection__group_id=grant.group_id, inspection__is_deleted=False).values("unit_id")
    return Q(pk__in=targeted)


def cadre_group_rule(grant) -> Q:
    """A group grant sees the cadres of the units its live inspections target (whom it talks to and
    whose selection and appointment it checks), and no other cadre."""
    from .models import InspectionTarget

    targeted = InspectionTarget.objects.filter(
        inspection__group_id=grant.group_id, inspection__is_deleted=False).values("unit_id")
    return Q(unit_id__in=targeted)
