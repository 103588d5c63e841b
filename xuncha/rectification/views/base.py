"""What every rectification page shares: the permission gate, error handling, file answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.encoding import escape_uri_path
from django.views import View

from xuncha.core.scoping import has_perm
from xuncha.core.services import ScopeViolation
from xuncha.core.views import apply_form_errors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RectView(LoginRequiredMixin, View):
    """403 unless some grant of the user holds `permission`; the record's scope is checked by the
    selectors and services (404 outside it)."""

    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_perm(request.user, self.permission):
            raise PermissionDenied("您没有访问此页面的权限。")
        try:
            return super().dispatch(request, *args, **kwargs)
        except ScopeViolation as error:
            raise Http404(str(error)) from error


def flash_errors(request, error: ValidationError) -> None:
    request._operation_failed = True
    for message in error.messages:
        messages.error(request, message)


def form_errors(request, form, error: ValidationError) -> None:
    request._operation_failed = True
    apply_form_errors(form, error)


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def int_param(request, name: str) -> int | None:
    value = request.GET.get(name, "") or request.POST.get(name, "")
    return int(value) if str(value).isdigit() else None
