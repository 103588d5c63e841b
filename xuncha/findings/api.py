"""REST routes of findings (registered on the platform router in xuncha/api_urls.py).

The same scopes as the pages (`for_user`; 404 outside the scope, 403 without the permission), the
same forms for validation and the same services for writes.

* `/api/problems/` — problems (drafts and the confirmed list), with `POST …/{id}/transition/`.
* `/api/clues/` — clues, read-only and secret: the group leader's and the office's scope, a member's
  own; the operation log records no parameters (`log_params = False`).
* `/api/clue-transfers/` — transfers with their deadline and overdue flag (numbers, no clue content).
"""

from __future__ import annotations

from django.http import QueryDict
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xuncha.core.api_permissions import METHOD_ACTIONS
from xuncha.core.scoping import has_perm
from xuncha.core.services import ScopeViolation
from xuncha.planning.models import Inspection

from . import forms, selectors, services
from .choices import ProblemStatus
from .models import Clue, ClueTransfer, Problem

# --- Serializers (read-only: writes go through the forms and services) -------------------------------


class ProblemSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    category_title = serializers.CharField(source="category.title", read_only=True, default=None)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    severity_label = serializers.CharField(source="get_severity_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Problem
        fields = ["id", "inspection", "authority", "number", "unit", "unit_name", "indicator", "category",
                  "category_title", "kind", "kind_label", "severity", "severity_label", "title", "description",
                  "evidence", "responsible_cadres", "responsible_text", "status", "status_label", "return_reason",
                  "meeting", "meeting_date", "confirm_opinion", "confirmed_at", "created_at", "updated_at"]
        read_only_fields = fields

    # The group's own workings: only for those who write problems (the group and the office).
    INTERNAL = ("return_reason", "meeting", "meeting_date", "confirm_opinion")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not has_perm(request.user, "findings:problem:add"):
            for name in self.INTERNAL:
                data.pop(name, None)
        return data


class ProblemTransitionInSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=["submit", "review", "send_back", "confirm", "reopen"],
                                   help_text="submit 提交审核；review 审核通过；send_back 退回修改；confirm 确认；"
                                             "reopen 重新打开（巡察办）")
    opinion = serializers.CharField(required=False, allow_blank=True, default="")
    meeting = serializers.CharField(required=False, allow_blank=True, default="")
    meeting_date = serializers.DateField(required=False, allow_null=True, default=None)


class PersonSerializer(serializers.Serializer):
    cadre = serializers.IntegerField(source="cadre_id", allow_null=True)
    name = serializers.CharField()
    post = serializers.CharField()
    unit_name = serializers.CharField()


class ClueSerializer(serializers.ModelSerializer):
    persons = PersonSerializer(many=True, read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    due_date = serializers.DateField(source="transfer.due_date", read_only=True, default=None)

    class Meta:
        model = Clue
        fields = ["id", "inspection", "number", "unit", "persons", "summary", "content", "evidence", "source",
                  "source_label", "source_note", "suggested_receiver", "problem", "status", "status_label",
                  "transfer", "due_date", "created_at"]
        read_only_fields = fields


class TransferSerializer(serializers.ModelSerializer):
    receiver_kind_label = serializers.CharField(source="get_receiver_kind_display", read_only=True)
    clue_count = serializers.IntegerField(read_only=True)
    waiting = serializers.IntegerField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ClueTransfer
        fields = ["id", "inspection", "number", "receiver_kind", "receiver_kind_label", "receiver_name",
                  "transfer_date", "due_date", "secret_level", "clue_count", "waiting", "overdue"]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return selectors.clue_flags(obj.due_date, obj.waiting > 0).overdue


# --- Helpers ------------------------------------------------------------------------------------------


def _form_data(request) -> dict:
    data = request.data
    if isinstance(data, QueryDict):
        return {key: values if len(values) > 1 or key == "responsible_cadres" else values[0]
                for key, values in data.lists()}
    return dict(data)


def _validated(form) -> dict:
    if not form.is_valid():
        raise exceptions.ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    return form.cleaned_data


class AnyPermission(permissions.BasePermission):
    """The view's `any_permissions`: one of them through some grant."""

    message = "您没有执行此操作的权限。"

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated) and any(has_perm(user, p) for p in view.any_permissions)


# --- Problems -----------------------------------------------------------------------------------------


