"""The plan proposer: a full-coverage schedule for a five-year plan, solved with OR-Tools CP-SAT.

Pure functions over plain data (dataclasses in, dataclasses out; no Django, no ORM), so that the
tests and the benchmark run it directly.

The problem. Every unit is placed in one slot (year, round) of the term; a slot holds at most
`groups_per_round × capacity` units; the office's fixed choices (a year, or a year and a round) are
kept; units not fixed are placed from `first_year` on (the years already done stay as they were). The rules, in the order they win:
  1. balance: no round above its even share ⌈units ÷ rounds of the term⌉ (unless fixed choices
     already put more there), so the work is spread over the term;
  2. priority: the units are cut into `bands` priority bands (5: 80–100, 60–80, …); a higher band
     is never scheduled later than it could be (the sum of band × year index is minimal);
  3. systems together: among the schedules equally good for 2, the units of one system (教育系统…)
     share as few years as possible, and within a year as few rounds as possible (where possible:
     never at the cost of 1 or 2);
  4. inside a band and a system, the higher exact score goes first.

How it is solved (CP-SAT, three small models, each over counts rather than units):
  A1. years: an integer per (system, band, fixed year) class and year, minimising the priority
      cost (a transportation problem: solved to optimality at once);
  A2. the same priority schedule (A1's count of each band in each year held), minimising the
      (system, year) pairs used;
  B.  per year, an integer per (system, band, fixed round) class and round: B1 the fewest
      (system, round) pairs, B2 with no more pairs than that, the higher bands in the earlier rounds.
Because the solver works on counts, the size of the models depends on the number of systems and
bands, not on the number of units (30,000 units solve like 300). Units are then dealt to the
groups of their round system by system.

Determinism: one search worker and a deterministic time budget (`time_limit` is CP-SAT's
deterministic time, a machine-independent measure), so the same input gives the same schedule.

Infeasibility is explained in Chinese, naming the constraint that cannot be met: capacity checks
before solving (total, per year, per round, fixed choices outside the term) are complete for this
model; should the solver still find no schedule, a second solve with one assumption literal per
constraint names the culprits from its infeasible core.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

__all__ = ["UnitIn", "Params", "Assignment", "Proposal", "propose", "precheck", "band_of"]


@dataclass(frozen=True)
class UnitIn:
    """A unit to schedule. `priority` 0–100 (higher first); `fixed_year`/`fixed_round` are the office's
    choices (a round is 1-based within its year; a round without a year is ignored)."""

    id: int
    name: str
    system: str = ""
    priority: float = 0.0
    fixed_year: int | None = None
    fixed_round: int | None = None


@dataclass(frozen=True)
class Params:
    start_year: int
    years: int = 5
    rounds_per_year: int = 2
    groups_per_round: int = 3
    capacity: int = 3  # units one group inspects in one round
    time_limit: float = 5.0  # CP-SAT deterministic time for the whole proposal (≈ seconds)
    seed: int = 20260101
    bands: int = 5
    keep_systems: bool = True
    first_year: int | None = None  # units not yet fixed go in this year or later (the past is done)

    @property
    def slots(self) -> int:
        return self.years * self.rounds_per_year

    @property
    def slot_capacity(self) -> int:
        return self.groups_per_round * self.capacity

    @property
    def end_year(self) -> int:
        return self.start_year + self.years - 1

    @property
    def first(self) -> int:
        return self.first_year if self.first_year is not None else self.start_year


@dataclass(frozen=True)
class Assignment:
    unit_id: int
    year: int
    round: int  # 1-based within the year
    group: int  # 1-based within the round
    fixed: bool = False


@dataclass
class Proposal:
    status: str  # "optimal", "feasible", "infeasible", "unknown"
    assignments: list[Assignment] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    objective: dict = field(default_factory=dict)
    solve_seconds: float = 0.0
    stats: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "feasible")

    def by_unit(self) -> dict[int, Assignment]:
        return {a.unit_id: a for a in self.assignments}


# --- checks that need no solver ----------------------------------------------------------------


def _param_errors(p: Params) -> list[str]:
    errors = []
    for value, label in ((p.years, "规划年数"), (p.rounds_per_year, "每年轮次数"), (p.groups_per_round, "每轮巡察组数"),
                         (p.capacity, "每组每轮巡察单位数"), (p.bands, "优先级档数")):
        if value < 1:
            errors.append(f"「{label}」须为正整数（现为 {value}）。")
    if p.time_limit <= 0:
        errors.append("「求解时间上限」须大于 0 秒。")
    if p.years >= 1 and not p.start_year <= p.first <= p.end_year:
        errors.append(f"「从哪一年起安排」应在规划期 {p.start_year}—{p.end_year} 年内（现为 {p.first} 年）。")
    return errors


def precheck(units: list[UnitIn], p: Params) -> list[str]:
    """Every reason, in Chinese, why no schedule can exist; [] when the capacities allow one."""
    errors = _param_errors(p)
    if errors:
        return errors
    window = p.end_year - p.first + 1
    need = sum(1 for u in units if u.fixed_year is None or p.first <= u.fixed_year <= p.end_year)
    total_groups = window * p.rounds_per_year * p.groups_per_round
    total = total_groups * p.capacity
    if total < need:
        head = f"{p.years} 年" if p.first == p.start_year else f"{p.first}—{p.end_year} 年"
        errors.append(
            f"{head}共 {total_groups} 个组次 × 每组 {p.capacity} 个单位 = {total} < 需覆盖 {need} 个单位"
            f"（每年 {p.rounds_per_year} 轮、每轮 {p.groups_per_round} 个组）。请增加轮次、巡察组或每组巡察单位数。")
    per_year: dict[int, int] = defaultdict(int)
    per_slot: dict[tuple[int, int], int] = defaultdict(int)
    for u in units:
        if u.fixed_year is None:
            continue
        if not p.start_year <= u.fixed_year <= p.end_year:
            errors.append(f"「{u.name}」固定在 {u.fixed_year} 年，不在规划期 {p.start_year}—{p.end_year} 年内。")
            continue
        per_year[u.fixed_year] += 1
        if u.fixed_round is not None:
            if not 1 <= u.fixed_round <= p.rounds_per_year:
                errors.append(f"「{u.name}」固定在 {u.fixed_year} 年第 {u.fixed_round} 轮，"
                              f"但每年只安排 {p.rounds_per_year} 轮。")
                continue
            per_slot[(u.fixed_year, u.fixed_round)] += 1
    year_cap = p.rounds_per_year * p.slot_capacity
    for year in sorted(per_year):
        if per_year[year] > year_cap:
            errors.append(f"{year} 年已固定 {per_year[year]} 个单位，超过该年容量 {year_cap} 个"
                          f"（{p.rounds_per_year} 轮 × {p.groups_per_round} 个组 × 每组 {p.capacity} 个单位）。")
    for (year, rnd) in sorted(per_slot):
        if per_slot[(year, rnd)] > p.slot_capacity:
            errors.append(f"{year} 年第 {rnd} 轮已固定 {per_slot[(year, rnd)]} 个单位，超过每轮容量 {p.slot_capacity} 个"
                          f"（{p.groups_per_round} 个组 × 每组 {p.capacity} 个单位）。")
    return errors


# --- the models ------------------------------------------------------------------------------


def band_of(priority: float, bands: int = 5) -> int:
    """0–100 → 1…bands (a higher band is more urgent)."""
    clamped = min(max(priority, 0.0), 100.0)
    return min(bands, 1 + int(clamped * bands / 100.0))


@dataclass
class _Class:
    system: str
    band: int
    fixed: int | None  # the year (phase A) or the round (phase B) the class is held to
    units: list[UnitIn]


def _solver(p: Params, share: float):
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    budget = max(0.05, p.time_limit * share)
    solver.parameters.max_deterministic_time = budget
    solver.parameters.max_time_in_seconds = budget * 5 + 1  # a wall-clock guard only
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = int(p.seed)
    return solver


def _counts_model(classes: list[_Class], n_bins: int, caps: list[int], first_bin: int = 0):
    """An integer per (class, bin) the class may use (a free class: `first_bin` on); each class placed
    whole; bins within caps."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = {}
    for ci, klass in enumerate(classes):
        bins = [klass.fixed] if klass.fixed is not None else range(first_bin, n_bins)
        for b in bins:
            x[ci, b] = model.NewIntVar(0, len(klass.units), f"n_{ci}_{b}")
        model.Add(sum(x[ci, b] for b in bins) == len(klass.units))
    for b in range(n_bins):
        terms = [var for (ci, bb), var in x.items() if bb == b]
        if terms:
            model.Add(sum(terms) <= caps[b])
    return model, x


