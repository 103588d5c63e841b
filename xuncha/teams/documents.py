"""Word documents of teams in the GB/T 9704 layout (`documents.layout.OfficialDocument`):
the two pledges of a member, a person's registration form (一人一表), the quota-check notice."""

from __future__ import annotations

import datetime

from xuncha.core import dictionaries
from xuncha.documents.layout import OfficialDocument
from xuncha.org import choices as org_choices

from . import choices as c

CONFIDENTIALITY_ITEMS = [
    "一、严格遵守党的政治纪律和政治规矩，严格执行巡察工作有关保密规定，做到守口如瓶、守土有责。",
    "二、不泄露巡察工作中知悉的国家秘密、工作秘密和个人隐私，不泄露巡察工作方案、谈话内容、问题线索、"
    "信访举报人信息以及巡察报告等内容。",
    "三、不私自复制、摘抄、拍摄、传递巡察工作文件资料，不在非涉密计算机和互联网上处理涉密信息，"
    "不通过即时通讯工具传递巡察工作信息。",
    "四、不打听与本人工作无关的巡察事项，不向被巡察单位及其工作人员透露巡察工作安排和进展情况。",
    "五、巡察工作结束后，按规定移交全部工作资料，不擅自留存；离开巡察岗位后继续履行保密义务。",
]
DUTY_ITEMS = [
    "一、坚定政治立场，准确把握政治巡察定位，聚焦“四个落实”发现问题、形成震慑、推动改革、促进发展。",
    "二、严格执行中央八项规定及其实施细则精神，严守巡察工作纪律，不超越职权，不干预被巡察单位正常工作。",
    "三、认真履行岗位职责，坚持实事求是，敢于发现问题、如实报告问题，不瞒报、不漏报、不夸大。",
    "四、严格执行回避制度，存在需要回避情形的主动申请回避，不为他人说情打招呼。",
    "五、廉洁自律，不接受被巡察单位及其工作人员的宴请、礼品礼金和其他任何形式的好处。",
    "六、服从巡察组管理，遵守考勤和请销假制度，自觉接受作风监督员和干部群众监督。",
]


