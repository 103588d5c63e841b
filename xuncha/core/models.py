"""The shared kernel: the abstract base of every domain model, dictionaries, stored files,
background jobs and the three append-only logs (change log, operation log, login log)."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .scoping import AllObjectsManager, ScopedManager

__all__ = [
    "BaseModel",
    "SoftDeleteModel",
    "DictType",
    "DictItem",
    "DictField",
    "StoredFile",
    "Job",
    "ChainHead",
    "ChangeLog",
    "OperationLog",
    "LoginLog",
    "AppendOnlyError",
]


class BaseModel(models.Model):
    """Timestamps and author on every domain row; a default ordering so pages are stable."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = ScopedManager()
    all_objects = AllObjectsManager()

    class Meta:
        abstract = True
        ordering = ["-id"]


class SoftDeleteModel(BaseModel):
    """Domain records are never removed: a delete hides them and the change log keeps the before."""

    is_deleted = models.BooleanField("已删除", default=False, db_index=True)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-id"]


# --- Dictionaries -------------------------------------------------------------------------------


class DictType(models.Model):
    """A dictionary (字典): the allowed values of one enumerated field, editable by the admin."""

    code = models.CharField("编码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=64)
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "数据字典"

    def __str__(self):
        return self.name


class DictItem(models.Model):
    dict_type = models.ForeignKey(DictType, verbose_name="字典", on_delete=models.PROTECT, related_name="items")
    value = models.CharField("值", max_length=32)
    label = models.CharField("名称", max_length=64)
    sort = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["dict_type_id", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dict_type", "value"], name="dictitem_unique_value"),
            models.UniqueConstraint(fields=["dict_type", "label"], name="dictitem_unique_label"),
        ]
        verbose_name = verbose_name_plural = "字典项"

    def __str__(self):
        return self.label


class DictField(models.CharField):
    """A CharField whose allowed values live in the dictionary `dict_code`.

    Forms, filters, imports, exports and templates read `dict_code` to offer and show labels.
    """

    def __init__(self, *args, dict_code: str = "", **kwargs):
        self.dict_code = dict_code
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["dict_code"] = self.dict_code
        if kwargs.get("max_length") == 32:
            del kwargs["max_length"]
        return name, path, args, kwargs


# --- Files and jobs -----------------------------------------------------------------------------


class StoredFile(models.Model):
    """An upload kept by its SHA-256: the same bytes are stored once and never overwritten."""

    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    size = models.BigIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100, blank=True)
    original_name = models.CharField("原文件名", max_length=255)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "上传文件"

    def __str__(self):
        return self.original_name

    @property
    def relative_path(self) -> str:
        return f"blobs/{self.sha256[:2]}/{self.sha256}"


