"""Word documents in the official-document layout of GB/T 9704-2012 (党政机关公文格式).

What the standard fixes and this module writes:
- A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm);
- 22 lines of 28 characters: a line grid with a pitch of 28.95 pt, and body text condensed by
  0.25 pt a character so that exactly 28 characters of 16 pt fit the 156 mm line (a character grid,
  docGrid "linesAndChars", would say the same to Word but LibreOffice lays it out at half the
  density, so the spacing is written on the runs, which every word processor honours);
- title in 2号 (22 pt) 方正小标宋简体, centred; body in 3号 (16 pt) 仿宋_GB2312, first line indented
  two characters; headings 一、 in 黑体, （一） in 楷体_GB2312, 1. in 仿宋 bold;
- page numbers in 4号 (14 pt) 宋体 as "— 1 —", odd pages right and even pages left, one character in
  from the edge, under the text block.

Word and WPS substitute fonts the machine lacks; the names written are the ones the standard names.
Usage:
    doc = OfficialDocument(title="关于……的巡察工作方案")
    doc.heading(1, "一、巡察对象"); doc.paragraph("……"); doc.table(["序号", "单位"], rows)
    doc.signature("中共江城市委巡察工作领导小组办公室", date(2026, 3, 1))
    data = doc.to_bytes()
"""

from __future__ import annotations

import datetime
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_PAGE_NUMBER = Pt(14)  # 四号
LINE_PITCH_PT = 28.95  # 225 mm / 22 lines
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_PT = (210 - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 72


def condensed_twentieths() -> int:
    """Character spacing (w:spacing, in 1/20 pt) that fits exactly CHARS_PER_LINE body characters.

    Rounded down to the twentieth: 28 × (16 − 0.25) = 441 pt ≤ 442.2 pt < 29 × 15.75.
    """
    import math

    return math.floor((TEXT_WIDTH_PT / CHARS_PER_LINE - SIZE_BODY.pt) * 20) - 1


def _condense(run) -> None:
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(condensed_twentieths()))
    run._element.get_or_add_rPr().append(spacing)


def _set_fonts(run, east_asian: str, size=None, bold: bool | None = None) -> None:
    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold


def _exact_lines(paragraph, pitch_pt: float = LINE_PITCH_PT) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(pitch_pt)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _indent_chars(paragraph, chars: int) -> None:
    """First-line indent in characters (w:firstLineChars), with the twips Word falls back to."""
    ppr = paragraph._element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(chars * SIZE_BODY.pt * 20)))


def _page_field(paragraph, font_size) -> None:
    """"— PAGE —" with a real PAGE field, so Word numbers the pages itself."""

    def run(text=None):
        r = paragraph.add_run(text)
        _set_fonts(r, PAGE_NUMBER_FONT, font_size)
        return r

    run("— ")
    begin = run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "begin")
    begin._element.append(fld)
    instr = run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    instr._element.append(text)
    separate = run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "separate")
    separate._element.append(fld)
    run("1")
    end = run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    end._element.append(fld)
    run(" —")


class OfficialDocument:
    """A GB/T 9704 document built paragraph by paragraph."""

    def __init__(self, *, title: str, doc_number: str = "", landscape: bool = False):
        self.document = Document()
        self._setup_page(landscape)
        self._setup_styles()
        self._setup_page_numbers()
        if doc_number:
            self._line(doc_number, BODY_FONT, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.CENTER)
            self.blank()
        for line in title.split("\n"):
            self._line(line, TITLE_FONT, SIZE_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER)
        self.blank()

    # --- page, styles, numbers ------------------------------------------------------------

    def _setup_page(self, landscape: bool) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        if landscape:  # wide tables (ledgers) only; the margins keep their meaning
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])
        section.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 5)  # numbers 7 mm under the text block
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))

    def _setup_styles(self) -> None:
        normal = self.document.styles["Normal"]
        normal.font.name = LATIN_FONT
        normal.font.size = SIZE_BODY
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.set(qn("w:eastAsia"), BODY_FONT)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PITCH_PT)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = False  # official documents fill every line of a page

    def _setup_page_numbers(self) -> None:
        self.document.settings.odd_and_even_pages_header_footer = True
        section = self.document.sections[0]
        one_char = SIZE_PAGE_NUMBER
        odd = section.footer.paragraphs[0]
        odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        odd.paragraph_format.right_indent = one_char
        _page_field(odd, SIZE_PAGE_NUMBER)
        even = section.even_page_footer.paragraphs[0]
        even.alignment = WD_ALIGN_PARAGRAPH.LEFT
        even.paragraph_format.left_indent = one_char
        _page_field(even, SIZE_PAGE_NUMBER)

    # --- content ----------------------------------------------------------------------------

    def _line(self, text: str, font: str, size, *, align=None, bold=None, indent_chars: int = 0):
        paragraph = self.document.add_paragraph()
        _exact_lines(paragraph, LINE_PITCH_PT if size.pt <= SIZE_BODY.pt else max(LINE_PITCH_PT, size.pt * 1.5))
        if align is not None:
            paragraph.alignment = align
        if indent_chars:
            _indent_chars(paragraph, indent_chars)
        run = paragraph.add_run(text)
        _set_fonts(run, font, size, bold)
        if size == SIZE_BODY:
            _condense(run)
        return paragraph

    def blank(self):
        return self._line("", BODY_FONT, SIZE_BODY)

    def addressee(self, text: str):
        """主送机关: flush left, ending with a full-width colon."""
        return self._line(text.rstrip("：:") + "：", BODY_FONT, SIZE_BODY)

    def heading(self, level: int, text: str):
        """Levels 1–4 of the structure numbers 一、 （一） 1. （1）."""
        if level not in HEADING_FONTS:
            raise ValueError("heading level must be 1-4")
        return self._line(text, HEADING_FONTS[level], SIZE_BODY, bold=True if level == 3 else None,
                          indent_chars=2)

    def paragraph(self, text: str, *, indent: bool = True):
        return self._line(text, BODY_FONT, SIZE_BODY, indent_chars=2 if indent else 0)

    def table(self, headers: list[str], rows: list[list], *, widths_mm: list[float] | None = None,
              font_size=None):
        """A ruled table; cells in 仿宋 (小四 by default so that ledgers fit), header row bold."""
        font_size = font_size or Pt(12)
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            self._cell(cell, text, font_size, bold=True)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                self._cell(cell, "" if value is None else str(value), font_size)
        if widths_mm:
            for row in table.rows:
                for cell, width in zip(row.cells, widths_mm, strict=True):
                    cell.width = Mm(width)
        return table

    def _cell(self, cell, text: str, size, bold: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        _exact_lines(paragraph, max(size.pt * 1.5, 18))
        run = paragraph.add_run(text)
        _set_fonts(run, BODY_FONT, size, bold or None)

    def signature(self, issuer: str, date: datetime.date):
        """发文机关署名 and 成文日期 (right, four characters in), dates in Arabic numerals."""
        self.blank()
        self.blank()
        for text in (issuer, f"{date.year}年{date.month}月{date.day}日"):
            paragraph = self._line(text, BODY_FONT, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = Pt(SIZE_BODY.pt * 4)

    def page_break(self):
        from docx.enum.text import WD_BREAK

        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()
