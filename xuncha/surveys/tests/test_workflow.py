"""The survey's life: template snapshot, open and close rules, results only after closing and above
the minimum, the category breakdown that hides small groups, the stage condition, templates."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xuncha.core.models import ChangeLog
from xuncha.planning.models import Inspection
from xuncha.planning.workflow import STEPS, blocking_reasons
from xuncha.surveys import choices as c
from xuncha.surveys import selectors, services
from xuncha.surveys.models import Survey, SurveyTemplate, SurveyToken

from .factories import answer, make_survey, open_survey, setup, template

pytestmark = pytest.mark.django_db


def _own_template(actor, region, title="青阳县测评模板"):
    return services.template_create(actor=actor, data={
        "authority": region, "kind": "evaluation", "title": title, "instructions": "", "category_label": "您的身份",
        "categories": ["班子成员", "一般干部"], "is_active": True,
        "questions": [{"key": "q1", "kind": "rating", "text": "总体评价", "options": ["好", "较好", "一般", "差"],
                       "required": True}]})


def test_snapshot_is_frozen_at_opening(sw):
    actor = sw.world.users["office_a"]
    tpl = _own_template(actor, sw.world.county_a)
    survey = make_survey(actor, sw.inspection_a, sw.world.unit_a, tpl=tpl)
    assert survey.snapshot is None
    # While a draft, the survey follows its template.
    services.template_update(actor=actor, instance=tpl, data={"title": "改过一次"})
    survey.refresh_from_db()
    assert survey.content()["title"] == "改过一次"
    services.survey_open(actor=actor, survey=survey)
    tpl.refresh_from_db()
    services.template_update(actor=actor, instance=tpl, data={
        "questions": [{"key": "q1", "kind": "text", "text": "改成了文字题", "options": [], "required": False}],
        "categories": []})
    survey.refresh_from_db()
    content = survey.content()
    assert content["questions"][0]["text"] == "总体评价" and content["questions"][0]["kind"] == "rating"
    assert content["categories"] == ["班子成员", "一般干部"]


def test_open_and_close_rules(sw):
    actor = sw.world.users["office_a"]
    survey = make_survey(actor, sw.inspection_a, sw.world.unit_a)
    with pytest.raises(ValidationError, match="只有进行中的测评可以结束"):
        services.survey_close(actor=actor, survey=survey)
    _, raws = services.tokens_issue(actor=actor, survey=survey, count=3)
    with pytest.raises(services.AnswerRefused, match="尚未开始"):
        answer(raws[0], survey)
    survey = services.survey_open(actor=actor, survey=survey)
    with pytest.raises(ValidationError, match="只有未发放的测评可以开始"):
        services.survey_open(actor=actor, survey=survey)
    answer(raws[0], survey)
    survey = services.survey_close(actor=actor, survey=survey)
    assert survey.status == c.SurveyStatus.CLOSED
    # Closed for good: no reopening, no more slips, no more answers, no edits, no delete.
    with pytest.raises(ValidationError):
        services.survey_open(actor=actor, survey=survey)
    with pytest.raises(ValidationError, match="不能再发放"):
        services.tokens_issue(actor=actor, survey=survey, count=1)
    with pytest.raises(services.AnswerRefused):
        answer(raws[1], survey)
    with pytest.raises(ValidationError, match="已结束"):
        services.survey_update(actor=actor, instance=survey, data={"remarks": "补充"})
    with pytest.raises(ValidationError, match="不能删除"):
        services.survey_delete(actor=actor, instance=survey)
    actions = list(ChangeLog.objects.filter(content_type__model="survey", object_id=str(survey.pk))
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["create", "update", "update"]


def test_answers_refused_outside_the_dates(sw):
    actor = sw.world.users["office_a"]
    survey, raws = open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=2)
    today = timezone.localdate()
    Survey.objects.filter(pk=survey.pk).update(closes_on=today - datetime.timedelta(days=1))
    survey.refresh_from_db()
    with pytest.raises(services.AnswerRefused, match="截止") as refused:
        answer(raws[0], survey)
    assert refused.value.status == 410
    Survey.objects.filter(pk=survey.pk).update(opens_on=today + datetime.timedelta(days=1),
                                               closes_on=today + datetime.timedelta(days=3))
    with pytest.raises(services.AnswerRefused, match="开始"):
        answer(raws[0], survey)
    assert not SurveyToken.objects.filter(used=True).exists()


def test_closed_survey_refuses_with_a_chinese_message_on_the_page(sw, client):
    actor = sw.world.users["office_a"]
    survey, raws = open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=2)
    services.survey_close(actor=actor, survey=survey)
    response = client.get(f"/surveys/a/{raws[0]}/")
    assert response.status_code == 403
    assert "无效或已经使用" in response.content.decode()


def test_stage_rules(world):
    sw = setup(world, stage="prepare")
    actor = world.users["office_a"]
    survey = make_survey(actor, sw.inspection_a, world.unit_a)
    with pytest.raises(ValidationError, match="进驻或了解阶段"):
        services.survey_open(actor=actor, survey=survey)
    with pytest.raises(ValidationError, match="不是本次巡察的对象"):
        make_survey(actor, sw.inspection_a, world.unit_b)


def test_open_survey_blocks_the_report(sw):
    actor = sw.world.users["office_a"]
    survey, _ = open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=1, title="班子测评")
    step = next(s for s in STEPS if s.method == "report")
    assert "民主测评（问卷）「班子测评」尚未结束，请先结束后再提交报告。" in blocking_reasons(sw.inspection_a, step)
    services.survey_close(actor=actor, survey=survey)
    assert not any("班子测评" in r for r in blocking_reasons(sw.inspection_a, step))
    # Other apps add their own conditions to this step: move the stage directly to test ours.
    Inspection.objects.filter(pk=sw.inspection_a.pk).update(stage="report")
    sw.inspection_a.refresh_from_db()
    with pytest.raises(ValidationError, match="不能再新建测评"):
        make_survey(actor, sw.inspection_a, sw.world.unit_a)


def test_results_hidden_until_closed_and_enough_answers(sw):
    actor = sw.world.users["office_a"]
    survey, raws = open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=10)
    for raw in raws[:c.RESULT_MIN_RESPONSES]:
        answer(raw, survey)
    results = selectors.survey_results(survey)
    assert not results.visible and results.questions == [] and "结束后" in results.reason
    small, small_raws = open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=10, title="答卷少的测评")
    for raw in small_raws[:c.RESULT_MIN_RESPONSES - 1]:
        answer(raw, small)
    small = services.survey_close(actor=actor, survey=small)
    hidden = selectors.survey_results(small)
    assert not hidden.visible and hidden.questions == []
    assert f"少于{c.RESULT_MIN_RESPONSES}份" in hidden.reason
    survey = services.survey_close(actor=actor, survey=survey)
    shown = selectors.survey_results(survey)
    assert shown.visible and shown.responses == c.RESULT_MIN_RESPONSES
    first = shown.questions[0]
    assert [o.count for o in first.options] == [c.RESULT_MIN_RESPONSES, 0, 0, 0]
    assert first.options[0].percent == 100.0 and first.good_rate == 100.0


def test_tallies_and_small_categories_are_merged(sw):
    actor = sw.world.users["office_a"]
    survey, raws = open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=12)
    # 班子成员 1, 中层干部 4, 一般干部 5, 离退休干部代表 0.
    plan = ["班子成员"] + ["中层干部"] * 4 + ["一般干部"] * 5
    for k, (raw, category) in enumerate(zip(raws, plan, strict=False)):
        answer(raw, survey, category=category, pick=k)
    survey = services.survey_close(actor=actor, survey=survey)
    results = selectors.survey_results(survey)
    assert results.responses == 10
    q1 = results.questions[0]
    assert [o.count for o in q1.options] == [3, 3, 2, 2]  # picks 0..9 over four options
    assert [o.percent for o in q1.options] == [30.0, 30.0, 20.0, 20.0]
    assert q1.good_rate == 60.0
    labels = dict(results.categories)
    # The lone 班子成员 is never shown alone; with the next smallest group it makes 5.
    assert "班子成员" not in labels and labels == {"一般干部": 5, "其他（合并列示）": 5}
    table = results.category_tables[0]
    assert [row[0] for row in table.rows] == ["一般干部", "其他（合并列示）"]
    assert "合并" in results.category_note


def test_single_category_breakdown_is_not_shown(sw):
    actor = sw.world.users["office_a"]
    survey, raws = open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=6)
    for raw in raws:
        answer(raw, survey, category="一般干部")
    survey = services.survey_close(actor=actor, survey=survey)
    results = selectors.survey_results(survey)
    assert results.visible and results.categories == [] and results.category_tables == []
    assert "不分类列示" in results.category_note


def test_shared_templates_are_read_only_and_copied(sw):
    office = sw.world.users["office_a"]
    shared = template()
    with pytest.raises(ValidationError):
        services.template_update(actor=office, instance=shared, data={"title": "改名"})
    with pytest.raises(ValidationError):
        services.template_delete(actor=office, instance=shared)
    copy = services.template_copy(actor=office, template=shared, authority=sw.world.county_a)
    assert copy.authority == sw.world.county_a and copy.questions == shared.questions
    with pytest.raises(PermissionDenied):
        services.template_copy(actor=office, template=shared, authority=sw.world.county_b)
    # County B does not see A's copy; A reads the shared ones and the city's.
    city_tpl = _own_template(sw.world.users["city_office"], sw.world.city, "江城市统一测评模板")
    visible_a = set(SurveyTemplate.objects.for_user(office).values_list("pk", flat=True))
    visible_b = set(SurveyTemplate.objects.for_user(sw.world.users["office_b"]).values_list("pk", flat=True))
    assert {copy.pk, shared.pk, city_tpl.pk} <= visible_a
    assert copy.pk not in visible_b and shared.pk in visible_b and city_tpl.pk in visible_b
    # …but cannot change the city's.
    assert not SurveyTemplate.objects.for_user(office, "change").filter(pk=city_tpl.pk).exists()


def test_template_in_use_by_a_draft_cannot_be_deleted(sw):
    actor = sw.world.users["office_a"]
    tpl = _own_template(actor, sw.world.county_a)
    make_survey(actor, sw.inspection_a, sw.world.unit_a, tpl=tpl)
    with pytest.raises(ValidationError, match="未发放的测评使用该模板"):
        services.template_delete(actor=actor, instance=tpl)


def test_issue_limits(sw):
    actor = sw.world.users["office_a"]
    survey = make_survey(actor, sw.inspection_a, sw.world.unit_a)
    with pytest.raises(ValidationError):
        services.tokens_issue(actor=actor, survey=survey, count=0)
    with pytest.raises(ValidationError):
        services.tokens_issue(actor=actor, survey=survey, count=services.MAX_BATCH + 1)
    with pytest.raises(PermissionDenied):
        services.tokens_issue(actor=sw.world.users["office_b"], survey=survey, count=1)
    assert not SurveyToken.objects.exists()


def test_survey_counts_for_the_archive_checklist(sw):
    actor = sw.world.users["office_a"]
    survey, raws = open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=7)
    make_survey(actor, sw.inspection_a, sw.world.unit_a, title="第二项")
    for raw in raws[:3]:
        answer(raw, survey)
    assert selectors.survey_counts(sw.inspection_a) == {"surveys": 2, "tokens_issued": 7, "answers": 3}
    assert selectors.survey_counts(sw.inspection_b) == {"surveys": 0, "tokens_issued": 0, "answers": 0}
