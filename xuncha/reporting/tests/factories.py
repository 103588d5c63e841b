"""Builders for the reporting tests, on top of planning's (`pw`: 江城市, 青阳县 = A, 桐溪县 = B).

The indicator tree and the problems are written directly (the apps that own them are tested on
their own); reporting's own records go through its services, as a page would write them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from xuncha.planning.tests.factories import advance, group_user, started
from xuncha.reporting import services


@dataclass
class RW:
    pw: object
    inspection: object
    office: object
    leader: object
    member: object
    units: list
    indicators: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


def indicator_tree() -> dict:
    from xuncha.indicators.models import Indicator, IndicatorSet

    s = IndicatorSet.objects.create(name="政治巡察指标体系（测试）", version=1, status="published")

    def node(code, title, parent=None, order=0):
        level = code.count(".") + 1
        item = Indicator.objects.create(indicator_set=s, parent=parent, level=level, code=code, title=title,
                                        order=order)
        item.root = item if parent is None else parent.root
        item.save(update_fields=["root"])
        return item

    lead = node("1", "党的领导", order=1)
    build = node("2", "党的建设", order=2)
    lead_policy = node("1.1", "贯彻落实党中央决策部署", lead, 1)
    lead_item = node("1.1.1", "落实“双减”政策", lead_policy, 1)
    build_org = node("2.1", "基层党组织建设", build, 1)
    build_item = node("2.1.1", "“三会一课”制度落实", build_org, 1)
    return {"lead": lead, "build": build, "lead_policy": lead_policy, "lead_item": lead_item,
            "build_org": build_org, "build_item": build_item}


def make_problem(inspection, unit, indicator, title, description, *, status="confirmed", number=None):
    from xuncha.findings.models import Problem

    number = number or (Problem.all_objects.filter(inspection=inspection).count() + 1)
    problem = Problem(inspection=inspection, unit=unit, indicator=indicator,
                      category=indicator.top if indicator is not None else None, kind=_kind(), title=title,
                      description=description, number=number, status=status)  # test data: findings owns the workflow
    problem.save()
    return problem


def _kind():
    from xuncha.findings.choices import ProblemKind

    return ProblemKind.values[0]


def make_clue(inspection, unit, content):
    from xuncha.findings.choices import ClueSource
    from xuncha.findings.models import Clue

    seq = Clue.all_objects.filter(inspection=inspection).count() + 1
    return Clue.objects.create(inspection=inspection, unit=unit, number=f"XS-{seq}", seq=seq, summary="某干部问题",
                               content=content, source=ClueSource.values[0])


def build_reporting(pw, *, stage: str = "report") -> RW:
    a = pw.a
    units = [pw.world.unit_a, a.units[1]]
    _, inspection = started(a, units, stage=stage)
    leader = group_user("gl_a", "group_leader", inspection.group)
    member = group_user("gm_a", "group_member", inspection.group)
    rw = RW(pw, inspection, a.actor, leader, member, units, indicator_tree())
    ind = rw.indicators
    rw.problems = [
        make_problem(inspection, units[0], ind["lead_item"], "“双减”政策落实不到位",
                     "部分学校课后服务收费不规范，2025年有3所学校超标准收费。"),
        make_problem(inspection, units[0], ind["build_item"], "“三会一课”制度执行不严格",
                     "机关第二支部2025年仅召开党课2次。"),
        make_problem(inspection, units[1], ind["lead_item"], "卫健委落实决策部署打折扣",
                     "基层医疗卫生机构建设项目推进缓慢。"),
        make_problem(inspection, units[0], None, "财务报销审核不严", "部分报销单据缺少审批签字。"),
        make_problem(inspection, units[0], ind["lead_item"], "草稿问题不应出现", "这是底稿。", status="draft"),
    ]
    return rw


def docx_upload(text: str = "巡察报告修改稿", name: str = "修改稿.docx") -> SimpleUploadedFile:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=services.DOCX_CONTENT_TYPE)


def approved(rw: RW):
    """Generate, submit and approve the report (the office's unified review)."""
    report = services.report_generate(actor=rw.member, inspection=rw.inspection)
    report = services.report_submit(actor=rw.leader, report=report)
    return services.report_approve(actor=rw.office, report=report, opinion="同意。")


def at_feedback(rw: RW):
    """Approved report, inspection moved on to 反馈, feedback generated for every target."""
    report = approved(rw)
    advance(rw.inspection, rw.office, "feedback")
    rw.inspection.refresh_from_db()
    return report, services.feedback_generate(actor=rw.office, inspection=rw.inspection)
