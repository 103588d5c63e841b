"""Pages of findings: the problem drafts and the problem list (问题底稿, 问题清单) with their review
workflow; clues (问题线索), their transfer (移交) with the Word letter, dispositions and reminders.

Every read goes through `selectors` (the user's scope; 404 outside it). Every clue page is secret for
the operation log (`log_params = False`: neither the parameters nor the real path are recorded).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.views import View

from xuncha.core.files import read_bytes
from xuncha.core.scoping import has_perm
from xuncha.core.selectors import history_entries
from xuncha.core.services import ScopeViolation
from xuncha.core.views import apply_form_errors

from . import forms, selectors, services, workflow
from .choices import CLUE_STAGES, WRITING_STAGES, ClueStatus, ProblemKind, ProblemStatus, Severity
from .documents import problem_list_workbook

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FindingsView(LoginRequiredMixin, View):
    """403 unless some grant of the user holds one of `permissions`; the record's scope is checked by
    the selectors (404 outside it)."""

    permissions: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not any(has_perm(request.user, p) for p in self.permissions):
            raise PermissionDenied("您没有访问此页面的权限。")
        try:
            return super().dispatch(request, *args, **kwargs)
        except ScopeViolation as error:
            raise Http404(str(error)) from error


class SecretView(FindingsView):
    """Clue pages: the operation log records the action and the route pattern, never the parameters."""

    log_params = False


def _failed(request, error: ValidationError) -> None:
    request._operation_failed = True
    for message in error.messages:
        messages.error(request, message)


def _form_failed(request, form, error: ValidationError) -> None:
    request._operation_failed = True
    apply_form_errors(form, error)


def _file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def _int(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Problems -----------------------------------------------------------------------------------------


def _problem_filters(request, inspection) -> selectors.ProblemFilters:
    get = request.GET
    # The list across inspections is the 问题清单: confirmed problems unless another status is asked for.
    status = get.get("status", "" if inspection is not None else ProblemStatus.CONFIRMED)
    return selectors.ProblemFilters(
        inspection=inspection.pk if inspection is not None else _int(get.get("inspection")),
        unit=_int(get.get("unit")), category=_int(get.get("category")),
        kind=get.get("kind", "") if get.get("kind", "") in ProblemKind.values else "",
        severity=get.get("severity", "") if get.get("severity", "") in Severity.values else "",
        status=status if status in ProblemStatus.values else "", q=get.get("q", "").strip()[:100])


class ProblemListView(FindingsView):
    """问题清单 across inspections (/findings/problems/) or 问题底稿与问题清单 of one inspection."""

    permissions = ("findings:problem:view",)

    def get(self, request, pk=None):
        user = request.user
        inspection = selectors.get_inspection(user, pk) if pk is not None else None
        filters = _problem_filters(request, inspection)
        page = Paginator(selectors.problems_for(user, filters), 50).get_page(request.GET.get("page"))
        export_url = reverse("findings:inspection_problems_export", args=[pk]) if pk else reverse(
            "findings:problem_export")
        return render(request, "findings/problem_list.html", {
            "inspection": inspection, "page": page, "filters": filters, "query": _query(request),
            "export_url": f"{export_url}?{request.GET.urlencode()}",
            "can_export": has_perm(user, "findings:problem:export"),
            "can_add": inspection is not None and inspection.stage in WRITING_STAGES
            and has_perm(user, "findings:problem:add"),
            "kinds": ProblemKind.choices, "severities": Severity.choices, "statuses": ProblemStatus.choices,
            "status_given": "status" in request.GET,
            **selectors.problem_filter_choices(user, inspection),
        })


class ProblemExportView(FindingsView):
    permissions = ("findings:problem:export",)

    def get(self, request, pk=None):
        user = request.user
        inspection = selectors.get_inspection(user, pk) if pk is not None else None
        filters = _problem_filters(request, inspection)
        problems = selectors.problems_for(user, filters, action="export")
        title = f"{inspection}问题清单" if inspection is not None else "问题清单"
        stamp = timezone.localtime().strftime("%Y%m%d")
        return _file_response(problem_list_workbook(problems, title), f"{title}_{stamp}.xlsx", XLSX)


class ProblemAddView(FindingsView):
    permissions = ("findings:problem:add",)

    def _render(self, request, inspection, form):
        return render(request, "findings/problem_form.html", {"inspection": inspection, "form": form})

    def get(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk)
        return self._render(request, inspection, forms.ProblemForm(inspection=inspection, user=request.user))

    def post(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk)
        form = forms.ProblemForm(request.POST, request.FILES, inspection=inspection, user=request.user)
        if form.is_valid():
            try:
                problem = services.problem_create(actor=request.user, inspection=inspection, data=form.cleaned_data,
                                                  uploads=[form.cleaned_data.get("upload")])
            except ValidationError as error:
                _form_failed(request, form, error)
            else:
                messages.success(request, f"已保存问题底稿“{problem.title}”。撰写完成后请“提交审核”。")
                return redirect(reverse("findings:problem_detail", args=[problem.pk]))
        request._operation_failed = True
        return self._render(request, inspection, form)


class ProblemDetailView(FindingsView):
    permissions = ("findings:problem:view",)

    def get(self, request, pk):
        user = request.user
        problem = selectors.get_problem(user, pk)
        return render(request, "findings/problem_detail.html", {
            "problem": problem, "inspection": problem.inspection, "steps": selectors.problem_steps(user, problem),
            "log": selectors.problem_log(user, problem), "files": problem.evidence_files.all(),
            "cadres": problem.responsible_cadres.select_related("unit").all(),
            "can_edit": has_perm(user, "findings:problem:change") and not workflow.edit_refusal(user, problem),
            "can_delete": has_perm(user, "findings:problem:delete") and not workflow.edit_refusal(user, problem),
            # The group's own workings (who wrote and reviewed, the meeting, the log) are for those who
            # write problems (the group and the office), not for readers of the confirmed list (领导,
            # 督导组, the unit after feedback).
            "can_history": has_perm(user, "findings:problem:add"),
            "today": timezone.localdate(),
        })


class ProblemEditView(FindingsView):
    permissions = ("findings:problem:change",)

    def _render(self, request, problem, form):
        return render(request, "findings/problem_form.html", {"inspection": problem.inspection, "problem": problem,
                                                              "form": form})

    def get(self, request, pk):
        problem = selectors.get_problem(request.user, pk, "change")
        refusal = workflow.edit_refusal(request.user, problem)
        if refusal:
            messages.error(request, refusal)
            return redirect(reverse("findings:problem_detail", args=[pk]))
        return self._render(request, problem, forms.ProblemForm(instance=problem, inspection=problem.inspection,
                                                                user=request.user))

    def post(self, request, pk):
        problem = selectors.get_problem(request.user, pk, "change")
        form = forms.ProblemForm(request.POST, request.FILES, instance=selectors.get_problem(request.user, pk, "change"),
                                 inspection=problem.inspection, user=request.user)
        if form.is_valid():
            try:
                services.problem_update(actor=request.user, problem=problem, data=form.cleaned_data,
                                        uploads=[form.cleaned_data.get("upload")],
                                        remove_files=list(form.cleaned_data.get("remove_files") or []))
            except ValidationError as error:
                _form_failed(request, form, error)
            else:
                messages.success(request, "已保存修改。")
                return redirect(reverse("findings:problem_detail", args=[pk]))
        request._operation_failed = True
        return self._render(request, problem, form)


class ProblemDeleteView(FindingsView):
    permissions = ("findings:problem:delete",)

    def post(self, request, pk):
        problem = selectors.get_problem(request.user, pk, "delete")
        try:
            services.problem_delete(actor=request.user, problem=problem)
        except ValidationError as error:
            _failed(request, error)
            return redirect(reverse("findings:problem_detail", args=[pk]))
        messages.success(request, f"已删除问题底稿“{problem.title}”。")
        return redirect(reverse("findings:inspection_problems", args=[problem.inspection_id]))


class ProblemTransitionView(FindingsView):
    """POST a workflow step (提交, 审核, 退回, 确认, 重新打开); the service checks its permission."""

    permissions = ("findings:problem:view",)

    def post(self, request, pk):
        problem = selectors.get_problem(request.user, pk)
        form = forms.TransitionForm(request.POST)
        if not form.is_valid():
            _failed(request, ValidationError(form.error_summary()))
            return redirect(reverse("findings:problem_detail", args=[pk]))
        data = form.cleaned_data
        step = workflow.step_named(data["step"])
        try:
            services.problem_transition(actor=request.user, problem=problem, step=data["step"],
                                        opinion=data.get("opinion") or "", meeting=data.get("meeting") or "",
                                        meeting_date=data.get("meeting_date"))
        except ValidationError as error:
            _failed(request, error)
        else:
            messages.success(request, f"已{step.label}。")
        return redirect(reverse("findings:problem_detail", args=[pk]))


class ProblemHistoryView(FindingsView):
    """The change log shows the problem's drafting (earlier wording, who wrote and reviewed it, from
    which address): only for who may see drafts, never for the read-only roles (领导, 督导组) or the
    unit's liaison, who read the confirmed problem only (`Problem.scope_q_for_grant`)."""

    permissions = ("findings:problem:add",)

    def get(self, request, pk):
        problem = selectors.get_problem(request.user, pk, "add")
        return render(request, "findings/history.html", {
            "object": problem, "entries": history_entries(problem), "list_label": "问题清单",
            "list_url": reverse("findings:inspection_problems", args=[problem.inspection_id]),
            "detail_url": reverse("findings:problem_detail", args=[pk])})


