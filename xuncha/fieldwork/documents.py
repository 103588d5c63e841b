"""Word documents of fieldwork in the official-document layout (GB/T 9704, documents.layout):
a talk's record (个别谈话记录) and an inspection's talk plan (个别谈话计划表)."""

from __future__ import annotations

from django.utils import timezone

from xuncha.documents.layout import OfficialDocument

from . import choices as c


def _people(users) -> str:
    return "、".join(u.full_name or u.username for u in users) or "—"


def talk_record(talk) -> bytes:
    """The record of one talk, as the group files it (marked 秘密-level handling is the office's rule)."""
    doc = OfficialDocument(title="个别谈话记录")
    when = timezone.localtime(talk.talked_at).strftime("%Y年%m月%d日 %H:%M") if talk.talked_at else "（未谈话）"
    doc.table(["项目", "内容"], [
        ["巡察任务", f"{talk.inspection.round}·{talk.inspection.group}"],
        ["谈话对象", talk.person_name],
        ["职务或身份", talk.interviewee_post or (talk.cadre.post if talk.cadre_id else "—")],
        ["对象类别", talk.get_category_display()],
        ["所在单位", talk.unit.name if talk.unit_id else "—"],
        ["谈话时间", when],
        ["谈话地点", talk.place or "—"],
        ["谈话人", _people(talk.talkers.all())],
        ["记录人", (talk.recorder.full_name or talk.recorder.username) if talk.recorder_id else "—"],
    ], widths_mm=[40, 116])
    doc.blank()
    doc.heading(1, "一、谈话内容")
    for line in (talk.content or "（无）").splitlines():
        if line.strip():
            doc.paragraph(line.strip())
    doc.blank()
    doc.paragraph("谈话对象签字：                    记录人签字：", indent=False)
    return doc.to_bytes()


def talk_plan(inspection, talks) -> bytes:
    """The inspection's talk plan: every talk with its category, date and state."""
    doc = OfficialDocument(title=f"{inspection.round}·{inspection.group}\n个别谈话计划表", landscape=True)
    done = sum(1 for t in talks if t.status == c.TalkStatus.DONE)
    planned = sum(1 for t in talks if t.status != c.TalkStatus.CANCELLED)
    doc.paragraph(f"共计划谈话 {planned} 人次，已谈 {done} 人次。")
    rows = [[i, t.person_name, t.interviewee_post or "—", t.get_category_display(),
             t.unit.name if t.unit_id else "—", t.planned_date.strftime("%Y-%m-%d") if t.planned_date else "—",
             t.get_status_display()] for i, t in enumerate(talks, start=1)]
    doc.table(["序号", "谈话对象", "职务或身份", "对象类别", "所在单位", "计划日期", "状态"], rows,
              widths_mm=[14, 30, 40, 28, 60, 28, 22])
    return doc.to_bytes()
