"""Plain text from uploaded files: .docx, text-layer .pdf and .txt.

Every failure a user can fix raises an :class:`~textsim.errors.InputFileError`
subclass whose ``message`` tells them, in Chinese, what to do. Lines are
separated by ``\\n``; a .docx paragraph or table cell is one line, a PDF page's
text lines are kept as extracted.
"""

from __future__ import annotations

import codecs
import io
import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import (
    DocxUnreadableError,
    EmptyFileError,
    EncryptedDocumentError,
    FileTooLargeError,
    InputFileError,
    LegacyDocError,
    PdfNoTextLayerError,
    PdfUnreadableError,
    TextDecodingError,
    UnsupportedFileTypeError,
)
from .safezip import DOCX_LIMITS, checked_infos

SUPPORTED_SUFFIXES = frozenset({".docx", ".pdf", ".txt"})
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 1000
# A PDF whose extracted text has fewer letters/digits than this per page is a scan.
MIN_PDF_CHARS_PER_PAGE = 20

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"
_KNOWN_OTHER = {
    ".wps": "WPS 文字文件请另存为 .docx 后上传",
    ".rtf": "RTF 文件请另存为 .docx 后上传",
    ".odt": "ODT 文件请另存为 .docx 后上传",
    ".pages": "Pages 文件请导出为 .docx 或 PDF 后上传",
}


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def has_content(text: str) -> bool:
    """True if ``text`` contains at least one letter or digit."""
    return any(ch.isalnum() for ch in text)


def _unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- .txt --------------------------------------------------------------------------


def decode_text(data: bytes, filename: str = "") -> str:
    """Decode a text file: BOM-marked UTF-8/UTF-16, else UTF-8, else GB18030 (GBK superset)."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TextDecodingError(filename=filename)


# --- .docx -------------------------------------------------------------------------


def _ole_error(data: bytes, filename: str) -> InputFileError:
    """An OLE compound file named .docx: password-protected Office file or a renamed .doc."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return EncryptedDocumentError(filename=filename)
    return EncryptedDocumentError(
        "Word 文件加密或损坏：文件已加密，或实为旧版 .doc 格式。请解除密码保护，并另存为 .docx 后上传",
        filename=filename)


def _docx_lines(element: Any, parent: Any) -> Iterator[str]:
    """Text lines of paragraphs and table cells under ``element``, in document order."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent).text
        elif child.tag == qn("w:tbl"):
            # Merged cells repeat the same <w:tc>. The set holds the elements themselves:
            # lxml keeps one proxy per node while it is referenced, so identity is reliable
            # (ids of dropped proxies could be reused).
            seen: set[object] = set()
            for row in Table(child, parent).rows:
                for cell in row.cells:
                    if cell._tc in seen:
                        continue
                    seen.add(cell._tc)
                    yield from _docx_lines(cell._tc, cell)
        elif child.tag == qn("w:sdt"):  # content controls of Word forms
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _docx_lines(content, parent)


def docx_text(data: bytes, filename: str = "") -> str:
    """Text of a .docx, body paragraphs and table cells in order (headers/footers skipped)."""
    if data.startswith(OLE_MAGIC):
        raise _ole_error(data, filename)
    if not data.startswith(ZIP_MAGIC):
        raise DocxUnreadableError(filename=filename)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {name for _, name in checked_infos(archive, DOCX_LIMITS)}
    except zipfile.BadZipFile as exc:
        raise DocxUnreadableError(filename=filename) from exc
    except InputFileError as exc:  # zip bomb disguised as .docx, etc.
        exc.filename = filename
        raise
    if "word/document.xml" not in names:
        raise DocxUnreadableError(filename=filename)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        lines = list(_docx_lines(body, document._body))
    except Exception as exc:  # python-docx/lxml raise many types on malformed parts
        raise DocxUnreadableError(filename=filename) from exc
    return "\n".join(lines)


# --- .pdf --------------------------------------------------------------------------


def pdf_text(data: bytes, filename: str = "", max_pages: int = MAX_PDF_PAGES) -> str:
    """Text layer of a PDF; raises PdfNoTextLayerError for scans."""
    import pypdf

    if b"%PDF" not in data[:1024]:
        raise PdfUnreadableError(filename=filename)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-file chatter is not for users
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfUnreadableError("PDF 文件已加密，请解除密码保护后上传", filename=filename)
        pages = reader.pages
        if len(pages) > max_pages:
            raise PdfUnreadableError(f"PDF 文件超过 {max_pages} 页，请拆分后上传", filename=filename)
        texts = [page.extract_text() or "" for page in pages]
    except InputFileError:
        raise
    except Exception as exc:  # pypdf raises assorted errors (PdfReadError, ValueError, …) on damaged files
        raise PdfUnreadableError(filename=filename) from exc
    text = "\n".join(texts)
    meaningful = sum(ch.isalnum() for ch in text)
    if meaningful < MIN_PDF_CHARS_PER_PAGE * max(1, len(texts)):
        raise PdfNoTextLayerError(filename=filename)
    return text


# --- dispatch ----------------------------------------------------------------------


def extract_bytes(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Text of an uploaded file given its bytes; the type is taken from ``filename``'s suffix.

    Raises an InputFileError subclass with a Chinese message for every
    unreadable, empty, oversized or unsupported file.
    """
    suffix = PurePosixPath(filename).suffix.lower()
    if len(data) > max_bytes:
        raise FileTooLargeError(
            f"文件大小为 {_mb(len(data))} MB，超过 {_mb(max_bytes)} MB 的限制，请压缩图片或拆分后上传",
            filename=filename)
    if not data.strip():
        raise EmptyFileError(filename=filename)
    if suffix == ".doc":
        if not data.startswith(ZIP_MAGIC):  # a real .doc; a renamed .docx is read below
            raise LegacyDocError(filename=filename)
        suffix = ".docx"
    if suffix == ".docx":
        text = docx_text(data, filename)
    elif suffix == ".pdf":
        text = pdf_text(data, filename)
    elif suffix == ".txt":
        text = decode_text(data, filename)
    elif suffix in _KNOWN_OTHER:
        raise UnsupportedFileTypeError(f"不支持的文件类型（{suffix}），{_KNOWN_OTHER[suffix]}", filename=filename)
    else:
        raise UnsupportedFileTypeError(
            f"不支持的文件类型（{suffix or '无扩展名'}），请上传 .docx、.pdf 或 .txt 文件", filename=filename)
    text = _unify_newlines(text)
    if not has_content(text):
        raise EmptyFileError("文件为空，未包含任何文字", filename=filename)
    return text


def extract_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Text of the file at ``path``; checks the size before reading it."""
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLargeError(
            f"文件大小为 {_mb(size)} MB，超过 {_mb(max_bytes)} MB 的限制，请压缩图片或拆分后上传",
            filename=path.name)
    return extract_bytes(path.read_bytes(), path.name, max_bytes=max_bytes)
