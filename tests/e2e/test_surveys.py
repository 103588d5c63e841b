"""End to end: an office opens a survey and issues slips; a respondent answers on a phone-sized
screen with a one-time link (refused the second time); the office closes the survey and reads the
results with their charts."""

from __future__ import annotations

import pytest

from xuncha.core.testing.world import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def opened(world):
    from xuncha.surveys.tests.factories import open_survey, setup

    sw = setup(world)
    survey, raws = open_survey(world.users["office_a"], sw.inspection_a, world.unit_a, tokens=6,
                               title="青阳县教育局领导班子民主测评")
    return sw, survey, raws


def test_answer_on_a_phone_then_read_the_results(opened, browser, live_server, page, log_in, shot):
    from xuncha.surveys import services
    from xuncha.surveys.models import SurveyResponse, SurveyToken
    from xuncha.surveys.tests.factories import answer

    sw, survey, raws = opened
    phone = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    try:
        mobile.goto(f"/surveys/a/{raws[0]}/")
        assert mobile.locator("h1").inner_text() == "青阳县教育局领导班子民主测评"
        # The page fits the phone: no horizontal scrolling.
        assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
        mobile.get_by_role("button", name="提交答卷").click()
        assert "还有题目没有完成" in mobile.locator("#answer-errors").inner_text()
        shot(mobile, "phone-errors")
        mobile.get_by_label("一般干部").check()
        for fieldset in mobile.locator("fieldset").all():
            radios = fieldset.locator("input[type=radio]")
            if radios.count() and not fieldset.locator("input:checked").count():
                radios.first.check()
            boxes = fieldset.locator("input[type=checkbox]")
            if boxes.count():
                boxes.last.check()
        mobile.locator("textarea").fill("希望多到基层一线调研。")
        shot(mobile, "phone-filled")
        mobile.get_by_role("button", name="提交答卷").click()
        assert mobile.locator("#answer-message h1").inner_text() == "提交成功"
        assert "希望多到基层一线调研" not in mobile.content()
        shot(mobile, "phone-done")
        mobile.goto(f"/surveys/a/{raws[0]}/")
        assert "该答题码无效或已经使用" in mobile.locator("#answer-message").inner_text()
    finally:
        phone.close()
    assert SurveyToken.objects.filter(survey=survey, used=True).count() == 1 == SurveyResponse.objects.count()

    for raw in raws[1:]:
        answer(raw, survey, category="中层干部")
    log_in("office_a", PASSWORD)
    page.goto(f"/surveys/{survey.pk}/")
    assert "已使用 6 / 已发放 6" in page.locator("#progress").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="结束测评").click()
    assert page.locator("#survey-status").inner_text() == "已结束"
    page.get_by_role("link", name="测评结果").click()
    assert "希望多到基层一线调研。" in page.locator("#question-results").inner_text()
    page.wait_for_function("document.querySelector('#chart-q1 canvas') !== null")
    shot(page, "results")
    survey.refresh_from_db()
    assert survey.is_closed and not SurveyToken.objects.exclude(token_hash=None).exists()
    with pytest.raises(services.AnswerRefused):
        answer(raws[0], survey)
