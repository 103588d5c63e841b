"""Forms of planning. Every choice of a related record is limited to the user's scope; the services
re-check everything (a form is a convenience, not the rule)."""

from __future__ import annotations

import datetime

from django import forms

from xuncha.core import dictionaries
from xuncha.core.forms import StyledFormMixin
from xuncha.org import choices as org_choices
from xuncha.org.forms import ScopedModelForm
from xuncha.org.models import Unit

from . import selectors
from .choices import CHECK_DEPARTMENTS, CheckKind, RoundKind, Stage
from .models import (
    AnnualPlan,
    FiveYearPlan,
    HorizontalCheck,
    Inspection,
    JointRound,
    PriorityWeights,
    Round,
    UnitRiskInput,
)
from .workflow import STAGE_DATE_FIELDS


def _date_widget():
    # A date box only accepts YYYY-MM-DD; the zh-hans default format would show empty.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _unit_label(unit: Unit) -> str:
    return f"{unit.name}（{unit.region.name}）"


class FiveYearPlanForm(ScopedModelForm):
    class Meta:
        model = FiveYearPlan
        fields = ["authority", "title", "term", "start_year", "years", "stale_years", "remarks"]
        widgets = {"remarks": forms.Textarea(attrs={"rows": 3})}

    def limit(self):
        self.fields["authority"].queryset = selectors.authorities_for(self.user, f"planning:plan:{self.action}")
        self.fields["authority"].empty_label = "——请选择——"
        self.fields["title"].help_text = "如“江城市委第十四届巡察工作规划（2026—2030年）”。"


