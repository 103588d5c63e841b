"""Only users whose scope covers the cadre see a document, and a match only when they see both documents.

County B's report copies county A's. The city sees the copy; county B's officer sees neither county A's
document nor that his own report matches anything (its scores count only what he can see).
"""

from __future__ import annotations

import io

import pytest
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.core.testing.resources import result_rows
from xuncha.documents.reading import docx_text
from xuncha.dupcheck import selectors, services
from xuncha.dupcheck.models import Document, DocumentMatch

from .factories import KIND_SELF_CRITICISM, copied_pair, upload_text


@pytest.fixture
def copied(world):
    """A's material (張青阳, county A) and B's copy of it (李桐溪, county B), each uploaded by its own office."""
    original, copy = copied_pair("张青阳", "李桐溪")
    a = upload_text(world.users["office_a"], world.cadre_a, 2024, original, kind=KIND_SELF_CRITICISM)
    b = upload_text(world.users["office_b"], world.cadre_b, 2024, copy, kind=KIND_SELF_CRITICISM)
    match = DocumentMatch.objects.get()  # found by the upload check, which compares with everything
    assert {match.doc_a_id, match.doc_b_id} == {a.pk, b.pk} and match.near_duplicate
    return a, b, match


def _xlsx_cells(content: bytes) -> set[str]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return {str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None}


def _scan(actor, mode, documents):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.scan_start(actor=actor, mode=mode, documents=documents)


@pytest.mark.django_db
def test_the_city_sees_the_copy_across_counties(world, login, copied):
    a, b, match = copied
    client = login(world.users["city_office"])
    body = client.get(reverse("dupcheck:document_list"), {"flagged": "true"}).content.decode()
    assert "张青阳" in body and "李桐溪" in body
    detail = client.get(reverse("dupcheck:document_detail", args=[b.pk])).content.decode()
    assert "张青阳 2024年度 民主生活会对照检查材料" in detail and "近乎相同" in detail
    assert client.get(reverse("dupcheck:pair_detail", args=[match.pk])).status_code == 200
    scan = _scan(world.users["city_office"], "scope", Document.objects.all())
    result = selectors.scan_result(world.users["city_office"], scan)
    assert {r.doc.pk for r in result.flagged} == {a.pk, b.pk}


@pytest.mark.django_db
def test_county_b_never_sees_county_a_documents_or_matches(world, login, copied):
    a, b, match = copied
    office_b = world.users["office_b"]
    client = login(office_b)
    # List and filters.
    body = client.get(reverse("dupcheck:document_list")).content.decode()
    assert "李桐溪" in body and "张青阳" not in body and "疑似雷同</span>" not in body
    for params in ({"flagged": "true"}, {"region": world.county_a.pk}, {"unit": world.unit_a.pk}, {"q": "张青阳"}):
        rows = result_rows(client.get(reverse("dupcheck:document_list"), params).content.decode())
        assert "张青阳" not in rows, params
    # Detail of its own document: no match, nothing copied (the copy's source is out of scope).
    detail = client.get(reverse("dupcheck:document_detail", args=[b.pk])).content.decode()
    assert "张青阳" not in detail and "未发现与您授权范围内其他材料相同的段落" in detail
    assert 'id="copy-ratio">0.0%' in detail
    # Everything naming county A's document or the pair is a 404.
    for name, pk in (("document_detail", a.pk), ("document_file_export", a.pk), ("document_delete", a.pk),
                     ("pair_detail", match.pk)):
        assert client.get(reverse(f"dupcheck:{name}", args=[pk])).status_code == 404, name
    assert client.post(reverse("dupcheck:document_delete", args=[a.pk])).status_code == 404
    assert Document.objects.filter(pk=a.pk).exists()
    # Export of its list: its own document, with a zero score.
    cells = _xlsx_cells(client.get(reverse("dupcheck:document_export")).content)
    assert "李桐溪" in cells and "张青阳" not in cells and "0.0%" in cells
    # API.
    listed = client.get(reverse("api:dupcheckdocument-list")).json()
    assert [row["id"] for row in listed["results"]] == [b.pk] and listed["results"][0]["max_share"] == 0
    assert client.get(reverse("api:dupcheckdocument-detail", args=[a.pk])).status_code == 404
    assert client.get(reverse("api:dupcheckdocument-matches", args=[a.pk])).status_code == 404
    assert client.get(reverse("api:dupcheckdocument-matches", args=[b.pk])).json() == []
    assert client.get(reverse("api:dupcheckdocument-detail", args=[b.pk])).json()["score"]["copy_ratio"] == 0
    # A scan of its own scope finds nothing and names nothing of county A.
    scan = _scan(office_b, "scope", Document.objects.all())
    page = client.get(reverse("dupcheck:scan_detail", args=[scan.pk])).content.decode()
    assert "疑似雷同材料（0 份）" in page and "张青阳" not in page
    assert "张青阳" not in _xlsx_cells(client.get(reverse("dupcheck:scan_export", args=[scan.pk])).content)
    word = docx_text(client.get(reverse("dupcheck:scan_word_export", args=[scan.pk])).content)
    assert "述职述廉报告雷同检测报告" in word and "张青阳" not in word
    api_scan = client.get(reverse("api:dupcheckscan-detail", args=[scan.pk])).json()
    assert [d["document"]["id"] for d in api_scan["documents"]] == [b.pk] and api_scan["pairs"] == []


