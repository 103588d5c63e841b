"""Every read of surveys, through the user's scope; the aggregated results (never single answers)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404

from . import choices as c
from .models import Survey, SurveyResponse, SurveyTemplate, SurveyText, SurveyToken

__all__ = ["surveys_for_user", "get_survey", "get_template", "survey_progress", "survey_results", "survey_counts",
           "results_visible", "Results"]


def surveys_for_user(user, *, inspection=None, status: str = "", q: str = ""):
    """The surveys the user sees, with the issued/used token counts (two annotated aggregates)."""
    qs = (Survey.objects.for_user(user, "view")
          .select_related("unit", "template", "inspection", "inspection__round", "inspection__group", "authority")
          .annotate(issued=Count("tokens", distinct=True),
                    used=Count("tokens", filter=Q(tokens__used=True), distinct=True)))
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    if status in c.SurveyStatus.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(unit__name__icontains=q))
    return qs.order_by("-opens_on", "-id")


def get_survey(user, pk: int, action: str = "view") -> Survey:
    survey = (Survey.objects.for_user(user, action)
              .select_related("unit", "template", "inspection", "inspection__round", "inspection__group", "authority")
              .filter(pk=pk).first())
    if survey is None:
        raise Http404("记录不存在或不在您的授权范围内。")
    return survey


def get_template(user, pk: int, action: str = "view") -> SurveyTemplate:
    template = SurveyTemplate.objects.for_user(user, action).select_related("authority").filter(pk=pk).first()
    if template is None:
        raise Http404("记录不存在或不在您的授权范围内。")
    return template


@dataclass
class Progress:
    issued: int
    used: int
    responses: int

    @property
    def percent(self) -> int:
        return round(self.used * 100 / self.issued) if self.issued else 0


def survey_progress(survey: Survey) -> Progress:
    """Issued and used tokens, answers received. Precondition: the caller may view `survey`."""
    counts = SurveyToken.objects.filter(survey=survey).aggregate(
        issued=Count("id"), used=Count("id", filter=Q(used=True)))
    return Progress(counts["issued"], counts["used"], SurveyResponse.objects.filter(survey=survey).count())


def results_visible(survey: Survey, responses: int) -> tuple[bool, str]:
    """(visible, why not). Tallies appear only once the survey is closed and only when enough answers
    came in: while open, comparing two views of the tallies would show what one person answered."""
    if not survey.is_closed:
        return False, "测评结束后才能查看结果：进行中显示统计，可能通过前后对比推知个人的作答。"
    if responses < c.RESULT_MIN_RESPONSES:
        return False, (f"共收回{responses}份答卷，少于{c.RESULT_MIN_RESPONSES}份，为保护答卷人匿名，不显示统计结果。")
    return True, ""


@dataclass
class OptionRow:
    label: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    number: int
    key: str
    kind: str
    text: str
    answered: int
    options: list[OptionRow] = field(default_factory=list)
    good_rate: float | None = None  # rating questions: share of the two best options (好和较好率)
    texts: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return c.QuestionKind(self.kind).label


@dataclass
class CategoryTable:
    question: QuestionResult
    headers: list[str]
    rows: list[tuple[str, int, list[str]]]  # (category, answers, cells "n（p%）")


@dataclass
class Results:
    survey: Survey
    responses: int
    visible: bool
    reason: str
    questions: list[QuestionResult] = field(default_factory=list)
    categories: list[tuple[str, int]] = field(default_factory=list)  # shown groups (merged small ones)
    category_tables: list[CategoryTable] = field(default_factory=list)
    category_note: str = ""

    def chart_data(self) -> list[dict]:
        return [{"id": f"chart-{q.key}", "title": f"{q.number}. {q.text}", "labels": [o.label for o in q.options],
                 "counts": [o.count for o in q.options], "kind": q.kind}
                for q in self.questions if q.kind != c.QuestionKind.TEXT]


def _percent(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0


def _merge_small(counts: dict[str, int], order: list[str]) -> tuple[dict[str, str], list[tuple[str, int]]]:
    """Categories with fewer than CATEGORY_MIN_RESPONSES answers are merged into 「其他（合并）」;
    when the merged group is still too small it takes in the next smallest category, so that no
    small group can be worked out by subtracting the others from the total. Returns
    ({category: group label}, [(group label, answers)])."""
    minimum = c.CATEGORY_MIN_RESPONSES
    present = [cat for cat in order if counts.get(cat)]
    small = [cat for cat in present if counts[cat] < minimum]
    large = sorted((cat for cat in present if counts[cat] >= minimum), key=lambda cat: counts[cat])
    merged = list(small)
    while merged and sum(counts[m] for m in merged) < minimum and large:
        merged.append(large.pop(0))
    other = "其他（合并列示）"
    mapping = {cat: (other if cat in merged else cat) for cat in present}
    groups = [(cat, counts[cat]) for cat in present if cat not in merged]
    if merged:
        groups.append((other, sum(counts[m] for m in merged)))
    return mapping, groups


def survey_results(survey: Survey) -> Results:
    """Counts and percentages per question, the respondent-category breakdown and the free-text
    answers (in the order of their random keys: stable, and unrelated to when they came in).

    Precondition: the caller may read the results of `survey` (`surveys:survey:results` in scope).
    """
    responses = list(SurveyResponse.objects.filter(survey=survey).order_by("id").values_list("category", "choices"))
    total = len(responses)
    visible, reason = results_visible(survey, total)
    result = Results(survey, total, visible, reason)
    if not visible:
        return result
    content = survey.content()
    texts: dict[str, list[str]] = {}
    for key, text in SurveyText.objects.filter(survey=survey).order_by("id").values_list("question", "text"):
        texts.setdefault(key, []).append(text)
    for number, q in enumerate(content["questions"], start=1):
        if q["kind"] == c.QuestionKind.TEXT:
            answers = texts.get(q["key"], [])
            result.questions.append(QuestionResult(number, q["key"], q["kind"], q["text"], len(answers), texts=answers))
            continue
        tally: Counter = Counter()
        answered = 0
        for _, choices in responses:
            value = choices.get(q["key"])
            if value in (None, "", []):
                continue
            answered += 1
            tally.update(value if isinstance(value, list) else [value])
        rows = [OptionRow(o, tally.get(o, 0), _percent(tally.get(o, 0), answered)) for o in q["options"]]
        good = None
        if q["kind"] == c.QuestionKind.RATING and len(q["options"]) >= 3:
            good = _percent(tally.get(q["options"][0], 0) + tally.get(q["options"][1], 0), answered)
        result.questions.append(QuestionResult(number, q["key"], q["kind"], q["text"], answered, rows, good))
    categories = content.get("categories") or []
    if categories:
        counts = Counter(cat for cat, _ in responses if cat)
        mapping, groups = _merge_small(counts, categories)
        if len(groups) < 2:
            result.category_note = (f"各身份类别答卷均较少（每类少于{c.CATEGORY_MIN_RESPONSES}份或仅一类），"
                                    "为保护匿名不分类列示。")
        else:
            result.categories = groups
            if any(label != cat for cat, label in mapping.items()):
                result.category_note = (f"答卷少于{c.CATEGORY_MIN_RESPONSES}份的身份类别已合并为“其他（合并列示）”，"
                                        "以免推知个人作答。")
            for qr in result.questions:
                if qr.kind not in (c.QuestionKind.RATING, c.QuestionKind.SINGLE):
                    continue
                cells: dict[str, Counter] = {label: Counter() for label, _ in groups}
                answered: Counter = Counter()
                for cat, choices in responses:
                    value = choices.get(qr.key)
                    if not cat or value in (None, ""):
                        continue
                    cells[mapping[cat]][value] += 1
                    answered[mapping[cat]] += 1
                rows = [(label, answered[label],
                         [f"{cells[label][o.label]}（{_percent(cells[label][o.label], answered[label])}%）"
                          for o in qr.options]) for label, _ in groups]
                result.category_tables.append(CategoryTable(qr, [o.label for o in qr.options], rows))
    return result


def survey_counts(inspection) -> dict[str, int]:
    """For the archive checklist: surveys of the inspection (not deleted), tokens issued, answers
    received. Unscoped: the caller (reporting's checklist) has already checked the inspection."""
    surveys = Survey.objects.filter(inspection=inspection)
    return {
        "surveys": surveys.count(),
        "tokens_issued": SurveyToken.objects.filter(survey__in=surveys).count(),
        "answers": SurveyResponse.objects.filter(survey__in=surveys).count(),
    }
