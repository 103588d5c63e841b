from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from textsim.errors import (
    DocxUnreadableError,
    EmptyFileError,
    EncryptedDocumentError,
    FileTooLargeError,
    InputFileError,
    LegacyDocError,
    PdfNoTextLayerError,
    TextsimError,
    UnsupportedFileTypeError,
    ZipBombError,
)
from textsim.extract import OLE_MAGIC, extract_bytes, extract_file

from .conftest import write_docx
from .pdfgen import ascii_text_pdf, chinese_text_pdf, scanned_pdf


def test_docx_paragraphs_and_table_cells_in_order(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "述职.docx", ["2023年度述职述廉报告", "一、加强理论学习"],
                      table=[["姓名", "张三"], ["主要成绩", "完成重点项目建设"]])
    text = extract_file(path)
    assert text.split("\n") == ["2023年度述职述廉报告", "一、加强理论学习", "姓名", "张三", "主要成绩", "完成重点项目建设"]


def test_txt_encodings() -> None:
    sample = "认真落实“一岗双责”，２０２３年"
    assert extract_bytes(sample.encode("utf-8"), "a.txt") == sample
    assert extract_bytes(sample.encode("utf-8-sig"), "a.txt") == sample
    assert extract_bytes(sample.encode("gb18030"), "a.txt") == sample
    assert extract_bytes(sample.encode("utf-16"), "a.txt") == sample
    assert extract_bytes("第一行\r\n第二行\r第三行".encode(), "a.TXT") == "第一行\n第二行\n第三行"


def test_pdf_with_a_text_layer() -> None:
    lines = ["2023年度述职述廉报告", "一、加强理论学习，提高政治站位。"]
    assert extract_bytes(chinese_text_pdf(lines), "报告.pdf").split("\n")[:2] == lines
    assert "finance bureau" in extract_bytes(ascii_text_pdf(["Annual report of the finance bureau 2023"]), "r.pdf")


def test_scanned_pdf_says_exactly_what_to_do() -> None:
    with pytest.raises(PdfNoTextLayerError) as err:
        extract_bytes(scanned_pdf(), "扫描件.pdf")
    assert err.value.message == "扫描件无文字层，请提供文字版 PDF 或 Word 文件"
    assert err.value.filename == "扫描件.pdf"
    assert str(err.value) == "扫描件.pdf：扫描件无文字层，请提供文字版 PDF 或 Word 文件"


@pytest.mark.parametrize("data", [b"this is not a zip file at all", b"PK\x03\x04 truncated"])
def test_corrupt_docx(data: bytes) -> None:
    with pytest.raises(DocxUnreadableError) as err:
        extract_bytes(data, "坏文件.docx")
    assert "加密或损坏" in err.value.message


def test_zip_without_word_document_is_a_corrupt_docx() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "x")
    with pytest.raises(DocxUnreadableError):
        extract_bytes(buf.getvalue(), "a.docx")


def test_ole_file_named_docx_is_treated_as_encrypted_or_old() -> None:
    with pytest.raises(EncryptedDocumentError) as err:
        extract_bytes(OLE_MAGIC + b"\0" * 600, "加密.docx")
    assert "加密" in err.value.message and "另存为 .docx" in err.value.message
    encrypted = OLE_MAGIC + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64
    with pytest.raises(EncryptedDocumentError) as err:
        extract_bytes(encrypted, "加密.docx")
    assert "密码" in err.value.message
    assert isinstance(err.value, DocxUnreadableError)  # callers may catch the parent class


def test_old_doc_asks_for_docx(tmp_path: Path) -> None:
    with pytest.raises(LegacyDocError) as err:
        extract_bytes(OLE_MAGIC + b"\0" * 600, "旧文件.doc")
    assert "请另存为 .docx 后上传" in err.value.message
    # A .docx merely renamed to .doc is read normally.
    renamed = write_docx(tmp_path / "x.docx", ["实际是新格式的文件内容"]).read_bytes()
    assert extract_bytes(renamed, "改名.doc") == "实际是新格式的文件内容"


def test_empty_files(tmp_path: Path) -> None:
    for data, name in [(b"", "a.txt"), (b"  \n\t ", "b.txt"), ("，。！".encode(), "c.txt")]:
        with pytest.raises(EmptyFileError) as err:
            extract_bytes(data, name)
        assert "文件为空" in err.value.message
    empty_docx = write_docx(tmp_path / "e.docx", ["", "  "])
    with pytest.raises(EmptyFileError):
        extract_file(empty_docx)


def test_size_limit(tmp_path: Path) -> None:
    with pytest.raises(FileTooLargeError) as err:
        extract_bytes("很长的文本".encode() * 1000, "big.txt", max_bytes=1000)
    assert "超过" in err.value.message and "MB" in err.value.message
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(FileTooLargeError):
        extract_file(path, max_bytes=1024)


def test_unsupported_types() -> None:
    with pytest.raises(UnsupportedFileTypeError) as err:
        extract_bytes(b"data", "表格.xlsx")
    assert "不支持的文件类型" in err.value.message
    with pytest.raises(UnsupportedFileTypeError) as err:
        extract_bytes(b"data", "文字.wps")
    assert ".docx" in err.value.message


def test_docx_zip_bomb_is_refused_before_parsing() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (30 * 1024 * 1024))
    with pytest.raises(ZipBombError) as err:
        extract_bytes(buf.getvalue(), "炸弹.docx")
    assert "word/document.xml" in err.value.message and err.value.filename == "炸弹.docx"


def test_error_hierarchy() -> None:
    for cls in (DocxUnreadableError, EmptyFileError, FileTooLargeError, LegacyDocError,
                PdfNoTextLayerError, UnsupportedFileTypeError, ZipBombError):
        assert issubclass(cls, InputFileError) and issubclass(cls, TextsimError)
        assert cls().message  # every error has a default Chinese message


def test_merged_table_cells_are_read_once() -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并单元格"
    table.cell(0, 2).text = "右侧"
    for col, value in enumerate("甲乙丙"):
        table.cell(1, col).text = value
    buf = io.BytesIO()
    document.save(buf)
    assert extract_bytes(buf.getvalue(), "m.docx").split("\n") == ["合并单元格", "右侧", "甲", "乙", "丙"]
