"""Every write of surveys: templates, surveys (create, edit, open, close), answer slips and the
anonymous answer itself. Keyword-only, one transaction each, change log inside it (except for the
answer and the token use, which by design leave no log row anywhere)."""

from __future__ import annotations

import hashlib
import random
import secrets
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core import changelog
from xuncha.core.models import ChangeLog
from xuncha.core.scoping import has_perm, in_scope
from xuncha.core.services import (
    ScopeViolation,
    require_perm,
    scoped_create,
    scoped_soft_delete,
    scoped_update,
)
from xuncha.planning.records import check_target

from . import choices as c
from .models import Survey, SurveyResponse, SurveyTemplate, SurveyText, SurveyToken, SurveyTokenBatch
from .questions import check_answers

__all__ = ["template_create", "template_update", "template_delete", "template_copy", "survey_create",
           "survey_update", "survey_delete", "survey_open", "survey_close", "tokens_issue", "token_hash",
           "answer_submit", "AnswerRefused", "AnswerInvalid", "MAX_BATCH"]

MAX_BATCH = 500
TEMPLATE_FIELDS = ("authority", "kind", "title", "instructions", "category_label", "categories", "questions",
                   "is_active")


# --- Templates ----------------------------------------------------------------------------------------


def template_create(*, actor, data: dict) -> SurveyTemplate:
    instance = SurveyTemplate(**{k: data[k] for k in TEMPLATE_FIELDS if k in data})
    if instance.authority_id is None:
        raise ValidationError({"authority": "请选择所属巡察机构（平台通用模板只读，可复制后修改）。"})
    return scoped_create(actor=actor, instance=instance)


def template_update(*, actor, instance: SurveyTemplate, data: dict) -> SurveyTemplate:
    if instance.is_shared:
        raise ValidationError("平台通用模板不能修改，请复制为本机构模板后再修改。")

    def changes(t):
        for key in TEMPLATE_FIELDS:
            if key in data:
                setattr(t, key, data[key])

    return scoped_update(actor=actor, instance=instance, changes=changes)


def _template_guard(template: SurveyTemplate) -> None:
    drafts = Survey.objects.filter(template=template, status=c.SurveyStatus.DRAFT).count()
    if drafts:
        raise ValidationError(f"有{drafts}项未发放的测评使用该模板，请先修改或删除这些测评。")


def template_delete(*, actor, instance: SurveyTemplate):
    if instance.is_shared:
        raise ValidationError("平台通用模板不能删除。")
    return scoped_soft_delete(actor=actor, instance=instance, guard=_template_guard)


def template_copy(*, actor, template: SurveyTemplate, authority) -> SurveyTemplate:
    """A template of the actor's own office, starting from `template` (shared or another's)."""
    if not in_scope(actor, "surveys:surveytemplate:add", region=authority):
        raise PermissionDenied("您不能在该区域新增模板。")
    copy = SurveyTemplate(authority=authority, kind=template.kind, title=f"{template.title}（{authority.name}）"[:100],
                          instructions=template.instructions, category_label=template.category_label,
                          categories=list(template.categories), questions=[dict(q) for q in template.questions],
                          is_active=True)
    return scoped_create(actor=actor, instance=copy)


# --- Surveys -------------------------------------------------------------------------------------------


def _check_dates(opens_on, closes_on) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError({"closes_on": "截止日期不能早于开始日期。"})


def _check_template(actor, template: SurveyTemplate) -> None:
    visible = SurveyTemplate.objects.for_user(actor, "view").filter(pk=template.pk, is_active=True)
    if not visible.exists():
        raise ValidationError({"template": "请选择一个启用中的、您可以使用的模板。"})


def survey_create(*, actor, inspection, data: dict) -> Survey:
    """A draft survey of one target unit of `inspection` (while it prepares or is in the field)."""
    if inspection.stage not in c.CREATE_STAGES:
        raise ValidationError(f"巡察任务处于“{inspection.get_stage_display()}”阶段，不能再新建测评。")
    check_target(inspection, data["unit"])
    _check_template(actor, data["template"])
    _check_dates(data["opens_on"], data["closes_on"])
    title = (data.get("title") or "").strip() or f"{data['unit'].name}{data['template'].title}"
    survey = Survey(inspection=inspection, unit=data["unit"], template=data["template"], title=title[:150],
                    opens_on=data["opens_on"], closes_on=data["closes_on"], remarks=data.get("remarks", ""))
    return scoped_create(actor=actor, instance=survey)


