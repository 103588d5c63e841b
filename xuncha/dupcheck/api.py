"""REST API of the duplicate check; `register_routes(router)` is called by xuncha/api_urls.py.

/api/dupcheck/documents/            list (scoped, filters as the page), upload (multipart), retrieve, delete
/api/dupcheck/documents/{id}/matches/  the document's matches with documents the caller sees
/api/dupcheck/scans/                start a check, list one's own scans, read a scan's findings

Same rules as the pages: the same forms validate input, the same services write, the same selectors
read; no permission -> 403, outside the caller's scope -> 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from xuncha.core.services import require_perm

from . import selectors, services
from .filters import DocumentFilterSet
from .forms import ScanForm, UploadForm
from .models import Document, Scan

VIEW = "dupcheck:document:view"


def _form_errors(form) -> dict:
    return {k: [str(e) for e in v] for k, v in form.errors.items()}


def _service_errors(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {k: [str(m) for e in v for m in e.messages] for k, v in error.error_dict.items()}
    return {"non_field_errors": error.messages}


class DocumentSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    kind_label = serializers.CharField(read_only=True)
    file_sha256 = serializers.CharField(source="file.sha256", read_only=True)
    max_share = serializers.FloatField(read_only=True, default=0.0,
                                       help_text="与调用者授权范围内单篇材料相同的文字占比的最大值")
    flagged = serializers.SerializerMethodField(help_text="疑似雷同（按调用者可见的材料计算）")

    class Meta:
        model = Document
        fields = ["id", "cadre", "cadre_name", "unit", "unit_name", "region", "region_name", "year", "kind",
                  "kind_label", "meeting", "filename", "file_sha256", "char_count", "author", "uploaded_at",
                  "max_share", "flagged"]
        read_only_fields = fields

    def get_flagged(self, obj) -> bool:
        from .detection import CONFIG

        return bool(getattr(obj, "has_near", False) or getattr(obj, "max_share", 0) >= CONFIG.flag_copy_ratio)


class ScoreSerializer(serializers.Serializer):
    copy_ratio = serializers.FloatField(help_text="总文字复制比")
    copy_ratio_excluding_boilerplate = serializers.FloatField(help_text="去除公共表述复制比")
    max_source_ratio = serializers.FloatField(help_text="单篇最大文字复制比")
    max_source_id = serializers.CharField(allow_null=True)
    boilerplate_ratio = serializers.FloatField(help_text="公共表述占比（不计入复制比）")
    flagged_paragraphs = serializers.SerializerMethodField()

    def get_flagged_paragraphs(self, score) -> list[dict]:
        return [{"line": p.index + 1, "copy_ratio": p.copy_ratio, "orig_start": p.orig_start, "orig_end": p.orig_end}
                for p in score.flagged_paragraphs]


class MatchSerializer(serializers.Serializer):
    """A match seen from one document; spans are original character offsets [start, end)."""

    id = serializers.IntegerField(source="match.pk")
    partner = DocumentSerializer()
    relation = serializers.CharField()
    relation_label = serializers.CharField()
    share = serializers.FloatField(help_text="本材料中与对方相同的文字占比")
    partner_share = serializers.FloatField(help_text="对方中与本材料相同的文字占比")
    jaccard = serializers.FloatField()
    near_duplicate = serializers.BooleanField()
    spans = serializers.SerializerMethodField()

    def get_spans(self, view) -> list[dict]:
        return [{"start": s.orig_start, "end": s.orig_end, "partner_start": s.partner_orig_start,
                 "partner_end": s.partner_orig_end, "boilerplate": s.boilerplate}
                for s in view.source_match().spans]


class ScanSerializer(serializers.ModelSerializer):
    status = serializers.CharField(source="job.status", read_only=True)
    status_label = serializers.CharField(source="job.get_status_display", read_only=True)
    title = serializers.CharField(source="job.title", read_only=True)
    message = serializers.CharField(source="job.message", read_only=True)
    percent = serializers.SerializerMethodField()

    class Meta:
        model = Scan
        fields = ["id", "title", "mode", "criteria", "status", "status_label", "percent", "message", "summary",
                  "created_at"]
        read_only_fields = fields

    def get_percent(self, scan) -> int:
        return services.scan_progress(scan)[0]


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                      viewsets.GenericViewSet):
    """述职述廉报告等材料。上传：multipart 字段 file、unit、cadre（可空）、year（可空）、kind、meeting，
    与页面表单相同；任何一个文件未通过检查时不保存任何文件，返回 400 与逐个文件的原因。"""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    http_method_names = ["get", "post", "delete", "head", "options"]
    ordering_fields = ["uploaded_at", "year"]

    @property
    def required_permission(self) -> str:
        return {"POST": "dupcheck:document:add", "DELETE": "dupcheck:document:delete"}.get(self.request.method, VIEW)

    def get_queryset(self):
        action_name = {"DELETE": "delete"}.get(self.request.method, "view")
        qs = selectors.visible_documents(self.request.user, action_name)
        return selectors.annotate_list_scores(qs, self.request.user).order_by("-uploaded_at", "-pk")

    @extend_schema(responses=inline_serializer("DocumentDetail", {
        "document": DocumentSerializer(), "score": ScoreSerializer(), "text": serializers.CharField()}))
    def retrieve(self, request, *args, **kwargs):
        doc = self.get_object()
        views = selectors.document_matches(request.user, doc)
        return Response({"document": DocumentSerializer(doc).data,
                         "score": ScoreSerializer(selectors.score_one(doc, views)).data, "text": doc.text})

    @extend_schema(request=inline_serializer("DocumentUpload", {
        "file": serializers.FileField(), "unit": serializers.IntegerField(),
        "cadre": serializers.IntegerField(required=False), "year": serializers.IntegerField(required=False),
        "kind": serializers.CharField(), "meeting": serializers.CharField(required=False)}),
        responses={201: inline_serializer("DocumentUploadResult", {
            "documents": DocumentSerializer(many=True), "scan": serializers.IntegerField()})})
    def create(self, request, *args, **kwargs):
        form = UploadForm(request.data, request.FILES, user=request.user)
        if not form.is_valid():
            raise exceptions.ValidationError(_form_errors(form))
        d = form.cleaned_data
        try:
            result = services.document_upload(actor=request.user, upload=d["file"], unit=d["unit"], cadre=d["cadre"],
                                              year=d["year"], kind=d["kind"], meeting=d["meeting"])
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_service_errors(error)) from None
        docs = selectors.annotate_list_scores(
            selectors.visible_documents(request.user).filter(pk__in=[x.pk for x in result.documents]), request.user)
        return Response({"documents": DocumentSerializer(docs, many=True).data,
                         "scan": result.scan.pk if result.scan else None}, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.document_delete(actor=self.request.user, document=instance)

    @extend_schema(responses=MatchSerializer(many=True))
    @action(detail=True, methods=["get"])
    def matches(self, request, pk=None):
        doc = self.get_object()
        return Response(MatchSerializer(selectors.document_matches(request.user, doc), many=True).data)


class ScanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """雷同检测：发起（mode 取 cadre/team/scope，另可按 document、year、kind、region、unit、meeting 选材料），
    查看本人发起的检测及其结果（仅含调用者授权范围内的材料）。"""

    serializer_class = ScanSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    http_method_names = ["get", "post", "head", "options"]
    filter_backends: list = []

    @property
    def required_permission(self) -> str:
        return "dupcheck:scan:add" if self.request.method == "POST" else VIEW

    def get_queryset(self):
        return selectors.scans_for_user(self.request.user)

    @extend_schema(responses=inline_serializer("ScanResult", {
        "scan": ScanSerializer(), "documents": serializers.ListField(child=serializers.DictField()),
        "pairs": serializers.ListField(child=serializers.DictField()),
        "clusters": serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))}))
    def retrieve(self, request, *args, **kwargs):
        scan = self.get_object()
        data = {"scan": ScanSerializer(scan).data, "documents": [], "pairs": [], "clusters": []}
        if scan.job.status == scan.job.Status.SUCCEEDED:
            result = selectors.scan_result(request.user, scan)
            data["documents"] = [{"document": DocumentSerializer(r.doc).data, "score": ScoreSerializer(r.score).data,
                                  "flagged": r.flagged, "cluster": r.cluster} for r in result.rows]
            data["pairs"] = [{"id": v.match.pk, "document": v.doc.pk, "partner": v.partner.pk,
                              "relation": v.relation, "share": v.share, "partner_share": v.partner_share,
                              "jaccard": v.jaccard, "near_duplicate": v.near_duplicate} for v in result.pairs]
            data["clusters"] = [[int(d) for d in c.members] for c in result.clusters]
        return Response(data)

    @extend_schema(request=inline_serializer("ScanStart", {
        "mode": serializers.ChoiceField(choices=["cadre", "team", "scope"]),
        "document": serializers.IntegerField(required=False), "year": serializers.IntegerField(required=False),
        "kind": serializers.CharField(required=False), "region": serializers.IntegerField(required=False),
        "unit": serializers.IntegerField(required=False), "meeting": serializers.CharField(required=False)}),
        responses={201: ScanSerializer})
    def create(self, request, *args, **kwargs):
        require_perm(request.user, "dupcheck:scan:add")
        data = request.data.dict() if hasattr(request.data, "dict") else request.data
        form = ScanForm(data, user=request.user)
        if not form.is_valid():
            raise exceptions.ValidationError(_form_errors(form))
        try:
            scan = services.scan_start(actor=request.user, mode=form.cleaned_data["mode"],
                                       documents=form.filter(selectors.visible_documents(request.user)),
                                       criteria=form.criteria())
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_service_errors(error)) from None
        scan = selectors.get_scan_for_user(request.user, scan.pk)
        return Response(ScanSerializer(scan).data, status=status.HTTP_201_CREATED)


def register_routes(router) -> None:
    router.register("dupcheck/documents", DocumentViewSet, basename="dupcheckdocument")
    router.register("dupcheck/scans", ScanViewSet, basename="dupcheckscan")
