"""Forms of teams. Every choice of a related record is limited to the user's scope; every error
names its field in Chinese."""

from __future__ import annotations

import decimal
import re

from django import forms
from django.core.exceptions import ValidationError

from xuncha.core import dictionaries
from xuncha.core.forms import StyledFormMixin
from xuncha.core.models import DictItem
from xuncha.org import choices as org_choices
from xuncha.org.forms import ScopedModelForm
from xuncha.org.models import Cadre, Region, Unit
from xuncha.planning.choices import RoundKind
from xuncha.planning.models import InspectionGroup, Round

from . import choices as c
from .models import (
    CrossChecklistItem,
    CrossPlan,
    GroupProfile,
    Honour,
    PoolEntry,
    QuotaCheck,
    QuotaCheckItem,
    RecusalDeclaration,
    Secondment,
    StaffingQuota,
    TrainingSession,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _skill_items(values) -> list[DictItem]:
    return list(DictItem.objects.filter(dict_type__code=org_choices.DICT_CADRE_SKILL, value__in=list(values)))


class CadreField(forms.Field):
    """A cadre typed by name (or "#编号", or the number itself, as the API sends it), looked up in a
    scoped queryset: 10,000 names do not fit a drop-down, and a name outside the scope is unknown."""

    widget = forms.TextInput

    def __init__(self, *args, queryset=None, **kwargs):
        self.queryset = queryset if queryset is not None else Cadre.objects.none()
        kwargs.setdefault("help_text", "填写姓名；重名时填写“#编号”（干部详情页地址中的数字）。")
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Cadre):
            return f"#{value.pk}"
        if isinstance(value, int):
            return f"#{value}"
        return value

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, Cadre):
            value = value.pk
        text = str(value).strip()
        number = text[1:] if text.startswith("#") else text
        if number.isdigit():
            found = self.queryset.filter(pk=int(number)).first()
            if found is None:
                raise ValidationError(f"编号为 {number} 的人员不存在或不在您的授权范围内。")
            return found
        matches = list(self.queryset.filter(name=text)[:2])
        if not matches:
            raise ValidationError(f"人员“{text}”不存在或不在您的授权范围内。")
        if len(matches) > 1:
            raise ValidationError(f"人员“{text}”有重名，请改填“#编号”。")
        return matches[0]


def _scoped_regions(user, permission):
    return Region.objects.for_user_perm(user, permission)


class SkillsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "专长")
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.choices = lambda: dictionaries.choices(org_choices.DICT_CADRE_SKILL)


# --- Resource forms ---------------------------------------------------------------------------------


class _AuthorityForm(ScopedModelForm):
    """`authority` among the regions where the user may add (or change) this kind of record."""

    permission = ""
    authority_field = "authority"

    def limit(self):
        field = self.fields[self.authority_field]
        field.queryset = _scoped_regions(self.user, f"teams:{self.permission}:{self.action}")
        field.empty_label = "——请选择——"
        if "cadre" in self.fields:
            self.fields["cadre"] = CadreField(label=self.fields["cadre"].label, queryset=Cadre.objects.for_user(
                self.user, "view"), initial=self.initial.get("cadre"))


class PoolEntryForm(_AuthorityForm):
    permission = "pool"
    specialities = SkillsField(help_text="不选则取干部信息中的专长。")

    class Meta:
        model = PoolEntry
        fields = ["authority", "kind", "cadre", "entry_date", "source", "entry_reason", "specialities", "remarks"]
        widgets = {"entry_date": DATE, "remarks": forms.Textarea(attrs={"rows": 2})}

    def limit(self):
        super().limit()
        self.fields["authority"].label = "所属库（巡察机构）"
        if self.instance.pk:
            self.initial["specialities"] = [s.value for s in self.instance.specialities.all()]
            for name in ("authority", "kind", "cadre"):
                self.fields[name].disabled = True
                self.fields[name].required = False
                self.fields[name].help_text = "入库后不能更改；如需调整请办理出库后重新入库。"

    def clean_specialities(self):
        return _skill_items(self.cleaned_data.get("specialities") or [])


