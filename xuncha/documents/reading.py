"""Reading generated documents back (tests, previews): text of paragraphs and tables in order."""

from __future__ import annotations

import io

from docx import Document


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)
