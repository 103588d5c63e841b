"""Small builders for the teams tests: rounds, groups, inspections, pool entries, people with a
work history. Records are created directly (the services are what the tests exercise)."""

from __future__ import annotations

import datetime
import itertools

from xuncha.accounts.models import Grant, Role
from xuncha.core.models import DictItem
from xuncha.core.testing.world import make_cadre, make_unit, make_user
from xuncha.org.models import FamilyRelation, WorkHistory
from xuncha.planning.models import AnnualPlan, Inspection, InspectionGroup, InspectionTarget, Round
from xuncha.teams import choices as c
from xuncha.teams.models import GroupMember, PoolEntry, Secondment

TODAY = datetime.date(2026, 11, 30)
_serial = itertools.count(1)


def make_round(authority, *, year: int = 2026, number: int = 1, kind: str = "regular",
               start: datetime.date = datetime.date(2026, 12, 10)) -> Round:
    plan, _ = AnnualPlan.objects.get_or_create(authority=authority, year=year,
                                               defaults={"title": f"{authority.name}{year}年巡察工作计划"})
    return Round.objects.create(annual_plan=plan, authority=authority, year=year, number=number, kind=kind,
                                start_date=start, end_date=start + datetime.timedelta(days=60))


def make_group(round_, number: int = 1, name: str | None = None, targets=()) -> InspectionGroup:
    name = name or f"第{'一二三四五六七八九十'[number - 1]}巡察组"
    group = InspectionGroup.objects.create(round=round_, authority=round_.authority, number=number, name=name,
                                           full_name=f"{round_.authority.name}·{name}")
    if targets:
        inspection = Inspection.objects.create(round=round_, group=group, authority=round_.authority)
        for unit in targets:
            InspectionTarget.objects.create(inspection=inspection, unit=unit)
    return group


def skill(value: str) -> DictItem:
    return DictItem.objects.get(dict_type__code="cadre_skill", value=value)


def person(name: str, unit, *, post: str = "科员", rank: str = "staff", skills=(), history=(), family=()):
    """A cadre with work history rows (unit, post, start, end) and family rows (relation, name, unit, post)."""
    cadre = make_cadre(name, unit, post=post, rank=rank)
    for value in skills:
        cadre.skills.add(skill(value))
    for row in history:
        where, held, start, end = row
        WorkHistory.objects.create(cadre=cadre, unit=where, unit_name=where.name, post=held, start_date=start,
                                   end_date=end)
    for relation, relative, where, post_ in family:
        FamilyRelation.objects.create(cadre=cadre, relation=relation, name=relative, unit=where,
                                      unit_name=where.name if where else "", post=post_)
    return cadre


def pool(cadre, authority, kind: str = c.PoolKind.TALENT, *, status: str = c.EntryStatus.ACTIVE, skills=()):
    entry = PoolEntry.objects.create(authority=authority, kind=kind, cadre=cadre, status=status, entry_date=TODAY,
                                     source="org_recommend", entry_reason="组织推荐")
    for value in skills:
        entry.specialities.add(skill(value))
    return entry


def member(group, cadre, role: str = c.MemberRole.MEMBER, **extra) -> GroupMember:
    return GroupMember.objects.create(group=group, round=group.round, authority=group.authority, cadre=cadre,
                                      role=role, **extra)


def secondment(cadre, authority, *, start: datetime.date, end: datetime.date, group=None) -> Secondment:
    return Secondment.objects.create(authority=authority, cadre=cadre, from_unit=cadre.unit, group=group,
                                     start_date=start, end_date=end)


def group_user(username: str, role_code: str, group):
    user = make_user(username)
    Grant.objects.create(user=user, role=Role.objects.get(code=role_code), scope_kind="group", group=group)
    return user


def unit(name: str, region, **extra):
    return make_unit(name, region, **extra)


def serial() -> int:
    return next(_serial)
