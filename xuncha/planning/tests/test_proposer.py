"""The plan proposer on plain data: feasible schedules, the rules they follow, fixed choices, and
infeasibility explained in Chinese. No database."""

import random
from collections import Counter

import pytest

from xuncha.planning import proposer
from xuncha.planning.proposer import Params, UnitIn, propose

P = Params(start_year=2026, years=5, rounds_per_year=2, groups_per_round=3, capacity=3, time_limit=2)


def units(n, *, systems=("education", "health", "soe", "grassroots"), seed=1):
    rng = random.Random(seed)
    return [UnitIn(id=i + 1, name=f"单位{i + 1}", system=rng.choice(systems), priority=rng.uniform(0, 100))
            for i in range(n)]


def test_feasible_schedule_covers_every_unit_once_within_capacity_and_balance():
    result = propose(units(80), P)
    assert result.ok and result.status == "optimal"
    ids = [a.unit_id for a in result.assignments]
    assert sorted(ids) == list(range(1, 81))
    per_slot = Counter((a.year, a.round) for a in result.assignments)
    assert set(per_slot) <= {(y, r) for y in range(2026, 2031) for r in (1, 2)}
    assert max(per_slot.values()) <= min(P.slot_capacity, -(-80 // P.slots))  # even share: 8
    per_group = Counter((a.year, a.round, a.group) for a in result.assignments)
    assert max(per_group.values()) <= P.capacity


def test_high_priority_units_come_first():
    # Capacity 8 a year, 40 units: the 8 highest bands go in the first year.
    items = [UnitIn(id=i, name=f"单位{i}", system="other", priority=float(i * 2.5)) for i in range(1, 41)]
    params = Params(start_year=2026, years=5, rounds_per_year=2, groups_per_round=2, capacity=2, time_limit=2)
    result = propose(items, params)
    year = {a.unit_id: a.year for a in result.assignments}
    assert {year[i] for i in range(33, 41)} == {2026}  # scores 82.5–100: band 5
    assert {year[i] for i in range(1, 9)} == {2030}  # scores 2.5–20: band 1
    # Inside a band the exact score decides: a 97.5 is never later than a 85.
    assert year[39] <= year[34]


def test_units_of_one_system_stay_together_in_a_round_where_possible():
    # Two systems of equal priority, 6 units each, rounds of 6: each system fills one round.
    items = [UnitIn(id=i, name=f"教育{i}", system="education", priority=50) for i in range(1, 7)]
    items += [UnitIn(id=i, name=f"卫健{i}", system="health", priority=50) for i in range(7, 13)]
    params = Params(start_year=2026, years=1, rounds_per_year=2, groups_per_round=2, capacity=3, time_limit=2)
    result = propose(items, params)
    rounds = {}
    for a in result.assignments:
        rounds.setdefault(a.unit_id <= 6, set()).add(a.round)
    assert len(rounds[True]) == 1 and len(rounds[False]) == 1
    assert result.objective["system_rounds"] == 2
    # Groups are dealt system by system: no group mixes the two.
    mixed = Counter((a.round, a.group, a.unit_id <= 6) for a in result.assignments)
    assert all(count == 3 for count in mixed.values())


def test_fixed_choices_are_kept():
    items = units(60)
    items[0] = UnitIn(id=1, name="固定单位甲", system="soe", priority=1, fixed_year=2026, fixed_round=2)
    items[1] = UnitIn(id=2, name="固定单位乙", system="soe", priority=99, fixed_year=2030)
    result = propose(items, P)
    got = result.by_unit()
    assert (got[1].year, got[1].round) == (2026, 2) and got[1].fixed
    assert got[2].year == 2030 and got[2].fixed
    assert not got[3].fixed


def test_same_input_same_schedule_in_any_order():
    items = units(70, seed=7)
    first = propose(items, P)
    again = propose(list(reversed(items)), P)
    assert first.assignments == again.assignments


def test_capacity_shortfall_is_explained_with_the_numbers():
    params = Params(start_year=2026, years=5, rounds_per_year=2, groups_per_round=4, capacity=4)
    result = propose(units(180), params)
    assert result.status == "infeasible" and not result.assignments
    assert "5 年共 40 个组次 × 每组 4 个单位 = 160 < 需覆盖 180 个单位" in result.reasons[0]


@pytest.mark.parametrize("fixed,message", [
    ({"fixed_year": 2032}, "「单位1」固定在 2032 年，不在规划期 2026—2030 年内。"),
    ({"fixed_year": 2027, "fixed_round": 3}, "「单位1」固定在 2027 年第 3 轮，但每年只安排 2 轮。"),
])
def test_fixed_choice_outside_the_term_is_named(fixed, message):
    items = units(10)
    items[0] = UnitIn(id=1, name="单位1", **fixed)
    result = propose(items, P)
    assert result.status == "infeasible"
    assert message in result.reasons


def test_overfull_fixed_year_and_round_are_named():
    items = [UnitIn(id=i, name=f"单位{i}", fixed_year=2027) for i in range(1, 20)]
    items += [UnitIn(id=i, name=f"单位{i}", fixed_year=2028, fixed_round=1) for i in range(20, 30)]
    result = propose(items, P)
    assert "2027 年已固定 19 个单位，超过该年容量 18 个（2 轮 × 3 个组 × 每组 3 个单位）。" in result.reasons
    assert "2028 年第 1 轮已固定 10 个单位，超过每轮容量 9 个（3 个组 × 每组 3 个单位）。" in result.reasons


def test_bad_parameters_are_named():
    result = propose(units(3), Params(start_year=2026, groups_per_round=0, capacity=-1))
    assert "「每轮巡察组数」须为正整数（现为 0）。" in result.reasons
    assert "「每组每轮巡察单位数」须为正整数（现为 -1）。" in result.reasons


def test_solver_core_names_the_conflicting_constraints():
    # Past the checks (called directly): three units held to one round of capacity 2.
    items = [UnitIn(id=i, name=f"单位{i}", fixed_year=2026, fixed_round=1) for i in range(1, 4)]
    params = Params(start_year=2026, years=1, rounds_per_year=2, groups_per_round=1, capacity=2, time_limit=2)
    reasons = proposer._explain(items, params)
    assert reasons[0].startswith("以下条件不能同时满足：")
    assert "2026 年第 1 轮容量 2 个单位" in reasons[0] and "固定在 2026 年第 1 轮" in reasons[0]


def test_empty_plan_is_trivially_feasible():
    assert propose([], P).ok


def test_units_not_fixed_go_from_the_first_year_on():
    items = units(40)
    items[0] = UnitIn(id=1, name="已巡察单位", system="soe", priority=90, fixed_year=2026)
    params = Params(start_year=2026, years=5, rounds_per_year=2, groups_per_round=2, capacity=3, time_limit=2,
                    first_year=2027)
    result = propose(items, params)
    years = {a.unit_id: a.year for a in result.assignments}
    assert years[1] == 2026 and all(y >= 2027 for u, y in years.items() if u != 1)
    short = propose(units(50), Params(start_year=2026, years=5, rounds_per_year=1, groups_per_round=3, capacity=4,
                                      first_year=2028))
    assert short.reasons[0].startswith("2028—2030 年共 9 个组次 × 每组 4 个单位 = 36 < 需覆盖 50 个单位")
    assert "「从哪一年起安排」应在规划期 2026—2030 年内（现为 2031 年）。" in propose(
        units(3), Params(start_year=2026, first_year=2031)).reasons
