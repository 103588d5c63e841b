"""Tasks (one measure each) through gates 2 and 3: list with deadline colours, detail with the log,
edit, monthly progress with evidence, apply for acceptance, accept or send back, withhold from the
public page, 回头看, evidence files, ledger export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from xuncha.core.files import read_bytes
from xuncha.documents.ledger import ledger_workbook

from .. import choices as c
from .. import forms, selectors, services
from ..models import RectificationTask
from .base import XLSX, RectView, file_response, flash_errors, form_errors, int_param


def _task_url(task) -> str:
    return reverse("rectification:task_detail", args=[task.pk])


def _filters(request) -> dict:
    get = request.GET
    return {"status": get.get("status", "") if get.get("status", "") in c.TaskStatus.values else "",
            "kind": get.get("kind", "") if get.get("kind", "") in c.MeasureKind.values else "",
            "urgency": get.get("urgency", "") if get.get("urgency", "") in c.Urgency.values else "",
            "q": get.get("q", "").strip()}


class TaskListView(RectView):
    permission = "rectification:task:view"

    def get(self, request):
        filters = _filters(request)
        page = Paginator(selectors.tasks_for_user(request.user, **filters), 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "rectification/task_list.html", {
            "page": page, **filters, "statuses": c.TaskStatus.choices, "kinds": c.MeasureKind.choices,
            "urgencies": c.Urgency.choices, "query": query.urlencode(),
            "can_export": selectors.has_perm(request.user, "rectification:task:export")})


class TaskExportView(RectView):
    """The task ledger (整改台账) of what the user may export, with the current filters."""

    permission = "rectification:task:export"

    def get(self, request):
        tasks = selectors.tasks_for_user(request.user, action="export", **_filters(request))
        rows = [[t.unit.name, t.problem.title, t.get_kind_display(), t.content, t.responsible, t.deadline,
                 t.get_status_display(), c.Urgency(t.urgency).label, t.accountable_persons,
                 t.get_accountability_method_display() if t.accountability_method else "", t.rule_name,
                 "是" if t.withheld else "否"] for t in tasks.iterator(chunk_size=2000)]
        data = ledger_workbook([("整改台账", f"巡察整改台账（{timezone.localdate():%Y年%m月%d日}）",
                                 ["被巡察单位", "问题", "措施类型", "整改措施", "责任人", "完成时限", "状态", "时限状态",
                                  "被问责人员", "处理方式", "制度名称", "不予公开"], rows)])
        return file_response(data, "巡察整改台账.xlsx", XLSX)


class TaskDetailView(RectView):
    permission = "rectification:task:view"

    def get(self, request, pk):
        user = request.user
        task = selectors.get_task(user, pk)
        can = {a: selectors.can(user, RectificationTask, task, a)
               for a in ("change", "delete", "report", "apply", "accept", "withhold")}
        return render(request, "rectification/task_detail.html", {
            "task": task, "plan": task.plan, "reports": selectors.task_reports(task), "log": selectors.task_log(task),
            "revisits": selectors.task_revisits(task), "can": can,
            "can_revisit": task.status == c.TaskStatus.ACCEPTED and selectors.has_perm(user, "rectification:revisit:add"),
            "plan_editable": task.plan.editable, "evidence_count": services.task_evidence_count(task),
            "progress_form": forms.ProgressForm(), "reason_form": forms.ReasonForm(),
            "withhold_form": forms.WithholdForm(initial={"withheld": task.withheld,
                                                         "withhold_reason": task.withhold_reason,
                                                         "withhold_note": task.withhold_note})})


class TaskEditView(RectView):
    permission = "rectification:task:change"

    def _render(self, request, task, form):
        return render(request, "rectification/task_form.html", {"plan": task.plan, "problem": task.problem,
                                                                "task": task, "form": form})

    def get(self, request, pk):
        task = selectors.get_task(request.user, pk, "change")
        return self._render(request, task, forms.TaskForm(instance=task, user=request.user))

    def post(self, request, pk):
        task = selectors.get_task(request.user, pk, "change")
        form = forms.TaskForm(request.POST, request.FILES, instance=selectors.get_task(request.user, pk, "change"),
                              user=request.user)
        if form.is_valid():
            try:
                services.task_update(actor=request.user, task=task, data=form.service_data())
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, "整改措施已保存。")
                return redirect(_task_url(task))
        request._operation_failed = True
        return self._render(request, task, form)


class TaskDeleteView(RectView):
    permission = "rectification:task:delete"

    def post(self, request, pk):
        task = selectors.get_task(request.user, pk, "delete")
        try:
            services.task_delete(actor=request.user, task=task)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect(_task_url(task))
        messages.success(request, "整改措施已删除，删除前的内容保留在变更记录中。")
        return redirect(reverse("rectification:plan_detail", args=[task.plan_id]))


class TaskProgressView(RectView):
    """Gate 2: the month's progress and evidence."""

    permission = "rectification:task:report"

    def _render(self, request, task, form):
        return render(request, "rectification/task_progress.html", {"task": task, "form": form})

    def get(self, request, pk):
        task = selectors.get_task(request.user, pk, "report")
        return self._render(request, task, forms.ProgressForm())

    def post(self, request, pk):
        task = selectors.get_task(request.user, pk, "report")
        form = forms.ProgressForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.task_report_progress(actor=request.user, task=task, month=d["month"], content=d["content"],
                                              percent=d["percent"], uploads=d.get("evidence") or [])
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, "本月整改进展已报送。")
                return redirect(_task_url(task))
        request._operation_failed = True
        return self._render(request, task, form)


