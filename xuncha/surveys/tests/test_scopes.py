"""Who sees which survey: the office of the region, the inspection's own group, nobody else (group
B, office B, liaison A, the administrators). Results need the results permission."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuncha.planning.tests.factories import group_user
from xuncha.surveys import services
from xuncha.surveys.models import Survey

from .factories import answer, open_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_a(sw):
    actor = sw.world.users["office_a"]
    survey, raws = open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=6, title="青阳县教育局班子测评")
    for raw in raws:
        answer(raw, survey, text="建议加强制度建设")
    return services.survey_close(actor=actor, survey=survey)


def _pages(survey):
    return [reverse(name, args=[survey.pk]) for name in (
        "surveys:survey_detail", "surveys:survey_results", "surveys:survey_export", "surveys:survey_history",
        "surveys:survey_issue", "surveys:survey_edit")] + [
        reverse("surveys:inspection_surveys", args=[survey.inspection_id]),
        reverse("api:survey-detail", args=[survey.pk]), reverse("api:survey-results", args=[survey.pk])]


def test_group_of_the_inspection_sees_and_reads_results(sw, closed_a, login):
    leader = group_user("zuzhang_a", "group_leader", sw.inspection_a.group)
    member = group_user("zuyuan_a", "group_member", sw.inspection_a.group)
    for user in (leader, member):
        client = login(user)
        assert client.get(reverse("surveys:survey_detail", args=[closed_a.pk])).status_code == 200
        body = client.get(reverse("surveys:survey_results", args=[closed_a.pk])).content.decode()
        assert "建议加强制度建设" in body
        assert "青阳县教育局班子测评" in client.get(reverse("surveys:survey_list")).content.decode()
        assert [r["id"] for r in client.get(reverse("api:survey-list")).json()["results"]] == [closed_a.pk]


@pytest.mark.parametrize("who", ["group_b", "office_b", "liaison_a", "sysadmin", "secadmin", "auditor", "nobody"])
def test_others_see_nothing(sw, closed_a, login, who):
    user = (group_user("zuzhang_b", "group_leader", sw.inspection_b.group) if who == "group_b"
            else sw.world.users[who])
    client = login(user)
    for url in _pages(closed_a):
        assert client.get(url).status_code in (403, 404), (who, url)
    list_page = client.get(reverse("surveys:survey_list"))
    assert list_page.status_code == 403 or "青阳县教育局班子测评" not in list_page.content.decode()
    api = client.get(reverse("api:survey-list"))
    assert api.status_code == 403 or api.json()["results"] == []
    assert not Survey.objects.for_user(user).exists()


def test_group_b_cannot_act_on_a(sw, login):
    actor = sw.world.users["office_a"]
    survey, _ = open_survey(actor, sw.inspection_a, sw.world.unit_a, tokens=1)
    client = login(group_user("zuzhang_b", "group_leader", sw.inspection_b.group))
    for name in ("surveys:survey_close", "surveys:survey_issue", "surveys:survey_open", "surveys:survey_delete"):
        assert client.post(reverse(name, args=[survey.pk]), {"count": 5}).status_code == 404, name
    assert client.get(reverse("surveys:inspection_survey_add", args=[sw.inspection_a.pk])).status_code == 404
    survey.refresh_from_db()
    assert survey.is_open


def test_leader_reads_results_but_cannot_act(sw, closed_a, login):
    client = login(sw.world.users["leader_a"])
    assert client.get(reverse("surveys:survey_results", args=[closed_a.pk])).status_code == 200
    assert client.get(reverse("surveys:survey_export", args=[closed_a.pk])).status_code == 200
    for name in ("surveys:survey_issue", "surveys:survey_close", "surveys:survey_edit"):
        assert client.get(reverse(name, args=[closed_a.pk])).status_code == 403, name


def test_city_office_sees_the_county_survey(sw, closed_a, login):
    client = login(sw.world.users["city_office"])
    assert client.get(reverse("surveys:survey_results", args=[closed_a.pk])).status_code == 200


def test_group_member_cannot_open_or_close(sw, login):
    survey, _ = open_survey(sw.world.users["office_a"], sw.inspection_a, sw.world.unit_a, tokens=1)
    client = login(group_user("zuyuan_a", "group_member", sw.inspection_a.group))
    assert client.post(reverse("surveys:survey_close", args=[survey.pk])).status_code == 403
    issued = client.post(reverse("surveys:survey_issue", args=[survey.pk]), {"count": 2, "format": "links"})
    assert issued.status_code == 200 and issued.content.decode().count("/surveys/a/") == 2


def test_group_leader_runs_a_survey_of_its_own_inspection(sw, login):
    from xuncha.surveys.models import SurveyTemplate

    from .factories import template

    office = sw.world.users["office_a"]
    county_tpl = services.template_copy(actor=office, template=template(), authority=sw.world.county_a)
    leader = group_user("zuzhang_a", "group_leader", sw.inspection_a.group)
    visible = set(SurveyTemplate.objects.for_user(leader).values_list("pk", flat=True))
    assert county_tpl.pk in visible and template().pk in visible
    # Group B's leader reads the shared templates but not county A's.
    other = group_user("zuzhang_b", "group_leader", sw.inspection_b.group)
    assert county_tpl.pk not in set(SurveyTemplate.objects.for_user(other).values_list("pk", flat=True))
    client = login(leader)
    response = client.post(reverse("surveys:inspection_survey_add", args=[sw.inspection_a.pk]), {
        "unit": sw.world.unit_a.pk, "template": county_tpl.pk, "title": "组内测评", "opens_on": "2026-03-02",
        "closes_on": "2099-12-31", "remarks": ""})
    survey = Survey.objects.get(title="组内测评")
    assert response["Location"] == reverse("surveys:survey_detail", args=[survey.pk])
    assert client.post(reverse("surveys:survey_open", args=[survey.pk])).status_code == 302
    assert client.post(reverse("surveys:survey_close", args=[survey.pk])).status_code == 302
    survey.refresh_from_db()
    assert survey.is_closed
