"""The documents of reporting in the GB/T 9704 layout (`documents.layout.OfficialDocument`): the
inspection report's first draft (巡察报告初稿), the feedback to a unit (反馈意见), and the Excel
catalogue of an archive volume (卷内目录). This module only says what goes in; callers pass records
they have already checked the user may act on.

The report never carries clue content: only the number of clues, in one sentence.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from xuncha.documents.layout import OfficialDocument
from xuncha.documents.ledger import ledger_workbook
from xuncha.planning.choices import chinese_number
from xuncha.planning.models import authority_name

from .sources import CountRow, ProblemSection, problem_sections

__all__ = ["report_title", "report_document", "feedback_title", "feedback_document", "archive_catalogue",
           "DEFAULT_RECOMMENDATIONS", "DEFAULT_FEEDBACK_ADVICE", "RECTIFICATION_DEADLINE"]

DEFAULT_RECOMMENDATIONS = [
    "（一）坚决扛起管党治党政治责任。被巡察单位党组织要切实履行全面从严治党主体责任，主要负责人履行第一责任人职责，"
    "班子成员落实“一岗双责”，把巡察整改作为重要政治任务抓紧抓实。",
    "（二）扎实推进问题整改。针对巡察发现的问题，逐条制定整改措施，明确责任人和整改时限，做到纠正、清理、问责、"
    "建章立制同步推进，确保件件有着落、事事有回音。",
    "（三）建立健全长效机制。举一反三，查找制度漏洞，完善权力运行制约和监督机制，推动巡察成果转化为治理效能。",
    "（四）强化巡察成果运用。建议有关职能部门将巡察发现的问题纳入日常监督，把整改情况作为干部考核评价的重要依据。",
]

DEFAULT_FEEDBACK_ADVICE = [
    "（一）提高政治站位，切实履行整改主体责任。党组织书记要履行第一责任人职责，亲自研究部署整改工作；"
    "班子成员要认领任务，抓好分管领域的整改落实。",
    "（二）坚持问题导向，逐项抓好整改落实。对照反馈的问题，制定整改方案，建立问题清单、任务清单、责任清单，"
    "明确整改措施和完成时限，整改一项、销号一项。",
    "（三）注重标本兼治，建立健全长效机制。深入剖析问题根源，在纠正问题的同时完善制度、堵塞漏洞，防止问题反弹。",
    "（四）严明纪律要求，加强干部队伍建设。严格执行中央八项规定及其实施细则精神，加强对“关键少数”的监督，"
    "营造风清气正的政治生态。",
]

RECTIFICATION_DEADLINE = (
    "请你单位党组织认真研究巡察反馈意见，制定整改方案，在收到反馈意见后2个月内，"
    "将整改情况报告报送{authority}巡察工作领导小组办公室，同时抄送{authority}有关部门。"
    "整改进展情况按规定向党内和社会公开。")


def _day(value: datetime.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "——"


def _span(first, last) -> str:
    if first is None:
        return _day(last)
    if last is None or first == last:
        return _day(first)
    tail = f"{last.month}月{last.day}日" if last.year == first.year else _day(last)
    return f"{_day(first)}至{tail}"


def _unit_names(units) -> str:
    return "、".join(u.name for u in units) or "被巡察单位"


def group_signature(inspection) -> str:
    """中共青阳县委巡察工作领导小组第一巡察组 → signed as the group of the authority."""
    return f"{authority_name(inspection.authority)}{inspection.group.name}"


def report_title(inspection, units) -> str:
    return f"关于对{_unit_names(units)}党组织的巡察情况报告"


def feedback_title(inspection, unit) -> str:
    return f"{group_signature(inspection)}关于巡察{unit.name}党组织的反馈意见"


def _section_title(title: str) -> str:
    title = title.strip().rstrip("。")
    return title if title.endswith(("方面", "问题")) else f"{title}方面"


def _write_problem(doc: OfficialDocument, number: int, problem) -> None:
    doc.heading(3, f"{number}. {problem.title.strip().rstrip('。')}。")
    for line in (problem.description or "").strip().splitlines():
        if line.strip():
            doc.paragraph(line.strip())


def _write_sections(doc: OfficialDocument, sections: list[ProblemSection], *, first: int, second_level: bool):
    """Level-1 sections numbered from `first` (一、二、…) when `second_level` is False, else as
    （一）（二） under a heading the caller wrote; level-2 subsections one level down; problems 1. 2. …"""
    for index, section in enumerate(sections, start=first):
        title = _section_title(section.title)
        if second_level:
            doc.heading(2, f"（{chinese_number(index)}）{title}存在的问题")
        else:
            doc.heading(1, f"{chinese_number(index)}、{title}存在的问题")
        number = 1
        for problem in section.problems:
            _write_problem(doc, number, problem)
            number += 1
        for sub_index, (sub_title, _, problems) in enumerate(section.subsections, start=1):
            if second_level:
                doc.heading(3, f"{sub_index}. {sub_title}")
            else:
                doc.heading(2, f"（{chinese_number(sub_index)}）{sub_title}")
            for problem in problems:
                _write_problem(doc, number, problem)
                number += 1


def report_document(*, inspection, units: list, methods: list[CountRow], problems: list, clue_count: int | None,
                    recommendations: str = "", today: datetime.date | None = None) -> bytes:
    """巡察报告初稿: the basic situation (dates, group, methods with counts), the confirmed problems
    organised by the indicator tree (一、 level 1, （一） level 2, 1. problems), the number of clues
    (never their content), the recommendations."""
    today = today or timezone.localdate()
    rnd = inspection.round
    authority = authority_name(inspection.authority)
    names = _unit_names(units)
    doc = OfficialDocument(title=report_title(inspection, units))
    doc.addressee(f"{authority}巡察工作领导小组")
    end = inspection.report_date or rnd.end_date
    doc.paragraph(
        f"根据{authority}巡察工作统一部署，{authority}{inspection.group.name}于{_span(inspection.stationed_date, end)}"
        f"对{names}党组织开展了{rnd.get_kind_display()}（{rnd}）。巡察组坚持以习近平新时代中国特色社会主义思想为指导，"
        "坚守政治监督定位，聚焦“四个落实”，深入了解情况、发现问题。现将巡察情况报告如下。")
    used = [m for m in methods if m.value]
    if used:
        doc.paragraph("巡察期间，巡察组" + "，".join(f"{m.label}{m.value}{m.unit}" for m in used)
                      + "，较为全面地掌握了被巡察单位党组织的有关情况。")
    else:
        doc.paragraph("巡察期间，巡察组通过听取汇报、个别谈话、受理信访、调阅资料、走访调研等方式了解情况。")
    doc.table(["工作方式", "数量"], [[m.label, m.text] for m in methods], widths_mm=[90, 40])
    sections = problem_sections(problems)
    if sections:
        doc.paragraph(f"经巡察组集体研究确认，共发现{names}党组织在以下方面存在问题{len(problems)}个：")
        _write_sections(doc, sections, first=1, second_level=False)
    else:
        doc.paragraph("截至本报告形成时，巡察组尚无经确认的问题。")
    if clue_count:
        doc.paragraph(f"另发现问题线索{clue_count}件，已按规定移交。")
    doc.heading(1, f"{chinese_number(len(sections) + 1)}、意见建议")
    lines = [line.strip() for line in (recommendations or "").splitlines() if line.strip()] or DEFAULT_RECOMMENDATIONS
    for line in lines:
        doc.paragraph(line)
    doc.signature(group_signature(inspection), today)
    return doc.to_bytes()


def feedback_document(*, inspection, unit, problems: list, advice: str = "",
                      today: datetime.date | None = None) -> bytes:
    """反馈意见 to one unit: 一、巡察发现的主要问题 (the unit's confirmed problems by indicator),
    二、整改意见和建议, then the 2-month rectification report deadline."""
    today = today or timezone.localdate()
    rnd = inspection.round
    authority = authority_name(inspection.authority)
    doc = OfficialDocument(title=f"{group_signature(inspection)}\n关于巡察{unit.name}党组织的反馈意见")
    doc.addressee(f"{unit.name}党组织")
    end = inspection.report_date or rnd.end_date
    doc.paragraph(
        f"根据{authority}统一部署，{authority}{inspection.group.name}于{_span(inspection.stationed_date, end)}"
        f"对你单位党组织进行了巡察。巡察期间，你单位党组织积极支持配合巡察工作。经{authority}巡察工作领导小组审定，"
        "现将巡察发现的主要问题和整改意见反馈如下。")
    doc.heading(1, "一、巡察发现的主要问题")
    sections = problem_sections(problems)
    if sections:
        _write_sections(doc, sections, first=1, second_level=True)
    else:
        doc.paragraph("巡察未发现需要反馈的问题。")
    doc.heading(1, "二、整改意见和建议")
    lines = [line.strip() for line in (advice or "").splitlines() if line.strip()] or DEFAULT_FEEDBACK_ADVICE
    for line in lines:
        doc.paragraph(line)
    doc.paragraph(RECTIFICATION_DEADLINE.format(authority=authority))
    doc.signature(group_signature(inspection), today)
    return doc.to_bytes()


CATALOGUE_HEADERS = ["序号", "文件题名", "类别", "所属记录", "责任者", "形成时间", "大小（字节）", "压缩包内路径", "SHA-256"]


def archive_catalogue(*, title: str, entries: list[dict], counts: list[CountRow], checklist) -> bytes:
    """卷内目录 of an archive export: one row per file in the zip; a sheet with the counts and the
    checklist items as ticked."""
    rows = [[i, e["name"], e["category"], e["record"], e["author"], e["created"], e["size"], e["path"], e["sha256"]]
            for i, e in enumerate(entries, start=1)]
    sheets = [("卷内目录", f"{title}卷内目录", CATALOGUE_HEADERS, rows)]
    sheets.append(("归档统计", f"{title}归档统计", ["项目", "数量"],
                   [[c.label, "未启用" if c.value is None else c.value] for c in counts]))
    items = list(checklist.items.all()) if checklist is not None else []
    sheets.append(("归档事项", f"{title}归档事项", ["事项", "状态", "确认人", "确认时间", "说明"],
                   [[i.label, "已完成" if i.is_done else "未完成", i.done_by.username if i.done_by_id else "",
                     timezone.localtime(i.done_at).strftime("%Y-%m-%d %H:%M") if i.done_at else "", i.note]
                    for i in items]))
    return ledger_workbook(sheets)
