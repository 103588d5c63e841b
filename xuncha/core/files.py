"""Uploads are kept by their SHA-256: stored once, never overwritten, read back by hash."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .crypto import sha256_hex
from .models import StoredFile


def blob_path(sha256: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "blobs" / sha256[:2] / sha256


def store_bytes(data: bytes, *, name: str, content_type: str = "", user=None, max_bytes: int | None = None) -> StoredFile:
    """Store `data` under its hash and return the (possibly already existing) StoredFile."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    if not data:
        raise ValidationError("文件为空，请检查后重新上传。")
    if len(data) > limit:
        raise ValidationError(f"文件超过大小限制（{limit // (1024 * 1024)} MB）。")
    digest = sha256_hex(data)
    path = blob_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, path)  # atomic: a reader never sees half a file
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
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(f"文件超过大小限制（{limit // (1024 * 1024)} MB）。")
    return store_bytes(upload.read(), name=upload.name, content_type=getattr(upload, "content_type", "") or "",
                       user=user, max_bytes=limit)


def read_bytes(stored: StoredFile) -> bytes:
    return blob_path(stored.sha256).read_bytes()
