"""Stable, vectorised hashing of character k-grams.

Python's built-in ``hash()`` of ``str`` is salted per process
(``PYTHONHASHSEED``), so it cannot be stored in an index. Here every k-gram is
hashed from its Unicode code points with a fixed multiply–xorshift scheme in
numpy ``uint64`` arithmetic (wrap-around is well defined), followed by the
murmur3 64-bit finaliser. Results are identical across processes, platforms and
runs, and are reduced to 63 bits so that every hash fits a signed 64-bit
database column (SQLite ``INTEGER``, PostgreSQL ``bigint``) without conversion.
"""

from __future__ import annotations

import numpy as np

HASH_BITS = 63
HASH_MASK = np.uint64((1 << HASH_BITS) - 1)

_SEED = np.uint64(0x9E3779B97F4A7C15)
_MUL = np.uint64(0xBF58476D1CE4E5B9)
_FMIX1 = np.uint64(0xFF51AFD7ED558CCD)
_FMIX2 = np.uint64(0xC4CEB9FE1A85EC53)


def fmix64(h: np.ndarray) -> np.ndarray:
    """murmur3 finaliser: spreads every input bit over all output bits."""
    h = h ^ (h >> np.uint64(33))
    h = h * _FMIX1
    h = h ^ (h >> np.uint64(33))
    h = h * _FMIX2
    return h ^ (h >> np.uint64(33))


def code_points(text: str) -> np.ndarray:
    """Unicode code points of ``text`` as ``uint64`` (one entry per character)."""
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)


def kgram_hashes(text: str, k: int, salt: int = 0) -> np.ndarray:
    """63-bit hash of every k-gram ``text[i:i+k]``, for ``i`` in ``0..len(text)-k``.

    Precondition: ``k >= 1``. Returns an empty array when ``len(text) < k``.
    ``salt`` separates hash families (shingles vs. fingerprints) so that equal
    substrings of different lengths never collide by construction.
    """
    if k < 1:
        raise ValueError("k must be >= 1")
    n = len(text) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    cps = code_points(text)
    h = np.full(n, _SEED ^ np.uint64(k * 0x100 + salt), dtype=np.uint64)
    # Window position j of every k-gram at once: O(k) numpy passes over n items.
    for j in range(k):
        h ^= cps[j:j + n]
        h *= _MUL
        h ^= h >> np.uint64(29)
    return fmix64(h) & HASH_MASK


def hash_ints(values: np.ndarray, salt: int) -> np.ndarray:
    """Row-wise 63-bit hash of a 2-D ``uint64`` array (e.g. LSH bands)."""
    values = np.asarray(values, dtype=np.uint64)
    h = np.full(values.shape[0], _SEED ^ np.uint64(salt), dtype=np.uint64)
    for j in range(values.shape[1]):
        h ^= values[:, j]
        h *= _MUL
        h ^= h >> np.uint64(29)
    return fmix64(h) & HASH_MASK
