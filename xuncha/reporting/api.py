"""REST routes of reporting (registered on the platform router in xuncha/api_urls.py).

Read-only: the writes are workflows with documents (upload, review, issue) that go through the
pages and the services. The same scopes as the pages: 403 without the permission, 404 outside the
scope. A unit's liaison reaches only the issued feedback of its own unit, on both feedback routes.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework import exceptions, serializers, viewsets

from xuncha.core.scoping import permission_for
from xuncha.core.services import ScopeViolation

from .models import ArchiveChecklist, ArchiveItem, Feedback, InspectionReport


class ReportSerializer(serializers.ModelSerializer):
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    round = serializers.IntegerField(source="inspection.round_id", read_only=True)
    group_name = serializers.CharField(source="inspection.group.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    current_version = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = InspectionReport
        fields = ["id", "inspection", "round", "authority_name", "group_name", "title", "status", "status_label",
                  "current_version", "download_url", "submitted_at", "approved_at", "updated_at"]
        read_only_fields = fields

    def get_current_version(self, obj) -> int | None:
        return obj.current.number if obj.current_id else None

    def get_download_url(self, obj) -> str | None:
        return reverse("reporting:reportversion_download", args=[obj.current_id]) if obj.current_id else None


class FeedbackSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = ["id", "inspection", "unit", "unit_name", "title", "status", "status_label", "issue_number",
                  "issued_at", "rectification_due", "download_url", "updated_at"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        return reverse("reporting:feedback_download", args=[obj.pk]) if obj.current_id else None


class LiaisonFeedbackSerializer(FeedbackSerializer):
    """What the unit sees: the issued document and its deadline, nothing of the inspection's work."""

    class Meta(FeedbackSerializer.Meta):
        fields = ["id", "unit", "unit_name", "title", "issue_number", "issued_at", "rectification_due",
                  "download_url"]
        read_only_fields = fields


class ArchiveItemSerializer(serializers.ModelSerializer):
    done_by_name = serializers.CharField(source="done_by.username", read_only=True, default="")

    class Meta:
        model = ArchiveItem
        fields = ["code", "label", "done_at", "done_by_name", "note"]
        read_only_fields = fields


class ArchiveSerializer(serializers.ModelSerializer):
    items = ArchiveItemSerializer(many=True, read_only=True)
    stage = serializers.CharField(source="inspection.stage", read_only=True)

    class Meta:
        model = ArchiveChecklist
        fields = ["id", "inspection", "stage", "archive_number", "remarks", "completed_at", "counts", "items"]
        read_only_fields = fields


class ScopedReadViewSet(viewsets.ReadOnlyModelViewSet):
    model = None

    @property
    def required_permission(self) -> str:
        return permission_for(self.model, "view")

    def handle_exception(self, exc):
        if isinstance(exc, ScopeViolation):
            exc = exceptions.NotFound("记录不存在或不在您的授权范围内。")
        return super().handle_exception(exc)

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user, "view")


class ReportViewSet(ScopedReadViewSet):
    """巡察报告（只读）。文稿的生成、上传、提交与统一把关在页面中进行。"""

    model = InspectionReport
    serializer_class = ReportSerializer

    def get_queryset(self):
        qs = super().get_queryset().select_related("authority", "inspection", "inspection__group", "current")
        status = self.request.query_params.get("status")
        if status:
            qs = qs.filter(status=status)
        return qs.order_by("-id")


class FeedbackViewSet(ScopedReadViewSet):
    """反馈意见（只读）。被巡察单位联络人只能看到已印发的本单位反馈意见。"""

    model = Feedback
    serializer_class = FeedbackSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("inspection_id", "unit__name", "id")


class LiaisonFeedbackViewSet(ScopedReadViewSet):
    """本单位巡察反馈：已印发的反馈意见（联络人只见本单位）。"""

    model = Feedback
    serializer_class = LiaisonFeedbackSerializer

    def get_queryset(self):
        return super().get_queryset().filter(issued_at__isnull=False).select_related("unit").order_by(
            "-issued_at", "id")


class ArchiveViewSet(ScopedReadViewSet):
    """立卷归档清单（只读）：档号、归档事项、归档时的统计。"""

    model = ArchiveChecklist
    serializer_class = ArchiveSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("inspection").prefetch_related(
            "items", "items__done_by").order_by("-id")


def register_routes(router) -> None:
    """Add this app's viewsets to the /api/ router."""
    router.register("reporting/reports", ReportViewSet, basename="inspectionreport")
    router.register("reporting/feedback", FeedbackViewSet, basename="feedback")
    router.register("reporting/my-feedback", LiaisonFeedbackViewSet, basename="liaisonfeedback")
    router.register("reporting/archives", ArchiveViewSet, basename="archivechecklist")
