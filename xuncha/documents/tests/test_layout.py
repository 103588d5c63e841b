"""The official-document layout is checked on the generated XML, as Word reads it."""

import datetime
import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import load_workbook

from xuncha.documents.layout import OfficialDocument, condensed_twentieths
from xuncha.documents.ledger import ledger_workbook
from xuncha.documents.reading import docx_text


def _sample() -> bytes:
    doc = OfficialDocument(title="江城市委第一轮巡察\n工作方案")
    doc.heading(1, "一、巡察对象")
    doc.paragraph("对市教育局等 3 个单位党组织开展常规巡察。")
    doc.heading(2, "（一）时间安排")
    doc.table(["序号", "被巡察单位"], [[1, "江城市教育局"], [2, "=HYPER"]])
    doc.signature("中共江城市委巡察工作领导小组办公室", datetime.date(2026, 3, 1))
    return doc.to_bytes()


def test_page_is_a4_with_the_standard_margins_and_grid():
    document = Document(io.BytesIO(_sample()))
    section = document.sections[0]
    def mm(length):  # Word stores twips: compare to a hundredth of a millimetre
        return round(length / Mm(1), 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines in 225 mm
    # 28 condensed characters of 16 pt fit the 156 mm text width, and a 29th does not.
    pitch = 16 + condensed_twentieths() / 20
    width = 156 / 25.4 * 72
    assert 28 * pitch <= width < 29 * pitch
    body = next(p for p in document.paragraphs if p.text.startswith("对市教育局"))
    assert body.runs[0]._element.rPr.find(qn("w:spacing")).get(qn("w:val")) == str(condensed_twentieths())


def test_title_body_and_heading_fonts():
    document = Document(io.BytesIO(_sample()))
    paragraphs = [p for p in document.paragraphs if p.text]
    title = paragraphs[0].runs[0]
    assert title.font.size == Pt(22)
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert paragraphs[0].alignment == 1  # centred
    heading1 = next(p for p in paragraphs if p.text.startswith("一、")).runs[0]
    assert heading1._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体" and heading1.font.size == Pt(16)
    heading2 = next(p for p in paragraphs if p.text.startswith("（一）")).runs[0]
    assert heading2._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    body = next(p for p in paragraphs if p.text.startswith("对市教育局"))
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.paragraph_format.line_spacing == Pt(28.95)
    ind = body._element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"


def test_page_numbers_odd_right_even_left_with_dashes():
    document = Document(io.BytesIO(_sample()))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0  # right, left
    for footer in (odd, even):
        xml = footer._element.xml
        assert "PAGE" in xml and footer.text.startswith("— ") and footer.text.endswith(" —")
        assert footer.runs[0].font.size == Pt(14)


def test_text_reads_back():
    text = docx_text(_sample())
    assert "工作方案" in text and "江城市教育局" in text and "2026年3月1日" in text


def test_ledger_has_title_header_and_safe_cells():
    data = ledger_workbook([("覆盖", "巡察覆盖台账", ["单位", "年度"], [["=SUM(1)", 2026], ["市教育局", 2027]])])
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert ws["A1"].value == "巡察覆盖台账" and ws["A2"].value == "单位" and ws["A2"].font.bold
    assert ws["A3"].value == "'=SUM(1)" and ws.freeze_panes == "A3"
