"""The group proposer: members for one or more groups of a round, from the pools, solved with CP-SAT.

Pure functions over plain data (no Django): the tests and the benchmark call `propose` directly;
`teams.services.proposal_build` loads the data and applies recusal first.

The problem. Each group needs 5–7 people (`size_min`..`size_max`), one leader from the leader pool,
and at least `skills[s]` people with each needed speciality (财务, 审计, 纪检…); nobody may join a
group one of whose targets they must avoid (the `blocked` pairs, from `teams.recusal`), and nobody
joins two groups of the same round. People already in a group (`fixed`) stay.

Among the groups that fit, we prefer (lexicographically, by weights):
  1. each group at its preferred size (`preferred`, 6 unless said otherwise);
  2. the least-used people: each person costs `1 + 10 × workload` (workload = groups served recently),
     so the work is spread rather than falling on the same few;
  (among equals the solver picks; one worker and a fixed seed give the same proposal on every run).

Size. A pool of 5,000 gives 5,000 × groups booleans. Only a few dozen can be chosen, so the model
keeps, per group, the least-used eligible candidates: three times what the round needs overall,
of each needed speciality and of leaders (a pool of 5,000 and five groups solve with ~130 people);
should the reduced model be infeasible, a four times wider list and then everyone is tried.
Deterministic: fixed seed, one worker by default, a time limit.

Infeasibility is explained in Chinese by checking the necessary conditions first (eligible people,
leaders and specialities per group and over the round); should the solver still find none, a
second solve with one assumption literal per constraint names the failing ones.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Candidate", "GroupNeed", "Params", "Placed", "Result", "propose", "precheck"]

ROLE_LEADER, ROLE_DEPUTY, ROLE_MEMBER, ROLE_LIAISON = "leader", "deputy", "member", "liaison"


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    skills: frozenset[str] = frozenset()
    can_lead: bool = False  # in the leader pool
    workload: int = 0  # groups served recently (spread the work)
    level: int = 0  # leadership level of the current post (for the 副组长 choice)


@dataclass(frozen=True)
class GroupNeed:
    id: int
    name: str
    skills: tuple[tuple[str, int], ...] = ()  # (speciality, at least how many)
    size_min: int = 5
    size_max: int = 7
    preferred: int | None = None
    fixed: tuple[int, ...] = ()  # candidate ids already in the group
    fixed_leader: int | None = None


@dataclass
class Params:
    time_limit: float = 10.0
    seed: int = 7
    workers: int = 1  # one worker: the same data gives the same proposal on every run
    prune: bool = True


@dataclass
class Placed:
    candidate_id: int
    role: str
    is_party_secretary: bool = False
    is_conduct_supervisor: bool = False
    fixed: bool = False


@dataclass
class Result:
    status: str  # optimal, feasible, infeasible
    groups: dict[int, list[Placed]] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "feasible")


def _label(labels: Mapping[str, str], skill: str) -> str:
    return labels.get(skill, skill)


def _eligible(candidates, group: GroupNeed, blocked) -> list[Candidate]:
    return [c for c in candidates if (c.id, group.id) not in blocked]


def precheck(candidates: list[Candidate], groups: list[GroupNeed], blocked, *,
             labels: Mapping[str, str] | None = None) -> list[str]:
    """The necessary conditions, each failure a Chinese sentence naming the group and the constraint."""
    labels = labels or {}
    reasons: list[str] = []
    if not groups:
        return ["没有需要配备人员的巡察组。"]
    if not candidates:
        return ["组长库和人才库中没有在库人员，无法生成建议。"]
    leaders_total = [c for c in candidates if c.can_lead]
    for g in groups:
        eligible = _eligible(candidates, g, blocked)
        if g.size_min > g.size_max:
            reasons.append(f"{g.name}的人数要求有误：最少 {g.size_min} 人多于最多 {g.size_max} 人。")
        if len(g.fixed) > g.size_max:
            reasons.append(f"{g.name}已有 {len(g.fixed)} 人，超过每组最多 {g.size_max} 人。")
        if len(eligible) < g.size_min:
            reasons.append(f"{g.name}可选人员不足：需要至少 {g.size_min} 人，回避后可用 {len(eligible)} 人。")
        if g.fixed_leader is None:
            leaders = [c for c in eligible if c.can_lead]
            if not leaders:
                reasons.append(f"{g.name}没有可担任组长的人选：组长库在库 {len(leaders_total)} 人，"
                               f"{'均需回避' if leaders_total else '组长库为空'}。")
        for skill, need in g.skills:
            have = sum(1 for c in eligible if skill in c.skills)
            if have < need:
                reasons.append(f"{g.name}所需 {_label(labels, skill)} 专长人员不足：需要 {need} 人，可用 {have} 人。")
    if reasons:
        return reasons
    # Over the round: nobody serves in two groups.
    need_people = sum(g.size_min for g in groups)
    usable = {c.id for g in groups for c in _eligible(candidates, g, blocked)}
    if len(usable) < need_people:
        reasons.append(f"各组合计至少需要 {need_people} 人，回避后可用人员只有 {len(usable)} 人。")
    need_leaders = sum(1 for g in groups if g.fixed_leader is None)
    leader_ids = {c.id for g in groups for c in _eligible(candidates, g, blocked) if c.can_lead}
    if len(leader_ids) < need_leaders:
        reasons.append(f"需要 {need_leaders} 名组长，组长库中可用（回避后）只有 {len(leader_ids)} 人。")
    totals: dict[str, int] = {}
    for g in groups:
        for skill, need in g.skills:
            totals[skill] = totals.get(skill, 0) + need
    for skill, need in totals.items():
        have = len({c.id for g in groups for c in _eligible(candidates, g, blocked) if skill in c.skills})
        if have < need:
            reasons.append(f"各组合计需要 {_label(labels, skill)} 专长人员 {need} 人，可用只有 {have} 人。")
    return reasons


def _shortlist(candidates: list[Candidate], groups: list[GroupNeed], blocked, factor: int = 3) -> list[Candidate]:
    """Per group, the least-used eligible candidates: `factor` × what the round needs overall, of
    anyone, of each needed speciality and of leaders (see module doc)."""
    demand = sum(g.size_max for g in groups)
    skill_demand: dict[str, int] = {}
    for g in groups:
        for skill, need in g.skills:
            skill_demand[skill] = skill_demand.get(skill, 0) + need
    leaders_needed = sum(1 for g in groups if g.fixed_leader is None)
    order = sorted(candidates, key=lambda c: (c.workload, c.id))
    keep: set[int] = set()
    for g in groups:
        keep.update(g.fixed)
        eligible = [c for c in order if (c.id, g.id) not in blocked]
        keep.update(c.id for c in eligible[:max(40, factor * demand)])
        keep.update(c.id for c in [c for c in eligible if c.can_lead][:max(20, factor * leaders_needed)])
        for skill, _ in g.skills:
            keep.update(c.id for c in [c for c in eligible if skill in c.skills][:max(20, factor * skill_demand[skill])])
    return [c for c in candidates if c.id in keep]


def _solve(candidates: list[Candidate], groups: list[GroupNeed], blocked, params: Params, *,
           with_assumptions: bool = False):
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    index = {c.id: i for i, c in enumerate(candidates)}
    x: dict[tuple[int, int], object] = {}
    lead: dict[tuple[int, int], object] = {}
    for g in groups:
        fixed = set(g.fixed)
        for c in candidates:
            if (c.id, g.id) in blocked and c.id not in fixed:
                continue
            x[c.id, g.id] = model.NewBoolVar(f"x_{c.id}_{g.id}")
            if c.can_lead and g.fixed_leader is None:
                lead[c.id, g.id] = model.NewBoolVar(f"l_{c.id}_{g.id}")
                model.AddImplication(lead[c.id, g.id], x[c.id, g.id])
    assumptions: dict[str, object] = {}

    def guard(name: str):
        if not with_assumptions:
            return None
        if name not in assumptions:
            assumptions[name] = model.NewBoolVar(name)
        return assumptions[name]

    def add(constraint, name: str):
        literal = guard(name)
        if literal is not None:
            constraint.OnlyEnforceIf(literal)

    by_candidate: dict[int, list] = {}
    for (cid, _gid), var in x.items():
        by_candidate.setdefault(cid, []).append(var)
    for vars_ in by_candidate.values():
        if len(vars_) > 1:
            add(model.Add(sum(vars_) <= 1), "one_group")
    size_terms = []
    for g in groups:
        members = [x[c.id, g.id] for c in candidates if (c.id, g.id) in x]
        for cid in g.fixed:
            if (cid, g.id) in x:
                model.Add(x[cid, g.id] == 1)
        add(model.Add(sum(members) >= g.size_min), f"size_{g.id}")
        add(model.Add(sum(members) <= g.size_max), f"size_{g.id}")
        preferred = min(max(g.preferred or 6, g.size_min), g.size_max)
        short = model.NewIntVar(0, preferred, f"short_{g.id}")
        model.Add(short >= preferred - sum(members))
        size_terms.append(short)
        if g.fixed_leader is None:
            leaders = [lead[c.id, g.id] for c in candidates if (c.id, g.id) in lead]
            add(model.Add(sum(leaders) == 1), f"leader_{g.id}")
        for skill, need in g.skills:
            having = [x[c.id, g.id] for c in candidates if (c.id, g.id) in x and skill in c.skills]
            add(model.Add(sum(having) >= need), f"skill_{g.id}_{skill}")
    cost = []
    for (cid, _gid), var in x.items():
        c = candidates[index[cid]]
        cost.append((1 + 10 * c.workload) * var)
    big = (1 + 10 * max((c.workload for c in candidates), default=0)) * 8
    model.Minimize(big * sum(size_terms) + sum(cost))
    if assumptions:
        model.AddAssumptions(list(assumptions.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(params.time_limit)
    solver.parameters.num_workers = max(1, int(params.workers))
    solver.parameters.random_seed = int(params.seed)
    # The full LP relaxation proves these assignment models optimal at once; without it a single
    # worker can search for the whole time limit.
    solver.parameters.linearization_level = 2
    solver.parameters.symmetry_level = 0  # interchangeable people: detecting it costs more than it saves
    status = solver.Solve(model)
    return solver, status, x, lead, assumptions


def _explain_core(solver, assumptions, groups, labels) -> list[str]:
    names = {g.id: g.name for g in groups}
    core = set(solver.SufficientAssumptionsForInfeasibility())
    failing = [name for name, var in assumptions.items() if var.Index() in core]
    reasons = []
    for name in failing:
        kind, _, rest = name.partition("_")
        if kind == "one_group":
            reasons.append("“同一轮次每人只参加一个巡察组”无法满足。")
        elif kind == "size":
            reasons.append(f"{names.get(int(rest), rest)}的人数要求（5—7 人）无法满足。")
        elif kind == "leader":
            reasons.append(f"{names.get(int(rest), rest)}无法配备组长（组长须来自组长库且不需回避）。")
        elif kind == "skill":
            gid, _, skill = rest.partition("_")
            reasons.append(f"{names.get(int(gid), gid)}所需 {_label(labels, skill)} 专长人员无法配齐。")
    return reasons or ["约束之间相互冲突，未能找到满足全部要求的方案。"]


def _roles(chosen: list[Candidate], group: GroupNeed, leader_id: int | None) -> list[Placed]:
    """Leader from the solver; 副组长 the next most senior (leader pool first); 联络员 a writer if any;
    the leader is the party-group secretary, a 纪检 person the conduct supervisor."""
    fixed = set(group.fixed)
    leader_id = leader_id or group.fixed_leader
    rest = [c for c in chosen if c.id != leader_id]
    deputy = max(rest, key=lambda c: (c.can_lead, c.level, -c.workload, -c.id), default=None)
    others = [c for c in rest if deputy is None or c.id != deputy.id]
    liaison = next((c for c in others if "writing" in c.skills), None) or (
        min(others, key=lambda c: (len(c.skills), c.id)) if others else None)
    supervisor = next((c for c in rest if "discipline" in c.skills), None) or deputy
    placed = []
    for c in sorted(chosen, key=lambda c: (c.id != leader_id, deputy is None or c.id != deputy.id, c.id)):
        role = (ROLE_LEADER if c.id == leader_id else ROLE_DEPUTY if deputy is not None and c.id == deputy.id
                else ROLE_LIAISON if liaison is not None and c.id == liaison.id else ROLE_MEMBER)
        placed.append(Placed(c.id, role, is_party_secretary=c.id == leader_id,
                             is_conduct_supervisor=supervisor is not None and c.id == supervisor.id,
                             fixed=c.id in fixed))
    return placed


def propose(candidates: list[Candidate], groups: list[GroupNeed], blocked=frozenset(), *,
            params: Params | None = None, labels: Mapping[str, str] | None = None) -> Result:
    """Members for `groups` from `candidates`; `blocked` holds (candidate id, group id) pairs."""
    from ortools.sat.python import cp_model

    params = params or Params()
    labels = labels or {}
    started = time.perf_counter()
    blocked = set(blocked)
    reasons = precheck(candidates, groups, blocked, labels=labels)
    if reasons:
        return Result("infeasible", reasons=reasons, stats={"seconds": round(time.perf_counter() - started, 3)})
    pool = _shortlist(candidates, groups, blocked) if params.prune else candidates
    solver, status, x, lead, _ = _solve(pool, groups, blocked, params)
    pruned = len(pool) < len(candidates)
    if status == cp_model.INFEASIBLE and pruned:
        # Rare: the shortlist missed someone the round needs. Widen it, then take everyone.
        wider = _shortlist(candidates, groups, blocked, factor=12)
        pool = wider if len(wider) < len(candidates) else candidates
        solver, status, x, lead, _ = _solve(pool, groups, blocked, params)
        if status == cp_model.INFEASIBLE and len(pool) < len(candidates):
            pool = candidates
            solver, status, x, lead, _ = _solve(pool, groups, blocked, params)
    stats = {"candidates": len(candidates), "in_model": len(pool), "variables": len(x) + len(lead),
             "seconds": round(time.perf_counter() - started, 3)}
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.INFEASIBLE:
            solver, status2, _, _, assumptions = _solve(pool, groups, blocked, params, with_assumptions=True)
            reasons = _explain_core(solver, assumptions, groups, labels) if status2 == cp_model.INFEASIBLE else []
            return Result("infeasible", reasons=reasons or ["未能找到满足全部要求的方案。"], stats=stats)
        return Result("infeasible", reasons=[f"在 {params.time_limit:g} 秒内未找到方案，请放宽条件或延长求解时限。"],
                      stats=stats)
    by_id = {c.id: c for c in pool}
    result = Result("optimal" if status == cp_model.OPTIMAL else "feasible", stats=stats)
    for g in groups:
        chosen = [by_id[cid] for (cid, gid), var in x.items() if gid == g.id and solver.Value(var)]
        leader_id = next((cid for (cid, gid), var in lead.items() if gid == g.id and solver.Value(var)), None)
        result.groups[g.id] = _roles(sorted(chosen, key=lambda c: c.id), g, leader_id)
    result.stats["seconds"] = round(time.perf_counter() - started, 3)
    return result
