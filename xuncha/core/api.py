"""The API's share of the one scope mechanism: the same permission strings, the same `for_user`,
the same services for writes. No permission for the action -> 403; out of scope -> 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .api_permissions import METHOD_ACTIONS, ScopedPermission

__all__ = ["ScopedPermission", "ScopedModelViewSet", "exception_handler"]

class ScopedModelViewSet(viewsets.ModelViewSet):
    """CRUD over a Resource: the queryset is the user's scope for the HTTP method's action."""

    resource = None
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        action = METHOD_ACTIONS.get(self.request.method, "view")
        qs = self.resource.queryset(self.request.user, action)
        return qs.order_by(self.resource.default_sort or "pk", "pk") if self.resource.default_sort else qs

    def _validated(self, instance=None) -> dict:
        """Input is validated by the page's form, not the serializer: one set of rules for pages,
        imports and the API, and related choices limited to the user's scope (a serializer's
        unscoped related field would reveal which ids exist)."""
        data = self.request.data
        if hasattr(data, "dict"):
            data = data.dict()  # a form-encoded body; JSON bodies arrive as a dict already
        if instance is not None and self.request.method == "PATCH":
            initial = self.resource.form_class(instance=instance, user=self.request.user).initial
            data = {**{k: getattr(v, "pk", v) for k, v in initial.items()}, **data}
        form = self.resource.form_class(data, instance=instance, user=self.request.user)
        if not form.is_valid():
            raise exceptions.ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        return form.cleaned_data

    def create(self, request, *args, **kwargs):
        instance = self.resource.create(actor=request.user, data=self._validated())
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        instance = self.resource.update(actor=request.user, instance=instance, data=self._validated(instance))
        return Response(self.get_serializer(instance).data)

    def perform_destroy(self, instance):
        self.resource.delete(actor=self.request.user, instance=instance)


def exception_handler(exc, context):
    """Django's ValidationError and PermissionDenied from services become 400 and 403 in Chinese."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "您没有执行此操作的权限。")
    return drf_exception_handler(exc, context)
