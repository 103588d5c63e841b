"""Democratic evaluations and questionnaires (民主测评、问卷调查), anonymous by construction.

    SurveyTemplate                  reference data: questions as JSON, shared (no authority) or an office's own
    Survey (InspectionRecord)       one survey of one target unit; the template's content frozen when it opens
    SurveyTokenBatch ─< SurveyToken one-time answer slips; only a SHA-256 of each token, a `used` flag, no time
    SurveyResponse, SurveyText      the answers: no link to a token or a person, no timestamps, UUID4 keys

What makes the answers anonymous (docs/surveys.md): an answer row has no foreign key but its
survey, no created/updated time, a random primary key, and every read orders by that key; token use
and answer are written in one transaction that writes no change-log row; a token row has no time
either, and its hash is wiped when the survey closes; on closing, the answer rows are rewritten in
random order so that the physical order of the table stops telling the order of submission.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from xuncha.core.models import SoftDeleteModel
from xuncha.core.scoping import ScopedManager
from xuncha.planning.records import InspectionRecord

from . import choices as c
from .scoping import TemplateAllObjectsManager, TemplateManager

__all__ = ["SurveyTemplate", "Survey", "SurveyTokenBatch", "SurveyToken", "SurveyResponse", "SurveyText",
           "SURVEY_SCOPE_PATHS"]

SURVEY_SCOPE_PATHS = {"region": "survey__authority", "group": "survey__inspection__group"}


class SurveyTemplate(SoftDeleteModel):
    """A survey form kept as reference data by the office: kind, title, instructions, the respondent
    category question and the questions (`questions`: a list of {key, kind, text, options, required}).

    `authority` empty = a shared starting template shipped with the platform (read-only; an office
    copies it to adapt it)."""

    authority = models.ForeignKey("org.Region", verbose_name="所属巡察机构", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=16, choices=c.SurveyKind.choices)
    title = models.CharField("名称", max_length=100)
    instructions = models.TextField("填写说明", blank=True)
    category_label = models.CharField("身份题", max_length=50, default="您的身份",
                                      help_text="答卷人选择身份类别的题目，如“您的身份”。")
    categories = models.JSONField("身份类别", default=list, blank=True)
    questions = models.JSONField("题目", default=list)
    is_active = models.BooleanField("启用", default=True)

    objects = TemplateManager()
    all_objects = TemplateAllObjectsManager()
    scope_paths = {"region": "authority"}

    class Meta:
        ordering = ["kind", "title", "id"]
        verbose_name = verbose_name_plural = "测评问卷模板"

    def __str__(self):
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.authority_id is None

    def content(self) -> dict:
        """What a survey freezes when it opens."""
        return {"kind": self.kind, "title": self.title, "instructions": self.instructions,
                "category_label": self.category_label, "categories": list(self.categories),
                "questions": [dict(q) for q in self.questions]}


class Survey(InspectionRecord):
    """One evaluation or questionnaire of one target unit of an inspection (未发放 → 进行中 → 已结束).

    `snapshot` is the template's content frozen when the survey opens: editing the template later
    does not change a survey that is being answered or has been answered. A closed survey never
    reopens (reopening would let someone diff the tallies before and after one more answer).
    """

    unit = models.ForeignKey("org.Unit", verbose_name="测评单位", on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(SurveyTemplate, verbose_name="模板", on_delete=models.PROTECT,
                                 related_name="surveys")
    title = models.CharField("名称", max_length=150)
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    status = models.CharField("状态", max_length=16, choices=c.SurveyStatus.choices, default=c.SurveyStatus.DRAFT,
                              editable=False)
    snapshot = models.JSONField("题目快照", null=True, blank=True, editable=False)
    remarks = models.CharField("备注", max_length=200, blank=True)

    permission_name = "survey"
    history_exclude = ("authority", "snapshot")

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = verbose_name_plural = "民主测评与问卷调查"

    def __str__(self):
        return self.title

    def content(self) -> dict:
        """The frozen content once opened; the template's current content while still a draft."""
        return self.snapshot if self.snapshot is not None else self.template.content()

    @property
    def kind(self) -> str:
        return self.content()["kind"]

    @property
    def kind_label(self) -> str:
        return c.SurveyKind(self.content()["kind"]).label

    @property
    def is_open(self) -> bool:
        return self.status == c.SurveyStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == c.SurveyStatus.CLOSED


class SurveyTokenBatch(models.Model):
    """One issue of answer slips (a sheet printed for a meeting). The issue time is harmless: it
    precedes every answer given with the batch's tokens."""

    survey = models.ForeignKey(Survey, verbose_name="测评", on_delete=models.PROTECT, related_name="batches")
    count = models.PositiveIntegerField("份数")
    note = models.CharField("用途", max_length=100, blank=True, help_text="如“班子成员及中层干部测评会”。")
    created_at = models.DateTimeField("发放时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发放人", null=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = ScopedManager()
    scope_paths = SURVEY_SCOPE_PATHS
    permission_name = "survey"

    class Meta:
        ordering = ["survey_id", "id"]
        verbose_name = verbose_name_plural = "答题码批次"

    def __str__(self):
        return f"答题码{self.count}份"


class SurveyToken(models.Model):
    """A one-time answer token. Only its SHA-256 is kept (the raw token is printed once on a slip);
    `used` has no time beside it on purpose, and the hash is wiped when the survey closes."""

    survey = models.ForeignKey(Survey, verbose_name="测评", on_delete=models.PROTECT, related_name="tokens")
    batch = models.ForeignKey(SurveyTokenBatch, verbose_name="批次", on_delete=models.PROTECT, related_name="tokens")
    token_hash = models.CharField("答题码摘要", max_length=64, unique=True, null=True, editable=False)
    used = models.BooleanField("已使用", default=False)

    objects = ScopedManager()
    scope_paths = SURVEY_SCOPE_PATHS
    permission_name = "survey"

    class Meta:
        ordering = ["survey_id", "id"]
        verbose_name = verbose_name_plural = "答题码"

    def __str__(self):
        return "答题码"


class SurveyResponse(models.Model):
    """One anonymous answer sheet: the respondent category and the choices (question key → option or
    list of options). No token, no user, no time; a random key, ordered by it everywhere."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, verbose_name="测评", on_delete=models.PROTECT, related_name="responses")
    category = models.CharField("身份类别", max_length=50, blank=True)
    choices = models.JSONField("选择", default=dict)

    objects = ScopedManager()
    scope_paths = SURVEY_SCOPE_PATHS
    permission_name = "survey"

    class Meta:
        ordering = ["id"]  # random: says nothing about when an answer came in
        verbose_name = verbose_name_plural = "答卷"

    def __str__(self):
        return "答卷"


class SurveyText(models.Model):
    """A free-text answer, kept apart from its answer sheet (no link to the response either), so that
    what someone wrote cannot be joined to the category they chose."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, verbose_name="测评", on_delete=models.PROTECT, related_name="texts")
    question = models.CharField("题目编号", max_length=16)
    text = models.TextField("内容")

    objects = ScopedManager()
    scope_paths = SURVEY_SCOPE_PATHS
    permission_name = "survey"

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "文字意见"

    def __str__(self):
        return "文字意见"