class ProblemFileView(FindingsView):
    permissions = ("findings:problem:view",)

    def get(self, request, pk):
        problem = selectors.get_problem(request.user, pk)
        stored = problem.evidence_files.filter(pk=_int(request.GET.get("file")) or 0).first()
        if stored is None:
            raise Http404("附件不存在。")
        try:
            data = read_bytes(stored)
        except ValidationError as error:
            raise Http404(error.messages[0]) from error
        return _file_response(data, stored.original_name, stored.content_type)


# --- Clues --------------------------------------------------------------------------------------------

CLUE_READERS = ("findings:clue:view", "findings:clue:add")


class ClueListView(SecretView):
    """Clues the user may read: the scope for the group leader and the office, one's own for a member."""

    permissions = CLUE_READERS

    def get(self, request, pk=None):
        user = request.user
        inspection = selectors.get_inspection(user, pk) if pk is not None else None
        status = request.GET.get("status", "")
        q = request.GET.get("q", "").strip()[:100]
        clues = selectors.clues_for(user, inspection=inspection, status=status, q=q)
        page = Paginator(clues, 50).get_page(request.GET.get("page"))
        today = timezone.localdate()
        rows = [{"clue": c, "flags": selectors.clue_flags(c.transfer.due_date if c.transfer_id else None,
                                                          c.status == ClueStatus.TRANSFERRED, today)}
                for c in page.object_list]
        return render(request, "findings/clue_list.html", {
            "inspection": inspection, "page": page, "rows": rows, "status": status, "q": q,
            "statuses": ClueStatus.choices, "query": _query(request),
            "sees_all": selectors.can_view_clues(user),
            "can_add": inspection is not None and inspection.stage in CLUE_STAGES
            and has_perm(user, "findings:clue:add"),
            "can_transfer": inspection is not None and inspection.stage in CLUE_STAGES
            and has_perm(user, "findings:clue:transfer"),
        })


