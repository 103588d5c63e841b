"""Generic pages of a Resource (list, detail, create, edit, delete, history, export, import) and
the pages of the kernel itself (home, jobs, dictionaries, logs).

Permission rule of every page: no permission for the action at all -> 403; the object exists but is
outside the user's scope -> 404, the same answer as for an object that does not exist.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from . import selectors
from .models import DictItem, DictType, Job, LoginLog, OperationLog
from .scoping import has_perm

PAGE_SIZES = (20, 50, 100)


def apply_form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, on the named fields where it names them."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PermissionRequiredMixin(LoginRequiredMixin):
    """403 unless the user holds `permission` through some grant (scope is checked per object)."""

    required_action = "view"

    def required_permission(self) -> str:
        return self.resource.perm(self.required_action)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_perm(request.user, self.required_permission()):
            raise PermissionDenied("您没有访问此页面的权限。")
        return super().dispatch(request, *args, **kwargs)


class ResourceMixin(PermissionRequiredMixin):
    resource = None

    def get_object(self, action: str | None = None):
        return get_object_or_404(self.resource.queryset(self.request.user, action or self.required_action),
                                 pk=self.kwargs["pk"])

    def base_context(self, **extra):
        r = self.resource
        perms = {a: has_perm(self.request.user, r.perm(a)) for a in ("add", "change", "delete", "export", "import")}
        return {"resource": r, "can": perms, "model_label": r.label, **extra}


class ResourceListView(ResourceMixin, View):
    def get(self, request):
        r = self.resource
        qs, filterset, sort = selectors.filtered_queryset(r, request.user, request.GET, "view", request=request)
        try:
            per_page = int(request.GET.get("per_page", 50))
        except ValueError:
            per_page = 50
        per_page = per_page if per_page in PAGE_SIZES else 50
        page = Paginator(qs, per_page).get_page(request.GET.get("page"))
        rows = [(obj, [col.value(obj) for col in r.columns]) for obj in page.object_list]
        query = request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        return render(request, r.list_template, self.base_context(
            page=page, rows=rows, filterset=filterset, sort=sort, query=query.urlencode(),
            sort_query=sort_query.urlencode(), per_page=per_page, page_sizes=PAGE_SIZES,
            filter_errors=filterset.errors if filterset is not None and filterset.is_bound else None,
        ))


class ResourceDetailView(ResourceMixin, View):
    def get(self, request, pk):
        obj = self.get_object()
        fields = [(c.label, c.value(obj)) for c in (self.resource.detail_fields or self.resource.columns)]
        extra = self.resource.extra_context(request, obj) if self.resource.extra_context else {}
        return render(request, self.resource.detail_template, self.base_context(object=obj, fields=fields, **extra))


class ResourceFormMixin(ResourceMixin):
    def form(self, data=None, instance=None, files=None):
        return self.resource.form_class(data, files, instance=instance, user=self.request.user)

    def render_form(self, form, obj=None):
        # A form may carry inline formsets (a cadre's work history): it lists them as (title, formset).
        formsets = form.formsets() if hasattr(form, "formsets") else []
        return render(self.request, self.resource.form_template,
                      self.base_context(form=form, object=obj, formsets=formsets))

    def save(self, form, obj=None):
        r = self.resource
        try:
            if obj is None:
                saved = r.create(actor=self.request.user, data=form.cleaned_data)
            else:
                saved = r.update(actor=self.request.user, instance=obj, data=form.cleaned_data)
        except ValidationError as error:
            apply_form_errors(form, error)
            self.request._operation_failed = True
            return self.render_form(form, obj)
        messages.success(self.request, f"{r.label}“{saved}”已保存。")
        return redirect(reverse(r.url_name("detail"), args=[saved.pk]))


class ResourceCreateView(ResourceFormMixin, View):
    required_action = "add"

    def get(self, request):
        return self.render_form(self.form())

    def post(self, request):
        form = self.form(request.POST, files=request.FILES)
        if not form.is_valid():
            request._operation_failed = True
            return self.render_form(form)
        return self.save(form)


class ResourceEditView(ResourceFormMixin, View):
    required_action = "change"

    def get(self, request, pk):
        obj = self.get_object()
        return self.render_form(self.form(instance=obj), obj)

    def post(self, request, pk):
        obj = self.get_object()
        form = self.form(request.POST, instance=obj, files=request.FILES)
        if not form.is_valid():
            request._operation_failed = True
            return self.render_form(form, obj)
        return self.save(form, obj)


class ResourceDeleteView(ResourceMixin, View):
    required_action = "delete"

    def get(self, request, pk):
        return render(request, "core/resource_confirm_delete.html", self.base_context(object=self.get_object()))

    def post(self, request, pk):
        obj = self.get_object()
        try:
            self.resource.delete(actor=request.user, instance=obj)
        except ValidationError as error:
            request._operation_failed = True
            return render(request, "core/resource_confirm_delete.html",
                          self.base_context(object=obj, errors=error.messages), status=400)
        messages.success(request, f"{self.resource.label}“{obj}”已删除，删除前的内容保留在变更记录中。")
        return redirect(reverse(self.resource.url_name("list")))


class ResourceHistoryView(ResourceMixin, View):
    def get(self, request, pk):
        obj = self.get_object()
        entries = selectors.history_entries(obj)
        return render(request, "core/resource_history.html", self.base_context(object=obj, entries=entries))


class ResourceExportView(ResourceMixin, View):
    """Small exports are answered at once; large ones run as a background job with progress."""

    required_action = "export"

    def get(self, request):
        from .exports import export_start, export_sync

        r = self.resource
        qs = selectors.export_queryset(r, request.user, request.GET)
        if qs.count() <= settings.EXPORT_SYNC_MAX_ROWS:
            return xlsx_response(export_sync(r, qs, request.user), f"{r.label}.xlsx")
        job = export_start(resource=r, actor=request.user, query=request.GET.urlencode())
        return redirect(reverse("core:job_detail", args=[job.pk]))


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    from django.utils.encoding import escape_uri_path

    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


class ResourceImportTemplateView(ResourceMixin, View):
    required_action = "import"

    def get(self, request):
        from .excel import template_workbook

        r = self.resource
        response = HttpResponse(
            template_workbook(r, request.user),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        from django.utils.encoding import escape_uri_path

        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(r.label + '导入模板.xlsx')}"
        return response


class ResourceImportView(ResourceMixin, View):
    required_action = "import"

    def get(self, request):
        return render(request, "core/resource_import.html", self.base_context())

    def post(self, request):
        from .excel import import_start

        upload = request.FILES.get("file")
        update_existing = request.POST.get("update_existing") == "on"
        try:
            job = import_start(resource=self.resource, actor=request.user, upload=upload,
                               update_existing=update_existing)
        except ValidationError as error:
            request._operation_failed = True
            return render(request, "core/resource_import.html",
                          self.base_context(errors=error.messages), status=400)
        return redirect(reverse("core:job_detail", args=[job.pk]))


# --- Kernel pages -------------------------------------------------------------------------------


class HomeView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "core/home.html", {"summary": selectors.home_summary(request.user)})


class JobDetailView(LoginRequiredMixin, View):
    """A job's progress; only its owner sees it (htmx polls the `partial` view while it runs)."""

    def get(self, request, pk):
        job = get_object_or_404(selectors.jobs_for_user(request.user), pk=pk)
        selectors.apply_live_progress(job)
        template = "core/_job_status.html" if request.headers.get("HX-Request") else "core/job_detail.html"
        return render(request, template, {"job": job})


