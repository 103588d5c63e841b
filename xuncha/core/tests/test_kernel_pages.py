"""The kernel's own pages: home, jobs, dictionaries, the two log lists, the API schema."""

import pytest
from django.urls import reverse

from xuncha.core import dictionaries
from xuncha.core.models import ChangeLog, DictItem, DictType, Job, LoginLog, OperationLog
from xuncha.core.testing.resources import covers

covers("core:home", "core:job_detail", "core:dictionary_list", "core:dictionary_item_add",
       "core:dictionary_item_edit", "core:operationlog_list", "core:loginlog_list", "api:schema", "api:docs")


@pytest.mark.django_db
def test_home_counts_only_the_scope(world, login):
    body = login(world.users["office_a"]).get("/").content.decode()
    # County A holds one unit and one cadre in the test world; the city holds more.
    assert "被巡察对象" in body
    city = login(world.users["city_office"]).get(reverse("core:home")).content.decode()
    assert city.count(">3<") >= 1 or ">3</div>" in city


@pytest.mark.django_db
def test_job_is_visible_to_its_owner_only(world, login):
    job = Job.objects.create(kind="import", title="导入测试", user=world.users["office_a"], message="导入成功")
    assert login(world.users["office_a"]).get(reverse("core:job_detail", args=[job.pk])).status_code == 200
    assert login(world.users["city_office"]).get(reverse("core:job_detail", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_dictionary_item_is_added_and_used_by_forms(world, login):
    client = login(world.users["sysadmin"])
    assert client.get(reverse("core:dictionary_list")).status_code == 200
    url = reverse("core:dictionary_item_add", args=["unit_category"])
    bad = client.post(url, {"value": "bad value!", "label": "", "sort": 1}).content.decode()
    assert "「值（编码）」" in bad and "「名称」" in bad
    assert client.post(url, {"value": "party_school", "label": "党校", "sort": 20, "is_active": "on"}).status_code == 302
    item = DictItem.objects.get(dict_type__code="unit_category", value="party_school")
    assert ("party_school", "党校") in dictionaries.choices("unit_category")
    assert ChangeLog.objects.filter(object_id=str(item.pk), action="create").exists()
    # Editing never changes the stored value, only the label.
    edit = reverse("core:dictionary_item_edit", args=["unit_category", item.pk])
    assert client.post(edit, {"value": "hacked", "label": "市委党校", "sort": 20, "is_active": "on"}).status_code == 302
    item.refresh_from_db()
    assert (item.value, item.label) == ("party_school", "市委党校")
    form = login(world.users["office_a"]).get(reverse("org:unit_add")).content.decode()
    assert "市委党校" in form


@pytest.mark.django_db
def test_duplicate_dictionary_label_is_refused(world, login):
    client = login(world.users["sysadmin"])
    url = reverse("core:dictionary_item_add", args=["unit_category"])
    before = DictItem.objects.count()
    body = client.post(url, {"value": "dup", "label": "机关部门", "sort": 1, "is_active": "on"}).content.decode()
    assert "已有相同的名称" in body
    assert DictItem.objects.count() == before
    assert DictType.objects.filter(code="unit_category").exists()


@pytest.mark.django_db
def test_logs_are_listed_for_the_auditor(world, login, client):
    client.post("/accounts/login/", {"username": "office_a", "password": "wrong"})
    office = login(world.users["office_a"])
    office.get(reverse("org:unit_detail", args=[world.unit_a.pk]))
    auditor = login(world.users["auditor"])
    logins = auditor.get(reverse("core:loginlog_list")).content.decode()
    assert "office_a" in logins and "密码错误" in logins
    operations = auditor.get(reverse("core:operationlog_list"), {"q": "office_a"}).content.decode()
    assert "查看" in operations
    row = OperationLog.objects.get(username="office_a", action="查看")
    assert row.module == "组织机构·被巡察对象" and row.outcome == "success" and row.duration_ms >= 0
    assert LoginLog.objects.exists()


@pytest.mark.django_db
def test_openapi_schema_lists_the_routes(world, login):
    response = login(world.users["office_a"]).get(reverse("api:schema"))
    assert response.status_code == 200
    body = response.content.decode()
    for route in ("/api/units/", "/api/cadres/", "/api/regions/", "/api/auth/token/"):
        assert route in body


@pytest.mark.django_db
def test_api_docs_load_nothing_from_the_internet(world, login, client):
    assert client.get(reverse("api:docs")).status_code in (401, 403)
    body = login(world.users["office_a"]).get(reverse("api:docs")).content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in body
    import re

    assert not re.search(r"(src|href)=\"https?://", body)
