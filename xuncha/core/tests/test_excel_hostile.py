"""Hostile and malformed uploads to a real import page: each gets a clear Chinese error on the page
and leaves nothing behind (no record, no job, no stored file). Also: uploads kept once by SHA-256."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import resolve, reverse
from openpyxl import Workbook

from xuncha.core.excel import DATA_SHEET, ID_HEADER
from xuncha.core.files import blob_path
from xuncha.core.models import Job, StoredFile
from xuncha.org.models import Unit
from xuncha.org.resources import unit_resource

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [ID_HEADER] + [c.header for c in unit_resource.importer.columns]
GOOD_ROW = {"单位名称": "青阳县审计局", "所属区域": "青阳县", "单位类别": "机关部门", "层级": "乡科级", "管理权限": "县管"}


def workbook(rows=(GOOD_ROW,), headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one more member added to its zip."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(name), content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def replace_member(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


def zip_bomb(size: int) -> bytes:
    """A zip that looks like a workbook: a valid skeleton plus a huge, highly compressible member."""
    out = io.BytesIO(workbook())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/padding.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(size >> 20):
                member.write(chunk)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def office_a(world, login):
    return login(world.users["office_a"])


def upload(client, capture, data: bytes, name="导入.xlsx", **extra):
    with capture(execute=True):
        return client.post(reverse("org:unit_import"),
                           {"file": SimpleUploadedFile(name, data, content_type=XLSX), **extra})


def assert_refused(response, message: str, units_before: int):
    assert response.status_code == 400, response.status_code
    page = response.content.decode()
    assert message in page, page[page.find("alert-danger") - 20:page.find("alert-danger") + 400]
    assert Unit.objects.count() == units_before
    assert not Job.objects.exists()
    assert not StoredFile.objects.exists()


class TestRefusedOnThePage:
    @pytest.fixture(autouse=True)
    def _setup(self, world, office_a, django_capture_on_commit_callbacks):
        self.client, self.capture = office_a, django_capture_on_commit_callbacks
        self.units = Unit.objects.count()

    def refused(self, data, message, **kwargs):
        assert_refused(upload(self.client, self.capture, data, **kwargs), message, self.units)

    def test_text_file_renamed_to_xlsx(self):
        self.refused("单位名称,所属区域\n审计局,青阳县\n".encode(), "文件不是有效的 Excel（.xlsx）文件")

    def test_old_xls_name(self):
        self.refused(workbook(), "不支持旧版 .xls 格式，请在 Excel 或 WPS 中另存为 .xlsx 后上传。", name="单位.xls")

    def test_other_extension(self):
        self.refused(workbook(), "只支持 .xlsx 格式的 Excel 文件", name="单位.csv")

    def test_empty_file(self):
        self.refused(b"", "文件为空，请检查后重新上传。")

    def test_no_file_at_all(self):
        with self.capture(execute=True):
            response = self.client.post(reverse("org:unit_import"), {})
        assert_refused(response, "请选择要导入的 Excel 文件。", self.units)

    @override_settings(UPLOAD_MAX_BYTES=2048)
    def test_oversized_file(self):
        self.refused(workbook(), "文件超过大小限制（2 KB）")

    def test_zip_bomb(self):
        # 300 MB of spaces, about 300 KB on the wire: refused from the zip's directory, unread.
        bomb = zip_bomb(300 << 20)
        assert len(bomb) < 1 << 20
        self.refused(bomb, "文件解压后过大，疑似压缩炸弹，已拒绝。")

    @override_settings(IMPORT_MAX_UNCOMPRESSED_BYTES=4 << 20)
    def test_zip_over_the_configured_uncompressed_limit(self):
        self.refused(zip_bomb(8 << 20), "文件解压后过大")

    def test_member_far_more_compressed_than_any_workbook(self):
        self.refused(zip_bomb(16 << 20), "疑似压缩炸弹")

    @pytest.mark.parametrize("name", ["../../etc/evil.xml", "/etc/evil.xml", "xl/../../evil.xml",
                                      "..\\..\\evil.xml", "C:/Windows/evil.xml"])
    def test_path_traversal_member(self, name):
        self.refused(with_member(workbook(), name, b"<x/>"), "文件内部结构异常")

    def test_xml_entity_declaration(self):
        data = replace_member(workbook(), "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
            b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet', 1))
        self.refused(data, "文件含有不允许的 XML 内容（DOCTYPE 声明等），疑似恶意文件，已拒绝。")

    def test_malformed_sheet_xml_at_the_first_row(self):
        # openpyxl reads rows lazily: the break shows up while iterating, and must not be a 500 page.
        data = replace_member(workbook(rows=[GOOD_ROW] * 3), "xl/worksheets/sheet1.xml",
                              lambda xml: xml.replace(b'<row r="2"', b'<row r="2" <<', 1))
        self.refused(data, "文件无法作为 Excel（.xlsx）读取，可能已损坏。")

    def test_malformed_sheet_xml_further_down(self):
        # The page reads only up to the first row; the job reads the rest and says what went wrong.
        data = replace_member(workbook(rows=[GOOD_ROW] * 3), "xl/worksheets/sheet1.xml",
                              lambda xml: xml.replace(b'<row r="4"', b'<row r="4" <<', 1))
        job = Job.objects.get(pk=resolve(upload(self.client, self.capture, data).url).kwargs["pk"])
        assert job.status == Job.Status.FAILED
        assert job.message == "导入失败，未写入任何数据。文件无法作为 Excel（.xlsx）读取，可能已损坏。"
        assert Unit.objects.count() == self.units

    def test_data_sheet_that_is_a_chart(self):
        from openpyxl.chart import BarChart

        wb = Workbook()
        wb.active.title = "其他"
        wb.active.append(HEADERS)
        wb.active.append([GOOD_ROW.get(h) for h in HEADERS])
        wb.create_chartsheet(DATA_SHEET).add_chart(BarChart())
        buffer = io.BytesIO()
        wb.save(buffer)
        response = upload(self.client, self.capture, buffer.getvalue())
        assert response.status_code == 302  # the rows are read from the first real worksheet

    def test_zip_that_is_not_a_workbook(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        self.refused(out.getvalue(), "文件无法作为 Excel（.xlsx）读取，可能已损坏。")

    def test_truncated_workbook(self):
        data = workbook()
        self.refused(data[: len(data) // 2], "文件")

    def test_workbook_without_data_rows(self):
        self.refused(workbook(rows=()), "表格中没有数据行")

    def test_workbook_with_only_blank_rows(self):
        self.refused(workbook(rows=({}, {}, {})), "表格中没有数据行")

    def test_empty_sheet(self):
        self.refused(workbook(rows=(), headers=[]), "表格为空：第 1 行应为列名")

    def test_workbook_missing_a_required_column(self):
        headers = [h for h in HEADERS if h not in ("单位名称", "层级")]
        self.refused(workbook(headers=headers), "缺少必填列：「单位名称」、「层级」。请使用系统模板。")

    def test_the_downloaded_template_unfilled(self):
        template = self.client.get(reverse("org:unit_import_template")).content
        self.refused(template, "表格中没有数据行")


class TestRefusedInTheJob:
    @override_settings(IMPORT_MAX_ROWS=3)
    def test_too_many_rows(self, world, office_a, django_capture_on_commit_callbacks):
        units = Unit.objects.count()
        response = upload(office_a, django_capture_on_commit_callbacks, workbook(rows=[GOOD_ROW] * 4))
        job = Job.objects.get(pk=resolve(response.url).kwargs["pk"])
        assert job.status == Job.Status.FAILED
        assert job.message == "导入失败，未写入任何数据。一次最多导入 3 行，请分批导入。"
        assert Unit.objects.count() == units

    def test_a_tampered_blob_is_not_imported(self, world, office_a, django_capture_on_commit_callbacks):
        from xuncha.core.tasks import run_import_job

        with django_capture_on_commit_callbacks(execute=False):  # keep the job queued
            response = office_a.post(reverse("org:unit_import"), {
                "file": SimpleUploadedFile("a.xlsx", workbook(), content_type=XLSX)})
        job = Job.objects.get(pk=resolve(response.url).kwargs["pk"])
        blob_path(job.input_file.sha256).write_bytes(workbook(rows=[dict(GOOD_ROW, 单位名称="偷换的单位")]))
        run_import_job(job.pk)
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED and "校验值不符" in job.message
        assert not Unit.objects.filter(name__in=["青阳县审计局", "偷换的单位"]).exists()


class TestStoredOnce:
    def test_same_file_twice_is_stored_once(self, world, office_a, django_capture_on_commit_callbacks):
        data = workbook()
        first = upload(office_a, django_capture_on_commit_callbacks, data, name="第一次.xlsx")
        second = upload(office_a, django_capture_on_commit_callbacks, data, name="第二次.xlsx")
        jobs = [Job.objects.get(pk=resolve(r.url).kwargs["pk"]) for r in (first, second)]
        digest = hashlib.sha256(data).hexdigest()
        assert StoredFile.objects.count() == 1
        stored = StoredFile.objects.get()
        assert stored.sha256 == digest and stored.size == len(data) and stored.original_name == "第一次.xlsx"
        assert {j.input_file_id for j in jobs} == {stored.pk}
        assert blob_path(digest).read_bytes() == data
        assert [p.name for p in blob_path(digest).parent.iterdir()] == [digest]  # no temporary files left
        assert Unit.objects.filter(name="青阳县审计局").count() == 2  # two imports, as asked

    def test_a_damaged_blob_is_written_again(self, world):
        from xuncha.core.files import read_bytes, store_bytes

        stored = store_bytes(b"original bytes", name="a.bin")
        blob_path(stored.sha256).write_bytes(b"damaged")
        again = store_bytes(b"original bytes", name="b.bin")
        assert again.pk == stored.pk and read_bytes(again) == b"original bytes"

    def test_different_files_are_stored_apart(self, world, office_a, django_capture_on_commit_callbacks):
        upload(office_a, django_capture_on_commit_callbacks, workbook())
        upload(office_a, django_capture_on_commit_callbacks, workbook(rows=[dict(GOOD_ROW, 单位名称="另一单位")]))
        assert StoredFile.objects.count() == 2
