"""REST routes of rectification (registered on the platform router in xuncha/api_urls.py).

The same scopes as the pages (`for_user`: 404 outside the scope, 403 without the permission) and
the same services for every write: the gates are POST actions whose refusals come back as 400 with
the Chinese reasons.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xuncha.core.api import ScopedModelViewSet
from xuncha.core.services import ScopeViolation

from . import dashboard as dash
from . import selectors, services
from .models import (
    RectificationPlan,
    RectificationTask,
    Reminder,
    SupervisionGroup,
    SupervisionNotice,
    SupervisionRound,
)
from .resources import supervisiongroup_resource

# --- Serializers (read-only: writes go through the services) ---------------------------------------------


class RectificationPlanSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = RectificationPlan
        fields = ["id", "inspection", "authority", "unit", "unit_name", "status", "status_label", "summary",
                  "feedback_on", "report_due", "submitted_at", "decided_at", "return_reason", "report_submitted_at",
                  "published_at", "updated_at"]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    problem_title = serializers.CharField(source="problem.title", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    urgency = serializers.CharField(read_only=True)

    class Meta:
        model = RectificationTask
        fields = ["id", "plan", "problem", "problem_title", "unit", "unit_name", "kind", "kind_label", "content",
                  "responsible", "deadline", "status", "status_label", "urgency", "started_at", "closed_at",
                  "accountable_persons", "accountability_method", "accountability_detail", "rule_name", "withheld",
                  "withhold_reason", "reopen_count", "updated_at"]
        read_only_fields = fields


class SupervisionGroupSerializer(serializers.ModelSerializer):
    authority_name = serializers.CharField(source="authority.name", read_only=True)

    class Meta:
        model = SupervisionGroup
        fields = ["id", "authority", "authority_name", "name", "leader_name", "regions", "members", "is_active",
                  "updated_at"]
        read_only_fields = fields


class SupervisionRoundSerializer(serializers.ModelSerializer):
    group_name = serializers.CharField(source="group.name", read_only=True)

    class Meta:
        model = SupervisionRound
        fields = ["id", "group", "group_name", "authority", "year", "month", "figures", "created_at"]
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = SupervisionNotice
        fields = ["id", "round", "authority", "title", "number", "status", "status_label", "review_opinion",
                  "reviewed_at", "published_at"]
        read_only_fields = fields


class RectificationReminderSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Reminder
        fields = ["id", "kind", "kind_label", "unit", "plan", "task", "due_date", "message", "created_at",
                  "handled_at"]
        read_only_fields = fields


class OpinionSerializer(serializers.Serializer):
    opinion = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="退回理由（必填，否则返回 400）。")


# --- Viewsets ------------------------------------------------------------------------------------------------


class _ReadOnly(viewsets.ReadOnlyModelViewSet):
    """Read-only, scoped; POST actions read with "view" and let the service check its own permission."""

    model = None
    required_permission = ""

    def handle_exception(self, exc):
        if isinstance(exc, ScopeViolation):
            exc = exceptions.NotFound("记录不存在或不在您的授权范围内。")
        return super().handle_exception(exc)


def _opinion(request) -> str:
    body = OpinionSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data.get("opinion", "")


def _reason(request) -> str:
    body = ReasonSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data.get("reason", "")


class PlanViewSet(_ReadOnly):
    """整改方案（只读；?status=）。POST submit/approve/return/publish 办理第一道关口及公开。"""

    serializer_class = RectificationPlanSerializer
    required_permission = "rectification:plan:view"

    def get_queryset(self):
        status = self.request.query_params.get("status", "")
        return selectors.plans_for_user(self.request.user, status=status)

    @action(detail=True, methods=["post"], serializer_class=OpinionSerializer)
    def submit(self, request, pk=None):
        """被巡察单位提交整改方案（每个问题至少一项措施）。"""
        plan = services.plan_submit(actor=request.user, plan=self.get_object(), opinion=_opinion(request))
        return Response(RectificationPlanSerializer(plan).data)

    @action(detail=True, methods=["post"], serializer_class=OpinionSerializer)
    def approve(self, request, pk=None):
        """巡察办批准整改方案，各项任务启动。"""
        plan = services.plan_approve(actor=request.user, plan=self.get_object(), opinion=_opinion(request))
        return Response(RectificationPlanSerializer(plan).data)

    @action(detail=True, methods=["post"], url_path="return", serializer_class=ReasonSerializer)
    def send_back(self, request, pk=None):
        """巡察办退回整改方案（须写明理由）。"""
        plan = services.plan_return(actor=request.user, plan=self.get_object(), reason=_reason(request))
        return Response(RectificationPlanSerializer(plan).data)

    @action(detail=True, methods=["post"], serializer_class=OpinionSerializer)
    def publish(self, request, pk=None):
        """在公开页发布整改进展（不予公开的任务除外）。"""
        plan = services.plan_publish(actor=request.user, plan=self.get_object())
        return Response(RectificationPlanSerializer(plan).data)


class TaskViewSet(_ReadOnly):
    """整改任务（只读；?status= ?kind= ?urgency=）。POST apply/accept/return 办理验收关口。"""

    serializer_class = TaskSerializer
    required_permission = "rectification:task:view"

    def get_queryset(self):
        p = self.request.query_params
        return selectors.tasks_for_user(self.request.user, status=p.get("status", ""), kind=p.get("kind", ""),
                                        urgency=p.get("urgency", ""))

    def _fresh(self, task):
        return TaskSerializer(self.get_queryset().get(pk=task.pk)).data

    @action(detail=True, methods=["post"], serializer_class=OpinionSerializer)
    def apply(self, request, pk=None):
        """被巡察单位申请验收（须有佐证材料）。"""
        return Response(self._fresh(services.task_apply(actor=request.user, task=self.get_object(),
                                                        opinion=_opinion(request))))

    @action(detail=True, methods=["post"], serializer_class=OpinionSerializer)
    def accept(self, request, pk=None):
        """督导组验收通过（没有佐证材料不能通过）。"""
        return Response(self._fresh(services.task_accept(actor=request.user, task=self.get_object(),
                                                         opinion=_opinion(request))))

    @action(detail=True, methods=["post"], url_path="return", serializer_class=ReasonSerializer)
    def send_back(self, request, pk=None):
        """督导组退回继续整改（须写明理由）。"""
        return Response(self._fresh(services.task_send_back(actor=request.user, task=self.get_object(),
                                                            reason=_reason(request))))


class SupervisionGroupViewSet(ScopedModelViewSet):
    """督导组。"""

    resource = supervisiongroup_resource
    serializer_class = SupervisionGroupSerializer


class SupervisionRoundViewSet(_ReadOnly):
    """月度督导（只读，含当月数据）。"""

    serializer_class = SupervisionRoundSerializer
    required_permission = "rectification:supervision:view"

    def get_queryset(self):
        return selectors.rounds_for_user(self.request.user)


class NoticeViewSet(_ReadOnly):
    """整改督查通报（只读）。"""

    serializer_class = NoticeSerializer
    required_permission = "rectification:notice:view"

    def get_queryset(self):
        return SupervisionNotice.objects.for_user(self.request.user, "view").order_by("-round__year", "-round__month",
                                                                                      "id")


class ReminderViewSet(_ReadOnly):
    """整改提醒（只读，未处理的在前）。"""

    serializer_class = RectificationReminderSerializer
    required_permission = "rectification:reminder:view"

    def get_queryset(self):
        return selectors.reminders_for_user(self.request.user, open_only=False)


class DashboardViewSet(viewsets.ViewSet):
    """成果运用统计（?year= ?authority=），范围与页面相同。"""

    # The figures are a nested document (charts and tables), described as a free-form object.
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, parameters=[
        OpenApiParameter("year", OpenApiTypes.INT, description="年度（不填为全部年度）"),
        OpenApiParameter("authority", OpenApiTypes.INT, description="巡察主体区域编号（不填为授权范围内全部）")])
    def list(self, request):
        return self._list(request)

    required_permission = dash.DASHBOARD

    def _list(self, request):
        year = request.query_params.get("year", "")
        authority = request.query_params.get("authority", "")
        from xuncha.org.models import Region

        authority_id = None
        if authority.isdigit():
            region = Region.objects.for_user_perm(request.user, dash.DASHBOARD).filter(pk=int(authority)).first()
            if region is None:
                raise exceptions.NotFound("该区域不在您的授权范围内。")
            authority_id = region.pk
        return Response(dash.dashboard(request.user, dash.Filters(year=int(year) if year.isdigit() else None,
                                                                  authority_id=authority_id)))


def register_routes(router) -> None:
    """Add this app's viewsets to the /api/ router."""
    router.register("rectification/plans", PlanViewSet, basename="rectplan")
    router.register("rectification/tasks", TaskViewSet, basename="recttask")
    router.register("rectification/supervision-groups", SupervisionGroupViewSet, basename="supervisiongroup")
    router.register("rectification/supervision-rounds", SupervisionRoundViewSet, basename="supervisionround")
    router.register("rectification/notices", NoticeViewSet, basename="rectnotice")
    router.register("rectification/reminders", ReminderViewSet, basename="rectreminder")
    router.register("rectification/dashboard", DashboardViewSet, basename="rectdashboard")
