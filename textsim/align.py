"""Order-free span alignment by seed-and-extend on shared fingerprints.

Every fingerprint hash present in both documents is a *seed* ``(pos_a, pos_b)``.
Each seed is verified character by character (hashes may collide) and extended
left and right while the normalised texts agree, giving an exact common
substring (a :class:`Block`). Seeds are processed per diagonal
(``pos_a - pos_b``) so a long match is extended once, not once per seed.
Because seeds are never required to be in the same order in both documents,
moved or reordered paragraphs align just as well as untouched ones.

Neighbouring blocks separated by small edits (≤ ``max_gap`` characters in both
documents, e.g. one word changed) are merged into one span, which is what a
reader would call "the same paragraph".
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .fingerprint import Fingerprints


@dataclass(frozen=True)
class Block:
    """Matched span: ``a[a_start:a_end]`` corresponds to ``b[b_start:b_end]`` (normalised)."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int

    @property
    def length(self) -> int:
        return self.a_end - self.a_start

    def swapped(self) -> Block:
        """The same block seen from document b."""
        return Block(self.b_start, self.b_end, self.a_start, self.a_end)


@dataclass(frozen=True)
class Segment:
    """Part of a block in one document's coordinates, labelled boilerplate or not."""

    start: int
    end: int
    partner_start: int
    partner_end: int
    boilerplate: bool

    @property
    def length(self) -> int:
        return self.end - self.start


def _extend_right(a: str, i: int, b: str, j: int) -> int:
    """Length of the common prefix of ``a[i:]`` and ``b[j:]`` (galloping slice compares)."""
    limit = min(len(a) - i, len(b) - j)
    n, step = 0, 16
    while n < limit:
        s = step if step < limit - n else limit - n
        if a[i + n:i + n + s] == b[j + n:j + n + s]:
            n += s
            step <<= 1
        elif s == 1:
            break
        else:
            step = s >> 1
    return n


def _extend_left(a: str, i: int, b: str, j: int) -> int:
    """Length of the common suffix of ``a[:i]`` and ``b[:j]``."""
    limit = i if i < j else j
    n, step = 0, 16
    while n < limit:
        s = step if step < limit - n else limit - n
        if a[i - n - s:i - n] == b[j - n - s:j - n]:
            n += s
            step <<= 1
        elif s == 1:
            break
        else:
            step = s >> 1
    return n


