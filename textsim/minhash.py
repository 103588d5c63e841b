"""Character shingles, MinHash signatures, LSH bands and exact set similarity.

* Shingles: every character 5-gram of the normalised text, hashed to 63 bits
  (:func:`textsim.hashing.kgram_hashes`), as a sorted unique ``uint64`` array.
* MinHash: 128 slots of 32 bits. Three interchangeable backends:

  - ``oph`` (the default): one-permutation hashing with optimal densification
    (Li, Owen & Zhang 2012; Shrivastava 2017). The shingle hash itself is the
    one permutation: its top 7 bits choose one of 128 bins, the smallest hash in
    each bin gives the slot. Shingles are already a sorted array, so a signature
    is 128 binary searches — O(128 · log n) instead of O(128 · n) hash
    evaluations — about 40× less work than the others for a 5,000-character
    report. Empty bins (short texts) borrow from a bin chosen by a fixed
    sequence of the bin's index, so two documents borrow the same way;
  - ``rensa`` (R-MinHash, Rust), the previous default;
  - ``numpy``: classic multiply–shift MinHash, ``h_i(x) = (a_i·x + b_i) >> 32``
    over ``uint64`` with wrap-around, vectorised per document.

  They produce *different* signatures, so the backend's ``scheme`` string
  is persisted with the index and checked when it is reopened (an index keeps
  the backend that built it).
* LSH: 32 bands × 4 rows. A pair with Jaccard ``s`` becomes a candidate with
  probability ``1 - (1 - s**4)**32`` (≈ 0.42 at the 50 % point; 0.99 at s = 0.6).
* Candidates are always verified with exact Jaccard / containment over the
  shingle sets: MinHash only proposes, it never decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from .fingerprint import sorted_unique
from .hashing import fmix64, hash_ints, kgram_hashes

SHINGLE_SALT = 1
BAND_SALT = 2
EMPTY_SLOT = np.uint32(0xFFFFFFFF)  # value of every slot for an empty shingle set


def shingle_hashes(text: str, size: int = 5) -> np.ndarray:
    """Sorted unique 63-bit hashes of the ``size``-character shingles of ``text``."""
    return sorted_unique(kgram_hashes(text, size, salt=SHINGLE_SALT))


class MinHasher(Protocol):
    """Computes MinHash signatures; ``scheme`` names the exact algorithm."""

    scheme: str
    num_perm: int

    def signatures(self, shingle_sets: Sequence[np.ndarray]) -> np.ndarray:
        """Return a ``(len(shingle_sets), num_perm)`` ``uint32`` matrix."""
        ...


class NumpyMinHasher:
    """Classic MinHash with multiply–shift hash functions, vectorised with numpy."""

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        self.num_perm = num_perm
        self.seed = seed
        self.scheme = f"numpy-mulshift-v1-p{num_perm}-s{seed}"
        # Parameters come from a fixed mixing function, not from a numpy RNG,
        # whose streams are not promised to stay the same across versions.
        idx = np.arange(num_perm, dtype=np.uint64) + np.uint64(seed << 16)
        self._a = fmix64(idx * np.uint64(2) + np.uint64(1)) | np.uint64(1)  # odd multipliers
        self._b = fmix64(idx * np.uint64(2) + np.uint64(2))

    def signatures(self, shingle_sets: Sequence[np.ndarray]) -> np.ndarray:
        out = np.full((len(shingle_sets), self.num_perm), EMPTY_SLOT, dtype=np.uint32)
        for row, shingles in enumerate(shingle_sets):
            x = np.asarray(shingles, dtype=np.uint64)
            # Chunks bound the (chunk × num_perm) temporary for very long texts.
            for lo in range(0, x.size, 4096):
                part = x[lo:lo + 4096, None] * self._a[None, :] + self._b[None, :]
                mins = (part >> np.uint64(32)).min(axis=0).astype(np.uint32)
                np.minimum(out[row], mins, out=out[row])
        return out


OPH_BIN_SHIFT = 63 - 7  # top 7 of the 63 hash bits: 128 bins
_OPH_BIN_SHIFT = np.uint64(OPH_BIN_SHIFT)
_OPH_VALUE_SHIFT = np.uint64(63 - 7 - 32)  # the next 32 bits are the slot value
_OPH_ATTEMPTS = 64


class OphMinHasher:
    """One-permutation MinHash with optimal densification, read off sorted shingle hashes."""

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        if num_perm != 128:
            raise ValueError("the oph backend has exactly 128 slots (7 bits of the shingle hash)")
        self.num_perm = num_perm
        self.seed = seed
        self.scheme = f"oph-dens-v1-p{num_perm}-s{seed}"
        bins = np.arange(num_perm, dtype=np.uint64)
        self._bin_starts = bins << _OPH_BIN_SHIFT
        # Donor bins of optimal densification: attempt a for empty bin i looks at
        # donors[i, a], a fixed function of (seed, i, a) — the same for every document.
        grid = (bins[:, None] << np.uint64(16)) + np.arange(_OPH_ATTEMPTS, dtype=np.uint64)[None, :]
        mixed = fmix64(grid ^ np.uint64((seed << 40) | 0xD0_0000_0000))
        self._donors = (mixed % np.uint64(num_perm)).astype(np.int64)

    def signature(self, shingles: np.ndarray) -> np.ndarray:
        """Signature of one sorted unique shingle array (``uint32``, ``num_perm`` slots)."""
        x = np.asarray(shingles, dtype=np.uint64)
        if x.size == 0:
            return np.full(self.num_perm, EMPTY_SLOT, dtype=np.uint32)
        if x.size > 1 and not bool((x[1:] >= x[:-1]).all()):
            x = sorted_unique(x)
        first = np.searchsorted(x, self._bin_starts)  # first (= smallest) hash of each bin
        nonempty = first < np.append(first[1:], x.size)
        values = (x[np.minimum(first, x.size - 1)] >> _OPH_VALUE_SHIFT).astype(np.uint32)
        if not nonempty.all():
            values = self._densify(values, nonempty)
        return values

    def signature_of_hashes(self, hashes: np.ndarray) -> np.ndarray:
        """:meth:`signature` of the set of ``hashes`` (any order, repeats allowed): no sort needed,
        each bin's minimum is found in one compiled pass (:func:`textsim.kernels.oph_minima`)."""
        from .kernels import oph_minima

        return self.signature_of_minima(oph_minima(hashes, OPH_BIN_SHIFT, self.num_perm))

    def signature_of_minima(self, minima: np.ndarray) -> np.ndarray:
        """The signature from each bin's smallest hash (:data:`textsim.kernels.NO_HASH` when empty;
        all empty: the empty set's signature)."""
        from .kernels import NO_HASH

        nonempty = minima != NO_HASH
        if not nonempty.any():
            return np.full(self.num_perm, EMPTY_SLOT, dtype=np.uint32)
        values = (minima >> _OPH_VALUE_SHIFT).astype(np.uint32)
        if not nonempty.all():
            values = self._densify(values, nonempty)
        return values

    def _densify(self, values: np.ndarray, nonempty: np.ndarray) -> np.ndarray:
        out = values.copy()
        full = np.flatnonzero(nonempty)
        for i in np.flatnonzero(~nonempty).tolist():
            donors = self._donors[i][nonempty[self._donors[i]]]
            # After 64 unlucky attempts (≈ never unless almost every bin is empty): the next full bin.
            donor = int(donors[0]) if donors.size else int(full[np.searchsorted(full, i) % full.size])
            out[i] = values[donor]
        return out

    def signatures(self, shingle_sets: Sequence[np.ndarray]) -> np.ndarray:
        out = np.empty((len(shingle_sets), self.num_perm), dtype=np.uint32)
        for row, shingles in enumerate(shingle_sets):
            out[row] = self.signature(shingles)
        return out


