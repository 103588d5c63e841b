"""Import and export of a set as Excel and YAML: round trips, and bad files refused with Chinese
errors naming the row and field, writing nothing."""

import io

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.core.models import ChangeLog
from xuncha.core.testing.resources import covers
from xuncha.indicators import library, services
from xuncha.indicators.choices import SetStatus
from xuncha.indicators.models import Indicator, IndicatorSet

from .factories import builtin

pytestmark = pytest.mark.django_db
covers("indicators:indicatorset_export", "indicators:indicatorset_import")


def _shape(indicator_set):
    rows = sorted(indicator_set.indicators.values_list("code", "level", "title", "guidance", "evidence",
                                                       "parent__code"))
    templates = {t.kind: (t.name, sorted(i.code for i in t.items.all())) for t in indicator_set.templates.all()}
    return rows, templates


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_export_then_import_gives_the_same_library(world, login, fmt):
    client = login(world.users["office_a"])
    source = builtin()
    url = reverse("indicators:indicatorset_export", args=[source.pk])
    response = client.get(url, {"format": fmt} if fmt == "yaml" else {})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    name = f"library.{fmt}"
    response = client.post(reverse("indicators:indicatorset_import"), {
        "authority": world.county_a.pk, "file": SimpleUploadedFile(name, response.content)})
    assert response.status_code == 302, response.content.decode()[:3000]
    created = IndicatorSet.objects.get(authority=world.county_a)
    assert created.status == SetStatus.DRAFT and created.name == source.name and created.version == 1
    assert _shape(created) == _shape(source)
    assert all(i.root.level == 1 for i in created.indicators.all())
    assert ChangeLog.objects.filter(object_id=str(created.pk), action="import").count() == 1


def test_excel_export_layout(world, login):
    client = login(world.users["office_a"])
    content = client.get(reverse("indicators:indicatorset_export", args=[builtin().pk])).content
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames[:3] == ["基本信息", "指标", "模板"]
    ws = wb["指标"]
    assert [c.value for c in ws[1]] == ["编码*", "上级编码", "层级*", "指标名称*", "检查要点", "典型佐证材料"]
    assert [c.value for c in ws[2]][:3] == ["1", None, 1]
    tws = wb["模板"]
    assert [c.value for c in tws[1]] == ["编码", "指标名称", "机关部门", "国有企业", "事业单位", "乡镇（街道）", "村（社区）"]
    first = [c.value for c in tws[2]]
    assert first[0] == "1.1.1" and first[2] == "√" and first[6] is None  # 第一议题: organs yes, villages no


def _yaml(indicators, templates=None, name="测试指标体系"):
    return yaml.safe_dump({"name": name, "indicators": indicators, "templates": templates or []},
                          allow_unicode=True).encode("utf-8")


GOOD = [{"code": "1", "level": 1, "title": "党的领导"}, {"code": "1.1", "parent": "1", "level": 2, "title": "政治建设"},
        {"code": "1.1.1", "parent": "1.1", "level": 3, "title": "第一议题"}]


