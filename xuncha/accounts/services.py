"""Every write on accounts: login bookkeeping, password changes, users and grants."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xuncha.core import changelog
from xuncha.core.models import ChangeLog, LoginLog
from xuncha.core.scoping import SCOPE_GLOBAL, SCOPE_GROUP, SCOPE_REGION, SCOPE_UNIT, forget_grants, has_perm

from .models import Grant, Role, User


def login_log_write(*, username: str, event: str, user=None, reason: str = "", ip: str = "", user_agent: str = ""):
    return LoginLog.append(
        username=username[:150], user_id_value=getattr(user, "pk", None), event=event, reason=reason[:200],
        ip=ip or "", user_agent=(user_agent or "")[:300],
    )


def user_login_failed(*, user: User) -> bool:
    """Count a failed password; lock the account at the limit. Returns True if the account is now locked."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins", "locked_until"])
        if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
            user.locked_until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            user.failed_logins = 0
            user.save(update_fields=["locked_until", "failed_logins"])
            return True
    return False


def user_login_succeeded(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None, last_login=timezone.now())


def user_change_password(*, user: User, new_password: str, actor: User | None = None) -> None:
    """Set a new password after the policy check; the owner changing it clears the forced change."""
    validate_password(new_password, user)
    if user.check_password(new_password):
        raise ValidationError({"new_password1": "新密码不能与原密码相同。"})
    with transaction.atomic():
        user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.must_change_password = actor is not None and actor.pk != user.pk
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        changelog.record(user, ChangeLog.Action.UPDATE, before={"password": "******"},
                         after={"password": "******（已修改）"}, user=actor or user)


def _require(actor: User, permission: str) -> None:
    if not has_perm(actor, permission):
        raise PermissionDenied("您没有执行此操作的权限。")


def user_create(*, actor: User, username: str, full_name: str, phone: str = "", password: str) -> User:
    """Create an account; the person must change the password at first login."""
    _require(actor, "accounts:user:add")
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "该登录名已存在。"})
    user = User(username=username, full_name=full_name, phone=phone, must_change_password=True)
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.created_by = None
        user.save()
        changelog.record(user, ChangeLog.Action.CREATE, before=None, after=changelog.snapshot(user), user=actor)
    return user


def user_update(*, actor: User, user: User, full_name: str, phone: str, is_active: bool) -> User:
    _require(actor, "accounts:user:change")
    if user.pk == actor.pk and not is_active:
        raise ValidationError({"is_active": "不能停用自己的账号。"})
    with transaction.atomic():
        before = changelog.snapshot(user)
        user.full_name, user.phone, user.is_active = full_name, phone, is_active
        user.save(update_fields=["full_name", "phone", "is_active"])
        changelog.record(user, ChangeLog.Action.UPDATE, before=before, after=changelog.snapshot(user), user=actor)
    return user


def user_reset_password(*, actor: User, user: User, new_password: str) -> None:
    _require(actor, "accounts:user:change")
    user_change_password(user=user, new_password=new_password, actor=actor)


def user_unlock(*, actor: User, user: User) -> None:
    _require(actor, "accounts:user:unlock")
    with transaction.atomic():
        before = {"locked_until": user.locked_until.isoformat() if user.locked_until else None}
        User.objects.filter(pk=user.pk).update(locked_until=None, failed_logins=0)
        changelog.record(user, ChangeLog.Action.UPDATE, before=before, after={"locked_until": None}, user=actor)


# Roles that make sense over one inspection group (the group's own people).
GROUP_ROLES = {"group_leader", "group_member"}


def grant_create(*, actor: User, user: User, role: Role, scope_kind: str, region=None, unit=None,
                 group=None) -> Grant:
    """Give `user` a role over a scope. 三员分立: nobody grants themselves, and the three
    administrator roles are held only globally and never together with business roles. A group
    scope (one inspection group of one round) is for the group's leader and members only."""
    _require(actor, "accounts:grant:add")
    if user.pk == actor.pk:
        raise ValidationError({"user": "不能给自己授权。"})
    admin_roles = {"sys_admin", "sec_admin", "auditor"}
    if (role.code in admin_roles) != (scope_kind == SCOPE_GLOBAL):
        raise ValidationError({"scope_kind": "系统管理员、安全管理员、审计员只能授予全系统范围；业务角色须授予区域或单位范围。"})
    held = set(user.grants.filter(is_active=True).values_list("role__code", flat=True))
    if role.code in admin_roles and (held - {role.code}):
        raise ValidationError({"role": "三员分立：该用户已持有其他角色，不能再授予管理员角色。"})
    if role.code not in admin_roles and held & admin_roles:
        raise ValidationError({"role": "三员分立：管理员账号不能同时持有业务角色。"})
    if scope_kind == SCOPE_GROUP and role.code not in GROUP_ROLES:
        raise ValidationError({"role": "巡察组授权只能授予巡察组组长或巡察组组员角色。"})
    grant = Grant(user=user, role=role, scope_kind=scope_kind,
                  region=region if scope_kind == SCOPE_REGION else None,
                  unit=unit if scope_kind == SCOPE_UNIT else None,
                  group=group if scope_kind == SCOPE_GROUP else None)
    grant.full_clean()
    with transaction.atomic():
        grant.save()
        changelog.record(user, ChangeLog.Action.UPDATE, before=None,
                         after={"grant_added": str(grant)}, user=actor)
    forget_grants(user)
    return grant


def grant_revoke(*, actor: User, grant: Grant) -> None:
    _require(actor, "accounts:grant:delete")
    with transaction.atomic():
        Grant.objects.filter(pk=grant.pk).update(is_active=False)
        changelog.record(grant.user, ChangeLog.Action.UPDATE, before={"grant": str(grant)},
                         after={"grant_revoked": str(grant)}, user=actor)
    forget_grants(grant.user)


def role_set_permissions(*, actor: User, role: Role, permissions: list[str]) -> Role:
    from xuncha.core.permissions import PERMISSIONS

    _require(actor, "accounts:role:change")
    unknown = [p for p in permissions if p not in PERMISSIONS]
    if unknown:
        raise ValidationError({"permissions": f"未知的权限：{'、'.join(unknown)}"})
    with transaction.atomic():
        before = {"permissions": sorted(role.permissions)}
        role.permissions = sorted(set(permissions))
        role.save(update_fields=["permissions"])
        changelog.record(role, ChangeLog.Action.UPDATE, before=before,
                         after={"permissions": role.permissions}, user=actor)
    return role
