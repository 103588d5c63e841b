"""Excel for every Resource: the import template (with dictionary dropdowns), the export of a
filtered list (same layout, so an export can be edited and imported back), and the import itself:
all-or-nothing, validated row by row through the resource's own form, with a per-row report."""

from __future__ import annotations

import datetime
import decimal
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import dictionaries
from .files import read_bytes, store_upload
from .models import Job

ID_HEADER = "编号（勿改）"
DATA_SHEET = "数据"
DICT_SHEET = "字典"
HELP_SHEET = "填写说明"


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


def _parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip().replace("年", "-").replace("月", "-").replace("日", "")
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y-%m", "%Y.%m", "%Y/%m"):
        try:
            return datetime.datetime.strptime(text.rstrip("-"), fmt).date()
        except ValueError:
            continue
    raise ValidationError(f"日期“{value}”格式不正确，应为 2024-03-01 的形式")


def _cell_to_form(column: ImportColumn, raw, user):
    """Convert a cell to what the form expects; raise ValidationError with a message for the row."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return "" if column.kind != "multi_dict" else []
    if column.kind == "text":
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # Excel turns numbers such as codes into floats
        return str(raw).strip()
    if column.kind == "dict":
        value = dictionaries.value_for_label(column.dict_code, str(raw))
        if value is None:
            raise ValidationError(f"“{raw}”不是可选的值（可选：{'、'.join(l for _, l in dictionaries.choices(column.dict_code))}）")
        return value
    if column.kind == "multi_dict":
        values = []
        for part in str(raw).replace("，", "、").replace(",", "、").replace(";", "、").replace("；", "、").split("、"):
            part = part.strip()
            if not part:
                continue
            value = dictionaries.value_for_label(column.dict_code, part)
            if value is None:
                raise ValidationError(f"“{part}”不是可选的值")
            values.append(value)
        return values
    if column.kind == "date":
        return _parse_date(raw).isoformat()
    if column.kind == "bool":
        text = str(raw).strip()
        if text in ("是", "1", "True", "true", "Y", "y"):
            return "on"
        if text in ("否", "0", "False", "false", "N", "n"):
            return ""
        raise ValidationError(f"“{raw}”应填写“是”或“否”")
    if column.kind == "decimal":
        try:
            return str(decimal.Decimal(str(raw).strip().replace(",", "")))
        except decimal.InvalidOperation:
            raise ValidationError(f"“{raw}”不是有效的数字") from None
    if column.kind == "fk":
        return column.resolve(user, str(raw).strip())
    raise ValueError(f"unknown column kind {column.kind}")


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


def _add_dropdowns(wb: Workbook, ws, spec: ImportSpec, user, max_row: int = 5000):
    """Dropdowns read their items from a hidden sheet, which has no 255-character limit."""
    dict_ws = wb.create_sheet(DICT_SHEET)
    dict_ws.sheet_state = "hidden"
    for idx, column in enumerate(spec.columns, start=2):
        if column.kind == "dict":
            items = [label for _, label in dictionaries.choices(column.dict_code)]
        elif column.kind == "bool":
            items = ["是", "否"]
        elif column.kind == "fk" and column.choices is not None:
            items = column.choices(user)
        else:
            continue
        if not items:
            continue
        letter = get_column_letter(idx)
        dict_ws.cell(row=1, column=idx, value=column.header)
        for row, item in enumerate(items, start=2):
            dict_ws.cell(row=row, column=idx, value=item)
        validation = DataValidation(
            type="list", formula1=f"={DICT_SHEET}!${letter}$2:${letter}${len(items) + 1}", allow_blank=True,
            showErrorMessage=column.kind != "fk", errorTitle="输入有误", error=f"请从下拉列表中选择「{column.header}」。",
        )
        ws.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{max_row}")
    for idx, column in enumerate(spec.columns, start=2):
        if column.kind == "date":
            letter = get_column_letter(idx)
            for row in range(2, 200):
                ws[f"{letter}{row}"].number_format = "yyyy-mm-dd"


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
        "3. 隐藏的 A 列“编号（勿改）”为系统编号：新增时留空；勾选“按编号更新已有记录”导入时，填有编号的行将更新对应记录。",
        "4. 导入为整体操作：任何一行有误，则全部不导入，并逐行列出错误（行号即 Excel 中的行号）。",
        *spec.instructions,
    ]:
        ws.append([line])
    ws.append([])
    ws.append(["列名", "是否必填", "说明"])
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for column in spec.columns:
        note = column.note
        if column.kind == "dict":
            note = (note + " " if note else "") + "可选：" + "、".join(l for _, l in dictionaries.choices(column.dict_code))
        elif column.kind == "multi_dict":
            note = (note + " " if note else "") + "多个用“、”分隔，可选：" + "、".join(
                l for _, l in dictionaries.choices(column.dict_code))
        elif column.kind == "date":
            note = (note + " " if note else "") + "格式：2024-03-01"
        elif column.kind == "bool":
            note = "填写“是”或“否”"
        ws.append([column.header, "是" if column.required else "否", note])


def template_workbook(resource, user) -> bytes:
    spec: ImportSpec = resource.importer
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append(_header_row(ws, spec))
    _style_header(ws, spec)
    _add_dropdowns(wb, ws, spec, user)
    _add_help(wb, spec, resource)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_workbook(resource, queryset, user) -> bytes:
    """The filtered, scoped rows in the import layout (or the list's columns when there is no import)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(DATA_SHEET)
    spec: ImportSpec | None = resource.importer
    if spec is not None:
        ws.append([ID_HEADER] + [c.header for c in spec.columns])
        for obj in queryset.iterator(chunk_size=2000) if not resource.prefetch_related else queryset:
            ws.append([obj.pk] + [_excel_safe(_export_value(c, obj)) for c in spec.columns])
    else:
        columns = resource.export_columns or resource.columns
        ws.append(["编号"] + [c.label for c in columns])
        for obj in queryset:
            ws.append([obj.pk] + [_excel_safe(c.value(obj)) for c in columns])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _excel_safe(value):
    """Neutralise formula injection: a text cell starting with = + - @ is stored as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    if isinstance(value, (datetime.datetime,)):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


# --- Import -------------------------------------------------------------------------------------


MAX_UNCOMPRESSED = 200 * 1024 * 1024


def _open_workbook(data: bytes):
    """Open an .xlsx defensively: reject non-zip files and zip bombs before openpyxl unpacks them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
            if total > MAX_UNCOMPRESSED:
                raise ValidationError("文件解压后过大，疑似异常文件，已拒绝。")
            if any(info.filename.startswith(("/", "..")) or ".." in info.filename.split("/")
                   for info in archive.infolist()):
                raise ValidationError("文件内部结构异常，已拒绝。")
    except zipfile.BadZipFile:
        raise ValidationError("文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写后上传。") from None
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ValidationError("文件无法作为 Excel（.xlsx）读取，可能已损坏。") from None


def import_start(*, resource, actor, upload, update_existing: bool) -> Job:
    """Validate the upload itself, keep it by hash, and queue the import job."""
    from .tasks import run_import_job
    from .scoping import has_perm

    if not has_perm(actor, resource.perm("import")):
        raise PermissionDenied("您没有导入权限。")
    if upload is None:
        raise ValidationError("请选择要导入的 Excel 文件。")
    if not upload.name.lower().endswith(".xlsx"):
        raise ValidationError("只支持 .xlsx 格式的 Excel 文件；旧版 .xls 请另存为 .xlsx 后上传。")
    stored = store_upload(upload, user=actor)
    _open_workbook(read_bytes(stored)).close()
    job = Job.objects.create(
        kind="import", title=f"导入{resource.label}：{upload.name}", user=actor, input_file=stored,
        params={"resource": resource.key, "update_existing": update_existing},
    )
    transaction.on_commit(lambda: run_import_job.delay(job.pk))
    return job


def progress_key(job_id: int) -> str:
    return f"xuncha:job:{job_id}:progress"


def report_progress(job: Job, done: int, total: int) -> None:
    """Progress goes through the cache: the rows being written are inside an open transaction."""
    cache.set(progress_key(job.pk), (done, total), 3600)


def read_rows(resource, data: bytes):
    """Yield (excel_row_number, pk_or_None, {header: raw}) for each non-empty row."""
    spec: ImportSpec = resource.importer
    wb = _open_workbook(data)
    ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ValidationError("表格为空：第 1 行应为列名。")
    names = [str(h).rstrip("*").strip() if h is not None else "" for h in header]
    missing = [c.header for c in spec.columns if c.required and c.header not in names]
    if missing:
        raise ValidationError(f"缺少必填列：{'、'.join('「' + m + '」' for m in missing)}。请使用系统模板。")
    index = {name: i for i, name in enumerate(names) if name}
    count = 0
    for number, row in enumerate(rows, start=2):
        if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        count += 1
        if count > settings.IMPORT_MAX_ROWS:
            raise ValidationError(f"一次最多导入 {settings.IMPORT_MAX_ROWS} 行，请分批导入。")
        pk_raw = row[index[ID_HEADER]] if ID_HEADER in index and index[ID_HEADER] < len(row) else None
        values = {c.header: (row[index[c.header]] if c.header in index and index[c.header] < len(row) else None)
                  for c in spec.columns}
        yield number, pk_raw, values
    wb.close()


def validate_rows(resource, actor, data: bytes, *, update_existing: bool, progress=None):
    """First pass: every row through the resource's form. Returns (forms_with_instances, errors, count)."""
    spec: ImportSpec = resource.importer
    prepared, errors = [], []
    rows = list(read_rows(resource, data))
    existing_pks: set[int] = set()
    existing: dict = {}
    if update_existing:
        wanted = [int(pk) for _, pk, _ in rows if _is_int(pk)]
        existing = {obj.pk: obj for obj in resource.queryset(actor, "change").filter(pk__in=wanted)}
    for position, (number, pk_raw, values) in enumerate(rows, start=1):
        instance = None
        if update_existing and pk_raw not in (None, ""):
            if not _is_int(pk_raw) or int(pk_raw) not in existing:
                errors.append(f"第 {number} 行：编号“{pk_raw}”对应的记录不存在或您无权修改。")
                continue
            instance = existing[int(pk_raw)]
            if instance.pk in existing_pks:
                errors.append(f"第 {number} 行：编号“{pk_raw}”在表中重复出现。")
                continue
            existing_pks.add(instance.pk)
        form_data, row_errors = {}, []
        for column in spec.columns:
            raw = values.get(column.header)
            if column.masked and instance is not None and isinstance(raw, str) and "*" in raw:
                form_data[column.field] = ""  # the export's masked number: keep what is stored
                continue
            try:
                form_data[column.field] = _cell_to_form(column, raw, actor)
            except ValidationError as error:
                row_errors.append(f"「{column.header}」：{'；'.join(error.messages)}")
        if not row_errors:
            form = resource.form_class(form_data, instance=instance, user=actor)
            if form.is_valid():
                prepared.append((number, form, instance))
            else:
                row_errors.extend(form.error_summary())
        for message in row_errors:
            errors.append(f"第 {number} 行：{message}")
        if progress and position % 200 == 0:
            progress(position, len(rows) * 2)
    return prepared, errors, len(rows)


def _is_int(value) -> bool:
    try:
        return value is not None and int(value) == float(value)
    except (TypeError, ValueError):
        return False


def run_import(job: Job) -> None:
    """Second pass only when the first found no error: all rows in one transaction."""
    from .resources import REGISTRY

    resource = REGISTRY[job.params["resource"]]
    actor = job.user
    data = read_bytes(job.input_file)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    try:
        prepared, errors, total = validate_rows(
            resource, actor, data, update_existing=job.params.get("update_existing", False),
            progress=lambda done, t: report_progress(job, done, t))
    except ValidationError as error:
        _finish(job, ok=False, message="导入失败，未写入任何数据。" + "；".join(error.messages), total=0)
        return
    if total == 0:
        _finish(job, ok=False, message="导入失败：表格中没有数据行。", total=0)
        return
    if errors:
        head = f"导入失败，未写入任何数据。共 {total} 条，其中 {len({e.split('：')[0] for e in errors})} 行有误："
        _finish(job, ok=False, message=head, total=total, errors=errors)
        return
    created = updated = 0
    try:
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
                    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
                    raise _RowFailed(number, "；".join(messages)) from error
                if position % 200 == 0:
                    report_progress(job, total + position, total * 2)
    except _RowFailed as failed:
        _finish(job, ok=False, total=total, message=f"导入失败，未写入任何数据。共 {total} 条，第 {failed.row} 行：{failed.reason}")
        return
    _finish(job, ok=True, total=total,
            message=f"导入成功：共 {total} 条，新增 {created} 条，更新 {updated} 条。")


class _RowFailed(Exception):
    def __init__(self, row: int, reason: str):
        super().__init__(reason)
        self.row, self.reason = row, reason


def _finish(job: Job, *, ok: bool, message: str, total: int, errors: list[str] | None = None) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED if ok else Job.Status.FAILED, message=message, total=total,
        progress=total, result={"errors": errors or []}, finished_at=timezone.now(),
    )
    cache.delete(progress_key(job.pk))
