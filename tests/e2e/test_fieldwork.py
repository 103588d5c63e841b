"""End to end: a group's fieldwork in the browser. The group leader opens the inspection's 巡察方式方法,
plans a talk, registers a petition received by phone and its reporter, and makes the intake QR code;
a member of the public posts a petition from the QR page and gets a receipt number; a group member
sees both petitions but never the reporter, and searching the reporter's name finds nothing."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPORTER = "慕容秋菊"


@pytest.fixture
def fw(world):
    from xuncha.fieldwork.tests.factories import setup

    return setup(world)


def test_talks_petitions_reporter_and_public_intake(fw, world, browser, live_server, shot, open_as):
    from xuncha.fieldwork.models import IntakeChannel, Petition, PetitionReporter, Talk

    inspection = fw.a
    leader_ctx, leader = open_as(fw.a_leader.username)
    try:
        leader.goto(f"/planning/inspections/{inspection.pk}/")
        leader.get_by_role("link", name="巡察方式方法").first.click()
        leader.get_by_role("heading", name="巡察工作：2026年第一轮巡察·第一巡察组").wait_for()
        leader.get_by_role("tab", name="个别谈话").click()
        leader.get_by_role("link", name="新增个别谈话").click()
        leader.get_by_label("谈话对象", exact=True).fill("褚某")
        leader.get_by_label("职务或身份").fill("财务股长")
        leader.get_by_label("对象类别").select_option(label="中层干部")
        leader.get_by_label("计划日期").fill("2026-03-12")
        leader.get_by_role("button", name="保存").click()
        leader.get_by_text("已保存").wait_for()
        assert Talk.objects.get(interviewee_name="褚某").status == "planned"
        # A petition received by phone, then its reporter on the separate page.
        leader.goto(f"/fieldwork/inspections/{inspection.pk}/?tab=petition")
        leader.get_by_role("link", name="新增信访举报").click()
        leader.get_by_label("来源渠道").select_option(label="来电")
        leader.get_by_label("收到日期").fill("2026-03-05")
        leader.get_by_label("被反映人").fill("褚某（财务股长）")
        leader.get_by_label("问题类别").select_option(label="违反廉洁纪律")
        leader.get_by_label("反映内容").fill("反映财务股长在采购中收受供应商购物卡。")
        leader.get_by_role("button", name="保存").click()
        leader.get_by_role("link", name="查看举报人信息").click()
        leader.get_by_label("姓名").fill(REPORTER)
        leader.get_by_label("联系电话").fill("13512345678")
        leader.get_by_label("要求反馈").check()
        leader.get_by_role("button", name="保存").click()
        leader.locator("#reporter-card").get_by_text(REPORTER).wait_for()
        shot(leader, "reporter")
        phoned = Petition.objects.get(channel="phone")
        assert PetitionReporter.objects.get(petition=phoned).name == REPORTER
        # The intake QR code.
        leader.goto(f"/fieldwork/inspections/{inspection.pk}/intake/")
        leader.get_by_role("button", name="生成受理码和二维码").click()
        leader.locator("#qr-code svg").wait_for()
        shot(leader, "qr")
        code = IntakeChannel.objects.get(inspection=inspection).code
    finally:
        leader_ctx.close()

    public = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 414, "height": 860})
    try:
        page = public.new_page()
        page.goto(f"/fieldwork/intake/{code}/")
        page.get_by_label("问题类别").select_option(label="违反群众纪律")
        page.get_by_label("反映内容").fill("短")
        page.get_by_role("button", name="提交").click()
        page.get_by_text("反映内容过短").first.wait_for()
        page.get_by_label("反映内容").fill("反映城关学校食堂承包过程不公开，饭菜价格明显偏高。")
        page.get_by_label("匿名反映").check()
        page.get_by_role("button", name="提交").click()
        page.locator("#intake-done").wait_for()
        shot(page, "public-done")
        online = Petition.objects.get(via_intake=True)
        assert online.receipt_no in page.content() and online.channel == "qrcode"
    finally:
        public.close()

    member_ctx, member = open_as(fw.a_member.username)
    try:
        member.goto("/fieldwork/petitions/")
        member.locator("#result-table").get_by_text(phoned.receipt_no).wait_for()
        member.locator("#result-table").get_by_text(online.receipt_no).wait_for()
        member.goto(f"/fieldwork/petitions/{phoned.pk}/")
        member.get_by_text("反映财务股长在采购中收受供应商购物卡").wait_for()
        body = member.content()
        assert REPORTER not in body and "13512345678" not in body and "查看举报人信息" not in body
        member.goto(f"/fieldwork/petitions/?q={REPORTER}")
        assert phoned.receipt_no not in member.locator("#result-table").inner_text()
        response = member.goto(f"/fieldwork/petitions/{phoned.pk}/reporter/")
        assert response.status == 403
        shot(member, "member-refused")
    finally:
        member_ctx.close()