class Job(models.Model):
    """A background job (import, scan, document generation) with its progress for the page."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "进行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=64)
    title = models.CharField("名称", max_length=200)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.TextField("结果说明", blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    input_file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "后台任务"

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return int(self.progress * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


# --- Append-only, HMAC-chained logs -------------------------------------------------------------


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a log row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("日志只可追加，不可修改。")

    def delete(self):
        raise AppendOnlyError("日志只可追加，不可删除。")

    def for_user(self, user, action: str = "view"):
        from .scoping import has_perm, permission_for

        return self if has_perm(user, permission_for(self.model, action)) else self.none()


class ChainHead(models.Model):
    """The last link of each log chain; locked while a row is appended so links stay in order."""

    name = models.CharField(max_length=64, unique=True)
    seq = models.BigIntegerField(default=0)
    mac = models.CharField(max_length=64, default="")

    def __str__(self):
        return f"{self.name}#{self.seq}"


class ChainedLog(models.Model):
    """Base of the logs: rows are appended through `append()` only and linked by HMAC-SM3.

    mac(n) = HMAC-SM3(key, mac(n-1) || canonical JSON of row n). Editing, removing or inserting a row
    breaks the chain, which `manage.py verify_audit_chain` detects.
    """

    seq = models.BigIntegerField("序号", unique=True, editable=False)
    prev_mac = models.CharField(max_length=64, editable=False)
    mac = models.CharField(max_length=64, editable=False)

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()
    chained_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True
        ordering = ["-seq"]

    def save(self, *args, **kwargs):
        if not getattr(self, "_appending", False):
            raise AppendOnlyError("日志只可通过 append() 追加。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("日志只可追加，不可删除。")

    def canonical(self) -> bytes:
        values = {}
        for name in ("seq", *self.chained_fields):
            value = getattr(self, name)
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            values[name] = value
        return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")

    def compute_mac(self, prev_mac: str) -> str:
        from .crypto import hmac_sm3_hex

        return hmac_sm3_hex(settings.AUDIT_HMAC_KEY.encode("utf-8"), prev_mac.encode("ascii") + self.canonical())

    @classmethod
    def chain_name(cls) -> str:
        return cls._meta.db_table

    @classmethod
    def append(cls, **fields):
        """Append one row at the end of the chain, in its own (or the caller's) transaction."""
        with transaction.atomic():
            head, _ = ChainHead.objects.get_or_create(name=cls.chain_name())
            head = ChainHead.objects.select_for_update().get(pk=head.pk)
            row = cls(**fields)
            if row.created_at is None:
                row.created_at = timezone.now()
            row.seq = head.seq + 1
            row.prev_mac = head.mac
            row.mac = row.compute_mac(head.mac)
            row._appending = True
            row.save(force_insert=True)
            row._appending = False  # the instance handed back cannot be saved again
            ChainHead.objects.filter(pk=head.pk).update(seq=row.seq, mac=row.mac)
            return row


class ChangeLog(ChainedLog):
    """Before and after of every change to a domain record (对象历史)."""

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        RESTORE = "restore", "恢复"
        IMPORT = "import", "导入"

    created_at = models.DateTimeField("时间", db_index=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField("对象编号", max_length=64, db_index=True)
    object_repr = models.CharField("对象", max_length=200)
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    user_id_value = models.BigIntegerField("用户编号", null=True, blank=True)
    username = models.CharField("用户", max_length=150, blank=True)
    ip = models.CharField("IP", max_length=64, blank=True)
    request_id = models.CharField("请求编号", max_length=32, blank=True)

    chained_fields = (
        "created_at", "content_type_id", "object_id", "object_repr", "action", "before", "after",
        "user_id_value", "username", "ip", "request_id",
    )

    class Meta:
        ordering = ["-seq"]
        verbose_name = verbose_name_plural = "变更记录"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.object_repr} {self.get_action_display()}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = [k for k in (after or before) if before.get(k) != after.get(k)]
        return [(k, before.get(k), after.get(k)) for k in keys]


class OperationLog(ChainedLog):
    """Every write and every sensitive read through a page or the API (操作日志)."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"
        DENIED = "denied", "拒绝"

    created_at = models.DateTimeField("时间", db_index=True)
    module = models.CharField("模块", max_length=64)
    action = models.CharField("操作", max_length=64)
    method = models.CharField("请求方式", max_length=8)
    path = models.CharField("地址", max_length=500)
    params = models.JSONField("参数", default=dict)
    user_id_value = models.BigIntegerField("用户编号", null=True, blank=True)
    username = models.CharField("用户", max_length=150, blank=True)
    ip = models.CharField("IP", max_length=64, blank=True)
    status_code = models.PositiveIntegerField("状态码")
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices)
    duration_ms = models.PositiveIntegerField("耗时（毫秒）")
    request_id = models.CharField("请求编号", max_length=32, blank=True)

    chained_fields = (
        "created_at", "module", "action", "method", "path", "params", "user_id_value", "username", "ip",
        "status_code", "outcome", "duration_ms", "request_id",
    )

    class Meta:
        ordering = ["-seq"]
        verbose_name = verbose_name_plural = "操作日志"

    def __str__(self):
        return f"{self.username} {self.module} {self.action}"


class LoginLog(ChainedLog):
    """Every login, failed login, lockout and logout (登录日志)."""

    class Event(models.TextChoices):
        SUCCESS = "success", "登录成功"
        FAILURE = "failure", "密码错误"
        LOCKED = "locked", "账号锁定"
        REJECTED = "rejected", "拒绝登录"
        LOGOUT = "logout", "退出登录"
        TIMEOUT = "timeout", "会话超时"

    created_at = models.DateTimeField("时间", db_index=True)
    username = models.CharField("登录名", max_length=150)
    user_id_value = models.BigIntegerField("用户编号", null=True, blank=True)
    event = models.CharField("事件", max_length=16, choices=Event.choices)
    reason = models.CharField("说明", max_length=200, blank=True)
    ip = models.CharField("IP", max_length=64, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)

    chained_fields = ("created_at", "username", "user_id_value", "event", "reason", "ip", "user_agent")

    class Meta:
        ordering = ["-seq"]
        verbose_name = verbose_name_plural = "登录日志"

    def __str__(self):
        return f"{self.username} {self.get_event_display()}"
