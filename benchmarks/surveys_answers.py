"""Time the survey hot paths on a fresh SQLite database: issuing slips (hash + Word with QR codes),
anonymous submissions, closing (rewriting the answers in random order), results and export.

    .venv/bin/python benchmarks/surveys_answers.py [--answers 500] [--slips 60]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _django import fresh_sqlite_django  # noqa: E402 - benchmarks/ is the script's folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument("--slips", type=int, default=60)
    args = parser.parse_args()

    fresh_sqlite_django()
    from xuncha.core.testing.world import build_world
    from xuncha.surveys import documents, selectors, services
    from xuncha.surveys.tests.factories import answers_for, open_survey, setup

    world = build_world()
    sw = setup(world)
    actor = world.users["office_a"]
    rows = []

    def timed(label, fn, n=1):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        rows.append((label, n, elapsed, elapsed / n * 1000))
        return result

    survey, _ = open_survey(actor, sw.inspection_a, world.unit_a, tokens=1)
    batch_raws = timed(f"发放答题码 {args.answers} 份（仅摘要）",
                       lambda: services.tokens_issue(actor=actor, survey=survey, count=args.answers)[1], args.answers)
    links = [f"http://10.1.2.3/surveys/a/{r}/" for r in batch_raws[:args.slips]]
    docx = timed(f"生成答题码 Word（{args.slips} 张二维码）",
                 lambda: documents.slips_docx(survey=survey, links=links, batch_label="第1批"), args.slips)
    categories = survey.content()["categories"]
    sheets = [answers_for(survey, category=categories[k % len(categories)], pick=k, text=f"意见{k}")
              for k in range(args.answers)]
    timed(f"匿名提交答卷 {args.answers} 份", lambda: [services.answer_submit(token=raw, data=sheet)
                                               for raw, sheet in zip(batch_raws, sheets, strict=True)], args.answers)
    timed("结束测评（重写答卷、清除摘要）", lambda: services.survey_close(actor=actor, survey=survey))
    survey.refresh_from_db()
    results = timed("统计结果", lambda: selectors.survey_results(survey))
    xlsx = timed("导出 Excel", lambda: documents.results_xlsx(results))
    print(f"答卷 {results.responses} 份；Word {len(docx) // 1024} KB；Excel {len(xlsx) // 1024} KB")
    print(f"{'步骤':<28}{'次数':>8}{'总耗时(秒)':>12}{'每次(毫秒)':>12}")
    for label, n, total, each in rows:
        print(f"{label:<28}{n:>8}{total:>12.2f}{each:>12.2f}")


if __name__ == "__main__":
    main()