@pytest.mark.parametrize(("rows", "templates", "expected"), [
    ([*GOOD, {"code": "1.1", "parent": "1", "level": 2, "title": "重复"}], None,
     "第 4 个指标（编码 1.1）：编码“1.1”重复（第 2 个指标（编码 1.1）已使用）。"),
    ([*GOOD, {"code": "1.2.1", "parent": "1.2", "level": 3, "title": "无上级"}], None,
     "第 4 个指标（编码 1.2.1）：上级编码“1.2”不存在。"),
    ([*GOOD, {"code": "1.9", "parent": "1.1", "level": 2, "title": "层级错"}], None,
     "第 4 个指标（编码 1.9）：层级为 2，但上级指标“1.1”的层级为 2，层级应比上级多一级。"),
    ([*GOOD, {"code": "1.1.2", "parent": "1.1", "level": 3, "title": ""}], None,
     "第 4 个指标（编码 1.1.2）：“指标名称”不能为空。"),
    ([*GOOD, {"code": "", "parent": "1.1", "level": 3, "title": "无编码"}], None, "第 4 个指标：“编码”不能为空。"),
    ([*GOOD, {"code": "1.1.3", "parent": "1.1", "level": 4, "title": "四级"}], None,
     "第 4 个指标（编码 1.1.3）：“层级”应为 1、2 或 3，现为“4”。"),
    ([*GOOD, {"code": "2", "parent": "1", "level": 1, "title": "一级带上级"}], None,
     "第 4 个指标（编码 2）：一级指标不应填写“上级编码”（现为“1”）。"),
    (GOOD, [{"kind": "village", "name": "村模板", "items": ["1.1.1", "9.9.9"]}],
     "第 1 个模板：检查事项编码“9.9.9”不存在。"),
    (GOOD, [{"kind": "village", "name": "村模板", "items": ["1.1"]}],
     "第 1 个模板：“1.1”不是三级指标，模板只能包含三级指标（检查事项）。"),
    (GOOD, [{"kind": "farm", "name": "农场", "items": []}], "第 1 个模板：对象类型“farm”不是可选的值"),
])
def test_bad_yaml_rows_are_named_and_nothing_is_written(world, login, rows, templates, expected):
    client = login(world.users["office_a"])
    before = (IndicatorSet.all_objects.count(), Indicator.all_objects.count(), ChangeLog.objects.count())
    response = client.post(reverse("indicators:indicatorset_import"), {
        "authority": world.county_a.pk, "file": SimpleUploadedFile("bad.yaml", _yaml(rows, templates))})
    assert response.status_code == 200
    body = response.content.decode()
    assert "导入失败，未写入任何数据" in body
    assert expected in body
    assert (IndicatorSet.all_objects.count(), Indicator.all_objects.count(), ChangeLog.objects.count()) == before


def test_bad_excel_rows_are_named(world):
    data = library.library_from_set(builtin())
    wb = load_workbook(io.BytesIO(library.export_excel(data)))
    ws = wb["指标"]
    ws["A5"] = "1.1"  # a duplicate code on row 5
    ws["D7"] = None  # an empty title on row 7
    ws["B9"] = "8.8"  # a missing parent on row 9
    out = io.BytesIO()
    wb.save(out)
    errors = library.validate(library.parse_excel(out.getvalue()))
    assert "“指标”表第 5 行：编码“1.1”重复（“指标”表第 3 行已使用）。" in errors
    assert "“指标”表第 7 行：“指标名称”不能为空。" in errors
    assert "“指标”表第 9 行：上级编码“8.8”不存在。" in errors


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("x.yaml", b"name: [unclosed\nindicators: - a", "YAML 格式有误"),
    ("x.yaml", b"- just\n- a list\n", "YAML 文件应包含 name（名称）和 indicators（指标列表）"),
    ("x.xlsx", b"PK\x03\x04 not really a workbook", "无法读取该文件"),
    ("x.yaml", "name: 测试\nindicators: []\n".encode(), "文件中没有指标"),
])
def test_unreadable_files_get_a_chinese_error(world, login, name, content, expected):
    client = login(world.users["office_a"])
    response = client.post(reverse("indicators:indicatorset_import"), {
        "authority": world.county_a.pk, "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not IndicatorSet.objects.filter(authority=world.county_a).exists()


def test_wrong_extension_and_foreign_authority_are_refused(world, login):
    client = login(world.users["office_a"])
    response = client.post(reverse("indicators:indicatorset_import"), {
        "authority": world.county_a.pk, "file": SimpleUploadedFile("x.csv", b"a,b")})
    assert "请上传 .xlsx、.yaml 或 .yml 文件" in response.content.decode()
    response = client.post(reverse("indicators:indicatorset_import"), {
        "authority": world.county_b.pk, "file": SimpleUploadedFile("x.yaml", _yaml(GOOD))})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not IndicatorSet.objects.filter(authority__in=[world.county_a, world.county_b]).exists()


def test_import_service_is_all_or_nothing(world):
    data = library.parse_yaml(_yaml([*GOOD, {"code": "1.1.2", "parent": "1.1", "level": 3, "title": ""}]))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.indicatorset_import(actor=world.users["office_a"], authority=world.county_a, data=data)
    assert not IndicatorSet.all_objects.filter(authority=world.county_a).exists()


def test_liaison_and_leader_cannot_import(world, login):
    for username in ("liaison_a", "leader_a"):
        client = login(world.users[username])
        assert client.get(reverse("indicators:indicatorset_import")).status_code == 403
