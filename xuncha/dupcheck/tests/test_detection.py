"""What the check finds: a report re-used with only the year changed, material copied between people of
one team or meeting, and stock phrases (公共表述) that are shown but never scored."""

from __future__ import annotations

import pytest
from django.test import TestCase

from xuncha.core.testing.world import make_cadre, make_unit
from xuncha.dupcheck import selectors, services
from xuncha.dupcheck.models import Document, DocumentMatch, IndexEntry

from .factories import KIND_SELF_CRITICISM, copied_pair, report_pair, unique_text, upload_text


def _scan(actor, mode, documents):
    with TestCase.captureOnCommitCallbacks(execute=True):
        scan = services.scan_start(actor=actor, mode=mode, documents=documents)
    scan.refresh_from_db()
    scan.job.refresh_from_db()
    assert scan.job.status == "succeeded", scan.job.message
    return scan


@pytest.mark.django_db
def test_year_reused_report_is_flagged_against_the_same_cadres_earlier_year(world):
    office = world.users["office_a"]
    r2023, r2024 = report_pair("张青阳")
    d2023 = upload_text(office, world.cadre_a, 2023, r2023, as_docx=True)
    d2024 = upload_text(office, world.cadre_a, 2024, r2024, as_docx=True)
    other = make_cadre("王青山", world.unit_a)
    upload_text(office, other, 2024, report_pair("王青山", seed=99)[1])
    scan = _scan(office, "cadre", Document.objects.filter(year=2024))
    result = selectors.scan_result(office, scan)
    rows = {r.doc.pk: r for r in result.rows}
    assert set(rows) == {d2024.pk, Document.objects.get(cadre=other).pk}
    reused = rows[d2024.pk]
    assert reused.flagged and reused.score.copy_ratio > 0.7
    assert reused.max_source == d2023 and reused.score.max_source_ratio > 0.7
    assert [m.partner for m in reused.matches] == [d2023]  # earlier year of the same cadre only
    assert reused.flagged_paragraphs  # per-paragraph flags
    assert not rows[Document.objects.get(cadre=other).pk].flagged
    assert [[d.pk for d in c["members"]] for c in result.cluster_rows()] == [[d2023.pk, d2024.pk]]
    assert scan.summary["flagged"] == 1 and "疑似雷同 1 份" in scan.job.message


@pytest.mark.django_db
def test_copy_between_two_cadres_of_the_same_unit_is_flagged(world):
    office = world.users["office_a"]
    wang = make_cadre("王青山", world.unit_a)
    original, copy = copied_pair("张青阳", "王青山")
    source = upload_text(office, world.cadre_a, 2024, original, kind=KIND_SELF_CRITICISM)
    copier = upload_text(office, wang, 2024, copy, kind=KIND_SELF_CRITICISM)
    # In another unit of the same county, an independent report: not compared in "team" mode.
    elsewhere = make_cadre("赵青林", make_unit("青阳县财政局", world.county_a))
    upload_text(office, elsewhere, 2024, copied_pair("赵青林", "某某", seed=8)[0], kind=KIND_SELF_CRITICISM)
    scan = _scan(office, "team", Document.objects.filter(year=2024))
    result = selectors.scan_result(office, scan)
    flagged = {r.doc.pk for r in result.flagged}
    assert flagged == {source.pk, copier.pk}
    pair = result.pairs[0]
    assert {pair.doc.pk, pair.partner.pk} == {source.pk, copier.pk} and pair.near_duplicate
    assert pair.relation_label == "同一班子（单位）"
    assert result.cluster_rows()[0]["source"] == source  # the earlier upload of the same year
    # "Same cadre" mode does not compare different people.
    alone = selectors.scan_result(office, _scan(office, "cadre", Document.objects.filter(pk=copier.pk)))
    assert alone.rows[0].score.copy_ratio == 0 and not alone.flagged


@pytest.mark.django_db
def test_meeting_tag_groups_people_of_different_units(world):
    office = world.users["office_a"]
    other_unit = make_unit("青阳县财政局", world.county_a)
    li = make_cadre("李青禾", other_unit)
    original, copy = copied_pair("张青阳", "李青禾", seed=11)
    meeting = "2024年度县委常委班子民主生活会"
    upload_text(office, world.cadre_a, 2024, original, kind=KIND_SELF_CRITICISM, meeting=meeting)
    copier = upload_text(office, li, 2024, copy, kind=KIND_SELF_CRITICISM, meeting=meeting)
    result = selectors.scan_result(office, _scan(office, "team", Document.objects.filter(pk=copier.pk)))
    assert result.rows[0].flagged and result.pairs[0].relation_label == "同一会议"


@pytest.mark.django_db
def test_boilerplate_is_shown_but_not_scored(world):
    office = world.users["office_a"]
    stock = ("坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，深刻领悟两个确立的决定性意义，"
             "增强四个意识、坚定四个自信、做到两个维护，持之以恒推进全面从严治党。")
    cadres = [make_cadre(f"干部{chr(0x7532 + i)}青", world.unit_a) for i in range(12)]
    docs = [upload_text(office, cadre, 2024, f"{unique_text(i)}\n{stock}\n{unique_text(100 + i)}")
            for i, cadre in enumerate(cadres)]
    scan = _scan(office, "scope", Document.objects.all())
    result = selectors.scan_result(office, scan)
    assert not result.flagged and not result.pairs
    row = next(r for r in result.rows if r.doc.pk == docs[0].pk)
    assert row.score.copy_ratio == 0 and row.score.boilerplate_ratio > 0.02  # shown apart, never scored
    matches = DocumentMatch.objects.filter(doc_a=docs[0])
    assert all(all(span[6] for span in m.a_spans) for m in matches)
    # Compared only within their own team, two more reports sharing the stock phrase are still judged
    # by the whole index: the phrase stays 公共表述 and scores nothing.
    unit = make_unit("青阳县财政局", world.county_a)
    pair = [upload_text(office, make_cadre(name, unit), 2024, f"{unique_text(300 + i)}\n{stock}\n{unique_text(400 + i)}")
            for i, name in enumerate(("钱青一", "孙青二"))]
    team = selectors.scan_result(office, _scan(office, "team", Document.objects.filter(pk__in=[d.pk for d in pair])))
    assert [r.score.copy_ratio for r in team.rows] == [0, 0] and not team.pairs
    assert all(r.score.boilerplate_ratio > 0.02 for r in team.rows)


@pytest.mark.django_db
def test_scan_reuses_stored_sketches_and_refreshes_results(world):
    office = world.users["office_a"]
    r2023, r2024 = report_pair("张青阳")
    upload_text(office, world.cadre_a, 2023, r2023)
    d2024 = upload_text(office, world.cadre_a, 2024, r2024)
    entries = list(IndexEntry.objects.order_by("pk").values_list("pk", "doc_id"))
    _scan(office, "scope", Document.objects.all())
    _scan(office, "cadre", Document.objects.all())
    assert list(IndexEntry.objects.order_by("pk").values_list("pk", "doc_id")) == entries  # nothing re-sketched
    assert DocumentMatch.objects.count() == 1
    # A deleted document leaves the index and every page at once.
    services.document_delete(actor=office, document=Document.objects.get(year=2023))
    assert IndexEntry.objects.count() == 1
    assert selectors.document_matches(office, d2024) == []


@pytest.mark.django_db
def test_scan_needs_documents_and_the_right(world):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        services.scan_start(actor=world.users["office_a"], mode="scope", documents=Document.objects.all())
    with pytest.raises(PermissionDenied):
        services.scan_start(actor=world.users["leader_a"], mode="scope", documents=Document.objects.all())