class ProblemViewSet(viewsets.ModelViewSet):
    """问题（底稿与问题清单）。新增时填写 inspection（巡察任务编号）；POST /problems/{id}/transition/ 审核流转。
    查询参数：inspection、unit、category、kind、severity、status（confirmed 即问题清单）。"""

    serializer_class = ProblemSerializer
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    read_actions = {"transition", "transitions"}

    def _action(self) -> str:
        if self.action in self.read_actions:
            return "view"
        return METHOD_ACTIONS.get(self.request.method, "view")

    @property
    def required_permission(self) -> str:
        return f"findings:problem:{self._action()}"

    def handle_exception(self, exc):
        if isinstance(exc, ScopeViolation):
            exc = exceptions.NotFound("记录不存在或不在您的授权范围内。")
        return super().handle_exception(exc)

    def get_queryset(self):
        params = self.request.query_params

        def number(name):
            value = params.get(name, "")
            return int(value) if value.isdigit() else None

        status_value = params.get("status", "")
        filters = selectors.ProblemFilters(
            inspection=number("inspection"), unit=number("unit"), category=number("category"),
            kind=params.get("kind", ""), severity=params.get("severity", ""),
            status=status_value if status_value in ProblemStatus.values else "")
        return selectors.problems_for(self.request.user, filters, action=self._action())

    def create(self, request, *args, **kwargs):
        data = _form_data(request)
        value = str(data.get("inspection") or "")
        inspection = Inspection.objects.for_user(request.user, "view").filter(
            pk=int(value) if value.isdigit() else 0).first()
        if inspection is None:
            raise exceptions.ValidationError({"inspection": ["巡察任务不存在或不在您的授权范围内。"]})
        form = forms.ProblemForm(data, inspection=inspection, user=request.user)
        problem = services.problem_create(actor=request.user, inspection=inspection, data=_validated(form))
        return Response(ProblemSerializer(problem).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        problem = self.get_object()
        data = _form_data(request)
        if request.method == "PATCH":
            initial = forms.ProblemForm(instance=problem, inspection=problem.inspection, user=request.user).initial
            base = {k: ([x.pk for x in v] if isinstance(v, list) else getattr(v, "pk", v)) for k, v in initial.items()}
            data = {**base, **data}
        form = forms.ProblemForm(data, instance=self.get_object(), inspection=problem.inspection, user=request.user)
        problem = services.problem_update(actor=request.user, problem=problem, data=_validated(form))
        return Response(ProblemSerializer(problem).data)

    def perform_destroy(self, instance):
        services.problem_delete(actor=self.request.user, problem=instance)

    @action(detail=True, methods=["post"], serializer_class=ProblemTransitionInSerializer)
    def transition(self, request, pk=None):
        """审核流转。无该操作权限返回 403；条件不满足返回 400 及中文原因；成功写入流转记录。"""
        problem = self.get_object()
        body = ProblemTransitionInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.problem_transition(actor=request.user, problem=problem, step=data["step"],
                                    opinion=data.get("opinion") or "", meeting=data.get("meeting") or "",
                                    meeting_date=data.get("meeting_date"))
        return Response(ProblemSerializer(selectors.get_problem(request.user, problem.pk)).data)

    @action(detail=True, methods=["get"])
    def transitions(self, request, pk=None):
        """当前用户可执行的操作（含不能执行的原因）及流转记录。"""
        problem = self.get_object()
        return Response({
            "available": [{"step": o.step.method, "label": o.step.label, "allowed": o.allowed, "reasons": o.reasons}
                          for o in selectors.problem_steps(request.user, problem)],
            "log": [{"from_status": r.from_status, "to_status": r.to_status, "opinion": r.opinion,
                     "username": r.username, "created_at": r.created_at}
                    for r in selectors.problem_log(request.user, problem)],
        })


# --- Clues (secret) -----------------------------------------------------------------------------------


class ClueViewSet(viewsets.ReadOnlyModelViewSet):
    """问题线索（只读，机密）。组长和巡察办可查看授权范围内的线索；组员只能查看本人登记的线索。
    查询参数：inspection、status。"""

    serializer_class = ClueSerializer
    permission_classes = [AnyPermission]
    any_permissions = ("findings:clue:view", "findings:clue:add")
    log_params = False

    def get_queryset(self):
        params = self.request.query_params
        qs = selectors.clues_for(self.request.user, status=params.get("status", ""))
        inspection = params.get("inspection", "")
        return qs.filter(inspection_id=int(inspection)) if inspection.isdigit() else qs


class ClueTransferViewSet(viewsets.ReadOnlyModelViewSet):
    """线索移交（只读）：函号、接收机关、移交日期、处置反馈期限、未反馈数及是否逾期。"""

    serializer_class = TransferSerializer
    required_permission = "findings:clue:view"
    log_params = False

    def get_queryset(self):
        return selectors.transfers_for(self.request.user)


def register_routes(router) -> None:
    """Add this app's viewsets to the /api/ router."""
    router.register("problems", ProblemViewSet, basename="problem")
    router.register("clues", ClueViewSet, basename="clue")
    router.register("clue-transfers", ClueTransferViewSet, basename="cluetransfer")

