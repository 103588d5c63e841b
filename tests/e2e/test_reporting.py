"""End to end: from the confirmed problems to the feedback in the unit's hands, as each person does it
in the browser — a group member generates the report draft and uploads the edited version, the group
leader submits it, the office approves it in the round's unified review and moves the inspection on
to 反馈, generates and issues the feedback, and the unit's liaison reads and downloads it (and sees
nothing before)."""

from __future__ import annotations

import io

import pytest
from docx import Document

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rw(world):
    from xuncha.planning.tests.factories import build
    from xuncha.reporting.tests.factories import build_reporting

    return build_reporting(build(world))


def test_report_review_feedback_and_the_liaison(rw, world, browser, live_server, shot, tmp_path, open_as):
    from xuncha.documents.reading import docx_text
    from xuncha.reporting.models import Feedback, InspectionReport

    inspection = rw.inspection
    member_ctx, member = open_as(rw.member.username)
    liaison_ctx, liaison = open_as(world.users["liaison_a"].username)
    try:
        # The liaison: nothing yet.
        liaison.get_by_role("link", name="反馈意见").click()
        liaison.get_by_role("heading", name="本单位巡察反馈").wait_for()
        assert "暂无印发给本单位的巡察反馈意见" in liaison.locator("#result-table").inner_text()

        # A member, from the inspection page's panel: generate the first draft and download it.
        member.goto(f"/planning/inspections/{inspection.pk}/")
        member.locator("#inspection-panels").get_by_role("link", name="巡察报告").click()
        member.get_by_role("button", name="生成报告初稿").click()
        member.get_by_text("已根据已确认的问题生成巡察报告初稿").wait_for()
        with member.expect_download() as download:
            member.locator("#download-current").click()
        draft = download.value.path().read_bytes()
        text = docx_text(draft)
        assert "一、党的领导方面存在的问题" in text and "“双减”政策落实不到位" in text
        shot(member, "report-draft")
        # Edit offline, upload the new version.
        document = Document(io.BytesIO(draft))
        document.add_paragraph("（巡察组补充：已核实课后服务收费明细。）")
        edited = tmp_path / "巡察报告修改稿.docx"
        document.save(edited)
        member.locator("#upload-form input[type=file]").set_input_files(str(edited))
        member.locator("#upload-form").get_by_role("button", name="上传").click()
        member.get_by_text("已上传修改稿，保存为第2稿").wait_for()
        # A wrong file is refused in Chinese.
        bad = tmp_path / "说明.txt"
        bad.write_text("不是 Word", encoding="utf-8")
        member.locator("#upload-form input[type=file]").set_input_files(str(bad))
        member.locator("#upload-form").get_by_role("button", name="上传").click()
        member.get_by_text("只能上传 Word 文档（.docx 格式）").wait_for()
    finally:
        member_ctx.close()

    leader_ctx, leader = open_as(rw.leader.username)
    try:
        leader.goto(f"/reporting/inspections/{inspection.pk}/report/")
        leader.locator("#submit-form").get_by_role("button", name="提交巡察办统一把关").click()
        leader.get_by_text("巡察报告已提交巡察办统一把关").wait_for()
        assert leader.locator("#report-status").inner_text() == "待把关"
    finally:
        leader_ctx.close()

    office_ctx, office = open_as(rw.office.username)
    try:
        office.get_by_role("link", name="统一把关").click()
        office.get_by_role("link", name="进入把关").first.click()
        report = InspectionReport.objects.get(inspection=inspection)
        card = office.locator(f"#report-{report.pk}")
        card.get_by_label("审定意见").fill("同意，报巡察工作领导小组。")
        shot(office, "unified-review")
        card.get_by_role("button", name="审定通过").click()
        office.get_by_text("巡察报告已审定").wait_for()
        # The inspection moves on to 反馈 on its own page.
        office.goto(f"/planning/inspections/{inspection.pk}/")
        office.locator("#stage-steps").get_by_role("button", name="反馈", exact=True).click()
        office.locator("#current-stage").filter(has_text="反馈").wait_for()
        office.goto(f"/reporting/inspections/{inspection.pk}/feedback/")
        office.get_by_role("button", name="生成反馈意见稿").click()
        office.get_by_text("已根据审定的巡察报告生成各被巡察单位的反馈意见稿").wait_for()
        office.locator("#feedback-table").get_by_role("link", name="青阳县教育局").click()
        office.once("dialog", lambda dialog: dialog.accept())
        office.locator("#issue-form").get_by_label("文号").fill("青巡反〔2026〕1号")
        office.locator("#issue-form").get_by_role("button", name="印发").click()
        office.locator("#issued-note").wait_for()
        shot(office, "feedback-issued")
    finally:
        office_ctx.close()

    try:
        liaison.reload()
        table = liaison.locator("#result-table")
        assert "关于巡察青阳县教育局党组织的反馈意见" in table.inner_text()
        assert "卫生健康委员会" not in table.inner_text()
        shot(liaison, "liaison-feedback")
        with liaison.expect_download() as download:
            table.get_by_role("link", name="下载 Word").click()
        assert "收到反馈意见后2个月内" in docx_text(download.value.path().read_bytes())
        feedback = Feedback.objects.get(inspection=inspection, unit=world.unit_a)
        assert feedback.is_issued
        # Nothing else of the inspection.
        response = liaison.goto(f"/reporting/inspections/{inspection.pk}/report/")
        assert response.status in (403, 404)
    finally:
        liaison_ctx.close()
