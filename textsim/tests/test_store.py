"""Conformance tests every Store implementation must pass (reuse them for the Django store)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from textsim.store import Document, MemoryStore, Sketch, SQLiteStore, Store

BIG = 2**63 - 1  # largest allowed hash: must survive a signed 64-bit column


def _sketch(sha: str, fps: list[tuple[int, int]], bands: tuple[int, ...]) -> Sketch:
    return Sketch(sha, 100, tuple(range(128)), bands, tuple(fps))


def _bands(seed: int) -> tuple[int, ...]:
    return tuple(seed * 1000 + i for i in range(32))


@pytest.fixture(params=["memory", "sqlite-file"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Store]:
    if request.param == "memory":
        store = MemoryStore()
        return lambda: store
    return lambda: SQLiteStore(tmp_path / "index.sqlite")


def test_round_trip_of_documents_and_sketches(make_store: Callable[[], Store]) -> None:
    store = make_store()
    doc = Document("d1", "正文内容", author="张三", uploaded_at=12.5, metadata={"filename": "张三.docx"})
    sketch = _sketch("sha-1", [(BIG, 0), (5, 7), (5, 20)], _bands(1))
    store.add(doc, sketch)
    store.set_meta("k", "v")
    store.close()
    store = make_store()  # reopened from disk for SQLite
    assert store.get_meta("k") == "v" and store.get_meta("missing") is None
    got = store.get_document("d1")
    assert got is not None
    assert (got.doc_id, got.text, got.author, got.uploaded_at, dict(got.metadata)) == (
        "d1", "正文内容", "张三", 12.5, {"filename": "张三.docx"})
    assert store.get_sketch("d1") == sketch
    assert store.find_sketch("sha-1") == sketch
    assert store.find_sketch("other") is None and store.get_sketch("nope") is None
    assert store.count() == 1 and store.document_ids() == ["d1"]


def test_lookups_postings_and_frequencies(make_store: Callable[[], Store]) -> None:
    store = make_store()
    store.add(Document("a", "甲"), _sketch("sa", [(1, 0), (2, 5), (2, 9)], _bands(1)))
    store.add(Document("b", "乙"), _sketch("sb", [(2, 3), (3, 4)], _bands(2)[:5] + _bands(1)[5:6] + _bands(2)[6:]))
    store.add(Document("c", "丙"), _sketch("sc", [(3, 1)], _bands(3)))
    assert store.document_ids() == ["a", "b", "c"]
    assert store.document_frequencies([1, 2, 3, 4]) == {1: 1, 2: 2, 3: 2, 4: 0}
    postings = store.fingerprint_postings([2, 4])
    assert sorted(postings[2]) == [("a", 5), ("a", 9), ("b", 3)] and 4 not in postings
    assert store.lsh_candidates(_bands(1)) == {"a", "b"}  # b shares band 5 only
    assert store.lsh_candidates(_bands(3)) == {"c"}
    assert store.lsh_candidates(_bands(9)) == set() and store.lsh_candidates(()) == set()


def test_replace_and_remove_keep_frequencies_consistent(make_store: Callable[[], Store]) -> None:
    store = make_store()
    store.add(Document("a", "v1"), _sketch("s1", [(1, 0), (2, 1)], _bands(1)))
    store.add(Document("b", "x"), _sketch("s2", [(2, 0)], _bands(2)))
    store.add(Document("a", "v2"), _sketch("s3", [(3, 0)], _bands(3)))  # replaces a
    assert store.count() == 2 and store.get_document("a").text == "v2"
    assert store.document_frequencies([1, 2, 3]) == {1: 0, 2: 1, 3: 1}
    assert store.find_sketch("s1") is None and store.lsh_candidates(_bands(1)) == set()
    store.remove("b")
    store.remove("unknown")
    assert store.document_frequencies([2]) == {2: 0} and store.fingerprint_postings([2]) == {}
    assert store.document_ids() == ["a"]


def test_sqlite_batch_is_atomic(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "i.sqlite")
    with pytest.raises(RuntimeError), store.batch():
        store.add(Document("a", "甲"), _sketch("sa", [(1, 0)], _bands(1)))
        raise RuntimeError("boom")
    assert store.count() == 0 and store.document_frequencies([1]) == {1: 0}
    with store.batch():
        store.add(Document("a", "甲"), _sketch("sa", [(1, 0)], _bands(1)))
        store.add(Document("b", "乙"), _sketch("sb", [(1, 0)], _bands(2)))
    assert SQLiteStore(tmp_path / "i.sqlite").count() == 2


class _DefaultsOnly(Store):
    """Implements only the abstract methods (by delegation), so the base-class defaults are tested."""

    def __init__(self) -> None:
        self.inner = MemoryStore()

    def get_meta(self, key):  # noqa: ANN001, ANN201
        return self.inner.get_meta(key)

    def set_meta(self, key, value):  # noqa: ANN001, ANN201
        self.inner.set_meta(key, value)

    def add(self, document, sketch):  # noqa: ANN001, ANN201
        self.inner.add(document, sketch)

    def remove(self, doc_id):  # noqa: ANN001, ANN201
        self.inner.remove(doc_id)

    def get_document(self, doc_id):  # noqa: ANN001, ANN201
        return self.inner.get_document(doc_id)

    def document_ids(self):  # noqa: ANN201
        return self.inner.document_ids()

    def count(self):  # noqa: ANN201
        return self.inner.count()

    def get_sketch(self, doc_id):  # noqa: ANN001, ANN201
        return self.inner.get_sketch(doc_id)

    def find_sketch(self, content_sha256):  # noqa: ANN001, ANN201
        return self.inner.find_sketch(content_sha256)

    def lsh_candidates(self, band_hashes):  # noqa: ANN001, ANN201
        return self.inner.lsh_candidates(band_hashes)

    def fingerprint_postings(self, hashes):  # noqa: ANN001, ANN201
        return self.inner.fingerprint_postings(hashes)

    def document_frequencies(self, hashes):  # noqa: ANN001, ANN201
        return self.inner.document_frequencies(hashes)


@pytest.fixture(params=["memory", "sqlite-file", "defaults"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "memory":
        return MemoryStore()
    if request.param == "defaults":
        return _DefaultsOnly()
    return SQLiteStore(tmp_path / "index.sqlite")


def test_bulk_add_and_the_optional_look_ups(any_store: Store) -> None:
    store = any_store
    store.add_many([
        (Document("a", "甲"), _sketch("sa", [(1, 0), (2, 5), (2, 9), (BIG, 12)], _bands(1))),
        (Document("b", "乙"), _sketch("sb", [(2, 3), (3, 4)], _bands(2))),
        (Document("c", "丙"), _sketch("sc", [(3, 1)], _bands(3))),
        (Document("a", "甲2"), _sketch("sa2", [(1, 0), (2, 5), (BIG, 12)], _bands(1))),  # last version wins
    ])
    assert store.document_ids() == ["b", "c", "a"] and store.count() == 3
    assert store.get_document("a").text == "甲2" and store.find_sketch("sa") is None
    assert store.content_hashes(["a", "c", "zzz"]) == {"a": "sa2", "c": "sc"}
    assert store.shared_fingerprint_counts([1, 2, 3, 99]) == {"a": 2, "b": 2, "c": 1}
    assert {h: sorted(ids) for h, ids in store.fingerprint_documents([2, 3, 99, BIG]).items()} == {
        2: ["a", "b"], 3: ["b", "c"], BIG: ["a"]}
    limited = store.fingerprint_documents([2, 3, 99, BIG], limit=1)
    assert {h: len(ids) for h, ids in limited.items()} == {2: 1, 3: 1, BIG: 1} and limited[BIG] == ["a"]
    assert store.frequent_hashes([1, 2, 3, 99], 1) == {2, 3}
    assert store.frequent_hashes([1, 2, 3], 0) == {1, 2, 3} and store.frequent_hashes([2], 2) == set()
    assert store.document_frequencies([1, 2, 3, 99, BIG]) == {1: 1, 2: 2, 3: 2, 99: 0, BIG: 1}
    assert sorted(store.fingerprint_postings([2])[2]) == [("a", 5), ("b", 3)]
    store.remove("b")
    assert store.shared_fingerprint_counts([2, 3]) == {"a": 1, "c": 1} and store.count() == 2


def test_sqlite_index_from_an_older_version_is_refused(tmp_path: Path) -> None:
    import sqlite3

    from textsim.errors import IndexConfigError

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE fingerprints (hash INTEGER, doc_seq INTEGER, pos INTEGER)")
    with pytest.raises(IndexConfigError) as err:
        SQLiteStore(path)
    assert "重建索引" in err.value.message


def test_sqlite_segments_merge_and_see_uncommitted_adds(tmp_path: Path) -> None:
    path = tmp_path / "seg.sqlite"
    store = SQLiteStore(path)
    for i in range(40):  # one segment per transaction, merged four at a time
        store.add(Document(f"d{i}", "文"), _sketch(f"s{i}", [(7, 0), (100 + i, 3)], _bands(i)))
    store.remove("d3")
    store.add(Document("d5", "新"), _sketch("s5b", [(8, 0)], _bands(5)))  # replaced
    with store.batch():
        store.add(Document("e", "文"), _sketch("se", [(7, 1), (9, 2)], _bands(50)))
        assert store.document_frequencies([7, 9, 8]) == {7: 39, 9: 1, 8: 1}  # its own uncommitted add
        store.add(Document("f", "文"), _sketch("sf", [(9, 1)], _bands(51)))
    assert len(store._segments["fp"]) < 12
    for seg in store._segments["fp"] + store._segments["lsh"]:  # merged runs stay sorted by key, then value
        order = np.lexsort((seg.vals, seg.keys))
        assert np.array_equal(order, np.arange(seg.size))
    other = SQLiteStore(path)  # a second handle reads the same
    for s in (store, other):
        assert s.document_frequencies([7, 9, 103, 105, 8]) == {7: 39, 9: 2, 103: 0, 105: 0, 8: 1}
        assert s.lsh_candidates(_bands(3)) == set() and s.lsh_candidates(_bands(5)) == {"d5"}
        assert sorted(s.fingerprint_documents([9])[9]) == ["e", "f"] and s.count() == 41
    other.add(Document("g", "文"), _sketch("sg", [(9, 1)], _bands(52)))  # written by the other handle
    assert store.document_frequencies([9]) == {9: 3}


def test_packed_sketches_unpack_to_equal_sketches() -> None:
    """What sketch workers send back: a few arrays for many sketches, the same sketches out."""
    import pickle

    from textsim.index import Index
    from textsim.store import Document, pack_sketches, unpack_sketches

    docs = [Document("a", "认真落实全面从严治党主体责任，持续深化作风建设。" * 20),
            Document("b", "短"),  # no shingles, no fingerprints, no bands
            Document("c", "述职述廉报告：2023年以来，本人坚持学习贯彻党的二十大精神。" * 12)]
    sketches = Index().compute_sketches(docs)
    back = unpack_sketches(pickle.loads(pickle.dumps(pack_sketches(sketches))))
    assert back == sketches
    assert [len(s.fingerprints) for s in back] == [len(s.fingerprints) for s in sketches]
    assert back[1].band_hashes == () and back[1].fingerprints == ()
    assert unpack_sketches(pack_sketches([])) == []


def test_adding_packed_sketches_equals_adding_them_one_by_one(make_store: Callable[[], Store],
                                                              tmp_path: Path) -> None:
    """add_packed (the sketch workers' path: rows from slices, postings sorted by the worker)
    leaves the store as add_many does: documents, sketches, look-ups, replaced ids, a repeated id."""
    import random

    from textsim.index import Index
    from textsim.store import pack_sketches
    from textsim.synthetic import make_report

    rng = random.Random(11)
    shared = make_report(rng, 2023, target_chars=800)
    texts = [shared, make_report(rng, 2023, target_chars=900), "短", "", shared[:400] + "另起一段内容" * 30]
    docs = [Document(f"d{i}", t, author="张三", uploaded_at=float(i), metadata={"unit": "某局"})
            for i, t in enumerate(texts)]
    sketches = Index().compute_sketches(docs)
    reference = SQLiteStore(tmp_path / "reference.sqlite")
    store = make_store()
    for target, add in ((reference, lambda ds, ss: reference.add_many(zip(ds, ss, strict=True))),
                        (store, lambda ds, ss: store.add_packed(ds, pack_sketches(ss)))):
        add([Document("d1", "旧的正文" * 50)], Index().compute_sketches([Document("d1", "旧的正文" * 50)]))
        add(docs[:3], sketches[:3])  # replaces the stored d1
        add([docs[3], docs[4], docs[0]], [sketches[3], sketches[4], sketches[0]])  # replaces d0
        add([docs[2], docs[2]], [sketches[2], sketches[2]])  # the same id twice in one call
        assert target.count() == 5
    assert store.document_ids() == reference.document_ids() == ["d1", "d3", "d4", "d0", "d2"]
    for d in docs:
        assert store.get_sketch(d.doc_id) == reference.get_sketch(d.doc_id) == sketches[int(d.doc_id[1:])]
        assert store.get_document(d.doc_id) == reference.get_document(d.doc_id) == d
    hashes = sorted({h for s in sketches for h, _ in s.fingerprints})
    assert store.document_frequencies(hashes) == reference.document_frequencies(hashes)
    assert store.shared_fingerprint_counts(hashes) == reference.shared_fingerprint_counts(hashes)
    for s in sketches:
        assert store.lsh_candidates(s.band_hashes) == reference.lsh_candidates(s.band_hashes)


def test_new_files_get_64_kb_pages_and_older_files_keep_theirs(tmp_path: Path) -> None:
    import sqlite3

    new = SQLiteStore(tmp_path / "new.sqlite")
    assert new._conn.execute("PRAGMA page_size").fetchone()[0] == 65536
    old_path = tmp_path / "old.sqlite"
    with sqlite3.connect(old_path) as conn:  # a file of an earlier version, 4 KB pages
        conn.execute("PRAGMA page_size=4096")
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    old = SQLiteStore(old_path)
    old.add(Document("d1", "正文" * 3000), _sketch("s1", [(5, 0), (7, 3)], _bands(1)))
    old.close()
    old = SQLiteStore(old_path)
    assert old._conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert old.get_document("d1").text == "正文" * 3000 and old.document_frequencies([5]) == {5: 1}


def test_merging_sorted_runs_equals_a_stable_sort() -> None:
    from textsim.kernels import merge_runs

    rng = np.random.default_rng(4)
    for sizes in ((0, 0), (0, 5), (7, 0), (300, 200), (1000, 1)):
        runs = []
        for seq, size in enumerate(sizes):
            keys = np.sort(rng.integers(0, 40, size))  # many equal keys, within and across runs
            runs.append((keys, np.full(size, seq, dtype=np.int64)))
        merged = merge_runs(*runs[0], *runs[1])
        keys = np.concatenate([k for k, _ in runs])
        order = np.argsort(keys, kind="stable")
        assert np.array_equal(merged[0], keys[order])
        assert np.array_equal(merged[1], np.concatenate([v for _, v in runs])[order])


def test_fingerprint_segments_hold_32_bit_seqs_and_schema_3_files_keep_64(tmp_path: Path) -> None:
    """Schema 4 writes fp values as 32-bit seqs; a schema-3 file keeps 64-bit ones (its version
    still reads it), and segments of both widths merge and answer alike."""
    def fill(store: SQLiteStore, start: int, n: int) -> None:
        for i in range(start, start + n):  # one segment per add: merges on the way (fan-out 8)
            store.add(Document(f"d{i}", "文"), _sketch(f"s{i}", [(7, 0), (100 + i, 3)], _bands(i)))

    new = SQLiteStore(tmp_path / "new.sqlite")
    fill(new, 0, 20)
    widths = {len(v) // n for n, v in new._conn.execute("SELECT size, vals FROM segments WHERE kind = 'fp'")}
    assert widths == {4} and new.get_meta("textsim.store_schema") == "4"
    old_path = tmp_path / "old.sqlite"
    old = SQLiteStore(old_path)
    old._conn.execute("UPDATE meta SET value = '3' WHERE key = 'textsim.store_schema'")  # as version 3 made it
    old.close()
    old = SQLiteStore(old_path)
    fill(old, 0, 12)
    widths = {len(v) // n for n, v in old._conn.execute("SELECT size, vals FROM segments WHERE kind = 'fp'")}
    assert widths == {8}
    old._narrow_fp = True  # both widths in one file, as after an upgrade
    fill(old, 12, 8)
    old.close()
    for store in (SQLiteStore(old_path), new):
        assert store.document_frequencies([7, 105, 119]) == {7: 20, 105: 1, 119: 1}
        assert store.fingerprint_documents([119]) == {119: ["d19"]}
