"""Compiled inner loops of sketching (numba): one pass each instead of a dozen numpy passes.

Every function here has a numpy or pure-Python twin elsewhere in the package that
defines what it must compute (the tests compare them on random and real text):

===================  ==============================================================
kernel               reference
===================  ==============================================================
:func:`kgrams`       :func:`textsim.hashing.kgrams_from_prefix` (prefix sums)
:func:`winnow`       :func:`textsim.fingerprint._window_minima_sparse`
:func:`oph_minima`   :meth:`textsim.minhash.OphMinHasher.signature` (binary searches)
:func:`sketch`       the three above, as :meth:`textsim.index.Index.prepare` combines them
:func:`merge_runs`   a stable ``argsort`` of the two runs concatenated
:func:`fold_scan`,   :func:`textsim.normalize.normalize_reference` (character by character)
:func:`colon_lines`,
:func:`compact`,
:func:`finish`
===================  ==============================================================

A report of 5,400 characters spends ≈ 0.2 ms here instead of ≈ 0.8 ms in numpy,
whose time went into calling overhead and temporaries, not arithmetic. Compiled
once per machine and cached next to this file (``__pycache__``, or numba's
user cache when that is read-only): the first import on a new machine takes a
few seconds, later ones a fraction of a second. :func:`warm_up` compiles
everything up front (sketch workers are forked after it, so they inherit the
compiled code instead of compiling it twice).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit as _numba_njit


def njit(**options: Any) -> Callable[[Any], Any]:
    """numba's ``njit``, cached on disk where numba finds a writable place (next to this file,
    ``NUMBA_CACHE_DIR``, the user's cache folder); compiled in every process where it does not
    (a read-only install run by a user without a home), rather than failing to import."""
    def decorate(function: Any) -> Any:
        try:
            return _numba_njit(**options)(function)
        except RuntimeError:  # "cannot cache function …: no locator available"
            return _numba_njit(**{k: v for k, v in options.items() if k != "cache"})(function)
    return decorate

U64 = np.uint64
_SEED = U64(0x9E3779B97F4A7C15)  # the constants of textsim.hashing
_FMIX1 = U64(0xFF51AFD7ED558CCD)
_FMIX2 = U64(0xC4CEB9FE1A85EC53)
_MASK63 = U64((1 << 63) - 1)
_S33 = U64(33)
NO_HASH = U64(0xFFFFFFFFFFFFFFFF)  # above every 63-bit hash: "empty bin"

# fold_scan flags
HAS_UNKNOWN, HAS_COLON, HAS_MULTI = 1, 2, 4
_UNKNOWN, _MULTI = -2, -1  # the fold table's markers (textsim.normalize)
_COLON = ord(":")


@njit(cache=True, inline="always")
def _fmix64(h: np.uint64) -> np.uint64:
    h ^= h >> _S33
    h *= _FMIX1
    h ^= h >> _S33
    h *= _FMIX2
    return h ^ (h >> _S33)


@njit(cache=True)
def kgrams(cps: np.ndarray, k: int, salt: int, base: np.uint64, base_inv: np.uint64) -> np.ndarray:
    """63-bit hash of every k-gram of the code points ``cps`` (``textsim.hashing``'s polynomial hash).

    ``raw(i) = Σ_j cps[i + j]·base**j (mod 2**64)`` rolled from ``raw(i - 1)`` by
    removing the first term, dividing by ``base`` (multiplying by its inverse)
    and adding the new last term; then the murmur3 finaliser.
    """
    m = cps.size - k + 1
    if m <= 0:
        return np.empty(0, dtype=np.uint64)
    out = np.empty(m, dtype=np.uint64)
    top = U64(1)  # base**(k - 1)
    for _ in range(k - 1):
        top *= base
    raw = U64(0)
    power = U64(1)
    for j in range(k):
        raw += U64(cps[j]) * power
        power *= base
    mix = _SEED ^ U64(k * 0x100 + salt)
    out[0] = _fmix64(raw ^ mix) & _MASK63
    for i in range(1, m):
        raw = (raw - U64(cps[i - 1])) * base_inv + U64(cps[i + k - 1]) * top
        out[i] = _fmix64(raw ^ mix) & _MASK63
    return out


@njit(cache=True)
def winnow(hashes: np.ndarray, w: int) -> np.ndarray:
    """Distinct positions of the rightmost minimum of every window of ``w`` hashes, in order.

    Fewer than ``w`` hashes: the one rightmost minimum. The running minimum is
    kept; only when it leaves the window is the window scanned again (the paper's
    "robust winnowing" loop), which on random hashes costs about two comparisons
    per hash.
    """
    m = hashes.size
    if m == 0:
        return np.empty(0, dtype=np.int64)
    first = min(w, m)
    cur = 0
    for i in range(1, first):
        if hashes[i] <= hashes[cur]:
            cur = i
    out = np.empty(max(1, m - w + 1), dtype=np.int64)
    out[0] = cur
    n = 1
    for r in range(first, m):  # the window [r - w + 1, r]
        if hashes[r] <= hashes[cur]:
            cur = r
            out[n] = cur
            n += 1
        elif cur <= r - w:  # the minimum left the window
            cur = r - w + 1
            for j in range(r - w + 2, r + 1):
                if hashes[j] <= hashes[cur]:
                    cur = j
            out[n] = cur
            n += 1
    return out[:n]


@njit(cache=True)
def oph_minima(hashes: np.ndarray, bin_shift: int, bins: int) -> np.ndarray:
    """Smallest hash of each of ``bins`` bins (``hash >> bin_shift``); :data:`NO_HASH` for empty bins."""
    out = np.full(bins, NO_HASH, dtype=np.uint64)
    shift = U64(bin_shift)
    for i in range(hashes.size):
        h = hashes[i]
        b = h >> shift
        if h < out[b]:
            out[b] = h
    return out


@njit(cache=True, inline="always")
def _expansion(cp: np.uint32, multi_cps: np.ndarray, multi_offsets: np.ndarray) -> tuple[int, int]:
    """``[lo, hi)`` in ``multi_flat`` of the fold of ``cp``, a character folding into several."""
    j = np.searchsorted(multi_cps, cp)
    return multi_offsets[j], multi_offsets[j + 1]


@njit(cache=True)
def _multi_has_colon(cp: np.uint32, multi_cps: np.ndarray, multi_offsets: np.ndarray,
                     multi_flat: np.ndarray) -> bool:
    lo, hi = _expansion(cp, multi_cps, multi_offsets)
    for j in range(lo, hi):
        if multi_flat[j] == _COLON:
            return True
    return False


@njit(cache=True)
def sketch(cps: np.ndarray, shingle_size: int, shingle_salt: int, kgram: int, kgram_salt: int, w: int,
           base: np.uint64, base_inv: np.uint64, bin_shift: int, bins: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What indexing needs of a normalised text, in one call: the one-permutation bin minima of its
    shingles (:func:`oph_minima`), and its winnowing fingerprints (hashes, positions)."""
    minima = oph_minima(kgrams(cps, shingle_size, shingle_salt, base, base_inv), bin_shift, bins)
    hashes = kgrams(cps, kgram, kgram_salt, base, base_inv)
    positions = winnow(hashes, w)
    return minima, hashes[positions], positions


@njit(cache=True)
def merge_runs(a_keys: np.ndarray, a_vals: np.ndarray, b_keys: np.ndarray,
               b_vals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entries of two runs sorted by key, merged in order of key; among equal keys, ``a``'s first."""
    n, m = a_keys.size, b_keys.size
    keys = np.empty(n + m, dtype=a_keys.dtype)
    vals = np.empty(n + m, dtype=a_vals.dtype)
    i = j = o = 0
    while i < n and j < m:
        if b_keys[j] < a_keys[i]:
            keys[o] = b_keys[j]
            vals[o] = b_vals[j]
            j += 1
        else:
            keys[o] = a_keys[i]
            vals[o] = a_vals[i]
            i += 1
        o += 1
    keys[o:o + n - i] = a_keys[i:]
    vals[o:o + n - i] = a_vals[i:]
    o += n - i
    keys[o:] = b_keys[j:]
    vals[o:] = b_vals[j:]
    return keys, vals


@njit(cache=True)
def fold_scan(cps: np.ndarray, fold: np.ndarray, multi_cps: np.ndarray, multi_offsets: np.ndarray,
              multi_flat: np.ndarray) -> tuple[np.ndarray, int]:
    """Each code point's fold (``fold[cp]``) and flags: unknown code points, colons (also inside
    a multi-character fold such as ``⩴`` → ``::=``), multi-character folds."""
    out = np.empty(cps.size, dtype=np.int32)
    flags = 0
    for i in range(cps.size):
        f = fold[cps[i]]
        out[i] = f
        if f == _UNKNOWN:
            flags |= HAS_UNKNOWN
        elif f == _COLON:
            flags |= HAS_COLON
        elif f == _MULTI:
            flags |= HAS_MULTI
            if _multi_has_colon(cps[i], multi_cps, multi_offsets, multi_flat):
                flags |= HAS_COLON
    return out, flags


@njit(cache=True, inline="always")
def _is_line_break(cp: np.uint32) -> bool:
    # What str.splitlines() splits on.
    return (0x0A <= cp <= 0x0D) or (0x1C <= cp <= 0x1E) or cp == 0x85 or cp == 0x2028 or cp == 0x2029


@njit(cache=True)
def colon_lines(cps: np.ndarray, folded: np.ndarray, max_len: int, multi_cps: np.ndarray,
                multi_offsets: np.ndarray, multi_flat: np.ndarray) -> np.ndarray:
    """``[start, end)`` of every line (as ``str.splitlines(keepends=True)`` cuts) of at most
    ``max_len`` characters holding a character that folds to ":" — the lines that may be headers."""
    n = cps.size
    found = []
    start = 0
    colon = False
    for i in range(n):
        f = folded[i]
        if f == _COLON or (f == _MULTI and _multi_has_colon(cps[i], multi_cps, multi_offsets, multi_flat)):
            colon = True
        cp = cps[i]
        if _is_line_break(cp) and not (cp == 0x0D and i + 1 < n and cps[i + 1] == 0x0A):
            if colon and i + 1 - start <= max_len:
                found.append((start, i + 1))
            start = i + 1
            colon = False
    if colon and n - start <= max_len:
        found.append((start, n))
    out = np.empty((len(found), 2), dtype=np.int64)
    for j in range(len(found)):
        out[j, 0] = found[j][0]
        out[j, 1] = found[j][1]
    return out


@njit(cache=True)
def _fold_into(cps: np.ndarray, folded: np.ndarray, lo: int, hi: int, out: np.ndarray, starts: np.ndarray, m: int,
               multi_cps: np.ndarray, multi_offsets: np.ndarray, multi_flat: np.ndarray) -> int:
    """Append the folded characters of ``[lo, hi)`` to ``out`` / ``starts`` from ``m``; the new ``m``."""
    for i in range(lo, hi):
        f = folded[i]
        if f > 0:
            out[m] = f
            starts[m] = i
            m += 1
        elif f == _MULTI:
            a, b = _expansion(cps[i], multi_cps, multi_offsets)
            for j in range(a, b):
                out[m] = multi_flat[j]
                starts[m] = i
                m += 1
    return m


@njit(cache=True)
def compact(cps: np.ndarray, folded: np.ndarray, dropped: np.ndarray, multi_cps: np.ndarray,
            multi_offsets: np.ndarray, multi_flat: np.ndarray, date_start: np.ndarray,
            year: int, month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The folded text: characters not folding to nothing and not on a ``dropped`` line, multi-character
    folds expanded (each piece keeps the original character's offset); the original offset of each;
    and the positions where a date may start (see the note above :func:`textsim.normalize._date_spans`)."""
    n = folded.size
    size = n
    for i in range(n):
        if folded[i] == _MULTI:
            a, b = _expansion(cps[i], multi_cps, multi_offsets)
            size += b - a - 1
    out = np.empty(size, dtype=np.uint32)
    starts = np.empty(size, dtype=np.int32)
    m = 0
    lo = 0
    for line in range(dropped.shape[0]):  # the text between dropped lines
        m = _fold_into(cps, folded, lo, dropped[line, 0], out, starts, m, multi_cps, multi_offsets, multi_flat)
        lo = dropped[line, 1]
    m = _fold_into(cps, folded, lo, n, out, starts, m, multi_cps, multi_offsets, multi_flat)
    cands = np.empty(m, dtype=np.int64)
    c = 0
    for p in range(m):
        cp = out[p]
        if not date_start[cp]:
            continue
        nxt = out[p + 1] if p + 1 < m else 0
        fits = ((p + 4 < m and out[p + 4] == year) or (p + 9 < m and out[p + 9] == year)
                or nxt == month or (p + 2 < m and out[p + 2] == month)
                or (cp == 0x31 and nxt == 0x39) or (cp == 0x32 and nxt == 0x30))
        if fits:
            cands[c] = p
            c += 1
    return out[:m], starts[:m], cands[:c]


@njit(cache=True)
def finish(cps: np.ndarray, starts: np.ndarray, span_a: np.ndarray, span_b: np.ndarray,
           content: np.ndarray, date_mark: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each date span ``[span_a[j], span_b[j])`` becomes one ``date_mark``; other characters stay
    if ``content[cp] == 1``. Returns code points, start and end offsets in the original text."""
    n = cps.size
    out = np.empty(n, dtype=np.uint32)
    out_starts = np.empty(n, dtype=np.int32)
    out_ends = np.empty(n, dtype=np.int32)
    m = 0
    s = 0
    i = 0
    while i < n:
        if s < span_a.size and i == span_a[s]:
            out[m] = date_mark
            out_starts[m] = starts[i]
            out_ends[m] = starts[span_b[s] - 1] + 1
            m += 1
            i = span_b[s]
            s += 1
            continue
        cp = cps[i]
        if content[cp] == 1:
            out[m] = cp
            out_starts[m] = starts[i]
            out_ends[m] = starts[i] + 1
            m += 1
        i += 1
    return out[:m], out_starts[:m], out_ends[:m]


def warm_up() -> None:
    """Compile (or load from the cache) every kernel, so later calls and forked workers start at once."""
    from . import fingerprint, hashing, minhash, normalize

    text = "姓名：张三\n2023年述职报告：认真学习贯彻党的二十大精神，3月5日开展调研。"
    normalize.normalize(text, "张三")
    fingerprint.winnow(text, 3, 6)
    hashing.kgram_hashes(text, 5)
    minhash.OphMinHasher().signature_of_hashes(hashing.kgram_hashes(text, 5, minhash.SHINGLE_SALT))