class JobDownloadView(LoginRequiredMixin, View):
    """The file a job produced (a large export); only the job's owner may fetch it."""

    def get(self, request, pk):
        from .files import read_bytes
        from .models import StoredFile

        job = get_object_or_404(selectors.jobs_for_user(request.user), pk=pk, status=Job.Status.SUCCEEDED)
        stored = get_object_or_404(StoredFile, pk=(job.result or {}).get("file_id") or 0)
        return xlsx_response(read_bytes(stored), stored.original_name)


class DictionaryListView(PermissionRequiredMixin, View):
    def required_permission(self):
        return "core:dictionary:view"

    def get(self, request):
        types = DictType.objects.prefetch_related("items")
        return render(request, "core/dictionary_list.html", {
            "types": types, "can_change": has_perm(request.user, "core:dictionary:change")})


class DictionaryItemEditView(PermissionRequiredMixin, View):
    def required_permission(self):
        return "core:dictionary:change"

    def _form(self, data=None, item=None):
        from .forms_admin import DictItemForm

        return DictItemForm(data, instance_item=item)

    def get(self, request, code, pk=None):
        dict_type = get_object_or_404(DictType, code=code)
        item = get_object_or_404(DictItem, pk=pk, dict_type=dict_type) if pk else None
        return render(request, "core/dictionary_item_form.html",
                      {"dict_type": dict_type, "item": item, "form": self._form(item=item)})

    def post(self, request, code, pk=None):
        from .services import dict_item_save

        dict_type = get_object_or_404(DictType, code=code)
        item = get_object_or_404(DictItem, pk=pk, dict_type=dict_type) if pk else None
        form = self._form(request.POST, item)
        if form.is_valid():
            try:
                dict_item_save(actor=request.user, dict_type=dict_type, item=item, **form.cleaned_data)
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, "字典项已保存。")
                return redirect(reverse("core:dictionary_list") + f"#dict-{dict_type.code}")
        request._operation_failed = True
        return render(request, "core/dictionary_item_form.html",
                      {"dict_type": dict_type, "item": item, "form": form})


class LogListView(PermissionRequiredMixin, View):
    """Read-only pages of the append-only logs; no view anywhere edits or deletes them."""

    model = None
    template = ""
    search_fields: tuple[str, ...] = ()

    def required_permission(self):
        return f"core:{self.model._meta.model_name}:view"

    def get(self, request):
        qs = self.model.objects.for_user(request.user, "view").order_by("-seq")
        q = request.GET.get("q", "").strip()
        if q:
            cond = Q()
            for f in self.search_fields:
                cond |= Q(**{f"{f}__icontains": q})
            qs = qs.filter(cond)
        for name in ("outcome", "event", "module"):
            if request.GET.get(name):
                qs = qs.filter(**{name: request.GET[name]})
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, self.template, {"page": page, "q": q, "query": query.urlencode(),
                                               "model": self.model})


class OperationLogListView(LogListView):
    model = OperationLog
    template = "core/operationlog_list.html"
    search_fields = ("username", "module", "action", "path", "ip")


class LoginLogListView(LogListView):
    model = LoginLog
    template = "core/loginlog_list.html"
    search_fields = ("username", "ip", "reason")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


def server_error(request):
    return render(request, "500.html", status=500)


def querystring(params: dict) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})

