"""The round's work plan and the annual plan in GB/T 9704 layout, and the coverage ledger in Excel,
checked on the generated XML and cells, and downloaded through their pages within scope."""

import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import load_workbook

from xuncha.documents.reading import docx_text
from xuncha.planning import services

from .factories import D, started

pytestmark = pytest.mark.django_db


def _fonts(paragraph) -> set[str]:
    return {run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in paragraph.runs if run.text.strip()}


def _check_layout(data: bytes, title_start: str):
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    assert round(section.page_width / Mm(1)) == 210 and round(section.top_margin / Mm(1)) == 37
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    title = paragraphs[0]
    assert title.text.startswith(title_start)
    assert _fonts(title) == {"方正小标宋简体"} and title.runs[0].font.size == Pt(22)
    body = [p for p in paragraphs if p.text.startswith(("根据", "（一）贯彻", "坚持")) or "计划开展巡察" in p.text]
    assert body and all(_fonts(p) == {"仿宋_GB2312"} for p in body)
    headings = [p for p in paragraphs if p.text.startswith(("一、", "二、", "三、"))]
    assert headings and all(_fonts(p) == {"黑体"} for p in headings)
    footer = section.footer.paragraphs[0]
    assert "PAGE" in footer._element.xml and footer.text.startswith("— ")
    return document


def test_round_work_plan_in_official_layout(pw, login):
    rnd, inspection = started(pw.a, [pw.world.unit_a, pw.a.units[1]], stage="stationed")
    services.check_create(actor=pw.a.actor, inspection=inspection, data={
        "kind": "selection", "department": "组织部", "unit": pw.world.unit_a, "subject": "",
        "planned_start": D(2026, 3, 2), "planned_end": D(2026, 4, 10)})
    client = login(pw.a.actor)
    response = client.get(reverse("planning:round_document", args=[rnd.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    _check_layout(response.content, "中共青阳县委2026年第一轮常规巡察")
    text = docx_text(response.content)
    for expected in ("工作方案", "青阳县卫生健康委员会、青阳县教育局", "第一巡察组", "2026年3月2日", "（二）进驻阶段",
                     "选人用人专项检查", "组织部", "中共青阳县委巡察工作领导小组办公室", "四个落实"):
        assert expected in text, expected


def test_annual_plan_in_official_layout(pw, login):
    started(pw.city, [pw.world.unit_city], stage="stationed")
    client = login(pw.world.users["leader_a"])  # read-only but may export the county's own
    assert client.get(reverse("planning:annualplan_document", args=[pw.city.annual.pk])).status_code == 404
    response = login(pw.city.actor).get(reverse("planning:annualplan_document", args=[pw.city.annual.pk]))
    assert response.status_code == 200
    _check_layout(response.content, "中共江城市委巡察工作领导小组")
    text = docx_text(response.content)
    assert "2026年度巡察工作计划" in text and "第一轮\t常规巡察" in text and "江城市财政局" in text


def test_coverage_ledger_lists_every_unit_with_its_status(pw, login):
    started(pw.a, [pw.world.unit_a], stage="stationed")
    services.plan_target_update(actor=pw.a.actor, target=pw.a.plan.targets.get(unit=pw.a.units[1]),
                                data={"planned_year": 2027, "is_fixed": True})
    response = login(pw.world.users["leader_a"]).get(reverse("planning:plan_ledger", args=[pw.a.plan.pk]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["覆盖台账", "年度汇总", "久未巡察"]
    ledger = wb["覆盖台账"]
    assert ledger["A1"].value.startswith("中共青阳县委") and ledger.freeze_panes == "A3"
    header = [c.value for c in ledger[2]]
    assert header[:8] == ["序号", "单位", "单位类别", "所属系统", "计划年度", "计划轮次", "固定安排", "覆盖状态"]
    rows = {r[1]: r for r in ledger.iter_rows(min_row=3, values_only=True)}
    assert rows["青阳县教育局"][7] == "已覆盖" and rows["青阳县教育局"][8] == 2026
    assert rows["青阳县卫生健康委员会"][4] == 2027 and rows["青阳县卫生健康委员会"][6] == "是"
    assert rows["青阳县城关镇"][7] == "未安排年度" and rows["青阳县城关镇"][11] == "从未巡察"
    summary = [r for r in wb["年度汇总"].iter_rows(min_row=3, values_only=True)]
    assert summary[0][:3] == (2026, 0, 1) and summary[-1][0] == "合计" and summary[-1][2] == 1