def survey_update(*, actor, instance: Survey, data: dict) -> Survey:
    """Dates and remarks while not closed; unit and template only while still a draft."""
    if instance.is_closed:
        raise ValidationError("测评已结束，不能修改。")
    if not instance.status == c.SurveyStatus.DRAFT and (
            data.get("unit", instance.unit) != instance.unit or data.get("template", instance.template) != instance.template):
        raise ValidationError("测评已开始，不能更换测评单位或模板。")
    if "unit" in data:
        check_target(instance.inspection, data["unit"])
    if "template" in data and data["template"] != instance.template:
        _check_template(actor, data["template"])
    _check_dates(data.get("opens_on", instance.opens_on), data.get("closes_on", instance.closes_on))

    def changes(s):
        for key in ("unit", "template", "title", "opens_on", "closes_on", "remarks"):
            if key in data:
                setattr(s, key, data[key])
        s.title = (s.title or "").strip() or f"{s.unit.name}{s.template.title}"

    return scoped_update(actor=actor, instance=instance, changes=changes)


def survey_delete(*, actor, instance: Survey):
    def guard(s):
        if s.status != c.SurveyStatus.DRAFT:
            raise ValidationError("测评已开始，不能删除。")

    return scoped_soft_delete(actor=actor, instance=instance, guard=guard)


def survey_open(*, actor, survey: Survey) -> Survey:
    """未发放 → 进行中: the template's content is frozen into the survey."""
    if survey.status != c.SurveyStatus.DRAFT:
        raise ValidationError("只有未发放的测评可以开始。")
    stage = survey.inspection.stage
    if stage not in c.OPEN_STAGES:
        raise ValidationError(f"巡察任务处于“{survey.inspection.get_stage_display()}”阶段；测评须在进驻或了解阶段开展。")
    if survey.template.is_deleted:
        raise ValidationError("该测评的模板已删除，请更换模板。")

    def changes(s):
        s.status = c.SurveyStatus.OPEN
        s.snapshot = s.template.content()

    return scoped_update(actor=actor, instance=survey, changes=changes, action="open")


def _reshuffle(survey: Survey) -> None:
    """Rewrite the answer rows with fresh random keys, inserted in the order of those keys, so that
    neither the keys nor the physical order of the tables (SQLite rowid, PostgreSQL heap) keep the
    order in which the answers came in."""
    responses = list(SurveyResponse.objects.filter(survey=survey).values_list("category", "choices"))
    texts = list(SurveyText.objects.filter(survey=survey).values_list("question", "text"))
    SurveyResponse.objects.filter(survey=survey).delete()
    SurveyText.objects.filter(survey=survey).delete()
    fresh = sorted((SurveyResponse(id=uuid.uuid4(), survey=survey, category=cat, choices=ch) for cat, ch in responses),
                   key=lambda r: r.id)
    SurveyResponse.objects.bulk_create(fresh)
    fresh_texts = sorted((SurveyText(id=uuid.uuid4(), survey=survey, question=q, text=t) for q, t in texts),
                         key=lambda r: r.id)
    SurveyText.objects.bulk_create(fresh_texts)


def survey_close(*, actor, survey: Survey) -> Survey:
    """进行中 → 已结束, for good. Inside the same transaction the answers are reshuffled and every
    token's hash is wiped: from then on no printed slip matches any row."""
    if survey.status != c.SurveyStatus.OPEN:
        raise ValidationError("只有进行中的测评可以结束。")
    with transaction.atomic():
        def changes(s):
            s.status = c.SurveyStatus.CLOSED

        closed = scoped_update(actor=actor, instance=survey, changes=changes, action="close")
        _reshuffle(closed)
        SurveyToken.objects.filter(survey=closed).update(token_hash=None)
    return closed


