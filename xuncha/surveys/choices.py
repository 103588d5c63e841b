"""Enumerations of surveys that the code depends on (structure, not editable data)."""

from django.db import models

__all__ = ["SurveyKind", "QuestionKind", "SurveyStatus", "RESULT_MIN_RESPONSES", "CATEGORY_MIN_RESPONSES",
           "OPEN_STAGES", "CREATE_STAGES", "RATING_DEFAULT"]


class SurveyKind(models.TextChoices):
    EVALUATION = "evaluation", "民主测评"
    QUESTIONNAIRE = "questionnaire", "问卷调查"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"
    RATING = "rating", "评价"
    TEXT = "text", "文字"


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "未发放"
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


# Results are never shown before a survey is closed, and not even then when fewer than this many
# answers came in: with one or two answers the tallies are the answers (see docs/surveys.md).
RESULT_MIN_RESPONSES = 5
# A respondent category (班子成员…) with fewer answers than this is not broken down on its own.
CATEGORY_MIN_RESPONSES = 3

RATING_DEFAULT = ["好", "较好", "一般", "差"]

# A survey is drawn up while the inspection prepares or is in the field, and handed out (opened)
# while the group is in the unit (进驻 → 了解).
CREATE_STAGES = ("prepare", "stationed", "understand")
OPEN_STAGES = ("stationed", "understand")
