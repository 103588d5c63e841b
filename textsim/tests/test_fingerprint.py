from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textsim
from textsim.fingerprint import window_size, winnow
from textsim.hashing import kgram_hashes

K, T = 13, 40
W = window_size(K, T)


def test_window_gives_the_documented_guarantee() -> None:
    assert W == 28 and W + K - 1 == T
    with pytest.raises(ValueError):
        window_size(41, 40)


def test_fingerprints_are_a_deterministic_subset_of_kgram_positions() -> None:
    text = "坚持以人民为中心的发展思想" * 10 + "扎实推进高质量发展取得新成效"
    a, b = winnow(text), winnow(text)
    assert a.pairs() == b.pairs()
    assert all(0 <= p <= len(text) - K for p in a.positions.tolist())
    # Density is about 2/(w+1); at least one per window of w k-grams.
    gaps = [q - p for p, q in zip(a.positions.tolist(), a.positions.tolist()[1:], strict=False)]
    assert max(gaps) <= W


def test_short_texts() -> None:
    assert len(winnow("短")) == 0
    assert len(winnow("一二三四五六七八九十甲乙丙丁")) == 1


def test_hashes_do_not_depend_on_the_python_hash_seed() -> None:
    code = "from textsim.hashing import kgram_hashes; print(kgram_hashes('述职述廉报告认真学习', 5).tolist())"
    root = str(Path(textsim.__file__).resolve().parents[1])
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": root}
        outputs.add(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                   env=env, check=True, cwd=root).stdout)
    assert len(outputs) == 1
    assert outputs.pop().strip() == str(kgram_hashes("述职述廉报告认真学习", 5).tolist())
    assert all(0 <= h < 2**63 for h in kgram_hashes("述职述廉报告认真学习", 5).tolist())


# A small alphabet makes repeated k-grams and hash ties likely: the hard cases.
_alphabet = st.sampled_from(list("党建学习落实责任"))


@settings(max_examples=200, deadline=None)
@given(prefix_a=st.text(_alphabet, max_size=60), prefix_b=st.text(_alphabet, max_size=60),
       shared=st.text(st.sampled_from(list("党建学习落实责任严管厚爱")), min_size=T, max_size=90),
       suffix_a=st.text(_alphabet, max_size=60), suffix_b=st.text(_alphabet, max_size=60))
def test_every_shared_run_of_t_characters_shares_a_fingerprint(
        prefix_a: str, prefix_b: str, shared: str, suffix_a: str, suffix_b: str) -> None:
    a, b = prefix_a + shared + suffix_a, prefix_b + shared + suffix_b
    fa, fb = winnow(a, K, T), winnow(b, K, T)
    # Fingerprints whose k-gram lies entirely inside the shared run, in each document.
    inside_a = {h for h, p in fa.pairs() if len(prefix_a) <= p <= len(prefix_a) + len(shared) - K}
    inside_b = {h for h, p in fb.pairs() if len(prefix_b) <= p <= len(prefix_b) + len(shared) - K}
    assert inside_a & inside_b



@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=120), st.integers(1, 30))
def test_window_minima_equal_the_naive_rightmost_minimum(values: list[int], w: int) -> None:
    """The compiled loop and the numpy sparse table both select each window's rightmost minimum."""
    import numpy as np

    from textsim.fingerprint import _window_minima_sparse, sorted_unique, winnow_hashes

    hashes = np.array(values, dtype=np.uint64)
    windows = [(i, min(w, len(values))) for i in range(max(1, len(values) - w + 1))]
    naive = sorted({i + max(j for j in range(n) if values[i + j] == min(values[i:i + n])) for i, n in windows})
    assert winnow_hashes(hashes, w).positions.tolist() == naive
    assert winnow_hashes(hashes, w).hashes.tolist() == [values[p] for p in naive]
    if w <= hashes.size:
        assert _window_minima_sparse(hashes, w).tolist() == naive
    assert sorted_unique(hashes).tolist() == sorted(set(values))


def test_kgram_hashes_are_the_documented_polynomial() -> None:
    from textsim.hashing import _BASE, _SEED, HASH_MASK, fmix64, kgrams_from_prefix, prefix_hashes

    text = "述职述廉报告认真学习贯彻" * 400  # long enough to use several blocks of powers
    import numpy as np

    for k in (1, 5, 13):
        expected = []
        for i in (0, 1, 2500, len(text) - k):
            raw = sum(ord(text[i + j]) * pow(_BASE, j, 1 << 64) for j in range(k)) % (1 << 64)
            expected.append(int(fmix64(np.array([raw], dtype=np.uint64) ^ (_SEED ^ np.uint64(k * 0x100 + 7)))[0]
                                & HASH_MASK))
        got = kgrams_from_prefix(prefix_hashes(text), k, 7)
        assert [int(got[i]) for i in (0, 1, 2500, len(text) - k)] == expected
        assert np.array_equal(got, kgram_hashes(text, k, 7))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 400), st.integers(1, 40), st.integers(0, 2**32), st.booleans())
def test_compiled_winnowing_equals_the_sparse_table(n: int, w: int, seed: int, tie: bool) -> None:
    """On 63-bit hashes, with and without a tied minimum in the first window."""
    import numpy as np

    from textsim.fingerprint import _window_minima_sparse, winnow_hashes

    if w > n:
        return
    rng = np.random.default_rng(seed)
    hashes = rng.integers(0, 2**63, n, dtype=np.uint64)
    if tie and n >= 2 and w >= 2:
        lo = int(np.argmin(hashes[:w]))
        hashes[lo + 1 if lo + 1 < w else lo - 1] = hashes[lo]  # the first window's minimum, twice
    assert np.array_equal(winnow_hashes(hashes, w).positions, _window_minima_sparse(hashes, w))


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(max_codepoint=0x2FFFF, exclude_categories=("Cs",)), max_size=300),
       st.integers(1, 20), st.integers(0, 255))
def test_compiled_kgram_hashes_equal_the_prefix_sums(text: str, k: int, salt: int) -> None:
    import numpy as np

    from textsim.hashing import kgrams_from_prefix, prefix_hashes

    expected = kgrams_from_prefix(prefix_hashes(text), k, salt) if len(text) >= k else np.empty(0, np.uint64)
    assert np.array_equal(kgram_hashes(text, k, salt), expected)


def test_kernels_compile_where_numba_cannot_cache_them() -> None:
    """A function numba has nowhere to cache (here: no source file) is compiled in the process."""
    from textsim.kernels import njit

    namespace: dict[str, object] = {}
    exec("def twice(x):\n    return 2 * x\n", namespace)  # noqa: S102 - a function without a file
    assert njit(cache=True)(namespace["twice"])(21) == 42
