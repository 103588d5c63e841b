"""End-to-end: an inspection group works through its indicator checklist in a real browser (quick
buttons over htmx, notes, progress), and the office reads the library tree and copies it to a draft.

Run: .venv/bin/python -m pytest tests/e2e/test_indicators.py -q
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from xuncha.core.testing.world import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library():
    """The live-server database is flushed between tests: load the shipped library again."""
    from xuncha.indicators.library import load_shipped
    from xuncha.indicators.models import DecisionItem, Indicator, IndicatorSet, IndicatorTemplate

    load_shipped((IndicatorSet, Indicator, IndicatorTemplate), decisions_model=DecisionItem)
    return IndicatorSet.objects.get(authority__isnull=True)


@pytest.fixture
def page(page):
    page.set_default_timeout(30_000)  # two cores shared with other work: the first page can be slow
    return page


def test_group_records_checklist_results(world, library, page, log_in, shot):
    from xuncha.indicators.models import IndicatorResult
    from xuncha.planning.tests.factories import build, group_user, started

    pw = build(world)
    _, inspection = started(pw.a, [world.unit_a], stage="understand")
    group_user("zuzhang", "group_leader", inspection.group)
    item = library.indicators.get(code="2.2.1")

    log_in("zuzhang", PASSWORD)
    page.goto(f"/indicators/inspections/{inspection.pk}/checklist/")
    expect(page.get_by_role("heading", name=re.compile("指标检查"))).to_be_visible()
    progress = page.locator("#progress-table")
    expect(progress).to_contain_text("机关部门巡察指标模板")
    expect(progress).to_contain_text("0 / 39")
    row = page.locator(f"#ind-{item.pk}")
    expect(row).to_contain_text("公务接待、公务用车和办公用房管理情况")
    shot(page, "checklist")

    row.get_by_role("button", name="存在问题").click()  # htmx swaps the row in place
    row = page.locator(f"#ind-{item.pk}")
    expect(row.get_by_text("已标记“存在问题”，请填写情况说明")).to_be_visible()
    row.get_by_label("情况说明").fill("抽查2025年公务接待，有3批次无公函、无接待清单。")
    row.get_by_role("button", name="保存说明").click()
    expect(page.locator(f"#ind-{item.pk}").get_by_text("请填写情况说明")).to_have_count(0)
    page.locator("#ind-" + str(library.indicators.get(code="1.1.1").pk)).get_by_role("button", name="符合").click()
    expect(page.locator("#ind-" + str(library.indicators.get(code="1.1.1").pk)).get_by_role(
        "button", name="符合")).to_have_class(re.compile(r"\bbtn-success\b"))
    expect(page.locator("#progress-table")).to_contain_text("2 / 39")  # updated in place (htmx out of band)
    shot(page, "recorded")

    page.reload()
    expect(page.locator("#progress-table")).to_contain_text("2 / 39")
    result = IndicatorResult.objects.get(inspection=inspection, indicator=item)
    assert result.result == "problem" and result.notes.startswith("抽查2025年公务接待")

    page.locator(f"#ind-{item.pk}").get_by_role("link", name=re.compile("佐证材料")).click()
    expect(page.get_by_role("heading", name=re.compile("2.2.1"))).to_be_visible()
    page.get_by_label("上传佐证材料").set_input_files(files=[{"name": "接待清单.pdf", "mimeType": "application/pdf",
                                                        "buffer": b"%PDF-1.4 demo"}])
    page.locator("button", has_text="上传").click()
    expect(page.locator("#evidence-list")).to_contain_text("接待清单.pdf")
    shot(page, "evidence")


def test_office_reads_the_tree_and_copies_it(world, library, page, log_in, shot):
    log_in("office_a", PASSWORD)
    page.goto("/indicators/sets/")
    expect(page.locator("#result-table")).to_contain_text("平台内置")
    page.get_by_role("link", name="政治巡察指标体系").click()
    tree = page.locator("#indicator-tree")
    expect(tree).to_contain_text("落实全面从严治党战略部署情况")
    expect(tree.get_by_text("“第一议题”制度落实情况")).to_be_visible()
    page.get_by_role("link", name="全部收起").click()
    expect(tree.get_by_text("“第一议题”制度落实情况")).to_be_hidden()
    shot(page, "tree-collapsed")
    page.get_by_role("link", name="复制为新草稿").click()
    page.get_by_label("新版本名称").fill("青阳县巡察指标体系")
    page.get_by_role("button", name="复制").click()
    expect(page.get_by_role("heading", name=re.compile("青阳县巡察指标体系"))).to_be_visible()
    expect(page.locator("#set-status")).to_have_text("草稿")
    page.get_by_role("link", name="村（社区）巡察指标模板").click()
    expect(page.get_by_role("heading", name=re.compile("18 项检查事项"))).to_be_visible()
    shot(page, "village-template")
