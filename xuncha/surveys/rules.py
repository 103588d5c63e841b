"""Conditions surveys adds to the inspection's stage machine (registered in SurveysConfig.ready)."""

from __future__ import annotations


def open_surveys_block_report(inspection) -> list[str]:
    """A group reports only once the evaluations it handed out are closed."""
    from .choices import SurveyStatus
    from .models import Survey

    titles = list(Survey.objects.filter(inspection=inspection, status=SurveyStatus.OPEN)
                  .order_by("id").values_list("title", flat=True))
    return [f"民主测评（问卷）「{t}」尚未结束，请先结束后再提交报告。" for t in titles]
