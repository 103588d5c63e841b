"""REST routes of indicators (registered on the platform router in xuncha/api_urls.py).

The library is read-only here (sets with their tree, indicators); the decision checklist is a
Resource (CRUD for the office). The group reads and writes its own inspections' results and decision
checks through the same services as the pages; out of scope → 404, no permission → 403.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from xuncha.core.api import ScopedModelViewSet
from xuncha.core.api_permissions import METHOD_ACTIONS, ScopedPermission
from xuncha.org.models import Unit
from xuncha.planning.models import Inspection

from . import selectors, services
from .models import DecisionCheck, DecisionItem, Indicator, IndicatorResult, IndicatorSet
from .resources import decisionitem_resource


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "indicator_set", "parent", "root", "level", "code", "title", "guidance", "evidence", "order"]
        read_only_fields = fields


class IndicatorSetSerializer(serializers.ModelSerializer):
    authority_name = serializers.CharField(source="authority_label", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = IndicatorSet
        fields = ["id", "authority", "authority_name", "name", "version", "status", "status_label", "description",
                  "based_on", "published_at", "updated_at"]
        read_only_fields = fields


class IndicatorSetDetailSerializer(IndicatorSetSerializer):
    indicators = serializers.SerializerMethodField()
    templates = serializers.SerializerMethodField()

    class Meta(IndicatorSetSerializer.Meta):
        fields = [*IndicatorSetSerializer.Meta.fields, "indicators", "templates"]
        read_only_fields = fields

    @extend_schema_field(IndicatorSerializer(many=True))
    def get_indicators(self, obj):
        return IndicatorSerializer(obj.indicators.order_by("order", "id"), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_templates(self, obj):
        return [{"id": t.pk, "kind": t.kind, "kind_label": t.get_kind_display(), "name": t.name,
                 "items": sorted(i.pk for i in t.items.all())} for t in obj.templates.prefetch_related("items")]


class DecisionItemSerializer(serializers.ModelSerializer):
    issuer_label = serializers.CharField(source="get_issuer_display", read_only=True)

    class Meta:
        model = DecisionItem
        fields = ["id", "authority", "issuer", "issuer_label", "title", "doc_number", "issued_on", "requirement",
                  "kinds", "is_active", "order", "updated_at"]
        read_only_fields = fields


class IndicatorResultSerializer(serializers.ModelSerializer):
    result_label = serializers.CharField(source="get_result_display", read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    evidence_files = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = IndicatorResult
        fields = ["id", "inspection", "unit", "indicator", "indicator_code", "result", "result_label", "notes",
                  "evidence_files", "updated_at"]
        read_only_fields = fields


class DecisionCheckSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    evidence_files = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = DecisionCheck
        fields = ["id", "inspection", "unit", "decision", "status", "status_label", "notes", "evidence_files",
                  "updated_at"]
        read_only_fields = fields


class RecordInSerializer(serializers.Serializer):
    inspection = serializers.IntegerField(help_text="巡察任务编号")
    unit = serializers.IntegerField(help_text="被巡察单位编号（须为该巡察任务的巡察对象）")
    notes = serializers.CharField(required=False, allow_blank=True, help_text="情况说明")


class ResultInSerializer(RecordInSerializer):
    indicator = serializers.IntegerField(help_text="三级指标（检查事项）编号")
    result = serializers.CharField(help_text="compliant（符合）、problem（存在问题）、not_applicable（不适用）")


class DecisionCheckInSerializer(RecordInSerializer):
    decision = serializers.IntegerField(help_text="重大决策部署编号")
    status = serializers.CharField(help_text="done（已落实）、partial（部分落实）、not_done（未落实）、not_applicable（不适用）")


# --- Viewsets -----------------------------------------------------------------------------------------


class IndicatorSetViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ScopedPermission]
    required_permission = "indicators:indicatorset:view"

    def get_queryset(self):
        return IndicatorSet.objects.for_user(self.request.user, "view").select_related("authority").order_by("pk")

    def get_serializer_class(self):
        return IndicatorSetDetailSerializer if self.action == "retrieve" else IndicatorSetSerializer


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """Indicators of the sets the user reads; `?indicator_set=<id>` and `?level=3` narrow the list."""

    permission_classes = [ScopedPermission]
    required_permission = "indicators:indicatorset:view"
    serializer_class = IndicatorSerializer

    def get_queryset(self):
        qs = Indicator.objects.for_user(self.request.user, "view").order_by("indicator_set_id", "order", "id")
        params = self.request.query_params
        if params.get("indicator_set", "").isdigit():
            qs = qs.filter(indicator_set_id=int(params["indicator_set"]))
        if params.get("level") in ("1", "2", "3"):
            qs = qs.filter(level=int(params["level"]))
        return qs


class DecisionItemViewSet(ScopedModelViewSet):
    resource = decisionitem_resource
    serializer_class = DecisionItemSerializer
    permission_classes = [ScopedPermission]


class _RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """List/retrieve in scope; POST records (or changes) one result through the service; PATCH changes it."""

    permission_classes = [ScopedPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    model = None
    perm_name = ""
    related: tuple[str, ...] = ()

    @property
    def required_permission(self) -> str:
        return f"indicators:{self.perm_name}:{METHOD_ACTIONS.get(self.request.method, 'view')}"

    def get_queryset(self):
        action = METHOD_ACTIONS.get(self.request.method, "view")
        qs = (self.model.objects.for_user(self.request.user, action).select_related(*self.related)
              .prefetch_related("evidence_files").order_by("pk"))
        params = self.request.query_params
        for name in ("inspection", "unit"):
            if params.get(name, "").isdigit():
                qs = qs.filter(**{f"{name}_id": int(params[name])})
        return qs

    def _inspection_and_unit(self, data):
        inspection = Inspection.objects.for_user(self.request.user, "view").filter(pk=data["inspection"]).first()
        if inspection is None:
            raise Http404(selectors.NOT_FOUND)
        unit = Unit.objects.for_user(self.request.user, "view").filter(pk=data["unit"]).first()
        if unit is None:
            raise exceptions.ValidationError({"unit": ["该单位不存在或不在您的授权范围内。"]})
        return inspection, unit

    def create(self, request, *args, **kwargs):
        incoming = self.in_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        inspection, unit = self._inspection_and_unit(data)
        record = self.record(inspection, unit, data)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        record = self.change(instance, request.data)
        return Response(self.get_serializer(record).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class IndicatorResultViewSet(_RecordViewSet):
    model = IndicatorResult
    perm_name = "indicatorresult"
    related = ("indicator",)
    serializer_class = IndicatorResultSerializer
    in_serializer = ResultInSerializer

    def record(self, inspection, unit, data):
        indicator = Indicator.objects.for_user(self.request.user, "view").filter(pk=data["indicator"]).first()
        if indicator is None:
            raise exceptions.ValidationError({"indicator": ["该检查事项不存在或不在您的授权范围内。"]})
        return services.result_record(actor=self.request.user, inspection=inspection, unit=unit,
                                      indicator=indicator, result=data["result"], notes=data.get("notes"))

    def change(self, instance, data):
        return services.result_record(actor=self.request.user, inspection=instance.inspection, unit=instance.unit,
                                      indicator=instance.indicator, result=data.get("result") or instance.result,
                                      notes=data.get("notes"))


class DecisionCheckViewSet(_RecordViewSet):
    model = DecisionCheck
    perm_name = "decisioncheck"
    serializer_class = DecisionCheckSerializer
    in_serializer = DecisionCheckInSerializer

    def record(self, inspection, unit, data):
        decision = DecisionItem.objects.for_user(self.request.user, "view").filter(pk=data["decision"]).first()
        if decision is None:
            raise exceptions.ValidationError({"decision": ["该决策部署不存在或不在您的授权范围内。"]})
        return services.decisioncheck_record(actor=self.request.user, inspection=inspection, unit=unit,
                                             decision=decision, status=data["status"], notes=data.get("notes"))

    def change(self, instance, data):
        return services.decisioncheck_record(actor=self.request.user, inspection=instance.inspection,
                                             unit=instance.unit, decision=instance.decision,
                                             status=data.get("status") or instance.status, notes=data.get("notes"))


def register_routes(router) -> None:
    """Add this app's viewsets to the /api/ router."""
    router.register("indicator-sets", IndicatorSetViewSet, basename="indicatorset")
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("decision-items", DecisionItemViewSet, basename="decisionitem")
    router.register("indicator-results", IndicatorResultViewSet, basename="indicatorresult")
    router.register("decision-checks", DecisionCheckViewSet, basename="decisioncheck")