class ClueAddView(SecretView):
    permissions = ("findings:clue:add",)

    def _render(self, request, inspection, form):
        return render(request, "findings/clue_form.html", {"inspection": inspection, "form": form})

    def get(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk)
        return self._render(request, inspection, forms.ClueForm(inspection=inspection, user=request.user))

    def post(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk)
        form = forms.ClueForm(request.POST, request.FILES, inspection=inspection, user=request.user)
        if form.is_valid():
            try:
                clue = services.clue_create(actor=request.user, inspection=inspection, data=form.cleaned_data,
                                            persons=form.persons(), uploads=[form.cleaned_data.get("upload")])
            except ValidationError as error:
                _form_failed(request, form, error)
            else:
                messages.success(request, f"已登记问题线索 {clue.number}。")
                return redirect(reverse("findings:clue_detail", args=[clue.pk]))
        request._operation_failed = True
        return self._render(request, inspection, form)


class ClueDetailView(SecretView):
    permissions = CLUE_READERS

    def get(self, request, pk):
        user = request.user
        clue = selectors.get_clue(user, pk)
        due = clue.transfer.due_date if clue.transfer_id else None
        can_dispose = (clue.transfer_id is not None and has_perm(user, "findings:clue:dispose")
                       and selectors.can_view_clues(user))
        return render(request, "findings/clue_detail.html", {
            "clue": clue, "inspection": clue.inspection, "persons": clue.persons.select_related("cadre").all(),
            "files": clue.evidence_files.all(),
            "dispositions": selectors.clue_dispositions(user, clue) if selectors.can_view_clues(user) else [],
            "flags": selectors.clue_flags(due, clue.status == ClueStatus.TRANSFERRED),
            "sees_all": selectors.can_view_clues(user),
            "can_edit": clue.status == ClueStatus.REGISTERED and has_perm(user, "findings:clue:change"),
            "can_delete": clue.status == ClueStatus.REGISTERED and has_perm(user, "findings:clue:delete"),
            "dispose_form": forms.DispositionForm() if can_dispose else None,
        })


