"""Each recusal rule, with the reason text naming the rule and the record (pure functions and the
ORM loader)."""

import datetime

import pytest

from xuncha.teams import recusal
from xuncha.teams.models import RecusalDeclaration

from .factories import TODAY, person, unit

D = datetime.date


def _check(cadre, target_unit, today=TODAY):
    return recusal.blocks_for([cadre.pk], [target_unit.pk], today=today).get((cadre.pk, target_unit.pk), [])


# --- pure functions -------------------------------------------------------------------------------------


def test_leadership_levels():
    assert recusal.leadership_level("党组书记、局长") == 3
    assert recusal.leadership_level("党委副书记、镇长") == 3
    assert recusal.leadership_level("党组成员、副局长") == 2
    assert recusal.leadership_level("派驻纪检监察组组长") == 2
    assert recusal.leadership_level("办公室主任") == 1
    assert recusal.leadership_level("财务科科长") == 1
    assert recusal.leadership_level("科员") == 0


def test_worked_boundary_is_three_years_to_the_day():
    target = recusal.Target(1, "青阳县教育局")
    cutoff = recusal.years_before(TODAY, 3)
    left_on_cutoff = recusal.Person(7, "甲", (recusal.Post(1, "青阳县教育局", "科员", D(2018, 1, 1), cutoff),))
    left_day_before = recusal.Person(8, "乙", (recusal.Post(1, "青阳县教育局", "科员", D(2018, 1, 1),
                                                            cutoff - datetime.timedelta(days=1)),))
    blocks = recusal.check(left_on_cutoff, target, today=TODAY)
    assert [b.rule for b in blocks] == ["worked"]
    assert blocks[0].text == "2018年1月至2023年11月在青阳县教育局任科员（工作经历，离任未满3年）"
    assert recusal.check(left_day_before, target, today=TODAY) == []


def test_superior_needs_overlapping_dates_and_a_leading_post():
    leader = recusal.Person(1, "王局", (recusal.Post(9, "X局", "局长", D(2019, 1, 1), D(2022, 6, 30)),
                                        recusal.Post(5, "目标局", "局长", D(2022, 7, 1), None)), current_post="局长")
    target = recusal.Target(5, "目标局", leaders=(leader,))
    overlapping = recusal.Person(2, "甲", (recusal.Post(9, "X局", "科员", D(2021, 1, 1), D(2023, 1, 1)),))
    after = recusal.Person(3, "乙", (recusal.Post(9, "X局", "科员", D(2022, 8, 1), D(2024, 1, 1)),))
    peer = recusal.Person(4, "丙", (recusal.Post(9, "X局", "副局长", D(2021, 1, 1), D(2022, 1, 1)),))
    assert [b.rule for b in recusal.check(overlapping, target, today=TODAY)] == ["superior"]
    assert recusal.check(after, target, today=TODAY) == []
    # a deputy under the head is a subordinate too (3 over 2)
    assert [b.rule for b in recusal.check(peer, target, today=TODAY)] == ["superior"]


def test_department_head_leads_only_their_department():
    head = recusal.Person(1, "李科", (recusal.Post(9, "X局", "财务科科长", D(2019, 1, 1), None),),
                          current_post="财务科科长")
    target = recusal.Target(9, "X局", leaders=(head,))
    same_department = recusal.Person(2, "甲", (recusal.Post(9, "X局", "财务科科员", D(2020, 1, 1), D(2020, 12, 1)),))
    other_department = recusal.Person(3, "乙", (recusal.Post(9, "X局", "人事科科员", D(2020, 1, 1), D(2020, 12, 1)),))
    assert "superior" in [b.rule for b in recusal.check(same_department, target, today=TODAY)]
    assert "superior" not in [b.rule for b in recusal.check(other_department, target, today=TODAY)]


# --- each rule through the ORM loader ---------------------------------------------------------------------


