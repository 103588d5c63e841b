"""Cross inspection: the CP-SAT solver (feasible; infeasible with its explanation; recusal
respected; no self-inspection; no mutual inspection) and the plan's workflow."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from xuncha.teams import choices as c
from xuncha.teams.models import CrossPair, GroupMember
from xuncha.teams.services import (
    crosspair_name_liaison,
    crossplan_confirm,
    crossplan_create,
    crossplan_solve,
)
from xuncha.teams.solvers.cross import County, CrossParams, Person, chinese_ordinal, solve

from .factories import make_round, person, pool

SKILLS = ("finance", "audit", "discipline", "organization", "law", "writing")
LABELS = {"finance": "财务", "audit": "审计", "discipline": "纪检"}


def _world(n: int, per_county: int = 8, leaders: int | None = None):
    counties = [County(i, f"县{i}") for i in range(1, n + 1)]
    members = {county.id: [Person(county.id * 100 + j, f"县{county.id}人员{j}", frozenset({SKILLS[j % 6]}))
                           for j in range(per_county)] for county in counties}
    chiefs = [Person(10_000 + i, f"市组长{i}") for i in range(leaders if leaders is not None else n + 1)]
    return counties, chiefs, members


def _check(result, counties, members, blocked, size=7):
    assert result.ok, result.reasons
    sources = [p.source for p in result.pairs]
    targets = [p.target for p in result.pairs]
    assert sorted(sources) == sorted(c.id for c in counties)
    assert sorted(targets) == sorted(c.id for c in counties)
    edges = {(p.source, p.target) for p in result.pairs}
    for p in result.pairs:
        assert p.source != p.target  # no county inspects itself
        assert (p.target, p.source) not in edges  # no two counties inspect each other
        assert len(p.members) == size - 1
        assert {m // 100 for m in p.members} == {p.source}  # the sending county's people
        for m in p.members:
            assert (m, p.target) not in blocked  # recusal holds for every member
        assert (p.leader, p.target) not in blocked
    assert len({p.leader for p in result.pairs}) == len(result.pairs)


def test_feasible_formation():
    counties, chiefs, members = _world(6)
    result = solve(counties, chiefs, members, params=CrossParams(needs={"finance": 1, "audit": 1}))
    _check(result, counties, members, set())
    for p in result.pairs:
        skills = set().union(*(next(x for x in members[p.source] if x.id == m).skills for m in p.members))
        assert {"finance", "audit"} <= skills


def test_three_counties_form_a_cycle():
    counties, chiefs, members = _world(3)
    result = solve(counties, chiefs, members)
    _check(result, counties, members, set())


def test_recusal_is_respected_for_members_and_leaders():
    counties, chiefs, members = _world(5, per_county=7)
    blocked = set()
    # county 1's people have ties to county 2 except exactly six of them; county 3's to 4 and 5
    for person_ in members[1][:3]:
        blocked.add((person_.id, 2))
    for person_ in members[3]:
        blocked |= {(person_.id, 4), (person_.id, 5)}
    for chief in chiefs[:4]:
        blocked |= {(chief.id, 1), (chief.id, 2)}
    result = solve(counties, chiefs, members, blocked)
    _check(result, counties, members, blocked)
    by_source = {p.source: p.target for p in result.pairs}
    assert by_source[3] not in (4, 5)


def test_two_counties_cannot_avoid_mutual_inspection():
    counties, chiefs, members = _world(2)
    result = solve(counties, chiefs, members)
    assert not result.ok
    assert result.reasons == ["县区数为 2 时无法满足“两县不得互查”：县1与县2只能互相巡察。请增加参加交叉巡察的县区。"]


def test_infeasible_when_recusal_leaves_no_target():
    counties, chiefs, members = _world(4, per_county=6)
    blocked = {(p.id, t) for p in members[1] for t in (2, 3, 4)}
    result = solve(counties, chiefs, members, blocked)
    assert not result.ok
    assert "县1的人员因回避无法组成巡察其他任何县区的巡察组。" in result.reasons


def test_infeasible_speciality_and_leaders_are_explained():
    counties, chiefs, members = _world(4, per_county=7, leaders=2)
    members[3] = [Person(300 + j, f"县3人员{j}", frozenset({"finance"})) for j in range(7)]
    result = solve(counties, chiefs, members, params=CrossParams(needs={"audit": 1}), labels=LABELS)
    assert not result.ok
    assert "可担任组长的市管县处级干部不足：需要 4 人，组长库中符合条件的只有 2 人。" in result.reasons
    assert "县3派出组所需 审计 专长人员不足：需要 1 人，可用 0 人。" in result.reasons


def test_infeasible_matching_is_explained_by_the_solver_core():
    # Counties 1 and 2 can only inspect county 3 (recusal): prechecks pass per county, the
    # one-to-one assignment cannot.
    counties, chiefs, members = _world(4, per_county=6)
    blocked = {(p.id, t) for county in (1, 2) for p in members[county] for t in (1, 2, 4) if t != county}
    result = solve(counties, chiefs, members, blocked)
    assert not result.ok
    assert any("一一对应" in r for r in result.reasons)


def test_previous_pairs_are_avoided_when_possible():
    # last round's pairing is not repeated, in either direction (B inspecting A after A inspected B
    # looks like a return visit)
    counties, chiefs, members = _world(6)
    first = solve(counties, chiefs, members)
    avoid = frozenset((p.source, p.target) for p in first.pairs)
    second = solve(counties, chiefs, members, params=CrossParams(avoid_pairs=avoid))
    undirected = {frozenset(edge) for edge in avoid}
    assert not undirected & {frozenset((p.source, p.target)) for p in second.pairs}


def test_chinese_ordinals():
    assert [chinese_ordinal(n) for n in (1, 10, 11, 20, 21, 100, 105, 110)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百零五", "一百一十"]


# --- the plan through the services ---------------------------------------------------------------------


def _county_world(world):
    """A third county, pools for the three counties, and city leaders of county level."""
    from xuncha.core.testing.world import make_region, make_unit

    county_c = make_region("松山县", "990123", "county", world.city)
    targets = {world.county_a: world.unit_a, world.county_b: world.unit_b,
               county_c: make_unit("松山县教育局", county_c)}
    people = {}
    for county, target in targets.items():
        people[county.pk] = []
        for j in range(6):
            cadre = person(f"{county.name[:2]}干部{j}", target if j == 0 else make_unit(
                f"{county.name}单位{j}", county), skills=[SKILLS[j]])
            pool(cadre, county)
            people[county.pk].append(cadre)
    leaders = []
    for i in range(4):
        chief = person(f"市组长{i}", world.unit_city, post="副局长", rank="division_2")
        pool(chief, world.city, c.PoolKind.LEADER)
        leaders.append(chief)
    return county_c, targets, people, leaders


@pytest.mark.django_db
def test_plan_solve_name_liaisons_and_confirm(world):
    county_c, targets, people, leaders = _county_world(world)
    round_ = make_round(world.city, kind="cross", start=datetime.date(2026, 12, 15))
    office = world.users["city_office"]
    plan = crossplan_create(actor=office, round=round_, data={"group_size": 6, "needs": {"finance": 1},
                                                              "targets": list(targets.values())})
    assert plan.checklist.count() == 6
    plan = crossplan_solve(actor=office, plan=plan)
    assert plan.status == c.CrossStatus.SOLVED, plan.reasons
    pairs = list(CrossPair.objects.filter(plan=plan))
    assert len(pairs) == 3
    for pair in pairs:
        assert pair.source_county_id != pair.target_county_id
        # each county's own cadre working in the target unit (person 0) never inspects it
        assert all(pk != people[pair.target_county_id][0].pk for pk in pair.member_ids)
    # the inspected county names its liaison; another county may not
    pair_a = next(p for p in pairs if p.target_county_id == world.county_a.pk)
    with pytest.raises(ValidationError, match="被巡察县区"):
        crosspair_name_liaison(actor=world.users["office_b"], pair=pair_a, cadre=world.cadre_a)
    crosspair_name_liaison(actor=world.users["office_a"], pair=pair_a, cadre=world.cadre_a)
    for pair in pairs:
        if pair.pk != pair_a.pk:
            liaison = people[pair.target_county_id][1]
            crosspair_name_liaison(actor=office, pair=pair, cadre=liaison)
    crossplan_confirm(actor=office, plan=plan)
    plan.refresh_from_db()
    assert plan.status == c.CrossStatus.CONFIRMED
    members = GroupMember.objects.filter(round=round_)
    assert members.count() == 3 * 6
    assert members.filter(role=c.MemberRole.LEADER).count() == 3
    assert set(members.filter(role=c.MemberRole.LEADER).values_list("cadre__region", flat=True)) == {world.city.pk}


@pytest.mark.django_db
def test_plan_with_two_counties_is_infeasible_with_its_reason(world):
    round_ = make_round(world.city, kind="cross")
    for county in (world.county_a, world.county_b):
        for j in range(6):
            pool(person(f"{county.name}{j}", world.unit_a if county == world.county_a else world.unit_b), county)
    chief = person("市组长", world.unit_city, post="局长", rank="division_1")
    pool(chief, world.city, c.PoolKind.LEADER)
    plan = crossplan_create(actor=world.users["city_office"], round=round_, data={"needs": {}})
    plan = crossplan_solve(actor=world.users["city_office"], plan=plan)
    assert plan.status == c.CrossStatus.INFEASIBLE
    assert plan.reasons == ["县区数为 2 时无法满足“两县不得互查”：青阳县与桐溪县只能互相巡察。请增加参加交叉巡察的县区。"]


@pytest.mark.django_db
def test_only_cross_rounds_can_be_planned(world):
    round_ = make_round(world.city, kind="regular")
    with pytest.raises(ValidationError, match="交叉巡察"):
        crossplan_create(actor=world.users["city_office"], round=round_, data={})


def test_least_used_people_and_leaders_go():
    counties, _, members = _world(4, per_county=9)
    for county in counties:  # the last two of each pool served recently; the group needs 6 of 9
        members[county.id] = [Person(p.id, p.name, p.skills, 2 if j >= 7 else 0) for j, p in
                              enumerate(members[county.id])]
    chiefs = [Person(10_000 + i, f"市组长{i}", workload=0 if i < 4 else 3) for i in range(8)]
    result = solve(counties, chiefs, members, params=CrossParams(group_size=7, needs={"finance": 1}))
    assert result.ok
    for pair in result.pairs:
        assert all(m % 100 < 7 for m in pair.members)
    assert {p.leader for p in result.pairs} == {10_000, 10_001, 10_002, 10_003}
