"""Benchmark: MinHash backends (one-permutation hashing, rensa, multiply–shift numpy) on 1,000 synthetic reports.

Measures the time to compute 128-slot signatures for 1,000 documents from
their 5-gram shingle sets (shingling itself is shared and timed apart), both
one document per call (as ``Index.add`` does) and one batch call, plus the
mean absolute error of the Jaccard estimate on pairs of related documents.

    .venv/bin/python benchmarks/textsim_minhash.py [--docs 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textsim.minhash import jaccard, make_minhasher, rensa_available, shingle_hashes  # noqa: E402
from textsim.normalize import normalize  # noqa: E402
from textsim.synthetic import edit_paragraph, make_report, shift_year  # noqa: E402


def _best(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` runs (least disturbed by other load on the machine)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rng = random.Random(1)
    texts = [make_report(rng, 2023, target_chars=2000) for _ in range(args.docs)]
    t0 = time.perf_counter()
    shingles = [shingle_hashes(normalize(t).text) for t in texts]
    t_shingle = time.perf_counter() - t0
    print(f"{args.docs} documents, {np.mean([s.size for s in shingles]):.0f} shingles each on average")
    print(f"normalise + shingle (shared by both backends): {t_shingle * 1000 / args.docs * 1000:.0f} ms per 1,000 docs")

    # Related pairs for accuracy: next year's copy with 0–3 paragraphs rewritten.
    pairs = []
    for i in range(200):
        edited = shift_year(texts[i], 2023, 2024)
        for _ in range(i % 4):
            edited = edit_paragraph(edited, rng)
        pairs.append((shingles[i], shingle_hashes(normalize(edited).text)))

    backends = ["oph", "numpy"] + (["rensa"] if rensa_available() else [])
    print(f"\n{'backend':8} {'per-doc calls':>15} {'one batch':>12} {'Jaccard MAE':>12}")
    for name in backends:
        mh = make_minhasher(name)
        per_doc = _best(lambda mh=mh: [mh.signatures([s]) for s in shingles], args.repeat)
        batch = _best(lambda mh=mh: mh.signatures(shingles), args.repeat)
        errors = []
        for a, b in pairs:
            sa, sb = mh.signatures([a, b])
            errors.append(abs(float(np.mean(sa == sb)) - jaccard(a, b)))
        scale = 1000 / args.docs * 1000
        print(f"{name:8} {per_doc * scale:11.0f} ms {batch * scale:8.0f} ms {np.mean(errors):12.3f}"
              f"   ({mh.scheme})", flush=True)
    print("\n(times are per 1,000 documents, best of", args.repeat, "runs)")


if __name__ == "__main__":
    main()
