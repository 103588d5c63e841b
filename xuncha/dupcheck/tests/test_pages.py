"""The pages and exports of the duplicate check, through the browser's routes (scope rules: test_scope.py)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.core.models import ChangeLog, Job
from xuncha.core.testing.resources import covers
from xuncha.core.testing.world import make_cadre
from xuncha.documents.reading import docx_text
from xuncha.dupcheck.models import Document, Scan

from .factories import KIND_SELF_CRITICISM, copied_pair, report_pair, unique_text, upload_text

covers(
    "dupcheck:document_list", "dupcheck:document_upload", "dupcheck:document_export", "dupcheck:document_detail",
    "dupcheck:document_file_export", "dupcheck:document_delete", "dupcheck:pair_detail", "dupcheck:scan_list",
    "dupcheck:scan_add", "dupcheck:scan_detail", "dupcheck:scan_clusters", "dupcheck:scan_export",
    "dupcheck:scan_word_export",
    "api:dupcheckdocument-list", "api:dupcheckdocument-detail", "api:dupcheckdocument-matches",
    "api:dupcheckscan-list", "api:dupcheckscan-detail",
)


@pytest.fixture
def reports(world):
    """County A: 张青阳's 2023 report re-used in 2024, and 王青山's material copied from 张青阳's."""
    office = world.users["office_a"]
    wang = make_cadre("王青山", world.unit_a)
    r2023, r2024 = report_pair("张青阳")
    d2023 = upload_text(office, world.cadre_a, 2023, r2023, as_docx=True)
    d2024 = upload_text(office, world.cadre_a, 2024, r2024, as_docx=True)
    original, copy = copied_pair("张青阳", "王青山")
    s1 = upload_text(office, world.cadre_a, 2024, original, kind=KIND_SELF_CRITICISM, meeting="2024年度民主生活会")
    s2 = upload_text(office, wang, 2024, copy, kind=KIND_SELF_CRITICISM, meeting="2024年度民主生活会")
    return {"d2023": d2023, "d2024": d2024, "s1": s1, "s2": s2}


