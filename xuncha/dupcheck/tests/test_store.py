"""The Django store passes textsim's store conformance suite, and behaves like textsim's own stores."""

from __future__ import annotations

import inspect
import random

import pytest

from textsim import Document as TextDocument
from textsim import Index, MemoryStore
from textsim.synthetic import make_report
from textsim.tests import test_store as conformance
from textsim.tests.test_store import _bands, _sketch
from xuncha.dupcheck.models import IndexDocFreq, IndexEntry
from xuncha.dupcheck.store import DjangoStore, RestrictedStore


def _conformance_suite() -> dict:
    """Every test of textsim's store conformance suite that takes a store fixture (now and as it grows)."""
    found = {}
    for name, func in vars(conformance).items():
        if name.startswith("test_") and callable(func):
            params = set(inspect.signature(func).parameters)
            if params and params <= {"make_store", "any_store"}:
                found[name] = func
    return found


SUITE = _conformance_suite()
globals().update(SUITE)  # collected here, so they run against the Django store


def test_the_conformance_suite_is_found():
    assert {"test_round_trip_of_documents_and_sketches", "test_lookups_postings_and_frequencies",
            "test_replace_and_remove_keep_frequencies_consistent"} <= set(SUITE)


@pytest.fixture
def make_store(db):
    """What textsim's conformance tests open: the index in the test database (reopened = a new store)."""
    return lambda: DjangoStore()


@pytest.fixture
def any_store(db):
    return DjangoStore()


@pytest.mark.django_db
def test_batch_is_atomic():
    store = DjangoStore()
    with pytest.raises(RuntimeError), store.batch():
        store.add(TextDocument("a", "甲"), _sketch("sa", [(1, 0)], _bands(1)))
        raise RuntimeError("boom")
    assert store.count() == 0 and store.document_frequencies([1]) == {1: 0}
    assert not IndexDocFreq.objects.exists()
    with store.batch():
        store.add(TextDocument("a", "甲"), _sketch("sa", [(1, 0)], _bands(1)))
        store.add(TextDocument("b", "乙"), _sketch("sb", [(1, 0), (1, 5)], _bands(2)))
    assert DjangoStore().count() == 2 and DjangoStore().document_frequencies([1]) == {1: 2}


@pytest.mark.django_db
def test_fast_paths_agree_with_the_plain_methods():
    store = DjangoStore()
    store.add(TextDocument("a", "甲"), _sketch("sa", [(1, 0), (2, 5), (2, 9)], _bands(1)))
    store.add(TextDocument("b", "乙"), _sketch("sb", [(2, 3), (3, 4)], _bands(2)))
    assert store.shared_fingerprint_counts([1, 2, 3, 9]) == {"a": 2, "b": 2}
    assert store.frequent_hashes([1, 2, 3], 1) == {2}
    assert store.content_hashes(["a", "b", "x"]) == {"a": "sa", "b": "sb"}


@pytest.mark.django_db
def test_restricted_store_limits_candidates_but_not_frequencies():
    base = DjangoStore()
    base.add(TextDocument("a", "甲"), _sketch("sa", [(1, 0), (2, 5)], _bands(1)))
    base.add(TextDocument("b", "乙"), _sketch("sb", [(2, 3)], _bands(1)))
    base.add(TextDocument("c", "丙"), _sketch("sc", [(2, 1)], _bands(3)))
    view = RestrictedStore(base, {"a", "c"})
    assert view.lsh_candidates(_bands(1)) == {"a"}
    assert {d for d, _ in view.fingerprint_postings([2])[2]} == {"a", "c"}
    assert view.shared_fingerprint_counts([1, 2]) == {"a": 2, "c": 1}
    assert view.document_frequencies([2]) == {2: 3} and view.count() == 3  # 公共表述 judged on all
    assert view.document_ids() == ["a", "c"]


@pytest.mark.django_db
def test_index_on_the_django_store_scores_like_the_memory_store():
    rng = random.Random(5)
    base = make_report(rng, 2023, name="王建国", target_chars=1500)
    docs = [TextDocument("1", base, author="王建国", uploaded_at=1.0),
            TextDocument("2", base.replace("王建国", "李明"), author="李明", uploaded_at=2.0),
            TextDocument("3", make_report(rng, 2023, name="赵强", target_chars=1500), author="赵强", uploaded_at=3.0)]
    memory = Index(MemoryStore()).scan(docs)
    django = Index(DjangoStore()).scan(docs)
    for doc_id in ("1", "2", "3"):
        assert django.scores[doc_id].copy_ratio == pytest.approx(memory.scores[doc_id].copy_ratio)
    assert [c.members for c in django.clusters] == [c.members for c in memory.clusters] == [("1", "2")]
    # A second scan reuses the stored sketches: nothing is written again.
    ids = list(IndexEntry.objects.order_by("pk").values_list("pk", flat=True))
    Index(DjangoStore()).scan(docs)
    assert list(IndexEntry.objects.order_by("pk").values_list("pk", flat=True)) == ids
