"""Pages of indicators: the library (sets with their tree, templates, import/export, copy, publish),
and per inspection the checklist where the group records a result per check item and target unit,
and the decision checklist. The decision list itself is a Resource (resources.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.views import View

from xuncha.core.files import read_bytes, read_upload
from xuncha.core.scoping import has_perm
from xuncha.core.services import ScopeViolation
from xuncha.core.views import apply_form_errors
from xuncha.org.models import Unit
from xuncha.planning import selectors as planning_selectors

from . import choices as c
from . import forms, library, selectors, services
from .models import DecisionCheck, Indicator, IndicatorResult, IndicatorSet, IndicatorTemplate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YAML = "application/x-yaml; charset=utf-8"


class IndicatorsView(LoginRequiredMixin, View):
    """403 unless some grant holds `permission`; the record's scope is checked by the selectors (404)."""

    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_perm(request.user, self.permission):
            raise PermissionDenied("您没有访问此页面的权限。")
        try:
            return super().dispatch(request, *args, **kwargs)
        except ScopeViolation as error:
            raise Http404(str(error)) from error


def _failed(request, error: ValidationError) -> None:
    request._operation_failed = True
    for message in error.messages:
        messages.error(request, message)


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def _set_url(indicator_set) -> str:
    return reverse("indicators:indicatorset_detail", args=[indicator_set.pk])


# --- Library -----------------------------------------------------------------------------------------


class SetListView(IndicatorsView):
    permission = "indicators:indicatorset:view"

    def get(self, request):
        user = request.user
        return render(request, "indicators/set_list.html", {
            "sets": selectors.sets_for_user(user),
            "can_import": has_perm(user, "indicators:indicatorset:import"),
            "can_add": has_perm(user, "indicators:indicatorset:add"),
        })


class SetDetailView(IndicatorsView):
    permission = "indicators:indicatorset:view"

    def get(self, request, pk):
        user = request.user
        indicator_set = selectors.get_set(user, pk)
        editable = indicator_set.is_draft and selectors.can(user, IndicatorSet, indicator_set, "change")
        return render(request, "indicators/set_detail.html", {
            "set": indicator_set,
            "tree": selectors.indicator_tree(indicator_set),
            "templates": selectors.set_templates(indicator_set),
            "editable": editable,
            "can_publish": indicator_set.is_draft and selectors.can(user, IndicatorSet, indicator_set, "publish"),
            "can_delete": indicator_set.is_draft and selectors.can(user, IndicatorSet, indicator_set, "delete"),
            "can_copy": has_perm(user, "indicators:indicatorset:add"),
            "can_export": has_perm(user, "indicators:indicatorset:export"),
            "publish_errors": services.publish_errors(indicator_set) if editable else [],
        })


class SetEditView(IndicatorsView):
    permission = "indicators:indicatorset:change"

    def _render(self, request, indicator_set, form):
        return render(request, "indicators/set_form.html", {"set": indicator_set, "form": form})

    def get(self, request, pk):
        indicator_set = selectors.get_set(request.user, pk, "change")
        return self._render(request, indicator_set, forms.IndicatorSetForm(instance=indicator_set))

    def post(self, request, pk):
        indicator_set = selectors.get_set(request.user, pk, "change")
        form = forms.IndicatorSetForm(request.POST, instance=IndicatorSet(pk=indicator_set.pk))
        if form.is_valid():
            try:
                services.indicatorset_update(actor=request.user, instance=indicator_set, data=form.cleaned_data)
            except ValidationError as error:
                request._operation_failed = True
                apply_form_errors(form, error)
            else:
                messages.success(request, "指标体系已保存。")
                return redirect(_set_url(indicator_set))
        request._operation_failed = True
        return self._render(request, indicator_set, form)


class SetPublishView(IndicatorsView):
    permission = "indicators:indicatorset:publish"

    def post(self, request, pk):
        indicator_set = selectors.get_set(request.user, pk, "publish")
        try:
            services.indicatorset_publish(actor=request.user, instance=indicator_set)
        except ValidationError as error:
            _failed(request, error)
        else:
            messages.success(request, f"“{indicator_set}”已发布；此前发布的版本已标记为被替代，已选用它的巡察任务不受影响。")
        return redirect(_set_url(indicator_set))


