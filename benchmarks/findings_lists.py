"""Time the findings lists (问题清单 page, its Excel export and API; the clue, transfer and reminder
lists) and the daily reminder job, with their query counts, at a given number of problems.

    .venv/bin/python benchmarks/findings_lists.py [--problems 2000] [--runs 3]

A throwaway SQLite database is migrated, the test world (江城市, 青阳县, 桐溪县) is built, one inspection of
青阳县 receives `--problems` confirmed problems (one responsible cadre each), a clue per 5 problems and a
transfer per 5 clues; records are written with bulk_create (the services are exercised by the tests).
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


def setup_django(db_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(problems: int):
    from xuncha.core.testing.world import build_world, make_cadre
    from xuncha.findings.models import Clue, CluePerson, ClueTransfer, Problem
    from xuncha.findings.services import reminders_create_due  # noqa: F401 - imported for the timing below
    from xuncha.planning.tests.factories import build as build_planning
    from xuncha.planning.tests.factories import started

    world = build_world()
    pw = build_planning(world)
    _, inspection = started(pw.a, [world.unit_a], stage="understand")
    cadres = [make_cadre(f"干部{i}", world.unit_a) for i in range(20)]
    rows = [Problem(inspection=inspection, authority=inspection.authority, number=i + 1, unit=world.unit_a,
                    kind="governance", severity="general", title=f"问题标题{i}", description="问题描述。" * 10,
                    status="confirmed", meeting="组务会", meeting_date=datetime.date(2026, 11, 1))
            for i in range(problems)]
    Problem.objects.bulk_create(rows, batch_size=1000)
    through = Problem.responsible_cadres.through
    through.objects.bulk_create([through(problem_id=p.pk, cadre_id=cadres[i % 20].pk)
                                 for i, p in enumerate(Problem.objects.order_by("id"))], batch_size=2000)
    transfers = []
    for t in range(max(1, problems // 25)):
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=t % 300)
        transfers.append(ClueTransfer(inspection=inspection, authority=inspection.authority, number=f"青巡移〔2026〕{t + 1}号",
                                      receiver_kind="discipline", receiver_name="青阳县纪委监委", transfer_date=day,
                                      due_date=day + datetime.timedelta(days=90)))
    ClueTransfer.objects.bulk_create(transfers)
    transfers = list(ClueTransfer.objects.order_by("id"))
    clues = [Clue(inspection=inspection, authority=inspection.authority, seq=i + 1, number=f"XS2026-{i + 1:05d}",
                  summary="线索摘要", content="线索内容", source="talk", status="transferred",
                  transfer=transfers[i // 5 % len(transfers)]) for i in range(max(1, problems // 5))]
    Clue.objects.bulk_create(clues, batch_size=1000)
    CluePerson.objects.bulk_create([CluePerson(clue=c, name="某某", post="科长")
                                    for c in Clue.objects.order_by("id")], batch_size=2000)
    return world, inspection


def measure(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response) if response.streaming else response.content
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        assert body
        queries = len(captured.captured_queries)
    return statistics.median(times) * 1000, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--problems", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse

        settings.ALLOWED_HOSTS = ["*"]
        started = time.perf_counter()
        world, inspection = build(args.problems)
        print(f"built {args.problems} problems in {time.perf_counter() - started:.1f} s")
        client = Client()
        client.force_login(world.users["office_a"], backend="xuncha.accounts.backends.LockoutModelBackend")
        urls = {
            "问题清单（第1页）": reverse("findings:problem_list"),
            "本巡察任务问题": reverse("findings:inspection_problems", args=[inspection.pk]),
            "问题清单导出（全部）": reverse("findings:problem_export"),
            "API 问题列表": reverse("api:problem-list"),
            "线索列表": reverse("findings:clue_list"),
            "线索移交列表": reverse("findings:cluetransfer_list"),
            "API 线索列表": reverse("api:clue-list"),
        }
        print(f"{'page':<16}{'ms (median)':>14}{'queries':>10}")
        for label, url in urls.items():
            ms, queries = measure(client, url, args.runs)
            print(f"{label:<16}{ms:>14.1f}{queries:>10}")
        from xuncha.findings.services import reminders_create_due
        from xuncha.planning.models import Inspection  # noqa: F401

        for attempt in ("first", "second"):
            start = time.perf_counter()
            created = reminders_create_due(today=datetime.date(2026, 12, 31))
            print(f"reminders ({attempt} run): {created} created in {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
