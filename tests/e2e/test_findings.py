"""End to end: from a member's work draft to the problem list, and a clue to its transfer, as each person
does it in the browser — a member writes a problem draft and submits it, and registers a clue; the
group leader sends the draft back, the member corrects it, the leader reviews it and confirms it with
the group's meeting; the office transfers the clue to the discipline commission and downloads the
letter, then records the disposition; the leader (领导) reads the problem list and never the clue."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fw(world):
    from xuncha.findings.tests.factories import build

    return build(world)


def test_draft_to_problem_list_and_clue_to_transfer(fw, world, browser, live_server, shot, open_as):
    from xuncha.documents.reading import docx_text
    from xuncha.findings.models import Clue, Problem

    inspection = fw.inspection
    member_ctx, member = open_as(fw.member.username)
    try:
        member.goto(f"/planning/inspections/{inspection.pk}/")
        member.locator("#inspection-panels").get_by_role("link", name="问题底稿与问题清单").click()
        member.get_by_role("link", name="撰写问题底稿").click()
        member.get_by_label("被巡察单位").select_option(label="青阳县教育局")
        member.get_by_label("问题类型").select_option(label="违反中央八项规定精神和作风问题")
        member.get_by_label("问题标题").fill("违规发放加班补贴")
        member.get_by_label("问题描述").fill("2025年以加班费名义发放补贴12.6万元，无考勤依据。")
        member.get_by_role("button", name="保存").click()
        member.get_by_text("已保存问题底稿").wait_for()
        member.locator("#problem-steps").get_by_role("button", name="提交审核").click()
        member.locator("#problem-status").filter(has_text="待审核").wait_for()
        # A clue, from the inspection's clue page.
        member.goto(f"/findings/inspections/{inspection.pk}/clues/")
        member.get_by_role("link", name="登记线索").click()
        member.get_by_label("线索摘要").fill("反映财务股长收受供应商礼金")
        member.get_by_label("线索内容").fill("谈话中反映该股长在采购中收受供应商礼金。")
        member.get_by_label("线索来源").select_option(label="个别谈话")
        member.get_by_label("其他涉及人员").fill("赵某某，财务股长，青阳县教育局")
        member.get_by_role("button", name="保存").click()
        member.get_by_text("已登记问题线索").wait_for()
        shot(member, "clue-registered")
    finally:
        member_ctx.close()
    problem = Problem.objects.get()
    clue = Clue.objects.get()

    leader_ctx, leader = open_as(fw.leader.username)
    try:
        leader.goto(f"/findings/problems/{problem.pk}/")
        steps = leader.locator("#problem-steps")
        steps.get_by_label("理由").fill("请写明发放的具体月份和人数。")
        steps.get_by_role("button", name="退回修改").click()
        leader.locator("#problem-status").filter(has_text="退回修改").wait_for()
    finally:
        leader_ctx.close()

    member_ctx, member = open_as(fw.member.username)
    try:
        member.goto(f"/findings/problems/{problem.pk}/")
        assert "请写明发放的具体月份和人数" in member.locator("#return-reason").inner_text()
        member.locator(f'a[href="/findings/problems/{problem.pk}/edit/"]').click()
        member.get_by_label("问题描述").fill("2025年1—6月以加班费名义向32人发放补贴12.6万元，无考勤依据。")
        member.get_by_role("button", name="保存").click()
        member.locator("#problem-steps").get_by_role("button", name="提交审核").click()
        member.locator("#problem-status").filter(has_text="待审核").wait_for()
    finally:
        member_ctx.close()

    leader_ctx, leader = open_as(fw.leader.username)
    try:
        leader.goto(f"/findings/problems/{problem.pk}/")
        leader.locator("#problem-steps").get_by_role("button", name="审核通过").click()
        leader.locator("#problem-status").filter(has_text="已审核").wait_for()
        steps = leader.locator("#problem-steps")
        steps.get_by_label("确认会议").fill("第一巡察组组务会")
        steps.get_by_role("button", name="确认（经集体研究）").click()
        leader.locator("#confirmed-note").wait_for()
        shot(leader, "problem-confirmed")
        leader.goto(f"/findings/inspections/{inspection.pk}/clues/")
        assert clue.number in leader.locator("#result-table").inner_text()
    finally:
        leader_ctx.close()

    office_ctx, office = open_as(fw.office.username)
    try:
        office.goto(f"/findings/inspections/{inspection.pk}/clues/")
        office.get_by_role("link", name="移交线索").click()
        office.get_by_label(f"{clue.number} 反映财务股长收受供应商礼金").check()
        office.get_by_role("button", name="移交并生成移交函").click()
        office.get_by_text("已移交 1 条线索").wait_for()
        with office.expect_download() as download:
            office.locator("#letter-link").click()
        text = docx_text(download.value.path().read_bytes())
        assert "关于移交青阳县教育局、青阳县卫生健康委员会有关问题线索的函" in text and "赵某某（青阳县教育局，财务股长）" in text
        shot(office, "transfer")
        office.goto(f"/findings/clues/{clue.pk}/")
        form = office.locator("#dispose-form")
        form.get_by_label("处置方式").select_option(label="谈话函询")
        clue.refresh_from_db()
        form.get_by_label("处置日期").fill(clue.transfer.transfer_date.isoformat())
        form.get_by_label("处置结果").fill("已对其谈话函询，本人作出说明。")
        form.get_by_role("button", name="保存").click()
        office.get_by_text("已登记处置情况").wait_for()
        assert office.locator("#clue-status").inner_text() == "已反馈处置"
    finally:
        office_ctx.close()

    boss_ctx, boss = open_as(world.users["leader_a"].username)
    try:
        boss.locator('a[href="/findings/problems/"]').first.click()
        assert "违规发放加班补贴" in boss.locator("#result-table").inner_text()
        assert 'href="/findings/clues/"' not in boss.content()  # no clue entry in the menu
        response = boss.goto(f"/findings/clues/{clue.pk}/")
        assert response.status == 403
        shot(boss, "leader-problem-list")
    finally:
        boss_ctx.close()
