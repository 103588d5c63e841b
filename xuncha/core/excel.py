"""Excel for every Resource: the import template (with dictionary dropdowns), the export of a
filtered list (same layout, so an export can be edited and imported back), and the import itself:
all-or-nothing, validated row by row through the resource's own form, with a per-row report."""

from __future__ import annotations

import datetime
import decimal
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from . import dictionaries
from .files import read_bytes, read_upload, store_bytes
from .models import Job

ID_HEADER = "编号（勿改）"
ID_LABEL = "编号"
DATA_SHEET = "数据"
DICT_SHEET = "字典"
HELP_SHEET = "填写说明"
FAILED_HEAD = "导入失败，未写入任何数据。"
NO_ROWS = "表格中没有数据行：第 1 行为列名，请从第 2 行起逐行填写。"
# Text starting with these is a formula to Excel (and to openpyxl, which would write it as one).
# Apostrophes in front count too, so that escaping ("'" + text) can always be undone exactly.
FORMULA_LIKE = re.compile(r"'*[=+\-@\t\r]")


@dataclass
class ImportColumn:
    """One column of the template/export/import.

    kind: text, dict, multi_dict, date, bool, decimal, fk.
    For fk: `choices(user)` gives the names offered in the dropdown and `resolve(user, text)` returns
    the primary key or raises ValidationError with a Chinese message.
    `export(obj)` gives the cell value; by default the attribute `field` read through the kind.
    """

    header: str
    field: str
    kind: str = "text"
    required: bool = False
    dict_code: str = ""
    note: str = ""
    choices: Callable[[Any], list[str]] | None = None
    resolve: Callable[[Any, str], Any] | None = None
    export: Callable[[Any], Any] | None = None
    masked: bool = False  # an exported masked value ("***") imported back means "unchanged"


@dataclass
class ImportSpec:
    columns: list[ImportColumn]
    sheet_hint: str = ""
    instructions: list[str] = field(default_factory=list)


# --- Cell conversion ----------------------------------------------------------------------------


def _export_value(column: ImportColumn, obj):
    if column.export is not None:
        return column.export(obj)
    value = getattr(obj, column.field, None)
    if column.kind == "dict":
        return dictionaries.label(column.dict_code, value)
    if column.kind == "bool":
        return "是" if value else "否"
    if column.kind == "decimal" and value is not None:
        return float(value)
    return value