# --- Answer slips ------------------------------------------------------------------------------------


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def tokens_issue(*, actor, survey: Survey, count: int, note: str = "") -> tuple[SurveyTokenBatch, list[str]]:
    """Issue `count` one-time tokens. Returns the batch and the raw tokens, which exist only in this
    return value: the caller prints them (slips) or shows them once, and they are never stored."""
    require_perm(actor, "surveys:survey:issue")
    if not 1 <= count <= MAX_BATCH:
        raise ValidationError({"count": f"份数应在1到{MAX_BATCH}之间。"})
    with transaction.atomic():
        locked = Survey.objects.for_user(actor, "issue").select_for_update().filter(pk=survey.pk).first()
        if locked is None:
            raise ScopeViolation("该记录不在您的授权范围内，操作未执行。")
        if locked.is_closed:
            raise ValidationError("测评已结束，不能再发放答题码。")
        batch = SurveyTokenBatch.objects.create(survey=locked, count=count, note=note[:100], created_by=actor)
        raws = [secrets.token_urlsafe(18) for _ in range(count)]
        SurveyToken.objects.bulk_create([SurveyToken(survey=locked, batch=batch, token_hash=token_hash(raw))
                                         for raw in raws])
        batch.number = SurveyTokenBatch.objects.filter(survey=locked, pk__lte=batch.pk).count()
        changelog.record(batch, ChangeLog.Action.CREATE, before=None,
                         after={"survey": locked.pk, "count": count, "note": batch.note}, user=actor)
    return batch, raws


# --- The anonymous answer --------------------------------------------------------------------------


class AnswerRefused(Exception):
    """The token cannot be used (unknown, used, survey not open): a Chinese message for the page."""

    def __init__(self, message: str, *, status: int = 403):
        super().__init__(message)
        self.message, self.status = message, status


class AnswerInvalid(Exception):
    """The answers are incomplete: {field: Chinese message}; nothing was written."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def cn_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


UNKNOWN = "该答题码无效或已经使用。每个答题码只能提交一次；如有疑问，请向发放答题码的工作人员咨询。"


def survey_for_token(raw: str) -> Survey:
    """The survey a valid, unused token opens (for showing the form), or AnswerRefused."""
    row = (SurveyToken.objects.select_related("survey", "survey__unit")
           .filter(token_hash=token_hash(raw or ""), used=False).first()) if raw else None
    if row is None:
        raise AnswerRefused(UNKNOWN)
    _check_answerable(row.survey)
    return row.survey


def _check_answerable(survey: Survey) -> None:
    today = timezone.localdate()
    if survey.is_deleted or survey.status == c.SurveyStatus.DRAFT:
        raise AnswerRefused("本次测评尚未开始，请在工作人员宣布开始后再作答。")
    if survey.status == c.SurveyStatus.CLOSED:
        raise AnswerRefused("本次测评已经结束，感谢您的关注。", status=410)
    if today < survey.opens_on:
        raise AnswerRefused(f"本次测评自{cn_date(survey.opens_on)}开始，请届时作答。")
    if today > survey.closes_on:
        raise AnswerRefused(f"本次测评已于{cn_date(survey.closes_on)}截止。", status=410)


def answer_submit(*, token: str, data) -> Survey:
    """Use the token once and store the answers, in one transaction, with nothing that ties them
    together: the token row only turns `used`, the answer rows get random keys and no time, no
    change-log row is written. Raises AnswerRefused or AnswerInvalid (then nothing changed)."""
    digest = token_hash(token or "")
    with transaction.atomic():
        row = (SurveyToken.objects.select_for_update().select_related("survey")
               .filter(token_hash=digest, used=False).first()) if token else None
        if row is None:
            raise AnswerRefused(UNKNOWN)
        survey = row.survey
        _check_answerable(survey)
        category, choices, texts, errors = check_answers(survey.content(), data)
        if errors:
            raise AnswerInvalid(errors)
        # The conditional update makes the token single-use even where SELECT … FOR UPDATE is a no-op.
        if SurveyToken.objects.filter(pk=row.pk, used=False).update(used=True) != 1:
            raise AnswerRefused(UNKNOWN)
        SurveyResponse.objects.create(survey=survey, category=category, choices=choices)
        random.SystemRandom().shuffle(texts)
        SurveyText.objects.bulk_create([SurveyText(survey=survey, question=q, text=t) for q, t in texts])
    return survey


def can(actor, survey: Survey, action: str) -> bool:
    return has_perm(actor, f"surveys:survey:{action}") and Survey.objects.for_user(actor, action).filter(
        pk=survey.pk).exists()
