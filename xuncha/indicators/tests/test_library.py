"""The shipped library, the tree, templates per kind of target, and versioning (copy, publish, supersede)."""

import pytest
from django.core.exceptions import ValidationError

from xuncha.core.models import ChangeLog
from xuncha.indicators import selectors, services
from xuncha.indicators.choices import KIND_CATEGORIES, SetStatus, TargetKind, kind_for_category
from xuncha.indicators.models import Indicator, IndicatorSet, InspectionChecklist

from .factories import builtin, draft_copy, field, leaf

pytestmark = pytest.mark.django_db


def test_shipped_library_has_four_areas_and_three_levels():
    s = builtin()
    assert s.authority_id is None and s.status == SetStatus.PUBLISHED
    counts = {level: s.indicators.filter(level=level).count() for level in (1, 2, 3)}
    assert counts[1] == 4 and 10 <= counts[2] <= 14 and 40 <= counts[3] <= 60
    titles = list(s.indicators.filter(level=1).order_by("order").values_list("title", flat=True))
    assert "全面从严治党" in titles[1] and "组织路线" in titles[2] and "整改" in titles[3]
    for item in s.indicators.filter(level=3):
        assert item.guidance and item.evidence, item.code
        assert item.parent.level == 2 and item.parent.parent.level == 1
        assert item.root_id == item.parent.parent_id and item.top == item.parent.parent
    area = leaf(s, "1")
    assert area.top == area and area.root_id == area.pk


def test_indicator_tree_in_one_query(django_assert_num_queries):
    s = builtin()
    with django_assert_num_queries(1):
        tree = selectors.indicator_tree(s)
    assert [n.indicator.code for n in tree] == ["1", "2", "3", "4"]
    assert sum(len(n.leaves) for n in tree) == s.indicators.filter(level=3).count()
    assert [c.indicator.code for c in tree[0].children] == ["1.1", "1.2", "1.3"]


def test_templates_differ_per_kind_of_target():
    s = builtin()
    templates = {t.kind: {i.code for i in t.items.all()} for t in s.templates.all()}
    assert set(templates) == set(TargetKind.values)
    assert "1.2.3" in templates["soe"] and "1.2.3" not in templates["organ"]  # 党的领导融入公司治理
    assert "2.3.5" in templates["village"] and "2.3.5" not in templates["soe"]  # 农村集体“三资”
    assert "3.3.5" in templates["village"] and "3.3.5" not in templates["township"]  # 四议两公开
    assert len(templates["village"]) < len(templates["organ"]) / 2
    for codes in templates.values():
        assert set(s.indicators.filter(code__in=codes).values_list("level", flat=True)) == {3}


@pytest.mark.parametrize(("category", "kind"), [("organ", "organ"), ("soe", "soe"), ("school", "institution"),
                                                ("hospital", "institution"), ("township", "township"),
                                                ("village", "village"), ("mass_org", "organ"), ("unknown", "organ")])
def test_unit_categories_map_to_a_template_kind(category, kind):
    assert kind_for_category(category) == kind
    assert all(cat in dict.fromkeys(sum(KIND_CATEGORIES.values(), ())) for cat in KIND_CATEGORIES[kind])


def test_template_for_unit_follows_its_category(world):
    from xuncha.core.testing.world import make_unit

    s = builtin()
    village = make_unit("青阳县青山村", world.county_a, category="village")
    assert selectors.template_for(s, village).kind == "village"
    assert selectors.template_for(s, world.unit_a).kind == "organ"


def test_copy_makes_a_draft_with_the_same_tree_and_templates(world):
    copy = draft_copy(world, "a")
    source = builtin()
    assert copy.status == SetStatus.DRAFT and copy.authority == world.county_a and copy.version == 1
    assert copy.based_on == source
    assert copy.indicators.count() == source.indicators.count()
    assert set(copy.indicators.values_list("code", "level", "title")) == set(
        source.indicators.values_list("code", "level", "title"))
    item = leaf(copy, "3.2.4")
    assert item.parent.code == "3.2" and item.root.code == "3" and item.root.indicator_set == copy
    village = copy.templates.get(kind="village")
    assert {i.code for i in village.items.all()} == {i.code for i in source.templates.get(kind="village").items.all()}
    assert all(i.indicator_set_id == copy.pk for i in village.items.all())
    assert ChangeLog.objects.filter(object_id=str(copy.pk), content_type__model="indicatorset").count() == 1
    again = draft_copy(world, "a")
    assert again.version == 2  # the same name in the same authority: the next version


