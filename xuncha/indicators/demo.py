"""Demo data of indicators on top of planning's: results and decision checks for every demo
inspection that has reached 了解 (understand) or later. Inspections still in 了解 are part-way
through their checklist; later ones have it complete. Deterministic for a given seed.

Results of inspections past 了解 are written as history (the page would refuse them now), so this
writes through `core.services.scoped_create` with the office of the inspection's authority as the
actor — scope re-check and change log as for any other write — instead of `result_record`.
"""

from __future__ import annotations

import random

from django.db import transaction

from xuncha.accounts.models import Grant
from xuncha.core.services import scoped_create
from xuncha.planning.choices import STAGE_ORDER, Stage
from xuncha.planning.models import Inspection

from . import choices as c
from . import selectors, services
from .models import DecisionCheck, IndicatorResult, InspectionChecklist

PROBLEM_NOTES = {
    "1": ["传达学习党中央和上级重大决策部署不够及时，研究部署停留在会议层面，缺少具体落实举措和跟踪问效。",
          "“第一议题”学习存在以读代学现象，抽查2025年党组会议记录，有4次未联系本单位实际研究贯彻措施。",
          "重点工作推进迟缓，年度目标任务中有2项未按期完成，未及时向上级党组织报告原因。",
          "惠民政策落实不到位，抽查发现部分补助对象审核把关不严，存在应享未享的情况。"],
    "2": ["公务接待管理不规范，抽查发现部分接待无公函、无接待清单，存在超标准接待的情况。",
          "以培训费、会议费名义列支餐费，隐形变异“四风”问题仍有发生。",
          "工程项目管理不规范，存在先施工后补办招标手续、变更签证审批不严的问题。",
          "主体责任落实有差距，班子成员“一岗双责”履行不到位，全年未专题研究党风廉政建设工作。"],
    "3": ["“三重一大”事项集体决策不规范，部分大额资金使用未经党组（党委）会议集体研究。",
          "支部“三会一课”记录存在补写现象，部分党课无讲稿、无记录。",
          "班子成员述职述廉报告连续两年内容高度雷同，对照检查材料避重就轻。",
          "选人用人程序执行不严格，个别干部任职考察材料不完整。"],
    "4": ["上轮巡察反馈的问题整改不到位，部分已销号问题出现反弹。",
          "审计指出的违规发放津贴补贴问题整改未完成，资金尚未全部追回。",
          "以案促改不深入，针对反馈问题建章立制滞后，新制度尚未印发执行。"],
}
COMPLIANT_NOTES = ["经查阅会议记录和相关台账，未发现明显问题。", "抽查相关资料，制度执行基本规范。", ""]
DECISION_NOTES = {
    c.DecisionStatus.DONE: "已传达学习并制定落实方案，任务分解到人，推进情况定期报告。",
    c.DecisionStatus.PARTIAL: "已制定落实方案，但部分任务推进滞后，督促检查不够有力。",
    c.DecisionStatus.NOT_DONE: "未结合本单位实际研究部署，落实工作停留在转发文件层面。",
    c.DecisionStatus.NOT_APPLICABLE: "",
}


def _office_actor(inspection):
    grant = (Grant.objects.filter(role__code="office_admin", scope_kind="region", region=inspection.authority,
                                  is_active=True).select_related("user").order_by("pk").first())
    return grant.user if grant else None


class IndicatorsDemo:
    def __init__(self, *, seed: int = 1):
        self.rng = random.Random(seed)
        self.results = 0
        self.checks = 0

    def _result_value(self) -> str:
        roll = self.rng.random()
        if roll < 0.14:
            return c.ResultValue.PROBLEM
        if roll < 0.22:
            return c.ResultValue.NOT_APPLICABLE
        return c.ResultValue.COMPLIANT

    def inspection(self, inspection, actor) -> None:
        indicator_set = services.default_set_for(inspection)
        if indicator_set is None:
            return
        InspectionChecklist.objects.filter(inspection=inspection).exists() or scoped_create(
            actor=actor, instance=InspectionChecklist(inspection=inspection, indicator_set=indicator_set))
        share = 0.6 if inspection.stage == Stage.UNDERSTAND else 1.0
        templates = {t.kind: t for t in indicator_set.templates.prefetch_related("items__root")}
        for link in inspection.target_links.select_related("unit").order_by("unit__name"):
            unit = link.unit
            kind = c.kind_for_category(unit.category)
            template = templates.get(kind)
            items = sorted(template.items.all(), key=lambda i: i.order) if template else []
            for indicator in items[: round(len(items) * share)]:
                value = self._result_value()
                if value == c.ResultValue.PROBLEM:
                    notes = self.rng.choice(PROBLEM_NOTES.get(indicator.top.code, PROBLEM_NOTES["2"]))
                elif value == c.ResultValue.COMPLIANT:
                    notes = self.rng.choice(COMPLIANT_NOTES)
                else:
                    notes = "该单位不涉及此项业务。"
                scoped_create(actor=actor, instance=IndicatorResult(
                    inspection=inspection, unit=unit, indicator=indicator, result=value, notes=notes))
                self.results += 1
            rows = selectors.decision_rows(actor, inspection, unit, kind)
            for decision, _ in rows[: round(len(rows) * share)]:
                status = self.rng.choices(list(c.DecisionStatus.values), weights=[70, 18, 5, 7])[0]
                scoped_create(actor=actor, instance=DecisionCheck(
                    inspection=inspection, unit=unit, decision=decision, status=status, notes=DECISION_NOTES[status]))
                self.checks += 1

    def build(self) -> dict:
        understand = STAGE_ORDER.index(Stage.UNDERSTAND)
        with transaction.atomic():
            for inspection in Inspection.objects.select_related("authority").order_by("pk"):
                if STAGE_ORDER.index(inspection.stage) < understand:
                    continue
                if IndicatorResult.all_objects.filter(inspection=inspection).exists():
                    continue  # already has its results: running the demo twice adds nothing
                actor = _office_actor(inspection)
                if actor is not None:
                    self.inspection(inspection, actor)
        return {"results": self.results, "checks": self.checks}


def build_indicators_demo(**kwargs) -> dict:
    return IndicatorsDemo(**kwargs).build()
