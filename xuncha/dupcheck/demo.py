"""Files for the demo command (and the tests): a .docx written by python-docx from plain text lines."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

__all__ = ["docx_bytes", "docx_upload"]


def docx_bytes(text: str) -> bytes:
    """A real .docx with one paragraph per line of `text`."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx_bytes(text))
