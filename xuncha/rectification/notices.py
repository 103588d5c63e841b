"""The month's figures of a supervision group and its notice (整改督查通报) as a Word document.

The figures are computed once, when the month's round is created (`services.run_month`), as of the
month's last day, all aggregated in SQL (a constant number of queries whatever the number of tasks);
the document is drawn from them in the GB/T 9704 layout, with two bar charts as PNG images.
"""

from __future__ import annotations

import calendar
import datetime
import io
from functools import reduce
from operator import or_

from django.db.models import Count, Q
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm

from xuncha.core.files import store_bytes
from xuncha.documents.layout import HEADING_FONTS, SIZE_BODY, OfficialDocument
from xuncha.planning.models import authority_name

from . import choices as c
from .charts import bar_chart_png
from .models import RectificationPlan, RectificationTask, SupervisionGroup

__all__ = ["group_tasks", "group_plans", "month_figures", "notice_title", "notice_number", "notice_docx",
           "store_notice"]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TOP_UNITS = 15


def _region_q(group: SupervisionGroup, prefix: str) -> Q:
    regions = list(group.regions.all())
    if not regions:
        return Q()
    return reduce(or_, (Q(**{f"{prefix}unit__region__path__startswith": r.path}) for r in regions))


def group_tasks(group: SupervisionGroup):
    """The tasks a group supervises: its authority's, limited to its regions when it names any."""
    return RectificationTask.objects.filter(Q(authority_id=group.authority_id) & _region_q(group, ""))


def group_plans(group: SupervisionGroup):
    return RectificationPlan.objects.filter(Q(authority_id=group.authority_id) & _region_q(group, ""))


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _rate(done: int, total: int) -> float:
    return round(done * 100 / total, 1) if total else 0.0


def month_figures(group: SupervisionGroup, year: int, month: int) -> dict:
    """Plans, reports due, tasks by status and kind, late units: the state when the round is created,
    with deadlines judged as of the month's last day (or today, for the running month)."""
    as_of = min(month_end(year, month), timezone.localdate())
    tasks = group_tasks(group)
    done = Q(status=c.TaskStatus.ACCEPTED)
    overdue = Q(deadline__lt=as_of) & ~done
    totals = tasks.aggregate(total=Count("id"), accepted=Count("id", filter=done),
                             review=Count("id", filter=Q(status=c.TaskStatus.REVIEW)),
                             progress=Count("id", filter=Q(status=c.TaskStatus.PROGRESS)),
                             pending=Count("id", filter=Q(status=c.TaskStatus.PENDING)),
                             overdue=Count("id", filter=overdue),
                             reopened=Count("id", filter=Q(reopen_count__gt=0)))
    by_kind = {row["kind"]: row for row in tasks.values("kind").annotate(
        total=Count("id"), accepted=Count("id", filter=done), overdue=Count("id", filter=overdue))}
    kinds = [{"kind": k.label, "total": by_kind.get(k.value, {}).get("total", 0),
              "accepted": by_kind.get(k.value, {}).get("accepted", 0),
              "overdue": by_kind.get(k.value, {}).get("overdue", 0)} for k in c.MeasureKind]
    for row in kinds:
        row["rate"] = _rate(row["accepted"], row["total"])
    units = list(tasks.values("unit_id", "unit__name").annotate(
        total=Count("id"), accepted=Count("id", filter=done), overdue=Count("id", filter=overdue)).order_by(
        "-overdue", "unit__name")[:200])
    plans = group_plans(group)
    report_late = plans.filter(report_due__lt=as_of).filter(
        Q(report_submitted_at__isnull=True) | Q(report_submitted_at__date__gt=as_of)).values_list(
        "unit__name", "report_due").order_by("report_due", "unit__name")
    plan_totals = plans.aggregate(total=Count("id"), approved=Count("id", filter=Q(status=c.PlanStatus.APPROVED)),
                                  waiting=Count("id", filter=Q(status=c.PlanStatus.SUBMITTED)))
    return {
        "as_of": as_of.isoformat(), "year": year, "month": month,
        "plans": plan_totals,
        "tasks": {**totals, "rate": _rate(totals["accepted"], totals["total"])},
        "kinds": kinds,
        "units": [{"name": u["unit__name"], "total": u["total"], "accepted": u["accepted"], "overdue": u["overdue"],
                   "rate": _rate(u["accepted"], u["total"])} for u in units],
        "report_late": [{"name": name, "due": due.isoformat()} for name, due in report_late[:100]],
    }