class ClueEditView(SecretView):
    permissions = ("findings:clue:change",)

    def _render(self, request, clue, form):
        return render(request, "findings/clue_form.html", {"inspection": clue.inspection, "clue": clue, "form": form})

    def get(self, request, pk):
        clue = selectors.get_clue(request.user, pk, "change")
        return self._render(request, clue, forms.ClueForm(instance=clue, inspection=clue.inspection,
                                                          user=request.user))

    def post(self, request, pk):
        clue = selectors.get_clue(request.user, pk, "change")
        form = forms.ClueForm(request.POST, request.FILES, instance=selectors.get_clue(request.user, pk, "change"),
                              inspection=clue.inspection, user=request.user)
        if form.is_valid():
            try:
                services.clue_update(actor=request.user, clue=clue, data=form.cleaned_data, persons=form.persons(),
                                     uploads=[form.cleaned_data.get("upload")],
                                     remove_files=list(form.cleaned_data.get("remove_files") or []))
            except ValidationError as error:
                _form_failed(request, form, error)
            else:
                messages.success(request, "已保存修改。")
                return redirect(reverse("findings:clue_detail", args=[pk]))
        request._operation_failed = True
        return self._render(request, clue, form)


class ClueDeleteView(SecretView):
    permissions = ("findings:clue:delete",)

    def post(self, request, pk):
        clue = selectors.get_clue(request.user, pk, "delete")
        try:
            services.clue_delete(actor=request.user, clue=clue)
        except ValidationError as error:
            _failed(request, error)
            return redirect(reverse("findings:clue_detail", args=[pk]))
        messages.success(request, f"已删除线索 {clue.number}。")
        return redirect(reverse("findings:inspection_clues", args=[clue.inspection_id]))


class ClueHistoryView(SecretView):
    """The change history of a clue: its secret fields show as ［保密］ (`Clue.history_secret`)."""

    permissions = ("findings:clue:view",)

    def get(self, request, pk):
        clue = selectors.get_clue(request.user, pk)
        return render(request, "findings/history.html", {
            "object": clue, "entries": history_entries(clue), "list_label": "问题线索",
            "list_url": reverse("findings:inspection_clues", args=[clue.inspection_id]),
            "detail_url": reverse("findings:clue_detail", args=[pk])})


class ClueFileView(SecretView):
    permissions = CLUE_READERS

    def get(self, request, pk):
        clue = selectors.get_clue(request.user, pk)
        stored = clue.evidence_files.filter(pk=_int(request.GET.get("file")) or 0).first()
        if stored is None:
            raise Http404("附件不存在。")
        try:
            data = read_bytes(stored)
        except ValidationError as error:
            raise Http404(error.messages[0]) from error
        return _file_response(data, stored.original_name, stored.content_type)


