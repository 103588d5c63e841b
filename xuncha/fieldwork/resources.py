"""The records of the standard methods as Resources: list with filters, detail, create, edit, soft
delete, history and Excel export, scoped like every page.

Petitions: no column, filter, search field or export column touches the reporter; their pages log
no parameters (`log_params=False`, so the operation log never keeps what was reported), and so do
talks (what an interviewee said is for the group and the office, not for the auditor's log).
"""

from __future__ import annotations

from django.utils import timezone

from xuncha.core.resources import Column, Resource

from . import filters, forms, services
from .models import DocumentRequest, HearingReport, MeetingAttendance, Petition, Talk, Visit

RECORD_SELECT = ("inspection", "inspection__round", "inspection__group", "authority")


def _inspection(obj) -> str:
    inspection = obj.inspection
    return f"{inspection.round}·{inspection.group}"


def _user(accessor: str):
    def render(obj):
        user = getattr(obj, accessor)
        return (user.full_name or user.username) if user is not None else ""
    return render


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _talkers(obj) -> str:
    return "、".join(u.full_name or u.username for u in obj.talkers.all())


def _items(obj) -> str:
    items = list(obj.items.all())
    done = sum(1 for i in items if i.received)
    return f"{done}/{len(items)}" if items else "—"


DETAIL_TEMPLATES = {"petition": "fieldwork/petition_detail.html",
                    "documentrequest": "fieldwork/documentrequest_detail.html"}
INSPECTION = Column("inspection", "巡察任务", render=_inspection)
AUTHORITY = Column("authority.name", "巡察主体", sort="authority__path")
UNIT = Column("unit.name", "被巡察单位", sort="unit__name")


def _resource(model, name, label, columns, detail_fields, filterset, form, search_hint, default_sort, *,
              select=(), prefetch=(), export_columns=None, log_params=True):
    create, update, delete = (getattr(services, f"{name}_{verb}") for verb in ("create", "update", "delete"))
    return Resource(
        model=model, namespace="fieldwork", name=name, label=label, columns=columns, detail_fields=detail_fields,
        filterset_class=filterset, form_class=form, create=create, update=update, delete=delete,
        select_related=(*RECORD_SELECT, *select), prefetch_related=("attachments", *prefetch),
        search_hint=search_hint, default_sort=default_sort, export_columns=export_columns,
        detail_template=DETAIL_TEMPLATES.get(name, "fieldwork/record_detail.html"),
        form_template="fieldwork/record_form.html", log_params=log_params,
    )


hearingreport_resource = _resource(
    HearingReport, "hearingreport", "听取汇报",
    columns=[Column("topic", "汇报主题", sort="topic"), Column("report_date", "汇报日期", sort="report_date"),
             UNIT, Column("reporter", "汇报人"), INSPECTION],
    detail_fields=[INSPECTION, Column("report_date", "汇报日期"), UNIT, Column("reporter", "汇报人"),
                   Column("topic", "汇报主题"), Column("summary", "汇报要点")],
    filterset=filters.HearingReportFilterSet, form=forms.HearingReportForm, search_hint="主题、汇报人",
    default_sort="-report_date", select=("unit",),
)

talk_resource = _resource(
    Talk, "talk", "个别谈话",
    columns=[Column("person_name", "谈话对象", sort="interviewee_name"),
             Column("interviewee_post", "职务或身份"),
             Column("category", "对象类别", sort="category", render=lambda t: t.get_category_display()),
             Column("status", "状态", sort="status", render=lambda t: t.get_status_display()),
             Column("planned_date", "计划日期", sort="planned_date"),
             Column("talked_at", "谈话时间", sort="talked_at", render=lambda t: _local(t.talked_at)),
             UNIT, INSPECTION],
    detail_fields=[INSPECTION, UNIT, Column("person_name", "谈话对象"), Column("interviewee_post", "职务或身份"),
                   Column("category", "对象类别", render=lambda t: t.get_category_display()),
                   Column("status", "状态", render=lambda t: t.get_status_display()),
                   Column("planned_date", "计划日期"),
                   Column("talked_at", "谈话时间", render=lambda t: _local(t.talked_at)),
                   Column("place", "谈话地点"), Column("talkers", "谈话人", render=_talkers),
                   Column("recorder", "记录人", render=_user("recorder")), Column("content", "谈话内容")],
    export_columns=[Column("person_name", "谈话对象"), Column("interviewee_post", "职务或身份"),
                    Column("category", "对象类别", render=lambda t: t.get_category_display()),
                    Column("status", "状态", render=lambda t: t.get_status_display()),
                    Column("planned_date", "计划日期"),
                    Column("talked_at", "谈话时间", render=lambda t: _local(t.talked_at)),
                    Column("place", "谈话地点"), Column("talkers", "谈话人", render=_talkers),
                    Column("recorder", "记录人", render=_user("recorder")), UNIT, INSPECTION],
    filterset=filters.TalkFilterSet, form=forms.TalkForm, search_hint="谈话对象、地点",
    default_sort="planned_date", select=("unit", "cadre", "recorder"), prefetch=("talkers",), log_params=False,
)

