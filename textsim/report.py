"""Rendering a :class:`~textsim.index.ScanReport` as self-contained HTML or as XLSX.

The HTML has inline CSS only: no scripts, fonts, images or links to anything
outside the file, so it can be archived with the inspection dossier and opened
offline. Matched passages are highlighted in red (计入复制比), 公共表述 in blue
(不计入复制比).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Sequence
from pathlib import Path

from .index import ScanReport
from .scoring import DocumentScore, MatchedSpan, PairScore
from .store import Document

NONE, BOILER, COPY = 0, 1, 2
MAX_PAIRS_SHOWN = 200

_CSS = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","Source Han Sans SC",sans-serif;
margin:24px;color:#222;line-height:1.6}
h1{font-size:24px;margin-bottom:4px}h2{font-size:19px;border-bottom:2px solid #b22;padding-bottom:4px;margin-top:32px}
h3{font-size:16px;margin:20px 0 6px}
table{border-collapse:collapse;margin:8px 0;font-size:14px}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3e9e9}td.num{text-align:right;font-variant-numeric:tabular-nums}
.meta{color:#555}.high{color:#b00;font-weight:bold}
mark.copy{background:#ffc9c9;color:#900}mark.boiler{background:#d6e6ff;color:#234}
.legend mark{padding:0 6px}
.side{display:flex;gap:12px}.side>div{flex:1;min-width:0}
.text{border:1px solid #ddd;padding:8px;white-space:pre-wrap;word-break:break-all;font-size:14px;
max-height:600px;overflow:auto;background:#fcfcfc}
.small{font-size:13px;color:#666}
"""


def pct(x: float) -> str:
    """``0.9321`` → ``"93.2%"``."""
    return f"{x * 100:.1f}%"


def format_time(value: float) -> str:
    """Upload time: a Unix timestamp as local date-time, small numbers as an order number."""
    if value > 1e8:
        return dt.datetime.fromtimestamp(value).strftime("%Y-%m-%d %H:%M")
    return f"第 {value:g} 位"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def highlight(text: str, spans: Iterable[MatchedSpan]) -> str:
    """HTML of ``text`` with spans marked; a copied span wins over boilerplate where they overlap."""
    labels = bytearray(len(text))
    for s in spans:
        value = BOILER if s.boilerplate else COPY
        for i in range(s.orig_start, min(s.orig_end, len(text))):
            if labels[i] < value:
                labels[i] = value
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and labels[j] == labels[i]:
            j += 1
        chunk = _e(text[i:j])
        if labels[i] == COPY:
            out.append(f'<mark class="copy">{chunk}</mark>')
        elif labels[i] == BOILER:
            out.append(f'<mark class="boiler">{chunk}</mark>')
        else:
            out.append(chunk)
        i = j
    return "".join(out)


def _name(report: ScanReport, doc_id: str | None) -> str:
    if doc_id is None:
        return ""
    doc = report.documents.get(doc_id)
    return doc.display_name if doc else doc_id


def _author(doc: Document | None) -> str:
    return (doc.author or "") if doc else ""


def _pair_anchor(pairs: Sequence[PairScore]) -> dict[frozenset[str], str]:
    return {frozenset((p.a_id, p.b_id)): f"pair-{i}" for i, p in enumerate(pairs, start=1)}


def _summary_table(report: ScanReport, rows: list[DocumentScore], anchors: dict[frozenset[str], str]) -> str:
    head = ("<tr><th>序号</th><th>文件</th><th>作者</th><th>字数</th><th>总文字复制比</th>"
            "<th>去除公共表述复制比</th><th>单篇最大文字复制比</th><th>最大来源</th><th>公共表述占比</th>"
            "<th>标记段落</th><th>聚类</th></tr>")
    body = []
    for i, s in enumerate(rows, start=1):
        doc = report.documents.get(s.doc_id)
        src = _e(_name(report, s.max_source_id))
        anchor = anchors.get(frozenset((s.doc_id, s.max_source_id or "")))
        if anchor and src:
            src = f'<a href="#{anchor}">{src}</a>'
        cls = ' class="num high"' if s.copy_ratio >= report.config.flag_copy_ratio else ' class="num"'
        cluster = report.cluster_of(s.doc_id)
        body.append(
            f"<tr><td class=num>{i}</td><td>{_e(_name(report, s.doc_id))}</td><td>{_e(_author(doc))}</td>"
            f"<td class=num>{s.length}</td><td{cls}>{pct(s.copy_ratio)}</td>"
            f"<td class=num>{pct(s.copy_ratio_excluding_boilerplate)}</td><td class=num>{pct(s.max_source_ratio)}</td>"
            f"<td>{src}</td><td class=num>{pct(s.boilerplate_ratio)}</td>"
            f"<td class=num>{len(s.flagged_paragraphs)}</td><td>{f'第 {cluster} 组' if cluster else ''}</td></tr>")
    return f"<table>{head}{''.join(body)}</table>"


