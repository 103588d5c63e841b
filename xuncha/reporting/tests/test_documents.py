"""The generated report and feedback, read back: problems under their indicator headings, nothing
of the clues but their number, the feedback's sections and deadline."""

import pytest

from xuncha.documents.reading import docx_text
from xuncha.reporting import services
from xuncha.reporting.models import ReportVersion

from .factories import at_feedback, make_clue

pytestmark = pytest.mark.django_db


def _current_text(report) -> str:
    from xuncha.core.files import read_bytes

    version = ReportVersion.objects.get(pk=report.current_id)
    return docx_text(read_bytes(version.file))


def test_report_draft_puts_confirmed_problems_under_their_indicators_and_only_counts_clues(rw):
    make_clue(rw.inspection, rw.units[0], "举报某副局长收受红包（绝密线索内容）")
    make_clue(rw.inspection, rw.units[1], "反映某科长违规兼职")
    report = services.report_generate(actor=rw.member, inspection=rw.inspection)
    assert report.title == "关于对青阳县卫生健康委员会、青阳县教育局党组织的巡察情况报告"
    text = _current_text(report)
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == report.title
    assert "中共青阳县委巡察工作领导小组：" in lines
    # Level 1 一、二、 (in the indicator order), level 2 （一）, problems 1. 2. with their facts.
    heads = [line for line in lines if (line[:2] in ("一、", "二、", "三、", "四、") or line.startswith("（一）"))
             and len(line) < 30]
    assert heads == ["一、党的领导方面存在的问题", "（一）贯彻落实党中央决策部署",
                     "二、党的建设方面存在的问题", "（一）基层党组织建设", "三、其他方面存在的问题", "四、意见建议"]
    i_lead, i_build = lines.index("一、党的领导方面存在的问题"), lines.index("二、党的建设方面存在的问题")
    assert i_lead < lines.index("1. “双减”政策落实不到位。") < i_build
    assert i_lead < lines.index("2. 卫健委落实决策部署打折扣。") < i_build
    assert "部分学校课后服务收费不规范，2025年有3所学校超标准收费。" in lines
    assert i_build < lines.index("1. “三会一课”制度执行不严格。") < lines.index("三、其他方面存在的问题")
    assert lines.index("三、其他方面存在的问题") < lines.index("1. 财务报销审核不严。")
    assert "草稿问题不应出现" not in text
    # Clues: the count only.
    assert "另发现问题线索2件，已按规定移交。" in lines
    assert "红包" not in text and "违规兼职" not in text and "绝密" not in text
    # Basic situation: dates, group, methods table.
    assert "第一巡察组" in text and "2026年3月2日" in text
    assert "工作方式\t数量" in text
    signature = lines.index("中共青阳县委第一巡察组")
    assert signature > lines.index("四、意见建议") and lines[signature + 1].endswith("日")
    assert "个别谈话\t0人次" in lines  # the methods table (tables are read after the paragraphs)


def test_report_without_confirmed_problems_or_clues_says_so(pw):
    from xuncha.planning.tests.factories import group_user, started

    _, inspection = started(pw.b, [pw.world.unit_b], stage="report")
    member = group_user("gm_b", "group_member", inspection.group)
    report = services.report_generate(actor=member, inspection=inspection)
    text = _current_text(report)
    assert "截至本报告形成时，巡察组尚无经确认的问题。" in text
    assert "问题线索" not in text
    assert "一、意见建议" in text


def test_feedback_of_a_unit_holds_only_its_problems_and_the_two_month_deadline(rw):
    from xuncha.core.files import read_bytes

    _, feedbacks = at_feedback(rw)
    by_unit = {f.unit_id: f for f in feedbacks}
    edu = by_unit[rw.units[0].pk]
    text = docx_text(read_bytes(edu.current.file))
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[:2] == ["中共青阳县委第一巡察组", "关于巡察青阳县教育局党组织的反馈意见"]
    assert "青阳县教育局党组织：" in lines
    assert lines.index("一、巡察发现的主要问题") < lines.index("（一）党的领导方面存在的问题") < lines.index(
        "1. 贯彻落实党中央决策部署") < lines.index("1. “双减”政策落实不到位。") < lines.index(
        "（二）党的建设方面存在的问题") < lines.index("二、整改意见和建议")
    assert "卫健委" not in text
    assert any("收到反馈意见后2个月内" in line for line in lines)
    health = by_unit[rw.units[1].pk]
    assert "卫健委落实决策部署打折扣" in docx_text(read_bytes(health.current.file))
