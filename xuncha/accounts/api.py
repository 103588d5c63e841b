"""API token: the same lockout, logging and password rules as the login page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from .login import LoginFailed, attempt_login


class LoginThrottle(AnonRateThrottle):
    rate = "20/min"


class ObtainTokenView(APIView):
    """Exchange a login name and password for a token (valid 7 days)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginThrottle]

    @extend_schema(
        request=inline_serializer("TokenRequest", {"username": serializers.CharField(),
                                                   "password": serializers.CharField()}),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request):
        try:
            user = attempt_login(request, request.data.get("username", ""), request.data.get("password", ""))
        except LoginFailed as failed:
            return Response({"detail": failed.message}, status=status.HTTP_400_BAD_REQUEST)
        if user.must_change_password or user.password_expired():
            return Response({"detail": "密码已过期或须首次修改，请先登录页面修改密码。"}, status=status.HTTP_403_FORBIDDEN)
        Token.objects.filter(user=user).delete()  # a new token replaces the old one
        token = Token.objects.create(user=user)
        return Response({"token": token.key})
