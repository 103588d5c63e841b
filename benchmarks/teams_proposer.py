"""The group proposer on a large pool: `--pool` people (default 5,000) with realistic careers and
families (benchmarks/teams_data.py), `--groups` groups (default 5) of 5–7 with three targets each,
recusal computed for every person and target, then the CP-SAT proposal.

    .venv/bin/python benchmarks/teams_proposer.py [--pool 5000] [--groups 5] [--runs 3]

Prints the time of the recusal check and of the proposal (model size, status), and verifies it
(sizes, specialities, one leader from the leader pool, nobody blocked or in two groups).
"""

from __future__ import annotations

import argparse
import statistics
import time

from teams_data import TODAY, Generator

from xuncha.teams import recusal
from xuncha.teams.solvers import proposer

NEEDS = (("audit", 1), ("discipline", 1), ("finance", 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pool", type=int, default=5000)
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    counties = 10
    gen = Generator(args.seed)
    world = gen.world(counties, per_county=args.pool // counties, targets_per_county=args.groups * 3 // counties + 1)
    people = [p for pool in world.members.values() for p in pool][: args.pool]
    # the round's targets: three per group, from every county (a city round)
    targets = world.targets[: args.groups * 3]
    group_of = {t.unit_id: 1 + i // 3 for i, t in enumerate(targets)}

    recusal_times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        blocks = recusal.check_many(people, targets, today=TODAY, declarations=world.declarations)
        recusal_times.append(time.perf_counter() - t)
    blocked = {(pid, group_of[unit]) for (pid, unit) in blocks}

    candidates = [proposer.Candidate(p.id, p.name, world.skills[p.id], can_lead=gen.rng.random() < 0.08,
                                     workload=gen.rng.choice((0, 0, 1, 1, 2, 3, 4)))
                  for p in people]
    groups = [proposer.GroupNeed(g, f"第{g}巡察组", NEEDS) for g in range(1, args.groups + 1)]
    times, result = [], None
    for _ in range(args.runs):
        t = time.perf_counter()
        result = proposer.propose(candidates, groups, blocked)
        times.append(time.perf_counter() - t)
    assert result.ok, result.reasons
    by_id = {c.id: c for c in candidates}
    seen = set()
    for g in groups:
        placed = result.groups[g.id]
        ids = {p.candidate_id for p in placed}
        assert 5 <= len(ids) <= 7 and not ids & seen
        seen |= ids
        assert all((i, g.id) not in blocked for i in ids)
        assert {"finance", "audit", "discipline"} <= set().union(*(by_id[i].skills for i in ids))
        assert [by_id[p.candidate_id].can_lead for p in placed if p.role == "leader"] == [True]
    chosen_load = statistics.mean(by_id[i].workload for i in seen)
    print(f"组队建议基准（种子 {args.seed}，运行 {args.runs} 次取中位数）")
    print(f"  在库人员 {len(candidates):,} 人（组长库 {sum(c.can_lead for c in candidates)} 人），巡察组 {args.groups} 个，"
          f"巡察对象 {len(targets)} 个")
    print(f"  回避审查：{len(people):,} 人 × {len(targets)} 个单位，需回避 {len(blocks):,} 对（人—组 {len(blocked):,} 对），"
          f"用时 {statistics.median(recusal_times):.3f} 秒")
    print(f"  CP-SAT：状态 {result.status}，进入模型 {result.stats['in_model']:,} 人、变量 {result.stats['variables']:,} 个，"
          f"用时中位数 {statistics.median(times):.2f} 秒（{', '.join(f'{s:.2f}' for s in times)}）；"
          f"入选 {len(seen)} 人，平均近期参加巡察 {chosen_load:.2f} 组次（全库平均 "
          f"{statistics.mean(c.workload for c in candidates):.2f}）")


if __name__ == "__main__":
    main()