def _clusters_html(report: ScanReport) -> str:
    if not report.clusters:
        return "<p>未发现近乎相同的文档。</p>"
    parts = []
    for i, cluster in enumerate(report.clusters, start=1):
        rows = []
        for j, doc_id in enumerate(cluster.members):
            doc = report.documents.get(doc_id)
            role = "疑似来源（最早上传）" if j == 0 else "疑似重复"
            rows.append(f"<tr><td>{_e(_name(report, doc_id))}</td><td>{_e(_author(doc))}</td>"
                        f"<td>{_e(format_time(doc.uploaded_at)) if doc else ''}</td><td>{role}</td></tr>")
        parts.append(f"<h3>第 {i} 组（{len(cluster.members)} 份）：疑似来源为 {_e(_name(report, cluster.source_id))}</h3>"
                     "<table><tr><th>文件</th><th>作者</th><th>上传时间</th><th>判断</th></tr>"
                     + "".join(rows) + "</table>")
    return "".join(parts)


def _pair_html(report: ScanReport, pair: PairScore, anchor: str) -> str:
    a, b = report.documents[pair.a_id], report.documents[pair.b_id]
    # Show the earlier upload on the left: it is the likely source.
    left, right = (a, b) if (a.uploaded_at, a.doc_id) <= (b.uploaded_at, b.doc_id) else (b, a)
    spans = {pair.a_id: pair.a_spans, pair.b_id: pair.b_spans}
    shares = {pair.a_id: pair.a_share, pair.b_id: pair.b_share}
    cols = []
    for doc in (left, right):
        cols.append(
            f"<div><h4>{_e(doc.display_name)}（{_e(_author(doc) or '作者不详')}，上传：{_e(format_time(doc.uploaded_at))}）</h4>"
            f"<p class=small>本文中与对方相同的文字占比：{pct(shares[doc.doc_id])}</p>"
            f"<div class=text>{highlight(doc.text, spans[doc.doc_id])}</div></div>")
    verdict = "近乎相同" if pair.near_duplicate else "部分相同"
    return (f'<h3 id="{anchor}">{_e(left.display_name)} ↔ {_e(right.display_name)}（{verdict}）</h3>'
            f"<p class=small>文档相似度（Jaccard）：{pct(pair.jaccard)}；匹配片段 "
            f"{sum(1 for s in pair.a_spans if not s.boilerplate)} 处</p>"
            f'<div class="side">{"".join(cols)}</div>')


def _paragraphs_html(report: ScanReport, rows: list[DocumentScore]) -> str:
    parts = []
    for s in rows:
        flagged = s.flagged_paragraphs
        if not flagged:
            continue
        text = report.documents[s.doc_id].text
        items = "".join(
            f"<tr><td class=num>{p.index + 1}</td><td class=num>{pct(p.copy_ratio)}</td>"
            f"<td>{_e(text[p.orig_start:p.orig_end])}</td></tr>" for p in flagged)
        parts.append(f"<h3>{_e(_name(report, s.doc_id))}</h3><table><tr><th>行号</th><th>段落复制比</th>"
                     f"<th>段落内容</th></tr>{items}</table>")
    return "".join(parts) or "<p>没有复制比超过阈值的段落。</p>"


def render_html(report: ScanReport, *, title: str = "文本查重报告", max_pairs: int = MAX_PAIRS_SHOWN) -> str:
    """The whole report as one self-contained HTML document."""
    cfg = report.config
    flagged = report.flagged()
    pairs = report.flagged_pairs()
    shown = pairs[:max_pairs]
    anchors = _pair_anchor(shown)
    all_rows = sorted((report.scores[d] for d in report.subjects), key=lambda s: (-s.copy_ratio, s.doc_id))
    generated = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    sections = [
        f"<h1>{_e(title)}</h1>",
        f"<p class=meta>生成时间：{generated}。本次扫描 {len(report.subjects)} 份文档（索引中共 "
        f"{report.indexed_count} 份），疑似重复 {len(flagged)} 份，近乎相同文档 {len(report.clusters)} 组，"
        f"读取失败 {len(report.errors)} 个文件。</p>",
        '<p class="legend small">图例：<mark class="copy">与对方文档相同的文字（计入复制比）</mark> '
        '<mark class="boiler">公共表述（多份文档共有的套话，不计入复制比）</mark></p>',
        f"<p class=small>判定规则：连续 {cfg.kgram} 个字以上相同即视为相同片段，连续 {cfg.guarantee} 个字以上相同"
        f"保证检出；忽略年份、日期、作者本人姓名、标点及“姓名、职务、单位”等表头行；同一句话出现在超过 "
        f"{cfg.boilerplate_max_docs} 份且超过 {pct(cfg.boilerplate_max_share)} 的文档中视为公共表述。"
        f"总文字复制比达到 {pct(cfg.flag_copy_ratio)} 或与他人文档近乎相同的文档列为疑似重复。</p>",
        "<h2>疑似重复文档</h2>",
        _summary_table(report, flagged, anchors) if flagged else "<p>未发现疑似重复的文档。</p>",
        "<h2>近乎相同的文档聚类</h2>",
        _clusters_html(report),
        "<h2>逐对比对</h2>",
    ]
    if len(pairs) > len(shown):
        sections.append(f"<p class=small>共 {len(pairs)} 对，仅显示相同比例最高的 {len(shown)} 对。</p>")
    sections.extend(_pair_html(report, p, anchors[frozenset((p.a_id, p.b_id))]) for p in shown)
    if not shown:
        sections.append("<p>没有需要逐对比对的文档。</p>")
    sections += ["<h2>复制比超过阈值的段落</h2>", _paragraphs_html(report, flagged)]
    if report.errors:
        rows = "".join(f"<tr><td>{_e(f)}</td><td>{_e(m)}</td></tr>" for f, m in report.errors)
        sections += ["<h2>读取失败的文件</h2>", f"<table><tr><th>文件</th><th>原因</th></tr>{rows}</table>"]
    sections += ["<h2>全部文档</h2>", _summary_table(report, all_rows, anchors)]
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>{''.join(sections)}</body></html>")


