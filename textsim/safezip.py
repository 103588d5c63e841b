"""Defensive reading of zip archives (uploaded batches and the zip container of .docx).

Everything is checked from the central directory *before* anything is
decompressed, then enforced again while reading (declared sizes can lie):

* number of entries;
* total declared uncompressed size, per-entry size, and compression ratio
  (zip bombs);
* entry names: no absolute paths, drive letters, ``..`` components or NUL
  (path traversal), no nested archives.

Names without the UTF-8 flag (bit 11) are raw bytes in a legacy code page; on
Chinese Windows that is GBK. Python decodes them as CP437, so the original bytes
are recovered and decoded as UTF-8 if valid (some tools omit the flag), else
GB18030 (a superset of GBK), else left as CP437.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import (
    CorruptArchiveError,
    NestedArchiveError,
    TooManyEntriesError,
    UnsafeArchivePathError,
    ZipBombError,
)

ARCHIVE_SUFFIXES = frozenset({".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".cab", ".iso"})
_UTF8_FLAG = 0x800
_MB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """Limits applied to one archive. Ratios are only checked for entries above ``ratio_min_bytes``."""

    max_entries: int = 1000
    max_total_bytes: int = 500 * _MB
    max_entry_bytes: int = 20 * _MB
    max_ratio: float = 100.0
    ratio_min_bytes: int = 1 * _MB
    allow_nested_archives: bool = False


# .docx parts are XML that compresses well; the document itself may be large.
DOCX_LIMITS = ZipLimits(max_entries=5000, max_total_bytes=500 * _MB, max_entry_bytes=200 * _MB,
                        max_ratio=300.0, allow_nested_archives=True)


@dataclass(frozen=True)
class ZipEntry:
    name: str  # decoded, '/'-separated
    data: bytes
    date_time: tuple[int, int, int, int, int, int]


def decode_entry_name(info: zipfile.ZipInfo) -> str:
    """Entry name as the archive's author saw it (UTF-8 flag, else UTF-8/GB18030 guess)."""
    if info.flag_bits & _UTF8_FLAG:
        return info.orig_filename
    try:
        raw = info.orig_filename.encode("cp437")
    except UnicodeEncodeError:  # already decoded with another metadata encoding
        return info.orig_filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.orig_filename


_DRIVE_RE = re.compile(r"^[A-Za-z]:")


def check_entry_name(name: str) -> str:
    """Return the safe, '/'-separated relative form of ``name`` or raise UnsafeArchivePathError."""
    unified = name.replace("\\", "/")
    parts = PurePosixPath(unified).parts
    if ("\x00" in name or unified.startswith("/") or _DRIVE_RE.match(unified)
            or any(p == ".." for p in parts)):
        raise UnsafeArchivePathError(
            f"压缩包内的“{name}”含有不安全的路径（绝对路径或“..”），已拒绝处理", filename=name)
    return "/".join(p for p in parts if p not in ("", "."))


def _check_sizes(infos: list[zipfile.ZipInfo], names: list[str], limits: ZipLimits) -> None:
    total = 0
    for info, name in zip(infos, names, strict=True):
        if info.file_size > limits.max_entry_bytes:
            raise ZipBombError(
                f"压缩包内的“{name}”解压后为 {info.file_size / _MB:.1f} MB，超过单个文件 "
                f"{limits.max_entry_bytes / _MB:.0f} MB 的限制，已拒绝处理", filename=name)
        if info.file_size > limits.ratio_min_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise ZipBombError(
                    f"压缩包内的“{name}”压缩比异常（约 {ratio:.0f} 倍），疑似压缩炸弹，已拒绝处理", filename=name)
        total += info.file_size
        if total > limits.max_total_bytes:
            raise ZipBombError(
                f"压缩包解压后总大小超过 {limits.max_total_bytes / _MB:.0f} MB（在“{name}”处超限），"
                "疑似压缩炸弹，已拒绝处理", filename=name)


def _open(source: str | Path | bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorruptArchiveError() from exc


def checked_infos(archive: zipfile.ZipFile, limits: ZipLimits) -> list[tuple[zipfile.ZipInfo, str]]:
    """Validate the whole central directory; return ``(info, safe name)`` for file entries."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise TooManyEntriesError(
            f"压缩包内有 {len(infos)} 个条目，超过 {limits.max_entries} 个的限制，已拒绝处理")
    checked = []
    for info in infos:
        name = decode_entry_name(info)
        safe = check_entry_name(name)
        if info.is_dir() or not safe:
            continue
        if not limits.allow_nested_archives and PurePosixPath(safe).suffix.lower() in ARCHIVE_SUFFIXES:
            raise NestedArchiveError(
                f"压缩包内的“{name}”是嵌套的压缩包，请解压后重新打包上传", filename=name)
        checked.append((info, safe))
    _check_sizes([i for i, _ in checked], [n for _, n in checked], limits)
    return checked


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: ZipLimits) -> bytes:
    """Read one entry, enforcing the size limit on the bytes actually produced."""
    cap = min(limits.max_entry_bytes, info.file_size)
    buf = bytearray()
    try:
        with archive.open(info) as fh:
            while chunk := fh.read(64 * 1024):
                buf += chunk
                if len(buf) > cap:
                    raise ZipBombError(
                        f"压缩包内的“{name}”实际解压大小超出声明，疑似压缩炸弹，已拒绝处理", filename=name)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        # RuntimeError: encrypted entry; NotImplementedError: unsupported compression.
        raise CorruptArchiveError(f"压缩包内的“{name}”已损坏或已加密，无法解压", filename=name) from exc
    return bytes(buf)


def iter_zip(source: str | Path | bytes, limits: ZipLimits | None = None) -> Iterator[ZipEntry]:
    """Yield the file entries of a zip archive after validating all of them.

    Junk added by operating systems (``__MACOSX/``, ``.DS_Store``, Office lock
    files ``~$*``) is skipped silently.
    """
    limits = limits or ZipLimits()
    with _open(source) as archive:
        produced = 0
        for info, name in checked_infos(archive, limits):
            base = PurePosixPath(name).name
            if name.startswith("__MACOSX/") or base == ".DS_Store" or base.startswith("~$"):
                continue
            data = read_member(archive, info, name, limits)
            produced += len(data)
            if produced > limits.max_total_bytes:
                raise ZipBombError(f"压缩包解压后总大小超出限制（在“{name}”处），已拒绝处理", filename=name)
            yield ZipEntry(name, data, info.date_time)