def test_publish_supersedes_the_previous_version_and_keeps_it_for_its_inspections(world):
    f = field(world)
    office = world.users["office_a"]
    v1 = draft_copy(world, "a")
    services.indicatorset_publish(actor=office, instance=v1)
    v1.refresh_from_db()
    assert v1.status == SetStatus.PUBLISHED and v1.published_by == office
    assert services.default_set_for(f.inspection) == v1  # the county's own library before the built-in
    result = services.result_record(actor=f.leader, inspection=f.inspection, unit=world.unit_a,
                                    indicator=leaf(v1, "2.2.1"), result="problem", notes="超标准接待。")
    v2 = services.indicatorset_copy(actor=office, source=v1, authority=world.county_a)
    assert v2.version == 2 and v2.status == SetStatus.DRAFT
    services.indicator_update(actor=office, instance=leaf(v2, "2.2.1"), data={
        "code": "2.2.1", "title": "公务接待和公务用车管理情况", "guidance": "新的检查要点。", "evidence": "", "order": 40})
    services.indicatorset_publish(actor=office, instance=v2)
    v1.refresh_from_db()
    assert v1.status == SetStatus.SUPERSEDED
    # The inspection stays on v1: its result, its indicator and the old title are unchanged.
    assert InspectionChecklist.objects.get(inspection=f.inspection).indicator_set == v1
    result.refresh_from_db()
    assert result.indicator.indicator_set == v1 and result.indicator.title == "公务接待、公务用车和办公用房管理情况"
    assert services.default_set_for(f.other) == v2  # a new inspection gets the new version
    # Recording on the bound (now superseded) version still works for its inspection.
    services.result_record(actor=f.leader, inspection=f.inspection, unit=world.unit_a, indicator=leaf(v1, "2.2.2"),
                           result="compliant")


def test_published_set_cannot_be_edited_or_deleted(world):
    office = world.users["office_a"]
    s = draft_copy(world, "a")
    services.indicatorset_publish(actor=office, instance=s)
    with pytest.raises(ValidationError, match="已发布的指标体系不能修改"):
        services.indicator_update(actor=office, instance=leaf(s, "1.1.1"), data={"code": "1.1.1", "title": "改"})
    with pytest.raises(ValidationError, match="已发布的指标体系不能修改"):
        services.indicatorset_update(actor=office, instance=s, data={"name": "新名称", "description": ""})
    with pytest.raises(ValidationError, match="已发布的指标体系不能修改"):
        services.indicatorset_delete(actor=office, instance=s)
    with pytest.raises(ValidationError, match="只有草稿可以发布"):
        services.indicatorset_publish(actor=office, instance=s)
    assert IndicatorSet.objects.filter(pk=s.pk).exists()


def test_editing_a_draft_tree(world):
    office = world.users["office_a"]
    s = draft_copy(world, "a")
    area = services.indicator_create(actor=office, indicator_set=s, parent=None,
                                     data={"code": "5", "title": "意识形态工作专项", "guidance": "", "evidence": ""})
    assert area.level == 1 and area.root_id == area.pk
    assert services.publish_errors(s) == ["以下指标没有下级指标：5。一级、二级指标下应至少有一个下级指标。"]
    sub = services.indicator_create(actor=office, indicator_set=s, parent=area,
                                    data={"code": "5.1", "title": "阵地管理", "guidance": "", "evidence": ""})
    item = services.indicator_create(actor=office, indicator_set=s, parent=sub,
                                     data={"code": "5.1.1", "title": "网站和新媒体审核", "guidance": "查审核记录。",
                                           "evidence": "审核台账。"})
    assert (sub.level, item.level, item.root_id, item.parent_id) == (2, 3, area.pk, sub.pk)
    assert services.publish_errors(s) == []
    with pytest.raises(ValidationError) as error:
        services.indicator_create(actor=office, indicator_set=s, parent=item, data={"code": "5.1.1.1", "title": "x"})
    assert "三级指标下不能再添加下级指标" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.indicator_create(actor=office, indicator_set=s, parent=sub, data={"code": "5.1.1", "title": "重复"})
    assert "编码“5.1.1”在本指标体系中已存在" in str(error.value)
    with pytest.raises(ValidationError, match="还有下级指标"):
        services.indicator_delete(actor=office, instance=sub)
    template = s.templates.get(kind="organ")
    services.template_update(actor=office, instance=template, items=[*template.items.all(), item], name=template.name)
    assert template.items.filter(pk=item.pk).exists()
    services.indicator_delete(actor=office, instance=item)
    assert not Indicator.objects.filter(pk=item.pk).exists() and not template.items.filter(pk=item.pk).exists()
    with pytest.raises(ValidationError, match="不是本指标体系的三级指标"):
        services.template_update(actor=office, instance=template, items=[leaf(s, "1.1")], name=template.name)


def test_county_cannot_copy_into_or_publish_the_city_library(world):
    city_draft = draft_copy(world, "city")
    with pytest.raises(ValidationError, match="不在您的授权范围内"):
        services.indicatorset_copy(actor=world.users["office_a"], source=builtin(), authority=world.city)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.indicatorset_publish(actor=world.users["office_a"], instance=city_draft)
    with pytest.raises(PermissionDenied):  # a draft of the city is not even readable by the county
        services.indicatorset_copy(actor=world.users["office_a"], source=city_draft, authority=world.county_a)
