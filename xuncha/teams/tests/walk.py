"""Records of county B for the URL walk (xuncha/core/tests/test_url_walk.py): one per kind of
record a teams route names by `pk`, keyed as the walk derives the key from the route name
("teams:groupmember_edit" → "groupmember", "api:crossplan-solve" → "crossplan").

Registered with core.testing's `walk_objects`, which the walk reads."""

from __future__ import annotations

import datetime

from xuncha.core.files import store_bytes
from xuncha.core.testing.resources import walk_objects as register_walk_objects
from xuncha.teams.models import (
    CrossChecklistItem,
    CrossPair,
    CrossPlan,
    Evaluation,
    Honour,
    Pledge,
    PoolEntry,
    QuotaCheck,
    QuotaCheckItem,
    RecusalDeclaration,
    Secondment,
    StaffingQuota,
    TeamReminder,
    TrainingSession,
)

from .factories import make_group, make_round, member

__all__ = ["walk_objects"]


@register_walk_objects
def walk_objects(world) -> dict:
    """Built once per world (the walk asks for a URL per route)."""
    cached = getattr(world, "_teams_county_b", None)
    if cached is None:
        cached = world._teams_county_b = _build(world)
    return cached


def _build(world) -> dict:
    b, day = world.county_b, datetime.date(2026, 11, 30)
    round_ = make_round(b, kind="cross")
    group = make_group(round_, 1, targets=[world.unit_b])
    m = member(group, world.cadre_b)
    plan = CrossPlan.objects.create(round=round_, authority=b)
    pair = CrossPair.objects.create(plan=plan, number=1, source_county=b, target_county=b, leader=world.cadre_b)
    quota_check = QuotaCheck.objects.create(authority=b, year=2026, title="桐溪县检查", checked_on=day)
    secondment = Secondment.objects.create(authority=b, cadre=world.cadre_b, from_unit=world.unit_b, start_date=day,
                                           end_date=day)
    return {
        "round": round_,
        "inspectiongroup": group,
        "groupmember": m,
        "person": world.cadre_b,
        "pool": PoolEntry.objects.create(authority=b, kind="talent", cadre=world.cadre_b, entry_date=day,
                                         source="self", entry_reason="桐溪县"),
        "evaluation": Evaluation.objects.create(member=m, authority=b, round=round_, grade="competent",
                                                evaluated_on=day),
        "pledge": Pledge.objects.create(member=m, kind="duty", authority=b, group=group, signed_on=day,
                                        signed_file=store_bytes(b"signed", name="b.pdf")),
        "declaration": RecusalDeclaration.objects.create(authority=b, kind="self", cadre=world.cadre_b,
                                                         unit=world.unit_b, reason="桐溪县", declared_on=day),
        "crossplan": plan,
        "crosspair": pair,
        "crosschecklistitem": CrossChecklistItem.objects.create(plan=plan, item="deploy"),
        "secondment": secondment,
        "reminder": TeamReminder.objects.create(kind="secondment_expiry", authority=b, secondment=secondment,
                                                due_date=day, message="桐溪县"),
        "honour": Honour.objects.create(authority=b, cadre=world.cadre_b, title="桐溪县", level="county",
                                        issuer="桐溪县委", awarded_on=day),
        "quota": StaffingQuota.objects.create(region=b, year=2026, office_name="桐溪县委巡察办", approved_posts=1,
                                              filled_posts=1),
        "quotacheck": quota_check,
        "quotacheckitem": QuotaCheckItem.objects.create(check_record=quota_check, region=b, approved_posts=1,
                                                        filled_posts=1, conclusion="met"),
        "training": TrainingSession.objects.create(authority=b, title="桐溪县培训", held_on=day, hours=1),
    }
