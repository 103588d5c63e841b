"""The small pieces of core/excel.py and core/files.py: cell conversion, formula escaping, the
archive checks (which must run before openpyxl sees a file), size wording and blob storage."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from xuncha.core import excel, files
from xuncha.core.excel import ImportColumn, _as_pk, _cell_to_form, _excel_safe, _parse_date, _text


def workbook_bytes() -> bytes:
    wb = Workbook()
    wb.active.append(["单位名称"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- Formula escaping ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "'=1", "''+1"])
def test_formula_like_text_is_escaped(value):
    assert _excel_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["青阳县", "1-2", "a=b", "'abc", "", 5, None, 1.5])
def test_plain_values_are_left_alone(value):
    assert _excel_safe(value) == value


@given(st.text(max_size=30).filter(lambda s: s == s.strip()))
def test_escaping_round_trips(value):
    # Whatever a record holds comes back unchanged from its own export.
    assert _text(_excel_safe(value)) == value


def test_escaped_text_is_written_as_text_not_formula():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.append([_excel_safe('=HYPERLINK("http://x","y")')])
    buffer = io.BytesIO()
    wb.save(buffer)
    cell = load_workbook(io.BytesIO(buffer.getvalue()))["s"]["A1"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_aware_datetimes_are_written_in_local_time():
    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime(2026, 3, 1, 8, 0))
    assert _excel_safe(moment) == datetime.datetime(2026, 3, 1, 8, 0)


# --- Cells --------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    (12345.0, "12345"), (" 青阳县 ", "青阳县"), (7, "7"), ("'=x", "=x"), ("'abc", "'abc"),
])
def test_text_cells(raw, expected):
    assert _text(raw) == expected


def test_long_number_typed_into_excel_is_refused():
    with pytest.raises(ValidationError, match="超过 15 位"):
        _text(110101199003071234.0)


@pytest.mark.parametrize("raw, expected", [
    ("2024-03-01", datetime.date(2024, 3, 1)), ("2024/3/1", datetime.date(2024, 3, 1)),
    ("2024.03.01", datetime.date(2024, 3, 1)), ("20240301", datetime.date(2024, 3, 1)),
    ("2024年3月1日", datetime.date(2024, 3, 1)), ("2024年3月", datetime.date(2024, 3, 1)),
    ("2024.03", datetime.date(2024, 3, 1)), (1985.06, datetime.date(1985, 6, 1)),
    (datetime.datetime(2024, 3, 1, 10, 30), datetime.date(2024, 3, 1)),
])
def test_dates(raw, expected):
    assert _parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["2024-02-30", "明天", "2024-13", "3/1/2024"])
def test_wrong_dates(raw):
    with pytest.raises(ValidationError, match="格式不正确，应为 2024-03-01 的形式"):
        _parse_date(raw)


def test_a_number_that_may_be_october_is_not_read_as_january():
    with pytest.raises(ValidationError, match="无法确定是 1 月还是 10 月"):
        _parse_date(1985.1)


@pytest.mark.parametrize("raw, expected", [("是", "on"), ("否", ""), (True, "on"), (False, ""), (1, "on"), ("N", "")])
def test_bool_cells(raw, expected):
    assert _cell_to_form(ImportColumn("是否", "flag", kind="bool"), raw, None) == expected


@pytest.mark.parametrize("raw, expected", [(1200.5, "1200.5"), ("3,000", "3000"), ("1，000.25", "1000.25"), (7, "7")])
def test_decimal_cells(raw, expected):
    assert _cell_to_form(ImportColumn("金额", "amount", kind="decimal"), raw, None) == expected


def test_blank_cells():
    assert _cell_to_form(ImportColumn("a", "a"), "  ", None) == ""
    assert _cell_to_form(ImportColumn("a", "a", kind="multi_dict", dict_code="x"), None, None) == []


@pytest.mark.parametrize("raw, expected", [
    (12, 12), (12.0, 12), ("12", 12), (" 12 ", 12), (True, None), (1.5, None), ("abc", None), ("-3", None),
    (0, None), (2**70, None), ("1" * 30, None), ("", None),
])
def test_ids(raw, expected):
    assert _as_pk(raw) == expected


# --- Archive checks run before openpyxl ---------------------------------------------------------


@pytest.fixture
def openpyxl_must_not_run(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened a file that should have been refused before")

    monkeypatch.setattr(excel, "load_workbook", refuse)


def zipped(*members: tuple[str, bytes], base: bytes | None = None) -> bytes:
    out = io.BytesIO(base or b"")
    with zipfile.ZipFile(out, "a" if base else "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.mark.parametrize("data, message", [
    (b"not a zip", "文件不是有效的 Excel（.xlsx）文件"),
    (zipped(("../evil.xml", b"<x/>"), base=workbook_bytes()), "文件内部结构异常"),
    (zipped(("xl/big.xml", b" " * (3 << 20))), "疑似压缩炸弹"),
    (zipped(("xl/doc.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')), "DOCTYPE"),
    (zipped(("xl/pad.xml", b"<!--" + b"-" * (70 << 10))), "DOCTYPE"),
    (zipped(*[(f"xl/m{i}.bin", b"") for i in range(excel.MAX_MEMBERS + 1)]), "过多的成员"),
])
def test_hostile_archives_refused_before_openpyxl(openpyxl_must_not_run, data, message):
    with pytest.raises(ValidationError) as caught:
        excel._open_workbook(data)
    assert message in caught.value.messages[0]


def test_a_damaged_member_is_reported_as_damage():
    data = bytearray(zipped(("xl/a.xml", b"<x>" + b"y" * 5000 + b"</x>")))
    start = data.find(b"PK\x03\x04") + 30 + len("xl/a.xml")
    data[start:start + 20] = b"\xff" * 20  # garble the compressed stream
    with pytest.raises(ValidationError, match="可能已损坏"):
        excel._open_workbook(bytes(data))


def test_a_real_workbook_passes_the_checks():
    wb = excel._open_workbook(workbook_bytes())
    assert next(wb.worksheets[0].iter_rows(values_only=True)) == ("单位名称",)
    wb.close()


# --- Files --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size, text", [
    (20 * 1024 * 1024, "20 MB"), (2048, "2 KB"), (1536, "1.5 KB"), (512 * 1024, "512 KB"), (100, "100 字节"),
])
def test_human_sizes(size, text):
    assert files.human_size(size) == text


def test_size_errors(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="文件为空"):
        files.check_size(0)
    with pytest.raises(ValidationError, match=r"文件超过大小限制（1 KB）"):
        files.check_size(1025)
    files.check_size(1024)


def test_stored_once_by_hash(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = files.store_bytes(b"same bytes", name="一.xlsx")
    second = files.store_bytes(b"same bytes", name="二.xlsx")
    assert first.pk == second.pk and first.original_name == "一.xlsx"
    assert files.read_bytes(second) == b"same bytes"
    assert sorted(p.name for p in files.blob_path(first.sha256).parent.iterdir()) == [first.sha256]


def test_a_missing_blob_is_a_clear_error(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stored = files.store_bytes(b"bytes", name="a.bin")
    files.blob_path(stored.sha256).unlink()
    with pytest.raises(ValidationError, match="已不在服务器上"):
        files.read_bytes(stored)
