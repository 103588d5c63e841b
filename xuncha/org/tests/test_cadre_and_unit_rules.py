"""Domain rules of the org forms and services: personal numbers, work history, family, deletes."""

import pytest
from django.urls import reverse

from xuncha.core.models import ChangeLog
from xuncha.org.models import Cadre, Unit
from xuncha.org.validators import id_card_check_digit


def _valid_id(prefix="11010119850601001"):
    return prefix + id_card_check_digit(prefix)


def _cadre_post(world, **extra):
    data = {"name": "张青阳", "gender": "male", "birth_date": "1990-03-07", "unit": world.unit_a.pk, "post": "科员",
            "rank": "staff", "id_card": "", "phone": "",
            "work-TOTAL_FORMS": "2", "work-INITIAL_FORMS": "0", "work-MIN_NUM_FORMS": "0", "work-MAX_NUM_FORMS": "1000",
            "family-TOTAL_FORMS": "1", "family-INITIAL_FORMS": "0", "family-MIN_NUM_FORMS": "0",
            "family-MAX_NUM_FORMS": "1000"}
    data.update(extra)
    return data


@pytest.mark.django_db
def test_blank_personal_numbers_keep_the_stored_ones(world, login):
    client = login(world.users["office_a"])
    url = reverse("org:cadre_edit", args=[world.cadre_a.pk])
    assert client.post(url, _cadre_post(world, post="副局长")).status_code == 302
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.id_card == "110101199003071234" and world.cadre_a.phone == "13812345678"
    assert world.cadre_a.post == "副局长"


@pytest.mark.django_db
@pytest.mark.parametrize("value,message", [
    ("123", "身份证号应为 18 位"), ("110101199002301234", "出生日期不存在"),
    ("110101198506010010", "校验位不正确"),
])
def test_bad_id_card_is_refused_with_the_reason(world, login, value, message):
    if message == "校验位不正确" and id_card_check_digit(value[:17]) == value[17]:
        value = value[:17] + ("1" if value[17] != "1" else "2")
    client = login(world.users["office_a"])
    body = client.post(reverse("org:cadre_edit", args=[world.cadre_a.pk]),
                       _cadre_post(world, id_card=value)).content.decode()
    assert "「身份证号」" in body and message in body
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.id_card == "110101199003071234"


@pytest.mark.django_db
def test_work_history_and_family_are_saved_and_in_the_history(world, login):
    client = login(world.users["office_a"])
    data = _cadre_post(world, **{
        "id_card": _valid_id(), "phone": "13900001111",
        "work-0-unit_name": "桐溪县教育局", "work-0-post": "科员", "work-0-start_date": "2015-01-01",
        "work-0-end_date": "2019-12-31",
        "work-1-unit_name": "青阳县教育局", "work-1-post": "副局长", "work-1-start_date": "2020-01-01",
        "family-0-relation": "spouse", "family-0-name": "李某", "family-0-unit_name": "桐溪县教育局",
        "family-0-post": "教师",
    })
    response = client.post(reverse("org:cadre_edit", args=[world.cadre_a.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cadre = Cadre.objects.get(pk=world.cadre_a.pk)
    works = list(cadre.work_history.order_by("start_date"))
    assert [w.post for w in works] == ["科员", "副局长"]
    assert works[0].unit == world.unit_b  # linked to the unit record, for recusal
    spouse = cadre.family.get()
    assert spouse.unit == world.unit_b and spouse.relation == "spouse"
    log = ChangeLog.objects.filter(object_id=str(cadre.pk), action="update").latest("seq")
    assert len(log.after["work_history"]) == 2 and log.before["work_history"] == []
    assert log.after["id_card"].startswith("110101") and "*" in log.after["id_card"]
    history = client.get(reverse("org:cadre_history", args=[cadre.pk])).content.decode()
    assert "工作经历" in history and _valid_id() not in history


@pytest.mark.django_db
def test_end_before_start_is_refused(world, login):
    client = login(world.users["office_a"])
    data = _cadre_post(world, **{"work-0-unit_name": "某单位", "work-0-post": "科员", "work-0-start_date": "2020-01-01",
                                 "work-0-end_date": "2019-01-01"})
    body = client.post(reverse("org:cadre_edit", args=[world.cadre_a.pk]), data).content.decode()
    assert "截止日期不能早于起始日期" in body
    assert not world.cadre_a.work_history.exists()


@pytest.mark.django_db
def test_unit_with_cadres_cannot_be_deleted(world, login):
    client = login(world.users["office_a"])
    response = client.post(reverse("org:unit_delete", args=[world.unit_a.pk]))
    assert response.status_code == 400
    assert "1 名干部" in response.content.decode()
    assert Unit.objects.filter(pk=world.unit_a.pk).exists()


@pytest.mark.django_db
def test_unit_cannot_be_its_own_parent(world, login):
    child = Unit.objects.create(name="青阳县教育局下属中心", region=world.county_a, parent=world.unit_a,
                                category="secondary", level="section", managing_authority="county")
    client = login(world.users["office_a"])
    data = {"name": world.unit_a.name, "region": world.county_a.pk, "parent": child.pk, "category": "organ",
            "level": "section", "managing_authority": "county"}
    body = client.post(reverse("org:unit_edit", args=[world.unit_a.pk]), data).content.decode()
    assert "上级单位不能是本单位或其下级单位" in body


@pytest.mark.django_db
def test_negative_fund_and_bad_credit_code_name_their_fields(world, login):
    client = login(world.users["office_a"])
    data = {"name": "新单位", "region": world.county_a.pk, "category": "organ", "level": "section",
            "managing_authority": "county", "special_fund_scale": "-5", "credit_code": "abc"}
    body = client.post(reverse("org:unit_add"), data).content.decode()
    assert "「专项资金规模（万元）」" in body and "「统一社会信用代码」" in body
    assert not Unit.objects.filter(name="新单位").exists()
