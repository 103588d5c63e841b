"""REST routes of fieldwork (registered on the platform router in xuncha/api_urls.py).

The same scopes, forms and services as the pages. No serializer of a petition has a reporter
field; the identity has its own route (`/api/petitions/<id>/reporter/`) for holders of
`fieldwork:reporter:view`. `/api/petitions/intake/` is public (no session, no token): a mailbox or
QR-code front end posts a petition with the inspection's intake code; it is rate-limited per IP,
validated strictly, answers only a receipt number, and is logged without its parameters.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from xuncha.core.api import ScopedModelViewSet
from xuncha.core.context import client_ip
from xuncha.core.scoping import has_perm

from . import services
from .models import DocumentRequest, HearingReport, MeetingAttendance, Petition, PetitionReporter, Talk, Visit
from .permissions import REPORTER_VIEW
from .resources import (
    documentrequest_resource,
    hearingreport_resource,
    meetingattendance_resource,
    petition_resource,
    talk_resource,
    visit_resource,
)

DEFAULT_INTAKE_RATE = "10/hour"


class IntakeThrottle(SimpleRateThrottle):
    """Per client IP (REMOTE_ADDR or the trusted X-Real-IP, never X-Forwarded-For), shared by the
    API route and the public page. The rate is `FIELDWORK_INTAKE_RATE` (default 10 per hour)."""

    scope = "fieldwork_intake"

    def get_rate(self):
        return getattr(settings, "FIELDWORK_INTAKE_RATE", DEFAULT_INTAKE_RATE)

    def allow_request(self, request, view):
        if request.method != "POST":  # a GET is refused anyway (405) and must not use up the allowance
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}

    def allow_django_request(self, request) -> bool:
        return self.allow_request(request, None)


# --- Serializers (read-only: writes go through the forms and services) -------------------------------


class RecordSerializer(serializers.ModelSerializer):
    inspection_name = serializers.SerializerMethodField()
    attachment_names = serializers.SerializerMethodField()

    def get_inspection_name(self, obj) -> str:
        return f"{obj.inspection.round}·{obj.inspection.group}"

    def get_attachment_names(self, obj) -> list[str]:
        return [f.original_name for f in obj.attachments.all()]


_COMMON = ["id", "inspection", "inspection_name", "authority", "attachment_names", "updated_at"]


class HearingReportSerializer(RecordSerializer):
    class Meta:
        model = HearingReport
        fields = [*_COMMON, "report_date", "unit", "reporter", "topic", "summary"]
        read_only_fields = fields


class TalkSerializer(RecordSerializer):
    interviewee = serializers.CharField(source="person_name", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Talk
        fields = [*_COMMON, "unit", "cadre", "interviewee", "interviewee_post", "category", "category_label",
                  "status", "status_label", "planned_date", "talked_at", "place", "talkers", "recorder", "content"]
        read_only_fields = fields


class PetitionSerializer(RecordSerializer):
    """Never a field of the reporter, nor whether there is one."""

    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Petition
        fields = [*_COMMON, "receipt_no", "channel", "channel_label", "received_date", "subject_unit",
                  "subject_persons", "category", "category_label", "content", "status", "status_label",
                  "handling_opinion", "handled_at"]
        read_only_fields = fields


class ReporterSerializer(serializers.ModelSerializer):
    class Meta:
        model = PetitionReporter
        fields = ["petition", "anonymous", "name", "phone", "id_card", "address", "identity", "relationship",
                  "wants_feedback", "notes", "updated_at"]
        read_only_fields = fields


class DocumentRequestSerializer(RecordSerializer):
    items = serializers.SerializerMethodField()

    class Meta:
        model = DocumentRequest
        fields = [*_COMMON, "title", "unit", "requested_date", "due_date", "received_date", "status", "reviewer",
                  "reviewer_notes", "items"]
        read_only_fields = fields

    def get_items(self, obj) -> list[dict]:
        return [{"id": i.pk, "name": i.name, "received": i.received} for i in obj.items.all()]


class MeetingAttendanceSerializer(RecordSerializer):
    class Meta:
        model = MeetingAttendance
        fields = [*_COMMON, "meeting_date", "unit", "kind", "title", "attendees", "summary", "observations"]
        read_only_fields = fields


class VisitSerializer(RecordSerializer):
    class Meta:
        model = Visit
        fields = [*_COMMON, "level", "visit_date", "unit", "place", "people_met", "findings"]
        read_only_fields = fields


class IntakeInSerializer(serializers.Serializer):
    """What the public may post. Unknown fields are refused, so a typo does not silently drop data."""

    code = serializers.CharField(max_length=64, error_messages={"required": "缺少受理码。", "blank": "缺少受理码。"})
    channel = serializers.ChoiceField(choices=["qrcode", "mailbox", "online"], required=False,
                                      error_messages={"invalid_choice": "来源渠道只能是二维码、信箱或网络。"})
    category = serializers.CharField(required=False, allow_blank=True, max_length=16)
    subject_unit = serializers.CharField(required=False, allow_blank=True, max_length=12)
    subject_persons = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                            error_messages={"max_length": "被反映人最多 200 个字。"})
    content = serializers.CharField(max_length=5000, error_messages={
        "required": "请填写反映内容。", "blank": "请填写反映内容。", "max_length": "反映内容最多 5000 个字，请精简后提交。"})
    anonymous = serializers.BooleanField(required=False, default=False,
                                         error_messages={"invalid": "「匿名」只能填写 true 或 false。"})
    name = serializers.CharField(required=False, allow_blank=True, max_length=50,
                                 error_messages={"max_length": "姓名最多 50 个字。"})
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20,
                                  error_messages={"max_length": "联系电话格式不正确。"})
    id_card = serializers.CharField(required=False, allow_blank=True, max_length=18,
                                    error_messages={"max_length": "身份证号应为 18 位。"})
    address = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                    error_messages={"max_length": "联系地址最多 200 个字。"})
    identity = serializers.CharField(required=False, allow_blank=True, max_length=100)
    relationship = serializers.CharField(required=False, allow_blank=True, max_length=100)
    wants_feedback = serializers.BooleanField(required=False, default=False,
                                              error_messages={"invalid": "「要求反馈」只能填写 true 或 false。"})

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError({"non_field_errors": [f"无法识别的字段：{'、'.join(sorted(unknown))}。"]})
        return attrs


# --- Viewsets ----------------------------------------------------------------------------------------


class HearingReportViewSet(ScopedModelViewSet):
    """听取汇报."""

    resource = hearingreport_resource
    serializer_class = HearingReportSerializer


class TalkViewSet(ScopedModelViewSet):
    """个别谈话 (its parameters are not logged)."""

    resource = talk_resource
    serializer_class = TalkSerializer
    log_params = False


class PetitionViewSet(ScopedModelViewSet):
    """信访举报 without the reporter; the reporter for holders of the reporter permission; public intake."""

    resource = petition_resource
    serializer_class = PetitionSerializer
    log_params = False
    search_fields: tuple = ()  # never a reporter field

    @action(detail=True, methods=["get"], url_path="reporter")
    def reporter(self, request, pk=None):
        if not has_perm(request.user, REPORTER_VIEW):
            raise exceptions.PermissionDenied("您没有查看举报人信息的权限。")
        petition = Petition.objects.for_user_perm(request.user, REPORTER_VIEW).filter(pk=pk).first()
        if petition is None:
            raise exceptions.NotFound("记录不存在或不在您的授权范围内。")
        reporter = PetitionReporter.objects.for_user_perm(request.user, REPORTER_VIEW).filter(
            petition=petition).first()
        if reporter is None:
            return Response({"petition": petition.pk, "detail": "未登记举报人信息。"})
        return Response(ReporterSerializer(reporter).data)

    @action(detail=False, methods=["post"], url_path="intake", permission_classes=[AllowAny],
            authentication_classes=[], throttle_classes=[IntakeThrottle])
    def intake(self, request):
        """Public petition intake. Answers `{"receipt_no", "message"}` and nothing else."""
        payload = IntakeInSerializer(data=request.data)
        if not payload.is_valid():
            raise exceptions.ValidationError(_chinese_errors(payload.errors))
        data = payload.validated_data
        channel = services.intake_channel_open(data["code"])
        if channel is None:
            raise exceptions.PermissionDenied(services.INTAKE_CLOSED)
        try:
            petition = services.petition_intake(channel=channel, data={**data, "channel": data.get("channel")
                                                                      or "online"})
        except DjangoValidationError as error:
            raise exceptions.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}) from None
        return Response({"receipt_no": petition.receipt_no,
                         "message": f"您反映的问题已收到，受理编号为 {petition.receipt_no}，请妥善保存。感谢您对巡察工作的支持！"},
                        status=status.HTTP_201_CREATED)


def _chinese_errors(errors) -> dict:
    """DRF's own English defaults (wrong type, …) replaced by a Chinese line per field."""
    out = {}
    for field, messages in errors.items():
        out[field] = [m if any("\u4e00" <= ch <= "\u9fff" for ch in str(m)) else "填写的内容格式不正确。"
                      for m in messages]
    return out


class DocumentRequestViewSet(ScopedModelViewSet):
    """调阅清单 with its items."""

    resource = documentrequest_resource
    serializer_class = DocumentRequestSerializer


class MeetingAttendanceViewSet(ScopedModelViewSet):
    """列席会议."""

    resource = meetingattendance_resource
    serializer_class = MeetingAttendanceSerializer


class VisitViewSet(ScopedModelViewSet):
    """走访、下沉."""

    resource = visit_resource
    serializer_class = VisitSerializer


def register_routes(router) -> None:
    """Add this app's viewsets to the /api/ router."""
    router.register("hearing-reports", HearingReportViewSet, basename="hearingreport")
    router.register("talks", TalkViewSet, basename="talk")
    router.register("petitions", PetitionViewSet, basename="petition")
    router.register("document-requests", DocumentRequestViewSet, basename="documentrequest")
    router.register("meeting-attendances", MeetingAttendanceViewSet, basename="meetingattendance")
    router.register("visits", VisitViewSet, basename="visit")
