"""Forms of findings. Every choice of a related record is limited to the inspection and the user's
scope; the services re-check everything (a form is a convenience, not the rule).

The responsible people and the persons of a clue are chosen among the cadres of the inspection's
target units: the inspection is in the user's scope, and its targets are what the group inspects.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from xuncha.core.forms import StyledFormMixin
from xuncha.org.models import Cadre

from . import choices as c
from .models import Clue, ClueDisposition, ClueTransfer, Problem


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _target_ids(inspection) -> list[int]:
    return list(inspection.target_links.values_list("unit_id", flat=True))


def _target_units(inspection):
    from xuncha.org.models import Unit

    return Unit.all_objects.filter(pk__in=_target_ids(inspection), is_deleted=False).order_by("name")


def _target_cadres(inspection):
    return Cadre.all_objects.filter(unit_id__in=_target_ids(inspection), is_deleted=False).select_related(
        "unit").order_by("unit__name", "name")


def _cadre_label(cadre) -> str:
    return f"{cadre.name}（{cadre.unit.name}{cadre.post}）"


class UploadField(forms.FileField):
    """One evidence file per save (they add up; each is kept once by its SHA-256)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "上传证据附件")
        kwargs.setdefault("help_text", "每次保存可上传一个文件，多次保存可累加；已上传的附件保留。")
        super().__init__(**kwargs)


class ProblemForm(StyledFormMixin, forms.ModelForm):
    upload = UploadField()

    class Meta:
        model = Problem
        fields = ["unit", "indicator", "kind", "severity", "title", "description", "evidence", "responsible_cadres",
                  "responsible_text"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "evidence": forms.Textarea(attrs={"rows": 3}),
                   "responsible_cadres": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, data=None, files=None, *, inspection, user, instance=None, **kwargs):
        self.inspection, self.user = inspection, user
        super().__init__(data, files, instance=instance, **kwargs)
        from xuncha.indicators.models import Indicator, InspectionChecklist

        self.fields["unit"].queryset = _target_units(inspection)
        self.fields["unit"].empty_label = "——请选择——"
        indicators = Indicator.objects.for_user(user, "view").filter(level=3).select_related("indicator_set")
        checklist = InspectionChecklist.objects.for_user(user, "view").filter(inspection=inspection).first()
        if checklist is not None:
            indicators = indicators.filter(indicator_set_id=checklist.indicator_set_id)
        self.fields["indicator"].queryset = indicators.order_by("indicator_set_id", "order", "id")
        self.fields["indicator"].empty_label = "——不对应具体指标——"
        self.fields["responsible_cadres"].queryset = _target_cadres(inspection)
        self.fields["responsible_cadres"].label_from_instance = _cadre_label
        self.fields["responsible_cadres"].help_text = "被巡察单位的干部，可多选（按住 Ctrl 键）。"
        if instance is not None and instance.pk and instance.evidence_files.exists():
            self.fields["remove_files"] = forms.ModelMultipleChoiceField(
                label="删除附件", required=False, queryset=instance.evidence_files.all(),
                widget=forms.CheckboxSelectMultiple)


class TransitionForm(StyledFormMixin, forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    opinion = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    meeting = forms.CharField(label="确认会议", required=False, max_length=100)
    meeting_date = forms.DateField(label="会议日期", required=False, widget=_date_widget())


# --- Clues --------------------------------------------------------------------------------------------

_SEP = re.compile(r"[，,、\s]+")


def parse_persons(text: str) -> list[dict]:
    """“姓名，职务，单位” one per line (职务 and 单位 optional). Errors name the line."""
    persons, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p for p in _SEP.split(line.strip()) if p]
        name = parts[0]
        if len(name) > 50:
            errors.append(f"第 {number} 行：姓名过长（不超过 50 字）。")
            continue
        persons.append({"cadre": None, "name": name, "post": parts[1][:100] if len(parts) > 1 else "",
                        "unit_name": "".join(parts[2:])[:100]})
    if errors:
        raise ValidationError(errors)
    return persons