class SetDeleteView(IndicatorsView):
    permission = "indicators:indicatorset:delete"

    def post(self, request, pk):
        indicator_set = selectors.get_set(request.user, pk, "delete")
        try:
            services.indicatorset_delete(actor=request.user, instance=indicator_set)
        except ValidationError as error:
            _failed(request, error)
            return redirect(_set_url(indicator_set))
        messages.success(request, f"草稿“{indicator_set}”已删除。")
        return redirect(reverse("indicators:indicatorset_list"))


class SetCopyView(IndicatorsView):
    permission = "indicators:indicatorset:add"

    def _render(self, request, source, form):
        return render(request, "indicators/set_copy.html", {"set": source, "form": form})

    def get(self, request, pk):
        source = selectors.get_set(request.user, pk)
        return self._render(request, source, forms.CopyForm(user=request.user, initial={"name": source.name}))

    def post(self, request, pk):
        source = selectors.get_set(request.user, pk)
        form = forms.CopyForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                created = services.indicatorset_copy(actor=request.user, source=source,
                                                     authority=form.cleaned_data["authority"],
                                                     name=form.cleaned_data["name"])
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, f"已复制为草稿“{created}”，修改后请发布。")
                return redirect(_set_url(created))
        request._operation_failed = True
        return self._render(request, source, form)


class SetExportView(IndicatorsView):
    permission = "indicators:indicatorset:export"

    def get(self, request, pk):
        indicator_set = selectors.get_set(request.user, pk)
        data = library.library_from_set(indicator_set)
        filename = f"{indicator_set.name}（第{indicator_set.version}版）"
        if request.GET.get("format") == "yaml":
            return _file(library.export_yaml(data), f"{filename}.yaml", YAML)
        return _file(library.export_excel(data), f"{filename}.xlsx", XLSX)


class SetImportView(IndicatorsView):
    permission = "indicators:indicatorset:import"

    def _render(self, request, form, errors=()):
        return render(request, "indicators/set_import.html", {"form": form, "errors": errors})

    def get(self, request):
        return self._render(request, forms.ImportForm(user=request.user))

    def post(self, request):
        form = forms.ImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            request._operation_failed = True
            return self._render(request, form)
        upload = form.cleaned_data["file"]
        try:
            content = read_upload(upload)
        except ValidationError as error:
            form.add_error("file", error)
            request._operation_failed = True
            return self._render(request, form)
        data = library.parse_excel(content) if upload.name.lower().endswith(".xlsx") else library.parse_yaml(content)
        errors = library.validate(data)
        if not errors:
            try:
                created = services.indicatorset_import(actor=request.user, authority=form.cleaned_data["authority"],
                                                       data=data)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, f"已导入为草稿“{created}”：{len(data.rows)} 个指标，{len(data.templates)} 个模板。")
                return redirect(_set_url(created))
        request._operation_failed = True
        return self._render(request, form, errors)


# --- Indicators and templates of a draft ----------------------------------------------------------


class IndicatorAddView(IndicatorsView):
    permission = "indicators:indicatorset:add"

    def _context(self, request, pk):
        indicator_set = selectors.get_set(request.user, pk, "change")
        parent = None
        parent_id = request.GET.get("parent") or request.POST.get("parent")
        if parent_id:
            if not str(parent_id).isdigit():
                raise Http404(selectors.NOT_FOUND)
            parent = selectors.get_indicator(request.user, int(parent_id), "change")
            if parent.indicator_set_id != indicator_set.pk:
                raise Http404(selectors.NOT_FOUND)
        return indicator_set, parent

    def _render(self, request, indicator_set, parent, form):
        return render(request, "indicators/indicator_form.html", {"set": indicator_set, "parent": parent,
                                                                    "form": form, "indicator": None})

    def get(self, request, pk):
        indicator_set, parent = self._context(request, pk)
        return self._render(request, indicator_set, parent, forms.IndicatorForm())

    def post(self, request, pk):
        indicator_set, parent = self._context(request, pk)
        form = forms.IndicatorForm(request.POST)
        if form.is_valid():
            try:
                services.indicator_create(actor=request.user, indicator_set=indicator_set, parent=parent,
                                          data=dict(form.cleaned_data))
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, "指标已添加。")
                return redirect(_set_url(indicator_set))
        request._operation_failed = True
        return self._render(request, indicator_set, parent, form)


