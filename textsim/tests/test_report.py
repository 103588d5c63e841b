from __future__ import annotations

import random

from textsim.index import Index
from textsim.report import format_time, highlight, pct, render_html
from textsim.scoring import MatchedSpan
from textsim.store import Document
from textsim.synthetic import make_report, shift_year


def _span(start: int, end: int, boilerplate: bool = False) -> MatchedSpan:
    return MatchedSpan(0, 0, start, end, 0, 0, boilerplate)


def test_highlight_marks_copy_over_boilerplate_and_escapes_html() -> None:
    text = "<b>甲乙丙丁戊己"
    out = highlight(text, [_span(3, 6, boilerplate=True), _span(5, 8)])
    assert out == ('&lt;b&gt;<mark class="boiler">甲乙</mark><mark class="copy">丙丁戊</mark>己')


def test_formatting_helpers() -> None:
    assert pct(0.9321) == "93.2%"
    assert format_time(3) == "第 3 位"
    assert format_time(1_700_000_000).startswith("2023-11-1")


def test_html_is_self_contained_and_shows_the_pair() -> None:
    text = make_report(random.Random(1), 2023, name="郑华") + "\n<script>alert(1)</script>"
    docs = [Document("a", text, author="郑华", uploaded_at=1, metadata={"filename": "2023郑华.docx"}),
            Document("b", shift_year(text, 2023, 2024), author="郑华", uploaded_at=2,
                     metadata={"filename": "2024郑华.docx"})]
    report = Index().scan(docs)
    report.errors = [("坏.pdf", "扫描件无文字层，请提供文字版 PDF 或 Word 文件")]
    page = render_html(report)
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page and "@import" not in page and "src=" not in page
    for heading in ("疑似重复文档", "总文字复制比", "去除公共表述复制比", "公共表述占比", "近乎相同的文档聚类",
                    "逐对比对", "读取失败的文件", "疑似来源（最早上传）"):
        assert heading in page
    assert '<mark class="copy">' in page and "2023郑华.docx ↔ 2024郑华.docx" in page
