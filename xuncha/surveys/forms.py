"""Forms of surveys. Related choices come from the user's scope (templates, units of the inspection)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from xuncha.core.forms import StyledFormMixin
from xuncha.org.forms import ScopedModelForm
from xuncha.org.models import Region, Unit

from . import choices as c
from .models import Survey, SurveyTemplate
from .questions import format_questions, parse_categories, parse_questions
from .services import MAX_BATCH

QUESTIONS_HELP = ("每行一道题，以题型开头：[评价]、[单选]、[多选]、[文字]；选项写在“｜”之后，用“/”分隔。"
                  "评价题不写选项时默认为“好/较好/一般/差”。例：[单选] 对选人用人风气的看法｜风气好/风气较好/风气一般/风气差")


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SurveyTemplateForm(ScopedModelForm):
    questions = forms.CharField(label="题目", widget=forms.Textarea(attrs={"rows": 14}), help_text=QUESTIONS_HELP)
    categories = forms.CharField(label="身份类别", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text="每行一个，如：班子成员、中层干部、一般干部、服务对象；不填则不设身份题。")

    class Meta:
        model = SurveyTemplate
        fields = ["authority", "kind", "title", "instructions", "category_label", "categories", "questions",
                  "is_active"]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3})}

    def limit(self):
        field = self.fields["authority"]
        field.queryset = Region.objects.for_user_perm(self.user, f"surveys:surveytemplate:{self.action}")
        field.required = True
        field.empty_label = "——请选择——"
        if self.instance.pk:
            self.initial["questions"] = format_questions(self.instance.questions)
            self.initial["categories"] = "\n".join(self.instance.categories or [])

    def clean_questions(self):
        return parse_questions(self.cleaned_data.get("questions", ""))

    def clean_categories(self):
        return parse_categories(self.cleaned_data.get("categories", ""))


class SurveyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["unit", "template", "title", "opens_on", "closes_on", "remarks"]
        widgets = {"opens_on": _date_widget(), "closes_on": _date_widget()}
        help_texts = {"title": "不填则为“单位名称＋模板名称”。"}

    def __init__(self, *args, inspection, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=inspection.target_links.values("unit_id")).order_by("name")
        self.fields["unit"].empty_label = "——请选择——"
        templates = SurveyTemplate.objects.for_user(user, "view").filter(is_active=True)
        if self.instance.pk:
            templates = templates | SurveyTemplate.objects.filter(pk=self.instance.template_id)
        self.fields["template"].queryset = templates.select_related("authority").order_by("kind", "title", "id")
        self.fields["template"].label_from_instance = lambda t: (
            f"{t.get_kind_display()}｜{t.title}（{t.authority.name if t.authority_id else '平台通用'}）")
        self.fields["template"].empty_label = "——请选择——"
        if self.instance.pk and self.instance.status != c.SurveyStatus.DRAFT:
            for name in ("unit", "template"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "测评已开始，不能更换。"

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "截止日期不能早于开始日期。")
        return data


class IssueForm(StyledFormMixin, forms.Form):
    count = forms.IntegerField(label="份数", min_value=1, max_value=MAX_BATCH,
                               help_text=f"一次最多{MAX_BATCH}份；每份一个答题码，只能提交一次。")
    note = forms.CharField(label="用途", max_length=100, required=False,
                           help_text="如“班子成员及中层干部测评会”，只作记录。")
    base_url = forms.CharField(label="答题网址前缀", max_length=200, required=False,
                               help_text="答题人手机能访问的本平台地址，如 http://10.1.2.3:8000；不填则用当前地址。")

    def clean_base_url(self):
        value = (self.cleaned_data.get("base_url") or "").strip().rstrip("/")
        if value and not value.startswith(("http://", "https://")):
            raise ValidationError("网址应以 http:// 或 https:// 开头。")
        return value


class CopyForm(StyledFormMixin, forms.Form):
    authority = forms.ModelChoiceField(label="复制到", queryset=Region.objects.none(), empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Region.objects.for_user_perm(
            user, "surveys:surveytemplate:add").order_by("path")
