"""Builders for the fieldwork tests on top of planning's (江城市, 青阳县 = A, 桐溪县 = B).

`setup(world)` builds the plans once per world and one inspection per county in 了解 (understand),
plus group users for A and B: `fw.a_leader`, `fw.a_member`, `fw.b_leader`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from xuncha.fieldwork import services
from xuncha.fieldwork.models import (
    DocumentRequest,
    DocumentRequestItem,
    HearingReport,
    MeetingAttendance,
    Petition,
    PetitionReporter,
    Talk,
    Visit,
)
from xuncha.planning.tests.factories import build, group_user, started

D = datetime.date


@dataclass
class FW:
    pw: object
    a: object  # inspection of county A (stage understand)
    b: object  # inspection of county B
    a_leader: object
    a_member: object
    b_leader: object

    def inspection(self, region):
        return self.b if region == self.pw.world.county_b else self.a

    def unit(self, region):
        return self.pw.world.unit_b if region == self.pw.world.county_b else self.pw.world.unit_a


def setup(world) -> FW:
    cached = getattr(world, "_fieldwork", None)
    if cached is not None:
        return cached
    pw = build(world)
    _, a = started(pw.a, [world.unit_a, pw.a.units[1]], stage="understand")
    _, b = started(pw.b, [world.unit_b], stage="understand")
    fw = FW(pw, a, b, group_user("zuzhang_a", "group_leader", a.group), group_user("zuyuan_a", "group_member", a.group),
            group_user("zuzhang_b", "group_leader", b.group))
    world._fieldwork = fw
    _lift_ids(world)
    return fw


def _lift_ids(world) -> None:
    """Start this app's ids far above the other apps' (the generated tests find change-log rows by
    object id alone; a talk numbered 1 must not meet the plan numbered 1)."""
    from django.core.management.color import no_style
    from django.db import connection

    makers = (make_hearing, make_talk, make_petition, make_request, make_meeting, make_visit)
    for offset, maker in enumerate(makers, 1):
        first = maker(world, world.county_a, 0)
        model = type(first)
        first.pk, first.id = None, offset * 100000
        if model is Petition:
            first.receipt_no = services.new_receipt_no()
        first.save(force_insert=True)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(sql)
        model.all_objects.all().delete()


def _place(model, inspection, **values):
    return model.objects.create(inspection=inspection, authority_id=inspection.authority_id, **values)


def make_hearing(world, region, i):
    fw = setup(world)
    return _place(HearingReport, fw.inspection(region), report_date=D(2026, 3, 3), unit=fw.unit(region),
                  reporter="党组书记", topic=f"{region.name}工作汇报{i}", summary="全面从严治党主体责任落实情况。")


def make_talk(world, region, i, **extra):
    fw = setup(world)
    values = {"unit": fw.unit(region), "interviewee_name": f"{region.name[:2]}谈话对象{i}", "interviewee_post": "科长",
              "category": "middle", "status": "planned", "planned_date": D(2026, 3, 10)}
    values.update(extra)
    return _place(Talk, fw.inspection(region), **values)


def make_petition(world, region, i, *, reporter: dict | None = None, **extra):
    fw = setup(world)
    values = {"channel": "letter", "received_date": D(2026, 3, 5), "subject_unit": fw.unit(region),
              "subject_persons": f"被反映人{region.name[:2]}{i}", "category": "integrity",
              "content": f"反映{region.name}某单位违规发放津补贴问题（第{i}件）。", "receipt_no": services.new_receipt_no()}
    values.update(extra)
    petition = _place(Petition, fw.inspection(region), **values)
    if reporter:
        PetitionReporter.objects.create(petition=petition, **reporter)
    return petition


def make_request(world, region, i):
    fw = setup(world)
    req = _place(DocumentRequest, fw.inspection(region), title=f"{region.name}调阅清单{i}", unit=fw.unit(region),
                 requested_date=D(2026, 3, 3), due_date=D(2026, 3, 10))
    DocumentRequestItem.objects.create(request=req, name="2024年以来党组会议记录", order=1)
    return req


def make_meeting(world, region, i):
    fw = setup(world)
    return _place(MeetingAttendance, fw.inspection(region), meeting_date=D(2026, 3, 12), unit=fw.unit(region),
                  kind="committee", title=f"{region.name}党组会议{i}", attendees="组长、副组长")


def make_visit(world, region, i):
    fw = setup(world)
    return _place(Visit, fw.inspection(region), level="down1", visit_date=D(2026, 3, 15), unit=fw.unit(region),
                  place=f"{region.name}城关第{i}小学", people_met="校长、教师代表")


def today():
    return timezone.localdate()
