"""Forms of indicators. Every related choice is limited to what the user may use."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from xuncha.core.forms import StyledFormMixin
from xuncha.org.forms import ScopedModelForm
from xuncha.org.models import Region

from . import choices as c
from .models import DecisionItem, Indicator, IndicatorSet, IndicatorTemplate

KIND_LABELS = dict(c.TargetKind.choices)
KIND_BY_LABEL = {label: value for value, label in c.TargetKind.choices}
ALL_KINDS = "全部类型"


def authorities(user, permission: str):
    return Region.objects.for_user_perm(user, permission).filter(level__in=("city", "county")).order_by("path")


class KindsField(forms.MultipleChoiceField):
    """Kinds of target as checkboxes; an import cell or API value may also be “机关部门、国有企业”."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=c.TargetKind.choices, required=False, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            text = value
            for separator in ("，", ",", ";", "；", "/", "\n"):
                text = text.replace(separator, "、")
            parts = [p.strip() for p in text.split("、") if p.strip() and p.strip() != ALL_KINDS]
            values = []
            for part in parts:
                if part in KIND_LABELS:
                    values.append(part)
                elif part in KIND_BY_LABEL:
                    values.append(KIND_BY_LABEL[part])
                else:
                    raise ValidationError(f"“{part}”不是可选的对象类型（可选：{'、'.join(KIND_LABELS.values())}）。")
            return values
        return super().to_python(value)


class DecisionItemForm(ScopedModelForm):
    kinds = KindsField(label="适用对象类型", help_text="不选表示适用于全部类型的巡察对象。")

    class Meta:
        model = DecisionItem
        fields = ["authority", "issuer", "title", "doc_number", "issued_on", "requirement", "kinds", "is_active",
                  "order"]
        widgets = {"requirement": forms.Textarea(attrs={"rows": 4}),
                   "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def limit(self):
        self.fields["authority"].queryset = authorities(self.user, f"indicators:decisionitem:{self.action}")
        self.fields["authority"].required = True
        self.fields["authority"].empty_label = "——请选择——"
        self.fields["doc_number"].help_text = "如无确切文号可留空。"

    def clean_title(self):
        return self.cleaned_data["title"].strip()


class IndicatorSetForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = IndicatorSet
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CopyForm(StyledFormMixin, forms.Form):
    authority = forms.ModelChoiceField(label="复制到巡察主体", queryset=Region.objects.none(), empty_label="——请选择——")
    name = forms.CharField(label="新版本名称", max_length=100, required=False, help_text="留空则沿用原名称，版本号自动加一。")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities(user, "indicators:indicatorset:add")
        if self.fields["authority"].queryset.count() == 1:
            self.fields["authority"].initial = self.fields["authority"].queryset.first()


class ImportForm(StyledFormMixin, forms.Form):
    authority = forms.ModelChoiceField(label="巡察主体", queryset=Region.objects.none(), empty_label="——请选择——")
    file = forms.FileField(label="指标体系文件", help_text="Excel（.xlsx）或 YAML（.yaml/.yml），格式与“导出”的文件相同。")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities(user, "indicators:indicatorset:add")
        if self.fields["authority"].queryset.count() == 1:
            self.fields["authority"].initial = self.fields["authority"].queryset.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".yaml", ".yml")):
            raise ValidationError("请上传 .xlsx、.yaml 或 .yml 文件。")
        return upload


class IndicatorForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "title", "guidance", "evidence", "order"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 4}), "evidence": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].help_text = "留空则排在最后。"

    def validate_unique(self):
        pass  # the service checks the code within the set and names the field


class TemplateForm(StyledFormMixin, forms.ModelForm):
    items = forms.ModelMultipleChoiceField(label="检查事项", queryset=Indicator.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = IndicatorTemplate
        fields = ["name", "description", "items"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = Indicator.objects.for_user(user, "change").filter(
            indicator_set_id=self.instance.indicator_set_id, level=3).order_by("order", "id")
        self.fields["items"].label_from_instance = lambda i: f"{i.code} {i.title}"


class ResultNotesForm(StyledFormMixin, forms.Form):
    notes = forms.CharField(label="情况说明", required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="佐证材料")
