"""REST routes of surveys (registered on the platform router in xuncha/api_urls.py).

- `surveytemplates`: the templates (same scope, form and services as the pages);
- `surveys`: read-only list and detail of the surveys in scope, and `surveys/<id>/results/` with the
  aggregated results of a closed survey (the same rule as the page: nothing before it closes or
  below the minimum number of answers);
- `survey-answers`: the public answer submission by token (POST only, no login, throttled, answers
  not echoed, parameters kept out of the operation log).
"""

from __future__ import annotations

from dataclasses import asdict

from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from xuncha.core.api import ScopedModelViewSet

from . import selectors, services
from .models import Survey, SurveyTemplate
from .resources import surveytemplate_resource
from .throttle import AnswerThrottle


class SurveyTemplateSerializer(serializers.ModelSerializer):
    authority_name = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = SurveyTemplate
        fields = ["id", "authority", "authority_name", "kind", "kind_label", "title", "instructions", "category_label",
                  "categories", "questions", "is_active", "updated_at"]
        read_only_fields = fields

    def get_authority_name(self, obj) -> str:
        return obj.authority.name if obj.authority_id else "平台通用"


class SurveyTemplateViewSet(ScopedModelViewSet):
    resource = surveytemplate_resource
    serializer_class = SurveyTemplateSerializer


class SurveySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    kind = serializers.CharField(read_only=True)
    tokens_issued = serializers.IntegerField(source="issued", read_only=True)
    tokens_used = serializers.IntegerField(source="used", read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "inspection", "authority", "unit", "unit_name", "template", "title", "kind", "opens_on",
                  "closes_on", "status", "status_label", "tokens_issued", "tokens_used", "remarks"]
        read_only_fields = fields


class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    """Surveys in the user's scope with their response counts (used tokens / issued)."""

    serializer_class = SurveySerializer
    required_permission = "surveys:survey:view"

    def get_queryset(self):
        return selectors.surveys_for_user(self.request.user)

    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Aggregated results: per question counts and percentages, the respondent-category
        breakdown and the free-text answers in a random but stable order. Empty until closed."""
        from django.core.exceptions import PermissionDenied

        from xuncha.core.scoping import has_perm

        if not has_perm(request.user, "surveys:survey:results"):
            raise PermissionDenied("您没有查看测评结果的权限。")
        survey = selectors.get_survey(request.user, int(pk), "results")
        results = selectors.survey_results(survey)
        return Response({
            "survey": survey.pk, "responses": results.responses, "visible": results.visible,
            "reason": results.reason,
            "questions": [asdict(q) for q in results.questions],
            "categories": [{"category": label, "responses": n} for label, n in results.categories],
            "category_tables": [{"question": t.question.key, "options": t.headers,
                                 "rows": [{"category": label, "responses": n, "cells": cells}
                                          for label, n, cells in t.rows]} for t in results.category_tables],
            "category_note": results.category_note,
        })


class AnswerInSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=100, help_text="答题码（二维码链接中的最后一段）")
    answers = serializers.DictField(help_text="身份类别 category，以及各题编号（q1、q2…）对应的选项；多选题为选项列表")


class SurveyAnswerViewSet(viewsets.GenericViewSet):
    """Public: submit one anonymous answer sheet with a one-time token. The answer is not echoed."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnswerThrottle]
    serializer_class = AnswerInSerializer
    log_params = False

    def create(self, request):
        from django.contrib.auth.models import AnonymousUser

        request._request.user = AnonymousUser()  # the operation log keeps no user for an answer
        incoming = AnswerInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            services.answer_submit(token=incoming.validated_data["token"], data=incoming.validated_data["answers"])
        except services.AnswerRefused as error:
            request._request._operation_failed = True
            return Response({"detail": error.message}, status=error.status)
        except services.AnswerInvalid as error:
            request._request._operation_failed = True
            return Response({"answers": error.errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": "答卷已匿名提交，感谢您的参与。"}, status=status.HTTP_201_CREATED)


def register_routes(router) -> None:
    """Add this app's viewsets to the /api/ router."""
    router.register("surveytemplates", SurveyTemplateViewSet, basename="surveytemplate")
    router.register("surveys", SurveyViewSet, basename="survey")
    router.register("survey-answers", SurveyAnswerViewSet, basename="surveyanswer")