class DeclarationForm(_AuthorityForm):
    permission = "recusal"

    class Meta:
        model = RecusalDeclaration
        fields = ["authority", "kind", "cadre", "unit", "reason", "declared_on", "is_active", "remarks"]
        widgets = {"declared_on": DATE}

    def limit(self):
        super().limit()
        self.fields["authority"].label = "受理机构"
        self.fields["unit"].queryset = Unit.objects.for_user(self.user, "view").select_related("region")
        self.fields["unit"].empty_label = "——请选择——"

    def clean(self):
        data = super().clean()
        unit, authority = data.get("unit"), data.get("authority")
        if unit is not None and authority is not None and not unit.region.path.startswith(authority.path):
            self.add_error("unit", f"{unit.name}不在{authority.name}的巡察范围内。")
        return data


class SecondmentForm(_AuthorityForm):
    permission = "secondment"

    class Meta:
        model = Secondment
        fields = ["authority", "cadre", "group", "start_date", "end_date", "is_young_training", "letter_no",
                  "remarks"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def limit(self):
        super().limit()
        self.fields["authority"].label = "抽调机构"
        self.fields["end_date"].required = False
        self.fields["group"].queryset = InspectionGroup.objects.for_user_perm(
            self.user, "planning:round:view").select_related("round")
        self.fields["group"].empty_label = "——暂不安排——"
        self.fields["group"].label_from_instance = lambda g: g.scope_label


class HonourForm(_AuthorityForm):
    permission = "honour"

    class Meta:
        model = Honour
        fields = ["authority", "cadre", "title", "level", "issuer", "awarded_on", "certificate_no", "remarks"]
        widgets = {"awarded_on": DATE}

    def limit(self):
        super().limit()
        self.fields["authority"].label = "登记机构"


class QuotaForm(_AuthorityForm):
    permission = "quota"
    authority_field = "region"

    class Meta:
        model = StaffingQuota
        fields = ["region", "year", "office_name", "approved_posts", "filled_posts", "seconded_posts", "remarks"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise ValidationError("年度应为 2000—2100 之间的四位数字。")
        return year


class QuotaCheckForm(_AuthorityForm):
    permission = "quotacheck"

    class Meta:
        model = QuotaCheck
        fields = ["authority", "year", "title", "checked_on", "summary", "requirements"]
        widgets = {"checked_on": DATE, "summary": forms.Textarea(attrs={"rows": 3}),
                   "requirements": forms.Textarea(attrs={"rows": 3})}

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise ValidationError("年度应为 2000—2100 之间的四位数字。")
        return year


class TrainingForm(_AuthorityForm):
    permission = "training"

    class Meta:
        model = TrainingSession
        fields = ["authority", "round", "title", "held_on", "hours", "location", "content"]
        widgets = {"held_on": DATE, "content": forms.Textarea(attrs={"rows": 3})}

    def limit(self):
        super().limit()
        self.fields["round"].queryset = Round.objects.for_user(self.user, "view")
        self.fields["round"].empty_label = "——不属于某一轮次——"


# --- Groups and members ------------------------------------------------------------------------------


class GroupCreateForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="组名", max_length=50, required=False, help_text="不填则按顺序命名，如“第三巡察组”。")
    remarks = forms.CharField(label="备注", max_length=200, required=False)


class GroupProfileForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = GroupProfile
        fields = ["party_org_kind", "party_org_established", "mobilisation_date", "remarks"]
        widgets = {"party_org_established": DATE, "mobilisation_date": DATE}


class MemberAddForm(StyledFormMixin, forms.Form):
    cadre = forms.ModelChoiceField(label="人员（组长库、人才库在库人员）", queryset=Cadre.objects.none(),
                                   empty_label="——请选择——")
    role = forms.ChoiceField(label="组内职务", choices=c.MemberRole.choices, initial=c.MemberRole.MEMBER)
    is_party_secretary = forms.BooleanField(label="临时党组织书记", required=False)
    is_conduct_supervisor = forms.BooleanField(label="作风监督员", required=False)
    duty = forms.CharField(label="分工", max_length=100, required=False)
    remarks = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, user=None, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import pool_cadres_for_group

        self.fields["cadre"].queryset = pool_cadres_for_group(user, group)
        self.fields["cadre"].label_from_instance = lambda x: f"{x.name}（{x.unit.name}，{x.post}）"


class MemberEditForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label="组内职务", choices=c.MemberRole.choices)
    is_party_secretary = forms.BooleanField(label="临时党组织书记", required=False)
    is_conduct_supervisor = forms.BooleanField(label="作风监督员", required=False)
    duty = forms.CharField(label="分工", max_length=100, required=False)
    remarks = forms.CharField(label="备注", max_length=200, required=False)


