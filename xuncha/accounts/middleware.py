"""Send a user whose password is new (first login) or older than the limit to the change page."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/password/", "/accounts/login/", "/favicon")


class PasswordPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not request.path.startswith("/api/")  # the API answers 403 itself (see api_auth)
            and (user.must_change_password or user.password_expired())
        ):
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)
