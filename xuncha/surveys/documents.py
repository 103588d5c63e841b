"""The Word sheet of answer slips (one QR code and link per slip, cut apart and handed out at the
meeting) and the Excel workbook of a closed survey's results (aggregates and free text only)."""

from __future__ import annotations

import io

import segno
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from xuncha.documents.layout import BODY_FONT, HEADING_FONTS, LATIN_FONT, MARGINS_MM, TITLE_FONT
from xuncha.documents.ledger import ledger_workbook

from .selectors import Results

__all__ = ["slips_docx", "results_xlsx", "qr_png"]

SLIPS_PER_ROW = 2


def qr_png(url: str, scale: int = 4) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def _font(run, east_asian: str, size: float, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold or None
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asian)


def _para(cell_or_doc, text: str, font: str, size: float, *, bold=False, align=WD_ALIGN_PARAGRAPH.CENTER, first=False):
    paragraph = cell_or_doc.paragraphs[0] if first and cell_or_doc.paragraphs else cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
    if text:
        _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _dashed_borders(table) -> None:
    """Dashed cut lines between slips."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "dashed")
        element.set(qn("w:sz"), "6")
        element.set(qn("w:color"), "808080")
        borders.append(element)
    tbl_pr.append(borders)


def slips_docx(*, survey, links: list[str], batch_label: str) -> bytes:
    """A4 pages of slips, two a row: the survey's title, the unit, a QR code, the link, how to answer.
    `links` are the answer URLs of freshly issued tokens; this document is their only copy."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(15), Mm(15)
    section.left_margin = section.right_margin = Mm(MARGINS_MM["right"] - 6)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(10.5)
    _para(document, f"{survey.title}·答题码", TITLE_FONT, 16, first=True)
    _para(document, f"{batch_label}（共{len(links)}份。请沿虚线裁开，每人一份；答题码只能使用一次，本文件请妥善保管、用后销毁）",
          BODY_FONT, 10.5)
    rows = (len(links) + SLIPS_PER_ROW - 1) // SLIPS_PER_ROW
    table = document.add_table(rows=rows, cols=SLIPS_PER_ROW)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _dashed_borders(table)
    width = (210 - 2 * (MARGINS_MM["right"] - 6)) / SLIPS_PER_ROW
    kind_label = survey.kind_label
    for index, link in enumerate(links):
        cell = table.cell(index // SLIPS_PER_ROW, index % SLIPS_PER_ROW)
        cell.width = Mm(width)
        _para(cell, survey.title, HEADING_FONTS[1], 12, first=True)
        _para(cell, f"被巡察单位：{survey.unit.name}", BODY_FONT, 10.5)
        picture = _para(cell, "", BODY_FONT, 10.5)
        picture.add_run().add_picture(io.BytesIO(qr_png(link)), width=Mm(32))
        _para(cell, "请用手机扫描二维码，或在浏览器中输入：", BODY_FONT, 9)
        _para(cell, link, LATIN_FONT, 8)
        _para(cell, f"本{kind_label}无记名，系统不记录答题人、答题码与答卷的对应关系。每码限用一次。", BODY_FONT, 9)
        _para(cell, "", BODY_FONT, 6)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def results_xlsx(results: Results) -> bytes:
    """Aggregates, the category breakdown and the free-text answers (in the order of their random
    keys). No token, no answer sheet, nothing per person."""
    survey = results.survey
    summary_rows = []
    for q in results.questions:
        if q.kind == "text":
            summary_rows.append([q.number, q.text, q.kind_label, "（文字意见）", len(q.texts), "", ""])
            continue
        for o in q.options:
            summary_rows.append([q.number, q.text, q.kind_label, o.label, o.count, f"{o.percent}%",
                                 f"{q.good_rate}%" if q.good_rate is not None else ""])
    sheets = [("统计结果", f"{survey.title}统计结果（收回答卷{results.responses}份）",
               ["题号", "题目", "题型", "选项", "人数", "占比", "好和较好率"], summary_rows)]
    if results.category_tables:
        rows = []
        for table in results.category_tables:
            for label, answered, cells in table.rows:
                rows.append([table.question.number, table.question.text, label, answered, "；".join(
                    f"{h} {v}" for h, v in zip(table.headers, cells, strict=True))])
        sheets.append(("分类统计", f"{survey.title}按身份类别统计", ["题号", "题目", "身份类别", "答卷数", "各选项人数（占比）"],
                       rows))
    text_rows = [[q.number, q.text, i, text] for q in results.questions if q.kind == "text"
                 for i, text in enumerate(q.texts, start=1)]
    sheets.append(("文字意见", f"{survey.title}文字意见（顺序随机，与提交先后无关）", ["题号", "题目", "序号", "内容"], text_rows))
    return ledger_workbook(sheets)