class EvaluationForm(StyledFormMixin, forms.Form):
    grade = forms.ChoiceField(label="考核等次")
    comments = forms.CharField(label="考核评语", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evaluated_on = forms.DateField(label="考核日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", "——请选择——")] + dictionaries.choices(c.DICT_EVALUATION_GRADE)


class DecisionForm(StyledFormMixin, forms.Form):
    accept = forms.TypedChoiceField(label="决定", choices=[("1", "采纳建议"), ("0", "不采纳")], coerce=lambda v: v == "1")
    note = forms.CharField(label="说明", max_length=300, required=False)


class PoolStatusForm(StyledFormMixin, forms.Form):
    action = forms.ChoiceField(label="事项", choices=[(a.value, a.label) for a in c.PoolAction if a != c.PoolAction.ADMIT])
    date = forms.DateField(label="日期", widget=DATE)
    reason = forms.CharField(label="理由", max_length=300)


# --- Recusal and the proposer -------------------------------------------------------------------------


class RecusalCheckForm(StyledFormMixin, forms.Form):
    round = forms.ModelChoiceField(label="轮次", queryset=Round.objects.none(), empty_label="——请选择——")
    people = forms.ChoiceField(label="审查人员", choices=[("members", "本轮巡察组成员"), ("pool", "组长库和人才库在库人员")])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.for_user(user, "view")


def _needs_fields(form, prefix: str = "need_", initial: dict | None = None) -> None:
    initial = initial or {}
    for value, label in dictionaries.choices(org_choices.DICT_CADRE_SKILL):
        form.fields[f"{prefix}{value}"] = forms.IntegerField(
            label=f"每组所需“{label}”专长（人）", min_value=0, max_value=7, initial=initial.get(value, 0), required=False)
        form.fields[f"{prefix}{value}"].widget.attrs["class"] = "form-control"


def needs_from(cleaned: dict, prefix: str = "need_") -> dict[str, int]:
    return {name[len(prefix):]: value for name, value in cleaned.items() if name.startswith(prefix) and value}


