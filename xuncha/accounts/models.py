"""Users, roles and grants: a user holds roles over scopes (region subtree, unit, or the system)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from xuncha.core.scoping import SCOPE_GLOBAL, SCOPE_GROUP, SCOPE_REGION, SCOPE_UNIT, ScopedQuerySet

__all__ = ["User", "Role", "Grant"]


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    """A person who logs in. Login security (lockout, expiry, first-login change) lives here."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    failed_logins = models.PositiveIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    must_change_password = models.BooleanField("下次登录须修改密码", default=True)

    objects = ScopedUserManager()

    # Accounts are system data: the system and security administrators reach them through global grants.
    scope_paths: dict = {}
    history_exclude = ("password", "last_login", "failed_logins", "locked_until")

    class Meta:
        ordering = ["username"]
        verbose_name = verbose_name_plural = "用户"

    def __str__(self):
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def is_locked(self, now=None) -> bool:
        return bool(self.locked_until and self.locked_until > (now or timezone.now()))

    def password_expired(self, now=None) -> bool:
        if self.password_changed_at is None:
            return True
        return self.password_changed_at + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS) < (now or timezone.now())


class Role(models.Model):
    """A named set of permission strings (`app:model:action`)."""

    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=50)
    description = models.CharField("说明", max_length=200, blank=True)
    permissions = models.JSONField("权限", default=list, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "角色"

    def __str__(self):
        return self.name


class Grant(models.Model):
    """A role held over a scope. Exactly one of region/unit/group is set, or none for a system grant."""

    class ScopeKind(models.TextChoices):
        REGION = SCOPE_REGION, "区域（含下级）"
        UNIT = SCOPE_UNIT, "单位"
        GROUP = SCOPE_GROUP, "巡察组"
        GLOBAL = SCOPE_GLOBAL, "全系统（三员）"

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="grants")
    role = models.ForeignKey(Role, verbose_name="角色", on_delete=models.PROTECT, related_name="grants")
    scope_kind = models.CharField("授权范围类型", max_length=16, choices=ScopeKind.choices)
    region = models.ForeignKey(
        "org.Region", verbose_name="区域", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A group grant reaches that group's inspections and their target units (planning registers the rules).
    group = models.ForeignKey(
        "planning.InspectionGroup", verbose_name="巡察组", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("授权时间", auto_now_add=True)

    # Grants are system data: the security administrator reaches them through a global grant.
    scope_paths: dict = {}

    class Meta:
        ordering = ["user_id", "id"]
        verbose_name = verbose_name_plural = "角色授权"

    def __str__(self):
        return f"{self.user} · {self.role} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        if self.scope_kind == SCOPE_REGION and self.region_id:
            return f"{self.region.name}及下级"
        if self.scope_kind == SCOPE_UNIT and self.unit_id:
            return self.unit.name
        if self.scope_kind == SCOPE_GROUP and self.group_id:
            return self.group.scope_label
        return "全系统"

    def clean(self):
        if self.scope_kind == SCOPE_REGION and (not self.region_id or self.unit_id or self.group_id):
            raise ValidationError({"region": "区域授权须且只须选择一个区域。"})
        if self.scope_kind == SCOPE_UNIT and (not self.unit_id or self.region_id or self.group_id):
            raise ValidationError({"unit": "单位授权须且只须选择一个单位。"})
        if self.scope_kind == SCOPE_GROUP and (not self.group_id or self.region_id or self.unit_id):
            raise ValidationError({"group": "巡察组授权须且只须选择一个巡察组。"})
        if self.scope_kind == SCOPE_GLOBAL and (self.unit_id or self.region_id or self.group_id):
            raise ValidationError({"scope_kind": "全系统授权不能再选择区域、单位或巡察组。"})
