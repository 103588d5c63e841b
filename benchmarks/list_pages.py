"""Time the list pages on the demo data at a given scale; print a table of medians and query counts.

    .venv/bin/python benchmarks/list_pages.py --scale 10 [--runs 7]
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
    parser = argparse.ArgumentParser(description=__doc__)
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
        from django.test.utils import get_runner  # noqa: F401 - the test database machinery creates it

        connection.creation.create_test_db(verbosity=0, keepdb=False)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("demo_data", scale=args.scale, verbosity=0)
    build = time.perf_counter() - started
    from xuncha.org.models import Cadre, Unit

    print(f"数据库：{'PostgreSQL' if pg else 'SQLite'}；规模 {args.scale}：单位 {Unit.objects.count()} 个，"
          f"干部 {Cadre.objects.count()} 名；生成耗时 {build:.1f} 秒")

    client = Client()
    client.force_login(__import__("xuncha.accounts.models", fromlist=["User"]).User.objects.get(username="city_office"))
    last_page = (Unit.objects.count() + 49) // 50
    cases = [
        ("单位列表 首页", "/org/units/"),
        (f"单位列表 第 {last_page} 页", f"/org/units/?page={last_page}"),
        ("单位列表 按专项资金排序", "/org/units/?sort=-special_fund_scale"),
        ("单位列表 筛选（类别+关注度）", "/org/units/?category=village&social_attention=low"),
        ("单位列表 搜索“教育”", "/org/units/?q=%E6%95%99%E8%82%B2"),
        ("干部列表 首页", "/org/cadres/"),
        ("干部列表 第 1000 页", "/org/cadres/?page=1000"),
        ("干部列表 按专长筛选", "/org/cadres/?skill=audit"),
        ("API 单位列表", "/api/units/"),
        # Above EXPORT_SYNC_MAX_ROWS the export is a background job; eager here, so the request does it all.
        ("导出全部单位（Excel，后台任务）", "/org/units/export/"),
    ]
    print(f"\n{'页面':<28}{'中位数(ms)':>12}{'最慢(ms)':>10}{'查询数':>8}")
    for label, url in cases:
        client.get(url)  # warm caches the way a working server has them
        times = []
        for _ in range(args.runs if "导出" not in label else 3):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code in (200, 302), (url, response.status_code)
        print(f"{label:<28}{statistics.median(times):>12.1f}{max(times):>10.1f}{len(queries.captured_queries):>8}")
    if pg:
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
