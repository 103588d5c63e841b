"""Demo data of planning: the city's and two counties' five-year plans (2026–2030), this year's annual
plans with two rounds each, groups, inspections in different stages, one joint round (上下联动,
教育系统), one elevated inspection (提级巡察), horizontal checks, risk inputs, and a group grant for
the demo `group_leader`.

Everything is written through the services (so the change log and the transition log are real),
with the demo office accounts as actors. Deterministic for a given seed.

    build_planning_demo()            # after org's demo_data; `manage.py planning_demo` calls it
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction

from xuncha.accounts.models import Grant, Role, User
from xuncha.org.models import Region, Unit

from . import selectors, services
from .choices import CheckKind, RoundKind, Stage
from .models import AnnualPlan, FiveYearPlan, JointRound, PlanProposal, UnitRiskInput
from .workflow import conditions_suspended

TERM_START = 2026
YEAR = 2026
STAGES = [s.value for s in Stage]


@dataclass
class DemoSide:
    region: Region
    actor: User
    plan: FiveYearPlan | None = None
    annual: AnnualPlan | None = None
    rounds: list = field(default_factory=list)


def _dates(start: datetime.date, end: datetime.date) -> dict:
    day = datetime.timedelta(days=1)
    return {"prepare_date": start - 14 * day, "stationed_date": start, "understand_date": start + 3 * day,
            "report_date": end + 10 * day, "feedback_date": end + 30 * day, "transfer_date": end + 35 * day,
            "rectify_date": end + 40 * day, "archived_date": end + 100 * day}


def _advance(inspection, actor, to_stage: str) -> None:
    """Walk an inspection forward to `to_stage` through the real transitions. The conditions the
    fieldwork apps add (confirmed problems, an approved report, a complete archive checklist) are
    suspended: their demos backfill those records afterwards, as for data migrated from before."""
    path = STAGES[STAGES.index(inspection.stage) + 1: STAGES.index(to_stage) + 1]
    opinions = {"stationed": "召开巡察动员会，公布联系方式。", "report": "巡察报告已按要求报送。",
                "feedback": "经巡察工作领导小组审议，同意反馈。", "archived": "整改情况已验收，资料立卷归档。"}
    with conditions_suspended():
        for stage in path:
            services.inspection_advance(actor=actor, inspection=inspection, to_stage=stage,
                                        opinion=opinions.get(stage, ""))
            inspection.refresh_from_db()


class PlanningDemo:
    def __init__(self, *, city: str = "江城市", counties: tuple[str, ...] = ("青阳县", "桐溪县"),
                 actors: tuple[str, ...] = ("city_office", "county_office", "county_office2"),
                 group_user: str | None = "group_leader", seed: int = 1, proposal_seconds: float = 2.0):
        self.rng = random.Random(seed)
        regions = {r.name: r for r in Region.objects.filter(name__in=[city, *counties])}
        users = {u.username: u for u in User.objects.filter(username__in=actors)}
        self.city = DemoSide(regions[city], users[actors[0]])
        self.counties = [DemoSide(regions[name], users[actor]) for name, actor in zip(counties, actors[1:], strict=True)]
        self.group_user = User.objects.filter(username=group_user).first() if group_user else None
        self.proposal_seconds = proposal_seconds

    @property
    def sides(self) -> list[DemoSide]:
        return [self.city, *self.counties]

    # --- plans -------------------------------------------------------------------------------

    def plans(self) -> None:
        for side in self.sides:
            name = side.region.name
            side.plan = services.plan_create(actor=side.actor, data={
                "authority": side.region, "title": f"中共{name}委巡察工作规划（{TERM_START}—{TERM_START + 4}年）",
                "term": "第十四届" if side is self.city else "第十五届", "start_year": TERM_START, "years": 5,
                "stale_years": 5, "remarks": "本届任期内对所管理的党组织巡察全覆盖。"})
            services.plan_populate(actor=side.actor, plan=side.plan)
            # The office's record of inspections before the system, for some units.
            for target in side.plan.targets.order_by("unit_id"):
                if self.rng.random() < 0.6:
                    target.last_inspected_year = self.rng.randint(2018, 2024)
                    target.save(update_fields=["last_inspected_year"])
            side.annual = services.annualplan_create(actor=side.actor, data={
                "authority": side.region, "year": YEAR, "five_year_plan": side.plan,
                "title": f"中共{name}委{YEAR}年度巡察工作计划",
                "summary": "坚持稳中求进，统筹常规巡察、专项巡察、提级巡察和上下联动巡察，推进全覆盖。"})

    def risk_inputs(self) -> None:
        rows = []
        for side in self.sides:
            for unit in Unit.objects.filter(region=side.region).order_by("pk"):
                if self.rng.random() < 0.45:
                    rows.append(UnitRiskInput(unit=unit, region_id=unit.region_id, year=YEAR - 1,
                                              petition_count=self.rng.choice((0, 1, 2, 3, 5, 8, 12, 20, 35)),
                                              problem_count=self.rng.choice((0, 2, 4, 6, 9, 15, 24)),
                                              created_by=side.actor))
        UnitRiskInput.objects.bulk_create(rows, batch_size=2000)

    def _ranked(self, side: DemoSide, *, exclude=(), system: str | None = None, limit: int = 2) -> list[Unit]:
        scores = selectors.priority_ranking(side.actor, side.region, YEAR)
        chosen = []
        for score in scores:
            if score.facts.unit_id in exclude or (system and score.facts.system != system):
                continue
            if system is None and score.facts.system == "education":
                continue  # the education system is inspected by the joint round
            chosen.append(score.facts.unit_id)
            if len(chosen) == limit:
                break
        return list(Unit.objects.filter(pk__in=chosen).order_by("name"))

    # --- rounds ------------------------------------------------------------------------------------

    def _round(self, side, number, kind, start, end, focus=""):
        rnd = services.round_create(actor=side.actor, annual_plan=side.annual, data={
            "number": number, "kind": kind, "title": "", "start_date": start, "end_date": end,
            "training_date": start - datetime.timedelta(days=7), "focus": focus, "remarks": ""})
        side.rounds.append(rnd)
        return rnd

    def _inspection(self, side, rnd, units, group_name=""):
        group = services.group_create(actor=side.actor, round=rnd, name=group_name)
        return services.inspection_create(actor=side.actor, round=rnd, data={
            "group": group, "targets": units, "remarks": "", **_dates(rnd.start_date, rnd.end_date)})

    def rounds(self) -> None:
        d = datetime.date
        # The city: a regular round in spring (one group lifts a county unit: 提级巡察), and the
        # education system with the counties in autumn (上下联动).
        city = self.city
        elevated_unit = Unit.objects.filter(region=self.counties[0].region, category="township").order_by("pk").first()
        services.plan_elevate(actor=city.actor, plan=city.plan, unit=elevated_unit, planned_year=YEAR,
                              remarks="乡镇“小官巨腐”问题线索集中，县级巡察难以打开局面，提级巡察。")
        r1 = self._round(city, 1, RoundKind.REGULAR, d(2026, 3, 16), d(2026, 5, 15))
        taken: set[int] = set()
        city_inspections = []
        for _ in range(3):
            units = self._ranked(city, exclude=taken)
            if not units:
                break
            taken.update(u.pk for u in units)
            city_inspections.append(self._inspection(city, r1, units))
        elevated = self._inspection(city, r1, [elevated_unit])
        services.round_start(actor=city.actor, round=r1)
        stages = ["archived", "rectify", "feedback"][:len(city_inspections)] + ["rectify"]
        for inspection, stage in zip([*city_inspections, elevated], stages, strict=True):
            if stage == "archived":
                self._checks(city, inspection, done=True)
            _advance(inspection, city.actor, stage)
        if len(city_inspections) > 1:
            self._checks(city, city_inspections[1], done=False)
        r2 = self._round(city, 2, RoundKind.JOINT, d(2026, 9, 21), d(2026, 11, 20),
                         focus="聚焦教育系统落实立德树人根本任务、规范办学行为、教育经费管理使用、招生考试和校园食品安全等情况。")
        joint_city = self._inspection(city, r2, self._ranked(city, system="education"))

        joint = services.jointround_create(actor=city.actor, data={
            "authority": city.region, "year": YEAR, "title": f"{YEAR}年全市教育系统上下联动巡察", "system": "education",
            "plan_text": "市县统一巡察重点、统一方法步骤、统一报告格式；市委巡察办对各组报告统一把关。",
            "training_date": d(2026, 9, 10), "mobilisation_date": d(2026, 9, 21)})
        services.jointround_link(actor=city.actor, joint=joint, round=r2)
        services.round_start(actor=city.actor, round=r2)
        _advance(joint_city, city.actor, "report")

        # The counties: a regular round in spring, the joint round in autumn.
        for index, side in enumerate(self.counties):
            c1 = self._round(side, 1, RoundKind.REGULAR, d(2026, 4, 13), d(2026, 6, 12))
            taken = {elevated_unit.pk}
            first = []
            for _ in range(2):
                units = self._ranked(side, exclude=taken)
                if not units:
                    break
                taken.update(u.pk for u in units)
                first.append(self._inspection(side, c1, units))
            services.round_start(actor=side.actor, round=c1)
            self._checks(side, first[0], done=True)
            _advance(first[0], side.actor, "archived" if index == 0 else "rectify")
            for inspection in first[1:]:
                _advance(inspection, side.actor, "transfer")
            c2 = self._round(side, 2, RoundKind.JOINT, d(2026, 9, 21), d(2026, 11, 20))
            joint_county = self._inspection(side, c2, self._ranked(side, system="education"))
            services.jointround_link(actor=city.actor, joint=joint, round=c2)
            services.round_start(actor=side.actor, round=c2)
            _advance(joint_county, side.actor, "report" if index == 0 else "understand")
            if index == 0 and self.group_user is not None:
                role = Role.objects.get(code="group_leader")
                if not Grant.objects.filter(user=self.group_user, scope_kind="group").exists():
                    Grant.objects.create(user=self.group_user, role=role, scope_kind="group", group=joint_county.group)

    def _checks(self, side, inspection, *, done: bool) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        unit = inspection.target_links.first().unit
        rnd = inspection.round
        for kind, subject in ((CheckKind.SELECTION, "近三年选人用人工作"), (CheckKind.AUDIT, "主要负责人任期经济责任")):
            check = services.check_create(actor=side.actor, inspection=inspection, data={
                "kind": kind, "department": "组织部" if kind == CheckKind.SELECTION else "审计局", "unit": unit,
                "subject": subject, "planned_start": rnd.start_date, "planned_end": rnd.end_date})
            if done:
                text = f"{unit.name}{check.get_kind_display()}结果：发现问题 {self.rng.randint(1, 6)} 个，已移交巡察组统筹运用。"
                upload = SimpleUploadedFile(f"{unit.name}{check.get_kind_display()}报告.txt", text.encode("utf-8"),
                                            content_type="text/plain")
                services.check_record_result(actor=side.actor, check=check, summary=text,
                                             completed_on=rnd.end_date, upload=upload)

    # --- proposals ----------------------------------------------------------------------------------

    def proposals(self) -> None:
        """Schedule the rest of the term with the proposer, and accept it (the office would review)."""
        import math

        from .services import proposal_run

        for side in self.sides:
            n = side.plan.targets.filter(is_elevated=False).count()
            rounds, capacity = 2, 3
            years_left = TERM_START + 4 - YEAR  # this year's rounds are set: 2027–2030
            groups = max(3, math.ceil(n * 1.15 / (years_left * rounds * capacity)))
            params = {"rounds_per_year": rounds, "groups_per_round": groups, "capacity": capacity,
                      "time_limit": self.proposal_seconds, "keep_systems": True, "first_year": YEAR + 1}
            proposal = PlanProposal.objects.create(plan=side.plan, authority_id=side.region.pk, params=params,
                                                   created_by=side.actor)
            proposal = proposal_run(proposal_id=proposal.pk)
            if proposal.status != "ready":
                raise RuntimeError(f"{side.region.name}的排期建议无可行方案：{'；'.join(proposal.reasons)}")
            services.proposal_accept(actor=side.actor, proposal=proposal)

    def build(self) -> dict:
        with transaction.atomic():
            self.plans()
            self.risk_inputs()
            self.rounds()
            self.proposals()
        return {"plans": FiveYearPlan.objects.count(), "rounds": sum(len(s.rounds) for s in self.sides),
                "joint_rounds": JointRound.objects.count()}


def build_planning_demo(**kwargs) -> dict:
    return PlanningDemo(**kwargs).build()
