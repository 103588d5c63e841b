"""Excel import and export of cadres: masked personal numbers, ID-card checks, dates and skills,
through the real pages with real .xlsx files."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from openpyxl import Workbook, load_workbook

from xuncha.core.excel import DATA_SHEET, ID_HEADER
from xuncha.core.models import ChangeLog, Job
from xuncha.core.testing.world import make_cadre
from xuncha.org.models import Cadre
from xuncha.org.resources import cadre_resource
from xuncha.org.validators import id_card_check_digit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [ID_HEADER] + [c.header for c in cadre_resource.importer.columns]
STORED_ID = "110101199003071234"  # cadre_a's, from the test world
STORED_PHONE = "13812345678"


def valid_id(first17: str = "34010219850601123") -> str:
    return first17 + id_card_check_digit(first17)


def cadre_row(name="王审计", *, pk=None, unit="青阳县教育局", post="科员", rank="科员", **extra) -> dict:
    row = {ID_HEADER: pk, "姓名": name, "工作单位": unit, "职务": post, "职级": rank}
    row.update(extra)
    return row


def xlsx(rows: list[dict], headers: list[str] = HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    return save(wb)


def save(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def run(client, capture, data: bytes, *, update=False) -> Job:
    form = {"file": SimpleUploadedFile("干部.xlsx", data, content_type=XLSX)}
    if update:
        form["update_existing"] = "on"
    with capture(execute=True):
        response = client.post(reverse("org:cadre_import"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.get(pk=resolve(response.url).kwargs["pk"])


def export(client, query=""):
    response = client.get(reverse("org:cadre_export") + query)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def rows_of(wb) -> list[dict]:
    ws = wb[DATA_SHEET]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row), strict=False)) for row in ws.iter_rows(min_row=2)]


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def office_a(world, login):
    return login(world.users["office_a"])


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


class TestMaskedNumbers:
    def test_export_shows_only_masked_numbers(self, world, office_a):
        wb = export(office_a)
        cells = {str(c.value) for r in wb[DATA_SHEET].iter_rows() for c in r if c.value is not None}
        assert STORED_ID not in cells and STORED_PHONE not in cells
        row = next(r for r in rows_of(wb) if r[ID_HEADER] == world.cadre_a.pk)
        assert row["身份证号"] == "110101********1234" and row["手机号"] == "138****5678"

    def test_masked_values_imported_back_keep_the_stored_numbers(self, world, office_a, capture):
        wb = export(office_a)
        ws = wb[DATA_SHEET]
        header = [c.value for c in ws[1]]
        ws.cell(row=2, column=header.index("职务") + 1, value="副局长")
        job = run(office_a, capture, save(wb), update=True)
        assert job.message == "导入成功：共 1 条，新增 0 条，更新 1 条。", job.result
        cadre = Cadre.objects.get(pk=world.cadre_a.pk)
        assert cadre.post == "副局长" and cadre.id_card == STORED_ID and cadre.phone == STORED_PHONE
        log = ChangeLog.objects.get(action="update", object_id=str(cadre.pk))
        assert log.before["post"] == "科员" and log.after["post"] == "副局长"
        assert STORED_ID not in str(log.after)  # the history keeps numbers masked too

    def test_a_new_number_replaces_the_stored_one(self, world, office_a, capture):
        new_id = valid_id()
        row = cadre_row("张青阳", pk=world.cadre_a.pk, **{"身份证号": new_id, "手机号": "13900001111"})
        job = run(office_a, capture, xlsx([row]), update=True)
        assert job.status == Job.Status.SUCCEEDED, job.result
        cadre = Cadre.objects.get(pk=world.cadre_a.pk)
        assert cadre.id_card == new_id and cadre.phone == "13900001111"

    def test_a_masked_value_on_a_new_row_is_an_error(self, world, office_a, capture):
        job = run(office_a, capture, xlsx([cadre_row(**{"身份证号": "110101********1234"})]))
        assert job.result["errors"] == [
            "第 2 行：「身份证号」：身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X。"]


class TestNewCadres:
    def test_valid_cadre_with_id_card_and_skills(self, world, office_a, capture):
        new_id = valid_id("34010219850601123")
        row = cadre_row("王审计", **{"性别": "女", "出生日期": datetime.datetime(1985, 6, 1), "身份证号": new_id,
                                    "手机号": 13900001111, "职务": "审计科科长", "职级": "正科级",
                                    "专长": "财务、审计", "备注": "借调人员"})
        job = run(office_a, capture, xlsx([row]))
        assert job.message == "导入成功：共 1 条，新增 1 条，更新 0 条。", job.result
        cadre = Cadre.objects.get(name="王审计")
        assert cadre.id_card == new_id and cadre.phone == "13900001111" and cadre.gender == "female"
        assert cadre.birth_date == datetime.date(1985, 6, 1) and cadre.rank == "section_1"
        assert cadre.unit == world.unit_a and cadre.region == world.county_a
        assert {s.value for s in cadre.skills.all()} == {"finance", "audit"}

    @pytest.mark.parametrize("text, values", [
        ("财务、审计", {"finance", "audit"}),
        ("财务，纪检；法律", {"finance", "discipline", "law"}),
        (" 审计 , 信访 ", {"audit", "petition"}),
        ("audit", {"audit"}),
    ])
    def test_skills_map_to_dictionary_items(self, world, office_a, capture, text, values):
        job = run(office_a, capture, xlsx([cadre_row(**{"专长": text})]))
        assert job.status == Job.Status.SUCCEEDED, job.result
        assert {s.value for s in Cadre.objects.get(name="王审计").skills.all()} == values

    @pytest.mark.parametrize("raw, expected", [
        ("1985-06-01", datetime.date(1985, 6, 1)),
        ("1985年6月1日", datetime.date(1985, 6, 1)),
        ("1985/6/1", datetime.date(1985, 6, 1)),
        ("1985.06", datetime.date(1985, 6, 1)),
        ("1985.10", datetime.date(1985, 10, 1)),
        (19850601, datetime.date(1985, 6, 1)),
        (datetime.date(1985, 6, 1), datetime.date(1985, 6, 1)),
    ])
    def test_birth_date_forms(self, world, office_a, capture, raw, expected):
        job = run(office_a, capture, xlsx([cadre_row(**{"出生日期": raw})]))
        assert job.status == Job.Status.SUCCEEDED, job.result
        assert Cadre.objects.get(name="王审计").birth_date == expected

    def test_skill_with_a_new_dictionary_item(self, world, office_a, capture):
        from xuncha.core import dictionaries
        from xuncha.core.models import DictItem, DictType

        DictItem.objects.create(dict_type=DictType.objects.get(code="cadre_skill"), value="it", label="信息技术")
        dictionaries.invalidate()
        job = run(office_a, capture, xlsx([cadre_row(**{"专长": "信息技术、财务"})]))
        assert job.status == Job.Status.SUCCEEDED, job.result


class TestCadreErrors:
    def test_bad_rows_listed_and_nothing_written(self, world, office_a, capture):
        rows = [
            cadre_row("好干部一", **{"身份证号": valid_id()}),                    # row 2
            cadre_row("坏日期", **{"出生日期": "1985-13-45"}),                    # row 3
            cadre_row("好干部二", **{"专长": "财务、审计"}),                       # row 4
            cadre_row("坏证号", **{"身份证号": STORED_ID[:-1] + "5",               # row 5: check digit
                                   "专长": "唱歌"}, unit="桐溪县教育局"),
            cadre_row("好干部三"),                                               # row 6
        ]
        cadres, logs = Cadre.objects.count(), ChangeLog.objects.count()
        job = run(office_a, capture, xlsx(rows))
        assert job.status == Job.Status.FAILED
        assert job.message == "导入失败，未写入任何数据。共 5 条，其中 2 行有误："
        errors = job.result["errors"]
        assert errors[0] == "第 3 行：「出生日期」：日期“1985-13-45”格式不正确，应为 2024-03-01 的形式"
        assert errors[1].startswith("第 5 行：「工作单位」：单位“桐溪县教育局”不存在或不在您的授权范围内")
        assert errors[2].startswith("第 5 行：「专长」：“唱歌”不是可选的值（可选：财务、审计")
        assert errors[3] == "第 5 行：「身份证号」：身份证号校验位不正确，请核对。"
        assert len(errors) == 4
        assert Cadre.objects.count() == cadres and ChangeLog.objects.count() == logs

    @pytest.mark.parametrize("column, raw, message", [
        ("身份证号", "11010119900307123", "身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X。"),
        ("身份证号", "110101199002301234", "身份证号中的出生日期不存在。"),
        ("身份证号", 1.10101199003071e17, "数字超过 15 位，Excel 已把末尾几位变成 0；请把该列设为“文本”格式后重新填写"),
        ("手机号", "12345", "手机号应为 11 位数字，以 13–19 开头。"),
        ("出生日期", 1985.1, "“1985.1”无法确定是 1 月还是 10 月，请填写为 2024-03-01 的形式"),
        ("出生日期", "明年", "日期“明年”格式不正确，应为 2024-03-01 的形式"),
        ("性别", "未知", "“未知”不是可选的值（可选：男、女）"),
        ("职级", None, None),
    ])
    def test_each_error_names_its_column(self, world, office_a, capture, column, raw, message):
        from django import forms
        from django.utils import translation

        with translation.override("zh-hans"):
            message = message or str(forms.Field.default_error_messages["required"])
        job = run(office_a, capture, xlsx([cadre_row(**{column: raw})]))
        assert job.result["errors"] == [f"第 2 行：「{column}」：{message}"]
        assert not Cadre.objects.filter(name="王审计").exists()

    def test_cadre_of_another_county_cannot_be_updated(self, world, office_a, capture):
        job = run(office_a, capture, xlsx([cadre_row("李桐溪", pk=world.cadre_b.pk, unit="桐溪县教育局")]),
                  update=True)
        assert job.result["errors"] == [f"第 2 行：「编号」：编号为 {world.cadre_b.pk} 的记录不存在或您无权修改。"]
        world.cadre_b.refresh_from_db()
        assert world.cadre_b.post == "科员"


class TestCadreTemplateAndExport:
    def test_template_has_dictionary_dropdowns_and_text_id_column(self, world, office_a):
        response = office_a.get(reverse("org:cadre_import_template"))
        wb = load_workbook(io.BytesIO(response.content))
        ws = wb[DATA_SHEET]
        header = [(c.value or "").rstrip("*") for c in ws[1]]
        assert header == [ID_HEADER] + [c.header for c in cadre_resource.importer.columns]
        letters = {h: ws.cell(row=1, column=i + 1).column_letter for i, h in enumerate(header)}
        assert ws.column_dimensions[letters["身份证号"]].number_format == "@"
        assert ws.column_dimensions[letters["出生日期"]].number_format == "yyyy-mm-dd"
        lists = {}
        for validation in ws.data_validations.dataValidation:
            sheet, cells = validation.formula1.rsplit("!", 1)
            column = str(validation.sqref).split(":")[0].rstrip("0123456789")
            lists[column] = [c.value for r in wb[sheet.strip("'")][cells.replace("$", "")] for c in r]
        assert lists[letters["性别"]] == ["男", "女"]
        assert "正科级" in lists[letters["职级"]]

    def test_export_filtered_by_skill(self, world, office_a):
        from xuncha.core.models import DictItem

        expert = make_cadre("财务专家", world.unit_a)
        expert.skills.set(DictItem.objects.filter(dict_type__code="cadre_skill", value__in=["finance", "audit"]))
        rows = rows_of(export(office_a, "?skill=finance"))
        assert [r["姓名"] for r in rows] == ["财务专家"]
        assert rows[0]["专长"] == "财务、审计"

    def test_export_respects_scope(self, world, login):
        names = {r["姓名"] for r in rows_of(export(login(world.users["office_b"])))}
        assert names == {"李桐溪"}

    def test_export_round_trip_keeps_skills(self, world, office_a, capture):
        from xuncha.core.models import DictItem

        world.cadre_a.skills.set(DictItem.objects.filter(dict_type__code="cadre_skill", value="law"))
        job = run(office_a, capture, save(export(office_a)), update=True)
        assert job.status == Job.Status.SUCCEEDED, job.result
        assert [s.value for s in Cadre.objects.get(pk=world.cadre_a.pk).skills.all()] == ["law"]

    def test_import_needs_permission(self, world, login, capture):
        client = login(world.users["leader_a"])
        with capture(execute=True):
            response = client.post(reverse("org:cadre_import"),
                                   {"file": SimpleUploadedFile("干部.xlsx", xlsx([cadre_row()]), content_type=XLSX)})
        assert response.status_code == 403 and not Cadre.objects.filter(name="王审计").exists()
