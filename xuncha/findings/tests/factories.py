"""Builders for the findings tests, on top of the shared `world` (江城市, 青阳县 = A, 桐溪县 = B) and
planning's factories. Records are written through the services, as a page would write them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from xuncha.core.testing.world import make_cadre, make_user
from xuncha.findings import services
from xuncha.planning.tests.factories import build as build_planning
from xuncha.planning.tests.factories import group_user, started

D = datetime.date
SECRET_CONTENT = "线索机密内容甲乙丙"
SECRET_PERSON = "钱保密"
SECRET_SUMMARY = "收受管理服务对象礼金"


@dataclass
class FW:
    world: object
    pw: object
    inspection: object  # county A, 了解
    leader: object  # group leader of A's group
    member: object
    member2: object
    office: object
    inspection_b: object
    leader_b: object
    supervisor: object

    @property
    def unit(self):
        return self.world.unit_a


def build(world) -> FW:
    pw = build_planning(world)
    _, inspection = started(pw.a, [world.unit_a, pw.a.units[1]], stage="understand")
    _, inspection_b = started(pw.b, [world.unit_b], stage="understand")
    supervisor = make_user("supervisor_a", ("supervisor", world.county_a))
    return FW(world=world, pw=pw, inspection=inspection,
              leader=group_user("fa_leader", "group_leader", inspection.group),
              member=group_user("fa_member", "group_member", inspection.group),
              member2=group_user("fa_member2", "group_member", inspection.group),
              office=world.users["office_a"], inspection_b=inspection_b,
              leader_b=group_user("fb_leader", "group_leader", inspection_b.group), supervisor=supervisor)


def problem_data(fw: FW, **overrides) -> dict:
    data = {"unit": fw.world.unit_a, "indicator": None, "kind": "governance", "severity": "serious",
            "title": "党组落实全面从严治党主体责任不到位", "description": "党组全年仅研究党风廉政建设工作一次，未开展专题研究。",
            "evidence": "党组会议记录（2025年）", "responsible_cadres": [fw.world.cadre_a], "responsible_text": ""}
    data.update(overrides)
    return data


def draft(fw: FW, author=None, inspection=None, **overrides):
    return services.problem_create(actor=author or fw.member, inspection=inspection or fw.inspection,
                                   data=problem_data(fw, **overrides))


def step(problem, actor, name: str, **kwargs):
    services.problem_transition(actor=actor, problem=problem, step=name, **kwargs)
    problem.refresh_from_db()
    return problem


def confirmed(fw: FW, author=None, **overrides):
    problem = draft(fw, author, **overrides)
    step(problem, author or fw.member, "submit")
    step(problem, fw.leader, "review")
    return step(problem, fw.leader, "confirm", meeting="第一巡察组组务会", meeting_date=D(2026, 11, 20))


def clue(fw: FW, author=None, inspection=None, **overrides):
    data = {"unit": fw.world.unit_a, "summary": SECRET_SUMMARY, "content": SECRET_CONTENT, "evidence": "谈话记录第3号",
            "source": "talk", "petition": None, "source_note": "", "suggested_receiver": "discipline",
            "problem": None}
    data.update(overrides)
    persons = [{"cadre": None, "name": SECRET_PERSON, "post": "副局长", "unit_name": "青阳县教育局"}]
    return services.clue_create(actor=author or fw.member, inspection=inspection or fw.inspection, data=data,
                                persons=persons)


TRANSFER_DAY = D(2026, 11, 2)


def transfer(fw: FW, clues, *, day: D = TRANSFER_DAY, kind: str = "discipline", actor=None):
    return services.transfer_create(actor=actor or fw.office, inspection=clues[0].inspection, clues=clues, data={
        "receiver_kind": kind, "receiver_name": "中共青阳县纪律检查委员会 青阳县监察委员会", "transfer_date": day,
        "secret_level": "机密", "remarks": ""})


def cadre(fw: FW, name: str = "王责任"):
    return make_cadre(name, fw.world.unit_a)
