"""The documents of findings: the transfer letter of clues (关于移交…问题线索的函) in GB/T 9704 layout,
and the problem list (问题清单) as an Excel ledger. The layout is `xuncha.documents`'s; this module
only says what goes in. Callers pass records they have already checked the user may see.

The transfer letter is the only document that carries clue data: it goes to the receiver, under its
secret marking (机密 by default).
"""

from __future__ import annotations

import datetime

from docx.enum.text import WD_ALIGN_PARAGRAPH

from xuncha.documents.layout import HEADING_FONTS, SIZE_BODY, OfficialDocument, _set_fonts
from xuncha.documents.ledger import ledger_workbook
from xuncha.planning.models import authority_name

__all__ = ["transfer_letter", "problem_list_workbook", "PROBLEM_EXPORT_HEADERS"]


def _day(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _units_phrase(names: list[str]) -> str:
    unique = list(dict.fromkeys(n for n in names if n))
    if not unique:
        return ""
    if len(unique) <= 2:
        return "、".join(unique)
    return f"{'、'.join(unique[:2])}等{len(unique)}个单位"


def _secret_marking(doc: OfficialDocument, level: str, months: int | None = None) -> None:
    """密级 at the top left, 3号黑体, before the document number (GB/T 9704 7.2.2)."""
    first = doc.document.paragraphs[0]
    marking = first.insert_paragraph_before()
    marking.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = marking.add_run(f"{level}★{months}个月" if months else level)
    _set_fonts(run, HEADING_FONTS[1], SIZE_BODY)


def transfer_letter(transfer, clues: list) -> bytes:
    """关于移交…问题线索的函: numbered, addressed to the receiver, listing the clues with the persons
    concerned, asking for the disposition by the deadline; signed by the office of the inspection
    leading group. `clues`: the transferred clues (with `persons`)."""
    inspection = transfer.inspection
    authority = authority_name(transfer.authority)
    targets = [link.unit.name for link in inspection.target_links.select_related("unit").all()]
    about = _units_phrase([c.unit.name for c in clues if c.unit_id] or targets)
    doc = OfficialDocument(title=f"关于移交{about}有关问题线索的函", doc_number=transfer.number)
    _secret_marking(doc, transfer.secret_level)
    doc.addressee(transfer.receiver_name or transfer.get_receiver_kind_display())
    group = f"{authority}{inspection.group.name}"
    doc.paragraph(
        f"根据《中国共产党巡视工作条例》和{authority}巡察工作有关规定，{group}在对{_units_phrase(targets)}党组织"
        f"开展巡察期间，发现涉及有关人员的问题线索{len(clues)}条。经研究，现将上述问题线索移交你单位，"
        "请按照干部管理权限和有关规定予以处置。")
    doc.paragraph(
        f"请于{_day(transfer.due_date)}前将处置情况（谈话函询、初步核实、立案审查调查、组织处理或予以了结等）"
        f"书面反馈{authority}巡察工作领导小组办公室。")
    doc.paragraph("本函及所附线索材料属于机密事项，请严格按照保密规定管理和使用，不得扩散。"
                  if transfer.secret_level == "机密" else "本函及所附线索材料请严格按照保密规定管理和使用，不得扩散。")
    if transfer.remarks.strip():
        doc.paragraph(transfer.remarks.strip())
    doc.blank()
    doc.paragraph(f"附件：问题线索清单（共{len(clues)}条）")
    doc.signature(f"{authority}巡察工作领导小组办公室", transfer.transfer_date)
    doc.page_break()
    doc.paragraph("附件", indent=False)
    doc.heading(1, "问题线索清单")
    rows = []
    for index, clue in enumerate(clues, start=1):
        persons = "、".join(
            f"{p.name}（{'，'.join(x for x in (p.unit_name, p.post) if x)}）" if (p.unit_name or p.post) else p.name
            for p in clue.persons.all())
        rows.append([index, clue.number, persons, clue.summary, clue.get_source_display()])
    doc.table(["序号", "线索编号", "涉及人员", "主要问题", "来源"], rows, widths_mm=[12, 34, 42, 52, 16])
    return doc.to_bytes()


PROBLEM_EXPORT_HEADERS = ["序号", "巡察主体", "巡察组", "被巡察单位", "指标领域", "对应指标", "问题类型", "严重程度",
                          "问题标题", "问题描述", "责任人", "状态", "确认会议", "确认日期"]


def problem_list_workbook(problems, title: str) -> bytes:
    """问题清单 as an Excel ledger. `problems`: the caller's scoped, filtered queryset; read as plain
    values (and one query for the responsible cadres) so that a large list exports quickly."""
    from collections import defaultdict

    from .choices import ProblemKind, ProblemStatus, Severity
    from .models import Problem

    kinds, severities, statuses = dict(ProblemKind.choices), dict(Severity.choices), dict(ProblemStatus.choices)
    qs = problems.prefetch_related(None)
    cadres = defaultdict(list)
    through = Problem.responsible_cadres.through
    for problem_id, name in (through.objects.filter(problem_id__in=qs.values("pk"))
                             .order_by("problem_id", "id").values_list("problem_id", "cadre__name")):
        cadres[problem_id].append(name)
    rows = []
    for (pk, number, authority, group, unit, category, code, indicator, kind, severity, heading, description,
         responsible_text, status, meeting, meeting_date) in qs.values_list(
            "pk", "number", "authority__name", "inspection__group__name", "unit__name", "category__title",
            "indicator__code", "indicator__title", "kind", "severity", "title", "description", "responsible_text",
            "status", "meeting", "meeting_date").iterator(chunk_size=2000):
        responsible = "、".join(cadres.get(pk, []) + ([responsible_text] if responsible_text else []))
        rows.append([
            number, authority, group, unit, category or "", f"{code} {indicator}" if code else "",
            kinds.get(kind, kind), severities.get(severity, severity), heading, description, responsible,
            statuses.get(status, status), meeting, meeting_date.isoformat() if meeting_date else "",
        ])
    return ledger_workbook([("问题清单", title, PROBLEM_EXPORT_HEADERS, rows)])