class IndicatorEditView(IndicatorsView):
    permission = "indicators:indicatorset:change"

    def _render(self, request, indicator, form):
        return render(request, "indicators/indicator_form.html", {"set": indicator.indicator_set,
                                                                    "parent": indicator.parent, "form": form,
                                                                    "indicator": indicator})

    def get(self, request, pk):
        indicator = selectors.get_indicator(request.user, pk, "change")
        return self._render(request, indicator, forms.IndicatorForm(instance=indicator))

    def post(self, request, pk):
        indicator = selectors.get_indicator(request.user, pk, "change")
        form = forms.IndicatorForm(request.POST, instance=Indicator(pk=indicator.pk))
        if form.is_valid():
            try:
                services.indicator_update(actor=request.user, instance=indicator, data=dict(form.cleaned_data))
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, "指标已保存。")
                return redirect(_set_url(indicator.indicator_set))
        request._operation_failed = True
        return self._render(request, indicator, form)


class IndicatorDeleteView(IndicatorsView):
    permission = "indicators:indicatorset:delete"

    def post(self, request, pk):
        indicator = selectors.get_indicator(request.user, pk, "delete")
        try:
            services.indicator_delete(actor=request.user, instance=indicator)
        except ValidationError as error:
            _failed(request, error)
        else:
            messages.success(request, f"指标“{indicator}”已删除。")
        return redirect(_set_url(indicator.indicator_set))


class TemplateDetailView(IndicatorsView):
    permission = "indicators:indicatorset:view"

    def get(self, request, pk):
        template = selectors.get_template(request.user, pk)
        indicator_set = template.indicator_set
        items = [i.pk for i in template.items.all()]
        categories = c.KIND_CATEGORIES.get(template.kind, ())
        return render(request, "indicators/template_detail.html", {
            "template": template, "set": indicator_set, "n_items": len(items),
            "tree": selectors.indicator_tree(indicator_set, only=items), "categories": categories,
            "editable": indicator_set.is_draft and selectors.can(request.user, IndicatorTemplate, template, "change"),
        })


class TemplateEditView(IndicatorsView):
    permission = "indicators:indicatorset:change"

    def _render(self, request, template, form):
        return render(request, "indicators/template_form.html", {"template": template, "form": form})

    def get(self, request, pk):
        template = selectors.get_template(request.user, pk, "change")
        return self._render(request, template, forms.TemplateForm(instance=template, user=request.user))

    def post(self, request, pk):
        template = selectors.get_template(request.user, pk, "change")
        form = forms.TemplateForm(request.POST, instance=template, user=request.user)
        if form.is_valid():
            try:
                services.template_update(actor=request.user, instance=template, items=form.cleaned_data["items"],
                                         name=form.cleaned_data["name"],
                                         description=form.cleaned_data["description"])
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, "模板已保存。")
                return redirect(reverse("indicators:indicatortemplate_detail", args=[template.pk]))
        request._operation_failed = True
        return self._render(request, template, form)


# --- Per inspection: the checklist -------------------------------------------------------------------


def _pick_unit(request, units):
    wanted = request.GET.get("unit") or request.POST.get("unit")
    if wanted and str(wanted).isdigit():
        for unit in units:
            if unit.pk == int(wanted):
                return unit
        raise Http404(selectors.NOT_FOUND)
    return units[0] if units else None


def _target(request, inspection) -> Unit:
    units = planning_selectors.inspection_targets(inspection)
    unit = _pick_unit(request, units)
    if unit is None:
        raise Http404(selectors.NOT_FOUND)
    return unit