class AnnualPlanForm(ScopedModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["authority", "year", "five_year_plan", "title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def limit(self):
        permission = f"planning:annualplan:{self.action}"
        self.fields["authority"].queryset = selectors.authorities_for(self.user, permission)
        self.fields["authority"].empty_label = "——请选择——"
        self.fields["five_year_plan"].queryset = FiveYearPlan.objects.for_user_perm(
            self.user, permission).select_related("authority")
        self.fields["five_year_plan"].empty_label = "——不关联——"


class UnitRiskInputForm(ScopedModelForm):
    class Meta:
        model = UnitRiskInput
        fields = ["unit", "year", "petition_count", "problem_count", "remarks"]

    def limit(self):
        self.fields["unit"].queryset = Unit.objects.for_user_perm(
            self.user, f"planning:riskinput:{self.action}").select_related("region")
        self.fields["unit"].label_from_instance = _unit_label
        self.fields["unit"].empty_label = "——请选择——"
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("year", datetime.date.today().year)


class RoundForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Round
        fields = ["number", "kind", "title", "start_date", "end_date", "training_date", "focus", "remarks"]
        widgets = {"start_date": _date_widget(), "end_date": _date_widget(), "training_date": _date_widget(),
                   "focus": forms.Textarea(attrs={"rows": 4}), "remarks": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"title": "不填则为“2026年第一轮巡察”。", "number": "本年度的第几轮（1、2、3…）。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "——请选择——"), *RoundKind.choices]


class GroupForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="组名", max_length=50, required=False, help_text="不填则按顺序命名为“第N巡察组”。")
    remarks = forms.CharField(label="备注", max_length=200, required=False)


class InspectionForm(StyledFormMixin, forms.ModelForm):
    targets = forms.ModelMultipleChoiceField(label="巡察对象", queryset=Unit.objects.none(),
                                             widget=forms.SelectMultiple(attrs={"size": 10}),
                                             help_text="可多选（按住 Ctrl 键）。一个巡察组可同时巡察多个单位。")

    class Meta:
        model = Inspection
        fields = ["group", "targets", *STAGE_DATE_FIELDS, "remarks"]
        widgets = {**{name: _date_widget() for name in STAGE_DATE_FIELDS},
                   "remarks": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, round: Round, user, **kwargs):  # noqa: A002
        super().__init__(*args, **kwargs)
        self.round = round
        self.fields["group"].queryset = selectors.round_groups(round)
        self.fields["group"].empty_label = "——请选择——"
        self.fields["targets"].queryset = selectors.target_unit_choices(user, round)
        self.fields["targets"].label_from_instance = _unit_label
        if self.instance.pk:
            self.initial["targets"] = [link.unit_id for link in self.instance.target_links.all()]
            if self.instance.stage != Stage.PREPARE:
                self.fields["targets"].disabled = True
                self.fields["targets"].help_text = "巡察任务已进驻，巡察对象不能再更改。"
        self.fields["stationed_date"].help_text = "即召开巡察动员会的日期，须在本轮进驻期间内。"


class TargetAddForm(StyledFormMixin, forms.Form):
    units = forms.ModelMultipleChoiceField(label="单位", queryset=Unit.objects.none(),
                                           widget=forms.SelectMultiple(attrs={"size": 12}))
    planned_year = forms.IntegerField(label="计划年度", required=False)

    def __init__(self, *args, user, plan: FiveYearPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = selectors.addable_units(user, plan)
        self.fields["planned_year"].widget = forms.Select(
            choices=[("", "——暂不安排——")] + [(y, f"{y}年") for y in plan.year_list],
            attrs={"class": "form-select"})


class TargetEditForm(StyledFormMixin, forms.Form):
    planned_year = forms.TypedChoiceField(label="计划年度", required=False, coerce=int, empty_value=None)
    planned_round = forms.IntegerField(label="计划轮次", required=False, min_value=1, max_value=12,
                                       help_text="该年度第几轮；可不填。")
    is_fixed = forms.BooleanField(label="固定安排（生成排期建议时保持不变）", required=False)
    last_inspected_year = forms.IntegerField(label="上次巡察年度（系统启用前）", required=False, min_value=1990,
                                             max_value=2100)
    remarks = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, plan: FiveYearPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_year"].choices = [("", "——暂不安排——")] + [(y, f"{y}年") for y in plan.year_list]


class ElevateForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label="提级巡察的单位", queryset=Unit.objects.none(), empty_label="——请选择——")
    planned_year = forms.TypedChoiceField(label="计划年度", required=False, coerce=int, empty_value=None)
    remarks = forms.CharField(label="提级理由", max_length=200, required=False,
                              help_text="如：关系网复杂、县级巡察难以打开局面。")

    def __init__(self, *args, user, plan: FiveYearPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.elevation_choices(user, plan)
        self.fields["unit"].label_from_instance = _unit_label
        self.fields["planned_year"].choices = [("", "——暂不安排——")] + [(y, f"{y}年") for y in plan.year_list]


class ProposerForm(StyledFormMixin, forms.Form):
    first_year = forms.TypedChoiceField(label="从哪一年起安排", coerce=int,
                                        help_text="已巡察、已列入轮次和已固定的单位保持原年度；其余单位从该年起安排。")
    rounds_per_year = forms.IntegerField(label="每年巡察轮次", min_value=1, max_value=6, initial=2)
    groups_per_round = forms.IntegerField(label="每轮巡察组数", min_value=1, max_value=100, initial=3)
    capacity = forms.IntegerField(label="每组每轮巡察单位数", min_value=1, max_value=30, initial=3,
                                  help_text="一个巡察组在一轮中巡察的单位个数（“一托N”）。")
    time_limit = forms.FloatField(label="求解时间上限（秒）", min_value=0.5, max_value=120, initial=5)
    keep_systems = forms.BooleanField(label="同一系统的单位尽量安排在同一轮", required=False, initial=True)

    def __init__(self, *args, plan: FiveYearPlan, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or datetime.date.today()
        self.fields["first_year"].choices = [(y, f"{y}年") for y in plan.year_list]
        # From the fourth quarter on, this year's rounds are set: propose from next year.
        default = today.year + 1 if today.month >= 10 else today.year
        self.fields["first_year"].initial = min(max(default, plan.start_year), plan.end_year)


class TransitionForm(StyledFormMixin, forms.Form):
    to_stage = forms.ChoiceField(label="转入阶段", choices=Stage.choices)
    opinion = forms.CharField(label="意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class JointRoundForm(ScopedModelForm):
    class Meta:
        model = JointRound
        fields = ["authority", "year", "title", "system", "plan_text", "training_date", "mobilisation_date"]
        widgets = {"plan_text": forms.Textarea(attrs={"rows": 5}), "training_date": _date_widget(),
                   "mobilisation_date": _date_widget()}

    def limit(self):
        self.fields["authority"].queryset = selectors.authorities_for(
            self.user, f"planning:jointround:{self.action}").filter(level="city")
        self.fields["authority"].empty_label = "——请选择——"


class JointLinkForm(StyledFormMixin, forms.Form):
    round = forms.ModelChoiceField(label="纳入联动的轮次", queryset=Round.objects.none(), empty_label="——请选择——")

    def __init__(self, *args, user, joint: JointRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = selectors.joint_candidates(user, joint)
        self.fields["round"].label_from_instance = lambda r: f"{r.authority.name} {r}"


class ReviewForm(StyledFormMixin, forms.Form):
    opinion = forms.CharField(label="统一把关意见", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class CheckForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = HorizontalCheck
        fields = ["kind", "department", "unit", "subject", "planned_start", "planned_end"]
        widgets = {"planned_start": _date_widget(), "planned_end": _date_widget()}

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=[link.unit_id for link in inspection.target_links.all()]).order_by("name")
        self.fields["unit"].empty_label = "——请选择——"
        self.fields["kind"].choices = [("", "——请选择——"), *CheckKind.choices]
        self.fields["department"].required = False
        self.fields["department"].help_text = "不填则为组织部（选人用人检查）或审计局（经济责任审计）。"

    def clean(self):
        data = super().clean()
        if not data.get("department") and data.get("kind"):
            data["department"] = CHECK_DEPARTMENTS[CheckKind(data["kind"])]
        return data


class CheckResultForm(StyledFormMixin, forms.Form):
    result_summary = forms.CharField(label="结果摘要", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    completed_on = forms.DateField(label="完成日期", widget=_date_widget())
    file = forms.FileField(label="结果附件", required=False, help_text="检查报告或审计报告（Word、PDF 等）。")


class WeightsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PriorityWeights
        fields = ["w_attention", "w_power", "w_fund", "w_petition", "w_problem", "w_years", "fund_ref",
                  "petition_ref", "problem_ref", "years_ref"]


class RankingFilterForm(StyledFormMixin, forms.Form):
    authority = forms.ModelChoiceField(label="巡察主体", queryset=None, empty_label=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    category = forms.ChoiceField(label="单位类别", required=False)
    system = forms.ChoiceField(label="所属系统", required=False)
    q = forms.CharField(label="单位名称", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = selectors.authorities_for(user, "planning:priority:view")
        self.fields["category"].choices = [("", "全部")] + dictionaries.choices(org_choices.DICT_UNIT_CATEGORY)
        self.fields["system"].choices = [("", "全部")] + dictionaries.choices(org_choices.DICT_UNIT_SYSTEM)


class AlignmentForm(StyledFormMixin, forms.Form):
    county = forms.ModelChoiceField(label="县（市、区）", queryset=None, empty_label=None)
    dimension = forms.ChoiceField(label="对象类型口径", choices=[("system", "所属系统"), ("category", "单位类别")],
                                  initial="system")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = selectors.alignment_counties(user)


__all__ = ["FiveYearPlanForm", "AnnualPlanForm", "UnitRiskInputForm", "RoundForm", "GroupForm", "InspectionForm",
           "TargetAddForm", "TargetEditForm", "ElevateForm", "ProposerForm", "TransitionForm", "JointRoundForm",
           "JointLinkForm", "ReviewForm", "CheckForm", "CheckResultForm", "WeightsForm", "RankingFilterForm",
           "AlignmentForm"]
