"""The surveys part of the demo city (`manage.py surveys_demo`), after `demo_data` and `planning_demo`.

Deterministic for a seed (except the tokens and the answers' random keys, which are random by
design). On the first inspection that is in the field (了解):
- a closed 领导班子和班子成员民主测评 with 28 answers from four respondent categories (one of them too
  small to be shown alone) and free-text opinions;
- an open 作风建设问卷 with 30 slips issued, a few answered, the rest unused, one of them with the
  fixed demo token `DEMO_TOKEN` so that the README can show a working answer link (once per demo
  database); the command prints it.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from xuncha.accounts.models import User
from xuncha.planning.models import Inspection

from . import services
from .models import Survey, SurveyTemplate, SurveyToken, SurveyTokenBatch
from .starting import load_starting_templates

OPINIONS = [
    "希望领导班子多到基层一线调研，多听一般干部的意见。",
    "班子议事规则执行较好，但个别重大事项会前酝酿不够充分。",
    "干部选拔任用总体公道，建议进一步扩大民主推荐范围。",
    "建议加强年轻干部培养，建立更系统的轮岗交流机制。",
    "部分制度落实打折扣，督促检查还需要加强。",
    "会议和材料偏多，基层负担仍然较重。",
    "主要负责人工作作风扎实，带头落实中央八项规定精神。",
    "对下属单位的监督管理还需加强，特别是经费使用方面。",
    "食堂和公务用车管理规范，财务公开及时。",
    "希望进一步改进服务群众的方式，提高办事效率。",
]
# Respondent categories of the evaluation: (category, answers, leaning towards the better options).
# One fixed answer link for the README (works once per demo database). Real tokens are random.
DEMO_TOKEN = "demo-zuofeng-2026"
EVALUATION_MIX = [("班子成员", 5, 0.9), ("中层干部", 9, 0.75), ("一般干部", 12, 0.6), ("离退休干部代表", 2, 0.7)]


class SurveysDemo:
    def __init__(self, seed: int = 1, base_url: str = "http://127.0.0.1:8000"):
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.base_url = base_url.rstrip("/")

    def _actor(self, inspection) -> User:
        names = {"江城市": "city_office", "青阳县": "county_office", "桐溪县": "county_office2"}
        user = User.objects.filter(username=names.get(inspection.authority.name, "city_office")).first()
        return user or User.objects.get(username="city_office")

    def _sheet(self, survey, lean: float, category: str) -> QueryDict:
        content = survey.content()
        data = QueryDict(mutable=True)
        if content["categories"]:
            data["category"] = category
        for q in content["questions"]:
            options = q["options"]
            if q["kind"] == "text":
                if self.rng.random() < 0.45:
                    data[q["key"]] = self.rng.choice(OPINIONS)
            elif q["kind"] == "multiple":
                last = options[-1]  # "没有明显问题"
                if self.rng.random() < lean:
                    data.setlist(q["key"], [last])
                else:
                    data.setlist(q["key"], self.rng.sample(options[:-1], k=self.rng.randint(1, 2)))
            else:
                weights = [lean, (1 - lean) * 0.7, (1 - lean) * 0.25, (1 - lean) * 0.05][:len(options)]
                weights += [0.02] * (len(options) - len(weights))
                data[q["key"]] = self.rng.choices(options, weights=weights)[0]
        return data

    def build(self) -> dict:
        inspection = (Inspection.objects.filter(stage="understand").select_related("authority", "round")
                      .order_by("authority__path", "round__number", "id").first())
        if inspection is None:
            raise LookupError("没有处于“了解”阶段的巡察任务，请先运行 planning_demo。")
        load_starting_templates(SurveyTemplate)
        actor = self._actor(inspection)
        unit = inspection.target_links.select_related("unit").order_by("unit__name").first().unit
        evaluation = SurveyTemplate.objects.get(authority__isnull=True, title="领导班子和班子成员民主测评表")
        conduct = SurveyTemplate.objects.get(authority__isnull=True, title="作风建设问卷")
        day = datetime.timedelta(days=1)
        with transaction.atomic():
            closed = services.survey_create(actor=actor, inspection=inspection, data={
                "unit": unit, "template": evaluation, "title": "", "opens_on": self.today - 6 * day,
                "closes_on": self.today - day, "remarks": "巡察动员会后集中测评。"})
            closed = services.survey_open(actor=actor, survey=closed)
            Survey.objects.filter(pk=closed.pk).update(closes_on=self.today)  # answered during the meeting
            closed.refresh_from_db()
            total = sum(n for _, n, _ in EVALUATION_MIX)
            _, raws = services.tokens_issue(actor=actor, survey=closed, count=total + 4, note="动员会民主测评")
            sheets = [(cat, lean) for cat, n, lean in EVALUATION_MIX for _ in range(n)]
            self.rng.shuffle(sheets)
            for raw, (category, lean) in zip(raws, sheets, strict=False):
                services.answer_submit(token=raw, data=self._sheet(closed, lean, category))
            Survey.objects.filter(pk=closed.pk).update(closes_on=self.today - day)
            closed.refresh_from_db()
            services.survey_close(actor=actor, survey=closed)

            open_survey = services.survey_create(actor=actor, inspection=inspection, data={
                "unit": unit, "template": conduct, "title": "", "opens_on": self.today - 2 * day,
                "closes_on": self.today + 14 * day, "remarks": "面向本单位干部和服务对象。"})
            open_survey = services.survey_open(actor=actor, survey=open_survey)
            _, raws = services.tokens_issue(actor=actor, survey=open_survey, count=29, note="服务窗口和干部职工")
            categories = open_survey.content()["categories"]
            for raw in raws[:6]:
                services.answer_submit(token=raw, data=self._sheet(open_survey, 0.7, self.rng.choice(categories)))
            demo_batch = SurveyTokenBatch.objects.create(survey=open_survey, count=1, note="演示用答题码",
                                                         created_by=actor)
            SurveyToken.objects.create(survey=open_survey, batch=demo_batch, token_hash=services.token_hash(DEMO_TOKEN))
        link = f"{self.base_url}/surveys/a/{DEMO_TOKEN}/"
        return {"inspection": inspection, "closed": closed, "open": open_survey, "answers": total, "link": link,
                "actor": actor.username}


def build_surveys_demo(**kwargs) -> dict:
    return SurveysDemo(**kwargs).build()