@pytest.mark.django_db
def test_worked_there_now(world):
    cadre = person("刘现任", world.unit_a, history=[(world.unit_a, "科员", D(2024, 1, 5), None)])
    blocks = _check(cadre, world.unit_a)
    assert [(b.rule, b.text) for b in blocks] == [("worked", "2024年1月至今在青阳县教育局任科员（工作经历）")]
    assert blocks[0].rule_label == "近三年在该单位工作"


@pytest.mark.django_db
def test_worked_there_boundary(world):
    within = person("陈三年", world.unit_b, history=[(world.unit_a, "副科长", D(2019, 3, 1), D(2023, 11, 30))])
    beyond = person("周四年", world.unit_b, history=[(world.unit_a, "副科长", D(2019, 3, 1), D(2023, 11, 29))])
    assert [b.text for b in _check(within, world.unit_a)] == [
        "2019年3月至2023年11月在青阳县教育局任副科长（工作经历，离任未满3年）"]
    assert _check(beyond, world.unit_a) == []


@pytest.mark.django_db
def test_current_unit_counts_without_work_history(world):
    cadre = person("赵在岗", world.unit_a, post="副局长")
    assert [b.text for b in _check(cadre, world.unit_a)] == ["（起始日期不详）至今在青阳县教育局任副局长（干部信息）"]


@pytest.mark.django_db
def test_worked_in_a_subordinate_unit(world):
    school = unit("青阳县第一中学", world.county_a, parent=world.unit_a, category="school")
    cadre = person("孙教师", world.unit_b, history=[(school, "教师", D(2022, 9, 1), D(2025, 7, 1))])
    assert [b.text for b in _check(cadre, world.unit_a)] == [
        "2022年9月至2025年7月在青阳县第一中学（青阳县教育局下属单位）任教师（工作经历，离任未满3年）"]


@pytest.mark.django_db
def test_spouse_or_relative_works_there(world):
    spouse = person("李丈夫", world.unit_b, family=[("spouse", "李晓梅", world.unit_a, "会计")])
    brother = person("王弟弟", world.unit_b, family=[("sibling", "王大哥", world.unit_a, "")])
    elsewhere = person("吴无关", world.unit_b, family=[("spouse", "吴某", world.unit_b, "教师")])
    assert [(b.rule, b.text) for b in _check(spouse, world.unit_a)] == [
        ("family", "配偶李晓梅在该单位任会计（家庭成员）")]
    assert [b.text for b in _check(brother, world.unit_a)] == ["兄弟姐妹王大哥在该单位工作（家庭成员）"]
    assert _check(elsewhere, world.unit_a) == []


@pytest.mark.django_db
def test_former_direct_superior_leads_the_target(world):
    old = unit("青阳县财政局", world.county_a)
    person("王局长", world.unit_a, post="党组书记、局长",
           history=[(old, "局长", D(2019, 1, 1), D(2022, 6, 30)), (world.unit_a, "党组书记、局长", D(2022, 7, 1), None)])
    staff = person("郑科员", world.unit_b, history=[(old, "科员", D(2018, 5, 1), D(2023, 2, 1))])
    blocks = _check(staff, world.unit_a)
    assert [(b.rule, b.text) for b in blocks] == [(
        "superior",
        "该单位负责人王局长（党组书记、局长）曾为其直接上级：2019—2022年同在青阳县财政局，王局长任局长，本人任科员（工作经历）")]


@pytest.mark.django_db
def test_former_direct_subordinate_leads_the_target(world):
    old = unit("青阳县审计局", world.county_a)
    person("钱副局", world.unit_a, post="党组成员、副局长",
           history=[(old, "科员", D(2016, 1, 1), D(2020, 12, 31)), (world.unit_a, "党组成员、副局长", D(2021, 1, 1), None)])
    boss = person("冯局长", world.unit_b, post="局长", history=[(old, "局长", D(2015, 1, 1), D(2019, 12, 31))])
    blocks = _check(boss, world.unit_a)
    assert [b.rule for b in blocks] == ["subordinate"]
    assert blocks[0].text == ("该单位负责人钱副局（党组成员、副局长）曾为其直接下级：2016—2019年同在青阳县审计局，"
                              "本人任局长，钱副局任科员（工作经历）")


