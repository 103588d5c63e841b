"""Pages of fieldwork: the per-inspection hub (巡察工作), the record pages (generic Resources with
a prefilled inspection), attachments, petition handling, the reporter panel, the intake code and its
QR code, and the public intake page.

Permission rule: no permission for the action → 403; a record outside the scope → 404.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.encoding import escape_uri_path
from django.views import View
from django.views.decorators.cache import never_cache

from xuncha.core import views as core_views
from xuncha.core.files import read_bytes
from xuncha.core.scoping import has_perm
from xuncha.core.services import ScopeViolation
from xuncha.planning.choices import Stage

from . import choices as c
from . import forms, selectors, services
from .models import IntakeChannel, Petition, PetitionReporter
from .permissions import REPORTER_CHANGE, REPORTER_VIEW
from .resources import BY_NAME


class FieldworkView(LoginRequiredMixin, View):
    """403 unless some grant holds `permission`; scope is checked per record (404 outside it)."""

    permission = ""

    def get_permission(self) -> str:
        return self.permission

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        permission = self.get_permission()
        if not permission or not has_perm(request.user, permission):
            raise PermissionDenied("您没有访问此页面的权限。")
        try:
            return super().dispatch(request, *args, **kwargs)
        except ScopeViolation as error:
            raise Http404(str(error)) from error


def _fail(request, error: ValidationError) -> None:
    request._operation_failed = True
    for message in error.messages:
        messages.error(request, message)


# --- Record pages: the generic ones with the inspection prefilled ---------------------------------


class RecordCreateView(core_views.ResourceCreateView):
    """`?inspection=<pk>` (from the hub) preselects the inspection."""

    def form(self, data=None, instance=None, files=None):
        initial = {}
        if data is None and self.request.GET.get("inspection", "").isdigit():
            initial["inspection"] = int(self.request.GET["inspection"])
        return self.resource.form_class(data, files, instance=instance, user=self.request.user, initial=initial)


def _record_context(request, obj) -> dict:
    name = obj._meta.model_name
    user = request.user
    context = {
        "attachments": list(obj.attachments.all()),
        "can_change_record": has_perm(user, f"fieldwork:{obj.permission_name}:change")
        and type(obj).objects.for_user(user, "change").filter(pk=obj.pk).exists(),
        "file_url": reverse(f"fieldwork:{name}_file", args=[obj.pk]),
        "file_remove_url": reverse(f"fieldwork:{name}_file_remove", args=[obj.pk]),
        "hub_url": reverse("fieldwork:inspection_hub", args=[obj.inspection_id]),
    }
    if isinstance(obj, Petition):
        context["can_handle"] = has_perm(user, "fieldwork:petition:handle") and Petition.objects.for_user(
            user, "handle").filter(pk=obj.pk).exists()
        context["handle_form"] = forms.PetitionHandleForm(initial={"status": obj.status,
                                                                   "opinion": obj.handling_opinion})
        # Only a link, and only for holders of the permission: the identity is on its own page.
        context["can_view_reporter"] = has_perm(user, REPORTER_VIEW) and Petition.objects.for_user_perm(
            user, REPORTER_VIEW).filter(pk=obj.pk).exists()
    if name == "documentrequest":
        context["items"] = list(obj.items.all())
    if name == "talk":
        context["document_url"] = reverse("fieldwork:talk_word", args=[obj.pk])
    return context


def record_urls(resource) -> list:
    from django.urls import path

    n = resource.name
    resource.extra_context = _record_context
    patterns = [p for p in resource.urls() if p.name != f"{n}_add"]
    patterns += [
        path(f"{n}s/add/", RecordCreateView.as_view(resource=resource), name=f"{n}_add"),
        path(f"{n}s/<int:pk>/files/", AttachmentView.as_view(resource=resource), name=f"{n}_file"),
        path(f"{n}s/<int:pk>/files/remove/", AttachmentRemoveView.as_view(resource=resource),
             name=f"{n}_file_remove"),
    ]
    return patterns


class AttachmentView(FieldworkView):
    """One attachment of a record the user may view (`?f=<file id>`), read back by its hash."""

    resource = None

    def get_permission(self):
        return self.resource.perm("view")

    def get(self, request, pk):
        obj = get_object_or_404(self.resource.queryset(request.user, "view"), pk=pk)
        file_id = request.GET.get("f", "")
        stored = obj.attachments.filter(pk=int(file_id)).first() if file_id.isdigit() else None
        if stored is None:
            raise Http404("附件不存在。")
        try:
            content = read_bytes(stored)
        except ValidationError as error:
            raise Http404(error.messages[0]) from error
        response = HttpResponse(content, content_type=stored.content_type or "application/octet-stream")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(stored.original_name)}"
        return response



class AttachmentRemoveView(FieldworkView):
    resource = None
    http_method_names = ["post"]

    def get_permission(self):
        return self.resource.perm("change")

    def post(self, request, pk):
        obj = get_object_or_404(self.resource.queryset(request.user, "change"), pk=pk)
        file_id = request.POST.get("f", "")
        try:
            services.record_remove_attachment(actor=request.user, instance=obj,
                                              file_id=int(file_id) if file_id.isdigit() else 0)
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, "附件已移除（文件本身仍保留在系统中）。")
        return redirect(reverse(self.resource.url_name("detail"), args=[pk]))


# --- The hub ---------------------------------------------------------------------------------------


class InspectionIndexView(FieldworkView):
    """The inspections whose fieldwork the user may see, with counts per method."""

    def get_permission(self):
        return selectors.any_method_permission(self.request.user) or "fieldwork:talk:view"

    def get(self, request):
        permission = selectors.any_method_permission(request.user)
        qs = selectors.inspections_for_fieldwork(request.user, permission).order_by(
            "-round__year", "authority__path", "round__number", "group__number", "id")
        stage = request.GET.get("stage", "")
        if stage:
            qs = qs.filter(stage=stage)
        page = Paginator(qs, 30).get_page(request.GET.get("page"))
        counts = selectors.counts_for_inspections(request.user, [i.pk for i in page.object_list])
        rows = [(i, [counts[i.pk][key] for key, _, _ in selectors.METHODS]) for i in page.object_list]
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "fieldwork/inspection_index.html", {
            "page": page, "rows": rows, "methods": selectors.METHODS, "stage": stage,
            "stage_choices": Stage.choices, "query": query.urlencode()})


class InspectionHubView(FieldworkView):
    """巡察工作: one inspection's methods as tabs with counts, the talk plan, petitions by status."""

    def get_permission(self):
        return selectors.any_method_permission(self.request.user) or "fieldwork:talk:view"

    def get(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk)
        tabs = selectors.method_tabs(request.user, inspection)
        active = request.GET.get("tab", "")
        visible = [t for t in tabs if t["visible"]]
        if active not in {t["key"] for t in visible}:
            active = visible[0]["key"] if visible else ""
        resource = BY_NAME.get(active)
        rows = []
        if resource is not None:
            qs = resource.queryset(request.user, "view").filter(inspection=inspection)
            if resource.default_sort:
                qs = qs.order_by(resource.default_sort, "pk")
            rows = [(obj, [col.value(obj) for col in resource.columns if col.label != "巡察任务"])
                    for obj in qs[:100]]
        user = request.user
        return render(request, "fieldwork/inspection_hub.html", {
            "inspection": inspection, "tabs": tabs, "active": active, "resource": resource, "rows": rows,
            "columns": [col for col in resource.columns if col.label != "巡察任务"] if resource else [],
            "talk_plan": selectors.talk_plan_progress(user, inspection) if has_perm(user, "fieldwork:talk:view") else [],
            "petition_counts": selectors.petition_status_counts(user, inspection)
            if has_perm(user, "fieldwork:petition:view") else {},
            "can_intake": has_perm(user, "fieldwork:petition:add") and selectors.inspections_for_fieldwork(
                user, "fieldwork:petition:add").filter(pk=inspection.pk).exists(),
            "intake_open": inspection.stage in c.INTAKE_STAGES,
        })


