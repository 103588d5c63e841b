"""REST API of planning; `register_routes(router)` is called by xuncha/api_urls.py.

The same scopes as the pages (`for_user`, 404 outside the scope, 403 without the permission), the
same forms for validation and the same services for writes. A county reads the city's plans and
rounds but cannot change them; a group grant reads only its own inspections.
"""

from __future__ import annotations

from django.http import QueryDict
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xuncha.core.api import ScopedModelViewSet
from xuncha.core.api_permissions import METHOD_ACTIONS
from xuncha.core.scoping import in_scope, permission_for
from xuncha.core.services import ScopeViolation

from . import forms, selectors, services
from .models import (
    AnnualPlan,
    FiveYearPlan,
    Inspection,
    InspectionTarget,
    JointRound,
    PlanTarget,
    Round,
    UnitRiskInput,
)
from .resources import annualplan_resource, plan_resource, riskinput_resource

# --- Serializers (read-only: writes go through the forms and services) -------------------------------


class PlanSerializer(serializers.ModelSerializer):
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    end_year = serializers.IntegerField(read_only=True)

    class Meta:
        model = FiveYearPlan
        fields = ["id", "authority", "authority_name", "title", "term", "start_year", "years", "end_year",
                  "stale_years", "remarks", "updated_at"]
        read_only_fields = fields


class PlanTargetSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = PlanTarget
        fields = ["id", "plan", "unit", "unit_name", "planned_year", "planned_round", "is_fixed", "is_elevated",
                  "last_inspected_year", "remarks"]
        read_only_fields = fields


class AnnualPlanSerializer(serializers.ModelSerializer):
    authority_name = serializers.CharField(source="authority.name", read_only=True)

    class Meta:
        model = AnnualPlan
        fields = ["id", "authority", "authority_name", "year", "five_year_plan", "title", "summary", "updated_at"]
        read_only_fields = fields


class RiskInputSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = UnitRiskInput
        fields = ["id", "unit", "unit_name", "region", "year", "petition_count", "problem_count", "source", "remarks",
                  "updated_at"]
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Round
        fields = ["id", "annual_plan", "authority", "authority_name", "year", "number", "name", "kind", "kind_label",
                  "title", "start_date", "end_date", "training_date", "status", "status_label", "joint_round",
                  "focus", "remarks", "updated_at"]
        read_only_fields = fields


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="unit_id")
    name = serializers.CharField(source="unit.name")


