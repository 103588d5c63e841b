"""The survey pages as an office uses them: create, slips (Word with QR codes), open, answer, close,
results with charts, Excel export; the template pages beyond the Resource; the API extras. The
routes these tests exercise are declared for the URL walk below."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.core.testing.resources import covers
from xuncha.documents.reading import docx_text
from xuncha.surveys import choices as c
from xuncha.surveys import services
from xuncha.surveys.models import Survey, SurveyTemplate, SurveyToken

from .factories import EVALUATION, answer, answers_for, answers_json, make_survey, open_survey, template

covers(
    "surveys:surveytemplate_copy", "surveys:survey_list", "surveys:survey_add", "surveys:inspection_surveys",
    "surveys:inspection_survey_add", "surveys:survey_detail", "surveys:survey_edit", "surveys:survey_delete",
    "surveys:survey_history", "surveys:survey_preview", "surveys:survey_issue", "surveys:survey_open", "surveys:survey_close",
    "surveys:survey_results", "surveys:survey_export", "surveys:answer",
    "api:survey-list", "api:survey-detail", "api:survey-results", "api:surveyanswer-list",
)

pytestmark = pytest.mark.django_db


def test_office_walks_through_a_survey(sw, login):
    world = sw.world
    client = login(world.users["office_a"])
    assert client.get(reverse("surveys:survey_add")).status_code == 200
    picked = client.get(reverse("surveys:survey_add"), {"inspection": sw.inspection_a.pk})
    assert picked["Location"] == reverse("surveys:inspection_survey_add", args=[sw.inspection_a.pk])
    add_url = reverse("surveys:inspection_survey_add", args=[sw.inspection_a.pk])
    form = client.get(add_url).content.decode()
    assert EVALUATION in form and world.unit_a.name in form
    # Bad input: the fields are named, nothing is written.
    bad = client.post(add_url, {"unit": world.unit_b.pk, "template": template().pk, "opens_on": "2026-03-10",
                                "closes_on": "2026-03-01"})
    assert bad.status_code == 200 and "「测评单位」" in bad.content.decode() and not Survey.objects.exists()
    response = client.post(add_url, {"unit": world.unit_a.pk, "template": template().pk, "title": "",
                                     "opens_on": "2026-03-02", "closes_on": "2099-12-31", "remarks": ""})
    survey = Survey.objects.get()
    assert response["Location"] == reverse("surveys:survey_detail", args=[survey.pk])
    assert survey.title == f"{world.unit_a.name}{EVALUATION}"
    detail = client.get(response["Location"]).content.decode()
    assert "未发放" in detail and "开始测评" in detail
    preview = client.get(reverse("surveys:survey_preview", args=[survey.pk])).content.decode()
    assert "预览不能提交" in preview and "提交答卷" in preview and "disabled" in preview and "csrfmiddlewaretoken" not in preview
    assert client.post(reverse("surveys:survey_edit", args=[survey.pk]), {
        "unit": world.unit_a.pk, "template": template().pk, "title": "班子测评", "opens_on": "2026-03-02",
        "closes_on": "2099-12-31", "remarks": "动员会后"}).status_code == 302
    survey.refresh_from_db()
    assert survey.title == "班子测评"
    assert "动员会后" in client.get(reverse("surveys:survey_history", args=[survey.pk])).content.decode()

    # Slips: a Word file with one QR code and one link per slip; only hashes are stored.
    assert client.get(reverse("surveys:survey_issue", args=[survey.pk])).status_code == 200
    slips = client.post(reverse("surveys:survey_issue", args=[survey.pk]),
                        {"count": 6, "note": "班子成员测评会", "base_url": "http://10.1.2.3:8000", "format": "docx"})
    assert slips.status_code == 200 and slips["Content-Type"].startswith("application/vnd.openxmlformats")
    text = docx_text(slips.content)
    links = [line for line in text.split("\n") for line in line.split("\t")
             if line.startswith("http://10.1.2.3:8000/surveys/a/")]
    cells = [cell for cell in text.replace("\t", "\n").split("\n") if cell.startswith("http://10.1.2.3:8000/surveys/a/")]
    assert len(set(cells)) == 6 and links
    assert "班子测评·答题码" in text and world.unit_a.name in text and "每码限用一次" in text
    images = [n for n in zipfile.ZipFile(io.BytesIO(slips.content)).namelist() if n.startswith("word/media/")]
    assert len(images) == 6
    raws = [cell.rsplit("/", 2)[-2] for cell in sorted(set(cells))]
    assert {services.token_hash(r) for r in raws} == set(SurveyToken.objects.values_list("token_hash", flat=True))

    # Open, answer on the public page, watch the progress, close, read the results.
    assert client.post(reverse("surveys:survey_open", args=[survey.pk])).status_code == 302
    survey.refresh_from_db()
    assert survey.is_open and survey.snapshot["title"] == EVALUATION
    client.logout()
    form = client.get(reverse("surveys:answer", args=[raws[0]]))
    assert form.status_code == 200
    body = form.content.decode()
    assert 'name="viewport"' in body and "您的身份" in body and "提交答卷" in body and "无记名" in body
    for k, raw in enumerate(raws[:5]):
        assert client.post(reverse("surveys:answer", args=[raw]), answers_for(survey, pick=k, text=f"意见{k}")
                           ).status_code == 200
    client = login(world.users["office_a"])
    detail = client.get(reverse("surveys:survey_detail", args=[survey.pk])).content.decode()
    assert "已使用 5 / 已发放 6" in detail
    hidden = client.get(reverse("surveys:survey_results", args=[survey.pk])).content.decode()
    assert "测评结束后才能查看结果" in hidden and "意见0" not in hidden and "echarts" not in hidden
    export = client.get(reverse("surveys:survey_export", args=[survey.pk]))
    assert export.status_code == 302
    assert client.post(reverse("surveys:survey_close", args=[survey.pk])).status_code == 302
    results = client.get(reverse("surveys:survey_results", args=[survey.pk])).content.decode()
    assert "echarts.min.js" in results and "chart-q1" in results and "好和较好率" in results
    assert all(f"意见{k}" in results for k in range(5))
    workbook = load_workbook(io.BytesIO(client.get(reverse("surveys:survey_export", args=[survey.pk])).content))
    assert workbook.sheetnames[0] == "统计结果" and "文字意见" in workbook.sheetnames
    summary = list(workbook["统计结果"].iter_rows(min_row=3, values_only=True))
    assert summary[0][:6] == (1, "领导班子贯彻落实党的路线方针政策和党中央、省委、市委重大决策部署情况", "评价", "好", 2, "40.0%")
    cells = {str(v) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for v in row if v}
    assert not any(r in cell for r in raws for cell in cells)


def test_delete_a_draft(sw, login):
    survey = make_survey(sw.world.users["office_a"], sw.inspection_a, sw.world.unit_a)
    client = login(sw.world.users["office_a"])
    response = client.post(reverse("surveys:survey_delete", args=[survey.pk]))
    assert response["Location"] == reverse("surveys:inspection_surveys", args=[sw.inspection_a.pk])
    assert not Survey.objects.filter(pk=survey.pk).exists() and Survey.all_objects.get(pk=survey.pk).is_deleted


def test_survey_list_query_count_is_constant(sw, login):
    actor = sw.world.users["office_a"]
    client = login(actor)
    open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=3)
    client.get(reverse("surveys:survey_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("surveys:survey_list"))
    for i in range(8):
        open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=2, title=f"测评{i}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("surveys:survey_list")).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    for url in (reverse("surveys:inspection_surveys", args=[sw.inspection_a.pk]), reverse("api:survey-list")):
        client.get(url)  # warm the per-process caches
        with CaptureQueriesContext(connection) as once:
            client.get(url)
        open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=2, title="再加一项")
        with CaptureQueriesContext(connection) as more:
            client.get(url)
        assert len(more.captured_queries) == len(once.captured_queries), url


def test_template_copy_page(sw, login):
    client = login(sw.world.users["office_a"])
    shared = template()
    detail = client.get(reverse("surveys:surveytemplate_detail", args=[shared.pk])).content.decode()
    assert "平台通用" in detail and "复制为本机构模板" in detail and 'href="/surveys/surveytemplates/' in detail
    assert f'/surveys/surveytemplates/{shared.pk}/edit/' not in detail
    response = client.post(reverse("surveys:surveytemplate_copy", args=[shared.pk]),
                           {"authority": sw.world.county_a.pk})
    copy = SurveyTemplate.objects.get(authority=sw.world.county_a)
    assert response["Location"] == reverse("surveys:surveytemplate_edit", args=[copy.pk])
    refused = client.post(reverse("surveys:surveytemplate_copy", args=[shared.pk]), {"authority": sw.world.county_b.pk})
    assert refused.status_code == 302 and SurveyTemplate.objects.filter(authority=sw.world.county_b).count() == 0
    assert client.get(reverse("surveys:surveytemplate_edit", args=[shared.pk])).status_code == 404
    edit = client.get(reverse("surveys:surveytemplate_edit", args=[copy.pk])).content.decode()
    assert "[评价] 对领导班子的总体评价" in edit


def test_template_form_names_bad_question_lines(sw, login):
    client = login(sw.world.users["office_a"])
    response = client.post(reverse("surveys:surveytemplate_add"), {
        "authority": sw.world.county_a.pk, "kind": "evaluation", "title": "有错的模板", "category_label": "您的身份",
        "questions": "[评价] 总体评价\n总体评价没有题型\n[单选] 只有一个选项｜好\n[打分] 不认识的题型"})
    body = response.content.decode()
    assert response.status_code == 200
    for line in ("第2行：应以题型开头", "第3行：单选题至少需要两个选项", "第4行：题型“打分”无法识别"):
        assert line in body, line
    assert not SurveyTemplate.objects.filter(title="有错的模板").exists()


def test_api_answer_errors_and_throttle(sw, client, settings):
    survey, raws = open_survey(sw.world.users["office_a"], sw.inspection_a, sw.world.unit_a, tokens=3)
    url = reverse("api:surveyanswer-list")
    data = answers_json(survey)
    del data["q2"]
    response = client.post(url, {"token": raws[0], "answers": data}, content_type="application/json")
    assert response.status_code == 400 and "第2题" in response.json()["answers"]["q2"]
    refused = client.post(url, {"token": "x" * 24, "answers": data}, content_type="application/json")
    assert refused.status_code == 403 and "无效" in refused.json()["detail"]
    assert client.get(url).status_code == 405
    settings.SURVEY_ANSWER_RATE = "3/min"
    statuses = [client.post(url, {"token": raws[1], "answers": {}}, content_type="application/json").status_code
                for _ in range(2)]
    assert statuses[-1] == 429
    page = client.post(reverse("surveys:answer", args=[raws[2]]), answers_for(survey))
    assert page.status_code == 429 and "提交过于频繁" in page.content.decode()
    assert not SurveyToken.objects.filter(used=True).exists()


def test_api_results_follow_the_page_rule(sw, login):
    actor = sw.world.users["office_a"]
    survey, raws = open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=6)
    for raw in raws:
        answer(raw, survey)
    client = login(actor)
    hidden = client.get(reverse("api:survey-results", args=[survey.pk])).json()
    assert hidden["visible"] is False and hidden["questions"] == []
    services.survey_close(actor=actor, survey=survey)
    shown = client.get(reverse("api:survey-results", args=[survey.pk])).json()
    assert shown["visible"] and shown["responses"] == 6
    assert shown["questions"][0]["options"][0] == {"label": "好", "count": 6, "percent": 100.0}
    detail = client.get(reverse("api:survey-detail", args=[survey.pk])).json()
    assert detail["tokens_issued"] == 6 and detail["tokens_used"] == 6 and detail["status"] == c.SurveyStatus.CLOSED