# --- Petitions: handling, the reporter panel ----------------------------------------------------------


class PetitionHandleView(FieldworkView):
    permission = "fieldwork:petition:handle"
    http_method_names = ["post"]
    log_params = False

    def post(self, request, pk):
        petition = get_object_or_404(Petition.objects.for_user(request.user, "handle"), pk=pk)
        form = forms.PetitionHandleForm(request.POST)
        if not form.is_valid():
            _fail(request, ValidationError(form.error_summary()))
        else:
            try:
                services.petition_handle(actor=request.user, petition=petition, **form.cleaned_data)
            except ValidationError as error:
                _fail(request, error)
            else:
                messages.success(request, f"信访举报“{petition}”的办理情况已保存。")
        return redirect(reverse("fieldwork:petition_detail", args=[pk]))


@method_decorator(never_cache, name="dispatch")
class PetitionReporterView(FieldworkView):
    """The reporter's identity: a page of its own, for holders of `fieldwork:reporter:view` whose
    scope reaches the petition. Its requests are never logged with their parameters or path."""

    permission = REPORTER_VIEW
    log_params = False

    def _petition(self, request, pk, permission=REPORTER_VIEW):
        return get_object_or_404(Petition.objects.for_user_perm(request.user, permission).select_related(
            "inspection", "inspection__round", "inspection__group"), pk=pk)

    def _render(self, request, petition, form=None, status=200):
        reporter = PetitionReporter.objects.for_user_perm(request.user, REPORTER_VIEW).filter(
            petition=petition).first()
        can_change = has_perm(request.user, REPORTER_CHANGE)
        if form is None and can_change:
            initial = {f: getattr(reporter, f) for f in services.REPORTER_FIELDS} if reporter else {}
            form = forms.ReporterForm(initial=initial)
        return render(request, "fieldwork/petition_reporter.html", {
            "petition": petition, "reporter": reporter, "form": form, "can_change": can_change}, status=status)

    def get(self, request, pk):
        return self._render(request, self._petition(request, pk))

    def post(self, request, pk):
        if not has_perm(request.user, REPORTER_CHANGE):
            raise PermissionDenied("您没有登记举报人信息的权限。")
        petition = self._petition(request, pk, REPORTER_CHANGE)
        form = forms.ReporterForm(request.POST)
        if form.is_valid():
            try:
                services.reporter_save(actor=request.user, petition=petition, data=form.cleaned_data)
            except ValidationError as error:
                request._operation_failed = True
                core_views.apply_form_errors(form, error)
            else:
                messages.success(request, "举报人信息已保存。")
                return redirect(reverse("fieldwork:petitionreporter_detail", args=[pk]))
        request._operation_failed = True
        return self._render(request, petition, form)


