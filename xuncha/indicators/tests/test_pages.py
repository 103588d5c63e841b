"""The library pages: list, tree, templates, copy, publish, edit a draft; who may open them."""

import pytest
from django.urls import reverse

from xuncha.core.testing.resources import covers
from xuncha.indicators.choices import SetStatus
from xuncha.indicators.models import Indicator, IndicatorSet

from .factories import builtin, draft_copy, leaf

pytestmark = pytest.mark.django_db
covers("indicators:indicatorset_list", "indicators:indicatorset_detail", "indicators:indicatorset_edit",
       "indicators:indicatorset_publish", "indicators:indicatorset_delete", "indicators:indicatorset_copy",
       "indicators:indicatorset_indicator_add", "indicators:indicator_edit", "indicators:indicator_delete",
       "indicators:indicatortemplate_detail", "indicators:indicatortemplate_edit",
       "api:indicatorset-list", "api:indicatorset-detail", "api:indicator-list", "api:indicator-detail",
       "api:indicatorresult-list", "api:indicatorresult-detail", "api:decisioncheck-list", "api:decisioncheck-detail")


def test_list_shows_what_each_office_reads(world, login):
    city_draft = draft_copy(world, "city", name="江城市巡察指标体系")
    city_published = draft_copy(world, "city", name="江城市巡察指标体系（已发布）")
    from xuncha.indicators import services

    services.indicatorset_publish(actor=world.users["city_office"], instance=city_published)
    mine = draft_copy(world, "a", name="青阳县巡察指标体系")
    theirs = draft_copy(world, "b", name="桐溪县巡察指标体系")
    body = login(world.users["office_a"]).get(reverse("indicators:indicatorset_list")).content.decode()
    assert builtin().name in body and "平台内置" in body
    assert mine.name in body and city_published.name in body
    assert city_draft.name + "<" not in body and theirs.name not in body  # drafts of others, other counties
    assert login(world.users["office_a"]).get(reverse("indicators:indicatorset_detail", args=[city_draft.pk])
                                              ).status_code == 404
    assert login(world.users["liaison_a"]).get(reverse("indicators:indicatorset_list")).status_code == 403
    assert login(world.users["nobody"]).get(reverse("indicators:indicatorset_list")).status_code == 403


