"""End to end: a rectification followed from feedback to acceptance and publication, as each person
would do it in the browser — the unit's liaison writes the plan and its measures and submits it, the
office approves, the liaison reports the month's progress with evidence and applies for acceptance,
the supervisor accepts, the office publishes, and anyone reads the public page (without what is
withheld)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rw(world):
    from xuncha.rectification.tests.factories import setup

    return setup(world, problems=1)


def test_feedback_to_acceptance_and_publication(rw, browser, live_server, shot, tmp_path, open_as):
    from xuncha.rectification.models import RectificationPlan, RectificationTask

    problem = rw.problems[0]
    deadline = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    unit_ctx, unit = open_as(rw.liaison.username, timeout_ms=15_000)
    office_ctx, office = open_as(rw.office.username, timeout_ms=15_000)
    sup_ctx, sup = open_as(rw.supervisor.username, timeout_ms=15_000)
    try:
        # The liaison: from the menu to its feedback, the plan, one measure, submit.
        unit.get_by_role("link", name="整改方案").click()
        assert rw.feedback.title in unit.locator("#open-feedbacks").inner_text()
        unit.get_by_role("link", name="编制整改方案").click()
        unit.get_by_label("整改工作总体安排").fill("成立整改工作领导小组，主要负责人任组长。")
        unit.get_by_role("button", name="保存").click()
        assert "尚未制定整改措施" in unit.content()
        unit.get_by_role("link", name="添加措施").click()
        unit.get_by_label("措施类型").select_option(label="纠正")
        unit.get_by_label("整改措施").fill("清退违规发放的津贴补贴，建立台账逐项销号。")
        unit.get_by_label("责任人").fill("王局长")
        unit.get_by_label("完成时限").fill(deadline)
        unit.get_by_role("button", name="保存").click()
        unit.get_by_role("button", name="提交巡察办审批").click()
        assert unit.locator("#plan-status").inner_text() == "待审批"
        shot(unit, "plan-submitted")
        plan = RectificationPlan.objects.get(unit=rw.unit, inspection=rw.inspection)

        # The office approves (gate 1): every task starts.
        office.goto(f"/rectification/plans/{plan.pk}/")
        office.get_by_role("button", name="批准方案（启动整改）").click()
        assert office.locator("#plan-status").inner_text() == "已批准"
        task = RectificationTask.objects.get(plan=plan)

        # The liaison: this month's progress with evidence (gate 2), then asks for acceptance.
        unit.goto(f"/rectification/tasks/{task.pk}/")
        unit.get_by_role("link", name="报送本月进展").click()
        unit.get_by_label("进展情况").fill("已清退全部违规款项。")
        unit.get_by_label("完成进度（%）").fill("100")
        evidence = tmp_path / "清退凭证.pdf"
        evidence.write_bytes(b"%PDF-1.4 receipt")
        unit.get_by_label("佐证材料").set_input_files(str(evidence))
        unit.get_by_role("button", name="报送").click()
        assert "清退凭证.pdf" in unit.locator("#progress-list").inner_text()
        unit.get_by_role("button", name="申请验收").click()
        assert unit.locator("#task-status").inner_text() == "待验收"

        # The supervisor sees the evidence and accepts (gate 3).
        sup.goto(f"/rectification/tasks/{task.pk}/")
        assert "清退凭证.pdf" in sup.locator("#progress-list").inner_text()
        sup.get_by_role("button", name="验收通过").click()
        assert sup.locator("#task-status").inner_text() == "已验收"
        shot(sup, "accepted")
        log = sup.locator("#gate-log").inner_text()
        for action in ("启动", "报送进展", "申请验收", "验收通过"):
            assert action in log

        # The office publishes; the public page shows it without login.
        office.goto(f"/rectification/plans/{plan.pk}/")
        office.get_by_role("button", name="公开整改进展").click()
        anonymous = browser.new_context(base_url=live_server.url, locale="zh-CN")
        public = anonymous.new_page()
        public.goto(f"/rectification/public/{rw.office.grants.first().region_id}/")
        text = public.locator("body").inner_text()
        assert problem.title in text and "已完成" in text
        shot(public, "public")
        anonymous.close()
        # The liaison never reaches supervision or the dashboard.
        unit.goto("/rectification/dashboard/")
        assert "权限" in unit.content()
    finally:
        for context in (unit_ctx, office_ctx, sup_ctx):
            context.close()
