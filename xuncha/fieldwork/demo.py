"""The fieldwork part of the demo city (`manage.py fieldwork_demo`), after `demo_data`,
`planning_demo` (and `teams_demo`).

Deterministic for a seed. For every live inspection at 进驻 or later: hearing reports, a talk plan
(held and planned talks of every category), petitions through every channel (some with a named or
anonymous reporter, some handled), document requests with items, meetings attended, visits and
下沉, and an intake code for those in 进驻/了解. Everything is written through the services by the
office of the inspection's authority (the city's office where a county has no demo account).
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from xuncha.accounts.models import Grant, User
from xuncha.org.models import Cadre
from xuncha.planning.choices import STAGE_ORDER, Stage
from xuncha.planning.models import Inspection

from . import choices as c
from . import services
from .models import Petition

TOPICS = ("贯彻落实党中央决策部署和省委、市委工作要求情况", "落实全面从严治党主体责任情况", "领导班子建设和选人用人情况",
          "巡察、审计等监督发现问题整改情况", "基层党组织建设情况")
PETITIONS = (
    ("integrity", "反映{unit}在办公用房维修项目中未经集体研究直接指定施工单位，工程款结算不规范。"),
    ("work", "反映{unit}窗口办事推诿扯皮，群众多次跑腿仍未办结。"),
    ("masses", "反映{unit}在惠民补贴发放中优亲厚友，部分困难群众未享受政策。"),
    ("organisational", "反映{unit}中层干部提拔未经民主推荐，程序不规范。"),
    ("integrity", "反映{unit}有关人员违规接受管理服务对象宴请。"),
    ("complaint", "反映{unit}拖欠辖区企业工程款，请求协调解决。"),
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("晓梅", "建国", "春燕", "志强", "丽华", "海涛", "秀英", "文斌")
PLACES = ("村（社区）党群服务中心", "中心小学", "卫生院", "农业产业园", "便民服务中心")


def _actor_for(inspection: Inspection) -> User | None:
    """An office administrator whose region grant reaches the inspection's authority."""
    grants = (Grant.objects.filter(role__code="office_admin", scope_kind="region", is_active=True,
                                   user__is_active=True).select_related("region", "user"))
    best = None
    for grant in grants:
        if inspection.authority.path.startswith(grant.region.path):
            if best is None or len(grant.region.path) > len(best.region.path):
                best = grant
    return best.user if best else None


