"""Login, logout, password change; user, grant and role administration (三员分立)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from xuncha.core.changelog import history_for
from xuncha.core.permissions import PERMISSIONS
from xuncha.core.scoping import has_perm
from xuncha.core.views import apply_form_errors

from . import forms, services
from .login import LoginFailed, attempt_login
from .models import Grant, Role, User


class LoginView(View):
    def get(self, request):
        if request.user.is_authenticated:
            return redirect("core:home")
        return render(request, "accounts/login.html", {"form": forms.LoginForm()})

    def post(self, request):
        form = forms.LoginForm(request.POST)
        error = None
        if form.is_valid():
            try:
                user = attempt_login(request, form.cleaned_data["username"], form.cleaned_data["password"])
            except LoginFailed as failed:
                error = failed.message
            else:
                login(request, user, backend="xuncha.accounts.backends.LockoutModelBackend")
                target = request.POST.get("next") or request.GET.get("next") or ""
                if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                    target = reverse("core:home")
                if user.must_change_password or user.password_expired():
                    messages.warning(request, "首次登录或密码已超过有效期，请先修改密码。")
                    return redirect("accounts:password_change")
                return redirect(target or "core:home")
        else:
            error = "请输入登录名和密码。"
        return render(request, "accounts/login.html", {"form": form, "error": error}, status=200)


class LogoutView(View):
    """POST only, so that a link on another site cannot log the user out; the session is flushed."""

    def post(self, request):
        if request.user.is_authenticated:
            from xuncha.core.context import client_ip
            from xuncha.core.models import LoginLog

            services.login_log_write(username=request.user.username, user=request.user, event=LoginLog.Event.LOGOUT,
                                     ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", ""))
        logout(request)
        messages.info(request, "您已安全退出。")
        return redirect("accounts:login")


class PasswordChangeView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "accounts/password_change.html", {"form": forms.PasswordChangeForm(request.user)})

    def post(self, request):
        form = forms.PasswordChangeForm(request.user, request.POST)
        if form.is_valid():
            try:
                services.user_change_password(user=request.user, new_password=form.cleaned_data["new_password1"])
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    apply_form_errors(form, error)
                else:
                    form.add_error("new_password1", error)
            else:
                update_session_auth_hash(request, request.user)
                messages.success(request, "密码已修改。")
                return redirect("core:home")
        request._operation_failed = True
        return render(request, "accounts/password_change.html", {"form": form})


class AdminPermissionMixin(LoginRequiredMixin):
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_perm(request.user, self.permission):
            raise PermissionDenied("您没有访问此页面的权限。")
        return super().dispatch(request, *args, **kwargs)


class UserListView(AdminPermissionMixin, View):
    permission = "accounts:user:view"

    def get(self, request):
        qs = User.objects.for_user(request.user).prefetch_related("grants__role", "grants__region", "grants__unit",
                                                                   "grants__group")
        q = request.GET.get("q", "").strip()
        if q:
            qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
        page = Paginator(qs.order_by("username"), 50).get_page(request.GET.get("page"))
        return render(request, "accounts/user_list.html", {
            "page": page, "q": q, "query": f"q={q}" if q else "",
            "can_add": has_perm(request.user, "accounts:user:add")})


def _user(request, pk, action="view"):
    return get_object_or_404(User.objects.for_user(request.user, action), pk=pk)


class UserDetailView(AdminPermissionMixin, View):
    permission = "accounts:user:view"

    def get(self, request, pk):
        target = _user(request, pk)
        return render(request, "accounts/user_detail.html", {
            "target": target,
            "grants": target.grants.select_related("role", "region", "unit").order_by("-is_active", "id"),
            "history": history_for(target)[:50],
            "can_change": has_perm(request.user, "accounts:user:change"),
            "can_unlock": has_perm(request.user, "accounts:user:unlock"),
            "can_grant": has_perm(request.user, "accounts:grant:add"),
            "can_revoke": has_perm(request.user, "accounts:grant:delete"),
            "grant_form": forms.GrantForm() if has_perm(request.user, "accounts:grant:add") else None,
        })


class UserCreateView(AdminPermissionMixin, View):
    permission = "accounts:user:add"

    def get(self, request):
        return render(request, "accounts/user_form.html", {"form": forms.UserCreateForm()})

    def post(self, request):
        form = forms.UserCreateForm(request.POST)
        if form.is_valid():
            try:
                user = services.user_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    apply_form_errors(form, error)
                else:
                    form.add_error("password", error)
            else:
                messages.success(request, f"用户“{user}”已创建，首次登录须修改密码。")
                return redirect("accounts:user_detail", pk=user.pk)
        request._operation_failed = True
        return render(request, "accounts/user_form.html", {"form": form})


class UserEditView(AdminPermissionMixin, View):
    permission = "accounts:user:change"

    def get(self, request, pk):
        target = _user(request, pk, "change")
        form = forms.UserEditForm(initial={"full_name": target.full_name, "is_active": target.is_active})
        return render(request, "accounts/user_form.html", {"form": form, "target": target})

    def post(self, request, pk):
        target = _user(request, pk, "change")
        form = forms.UserEditForm(request.POST)
        if form.is_valid():
            try:
                services.user_update(actor=request.user, user=target, full_name=form.cleaned_data["full_name"],
                                     phone=form.cleaned_data["phone"] or target.phone,
                                     is_active=form.cleaned_data["is_active"])
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, "用户信息已保存。")
                return redirect("accounts:user_detail", pk=target.pk)
        request._operation_failed = True
        return render(request, "accounts/user_form.html", {"form": form, "target": target})


class UserResetPasswordView(AdminPermissionMixin, View):
    permission = "accounts:user:change"

    def get(self, request, pk):
        return render(request, "accounts/user_form.html",
                      {"form": forms.ResetPasswordForm(), "target": _user(request, pk, "change"), "reset": True})

    def post(self, request, pk):
        target = _user(request, pk, "change")
        form = forms.ResetPasswordForm(request.POST)
        if form.is_valid():
            try:
                services.user_reset_password(actor=request.user, user=target,
                                             new_password=form.cleaned_data["new_password"])
            except ValidationError as error:
                form.add_error("new_password", error)
            else:
                messages.success(request, "密码已重置，用户下次登录须修改密码。")
                return redirect("accounts:user_detail", pk=target.pk)
        request._operation_failed = True
        return render(request, "accounts/user_form.html", {"form": form, "target": target, "reset": True})


class UserUnlockView(AdminPermissionMixin, View):
    permission = "accounts:user:unlock"

    def post(self, request, pk):
        target = _user(request, pk, "unlock")
        services.user_unlock(actor=request.user, user=target)
        messages.success(request, f"账号“{target}”已解锁。")
        return redirect("accounts:user_detail", pk=target.pk)


class GrantAddView(AdminPermissionMixin, View):
    permission = "accounts:grant:add"

    def post(self, request, pk):
        target = _user(request, pk)
        form = forms.GrantForm(request.POST)
        if form.is_valid():
            try:
                services.grant_create(actor=request.user, user=target, **form.cleaned_data)
            except ValidationError as error:
                for msg in error.messages:
                    messages.error(request, msg)
                request._operation_failed = True
            else:
                messages.success(request, "已授权。")
        else:
            request._operation_failed = True
            for line in form.error_summary():
                messages.error(request, line)
        return redirect("accounts:user_detail", pk=target.pk)


class GrantRevokeView(AdminPermissionMixin, View):
    permission = "accounts:grant:delete"

    def post(self, request, pk):
        grant = get_object_or_404(Grant.objects.filter(user__in=User.objects.for_user(request.user)), pk=pk)
        services.grant_revoke(actor=request.user, grant=grant)
        messages.success(request, "已撤销授权。")
        return redirect("accounts:user_detail", pk=grant.user_id)


class RoleListView(AdminPermissionMixin, View):
    permission = "accounts:role:view"

    def get(self, request):
        roles = Role.objects.all()
        return render(request, "accounts/role_list.html", {
            "roles": [(r, [PERMISSIONS.get(p, p) for p in r.permissions]) for r in roles],
            "can_change": has_perm(request.user, "accounts:role:change")})


class RoleEditView(AdminPermissionMixin, View):
    permission = "accounts:role:change"

    def get(self, request, pk):
        role = get_object_or_404(Role, pk=pk)
        form = forms.RolePermissionsForm(initial={"permissions": role.permissions})
        return render(request, "accounts/role_form.html", {"form": form, "role": role})

    def post(self, request, pk):
        role = get_object_or_404(Role, pk=pk)
        form = forms.RolePermissionsForm(request.POST)
        if form.is_valid():
            try:
                services.role_set_permissions(actor=request.user, role=role,
                                              permissions=form.cleaned_data["permissions"])
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, f"角色“{role}”的权限已保存。")
                return redirect("accounts:role_list")
        request._operation_failed = True
        return render(request, "accounts/role_form.html", {"form": form, "role": role})