def _row_context(request, inspection, unit, indicator, result) -> dict:
    return {"inspection": inspection, "unit": unit, "ind": indicator, "res": result,
            "can_record": _can_record(request.user, inspection, "indicators:indicatorresult:add"),
            "results": c.ResultValue.choices}


def _can_record(user, inspection, permission) -> bool:
    return has_perm(user, permission) and inspection.stage in services.RECORDING_STAGES


class ChecklistView(IndicatorsView):
    permission = "indicators:indicatorresult:view"

    def get(self, request, pk):
        user = request.user
        inspection = selectors.get_inspection(user, pk)
        units = planning_selectors.inspection_targets(inspection)
        unit = _pick_unit(request, units)
        bound = selectors.inspection_indicator_set(inspection)
        indicator_set = bound or services.default_set_for(inspection)
        if indicator_set is not None and not selectors.can(user, IndicatorSet, indicator_set, "view"):
            indicator_set = None
        context = {"inspection": inspection, "units": units, "unit": unit, "set": indicator_set, "bound": bound,
                   "can_export": has_perm(user, "indicators:indicatorresult:export"),
                   "can_record": _can_record(user, inspection, "indicators:indicatorresult:add"),
                   "results": c.ResultValue.choices, "stage_ok": inspection.stage in services.RECORDING_STAGES}
        if indicator_set is not None and unit is not None:
            templates = selectors.set_templates(indicator_set)
            wanted = request.GET.get("template", "")
            default = next((t for t in templates if t.kind == c.kind_for_category(unit.category)), None)
            template = default
            if wanted == "all":
                template = None
            elif wanted.isdigit():
                template = next((t for t in templates if t.pk == int(wanted)), default)
            only = [i.pk for i in template.items.all()] if template is not None else None
            results = {r.indicator_id: r for r in selectors.results_of(user, inspection, unit)}
            context.update({
                "templates": templates, "template": template, "default_template": default,
                "tree": selectors.indicator_tree(indicator_set, only=only), "result_map": results,
                "progress": selectors.progress(user, inspection, units, indicator_set),
                "choosable": [s for s in selectors.copy_sources(user) if s.status == c.SetStatus.PUBLISHED],
                "can_rebind": not selectors.results_of(user, inspection).exists(),
            })
        return render(request, "indicators/checklist.html", context)


class ChecklistBindView(IndicatorsView):
    permission = "indicators:indicatorresult:add"

    def post(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk, self.permission)
        set_id = request.POST.get("indicator_set", "")
        if not set_id.isdigit():
            raise Http404(selectors.NOT_FOUND)
        indicator_set = selectors.get_set(request.user, int(set_id))
        try:
            services.checklist_bind(actor=request.user, inspection=inspection, indicator_set=indicator_set)
        except ValidationError as error:
            _failed(request, error)
        else:
            messages.success(request, f"本巡察任务已选用“{indicator_set}”。")
        return redirect(reverse("indicators:inspection_checklist", args=[inspection.pk]))


class ResultRecordView(IndicatorsView):
    """POST one result (quick buttons, htmx) or the notes of one item; answers the row for htmx."""

    permission = "indicators:indicatorresult:add"

    def post(self, request, pk):
        user = request.user
        inspection = selectors.get_inspection(user, pk, self.permission)
        unit = _target(request, inspection)
        ind_id = request.POST.get("indicator", "")
        if not ind_id.isdigit():
            raise Http404(selectors.NOT_FOUND)
        indicator = selectors.get_indicator(user, int(ind_id))
        result_value = request.POST.get("result", "")
        notes = request.POST.get("notes") if "notes" in request.POST else None
        existing = selectors.results_of(user, inspection, unit).filter(indicator=indicator).first()
        if not result_value and existing is not None:
            result_value = existing.result  # the notes form alone keeps the result
        error_text = ""
        try:
            record = services.result_record(actor=user, inspection=inspection, unit=unit, indicator=indicator,
                                            result=result_value, notes=notes)
        except ValidationError as error:
            request._operation_failed = True
            error_text = "；".join(error.messages)
            record = existing
        if request.headers.get("HX-Request"):
            context = _row_context(request, inspection, unit, indicator, record)
            context["error"] = error_text
            indicator_set = selectors.inspection_indicator_set(inspection)
            context["row_progress"] = selectors.progress(user, inspection, [unit], indicator_set)[0]
            return render(request, "indicators/_result_row.html", context, status=200)
        if error_text:
            messages.error(request, error_text)
        return redirect(f"{reverse('indicators:inspection_checklist', args=[inspection.pk])}?unit={unit.pk}"
                        f"#ind-{indicator.pk}")


