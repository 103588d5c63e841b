"""The documents of planning: a round's work plan (巡察工作方案) and the annual plan as GB/T 9704 Word
documents, and the coverage ledger (覆盖台账) as Excel. The layout is `xuncha.documents`'s; this
module only says what goes in. Callers pass records they have already checked the user may see.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from xuncha.core import dictionaries
from xuncha.documents.layout import OfficialDocument
from xuncha.documents.ledger import ledger_workbook
from xuncha.org import choices as org_choices

from .choices import RoundKind, Stage
from .coverage import STATUS_LABELS
from .models import authority_name

FOUR_IMPLEMENTATIONS = [
    "（一）贯彻落实党的路线方针政策和党中央决策部署情况，以及落实省委、市委工作要求情况；",
    "（二）落实全面从严治党战略部署情况，重点检查落实主体责任、监督责任、中央八项规定精神和防范廉洁风险等情况；",
    "（三）落实新时代党的组织路线情况，重点检查领导班子建设、选人用人、基层党组织建设和干部队伍建设等情况；",
    "（四）落实巡视巡察、审计监督、主题教育检视问题等整改情况。",
]


def _day(value: datetime.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "另行通知"


def _span(first: datetime.date | None, last: datetime.date | None) -> str:
    if first is None and last is None:
        return "另行通知"
    if first == last or last is None:
        return _day(first)
    if first is None:
        return f"{_day(last)}前"
    tail = f"{last.month}月{last.day}日" if last.year == first.year else _day(last)
    return f"{_day(first)}至{tail}"


def _office(region) -> str:
    return f"{authority_name(region)}巡察工作领导小组办公室"


def round_work_plan(rnd, inspections: list, checks: list, *, today: datetime.date | None = None) -> bytes:
    """巡察工作方案 of one round. `inspections`: its inspections with `target_links` prefetched;
    `checks`: the horizontal checks scheduled with them."""
    today = today or timezone.localdate()
    authority = authority_name(rnd.authority)
    doc = OfficialDocument(title=f"{authority}{rnd.year}年第{_cn(rnd.number)}轮{rnd.get_kind_display()}\n工作方案")
    targets = [link.unit for i in inspections for link in i.target_links.all()]
    doc.paragraph(
        f"根据《中国共产党巡视工作条例》和{authority}巡察工作规划、{rnd.year}年度巡察工作计划安排，"
        f"{authority}决定于{_span(rnd.start_date, rnd.end_date)}，派出{len({i.group_id for i in inspections})}个巡察组，"
        f"对{len(targets)}个单位党组织开展{rnd.get_kind_display()}。为确保巡察工作规范有序开展，制定本方案。")
    doc.heading(1, "一、巡察对象和组织分工")
    rows = []
    for index, inspection in enumerate(inspections, start=1):
        names = "、".join(link.unit.name for link in inspection.target_links.all())
        rows.append([index, inspection.group.name, names, _day(inspection.stationed_date)])
    doc.table(["序号", "巡察组", "被巡察单位党组织", "进驻时间"], rows, widths_mm=[14, 30, 80, 32])
    doc.heading(1, "二、巡察重点")
    if rnd.focus.strip():
        for line in rnd.focus.strip().splitlines():
            if line.strip():
                doc.paragraph(line.strip())
    else:
        doc.paragraph("坚持以“四个落实”为监督重点，紧盯“关键少数”，聚焦群众身边不正之风和腐败问题，重点了解以下情况：")
        for line in FOUR_IMPLEMENTATIONS:
            doc.paragraph(line)
    doc.heading(1, "三、方法步骤和时间安排")
    for number, stage in enumerate(Stage, start=1):
        days = [i.stage_date(stage.value) for i in inspections if i.stage_date(stage.value)]
        when = _span(min(days), max(days)) if days else "另行通知"
        doc.heading(2, f"（{_cn(number)}）{stage.label}阶段")
        doc.paragraph(f"时间：{when}。{STAGE_WORK[stage]}")
    if rnd.training_date:
        doc.paragraph(f"巡察前于{_day(rnd.training_date)}组织巡察干部集中培训。")
    joint = rnd.joint_round if rnd.joint_round_id else None
    if joint is not None:
        doc.heading(1, "四、上下联动安排")
        doc.paragraph(f"本轮纳入{authority_name(joint.authority)}牵头的“{joint.title}”，市县统一工作方案、统一培训"
                      f"（{_day(joint.training_date)}）、统一动员部署（{_day(joint.mobilisation_date)}），"
                      "各巡察组报告由牵头巡察机构统一把关后再行反馈。")
        for line in joint.plan_text.strip().splitlines():
            if line.strip():
                doc.paragraph(line.strip())
    doc.heading(1, f"{'五' if joint else '四'}、协同配合")
    if checks:
        doc.paragraph("巡察期间，同步开展以下专项检查，结果纳入巡察报告统筹运用：")
        doc.table(["序号", "检查事项", "实施部门", "被检查单位", "计划时间"],
                  [[i, c.get_kind_display(), c.department, c.unit.name, _span(c.planned_start, c.planned_end)]
                   for i, c in enumerate(checks, start=1)], widths_mm=[14, 40, 24, 46, 32])
    else:
        doc.paragraph("加强与纪检监察机关、组织部门、审计机关、信访部门和政法机关的沟通协作，巡察前听取情况介绍，"
                      "巡察中及时会商，巡察后统筹运用监督成果。")
    doc.heading(1, f"{'六' if joint else '五'}、工作要求")
    for line in REQUIREMENTS:
        doc.paragraph(line)
    doc.signature(_office(rnd.authority), today)
    return doc.to_bytes()


STAGE_WORK = {
    Stage.PREPARE: "向纪检监察机关、组织、审计、信访、政法等单位了解被巡察单位有关情况，组织培训，制定工作计划，签订保密和履职尽责承诺书。",
    Stage.STATIONED: "召开巡察工作动员会，公布巡察监督范围、联系方式和时间安排。",
    Stage.UNDERSTAND: "通过听取汇报、个别谈话、受理信访、调阅资料、列席会议、民主测评、问卷调查、走访调研、下沉了解等方式深入了解情况。",
    Stage.REPORT: "巡察组撰写巡察报告，经巡察办审核后向巡察工作领导小组汇报。",
    Stage.FEEDBACK: "向被巡察单位党组织书面反馈巡察情况，指出问题，提出整改要求。",
    Stage.TRANSFER: "按照干部管理权限和职责分工，将问题线索移交纪检监察机关、组织部门或有关职能部门办理。",
    Stage.RECTIFY: "被巡察单位党组织在反馈后2个月内报送整改情况，巡察办会同有关部门加强督促检查。",
    Stage.ARCHIVED: "整理巡察工作资料，按规定立卷归档。",
}

REQUIREMENTS = [
    "（一）提高政治站位。准确把握政治巡察定位，聚焦“四个落实”发现问题，做到发现问题、形成震慑。",
    "（二）严格依规依纪。严格按照规定权限和程序开展工作，不干预被巡察单位的正常工作，不履行执纪审查职责。",
    "（三）严守工作纪律。严格执行中央八项规定及其实施细则精神，严格遵守保密纪律，严格执行回避制度。",
    "（四）注重成果运用。加强巡察与其他监督贯通协调，压实整改主体责任，以整改实效检验巡察成效。",
]


def _cn(n: int) -> str:
    from .choices import chinese_number

    return chinese_number(n)


def annual_plan(plan, rounds: list, inspections_by_round: dict, *, today: datetime.date | None = None) -> bytes:
    """年度巡察工作计划: the year's rounds in order, with their kinds, dates, groups and targets."""
    today = today or timezone.localdate()
    authority = authority_name(plan.authority)
    doc = OfficialDocument(title=f"{authority}巡察工作领导小组\n{plan.year}年度巡察工作计划")
    target_count = sum(len(i.target_links.all()) for items in inspections_by_round.values() for i in items)
    doc.heading(1, "一、总体安排")
    if plan.summary.strip():
        for line in plan.summary.strip().splitlines():
            if line.strip():
                doc.paragraph(line.strip())
    doc.paragraph(f"{plan.year}年计划开展巡察{len(rounds)}轮，对{target_count}个单位党组织开展巡察"
                  + (f"，纳入{plan.five_year_plan}统筹推进全覆盖。" if plan.five_year_plan_id else "。"))
    doc.heading(1, "二、轮次安排")
    rows = []
    for rnd in rounds:
        items = inspections_by_round.get(rnd.pk, [])
        names = "、".join(link.unit.name for i in items for link in i.target_links.all()) or "另行确定"
        rows.append([rnd.number_label, rnd.get_kind_display(), _span(rnd.start_date, rnd.end_date),
                     len({i.group_id for i in items}) or "—", names])
    doc.table(["轮次", "类型", "进驻时间", "巡察组数", "巡察对象"], rows, widths_mm=[16, 24, 38, 18, 60])
    for rnd in rounds:
        if rnd.kind == RoundKind.JOINT and rnd.joint_round_id:
            doc.paragraph(f"{rnd.number_label}为上下联动巡察，按{authority_name(rnd.joint_round.authority)}统一部署开展。")
    doc.heading(1, "三、有关要求")
    for line in REQUIREMENTS:
        doc.paragraph(line)
    doc.signature(_office(plan.authority), today)
    return doc.to_bytes()


