"""The group proposer: feasible, specialities mixed, size 5–7, workload spread, infeasible with
explanation; and through the service, recusal against the groups' targets."""

import pytest

from xuncha.teams import choices as c
from xuncha.teams.services import proposal_apply, proposal_build
from xuncha.teams.solvers.proposer import Candidate, GroupNeed, Params, propose

from .factories import make_group, make_round, person, pool

SKILLS = ("finance", "audit", "discipline", "organization", "law", "writing")
LABELS = {"finance": "财务", "audit": "审计", "discipline": "纪检"}
NEEDS = (("audit", 1), ("discipline", 1), ("finance", 1))


def _pool(n=40, leaders=6):
    people = []
    for i in range(n):
        people.append(Candidate(i + 1, f"人员{i + 1}", frozenset({SKILLS[i % len(SKILLS)]}), can_lead=i < leaders,
                                workload=i % 3))
    return people


def test_feasible_groups_mix_specialities_and_respect_size():
    groups = [GroupNeed(g, f"第{g}组", NEEDS) for g in (1, 2, 3)]
    result = propose(_pool(), groups, params=Params(time_limit=5))
    assert result.ok, result.reasons
    seen = set()
    by_id = {p.id: p for p in _pool()}
    for g in groups:
        placed = result.groups[g.id]
        assert 5 <= len(placed) <= 7
        assert len(placed) == 6  # the preferred size
        ids = {p.candidate_id for p in placed}
        assert not ids & seen  # nobody in two groups
        seen |= ids
        skills = set().union(*(by_id[i].skills for i in ids))
        assert {"finance", "audit", "discipline"} <= skills
        leaders = [p for p in placed if p.role == "leader"]
        assert len(leaders) == 1 and by_id[leaders[0].candidate_id].can_lead and leaders[0].is_party_secretary
        assert sum(p.role == "deputy" for p in placed) == 1
        assert sum(p.is_conduct_supervisor for p in placed) == 1


def test_workload_is_spread_to_the_least_used():
    people = [Candidate(i, f"人员{i}", frozenset({SKILLS[i % 3]}), can_lead=i % 10 == 0, workload=0 if i % 2 else 3)
              for i in range(1, 41)]
    result = propose(people, [GroupNeed(1, "第一组", NEEDS)])
    assert result.ok
    chosen = [p.candidate_id for p in result.groups[1]]
    by_id = {p.id: p for p in people}
    # leaders all have workload 3 here (even ids); everyone else chosen is unused
    assert all(by_id[i].workload == 0 for i in chosen if not by_id[i].can_lead)


def test_blocked_people_are_never_proposed():
    people = _pool()
    blocked = {(p.id, 1) for p in people if p.id % 4 == 0}
    result = propose(people, [GroupNeed(1, "第一组", NEEDS)], blocked)
    assert result.ok
    assert all(p.candidate_id % 4 != 0 for p in result.groups[1])


def test_fixed_members_stay():
    people = _pool()
    result = propose(people, [GroupNeed(1, "第一组", NEEDS, fixed=(40, 39), fixed_leader=None)])
    assert {40, 39} <= {p.candidate_id for p in result.groups[1]}


def test_infeasible_speciality_is_explained():
    people = [Candidate(i, f"人员{i}", frozenset({"finance"}), can_lead=i == 1) for i in range(1, 20)]
    result = propose(people, [GroupNeed(3, "第三巡察组", NEEDS)], labels=LABELS)
    assert not result.ok
    assert "第三巡察组所需 审计 专长人员不足：需要 1 人，可用 0 人。" in result.reasons


def test_infeasible_size_and_leader_are_explained():
    people = [Candidate(i, f"人员{i}", frozenset(SKILLS), can_lead=False) for i in range(1, 5)]
    result = propose(people, [GroupNeed(1, "第一巡察组", ())])
    assert not result.ok
    assert "第一巡察组可选人员不足：需要至少 5 人，回避后可用 4 人。" in result.reasons
    assert any("没有可担任组长的人选" in r for r in result.reasons)


