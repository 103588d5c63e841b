from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from textsim.align import Block, _extend_left, _extend_right, align, merge_blocks, split_by_mask
from textsim.fingerprint import winnow

from .conftest import random_cjk

K = 13


def _align(a: str, b: str, **kwargs: int) -> list[Block]:
    return align(a, winnow(a), b, winnow(b), k=K, **kwargs)


def _covered(length: int, blocks: list[Block], side: str = "a") -> np.ndarray:
    mask = np.zeros(length, dtype=bool)
    for blk in blocks:
        lo, hi = (blk.a_start, blk.a_end) if side == "a" else (blk.b_start, blk.b_end)
        mask[lo:hi] = True
    return mask


def test_identical_text_is_one_block() -> None:
    text = random_cjk(random.Random(1), 300)
    assert _align(text, text) == [Block(0, 300, 0, 300)]


def test_spans_are_exact_common_substrings() -> None:
    rng = random.Random(2)
    shared = random_cjk(rng, 120)
    a = random_cjk(rng, 50) + shared + random_cjk(rng, 70)
    b = random_cjk(rng, 10) + shared + random_cjk(rng, 5)
    (blk,) = _align(a, b)
    assert a[blk.a_start:blk.a_end] == b[blk.b_start:blk.b_end] == shared


def test_moved_paragraphs_still_match_and_spans_cover_the_moved_text() -> None:
    rng = random.Random(3)
    paragraphs = [random_cjk(rng, rng.randint(60, 200)) for _ in range(8)]
    a = "".join(paragraphs)
    order = [5, 2, 7, 0, 3, 6, 1, 4]
    b = "".join(paragraphs[i] for i in order)
    blocks = _align(a, b)
    covered_a = _covered(len(a), blocks)
    assert covered_a.all()
    # Paragraph 7 moved from the end to the middle: its exact text is matched where it now sits.
    start_a = a.index(paragraphs[7])
    hits = [blk for blk in blocks if blk.a_start <= start_a and blk.a_end >= start_a + len(paragraphs[7])]
    assert hits and b[hits[0].b_start:hits[0].b_end].find(paragraphs[7]) >= 0


def test_small_edits_are_merged_within_max_gap() -> None:
    rng = random.Random(4)
    a = random_cjk(rng, 200)
    b = a[:100] + "改动处" + a[103:]  # three characters replaced
    merged = _align(a, b, max_gap=8)
    assert merged == [Block(0, 200, 0, 200)]
    split = _align(a, b, max_gap=0)
    assert len(split) == 2 and _covered(200, split).sum() == 197


def test_insertions_longer_than_the_gap_are_not_merged() -> None:
    rng = random.Random(5)
    a = random_cjk(rng, 200)
    b = a[:100] + random_cjk(rng, 30) + a[100:]
    blocks = _align(a, b, max_gap=8)
    assert len(blocks) == 2 and _covered(200, blocks).all()


def test_merge_blocks_requires_same_order_in_both_documents() -> None:
    blocks = [Block(0, 50, 100, 150), Block(52, 90, 10, 48)]
    assert merge_blocks(blocks, max_gap=8, k=K) == blocks


def test_min_length_and_unrelated_texts() -> None:
    rng = random.Random(6)
    assert _align(random_cjk(rng, 300), random_cjk(rng, 300)) == []
    shared = random_cjk(rng, 45)
    a, b = random_cjk(rng, 30) + shared, shared + random_cjk(rng, 30)
    assert _align(a, b, min_length=50) == []
    assert len(_align(a, b)) == 1


def test_split_by_mask_labels_boilerplate_parts() -> None:
    mask = np.zeros(100, dtype=bool)
    mask[40:60] = True
    segments = split_by_mask([Block(20, 80, 0, 60)], mask)
    assert [(s.start, s.end, s.partner_start, s.partner_end, s.boilerplate) for s in segments] == [
        (20, 40, 0, 20, False), (40, 60, 20, 40, True), (60, 80, 40, 60, False)]


@settings(max_examples=200, deadline=None)
@given(st.text("ab", max_size=40), st.text("ab", max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_extension_helpers_match_a_naive_scan(a: str, b: str, i: int, j: int) -> None:
    i, j = min(i, len(a)), min(j, len(b))
    right = 0
    while i + right < len(a) and j + right < len(b) and a[i + right] == b[j + right]:
        right += 1
    left = 0
    while i - left > 0 and j - left > 0 and a[i - left - 1] == b[j - left - 1]:
        left += 1
    assert _extend_right(a, i, b, j) == right
    assert _extend_left(a, i, b, j) == left


def test_split_by_mask_snaps_short_unmarked_edges_to_boilerplate() -> None:
    mask = np.zeros(100, dtype=bool)
    mask[30:70] = True
    (seg,) = split_by_mask([Block(20, 80, 0, 60)], mask, snap=10)
    assert (seg.start, seg.end, seg.boilerplate) == (20, 80, True)
    # Long unmarked ends are real copied text.
    parts = split_by_mask([Block(0, 100, 0, 100)], mask, snap=10)
    assert [(s.start, s.end, s.boilerplate) for s in parts] == [(0, 30, False), (30, 70, True), (70, 100, False)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=60), st.lists(st.integers(0, 6), max_size=60), st.integers(1, 4))
def test_seeds_pair_every_shared_hash_up_to_the_cap(a_hashes: list[int], b_hashes: list[int], cap: int) -> None:
    """The numpy seeds equal the definition: per shared hash, its first ``cap`` positions in a
    times its first ``cap`` in b, sorted by diagonal then position in a."""
    from textsim.align import _seeds
    from textsim.fingerprint import Fingerprints

    def fingerprints(hashes: list[int]) -> Fingerprints:
        positions = np.arange(len(hashes), dtype=np.int64) * 3  # increasing, like winnowing's
        return Fingerprints(np.array(hashes, dtype=np.uint64), positions)

    def positions_of(hashes: list[int]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for i, h in enumerate(hashes):
            out.setdefault(h, []).append(3 * i)
        return out

    a_map, b_map = positions_of(a_hashes), positions_of(b_hashes)
    expected = sorted(((pa, pb) for h in a_map.keys() & b_map.keys()
                       for pa in a_map[h][:cap] for pb in b_map[h][:cap]), key=lambda s: (s[0] - s[1], s[0]))
    assert _seeds(fingerprints(a_hashes), fingerprints(b_hashes), cap) == expected