# The petition's columns, detail and export name no field of its reporter, for anyone (even the office).
_PETITION_COLUMNS = [
    Column("receipt_no", "受理编号", sort="receipt_no"),
    Column("channel", "来源渠道", sort="channel", render=lambda p: p.get_channel_display()),
    Column("received_date", "收到日期", sort="received_date"),
    Column("subject_unit.name", "被反映单位", sort="subject_unit__name"),
    Column("subject_persons", "被反映人"),
    Column("category", "问题类别", sort="category", render=lambda p: p.get_category_display()),
    Column("status", "办理状态", sort="status", render=lambda p: p.get_status_display()),
    INSPECTION,
]
petition_resource = _resource(
    Petition, "petition", "信访举报",
    columns=_PETITION_COLUMNS,
    detail_fields=[Column("receipt_no", "受理编号"), INSPECTION,
                   Column("channel", "来源渠道", render=lambda p: p.get_channel_display()),
                   Column("received_date", "收到日期"), Column("subject_unit.name", "被反映单位"),
                   Column("subject_persons", "被反映人"),
                   Column("category", "问题类别", render=lambda p: p.get_category_display()),
                   Column("content", "反映内容"),
                   Column("status", "办理状态", render=lambda p: p.get_status_display()),
                   Column("handling_opinion", "处理意见"),
                   Column("handled_at", "处理时间", render=lambda p: _local(p.handled_at)),
                   Column("handled_by", "处理人", render=_user("handled_by"))],
    export_columns=[*_PETITION_COLUMNS[:6], Column("content", "反映内容"), _PETITION_COLUMNS[6],
                    Column("handling_opinion", "处理意见"), INSPECTION],
    filterset=filters.PetitionFilterSet, form=forms.PetitionForm, search_hint="受理编号、被反映人、内容",
    default_sort="-received_date", select=("subject_unit", "handled_by"), log_params=False,
)

documentrequest_resource = _resource(
    DocumentRequest, "documentrequest", "调阅清单",
    columns=[Column("title", "调阅事项", sort="title"), UNIT,
             Column("requested_date", "提出日期", sort="requested_date"),
             Column("due_date", "要求提供日期", sort="due_date"),
             Column("received_date", "实际提供日期", sort="received_date"),
             Column("items", "已提供/材料数", render=_items),
             Column("status", "状态", sort="status", render=lambda r: r.get_status_display()), INSPECTION],
    detail_fields=[INSPECTION, Column("title", "调阅事项"), UNIT, Column("requested_date", "提出日期"),
                   Column("due_date", "要求提供日期"), Column("received_date", "实际提供日期"),
                   Column("status", "状态", render=lambda r: r.get_status_display()),
                   Column("reviewer", "审阅人", render=_user("reviewer")), Column("reviewer_notes", "审阅意见")],
    filterset=filters.DocumentRequestFilterSet, form=forms.DocumentRequestForm, search_hint="调阅事项、材料",
    default_sort="-requested_date", select=("unit", "reviewer"), prefetch=("items",),
)

meetingattendance_resource = _resource(
    MeetingAttendance, "meetingattendance", "列席会议",
    columns=[Column("title", "会议名称", sort="title"), Column("meeting_date", "会议日期", sort="meeting_date"),
             Column("kind", "会议类型", sort="kind", render=lambda m: m.get_kind_display()), UNIT,
             Column("attendees", "列席人员"), INSPECTION],
    detail_fields=[INSPECTION, Column("meeting_date", "会议日期"), UNIT,
                   Column("kind", "会议类型", render=lambda m: m.get_kind_display()), Column("title", "会议名称"),
                   Column("attendees", "列席人员"), Column("summary", "会议情况"), Column("observations", "发现的问题")],
    filterset=filters.MeetingAttendanceFilterSet, form=forms.MeetingAttendanceForm, search_hint="会议名称",
    default_sort="-meeting_date", select=("unit",),
)

visit_resource = _resource(
    Visit, "visit", "走访下沉",
    columns=[Column("place", "地点", sort="place"), Column("level", "方式", sort="level",
                                                          render=lambda v: v.get_level_display()),
             Column("visit_date", "日期", sort="visit_date"), UNIT, Column("people_met", "走访对象"), INSPECTION],
    detail_fields=[INSPECTION, Column("level", "方式", render=lambda v: v.get_level_display()),
                   Column("visit_date", "日期"), UNIT, Column("place", "地点"), Column("people_met", "走访对象"),
                   Column("findings", "了解情况")],
    filterset=filters.VisitFilterSet, form=forms.VisitForm, search_hint="地点、走访对象",
    default_sort="-visit_date", select=("unit",),
)

RESOURCES = [hearingreport_resource, talk_resource, petition_resource, documentrequest_resource,
             meetingattendance_resource, visit_resource]
BY_NAME = {r.name: r for r in RESOURCES}
