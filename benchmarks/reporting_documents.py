"""Time reporting's heavy operations on generated data: the report draft with many confirmed problems
(grouped by the indicator tree), the feedback of each unit, and the archive export (zip + catalogue)
of an inspection with many files. Prints a table of medians.

    .venv/bin/python benchmarks/reporting_documents.py [--problems 300] [--files 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _django import fresh_sqlite_django  # noqa: E402 - benchmarks/ is the script's folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--problems", type=int, default=300)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    workdir = fresh_sqlite_django()
    from django.conf import settings

    settings.MEDIA_ROOT = f"{workdir}/media"

    from xuncha.core.files import store_bytes
    from xuncha.core.testing.world import build_world
    from xuncha.planning.tests.factories import build
    from xuncha.reporting import archive, services
    from xuncha.reporting.tests.factories import at_feedback, build_reporting, make_problem

    rw = build_reporting(build(build_world()))
    leaves = [rw.indicators["lead_item"], rw.indicators["build_item"], None]
    for i in range(args.problems):
        problem = make_problem(rw.inspection, rw.units[i % 2], leaves[i % 3], f"问题{i}：某项工作落实不到位",
                               "经调阅资料和个别谈话核实，" + "相关制度执行不严格，" * 20)
        if i < args.files:
            problem.evidence_files.add(store_bytes(os.urandom(50_000), name=f"证据{i}.pdf"))

    def timed(label, fn):
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
        print(f"| {label} | {statistics.median(times) * 1000:.0f} ms |")
        return result

    print(f"| operation ({args.problems} confirmed problems, {args.files} evidence files) | median |")
    print("|---|---|")
    timed("report draft: generate a version (sources + Word + store)",
          lambda: services.report_generate(actor=rw.member, inspection=rw.inspection))
    _, feedbacks = at_feedback(rw)
    timed("feedback draft bytes, one unit", lambda: services.feedback_draft_bytes(feedbacks[0]))
    checklist = services.archive_open(actor=rw.office, inspection=rw.inspection)
    data, count = timed("archive zip + catalogue", lambda: archive.build_archive(
        rw.inspection, checklist, secret=False))
    print(f"\nzip: {count} files, {len(data) / 1024 / 1024:.1f} MB")


if __name__ == "__main__":
    main()