@pytest.mark.django_db
def test_scans_and_their_pages_belong_to_their_owner(world, login, copied):
    a, b, match = copied
    scan = _scan(world.users["city_office"], "scope", Document.objects.all())
    for user in ("office_a", "office_b"):
        client = login(world.users[user])
        for name in ("scan_detail", "scan_clusters", "scan_export", "scan_word_export"):
            assert client.get(reverse(f"dupcheck:{name}", args=[scan.pk])).status_code == 404, (user, name)
        assert client.get(reverse("api:dupcheckscan-detail", args=[scan.pk])).status_code == 404
        assert client.get(reverse("core:job_detail", args=[scan.job_id])).status_code == 404
        assert scan.pk not in [s["id"] for s in client.get(reverse("api:dupcheckscan-list")).json()["results"]]
    owner = login(world.users["city_office"])
    assert "李桐溪" in owner.get(reverse("dupcheck:scan_detail", args=[scan.pk])).content.decode()


@pytest.mark.django_db
def test_a_scan_shows_only_what_its_owner_sees_now(world, login, copied):
    """A grant withdrawn after the scan: the results shrink with it."""
    a, b, match = copied
    city = world.users["city_office"]
    scan = _scan(city, "scope", Document.objects.all())
    city.grants.update(region=world.county_b)
    from xuncha.core.scoping import forget_grants

    forget_grants(city)
    page = login(city).get(reverse("dupcheck:scan_detail", args=[scan.pk])).content.decode()
    assert "李桐溪" in page and "张青阳" not in page


@pytest.mark.django_db
def test_roles_without_the_right_are_refused(world, login, copied):
    a, b, match = copied
    nobody = login(world.users["nobody"])
    for name, args in (("document_list", []), ("document_upload", []), ("document_export", []),
                       ("document_detail", [a.pk]), ("pair_detail", [match.pk]), ("scan_list", []),
                       ("scan_add", [])):
        assert nobody.get(reverse(f"dupcheck:{name}", args=args)).status_code == 403, name
    assert nobody.get(reverse("api:dupcheckdocument-list")).status_code == 403
    leader = login(world.users["leader_a"])  # reads and exports county A, cannot upload or scan
    assert leader.get(reverse("dupcheck:document_detail", args=[a.pk])).status_code == 200
    assert leader.get(reverse("dupcheck:document_detail", args=[b.pk])).status_code == 404
    assert leader.get(reverse("dupcheck:document_export")).status_code == 200
    assert leader.get(reverse("dupcheck:document_upload")).status_code == 403
    assert leader.post(reverse("dupcheck:scan_add"), {"mode": "scope"}).status_code == 403
    assert leader.post(reverse("api:dupcheckscan-list"), {"mode": "scope"}).status_code == 403
    assert leader.post(reverse("dupcheck:document_delete", args=[a.pk])).status_code == 403
    liaison = login(world.users["liaison_a"])  # unit liaisons hold no right to these reports
    assert liaison.get(reverse("dupcheck:document_list")).status_code == 403
