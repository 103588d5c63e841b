"""Stable, vectorised hashing of character k-grams.

Python's built-in ``hash()`` of ``str`` is salted per process
(``PYTHONHASHSEED``), so it cannot be stored in an index. Here every k-gram is
hashed from its Unicode code points with a fixed polynomial (prefix sums in
numpy ``uint64`` arithmetic, whose wrap-around is well defined), followed by
the murmur3 64-bit finaliser. Results are identical across processes, platforms and
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


def code_points32(text: str) -> np.ndarray:
    """Unicode code points of ``text`` as ``uint32`` (one entry per character, lone surrogates kept)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def code_points(text: str) -> np.ndarray:
    """Unicode code points of ``text`` as ``uint64`` (one entry per character)."""
    return code_points32(text).astype(np.uint64)


# Polynomial k-gram hashing: raw(i) = sum_j c[i+j] * B**j (mod 2**64) is read off the prefix
# sums P[i] = sum_{j<i} c[j] * B**j as (P[i+k] - P[i]) * B**-i, so one prefix-sum pass serves
# every k (shingles and fingerprints alike) in O(1) numpy passes per k, then the murmur3
# finaliser mixes it. B is odd, hence invertible modulo 2**64. The same hashes are rolled in one
# compiled pass by textsim.kernels.kgrams (what kgram_hashes uses); the prefix sums stay as the
# reference the tests compare it with.
_BASE = 0x100000001B3 * 2 + 1  # odd
_BASE_INV = pow(_BASE, -1, 1 << 64)
_powers = np.ones(1, dtype=np.uint64)
_inv_powers = np.ones(1, dtype=np.uint64)
HASHING_VERSION = "poly-2"  # persisted with an index: stored hashes depend on it


def _grow_powers(n: int) -> None:
    """Make ``_powers`` / ``_inv_powers`` hold at least ``n`` entries."""
    global _powers, _inv_powers
    size = _powers.size
    if size >= n:
        return
    size = max(n, 2 * size, 4096)
    powers = np.empty(size, dtype=np.uint64)
    inv = np.empty(size, dtype=np.uint64)
    p = q = 1
    step = 1 << 12
    # Blocks of 4,096 by repeated multiplication of the previous block (exact mod 2**64).
    block_p = np.empty(min(size, step), dtype=np.uint64)
    block_q = np.empty(min(size, step), dtype=np.uint64)
    for i in range(block_p.size):
        block_p[i], block_q[i] = p, q
        p, q = p * _BASE % (1 << 64), q * _BASE_INV % (1 << 64)
    mul_p, mul_q = np.uint64(p), np.uint64(q)  # B**4096 and B**-4096
    for lo in range(0, size, block_p.size):
        hi = min(size, lo + block_p.size)
        powers[lo:hi] = block_p[:hi - lo]
        inv[lo:hi] = block_q[:hi - lo]
        block_p = block_p * mul_p
        block_q = block_q * mul_q
    _powers, _inv_powers = powers, inv


def prefix_hashes(text: str) -> np.ndarray:
    """Prefix sums ``P`` (``len(text) + 1`` entries) from which :func:`kgrams_from_prefix` reads k-grams."""
    cps = code_points(text)
    n = cps.size
    _grow_powers(n + 1)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(cps * _powers[:n], out=prefix[1:])
    return prefix


def kgrams_from_prefix(prefix: np.ndarray, k: int, salt: int = 0) -> np.ndarray:
    """:func:`kgram_hashes` of the text whose :func:`prefix_hashes` are ``prefix``."""
    if k < 1:
        raise ValueError("k must be >= 1")
    n = prefix.size - k
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    raw = (prefix[k:] - prefix[:n]) * _inv_powers[:n]
    raw ^= _SEED ^ np.uint64(k * 0x100 + salt)
    return fmix64(raw) & HASH_MASK


def kgram_hashes(text: str, k: int, salt: int = 0) -> np.ndarray:
    """63-bit hash of every k-gram ``text[i:i+k]``, for ``i`` in ``0..len(text)-k``.

    Precondition: ``k >= 1``. Returns an empty array when ``len(text) < k``.
    ``salt`` separates hash families (shingles vs. fingerprints) so that equal
    substrings of different lengths never collide by construction.
    """
    if k < 1:
        raise ValueError("k must be >= 1")
    return kgrams_of_code_points(code_points32(text), k, salt)


BASE_U64, BASE_INV_U64 = np.uint64(_BASE), np.uint64(_BASE_INV)  # for the compiled kernels


def kgrams_of_code_points(cps: np.ndarray, k: int, salt: int = 0) -> np.ndarray:
    """:func:`kgram_hashes` of the text whose code points are ``cps`` (one compiled pass, see
    :func:`textsim.kernels.kgrams`; :func:`kgrams_from_prefix` is the numpy reference)."""
    from .kernels import kgrams

    return kgrams(cps, k, salt, BASE_U64, BASE_INV_U64)


def hash_ints(values: np.ndarray, salt: int) -> np.ndarray:
    """Row-wise 63-bit hash of a 2-D ``uint64`` array (e.g. LSH bands)."""
    values = np.asarray(values, dtype=np.uint64)
    h = np.full(values.shape[0], _SEED ^ np.uint64(salt), dtype=np.uint64)
    for j in range(values.shape[1]):
        h ^= values[:, j]
        h *= _MUL
        h ^= h >> np.uint64(29)
    return fmix64(h) & HASH_MASK
