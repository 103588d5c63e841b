"""Pledges: Word documents per member (GB/T 9704 XML), signed copies uploaded and tracked, who has
not signed before the mobilisation meeting."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuncha.core.testing.resources import covers
from xuncha.teams.models import Pledge
from xuncha.teams.selectors import pledge_overview

from .factories import group_user, make_group, make_round, member

covers("teams:groupmember_pledge_word", "teams:groupmember_pledge_upload", "teams:pledge_file",
       "teams:pledge_overview", "api:pledge-list", "api:pledge-detail")


def _xml(content: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode("utf-8")


@pytest.fixture
def setup(world):
    round_ = make_round(world.county_a, start=datetime.date(2026, 12, 10))
    group = make_group(round_, 1, targets=[world.unit_a])
    m = member(group, world.cadre_a, joined_on=datetime.date(2026, 12, 1))
    return round_, group, m


@pytest.mark.django_db
def test_pledge_word_documents(world, login, setup):
    _, group, m = setup
    client = login(world.users["office_a"])
    response = client.get(reverse("teams:groupmember_pledge_word", args=[m.pk]) + "?kind=confidentiality")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    xml = _xml(response.content)
    assert "保密承诺书" in xml and "张青阳" in xml and "青阳县教育局" in xml
    assert 'w:eastAsia="方正小标宋简体"' in xml and 'w:eastAsia="仿宋_GB2312"' in xml
    assert "不泄露巡察工作中知悉的国家秘密" in xml
    assert "承诺人（签字）" in xml and "2026年12月10日" in xml  # the mobilisation date (the round's start)
    settings_xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert 'w:pgSz w:w="11906" w:h="16838"' in settings_xml  # A4
    duty = _xml(client.get(reverse("teams:groupmember_pledge_word", args=[m.pk]) + "?kind=duty").content)
    assert "履职尽责承诺书" in duty and "严格执行回避制度" in duty
    assert client.get(reverse("teams:groupmember_pledge_word", args=[m.pk]) + "?kind=x").status_code == 404


@pytest.mark.django_db
def test_upload_signed_copy_and_track_unsigned(world, login, setup):
    round_, group, m = setup
    client = login(world.users["office_a"])
    views = pledge_overview(world.users["office_a"], round_, today=datetime.date(2026, 12, 11))
    assert views[0].unsigned == 2 and views[0].overdue
    upload = SimpleUploadedFile("签字件.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = client.post(reverse("teams:groupmember_pledge_upload", args=[m.pk]),
                           {"kind": "confidentiality", "signed_on": "2026-12-05", "file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    pledge = Pledge.objects.get()
    assert pledge.signed_on == datetime.date(2026, 12, 5)
    views = pledge_overview(world.users["office_a"], round_, today=datetime.date(2026, 12, 1))
    assert views[0].unsigned == 1 and not views[0].overdue and views[0].days_left == 9
    body = client.get(reverse("teams:pledge_overview"), {"round": round_.pk}).content.decode()
    assert "履职尽责承诺书" in body
    download = client.get(reverse("teams:pledge_file", args=[pledge.pk]))
    assert download.status_code == 200 and b"".join(download) == b"%PDF-1.4 signed"
    bad = SimpleUploadedFile("签字件.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(reverse("teams:groupmember_pledge_upload", args=[m.pk]),
                           {"kind": "duty", "signed_on": "2026-12-05", "file": bad})
    assert response.status_code == 200 and "签字件应为 PDF" in response.content.decode()


@pytest.mark.django_db
def test_pledges_are_scoped(world, login, setup):
    _, group, m = setup
    from xuncha.core.files import store_bytes

    pledge = Pledge.objects.create(member=m, kind="duty", authority=world.county_a, group=group,
                                   signed_file=store_bytes(b"x", name="a.pdf"), signed_on=datetime.date(2026, 12, 1))
    client = login(world.users["office_b"])
    assert client.get(reverse("teams:groupmember_pledge_word", args=[m.pk])).status_code == 404
    assert client.get(reverse("teams:groupmember_pledge_upload", args=[m.pk])).status_code == 404
    assert client.get(reverse("teams:pledge_file", args=[pledge.pk])).status_code == 404
    assert client.get(reverse("api:pledge-detail", args=[pledge.pk])).status_code == 404
    # a member of the group downloads their own group's pledges
    client = login(group_user("member_a", "group_member", group))
    assert client.get(reverse("teams:groupmember_pledge_word", args=[m.pk])).status_code == 200
    assert client.get(reverse("teams:pledge_file", args=[pledge.pk])).status_code == 200
    assert client.get(reverse("teams:groupmember_pledge_upload", args=[m.pk])).status_code == 403  # cannot upload