class ClueForm(StyledFormMixin, forms.ModelForm):
    cadres = forms.ModelMultipleChoiceField(label="涉及人员（干部库）", required=False, queryset=Cadre.objects.none(),
                                            widget=forms.SelectMultiple(attrs={"size": 6}),
                                            help_text="被巡察单位的干部，可多选（按住 Ctrl 键）。")
    other_persons = forms.CharField(label="其他涉及人员", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text="干部库中没有的，每行一人：姓名，职务，单位（职务、单位可不填）。")
    upload = UploadField()

    class Meta:
        model = Clue
        fields = ["unit", "summary", "content", "evidence", "source", "petition", "source_note", "suggested_receiver",
                  "problem"]
        widgets = {"content": forms.Textarea(attrs={"rows": 6}), "evidence": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, data=None, files=None, *, inspection, user, instance=None, **kwargs):
        self.inspection, self.user = inspection, user
        super().__init__(data, files, instance=instance, **kwargs)
        from xuncha.fieldwork.models import Petition

        self.fields["unit"].queryset = _target_units(inspection)
        self.fields["unit"].empty_label = "——请选择——"
        self.fields["cadres"].queryset = _target_cadres(inspection)
        self.fields["cadres"].label_from_instance = _cadre_label
        self.fields["petition"].queryset = Petition.objects.for_user(user, "view").filter(inspection=inspection)
        self.fields["petition"].empty_label = "——无——"
        self.fields["problem"].queryset = Problem.objects.for_user(user, "view").filter(inspection=inspection)
        self.fields["problem"].empty_label = "——无——"
        if instance is not None and instance.pk:
            persons = list(instance.persons.all())
            self.initial["cadres"] = [p.cadre_id for p in persons if p.cadre_id]
            self.initial["other_persons"] = "\n".join(
                "，".join(x for x in (p.name, p.post, p.unit_name) if x) for p in persons if not p.cadre_id)
            if instance.evidence_files.exists():
                self.fields["remove_files"] = forms.ModelMultipleChoiceField(
                    label="删除附件", required=False, queryset=instance.evidence_files.all(),
                    widget=forms.CheckboxSelectMultiple)

    def clean_other_persons(self):
        return parse_persons(self.cleaned_data.get("other_persons") or "")

    def persons(self) -> list[dict]:
        data = self.cleaned_data
        return [{"cadre": cadre} for cadre in data.get("cadres") or []] + list(data.get("other_persons") or [])


class TransferForm(StyledFormMixin, forms.ModelForm):
    clues = forms.ModelMultipleChoiceField(label="移交的线索", queryset=Clue.objects.none(),
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": "请选择要移交的问题线索。"})

    class Meta:
        model = ClueTransfer
        fields = ["receiver_kind", "receiver_name", "transfer_date", "secret_level", "remarks"]
        widgets = {"transfer_date": _date_widget(), "remarks": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, data=None, *, clues, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["clues"].queryset = clues
        self.fields["clues"].label_from_instance = lambda clue: f"{clue.number} {clue.summary}"
        self.fields["remarks"].label = "补充说明"
        self.fields["remarks"].help_text = "写入移交函正文（可不填）。"
        if not self.is_bound:
            self.initial.setdefault("transfer_date", timezone.localdate())
            self.initial.setdefault("receiver_kind", c.ReceiverKind.DISCIPLINE)


class DispositionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ClueDisposition
        fields = ["kind", "date", "result"]
        widgets = {"date": _date_widget(), "result": forms.Textarea(attrs={"rows": 3})}


def receiver_default(kind: str, region_name: str) -> str:
    """The usual receiver of a kind of clue in a region (filled in on the transfer form)."""
    names = {c.ReceiverKind.DISCIPLINE: f"中共{region_name}纪律检查委员会 {region_name}监察委员会",
             c.ReceiverKind.ORGANISATION: f"中共{region_name}委组织部"}
    return names.get(kind, "")
