"""Candidate pairs of a whole-store report, computed at once with numpy.

:meth:`Index.report` of many documents used to ask the store, per document,
for the holders of each of its ≈ 300 fingerprint hashes and for its LSH bucket
mates: ≈ 300 index look-ups per document. Here the sketches of every stored
document are read once (:meth:`Store.sketch_table`), the postings are built in
memory as sorted arrays (hash → holders), LSH buckets are grouped with a sort per
band, and every subject's fingerprint candidates are chosen by exactly the rules
of :meth:`Index._candidates` (same ranking, same pruning), so a report gives the
same pairs either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .fingerprint import sorted_postings


@dataclass(frozen=True)
class SketchTable:
    """The look-up part of every stored document's sketch, as flat arrays.

    ``doc_ids`` in insertion order; ``bands`` is ``(n, n_bands)`` ``int64`` with
    ``has_bands[i]`` False for a document without LSH bands (empty text);
    ``fp_hashes`` / ``fp_positions`` / ``fp_doc`` list each document's fingerprints
    (hash ``int64``, repeats allowed, and position, in the document's order) and the
    index of the document holding them.
    """

    doc_ids: list[str]
    bands: np.ndarray
    has_bands: np.ndarray
    fp_hashes: np.ndarray
    fp_positions: np.ndarray
    fp_doc: np.ndarray


def _pairs_within_groups(members: np.ndarray, group_start: np.ndarray, group_end: np.ndarray) -> np.ndarray:
    """All ``(members[i], members[j])``, ``i < j`` inside the same group, as an ``(m, 2)`` array.

    ``group_start[i]`` / ``group_end[i]``: bounds of the group of element ``i``.
    """
    idx = np.arange(members.size, dtype=np.int64)
    later = group_end - idx - 1  # elements after i in its group
    total = int(later.sum())
    if total == 0:
        return np.empty((0, 2), dtype=np.int64)
    left = np.repeat(idx, later)
    first = np.cumsum(later) - later  # output offset of each i
    right = left + 1 + (np.arange(total, dtype=np.int64) - np.repeat(first, later))
    return np.stack([members[left], members[right]], axis=1)


class GlobalCandidates:
    """Postings and LSH buckets of every stored document, in memory, for one report."""

    def __init__(self, table: SketchTable) -> None:
        self.doc_ids = table.doc_ids
        n = len(table.doc_ids)
        self.n = n
        # Tie-break of the ranking is the id string: rank of every document's id.
        self.name_rank = np.empty(n, dtype=np.int64)
        self.name_rank[np.argsort(np.asarray(table.doc_ids, dtype=object), kind="stable")] = np.arange(n)
        # Every document's own fingerprints (hash, position), for preparing it without re-winnowing.
        self.fp_hashes, self.fp_positions = table.fp_hashes, table.fp_positions
        self.fp_start = np.searchsorted(table.fp_doc, np.arange(n + 1))
        # Distinct (hash, document) postings sorted by hash, then by document (= insertion order).
        h, d = sorted_postings(table.fp_hashes, table.fp_doc.astype(np.int64))  # fp_doc is non-decreasing
        new_hash = np.empty(h.size, dtype=bool)
        if h.size:
            new_hash[0] = True
            np.not_equal(h[1:], h[:-1], out=new_hash[1:])
        starts = np.flatnonzero(new_hash)
        self.hashes = h[starts]  # distinct hashes, sorted
        self.holder_doc = d  # postings' documents, grouped by hash
        self.hash_start = starts
        self.df = np.diff(np.append(starts, h.size))
        hash_of_posting = np.cumsum(new_hash) - 1  # index of the distinct hash of each posting
        # Each document's distinct hashes (as indices into the distinct-hash arrays).
        by_doc = np.argsort(d, kind="stable")
        self.doc_hash = hash_of_posting[by_doc]
        self.doc_start = np.searchsorted(d[by_doc], np.arange(n + 1))
        self.lsh_pairs = self._lsh_pairs(table)

    def fingerprints_of(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Stored fingerprint hashes (``uint64``) and positions (``int64``) of document ``i``."""
        lo, hi = self.fp_start[i], self.fp_start[i + 1]
        return self.fp_hashes[lo:hi].astype(np.uint64), self.fp_positions[lo:hi].astype(np.int64)

    def doc_frequent(self, i: int, hashes: np.ndarray, threshold: int) -> np.ndarray:
        """:meth:`frequent` for hashes of stored document ``i`` (searched among its own hashes only)."""
        ids = self.doc_hash[self.doc_start[i]:self.doc_start[i + 1]]  # increasing, so sorted by hash
        own = self.hashes[ids]
        values = np.asarray(hashes).astype(np.int64, copy=False)
        if own.size == 0 or values.size == 0:
            return np.zeros(values.size, dtype=bool)
        idx = np.searchsorted(own, values)
        idx[idx == own.size] = 0
        return (own[idx] == values) & (self.df[ids[idx]] > threshold)

    def frequent(self, hashes: np.ndarray, threshold: int) -> np.ndarray:
        """Boolean flags: which of ``hashes`` are held by more than ``threshold`` stored documents."""
        values = np.asarray(hashes).astype(np.int64, copy=False)
        if self.hashes.size == 0 or values.size == 0:
            return np.zeros(values.size, dtype=bool)
        idx = np.searchsorted(self.hashes, values)
        idx[idx == self.hashes.size] = 0
        known = self.hashes[idx] == values
        return known & (self.df[idx] > threshold)

    @staticmethod
    def _lsh_pairs(table: SketchTable) -> np.ndarray:
        """Distinct document pairs ``(i, j)``, ``i < j``, sharing at least one LSH bucket."""
        rows = np.flatnonzero(table.has_bands)
        found = []
        for band in range(table.bands.shape[1]):
            values = table.bands[rows, band]
            order = np.argsort(values, kind="stable")
            v, members = values[order], rows[order]
            if v.size < 2:
                continue
            new = np.empty(v.size, dtype=bool)
            new[0] = True
            np.not_equal(v[1:], v[:-1], out=new[1:])
            starts = np.flatnonzero(new)
            size = np.diff(np.append(starts, v.size))
            if size.max() < 2:
                continue
            group = np.cumsum(new) - 1
            in_pairs = size[group] > 1
            members, group = members[in_pairs], group[in_pairs]
            lo = np.searchsorted(group, group, side="left")
            hi = np.searchsorted(group, group, side="right")
            found.append(_pairs_within_groups(members, lo, hi))
        if not found:
            return np.empty((0, 2), dtype=np.int64)
        pairs = np.concatenate(found)
        pairs = np.sort(pairs, axis=1)
        n = max(1, len(table.doc_ids))
        keys = np.unique(pairs[:, 0] * n + pairs[:, 1])
        return np.stack([keys // n, keys % n], axis=1)

    def fingerprint_candidates(self, i: int, max_df: int, min_shared: int, max_candidates: int) -> list[int]:
        """Fingerprint candidates of document ``i`` by the rules of :meth:`Index._candidates`.

        ``max_df`` = ``min(candidate_max_df, 公共表述 threshold)``: hashes held by more
        documents nominate nobody.
        """
        if max_candidates <= 0:
            return []
        hashes = self.doc_hash[self.doc_start[i]:self.doc_start[i + 1]]
        if hashes.size == 0:
            return []
        df = self.df[hashes]
        real = hashes[df <= max_df]
        n_real = real.size
        real = real[self.df[real] >= 2]  # held by this document alone: nominates nobody
        if real.size == 0:
            return []
        lens = self.df[real]
        starts = self.hash_start[real]
        offsets = np.cumsum(lens) - lens
        total = int(lens.sum())
        where = np.repeat(starts - offsets, lens) + np.arange(total, dtype=np.int64)
        others = self.holder_doc[where]
        which = np.repeat(real, lens)
        not_me = others != i
        others, which = others[not_me], which[not_me]
        if others.size == 0:
            return []
        order = np.argsort(others, kind="stable")
        others, which = others[order], which[order]
        new = np.empty(others.size, dtype=bool)
        new[0] = True
        np.not_equal(others[1:], others[:-1], out=new[1:])
        starts = np.flatnonzero(new)
        counts = np.diff(np.append(starts, others.size))
        ok = counts >= min_shared
        if not ok.any():
            return []
        starts, counts = starts[ok], counts[ok]
        docs = others[starts]
        rank = np.lexsort((self.name_rank[docs], -counts))
        picked: list[int] = []
        covered: set[int] = set()
        for r in rank.tolist():
            if len(picked) >= max_candidates:
                break
            count = int(counts[r])
            lo = int(starts[r])
            hs = which[lo:lo + count].tolist()
            # A candidate holding ≥ 20 % of the shared-able hashes may be a near-duplicate: never skipped.
            if count * 5 < n_real and covered.issuperset(hs):
                continue
            covered.update(hs)
            picked.append(int(docs[r]))
        return picked

    def fingerprint_pairs(self, subjects: Sequence[int], max_df: int, min_shared: int,
                          max_candidates: int) -> np.ndarray:
        """``(subject, candidate)`` rows of the fingerprint candidates of every subject."""
        found = []
        for i in subjects:
            picked = self.fingerprint_candidates(i, max_df, min_shared, max_candidates)
            if picked:
                arr = np.asarray(picked, dtype=np.int64)
                found.append(np.stack([np.full(arr.size, i, dtype=np.int64), arr], axis=1))
        return np.concatenate(found) if found else np.empty((0, 2), dtype=np.int64)

    def lsh_pairs_of(self, subjects: Sequence[int]) -> np.ndarray:
        """The LSH pairs involving at least one of the subjects."""
        lsh = self.lsh_pairs
        if lsh.size == 0:
            return lsh
        mask = np.zeros(self.n, dtype=bool)
        mask[np.asarray(subjects, dtype=np.int64)] = True
        return lsh[mask[lsh[:, 0]] | mask[lsh[:, 1]]]

    def pairs(self, subjects: Sequence[int], max_df: int, min_shared: int, max_candidates: int) -> np.ndarray:
        """Candidate pairs ``(i, j)`` (document indices, each pair once, ``i < j``) of the subjects."""
        found = [self.fingerprint_pairs(subjects, max_df, min_shared, max_candidates), self.lsh_pairs_of(subjects)]
        found = [f for f in found if f.size]
        if not found:
            return np.empty((0, 2), dtype=np.int64)
        pairs = np.sort(np.concatenate(found), axis=1)
        n = max(1, self.n)
        keys = np.unique(pairs[:, 0] * n + pairs[:, 1])
        return np.stack([keys // n, keys % n], axis=1)
