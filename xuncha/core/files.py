"""Uploads are kept by their SHA-256: stored once, never overwritten, read back by hash."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .crypto import sha256_hex
from .models import StoredFile


def blob_path(sha256: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "blobs" / sha256[:2] / sha256


def human_size(size: int) -> str:
    """2048 -> "2 KB": a limit of 0.5 MB must not be shown as "0 MB"."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} 字节"


def check_size(size: int, max_bytes: int | None = None) -> None:
    """The one place that words the empty-file and too-large errors."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    if size <= 0:
        raise ValidationError("文件为空，请检查后重新上传。")
    if size > limit:
        raise ValidationError(f"文件超过大小限制（{human_size(limit)}），请压缩或分批后重新上传。")


def read_upload(upload, *, max_bytes: int | None = None) -> bytes:
    """The bytes of an uploaded file, refusing empty and oversized ones before reading them."""
    check_size(upload.size, max_bytes)
    upload.seek(0)
    data = upload.read()
    check_size(len(data), max_bytes)  # the declared size is the client's word; the bytes are the truth
    return data


def _write_blob(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # A unique temporary name: two uploads of the same bytes at once must not write into one file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:8]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)  # atomic: a reader never sees half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _blob_intact(path: Path, digest: str) -> bool:
    """A damaged blob is written again from the fresh upload rather than kept (and refused) for ever."""
    try:
        return sha256_hex(path.read_bytes()) == digest
    except FileNotFoundError:
        return False


def store_bytes(data: bytes, *, name: str, content_type: str = "", user=None, max_bytes: int | None = None) -> StoredFile:
    """Store `data` under its hash and return the (possibly already existing) StoredFile."""
    check_size(len(data), max_bytes)
    digest = sha256_hex(data)
    path = blob_path(digest)
    if not _blob_intact(path, digest):
        _write_blob(path, data)
    existing = StoredFile.objects.filter(sha256=digest).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return StoredFile.objects.create(
                sha256=digest, size=len(data), content_type=content_type[:100],
                original_name=os.path.basename(name)[:255], created_by=user,
            )
    except IntegrityError:  # another request stored the same bytes a moment ago
        return StoredFile.objects.get(sha256=digest)


def store_upload(upload, *, user=None, max_bytes: int | None = None) -> StoredFile:
    return store_bytes(read_upload(upload, max_bytes=max_bytes), name=upload.name,
                       content_type=getattr(upload, "content_type", "") or "", user=user, max_bytes=max_bytes)


def read_bytes(stored: StoredFile) -> bytes:
    """The stored bytes, checked against their hash: a changed or damaged blob is never used."""
    try:
        data = blob_path(stored.sha256).read_bytes()
    except FileNotFoundError:
        raise ValidationError("上传的文件已不在服务器上，请重新上传。") from None
    if sha256_hex(data) != stored.sha256:
        raise ValidationError("上传的文件已损坏（校验值不符），请重新上传。")
    return data
