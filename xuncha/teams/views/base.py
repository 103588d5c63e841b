"""The permission rule of every teams page: no permission at all → 403; a record outside the
user's scope → 404 (selectors raise it)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.encoding import escape_uri_path
from django.views import View

from xuncha.core.scoping import has_perm
from xuncha.core.views import apply_form_errors  # noqa: F401  (re-exported for the views)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class TeamsView(LoginRequiredMixin, View):
    permission = ""

    def required_permission(self) -> str:
        return self.permission

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_perm(request.user, self.required_permission()):
            raise PermissionDenied("您没有访问此页面的权限。")
        return super().dispatch(request, *args, **kwargs)

    def can(self, *permissions: str) -> dict[str, bool]:
        return {p.rsplit(":", 1)[-1] if p.count(":") == 2 else p: has_perm(self.request.user, p) for p in permissions}

    def failed(self):
        self.request._operation_failed = True


def file_response(content: bytes, filename: str, content_type: str = DOCX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response
