"""Winnowing fingerprints (Schleimer, Wilkerson & Aiken, 2003).

Every k-gram (default k = 13 normalised characters, the "13 consecutive
identical characters" rule familiar from Chinese plagiarism reports) is hashed;
from each window of ``w`` consecutive k-gram hashes the minimum is selected
(the rightmost one on ties). The selected ``(hash, position)`` pairs are the
document's fingerprints.

Guarantee: a window of ``w`` consecutive k-grams spans ``t = w + k - 1``
characters. If two documents share a run of at least ``t`` normalised
characters, that run contains a whole window in both documents; both select the
same minimum hash from it, at a position inside the run. So every shared run of
length ``>= t`` yields at least one common fingerprint. With the defaults
``k = 13`` and ``t = 40`` the window is ``w = t - k + 1 = 28``, and on average
about ``2 / (w + 1)`` ≈ 7 % of positions become fingerprints.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .hashing import kgram_hashes

FINGERPRINT_SALT = 3
DEFAULT_K = 13
DEFAULT_GUARANTEE = 40


def window_size(k: int = DEFAULT_K, guarantee: int = DEFAULT_GUARANTEE) -> int:
    """Winnowing window ``w`` such that every shared run of ``guarantee`` characters matches.

    Precondition: ``1 <= k <= guarantee``.
    """
    if not 1 <= k <= guarantee:
        raise ValueError(f"need 1 <= k ({k}) <= guarantee ({guarantee})")
    return guarantee - k + 1


@dataclass(frozen=True)
class Fingerprints:
    """Selected k-gram hashes and their start positions in the normalised text.

    Both arrays have the same length and are ordered by position.
    """

    hashes: np.ndarray  # uint64, 63-bit values
    positions: np.ndarray  # int64

    def __len__(self) -> int:
        return int(self.positions.size)

    def pairs(self) -> list[tuple[int, int]]:
        """``(hash, position)`` tuples as plain Python ints (for storage)."""
        return list(zip(self.hashes.tolist(), self.positions.tolist(), strict=True))

    @classmethod
    def from_pairs(cls, pairs: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> Fingerprints:
        """Inverse of :meth:`pairs`; sorts by position."""
        ordered = sorted(pairs, key=lambda p: p[1])
        return cls(
            np.fromiter((h for h, _ in ordered), dtype=np.uint64, count=len(ordered)),
            np.fromiter((p for _, p in ordered), dtype=np.int64, count=len(ordered)),
        )


def winnow(text: str, k: int = DEFAULT_K, guarantee: int = DEFAULT_GUARANTEE) -> Fingerprints:
    """Winnowing fingerprints of ``text`` (already normalised).

    Texts shorter than ``k`` have no fingerprints; texts with fewer than ``w``
    k-grams get one (their minimum), so short documents can still be seeded.
    """
    return winnow_hashes(kgram_hashes(text, k, salt=FINGERPRINT_SALT), window_size(k, guarantee))


def winnow_hashes(hashes: np.ndarray, w: int) -> Fingerprints:
    """Winnowing over precomputed k-gram ``hashes`` with window ``w`` (see :func:`winnow`).

    One compiled pass (:func:`textsim.kernels.winnow`); :func:`_window_minima_sparse`
    is the numpy reference it is tested against.
    """
    from .kernels import winnow as winnow_positions

    pos = winnow_positions(hashes, w)
    return Fingerprints(hashes[pos], pos)


def _window_minima_sparse(hashes: np.ndarray, w: int) -> np.ndarray:
    """Distinct positions of the rightmost minimum of every window of ``w <= len(hashes)`` hashes.

    The numpy reference of :func:`textsim.kernels.winnow`, ties included.

    Sparse-table doubling: after level ``j`` entry ``i`` holds the rightmost
    minimum of ``hashes[i:i + 2**j]``; a window of ``w`` is the union of two
    overlapping power-of-two windows. O(n log w) numpy passes instead of an
    ``(n, w)`` array. The selected positions are non-decreasing, so
    de-duplicating needs no sort.
    """
    n = hashes.size
    values, positions = hashes, np.arange(n, dtype=np.int64)
    span = 1
    while span * 2 <= w:
        later = values[span:] <= values[:-span]  # ties: the later (rightmost) one
        values = np.where(later, values[span:], values[:-span])
        positions = np.where(later, positions[span:], positions[:-span])
        span *= 2
    m = n - w + 1
    shift = w - span
    later = values[shift:shift + m] <= values[:m]
    pos = np.where(later, positions[shift:shift + m], positions[:m])
    keep = np.empty(m, dtype=bool)
    keep[0] = True
    np.not_equal(pos[1:], pos[:-1], out=keep[1:])
    return pos[keep]


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for a 1-D array (sort + mask; much faster than ``np.unique`` on numpy 2)."""
    if values.size == 0:
        return values.copy()
    s = np.sort(values)
    keep = np.empty(s.size, dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def sorted_postings(keys: np.ndarray, vals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Entries sorted by key, then value; exact repeats dropped.

    Precondition: entries with equal keys come in non-decreasing order of value (true of
    concatenated runs of documents in insertion order, and of runs already sorted this
    way, which a stable sort merges in about one pass each).
    """
    order = np.argsort(keys, kind="stable")
    keys, vals = keys[order], vals[order]
    if keys.size:
        keep = np.empty(keys.size, dtype=bool)
        keep[0] = True
        np.logical_or(keys[1:] != keys[:-1], vals[1:] != vals[:-1], out=keep[1:])
        keys, vals = keys[keep], vals[keep]
    return keys, vals
