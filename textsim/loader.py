"""Turning a folder of uploaded files (and .zip batches in it) into documents.

Unreadable files do not stop a scan: each becomes an ``(name, Chinese message)``
entry in :attr:`LoadResult.errors` and the rest is scanned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import TextsimError
from .extract import DEFAULT_MAX_BYTES, extract_bytes, extract_file
from .normalize import infer_author
from .safezip import ZipLimits, iter_zip
from .store import Document

SCANNED_SUFFIXES = frozenset({".docx", ".pdf", ".txt", ".doc", ".zip"})
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini"})

ProgressFn = Callable[[Iterable[Path], int, str], Iterable[Path]]


@dataclass
class LoadResult:
    documents: list[Document] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, Chinese message)


def input_files(folder: Path) -> list[Path]:
    """Files under ``folder`` (recursive, sorted), skipping hidden files and Office lock files."""
    out = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        if path.name.startswith("~$") or path.name.lower() in IGNORED_NAMES:
            continue
        out.append(path)
    return out


def _document(doc_id: str, display: str, text: str, uploaded_at: float, extra: dict[str, str]) -> Document:
    return Document(doc_id, text, author=infer_author(text), uploaded_at=uploaded_at,
                    metadata={"filename": display, **extra})


def _load_zip(path: Path, display: str, max_bytes: int, result: LoadResult) -> None:
    """Add the readable entries of a zip batch; one error line per bad entry or bad archive."""
    try:
        for entry in iter_zip(path, ZipLimits(max_entry_bytes=max_bytes)):
            name = f"{display}/{entry.name}"
            try:
                text = extract_bytes(entry.data, PurePosixPath(entry.name).name, max_bytes=max_bytes)
            except TextsimError as exc:
                result.errors.append((name, exc.message))
                continue
            when = dt.datetime(*entry.date_time).timestamp()
            result.documents.append(_document(f"{path.resolve()}::{entry.name}", name, text, when,
                                              {"path": str(path), "entry": entry.name}))
    except TextsimError as exc:
        result.errors.append((display, exc.message))


def load_folder(folder: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, order: str = "mtime",
                progress: ProgressFn | None = None) -> LoadResult:
    """Extract every supported file under ``folder``.

    ``order`` decides ``uploaded_at`` (and so which cluster member counts as the
    source): ``"mtime"`` uses file modification times, ``"name"`` the sorted
    relative path (useful for folders named by year).
    """
    files = input_files(folder)
    result = LoadResult()
    items: Iterable[Path] = progress(files, len(files), "读取文件") if progress else files
    for rank, path in enumerate(items):
        display = path.relative_to(folder).as_posix()
        if path.suffix.lower() == ".zip":
            _load_zip(path, display, max_bytes, result)
            continue
        try:
            text = extract_file(path, max_bytes=max_bytes)
        except TextsimError as exc:
            result.errors.append((display, exc.message))
            continue
        except OSError:
            result.errors.append((display, "文件无法打开，请检查文件权限"))
            continue
        when = path.stat().st_mtime if order == "mtime" else float(rank + 1)
        result.documents.append(_document(str(path.resolve()), display, text, when, {"path": str(path)}))
    return result
