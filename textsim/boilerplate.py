"""Document-frequency stoplist: 公共表述 (boilerplate) detection.

A fingerprint that occurs in more than ``max(max_docs, max_share × N)`` of the
``N`` indexed documents is a stock phrase (套话、公共表述: "坚持以习近平新时代中国
特色社会主义思想为指导" …). Such fingerprints

* never make two documents candidates of each other, and
* mark the characters around them as boilerplate, which is reported apart and
  never counted in a copy ratio.

The character mask is derived from the document's own fingerprints only (no
partner needed): each character takes the label of the nearest fingerprint
k-gram window; ties go to "not boilerplate", and characters farther than the
winnowing window from every boilerplate window stay unmarked. Because
consecutive fingerprints are at most ``w`` k-grams apart, a boilerplate passage
is covered end to end up to about half a window at its edges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .fingerprint import Fingerprints


@dataclass(frozen=True)
class BoilerplatePolicy:
    """When is a fingerprint boilerplate? ``df > max(max_docs, max_share × N)``."""

    max_docs: int = 10
    max_share: float = 0.05

    def threshold(self, n_docs: int) -> int:
        """Largest document frequency that is still *not* boilerplate."""
        return max(self.max_docs, math.floor(self.max_share * n_docs))

    def flags(self, dfs: np.ndarray, n_docs: int) -> np.ndarray:
        """Boolean array: which of the document frequencies ``dfs`` are boilerplate."""
        return np.asarray(dfs, dtype=np.int64) > self.threshold(n_docs)


def _distance_to_windows(length: int, starts: np.ndarray, k: int) -> np.ndarray:
    """Distance of every character to the nearest window ``[s, s+k)``; inf without windows."""
    chars = np.arange(length, dtype=np.int64)
    if starts.size == 0:
        return np.full(length, np.inf)
    starts = np.sort(starts)
    idx = np.searchsorted(starts, chars, side="right") - 1
    before = np.where(idx >= 0, chars - (starts[np.maximum(idx, 0)] + k - 1), np.inf)
    before = np.maximum(before, 0)  # inside a window → 0
    nxt = idx + 1
    after = np.where(nxt < starts.size, starts[np.minimum(nxt, starts.size - 1)] - chars, np.inf)
    return np.minimum(before, after).astype(float)


def boilerplate_mask(
    length: int, fingerprints: Fingerprints, is_boilerplate: np.ndarray, k: int, window: int
) -> np.ndarray:
    """Boolean mask over the normalised text: True where the text is boilerplate.

    Preconditions: ``is_boilerplate`` is aligned with ``fingerprints``; positions
    are valid k-gram starts of a text of ``length`` characters.
    """
    flags = np.asarray(is_boilerplate, dtype=bool)
    if length == 0 or not flags.any():
        return np.zeros(length, dtype=bool)
    d_boiler = _distance_to_windows(length, fingerprints.positions[flags], k)
    d_real = _distance_to_windows(length, fingerprints.positions[~flags], k)
    return (d_boiler < d_real) & (d_boiler <= window)
