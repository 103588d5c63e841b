"""Forms of the duplicate check. Related choices come from the user's scope only."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from xuncha.core.forms import DictChoiceField, StyledFormMixin
from xuncha.org.models import Cadre, Region, Unit

from . import choices as c

ADD = "dupcheck:document:add"


class UploadForm(StyledFormMixin, forms.Form):
    """One file or a .zip of files, with the tags every file of the upload shares.

    The file itself is read and checked by services.document_upload (all or nothing); its errors
    come back on the field 「文件」.
    """

    file = forms.FileField(label="文件", allow_empty_file=True, help_text="Word（.docx）、文字版 PDF 或 .txt；多个文件可打包为 .zip 一次上传。"
                                                 "旧版 .doc 请另存为 .docx；扫描件 PDF 无文字层，无法检测。")
    unit = forms.ModelChoiceField(label="单位（班子）", queryset=Unit.objects.none(), empty_label="——请选择——")
    cadre = forms.ModelChoiceField(label="干部", queryset=Cadre.objects.none(), required=False,
                                   empty_label="——按文件名或正文中的姓名匹配——",
                                   help_text="留空时，按文件名或正文“姓名：”行中的姓名在所选单位的干部中匹配。")
    year = forms.IntegerField(label="年度", required=False, min_value=1990,
                              help_text="留空时从文件名或标题中识别（如“2023年度述职述廉报告.docx”）。")
    kind = forms.ChoiceField(label="材料类型")  # the dictionary's items, read when the form is built
    meeting = forms.CharField(label="会议", max_length=100, required=False,
                              help_text="如“2024年度县教育局领导班子民主生活会”；同一会议的材料互相比对。")

    def __init__(self, data=None, files=None, *, user, unit_id=None, **kwargs):
        super().__init__(data, files, **kwargs)
        self.user = user
        self.fields["kind"] = DictChoiceField(c.DICT_REPORT_KIND, label="材料类型")
        self.fields["kind"].widget.attrs["class"] = "form-select"
        self.fields["unit"].queryset = Unit.objects.for_user_perm(user, ADD).select_related("region").order_by(
            "region__path", "name")
        chosen = (self.data.get("unit") if self.is_bound else None) or unit_id
        cadres = Cadre.objects.none()
        if chosen and str(chosen).isdigit():
            cadres = Cadre.objects.for_user_perm(user, ADD).filter(unit_id=int(chosen)).order_by("name")
        self.fields["cadre"].queryset = cadres

    def clean_year(self):
        year = self.cleaned_data.get("year")
        limit = timezone.localdate().year + 1
        if year is not None and year > limit:
            raise forms.ValidationError(f"年度不能晚于 {limit} 年。")
        return year

    def clean(self):
        data = super().clean()
        cadre, unit = data.get("cadre"), data.get("unit")
        if cadre is not None and unit is not None and cadre.unit_id != unit.pk:
            self.add_error("cadre", "所选干部不属于所选单位。")
        return data


class ScanForm(StyledFormMixin, forms.Form):
    """A batch check: the mode and the filters choosing the documents to check."""

    mode = forms.ChoiceField(label="比对方式", choices=[(m.value, m.label) for m in c.CHOSEN_MODES],
                             widget=forms.RadioSelect, initial=c.ScanMode.CADRE)
    document = forms.IntegerField(required=False, widget=forms.HiddenInput)
    year = forms.IntegerField(label="年度", required=False, min_value=1990, max_value=2100)
    kind = forms.ChoiceField(label="材料类型", required=False)
    region = forms.ModelChoiceField(label="所属区域（含下级）", queryset=Region.objects.none(), required=False,
                                    empty_label="全部")
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部")
    meeting = forms.CharField(label="会议", max_length=100, required=False)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["region"].queryset = Region.objects.for_user(user, "view")
        self.fields["unit"].queryset = Unit.objects.for_user(user, "view").select_related("region").order_by(
            "region__path", "name")
        self.fields["kind"] = DictChoiceField(c.DICT_REPORT_KIND, label="材料类型", required=False)
        self.fields["kind"].choices = [("", "全部"), *self.fields["kind"].choices[1:]]
        self.fields["kind"].widget.attrs["class"] = "form-select"

    def criteria(self) -> dict:
        """The filters as plain data (kept with the scan and shown on its page)."""
        d = self.cleaned_data
        out = {"mode": d["mode"]}
        for name in ("document", "year", "kind", "meeting"):
            if d.get(name) not in (None, ""):
                out[name] = d[name]
        for name in ("region", "unit"):
            if d.get(name) is not None:
                out[name] = d[name].pk
                out[f"{name}_name"] = d[name].name
        return out

    def filter(self, queryset):
        """The chosen documents among `queryset` (already the user's scope)."""
        d = self.cleaned_data
        if d.get("document"):
            return queryset.filter(pk=d["document"])
        if d.get("year"):
            queryset = queryset.filter(year=d["year"])
        if d.get("kind"):
            queryset = queryset.filter(kind=d["kind"])
        if d.get("region") is not None:
            queryset = queryset.filter(region__path__startswith=d["region"].path)
        if d.get("unit") is not None:
            queryset = queryset.filter(unit=d["unit"])
        if d.get("meeting"):
            queryset = queryset.filter(meeting=d["meeting"].strip())
        return queryset
