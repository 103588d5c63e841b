"""The stage machine of an inspection and the rules of dates, explained in Chinese.

django-fsm keeps the graph on the model (`Inspection.station()`…); this module says, for each step,
which permission it needs, what must be true before it, and why not when it is refused. Services
call `blocking_reasons()` before a transition; pages call `steps_for()` to show only the buttons a
user may press.
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from dataclasses import dataclass

from .choices import CheckStatus, RoundStatus, Stage

__all__ = ["StageStep", "STEPS", "step_between", "steps_from", "blocking_reasons", "stage_date_errors",
           "round_date_errors", "round_start_reasons", "round_finish_reasons", "STAGE_DATE_FIELDS",
           "register_stage_condition", "conditions_suspended"]

STAGE_DATE_FIELDS = [f"{stage.value}_date" for stage in Stage]
STAGE_LABELS = dict(Stage.choices)


@dataclass(frozen=True)
class StageStep:
    method: str  # the django-fsm transition on Inspection
    source: str
    target: str
    label: str  # the button
    action: str  # planning:inspection:<action>
    needs_opinion: bool = False

    @property
    def permission(self) -> str:
        return f"planning:inspection:{self.action}"


STEPS = [
    StageStep("station", Stage.PREPARE, Stage.STATIONED, "进驻（召开动员会）", "transition"),
    StageStep("understand", Stage.STATIONED, Stage.UNDERSTAND, "转入了解阶段", "transition"),
    StageStep("report", Stage.UNDERSTAND, Stage.REPORT, "提交巡察报告", "report"),
    StageStep("send_back", Stage.REPORT, Stage.UNDERSTAND, "退回补充了解", "transition", needs_opinion=True),
    StageStep("feedback", Stage.REPORT, Stage.FEEDBACK, "反馈", "transition"),
    StageStep("transfer", Stage.FEEDBACK, Stage.TRANSFER, "移交问题线索", "transition"),
    StageStep("rectify", Stage.TRANSFER, Stage.RECTIFY, "转入整改", "transition"),
    StageStep("archive", Stage.RECTIFY, Stage.ARCHIVED, "归档", "transition"),
]


def steps_from(stage: str) -> list[StageStep]:
    return [s for s in STEPS if s.source == stage]


def step_between(source: str, target: str) -> StageStep | None:
    return next((s for s in STEPS if s.source == source and s.target == target), None)


def refusal_for_unknown_step(source: str, target: str) -> str:
    allowed = "、".join(f"「{STAGE_LABELS[s.target]}」" for s in steps_from(source)) or "无（已归档）"
    return (f"不能从「{STAGE_LABELS.get(source, source)}」转入「{STAGE_LABELS.get(target, target)}」。"
            f"当前阶段可转入：{allowed}。")


# step method -> functions(inspection) -> list of Chinese reasons, added by the apps that own the
# work of a stage (fieldwork: no report before the problems are confirmed; reporting: no feedback
# before the unified review approved the report…). Registered from their AppConfig.ready.
_EXTRA_CONDITIONS: dict[str, list] = {}


_suspension = threading.local()


@contextlib.contextmanager
def conditions_suspended(active: bool = True):
    """Skip the conditions other apps registered, in this thread, while the block runs.

    For one purpose only: building demo or migrated data whose inspections passed 报告/反馈/归档
    before the platform held their drafts, reports and checklists (the planning demo and the test
    factories walk inspections forward; the later apps' demos backfill the records). No page, API
    route or service uses it; planning's own conditions (round started, targets, dates, joint
    review, horizontal checks) still apply. `conditions_suspended(False)` restores them inside.
    """
    previous = getattr(_suspension, "active", False)
    _suspension.active = active
    try:
        yield
    finally:
        _suspension.active = previous


def register_stage_condition(method: str, condition) -> None:
    """Add a condition to the step `method` ("report", "feedback", "archive"…): `condition(inspection)`
    returns the Chinese reasons why the step cannot be taken now (empty when it can)."""
    if not any(s.method == method for s in STEPS):
        raise ValueError(f"unknown inspection step {method}")
    if condition not in _EXTRA_CONDITIONS.setdefault(method, []):
        _EXTRA_CONDITIONS[method].append(condition)


def blocking_reasons(inspection, step: StageStep, *, opinion: str = "") -> list[str]:
    """Why `step` cannot be taken now (empty: it can). Reads the round, targets, joint round, checks."""
    reasons: list[str] = []
    rnd = inspection.round
    if step.needs_opinion and not opinion.strip():
        reasons.append(f"「{step.label}」须填写意见，说明退回的理由。")
    if step.method == "station":
        if rnd.status != RoundStatus.STARTED:
            reasons.append(f"所属轮次「{rnd}」尚未启动：须先设置巡察组和巡察对象，并启动本轮。")
        if not inspection.target_links.exists():
            reasons.append("尚未确定巡察对象，不能进驻。")
        if inspection.stationed_date is None:
            reasons.append("尚未填写「进驻（动员会）」日期，不能进驻。")
    if step.method == "feedback" and rnd.joint_round_id:
        joint = rnd.joint_round
        if joint is not None and not joint.is_deleted and not joint.is_reviewed:
            reasons.append(f"本轮属于上下联动巡察「{joint}」，须待牵头巡察机构对各组报告统一把关后才能反馈。")
    if step.method == "archive":
        for check in inspection.checks.filter(is_deleted=False).order_by("planned_start", "id"):
            if check.status != CheckStatus.DONE:
                reasons.append(f"「{check.get_kind_display()}（{check.department}）」尚未登记结果，不能归档。")
    if not getattr(_suspension, "active", False):
        for condition in _EXTRA_CONDITIONS.get(step.method, []):
            reasons.extend(condition(inspection))
    return reasons


def _fmt(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def stage_date_errors(dates: dict[str, datetime.date | None], rnd, joint=None) -> dict[str, str]:
    """Dates of the stages must not go backwards, and 进驻 must fall within the round's period (and not
    before a joint round's unified mobilisation). Returns {field: Chinese message}."""
    from xuncha.planning.models import Inspection

    errors: dict[str, str] = {}
    label = {f: Inspection._meta.get_field(f).verbose_name for f in STAGE_DATE_FIELDS}
    previous = None
    for name in STAGE_DATE_FIELDS:
        value = dates.get(name)
        if value is None:
            continue
        if previous is not None and value < dates[previous]:
            errors[name] = f"「{label[name]}」日期不能早于「{label[previous]}」日期（{_fmt(dates[previous])}）。"
        previous = name
    stationed = dates.get("stationed_date")
    if stationed is not None and "stationed_date" not in errors and rnd is not None:
        if not rnd.start_date <= stationed <= rnd.end_date:
            errors["stationed_date"] = (f"「进驻（动员会）」日期应在本轮进驻期间（{_fmt(rnd.start_date)}至"
                                        f"{_fmt(rnd.end_date)}）内。")
        elif joint is not None and stationed < joint.mobilisation_date:
            errors["stationed_date"] = (f"本轮属于上下联动巡察，统一动员部署日期为{_fmt(joint.mobilisation_date)}，"
                                        "进驻日期不能早于该日。")
    return errors


