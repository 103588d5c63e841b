"""The plan proposer on a province-sized synthetic instance: 100 counties, 30,000 units, 5 years.

Two measurements:
  1. per county (how the product runs it): 100 independent five-year plans of ~300 units each;
  2. one plan of all 30,000 units (the solver's size does not depend on the number of units).

    .venv/bin/python benchmarks/planning_proposer.py [--counties 100] [--units 30000] [--time-limit 5]

No database, no Django: the proposer is pure functions over plain data.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xuncha.planning.proposer import Params, UnitIn, propose  # noqa: E402

SYSTEMS = ["education", "health", "legal", "agriculture", "resources", "housing", "transport", "finance", "soe",
           "civil", "hr", "culture", "environment", "market", "water", "party", "grassroots", "other"]


def synthetic(n: int, rng: random.Random, *, first_id: int = 1, start_year: int = 2026) -> list[UnitIn]:
    """Units like a county's: many villages and townships (grassroots), departments of every system,
    skewed priorities, and about 5% fixed by the office (a year, sometimes a round)."""
    units = []
    for i in range(n):
        system = "grassroots" if rng.random() < 0.45 else rng.choice(SYSTEMS)
        priority = min(100.0, rng.betavariate(2, 5) * 100 + (25 if rng.random() < 0.1 else 0))
        fixed_year = fixed_round = None
        if rng.random() < 0.05:
            fixed_year = start_year + rng.randrange(5)
            fixed_round = rng.choice((None, 1, 2))
        units.append(UnitIn(id=first_id + i, name=f"单位{first_id + i}", system=system, priority=priority,
                            fixed_year=fixed_year, fixed_round=fixed_round))
    return units


def county_params(n: int, time_limit: float) -> Params:
    rounds, capacity = 3, 4
    groups = max(2, math.ceil(n * 1.15 / (5 * rounds * capacity)))
    return Params(start_year=2026, years=5, rounds_per_year=rounds, groups_per_round=groups, capacity=capacity,
                  time_limit=time_limit)


def check(result, units: list[UnitIn], params: Params) -> None:
    assert result.ok, result.reasons
    assert sorted(a.unit_id for a in result.assignments) == sorted(u.id for u in units)
    per_slot = Counter((a.year, a.round) for a in result.assignments)
    assert max(per_slot.values()) <= params.slot_capacity
    fixed = {u.id: u for u in units if u.fixed_year}
    for a in result.assignments:
        if a.unit_id in fixed:
            u = fixed[a.unit_id]
            assert a.year == u.fixed_year and (u.fixed_round is None or a.round == u.fixed_round)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--units", type=int, default=30000)
    parser.add_argument("--time-limit", type=float, default=5.0, help="CP-SAT deterministic time per plan")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    propose([UnitIn(1, "预热")], Params(start_year=2026))  # load OR-Tools once

    # 1. One plan per county.
    sizes = [max(50, int(rng.gauss(args.units / args.counties, args.units / args.counties * 0.25)))
             for _ in range(args.counties)]
    sizes[-1] += args.units - sum(sizes)
    times, statuses, next_id = [], Counter(), 1
    for size in sizes:
        units = synthetic(size, rng, first_id=next_id)
        next_id += size
        params = county_params(size, args.time_limit)
        started = time.perf_counter()
        result = propose(units, params)
        times.append(time.perf_counter() - started)
        check(result, units, params)
        statuses[result.status] += 1
    print(f"逐县求解：{args.counties} 个县、共 {sum(sizes)} 个单位、5 年（每年 3 轮，每组每轮 4 个单位）")
    print(f"  总耗时 {sum(times):.1f} 秒；每县 平均 {statistics.mean(times):.2f} 秒、中位数 {statistics.median(times):.2f} 秒、"
          f"最长 {max(times):.2f} 秒；结果 {dict(statuses)}")

    # 2. One plan of every unit.
    units = synthetic(args.units, random.Random(args.seed + 1))
    groups = math.ceil(args.units * 1.05 / (5 * 3 * 5))
    params = Params(start_year=2026, years=5, rounds_per_year=3, groups_per_round=groups, capacity=5,
                    time_limit=args.time_limit)
    started = time.perf_counter()
    result = propose(units, params)
    elapsed = time.perf_counter() - started
    check(result, units, params)
    print(f"整体求解：{args.units} 个单位、5 年 × 3 轮 × {groups} 个组 × 每组 5 个单位")
    print(f"  耗时 {elapsed:.1f} 秒；结果 {result.status}；目标值 {result.objective}；"
          f"类别数 {result.stats['classes']}，固定 {result.stats['fixed']} 个")


if __name__ == "__main__":
    main()