def _date(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "    年  月  日"


def pledge_document(member, kind: str, *, date: datetime.date | None = None) -> bytes:
    """The pledge for one member, ready to print and sign (the signed copy is uploaded back)."""
    kind = c.PledgeKind(kind)
    cadre, group = member.cadre, member.group
    doc = OfficialDocument(title=kind.label)
    doc.table(["姓名", "工作单位", "职务", "巡察组", "组内职务"],
              [[cadre.name, cadre.unit.name, cadre.post, group.scope_label, member.get_role_display()]],
              widths_mm=[22, 45, 30, 40, 19])
    doc.blank()
    what = "严守巡察工作秘密" if kind == c.PledgeKind.CONFIDENTIALITY else "忠诚履职、担当尽责、廉洁自律"
    doc.paragraph(f"本人{cadre.name}，参加{group.scope_label}巡察工作。为{what}，本人郑重承诺：")
    for item in CONFIDENTIALITY_ITEMS if kind == c.PledgeKind.CONFIDENTIALITY else DUTY_ITEMS:
        doc.paragraph(item)
    doc.paragraph("如有违反，本人愿意接受组织处理，承担相应的纪律责任和法律责任。")
    doc.blank()
    doc.paragraph("承诺人（签字）：", indent=False)
    doc.signature("", date or member.joined_on or datetime.date.today())
    return doc.to_bytes()


def person_document(file) -> bytes:
    """一人一表: the registration form of a person in the pools, with the file's history."""
    cadre = file.cadre
    skills = "、".join(file.skills) or "—"
    rank = dictionaries.label(org_choices.DICT_CADRE_RANK, cadre.rank)
    doc = OfficialDocument(title="巡察人才库人员登记表")
    doc.table(["姓名", "工作单位", "职务", "职级", "专长"], [[cadre.name, cadre.unit.name, cadre.post, rank, skills]],
              widths_mm=[22, 50, 34, 22, 28])
    doc.heading(1, "一、入库情况")
    doc.table(["库别", "所属库", "状态", "入库日期", "入库来源、理由"],
              [[e.get_kind_display(), e.authority.name, e.get_status_display(), e.entry_date.isoformat(),
                e.entry_reason] for e in file.entries] or [["—", "", "", "", ""]], widths_mm=[20, 30, 20, 26, 60])
    doc.heading(1, "二、出入库记录")
    doc.table(["日期", "事项", "库别", "理由"],
              [[e.date.isoformat(), e.get_action_display(), e.entry.get_kind_display(), e.reason]
               for e in file.events] or [["—", "", "", ""]], widths_mm=[26, 22, 22, 86])
    doc.heading(1, "三、参加巡察及考核情况")
    doc.table(["轮次", "巡察组", "组内职务", "考核等次", "考核评语"],
              [[str(m.round), m.group.name, m.get_role_display(), m.grade_label or "未考核",
                m.eval.comments if m.eval else ""] for m in file.memberships] or [["—", "", "", "", ""]],
              widths_mm=[36, 30, 20, 20, 50])
    doc.heading(1, "四、抽调、培训和荣誉")
    doc.paragraph("抽调：" + ("；".join(f"{s.start_date}至{s.end_date}（{s.get_status_display()}）"
                                        for s in file.secondments) or "无") + "。")
    doc.paragraph(f"培训：共 {len(file.trainings)} 次，累计 {file.training_hours} 学时。")
    doc.paragraph("荣誉：" + ("；".join(f"{h.awarded_on.year}年 {h.title}" for h in file.honours) or "无") + "。")
    return doc.to_bytes()


def quota_notice(check, items, *, city_name: str) -> bytes:
    """The city's notice of the quota-check results (检查结果通报)."""
    short = [i for i in items if i.conclusion == c.QuotaConclusion.SHORT]
    doc = OfficialDocument(title=f"关于{check.year}年度全市巡察机构编制\n落实情况检查结果的通报")
    doc.addressee("各县（市、区）委巡察工作领导小组办公室")
    doc.paragraph(check.summary or (
        f"根据工作安排，市委巡察工作领导小组办公室于{_date(check.checked_on)}对各县（市、区）巡察机构编制落实情况进行了检查。"
        "现将检查结果通报如下。"))
    doc.heading(1, "一、总体情况")
    total_approved = sum(i.approved_posts for i in items)
    total_filled = sum(i.filled_posts for i in items)
    doc.paragraph(f"本次共检查 {len(items)} 个县（市、区），核定编制合计 {total_approved} 名，实有在编 {total_filled} 名，"
                  f"缺编 {sum(i.shortfall for i in items)} 名；编制落实到位的 {len(items) - len(short)} 个，"
                  f"未落实到位的 {len(short)} 个。")
    doc.heading(1, "二、各县（市、区）检查结果")
    doc.table(["序号", "县（市、区）", "核定编制", "实有在编", "缺编", "检查结论"],
              [[i, item.region.name, item.approved_posts, item.filled_posts, item.shortfall,
                item.get_conclusion_display()] for i, item in enumerate(items, start=1)],
              widths_mm=[14, 40, 24, 24, 18, 36])
    if short:
        doc.heading(1, "三、存在的问题")
        for item in short:
            doc.paragraph(f"{item.region.name}：{item.finding or '编制未落实到位'}。")
    doc.heading(1, "四、有关要求" if short else "三、有关要求")
    doc.paragraph(check.requirements or "编制未落实到位的县（市、区）要在 3 个月内配齐配强巡察干部，"
                  "整改情况报市委巡察工作领导小组办公室。")
    doc.signature(f"中共{city_name}委巡察工作领导小组办公室", check.checked_on)
    return doc.to_bytes()