class ClueDisposeView(SecretView):
    permissions = ("findings:clue:dispose",)

    def post(self, request, pk):
        clue = selectors.get_clue(request.user, pk, "dispose")
        form = forms.DispositionForm(request.POST)
        if not form.is_valid():
            _failed(request, ValidationError(form.error_summary()))
        else:
            try:
                services.disposition_create(actor=request.user, clue=clue, data=form.cleaned_data)
            except ValidationError as error:
                _failed(request, error)
            else:
                messages.success(request, "已登记处置情况。")
        return redirect(reverse("findings:clue_detail", args=[pk]))


class TransferAddView(SecretView):
    """移交: choose registered clues of the inspection, the receiver and the date; the letter is generated."""

    permissions = ("findings:clue:transfer",)

    def _render(self, request, inspection, form):
        return render(request, "findings/transfer_form.html", {
            "inspection": inspection, "form": form,
            "receivers": {k: forms.receiver_default(k, inspection.authority.name) for k in ("discipline",
                                                                                            "organisation")}})

    def get(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk)
        form = forms.TransferForm(clues=selectors.transferable_clues(request.user, inspection))
        form.initial.setdefault("receiver_name", forms.receiver_default("discipline", inspection.authority.name))
        return self._render(request, inspection, form)

    def post(self, request, pk):
        inspection = selectors.get_inspection(request.user, pk)
        form = forms.TransferForm(request.POST, clues=selectors.transferable_clues(request.user, inspection))
        if form.is_valid():
            data = form.cleaned_data
            try:
                transfer = services.transfer_create(actor=request.user, inspection=inspection,
                                                    clues=list(data["clues"]), data=data)
            except ValidationError as error:
                _form_failed(request, form, error)
            else:
                messages.success(request, f"已移交 {len(data['clues'])} 条线索（{transfer.number}），"
                                          f"处置反馈期限为{transfer.due_date.year}年{transfer.due_date.month}月{transfer.due_date.day}日。")
                return redirect(reverse("findings:cluetransfer_detail", args=[transfer.pk]))
        request._operation_failed = True
        return self._render(request, inspection, form)


class TransferListView(SecretView):
    permissions = ("findings:clue:view",)

    def get(self, request):
        today = timezone.localdate()
        page = Paginator(selectors.transfers_for(request.user), 50).get_page(request.GET.get("page"))
        rows = [{"transfer": t, "flags": selectors.clue_flags(t.due_date, t.waiting > 0, today)}
                for t in page.object_list]
        return render(request, "findings/transfer_list.html", {"page": page, "rows": rows, "query": _query(request)})


class TransferDetailView(SecretView):
    permissions = ("findings:clue:view",)

    def get(self, request, pk):
        user = request.user
        transfer = selectors.get_transfer(user, pk)
        clues = selectors.clues_for(user).filter(transfer=transfer)
        return render(request, "findings/transfer_detail.html", {
            "transfer": transfer, "inspection": transfer.inspection, "clues": clues,
            "flags": selectors.clue_flags(transfer.due_date, transfer.waiting > 0)})


class TransferLetterView(SecretView):
    permissions = ("findings:clue:view",)

    def get(self, request, pk):
        transfer = selectors.get_transfer(request.user, pk)
        if transfer.letter_id is None:
            raise Http404("移交函尚未生成。")
        try:
            data = read_bytes(transfer.letter)
        except ValidationError as error:
            raise Http404(error.messages[0]) from error
        return _file_response(data, f"{transfer.number}移交函.docx", DOCX)


class ReminderListView(SecretView):
    permissions = ("findings:clue:view",)

    def get(self, request):
        open_only = request.GET.get("all") != "1"
        page = Paginator(selectors.reminders_for(request.user, open_only=open_only), 50).get_page(
            request.GET.get("page"))
        return render(request, "findings/reminder_list.html", {"page": page, "open_only": open_only,
                                                               "query": _query(request)})


class ReminderHandleView(SecretView):
    permissions = ("findings:clue:view",)

    def post(self, request, pk):
        reminder = selectors.reminders_for(request.user).filter(pk=pk).first()
        if reminder is None:
            raise Http404(selectors.NOT_FOUND)
        services.reminder_handle(actor=request.user, reminder=reminder)
        messages.success(request, "已标记为已处理。")
        return redirect(reverse("findings:cluereminder_list"))