# --- Word documents ------------------------------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


class TalkDocumentView(FieldworkView):
    """个别谈话记录 (Word) of one talk the user may view."""

    permission = "fieldwork:talk:view"
    log_params = False

    def get(self, request, pk):
        from . import documents
        from .models import Talk

        talk = get_object_or_404(Talk.objects.for_user(request.user, "view").select_related(
            "inspection", "inspection__round", "inspection__group", "unit", "cadre", "recorder"), pk=pk)
        return _docx(documents.talk_record(talk), f"个别谈话记录（{talk.person_name}）.docx")


class TalkPlanDocumentView(FieldworkView):
    """个别谈话计划表 (Word) of one inspection."""

    permission = "fieldwork:talk:view"

    def get(self, request, pk):
        from . import documents
        from .models import Talk

        inspection = selectors.get_inspection(request.user, pk)
        talks = list(Talk.objects.for_user(request.user, "view").filter(inspection=inspection).select_related(
            "unit", "cadre").order_by("planned_date", "category", "id"))
        return _docx(documents.talk_plan(inspection, talks), "个别谈话计划表.docx")


# --- Document requests: items received ----------------------------------------------------------------


class DocumentRequestItemView(FieldworkView):
    permission = "fieldwork:documentrequest:change"
    http_method_names = ["post"]

    def post(self, request, pk):
        from .models import DocumentRequest

        req = get_object_or_404(DocumentRequest.objects.for_user(request.user, "change"), pk=pk)
        item = request.POST.get("item", "")
        try:
            services.documentrequest_item_toggle(actor=request.user, request=req,
                                                 item_id=int(item) if item.isdigit() else 0)
        except ValidationError as error:
            _fail(request, error)
        return redirect(reverse("fieldwork:documentrequest_detail", args=[pk]))


# --- The intake code and its QR code -----------------------------------------------------------------


def _intake_url(request, channel: IntakeChannel) -> str:
    base = getattr(settings, "FIELDWORK_INTAKE_BASE_URL", "") or request.build_absolute_uri("/")[:-1]
    return base.rstrip("/") + reverse("fieldwork:intake", args=[channel.code])


