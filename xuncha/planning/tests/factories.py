"""Builders for the planning tests, on top of the shared `world` (江城市, 青阳县 = A, 桐溪县 = B).

Records are written through the services with the office accounts as actors, so that the tests
see what a page would have written (change log, transition log, scope checks)."""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass, field

from xuncha.accounts.models import Grant, Role
from xuncha.core.testing.world import make_unit, make_user
from xuncha.planning import services, workflow
from xuncha.planning.choices import STAGE_ORDER

D = datetime.date
SPRING_START, SPRING_END = D(2026, 3, 2), D(2026, 5, 29)


@dataclass
class Side:
    name: str
    region: object
    actor: object
    plan: object = None
    annual: object = None
    units: list = field(default_factory=list)


@dataclass
class PW:
    world: object
    city: Side
    a: Side
    b: Side

    def side(self, key: str) -> Side:
        return {"city": self.city, "a": self.a, "b": self.b}[key]


def dates(start: D, end: D) -> dict:
    day = datetime.timedelta(days=1)
    return {"prepare_date": start - 7 * day, "stationed_date": start, "understand_date": start + 2 * day,
            "report_date": end + 5 * day, "feedback_date": end + 20 * day, "transfer_date": end + 25 * day,
            "rectify_date": end + 30 * day, "archived_date": end + 90 * day}


def build(world, *, with_plans: bool = True) -> PW:
    users = world.users
    city = Side("city", world.city, users["city_office"], units=[
        world.unit_city,
        make_unit("江城市教育局", world.city, level="county_dept", managing_authority="city", system="education",
                  social_attention="high"),
        make_unit("江城市国有资本运营有限公司", world.city, category="soe", level="county_dept",
                  managing_authority="city", system="soe", special_fund_scale=30000)])
    a = Side("a", world.county_a, users["office_a"], units=[
        world.unit_a,
        make_unit("青阳县卫生健康委员会", world.county_a, system="health", social_attention="high"),
        make_unit("青阳县城关镇", world.county_a, category="township", system="grassroots",
                  low_rank_high_power=True)])
    b = Side("b", world.county_b, users["office_b"], units=[
        world.unit_b, make_unit("桐溪县卫生健康委员会", world.county_b, system="health")])
    pw = PW(world, city, a, b)
    if with_plans:
        for side in (city, a, b):
            side.plan = services.plan_create(actor=side.actor, data={
                "authority": side.region, "title": f"{side.region.name}巡察规划（2026—2030年）", "term": "第十四届",
                "start_year": 2026, "years": 5, "stale_years": 5, "remarks": ""})
            services.plan_populate(actor=side.actor, plan=side.plan)
            side.annual = services.annualplan_create(actor=side.actor, data={
                "authority": side.region, "year": 2026, "five_year_plan": side.plan,
                "title": f"{side.region.name}2026年度巡察工作计划", "summary": ""})
    return pw


def annual(pw: PW, side: Side, year: int):
    return services.annualplan_create(actor=side.actor, data={
        "authority": side.region, "year": year, "five_year_plan": side.plan,
        "title": f"{side.region.name}{year}年度巡察工作计划", "summary": ""})


def make_round(side: Side, *, number: int = 1, kind: str = "regular", start: D = SPRING_START,
               end: D = SPRING_END, annual_plan=None):
    return services.round_create(actor=side.actor, annual_plan=annual_plan or side.annual, data={
        "number": number, "kind": kind, "title": "", "start_date": start, "end_date": end,
        "training_date": start - datetime.timedelta(days=3), "focus": "", "remarks": ""})


def make_inspection(side: Side, rnd, units, *, group_name: str = "", actor=None):
    actor = actor or side.actor
    group = services.group_create(actor=actor, round=rnd, name=group_name)
    return services.inspection_create(actor=actor, round=rnd, data={
        "group": group, "targets": list(units), "remarks": "", **dates(rnd.start_date, rnd.end_date)})


def advance(inspection, actor, to_stage: str, opinion: str = "同意。", *, other_apps_conditions: bool = False):
    """Walk an inspection forward. The conditions other apps register (confirmed problems before the
    report, an approved report before feedback, a complete checklist before archiving) are skipped
    unless asked for: a test that walks past them is about something else; their own tests call
    the service directly."""
    inspection.refresh_from_db()
    guard = contextlib.nullcontext() if other_apps_conditions else workflow.conditions_suspended()
    with guard:
        for stage in STAGE_ORDER[STAGE_ORDER.index(inspection.stage) + 1: STAGE_ORDER.index(to_stage) + 1]:
            services.inspection_advance(actor=actor, inspection=inspection, to_stage=stage, opinion=opinion)
            inspection.refresh_from_db()
    return inspection


def started(side: Side, units, *, kind: str = "regular", number: int = 1, start: D = SPRING_START,
            end: D = SPRING_END, annual_plan=None, stage: str = "prepare"):
    """A started round with one group inspecting `units`, moved on to `stage`."""
    rnd = make_round(side, number=number, kind=kind, start=start, end=end, annual_plan=annual_plan)
    inspection = make_inspection(side, rnd, units)
    services.round_start(actor=side.actor, round=rnd)
    if stage != "prepare":
        advance(inspection, side.actor, stage)
    inspection.refresh_from_db()
    return rnd, inspection


def group_user(username: str, role_code: str, group):
    user = make_user(username)
    Grant.objects.create(user=user, role=Role.objects.get(code=role_code), scope_kind="group", group=group)
    return user
