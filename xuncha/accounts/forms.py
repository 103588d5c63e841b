from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts

from xuncha.core.forms import StyledFormMixin

from .models import Grant, Role, User


class LoginForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label="登录名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput(render_value=False))


class PasswordChangeForm(StyledFormMixin, forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput)
    new_password1 = forms.CharField(label="新密码", widget=forms.PasswordInput,
                                    help_text="".join(t if t.endswith("。") else t + "。"
                                                      for t in password_validators_help_texts()))
    new_password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError("原密码不正确。")
        return value

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


class UserCreateForm(StyledFormMixin, forms.Form):
    username = forms.RegexField(label="登录名", max_length=150, regex=r"^[A-Za-z0-9_.@-]+$",
                                error_messages={"invalid": "登录名只能包含字母、数字和 _ . @ -。"})
    full_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.RegexField(label="手机号", regex=r"^1\d{10}$", required=False,
                             error_messages={"invalid": "手机号应为 11 位数字。"})
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput,
                               help_text="用户首次登录时须修改密码。")


class UserEditForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.RegexField(label="手机号", regex=r"^1\d{10}$", required=False,
                             error_messages={"invalid": "手机号应为 11 位数字。"},
                             help_text="留空表示不修改。")
    is_active = forms.BooleanField(label="启用", required=False)


class ResetPasswordForm(StyledFormMixin, forms.Form):
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput,
                                   help_text="重置后用户下次登录须修改密码。")


class GrantForm(StyledFormMixin, forms.Form):
    role = forms.ModelChoiceField(label="角色", queryset=Role.objects.filter(is_active=True), empty_label="——请选择——")
    scope_kind = forms.ChoiceField(label="授权范围类型", choices=Grant.ScopeKind.choices)
    region = forms.ModelChoiceField(label="区域", queryset=None, required=False, empty_label="——请选择——")
    unit = forms.ModelChoiceField(label="单位", queryset=None, required=False, empty_label="——请选择——",
                                  help_text="按单位授权时选择（如被巡察单位联络人）。")
    group = forms.ModelChoiceField(label="巡察组", queryset=None, required=False, empty_label="——请选择——",
                                   help_text="按巡察组授权时选择（巡察组组长、组员只能看到本组本轮的巡察任务和对象）。")

    def __init__(self, *args, **kwargs):
        from xuncha.org.models import Region, Unit
        from xuncha.planning.models import InspectionGroup

        super().__init__(*args, **kwargs)
        # The security administrator grants over the whole tree: the names of regions, units and groups
        # are what a grant needs, and the administrator still cannot open any unit's record.
        self.fields["region"].queryset = Region.objects.all()
        self.fields["unit"].queryset = Unit.objects.select_related("region").order_by("region__path", "name")
        self.fields["unit"].label_from_instance = lambda u: f"{u.name}（{u.region.name}）"
        self.fields["group"].queryset = InspectionGroup.objects.select_related("round", "authority").order_by(
            "-round__year", "authority__path", "round__number", "number")
        self.fields["group"].label_from_instance = lambda g: g.scope_label


class RolePermissionsForm(StyledFormMixin, forms.Form):
    permissions = forms.MultipleChoiceField(label="权限", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        from xuncha.core.permissions import PERMISSIONS

        super().__init__(*args, **kwargs)
        self.fields["permissions"].choices = sorted(PERMISSIONS.items())


__all__ = ["LoginForm", "PasswordChangeForm", "UserCreateForm", "UserEditForm", "ResetPasswordForm",
           "GrantForm", "RolePermissionsForm", "User"]