def test_set_list_query_count_is_constant(world, login, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.users["office_a"])
    draft_copy(world, "a")
    client.get(reverse("indicators:indicatorset_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("indicators:indicatorset_list"))
    for _ in range(3):
        draft_copy(world, "a")
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("indicators:indicatorset_list")).content.decode()
    assert "第4版" in body
    assert len(many.captured_queries) == len(few.captured_queries)
    with CaptureQueriesContext(connection) as detail:
        assert client.get(reverse("indicators:indicatorset_detail", args=[builtin().pk])).status_code == 200
    assert len(detail.captured_queries) < 20  # the tree in one query, not one per indicator


def test_tree_page_is_collapsible_and_shows_guidance(world, login):
    client = login(world.users["office_a"])
    body = client.get(reverse("indicators:indicatorset_detail", args=[builtin().pk])).content.decode()
    assert body.count("<details open") == 16  # 4 areas + 12 sub-areas
    assert "检查要点：" in body and "典型佐证材料：" in body
    assert "全部收起" in body
    assert "发布" not in body.split("page-actions")[1].split("</div>")[0].replace("发布时间", "")
    template = builtin().templates.get(kind="village")
    body = client.get(reverse("indicators:indicatortemplate_detail", args=[template.pk])).content.decode()
    assert "18 项检查事项" in body and "村（社区）巡察指标模板" in body and "village" in body


def test_copy_edit_and_publish_through_the_pages(world, login):
    client = login(world.users["office_a"])
    response = client.post(reverse("indicators:indicatorset_copy", args=[builtin().pk]),
                           {"authority": world.county_a.pk, "name": "青阳县巡察指标体系"})
    assert response.status_code == 302
    draft = IndicatorSet.objects.get(authority=world.county_a)
    assert draft.status == SetStatus.DRAFT and draft.name == "青阳县巡察指标体系"
    detail = reverse("indicators:indicatorset_detail", args=[draft.pk])
    body = client.get(detail).content.decode()
    assert "添加一级指标" in body and "删除草稿" in body and 'id="publish-button"' in body
    response = client.post(reverse("indicators:indicatorset_edit", args=[draft.pk]),
                           {"name": "青阳县巡察指标体系（2026）", "description": "结合本县实际。"})
    assert response.status_code == 302
    area = leaf(draft, "1")
    add = reverse("indicators:indicatorset_indicator_add", args=[draft.pk])
    assert client.get(add, {"parent": area.pk}).status_code == 200
    response = client.post(f"{add}?parent={area.pk}", {"code": "1.4", "title": "新增二级指标"})
    assert response.status_code == 302
    sub = leaf(draft, "1.4")
    assert sub.level == 2 and sub.parent == area
    response = client.post(f"{add}?parent={area.pk}", {"code": "1.4", "title": "重复的编码"})
    assert response.status_code == 200 and "编码“1.4”在本指标体系中已存在" in response.content.decode()
    response = client.post(f"{add}?parent={area.pk}", {"code": "1.5", "title": ""})
    assert response.status_code == 200 and "「指标名称」" in response.content.decode()
    assert not Indicator.objects.filter(indicator_set=draft, code="1.5").exists()
    body = client.get(detail).content.decode()
    assert "以下指标没有下级指标：1.4" in body
    client.post(reverse("indicators:indicator_delete", args=[sub.pk]))
    assert not Indicator.objects.filter(pk=sub.pk).exists()
    item = leaf(draft, "1.1.1")
    response = client.post(reverse("indicators:indicator_edit", args=[item.pk]),
                           {"code": "1.1.1", "title": "“第一议题”制度执行情况", "guidance": "新要点。", "evidence": "",
                            "order": item.order})
    assert response.status_code == 302
    template = draft.templates.get(kind="village")
    edit = reverse("indicators:indicatortemplate_edit", args=[template.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"name": "村级模板", "description": "", "items": [item.pk]})
    assert response.status_code == 302 and list(template.items.all()) == [item]
    response = client.post(reverse("indicators:indicatorset_publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SetStatus.PUBLISHED
    # Published: no more editing.
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"name": "改", "description": "", "items": []})
    assert "已发布的指标体系不能修改" in response.content.decode()
    response = client.post(reverse("indicators:indicatorset_delete", args=[draft.pk]))
    assert IndicatorSet.objects.filter(pk=draft.pk).exists()


def test_draft_delete(world, login):
    draft = draft_copy(world, "a")
    client = login(world.users["office_a"])
    assert client.post(reverse("indicators:indicatorset_delete", args=[draft.pk])).status_code == 302
    assert not IndicatorSet.objects.filter(pk=draft.pk).exists()
    assert IndicatorSet.all_objects.get(pk=draft.pk).is_deleted


def test_read_only_roles_and_other_county(world, login):
    draft = draft_copy(world, "a")
    leader = login(world.users["leader_a"])
    assert leader.get(reverse("indicators:indicatorset_detail", args=[draft.pk])).status_code == 200
    assert leader.post(reverse("indicators:indicatorset_publish", args=[draft.pk])).status_code == 403
    assert leader.get(reverse("indicators:indicatorset_copy", args=[draft.pk])).status_code == 403
    assert leader.get(reverse("indicators:indicator_edit", args=[leaf(draft, "1.1").pk])).status_code == 403
    office_b = login(world.users["office_b"])
    for name in ("indicatorset_detail", "indicatorset_edit", "indicatorset_copy", "indicatorset_export"):
        assert office_b.get(reverse(f"indicators:{name}", args=[draft.pk])).status_code == 404, name
    assert office_b.post(reverse("indicators:indicatorset_publish", args=[draft.pk])).status_code == 404
    assert office_b.get(reverse("indicators:indicator_edit", args=[leaf(draft, "1.1").pk])).status_code == 404
    # The built-in library is read by all, changed by none.
    city = login(world.users["city_office"])
    assert city.get(reverse("indicators:indicatorset_edit", args=[builtin().pk])).status_code == 404
    assert city.post(reverse("indicators:indicatorset_delete", args=[builtin().pk])).status_code == 404


def test_group_reads_published_library_only(world, login):
    from .factories import field

    f = field(world)
    draft = draft_copy(world, "a")
    client = login(f.member)
    body = client.get(reverse("indicators:indicatorset_list")).content.decode()
    assert builtin().name in body and ">草稿</span>" not in body
    assert client.get(reverse("indicators:indicatorset_detail", args=[draft.pk])).status_code == 404
    data = client.get(reverse("api:indicatorset-list")).json()
    assert {row["id"] for row in data["results"]} == {builtin().pk}
    detail = client.get(reverse("api:indicatorset-detail", args=[builtin().pk])).json()
    assert len(detail["indicators"]) == 65 and len(detail["templates"]) == 5
    leaves = client.get(reverse("api:indicator-list"), {"indicator_set": builtin().pk, "level": 3}).json()
    assert leaves["count"] == 49
    one = client.get(reverse("api:indicator-detail", args=[leaf(builtin(), "1.1.1").pk])).json()
    assert one["code"] == "1.1.1"
    assert client.get(reverse("api:indicator-detail", args=[leaf(draft, "1.1.1").pk])).status_code == 404
    assert client.post(reverse("api:indicatorset-list"), {}).status_code in (403, 405)
    assert login(world.users["liaison_a"]).get(reverse("api:indicatorset-list")).status_code == 403


def test_decision_list_filters_by_kind_and_state(world, login):
    from xuncha.core.testing.resources import result_rows
    from xuncha.indicators.models import DecisionItem

    DecisionItem.objects.create(authority=world.county_a, issuer="county", title="青阳县委停用的部署",
                                requirement="—", kinds=["soe"], is_active=False)
    client = login(world.users["office_a"])
    url = reverse("indicators:decisionitem_list")
    village = result_rows(client.get(url, {"kind": "village"}).content.decode())
    assert "规范农村集体“三资”管理" in village and "深化国有企业改革" not in village
    assert "市委关于安全生产" in village  # applies to every kind
    stopped = result_rows(client.get(url, {"is_active": "no"}).content.decode())
    assert "青阳县委停用的部署" in stopped and "市委关于安全生产" not in stopped
