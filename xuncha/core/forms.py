"""Form helpers shared by every app: Bootstrap classes, dictionary fields, Chinese error summaries."""

from __future__ import annotations

from django import forms

from . import dictionaries
from .models import DictField


class StyledFormMixin:
    """Adds Bootstrap classes and marks invalid fields, so every form looks and fails the same way."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput,)):
                css = "form-check-input"
            elif isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = ""
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def is_valid(self):
        valid = super().is_valid()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
        return valid

    def error_summary(self) -> list[str]:
        """「字段」：错误 lines naming each field, for the top of the page and the import report."""
        lines = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for error in errors:
                lines.append(f"「{label}」：{error}" if label else str(error))
        return lines


class DictChoiceField(forms.TypedChoiceField):
    """A choice among the active items of a dictionary, read when the form is built."""

    def __init__(self, dict_code: str, *args, required: bool = True, **kwargs):
        self.dict_code = dict_code
        kwargs.setdefault("empty_value", "")
        super().__init__(*args, required=required, choices=(), **kwargs)
        self.choices = [("", "——请选择——")] + dictionaries.choices(dict_code)


def dict_formfield(model_field: DictField, **kwargs):
    """Used by ModelForms: replace a DictField's text box with the dictionary's choices."""
    return DictChoiceField(
        model_field.dict_code,
        label=model_field.verbose_name,
        required=not model_field.blank,
        help_text=model_field.help_text,
        **kwargs,
    )


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    """A ModelForm whose dictionary fields offer the dictionary's items."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            model_field = self._meta.model._meta.get_field(name) if name in {
                f.name for f in self._meta.model._meta.get_fields()} else None
            if isinstance(model_field, DictField):
                css = field.widget.attrs.get("class", "")
                self.fields[name] = dict_formfield(model_field)
                self.fields[name].widget.attrs["class"] = "form-select" if "form-" in css else css
                if self.instance and self.instance.pk:
                    self.initial[name] = getattr(self.instance, name)