def _group_users(inspection: Inspection) -> list[User]:
    return list(User.objects.filter(grants__scope_kind="group", grants__group_id=inspection.group_id,
                                    is_active=True).distinct())


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class FieldworkDemo:
    def __init__(self, seed: int = 1):
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.summary = {"inspections": 0, "talks": 0, "petitions": 0, "reporters": 0, "requests": 0, "visits": 0,
                        "hearings": 0, "meetings": 0}

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice("某")

    def day(self, start: datetime.date, offset: int) -> datetime.date:
        return min(start + datetime.timedelta(days=offset), self.today)

    def run(self) -> dict:
        started = STAGE_ORDER.index(Stage.STATIONED)
        inspections = (Inspection.objects.filter(round__status__in=("started", "finished"))
                       .select_related("round", "group", "authority").prefetch_related("target_links__unit")
                       .order_by("authority__path", "round__year", "round__number", "group__number"))
        for inspection in inspections:
            # An archived inspection takes no new records (the services refuse): the demo leaves them.
            if STAGE_ORDER.index(inspection.stage) < started or inspection.stage == Stage.ARCHIVED:
                continue
            actor = _actor_for(inspection)
            if actor is None:
                continue
            with transaction.atomic():
                self.inspection(inspection, actor)
            self.summary["inspections"] += 1
        return self.summary

    def inspection(self, inspection: Inspection, actor: User) -> None:
        units = [link.unit for link in inspection.target_links.all()]
        start = inspection.stationed_date or inspection.round.start_date
        people = _group_users(inspection)
        held = inspection.stage != Stage.STATIONED
        base = {"inspection": inspection}
        for i, unit in enumerate(units):
            services.hearingreport_create(actor=actor, data={
                **base, "report_date": self.day(start, i), "unit": unit, "reporter": "党组（党委）书记",
                "topic": f"{unit.name}{TOPICS[i % len(TOPICS)]}",
                "summary": "汇报了本单位落实全面从严治党主体责任、班子建设和上次巡察整改情况，提出了存在的困难。"})
            self.summary["hearings"] += 1
            self.talks(inspection, actor, unit, start, people, held)
            self.petitions(inspection, actor, unit, start, held)
            request = services.documentrequest_create(actor=actor, data={
                **base, "title": f"{unit.name}党组（党委）会议及“三重一大”资料", "unit": unit,
                "requested_date": self.day(start, 1), "due_date": self.day(start, 4),
                "status": c.RequestStatus.REQUESTED,
                "items_text": "2023年以来党组（党委）会议记录\n“三重一大”事项决策台账\n干部选拔任用工作档案\n近三年财务账册和凭证"})
            self.summary["requests"] += 1
            if held:
                for item in list(request.items.all())[:3]:
                    services.documentrequest_item_toggle(actor=actor, request=request, item_id=item.pk)
            services.meetingattendance_create(actor=actor, data={
                **base, "meeting_date": self.day(start, 6), "unit": unit, "kind": c.MeetingKind.COMMITTEE,
                "title": f"{unit.name}党组（党委）会议", "attendees": "巡察组组长、副组长",
                "summary": "研究年度重点工作和专项资金使用安排。",
                "observations": "议题材料会前未提前送达参会人员，个别事项未充分讨论即表决。"})
            self.summary["meetings"] += 1
            for level, offset in ((c.VisitLevel.DOWN_ONE, 8), (c.VisitLevel.DOWN_TWO, 12)):
                services.visit_create(actor=actor, data={
                    **base, "level": level, "visit_date": self.day(start, offset), "unit": unit,
                    "place": f"{unit.region.name}{self.rng.choice(PLACES)}", "people_met": "负责人、群众代表",
                    "findings": "了解惠民政策落实和基层党组织运转情况，群众反映总体满意，个别补贴发放不够及时。"})
                self.summary["visits"] += 1
        if inspection.stage in c.INTAKE_STAGES:
            services.intake_channel_ensure(actor=actor, inspection=inspection)

    def talks(self, inspection, actor, unit, start, people, held) -> None:
        cadres = list(Cadre.objects.filter(unit=unit, is_deleted=False).order_by("id")[:4])
        plan = [(c.TalkCategory.PRINCIPAL, 1), (c.TalkCategory.LEADERSHIP, 3), (c.TalkCategory.MIDDLE, 4),
                (c.TalkCategory.STAFF, 3), (c.TalkCategory.RETIRED, 1), (c.TalkCategory.SERVED, 2)]
        n = 0
        for category, count in plan:
            for _ in range(count):
                cadre = cadres[n] if n < len(cadres) and category in (c.TalkCategory.PRINCIPAL,
                                                                     c.TalkCategory.LEADERSHIP) else None
                done = held and self.rng.random() < 0.7
                day = self.day(start, 2 + n // 3)
                data = {"inspection": inspection, "unit": unit, "cadre": cadre,
                        "interviewee_name": "" if cadre else self.name(),
                        "interviewee_post": cadre.post if cadre else
                        {"retired": "退休干部", "served": "服务对象"}.get(category, "干部"),
                        "category": category, "status": c.TalkStatus.DONE if done else c.TalkStatus.PLANNED,
                        "planned_date": day, "talked_at": _at(day, 9 + n % 8) if done else None,
                        "place": "巡察组谈话室" if done else "", "talkers": people[:2],
                        "recorder": people[-1] if people else None,
                        "content": "谈话对象介绍了分管工作情况，反映单位议事决策程序执行不够严格，对干部选拔任用提出意见建议。"
                        if done else ""}
                services.talk_create(actor=actor, data=data)
                n += 1
                self.summary["talks"] += 1

    def petitions(self, inspection, actor, unit, start, held) -> None:
        channels = list(c.PetitionChannel)
        for i in range(self.rng.randint(2, 4)):
            category, text = self.rng.choice(PETITIONS)
            petition = services.petition_create(actor=actor, data={
                "inspection": inspection, "channel": channels[(i + unit.pk) % len(channels)],
                "received_date": self.day(start, 1 + i * 2), "subject_unit": unit,
                "subject_persons": f"{self.name()}（{self.rng.choice(('副局长', '科长', '主任', '党委委员'))}）",
                "category": category, "content": text.format(unit=unit.name)})
            self.summary["petitions"] += 1
            roll = self.rng.random()
            if roll < 0.4:
                services.reporter_save(actor=actor, petition=petition, data={
                    "name": self.rng.choice(SURNAMES) + self.rng.choice(GIVEN), "phone": f"139{self.rng.randint(10000000, 99999999)}",
                    "identity": self.rng.choice(("本单位职工", "服务对象", "群众")), "wants_feedback": True})
                self.summary["reporters"] += 1
            elif roll < 0.6:
                services.reporter_save(actor=actor, petition=petition, data={"anonymous": True})
                self.summary["reporters"] += 1
            if held and i == 0:
                services.petition_handle(actor=actor, petition=petition, status=c.PetitionStatus.REFERRED,
                                         opinion="转被巡察单位党组（党委）办理，要求十个工作日内报告办理结果。")


def build_fieldwork_demo(seed: int = 1) -> dict:
    return FieldworkDemo(seed).run()


def has_data() -> bool:
    return Petition.all_objects.exists()