class ResultDetailView(IndicatorsView):
    """One result: notes and evidence files (upload, download, remove)."""

    permission = "indicators:indicatorresult:view"

    def _render(self, request, result, form=None, upload=None, status=200):
        user = request.user
        return render(request, "indicators/result_detail.html", {
            "res": result, "inspection": result.inspection, "files": list(result.evidence_files.all()),
            "form": form or forms.ResultNotesForm(initial={"notes": result.notes}),
            "upload": upload or forms.EvidenceForm(),
            "editable": _can_record(user, result.inspection, "indicators:indicatorresult:change")
            and selectors.can(user, IndicatorResult, result, "change"),
        }, status=status)

    def get(self, request, pk):
        return self._render(request, selectors.get_result(request.user, pk))

    def post(self, request, pk):
        user = request.user
        result = selectors.get_result(user, pk, "change")
        action = request.POST.get("action", "notes")
        try:
            if action == "upload":
                upload = forms.EvidenceForm(request.POST, request.FILES)
                if not upload.is_valid():
                    request._operation_failed = True
                    return self._render(request, result, upload=upload)
                services.result_attach(actor=user, result=result, upload=upload.cleaned_data["file"])
                messages.success(request, "佐证材料已上传。")
            elif action == "remove":
                file_id = request.POST.get("file", "")
                if not file_id.isdigit():
                    raise Http404(selectors.NOT_FOUND)
                services.result_detach(actor=user, result=result, file_id=int(file_id))
                messages.success(request, "佐证材料已移除（文件仍保留在系统中）。")
            else:
                form = forms.ResultNotesForm(request.POST)
                if not form.is_valid():
                    request._operation_failed = True
                    return self._render(request, result, form=form)
                services.result_record(actor=user, inspection=result.inspection, unit=result.unit,
                                       indicator=result.indicator, result=request.POST.get("result") or result.result,
                                       notes=form.cleaned_data["notes"])
                messages.success(request, "情况说明已保存。")
        except ValidationError as error:
            _failed(request, error)
            return self._render(request, selectors.get_result(user, pk))
        return redirect(reverse("indicators:indicatorresult_detail", args=[result.pk]))


class ResultFileView(IndicatorsView):
    permission = "indicators:indicatorresult:view"

    def get(self, request, pk):
        result = selectors.get_result(request.user, pk)
        file_id = request.GET.get("file", "")
        stored = result.evidence_files.filter(pk=int(file_id)).first() if file_id.isdigit() else None
        if stored is None:
            raise Http404("该佐证材料不存在。")
        return _file(read_bytes(stored), stored.original_name, stored.content_type or "application/octet-stream")


class ResultsExportView(IndicatorsView):
    """The inspection's results as an Excel ledger (台账), in tree order per unit."""

    permission = "indicators:indicatorresult:export"

    def get(self, request, pk):
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        from xuncha.core.excel import _excel_safe

        inspection = selectors.get_inspection(request.user, pk, self.permission)
        wb = Workbook()
        ws = wb.active
        ws.title = "指标检查结果"
        ws.append(["被巡察单位", "一级指标", "检查事项编码", "检查事项", "检查结果", "情况说明", "佐证材料（个）"])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        rows = selectors.results_of(request.user, inspection).select_related("unit", "indicator__root").order_by(
            "unit__name", "indicator__order")
        for r in rows:
            ws.append([_excel_safe(v) for v in (r.unit.name, r.indicator.top.title, r.indicator.code, r.indicator.title,
                                                 r.get_result_display(), r.notes, len(r.evidence_files.all()))])
        for letter, width in zip("ABCDEFG", (24, 30, 12, 40, 10, 60, 12), strict=True):
            ws.column_dimensions[letter].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        import io

        out = io.BytesIO()
        wb.save(out)
        return _file(out.getvalue(), f"{inspection}指标检查结果.xlsx", XLSX)


