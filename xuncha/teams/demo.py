"""The teams part of the demo city (`manage.py teams_demo`), after `demo_data` and `planning_demo`.

Deterministic for a seed. Builds:
- pools: the city's leader pool (市管县处级干部) and talent pool; every county's leader and talent
  pools, each entry with its source, reason and specialities;
- members for every group of the demo rounds (planning's demo makes them; without it, 青阳县 gets a
  round of two groups here), proposed by the group proposer (recusal, specialities, workload) and
  accepted, with the temporary party group and the mobilisation date; pledges signed for some;
- evaluations of the groups whose inspections have reached 整改 or 归档, with the proposals left
  for the office to decide;
- a city cross-inspection round over the ten counties, solved by CP-SAT, every inspected county but
  one having named its liaison, two of the six unified items done;
- secondments of 青阳县's members (one ending within 30 days, one young cadre in training) and the
  reminders; staffing quotas of every office and the city's check; a training session with
  attendance; honours.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.accounts.models import Grant, Role, User
from xuncha.core.files import store_bytes
from xuncha.core.models import DictItem
from xuncha.org.models import Cadre, Region, Unit
from xuncha.planning import services as planning_services
from xuncha.planning.choices import RoundKind, Stage
from xuncha.planning.models import AnnualPlan, Inspection, InspectionGroup, Round

from . import choices as c
from . import documents, services
from .models import CrossPair, GroupMember, Pledge, PoolEntry, QuotaCheck, StaffingQuota, TrainingSession

SKILL_ROTATION = ("finance", "audit", "discipline", "organization", "law", "writing", "petition", "engineering")
YEAR = 2026
DONE_STAGES = (Stage.RECTIFY, Stage.ARCHIVED)


class TeamsDemo:
    def __init__(self, seed: int = 1):
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.skills = {i.value: i for i in DictItem.objects.filter(dict_type__code="cadre_skill")}
        self.city = Region.objects.get(level="city")
        self.counties = list(Region.objects.filter(parent=self.city, level="county").order_by("path"))
        self.qingyang = next(r for r in self.counties if r.name == "青阳县")
        offices = {"江城市": "city_office", "青阳县": "county_office", "桐溪县": "county_office2"}
        users = {u.username: u for u in User.objects.filter(username__in=offices.values())}
        self.city_actor = users["city_office"]
        # A county's records are written by its own office where the demo has one, else by the city's.
        self.actors = {r.pk: users.get(offices.get(r.name, ""), self.city_actor) for r in [self.city, *self.counties]}
        self.summary: dict[str, object] = {"proposals_failed": []}

    def actor(self, region) -> User:
        return self.actors.get(region.pk, self.city_actor)

    # --- pools -----------------------------------------------------------------------------------

    def _admit(self, cadre: Cadre, authority: Region, kind: str, skills: list[str], reason: str,
               date: datetime.date) -> PoolEntry:
        return services.pool_entry_create(actor=self.actor(authority), data={
            "authority": authority, "kind": kind, "cadre": cadre, "entry_date": date,
            "source": self.rng.choice(("org_recommend", "unit_recommend", "discipline")), "entry_reason": reason,
            "specialities": [self.skills[s] for s in skills if s in self.skills]})

    def build_pools(self) -> None:
        city_people = list(Cadre.objects.filter(region=self.city, unit__category="organ").exclude(
            post__contains="纪检监察组").order_by("pk"))
        self.rng.shuffle(city_people)
        leaders = sorted([x for x in city_people if x.rank in c.LEADER_RANKS][:18], key=lambda x: x.pk)
        for i, cadre in enumerate(leaders):
            self._admit(cadre, self.city, c.PoolKind.LEADER, [SKILL_ROTATION[i % 3]],
                        "市管县处级干部，熟悉巡察工作，经市委巡察工作领导小组同意入库", datetime.date(2024, 3, 1))
        talent = sorted([x for x in city_people if x.rank in ("section_1", "section_2", "staff")][:36],
                        key=lambda x: x.pk)
        for i, cadre in enumerate(talent):
            self._admit(cadre, self.city, c.PoolKind.TALENT, [SKILL_ROTATION[i % len(SKILL_ROTATION)]],
                        "业务骨干，单位推荐", datetime.date(2024, 3, 15))
        for county in self.counties:
            staff = list(Cadre.objects.filter(region=county, unit__category__in=("organ", "institution", "township"))
                         .exclude(rank="village").order_by("pk"))
            self.rng.shuffle(staff)
            chiefs = sorted([x for x in staff if x.rank == "section_1"][:4], key=lambda x: x.pk)
            for cadre in chiefs:
                self._admit(cadre, county, c.PoolKind.LEADER, ["organization"], "正科级领导干部，曾任巡察组副组长",
                            datetime.date(2024, 4, 1))
            others = sorted([x for x in staff if x not in chiefs and x.rank in ("section_2", "staff")][:16],
                            key=lambda x: x.pk)
            for i, cadre in enumerate(others):
                self._admit(cadre, county, c.PoolKind.TALENT, [SKILL_ROTATION[i % len(SKILL_ROTATION)]],
                            "业务骨干，单位推荐", datetime.date(2024, 4, 1) + datetime.timedelta(days=i))
        self.summary["pool_entries"] = PoolEntry.objects.count()

    # --- rounds and groups ---------------------------------------------------------------------------

    def _fallback_round(self) -> None:
        """Without planning's demo: one round of two groups for 青阳县, through planning's services."""
        county, actor = self.qingyang, self.actor(self.qingyang)
        if Round.objects.filter(authority=county).exists():
            return
        annual = AnnualPlan.objects.filter(authority=county, year=YEAR).first() or planning_services.annualplan_create(
            actor=actor, data={"authority": county, "year": YEAR, "title": f"中共{county.name}委{YEAR}年度巡察工作计划"})
        start = datetime.date(YEAR, 4, 13)
        rnd = planning_services.round_create(actor=actor, annual_plan=annual, data={
            "number": 1, "kind": RoundKind.REGULAR, "title": "", "start_date": start,
            "end_date": start + datetime.timedelta(days=60), "training_date": start - datetime.timedelta(days=7),
            "focus": "", "remarks": ""})
        organs = list(Unit.objects.filter(region=county, category="organ").order_by("name")[:4])
        for units in (organs[:2], organs[2:]):
            group = planning_services.group_create(actor=actor, round=rnd)
            planning_services.inspection_create(actor=actor, round=rnd, data={
                "group": group, "targets": units, "remarks": "", "stationed_date": start})

    def staff_groups(self) -> None:
        """Members for every group of the demo rounds, from the proposer, accepted as proposed."""
        rounds = list(Round.objects.filter(year=YEAR).exclude(kind=RoundKind.CROSS).select_related("authority")
                      .order_by("authority__path", "number"))
        for rnd in rounds:
            actor = self.actor(rnd.authority)
            groups = list(InspectionGroup.objects.filter(round=rnd).order_by("number"))
            empty = [g for g in groups if not GroupMember.objects.filter(group=g).exists()]
            if not empty:
                continue
            proposal = services.proposal_build(actor=actor, round=rnd, groups=empty,
                                               needs={"finance": 1, "audit": 1, "discipline": 1})
            if not proposal.result.ok:
                self.summary["proposals_failed"].append(f"{rnd}：{'；'.join(proposal.result.reasons)}")
                continue
            for group in empty:
                rows = [{"cadre": proposal.cadres[p.candidate_id], "role": p.role,
                         "is_party_secretary": p.is_party_secretary, "is_conduct_supervisor": p.is_conduct_supervisor}
                        for p in proposal.result.groups.get(group.pk, [])]
                try:
                    services.proposal_apply(actor=actor, group=group, rows=rows)
                except ValidationError as error:
                    self.summary["proposals_failed"].append(f"{group.scope_label}：{'；'.join(error.messages)}")
                    continue
                stationed = Inspection.objects.filter(group=group).order_by("stationed_date").values_list(
                    "stationed_date", flat=True).first() or rnd.start_date
                services.group_profile_save(actor=actor, group=group, data={
                    "party_org_kind": c.PartyOrgKind.PARTY_GROUP,
                    "party_org_established": stationed - datetime.timedelta(days=5)})
                self._pledges(group, signed_all=group.number % 2 == 1, date=stationed)

    def _pledges(self, group, *, signed_all: bool, date: datetime.date) -> None:
        """The first, third… group has signed everything; the others only some (the overview shows who)."""
        members = GroupMember.objects.filter(group=group).select_related("cadre", "cadre__unit", "group", "round")
        for i, member in enumerate(members):
            kinds = list(c.PledgeKind) if signed_all else ([c.PledgeKind.CONFIDENTIALITY] if i % 2 else [])
            for kind in kinds:
                content = documents.pledge_document(member, kind, date=date)
                stored = store_bytes(content, name=f"{member.cadre.name}{kind.label}（签字件）.docx",
                                     user=self.actor(group.authority))
                Pledge.objects.create(member=member, kind=kind, authority_id=member.authority_id, group=group,
                                      signed_file=stored, signed_on=date - datetime.timedelta(days=3))

    def evaluate(self) -> None:
        """Evaluate the members of groups whose work is done (整改 or 归档); leave the proposals pending."""
        done = Inspection.objects.filter(stage__in=DONE_STAGES, is_deleted=False).values("group_id")
        comments = {"excellent": "政治站位高，发现问题精准，问题底稿规范", "competent": "能够完成分工任务",
                    "basic": "个别谈话记录不够规范，需加强学习", "incompetent": "违反巡察工作纪律，擅自向被巡察单位透露工作安排"}
        for group in InspectionGroup.objects.filter(pk__in=done).select_related("authority").order_by("pk"):
            members = list(GroupMember.objects.filter(group=group).order_by("pk"))
            for i, member in enumerate(members):
                grade = ("excellent" if i in (0, 2) else "incompetent" if i == len(members) - 1 and group.number == 1
                         else "basic" if i == 3 else "competent")
                services.evaluation_save(actor=self.actor(group.authority), member=member, grade=grade,
                                         comments=comments[grade], evaluated_on=self.today)

    def build_cross(self) -> None:
        """A cross-inspection round of the city over the ten counties (planning's demo has none)."""
        actor = self.city_actor
        rnd = Round.objects.filter(authority=self.city, kind=RoundKind.CROSS).order_by("year", "number").first()
        if rnd is None:
            annual = AnnualPlan.objects.filter(authority=self.city, year=YEAR).first() or \
                planning_services.annualplan_create(actor=actor, data={
                    "authority": self.city, "year": YEAR, "title": f"中共{self.city.name}委{YEAR}年度巡察工作计划"})
            number = (Round.objects.filter(annual_plan=annual).order_by("-number").values_list(
                "number", flat=True).first() or 0) + 1
            start = datetime.date(YEAR, 12, 7)
            rnd = planning_services.round_create(actor=actor, annual_plan=annual, data={
                "number": number, "kind": RoundKind.CROSS, "title": f"{YEAR}年全市交叉巡察", "start_date": start,
                "end_date": datetime.date(YEAR, 12, 31), "training_date": start - datetime.timedelta(days=5),
                "focus": "聚焦乡镇（街道）落实惠民政策、管好用好“三资”和基层党组织建设情况。", "remarks": ""})
        if hasattr(rnd, "cross_plan"):
            return
        targets = [u for county in self.counties for u in Unit.objects.filter(
            region=county, category="township").order_by("name")[:2]]
        plan = services.crossplan_create(actor=actor, round=rnd, data={
            "counties": self.counties, "targets": targets, "group_size": 6,
            "needs": {"finance": 1, "audit": 1, "discipline": 1}, "time_limit": 20})
        plan = services.crossplan_solve(actor=actor, plan=plan)
        for pair in CrossPair.objects.filter(plan=plan).select_related("target_county").order_by("number")[1:]:
            liaison = Cadre.objects.filter(region=pair.target_county, post="办公室主任",
                                           unit__category="organ").order_by("pk").first()
            if liaison:
                services.crosspair_name_liaison(actor=actor, pair=pair, cadre=liaison)
        for item in plan.checklist.order_by("id")[:2]:
            services.checklist_item_update(actor=actor, item=item, data={
                "done": True, "done_on": rnd.start_date - datetime.timedelta(days=10), "note": "已按方案落实"})
        self.summary["cross_status"] = plan.get_status_display()

    # --- secondments, quotas, training, honours, grants -------------------------------------------------

    def build_people(self) -> None:
        county, actor = self.qingyang, self.actor(self.qingyang)
        members = list(GroupMember.objects.filter(authority=county).select_related("cadre", "group")
                       .order_by("round__number", "group__number", "pk"))
        seen = set()
        for member in members:
            if member.cadre_id in seen or len(seen) >= 8:
                continue
            i = len(seen)
            seen.add(member.cadre_id)
            start = self.today - datetime.timedelta(days=345 if i == 0 else 150 + 20 * i)
            services.secondment_create(actor=actor, data={
                "authority": county, "cadre": member.cadre, "group": member.group, "start_date": start,
                "letter_no": f"青巡抽〔{start.year}〕{i + 1}号", "is_young_training": i == 3})
        services.reminders_create_due()
        for region in [self.city, *self.counties]:
            if StaffingQuota.objects.filter(region=region, year=YEAR).exists():
                continue
            approved = 15 if region == self.city else self.rng.choice((8, 9, 10, 12))
            filled = approved - (0 if region == self.city else self.rng.choice((0, 0, 1, 2, 3)))
            services.quota_create(actor=self.actor(region), data={
                "region": region, "year": YEAR, "office_name": f"中共{region.name}委巡察工作领导小组办公室",
                "approved_posts": approved, "filled_posts": filled, "seconded_posts": self.rng.randint(2, 6)})
        if not QuotaCheck.objects.filter(authority=self.city, year=YEAR).exists():
            services.quotacheck_create(actor=self.city_actor, data={
                "authority": self.city, "year": YEAR, "title": f"{YEAR}年度全市巡察机构编制落实情况检查",
                "checked_on": datetime.date(YEAR, 10, 15),
                "requirements": "编制未落实到位的县（市、区）要在 3 个月内配齐配强巡察干部，整改情况报市委巡察办。"})
        rnd = Round.objects.filter(authority=county, year=YEAR).order_by("number").first()
        if rnd is not None and not TrainingSession.objects.filter(round=rnd).exists():
            session = services.training_create(actor=actor, data={
                "authority": county, "round": rnd, "title": f"{rnd.number_label}巡察进驻前业务培训",
                "held_on": rnd.training_date or rnd.start_date - datetime.timedelta(days=5), "hours": Decimal("6"),
                "location": "青阳县委党校", "content": "政治巡察定位、个别谈话方法、问题底稿撰写、保密纪律"})
            rows = [{"cadre": m.cadre, "attended": i != 2, "hours": None}
                    for i, m in enumerate(GroupMember.objects.filter(round=rnd).select_related("cadre"))]
            services.attendance_save(actor=actor, session=session, rows=rows)
        for entry in PoolEntry.objects.filter(authority=county).select_related("cadre").order_by("pk")[:3]:
            services.honour_create(actor=actor, data={
                "authority": county, "cadre": entry.cadre, "title": "优秀巡察干部", "level": "county",
                "issuer": "中共青阳县委巡察工作领导小组", "awarded_on": datetime.date(YEAR - 1, 12, 20),
                "certificate_no": f"青巡荣〔{YEAR - 1}〕{entry.pk}号"})
        self._group_grant()

    def _group_grant(self) -> None:
        """The demo `group_leader` holds a group grant (planning's demo gives one; otherwise 青阳县's first group)."""
        user = User.objects.filter(username="group_leader").first()
        role = Role.objects.filter(code="group_leader").first()
        group = InspectionGroup.objects.filter(authority=self.qingyang).order_by("round__number", "number").first()
        if user and role and group and not Grant.objects.filter(user=user, scope_kind="group").exists():
            Grant.objects.create(user=user, role=role, scope_kind="group", group=group)

    def build(self) -> dict:
        with transaction.atomic():
            self.build_pools()
            self._fallback_round()
            self.staff_groups()
            self.evaluate()
            self.build_cross()
            self.build_people()
        self.summary.update(groups=InspectionGroup.objects.count(), members=GroupMember.objects.count())
        return self.summary
