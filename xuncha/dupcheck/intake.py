"""Reading an upload (one file, or a .zip of files) into texts, refusing bad input in Chinese.

Every file of the upload is read and checked before anything is stored; `read_upload_files` returns
the texts or raises one ValidationError on the field "file" listing every refused file and why.
Extraction and the safe zip reader are textsim's (extract.py, safezip.py): corrupt or encrypted
.docx, old .doc, scanned PDFs without a text layer (扫描件无文字层), empty files, oversized files,
zip bombs, path traversal and nested archives are all refused with their own message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError

from textsim.errors import TextsimError
from textsim.extract import extract_bytes
from textsim.normalize import infer_author
from textsim.safezip import ZipLimits, iter_zip
from xuncha.core.crypto import sha256_hex
from xuncha.core.files import human_size, read_upload

__all__ = ["IncomingFile", "read_upload_files", "infer_year", "file_limit", "zip_limit"]

_IGNORED = {"thumbs.db", "desktop.ini"}
_YEAR_RE = re.compile(r"(?<!\d)(19[89]\d|20\d{2})(?!\d)")


@dataclass
class IncomingFile:
    """One readable file of an upload."""

    display: str  # what the person sees: "材料.zip/张三.docx" for a zip entry
    filename: str  # base name
    data: bytes
    text: str
    sha256: str

    @property
    def author_in_text(self) -> str | None:
        return infer_author(self.text)


def file_limit() -> int:
    """Largest single file (and zip entry) accepted: the platform's upload limit."""
    return settings.UPLOAD_MAX_BYTES


def zip_limit() -> int:
    """Largest .zip accepted (its entries are each held to `file_limit()`)."""
    return getattr(settings, "DUPCHECK_ZIP_MAX_BYTES", 10 * settings.UPLOAD_MAX_BYTES)


def _refuse(messages: list[str]) -> ValidationError:
    return ValidationError({"file": messages})


def _extract(data: bytes, display: str, name: str, errors: list[str]) -> str | None:
    try:
        # NUL cannot be stored in a PostgreSQL text column and means nothing in a report.
        return extract_bytes(data, name, max_bytes=file_limit()).replace("\x00", "")
    except TextsimError as error:
        errors.append(f"“{display}”：{error.message}")
        return None


def read_upload_files(upload) -> list[IncomingFile]:
    """The readable files of an upload, or ValidationError naming each refused file (nothing is stored)."""
    if upload is None:
        raise _refuse(["请选择要上传的文件。"])
    name = PurePosixPath(str(upload.name).replace("\\", "/")).name or "未命名文件"
    is_zip = name.lower().endswith(".zip")
    try:
        data = read_upload(upload, max_bytes=zip_limit() if is_zip else file_limit())
    except ValidationError as error:
        raise _refuse([f"“{name}”：{m}" for m in error.messages]) from None
    errors: list[str] = []
    files: list[IncomingFile] = []
    if not is_zip:
        text = _extract(data, name, name, errors)
        if errors:
            raise _refuse(errors)
        return [IncomingFile(name, name, data, text, sha256_hex(data))]
    try:
        entries = list(iter_zip(data, ZipLimits(max_entry_bytes=file_limit())))
    except TextsimError as error:
        raise _refuse([f"“{name}”：{error.message}"]) from None
    for entry in entries:
        base = PurePosixPath(entry.name).name
        if any(part.startswith(".") for part in PurePosixPath(entry.name).parts) or base.lower() in _IGNORED:
            continue  # hidden files and operating-system leftovers
        display = f"{name}/{entry.name}"
        if not entry.data:
            errors.append(f"“{display}”：文件为空，请检查后重新上传。")
            continue
        if len(entry.data) > file_limit():
            errors.append(f"“{display}”：文件超过大小限制（{human_size(file_limit())}），请压缩或拆分后重新上传。")
            continue
        text = _extract(entry.data, display, base, errors)
        if text is not None:
            files.append(IncomingFile(display, base, entry.data, text, sha256_hex(entry.data)))
    if errors:
        raise _refuse(errors)
    if not files:
        raise _refuse([f"“{name}”：压缩包内没有可检测的文件（.docx、文字版 .pdf 或 .txt）。"])
    return files


def infer_year(file: IncomingFile) -> int | None:
    """The year of a report from its file name ("2023年述职报告.docx"), else from its title lines."""
    found = _YEAR_RE.findall(PurePosixPath(file.filename).stem)
    if len(set(found)) == 1:
        return int(found[0])
    for line in file.text.splitlines()[:5]:
        match = re.search(r"(?<!\d)(19[89]\d|20\d{2})\s*年", line)
        if match:
            return int(match.group(1))
    return None
