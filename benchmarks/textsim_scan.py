"""Benchmark: scan N synthetic 述职述廉报告 with the SQLite store.

Generates ``--n`` reports (default 2,000). About 10 % are last year's report of
another document re-submitted with the years changed and one paragraph
rewritten, and about 5 % are 对照检查材料 copied from a colleague; the rest are
independent. Prints throughput (docs/s) per phase, peak memory, and how many of
the planted duplicates were flagged.

    .venv/bin/python benchmarks/textsim_scan.py --n 2000
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textsim.index import Config, Index  # noqa: E402
from textsim.store import Document, SQLiteStore  # noqa: E402
from textsim.synthetic import (  # noqa: E402
    edit_paragraph,
    make_report,
    make_self_criticism,
    random_name,
    shift_year,
)


def corpus(n: int, seed: int) -> tuple[list[Document], set[str]]:
    """``n`` documents and the ids of the planted copies."""
    rng = random.Random(seed)
    docs: list[Document] = []
    planted: set[str] = set()
    for i in range(n):
        roll = rng.random()
        if docs and roll < 0.10:
            src = rng.choice(docs)
            year = int(src.metadata["year"])
            text = edit_paragraph(shift_year(src.text, year, year + 1), rng)
            doc = Document(f"doc{i:05d}", text, src.author, float(i), {"year": year + 1, "kind": "reuse"})
            planted.add(doc.doc_id)
        elif docs and roll < 0.15:
            sources = [d for d in docs if d.metadata["kind"] == "criticism"] or docs
            src = rng.choice(sources)
            name = random_name(rng)
            text = src.text.replace(src.author or "", name)
            doc = Document(f"doc{i:05d}", text, name, float(i), {"year": src.metadata["year"], "kind": "copy"})
            planted.add(doc.doc_id)
        else:
            name, year = random_name(rng), rng.choice((2021, 2022, 2023))
            if roll < 0.35:
                text, kind = make_self_criticism(rng, year, name), "criticism"
            else:
                text, kind = make_report(rng, year, name, target_chars=rng.randint(1500, 3000)), "report"
            doc = Document(f"doc{i:05d}", text, name, float(i), {"year": year, "kind": kind})
        docs.append(doc)
    return docs, planted


def peak_rss_mb() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="number of documents")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backend", choices=("auto", "oph", "rensa", "numpy"), default="auto", help="MinHash backend")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also report the Python-heap peak (tracemalloc; slows the run down)")
    args = parser.parse_args()

    t0 = time.perf_counter()
    docs, planted = corpus(args.n, args.seed)
    t_gen = time.perf_counter() - t0
    chars = sum(len(d.text) for d in docs)
    print(f"generated {len(docs)} documents, {chars / len(docs):.0f} chars on average "
          f"({len(planted)} planted copies) in {t_gen:.1f} s")

    if args.tracemalloc:
        tracemalloc.start()
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "bench.sqlite")
        index = Index(store, Config(minhash_backend=args.backend))
        t0, c0 = time.perf_counter(), time.process_time()
        index.index_many(docs)
        t_index, c_index = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        report = index.report([d.doc_id for d in docs])
        t_report, c_report = time.perf_counter() - t0, time.process_time() - c0
        db_mb = (Path(tmp) / "bench.sqlite").stat().st_size / 1024 / 1024
        store.close()
    heap_peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024 if args.tracemalloc else None

    flagged = {s.doc_id for s in report.flagged()}
    in_cluster = {d for c in report.clusters for d in c.members}
    found = len(planted & flagged)
    false_flags = len(flagged - planted - in_cluster)
    total = t_index + t_report
    print(f"MinHash backend: {index.minhasher.scheme}")
    print("phase    wall s   docs/s   (CPU s: a busy machine inflates wall time, not CPU time)")
    print(f"index  {t_index:7.1f} {len(docs) / t_index:8.1f}   ({c_index:.1f})")
    print(f"report {t_report:7.1f} {len(docs) / t_report:8.1f}   ({c_report:.1f}; {len(report.pairs)} scored pairs)")
    print(f"total  {total:7.1f} {len(docs) / total:8.1f}   ({c_index + c_report:.1f})")
    print(f"peak RSS {peak_rss_mb():.0f} MB" + (f", Python heap peak {heap_peak:.0f} MB" if heap_peak else "")
          + f", SQLite file {db_mb:.1f} MB")
    print(f"planted copies flagged: {found}/{len(planted)}; clusters: {len(report.clusters)}; "
          f"flagged documents outside any planted copy or cluster: {false_flags}")


if __name__ == "__main__":
    main()
