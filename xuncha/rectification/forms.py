"""Forms of rectification. Related choices come from the user's scope only; the services hold the rules."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from xuncha.core.forms import StyledFormMixin
from xuncha.org.forms import ScopedModelForm
from xuncha.org.models import Region

from . import choices as c
from .models import ProgressMeeting, RectificationTask, SupervisionGroup

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class _Form(StyledFormMixin, forms.Form):
    pass


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class PlanForm(_Form):
    summary = forms.CharField(label="整改工作总体安排", widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="整改工作的组织领导、总体目标、时间安排和保障措施。")


class TaskForm(ScopedModelForm):
    """A measure: kind, content, responsible person, deadline; accountability and rule records."""

    rule_upload = forms.FileField(label="制度文件", required=False, help_text="建章立制类措施须上传制度文件。")

    class Meta:
        model = RectificationTask
        fields = ["kind", "content", "responsible", "deadline", "accountable_persons", "accountability_method",
                  "accountability_detail", "rule_name"]
        widgets = {"deadline": DATE, "content": forms.Textarea(attrs={"rows": 3})}

    def limit(self):
        self.fields["accountability_method"].choices = [("", "——请选择——"), *c.AccountabilityMethod.choices]
        self.fields["kind"].choices = [("", "——请选择——"), *c.MeasureKind.choices]

    def service_data(self) -> dict:
        data = {k: self.cleaned_data.get(k) for k in self.Meta.fields}
        if self.cleaned_data.get("rule_upload"):
            data["rule_document"] = self.cleaned_data["rule_upload"]
        return data


class OpinionForm(_Form):
    opinion = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(_Form):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写退回理由。"})


class ProgressForm(_Form):
    month = forms.DateField(label="报送月份", widget=MONTH, input_formats=["%Y-%m", "%Y-%m-%d"],
                            error_messages={"required": "请选择报送月份。", "invalid": "报送月份格式应为“2026-05”。"})
    content = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": "请填写进展情况。"})
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100, initial=0,
                                 error_messages={"min_value": "完成进度应在 0 到 100 之间。",
                                                 "max_value": "完成进度应在 0 到 100 之间。"})
    evidence = MultipleFileField(label="佐证材料", required=False, help_text="可一次选择多个文件；验收时须有佐证材料。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("month", timezone.localdate().replace(day=1))


class WithholdForm(_Form):
    withheld = forms.BooleanField(label="不予公开", required=False)
    withhold_reason = forms.ChoiceField(label="不予公开理由", required=False,
                                        choices=[("", "——请选择——"), *c.WithholdReason.choices])
    withhold_note = forms.CharField(label="具体情形", required=False, max_length=200)


class ReportForm(_Form):
    report_text = forms.CharField(label="整改情况报告", widget=forms.Textarea(attrs={"rows": 6}),
                                  error_messages={"required": "请填写整改情况报告。"})
    report_upload = forms.FileField(label="报告附件", required=False)


class RevisitForm(_Form):
    result = forms.ChoiceField(label="检查结论", choices=[("", "——请选择——"), *c.RevisitResult.choices],
                               error_messages={"required": "请选择检查结论。"})
    notes = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": "请填写检查情况。"})
    new_deadline = forms.DateField(label="重新整改时限", required=False, widget=DATE,
                                   help_text="结论为“整改不到位”时必填。")
    revisit = forms.ModelChoiceField(label="回头看巡察任务", required=False, queryset=None)

    def __init__(self, *args, revisits=None, **kwargs):
        super().__init__(*args, **kwargs)
        from xuncha.planning.models import Inspection

        self.fields["revisit"].queryset = revisits if revisits is not None else Inspection.objects.none()
        self.fields["revisit"].empty_label = "——不关联——"


class MonthForm(_Form):
    authority = forms.ModelChoiceField(label="巡察主体", queryset=Region.objects.none(),
                                       error_messages={"required": "请选择巡察主体。"})
    month = forms.DateField(label="月份", widget=MONTH, input_formats=["%Y-%m", "%Y-%m-%d"],
                            error_messages={"required": "请选择月份。", "invalid": "月份格式应为“2026-05”。"})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Region.objects.for_user_perm(
            user, "rectification:supervision:run").filter(level__in=("city", "county")).order_by("path")
        self.fields["authority"].empty_label = "——请选择——"
        if not self.is_bound:
            self.initial.setdefault("month", timezone.localdate().replace(day=1))

    def clean_month(self):
        month = self.cleaned_data["month"].replace(day=1)
        if month > timezone.localdate().replace(day=1):
            raise ValidationError("不能生成未来月份的督导。")
        if month < datetime.date(2000, 1, 1):
            raise ValidationError("月份有误。")
        return month


class MeetingForm(ScopedModelForm):
    class Meta:
        model = ProgressMeeting
        fields = ["held_on", "attendees", "minutes", "decisions"]
        widgets = {"held_on": DATE, "minutes": forms.Textarea(attrs={"rows": 5}),
                   "decisions": forms.Textarea(attrs={"rows": 4})}


class SupervisionGroupForm(ScopedModelForm):
    class Meta:
        model = SupervisionGroup
        fields = ["authority", "name", "leader_name", "regions", "members", "is_active"]
        widgets = {"regions": forms.CheckboxSelectMultiple, "members": forms.CheckboxSelectMultiple}

    def limit(self):
        from xuncha.accounts.models import User

        regions = Region.objects.for_user_perm(self.user, f"rectification:supervisiongroup:{self.action}")
        self.fields["authority"].queryset = regions.filter(level__in=("city", "county")).order_by("path")
        self.fields["authority"].empty_label = "——请选择——"
        self.fields["regions"].queryset = regions.filter(level__in=("city", "county", "township")).order_by("path")
        paths = list(regions.values_list("path", flat=True))
        supervisors = User.objects.filter(is_active=True, grants__is_active=True, grants__role__code="supervisor",
                                          grants__region__path__in=paths).distinct().order_by("username")
        self.fields["members"].queryset = supervisors
        self.fields["members"].help_text = "持有本辖区“督导组”角色授权的用户；成员接收整改提醒。"

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("请填写督导组名称。")
        return name
