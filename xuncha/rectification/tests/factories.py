"""Builders for the rectification tests, on the shared `world` (江城市, 青阳县 = A, 桐溪县 = B).

An inspection of 青阳县 moved to 整改 (the stage set directly: other apps' stage conditions are
theirs to test), confirmed problems and an issued feedback written as test data (findings and
reporting own those workflows); everything of rectification goes through its services.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xuncha.core.testing.world import make_user
from xuncha.planning.models import Inspection
from xuncha.planning.tests.factories import PW, Side, make_inspection, make_round
from xuncha.rectification import services

D = datetime.date


@dataclass
class RW:
    world: object
    pw: object
    inspection: object
    unit: object
    feedback: object
    problems: list = field(default_factory=list)
    supervisor: object = None
    liaison: object = None
    office: object = None


def make_problem(inspection, unit, title: str, *, status: str = "confirmed", kind: str = "governance",
                 category=None):
    from xuncha.findings.models import Problem

    number = Problem.all_objects.filter(inspection=inspection).count() + 1
    problem = Problem(inspection=inspection, unit=unit, kind=kind, title=title, description=f"{title}的具体表现。",
                      number=number, status=status, category=category)  # test data: findings owns the workflow
    problem.save()
    return problem


def make_feedback(inspection, unit, *, issued: datetime.datetime | None = None):
    from xuncha.reporting.models import Feedback

    fb = Feedback(inspection=inspection, unit=unit, title=f"关于对{unit.name}巡察情况的反馈意见",
                  issued_at=issued if issued is not None else timezone.now())
    fb.save()
    return fb


def rectify_stage(inspection):
    Inspection.objects.filter(pk=inspection.pk).update(stage="rectify")
    inspection.refresh_from_db()
    return inspection


def _planning(world):
    """Planning's sides with their 2026 plans; reused when another app's test data made them already
    (the URL walk builds every app's records in one world)."""
    from xuncha.planning import services as planning_services
    from xuncha.planning.models import AnnualPlan, FiveYearPlan

    users = world.users
    pw = PW(world, Side("city", world.city, users["city_office"]), Side("a", world.county_a, users["office_a"]),
            Side("b", world.county_b, users["office_b"]))
    for side in (pw.city, pw.a, pw.b):
        side.plan = FiveYearPlan.objects.filter(authority=side.region, start_year=2026).first()
        if side.plan is None:
            side.plan = planning_services.plan_create(actor=side.actor, data={
                "authority": side.region, "title": f"{side.region.name}巡察规划（2026—2030年）", "term": "第十四届",
                "start_year": 2026, "years": 5, "stale_years": 5, "remarks": ""})
        side.annual = AnnualPlan.objects.filter(authority=side.region, year=2026).first()
        if side.annual is None:
            side.annual = planning_services.annualplan_create(actor=side.actor, data={
                "authority": side.region, "year": 2026, "five_year_plan": side.plan,
                "title": f"{side.region.name}2026年度巡察工作计划", "summary": ""})
    return pw


def setup(world, *, side: str = "a", problems: int = 2, issued=None, unit=None) -> RW:
    """An inspection of the side's county at 整改 with `problems` confirmed problems, one draft, and an
    issued feedback to its unit; a supervisor over the county."""
    pw = getattr(world, "_rect_pw", None) or _planning(world)
    world._rect_pw = pw
    s = pw.side(side)
    unit = unit or {"a": world.unit_a, "b": world.unit_b, "city": world.unit_city}[side]
    from xuncha.planning.models import Round

    taken = set(Round.all_objects.filter(annual_plan=s.annual).values_list("number", flat=True))
    number = max([*taken, 20]) + 1  # clear of the numbers other apps' test data use
    rnd = make_round(s, number=number)
    inspection = rectify_stage(make_inspection(s, rnd, [unit]))
    found = [make_problem(inspection, unit, f"问题{i + 1}：{unit.name}落实主体责任不到位") for i in range(problems)]
    make_problem(inspection, unit, "尚未确认的底稿问题", status="draft")
    feedback = make_feedback(inspection, unit, issued=issued)
    users = world.users
    supervisor = users.get(f"supervisor_{side}")
    if supervisor is None:
        supervisor = make_user(f"supervisor_{side}", ("supervisor", s.region))
        users[f"supervisor_{side}"] = supervisor
    return RW(world, pw, inspection, unit, feedback, found, supervisor=supervisor,
              liaison=users["liaison_a"] if side == "a" else None, office=s.actor)


def upload(name: str = "佐证材料.pdf", content: bytes = b"%PDF-1.4 evidence") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx_bytes() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


TASK = {"kind": "correct", "content": "立即纠正，建立台账逐项销号。", "responsible": "王局长", "deadline": None}


def plan_with_tasks(rw: RW, actor=None, *, kinds=("correct",), deadline: D | None = None):
    """The liaison's plan with one measure of each kind per problem (not yet submitted)."""
    actor = actor or rw.liaison
    plan = services.plan_create(actor=actor, feedback=rw.feedback, summary="成立整改工作领导小组，逐项落实。")
    deadline = deadline or timezone.localdate() + datetime.timedelta(days=60)
    for problem in rw.problems:
        for kind in kinds:
            services.task_create(actor=actor, plan=plan, problem=problem,
                                 data={**TASK, "kind": kind, "deadline": deadline})
    return plan


def approved_plan(rw: RW, **kwargs):
    plan = plan_with_tasks(rw, **kwargs)
    services.plan_submit(actor=rw.liaison or rw.office, plan=plan)
    return services.plan_approve(actor=rw.office, plan=plan, opinion="同意。")


def with_evidence(task, actor):
    services.task_report_progress(actor=actor, task=task, month=timezone.localdate(), content="已完成整改。",
                                  percent=100, uploads=[upload()])
    return task


def client_for(user):
    """A test client of its own, logged in as `user` (the shared `login` fixture reuses one client)."""
    from django.test import Client

    client = Client()
    client.force_login(user, backend="xuncha.accounts.backends.LockoutModelBackend")
    return client