class ProposerForm(StyledFormMixin, forms.Form):
    groups = forms.ModelMultipleChoiceField(label="巡察组", queryset=InspectionGroup.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)
    size_min = forms.IntegerField(label="每组最少人数", min_value=1, max_value=15, initial=c.GROUP_SIZE_MIN)
    size_max = forms.IntegerField(label="每组最多人数", min_value=1, max_value=15, initial=c.GROUP_SIZE_MAX)
    preferred = forms.IntegerField(label="每组建议人数", min_value=1, max_value=15, initial=6)
    time_limit = forms.IntegerField(label="求解时限（秒）", min_value=1, max_value=60, initial=10)

    def __init__(self, *args, user=None, round=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = InspectionGroup.objects.for_user_perm(user, "planning:round:view").filter(
            round=round)
        _needs_fields(self, initial={"finance": 1, "audit": 1, "discipline": 1})

    def clean(self):
        data = super().clean()
        if data.get("size_min") and data.get("size_max") and data["size_min"] > data["size_max"]:
            self.add_error("size_max", "每组最多人数不能少于最少人数。")
        if data.get("preferred") and data.get("size_max") and data.get("size_min") and not (
                data["size_min"] <= data["preferred"] <= data["size_max"]):
            self.add_error("preferred", "建议人数应在最少与最多人数之间。")
        if sum(needs_from(data).values()) > (data.get("size_max") or 7):
            self.add_error(None, "所需专长人数合计超过每组最多人数。")
        return data


# --- Cross inspection ----------------------------------------------------------------------------------


class CrossPlanForm(StyledFormMixin, forms.ModelForm):
    round = forms.ModelChoiceField(label="交叉巡察轮次", queryset=Round.objects.none(), empty_label="——请选择——")

    class Meta:
        model = CrossPlan
        fields = ["round", "counties", "targets", "group_size", "time_limit"]
        widgets = {"counties": forms.CheckboxSelectMultiple, "targets": forms.SelectMultiple(attrs={"size": 12})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["round"].queryset = Round.objects.for_user(user, "change").filter(kind=RoundKind.CROSS)
        regions = Region.objects.for_user_perm(user, "teams:cross:add")
        self.fields["counties"].queryset = regions.filter(level="county")
        self.fields["counties"].required = False
        self.fields["counties"].help_text = "不选则为本市全部县区。"
        self.fields["targets"].queryset = Unit.objects.for_user(user, "view").filter(
            region__level="county").select_related("region")
        self.fields["targets"].label_from_instance = lambda u: f"{u.region.name}·{u.name}"
        self.fields["group_size"].help_text = "含市级组长 1 人。"
        initial = (self.instance.needs if self.instance.pk else None) or {"finance": 1, "audit": 1, "discipline": 1}
        _needs_fields(self, initial=initial)
        if self.instance.pk:
            self.fields["round"].disabled = True
            self.fields["round"].required = False
            self.fields["round"].queryset = Round.objects.for_user(user, "view").filter(pk=self.instance.round_id)

    def clean_group_size(self):
        size = self.cleaned_data["group_size"]
        if not 2 <= size <= 15:
            raise ValidationError("每组人数应在 2—15 人之间。")
        return size

    def clean_time_limit(self):
        limit = self.cleaned_data["time_limit"]
        if not 1 <= limit <= 120:
            raise ValidationError("求解时限应在 1—120 秒之间。")
        return limit

    def clean(self):
        data = super().clean()
        data["needs"] = needs_from(data)
        if sum(data["needs"].values()) > max((data.get("group_size") or 7) - 1, 0):
            self.add_error(None, "所需专长人数合计超过派出县区人数（每组人数减组长 1 人）。")
        return data


class LiaisonForm(StyledFormMixin, forms.Form):
    cadre = CadreField(label="联络员")

    def __init__(self, *args, user=None, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = Cadre.objects.for_user(user, "view").filter(
            region__path__startswith=county.path)


class ChecklistItemForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CrossChecklistItem
        fields = ["content", "due_date", "done", "done_on", "note"]
        widgets = {"due_date": DATE, "done_on": DATE, "content": forms.Textarea(attrs={"rows": 3})}


# --- Pledges, quotas, training -------------------------------------------------------------------------


class PledgeUploadForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="承诺书", choices=c.PledgeKind.choices)
    file = forms.FileField(label="签字件（PDF、JPG、PNG 或 Word）")
    signed_on = forms.DateField(label="签署日期", widget=DATE)


class QuotaCheckItemForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = QuotaCheckItem
        fields = ["approved_posts", "filled_posts", "conclusion", "finding"]


_SPLIT = re.compile(r"[\s,，、;；]+")


class AttendanceForm(StyledFormMixin, forms.Form):
    """The session's attendance: the rows already listed (attended, hours) and people to add by name."""

    add_people = forms.CharField(label="增加参训人员", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text="填写姓名（或“#编号”），多人用顿号、逗号或换行分隔。")

    def __init__(self, *args, user=None, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.session = user, session
        self.rows = []

    def clean(self):
        data = super().clean()
        field = CadreField(queryset=Cadre.objects.for_user(self.user, "view"))
        rows: dict[int, dict] = {}
        errors = []
        for key in self.data.getlist("cadre_ids") if hasattr(self.data, "getlist") else []:
            try:
                cadre = field.clean(key)
            except ValidationError as error:
                errors.extend(error.messages)
                continue
            hours_text = (self.data.get(f"hours_{cadre.pk}") or "").strip()
            try:
                hours = None if not hours_text else decimal.Decimal(hours_text)
            except decimal.InvalidOperation:
                errors.append(f"{cadre.name}的学时“{hours_text}”不是数字。")
                continue
            rows[cadre.pk] = {"cadre": cadre, "attended": self.data.get(f"attended_{cadre.pk}") == "on",
                              "hours": hours}
        for text in _SPLIT.split(data.get("add_people") or ""):
            if not text:
                continue
            try:
                cadre = field.clean(text)
            except ValidationError as error:
                errors.extend(error.messages)
                continue
            rows.setdefault(cadre.pk, {"cadre": cadre, "attended": True, "hours": None})
        if errors:
            self.add_error("add_people", errors)
        self.rows = list(rows.values())
        return data
