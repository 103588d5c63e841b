"""The findings part of the demo city (`manage.py findings_demo`), after `demo_data` and `planning_demo`.

Deterministic for a seed. For every demo inspection in 了解 or later:
- 了解: problem drafts at each status (底稿, 待审核, 已审核, 退回修改) and confirmed problems, written
  through the services (the workflow and its log as a page would write them); registered clues;
- 报告 and later: the confirmed problem list (the inspection already passed the report condition, so
  the rows are placed directly, with their transition log);
- 移交 and later: every clue transferred with its letter (Word); one transfer overdue, one due soon,
  one with dispositions; then the reminders are created.
A `group_member` user (孙组员) joins the demo group leader's group when the demo has one.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from xuncha.accounts.models import Grant, Role, User
from xuncha.core.files import store_bytes
from xuncha.org.models import Cadre
from xuncha.planning.choices import STAGE_ORDER
from xuncha.planning.models import Inspection

from . import services
from .choices import ClueStatus, ProblemStatus
from .documents import transfer_letter
from .models import Clue, ClueDisposition, ClueTransfer, Problem, ProblemTransition
from .workflow import add_months, disposition_months

PROBLEMS = [
    ("decisions", "serious", "贯彻落实乡村振兴战略部署不到位",
     "对上级乡村振兴重点任务研究部署不及时，年度任务清单中3项工作未按期推进，衔接资金项目开工率偏低。"),
    ("governance", "serious", "党组落实全面从严治党主体责任不到位",
     "党组全年仅1次专题研究党风廉政建设工作，“一岗双责”落实不力，对下属单位监督检查流于形式。"),
    ("grassroots", "general", "基层党组织“三会一课”制度落实不严格",
     "抽查2个支部的会议记录，存在党课记录雷同、支部委员会会议次数不足等问题。"),
    ("appointment", "serious", "干部选拔任用程序不规范",
     "2025年提拔的3名中层干部中，1人未按规定进行任职前公示，动议环节缺少书面记录。"),
    ("conduct", "grave", "违规发放津贴补贴",
     "以加班费名义向在编人员发放补贴共计12.6万元，无考勤和审批依据。"),
    ("integrity", "grave", "工程项目管理存在廉洁风险",
     "2个基建项目未经招标直接委托施工，项目变更签证把关不严，结算金额超合同价18%。"),
    ("rectification", "general", "上轮巡察反馈问题整改不彻底",
     "上轮巡察反馈的5个问题中，2个问题整改措施未落实到位，已销号问题出现反弹。"),
    ("other", "general", "档案管理不规范", "部分会议纪要、合同文本未及时归档，资料缺失。"),
]
CLUES = [
    ("反映某负责人违规收受礼金", "有干部群众反映该单位负责人在春节期间收受下属单位人员礼金，金额较大。", "petition",
     "discipline"),
    ("反映某中层干部插手工程项目", "谈话中反映该中层干部为亲属承揽单位维修工程提供便利。", "talk", "discipline"),
    ("反映干部提拔中存在违规操作", "调阅干部档案发现，1名干部任职前年龄、学历信息存在涂改痕迹。", "documents",
     "organisation"),
    ("反映挪用专项资金", "走访中群众反映专项补助资金未足额发放到户，去向不明。", "visit", "discipline"),
]
OPEN_STATUSES = (ProblemStatus.DRAFT, ProblemStatus.SUBMITTED, ProblemStatus.REVIEWED, ProblemStatus.RETURNED)


class FindingsDemo:
    def __init__(self, seed: int = 1, today: datetime.date | None = None):
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.summary = {"problems": 0, "confirmed": 0, "clues": 0, "transfers": 0, "overdue": 0, "reminders": 0}
        self.transfer_plan = ["overdue", "due_soon", "disposed"]

    # --- people ---------------------------------------------------------------------------------

    def office_for(self, inspection) -> User:
        """An office administrator whose region covers the inspection's authority (its own office first)."""
        grants = (Grant.objects.filter(role__code="office_admin", scope_kind="region", is_active=True)
                  .select_related("region", "user").order_by("-region__level", "id"))
        best = None
        for grant in grants:
            if inspection.authority.path.startswith(grant.region.path):
                if best is None or len(grant.region.path) > len(best.region.path):
                    best = grant
        if best is None:
            raise RuntimeError(f"没有可管理“{inspection.authority.name}”的巡察办账号。")
        return best.user

    def group_member(self) -> User | None:
        """The demo member 孙组员 in the demo group leader's group (created once)."""
        grant = Grant.objects.filter(user__username="group_leader", scope_kind="group").first()
        role = Role.objects.filter(code="group_member").first()
        if grant is None or role is None:
            return None
        user = User.objects.filter(username="group_member").first()
        if user is None:
            from xuncha.org.demo.generator import DEMO_PASSWORD

            user = User(username="group_member", full_name="孙组员", password_changed_at=timezone.now(),
                        must_change_password=False)
            user.set_password(DEMO_PASSWORD)
            user.save()
        Grant.objects.get_or_create(user=user, role=role, scope_kind="group", group=grant.group)
        return user

    # --- helpers --------------------------------------------------------------------------------

    def indicator_for(self, kind: str):
        from xuncha.indicators.models import Indicator

        items = list(Indicator.objects.filter(level=3, is_deleted=False, indicator_set__authority__isnull=True)
                     .select_related("root").order_by("indicator_set_id", "order", "id"))
        if not items:
            return None
        keywords = {"decisions": "党的领导", "governance": "全面从严", "grassroots": "党的建设",
                    "appointment": "党的建设", "conduct": "全面从严", "integrity": "全面从严", "rectification": "整改"}
        word = keywords.get(kind)
        matching = [i for i in items if word and i.root and word in i.root.title]
        return self.rng.choice(matching or items)

    def cadres_of(self, unit) -> list:
        return list(Cadre.objects.filter(unit=unit, is_deleted=False).order_by("id")[:3])

    def data(self, inspection, index: int) -> dict:
        kind, severity, title, description = PROBLEMS[index % len(PROBLEMS)]
        units = [link.unit for link in inspection.target_links.select_related("unit").order_by("id")]
        unit = units[index % len(units)]
        cadres = self.cadres_of(unit)
        return {"unit": unit, "indicator": self.indicator_for(kind), "kind": kind, "severity": severity,
                "title": title, "description": description, "evidence": "谈话记录、调阅材料（见附件清单）。",
                "responsible_cadres": cadres[:1], "responsible_text": "" if cadres else "单位主要负责人"}

    # --- problems -------------------------------------------------------------------------------

    def problems_through_services(self, inspection, author: User, reviewer: User) -> None:
        """了解: drafts at each status and confirmed problems, through the workflow."""
        for index in range(6):
            problem = services.problem_create(actor=author, inspection=inspection, data=self.data(inspection, index))
            self.summary["problems"] += 1
            target = ProblemStatus.CONFIRMED if index >= len(OPEN_STATUSES) else OPEN_STATUSES[index]
            if target == ProblemStatus.DRAFT:
                continue
            services.problem_transition(actor=author, problem=problem, step="submit")
            if target == ProblemStatus.SUBMITTED:
                continue
            if target == ProblemStatus.RETURNED:
                services.problem_transition(actor=reviewer, problem=problem, step="send_back",
                                            opinion="事实依据不够充分，请补充调阅材料的页码和谈话记录编号。")
                continue
            services.problem_transition(actor=reviewer, problem=problem, step="review", opinion="事实清楚，同意。")
            if target == ProblemStatus.CONFIRMED:
                services.problem_transition(actor=reviewer, problem=problem, step="confirm",
                                            meeting=f"{inspection.group.name}组务会",
                                            meeting_date=self.today - datetime.timedelta(days=3),
                                            opinion="同意列入问题清单。")
                self.summary["confirmed"] += 1

    def confirmed_placed(self, inspection, author: User) -> None:
        """报告 and later: the confirmed list, placed directly (with its transition log)."""
        when = timezone.now()
        meeting_day = inspection.report_date or self.today
        for index in range(self.rng.randint(3, 5)):
            data = self.data(inspection, index + inspection.pk)
            cadres = data.pop("responsible_cadres")
            problem = Problem.objects.create(
                inspection=inspection, number=index + 1, status=ProblemStatus.CONFIRMED, created_by=author,
                category=data["indicator"].top if data["indicator"] else None, submitted_at=when, reviewed_at=when,
                reviewed_by=author, meeting=f"{inspection.group.name}组务会", meeting_date=meeting_day,
                confirm_opinion="同意列入问题清单。", confirmed_at=when, confirmed_by=author, **data)
            problem.responsible_cadres.set(cadres)
            for source, target, opinion in (("draft", "submitted", ""), ("submitted", "reviewed", "同意。"),
                                            ("reviewed", "confirmed", f"{problem.meeting}研究确认。")):
                ProblemTransition.objects.create(problem=problem, from_status=source, to_status=target,
                                                 opinion=opinion, user=author, username=author.username)
            self.summary["problems"] += 1
            self.summary["confirmed"] += 1

    # --- clues ----------------------------------------------------------------------------------

    def clues(self, inspection, author: User, count: int, placed: bool) -> list[Clue]:
        made = []
        units = [link.unit for link in inspection.target_links.select_related("unit").order_by("id")]
        for index in range(count):
            summary, content, source, receiver = CLUES[(index + inspection.pk) % len(CLUES)]
            unit = units[index % len(units)]
            cadres = self.cadres_of(unit)
            persons = ([{"cadre": cadres[-1]}] if cadres else
                       [{"cadre": None, "name": "某某", "post": "副局长", "unit_name": unit.name}])
            data = {"unit": unit, "summary": summary, "content": content, "evidence": "谈话记录、群众来信。",
                    "source": source, "petition": None, "source_note": "", "suggested_receiver": receiver,
                    "problem": None}
            if not placed:
                made.append(services.clue_create(actor=author, inspection=inspection, data=data, persons=persons))
            else:
                seq = Clue.all_objects.filter(inspection=inspection).count() + 1
                year = inspection.stationed_date.year if inspection.stationed_date else self.today.year
                clue = Clue.objects.create(inspection=inspection, seq=seq, number=f"XS{year}-{inspection.pk:04d}-{seq:03d}",
                                           created_by=author, **data)
                for person in services._person_rows(persons):
                    person.clue = clue
                    person.save()
                made.append(clue)
            self.summary["clues"] += 1
        return made

    def transfer(self, inspection, actor: User, clues: list[Clue], archived: bool) -> None:
        plan = self.transfer_plan.pop(0) if self.transfer_plan else "disposed"
        months = disposition_months()
        if plan == "overdue":
            day = add_months(self.today, -months) - datetime.timedelta(days=20)
        elif plan == "due_soon":
            day = add_months(self.today, -months) + datetime.timedelta(days=9)
        else:
            day = add_months(self.today, -months) - datetime.timedelta(days=40)
        receiver = clues[0].suggested_receiver
        names = {"discipline": f"中共{inspection.authority.name}纪律检查委员会 {inspection.authority.name}监察委员会",
                 "organisation": f"中共{inspection.authority.name}委组织部"}
        data = {"receiver_kind": receiver, "receiver_name": names.get(receiver, "有关主管部门"),
                "transfer_date": day, "secret_level": "机密", "remarks": ""}
        if not archived:
            moved = services.transfer_create(actor=actor, inspection=inspection, clues=clues, data=data)
        else:  # an archived inspection is closed to the services: place it as it was
            moved = ClueTransfer.objects.create(
                inspection=inspection, created_by=actor, number=services._transfer_number(inspection, day.year),
                due_date=add_months(day, months), **data)
            Clue.objects.filter(pk__in=[c.pk for c in clues]).update(status=ClueStatus.TRANSFERRED, transfer=moved)
            content = transfer_letter(moved, list(Clue.objects.filter(transfer=moved).order_by("seq")))
            moved.letter = store_bytes(content, name=f"{moved.number}移交函.docx", user=actor,
                                       content_type=services.DOCX)
            moved.save(update_fields=["letter"])
        self.summary["transfers"] += 1
        if plan == "overdue":
            self.summary["overdue"] += 1
        if plan == "disposed":
            for clue in Clue.objects.filter(transfer=moved):
                kind = self.rng.choice(["talk", "preliminary", "closed"])
                results = {"talk": "已对当事人开展谈话函询，本人作出说明，予以采信。",
                           "preliminary": "已进行初步核实，正在按程序办理。", "closed": "经核实，反映问题不属实，予以了结。"}
                ClueDisposition.objects.create(clue=clue, kind=kind, date=day + datetime.timedelta(days=40),
                                               result=results[kind], created_by=actor)
                Clue.objects.filter(pk=clue.pk).update(status=ClueStatus.DISPOSED)

    # --- the whole ------------------------------------------------------------------------------

    def build(self) -> dict:
        understand = STAGE_ORDER.index("understand")
        with transaction.atomic():
            member = self.group_member()
            inspections = (Inspection.objects.select_related("authority", "group", "round")
                           .order_by("round__year", "authority__path", "round__number", "group__number", "id"))
            for inspection in inspections:
                index = STAGE_ORDER.index(inspection.stage)
                if index < understand:
                    continue
                office = self.office_for(inspection)
                in_group = member is not None and Grant.objects.filter(user=member, group=inspection.group).exists()
                author = member if in_group else office
                if inspection.stage == "understand":
                    self.problems_through_services(inspection, office, office)
                    self.clues(inspection, office, 2, placed=False)
                    continue
                self.confirmed_placed(inspection, author)
                clues = self.clues(inspection, author, 2, placed=True)
                if index >= STAGE_ORDER.index("transfer"):
                    self.transfer(inspection, office, clues, archived=inspection.stage == "archived")
            self.summary["reminders"] = services.reminders_create_due(today=self.today)
        return self.summary


def build_findings_demo(**kwargs) -> dict:
    return FindingsDemo(**kwargs).build()
