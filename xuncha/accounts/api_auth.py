"""Token authentication for the API with the same account rules as the pages."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

TOKEN_MAX_AGE_DAYS = getattr(settings, "API_TOKEN_MAX_AGE_DAYS", 7)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token.created + timedelta(days=TOKEN_MAX_AGE_DAYS) < timezone.now():
            raise exceptions.AuthenticationFailed("令牌已过期，请重新获取。")
        if user.is_locked():
            raise exceptions.AuthenticationFailed("账号已锁定。")
        if user.must_change_password or user.password_expired():
            raise exceptions.AuthenticationFailed("密码已过期或须首次修改，请先登录页面修改密码。")
        return user, token