def coverage_ledger(plan, report) -> bytes:
    """覆盖台账: one row per unit with its status; the yearly summary; the units not inspected for long."""
    systems = dictionaries.labels(org_choices.DICT_UNIT_SYSTEM)
    categories = dictionaries.labels(org_choices.DICT_UNIT_CATEGORY)
    title = f"{authority_name(plan.authority)}{plan.title}（{plan.period_label}）"

    def unit_row(index, row):
        t = row.target
        return [index, t.name, categories.get(t.category, t.category), systems.get(t.system, t.system),
                t.planned_year or "", t.planned_round or "", "是" if t.is_fixed else "", STATUS_LABELS[row.status],
                row.covered_year or "", row.covered_by, row.round_label, row.last_year or "从未巡察"]

    headers = ["序号", "单位", "单位类别", "所属系统", "计划年度", "计划轮次", "固定安排", "覆盖状态", "覆盖年度",
               "覆盖方式", "巡察轮次·巡察组", "最近巡察年度"]
    sheets = [("覆盖台账", f"{title}巡察覆盖台账", headers,
               [unit_row(i, r) for i, r in enumerate(report.rows, start=1)])]
    sheets.append(("年度汇总", f"{title}年度覆盖汇总",
                   ["年度", "计划覆盖", "实际覆盖", "其中按计划", "其中由上级覆盖", "已安排未进驻", "逾期未覆盖", "累计覆盖",
                    "累计覆盖率（%）"],
                   [[y.year, y.planned, y.covered, y.covered_as_planned, y.covered_by_upper, y.scheduled, y.late,
                     y.cumulative, y.cumulative_rate] for y in report.per_year]
                   + [["合计", sum(y.planned for y in report.per_year), report.covered, "", report.covered_by_upper,
                       report.scheduled, report.late, report.covered, report.rate]]))
    sheets.append(("久未巡察", f"{title}超过 {report.stale_years} 年未巡察的单位", ["序号", "单位", "所属系统", "最近巡察年度", "未巡察年数"],
                   [[i, r.target.name, systems.get(r.target.system, r.target.system), r.last_year or "从未巡察",
                     r.years_since if r.years_since is not None else "—"] for i, r in enumerate(report.stale, start=1)]))
    if report.elevated:
        sheets.append(("提级巡察", f"{title}提级巡察对象（计入所在县覆盖，不计入本级）", headers,
                       [unit_row(i, r) for i, r in enumerate(report.elevated, start=1)]))
    return ledger_workbook(sheets)


__all__ = ["round_work_plan", "annual_plan", "coverage_ledger"]
