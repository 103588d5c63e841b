"""Exports of the findings: an Excel ledger and a Word 检测报告 in the official-document layout.

Both are built from a ScanResult (or the scored document list) already limited to what the reader
sees; nothing here reads the database on its own.
"""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from xuncha.documents.layout import OfficialDocument
from xuncha.documents.ledger import ledger_workbook

from .detection import CONFIG
from .selectors import ScanResult, ScoredDocument

__all__ = ["pct", "scan_workbook", "scan_word_report", "document_list_workbook"]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _x(value):
    """Text without the control characters that Word and Excel files cannot hold."""
    return _CONTROL.sub("", value) if isinstance(value, str) else value


def _rows(rows: list[list]) -> list[list]:
    return [[_x(v) for v in row] for row in rows]


def pct(value: float | None) -> str:
    return f"{(value or 0) * 100:.1f}%"


def _doc_cells(doc) -> list:
    return [doc.author, doc.unit.name, doc.region.name, doc.year, doc.kind_label, doc.meeting, doc.filename]


def scan_workbook(result: ScanResult) -> bytes:
    """Sheets 检测结果, 比对明细, 近乎相同聚类, 标记段落."""
    scan = result.scan
    title = f"{scan.job.title}（{timezone.localtime(scan.created_at):%Y-%m-%d %H:%M}）"
    rows = []
    for i, row in enumerate(result.rows, start=1):
        s = row.score
        src = row.max_source
        rows.append([i, *_doc_cells(row.doc), s.length, pct(s.copy_ratio), pct(s.copy_ratio_excluding_boilerplate),
                     pct(s.max_source_ratio), str(src) if src else "", pct(s.boilerplate_ratio),
                     len(row.flagged_paragraphs), f"第 {row.cluster} 组" if row.cluster else "",
                     "是" if row.flagged else "否"])
    pairs = [[str(v.doc), v.doc.unit.name, str(v.partner), v.partner.unit.name, v.relation_label,
              pct(v.jaccard), pct(v.share), pct(v.partner_share), "近乎相同" if v.near_duplicate else "部分相同"]
             for v in result.pairs]
    clusters = [[f"第 {c['number']} 组", *_doc_cells(d), timezone.localtime(d.uploaded_at).strftime("%Y-%m-%d %H:%M"),
                 "疑似来源（年度最早、最早上传）" if j == 0 else "疑似重复"]
                for c in result.cluster_rows() for j, d in enumerate(c["members"])]
    paragraphs = [[str(row.doc), p.index + 1, pct(p.copy_ratio), row.doc.text[p.orig_start:p.orig_end][:1000]]
                  for row in result.flagged for p in row.flagged_paragraphs]
    doc_head = ["干部", "单位", "区域", "年度", "材料类型", "会议", "文件名"]
    return ledger_workbook([
        ("检测结果", f"{title}·检测结果", ["序号", *doc_head, "字数", "总文字复制比", "去除公共表述复制比",
                                      "单篇最大文字复制比", "最大来源", "公共表述占比", "标记段落数", "所属聚类",
                                      "是否疑似雷同"], _rows(rows)),
        ("比对明细", f"{title}·比对明细", ["材料甲", "甲单位", "材料乙", "乙单位", "关系", "相似度（Jaccard）",
                                      "甲中与乙相同的文字占比", "乙中与甲相同的文字占比", "判断"], _rows(pairs)),
        ("近乎相同聚类", f"{title}·近乎相同聚类", ["聚类", *doc_head, "上传时间", "判断"], _rows(clusters)),
        ("标记段落", f"{title}·标记段落", ["材料", "段落序号", "段落复制比", "段落内容"], _rows(paragraphs)),
    ])


def document_list_workbook(rows: list[ScoredDocument]) -> bytes:
    """The filtered document list with each document's scores (as the reader sees them)."""
    body = []
    for i, row in enumerate(rows, start=1):
        s = row.score
        src = row.max_source
        body.append([i, *_doc_cells(row.doc), s.length, pct(s.copy_ratio), pct(s.copy_ratio_excluding_boilerplate),
                     pct(s.max_source_ratio), str(src) if src else "", len(row.matches),
                     timezone.localtime(row.doc.uploaded_at).strftime("%Y-%m-%d %H:%M")])
    return ledger_workbook([("报告材料", "报告材料雷同检测情况", [
        "序号", "干部", "单位", "区域", "年度", "材料类型", "会议", "文件名", "字数", "总文字复制比",
        "去除公共表述复制比", "单篇最大文字复制比", "最大来源", "比对到的材料数", "上传时间"], _rows(body))])


