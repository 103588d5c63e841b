"""Large exports run as a background job, limited to the owner's scope, downloadable by the owner only."""

import io

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.core.models import Job
from xuncha.core.testing.resources import covers
from xuncha.core.testing.world import make_unit

covers("core:job_download")


@pytest.mark.django_db
@override_settings(EXPORT_SYNC_MAX_ROWS=1)
def test_large_export_becomes_a_job_with_a_download(world, login, django_capture_on_commit_callbacks):
    for i in range(4):
        make_unit(f"青阳县导出测试单位{i}", world.county_a, category="village" if i % 2 else "organ")
    client = login(world.users["office_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("org:unit_export"), {"category": "village"})
    assert response.status_code == 302
    job = Job.objects.get(kind="export")
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED and job.total == 2
    page = client.get(response["Location"]).content.decode()
    assert "导出完成：共 2 条" in page and reverse("core:job_download", args=[job.pk]) in page
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200
    rows = list(load_workbook(io.BytesIO(download.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    names = {r[1] for r in rows[1:]}
    assert names == {"青阳县导出测试单位1", "青阳县导出测试单位3"}
    # Somebody else cannot fetch the file, even with the city's wider scope.
    assert login(world.users["city_office"]).get(reverse("core:job_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
@override_settings(EXPORT_SYNC_MAX_ROWS=1)
def test_background_export_keeps_the_scope(world, login, django_capture_on_commit_callbacks):
    make_unit("青阳县另一单位", world.county_a)
    client = login(world.users["office_a"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("org:unit_export"))
    job = Job.objects.get(kind="export")
    content = client.get(reverse("core:job_download", args=[job.pk])).content
    cells = {str(c) for row in load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True)
             for c in row if c is not None}
    assert "青阳县教育局" in cells and "桐溪县教育局" not in cells and "江城市财政局" not in cells
