"""Anonymity by construction: no link from an answer to a token, a person or a time, and no order
that tells when an answer came in (pages, export, API, the tables' physical order, the logs)."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection, models
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.core.models import BaseModel, ChangeLog, OperationLog
from xuncha.surveys import services
from xuncha.surveys.models import SurveyResponse, SurveyText, SurveyToken

from .factories import answer, answers_for, answers_json, open_survey

pytestmark = pytest.mark.django_db

N = 12


def _texts_in_order(body: str, prefix: str = "意见编号") -> list[str]:
    """The distinct free texts in the order a page or a file shows them."""
    import re

    return re.findall(rf"{prefix}\d\d", body)


def _submit_in_known_order(sw, *, title: str = ""):
    """N answers, the k-th with the free text 意见编号k and the category cycling, in that order."""
    actor = sw.world.users["office_a"]
    survey, raws = open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=N, title=title)
    categories = survey.content()["categories"]
    for k, raw in enumerate(raws, start=1):
        answer(raw, survey, category=categories[k % 2], pick=k, text=f"意见编号{k:02d}")
    return survey, raws


SUBMITTED = [f"意见编号{k:02d}" for k in range(1, N + 1)]


# --- The shape of the rows ----------------------------------------------------------------------------


@pytest.mark.parametrize("model", [SurveyResponse, SurveyText])
def test_answer_rows_have_no_link_and_no_time(model):
    assert not issubclass(model, BaseModel)
    fields = model._meta.get_fields()
    relations = [f.name for f in fields if f.is_relation]
    assert relations == ["survey"], relations  # no token, no user, no response (for texts)
    assert not [f.name for f in fields if isinstance(f, (models.DateTimeField, models.DateField, models.TimeField))]
    assert isinstance(model._meta.pk, models.UUIDField)
    assert model._meta.pk.default.__name__ == "uuid4"
    assert model._meta.ordering == ["id"]


def test_token_row_has_a_hash_a_flag_and_no_time():
    names = {f.name for f in SurveyToken._meta.get_fields()}
    assert names == {"id", "survey", "batch", "token_hash", "used"}
    assert not any(isinstance(f, (models.DateTimeField, models.DateField)) for f in SurveyToken._meta.get_fields())


def test_raw_tokens_are_not_stored(sw):
    survey, raws = open_survey(sw.world.users["office_a"], sw.inspection_a, sw.world.unit_a, tokens=5)
    stored = set(SurveyToken.objects.filter(survey=survey).values_list("token_hash", flat=True))
    assert len(stored) == 5
    assert not stored & set(raws)
    assert {services.token_hash(r) for r in raws} == stored


# --- One-time tokens -----------------------------------------------------------------------------------


def test_token_reuse_is_refused_and_counts_match(sw):
    survey, raws = open_survey(sw.world.users["office_a"], sw.inspection_a, sw.world.unit_a, tokens=4)
    answer(raws[0], survey)
    answer(raws[1], survey)
    with pytest.raises(services.AnswerRefused) as refused:
        answer(raws[0], survey)
    assert "已经使用" in refused.value.message
    with pytest.raises(services.AnswerRefused):
        answer("not-a-token", survey)
    used = SurveyToken.objects.filter(survey=survey, used=True).count()
    assert used == 2 == SurveyResponse.objects.filter(survey=survey).count()


def test_token_reuse_is_refused_on_the_page(sw, client):
    survey, raws = open_survey(sw.world.users["office_a"], sw.inspection_a, sw.world.unit_a, tokens=2)
    url = reverse("surveys:answer", args=[raws[0]])
    assert client.post(url, answers_for(survey)).status_code == 200
    again = client.post(url, answers_for(survey))
    assert again.status_code == 403
    assert "该答题码无效或已经使用" in again.content.decode()
    assert client.get(url).status_code == 403
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_token_is_not_used_when_the_answer_cannot_be_written(sw, monkeypatch):
    survey, raws = open_survey(sw.world.users["office_a"], sw.inspection_a, sw.world.unit_a, tokens=1)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SurveyResponse.objects, "create", broken)
    with pytest.raises(RuntimeError):
        answer(raws[0], survey)
    assert not SurveyToken.objects.get(survey=survey).used


def test_incomplete_answers_change_nothing_and_name_the_question(sw, client):
    survey, raws = open_survey(sw.world.users["office_a"], sw.inspection_a, sw.world.unit_a, tokens=1)
    data = answers_for(survey)
    del data["q3"]
    response = client.post(reverse("surveys:answer", args=[raws[0]]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "第3题「领导班子贯彻执行民主集中制情况」请选择一项。" in body
    assert not SurveyToken.objects.get(survey=survey).used
    assert SurveyResponse.objects.count() == 0


# --- Order: submission order never shows ------------------------------------------------------------


def test_page_export_and_api_order_is_independent_of_submission_order(sw, login):
    actor = sw.world.users["office_a"]
    first, _ = _submit_in_known_order(sw, title="第一次测评")
    second, _ = _submit_in_known_order(sw, title="第二次测评")
    client = login(actor)
    orders = {}
    for survey in (first, second):
        services.survey_close(actor=actor, survey=survey)
        page = _texts_in_order(client.get(reverse("surveys:survey_results", args=[survey.pk])).content.decode())
        again = _texts_in_order(client.get(reverse("surveys:survey_results", args=[survey.pk])).content.decode())
        workbook = load_workbook(io.BytesIO(client.get(reverse("surveys:survey_export", args=[survey.pk])).content))
        exported = [row[3] for row in workbook["文字意见"].iter_rows(min_row=3, values_only=True)]
        api = client.get(reverse("api:survey-results", args=[survey.pk])).json()
        api_texts = [t for q in api["questions"] for t in q["texts"]]
        by_key = list(SurveyText.objects.filter(survey=survey).order_by("id").values_list("text", flat=True))
        assert sorted(page) == SUBMITTED  # every answer is there…
        assert page == again == exported == api_texts == by_key  # …in one stable order, the random keys'
        assert page != SUBMITTED  # N! orders: equal to the submission order only by a 1 in 479001600 chance
        orders[survey.pk] = page
    # The same submission order twice gives two unrelated output orders.
    assert orders[first.pk] != orders[second.pk]


def test_closing_rewrites_keys_and_physical_order(sw):
    actor = sw.world.users["office_a"]
    survey, _ = _submit_in_known_order(sw)
    keys_before = set(SurveyResponse.objects.filter(survey=survey).values_list("id", flat=True))
    text_keys_before = set(SurveyText.objects.filter(survey=survey).values_list("id", flat=True))
    tallies_before = sorted(json.dumps(c, sort_keys=True, ensure_ascii=False) for c in
                            SurveyResponse.objects.filter(survey=survey).values_list("choices", flat=True))
    services.survey_close(actor=actor, survey=survey)
    rows = SurveyResponse.objects.filter(survey=survey)
    assert rows.count() == N
    assert not keys_before & set(rows.values_list("id", flat=True))
    assert not text_keys_before & set(SurveyText.objects.filter(survey=survey).values_list("id", flat=True))
    tallies_after = sorted(json.dumps(c, sort_keys=True, ensure_ascii=False) for c in rows.values_list("choices", flat=True))
    assert tallies_after == tallies_before  # the same answers, nothing lost
    physical = "rowid" if connection.vendor == "sqlite" else "ctid"
    for model in (SurveyResponse, SurveyText):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {table} WHERE survey_id = %s ORDER BY {physical}", [survey.pk])
            stored = [str(r[0]).replace("-", "") for r in cursor.fetchall()]
        assert stored == sorted(stored), f"{table}: physical order is not the random keys' order"
    # No printed slip matches a row any more.
    assert not SurveyToken.objects.filter(survey=survey).exclude(token_hash=None).exists()
    assert SurveyToken.objects.filter(survey=survey, used=True).count() == N


# --- Logs -------------------------------------------------------------------------------------------------


def test_answering_leaves_no_change_log_and_a_tokenless_operation_log(sw, login):
    survey, raws = open_survey(sw.world.users["office_a"], sw.inspection_a, sw.world.unit_a, tokens=2)
    changes_before = ChangeLog.objects.count()
    client = login(sw.world.users["office_a"])  # even a browser logged in to the platform answers anonymously
    response = client.post(reverse("surveys:answer", args=[raws[0]]), answers_for(survey, text="食堂管理混乱"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "提交成功" in body and "食堂管理混乱" not in body  # no echo
    assert ChangeLog.objects.count() == changes_before
    api = client.post(reverse("api:surveyanswer-list"), data=json.dumps(
        {"token": raws[1], "answers": answers_json(survey) | {"q1": "好", "category": "班子成员"}}),
        content_type="application/json")
    assert api.status_code == 201, api.content
    assert "好" not in api.content.decode()
    assert ChangeLog.objects.count() == changes_before
    logged = list(OperationLog.objects.order_by("-seq")[:2])
    paths = sorted(row.path for row in logged)  # the route patterns, never the token
    assert paths[0].startswith("/api/survey-answers/") and paths[1] == "/surveys/a/<str:code>/"
    for row in logged:
        assert row.username == "" and row.user_id_value is None
        assert row.params == {"参数": "［保密内容，不予记录］"}
    everything = json.dumps([[r.path, r.params] for r in OperationLog.objects.all()], ensure_ascii=False)
    everything += json.dumps([[r.object_repr, r.before, r.after] for r in ChangeLog.objects.all()], ensure_ascii=False,
                             default=str)
    for raw in raws:
        assert raw not in everything and services.token_hash(raw) not in everything
    assert "食堂管理混乱" not in everything
    for model in ("surveyresponse", "surveytext", "surveytoken"):
        assert not ChangeLog.objects.filter(content_type__model=model).exists()
