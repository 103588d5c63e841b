"""Hand-written minimal PDFs for tests (no PDF library needed to create them)."""

from __future__ import annotations


def _pdf(objects: list[bytes]) -> bytes:
    """Assemble numbered objects (1-based) into a PDF with a valid xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def _page_objects(content: bytes, font: bytes | None) -> list[bytes]:
    resources = b"<< /Font << /F1 4 0 R >> >>" if font else b"<< >>"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources
        + b" /Contents 5 0 R >>",
        font or b"<< >>",
        _stream(content),
    ]
    return objs


def chinese_text_pdf(lines: list[str]) -> bytes:
    """One page of Chinese text using the predefined UniGB-UTF16-H CMap (text layer only)."""
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H"
            b" /DescendantFonts [6 0 R] >>")
    ops = [b"BT /F1 12 Tf 14 TL 50 800 Td"]
    for line in lines:
        ops.append(b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj T*")
    ops.append(b"ET")
    objs = _page_objects(b"\n".join(ops), font)
    objs.append(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
                b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> >>")
    return _pdf(objs)


def ascii_text_pdf(lines: list[str]) -> bytes:
    """One page of ASCII text in Helvetica."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    ops = [b"BT /F1 12 Tf 14 TL 50 800 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"(" + escaped.encode("ascii") + b") Tj T*")
    ops.append(b"ET")
    return _pdf(_page_objects(b"\n".join(ops), font))


def scanned_pdf() -> bytes:
    """A page with only vector drawing and no text, like a scan without OCR."""
    return _pdf(_page_objects(b"0.5 g 50 50 495 742 re f", None))
