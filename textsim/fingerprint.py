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
from functools import cached_property

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

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

    @cached_property
    def by_hash(self) -> dict[int, list[int]]:
        """Positions of each hash, in increasing order (computed once, used for alignment)."""
        out: dict[int, list[int]] = {}
        for h, p in zip(self.hashes.tolist(), self.positions.tolist(), strict=True):
            out.setdefault(h, []).append(p)
        return out

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
    w = window_size(k, guarantee)
    hashes = kgram_hashes(text, k, salt=FINGERPRINT_SALT)
    m = hashes.size
    if m == 0:
        return Fingerprints(hashes, np.empty(0, dtype=np.int64))
    if m <= w:
        pos = np.array([m - 1 - int(np.argmin(hashes[::-1]))], dtype=np.int64)
    else:
        windows = sliding_window_view(hashes, w)
        # argmin returns the first minimum; on the reversed window that is the
        # rightmost one, which is what winnowing prescribes.
        rightmost = (w - 1) - np.argmin(windows[:, ::-1], axis=1)
        pos = np.unique(np.arange(m - w + 1, dtype=np.int64) + rightmost)
    return Fingerprints(hashes[pos], pos)
