from __future__ import annotations

import json
import os
import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from textsim.errors import IndexConfigError
from textsim.index import PARAMS_KEY, Config, Index
from textsim.store import Document, MemoryStore, SQLiteStore
from textsim.synthetic import make_report, make_self_criticism, shift_year


def _count_signatures(index: Index) -> list[int]:
    calls: list[int] = []
    original = index.minhasher.signatures

    def counting(sets: Sequence[np.ndarray]) -> np.ndarray:
        calls.append(len(sets))
        return original(sets)

    index.minhasher.signatures = counting  # type: ignore[method-assign]
    return calls


def test_incremental_add_against_a_reopened_sqlite_index(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    base = make_self_criticism(random.Random(1), 2023, name="周敏")
    index = Index(SQLiteStore(path))
    assert index.add(Document("zhou", base, author="周敏", uploaded_at=1)).copy_ratio == 0.0
    index.add(Document("other", make_self_criticism(random.Random(2), 2023), uploaded_at=2))
    index.store.close()

    reopened = Index(SQLiteStore(path))
    copied = base.replace("周敏", "吴刚")  # copied wholesale by a colleague
    score = reopened.add(Document("wu", copied, author="吴刚", uploaded_at=3))
    assert score.max_source_id == "zhou" and score.copy_ratio > 0.95
    assert reopened.store.count() == 3


def test_batch_scan_reuses_stored_sketches(tmp_path: Path) -> None:
    docs = [Document(f"d{i}", make_report(random.Random(i), 2023), uploaded_at=i) for i in range(4)]
    first = Index(SQLiteStore(tmp_path / "i.sqlite"))
    calls = _count_signatures(first)
    first.scan(docs)
    assert sum(calls) == 4
    first.store.close()

    second = Index(SQLiteStore(tmp_path / "i.sqlite"))
    calls = _count_signatures(second)
    same_content = Document("copy-of-d0", docs[0].text, uploaded_at=9)
    report = second.scan([*docs, same_content])
    assert calls == []  # nothing re-sketched: same ids and same content hash
    assert report.scores["copy-of-d0"].copy_ratio == pytest.approx(1.0)
    assert report.clusters[0].members[:2] == ("d0", "copy-of-d0")


def test_changed_content_is_resketched_and_replaced() -> None:
    index = Index()
    index.add(Document("x", make_report(random.Random(5), 2023)))
    calls = _count_signatures(index)
    index.add(Document("x", make_report(random.Random(6), 2023)))
    assert calls == [1] and index.store.count() == 1


def test_check_scores_without_storing() -> None:
    index = Index()
    text = make_report(random.Random(8), 2023, name="孙丽")
    index.add(Document("orig", text, author="孙丽"))
    score = index.check(Document("probe", shift_year(text, 2023, 2025), author="孙丽"))
    assert score.copy_ratio > 0.95
    assert index.store.document_ids() == ["orig"]
    with pytest.raises(ValueError):
        index.check(Document("orig", text))


def test_index_parameters_are_checked_on_reopen(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    Index(SQLiteStore(path)).add(Document("a", make_report(random.Random(3))))
    with pytest.raises(IndexConfigError) as err:
        Index(SQLiteStore(path), Config(kgram=11))
    assert "kgram" in err.value.message and "重建索引" in err.value.message
    stored = json.loads(SQLiteStore(path).get_meta(PARAMS_KEY))
    assert stored["kgram"] == 13 and stored["guarantee"] == 40
    # Matching parameters may change freely.
    Index(SQLiteStore(path), Config(max_gap=3, boilerplate_max_docs=2))


def test_numpy_backend_index_reopens_with_auto(tmp_path: Path) -> None:
    path = tmp_path / "n.sqlite"
    Index(SQLiteStore(path), Config(minhash_backend="numpy")).add(Document("a", make_report(random.Random(4))))
    reopened = Index(SQLiteStore(path))  # "auto" follows what the index was built with
    assert reopened.minhasher.scheme.startswith("numpy")


def test_unrelated_reports_are_not_near_duplicates() -> None:
    docs = [Document(f"d{i}", make_report(random.Random(100 + i), 2023), uploaded_at=i) for i in range(12)]
    report = Index(MemoryStore()).scan(docs)
    assert report.clusters == []
    assert all(p.jaccard < 0.3 for p in report.pairs)


def test_lsh_alone_finds_near_duplicates(tmp_path: Path) -> None:
    """With fingerprint candidates switched off, MinHash LSH still proposes the re-used report."""
    config = Config(max_candidates=0)
    index = Index(SQLiteStore(tmp_path / "lsh.sqlite"), config)
    text = make_report(random.Random(31), 2022, name="谢军")
    for i in range(5):
        index.add(Document(f"noise{i}", make_report(random.Random(40 + i), 2022), uploaded_at=i))
    index.add(Document("2022", text, author="谢军", uploaded_at=10))
    score = index.add(Document("2023", shift_year(text, 2022, 2023), author="谢军", uploaded_at=11))
    assert [s.source_id for s in score.sources] == ["2022"]
    assert score.sources[0].jaccard == pytest.approx(1.0)


def test_reports_do_not_depend_on_the_python_hash_seed() -> None:
    """Candidate ties are broken deterministically, so two processes produce the same pairs."""
    import os
    import subprocess
    import sys

    import textsim

    root = str(Path(textsim.__file__).resolve().parents[1])
    code = (
        "import random\n"
        "from textsim import Config, Document, Index\n"
        "from textsim.synthetic import make_report\n"
        "docs = [Document(f'd{i}', make_report(random.Random(i), 2023), uploaded_at=i) for i in range(25)]\n"
        "r = Index(config=Config(max_candidates=2, min_match_chars=13)).scan(docs)\n"
        "print(sorted((p.a_id, p.b_id, round(p.a_share, 6)) for p in r.pairs))\n"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root,
                       env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": root}).stdout
        for seed in ("11", "12")
    }
    assert len(outputs) == 1 and outputs.pop().count("'d") > 4


def test_check_writes_nothing_and_equals_add_then_remove(tmp_path: Path) -> None:
    docs = [Document(f"d{i}", make_report(random.Random(200 + i), 2022), uploaded_at=i) for i in range(8)]
    probe_text = shift_year(docs[3].text, 2022, 2023)
    index = Index(SQLiteStore(tmp_path / "c.sqlite"))
    index.scan(docs)
    before = (tmp_path / "c.sqlite").stat().st_mtime_ns, index.store.count()
    checked = index.check(Document("probe", probe_text, uploaded_at=99))
    assert (index.store.count(), index.store.get_document("probe")) == (8, None)
    added = index.add(Document("probe", probe_text, uploaded_at=99))
    assert before[1] == 8
    assert checked.copy_ratio == pytest.approx(added.copy_ratio) and checked.copy_ratio > 0.95
    assert [(s.source_id, s.share, s.spans) for s in checked.sources] == [
        (s.source_id, s.share, s.spans) for s in added.sources]
    assert checked.max_source_id == "d3"


def test_parallel_indexing_stores_the_same_sketches(tmp_path: Path) -> None:
    docs = [Document(f"d{i}", make_report(random.Random(300 + i), 2023, target_chars=600)) for i in range(40)]
    serial = Index(MemoryStore())
    serial.index_many([Document(d.doc_id, d.text) for d in docs], batch_size=8)
    with Index(SQLiteStore(tmp_path / "p.sqlite")) as parallel:
        parallel.index_many(docs[:30], workers=2, batch_size=8)
        workers = parallel.__dict__["_pool"]
        # The workers run below the writer's priority and hashed the texts themselves.
        assert all(os.getpriority(os.PRIO_PROCESS, p.pid) >= os.getpriority(os.PRIO_PROCESS, 0) + 10
                   for p in workers._pool)
        assert not any("content_sha256" in d.__dict__ for d in docs[:30])
        parallel.index_many(docs[30:], workers=2, batch_size=4)  # the same workers, not new ones
        assert parallel.__dict__["_pool"] is workers
    assert "_pool" not in parallel.__dict__  # stopped at the end of the block
    assert parallel.store.document_ids() == [d.doc_id for d in docs]
    assert all(serial.store.get_sketch(d.doc_id) == parallel.store.get_sketch(d.doc_id) for d in docs)


def test_parallel_indexing_commits_in_groups_and_an_interruption_keeps_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With workers, every _COMMIT_EVERY documents are committed while the workers sketch on;
    a failure rolls back only the group it happened in, and a new call completes the index."""
    import textsim.index as index_module

    monkeypatch.setattr(index_module, "_COMMIT_EVERY", 20)
    docs = [Document(f"d{i}", make_report(random.Random(500 + i), 2023, target_chars=400)) for i in range(60)]
    calls = 0
    original = Index._store_pending

    def failing(self: Index, *args: object) -> int:
        nonlocal calls
        calls += 1
        if calls == 6:  # chunks of 8, a commit after every 3: the second group (24–47) fails
            raise RuntimeError("磁盘已满")
        return original(self, *args)

    monkeypatch.setattr(Index, "_store_pending", failing)
    with Index(SQLiteStore(tmp_path / "g.sqlite")) as index, pytest.raises(RuntimeError):
        index.index_many(docs, workers=2, batch_size=8)
    reopened = SQLiteStore(tmp_path / "g.sqlite")
    assert reopened.document_ids() == [d.doc_id for d in docs[:24]]  # the first group only
    monkeypatch.setattr(Index, "_store_pending", original)
    with Index(reopened) as index:
        index.index_many(docs, workers=2, batch_size=8)
    serial = Index(MemoryStore())
    serial.index_many([Document(d.doc_id, d.text) for d in docs])
    assert reopened.document_ids() == [d.doc_id for d in docs]
    assert all(reopened.get_sketch(d.doc_id) == serial.store.get_sketch(d.doc_id) for d in docs)


def test_one_call_sketches_equal_the_prepared_ones() -> None:
    """compute_sketches (the sketch workers' path: bin minima without sorting the shingles)
    gives exactly the sketches of the general path, short and empty texts included."""
    rng = random.Random(7)
    texts = [make_report(rng, 2023, target_chars=n) for n in (300, 2500, 6000)]
    texts += ["", "短", "一二三四五", "认真学习贯彻党的二十大精神", "2024年" * 3, "一" * 200]
    docs = [Document(f"d{i}", t, author="张三" if i % 2 else None) for i, t in enumerate(texts)]
    index = Index(MemoryStore())
    assert index.minhasher.scheme.startswith("oph")
    general = index._sketches_of([index._compute_prepared(d) for d in docs])
    assert index.compute_sketches(docs) == general
    assert [len(s.band_hashes) for s in general[3:6]] == [0, 0, 32]


def test_a_passage_shared_by_many_documents_nominates_few_candidates() -> None:
    """Redundant fingerprint candidates are skipped; the copied passage is still found."""
    def unrelated(seed: int, n: int) -> str:  # text sharing nothing by chance
        rng = random.Random(seed)
        return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(n))

    stock = unrelated(77, 300)
    docs = [Document(f"d{i:02d}", unrelated(400 + i, 1500) + "\n" + stock, uploaded_at=i) for i in range(30)]
    index = Index(config=Config(boilerplate_max_docs=100, max_candidates=25))
    index.index_many(docs)
    flags, nominate = index._flag_caches(index.store.count())
    sketch = index.store.get_sketch("d00")
    assert len(index._candidates("d00", sketch, flags, nominate)) <= 2
    score = index.report(["d00"]).scores["d00"]
    assert score.sources and score.copy_ratio > 0.05


def test_stores_without_complete_holder_lists_give_the_same_report() -> None:
    """The look-up path for restricted views (frequencies asked, not read off holder lists)."""

    class Plain(MemoryStore):
        holder_lists_are_complete = False

    docs = [Document(f"d{i}", make_report(random.Random(500 + i % 6), 2023 + i // 6), uploaded_at=i)
            for i in range(12)]
    fast = Index(MemoryStore(), Config(boilerplate_max_docs=3, candidate_max_df=4)).scan(docs)
    slow = Index(Plain(), Config(boilerplate_max_docs=3, candidate_max_df=4)).scan(docs)
    assert [(p.a_id, p.b_id, p.a_share, p.b_share) for p in fast.pairs] == [
        (p.a_id, p.b_id, p.a_share, p.b_share) for p in slow.pairs]
    assert {d: s.copy_ratio for d, s in fast.scores.items()} == {d: s.copy_ratio for d, s in slow.scores.items()}
    assert fast.clusters


def _family_docs(n_families: int, copies: int) -> list[Document]:
    docs = []
    for f in range(n_families):
        base = make_report(random.Random(700 + f), 2022, target_chars=900)
        docs.append(Document(f"f{f:02d}-0", base, uploaded_at=len(docs)))
        for c in range(1, copies + 1):
            docs.append(Document(f"f{f:02d}-{c}", shift_year(base, 2022, 2022 + c), uploaded_at=len(docs)))
    return docs


def test_whole_store_report_finds_the_same_candidates_as_the_per_document_look_ups() -> None:
    from textsim.candidates import GlobalCandidates

    index = Index(config=Config(boilerplate_max_docs=4, candidate_max_df=6, max_candidates=3))
    index.index_many(_family_docs(6, 3))
    n = index.store.count()
    flags, nominate = index._flag_caches(n)
    table = GlobalCandidates(index.store.sketch_table())
    cfg = index.config
    max_df = min(cfg.candidate_max_df, cfg.boilerplate.threshold(n))
    pairs = table.pairs(range(n), max_df, cfg.min_shared_fingerprints, cfg.max_candidates)
    fast = {(table.doc_ids[a], table.doc_ids[b]) for a, b in pairs.tolist()}
    slow = set()
    for doc_id in index.store.document_ids():
        for other in index._candidates(doc_id, index.store.get_sketch(doc_id), flags, nominate):
            slow.add(tuple(sorted((doc_id, other))))
    assert fast == slow and len(fast) > 10


def test_report_in_two_processes_equals_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import textsim.index

    monkeypatch.setattr(textsim.index, "_UNIT_SIZE", 2)
    docs = _family_docs(5, 2)
    index = Index(SQLiteStore(tmp_path / "r.sqlite"))
    index.index_many(docs)
    one = index.report()
    two = Index(SQLiteStore(tmp_path / "r.sqlite")).report(workers=2)
    some = index.report([d.doc_id for d in docs[:1]])  # per-document look-ups
    assert repr(one.pairs) == repr(two.pairs) and repr(one.scores) == repr(two.scores)
    assert one.clusters == two.clusters and len(one.clusters) == 5
    assert repr(some.scores[docs[0].doc_id]) == repr(one.scores[docs[0].doc_id])


@pytest.mark.parametrize("n", [0, 1, 64, 65, 1000, 2049, 5000, 12345])
def test_forked_indexing_chunks_cover_everything_and_shrink_at_the_end(n: int) -> None:
    from textsim.index import _tapered_chunks

    bounds = _tapered_chunks(n, 1024)
    assert [i for lo, hi in bounds for i in range(lo, hi)] == list(range(n))
    sizes = [hi - lo for lo, hi in bounds]
    assert all(0 < s <= 1024 for s in sizes)
    if n > 64:
        assert sizes[-1] <= 64  # what the parent stores alone, after the workers are done
        assert sizes == sorted(sizes, reverse=True)
