"""The indicator library as a file: YAML and Excel, both ways.

A file holds one set: its name, version and description, the three-level tree as flat rows
(编码, 上级编码, 层级, 指标名称, 检查要点, 典型佐证材料) and the templates per kind of target
(the level-3 codes each includes). Reading is all-or-nothing: `parse_yaml` / `parse_excel` return
a `LibraryData` and `validate()` gives every problem as a Chinese sentence naming the row and the
field; nothing is written unless the list is empty. `build_set()` writes a validated library (used by
the import service and by the data migration that ships the starting library).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db.models import F

from . import choices as c

__all__ = ["Row", "TemplateData", "LibraryData", "parse_yaml", "parse_excel", "validate", "library_from_set",
           "export_yaml", "export_excel", "build_set", "LIBRARY_FILE", "DECISIONS_FILE", "load_shipped",
           "INDICATOR_HEADERS", "MAX_ROWS"]

DATA = Path(__file__).resolve().parent / "data"
LIBRARY_FILE = DATA / "library_2026.yaml"
DECISIONS_FILE = DATA / "decisions_2026.yaml"
MAX_ROWS = 2000
CODE_RE = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")

INDICATOR_SHEET = "指标"
TEMPLATE_SHEET = "模板"
INFO_SHEET = "基本信息"
INDICATOR_HEADERS = ["编码", "上级编码", "层级", "指标名称", "检查要点", "典型佐证材料"]
KIND_LABELS = dict(c.TargetKind.choices)
KIND_BY_LABEL = {label: value for value, label in c.TargetKind.choices}
# libyaml's C loader and dumper when present (several times faster), both the *safe* variants.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
CHECK_MARKS = {"√", "✓", "✔", "是", "1", "Y", "y", "v", "V"}


@dataclass
class Row:
    where: str  # "第 5 行" / "第 3 个指标": how an error names this row
    code: str
    parent: str
    level: object
    title: str
    guidance: str = ""
    evidence: str = ""


@dataclass
class TemplateData:
    where: str
    kind: str
    name: str
    description: str = ""
    items: list[str] = field(default_factory=list)


@dataclass
class LibraryData:
    name: str = ""
    version: object = 1
    description: str = ""
    rows: list[Row] = field(default_factory=list)
    templates: list[TemplateData] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # problems found while reading the file itself


def _s(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- Validation -------------------------------------------------------------------------------------


def _level(value) -> int | None:
    text = _s(value)
    return int(text) if text in ("1", "2", "3") else None


def validate(data: LibraryData) -> list[str]:
    """Every problem of the library, in Chinese, naming the row and the field (empty: importable)."""
    errors = list(data.errors)
    if data.errors:
        return errors
    if not data.name:
        errors.append("缺少指标体系名称（YAML 的 name，或 Excel“基本信息”表的“指标体系名称”）。")
    elif len(data.name) > 100:
        errors.append("指标体系名称不能超过 100 个字。")
    if _s(data.version) and not _s(data.version).isdigit():
        errors.append(f"版本号“{data.version}”应为正整数。")
    if not data.rows:
        errors.append("文件中没有指标。")
    if len(data.rows) > MAX_ROWS:
        errors.append(f"指标不能超过 {MAX_ROWS} 条。")
        return errors
    seen: dict[str, Row] = {}
    for row in data.rows:
        if not row.code:
            errors.append(f"{row.where}：“编码”不能为空。")
        elif len(row.code) > 20 or not CODE_RE.match(row.code):
            errors.append(f"{row.where}：编码“{row.code}”格式不正确，应为 1、1.2、1.2.3 的形式（不超过 20 个字符）。")
        elif row.code in seen:
            errors.append(f"{row.where}：编码“{row.code}”重复（{seen[row.code].where}已使用）。")
        else:
            seen[row.code] = row
        if not row.title:
            errors.append(f"{row.where}：“指标名称”不能为空。")
        elif len(row.title) > 200:
            errors.append(f"{row.where}：“指标名称”不能超过 200 个字。")
        if _level(row.level) is None:
            errors.append(f"{row.where}：“层级”应为 1、2 或 3，现为“{_s(row.level)}”。")
    for row in data.rows:
        level = _level(row.level)
        if level is None or not row.code:
            continue
        if level == 1:
            if row.parent:
                errors.append(f"{row.where}：一级指标不应填写“上级编码”（现为“{row.parent}”）。")
            continue
        if not row.parent:
            errors.append(f"{row.where}：{c.LEVEL_LABELS[level][:4]}须填写“上级编码”。")
            continue
        parent = seen.get(row.parent)
        if parent is None:
            errors.append(f"{row.where}：上级编码“{row.parent}”不存在。")
        elif parent is row:
            errors.append(f"{row.where}：上级编码不能是本指标。")
        elif _level(parent.level) is not None and _level(parent.level) != level - 1:
            errors.append(f"{row.where}：层级为 {level}，但上级指标“{row.parent}”的层级为 {_level(parent.level)}，"
                          f"层级应比上级多一级。")
    kinds_seen: set[str] = set()
    for template in data.templates:
        if template.kind not in KIND_LABELS:
            errors.append(f"{template.where}：对象类型“{template.kind}”不是可选的值"
                          f"（可选：{'、'.join(KIND_LABELS.values())}）。")
            continue
        if template.kind in kinds_seen:
            errors.append(f"{template.where}：对象类型“{KIND_LABELS[template.kind]}”的模板重复。")
        kinds_seen.add(template.kind)
        if not template.name:
            errors.append(f"{template.where}：“模板名称”不能为空。")
        for code in template.items:
            row = seen.get(code)
            if row is None:
                errors.append(f"{template.where}：检查事项编码“{code}”不存在。")
            elif _level(row.level) != 3:
                errors.append(f"{template.where}：“{code}”不是三级指标，模板只能包含三级指标（检查事项）。")
    return errors


def check(data: LibraryData) -> None:
    errors = validate(data)
    if errors:
        raise ValidationError(errors)


# --- YAML -------------------------------------------------------------------------------------------


def _yaml_text(value) -> str:
    return _s(value) if not isinstance(value, (dict, list)) else ""


def parse_yaml(content: bytes | str) -> LibraryData:
    data = LibraryData()
    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    except UnicodeDecodeError:
        data.errors.append("文件不是 UTF-8 编码的文本，请以 UTF-8 编码保存 YAML 文件。")
        return data
    try:
        doc = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - the C build of the *safe* loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else "文件中"
        data.errors.append(f"YAML 格式有误（{where}），请检查缩进和冒号。")
        return data
    if not isinstance(doc, dict) or not isinstance(doc.get("indicators"), list):
        data.errors.append("YAML 文件应包含 name（名称）和 indicators（指标列表）。")
        return data
    data.name = _yaml_text(doc.get("name"))
    data.version = doc.get("version") or 1
    data.description = _yaml_text(doc.get("description"))
    for index, item in enumerate(doc["indicators"], start=1):
        where = f"第 {index} 个指标"
        if not isinstance(item, dict):
            data.errors.append(f"{where}：应为包含 code、level、title 等字段的条目。")
            continue
        data.rows.append(Row(where=where + (f"（编码 {_s(item.get('code'))}）" if _s(item.get("code")) else ""),
                             code=_yaml_text(item.get("code")), parent=_yaml_text(item.get("parent")),
                             level=item.get("level"), title=_yaml_text(item.get("title")),
                             guidance=_yaml_text(item.get("guidance")), evidence=_yaml_text(item.get("evidence"))))
    templates = doc.get("templates") or []
    if not isinstance(templates, list):
        data.errors.append("templates（模板）应为列表。")
        return data
    for index, item in enumerate(templates, start=1):
        where = f"第 {index} 个模板"
        if not isinstance(item, dict) or not isinstance(item.get("items") or [], list):
            data.errors.append(f"{where}：应包含 kind、name 和 items（检查事项编码列表）。")
            continue
        data.templates.append(TemplateData(where=where, kind=_yaml_text(item.get("kind")), name=_yaml_text(item.get("name")),
                                           description=_yaml_text(item.get("description")),
                                           items=[_s(code) for code in item.get("items") or []]))
    return data


def export_yaml(data: LibraryData) -> bytes:
    doc = {"name": data.name, "version": int(_s(data.version) or 1), "description": data.description, "indicators": [],
           "templates": []}
    for row in data.rows:
        item = {"code": row.code}
        if row.parent:
            item["parent"] = row.parent
        item.update({"level": _level(row.level), "title": row.title})
        if row.guidance:
            item["guidance"] = row.guidance
        if row.evidence:
            item["evidence"] = row.evidence
        doc["indicators"].append(item)
    for template in data.templates:
        doc["templates"].append({"kind": template.kind, "name": template.name, "description": template.description,
                                 "items": list(template.items)})
    head = "# 巡察指标体系导出文件：可修改后通过“导入”新建为草稿版本。\n"
    body = yaml.dump(doc, Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False, width=120)
    return (head + body).encode("utf-8")


# --- Excel ------------------------------------------------------------------------------------------


def parse_excel(content: bytes) -> LibraryData:
    from openpyxl import load_workbook

    data = LibraryData()
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        data.errors.append("无法读取该文件：请上传由本系统导出或按模板填写的 Excel 文件（.xlsx）。")
        return data
    if INDICATOR_SHEET not in wb.sheetnames:
        data.errors.append(f"工作簿中缺少“{INDICATOR_SHEET}”工作表。")
        return data
    if INFO_SHEET in wb.sheetnames:
        for key, value, *_ in wb[INFO_SHEET].iter_rows(values_only=True, max_col=2):
            key = _s(key)
            if key == "指标体系名称":
                data.name = _s(value)
            elif key == "版本号":
                data.version = _s(value) or 1
            elif key == "说明":
                data.description = _s(value)
    rows = wb[INDICATOR_SHEET].iter_rows(values_only=True)
    header = [_s(h).rstrip("*") for h in next(rows, ())]
    missing = [h for h in ("编码", "层级", "指标名称") if h not in header]
    if missing:
        data.errors.append(f"“{INDICATOR_SHEET}”工作表第 1 行缺少列：{'、'.join(missing)}。")
        return data
    col = {h: header.index(h) for h in INDICATOR_HEADERS if h in header}

    def cell(values, name):
        i = col.get(name)
        return values[i] if i is not None and i < len(values) else None

    for number, values in enumerate(rows, start=2):
        if all(_s(v) == "" for v in values):
            continue
        if number > MAX_ROWS + 1:
            data.errors.append(f"指标不能超过 {MAX_ROWS} 条。")
            return data
        data.rows.append(Row(where=f"“{INDICATOR_SHEET}”表第 {number} 行", code=_s(cell(values, "编码")),
                             parent=_s(cell(values, "上级编码")), level=cell(values, "层级"),
                             title=_s(cell(values, "指标名称")), guidance=_s(cell(values, "检查要点")),
                             evidence=_s(cell(values, "典型佐证材料"))))
    if TEMPLATE_SHEET in wb.sheetnames:
        trows = wb[TEMPLATE_SHEET].iter_rows(values_only=True)
        theader = [_s(h) for h in next(trows, ())]
        kinds = [(i, KIND_BY_LABEL[h]) for i, h in enumerate(theader) if h in KIND_BY_LABEL]
        templates = {kind: TemplateData(where=f"“{TEMPLATE_SHEET}”表“{KIND_LABELS[kind]}”列", kind=kind,
                                        name=f"{KIND_LABELS[kind]}巡察指标模板") for _, kind in kinds}
        for values in trows:
            code = _s(values[0]) if values else ""
            if not code:
                continue
            for i, kind in kinds:
                if i < len(values) and _s(values[i]) in CHECK_MARKS:
                    templates[kind].items.append(code)
        data.templates = list(templates.values())
    return data


def export_excel(data: LibraryData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from xuncha.core.excel import _excel_safe

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wb = Workbook()
    info = wb.active
    info.title = INFO_SHEET
    for row in (("项目", "内容"), ("指标体系名称", data.name), ("版本号", int(_s(data.version) or 1)),
                ("说明", data.description)):
        info.append([_excel_safe(v) for v in row])
    info.column_dimensions["A"].width = 16
    info.column_dimensions["B"].width = 80
    ws = wb.create_sheet(INDICATOR_SHEET)
    ws.append(["编码*", "上级编码", "层级*", "指标名称*", "检查要点", "典型佐证材料"])
    for row in data.rows:
        ws.append([_excel_safe(v) for v in (row.code, row.parent, _level(row.level), row.title, row.guidance,
                                             row.evidence)])
    for idx, width in enumerate((10, 10, 6, 40, 60, 50), start=1):
        ws.cell(1, idx).font, ws.cell(1, idx).fill = bold, fill
        ws.column_dimensions[chr(64 + idx)].width = width
    for cells in ws.iter_rows(min_row=2, min_col=4, max_col=6):
        for cell_ in cells:
            cell_.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    tws = wb.create_sheet(TEMPLATE_SHEET)
    kinds = [k for k, _ in c.TargetKind.choices]
    tws.append(["编码", "指标名称", *[KIND_LABELS[k] for k in kinds]])
    included = {t.kind: set(t.items) for t in data.templates}
    for row in data.rows:
        if _level(row.level) == 3:
            tws.append([row.code, _excel_safe(row.title),
                        *["√" if row.code in included.get(k, ()) else "" for k in kinds]])
    for idx in range(1, len(kinds) + 3):
        tws.cell(1, idx).font, tws.cell(1, idx).fill = bold, fill
    tws.column_dimensions["B"].width = 40
    tws.freeze_panes = "C2"
    help_ws = wb.create_sheet("填写说明")
    for line in ("1. “指标”表每行一个指标：一级指标不填上级编码；二级、三级指标填写上级指标的编码，层级比上级多一级。",
                 "2. 编码在本指标体系内不能重复，建议用 1、1.2、1.2.3 的形式；三级指标是巡察组逐项检查、记录结果的检查事项。",
                 "3. “模板”表在各类巡察对象的列中以“√”标出该模板包含的三级指标。",
                 "4. 导入时全部校验通过才会写入，并新建为草稿版本；任何一行有误，均不写入任何数据。"):
        help_ws.append([line])
    help_ws.column_dimensions["A"].width = 110
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- From and into the database --------------------------------------------------------------------


def library_from_set(indicator_set) -> LibraryData:
    """The set as a LibraryData (what the exports write). Three queries whatever the size."""
    indicators = list(indicator_set.indicators.select_related("parent").order_by("order", "id"))
    data = LibraryData(name=indicator_set.name, version=indicator_set.version, description=indicator_set.description)
    for ind in indicators:
        data.rows.append(Row(where=ind.code, code=ind.code, parent=ind.parent.code if ind.parent_id else "",
                             level=ind.level, title=ind.title, guidance=ind.guidance, evidence=ind.evidence))
    for template in indicator_set.templates.prefetch_related("items").order_by("id"):
        data.templates.append(TemplateData(where=template.name, kind=template.kind, name=template.name,
                                           description=template.description,
                                           items=[i.code for i in sorted(template.items.all(),
                                                                         key=lambda i: (i.order, i.pk))]))
    return data


def build_set(models, data: LibraryData, *, authority_id, status: str, version: int, user_id=None,
              based_on_id=None, published_at=None):
    """Write a validated library as a new set. `models` gives IndicatorSet, Indicator, IndicatorTemplate
    (the real classes, or the historical ones in a data migration). Precondition: validate(data) == []."""
    IndicatorSet, Indicator, IndicatorTemplate = models  # noqa: N806
    indicator_set = IndicatorSet.objects.create(
        authority_id=authority_id, name=data.name, version=version, status=status, description=data.description,
        created_by_id=user_id, based_on_id=based_on_id, published_at=published_at,
        published_by_id=user_id if published_at else None)
    by_code: dict[str, object] = {}
    order = {row.code: index for index, row in enumerate(data.rows, start=1)}
    for level in (1, 2, 3):
        batch = []
        for row in data.rows:
            if _level(row.level) != level:
                continue
            parent = by_code.get(row.parent) if level > 1 else None
            batch.append(Indicator(
                indicator_set_id=indicator_set.pk, parent_id=parent.pk if parent else None,
                root_id=(parent.root_id if parent else None), level=level, code=row.code, title=row.title,
                guidance=row.guidance, evidence=row.evidence, order=order[row.code], created_by_id=user_id))
        created = Indicator.objects.bulk_create(batch)
        if created and created[0].pk is None:  # a backend that does not return ids
            created = list(Indicator.objects.filter(indicator_set_id=indicator_set.pk, level=level))
        for ind in created:
            by_code[ind.code] = ind
        if level == 1:  # a level-1 indicator is its own root; its children copy it from here
            Indicator.objects.filter(pk__in=[i.pk for i in created]).update(root_id=F("id"))
            for ind in created:
                ind.root_id = ind.pk
    for template in data.templates:
        obj = IndicatorTemplate.objects.create(indicator_set_id=indicator_set.pk, kind=template.kind,
                                               name=template.name, description=template.description,
                                               created_by_id=user_id)
        obj.items.set([by_code[code].pk for code in template.items])
    return indicator_set


def load_shipped(apps_or_models, *, decisions_model=None) -> None:
    """Load the starting library and decision checklist shipped with the app, as the platform's
    built-in (no authority) published version 1, unless it is already there."""
    IndicatorSet = apps_or_models[0]  # noqa: N806
    data = parse_yaml(LIBRARY_FILE.read_bytes())
    check(data)
    if not IndicatorSet.objects.filter(authority__isnull=True, name=data.name, version=1).exists():
        from django.utils import timezone

        build_set(apps_or_models, data, authority_id=None, status=c.SetStatus.PUBLISHED, version=1,
                  published_at=timezone.now())
    if decisions_model is not None and not decisions_model.objects.filter(authority__isnull=True).exists():
        doc = yaml.safe_load(DECISIONS_FILE.read_text(encoding="utf-8"))
        decisions_model.objects.bulk_create([
            decisions_model(authority_id=None, issuer=item["issuer"], title=item["title"],
                            doc_number=item.get("doc_number") or "", requirement=item["requirement"],
                            kinds=list(item.get("kinds") or []), order=index)
            for index, item in enumerate(doc["decisions"], start=1)])