def test_infeasible_across_groups_is_explained():
    people = [Candidate(i, f"人员{i}", frozenset(SKILLS), can_lead=i <= 3) for i in range(1, 9)]
    result = propose(people, [GroupNeed(1, "第一组", ()), GroupNeed(2, "第二组", ())])
    assert not result.ok
    assert result.reasons == ["各组合计至少需要 10 人，回避后可用人员只有 8 人。"]


def test_same_input_same_proposal():
    people = _pool(200, 20)
    groups = [GroupNeed(g, f"第{g}组", NEEDS) for g in (1, 2)]
    first = propose(people, groups)
    second = propose(people, groups)
    assert {g: [(p.candidate_id, p.role) for p in v] for g, v in first.groups.items()} == {
        g: [(p.candidate_id, p.role) for p in v] for g, v in second.groups.items()}


# --- through the service -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_proposal_build_applies_recusal_and_apply_adds_members(world):
    round_ = make_round(world.county_a)
    group = make_group(round_, 1, targets=[world.unit_a])
    people = []
    for i, value in enumerate(("finance", "audit", "discipline", "organization", "law", "writing", "finance")):
        cadre = person(f"库员{i}", world.unit_b if i != 0 else world.unit_a, skills=[value])
        pool(cadre, world.county_a, c.PoolKind.LEADER if i < 2 else c.PoolKind.TALENT)
        people.append(cadre)
    view = proposal_build(actor=world.users["office_a"], round=round_, groups=[group],
                          needs={"finance": 1, "audit": 1, "discipline": 1})
    assert view.result.ok, view.result.reasons
    chosen = {p.candidate_id for p in view.result.groups[group.pk]}
    assert people[0].pk not in chosen  # works in the target unit
    assert view.blocked_count == 1
    rows = [{"cadre": view.cadres[p.candidate_id], "role": p.role, "is_party_secretary": p.is_party_secretary,
             "is_conduct_supervisor": p.is_conduct_supervisor} for p in view.result.groups[group.pk]]
    added = proposal_apply(actor=world.users["office_a"], group=group, rows=rows)
    assert len(added) == 6
    assert sum(m.role == "leader" for m in added) == 1


@pytest.mark.django_db
def test_proposal_build_explains_missing_speciality(world):
    round_ = make_round(world.county_a)
    group = make_group(round_, 3, targets=[world.unit_a])
    for i in range(6):
        pool(person(f"库员{i}", world.unit_b, skills=["finance"]), world.county_a,
             c.PoolKind.LEADER if i == 0 else c.PoolKind.TALENT)
    view = proposal_build(actor=world.users["office_a"], round=round_, groups=[group], needs={"audit": 1})
    assert not view.result.ok
    assert view.result.reasons == ["第三巡察组所需 审计 专长人员不足：需要 1 人，可用 0 人。"]


def test_shortlist_keeps_the_optimum():
    import random

    rng = random.Random(5)
    people = [Candidate(i, f"人员{i}", frozenset(rng.sample(SKILLS, rng.choice((1, 2)))), can_lead=rng.random() < 0.1,
                        workload=rng.choice((0, 1, 2, 3))) for i in range(1, 301)]
    groups = [GroupNeed(g, f"第{g}组", NEEDS) for g in (1, 2, 3)]
    blocked = {(p.id, g.id) for p in people for g in groups if rng.random() < 0.2}

    def total(result):
        by_id = {p.id: p for p in people}
        return sum(1 + 10 * by_id[p.candidate_id].workload for placed in result.groups.values() for p in placed)

    pruned = propose(people, groups, blocked)
    full = propose(people, groups, blocked, params=Params(prune=False, time_limit=20))
    assert pruned.status == full.status == "optimal"
    assert pruned.stats["in_model"] < len(people)
    assert total(pruned) == total(full)