# --- Per inspection: decisions -----------------------------------------------------------------------


class DecisionChecklistView(IndicatorsView):
    permission = "indicators:decisioncheck:view"

    def get(self, request, pk):
        user = request.user
        inspection = selectors.get_inspection(user, pk, self.permission)
        units = planning_selectors.inspection_targets(inspection)
        unit = _pick_unit(request, units)
        rows = selectors.decision_rows(user, inspection, unit, c.kind_for_category(unit.category)) if unit else []
        return render(request, "indicators/decision_checklist.html", {
            "inspection": inspection, "units": units, "unit": unit, "rows": rows,
            "statuses": c.DecisionStatus.choices, "stage_ok": inspection.stage in services.RECORDING_STAGES,
            "can_record": _can_record(user, inspection, "indicators:decisioncheck:add"),
            "done": sum(1 for _, ch in rows if ch is not None),
        })


class DecisionRecordView(IndicatorsView):
    permission = "indicators:decisioncheck:add"

    def post(self, request, pk):
        user = request.user
        inspection = selectors.get_inspection(user, pk, self.permission)
        unit = _target(request, inspection)
        decision_id = request.POST.get("decision", "")
        if not decision_id.isdigit():
            raise Http404(selectors.NOT_FOUND)
        decision = selectors.decisions_for_user(user).filter(pk=int(decision_id)).first()
        if decision is None:
            raise Http404(selectors.NOT_FOUND)
        notes = request.POST.get("notes") if "notes" in request.POST else None
        try:
            services.decisioncheck_record(actor=user, inspection=inspection, unit=unit, decision=decision,
                                          status=request.POST.get("status", ""), notes=notes)
        except ValidationError as error:
            _failed(request, error)
        else:
            messages.success(request, f"已记录“{decision}”的落实情况。")
        return redirect(f"{reverse('indicators:inspection_decisions', args=[inspection.pk])}?unit={unit.pk}"
                        f"#dec-{decision.pk}")


class DecisionCheckDetailView(IndicatorsView):
    permission = "indicators:decisioncheck:view"

    def _render(self, request, check, upload=None):
        return render(request, "indicators/decisioncheck_detail.html", {
            "check": check, "inspection": check.inspection, "files": list(check.evidence_files.all()),
            "upload": upload or forms.EvidenceForm(),
            "editable": _can_record(request.user, check.inspection, "indicators:decisioncheck:change")
            and selectors.can(request.user, DecisionCheck, check, "change"),
        })

    def get(self, request, pk):
        return self._render(request, selectors.get_decision_check(request.user, pk))

    def post(self, request, pk):
        check = selectors.get_decision_check(request.user, pk, "change")
        upload = forms.EvidenceForm(request.POST, request.FILES)
        if not upload.is_valid():
            request._operation_failed = True
            return self._render(request, check, upload)
        try:
            services.decisioncheck_attach(actor=request.user, check=check, upload=upload.cleaned_data["file"])
        except ValidationError as error:
            _failed(request, error)
        else:
            messages.success(request, "佐证材料已上传。")
        return redirect(reverse("indicators:decisioncheck_detail", args=[check.pk]))


class DecisionCheckFileView(IndicatorsView):
    permission = "indicators:decisioncheck:view"

    def get(self, request, pk):
        check = selectors.get_decision_check(request.user, pk)
        file_id = request.GET.get("file", "")
        stored = check.evidence_files.filter(pk=int(file_id)).first() if file_id.isdigit() else None
        if stored is None:
            raise Http404("该佐证材料不存在。")
        return _file(read_bytes(stored), stored.original_name, stored.content_type or "application/octet-stream")