def _presence(model, classes: list[_Class], x: dict, n_bins: int) -> list:
    """A boolean per (system, bin) that is true when the system has units there."""
    by_system: dict[str, list[int]] = defaultdict(list)
    for ci, klass in enumerate(classes):
        by_system[klass.system].append(ci)
    used = []
    for system, members in sorted(by_system.items()):
        for b in range(n_bins):
            terms = [(ci, x[ci, b]) for ci in members if (ci, b) in x]
            if not terms:
                continue
            y = model.NewBoolVar(f"in_{system}_{b}")
            for ci, var in terms:
                model.Add(var <= len(classes[ci].units) * y)
            used.append(y)
    return used


def _priority_cost(classes: list[_Class], x: dict):
    return sum(classes[ci].band * b * var for (ci, b), var in x.items() if b)


def _values(solver, x: dict) -> dict:
    return {key: solver.Value(var) for key, var in x.items()}


def _year_classes(units: list[UnitIn], p: Params) -> list[_Class]:
    groups: dict[tuple, list[UnitIn]] = defaultdict(list)
    for u in units:
        year_index = u.fixed_year - p.start_year if u.fixed_year is not None else None
        groups[(u.system or "", band_of(u.priority, p.bands), year_index)].append(u)
    return [_Class(system, band, fixed, members) for (system, band, fixed), members in sorted(
        groups.items(), key=lambda kv: (kv[0][0], -kv[0][1], -1 if kv[0][2] is None else kv[0][2]))]


