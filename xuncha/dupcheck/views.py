"""Pages of the duplicate check: thin views over selectors (reads) and services (writes).

No permission for the page at all -> 403; a document, match or scan outside the user's reach -> 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.views import View

from xuncha.core.files import read_bytes
from xuncha.core.scoping import has_perm
from xuncha.core.views import PAGE_SIZES, apply_form_errors, xlsx_response

from . import choices as c
from . import reports, selectors, services
from .detection import CONFIG, span_from_json
from .filters import DocumentFilterSet
from .forms import ScanForm, UploadForm
from .highlight import highlight

VIEW = "dupcheck:document:view"
ADD = "dupcheck:document:add"
DELETE = "dupcheck:document:delete"
EXPORT = "dupcheck:document:export"
SCAN = "dupcheck:scan:add"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PermissionMixin(LoginRequiredMixin):
    """403 unless some grant of the user holds `permission` (scope is checked per object)."""

    permission = VIEW

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_perm(request.user, self.permission):
            raise PermissionDenied("您没有访问此页面的权限。")
        return super().dispatch(request, *args, **kwargs)

    def can(self) -> dict[str, bool]:
        user = self.request.user
        return {"add": has_perm(user, ADD), "delete": has_perm(user, DELETE), "export": has_perm(user, EXPORT),
                "scan": has_perm(user, SCAN)}


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def _list_queryset(request):
    qs = selectors.annotate_list_scores(selectors.visible_documents(request.user), request.user)
    filterset = DocumentFilterSet(request.GET or None, queryset=qs, request=request)
    if filterset.is_bound:
        qs = filterset.qs if filterset.is_valid() else qs.none()
    return qs.order_by("-uploaded_at", "-pk"), filterset


# --- documents ----------------------------------------------------------------------------------


class DocumentListView(PermissionMixin, View):
    def get(self, request):
        qs, filterset = _list_queryset(request)
        try:
            per_page = int(request.GET.get("per_page", 50))
        except ValueError:
            per_page = 50
        per_page = per_page if per_page in PAGE_SIZES else 50
        page = Paginator(qs, per_page).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "dupcheck/document_list.html", {
            "page": page, "filterset": filterset, "query": query.urlencode(), "per_page": per_page,
            "page_sizes": PAGE_SIZES, "can": self.can(), "flag_ratio": CONFIG.flag_copy_ratio,
            "filter_errors": filterset.errors if filterset.is_bound else None,
        })


class DocumentExportView(PermissionMixin, View):
    """The filtered list with every document's scores, as the reader sees them."""

    permission = EXPORT

    def get(self, request):
        qs, _ = _list_queryset(request)
        docs = list(qs.filter(pk__in=selectors.visible_documents(request.user, "export").values("pk"))[:5000])
        rows = selectors.score_documents(request.user, docs)
        return xlsx_response(reports.document_list_workbook(rows), f"报告材料_{timezone.localdate():%Y%m%d}.xlsx")


class DocumentUploadView(PermissionMixin, View):
    permission = ADD

    def _render(self, form, status=200):
        return render(self.request, "dupcheck/document_upload.html", {"form": form}, status=status)

    def get(self, request):
        unit = request.GET.get("unit")
        form = UploadForm(user=request.user, unit_id=unit, initial={"unit": unit} if unit else None)
        if request.headers.get("HX-Request"):  # the cadre choices of the unit just chosen
            return render(request, "dupcheck/_cadre_field.html", {"field": form["cadre"]})
        return self._render(form)

    def post(self, request):
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                result = services.document_upload(actor=request.user, upload=d["file"], unit=d["unit"],
                                                  cadre=d["cadre"], year=d["year"], kind=d["kind"],
                                                  meeting=d["meeting"])
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                docs = result.documents
                messages.success(request, f"已上传 {len(docs)} 份材料，并已与已上传的材料进行比对。")
                if len(docs) == 1:
                    return redirect(reverse("dupcheck:document_detail", args=[docs[0].pk]))
                return redirect(reverse("dupcheck:scan_detail", args=[result.scan.pk]))
        request._operation_failed = True
        return self._render(form, status=400)


def _copy_titles(views) -> tuple[list, dict[int, str]]:
    spans, titles = [], {}
    for view in views:
        for span in view.source_match().spans:
            if not span.boilerplate:
                titles[len(spans)] = f"与“{view.partner}”（{view.partner.unit.name}）相同"
            spans.append(span)
    return spans, titles


class DocumentDetailView(PermissionMixin, View):
    def get(self, request, pk):
        doc = selectors.get_document_for_user(request.user, pk)
        views = selectors.document_matches(request.user, doc)
        score = selectors.score_one(doc, views)
        spans, titles = _copy_titles(views)
        return render(request, "dupcheck/document_detail.html", {
            "doc": doc, "matches": views, "score": score, "text_html": highlight(doc.text, spans, titles=titles),
            "flagged": score.copy_ratio >= CONFIG.flag_copy_ratio or any(v.near_duplicate for v in views),
            "paragraphs": [(p, doc.text[p.orig_start:p.orig_end]) for p in score.flagged_paragraphs],
            "modes": [(m.value, m.label) for m in c.CHOSEN_MODES], "can": self.can(),
        })


class DocumentFileExportView(PermissionMixin, View):
    """The original file as uploaded."""

    def get(self, request, pk):
        doc = selectors.get_document_for_user(request.user, pk)
        data = read_bytes(doc.file)
        return _attachment(HttpResponse(data, content_type=doc.file.content_type or "application/octet-stream"),
                           doc.filename)


