"""What reporting reads from the apps that keep the inspection's work (indicators, fieldwork, surveys,
findings). Those apps are built alongside this one: every read here asks Django whether the model
(or the app's selector) exists and counts only what does, so the report, the feedback and the
archive degrade to "what exists" instead of failing.

These are service-level reads for one inspection that the caller has already checked the user may
act on; they never leave this app except as counts, or as the confirmed problems in documents that
the group and the office see anyway. Clue *content* is never read here: only the number of clues.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Q

__all__ = ["model_or_none", "method_counts", "archive_counts", "confirmed_problems", "clue_count",
           "ProblemSection", "problem_sections", "CountRow"]


def model_or_none(app_label: str, model_name: str):
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _selector(app_label: str, name: str):
    """`<app>.selectors.<name>` when the app provides it, else None."""
    try:
        module = importlib.import_module(f"xuncha.{app_label}.selectors")
    except ModuleNotFoundError:
        return None
    return getattr(module, name, None)


def _count(app_label: str, model_name: str, inspection, **filters) -> int | None:
    model = model_or_none(app_label, model_name)
    if model is None:
        return None
    manager = model.objects
    return manager.filter(inspection=inspection, **filters).count()


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    unit: str  # 人次, 件, 份…
    value: int | None  # None: the app that keeps these records is not available

    @property
    def text(self) -> str:
        return "—" if self.value is None else f"{self.value}{self.unit}"


def _from_selector(app_label: str, name: str, inspection) -> dict:
    fn = _selector(app_label, name)
    if fn is None:
        return {}
    try:
        return dict(fn(inspection) or {})
    except (TypeError, ValueError):  # a sibling app changed its answer's shape: count the models instead
        return {}


# The working methods counted in the report's basic situation: key, label, unit, (app, model, filters).
METHODS = [
    ("hearings", "听取汇报", "次", ("fieldwork", "HearingReport", {})),
    ("talks", "个别谈话", "人次", ("fieldwork", "Talk", {})),
    ("petitions", "受理信访举报", "件", ("fieldwork", "Petition", {})),
    ("documents", "调阅资料", "批次", ("fieldwork", "DocumentRequest", {})),
    ("meetings", "列席会议", "次", ("fieldwork", "MeetingAttendance", {})),
    ("visits", "走访调研和下沉了解", "次", ("fieldwork", "Visit", {})),
    ("surveys", "开展民主测评和问卷调查", "次", ("surveys", "Survey", {})),
]


# fieldwork.selectors.method_counts answers with its Chinese labels as keys.
FIELDWORK_LABELS = {"听取汇报": "hearings", "个别谈话": "talks", "信访举报": "petitions", "调阅资料": "documents",
                    "列席会议": "meetings", "走访下沉": "visits"}


def method_counts(inspection) -> list[CountRow]:
    """听取汇报, 个别谈话 (held), 信访, 调阅, 列席会议, 走访, 测评: from `fieldwork.selectors.method_counts`
    and `surveys.selectors.survey_counts` when they exist, else by counting the models."""
    fieldwork = _from_selector("fieldwork", "method_counts", inspection)
    given = {FIELDWORK_LABELS.get(k, k): v for k, v in fieldwork.items()}
    given.update(_from_selector("surveys", "survey_counts", inspection))
    rows = []
    for key, label, unit, (app_label, model_name, filters) in METHODS:
        value = given.get(key)
        if value is None:
            value = _count(app_label, model_name, inspection, **filters)
        rows.append(CountRow(key, label, unit, value))
    return rows


def _answers(inspection) -> int | None:
    given = _from_selector("surveys", "survey_counts", inspection)
    if "answers" in given:
        return given["answers"]
    for name in ("Response", "Answer", "SurveyResponse", "AnswerSheet"):
        model = model_or_none("surveys", name)
        if model is None:
            continue
        field_names = {f.name for f in model._meta.get_fields()}
        if "survey" in field_names:
            return model._default_manager.filter(survey__inspection=inspection).count()
        if "inspection" in field_names:
            return model._default_manager.filter(inspection=inspection).count()
    return None


def archive_counts(inspection) -> list[CountRow]:
    """The counts of the closing checklist (立卷归档): everything the inspection produced."""
    rows = list(method_counts(inspection))
    rows.append(CountRow("answers", "测评问卷答卷", "份", _answers(inspection)))
    rows.append(CountRow("indicator_results", "指标检查结果", "项",
                         _count("indicators", "IndicatorResult", inspection)))
    findings = _from_selector("findings", "finding_counts", inspection)
    problem_model = model_or_none("findings", "Problem")
    drafts, confirmed = findings.get("drafts"), findings.get("confirmed")
    if problem_model is not None and (drafts is None or confirmed is None):
        agg = problem_model.objects.filter(inspection=inspection).aggregate(
            drafts=Count("pk", filter=~Q(status="confirmed")), confirmed=Count("pk", filter=Q(status="confirmed")))
        drafts, confirmed = agg["drafts"], agg["confirmed"]
    rows.append(CountRow("problems", "未确认的问题底稿", "个", drafts))
    rows.append(CountRow("confirmed", "确认问题", "个", confirmed))
    rows.append(CountRow("clues", "问题线索", "件", findings.get("clues", clue_count(inspection))))
    transferred = findings.get("transferred")
    if transferred is None:
        clue_model = model_or_none("findings", "Clue")
        transferred = None if clue_model is None else clue_model.objects.filter(
            inspection=inspection, transfer__isnull=False).count()
    rows.append(CountRow("transferred", "已移交线索", "件", transferred))
    return rows


def clue_count(inspection) -> int | None:
    """How many clues the inspection found: the report says only this, never their content."""
    return _count("findings", "Clue", inspection)


def confirmed_problems(inspection, unit=None) -> list:
    """The confirmed problems (问题清单) of the inspection (of one unit), with their indicators."""
    model = model_or_none("findings", "Problem")
    if model is None:
        return []
    qs = model.objects.filter(inspection=inspection)
    qs = qs.confirmed() if hasattr(qs, "confirmed") else qs.filter(status="confirmed")
    if unit is not None:
        qs = qs.filter(unit=unit)
    related = ["unit"]
    field_names = {f.name for f in model._meta.get_fields()}
    if "indicator" in field_names:
        related += ["indicator", "indicator__parent", "indicator__parent__parent"]
    return list(qs.select_related(*related).order_by("number" if "number" in field_names else "id", "id"))


# --- The problems organised by the indicator tree ---------------------------------------------------


@dataclass
class ProblemSection:
    """A level-1 indicator (or 其他) with its level-2 subsections and the problems placed directly."""

    title: str
    order: tuple
    problems: list = field(default_factory=list)  # problems under the level-1 itself
    subsections: list = field(default_factory=list)  # [(title, order, [problems])]


def _chain(indicator) -> list:
    """The indicator and its ancestors, level 1 first."""
    chain = []
    node = indicator
    while node is not None and len(chain) < 5:
        chain.append(node)
        node = getattr(node, "parent", None)
    return list(reversed(chain))


def _order(indicator) -> tuple:
    code = getattr(indicator, "code", "") or ""
    parts = tuple(int(p) if p.isdigit() else 0 for p in code.split("."))
    return (getattr(indicator, "order", 0), parts, indicator.pk)


OTHER_SECTION = "其他方面"


def problem_sections(problems: list) -> list[ProblemSection]:
    """Group problems by level-1 indicator, then by level-2; those without an indicator go last
    under 其他方面. Order: the indicators' own order (then code), problems in their number order."""
    sections: dict[object, ProblemSection] = {}
    subs: dict[tuple, list] = {}
    for problem in problems:
        indicator = getattr(problem, "indicator", None)
        if indicator is None:
            section = sections.setdefault("other", ProblemSection(OTHER_SECTION, (1, ())))
            section.problems.append(problem)
            continue
        chain = _chain(indicator)
        top = chain[0]
        section = sections.setdefault(top.pk, ProblemSection(top.title, (0, _order(top))))
        if len(chain) == 1:
            section.problems.append(problem)
            continue
        second = chain[1]
        key = (top.pk, second.pk)
        if key not in subs:
            subs[key] = []
            section.subsections.append((second.title, _order(second), subs[key]))
        subs[key].append(problem)
    ordered = sorted(sections.values(), key=lambda s: s.order)
    for section in ordered:
        section.subsections.sort(key=lambda s: s[1])
    return ordered
