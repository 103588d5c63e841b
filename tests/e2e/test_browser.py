"""End-to-end: a real chromium against the live server and a real database.

Each test walks a path a person walks (log in, filter a list, submit a bad form, get locked out,
change a first password) and saves screenshots of the key pages to test-artifacts/e2e/.

Run: .venv/bin/python -m pytest tests/e2e -q
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from xuncha.core.testing.world import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def menu(page):
    return page.get_by_role("complementary", name="功能菜单")


def result_table(page):
    return page.locator("#result-table")


def test_county_officer_sees_and_filters_only_their_units(world, page, log_in, shot):
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="巡察工作管理平台")).to_be_visible()
    shot(page, "login")

    log_in("office_a", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()

    side = menu(page)
    expect(side.get_by_text("组织机构")).to_be_visible()
    expect(side.get_by_role("link", name="被巡察对象")).to_be_visible()
    expect(side.get_by_role("link", name="数据字典")).to_have_count(0)
    expect(side.get_by_role("link", name="操作日志")).to_have_count(0)
    expect(side.get_by_role("link", name="用户管理")).to_have_count(0)
    shot(page, "home")

    side.get_by_role("link", name="被巡察对象").click()
    expect(page.get_by_role("heading", name="被巡察对象", level=1)).to_be_visible()
    expect(menu(page).get_by_role("link", name="被巡察对象")).to_have_class(re.compile(r"\bactive\b"))
    table = result_table(page)
    expect(table.get_by_role("link", name="青阳县教育局")).to_be_visible()
    expect(table).not_to_contain_text("桐溪县教育局")
    expect(table).not_to_contain_text("江城市财政局")
    shot(page, "unit-list")

    # The filter form: a name and a category, then 查询.
    page.get_by_label("单位名称").fill("教育")
    page.get_by_label("单位类别").select_option(label="机关部门")
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"q=%E6%95%99%E8%82%B2"))
    expect(page.get_by_label("单位名称")).to_have_value("教育")
    expect(table.get_by_role("link", name="青阳县教育局")).to_be_visible()
    expect(table).not_to_contain_text("桐溪县教育局")
    shot(page, "unit-list-filtered")

    # Searching for the other county by name finds nothing: the scope comes before the filters.
    page.get_by_label("单位名称").fill("桐溪")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_label("单位名称")).to_have_value("桐溪")
    expect(table).to_contain_text("没有符合条件的记录")
    expect(page.locator("body")).not_to_contain_text("桐溪县教育局")
    shot(page, "unit-list-other-county")

    # Nor can the other county's unit be opened by its address: 404, the same as a missing page.
    response = page.goto(f"/org/units/{world.unit_b.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name=re.compile("页面不存在"))).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("桐溪县教育局")


def test_empty_unit_form_shows_chinese_errors_and_creates_nothing(world, page, log_in, shot):
    from xuncha.org.models import Unit

    before = Unit.objects.count()
    log_in("office_a", PASSWORD)
    page.goto("/org/units/")
    page.get_by_role("link", name="新增").click()
    expect(page.get_by_role("heading", name="新增被巡察对象")).to_be_visible()
    shot(page, "unit-add")

    page.get_by_role("button", name="保存").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("提交的内容有误")
    expect(summary).to_contain_text("「单位名称」")
    expect(summary).to_contain_text("「所属区域」")
    expect(summary).to_contain_text("「单位类别」")
    expect(summary).to_contain_text("必填")
    expect(page.get_by_label("单位名称")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page).to_have_url(re.compile(r"/org/units/add/$"))
    shot(page, "unit-add-errors")
    assert Unit.objects.count() == before

    # A wrong value is named too, and the valid values typed stay in the form.
    page.get_by_label("单位名称").fill("青阳县测试局")
    page.get_by_label("统一社会信用代码").fill("123")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("「统一社会信用代码」")
    expect(page.get_by_label("单位名称")).to_have_value("青阳县测试局")
    assert Unit.objects.count() == before
    assert not Unit.objects.filter(name="青阳县测试局").exists()


def test_five_wrong_passwords_lock_the_account(world, page, shot):
    page.goto("/accounts/login/")
    for attempt in range(1, 6):
        page.get_by_label("登录名").fill("office_b")
        page.get_by_label("密码").fill(f"wrong-{attempt}")
        page.get_by_role("button", name="登录").click()
        # The answer is a new page, whose password box is empty again.
        expect(page.get_by_label("密码")).to_have_value("")
        error = page.locator("#login-error")
        if attempt < 5:
            expect(error).to_have_text("登录名或密码错误。")
    expect(error).to_contain_text("锁定")
    shot(page, "locked")

    # Even the right password is refused while the lock lasts.
    page.get_by_label("登录名").fill("office_b")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#login-error")).to_contain_text("锁定")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    world.users["office_b"].refresh_from_db()
    assert world.users["office_b"].is_locked


def test_first_login_must_change_password(world, page, log_in, shot):
    make_user("newcomer", ("office_admin", world.county_a), must_change=True)
    log_in("newcomer", PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/password/$"))
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(page.locator("main")).to_contain_text("请先设置新密码")
    shot(page, "password-change")

    # Every other page sends the user back until the password is changed.
    page.goto("/org/units/")
    expect(page).to_have_url(re.compile(r"/accounts/password/$"))

    page.get_by_label("原密码").fill(PASSWORD)
    page.get_by_label(re.compile(r"^新密码")).fill("Qingyang#2026a")
    page.get_by_label("确认新密码").fill("Qingyang#2026a")
    page.get_by_role("button", name="保存新密码").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("密码已修改。")).to_be_visible()
    page.goto("/org/units/")
    expect(result_table(page).get_by_role("link", name="青阳县教育局")).to_be_visible()


def test_saving_a_cadre_unchanged_keeps_the_work_history_dates(world, page, log_in, shot):
    """The date boxes of the work history must show the stored dates (a date box only takes
    YYYY-MM-DD): otherwise saving the page unchanged would fail, or silently drop an end date."""
    import datetime

    from xuncha.org.models import WorkHistory

    cadre = world.cadre_a
    WorkHistory.objects.create(cadre=cadre, unit_name="青阳县财政局", post="科员",
                               start_date=datetime.date(2015, 3, 1), end_date=datetime.date(2019, 6, 30))
    WorkHistory.objects.create(cadre=cadre, unit=world.unit_a, post="科员", start_date=datetime.date(2019, 7, 1))
    log_in("office_a", PASSWORD)
    page.goto(f"/org/cadres/{cadre.pk}/edit/")
    expect(page.get_by_role("heading", name=re.compile("编辑干部"))).to_be_visible()
    dates = {page.locator(f"#id_work-{i}-{name}").input_value() for i in (0, 1) for name in ("start_date", "end_date")}
    assert {"2015-03-01", "2019-06-30", "2019-07-01"} <= dates
    expect(page.get_by_role("group", name="专长")).to_be_visible()
    shot(page, "cadre-edit")

    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存")).to_be_visible()
    shot(page, "cadre-saved")
    stored = sorted(WorkHistory.objects.filter(cadre=cadre).values_list("start_date", "end_date"))
    assert stored == [(datetime.date(2015, 3, 1), datetime.date(2019, 6, 30)), (datetime.date(2019, 7, 1), None)]
