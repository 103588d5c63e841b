"""Time the 成果运用 dashboard, its export and API, the per-unit page, the task list and the monthly
cycle (figures + Word notice with charts) on the demo data at a given scale.

    .venv/bin/python benchmarks/rectification_dashboard.py --scale 10 [--problems-per-unit 10] [--runs 5]

At `--scale 10` the demo city has ~10,000 units; with 10 confirmed problems per unit that is about
100,000 problems, 100,000 tasks (one measure each) and 10,000 plans, spread over five years. The
records are written with bulk_create (the services are exercised by the tests, not here).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = [2022, 2023, 2024, 2025, 2026]
KINDS = ["correct", "cleanup", "accountability", "rules"]
PROBLEM_KINDS = ["decisions", "governance", "grassroots", "appointment", "conduct", "integrity"]
STATUSES = ["accepted", "accepted", "progress", "review", "pending"]


def build(scale: int, per_unit: int) -> dict:
    from django.core.management import call_command
    from django.utils import timezone

    from xuncha.accounts.models import User
    from xuncha.findings.models import Clue, Problem
    from xuncha.indicators.models import Indicator, IndicatorSet
    from xuncha.org.models import Region, Unit
    from xuncha.planning.models import AnnualPlan, Inspection, InspectionGroup, InspectionTarget, Round
    from xuncha.rectification.models import RectificationPlan, RectificationTask, SupervisionGroup
    from xuncha.reporting.models import Feedback

    call_command("migrate", verbosity=0)
    call_command("demo_data", scale=scale, verbosity=0)
    city = Region.objects.get(level="city")
    authorities = [city, *Region.objects.filter(parent=city, level="county").order_by("path")]
    iset = IndicatorSet.objects.create(authority=city, name="基准指标体系", version=1, status="published")
    tops = [Indicator.objects.create(indicator_set=iset, level=1, code=str(i + 1), title=t, order=i)
            for i, t in enumerate(["党的领导", "党的建设", "全面从严治党", "巡视巡察整改"])]
    now = timezone.now()
    counts = {"problems": 0, "tasks": 0, "plans": 0, "clues": 0}
    for authority in authorities:
        units = list(Unit.objects.filter(region__path__startswith=authority.path).exclude(
            region_id__in=[a.pk for a in authorities if a != authority and a.path.startswith(authority.path)]
            if authority == city else []).values_list("pk", flat=True))
        if authority == city:
            units = list(Unit.objects.filter(region=city).values_list("pk", flat=True))
        if not units:
            continue
        for y_index, year in enumerate(YEARS):
            chunk = units[y_index::len(YEARS)]
            if not chunk:
                continue
            annual = AnnualPlan.objects.create(authority=authority, year=year, title=f"{authority.name}{year}年计划")
            rnd = Round(annual_plan=annual, authority=authority, year=year, number=1, kind="regular",
                        start_date=datetime.date(year, 3, 1), end_date=datetime.date(year, 5, 1), status="started")
            rnd.save()
            groups = InspectionGroup.objects.bulk_create([
                InspectionGroup(round=rnd, authority=authority, number=g + 1, name=f"第{g + 1}巡察组",
                                full_name=f"{authority.name}{year}·第{g + 1}巡察组")
                for g in range((len(chunk) + 19) // 20)])
            inspections = Inspection.objects.bulk_create([
                Inspection(round=rnd, group=g, authority=authority, stage="rectify" if year == 2026 else "archived",
                           feedback_date=datetime.date(year, 6, 1)) for g in groups])
            targets, feedbacks, problems, plans = [], [], [], []
            for i, unit_id in enumerate(chunk):
                inspection = inspections[i // 20]
                targets.append(InspectionTarget(inspection=inspection, unit_id=unit_id))
                feedbacks.append(Feedback(inspection=inspection, authority=authority, unit_id=unit_id,
                                          title="反馈意见", issued_at=now))
                for n in range(per_unit):
                    problems.append(Problem(inspection=inspection, authority=authority, unit_id=unit_id,
                                            number=(i % 20) * per_unit + n + 1, kind=PROBLEM_KINDS[n % 6],
                                            title=f"问题{n + 1}", description="—", status="confirmed",
                                            category=tops[n % 4], confirmed_at=now))
            InspectionTarget.objects.bulk_create(targets, batch_size=2000)
            Feedback.objects.bulk_create(feedbacks, batch_size=2000)
            problems = Problem.objects.bulk_create(problems, batch_size=2000)
            fb_date = datetime.date(year, 6, 1)
            plans = RectificationPlan.objects.bulk_create([
                RectificationPlan(inspection_id=f.inspection_id, authority=authority, unit_id=f.unit_id,
                                  status="approved", feedback_on=fb_date, report_due=datetime.date(year, 8, 1))
                for f in feedbacks], batch_size=2000)
            plan_of = {(p.inspection_id, p.unit_id): p.pk for p in plans}
            tasks = [RectificationTask(plan_id=plan_of[(p.inspection_id, p.unit_id)], problem_id=p.pk,
                                       inspection_id=p.inspection_id, authority=authority, unit_id=p.unit_id,
                                       kind=KINDS[j % 4], content="整改措施", responsible="负责人",
                                       deadline=datetime.date(year, 6 + j % 6, 28), status=STATUSES[j % 5])
                     for j, p in enumerate(problems)]
            RectificationTask.objects.bulk_create(tasks, batch_size=2000)
            clues = [Clue(inspection_id=p.inspection_id, authority=authority, unit_id=p.unit_id,
                          number=f"XS-{p.pk}", seq=j + 1, summary="线索", content="—", source="petition")
                     for j, p in enumerate(problems[::25])]
            Clue.objects.bulk_create(clues, batch_size=2000)
            counts["problems"] += len(problems)
            counts["tasks"] += len(tasks)
            counts["plans"] += len(plans)
            counts["clues"] += len(clues)
        SupervisionGroup.objects.create(authority=authority, name=f"{authority.name}督导组")
    counts["user"] = User.objects.get(username="city_office")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--problems-per-unit", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="xuncha-bench-")
    os.environ["XUNCHA_VAR_DIR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings.base")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    pg = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if pg:
        connection.creation.create_test_db(verbosity=0, keepdb=False)
    started = time.perf_counter()
    counts = build(args.scale, args.problems_per_unit)
    user = counts.pop("user")
    print(f"数据库：{'PostgreSQL' if pg else 'SQLite'}；规模 {args.scale}：问题 {counts['problems']} 个，"
          f"整改任务 {counts['tasks']} 项，整改方案 {counts['plans']} 个，问题线索 {counts['clues']} 件；"
          f"生成耗时 {time.perf_counter() - started:.1f} 秒")

    from xuncha.org.models import Region, Unit
    from xuncha.rectification.services import run_month

    client = Client()
    client.force_login(user)
    unit = Unit.objects.filter(region__level="county").order_by("pk").first()
    county = Region.objects.filter(level="county").order_by("path").first()
    cases = [
        ("成果运用 全市", "/rectification/dashboard/"),
        ("成果运用 2026年", "/rectification/dashboard/?year=2026"),
        ("成果运用 一个县", f"/rectification/dashboard/?authority={county.pk}"),
        ("成果运用 导出Excel", "/rectification/dashboard/export/"),
        ("成果运用 API", "/api/rectification/dashboard/"),
        ("单位历次巡察页", f"/rectification/units/{unit.pk}/"),
        ("整改任务列表 首页", "/rectification/tasks/"),
        ("整改任务列表 已逾期", "/rectification/tasks/?urgency=overdue"),
        ("整改方案列表", "/rectification/plans/"),
    ]
    print(f"\n{'页面':<24}{'中位数(ms)':>12}{'最慢(ms)':>10}{'查询数':>8}")
    for label, url in cases:
        client.get(url)
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{label:<24}{statistics.median(times):>12.1f}{max(times):>10.1f}{len(queries.captured_queries):>8}")

    city = Region.objects.get(level="city")
    for label, region in (("全市督导组", city), ("一个县督导组", county)):
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            made = run_month(authority=region, year=2026, month=11)
        first = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        again = run_month(authority=region, year=2026, month=11)
        second = (time.perf_counter() - t0) * 1000
        assert made["notices"] == 1 and again == {"rounds": 0, "meetings": 0, "notices": 0}
        print(f"月度督导+通报（{label}）{first:>10.1f} ms（{len(queries.captured_queries)} 次查询）；"
              f"重复运行 {second:.1f} ms，无新增")
    if pg:
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