def _cn_date(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def notice_title(rnd) -> str:
    return f"关于{rnd.year}年{rnd.month}月巡察整改落实情况的督查通报"


def notice_number(rnd) -> str:
    return f"{rnd.group.name}〔{rnd.year}〕{rnd.month}号"


def _picture(doc: OfficialDocument, png: bytes, caption: str) -> None:
    doc.document.add_picture(io.BytesIO(png), width=Mm(150))
    paragraph = doc.document.paragraphs[-1]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact line height would clip the image
    fmt.first_line_indent = None
    doc._line(caption, HEADING_FONTS[2], SIZE_BODY, align=WD_ALIGN_PARAGRAPH.CENTER)


def notice_docx(rnd, notice=None) -> bytes:
    """The notice in official-document layout: overall figures, four kinds, late units, requirements."""
    figures = rnd.figures or {}
    tasks, plans = figures.get("tasks", {}), figures.get("plans", {})
    group = rnd.group
    doc = OfficialDocument(title=notice_title(rnd), doc_number=notice_number(rnd))
    doc.addressee("各被巡察单位党组织")
    doc.paragraph(
        f"为推动巡察反馈问题整改落实落地，{group.name}对截至{rnd.year}年{rnd.month}月底的巡察整改情况进行了督导。"
        "现将有关情况通报如下。")
    doc.heading(1, "一、总体进展")
    doc.paragraph(
        f"督导范围内共有整改方案{plans.get('total', 0)}个，已批准{plans.get('approved', 0)}个，"
        f"待审批{plans.get('waiting', 0)}个；整改任务{tasks.get('total', 0)}项，已验收{tasks.get('accepted', 0)}项，"
        f"待验收{tasks.get('review', 0)}项，推进中{tasks.get('progress', 0)}项，待启动{tasks.get('pending', 0)}项，"
        f"整改完成率{tasks.get('rate', 0)}%；逾期未完成{tasks.get('overdue', 0)}项"
        + (f"，经“回头看”重新整改{tasks['reopened']}项" if tasks.get("reopened") else "") + "。")
    units = figures.get("units", [])[:TOP_UNITS]
    if units:
        png = bar_chart_png([u["rate"] for u in units], percent=True, highlight=[u["overdue"] > 0 for u in units])
        _picture(doc, png, "图1　各单位整改完成率（红色为有逾期任务的单位，序号见表1）")
        doc.paragraph("表1　各单位整改任务完成情况", indent=False).alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.table(["序号", "单位", "任务数", "已验收", "逾期", "完成率"],
                  [[i + 1, u["name"], u["total"], u["accepted"], u["overdue"], f"{u['rate']}%"]
                   for i, u in enumerate(units)], widths_mm=[14, 66, 18, 18, 18, 22])
    doc.heading(1, "二、四类措施落实情况")
    kinds = figures.get("kinds", [])
    if kinds:
        _picture(doc, bar_chart_png([k["total"] for k in kinds], highlight=[k["overdue"] > 0 for k in kinds]),
                 "图2　四类措施任务数（1纠正　2清理　3问责　4建章立制）")
        doc.table(["措施类型", "任务数", "已验收", "逾期", "完成率"],
                  [[k["kind"], k["total"], k["accepted"], k["overdue"], f"{k['rate']}%"] for k in kinds],
                  widths_mm=[40, 28, 28, 28, 32])
    doc.heading(1, "三、需要督促的单位")
    late_units = [u for u in figures.get("units", []) if u["overdue"]]
    if late_units:
        doc.paragraph("以下单位存在逾期未完成的整改任务（按逾期项数排列）："
                      + "；".join(f"{u['name']}{u['overdue']}项" for u in late_units[:30])
                      + ("等" if len(late_units) > 30 else "") + "。")
    else:
        doc.paragraph("本月督导范围内没有逾期未完成的整改任务。")
    late_reports = figures.get("report_late", [])
    if late_reports:
        doc.paragraph("以下单位未在反馈后2个月内报送整改情况报告："
                      + "、".join(f"{r['name']}（应于{_cn_date(r['due'])}前报送）" for r in late_reports[:30]) + "。")
    doc.heading(1, "四、下一步工作要求")
    meeting = getattr(rnd, "meeting", None) if rnd.pk else None
    if meeting is not None and meeting.decisions.strip():
        for line in meeting.decisions.strip().splitlines():
            if line.strip():
                doc.paragraph(line.strip())
    else:
        doc.paragraph("各单位要切实履行整改主体责任，对照整改方案逐项推进，逾期任务要说明原因、明确时限；"
                      "对敷衍整改、虚假整改的，严肃追责问责。")
    doc.signature(f"{authority_name(group.authority)}巡察工作领导小组办公室", month_end(rnd.year, rnd.month))
    return doc.to_bytes()


def store_notice(rnd, notice=None, *, user=None):
    data = notice_docx(rnd, notice)
    return store_bytes(data, name=f"{notice_title(rnd)}.docx", content_type=DOCX, user=user)
