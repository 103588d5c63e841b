"""Authentication that refuses locked and disabled accounts before it checks the password."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User


class AccountLocked(Exception):
    def __init__(self, user: User):
        super().__init__("account locked")
        self.user = user


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle on usernames
            return None
        if user.is_locked():
            raise AccountLocked(user)
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def has_perm(self, user_obj, perm, obj=None):
        # Django's own permission tables are not used; see xuncha.core.scoping.
        return False
