"""Pages of surveys: the survey workflow (create, issue slips, open, close, progress, results,
export) and the public, login-free answer page. Templates are a Resource (resources.py).

Permission rule: no permission at all → 403; a record outside the user's scope → 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.encoding import escape_uri_path
from django.views import View
from django.views.decorators.cache import never_cache

from xuncha.core import selectors as core_selectors
from xuncha.core.scoping import has_perm
from xuncha.core.services import ScopeViolation
from xuncha.core.views import apply_form_errors
from xuncha.planning import selectors as planning_selectors
from xuncha.planning.models import Inspection

from . import choices as c
from . import documents, forms, selectors, services
from .questions import MAX_TEXT
from .throttle import AnswerThrottle

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    response["Cache-Control"] = "no-store"
    return response


class SurveysView(LoginRequiredMixin, View):
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

    def failed(self, error: ValidationError | None = None):
        self.request._operation_failed = True
        for message in (error.messages if error is not None else []):
            messages.error(self.request, message)


def _detail_url(survey) -> str:
    return reverse("surveys:survey_detail", args=[survey.pk])


# --- Lists -----------------------------------------------------------------------------------------


class SurveyListView(SurveysView):
    permission = "surveys:survey:view"

    def get(self, request):
        status, q = request.GET.get("status", ""), request.GET.get("q", "").strip()
        page = Paginator(selectors.surveys_for_user(request.user, status=status, q=q), 50).get_page(
            request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "surveys/survey_list.html", {
            "page": page, "status": status, "q": q, "statuses": c.SurveyStatus.choices, "query": query.urlencode(),
            "can_add": has_perm(request.user, "surveys:survey:add")})


class InspectionSurveysView(SurveysView):
    """The surveys of one inspection (the inspection page's panel links here)."""

    permission = "surveys:survey:view"

    def get(self, request, pk):
        inspection = planning_selectors.get_inspection(request.user, pk)
        surveys = selectors.surveys_for_user(request.user, inspection=inspection)
        return render(request, "surveys/inspection_surveys.html", {
            "inspection": inspection, "surveys": surveys,
            "can_add": has_perm(request.user, "surveys:survey:add") and inspection.stage in c.CREATE_STAGES})


# --- Create, edit, delete --------------------------------------------------------------------------


class SurveyAddView(SurveysView):
    """Pick the inspection first (the units and dates depend on it)."""

    permission = "surveys:survey:add"

    def get(self, request):
        inspections = (Inspection.objects.for_user(request.user, "view").filter(stage__in=c.CREATE_STAGES)
                       .select_related("round", "group").order_by("-round__year", "round__number", "group__number"))
        chosen = request.GET.get("inspection", "")
        if chosen.isdigit() and inspections.filter(pk=int(chosen)).exists():
            return redirect(reverse("surveys:inspection_survey_add", args=[int(chosen)]))
        return render(request, "surveys/survey_pick_inspection.html", {"inspections": inspections})


class InspectionSurveyAddView(SurveysView):
    permission = "surveys:survey:add"

    def _render(self, request, inspection, form):
        return render(request, "surveys/survey_form.html", {"inspection": inspection, "form": form})

    def get(self, request, pk):
        inspection = planning_selectors.get_inspection(request.user, pk)
        initial = {"opens_on": inspection.stationed_date, "closes_on": inspection.round.end_date}
        return self._render(request, inspection, forms.SurveyForm(initial=initial, inspection=inspection,
                                                                  user=request.user))

    def post(self, request, pk):
        inspection = planning_selectors.get_inspection(request.user, pk)
        form = forms.SurveyForm(request.POST, inspection=inspection, user=request.user)
        if form.is_valid():
            try:
                survey = services.survey_create(actor=request.user, inspection=inspection, data=form.cleaned_data)
            except ValidationError as error:
                self.failed()
                apply_form_errors(form, error)
            else:
                messages.success(request, f"已新建“{survey.title}”。下一步：发放答题码并开始测评。")
                return redirect(_detail_url(survey))
        self.failed()
        return self._render(request, inspection, form)


class SurveyEditView(SurveysView):
    permission = "surveys:survey:change"

    def _render(self, request, survey, form):
        return render(request, "surveys/survey_form.html", {"inspection": survey.inspection, "survey": survey,
                                                            "form": form})

    def get(self, request, pk):
        survey = selectors.get_survey(request.user, pk, "change")
        return self._render(request, survey, forms.SurveyForm(instance=survey, inspection=survey.inspection,
                                                              user=request.user))

    def post(self, request, pk):
        survey = selectors.get_survey(request.user, pk, "change")
        form = forms.SurveyForm(request.POST, instance=selectors.get_survey(request.user, pk, "change"),
                                inspection=survey.inspection, user=request.user)
        if form.is_valid():
            try:
                services.survey_update(actor=request.user, instance=survey, data=form.cleaned_data)
            except ValidationError as error:
                self.failed()
                apply_form_errors(form, error)
            else:
                messages.success(request, "测评已保存。")
                return redirect(_detail_url(survey))
        self.failed()
        return self._render(request, survey, form)


class SurveyDeleteView(SurveysView):
    permission = "surveys:survey:delete"

    def post(self, request, pk):
        survey = selectors.get_survey(request.user, pk, "delete")
        try:
            services.survey_delete(actor=request.user, instance=survey)
        except ValidationError as error:
            self.failed(error)
            return redirect(_detail_url(survey))
        messages.success(request, "测评已删除，删除前的内容保留在变更记录中。")
        return redirect(reverse("surveys:inspection_surveys", args=[survey.inspection_id]))


class SurveyHistoryView(SurveysView):
    permission = "surveys:survey:view"

    def get(self, request, pk):
        survey = selectors.get_survey(request.user, pk)
        return render(request, "surveys/survey_history.html", {
            "survey": survey, "entries": core_selectors.history_entries(survey)})


# --- Detail, open, close ---------------------------------------------------------------------------


class SurveyDetailView(SurveysView):
    permission = "surveys:survey:view"

    def get(self, request, pk):
        user = request.user
        survey = selectors.get_survey(user, pk)
        content = survey.content()
        return render(request, "surveys/survey_detail.html", {
            "survey": survey, "content": content, "progress": selectors.survey_progress(survey),
            "batches": survey.batches.select_related("created_by").order_by("id"),
            "questions": [{**q, "kind_label": c.QuestionKind(q["kind"]).label} for q in content["questions"]],
            "can": {a: services.can(user, survey, a) for a in ("change", "delete", "issue", "open", "close",
                                                               "results", "export")},
            "min_responses": c.RESULT_MIN_RESPONSES,
        })


class SurveyOpenView(SurveysView):
    permission = "surveys:survey:open"

    def post(self, request, pk):
        survey = selectors.get_survey(request.user, pk, "open")
        try:
            services.survey_open(actor=request.user, survey=survey)
        except ValidationError as error:
            self.failed(error)
        else:
            messages.success(request, "测评已开始，题目已固定；答题人凭答题码即可作答。")
        return redirect(_detail_url(survey))


class SurveyCloseView(SurveysView):
    permission = "surveys:survey:close"

    def post(self, request, pk):
        survey = selectors.get_survey(request.user, pk, "close")
        try:
            services.survey_close(actor=request.user, survey=survey)
        except ValidationError as error:
            self.failed(error)
        else:
            messages.success(request, "测评已结束，未使用的答题码随之作废；结束后不能重新开始。")
        return redirect(_detail_url(survey))


class SurveyPreviewView(SurveysView):
    """The answer page as a respondent will see it, without a token (nothing can be submitted)."""

    permission = "surveys:survey:view"

    def get(self, request, pk):
        survey = selectors.get_survey(request.user, pk)
        return AnswerView().render_form(request, survey, "", preview=True)


# --- Answer slips ----------------------------------------------------------------------------------


class SurveyIssueView(SurveysView):
    """Issue a batch of one-time tokens: the answer is the Word sheet of slips (or, for sending them
    electronically, a page listing the links). Either way the raw tokens exist only in this answer."""

    permission = "surveys:survey:issue"

    def _render(self, request, survey, form, links=None, status=200):
        return render(request, "surveys/survey_issue.html", {"survey": survey, "form": form, "links": links},
                      status=status)

    def get(self, request, pk):
        survey = selectors.get_survey(request.user, pk, "issue")
        return self._render(request, survey, forms.IssueForm(initial={"count": 30}))

    def post(self, request, pk):
        survey = selectors.get_survey(request.user, pk, "issue")
        form = forms.IssueForm(request.POST)
        if not form.is_valid():
            self.failed()
            return self._render(request, survey, form)
        try:
            batch, raws = services.tokens_issue(actor=request.user, survey=survey, count=form.cleaned_data["count"],
                                                note=form.cleaned_data["note"])
        except ValidationError as error:
            self.failed()
            apply_form_errors(form, error)
            return self._render(request, survey, form)
        base = form.cleaned_data["base_url"] or request.build_absolute_uri("/").rstrip("/")
        links = [base + reverse("surveys:answer", args=[raw]) for raw in raws]
        if request.POST.get("format") == "links":
            response = self._render(request, survey, forms.IssueForm(initial={"count": 30}), links=links)
            response["Cache-Control"] = "no-store"
            return response
        content = documents.slips_docx(survey=survey, links=links, batch_label=f"第{batch.number}批答题码")
        return file_response(content, f"{survey.title}答题码（第{batch.number}批，{len(raws)}份）.docx", DOCX)


# --- Results ---------------------------------------------------------------------------------------


class SurveyResultsView(SurveysView):
    permission = "surveys:survey:results"

    def get(self, request, pk):
        survey = selectors.get_survey(request.user, pk, "results")
        results = selectors.survey_results(survey)
        return render(request, "surveys/survey_results.html", {
            "survey": survey, "results": results, "progress": selectors.survey_progress(survey),
            "charts": results.chart_data(), "can_export": services.can(request.user, survey, "export")})


class SurveyExportView(SurveysView):
    permission = "surveys:survey:export"

    def get(self, request, pk):
        survey = selectors.get_survey(request.user, pk, "export")
        if not services.can(request.user, survey, "results"):
            raise PermissionDenied("您没有查看测评结果的权限。")
        results = selectors.survey_results(survey)
        if not results.visible:
            messages.error(request, results.reason)
            request._operation_failed = True
            return redirect(reverse("surveys:survey_results", args=[survey.pk]))
        return file_response(documents.results_xlsx(results), f"{survey.title}统计结果.xlsx", XLSX)


# --- Templates: copy (the rest is the Resource) --------------------------------------------------


class TemplateCopyView(SurveysView):
    permission = "surveys:surveytemplate:add"

    def post(self, request, pk):
        template = selectors.get_template(request.user, pk)
        form = forms.CopyForm(request.POST, user=request.user)
        if not form.is_valid():
            self.failed()
            for line in form.error_summary():
                messages.error(request, line)
            return redirect(reverse("surveys:surveytemplate_detail", args=[template.pk]))
        copy = services.template_copy(actor=request.user, template=template, authority=form.cleaned_data["authority"])
        messages.success(request, f"已复制为“{copy.title}”，可在此基础上修改。")
        return redirect(reverse("surveys:surveytemplate_edit", args=[copy.pk]))


# --- The public answer page ----------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class AnswerView(View):
    """Login-free, for a phone: the survey of a valid, unused token. The token is in the path, so
    the view is secret for the operation log (route pattern only, no parameters), and whoever is
    logged in on this browser is treated as anonymous: the log keeps no user for an answer."""

    log_params = False

    def dispatch(self, request, *args, **kwargs):
        request.user = AnonymousUser()
        return super().dispatch(request, *args, **kwargs)

    def _refused(self, request, error: services.AnswerRefused):
        return render(request, "surveys/answer_message.html", {"title": "无法作答", "message": error.message,
                                                               "ok": False}, status=error.status)

    def render_form(self, request, survey, code, *, data=None, errors=None, status=200, preview=False):
        content = survey.content()
        questions = []
        for number, q in enumerate(content["questions"], start=1):
            if q["kind"] == c.QuestionKind.MULTIPLE:
                value = data.getlist(q["key"]) if data is not None else []
            else:
                value = data.get(q["key"], "") if data is not None else ""
            questions.append({**q, "number": number, "value": value, "error": (errors or {}).get(q["key"])})
        return render(request, "surveys/answer_form.html", {
            "survey": survey, "content": content, "questions": questions, "code": code, "max_text": MAX_TEXT,
            "category": data.get("category", "") if data is not None else "",
            "category_error": (errors or {}).get("category"), "errors": errors, "preview": preview}, status=status)

    def get(self, request, code):
        try:
            survey = services.survey_for_token(code)
        except services.AnswerRefused as error:
            return self._refused(request, error)
        return self.render_form(request, survey, code)

    def post(self, request, code):
        if not AnswerThrottle().allow_request(request, self):
            request._operation_failed = True
            return render(request, "surveys/answer_message.html", {
                "title": "请稍后再试", "ok": False, "message": "提交过于频繁，请稍候一分钟再提交。"}, status=429)
        try:
            services.answer_submit(token=code, data=request.POST)
        except services.AnswerRefused as error:
            request._operation_failed = True
            return self._refused(request, error)
        except services.AnswerInvalid as error:
            request._operation_failed = True
            return self.render_form(request, services.survey_for_token(code), code, data=request.POST,
                              errors=error.errors, status=400)
        # No echo of the answers: the page says thank you and nothing else.
        return render(request, "surveys/answer_message.html", {
            "title": "提交成功", "ok": True,
            "message": "您的答卷已匿名提交，感谢您的参与。答题码已作废，关闭本页即可。"})

