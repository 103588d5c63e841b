"""Builders for the surveys tests, on top of the planning factories (江城市, 青阳县 = A, 桐溪县 = B).

Records are written through the services with the office accounts as actors, so that the tests see
what a page would have written."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone

from xuncha.planning.tests.factories import build, started
from xuncha.surveys import services
from xuncha.surveys.models import SurveyTemplate
from xuncha.surveys.starting import load_starting_templates

EVALUATION = "领导班子和班子成员民主测评表"


@dataclass
class SW:
    world: object
    pw: object
    inspection_a: object
    inspection_b: object


def setup(world, *, stage: str = "understand") -> SW:
    """Plans for the city and both counties, a started round in A and in B with one inspection each
    moved on to `stage`."""
    load_starting_templates(SurveyTemplate)  # the migration's rows do not survive a flushed database
    pw = build(world)
    _, ia = started(pw.a, [world.unit_a], stage=stage)
    _, ib = started(pw.b, [world.unit_b], stage=stage)
    return SW(world, pw, ia, ib)


def template(title: str = EVALUATION) -> SurveyTemplate:
    return SurveyTemplate.objects.get(authority__isnull=True, title=title)


def make_survey(actor, inspection, unit, *, tpl=None, title: str = "", days: int = 10):
    today = timezone.localdate()
    return services.survey_create(actor=actor, inspection=inspection, data={
        "unit": unit, "template": tpl or template(), "title": title, "opens_on": today - datetime.timedelta(days=1),
        "closes_on": today + datetime.timedelta(days=days), "remarks": ""})


def open_survey(actor, inspection, unit, *, tokens: int = 10, tpl=None, title: str = ""):
    """A survey handed out: opened, with `tokens` raw tokens issued. Returns (survey, raw tokens)."""
    survey = make_survey(actor, inspection, unit, tpl=tpl, title=title)
    survey = services.survey_open(actor=actor, survey=survey)
    _, raws = services.tokens_issue(actor=actor, survey=survey, count=tokens)
    return survey, raws


def answers_for(survey, *, category: str | None = None, pick: int = 0, text: str = "") -> QueryDict:
    """A complete answer sheet choosing option `pick` (modulo the options) of every choice question."""
    content = survey.content()
    data = QueryDict(mutable=True)
    if content["categories"]:
        data["category"] = category or content["categories"][0]
    for q in content["questions"]:
        if q["kind"] == "text":
            if text:
                data[q["key"]] = text
        elif q["kind"] == "multiple":
            data.setlist(q["key"], [q["options"][pick % len(q["options"])]])
        else:
            data[q["key"]] = q["options"][pick % len(q["options"])]
    return data


def answer(raw, survey, **kwargs):
    return services.answer_submit(token=raw, data=answers_for(survey, **kwargs))


def answers_json(survey, **kwargs) -> dict:
    """The same answer sheet as the API takes it: a list for a multiple-choice question, else a string."""
    multiple = {q["key"] for q in survey.content()["questions"] if q["kind"] == "multiple"}
    return {k: (v if k in multiple else v[0]) for k, v in answers_for(survey, **kwargs).lists()}