class DocumentDeleteView(PermissionMixin, View):
    permission = DELETE

    def get(self, request, pk):
        doc = selectors.get_document_for_user(request.user, pk, "delete")
        return render(request, "dupcheck/document_confirm_delete.html", {"doc": doc})

    def post(self, request, pk):
        doc = selectors.get_document_for_user(request.user, pk, "delete")
        services.document_delete(actor=request.user, document=doc)
        messages.success(request, f"材料“{doc}”已删除，删除前的内容保留在变更记录中。")
        return redirect(reverse("dupcheck:document_list"))


# --- matches ------------------------------------------------------------------------------------


class PairDetailView(PermissionMixin, View):
    """Side by side: the same passages in red on both sides, 公共表述 in blue."""

    def get(self, request, pk):
        match = selectors.get_match_for_user(request.user, pk)
        left, right = match.doc_a, match.doc_b
        if request.GET.get("from") == str(match.doc_b_id):
            left, right = right, left
        sides = []
        for doc, partner in ((left, right), (right, left)):
            share, containment, spans, _ = match.side(doc.pk)
            parsed = [span_from_json(s) for s in spans]
            copied = sum(s.end - s.start for s in parsed if not s.boilerplate)
            boiler = sum(s.end - s.start for s in parsed if s.boilerplate)
            sides.append({"doc": doc, "partner": partner, "share": share, "containment": containment,
                          "copied": copied, "boiler": boiler, "html": highlight(doc.text, parsed, partner_offsets=True)})
        return render(request, "dupcheck/pair_detail.html", {
            "match": match, "sides": sides, "relation": c.Relation(selectors.relation_of(left, right)).label,
            "scan_id": request.GET.get("scan", "") if request.GET.get("scan", "").isdigit() else "",
        })


# --- scans --------------------------------------------------------------------------------------


class ScanListView(PermissionMixin, View):
    """One's own scans; the automatic check after each upload is listed on request (?upload=1)."""

    def get(self, request):
        scans = selectors.scans_for_user(request.user)
        with_uploads = request.GET.get("upload") == "1"
        uploads = scans.filter(mode=c.ScanMode.UPLOAD).count()
        if not with_uploads:
            scans = scans.exclude(mode=c.ScanMode.UPLOAD)
        page = Paginator(scans, 50).get_page(request.GET.get("page"))
        return render(request, "dupcheck/scan_list.html", {
            "page": page, "can": self.can(), "query": "upload=1" if with_uploads else "",
            "with_uploads": with_uploads, "uploads": uploads})


class ScanAddView(PermissionMixin, View):
    permission = SCAN

    def _render(self, form, status=200):
        count = None
        if form.is_bound and form.is_valid():
            count = form.filter(selectors.visible_documents(self.request.user)).count()
        return render(self.request, "dupcheck/scan_add.html", {"form": form, "count": count}, status=status)

    def get(self, request):
        # Filters arrive from the document list (?year=…&unit=…): preview them with the default mode.
        data = None
        if request.GET:
            data = request.GET.copy()
            data.setdefault("mode", c.ScanMode.CADRE)
        return self._render(ScanForm(data, user=request.user))

    def post(self, request):
        form = ScanForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                scan = services.scan_start(actor=request.user, mode=form.cleaned_data["mode"],
                                           documents=form.filter(selectors.visible_documents(request.user)),
                                           criteria=form.criteria())
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                return redirect(reverse("dupcheck:scan_detail", args=[scan.pk]))
        request._operation_failed = True
        return self._render(form, status=400)


class ScanDetailView(PermissionMixin, View):
    """Progress while the job runs (htmx polls this page); the findings once it is done."""

    def get(self, request, pk):
        scan = selectors.get_scan_for_user(request.user, pk)
        job = scan.job
        percent, phase = services.scan_progress(scan)
        if request.headers.get("HX-Request"):
            if job.is_finished:
                response = HttpResponse("")
                response["HX-Refresh"] = "true"
                return response
            return render(request, "dupcheck/_scan_status.html", {"scan": scan, "job": job, "percent": percent,
                                                                  "phase": phase})
        result = selectors.scan_result(request.user, scan) if job.status == job.Status.SUCCEEDED else None
        return render(request, "dupcheck/scan_detail.html", {
            "scan": scan, "job": job, "percent": percent, "phase": phase, "result": result, "can": self.can(),
            "flag_ratio": CONFIG.flag_copy_ratio,
        })


class ScanClustersView(PermissionMixin, View):
    def get(self, request, pk):
        scan = selectors.get_scan_for_user(request.user, pk)
        result = selectors.scan_result(request.user, scan) if scan.job.status == scan.job.Status.SUCCEEDED else None
        return render(request, "dupcheck/scan_clusters.html", {"scan": scan, "result": result})


class ScanExportView(PermissionMixin, View):
    permission = EXPORT

    def get(self, request, pk):
        scan = selectors.get_scan_for_user(request.user, pk)
        result = selectors.scan_result(request.user, scan)
        return xlsx_response(reports.scan_workbook(result), f"雷同检测结果_{scan.pk}.xlsx")


class ScanWordExportView(PermissionMixin, View):
    permission = EXPORT

    def get(self, request, pk):
        scan = selectors.get_scan_for_user(request.user, pk)
        result = selectors.scan_result(request.user, scan)
        data = reports.scan_word_report(result, reader=request.user)
        return _attachment(HttpResponse(data, content_type=DOCX), f"雷同检测报告_{scan.pk}.docx")

