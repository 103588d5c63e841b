"""Time the indicator library's file round trip and tree at growing sizes; print a table.

Generated libraries of N level-3 items (4 areas, 10 sub-areas each): parse + validate YAML, write
the set (build_set), read the tree (indicator_tree), export Excel, read it back and validate.

    .venv/bin/python benchmarks/indicators_library.py [--sizes 49 500 1800]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _django import fresh_sqlite_django  # noqa: E402 - benchmarks/ is the script's folder


def generated(n_items: int) -> bytes:
    import yaml

    rows = []
    per_sub = -(-n_items // 40)  # ceiling: 40 sub-areas share the items
    made = 0
    for a in range(1, 5):
        rows.append({"code": f"{a}", "level": 1, "title": f"一级指标{a}"})
        for b in range(1, 11):
            rows.append({"code": f"{a}.{b}", "parent": f"{a}", "level": 2, "title": f"二级指标{a}.{b}"})
            for c in range(1, per_sub + 1):
                if made >= n_items:
                    break
                made += 1
                rows.append({"code": f"{a}.{b}.{c}", "parent": f"{a}.{b}", "level": 3, "title": f"检查事项{a}.{b}.{c}",
                             "guidance": "检查是否按规定执行，有无打折扣、搞变通的问题。" * 2,
                             "evidence": "会议记录；工作台账；相关文件。"})
    leaves = [r["code"] for r in rows if r["level"] == 3]
    templates = [{"kind": "organ", "name": "机关部门", "items": leaves},
                 {"kind": "village", "name": "村（社区）", "items": leaves[::3]}]
    return yaml.safe_dump({"name": f"基准{n_items}", "indicators": rows, "templates": templates},
                          allow_unicode=True).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[49, 500, 1800])
    args = parser.parse_args()
    fresh_sqlite_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xuncha.indicators import library, selectors
    from xuncha.indicators.models import Indicator, IndicatorSet, IndicatorTemplate

    print(f"{'items':>6} {'yaml parse+validate':>20} {'write set':>10} {'tree (queries)':>15} "
          f"{'export xlsx':>12} {'read xlsx+validate':>19}")
    for n in args.sizes:
        content = generated(n)
        t0 = time.perf_counter()
        data = library.parse_yaml(content)
        assert library.validate(data) == []
        t1 = time.perf_counter()
        s = library.build_set((IndicatorSet, Indicator, IndicatorTemplate), data, authority_id=None,
                              status="draft", version=1)
        t2 = time.perf_counter()
        with CaptureQueriesContext(connection) as q:
            tree = selectors.indicator_tree(s)
        t3 = time.perf_counter()
        assert sum(len(node.leaves) for node in tree) == n
        xlsx = library.export_excel(library.library_from_set(s))
        t4 = time.perf_counter()
        assert library.validate(library.parse_excel(xlsx)) == []
        t5 = time.perf_counter()
        print(f"{n:>6} {t1 - t0:>19.2f}s {t2 - t1:>9.2f}s {t3 - t2:>10.3f}s ({len(q.captured_queries)}) "
              f"{t4 - t3:>11.2f}s {t5 - t4:>18.2f}s")


if __name__ == "__main__":
    main()