def _start(client, data, capture):
    with capture(execute=True):
        response = client.post(reverse("dupcheck:scan_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Scan.objects.order_by("-pk").first(), response


@pytest.mark.django_db
def test_scan_through_the_pages(world, login, reports, django_capture_on_commit_callbacks):
    client = login(world.users["office_a"])
    form = client.get(reverse("dupcheck:scan_add"), {"mode": "cadre", "year": 2024}).content.decode()
    assert 'id="scan-count">3<' in form  # a preview of the documents chosen
    scan, response = _start(client, {"mode": "cadre", "year": 2024}, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("dupcheck:scan_detail", args=[scan.pk])
    assert scan.job.status == Job.Status.SUCCEEDED and scan.job.kind == "dupcheck_scan"
    page = client.get(response["Location"]).content.decode()
    assert "疑似雷同材料（1 份）" in page and "总文字复制比" in page and "单篇最大文字复制比" in page
    assert "去除公共表述复制比" in page and "标记段落" in page
    flagged = page[page.index('id="flagged-table"'):page.index("</table>", page.index('id="flagged-table"'))]
    assert "张青阳 2024年度 述职述廉报告" in flagged and "王青山" not in flagged
    assert "本人其他年度" in page  # the relation of the pair to compare side by side
    # The job page of the kernel knows the job as well, and the list of scans shows it.
    assert client.get(reverse("core:job_detail", args=[scan.job_id])).status_code == 200
    listing = client.get(reverse("dupcheck:scan_list")).content.decode()
    assert scan.job.title in listing and "上传后自动比对" not in listing.split('id="result-table"')[1]
    assert "上传后自动比对" in client.get(reverse("dupcheck:scan_list"), {"upload": "1"}).content.decode()
    # The clusters page marks the earlier year as the likely source.
    clusters = client.get(reverse("dupcheck:scan_clusters", args=[scan.pk])).content.decode()
    assert "疑似来源为 张青阳 2023年度 述职述廉报告" in clusters and "疑似来源（最早）" in clusters


@pytest.mark.django_db
def test_progress_is_polled_until_the_job_is_done(world, login, reports):
    from xuncha.dupcheck import services
    from xuncha.dupcheck.tasks import run_scan_job

    client = login(world.users["office_a"])
    scan = services.scan_start(actor=world.users["office_a"], mode="scope", documents=Document.objects.all())
    # The job has not run (its start waits for the commit): the page polls a partial with the progress.
    page = client.get(reverse("dupcheck:scan_detail", args=[scan.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "排队中" in page
    partial = client.get(reverse("dupcheck:scan_detail", args=[scan.pk]), HTTP_HX_REQUEST="true")
    assert 'id="scan-status"' in partial.content.decode() and "<html" not in partial.content.decode()
    run_scan_job(scan.pk)
    done = client.get(reverse("dupcheck:scan_detail", args=[scan.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"  # the finished page shows the findings
    assert "疑似雷同材料" in client.get(reverse("dupcheck:scan_detail", args=[scan.pk])).content.decode()


@pytest.mark.django_db
def test_scan_form_errors_are_named(world, login):
    client = login(world.users["office_a"])
    body = client.post(reverse("dupcheck:scan_add"), {}).content.decode()
    assert "「比对方式」" in body
    body = client.post(reverse("dupcheck:scan_add"), {"mode": "scope"}).content.decode()
    assert "没有符合条件的材料" in body and not Scan.objects.exists()


@pytest.mark.django_db
def test_side_by_side_view_highlights_and_escapes(world, login, reports):
    client = login(world.users["office_a"])
    detail = client.get(reverse("dupcheck:document_detail", args=[reports["s2"].pk])).content.decode()
    assert "同一会议" in detail and "近乎相同" in detail and '<mark class="copy"' in detail
    pair_url = detail[detail.index("/dupcheck/pairs/"):].split('"')[0].replace("&amp;", "&")
    page = client.get(pair_url).content.decode()
    assert page.count('<mark class="copy"') >= 2 and "data-p=" in page
    assert "王青山 2024年度 民主生活会对照检查材料" in page and "张青阳 2024年度 民主生活会对照检查材料" in page
    # Text from a report is escaped, never interpreted.
    hostile = upload_text(world.users["office_a"], world.cadre_a, 2020,
                          "<script>alert('x')</script>\n" + unique_text(1))
    body = client.get(reverse("dupcheck:document_detail", args=[hostile.pk])).content.decode()
    assert "<script>alert(" not in body and "&lt;script&gt;alert(" in body


@pytest.mark.django_db
def test_exports_excel_and_word_report(world, login, reports, django_capture_on_commit_callbacks):
    client = login(world.users["office_a"])
    scan, _ = _start(client, {"mode": "team", "year": 2024}, django_capture_on_commit_callbacks)
    response = client.get(reverse("dupcheck:scan_export", args=[scan.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    assert wb.sheetnames == ["检测结果", "比对明细", "近乎相同聚类", "标记段落"]
    rows = list(wb["检测结果"].iter_rows(values_only=True))
    assert rows[1][0] == "序号" and any(r[1] == "王青山" and r[-1] == "是" for r in rows[2:])
    pairs = list(wb["比对明细"].iter_rows(values_only=True))
    assert any(r[4] == "同一会议" and r[8] == "近乎相同" for r in pairs[2:])
    word = client.get(reverse("dupcheck:scan_word_export", args=[scan.pk]))
    assert word["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = docx_text(word.content)
    for expected in ("述职述廉报告雷同检测报告", "一、检测概况", "二、疑似雷同材料", "三、近乎相同材料", "四、逐对比对情况",
                     "王青山", "相同片段：", "疑似来源"):
        assert expected in text, expected
    xml = zipfile.ZipFile(io.BytesIO(word.content)).read("word/document.xml").decode()
    assert 'w:eastAsia="方正小标宋简体"' in xml and 'w:eastAsia="仿宋_GB2312"' in xml  # GB/T 9704 layout
    listing = client.get(reverse("dupcheck:document_export"), {"kind": KIND_SELF_CRITICISM})
    cells = [r for r in load_workbook(io.BytesIO(listing.content), read_only=True).worksheets[0].iter_rows(
        values_only=True)]
    assert {r[1] for r in cells[2:]} == {"张青阳", "王青山"}
    # Group members may scan but not export.
    assert login(world.users["leader_a"]).get(reverse("dupcheck:scan_export", args=[scan.pk])).status_code == 404


@pytest.mark.django_db
def test_original_file_download_and_delete(world, login, reports):
    client = login(world.users["office_a"])
    doc = reports["d2023"]
    response = client.get(reverse("dupcheck:document_file_export", args=[doc.pk]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert client.get(reverse("dupcheck:document_delete", args=[doc.pk])).status_code == 200
    assert client.post(reverse("dupcheck:document_delete", args=[doc.pk])).status_code == 302
    assert not Document.objects.filter(pk=doc.pk).exists() and Document.all_objects.get(pk=doc.pk).is_deleted
    assert ChangeLog.objects.filter(object_id=str(doc.pk), action="delete").exists()
    assert client.get(reverse("dupcheck:document_detail", args=[doc.pk])).status_code == 404
    detail = client.get(reverse("dupcheck:document_detail", args=[reports["d2024"].pk])).content.decode()
    assert "2023年度" not in detail.split('id="match-table"')[1].split("</table>")[0]
    api = client.delete(reverse("api:dupcheckdocument-detail", args=[reports["d2024"].pk]))
    assert api.status_code == 204


@pytest.mark.django_db
def test_list_filters_and_constant_query_count(world, login, reports):
    client = login(world.users["office_a"])
    url = reverse("dupcheck:document_list")
    flagged = client.get(url, {"flagged": "true"}).content.decode()
    for name in ("张青阳 2024", "王青山"):
        assert name.split()[0] in flagged
    table = flagged[flagged.index('id="result-table"'):]
    assert table.count('<span class="badge bg-danger">疑似雷同</span>') == 4
    assert "2023" in client.get(url, {"year": 2023}).content.decode()
    client.get(url)  # warm the dictionary cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(15):
        upload_text(world.users["office_a"], world.cadre_a, 2000 + i, unique_text(200 + i))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    api = reverse("api:dupcheckdocument-list")
    client.get(api)  # warm: the first API request loads what later ones find cached
    with CaptureQueriesContext(connection) as api_many:
        assert client.get(api).status_code == 200
    upload_text(world.users["office_a"], world.cadre_a, 1999, unique_text(999))
    with CaptureQueriesContext(connection) as api_more:
        assert client.get(api).status_code == 200
    assert len(api_more.captured_queries) == len(api_many.captured_queries)


@pytest.mark.django_db
def test_api_scan_start_and_results(world, login, reports, django_capture_on_commit_callbacks):
    client = login(world.users["office_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("api:dupcheckscan-list"), {"mode": "cadre", "document": reports["d2024"].pk},
                               content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    scan_id = response.json()["id"]
    result = client.get(reverse("api:dupcheckscan-detail", args=[scan_id])).json()
    assert result["scan"]["status"] == "succeeded" and result["scan"]["percent"] == 100
    row = result["documents"][0]
    assert row["document"]["id"] == reports["d2024"].pk and row["flagged"] and row["score"]["copy_ratio"] > 0.7
    assert result["pairs"][0]["partner"] == reports["d2023"].pk
    assert result["clusters"] == [[reports["d2023"].pk, reports["d2024"].pk]]
    matches = client.get(reverse("api:dupcheckdocument-matches", args=[reports["d2024"].pk])).json()
    assert matches[0]["partner"]["id"] == reports["d2023"].pk and matches[0]["spans"]
    assert client.post(reverse("api:dupcheckscan-list"), {"mode": "nonsense"},
                       content_type="application/json").status_code == 400
    assert client.get(reverse("api:schema")).status_code == 200


@pytest.mark.django_db
def test_demo_command(world, django_capture_on_commit_callbacks):
    for name in ("王青山", "赵青林", "孙青禾", "周青松"):
        make_cadre(name, world.unit_a)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # outside tests the uploads commit one by one
        call_command("dupcheck_demo", user="office_a", stdout=out)
    assert Document.objects.count() == 15 and "上传 15 份演示材料" in out.getvalue()
    reuse, copy = Scan.objects.get(mode="cadre"), Scan.objects.get(mode="team")
    assert reuse.summary["flagged"] == 2 and reuse.summary["clusters"] == 2  # two reports re-used a year later
    assert copy.summary["flagged"] == 2 and copy.summary["clusters"] == 1  # one material copied by a colleague
    again = io.StringIO()
    call_command("dupcheck_demo", user="office_a", if_empty=True, stdout=again)
    assert "跳过" in again.getvalue() and Document.objects.count() == 15
    call_command("dupcheck_reindex", stdout=io.StringIO())


@pytest.mark.django_db
def test_exports_survive_control_characters_and_formulas(world, login, django_capture_on_commit_callbacks):
    office = world.users["office_a"]
    wang = make_cadre("王青山", world.unit_a)
    original, copy = copied_pair("张青阳", "王青山", seed=3)
    original = "=HYPERLINK(\"http://x\")\x00\x01\x0b\n" + original.replace("。", "。\x02", 3)
    upload_text(office, world.cadre_a, 2024, original, filename="=cmd.txt")
    upload_text(office, wang, 2024, copy.replace("。", "。\x02", 3))
    client = login(office)
    scan, _ = _start(client, {"mode": "scope"}, django_capture_on_commit_callbacks)
    workbook = client.get(reverse("dupcheck:scan_export", args=[scan.pk]))
    assert workbook.status_code == 200
    cells = {str(c) for ws in load_workbook(io.BytesIO(workbook.content), read_only=True).worksheets
             for row in ws.iter_rows(values_only=True) for c in row if c is not None}
    assert "'=cmd.txt" in cells and not any("\x02" in c for c in cells)
    assert client.get(reverse("dupcheck:scan_word_export", args=[scan.pk])).status_code == 200