class IntakeChannelView(FieldworkView):
    """The inspection's public intake: its link and QR code; enable, suspend or renew the code."""

    permission = "fieldwork:petition:add"
    log_params = False

    def _inspection(self, request, pk):
        inspection = selectors.inspections_for_fieldwork(request.user, "fieldwork:petition:add").filter(pk=pk).first()
        if inspection is None:
            raise Http404("记录不存在或不在您的授权范围内。")
        return inspection

    def get(self, request, pk):
        inspection = self._inspection(request, pk)
        channel = IntakeChannel.objects.for_user(request.user, "view").filter(inspection=inspection).first()
        qr_svg = ""
        if channel is not None:
            qr_svg = segno.make(_intake_url(request, channel), error="m").svg_inline(scale=5, dark="#1f2937")
        return render(request, "fieldwork/intake_channel.html", {
            "inspection": inspection, "channel": channel, "qr_svg": qr_svg,
            "intake_url": _intake_url(request, channel) if channel else "",
            "intake_open": inspection.stage in c.INTAKE_STAGES,
            "can_manage": has_perm(request.user, "fieldwork:petition:change")})

    def post(self, request, pk):
        inspection = self._inspection(request, pk)
        op = request.POST.get("op", "")
        try:
            if op == "create":
                services.intake_channel_ensure(actor=request.user, inspection=inspection)
                messages.success(request, "已生成信访举报受理码和二维码。")
            else:
                # The service refuses a user without the change permission (a member sees, a leader manages).
                channel = get_object_or_404(IntakeChannel.objects.for_user(request.user, "view"),
                                            inspection=inspection)
                if op == "renew":
                    services.intake_channel_renew(actor=request.user, channel=channel)
                    messages.success(request, "受理码已更换，原二维码即时失效。")
                elif op in ("suspend", "resume"):
                    services.intake_channel_set_active(actor=request.user, channel=channel, active=op == "resume")
                    messages.success(request, "已暂停在线受理。" if op == "suspend" else "已恢复在线受理。")
                else:
                    raise ValidationError("无法识别的操作。")
        except ValidationError as error:
            _fail(request, error)
        except PermissionDenied as error:
            _fail(request, ValidationError(str(error)))
        return redirect(reverse("fieldwork:inspection_intake", args=[pk]))


class IntakeQrView(IntakeChannelView):
    """The QR code as an SVG file (for printing on posters and letter boxes)."""

    def get(self, request, pk):
        inspection = self._inspection(request, pk)
        channel = get_object_or_404(IntakeChannel.objects.for_user(request.user, "view"), inspection=inspection)
        import io

        buffer = io.BytesIO()
        segno.make(_intake_url(request, channel), error="m").save(buffer, kind="svg", scale=10)
        response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path('信访举报二维码.svg')}"
        return response

    def post(self, request, pk):
        raise Http404()


# --- The public intake page ----------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class PublicIntakeView(View):
    """The small public page behind the QR code. No login. An unknown, suspended or closed code all
    answer the same 403 page, so that codes cannot be probed. Rate-limited like the API."""

    log_params = False

    def _channel(self, code):
        channel = services.intake_channel_open(code)
        if channel is None:
            return None
        return channel

    def _closed(self, request):
        return render(request, "fieldwork/intake_public.html", {"closed": True, "message": services.INTAKE_CLOSED},
                      status=403)

    def _render(self, request, channel, form, status=200):
        return render(request, "fieldwork/intake_public.html", {
            "channel": channel, "form": form, "group_name": channel.inspection.group.full_name
            or str(channel.inspection.group)}, status=status)

    def _units(self, channel):
        return [link.unit for link in channel.inspection.target_links.select_related("unit")]

    def get(self, request, code):
        channel = self._channel(code)
        if channel is None:
            return self._closed(request)
        return self._render(request, channel, forms.IntakeForm(units=self._units(channel)))

    def post(self, request, code):
        from .api import IntakeThrottle

        channel = self._channel(code)
        if channel is None:
            return self._closed(request)
        if not IntakeThrottle().allow_django_request(request):
            return render(request, "fieldwork/intake_public.html", {
                "closed": True, "message": "提交过于频繁，请稍后再试。"}, status=429)
        form = forms.IntakeForm(request.POST, units=self._units(channel))
        valid = form.is_valid()
        # Every problem at once: the service's rules too, on the fields the form did not already flag.
        _, errors = services.intake_clean(channel.inspection, {**request.POST.dict(), "channel": c.PetitionChannel.QRCODE})
        for field, message in errors.items():
            if field in form.fields and field not in form.errors:
                form.add_error(field, message)
                valid = False
        if valid:
            try:
                petition = services.petition_intake(channel=channel, data={**form.cleaned_data,
                                                                          "channel": c.PetitionChannel.QRCODE})
            except ValidationError as error:
                request._operation_failed = True
                core_views.apply_form_errors(form, error)
            else:
                return render(request, "fieldwork/intake_public.html", {
                    "done": True, "receipt_no": petition.receipt_no})
        request._operation_failed = True
        return self._render(request, channel, form, status=400)
