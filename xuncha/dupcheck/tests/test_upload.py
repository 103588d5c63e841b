"""Uploads: real .docx, PDFs and zips; every bad input is refused in Chinese and stores nothing."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from textsim.tests.pdfgen import chinese_text_pdf, scanned_pdf
from xuncha.core.models import ChangeLog, StoredFile
from xuncha.core.testing.world import make_cadre
from xuncha.dupcheck.models import Document, IndexEntry, Scan

from .factories import KIND_DEBRIEFING, docx_bytes, report_pair, uploaded, zip_bytes

UPLOAD = "dupcheck:document_upload"
OLE = bytes.fromhex("D0CF11E0A1B11AE1")


def _form(world, file, **extra):
    data = {"file": file, "unit": world.unit_a.pk, "cadre": world.cadre_a.pk, "year": 2023, "kind": KIND_DEBRIEFING}
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def _counts():
    return Document.all_objects.count(), StoredFile.objects.count(), IndexEntry.objects.count(), Scan.objects.count()


@pytest.mark.django_db
def test_docx_upload_is_stored_indexed_logged_and_checked(world, login, django_capture_on_commit_callbacks):
    text, _ = report_pair("张青阳")
    client = login(world.users["office_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(UPLOAD), _form(world, uploaded("张青阳2023年述职述廉报告.docx", docx_bytes(text))))
    doc = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dupcheck:document_detail", args=[doc.pk])
    assert (doc.cadre, doc.unit, doc.region, doc.year, doc.author) == (
        world.cadre_a, world.unit_a, world.county_a, 2023, "张青阳")
    assert "加强理论学习" in doc.text and doc.char_count == len(doc.text)
    assert doc.file.original_name == "张青阳2023年述职述廉报告.docx" and doc.uploaded_by == world.users["office_a"]
    assert IndexEntry.objects.get().doc_id == str(doc.pk) and doc.checked_at is not None
    assert ChangeLog.objects.filter(object_id=str(doc.pk), action="create", content_type__model="document").exists()
    scan = Scan.objects.get()
    assert scan.mode == "upload" and scan.job.status == "succeeded"
    page = client.get(response["Location"]).content.decode()
    assert "张青阳 2023年度 述职述廉报告" in page and "未发现与您授权范围内其他材料相同的段落" in page


@pytest.mark.django_db
def test_text_pdf_is_read(world, login):
    pdf = chinese_text_pdf(["二〇二三年度述职述廉报告", "坚持把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务。"])
    response = login(world.users["office_a"]).post(reverse(UPLOAD), _form(world, uploaded("报告.pdf", pdf)))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "首要政治任务" in Document.objects.get().text


@pytest.mark.django_db
def test_zip_upload_places_each_file_by_name_and_year(world, login, django_capture_on_commit_callbacks):
    wang = make_cadre("王青山", world.unit_a)
    zhang23, zhang24 = report_pair("张青阳", seed=1)
    wang23, _ = report_pair("王青山", seed=2)
    archive = zip_bytes({
        "述职报告/张青阳2023年述职述廉报告.docx": docx_bytes(zhang23),
        "述职报告/张青阳2024年述职述廉报告.docx": docx_bytes(zhang24),
        "述职报告/王青山2023年.docx": docx_bytes(wang23),
        "__MACOSX/述职报告/._王青山2023年.docx": b"junk",
        "述职报告/.DS_Store": b"junk",
    })
    client = login(world.users["office_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(UPLOAD), _form(world, uploaded("青阳县教育局述职报告.zip", archive),
                                                      cadre="", year=""))
    assert response.status_code == 302, response.content.decode()[:3000]
    placed = sorted((d.cadre.name, d.year) for d in Document.objects.all())
    assert placed == [("张青阳", 2023), ("张青阳", 2024), ("王青山", 2023)]
    scan = Scan.objects.get()
    assert response["Location"] == reverse("dupcheck:scan_detail", args=[scan.pk])
    page = client.get(response["Location"]).content.decode()
    # The upload's own check finds the 2024 re-use of 2023: both are in one cluster, 2023 the likely source.
    assert "疑似雷同材料（2 份）" in page and "王青山" in page
    clusters = client.get(reverse("dupcheck:scan_clusters", args=[scan.pk])).content.decode()
    assert "疑似来源为 张青阳 2023年度 述职述廉报告" in clusters and wang.pk


BAD_INPUTS = [
    ("corrupt docx", "损坏.docx", b"PK\x03\x04" + b"not really a zip" * 20, "Word 文件加密或损坏"),
    ("encrypted docx", "加密.docx", OLE + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64,
     "已加密"),
    ("renamed old doc", "旧格式.docx", OLE + b"\x00" * 512, "另存为 .docx"),
    ("old .doc", "旧版报告.doc", OLE + b"\x00" * 512, "请另存为 .docx 后上传"),
    ("empty", "空文件.docx", b"", "文件为空"),
    ("scanned pdf", "扫描件.pdf", scanned_pdf(), "扫描件无文字层"),
    ("wps", "报告.wps", b"WPS data" * 10, "WPS 文字文件请另存为 .docx"),
    ("zip bomb", "炸弹.zip", zip_bytes({"a.txt": b"0" * (5 * 1024 * 1024)}), "压缩炸弹"),
    ("path traversal", "穿越.zip", zip_bytes({"../../etc/张青阳.txt": "正文内容".encode()}), "不安全的路径"),
    ("absolute path", "绝对路径.zip", zip_bytes({"/tmp/张青阳.txt": "正文内容".encode()}), "不安全的路径"),
    ("nested zip", "套娃.zip", zip_bytes({"inner.zip": zip_bytes({"a.txt": b"x"})}), "嵌套的压缩包"),
    ("corrupt zip", "坏的.zip", b"PK\x03\x04broken", "压缩包已损坏"),
    ("empty zip", "空的.zip", zip_bytes({}), "没有可检测的文件"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "name", "data", "message"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_refused_in_chinese_and_stores_nothing(world, login, case, name, data, message):
    before = _counts()
    logs = ChangeLog.objects.count()
    response = login(world.users["office_a"]).post(reverse(UPLOAD), _form(world, uploaded(name, data)))
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body, body[body.find("alert"):][:1500]
    assert "「文件」" in body and name in body  # the field and the file are named
    assert _counts() == before and ChangeLog.objects.count() == logs


@pytest.mark.django_db
@override_settings(UPLOAD_MAX_BYTES=4096)
def test_oversized_file_is_refused(world, login):
    text, _ = report_pair("张青阳")
    data = docx_bytes(text)
    assert len(data) > 4096
    before = _counts()
    response = login(world.users["office_a"]).post(reverse(UPLOAD), _form(world, uploaded("大文件.docx", data)))
    assert response.status_code == 400
    assert "文件超过大小限制（4 KB）" in response.content.decode()
    assert _counts() == before


@pytest.mark.django_db
def test_one_bad_file_in_a_zip_refuses_the_whole_upload(world, login):
    text, _ = report_pair("张青阳")
    archive = zip_bytes({"张青阳2023.docx": docx_bytes(text), "张青阳扫描件2022.pdf": scanned_pdf(),
                         "张青阳2021.doc": OLE + b"\x00" * 512})
    before = _counts()
    body = login(world.users["office_a"]).post(reverse(UPLOAD), _form(world, uploaded("批量.zip", archive),
                                                                       cadre="")).content.decode()
    assert "“批量.zip/张青阳扫描件2022.pdf”：扫描件无文字层" in body
    assert "“批量.zip/张青阳2021.doc”：旧版 Word 文件（.doc）" in body
    assert _counts() == before


@pytest.mark.django_db
def test_file_that_names_no_cadre_of_the_unit_is_refused(world, login):
    text, _ = report_pair("某某某")
    archive = zip_bytes({"无名氏2023.docx": docx_bytes(text.replace("姓名：某某某", "姓名：无此人"))})
    before = _counts()
    body = login(world.users["office_a"]).post(reverse(UPLOAD), _form(world, uploaded("批量.zip", archive),
                                                                       cadre="")).content.decode()
    assert "无法确定是哪位干部的材料" in body and _counts() == before


@pytest.mark.django_db
def test_same_file_twice_is_recognised_and_stored_once(world, login):
    wang = make_cadre("王青山", world.unit_a)
    data = docx_bytes(report_pair("张青阳")[0])
    client = login(world.users["office_a"])
    assert client.post(reverse(UPLOAD), _form(world, uploaded("报告.docx", data))).status_code == 302
    again = client.post(reverse(UPLOAD), _form(world, uploaded("报告（副本）.docx", data)))
    assert again.status_code == 400 and "未重复保存" in again.content.decode()
    assert Document.objects.count() == 1 and StoredFile.objects.count() == 1
    # The same bytes filed for another cadre are a new document (and an exact copy), still one blob.
    other = client.post(reverse(UPLOAD), _form(world, uploaded("报告.docx", data), cadre=wang.pk))
    assert other.status_code == 302
    assert Document.objects.count() == 2 and StoredFile.objects.count() == 1
    twice = zip_bytes({"张青阳a.docx": data, "张青阳b.docx": data})
    body = client.post(reverse(UPLOAD), _form(world, uploaded("两份.zip", twice), year=2022)).content.decode()
    assert "内容完全相同" in body and Document.objects.count() == 2


@pytest.mark.django_db
def test_form_names_its_fields_and_limits_choices_to_scope(world, login):
    client = login(world.users["office_a"])
    body = client.post(reverse(UPLOAD), {}).content.decode()
    for label in ("「文件」", "「单位（班子）」", "「材料类型」"):
        assert label in body
    form = client.get(reverse(UPLOAD)).content.decode()
    assert "青阳县教育局" in form and "桐溪县教育局" not in form
    # Another county's unit or cadre cannot even be named.
    data = docx_bytes(report_pair("李桐溪")[0])
    refused = client.post(reverse(UPLOAD), {"file": uploaded("李桐溪.docx", data), "unit": world.unit_b.pk,
                                            "cadre": world.cadre_b.pk, "year": 2023, "kind": KIND_DEBRIEFING})
    assert refused.status_code == 400 and "「单位（班子）」" in refused.content.decode()
    mismatch = client.post(reverse(UPLOAD), {"file": uploaded("x.docx", data), "unit": world.unit_a.pk,
                                             "cadre": world.cadre_b.pk, "year": 2023, "kind": KIND_DEBRIEFING})
    assert "「干部」" in mismatch.content.decode()
    assert Document.objects.count() == 0
    # The cadre list follows the unit chosen (htmx).
    partial = client.get(reverse(UPLOAD), {"unit": world.unit_a.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "张青阳" in partial and 'id="cadre-field"' in partial


@pytest.mark.django_db
def test_api_upload_and_its_errors(world, login, django_capture_on_commit_callbacks):
    client = login(world.users["office_a"])
    url = reverse("api:dupcheckdocument-list")
    text, _ = report_pair("张青阳")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _form(world, uploaded("张青阳2023.docx", docx_bytes(text))))
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["documents"][0]["cadre_name"] == "张青阳" and body["scan"]
    bad = client.post(url, _form(world, uploaded("扫描件.pdf", scanned_pdf())))
    assert bad.status_code == 400 and "扫描件无文字层" in bad.json()["file"][0]
    assert Document.objects.count() == 1
    reader = login(world.users["leader_a"])
    assert reader.post(url, _form(world, uploaded("a.docx", docx_bytes(text)), year=2020)).status_code == 403
