"""Survey templates as a Resource (reference data kept by the office): list, filters, form, services,
export. Surveys themselves are a workflow with explicit views (views.py)."""

from __future__ import annotations

from xuncha.core.resources import Column, Resource

from . import filters, forms, services
from .models import SurveyTemplate


def _authority(t: SurveyTemplate) -> str:
    return t.authority.name if t.authority_id else "平台通用"


def _template_context(request, template: SurveyTemplate) -> dict:
    from xuncha.core.scoping import has_perm

    from .choices import QuestionKind
    from .forms import CopyForm

    can_copy = has_perm(request.user, "surveys:surveytemplate:add")
    return {"questions": [{**q, "kind_label": QuestionKind(q["kind"]).label} for q in template.questions],
            "can_copy": can_copy, "copy_form": CopyForm(user=request.user) if can_copy else None}


surveytemplate_resource = Resource(
    model=SurveyTemplate, namespace="surveys", name="surveytemplate", label="测评问卷模板",
    columns=[
        Column("title", "名称", sort="title", link=True),
        Column("kind", "类型", sort="kind", render=lambda t: t.get_kind_display()),
        Column("authority.name", "所属巡察机构", sort="authority__path", render=_authority),
        Column("questions", "题数", render=lambda t: len(t.questions or [])),
        Column("is_active", "启用"),
    ],
    detail_fields=[
        Column("title", "名称"), Column("kind", "类型", render=lambda t: t.get_kind_display()),
        Column("authority", "所属巡察机构", render=_authority), Column("instructions", "填写说明"),
        Column("category_label", "身份题"), Column("categories", "身份类别", render=lambda t: "、".join(t.categories) or "不设"),
        Column("is_active", "启用"),
    ],
    filterset_class=filters.SurveyTemplateFilterSet, form_class=forms.SurveyTemplateForm,
    create=services.template_create, update=services.template_update, delete=services.template_delete,
    select_related=("authority",), default_sort="title", row_edit_links=False,
    detail_template="surveys/surveytemplate_detail.html", extra_context=_template_context,
)

RESOURCES = [surveytemplate_resource]
