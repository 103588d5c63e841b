"""The rectification part of the demo city (`manage.py rectification_demo`), after `demo_data`,
`planning_demo` (and, when they exist, the findings and reporting demos).

For every demo inspection in 整改 or 归档 and each of its units: the confirmed problems and the
issued feedback are taken from findings and reporting; where those demos have not run, a few
confirmed problems and an issued feedback are written as demo data so that the rectification can
be shown. Then, through the services: the unit's plan with measures of the four kinds (one plan
awaiting approval, one returned, the rest approved), monthly progress with evidence, applications,
acceptances and one sent back, accountability and rule records, one plan published with a withheld
item, a supervision group per authority with its supervisor, two months of supervision (rounds,
meetings, notices: one reviewed and published), reminders, and two 回头看 checks (one reopening).
"""

from __future__ import annotations

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from xuncha.accounts.models import Grant, Role, User
from xuncha.org.demo.generator import DEMO_PASSWORD
from xuncha.planning.models import Inspection
from xuncha.planning.models import authority_name as committee

from . import services
from .models import GateLog, RectificationPlan, RectificationTask, SupervisionGroup, SupervisionNotice

PROBLEMS = [
    ("governance", "落实全面从严治党主体责任不到位，党组专题研究党风廉政建设次数偏少"),
    ("conduct", "违规发放津贴补贴，公务接待超标准"),
    ("appointment", "选人用人程序不规范，个别干部任前公示时间不足"),
    ("grassroots", "基层党组织“三会一课”制度落实不严格"),
    ("decisions", "贯彻落实上级重大决策部署打折扣，重点项目推进缓慢"),
]
MEASURES = {
    "correct": "立即停止违规做法，对涉及事项逐项纠正，建立整改台账逐项销号。",
    "cleanup": "对近三年同类事项全面清理，清退违规款项，形成清理报告。",
    "accountability": "对相关责任人严肃追责问责，并在单位内部通报。",
    "rules": "修订完善相关管理制度，堵塞制度漏洞，形成长效机制。",
}
KIND_CYCLE = ["correct", "cleanup", "accountability", "rules"]
RESPONSIBLE = ["单位主要负责人", "分管副职", "办公室主任", "财务科长", "组织人事科长"]


def _file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


