"""Cross inspection at scale: `--counties` counties (default 100), `--members` people from each
county per group (default 7, plus the city leader), recusal computed on realistic synthetic careers
and families (benchmarks/teams_data.py), then the CP-SAT formation.

    .venv/bin/python benchmarks/teams_cross.py [--counties 100] [--members 7] [--workers 2] [--runs 3]

Prints the time of the recusal check (people × targets), of the model build and of the solve,
with the solver status, and verifies the answer (no self-inspection, no mutual pair, recusal).
"""

from __future__ import annotations

import argparse
import statistics
import time

from teams_data import TODAY, Generator

from xuncha.teams import recusal
from xuncha.teams.solvers import cross


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--members", type=int, default=7, help="people per group from the sending county")
    parser.add_argument("--pool", type=int, default=14, help="talent-pool size per county")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    world = Generator(args.seed).world(args.counties, per_county=args.pool)
    generated = time.perf_counter() - started
    people = [p for pool in world.members.values() for p in pool] + world.city_leaders

    recusal_times, blocked = [], {}
    for _ in range(args.runs):
        t = time.perf_counter()
        blocks = recusal.check_many(people, world.targets, today=TODAY, declarations=world.declarations)
        recusal_times.append(time.perf_counter() - t)
    rules: dict[str, int] = {}
    for (pid, unit), items in blocks.items():
        blocked[(pid, world.unit_county[unit])] = [b.text for b in items]
        for b in items:
            rules[b.rule] = rules.get(b.rule, 0) + 1

    counties = [cross.County(cid, name) for cid, name in world.counties]
    leaders = [cross.Person(p.id, p.name, world.skills[p.id], world.workload[p.id]) for p in world.city_leaders]
    members = {cid: [cross.Person(p.id, p.name, world.skills[p.id], world.workload[p.id]) for p in pool]
               for cid, pool in world.members.items()}
    params = cross.CrossParams(group_size=args.members + 1, needs={"finance": 1, "audit": 1, "discipline": 1},
                               time_limit=args.time_limit, workers=args.workers)
    solve_times, result = [], None
    for _ in range(args.runs):
        t = time.perf_counter()
        result = cross.solve(counties, leaders, members, blocked, params)
        solve_times.append(time.perf_counter() - t)

    assert result.ok, result.reasons
    edges = {(p.source, p.target) for p in result.pairs}
    for p in result.pairs:
        assert p.source != p.target and (p.target, p.source) not in edges
        assert all((m, p.target) not in blocked for m in p.members) and (p.leader, p.target) not in blocked
        assert len(p.members) == args.members

    checks = len(people) * len(world.targets)
    print(f"交叉巡察编组基准（种子 {args.seed}，运行 {args.runs} 次取中位数）")
    print(f"  县区 {args.counties} 个，每组 {args.members} 人 + 市级组长 1 人；人才库每县 {args.pool} 人，"
          f"市级组长候选 {len(leaders)} 人；被巡察单位 {len(world.targets)} 个；生成数据 {generated:.2f} 秒")
    print(f"  回避审查：{len(people)} 人 × {len(world.targets)} 个单位 = {checks:,} 对，"
          f"需回避 {len(blocks):,} 对（人—县区 {len(blocked):,} 对）；按规则：{rules}；"
          f"用时 {statistics.median(recusal_times):.3f} 秒")
    print(f"  CP-SAT（{args.workers} 个工作线程，时限 {args.time_limit:g} 秒）：状态 {result.status}，"
          f"变量 {result.stats['variables']:,} 个，建模 {result.stats['build_seconds']:.2f} 秒，"
          f"求解（含预检查）中位数 {statistics.median(solve_times):.2f} 秒（{', '.join(f'{s:.2f}' for s in solve_times)}）")


if __name__ == "__main__":
    main()