def write_html(report: ScanReport, path: str | Path, *, title: str = "文本查重报告",
               max_pairs: int = MAX_PAIRS_SHOWN) -> None:
    """Write :func:`render_html` to ``path`` as UTF-8."""
    Path(path).write_text(render_html(report, title=title, max_pairs=max_pairs), encoding="utf-8")


def write_xlsx(report: ScanReport, path: str | Path) -> None:
    """Workbook with sheets 文档复制比, 文档对比, 近乎相同聚类, 标记段落 and 读取失败."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F3E9E9")

    def sheet(title: str, header: list[str], rows: Iterable[list[object]], widths: list[int],
              percent_cols: Sequence[int] = (), first: bool = False) -> None:
        ws = wb.active if first else wb.create_sheet()
        ws.title = title
        ws.append(header)
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
        for row in rows:
            ws.append(row)
        for col in percent_cols:
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.number_format = "0.0%"
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
        ws.freeze_panes = "A2"

    scores = sorted((report.scores[d] for d in report.subjects), key=lambda s: (-s.copy_ratio, s.doc_id))
    sheet("文档复制比",
          ["文件", "作者", "字数", "总文字复制比", "去除公共表述复制比", "单篇最大文字复制比", "最大来源",
           "公共表述占比", "标记段落数", "所属聚类", "是否疑似重复"],
          ([_name(report, s.doc_id), _author(report.documents.get(s.doc_id)), s.length, s.copy_ratio,
            s.copy_ratio_excluding_boilerplate, s.max_source_ratio, _name(report, s.max_source_id),
            s.boilerplate_ratio, len(s.flagged_paragraphs),
            f"第 {c} 组" if (c := report.cluster_of(s.doc_id)) else "",
            "是" if report.is_flagged(s.doc_id) else "否"] for s in scores),
          [40, 10, 8, 14, 18, 18, 40, 14, 12, 10, 14], percent_cols=(4, 5, 6, 8), first=True)
    sheet("文档对比",
          ["文档甲", "文档乙", "相似度（Jaccard）", "甲中与乙相同的文字占比", "乙中与甲相同的文字占比", "判断"],
          ([_name(report, p.a_id), _name(report, p.b_id), p.jaccard, p.a_share, p.b_share,
            "近乎相同" if p.near_duplicate else "部分相同"]
           for p in sorted(report.pairs, key=lambda p: (-p.max_share, p.a_id, p.b_id))),
          [40, 40, 18, 24, 24, 10], percent_cols=(3, 4, 5))
    sheet("近乎相同聚类", ["聚类", "文件", "作者", "上传时间", "判断"],
          ([f"第 {i} 组", _name(report, d), _author(report.documents.get(d)),
            format_time(report.documents[d].uploaded_at), "疑似来源（最早上传）" if j == 0 else "疑似重复"]
           for i, c in enumerate(report.clusters, start=1) for j, d in enumerate(c.members)),
          [10, 40, 10, 18, 20])
    sheet("标记段落", ["文件", "行号", "段落复制比", "段落内容"],
          ([_name(report, s.doc_id), p.index + 1, p.copy_ratio,
            report.documents[s.doc_id].text[p.orig_start:p.orig_end]]
           for s in scores for p in s.flagged_paragraphs),
          [40, 8, 12, 100], percent_cols=(3,))
    sheet("读取失败", ["文件", "原因"], ([f, m] for f, m in report.errors), [50, 80])
    for (cell,) in wb["标记段落"].iter_rows(min_row=2, min_col=4, max_col=4):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(str(path))
