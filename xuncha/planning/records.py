"""The shape every record of an inspection's work shares (talks, petitions, indicator results,
problems, clues, reports, feedback…), whichever app owns it.

A record hangs on one `planning.Inspection` and carries a denormalised copy of its authority, so
that the scope check is one hop: the office of a region sees the records of the inspections of its
region and below; an inspection group's grant sees the records of its own inspections; a unit's
liaison sees none (an app opens a record to the unit explicitly, e.g. feedback once issued, with
`core.scoping.register_scope_rule`).

    class Talk(InspectionRecord):
        ...
        permission_name = "talk"

Services create records with `place_on(record, inspection)` (or set `inspection` and let `save`
fill the authority) and then go through `core.services.scoped_create`, which re-checks the scope.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from xuncha.core.models import SoftDeleteModel
from xuncha.core.scoping import AllObjectsManager, ScopedManager

__all__ = ["InspectionRecord", "INSPECTION_SCOPE_PATHS", "inspection_target_error", "check_target"]

INSPECTION_SCOPE_PATHS = {"region": "authority", "group": "inspection__group"}


class InspectionRecord(SoftDeleteModel):
    inspection = models.ForeignKey("planning.Inspection", verbose_name="巡察任务", on_delete=models.PROTECT,
                                   related_name="%(app_label)s_%(class)s_set")
    authority = models.ForeignKey("org.Region", verbose_name="巡察主体", on_delete=models.PROTECT,
                                  related_name="+", editable=False)

    objects = ScopedManager()
    all_objects = AllObjectsManager()
    scope_paths = INSPECTION_SCOPE_PATHS
    history_exclude = ("authority",)

    class Meta:
        abstract = True
        ordering = ["-id"]

    def save(self, *args, **kwargs):
        if self.inspection_id and not self.authority_id:
            self.authority_id = self.inspection.authority_id
        super().save(*args, **kwargs)


def inspection_target_error(inspection, unit) -> str | None:
    """A record about a unit must be about one of the inspection's targets (Chinese reason, or None)."""
    if unit is None:
        return None
    if not inspection.target_links.filter(unit_id=unit.pk).exists():
        return f"「{unit}」不是本次巡察的对象，请选择本巡察任务的被巡察单位。"
    return None


def check_target(inspection, unit, field: str = "unit") -> None:
    """Raise a field error when `unit` is not a target of `inspection`."""
    message = inspection_target_error(inspection, unit)
    if message:
        raise ValidationError({field: message})
