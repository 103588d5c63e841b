from __future__ import annotations

import random

import numpy as np
import pytest

from textsim.index import Config, Index
from textsim.normalize import normalize
from textsim.scoring import MatchedSpan, SourceMatch, UnionFind, clusters, score_document
from textsim.store import Document
from textsim.synthetic import make_report, move_paragraphs

from .conftest import random_cjk


def test_year_changed_report_is_a_near_duplicate_of_last_years(report_2023_2024: tuple[str, str]) -> None:
    r2023, r2024 = report_2023_2024
    assert 1800 <= len(r2023) <= 2300 and "2024年度述职述廉报告" in r2024
    index = Index()
    first = index.add(Document("2023", r2023, author="王建国", uploaded_at=1.0))
    assert first.copy_ratio == 0.0 and first.sources == ()
    score = index.add(Document("2024", r2024, author="王建国", uploaded_at=2.0))
    assert score.copy_ratio >= 0.8
    assert score.max_source_id == "2023"
    assert score.sources[0].jaccard >= 0.7
    # The rewritten paragraph is the only long stretch left unmatched.
    assert score.copy_ratio < 0.99
    report = index.report()
    assert len(report.clusters) == 1
    assert report.clusters[0].members == ("2023", "2024")
    assert report.clusters[0].source_id == "2023"


def test_moved_paragraphs_score_high() -> None:
    original = make_report(random.Random(11), 2023, name="刘洋")
    moved = move_paragraphs(original, random.Random(12))
    index = Index()
    index.add(Document("a", original, author="刘洋"))
    score = index.add(Document("b", moved, author="刘洋"))
    assert score.copy_ratio >= 0.9


def _boilerplate_corpus(n_docs: int) -> tuple[list[Document], str, str]:
    rng = random.Random(7)
    boiler = "坚持以习近平新时代中国特色社会主义思想为指导全面贯彻党的二十大精神深入落实全面从严治党要求持续深化作风建设"
    copied = random_cjk(rng, 300)
    docs = []
    for i in range(n_docs):
        body = random_cjk(rng, 600)
        extra = copied if i in (0, 1) else ""
        docs.append(Document(f"d{i:02d}", f"{body[:300]}\n{boiler}\n{body[300:]}\n{extra}", uploaded_at=float(i)))
    return docs, boiler, copied


def test_boilerplate_shared_by_many_documents_is_reported_apart_and_not_scored() -> None:
    docs, boiler, copied = _boilerplate_corpus(14)
    report = Index(config=Config(boilerplate_max_docs=5)).scan(docs)
    plain = report.scores["d05"]
    assert plain.copy_ratio == 0.0
    assert plain.boilerplate_ratio == pytest.approx(len(boiler) / plain.length, abs=0.03)
    assert plain.copy_ratio_excluding_boilerplate == 0.0
    copier = report.scores["d01"]
    assert copier.copy_ratio == pytest.approx(len(copied) / copier.length, abs=0.01)
    assert copier.max_source_id == "d00"
    # Spans inside the boilerplate sentence are marked as such.
    spans = [s for src in copier.sources for s in src.spans]
    assert any(s.boilerplate for s in spans) and any(not s.boilerplate for s in spans)
    assert copier.copy_ratio_excluding_boilerplate > copier.copy_ratio
    assert {s.doc_id for s in report.flagged()} == {"d00", "d01"}


def test_without_the_stoplist_the_same_sentence_counts_as_copied() -> None:
    docs, boiler, _ = _boilerplate_corpus(14)
    report = Index(config=Config(boilerplate_max_docs=100, boilerplate_max_share=1.0)).scan(docs)
    plain = report.scores["d05"]
    assert plain.boilerplate_ratio == 0.0
    assert plain.copy_ratio == pytest.approx(len(boiler) / plain.length, abs=0.03)


def test_score_document_ratios_and_paragraph_flags() -> None:
    original = "第一段" + "甲" * 47 + "\n" + "第二段" + "乙" * 47
    norm = normalize(original)
    assert len(norm) == 100
    boiler = np.zeros(100, dtype=bool)
    boiler[90:100] = True
    spans = (MatchedSpan(0, 40, 0, 40, 0, 40, False), MatchedSpan(30, 60, 0, 0, 0, 0, False),
             MatchedSpan(90, 100, 0, 0, 0, 0, True))
    src = SourceMatch("x", spans, 60, 10, 0.6, 0.5, 0.5)
    other = SourceMatch("y", (MatchedSpan(0, 20, 0, 0, 0, 0, False),), 20, 0, 0.2, 0.1, 0.1)
    score = score_document("doc", original, norm, boiler, [other, src], paragraph_threshold=0.5,
                           min_paragraph_chars=10)
    assert score.copy_ratio == pytest.approx(0.6)
    assert score.boilerplate_ratio == pytest.approx(0.1)
    assert score.copy_ratio_excluding_boilerplate == pytest.approx(60 / 90)
    assert score.max_source_id == "x" and score.max_source_ratio == 0.6
    assert [s.source_id for s in score.sources] == ["x", "y"]
    first, second = score.paragraphs
    assert (first.length, first.copied_chars, first.flagged) == (50, 50, True)
    assert (second.length, second.copied_chars, second.boilerplate_chars, second.flagged) == (50, 10, 10, False)
    assert original[second.orig_start:second.orig_end].startswith("第二段")


def test_union_find_and_clusters_pick_the_earliest_upload_as_source() -> None:
    uf = UnionFind()
    uf.union("a", "b")
    uf.union("c", "b")
    assert uf.find("a") == uf.find("c")
    order = {"a": 30.0, "b": 10.0, "c": 20.0, "x": 1.0, "y": 2.0}
    result = clusters([("a", "b"), ("b", "c"), ("x", "y")], order)
    assert [c.members for c in result] == [("b", "c", "a"), ("x", "y")]
    assert result[0].source_id == "b"


def test_clusters_from_a_scan_use_upload_time_not_insertion_order() -> None:
    base = make_report(random.Random(21), 2022, name="陈静")
    docs = [Document("late", base, uploaded_at=300.0), Document("early", base, uploaded_at=100.0),
            Document("mid", base.replace("。", "；", 3), uploaded_at=200.0),
            Document("other", make_report(random.Random(22), 2022), uploaded_at=50.0)]
    report = Index().scan(docs)
    assert [c.members for c in report.clusters] == [("early", "mid", "late")]
    assert report.cluster_of("other") is None
