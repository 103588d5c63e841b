"""Builders for the indicators tests, on top of the shared `world` and planning's factories.

The built-in library (平台内置) is loaded by the data migration, so it exists in every test database.
"""

from __future__ import annotations

from dataclasses import dataclass

from xuncha.core.testing.world import make_unit
from xuncha.indicators import services
from xuncha.indicators.choices import SetStatus
from xuncha.indicators.models import IndicatorSet
from xuncha.planning.tests.factories import build, group_user, started


def builtin() -> IndicatorSet:
    return IndicatorSet.objects.get(authority__isnull=True, status=SetStatus.PUBLISHED)


def draft_copy(world, side: str = "a", name: str = "") -> IndicatorSet:
    """A draft copy of the built-in library in county A or B (or the city)."""
    users = {"a": "office_a", "b": "office_b", "city": "city_office"}
    return services.indicatorset_copy(actor=world.users[users[side]], source=builtin(),
                                      authority=world.region_for(side), name=name)


@dataclass
class Field:
    """Two county-A inspections, each with its own group (A1 the one under test, A2 the "other
    group"), and one county-B inspection; all in 了解 (understand)."""

    pw: object
    inspection: object
    other: object
    inspection_b: object
    leader: object  # group leader of `inspection`
    member: object
    other_leader: object  # group leader of `other`
    leader_b: object
    township: object


def field(world, *, stage: str = "understand") -> Field:
    pw = build(world)
    township = make_unit("青阳县青山村", world.county_a, category="village", system="grassroots")
    _, inspection = started(pw.a, [world.unit_a, township], stage=stage)
    _, other = started(pw.a, [pw.a.units[1]], number=2, stage=stage)
    _, inspection_b = started(pw.b, [world.unit_b], stage=stage)
    return Field(
        pw=pw, inspection=inspection, other=other, inspection_b=inspection_b,
        leader=group_user("group_a_leader", "group_leader", inspection.group),
        member=group_user("group_a_member", "group_member", inspection.group),
        other_leader=group_user("group_a2_leader", "group_leader", other.group),
        leader_b=group_user("group_b_leader", "group_leader", inspection_b.group),
        township=township)


def leaf(indicator_set: IndicatorSet, code: str):
    return indicator_set.indicators.get(code=code)