class RensaMinHasher:
    """R-MinHash from the ``rensa`` package (Rust), fed with our stable shingle hashes."""

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        import rensa  # deferred: optional dependency

        self._rminhash = rensa.RMinHash
        self.num_perm = num_perm
        self.seed = seed
        self.scheme = f"rensa-rminhash-v{rensa.RMinHash.ALGORITHM_VERSION}-p{num_perm}-s{seed}"

    def signatures(self, shingle_sets: Sequence[np.ndarray]) -> np.ndarray:
        out = np.full((len(shingle_sets), self.num_perm), EMPTY_SLOT, dtype=np.uint32)
        nonempty = [i for i, s in enumerate(shingle_sets) if len(s)]
        if not nonempty:
            return out
        arrays = [np.asarray(shingle_sets[i], dtype=np.uint64) for i in nonempty]
        flat = np.concatenate(arrays)
        offsets = np.zeros(len(arrays) + 1, dtype=np.uint64)
        np.cumsum([a.size for a in arrays], out=offsets[1:])
        rows = self._rminhash.digest_matrix_from_flat_token_hashes(
            flat, offsets, self.num_perm, self.seed
        ).to_rows()
        out[nonempty] = np.asarray(rows, dtype=np.uint32)
        return out


def rensa_available() -> bool:
    """True when ``rensa`` imports and exposes the API used here."""
    try:
        import rensa
    except ImportError:
        return False
    return hasattr(rensa.RMinHash, "digest_matrix_from_flat_token_hashes")


