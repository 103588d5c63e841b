from __future__ import annotations

from django import forms

from .forms import StyledFormMixin


class DictItemForm(StyledFormMixin, forms.Form):
    value = forms.RegexField(label="值（编码）", max_length=32, regex=r"^[A-Za-z0-9_\-]+$",
                             error_messages={"invalid": "值只能包含字母、数字、下划线和连字符。"},
                             help_text="保存后不可修改：记录中保存的是此值。")
    label = forms.CharField(label="名称", max_length=64)
    sort = forms.IntegerField(label="排序", min_value=0, initial=0)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, instance_item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if instance_item is not None:
            self.fields["value"].disabled = True
            self.initial.update(value=instance_item.value, label=instance_item.label,
                                sort=instance_item.sort, is_active=instance_item.is_active)