class RectificationDemo:
    def __init__(self, seed: int = 1):
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.summary = {"plans": 0, "tasks": 0, "accepted": 0, "rounds": 0, "reminders": 0, "revisits": 0}
        self.offices = {u.username: u for u in User.objects.filter(username__in=("city_office", "county_office",
                                                                                 "county_office2"))}

    # --- actors -------------------------------------------------------------------------------

    def office_for(self, region) -> User:
        grant = (Grant.objects.filter(role__code="office_admin", scope_kind="region", region=region, is_active=True)
                 .select_related("user").order_by("id").first())
        if grant is not None:
            return grant.user
        return self.offices["city_office"]

    def supervisor_for(self, region) -> User:
        grant = (Grant.objects.filter(role__code="supervisor", scope_kind="region", region=region, is_active=True)
                 .select_related("user").order_by("id").first())
        if grant is not None:
            return grant.user
        user = User.objects.filter(username=f"supervisor_{region.code}").first()
        if user is None:
            user = User(username=f"supervisor_{region.code}", full_name=f"{region.name}督导员",
                        password_changed_at=timezone.now(), must_change_password=False)
            user.set_password(DEMO_PASSWORD)
            user.save()
            Grant.objects.create(user=user, role=Role.objects.get(code="supervisor"), scope_kind="region", region=region)
        return user

    def liaison_for(self, unit) -> User | None:
        grant = (Grant.objects.filter(role__code="unit_liaison", scope_kind="unit", unit=unit, is_active=True)
                 .select_related("user").order_by("id").first())
        return grant.user if grant else None

    def demo_liaison(self, unit) -> User:
        """`liaison2`: the liaison of the unit whose plan the demo carries furthest (approved, tasks
        accepted, published with one item withheld), so the unit's side can be tried at once."""
        user = User.objects.filter(username="liaison2").first()
        if user is None:
            user = User(username="liaison2", full_name=f"{unit.name}联络员", password_changed_at=timezone.now(),
                        must_change_password=False)
            user.set_password(DEMO_PASSWORD)
            user.save()
            Grant.objects.create(user=user, role=Role.objects.get(code="unit_liaison"), scope_kind="unit", unit=unit)
        return user

    # --- source records (findings, reporting) -----------------------------------------------------

    def problems_for(self, inspection, unit) -> list:
        from xuncha.findings.models import Problem

        found = list(Problem.objects.confirmed().filter(inspection=inspection, unit=unit))
        if found:
            return found
        categories = self._categories()
        start = Problem.all_objects.filter(inspection=inspection).count()
        picks = self.rng.sample(PROBLEMS, 3)
        made = []
        for i, (kind, title) in enumerate(picks):
            problem = Problem(inspection=inspection, unit=unit, number=start + i + 1, kind=kind, title=title,
                              description=f"巡察发现，{unit.name}{title}。", status="confirmed",
                              category=categories[i % len(categories)] if categories else None,
                              confirmed_at=timezone.now())  # demo data: findings owns the workflow
            problem.save()
            made.append(problem)
        return made

    def _categories(self) -> list:
        if not hasattr(self, "_cats"):
            from xuncha.indicators.models import Indicator

            self._cats = list(Indicator.objects.filter(level=1).order_by("id")[:4])
        return self._cats

    def feedback_for(self, inspection, unit):
        from xuncha.reporting.models import Feedback

        feedback = Feedback.objects.filter(inspection=inspection, unit=unit, issued_at__isnull=False).first()
        if feedback is not None:
            return feedback
        day = inspection.feedback_date or self.today - datetime.timedelta(days=75)
        issued = timezone.make_aware(datetime.datetime.combine(min(day, self.today), datetime.time(10, 0)))
        feedback = Feedback.objects.filter(inspection=inspection, unit=unit).first() or Feedback(
            inspection=inspection, unit=unit, title=f"关于对{unit.name}巡察情况的反馈意见")
        feedback.issued_at = issued  # demo data: reporting owns the workflow
        feedback.save()
        return feedback

    # --- the plan and its tasks ----------------------------------------------------------------

    def plan(self, inspection, unit, index: int) -> None:
        feedback = self.feedback_for(inspection, unit)
        problems = self.problems_for(inspection, unit)
        office = self.office_for(inspection.authority)
        unit_actor = self.liaison_for(unit) or (self.demo_liaison(unit) if index == 0 else office)
        plan = services.plan_create(actor=unit_actor, feedback=feedback, summary=(
            f"{unit.name}党组（党委）成立巡察整改工作领导小组，主要负责人任组长，对反馈的{len(problems)}个问题逐项制定措施，"
            "明确责任人和完成时限，实行清单化管理、台账式推进、销号式落实。"))
        self.summary["plans"] += 1
        base = max(plan.feedback_on, self.today - datetime.timedelta(days=60))
        for p_index, problem in enumerate(problems):
            kinds = [KIND_CYCLE[(index + p_index) % 4], KIND_CYCLE[(index + p_index + 1) % 4]]
            for k_index, kind in enumerate(kinds):
                offset = self.rng.choice([-20, -5, 8, 30, 60, 90]) if k_index else self.rng.choice([10, 45, 75])
                services.task_create(actor=unit_actor, plan=plan, problem=problem, data={
                    "kind": kind, "content": MEASURES[kind], "responsible": RESPONSIBLE[(p_index + k_index) % 5],
                    "deadline": max(base + datetime.timedelta(days=offset), plan.feedback_on)})
                self.summary["tasks"] += 1
        if index % 5 == 3:
            return  # still being drafted
        services.plan_submit(actor=unit_actor, plan=plan, opinion="请予审批。")
        if index % 5 == 4:
            services.plan_return(actor=office, plan=plan, reason="部分措施过于笼统，完成时限偏长，请细化后重新报送。")
            return
        if index % 7 == 5:
            return  # awaiting approval
        services.plan_approve(actor=office, plan=plan, opinion="同意按此方案组织整改。")
        self.progress(plan, unit_actor, self.supervisor_for(inspection.authority), index)
        if index % 3 == 0:
            services.plan_report_submit(actor=unit_actor, plan=plan, text=(
                f"{unit.name}关于巡察反馈意见整改情况的报告：已完成整改任务若干项，其余任务正按时限推进。"))
        if index == 0:
            tasks = list(plan.tasks.order_by("id"))
            services.task_withhold(actor=office, task=tasks[-1], withheld=True, reason="investigation",
                                   note="相关问题线索正在核查处置")
            services.plan_publish(actor=office, plan=plan)

    def progress(self, plan, unit_actor, supervisor, index: int) -> None:
        month = self.today.replace(day=1)
        previous = (month - datetime.timedelta(days=1)).replace(day=1)
        for t_index, task in enumerate(plan.tasks.order_by("id")):
            step = (index + t_index) % 5
            if step == 0:
                continue  # nothing reported yet
            services.task_report_progress(actor=unit_actor, task=task, month=previous, percent=40,
                                          content="已召开专题会议部署，正在逐项推进。")
            if step == 1:
                continue
            if task.kind == "accountability":
                services.task_update(actor=unit_actor, task=task, data={
                    "accountable_persons": "张某（原办公室主任）", "accountability_method": "admonish",
                    "accountability_detail": "对其进行诫勉谈话，并在全局干部大会上通报"})
            if task.kind == "rules":
                services.task_update(actor=unit_actor, task=task, data={
                    "rule_name": "公务接待和津贴补贴发放管理办法",
                    "rule_document": _file(f"制度文件{plan.pk}-{task.pk}.txt", "公务接待和津贴补贴发放管理办法（全文）")})
            services.task_report_progress(
                actor=unit_actor, task=task, month=month, percent=100, content="整改任务已完成。",
                uploads=[_file(f"佐证材料{plan.pk}-{task.pk}.txt", f"整改佐证材料：任务{task.pk}的完成凭证")])
            if step == 2:
                continue
            services.task_apply(actor=unit_actor, task=task, opinion="已按方案完成整改，请予验收。")
            if step == 3 and t_index % 2:
                services.task_send_back(actor=supervisor, task=task, reason="佐证材料不足以证明整改到位，请补充。")
                continue
            if step >= 3:
                services.task_accept(actor=supervisor, task=task, opinion="佐证材料齐全，整改到位。")
                self.summary["accepted"] += 1

    # --- supervision, reminders, 回头看 -----------------------------------------------------------

    def supervision(self, authorities) -> None:
        month = self.today.replace(day=1)
        previous = (month - datetime.timedelta(days=1)).replace(day=1)
        for region in authorities:
            supervisor = self.supervisor_for(region)
            office = self.office_for(region)
            if not SupervisionGroup.objects.filter(authority=region).exists():
                services.supervisiongroup_create(actor=office, data={
                    "authority": region, "name": f"{committee(region)}巡察整改第一督导组", "leader_name": "林督导",
                    "members": [supervisor]})
            for day in (previous, month):
                made = services.run_month(authority=region, year=day.year, month=day.month, actor=supervisor)
                self.summary["rounds"] += made["rounds"]
            notice = SupervisionNotice.objects.filter(authority=region, round__year=previous.year,
                                                      round__month=previous.month).first()
            if notice is not None:
                meeting = notice.round.meeting
                services.meeting_update(actor=supervisor, meeting=meeting, data={
                    "held_on": previous + datetime.timedelta(days=25), "attendees": "督导组成员、各被巡察单位分管负责人",
                    "minutes": "听取各单位整改进展汇报，逐项对账。",
                    "decisions": "对逾期未完成的整改任务挂牌督办，责任单位说明原因并明确完成时限。\n"
                                 "下月推进会前完成制度类措施的合法性审查。"})
                services.notice_regenerate(actor=supervisor, notice=notice)
                services.notice_review(actor=supervisor, notice=notice, opinion="数据已核实。")
                services.notice_publish(actor=office, notice=notice)

    def revisits(self) -> None:
        accepted = list(RectificationTask.objects.filter(status="accepted").select_related("plan").order_by("id")[:2])
        for i, task in enumerate(accepted):
            office = self.office_for(task.authority)
            if i == 0:
                services.revisit_check(actor=office, task=task, result="holds", notes="回头看抽查，制度执行到位，整改成效巩固。")
            else:
                services.revisit_check(actor=office, task=task, result="fails", notes="回头看发现问题反弹，整改不到位。",
                                       new_deadline=self.today + datetime.timedelta(days=30))
            self.summary["revisits"] += 1

    def build(self) -> dict:
        inspections = (Inspection.objects.filter(stage__in=("rectify", "archived")).select_related("authority")
                       .prefetch_related("target_links__unit").order_by("authority__path", "id"))
        index = 0
        authorities = []
        with transaction.atomic():
            for inspection in inspections:
                for link in inspection.target_links.all():
                    self.plan(inspection, link.unit, index)
                    index += 1
                if inspection.authority not in authorities:
                    authorities.append(inspection.authority)
            self.revisits()
            self.supervision(authorities)
            self.summary["reminders"] = services.reminders_create_due(today=self.today)
        self.summary["log_rows"] = GateLog.objects.count()
        self.summary["plans_total"] = RectificationPlan.objects.count()
        return self.summary
