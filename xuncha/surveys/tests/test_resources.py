"""Generated page, API and permission tests for the survey templates Resource (core.testing)."""

from xuncha.core.testing.resources import ResourceSpec, resource_tests
from xuncha.surveys.models import SurveyTemplate
from xuncha.surveys.resources import surveytemplate_resource

QUESTIONS = [{"key": "q1", "kind": "rating", "text": "对领导班子的总体评价", "options": ["好", "较好", "一般", "差"],
              "required": True}]


def _template(world, region, i):
    return SurveyTemplate.objects.create(authority=region, kind="evaluation", title=f"{region.name}测评模板{i}",
                                         categories=["班子成员", "一般干部"], questions=QUESTIONS)


def _template_form(world, region):
    return {"authority": region.pk, "kind": "questionnaire", "title": f"{region.name}作风建设问卷（2026年版）",
            "instructions": "无记名填写。", "category_label": "您的身份", "categories": "本单位干部\n服务对象",
            "questions": "[评价] 落实中央八项规定精神情况\n[多选] 突出问题｜文山会海/推诿扯皮/没有明显问题\n[文字] 意见建议",
            "is_active": "on"}


TestSurveyTemplateResource = resource_tests(ResourceSpec(
    resource=surveytemplate_resource, make=_template, form_data=_template_form, edit=("title", "改名后的测评模板"),
    text=lambda t: t.title))
