"""What every reporting page shares: the permission gate, error handling, file answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.encoding import escape_uri_path
from django.views import View

from xuncha.core.files import read_bytes
from xuncha.core.scoping import has_perm
from xuncha.core.services import ScopeViolation

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReportingView(LoginRequiredMixin, View):
    """403 unless some grant of the user holds `permission` (or one of `permissions`); the record's
    scope is checked by the selectors (404 outside it)."""

    permission = ""
    permissions: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        wanted = self.permissions or (self.permission,)
        if not any(has_perm(request.user, p) for p in wanted):
            raise PermissionDenied("您没有访问此页面的权限。")
        try:
            return super().dispatch(request, *args, **kwargs)
        except ScopeViolation as error:
            raise Http404(str(error)) from error


def flash_errors(request, error: ValidationError) -> None:
    """A service's refusal as messages at the top of the page (and the operation log says failed)."""
    request._operation_failed = True
    for message in error.messages:
        messages.error(request, message)


def run(request, back: str, action, success: str):
    """Call a service; on refusal show its Chinese reasons; redirect back either way (POST actions)."""
    try:
        action()
    except ValidationError as error:
        flash_errors(request, error)
    except PermissionDenied as error:
        request._operation_failed = True
        messages.error(request, str(error) or "您没有执行此操作的权限。")
    else:
        messages.success(request, success)
    return redirect(back)


def form_refused(request, form) -> None:
    request._operation_failed = True
    for line in form.error_summary():
        messages.error(request, line)


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def stored_response(stored, content_type: str | None = None) -> HttpResponse:
    return file_response(read_bytes(stored), stored.original_name,
                         content_type or stored.content_type or "application/octet-stream")
