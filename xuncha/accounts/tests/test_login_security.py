"""Login security as 等保 2.0 level 3 asks: lockout, password rules and expiry, first-login change,
idle timeout, logout, and the login log."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from xuncha.accounts import services
from xuncha.accounts.models import User
from xuncha.accounts.validators import ComplexityValidator
from xuncha.core.models import LoginLog, OperationLog
from xuncha.core.testing.resources import covers
from xuncha.core.testing.world import PASSWORD

covers("accounts:login", "accounts:logout", "accounts:password_change", "api:token")

LOGIN = "/accounts/login/"


def _post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.django_db
def test_login_succeeds_and_is_logged(world, client):
    response = _post_login(client, "office_a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert LoginLog.objects.filter(username="office_a", event="success").count() == 1
    home = client.get("/")
    assert "被巡察对象" in home.content.decode()


@pytest.mark.django_db
def test_unknown_user_and_wrong_password_get_the_same_message(world, client):
    a = _post_login(client, "no-such-user", "whatever").content.decode()
    b = _post_login(client, "office_a", "wrong-password").content.decode()
    assert "登录名或密码错误" in a and "登录名或密码错误" in b
    reasons = set(LoginLog.objects.values_list("reason", flat=True))
    assert "登录名不存在" in reasons and any(r.startswith("密码错误") for r in reasons)


@pytest.mark.django_db
def test_five_failures_lock_the_account_for_30_minutes(world, client):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        assert "登录名或密码错误" in _post_login(client, "office_a", "bad").content.decode()
    body = _post_login(client, "office_a", "bad").content.decode()
    assert "锁定" in body
    user = User.objects.get(username="office_a")
    assert user.is_locked()
    remaining = user.locked_until - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
    # Even the right password is refused while locked.
    body = _post_login(client, "office_a", PASSWORD).content.decode()
    assert "锁定" in body
    assert "_auth_user_id" not in client.session
    events = list(LoginLog.objects.filter(username="office_a").order_by("seq").values_list("event", flat=True))
    assert events == ["failure"] * 4 + ["locked", "rejected"]


@pytest.mark.django_db
@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCK_MINUTES=5)
def test_lockout_is_configurable(world, client):
    for _ in range(3):
        _post_login(client, "office_a", "bad")
    user = User.objects.get(username="office_a")
    assert user.is_locked()
    assert user.locked_until - timezone.now() <= timedelta(minutes=5)


@pytest.mark.django_db
def test_lock_expires_and_security_admin_can_unlock(world, client, login):
    user = world.users["office_a"]
    user.locked_until = timezone.now() - timedelta(seconds=1)
    user.save()
    assert _post_login(client, "office_a", PASSWORD).status_code == 302
    client.logout()
    user.locked_until = timezone.now() + timedelta(minutes=30)
    user.save()
    admin = login(world.users["secadmin"])
    assert admin.post(reverse("accounts:user_unlock", args=[user.pk])).status_code == 302
    user.refresh_from_db()
    assert not user.is_locked()


@pytest.mark.parametrize("password,ok", [
    ("Abcdef1!", True), ("abcdef12!", True), ("ABCDEF12", False), ("abcdefgh", False), ("Ab1!", False),
    ("Abcdefgh", False), ("abcd1234", False), ("Abcd1234", True),
])
def test_password_needs_8_characters_from_3_classes(password, ok):
    validator = ComplexityValidator(min_length=8, min_classes=3)
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError) as error:
            validator.validate(password)
        assert "密码" in " ".join(error.value.messages)


@pytest.mark.django_db
def test_first_login_forces_a_password_change(world, client):
    user = world.users["office_a"]
    user.must_change_password = True
    user.save()
    response = _post_login(client, "office_a", PASSWORD)
    assert response["Location"] == reverse("accounts:password_change")
    # Every other page sends the user back to the change page until it is done.
    assert client.get("/org/units/")["Location"] == reverse("accounts:password_change")
    bad = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}).content.decode()
    assert "密码长度至少 8 位" in bad
    good = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "New#Pass2026", "new_password2": "New#Pass2026"})
    assert good.status_code == 302
    assert client.get("/org/units/").status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("New#Pass2026")


@pytest.mark.django_db
def test_password_expires_after_90_days(world, client):
    user = world.users["office_a"]
    user.password_changed_at = timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)
    user.save()
    _post_login(client, "office_a", PASSWORD)
    assert client.get("/org/units/")["Location"] == reverse("accounts:password_change")
    assert "有效期" in client.get(reverse("accounts:password_change")).content.decode()


@pytest.mark.django_db
def test_new_password_cannot_repeat_the_old_one(world):
    with pytest.raises(ValidationError):
        services.user_change_password(user=world.users["office_a"], new_password=PASSWORD)


def test_session_ends_after_30_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # the age counts from the last request: idle time
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.django_db
def test_expired_session_is_logged_out(world, client):
    from django.contrib.sessions.models import Session

    _post_login(client, "office_a", PASSWORD)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/org/units/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_logout_is_post_only_and_flushes_the_session(world, client):
    _post_login(client, "office_a", PASSWORD)
    old_key = client.session.session_key
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=old_key).exists()
    assert client.get("/org/units/").status_code == 302
    assert LoginLog.objects.filter(username="office_a", event="logout").exists()


@pytest.mark.django_db
def test_passwords_are_masked_in_the_operation_log(world, client):
    _post_login(client, "office_a", PASSWORD)
    client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "New#Pass2026", "new_password2": "New#Pass2026"})
    row = OperationLog.objects.get(path=reverse("accounts:password_change"))
    text = str(row.params)
    assert PASSWORD not in text and "New#Pass2026" not in text
    assert row.params["old_password"] == "******"
    assert row.username == "office_a" and row.outcome == "success" and row.ip == "127.0.0.1"


@pytest.mark.django_db
def test_api_token_follows_the_same_rules(world, client):
    url = reverse("api:token")
    assert client.post(url, {"username": "office_a", "password": "bad"}).status_code == 400
    token = client.post(url, {"username": "office_a", "password": PASSWORD}).json()["token"]
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/units/").status_code == 200
    assert api.get("/api/units/").json()["count"] == 1  # county A holds one unit in the test world
    user = world.users["office_a"]
    user.must_change_password = True
    user.save()
    assert api.get("/api/units/").status_code in (401, 403)
