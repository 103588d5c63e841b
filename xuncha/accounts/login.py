"""One login procedure for the page and the API: lockout, the login log, no username oracle."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate

from xuncha.core.context import client_ip
from xuncha.core.models import LoginLog

from . import services
from .backends import AccountLocked
from .models import User

GENERIC_FAILURE = "登录名或密码错误。"


class LoginFailed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def attempt_login(request, username: str, password: str) -> User:
    """Return the user, or raise LoginFailed with the Chinese message to show.

    The message for an unknown name and for a wrong password is the same, so that the page does not
    reveal which login names exist; the login log records the difference for the auditor.
    """
    ip = client_ip(request)
    agent = request.META.get("HTTP_USER_AGENT", "")
    username = (username or "").strip()
    if not username or not password:
        raise LoginFailed("请输入登录名和密码。")
    try:
        user = authenticate(request, username=username, password=password)
    except AccountLocked as locked:
        services.login_log_write(username=username, user=locked.user, event=LoginLog.Event.REJECTED,
                                 reason="账号锁定期间尝试登录", ip=ip, user_agent=agent)
        raise LoginFailed(_locked_message(locked.user)) from None
    if user is None:
        known = User.objects.filter(username=username).first()
        if known is not None and known.is_active:
            now_locked = services.user_login_failed(user=known)
            if now_locked:
                services.login_log_write(username=username, user=known, event=LoginLog.Event.LOCKED,
                                         reason=f"连续 {settings.LOGIN_MAX_FAILURES} 次密码错误，锁定 "
                                                f"{settings.LOGIN_LOCK_MINUTES} 分钟", ip=ip, user_agent=agent)
                raise LoginFailed(_locked_message(known))
            services.login_log_write(username=username, user=known, event=LoginLog.Event.FAILURE,
                                     reason=f"密码错误（连续第 {known.failed_logins} 次）", ip=ip, user_agent=agent)
        else:
            reason = "账号已停用" if known is not None else "登录名不存在"
            services.login_log_write(username=username, user=known, event=LoginLog.Event.FAILURE, reason=reason,
                                     ip=ip, user_agent=agent)
        raise LoginFailed(GENERIC_FAILURE)
    services.user_login_succeeded(user=user)
    services.login_log_write(username=username, user=user, event=LoginLog.Event.SUCCESS, ip=ip, user_agent=agent)
    return user


def _locked_message(user: User) -> str:
    from django.utils import timezone

    until = timezone.localtime(user.locked_until).strftime("%H:%M")
    return f"连续 {settings.LOGIN_MAX_FAILURES} 次密码错误，账号已锁定至 {until}。如需提前解锁，请联系安全管理员。"