def _excerpt(text: str, start: int, end: int, limit: int = 80) -> str:
    piece = " ".join(_x(text[start:end]).split())
    return piece if len(piece) <= limit else piece[:limit] + "……"


def scan_word_report(result: ScanResult, *, reader, today: datetime.date | None = None) -> bytes:
    """检测报告 in the GB/T 9704 layout: overview, flagged documents, clusters, pairs with excerpts, notes."""
    scan = result.scan
    today = today or timezone.localdate()
    doc = OfficialDocument(title="述职述廉报告雷同检测报告")
    flagged = result.flagged
    started = timezone.localtime(scan.created_at)
    doc.heading(1, "一、检测概况")
    doc.paragraph(
        f"{started:%Y年%m月%d日} {started:%H:%M}，{scan.created_by.display_name if scan.created_by else ''}"
        f"以“{scan.get_mode_display()}”方式对 {len(result.rows)} 份材料进行了雷同检测。"
        f"经检测，疑似雷同材料 {len(flagged)} 份，近乎相同材料 {len(result.clusters)} 组，"
        f"需逐对核对的材料 {len(result.pairs)} 对。")
    doc.paragraph(
        f"判定规则：连续 {CONFIG.kgram} 个字以上相同视为相同片段，连续 {CONFIG.guarantee} 个字以上相同保证检出，"
        f"短于 {CONFIG.min_match_chars} 个字的片段不计；忽略年份、日期、本人姓名、标点及“姓名、职务、单位”等表头行；"
        f"多份材料共有的套话（公共表述）单独标示，不计入复制比。总文字复制比达到 {pct(CONFIG.flag_copy_ratio)} "
        "或与他人材料近乎相同的，列为疑似雷同。")
    doc.heading(1, "二、疑似雷同材料")
    if flagged:
        doc.table(["序号", "干部", "单位", "年度", "总文字复制比", "去除公共表述", "单篇最大", "最大来源"],
                  [[i, r.doc.author, r.doc.unit.name, r.doc.year, pct(r.score.copy_ratio),
                    pct(r.score.copy_ratio_excluding_boilerplate), pct(r.score.max_source_ratio),
                    str(r.max_source) if r.max_source else ""] for i, r in enumerate(flagged, start=1)])
    else:
        doc.paragraph("未发现疑似雷同的材料。")
    doc.heading(1, "三、近乎相同材料")
    if result.clusters:
        for c in result.cluster_rows():
            names = "、".join(f"{d.author}{d.year}年度{d.kind_label}（{d.unit.name}）" for d in c["members"])
            doc.paragraph(f"第 {c['number']} 组（{len(c['members'])} 份）：{names}。"
                          f"其中{c['source'].author}{c['source'].year}年度材料年度最早、上传最早，为疑似来源。")
    else:
        doc.paragraph("未发现近乎相同的材料。")
    doc.heading(1, "四、逐对比对情况")
    if result.pairs:
        for i, view in enumerate(result.pairs[:50], start=1):
            doc.heading(2, f"（{_cn_number(i)}）{view.doc} 与 {view.partner}")
            doc.paragraph(f"相似度 {pct(view.jaccard)}；前者中与后者相同的文字占 {pct(view.share)}，"
                          f"后者中与前者相同的文字占 {pct(view.partner_share)}；"
                          f"判断：{'近乎相同' if view.near_duplicate else '部分相同'}。")
            longest = sorted((s for s in view.source_match().spans if not s.boilerplate),
                             key=lambda s: s.orig_start - s.orig_end)[:3]
            for span in sorted(longest, key=lambda s: s.orig_start):
                doc.paragraph(f"相同片段：“{_excerpt(view.doc.text, span.orig_start, span.orig_end)}”")
        if len(result.pairs) > 50:
            doc.paragraph(f"共 {len(result.pairs)} 对，仅列出相同比例最高的 50 对，其余见 Excel 明细。")
    else:
        doc.paragraph("没有需要逐对比对的材料。")
    doc.heading(1, "五、说明")
    doc.paragraph("本报告由巡察工作管理平台自动生成，仅包含报告生成人授权范围内的材料及其相互之间的比对结果；"
                  "检测结果供巡察组核实参考，疑似雷同情况须经人工核对后认定。")
    doc.paragraph(f"报告生成人：{reader.display_name}；生成日期：{today.year}年{today.month}月{today.day}日。")
    return doc.to_bytes()


def _cn_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