class _TaskAction(RectView):
    done = ""

    def act(self, request, task):
        raise NotImplementedError

    def post(self, request, pk):
        task = selectors.get_task(request.user, pk)
        try:
            self.act(request, task)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, self.done)
        return redirect(_task_url(task))


class TaskApplyView(_TaskAction):
    permission = "rectification:task:apply"
    done = "已申请验收，等待督导组审核佐证材料。"

    def act(self, request, task):
        services.task_apply(actor=request.user, task=task, opinion=request.POST.get("opinion", ""))


class TaskAcceptView(_TaskAction):
    permission = "rectification:task:accept"
    done = "整改任务已验收通过。"

    def act(self, request, task):
        services.task_accept(actor=request.user, task=task, opinion=request.POST.get("opinion", ""))


class TaskSendBackView(_TaskAction):
    permission = "rectification:task:accept"
    done = "已退回继续整改，退回理由已告知被巡察单位。"

    def act(self, request, task):
        services.task_send_back(actor=request.user, task=task, reason=request.POST.get("reason", ""))


class TaskWithholdView(_TaskAction):
    permission = "rectification:task:withhold"
    done = "公开设置已保存。"

    def act(self, request, task):
        form = forms.WithholdForm(request.POST)
        form.is_valid()
        d = form.cleaned_data
        services.task_withhold(actor=request.user, task=task, withheld=bool(d.get("withheld")),
                               reason=d.get("withhold_reason", ""), note=d.get("withhold_note", ""))


class TaskRevisitView(RectView):
    """回头看: record the re-check of an accepted task; "整改不到位" reopens it."""

    permission = "rectification:revisit:add"

    def _render(self, request, task, form):
        return render(request, "rectification/task_revisit.html", {"task": task, "form": form})

    def get(self, request, pk):
        task = selectors.get_task(request.user, pk)
        return self._render(request, task, forms.RevisitForm(revisits=selectors.revisit_inspections(request.user,
                                                                                                    task)))

    def post(self, request, pk):
        task = selectors.get_task(request.user, pk)
        form = forms.RevisitForm(request.POST, revisits=selectors.revisit_inspections(request.user, task))
        if form.is_valid():
            d = form.cleaned_data
            try:
                check = services.revisit_check(actor=request.user, task=task, result=d["result"], notes=d["notes"],
                                               revisit=d.get("revisit"), new_deadline=d.get("new_deadline"))
            except ValidationError as error:
                form_errors(request, form, error)
            else:
                messages.success(request, "回头看检查已记录。" + ("任务已重新进入整改。"
                                                         if check.result == c.RevisitResult.FAILS else ""))
                return redirect(_task_url(task))
        request._operation_failed = True
        return self._render(request, task, form)


class TaskFileView(RectView):
    """An evidence file, the rule document or the plan's report file (?id=<file id>)."""

    permission = "rectification:task:view"

    def get(self, request, pk):
        stored = selectors.get_task_file(request.user, pk, int_param(request, "id") or 0)
        try:
            data = read_bytes(stored)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect(_task_url(selectors.get_task(request.user, pk)))
        return file_response(data, stored.original_name, stored.content_type or "application/octet-stream")


class PlanFileView(RectView):
    """The plan's rectification report attachment."""

    permission = "rectification:plan:view"

    def get(self, request, pk):
        plan = selectors.get_plan(request.user, pk)
        if not plan.report_file_id:
            from django.http import Http404

            raise Http404("没有报告附件。")
        return file_response(read_bytes(plan.report_file), plan.report_file.original_name,
                             plan.report_file.content_type or "application/octet-stream")


__all__ = ["TaskListView", "TaskExportView", "TaskDetailView", "TaskEditView", "TaskDeleteView", "TaskProgressView",
           "TaskApplyView", "TaskAcceptView", "TaskSendBackView", "TaskWithholdView", "TaskRevisitView",
           "TaskFileView", "PlanFileView"]
