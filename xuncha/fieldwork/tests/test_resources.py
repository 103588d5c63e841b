"""Generated page, API and permission tests for the fieldwork Resources (core.testing)."""

import datetime

from xuncha.core.testing.resources import ResourceSpec, resource_tests
from xuncha.fieldwork.resources import (
    documentrequest_resource,
    hearingreport_resource,
    meetingattendance_resource,
    petition_resource,
    talk_resource,
    visit_resource,
)

from . import factories as f


def _base(world, region):
    fw = f.setup(world)
    return {"inspection": fw.inspection(region).pk}


def _hearing_form(world, region):
    return {**_base(world, region), "report_date": "2026-03-03", "reporter": "党组书记", "topic": "巡察进驻汇报",
            "summary": "汇报了班子建设情况。"}


def _talk_form(world, region):
    return {**_base(world, region), "interviewee_name": "赵某", "interviewee_post": "副局长", "category": "leadership",
            "status": "planned", "planned_date": "2026-03-11"}


def _petition_form(world, region):
    return {**_base(world, region), "channel": "phone", "received_date": datetime.date.today().isoformat(),
            "subject_persons": "钱某（办公室主任）", "category": "work", "content": "反映办事拖延、推诿扯皮问题。"}


def _request_form(world, region):
    return {**_base(world, region), "title": "党组会议记录", "requested_date": "2026-03-03", "due_date": "2026-03-06",
            "status": "requested", "items_text": "2024年党组会议记录\n2025年党组会议记录"}


def _meeting_form(world, region):
    return {**_base(world, region), "meeting_date": "2026-03-12", "kind": "committee", "title": "党组会议",
            "attendees": "组长"}


def _visit_form(world, region):
    return {**_base(world, region), "level": "down2", "visit_date": "2026-03-15", "place": "城关镇东村",
            "people_met": "村民代表"}


TestHearingReportResource = resource_tests(ResourceSpec(
    resource=hearingreport_resource, make=f.make_hearing, form_data=_hearing_form, edit=("topic", "改后的汇报主题"),
    text=lambda r: r.topic))
TestTalkResource = resource_tests(ResourceSpec(
    resource=talk_resource, make=f.make_talk, form_data=_talk_form, edit=("interviewee_post", "党组副书记"),
    text=lambda t: t.interviewee_name))
TestPetitionResource = resource_tests(ResourceSpec(
    resource=petition_resource, make=f.make_petition, form_data=_petition_form, edit=("subject_persons", "孙某（科长）"),
    text=lambda p: p.subject_persons))  # ASCII receipt numbers would match the echoed query in sort links
TestDocumentRequestResource = resource_tests(ResourceSpec(
    resource=documentrequest_resource, make=f.make_request, form_data=_request_form, edit=("title", "改后的调阅事项"),
    text=lambda r: r.title))
TestMeetingAttendanceResource = resource_tests(ResourceSpec(
    resource=meetingattendance_resource, make=f.make_meeting, form_data=_meeting_form, edit=("title", "改后的会议"),
    text=lambda m: m.title))
TestVisitResource = resource_tests(ResourceSpec(
    resource=visit_resource, make=f.make_visit, form_data=_visit_form, edit=("place", "改后的地点"),
    text=lambda v: v.place))