def round_date_errors(*, year: int, start: datetime.date | None, end: datetime.date | None,
                      training: datetime.date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if start is not None and start.year != year:
        errors["start_date"] = f"「进驻开始日期」应在 {year} 年内（所属年度计划为 {year} 年度）。"
    if start is not None and end is not None and end < start:
        errors["end_date"] = f"「进驻结束日期」不能早于「进驻开始日期」（{_fmt(start)}）。"
    if training is not None and start is not None and training > start:
        errors["training_date"] = f"「培训日期」应不晚于「进驻开始日期」（{_fmt(start)}）：先培训，后进驻。"
    return errors


def round_start_reasons(rnd, groups: list, inspections: list) -> list[str]:
    """A round starts only with groups, targets for every group and a 进驻 date for every inspection.

    `groups`: the round's live groups; `inspections`: its live inspections with `target_count`.
    """
    reasons: list[str] = []
    if rnd.status != RoundStatus.DRAFT:
        reasons.append(f"本轮当前状态为「{rnd.get_status_display()}」，不能再次启动。")
        return reasons
    if not groups:
        reasons.append("本轮尚未设置巡察组，不能启动。")
    for group in groups:
        mine = [i for i in inspections if i.group_id == group.pk]
        if not mine or not any(i.target_count for i in mine):
            reasons.append(f"「{group.name}」尚未确定巡察对象，不能启动。")
    for inspection in inspections:
        if inspection.target_count == 0:
            reasons.append(f"「{inspection.group.name}」有一项巡察任务尚未确定巡察对象。")
        if inspection.stationed_date is None:
            reasons.append(f"「{inspection.group.name}」的巡察任务尚未填写「进驻（动员会）」日期。")
    return reasons


def round_finish_reasons(rnd, inspections: list) -> list[str]:
    if rnd.status != RoundStatus.STARTED:
        return [f"本轮当前状态为「{rnd.get_status_display()}」，只有进行中的轮次才能结束。"]
    open_ones = [i for i in inspections if i.stage != Stage.ARCHIVED]
    if open_ones:
        names = "、".join(f"「{i.group.name}」" for i in open_ones[:5])
        return [f"尚有 {len(open_ones)} 项巡察任务未归档（{names}），不能结束本轮。"]
    return []