def make_minhasher(backend: str = "auto", num_perm: int = 128, seed: int = 1) -> MinHasher:
    """Build a MinHash backend: ``"oph"``, ``"rensa"``, ``"numpy"`` or ``"auto"`` (oph for 128 slots)."""
    if backend == "auto":
        backend = "oph" if num_perm == 128 else ("rensa" if rensa_available() else "numpy")
    if backend == "oph":
        return OphMinHasher(num_perm, seed)
    if backend == "rensa":
        return RensaMinHasher(num_perm, seed)
    if backend == "numpy":
        return NumpyMinHasher(num_perm, seed)
    raise ValueError(f"unknown MinHash backend {backend!r}")


def backend_for_scheme(scheme: str) -> str:
    """Name of the backend that produced signatures of ``scheme``."""
    return scheme.split("-", 1)[0]


def band_hashes(signature: np.ndarray, bands: int = 32, rows: int = 4) -> np.ndarray:
    """One 63-bit hash per LSH band; band ``i`` covers slots ``[i*rows, (i+1)*rows)``.

    Precondition: ``len(signature) == bands * rows``. The band index is hashed in
    so equal slot values in different bands never share a bucket.
    """
    sig = np.asarray(signature, dtype=np.uint64)
    if sig.size != bands * rows:
        raise ValueError(f"signature has {sig.size} slots, expected {bands * rows}")
    table = np.empty((bands, rows + 1), dtype=np.uint64)
    table[:, 0] = np.arange(bands, dtype=np.uint64)
    table[:, 1:] = sig.reshape(bands, rows)
    return hash_ints(table, BAND_SALT)


def band_hashes_many(signatures: np.ndarray, bands: int = 32, rows: int = 4) -> np.ndarray:
    """:func:`band_hashes` of every row of a ``(n, bands * rows)`` signature matrix, as ``(n, bands)``."""
    sig = np.asarray(signatures, dtype=np.uint64)
    n = sig.shape[0]
    if sig.shape[1] != bands * rows:
        raise ValueError(f"signature has {sig.shape[1]} slots, expected {bands * rows}")
    table = np.empty((n, bands, rows + 1), dtype=np.uint64)
    table[:, :, 0] = np.arange(bands, dtype=np.uint64)
    table[:, :, 1:] = sig.reshape(n, bands, rows)
    return hash_ints(table.reshape(n * bands, rows + 1), BAND_SALT).reshape(n, bands)


def lsh_probability(similarity: float, bands: int = 32, rows: int = 4) -> float:
    """Probability that a pair with Jaccard ``similarity`` shares at least one band."""
    return 1.0 - (1.0 - similarity**rows) ** bands


def intersection_size(a: np.ndarray, b: np.ndarray) -> int:
    """Size of the intersection of two sorted unique arrays."""
    if a.size > b.size:
        a, b = b, a
    if a.size == 0:
        return 0
    # Binary search of the smaller set in the larger: no merge/sort of both arrays.
    idx = np.searchsorted(b, a)
    idx[idx == b.size] = 0
    return int(np.count_nonzero(b[idx] == a))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two shingle sets (sorted unique arrays)."""
    if a.size == 0 and b.size == 0:
        return 0.0
    inter = intersection_size(a, b)
    return inter / (a.size + b.size - inter)


def set_similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """``(jaccard, containment of a in b, containment of b in a)`` with one intersection."""
    inter = intersection_size(a, b)
    union = a.size + b.size - inter
    return (inter / union if union else 0.0, inter / a.size if a.size else 0.0,
            inter / b.size if b.size else 0.0)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Share of ``a``'s shingles that also occur in ``b`` (``|a ∩ b| / |a|``)."""
    if a.size == 0:
        return 0.0
    return intersection_size(a, b) / a.size