@pytest.mark.django_db
def test_no_relation_between_staff(world):
    old = unit("青阳县审计局", world.county_a)
    person("科员甲", world.unit_a, post="科员", history=[(old, "科员", D(2016, 1, 1), D(2020, 12, 31))])
    other = person("科员乙", world.unit_b, history=[(old, "科员", D(2017, 1, 1), D(2019, 12, 31))])
    assert _check(other, world.unit_a) == []


@pytest.mark.django_db
def test_own_declaration_and_unit_request(world):
    cadre = person("褚申请", world.unit_b)
    RecusalDeclaration.objects.create(authority=world.county_a, kind="self", cadre=cadre, unit=world.unit_a,
                                      reason="曾与该局主要负责人有经济往来", declared_on=D(2026, 11, 2))
    RecusalDeclaration.objects.create(authority=world.county_a, kind="unit", cadre=cadre, unit=world.unit_a,
                                      reason="该同志近期参与本局项目评审", declared_on=D(2026, 11, 3))
    RecusalDeclaration.objects.create(authority=world.county_a, kind="unit", cadre=cadre, unit=world.unit_a,
                                      reason="已撤回", declared_on=D(2026, 11, 4), is_active=False)
    assert [(b.rule, b.text) for b in _check(cadre, world.unit_a)] == [
        ("declared", "本人申请回避：曾与该局主要负责人有经济往来（回避申请，2026-11-02）"),
        ("unit_request", "被巡察单位青阳县教育局提出回避：该同志近期参与本局项目评审（单位提出，2026-11-03）"),
    ]


@pytest.mark.django_db
def test_loader_query_count_does_not_grow(world, django_assert_max_num_queries):
    people = [person(f"批量{i}", world.unit_b, history=[(world.unit_a, "科员", D(2020, 1, 1), D(2021, 1, 1))],
                     family=[("spouse", f"配偶{i}", world.unit_a, "")]) for i in range(30)]
    with django_assert_max_num_queries(12):
        blocked = recusal.blocks_for([p.pk for p in people], [world.unit_a.pk, world.unit_b.pk], today=TODAY)
    assert len(blocked) == 60


def test_check_many_equals_checking_every_pair():
    import random

    rng = random.Random(3)
    units = list(range(1, 41))

    def career(pid):
        posts = []
        end = None
        for _ in range(rng.randint(1, 3)):
            start = D(2010 + rng.randint(0, 15), rng.randint(1, 12), 1)
            posts.append(recusal.Post(rng.choice(units), "单位", rng.choice(("科员", "局长", "副局长", "财务科科长")),
                                      start, end if end is None or end > start else None))
            end = start
        return tuple(posts)

    leaders = [recusal.Person(1000 + i, f"领导{i}", career(i), (), "局长") for i in range(30)]
    targets = [recusal.Target(u, f"单位{u}", {u + 100: "下属"} if u % 5 == 0 else {}, tuple(leaders[u % 30:u % 30 + 2]))
               for u in units[:10]]
    people = [recusal.Person(i, f"人员{i}", career(i), (recusal.Relative("配偶", "某", rng.choice(units + [105])),)
                             if i % 3 == 0 else ()) for i in range(1, 120)]
    declarations = [recusal.Declaration(7, 3, "self", "申请"), recusal.Declaration(8, 4, "unit", "单位提出")]
    fast = recusal.check_many(people, targets, today=TODAY, declarations=declarations)
    slow = {}
    for someone in people:
        for target in targets:
            blocks = recusal.check(someone, target, today=TODAY, declarations=declarations)
            if blocks:
                slow[(someone.id, target.unit_id)] = blocks
    assert fast == slow and len(fast) > 20
