"""Time the coverage pages on the demo data at a given scale; print medians and query counts.

    .venv/bin/python benchmarks/planning_coverage.py --scale 10 [--runs 7]

Builds its own database in a temporary folder (org's demo data, then planning's: the city's and two
counties' five-year plans with this year's rounds), like benchmarks/list_pages.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="xuncha-bench-")
    os.environ["XUNCHA_VAR_DIR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings.base")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    pg = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if pg:
        connection.creation.create_test_db(verbosity=0, keepdb=False)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("demo_data", scale=args.scale, verbosity=0)
    org_done = time.perf_counter()
    call_command("planning_demo", verbosity=0)
    built = time.perf_counter()
    from xuncha.accounts.models import User
    from xuncha.org.models import Unit
    from xuncha.planning import selectors
    from xuncha.planning.models import FiveYearPlan, InspectionTarget, PlanTarget

    city = FiveYearPlan.objects.get(authority__name="江城市")
    county = FiveYearPlan.objects.get(authority__name="青阳县")
    print(f"数据库：{'PostgreSQL' if pg else 'SQLite'}；规模 {args.scale}：单位 {Unit.objects.count()} 个，"
          f"规划对象 {PlanTarget.objects.count()} 个（市 {city.targets.count()}、青阳县 {county.targets.count()}），"
          f"巡察对象 {InspectionTarget.objects.count()} 个；组织数据 {org_done - started:.1f} 秒，"
          f"规划演示数据 {built - org_done:.1f} 秒")

    client = Client()
    client.force_login(User.objects.get(username="city_office"))
    cases = [
        ("覆盖情况 市本级", f"/planning/plans/{city.pk}/coverage/"),
        ("覆盖情况 青阳县", f"/planning/plans/{county.pk}/coverage/"),
        ("覆盖情况 青阳县 久未巡察 3 年", f"/planning/plans/{county.pk}/coverage/?stale_years=3"),
        ("全市覆盖进度", "/planning/coverage/"),
        ("规划详情 青阳县（对象表）", f"/planning/plans/{county.pk}/"),
        ("覆盖台账 Excel 青阳县", f"/planning/plans/{county.pk}/ledger/"),
        ("API 覆盖情况 青阳县", f"/api/plans/{county.pk}/coverage/"),
        ("重点对象排序 青阳县", f"/planning/priority/?authority={county.authority_id}"),
        ("规划对标 青阳县", f"/planning/alignment/?county={county.authority_id}"),
    ]
    print(f"\n{'页面':<30}{'中位数(ms)':>12}{'最慢(ms)':>10}{'查询数':>8}")
    for label, url in cases:
        client.get(url)  # warm caches the way a working server has them
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{label:<30}{statistics.median(times):>12.1f}{max(times):>10.1f}{len(queries.captured_queries):>8}")
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        selectors.coverage_report(county)
        times.append((time.perf_counter() - t0) * 1000)
    print(f"{'coverage_report() 青阳县（计算）':<30}{statistics.median(times):>12.1f}{max(times):>10.1f}{'':>8}")
    if pg:
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
