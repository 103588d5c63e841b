"""三员分立: the system, security and audit administrators are separate, hold no business data,
and each sees only their own pages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xuncha.accounts import services
from xuncha.accounts.models import Grant, Role, User
from xuncha.core.models import ChangeLog
from xuncha.core.testing.resources import covers

covers("accounts:user_list", "accounts:user_add", "accounts:user_detail", "accounts:user_edit",
       "accounts:user_reset_password", "accounts:user_unlock", "accounts:user_grant_add", "accounts:grant_revoke",
       "accounts:role_list", "accounts:role_edit")

ADMIN_PAGES = {
    "sysadmin": ["/accounts/users/", "/system/dictionaries/"],
    "secadmin": ["/accounts/users/", "/accounts/roles/"],
    "auditor": ["/audit/operations/", "/audit/logins/"],
}
BUSINESS_PAGES = ["/org/units/", "/org/cadres/", "/org/regions/", "/api/units/"]


@pytest.mark.django_db
@pytest.mark.parametrize("admin", ["sysadmin", "secadmin", "auditor"])
def test_each_administrator_sees_only_their_pages(world, login, admin):
    client = login(world.users[admin])
    for url in ADMIN_PAGES[admin]:
        assert client.get(url).status_code == 200, url
    others = {u for k, urls in ADMIN_PAGES.items() if k != admin for u in urls} - set(ADMIN_PAGES[admin])
    for url in others | set(BUSINESS_PAGES):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_menu_shows_only_what_the_role_may_use(world, login):
    body = login(world.users["auditor"]).get("/").content.decode()
    assert "操作日志" in body and "被巡察对象" not in body and "用户管理" not in body
    body = login(world.users["leader_a"]).get("/").content.decode()
    assert "被巡察对象" in body and "操作日志" not in body and "数据字典" not in body
    body = login(world.users["liaison_a"]).get("/").content.decode()
    assert "/org/units/" in body and "/org/cadres/" not in body and "/org/regions/" not in body


@pytest.mark.django_db
def test_system_admin_creates_users_who_must_change_password(world, login):
    client = login(world.users["sysadmin"])
    bad = client.post(reverse("accounts:user_add"), {"username": "new one", "full_name": "", "password": "x"})
    body = bad.content.decode()
    assert "「登录名」" in body and "「姓名」" in body and not User.objects.filter(full_name="").exclude(
        username__in=[u.username for u in world.users.values()]).exists()
    response = client.post(reverse("accounts:user_add"), {
        "username": "zhang_san", "full_name": "张三", "phone": "13800000000", "password": "Init#2026pass"})
    assert response.status_code == 302
    user = User.objects.get(username="zhang_san")
    assert user.must_change_password
    assert not user.grants.exists()  # a new account sees nothing until granted
    assert client.get(reverse("accounts:user_detail", args=[user.pk])).status_code == 200
    response = client.post(reverse("accounts:user_edit", args=[user.pk]),
                           {"full_name": "张三丰", "phone": "", "is_active": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == "张三丰" and user.phone == "13800000000"
    response = client.post(reverse("accounts:user_reset_password", args=[user.pk]), {"new_password": "Reset#2026x"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password and user.check_password("Reset#2026x")
    assert ChangeLog.objects.filter(object_id=str(user.pk), content_type__model="user").count() >= 3


@pytest.mark.django_db
def test_system_admin_cannot_grant_and_security_admin_cannot_create_users(world, login):
    sys_client = login(world.users["sysadmin"])
    target = world.users["nobody"]
    role = Role.objects.get(code="office_admin")
    response = sys_client.post(reverse("accounts:user_grant_add", args=[target.pk]),
                               {"role": role.pk, "scope_kind": "region", "region": world.county_a.pk})
    assert response.status_code == 403
    sec_client = login(world.users["secadmin"])
    assert sec_client.get(reverse("accounts:user_add")).status_code == 403


@pytest.mark.django_db
def test_security_admin_grants_and_revokes_scopes(world, login):
    client = login(world.users["secadmin"])
    target = world.users["nobody"]
    role = Role.objects.get(code="leader")
    response = client.post(reverse("accounts:user_grant_add", args=[target.pk]),
                           {"role": role.pk, "scope_kind": "region", "region": world.county_b.pk})
    assert response.status_code == 302
    grant = Grant.objects.get(user=target, is_active=True)
    reader = login(target)
    assert "桐溪县教育局" in reader.get("/org/units/").content.decode()
    client = login(world.users["secadmin"])
    assert client.post(reverse("accounts:grant_revoke", args=[grant.pk])).status_code == 302
    assert login(target).get("/org/units/").status_code == 403


@pytest.mark.django_db
def test_three_admin_roles_cannot_be_combined_or_scoped(world):
    secadmin = world.users["secadmin"]
    auditor_role = Role.objects.get(code="auditor")
    office = Role.objects.get(code="office_admin")
    with pytest.raises(ValidationError):  # an administrator role only over the whole system
        services.grant_create(actor=secadmin, user=world.users["nobody"], role=auditor_role, scope_kind="region",
                              region=world.city)
    with pytest.raises(ValidationError):  # a business role never globally
        services.grant_create(actor=secadmin, user=world.users["nobody"], role=office, scope_kind="global")
    with pytest.raises(ValidationError):  # the auditor cannot also be an office administrator
        services.grant_create(actor=secadmin, user=world.users["auditor"], role=office, scope_kind="region",
                              region=world.city)
    with pytest.raises(ValidationError):  # nobody grants themselves
        services.grant_create(actor=secadmin, user=secadmin, role=auditor_role, scope_kind="global")


@pytest.mark.django_db
def test_security_admin_edits_role_permissions(world, login):
    client = login(world.users["secadmin"])
    role = Role.objects.get(code="leader")
    assert client.get(reverse("accounts:role_edit", args=[role.pk])).status_code == 200
    response = client.post(reverse("accounts:role_edit", args=[role.pk]),
                           {"permissions": ["org:unit:view", "org:region:view"]})
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.permissions == ["org:region:view", "org:unit:view"]
    assert login(world.users["leader_a"]).get("/org/cadres/").status_code == 403


@pytest.mark.django_db
def test_audit_pages_have_no_edit_or_delete(world, login, client):
    client = login(world.users["auditor"])
    client.get("/audit/operations/")
    for url in ("/audit/operations/", "/audit/logins/"):
        assert client.post(url).status_code == 405
        assert client.delete(url).status_code == 405
