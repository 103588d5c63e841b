"""The API permission class, apart from api.py so DRF can import it while its own views load."""

from __future__ import annotations

from rest_framework import permissions

from .scoping import has_perm

METHOD_ACTIONS = {"GET": "view", "HEAD": "view", "OPTIONS": "view", "POST": "add", "PUT": "change",
                  "PATCH": "change", "DELETE": "delete"}


class ScopedPermission(permissions.BasePermission):
    message = "您没有执行此操作的权限。"

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        resource = getattr(view, "resource", None)
        if resource is None:
            required = getattr(view, "required_permission", None)
            return bool(required) and has_perm(request.user, required)
        return has_perm(request.user, resource.perm(METHOD_ACTIONS.get(request.method, "view")))