def _explain(units: list[UnitIn], p: Params) -> list[str]:
    """One assumption literal per capacity and per fixed choice; the infeasible core names them."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    slots = p.slots
    assumptions: list[tuple[object, str]] = []
    x = {}
    for u in units:
        for s in range(slots):
            x[u.id, s] = model.NewBoolVar(f"x_{u.id}_{s}")
        model.AddExactlyOne(x[u.id, s] for s in range(slots))
        if u.fixed_year is None:
            for s in range(slots):
                if p.start_year + s // p.rounds_per_year < p.first:
                    model.Add(x[u.id, s] == 0)
        if u.fixed_year is not None:
            lit = model.NewBoolVar(f"fixed_{u.id}")
            allowed = [s for s in range(slots) if p.start_year + s // p.rounds_per_year == u.fixed_year
                       and (u.fixed_round is None or s % p.rounds_per_year + 1 == u.fixed_round)]
            model.AddBoolOr([x[u.id, s] for s in allowed] or [model.NewConstant(0)]).OnlyEnforceIf(lit)
            where = f"{u.fixed_year} 年" + (f"第 {u.fixed_round} 轮" if u.fixed_round else "")
            assumptions.append((lit, f"「{u.name}」固定在 {where}"))
    for s in range(slots):
        lit = model.NewBoolVar(f"cap_{s}")
        model.Add(sum(x[u.id, s] for u in units) <= p.slot_capacity).OnlyEnforceIf(lit)
        label = f"{p.start_year + s // p.rounds_per_year} 年第 {s % p.rounds_per_year + 1} 轮"
        assumptions.append((lit, f"{label}容量 {p.slot_capacity} 个单位"))
    model.AddAssumptions([lit for lit, _ in assumptions])
    solver = _solver(p, 1.0)
    status = solver.Solve(model)
    if status != cp_model.INFEASIBLE:
        return ["在求解时间内未能确定无解的原因，请延长求解时间后重试。"]
    index = {lit.Index(): text for lit, text in assumptions}
    core = [index[i] for i in solver.SufficientAssumptionsForInfeasibility() if i in index]
    if not core:
        return ["约束之间相互冲突，无法同时满足。"]
    return ["以下条件不能同时满足：" + "；".join(core) + "。"]


def propose(units: list[UnitIn], params: Params) -> Proposal:
    """A schedule for `units`, or the reasons (in Chinese) why none exists."""
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    p = params
    units = sorted(units, key=lambda u: u.id)  # the same input in any order gives the same schedule
    reasons = precheck(units, p)
    if reasons:
        return Proposal(status="infeasible", reasons=reasons, solve_seconds=time.perf_counter() - started)
    n = len(units)
    if n == 0:
        return Proposal(status="optimal", solve_seconds=time.perf_counter() - started)
    R = p.rounds_per_year
    first = p.first - p.start_year
    need = sum(1 for u in units if u.fixed_year is None or u.fixed_year >= p.first)
    even = min(p.slot_capacity, math.ceil(need / ((p.years - first) * R)))
    fixed_year_load = defaultdict(int)
    for u in units:
        if u.fixed_year is not None:
            fixed_year_load[u.fixed_year - p.start_year] += 1
    year_caps = [fixed_year_load[y] if y < first else min(R * p.slot_capacity, max(R * even, fixed_year_load[y]))
                 for y in range(p.years)]
    optimal = True

    # A1: years by priority.
    classes = _year_classes(units, p)
    model, x = _counts_model(classes, p.years, year_caps, first)
    model.Minimize(_priority_cost(classes, x))
    solver = _solver(p, 0.2)
    status = solver.Solve(model)
    if status == cp_model.INFEASIBLE:
        return Proposal(status="infeasible", reasons=_explain(units, p), solve_seconds=time.perf_counter() - started)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Proposal(status="unknown", solve_seconds=time.perf_counter() - started,
                        reasons=[f"在求解时间（{p.time_limit:g}）内未找到可行方案，请延长求解时间或放宽条件后重试。"])
    optimal &= status == cp_model.OPTIMAL
    best_cost = int(solver.ObjectiveValue())
    counts = _values(solver, x)

    # A2: the same priority cost, systems in as few years as possible.
    system_years = None
    if p.keep_systems:
        model, x = _counts_model(classes, p.years, year_caps, first)
        model.Add(_priority_cost(classes, x) <= best_cost)
        # Keep A1's number of free units of each band in each year: the same priority schedule,
        # only which systems fill it changes (a much smaller search than the cost bound alone).
        for band in {k.band for k in classes}:
            for y in range(p.years):
                terms = [x[ci, y] for ci, k in enumerate(classes) if k.band == band and k.fixed is None and (ci, y) in x]
                if terms:
                    model.Add(sum(terms) == sum(counts.get((ci, y), 0) for ci, k in enumerate(classes)
                                                if k.band == band and k.fixed is None))
        used = _presence(model, classes, x, p.years)
        model.Minimize(sum(used))
        for key, var in x.items():
            model.AddHint(var, counts[key])
        solver = _solver(p, 0.3)
        status = solver.Solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            counts = _values(solver, x)
            system_years = int(solver.ObjectiveValue())
            optimal &= status == cp_model.OPTIMAL
        else:
            optimal = False

    # Units to years: inside a class, the higher exact score takes the earlier year.
    by_year: dict[int, list[UnitIn]] = defaultdict(list)
    for ci, klass in enumerate(classes):
        members = sorted(klass.units, key=lambda u: (-u.priority, u.id))
        position = 0
        for y in range(p.years):
            take = counts.get((ci, y), 0)
            by_year[y].extend(members[position: position + take])
            position += take

    # B: rounds inside each year.
    assignments: list[Assignment] = []
    system_rounds = 0
    fixed_ids = {u.id for u in units if u.fixed_year is not None}
    for y in range(p.years):
        members = by_year.get(y, [])
        if not members:
            continue
        placed, used_pairs, round_optimal = _rounds(members, p, even, share=0.5 / p.years)
        optimal &= round_optimal
        system_rounds += used_pairs
        for r, round_units in placed.items():
            assignments.extend(_deal(round_units, p, p.start_year + y, r + 1, fixed_ids))
    assignments.sort(key=lambda a: (a.year, a.round, a.group, a.unit_id))
    objective = {"priority_cost": best_cost, "system_years": system_years, "system_rounds": system_rounds}
    stats = {"units": n, "classes": len(classes), "slots": p.slots, "fixed": len(fixed_ids),
             "even_share": even}
    return Proposal(status="optimal" if optimal else "feasible", assignments=assignments, objective=objective,
                    stats=stats, solve_seconds=time.perf_counter() - started)


def _rounds(members: list[UnitIn], p: Params, even: int, share: float):
    """Phase B for one year: units to rounds, systems together first, then priority."""
    from ortools.sat.python import cp_model

    R = p.rounds_per_year
    groups: dict[tuple, list[UnitIn]] = defaultdict(list)
    fixed_round_load = defaultdict(int)
    for u in members:
        fixed = u.fixed_round - 1 if u.fixed_round is not None else None
        if fixed is not None:
            fixed_round_load[fixed] += 1
        groups[(u.system or "", band_of(u.priority, p.bands), fixed)].append(u)
    classes = [_Class(system, band, fixed, us) for (system, band, fixed), us in sorted(
        groups.items(), key=lambda kv: (kv[0][0], -kv[0][1], -1 if kv[0][2] is None else kv[0][2]))]
    floor_cap = max(even, math.ceil(len(members) / R))
    caps = [min(p.slot_capacity, max(floor_cap, fixed_round_load[r])) for r in range(R)]
    optimal = True
    hint = None
    best_pairs = None
    if p.keep_systems:
        # B1: the fewest (system, round) pairs.
        model, x = _counts_model(classes, R, caps)
        used = _presence(model, classes, x, R)
        # A lower bound the solver cannot see by itself: every system present needs its rounds.
        sizes: dict[str, int] = defaultdict(int)
        for klass in classes:
            sizes[klass.system] += len(klass.units)
        model.Add(sum(used) >= sum(math.ceil(n / max(caps)) for n in sizes.values()))
        model.Minimize(sum(used))
        _hint_next_fit(model, classes, x, caps)
        solver = _solver(p, share / 2)
        status = solver.Solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best_pairs = int(solver.ObjectiveValue())
            hint = _values(solver, x)
        optimal &= status == cp_model.OPTIMAL
    # B2: with no more pairs than that, the higher bands in the earlier rounds.
    model, x = _counts_model(classes, R, caps)
    if best_pairs is not None:
        model.Add(sum(_presence(model, classes, x, R)) <= best_pairs)
    model.Minimize(_priority_cost(classes, x))
    if hint is not None:
        for key, var in x.items():
            model.AddHint(var, hint.get(key, 0))
    else:
        _hint_next_fit(model, classes, x, caps)
    solver = _solver(p, share / 2 if p.keep_systems else share)
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # cannot happen after precheck
        raise RuntimeError("round assignment failed")
    optimal &= status == cp_model.OPTIMAL
    counts = _values(solver, x)
    placed: dict[int, list[UnitIn]] = defaultdict(list)
    for ci, klass in enumerate(classes):
        ordered = sorted(klass.units, key=lambda u: (-u.priority, u.id))
        position = 0
        for r in range(R):
            take = counts.get((ci, r), 0)
            placed[r].extend(ordered[position: position + take])
            position += take
    pairs = len({(u.system or "", r) for r, us in placed.items() for u in us})
    return placed, pairs, optimal


def _hint_next_fit(model, classes: list[_Class], x: dict, caps: list[int]) -> None:
    """A first schedule for the solver: fixed classes in their bin, the rest poured in order."""
    room = list(caps)
    hint = defaultdict(int)
    for ci, klass in enumerate(classes):
        if klass.fixed is not None:
            hint[ci, klass.fixed] += len(klass.units)
            room[klass.fixed] -= len(klass.units)
    b = 0
    for ci, klass in enumerate(classes):
        if klass.fixed is not None:
            continue
        left = len(klass.units)
        while left:
            while b < len(room) - 1 and room[b] <= 0:
                b += 1
            take = left if b == len(room) - 1 else min(left, room[b])
            hint[ci, b] += take
            room[b] -= take
            left -= take
    for key, var in x.items():
        model.AddHint(var, hint.get(key, 0))


def _deal(units: list[UnitIn], p: Params, year: int, rnd: int, fixed_ids: set[int]) -> list[Assignment]:
    """Deal a round's units to its groups system by system (largest system first), so that a
    group inspects units of one system where it can."""
    by_system: dict[str, list[UnitIn]] = defaultdict(list)
    for u in units:
        by_system[u.system or ""].append(u)
    ordered: list[UnitIn] = []
    for system in sorted(by_system, key=lambda k: (-len(by_system[k]), k)):
        ordered.extend(sorted(by_system[system], key=lambda u: (-u.priority, u.id)))
    return [Assignment(unit_id=u.id, year=year, round=rnd, group=i // p.capacity + 1, fixed=u.id in fixed_ids)
            for i, u in enumerate(ordered)]
