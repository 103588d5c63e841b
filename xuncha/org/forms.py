"""Forms of the org records. Every choice of a related record is limited to the user's scope."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from xuncha.core import dictionaries
from xuncha.core.forms import StyledFormMixin, StyledModelForm
from xuncha.core.masking import mask_id_card, mask_phone
from xuncha.core.models import DictItem

from . import choices as c
from .models import Cadre, Region, Unit
from .validators import validate_id_card, validate_mobile


class ScopedModelForm(StyledModelForm):
    """A ModelForm built for a user: `limit()` narrows related choices to what the user may use."""

    def __init__(self, data=None, files=None, *, instance=None, user=None, **kwargs):
        self.user = user
        super().__init__(data, files, instance=instance, **kwargs)
        self.action = "change" if instance is not None and instance.pk else "add"
        self.limit()

    def limit(self) -> None:
        pass


class RegionForm(ScopedModelForm):
    class Meta:
        model = Region
        fields = ["name", "code", "level", "parent", "sort"]

    def limit(self):
        self.fields["parent"].queryset = Region.objects.for_user_perm(self.user, f"org:region:{self.action}")
        self.fields["parent"].required = True
        self.fields["parent"].empty_label = "——请选择——"
        self.fields["code"].help_text = "6 位行政区划代码，如 340100。"

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit() or len(code) not in (6, 9, 12):
            raise ValidationError("行政区划代码应为 6、9 或 12 位数字。")
        return code

    def clean(self):
        data = super().clean()
        parent = data.get("parent")
        if parent is not None and self.instance.pk and parent.path.startswith(self.instance.path or "\0"):
            self.add_error("parent", "上级区域不能是本区域或其下级。")
        return data


class UnitForm(ScopedModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "credit_code", "region", "parent", "category", "level",
                  "managing_authority", "system", "social_attention", "low_rank_high_power", "special_fund_scale",
                  "address", "remarks"]
        widgets = {"remarks": forms.Textarea(attrs={"rows": 3})}

    def limit(self):
        self.fields["region"].queryset = Region.objects.for_user_perm(self.user, f"org:unit:{self.action}")
        self.fields["parent"].queryset = Unit.objects.for_user(self.user, "view").select_related("region")
        self.fields["parent"].empty_label = "——无——"
        self.fields["region"].empty_label = "——请选择——"

    def clean_credit_code(self):
        value = self.cleaned_data.get("credit_code", "").strip().upper()
        if value and (len(value) != 18 or not value.isalnum()):
            raise ValidationError("统一社会信用代码应为 18 位字母或数字。")
        return value

    def clean_special_fund_scale(self):
        value = self.cleaned_data.get("special_fund_scale")
        if value is not None and value < 0:
            raise ValidationError("专项资金规模不能为负数。")
        return value

    def clean(self):
        data = super().clean()
        parent = data.get("parent")
        if parent is not None and self.instance.pk:
            node, seen = parent, set()
            while node is not None and node.pk not in seen:
                if node.pk == self.instance.pk:
                    self.add_error("parent", "上级单位不能是本单位或其下级单位。")
                    break
                seen.add(node.pk)
                node = node.parent
        return data


class WorkHistoryForm(StyledFormMixin, forms.Form):
    unit_name = forms.CharField(label="单位", max_length=100)
    post = forms.CharField(label="职务", max_length=100)
    # A date box only accepts YYYY-MM-DD; the zh-hans default format (2023/03/29) would show empty.
    start_date = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end_date = forms.DateField(label="截止日期", required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               help_text="空表示至今")

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "截止日期不能早于起始日期。")
        return data


class FamilyForm(StyledFormMixin, forms.Form):
    relation = forms.ChoiceField(label="关系")
    name = forms.CharField(label="姓名", max_length=50)
    unit_name = forms.CharField(label="工作单位", max_length=100, required=False)
    post = forms.CharField(label="职务", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relation"].choices = [("", "——请选择——")] + dictionaries.choices(c.DICT_FAMILY_RELATION)


WorkHistoryFormSet = forms.formset_factory(WorkHistoryForm, extra=2, can_delete=True)
FamilyFormSet = forms.formset_factory(FamilyForm, extra=2, can_delete=True)


class CadreForm(ScopedModelForm):
    """The cadre with its work history and family as two formsets.

    The formsets take part only when their management data is posted (the page); an import has
    none, and then the stored history and family stay as they are.
    """

    skills = forms.MultipleChoiceField(label="专长", required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Cadre
        fields = ["name", "gender", "birth_date", "id_card", "phone", "unit", "post", "rank", "skills", "remarks"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "remarks": forms.Textarea(attrs={"rows": 2})}

    def limit(self):
        self.fields["unit"].queryset = Unit.objects.for_user_perm(self.user, f"org:cadre:{self.action}").select_related(
            "region")
        self.fields["unit"].empty_label = "——请选择——"
        self.fields["skills"].choices = dictionaries.choices(c.DICT_CADRE_SKILL)
        if self.instance.pk:
            self.initial["skills"] = [s.value for s in self.instance.skills.all()]
            # Personal numbers are never sent back to the browser: blank keeps the stored value.
            for name, mask in (("id_card", mask_id_card), ("phone", mask_phone)):
                stored = getattr(self.instance, name)
                self.initial[name] = ""
                if stored:
                    self.fields[name].help_text = f"已登记：{mask(stored)}；留空表示不修改。"
        data = self.data if self.is_bound else None
        self.with_related = not self.is_bound or "work-TOTAL_FORMS" in (data or {})
        if self.with_related:
            initial_work = [
                {"unit_name": w.place, "post": w.post, "start_date": w.start_date, "end_date": w.end_date}
                for w in self.instance.work_history.all()] if self.instance.pk else []
            initial_family = [
                {"relation": f.relation, "name": f.name, "unit_name": f.unit.name if f.unit_id else f.unit_name,
                 "post": f.post} for f in self.instance.family.all()] if self.instance.pk else []
            self.work_formset = WorkHistoryFormSet(data, prefix="work", initial=None if data else initial_work)
            self.family_formset = FamilyFormSet(data, prefix="family", initial=None if data else initial_family)
        else:
            self.work_formset = self.family_formset = None

    def clean_id_card(self):
        value = (self.cleaned_data.get("id_card") or "").strip().upper()
        if not value:
            return self.instance.id_card if self.instance.pk else ""
        validate_id_card(value)
        return value

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        if not value:
            return self.instance.phone if self.instance.pk else ""
        validate_mobile(value)
        return value

    def formsets(self) -> list[tuple[str, forms.BaseFormSet]]:
        if not self.with_related:
            return []
        return [("工作经历", self.work_formset), ("家庭成员及重要社会关系", self.family_formset)]

    def error_summary(self):
        lines = super().error_summary()
        if self.with_related:
            for title, formset in (("工作经历", self.work_formset), ("家庭成员", self.family_formset)):
                for index, form in enumerate(formset.forms, start=1):
                    for line in form.error_summary() if form.errors else []:
                        lines.append(f"{title}第 {index} 条{line}")
        return lines

    @staticmethod
    def _rows(formset) -> list[dict]:
        return [f.cleaned_data for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.has_changed()]

    def clean(self):
        data = super().clean()
        data["skills"] = list(DictItem.objects.filter(
            dict_type__code=c.DICT_CADRE_SKILL, value__in=data.get("skills") or []))
        if self.with_related:
            work_ok = self.work_formset.is_valid()
            family_ok = self.family_formset.is_valid()
            if work_ok and family_ok:
                data["work_history"] = self._rows(self.work_formset)
                data["family"] = self._rows(self.family_formset)
            else:
                raise ValidationError("工作经历或家庭成员填写有误，请检查标红的内容。")
        return data