class InspectionSerializer(serializers.ModelSerializer):
    group_name = serializers.CharField(source="group.name", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    targets = TargetSerializer(source="target_links", many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "round", "group", "group_name", "authority", "targets", "stage", "stage_label",
                  "stage_changed_at", "prepare_date", "stationed_date", "understand_date", "report_date",
                  "feedback_date", "transfer_date", "rectify_date", "archived_date", "remarks", "updated_at"]
        read_only_fields = fields


class JointRoundSerializer(serializers.ModelSerializer):
    authority_name = serializers.CharField(source="authority.name", read_only=True)

    class Meta:
        model = JointRound
        fields = ["id", "authority", "authority_name", "year", "title", "system", "plan_text", "training_date",
                  "mobilisation_date", "review_opinion", "reviewed_at"]
        read_only_fields = fields


class TransitionInSerializer(serializers.Serializer):
    to_stage = serializers.CharField(help_text="目标阶段：prepare、stationed、understand、report、feedback、transfer、"
                                               "rectify、archived")
    opinion = serializers.CharField(required=False, allow_blank=True, default="")


# --- Resource viewsets ---------------------------------------------------------------------------------


class FiveYearPlanViewSet(ScopedModelViewSet):
    """五年巡察规划。县委巡察机构可读取市委规划，但不能修改。写入字段与页面表单一致。"""

    resource = plan_resource
    serializer_class = PlanSerializer
    ordering_fields = ["start_year", "title"]

    @action(detail=True, methods=["get"])
    def coverage(self, request, pk=None):
        """覆盖情况：总数、已覆盖、逾期、分年度统计（与覆盖情况页面同一口径）。"""
        plan = self.get_object()
        report = selectors.coverage_report(plan)
        return Response({
            "total": report.total, "covered": report.covered, "rate": report.rate,
            "covered_by_upper": report.covered_by_upper, "scheduled": report.scheduled, "late": report.late,
            "unplanned": report.unplanned, "stale": len(report.stale), "elevated": len(report.elevated),
            "per_year": [{"year": y.year, "planned": y.planned, "covered": y.covered, "covered_by_upper":
                          y.covered_by_upper, "late": y.late, "cumulative_rate": y.cumulative_rate}
                         for y in report.per_year],
        })


class AnnualPlanViewSet(ScopedModelViewSet):
    """年度巡察计划。"""

    resource = annualplan_resource
    serializer_class = AnnualPlanSerializer
    ordering_fields = ["year"]


class UnitRiskInputViewSet(ScopedModelViewSet):
    """单位风险信息（信访举报量、上次巡察发现问题），用于专项巡察重点对象排序。"""

    resource = riskinput_resource
    serializer_class = RiskInputSerializer
    ordering_fields = ["year", "petition_count", "problem_count"]


# --- Workflow viewsets ------------------------------------------------------------------------------------


def _form_data(request) -> dict:
    """The body as a dict for a form: JSON as it is; a form-encoded body with its lists kept."""
    data = request.data
    if isinstance(data, QueryDict):
        return {key: values if len(values) > 1 or key == "targets" else values[0] for key, values in data.lists()}
    return dict(data)


def _validated(form) -> dict:
    if not form.is_valid():
        raise exceptions.ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    return form.cleaned_data


class WorkflowViewSet(viewsets.ModelViewSet):
    """Scoped like a Resource's viewset; custom actions read with "view" and let the service check
    the action's own permission."""

    model = None
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    read_actions: set[str] = set()

    def _action(self) -> str:
        if self.action in self.read_actions:
            return "view"
        return METHOD_ACTIONS.get(self.request.method, "view")

    @property
    def required_permission(self) -> str:
        return permission_for(self.model, self._action())

    def handle_exception(self, exc):
        # A service's re-check found the row outside the actor's reach: the same 404 as a missing row.
        if isinstance(exc, ScopeViolation):
            exc = exceptions.NotFound("记录不存在或不在您的授权范围内。")
        return super().handle_exception(exc)

    def base_queryset(self, action: str):
        return self.model.objects.for_user(self.request.user, action)

    def get_queryset(self):
        return self.base_queryset(self._action())


class RoundViewSet(WorkflowViewSet):
    """巡察轮次。新增时填写 annual_plan（年度计划编号）；POST /rounds/{id}/start/ 启动本轮（须已设置巡察组和巡察对象）。"""

    model = Round
    serializer_class = RoundSerializer
    read_actions = {"start"}
    ordering_fields = ["year", "number"]

    def base_queryset(self, action):
        return super().base_queryset(action).select_related("authority").order_by("-year", "authority__path", "number",
                                                                                   "id")

    def create(self, request, *args, **kwargs):
        data = _form_data(request)
        value = str(data.get("annual_plan") or "")
        plan = AnnualPlan.objects.for_user(request.user, "change").filter(
            pk=int(value) if value.isdigit() else 0).first()
        if plan is None or not in_scope(request.user, "planning:round:add", region=plan.authority):
            raise exceptions.ValidationError({"annual_plan": ["年度计划不存在或不在您的授权范围内。"]})
        rnd = services.round_create(actor=request.user, annual_plan=plan, data=_validated(forms.RoundForm(data)))
        return Response(RoundSerializer(rnd).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        rnd = self.get_object()
        data = _form_data(request)
        if request.method == "PATCH":
            initial = forms.RoundForm(instance=rnd).initial
            data = {**initial, **data}
        rnd = services.round_update(actor=request.user, instance=rnd,
                                    data=_validated(forms.RoundForm(data, instance=self.get_object())))
        return Response(RoundSerializer(rnd).data)

    def perform_destroy(self, instance):
        services.round_delete(actor=self.request.user, instance=instance)

    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """启动本轮（筹备中 → 进行中）。条件不满足时返回 400 及中文原因。"""
        rnd = services.round_start(actor=request.user, round=self.get_object())
        return Response(RoundSerializer(rnd).data)


class InspectionViewSet(WorkflowViewSet):
    """巡察任务（一个巡察组及其一个或多个巡察对象）。POST /inspections/{id}/transition/ 进行阶段流转。"""

    model = Inspection
    serializer_class = InspectionSerializer
    read_actions = {"transition", "transitions"}

    def base_queryset(self, action):
        from django.db.models import Prefetch

        return super().base_queryset(action).select_related("group").prefetch_related(
            Prefetch("target_links", queryset=InspectionTarget.objects.for_user(self.request.user, "view").select_related(
                "unit"))).order_by(
            "-round__year", "authority__path", "round__number", "group__number", "id")

    def create(self, request, *args, **kwargs):
        data = _form_data(request)
        value = str(data.get("round") or "")
        rnd = Round.objects.for_user(request.user, "change").filter(pk=int(value) if value.isdigit() else 0).first()
        if rnd is None or not in_scope(request.user, "planning:inspection:add", region=rnd.authority):
            raise exceptions.ValidationError({"round": ["轮次不存在或不在您的授权范围内。"]})
        form = forms.InspectionForm(data, round=rnd, user=request.user)
        inspection = services.inspection_create(actor=request.user, round=rnd, data=_validated(form))
        return Response(InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        inspection = self.get_object()
        data = _form_data(request)
        if request.method == "PATCH":
            form = forms.InspectionForm(instance=inspection, round=inspection.round, user=request.user)
            initial = {k: (getattr(v, "pk", v)) for k, v in form.initial.items()}
            data = {**initial, **data}
        form = forms.InspectionForm(data, instance=self.get_object(), round=inspection.round, user=request.user)
        inspection = services.inspection_update(actor=request.user, instance=inspection, data=_validated(form))
        return Response(InspectionSerializer(self.get_queryset().get(pk=inspection.pk)).data)

    def perform_destroy(self, instance):
        services.inspection_delete(actor=self.request.user, instance=instance)

    @action(detail=True, methods=["post"], serializer_class=TransitionInSerializer)
    def transition(self, request, pk=None):
        """阶段流转。无该步骤权限返回 403；条件不满足返回 400 及中文原因；成功写入流转记录。"""
        inspection = self.get_object()
        body = TransitionInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.inspection_advance(actor=request.user, inspection=inspection, to_stage=body.validated_data["to_stage"],
                                    opinion=body.validated_data.get("opinion", ""))
        return Response(InspectionSerializer(self.get_queryset().get(pk=inspection.pk)).data)

    @action(detail=True, methods=["get"])
    def transitions(self, request, pk=None):
        """当前用户可执行的阶段流转（含不能执行的原因）及流转记录。"""
        inspection = self.get_object()
        return Response({
            "available": [{"to_stage": o.step.target, "label": o.step.label, "allowed": o.allowed,
                           "reasons": o.reasons} for o in selectors.inspection_steps(request.user, inspection)],
            "log": [{"from_stage": r.from_stage, "to_stage": r.to_stage, "opinion": r.opinion, "username": r.username,
                     "created_at": r.created_at} for r in selectors.transition_log(request.user, inspection)],
        })


class PlanTargetViewSet(viewsets.ReadOnlyModelViewSet):
    """规划巡察对象（只读；?plan= 规划编号）。"""

    serializer_class = PlanTargetSerializer
    required_permission = "planning:plan:view"

    def get_queryset(self):
        qs = PlanTarget.objects.for_user(self.request.user, "view").select_related("unit").order_by("plan_id", "id")
        plan = self.request.query_params.get("plan", "")
        return qs.filter(plan_id=int(plan)) if plan.isdigit() else qs


class JointRoundViewSet(viewsets.ReadOnlyModelViewSet):
    """上下联动巡察（只读）。"""

    serializer_class = JointRoundSerializer
    required_permission = "planning:jointround:view"

    def get_queryset(self):
        return JointRound.objects.for_user(self.request.user, "view").select_related("authority").order_by("-year", "-id")


def register_routes(router) -> None:
    router.register("plans", FiveYearPlanViewSet, basename="plan")
    router.register("plan-targets", PlanTargetViewSet, basename="plantarget")
    router.register("annual-plans", AnnualPlanViewSet, basename="annualplan")
    router.register("rounds", RoundViewSet, basename="round")
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("joint-rounds", JointRoundViewSet, basename="jointround")
    router.register("risk-inputs", UnitRiskInputViewSet, basename="riskinput")