def _excel_safe(value):
    """Neutralise formula injection: text that Excel would run as a formula gets a leading '."""
    if isinstance(value, str) and FORMULA_LIKE.match(value):
        return "'" + value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def _is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _text(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        if abs(raw) >= 1e15:
            # Excel keeps 15 digits: an 18-digit ID number typed as a number has lost its tail.
            raise ValidationError("数字超过 15 位，Excel 已把末尾几位变成 0；请把该列设为“文本”格式后重新填写")
        raw = int(raw)  # Excel turns numbers such as codes into floats
    text = str(raw).strip()
    if text[:1] == "'" and FORMULA_LIKE.match(text, 1):
        text = text[1:]  # the apostrophe _excel_safe put on export; the value itself is plain text
    return text


def _parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and str(value).endswith(".1"):
        # Excel stores a typed 1985.10 as the number 1985.1: October and January look the same.
        raise ValidationError(f"“{value}”无法确定是 1 月还是 10 月，请填写为 2024-03-01 的形式")
    text = str(value).strip().replace("年", "-").replace("月", "-").replace("日", "")
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y-%m", "%Y.%m", "%Y/%m"):
        try:
            return datetime.datetime.strptime(text.rstrip("-"), fmt).date()
        except ValueError:
            continue
    raise ValidationError(f"日期“{value}”格式不正确，应为 2024-03-01 的形式")


def _dict_value(column: ImportColumn, text: str) -> str:
    value = dictionaries.value_for_label(column.dict_code, text)
    if value is None:
        raise ValidationError(f"“{text}”不是可选的值（可选：{_labels(column)}）")
    return value


def _multi_dict_values(column: ImportColumn, text: str) -> list[str]:
    for separator in ("，", ",", ";", "；", "/", "\n"):
        text = text.replace(separator, "、")
    return [_dict_value(column, part.strip()) for part in text.split("、") if part.strip()]


def _bool_value(raw) -> str:
    text = _text(raw)
    if text in ("是", "1", "True", "true", "TRUE", "Y", "y"):
        return "on"
    if text in ("否", "0", "False", "false", "FALSE", "N", "n"):
        return ""
    raise ValidationError(f"“{raw}”应填写“是”或“否”")


def _decimal_value(raw) -> str:
    try:
        return str(decimal.Decimal(str(raw).strip().replace(",", "").replace("，", "")))
    except decimal.InvalidOperation:
        raise ValidationError(f"“{raw}”不是有效的数字") from None


def _cell_to_form(column: ImportColumn, raw, user):
    """Convert a cell to what the form expects; raise ValidationError with a message for the row."""
    if _is_blank(raw):
        return "" if column.kind != "multi_dict" else []
    converters = {
        "text": _text,
        "dict": lambda r: _dict_value(column, _text(r)),
        "multi_dict": lambda r: _multi_dict_values(column, _text(r)),
        "date": lambda r: _parse_date(r).isoformat(),
        "bool": _bool_value,
        "decimal": _decimal_value,
        "fk": lambda r: column.resolve(user, _text(r)),
    }
    if column.kind not in converters:
        raise ValueError(f"unknown column kind {column.kind}")
    return converters[column.kind](raw)


# --- Template and export ------------------------------------------------------------------------


def _header_row(ws, spec: ImportSpec):
    headers = [ID_HEADER] + [c.header + ("*" if c.required else "") for c in spec.columns]
    return headers


def _style_header(ws, spec: ImportSpec):
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for idx, _ in enumerate([None, *spec.columns], start=1):
        cell = ws.cell(row=1, column=idx)
        cell.font = bold
        cell.fill = fill
        ws.column_dimensions[get_column_letter(idx)].width = 18
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = "B2"


def _format_columns(ws, spec: ImportSpec) -> None:
    """Column formats, so that what people type stays what they typed: long numbers such as ID
    numbers and credit codes as text (not 1.1E+17), dates as dates."""
    for idx, column in enumerate(spec.columns, start=2):
        if column.kind in ("decimal", "bool"):
            continue
        dimension = ws.column_dimensions[get_column_letter(idx)]
        dimension.number_format = "yyyy-mm-dd" if column.kind == "date" else "@"


def _dropdown_items(column: ImportColumn, user) -> list[str]:
    if column.kind == "dict":
        return [label for _, label in dictionaries.choices(column.dict_code)]
    if column.kind == "bool":
        return ["是", "否"]
    if column.kind == "fk" and column.choices is not None:
        return column.choices(user)
    return []


def _add_dropdowns(wb: Workbook, ws, spec: ImportSpec, user, max_row: int = 5000):
    """Dropdowns read their items from a hidden sheet, which has no 255-character limit."""
    dict_ws = wb.create_sheet(DICT_SHEET)
    dict_ws.sheet_state = "hidden"
    for idx, column in enumerate(spec.columns, start=2):
        items = _dropdown_items(column, user)
        if not items:
            continue
        letter = get_column_letter(idx)
        dict_ws.cell(row=1, column=idx, value=column.header)
        for row, item in enumerate(items, start=2):
            dict_ws.cell(row=row, column=idx, value=_excel_safe(item))
        # No leading "=": the formula is stored as Excel itself writes it.
        validation = DataValidation(
            type="list", formula1=f"{quote_sheetname(DICT_SHEET)}!${letter}$2:${letter}${len(items) + 1}",
            allow_blank=True, showErrorMessage=column.kind != "fk", errorTitle="输入有误",
            error=f"请从下拉列表中选择「{column.header}」。",
        )
        ws.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{max_row}")


def _add_help(wb: Workbook, spec: ImportSpec, resource):
    ws = wb.create_sheet(HELP_SHEET)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 70
    ws.append([f"{resource.label}导入模板 填写说明"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in [
        "1. 在“数据”工作表中从第 2 行起逐行填写，带 * 的列为必填。",
        "2. 下拉列表中的选项来自系统数据字典，请勿自行输入其他值。",
        "3. 隐藏的 A 列“编号（勿改）”为系统编号：新增时留空；勾选“按编号更新已有记录”导入时，填有编号的行将更新对应记录，"
        "此时文件须包含全部列（可直接修改导出的文件）。",
        "4. 导入为整体操作：任何一行有误，则全部不导入，并逐行列出错误（行号即 Excel 中的行号）。",
        *spec.instructions,
    ]:
        ws.append([line])
    ws.append([])
    ws.append(["列名", "是否必填", "说明"])
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for column in spec.columns:
        ws.append([column.header, "是" if column.required else "否", _column_note(column)])


def _labels(column: ImportColumn) -> str:
    return "、".join(label for _, label in dictionaries.choices(column.dict_code))


def _column_note(column: ImportColumn) -> str:
    note = column.note
    if column.kind == "dict":
        note = (note + " " if note else "") + "可选：" + _labels(column)
    elif column.kind == "multi_dict":
        note = (note + " " if note else "") + "多个用“、”分隔，可选：" + _labels(column)
    elif column.kind == "date":
        note = (note + " " if note else "") + "格式：2024-03-01"
    elif column.kind == "bool":
        note = "填写“是”或“否”"
    return note


def template_workbook(resource, user) -> bytes:
    spec: ImportSpec = resource.importer
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append(_header_row(ws, spec))
    _style_header(ws, spec)
    _format_columns(ws, spec)
    _add_dropdowns(wb, ws, spec, user)
    _add_help(wb, spec, resource)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_workbook(resource, queryset, user, progress=None) -> bytes:
    """The filtered, scoped rows in the import layout (or the list's columns when there is no import).

    Rows are streamed in chunks (prefetches included), so a large export does not hold every row.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(DATA_SHEET)
    spec: ImportSpec | None = resource.importer
    if spec is not None:
        ws.column_dimensions["A"].hidden = True  # the id, as in the template: kept, not edited
        ws.append([ID_HEADER] + [c.header for c in spec.columns])
        for done, obj in enumerate(queryset.iterator(chunk_size=2000), start=1):
            ws.append([obj.pk] + [_excel_safe(_export_value(c, obj)) for c in spec.columns])
            if progress and done % 2000 == 0:
                progress(done)
    else:
        columns = resource.export_columns or resource.columns
        ws.append(["编号"] + [c.label for c in columns])
        for done, obj in enumerate(queryset.iterator(chunk_size=2000), start=1):
            ws.append([obj.pk] + [_excel_safe(c.value(obj)) for c in columns])
            if progress and done % 2000 == 0:
                progress(done)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- Reading an upload safely -------------------------------------------------------------------

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # settings.IMPORT_MAX_UNCOMPRESSED_BYTES overrides
MAX_MEMBERS = 2000
MAX_RATIO = 200  # real workbooks compress 5-50 times; a bomb about 1000 times
RATIO_FLOOR = 1024 * 1024  # small parts may compress any way they like
PROLOG_BYTES = 64 * 1024
NOT_XLSX = "文件不是有效的 Excel（.xlsx）文件（设置了打开密码的文件请先取消密码），请使用下载的模板填写后上传。"
BROKEN = "文件无法作为 Excel（.xlsx）读取，可能已损坏。"
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, NotImplementedError)


def _unsafe_name(name: str) -> bool:
    path = name.replace("\\", "/")
    return path.startswith("/") or ".." in path.split("/") or re.match(r"[A-Za-z]:", path) is not None


def _bomb(infos: list[zipfile.ZipInfo]) -> bool:
    limit = getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED)
    if sum(i.file_size for i in infos) > limit:
        return True
    return any(i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos)


def _declares_doctype(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """A DTD can only come before the root element; workbooks never have one, entity attacks do."""
    with archive.open(info) as member:
        head = member.read(PROLOG_BYTES)
    root = re.search(rb"<[A-Za-z_]", head)
    if root is None:
        return len(head) == PROLOG_BYTES  # 64 KB without an element: not a part Excel wrote
    prolog = head[: root.start()]
    return b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Everything that must be refused before openpyxl unpacks anything."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS or any(_unsafe_name(i.filename) for i in infos):
        raise ValidationError("文件内部结构异常（含有异常的路径或过多的成员），疑似恶意文件，已拒绝。")
    if _bomb(infos):
        raise ValidationError("文件解压后过大，疑似压缩炸弹，已拒绝。")
    xml_parts = [i for i in infos if i.filename.lower().endswith((".xml", ".rels", ".vml"))]
    if any(_declares_doctype(archive, i) for i in xml_parts):
        raise ValidationError("文件含有不允许的 XML 内容（DOCTYPE 声明等），疑似恶意文件，已拒绝。")


def _open_workbook(data: bytes):
    """Open an .xlsx defensively: reject non-zip files and hostile zips before openpyxl unpacks them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        raise ValidationError(NOT_XLSX) from None
    with archive:
        try:
            _check_archive(archive)
        except _ZIP_ERRORS:
            raise ValidationError(BROKEN) from None
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ValidationError(BROKEN) from None


def _data_sheet(wb):
    sheets = {ws.title: ws for ws in wb.worksheets}  # worksheets only: a chart sheet has no rows
    if not sheets:
        raise ValidationError("文件中没有工作表。")
    ws = sheets.get(DATA_SHEET) or wb.worksheets[0]
    # A wrong <dimension> written by another program would make openpyxl stop early, dropping rows.
    ws.reset_dimensions()
    return ws


def _sheet_rows(ws):
    """openpyxl parses lazily: a sheet broken half-way fails while rows are read, and must fail
    with a message rather than as a system error."""
    rows = ws.iter_rows(values_only=True)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception:
            raise ValidationError(BROKEN) from None
        yield row


def _header_name(value) -> str:
    return str(value).strip().rstrip("*＊").strip() if value is not None else ""


def _column_index(header, spec: ImportSpec, update_existing: bool) -> dict[str, int]:
    """Where each column is, by its header; refuse a file without the columns the import needs."""
    index: dict[str, int] = {}
    for position, value in enumerate(header):
        index.setdefault(_header_name(value), position)
    index.pop("", None)
    missing = [c.header for c in spec.columns if c.required and c.header not in index]
    if missing:
        raise ValidationError(f"缺少必填列：{_quoted(missing)}。请使用系统模板。")
    if update_existing and ID_HEADER in index:
        # A column left out would otherwise blank that field on every updated record.
        missing = [c.header for c in spec.columns if c.header not in index]
        if missing:
            raise ValidationError(f"缺少列：{_quoted(missing)}。按编号更新时文件须包含模板中的全部列，"
                                  "请直接修改导出的文件。")
    return index


def _quoted(names: list[str]) -> str:
    return "、".join(f"「{name}」" for name in names)


def _blank_row(row) -> bool:
    return row is None or all(_is_blank(v) for v in row)


def _cell(row, index: dict[str, int], header: str):
    position = index.get(header)
    return row[position] if position is not None and position < len(row) else None


def read_rows(resource, data: bytes, *, update_existing: bool = False):
    """Yield (excel_row_number, pk_or_None, {header: raw}) for each non-empty row.

    Only the columns present in the file are in the dict: a column left out is left alone."""
    spec: ImportSpec = resource.importer
    with closing(_open_workbook(data)) as wb:
        rows = _sheet_rows(_data_sheet(wb))
        header = next(rows, None)
        if _blank_row(header):
            raise ValidationError("表格为空：第 1 行应为列名。请使用系统模板。")
        index = _column_index(header, spec, update_existing)
        count = 0
        for number, row in enumerate(rows, start=2):
            if _blank_row(row):
                continue
            count += 1
            if count > settings.IMPORT_MAX_ROWS:
                raise ValidationError(f"一次最多导入 {settings.IMPORT_MAX_ROWS} 行，请分批导入。")
            pk_raw = _cell(row, index, ID_HEADER)
            yield number, pk_raw, {c.header: _cell(row, index, c.header) for c in spec.columns if c.header in index}


def check_workbook(resource, data: bytes, *, update_existing: bool) -> None:
    """What can be said at once, on the upload page: the file opens, has its columns and a row."""
    with closing(read_rows(resource, data, update_existing=update_existing)) as rows:
        if next(rows, None) is None:
            raise ValidationError(NO_ROWS)


# --- Starting the job ---------------------------------------------------------------------------


def _upload_bytes(upload) -> bytes:
    if upload is None:
        raise ValidationError("请选择要导入的 Excel 文件。")
    name = (upload.name or "").lower()
    if name.endswith(".xls"):
        raise ValidationError("不支持旧版 .xls 格式，请在 Excel 或 WPS 中另存为 .xlsx 后上传。")
    if not name.endswith(".xlsx"):
        raise ValidationError("只支持 .xlsx 格式的 Excel 文件，请使用下载的模板填写后上传。")
    return read_upload(upload)


def import_start(*, resource, actor, upload, update_existing: bool) -> Job:
    """Check the upload itself, keep it by hash, and queue the import job.

    A file refused here is not stored: a bad upload leaves nothing behind."""
    from .scoping import has_perm
    from .tasks import run_import_job

    if not has_perm(actor, resource.perm("import")):
        raise PermissionDenied("您没有导入权限。")
    data = _upload_bytes(upload)
    check_workbook(resource, data, update_existing=update_existing)
    stored = store_bytes(data, name=upload.name, content_type=getattr(upload, "content_type", "") or "",
                         user=actor)
    job = Job.objects.create(
        kind="import", title=f"导入{resource.label}：{upload.name}"[:200], user=actor, input_file=stored,
        params={"resource": resource.key, "update_existing": update_existing},
    )
    transaction.on_commit(lambda: run_import_job.delay(job.pk))
    return job


def progress_key(job_id: int) -> str:
    return f"xuncha:job:{job_id}:progress"


def report_progress(job: Job, done: int, total: int) -> None:
    """Progress goes through the cache: the rows being written are inside an open transaction."""
    cache.set(progress_key(job.pk), (done, total), 3600)


# --- Validating the rows ------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # the Excel row number, as the person sees it
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.message}"


def _as_pk(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else None
    elif isinstance(value, str):
        value = int(value.strip()) if value.strip().isdecimal() else None
    return value if isinstance(value, int) and 0 < value < 2**63 else None


def _existing_records(resource, actor, rows) -> dict:
    """The records the rows name that the actor may change, fetched in chunks (SQL has a limit)."""
    wanted = sorted({pk for _, raw, _ in rows if (pk := _as_pk(raw)) is not None})
    found = {}
    for start in range(0, len(wanted), 900):
        chunk = wanted[start:start + 900]
        found.update({obj.pk: obj for obj in resource.queryset(actor, "change").filter(pk__in=chunk)})
    return found


def _row_instance(pk_raw, update_existing: bool, existing: dict, first_seen: dict, number: int):
    """(record to update or None, error message or None) for the row's id cell."""
    if _is_blank(pk_raw):
        return None, None
    if not update_existing:
        return None, f"「{ID_LABEL}」：填有编号，但未勾选“按编号更新已有记录”；新增记录请清空编号。"
    pk = _as_pk(pk_raw)
    if pk is None:
        return None, f"「{ID_LABEL}」：“{pk_raw}”不是有效的编号。"
    if pk not in existing:
        return None, f"「{ID_LABEL}」：编号为 {pk} 的记录不存在或您无权修改。"
    if pk in first_seen:
        return None, f"「{ID_LABEL}」：编号 {pk} 与第 {first_seen[pk]} 行重复。"
    first_seen[pk] = number
    return existing[pk], None


def _is_masked(raw) -> bool:
    return isinstance(raw, str) and "*" in raw


def _form_data(spec: ImportSpec, values: dict, actor, instance):
    """Cells converted for the form, and the 「列」：message of each cell that could not be."""
    data, messages, failed = {}, [], set()
    for column in spec.columns:
        if column.header not in values:
            continue
        raw = values[column.header]
        if column.masked and instance is not None and _is_masked(raw):
            data[column.field] = ""  # the export's masked number: the form keeps what is stored
            continue
        try:
            data[column.field] = _cell_to_form(column, raw, actor)
        except ValidationError as error:
            failed.add(column.field)
            messages.append(f"「{column.header}」：{'；'.join(error.messages)}")
    return data, messages, failed


def _labelled(errors: dict, spec: ImportSpec, form=None, skip=()) -> list[str]:
    """「列」：message lines, named by the Excel column where there is one."""
    headers = {c.field: c.header for c in spec.columns}
    lines = []
    for name, messages in errors.items():
        if name in skip:
            continue
        label = headers.get(name) or (form.fields[name].label if form is not None and name in form.fields else "")
        lines += [f"「{label}」：{m}" if label else str(m) for m in messages]
    return lines


def _validate_row(resource, actor, values: dict, instance):
    """(form or None, messages): every error of the row, not just the first."""
    spec: ImportSpec = resource.importer
    data, messages, failed = _form_data(spec, values, actor, instance)
    form = resource.form_class(data, instance=instance, user=actor)
    valid = form.is_valid()
    # A cell that could not be read is absent from the form: its "required" error says nothing new.
    messages += _labelled(form.errors, spec, form, skip=failed)
    return (form if valid and not messages else None), messages


def validate_rows(resource, actor, data: bytes, *, update_existing: bool, progress=None):
    """First pass: every row through the resource's form. Returns (prepared, errors, count)."""
    rows = list(read_rows(resource, data, update_existing=update_existing))
    existing = _existing_records(resource, actor, rows) if update_existing else {}
    prepared, errors, first_seen = [], [], {}
    for position, (number, pk_raw, values) in enumerate(rows, start=1):
        instance, problem = _row_instance(pk_raw, update_existing, existing, first_seen, number)
        if problem:
            errors.append(RowError(number, problem))
            continue
        form, messages = _validate_row(resource, actor, values, instance)
        errors += [RowError(number, m) for m in messages]
        if form is not None:
            prepared.append((number, form, instance))
        if progress and position % 200 == 0:
            progress(position, len(rows) * 2)
    return prepared, errors, len(rows)


# --- Writing ------------------------------------------------------------------------------------

MAX_LISTED_ERRORS = 1000


class _RowFailed(Exception):
    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error


def _service_message(error: Exception, spec: ImportSpec) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return "；".join(_labelled(error.message_dict, spec))
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or "您没有执行此操作的权限。"


def _write_rows(job: Job, resource, actor, prepared, total: int) -> tuple[int, int]:
    """Second pass: all rows in one transaction, so a failing row leaves nothing half-written."""
    created = updated = 0
    with transaction.atomic():
        for position, (number, form, instance) in enumerate(prepared, start=1):
            try:
                if instance is None:
                    resource.create(actor=actor, data=form.cleaned_data)
                    created += 1
                else:
                    resource.update(actor=actor, instance=instance, data=form.cleaned_data)
                    updated += 1
            except (ValidationError, PermissionDenied) as error:
                raise _RowFailed(RowError(number, _service_message(error, resource.importer))) from error
            if position % 200 == 0:
                report_progress(job, total + position, total * 2)
    return created, updated


def _import(job: Job, resource):
    """(total, row errors, created, updated); a ValidationError for a file that cannot be read."""
    update_existing = job.params.get("update_existing", False)
    prepared, errors, total = validate_rows(
        resource, job.user, read_bytes(job.input_file), update_existing=update_existing,
        progress=lambda done, t: report_progress(job, done, t))
    if total == 0:
        raise ValidationError(NO_ROWS)
    if errors:
        return total, errors, 0, 0
    try:
        return total, [], *_write_rows(job, resource, job.user, prepared, total)
    except _RowFailed as failed:
        return total, [failed.error], 0, 0


def run_import(job: Job) -> None:
    from .resources import REGISTRY

    # Claim the job: a broker may deliver the task twice, and the rows must be written once.
    if not Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(status=Job.Status.RUNNING):
        return
    resource = REGISTRY[job.params["resource"]]
    with translation.override(settings.LANGUAGE_CODE):  # a worker has no request to take it from
        try:
            total, errors, created, updated = _import(job, resource)
        except ValidationError as error:
            _finish(job, ok=False, total=0, message=FAILED_HEAD + "；".join(error.messages))
            return
    if errors:
        bad_rows = len({e.row for e in errors})
        _finish(job, ok=False, total=total, errors=errors,
                message=f"{FAILED_HEAD}共 {total} 条，其中 {bad_rows} 行有误：")
        return
    _finish(job, ok=True, total=total, result={"created": created, "updated": updated},
            message=f"导入成功：共 {total} 条，新增 {created} 条，更新 {updated} 条。")


def _error_lines(errors: list[RowError]) -> list[str]:
    lines = [str(e) for e in errors[:MAX_LISTED_ERRORS]]
    if len(errors) > MAX_LISTED_ERRORS:
        lines.append(f"……另有 {len(errors) - MAX_LISTED_ERRORS} 条错误未列出，请先修改以上各行后重新导入。")
    return lines


def _finish(job: Job, *, ok: bool, message: str, total: int, errors: list[RowError] | None = None,
            result: dict | None = None) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED if ok else Job.Status.FAILED, message=message, total=total,
        progress=total, result={"errors": _error_lines(errors or []), **(result or {})},
        finished_at=timezone.now(),
    )
    cache.delete(progress_key(job.pk))
