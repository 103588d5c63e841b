"""The archive export of an inspection (立卷归档): every file attached to the inspection's records,
the report and feedback versions, and an Excel catalogue (卷内目录) of what is in the zip.

Which files belong to an inspection is found from the models themselves, whichever app owns them:
a model with a file field (a foreign key or many-to-many to `core.StoredFile`) that hangs on an
inspection, directly (`inspection`) or through one parent that does (a report version through its
report, a document-request item through its request…).

Secrecy: the general volume leaves out everything about clues (问题线索), petitions (信访举报) and
reporters (举报人), and any model declaring `history_secret` (protected identities). Those go only
into the separate secret volume (保密卷), which needs `reporting:archive:secret` (the office by
default; no group member, no leader). The catalogue names files and records by their `str()`,
which the platform keeps free of protected data.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.apps import apps
from django.utils import timezone

from xuncha.core.files import read_bytes
from xuncha.core.models import StoredFile
from xuncha.planning.records import InspectionRecord

from . import documents, sources

__all__ = ["FileSource", "file_sources", "is_secret_model", "collect_entries", "build_archive", "safe_name"]

SECRET_NAME_PARTS = ("clue", "petition", "reporter")


def is_secret_model(model) -> bool:
    """Clues, petitions and reporters, and any model keeping protected identities."""
    name = model._meta.model_name
    if any(part in name for part in SECRET_NAME_PARTS):
        return True
    return bool(getattr(model, "history_secret", ()))


@dataclass(frozen=True)
class FileSource:
    model: type
    path: str  # lookup from the model to planning.Inspection ("inspection", "report__inspection")
    file_fields: tuple[str, ...]
    m2m_fields: tuple[str, ...]
    secret: bool

    @property
    def category(self) -> str:
        return str(self.model._meta.verbose_name)


def _inspection_path(model) -> str | None:
    if issubclass(model, InspectionRecord):
        return "inspection"
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.related_model is None:
            continue
        target = field.related_model
        if target._meta.label == "planning.Inspection":
            return field.name
        if isinstance(target, type) and issubclass(target, InspectionRecord):
            return f"{field.name}__inspection"
    return None


def file_sources() -> list[FileSource]:
    """Every model that can hold files of an inspection (found once the apps are loaded)."""
    found = []
    for model in apps.get_models():
        file_fields = tuple(f.name for f in model._meta.concrete_fields
                            if f.is_relation and f.related_model is StoredFile)
        m2m_fields = tuple(f.name for f in model._meta.many_to_many if f.related_model is StoredFile)
        if not file_fields and not m2m_fields:
            continue
        path = _inspection_path(model)
        if path is None:
            continue
        parent_secret = False
        if "__" in path:
            parent = model._meta.get_field(path.split("__")[0]).related_model
            parent_secret = is_secret_model(parent)
        found.append(FileSource(model, path, file_fields, m2m_fields, is_secret_model(model) or parent_secret))
    return sorted(found, key=lambda s: (s.model._meta.app_label, s.model._meta.model_name))


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def printable(text: str) -> str:
    """Text without control characters (a spreadsheet cell refuses them)."""
    return _CONTROL.sub("", text or "")


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def safe_name(name: str, *, limit: int = 80) -> str:
    """A file name that cannot climb out of its folder or upset Windows: no separators, no
    control characters, no leading dots, at most `limit` characters (the extension kept)."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]  # a path sent as a name keeps only its last part
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    name = re.sub(r"\.{2,}", ".", name)
    if not name:
        name = "未命名文件"
    if len(name) > limit:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: limit - len(ext) - 1] + "." + ext
        else:
            name = name[:limit]
    return name


def _alive(qs):
    return qs.filter(is_deleted=False) if any(f.name == "is_deleted" for f in qs.model._meta.concrete_fields) else qs


def collect_entries(inspection, *, secret: bool) -> list[dict]:
    """The files of the inspection for the volume: one entry per (record, file), in a stable order."""
    entries = []
    seen: set[tuple[str, int, int]] = set()
    for source in file_sources():
        if source.secret != secret:
            continue
        manager = getattr(source.model, "all_objects", None) or source.model._default_manager
        records = _alive(manager.filter(**{source.path: inspection}))
        if source.file_fields:
            records = records.select_related(*source.file_fields)
        if source.m2m_fields:
            records = records.prefetch_related(*source.m2m_fields)
        for record in records.order_by("pk"):
            files = [getattr(record, name) for name in source.file_fields]
            for name in source.m2m_fields:
                files.extend(getattr(record, name).all())
            for stored in files:
                if stored is None:
                    continue
                key = (source.model._meta.label, record.pk, stored.pk)
                if key in seen:
                    continue
                seen.add(key)
                entries.append({"stored": stored, "category": source.category, "record": printable(str(record))[:100],
                                "author": stored.created_by.username if stored.created_by_id else "",
                                "created": timezone.localtime(stored.created_at).strftime("%Y-%m-%d %H:%M"),
                                "size": stored.size, "sha256": stored.sha256, "name": printable(stored.original_name)})
    return entries


def build_archive(inspection, checklist, *, secret: bool, progress=None) -> tuple[bytes, int]:
    """The zip of the volume and the number of files in it. Folders per category, numbered files,
    safe names, and 卷内目录.xlsx at the root."""
    entries = collect_entries(inspection, secret=secret)
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, entry in enumerate(entries, start=1):
            folder = safe_name(entry["category"], limit=30)
            path = f"{folder}/{index:04d}_{safe_name(entry['name'])}"
            while path in used:
                path = f"{folder}/{index:04d}_{len(used)}_{safe_name(entry['name'])}"
            used.add(path)
            entry["path"] = path
            archive.writestr(path, read_bytes(entry["stored"]))
            if progress:
                progress(index, len(entries))
        title = f"{inspection}{'保密卷' if secret else ''}"
        counts = sources.archive_counts(inspection)
        archive.writestr("卷内目录.xlsx", documents.archive_catalogue(
            title=title, entries=entries, counts=counts, checklist=checklist))
    return buffer.getvalue(), len(entries)