def _capped_occurrences(fp: Fingerprints, common: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """``(hash, position)`` of the fingerprints whose hash is in ``common``, sorted by hash then
    position, at most the first ``cap`` positions of each hash."""
    keep = np.isin(fp.hashes, common)
    hashes, positions = fp.hashes[keep], fp.positions[keep]
    order = np.argsort(hashes, kind="stable")  # positions stay increasing within a hash
    hashes, positions = hashes[order], positions[order]
    rank = np.arange(hashes.size) - np.searchsorted(hashes, hashes, side="left")
    return hashes[rank < cap], positions[rank < cap]


def _seeds(a_fp: Fingerprints, b_fp: Fingerprints, max_occurrences: int) -> list[tuple[int, int]]:
    """All ``(pos_a, pos_b)`` pairs of equal fingerprint hashes, sorted by diagonal then pos_a.

    Hashes repeated more than ``max_occurrences`` times in either document are
    capped (the first positions are kept): repeated stock phrases would otherwise
    create a quadratic number of seeds that all extend to the same few blocks.
    Every shared hash pairs each of its positions in ``a`` with each in ``b``, built
    with numpy repeats (a position holds one hash, so no pair comes twice).
    """
    common = np.intersect1d(a_fp.hashes, b_fp.hashes)
    if common.size == 0:
        return []
    a_hashes, a_pos = _capped_occurrences(a_fp, common, max_occurrences)
    b_hashes, b_pos = _capped_occurrences(b_fp, common, max_occurrences)
    b_first = np.searchsorted(b_hashes, a_hashes, side="left")  # b's run of each a entry's hash
    b_count = np.searchsorted(b_hashes, a_hashes, side="right") - b_first
    total = int(b_count.sum())
    a_index = np.repeat(np.arange(a_pos.size), b_count)
    b_index = np.repeat(b_first - (np.cumsum(b_count) - b_count), b_count) + np.arange(total)
    pa, pb = a_pos[a_index], b_pos[b_index]
    order = np.lexsort((pa, pa - pb))
    return list(zip(pa[order].tolist(), pb[order].tolist(), strict=True))


def exact_blocks(a: str, a_fp: Fingerprints, b: str, b_fp: Fingerprints, k: int,
                 max_occurrences: int = 16) -> list[Block]:
    """Maximal exact common substrings reachable from shared fingerprints (unmerged)."""
    blocks: list[Block] = []
    last_diag, last_end = None, -1
    for pa, pb in _seeds(a_fp, b_fp, max_occurrences):
        diag = pa - pb
        if diag == last_diag and pa + k <= last_end:
            continue  # already inside the block extended from an earlier seed
        if a[pa:pa + k] != b[pb:pb + k]:
            continue  # hash collision
        left = _extend_left(a, pa, b, pb)
        right = _extend_right(a, pa, b, pb)
        block = Block(pa - left, pa + right, pb - left, pb + right)
        blocks.append(block)
        last_diag, last_end = diag, block.a_end
    return blocks


def _mergeable(prev: Block, nxt: Block, max_gap: int, k: int) -> bool:
    """Blocks in the same order in both documents, separated by small gaps (or tiny overlaps)."""
    gap_a = nxt.a_start - prev.a_end
    gap_b = nxt.b_start - prev.b_end
    return (-k < gap_a <= max_gap and -k < gap_b <= max_gap
            and nxt.a_start >= prev.a_start and nxt.b_start >= prev.b_start)


def merge_blocks(blocks: list[Block], max_gap: int, k: int) -> list[Block]:
    """Merge blocks separated by at most ``max_gap`` characters in both documents."""
    merged: list[Block] = []
    for blk in sorted(set(blocks), key=lambda b: (b.a_start, b.b_start)):
        # Look back a few blocks: a repeated phrase elsewhere in b may sit between
        # two blocks that belong together.
        for idx in range(len(merged) - 1, max(-1, len(merged) - 9), -1):
            prev = merged[idx]
            if _mergeable(prev, blk, max_gap, k):
                merged[idx] = Block(prev.a_start, max(prev.a_end, blk.a_end),
                                    prev.b_start, max(prev.b_end, blk.b_end))
                break
        else:
            merged.append(blk)
    return merged


def align(a: str, a_fp: Fingerprints, b: str, b_fp: Fingerprints, *, k: int,
          max_gap: int = 8, min_length: int | None = None, max_occurrences: int = 16) -> list[Block]:
    """Matched spans between normalised texts ``a`` and ``b``, ordered by position in ``a``.

    Preconditions: the fingerprints were computed with k-gram size ``k`` on
    exactly these texts. ``min_length`` (default ``k``) drops shorter spans.
    """
    blocks = merge_blocks(exact_blocks(a, a_fp, b, b_fp, k, max_occurrences), max_gap, k)
    floor = k if min_length is None else min_length
    return [blk for blk in blocks if blk.length >= floor]


def mask_changes(mask: np.ndarray) -> list[int]:
    """Positions ``i`` where ``mask[i] != mask[i - 1]``, as a sorted list."""
    return (np.flatnonzero(mask[1:] != mask[:-1]) + 1).tolist()


def _runs(start: int, end: int, first: bool, changes: list[int]) -> list[list]:
    """Maximal ``[lo, hi, flag]`` runs of the mask inside ``[start, end)``."""
    lo_i, hi_i = bisect_right(changes, start), bisect_left(changes, end)
    bounds = [start, *changes[lo_i:hi_i], end]
    runs, flag = [], first
    for lo, hi in pairwise(bounds):
        runs.append([lo, hi, flag])
        flag = not flag
    return runs


def _snap_edges(runs: list[list], snap: int) -> list[list]:
    """Extend boilerplate over a short unmarked run at either end of a block.

    The boilerplate mask is only precise to about half a winnowing window at a
    passage's edges; inside one exact match such a short unmarked remnant next
    to boilerplate is almost always the rest of the same stock phrase.
    """
    if snap <= 0 or len(runs) < 2:
        return runs
    for edge in (runs[0], runs[-1]):
        if not edge[2] and edge[1] - edge[0] <= snap:
            edge[2] = True
    merged = [runs[0]]
    for run in runs[1:]:
        if run[2] == merged[-1][2]:
            merged[-1] = [merged[-1][0], run[1], run[2]]
        else:
            merged.append(run)
    return merged


def split_by_mask(blocks: list[Block], mask: np.ndarray, snap: int = 0) -> list[Segment]:
    """Cut each block (in a-coordinates) where the boilerplate ``mask`` of a changes.

    ``snap``: an unmarked run of at most this many characters at either end of a
    block, next to boilerplate, counts as boilerplate too (see :func:`_snap_edges`).
    Partner coordinates of a piece are taken proportionally inside the block,
    which is exact for unmerged blocks and within ``max_gap`` for merged ones.
    """
    changes = mask_changes(mask)
    segments: list[Segment] = []
    for blk in blocks:
        runs = _snap_edges(_runs(blk.a_start, blk.a_end, bool(mask[blk.a_start]), changes), snap)
        for lo, hi, flag in runs:
            p_lo = min(blk.b_start + (lo - blk.a_start), blk.b_end)
            p_hi = blk.b_end if hi == blk.a_end else min(blk.b_start + (hi - blk.a_start), blk.b_end)
            segments.append(Segment(lo, hi, p_lo, p_hi, flag))
    return segments
