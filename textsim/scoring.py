"""Scores in the style of Chinese plagiarism-check reports, and duplicate clusters.

For a document of ``L`` normalised characters with boilerplate mask ``M``
(公共表述, see :mod:`textsim.boilerplate`) and ``R`` = characters covered by a
non-boilerplate match from any source:

* 总文字复制比 ``copy_ratio = |R| / L``;
* 公共表述占比 ``boilerplate_ratio = |M| / L`` (reported apart, never scored);
* 去除公共表述复制比 ``copy_ratio_excluding_boilerplate = |R| / (L - |M|)``;
* 单篇最大文字复制比 ``max_source_ratio = max over sources of |R_source| / L``;
* per paragraph (original line): copied share ``|R ∩ P| / |P|``, flagged above
  a threshold.

Near-identical pairs are joined into clusters with union-find; within a
cluster the earliest upload is shown as the likely source (原始来源).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .align import Segment
from .normalize import NormalizedText


@dataclass(frozen=True)
class MatchedSpan:
    """A matched passage in one document, in normalised and original coordinates."""

    start: int
    end: int
    orig_start: int
    orig_end: int
    partner_orig_start: int
    partner_orig_end: int
    boilerplate: bool


@dataclass(frozen=True)
class SourceMatch:
    """What one other document contributes to a document's score."""

    source_id: str
    spans: tuple[MatchedSpan, ...]
    copied_chars: int
    boilerplate_chars: int
    share: float  # copied_chars / document length
    jaccard: float
    containment: float  # share of this document's shingles found in the source


@dataclass(frozen=True)
class ParagraphScore:
    """One original line with at least one normalised character."""

    index: int
    orig_start: int
    orig_end: int
    length: int
    copied_chars: int
    boilerplate_chars: int
    copy_ratio: float
    flagged: bool


@dataclass(frozen=True)
class DocumentScore:
    doc_id: str
    length: int
    copy_ratio: float
    copy_ratio_excluding_boilerplate: float
    boilerplate_ratio: float
    max_source_ratio: float
    max_source_id: str | None
    sources: tuple[SourceMatch, ...]
    paragraphs: tuple[ParagraphScore, ...]

    @property
    def flagged_paragraphs(self) -> list[ParagraphScore]:
        return [p for p in self.paragraphs if p.flagged]


@dataclass(frozen=True)
class PairScore:
    """Similarity of two documents; spans are given for both sides."""

    a_id: str
    b_id: str
    jaccard: float
    containment_a: float  # share of a's shingles in b
    containment_b: float
    a_share: float  # share of a's characters copied from b (boilerplate excluded)
    b_share: float
    near_duplicate: bool
    a_spans: tuple[MatchedSpan, ...]
    b_spans: tuple[MatchedSpan, ...]

    @property
    def max_share(self) -> float:
        return max(self.a_share, self.b_share)


@dataclass(frozen=True)
class Cluster:
    """Near-identical documents, ordered by upload; ``members[0]`` is the likely source."""

    members: tuple[str, ...]

    @property
    def source_id(self) -> str:
        return self.members[0]


def line_index(original: str, norm: NormalizedText) -> np.ndarray:
    """Original line number of every normalised character."""
    starts = np.asarray(line_starts(original), dtype=np.int64)
    return np.searchsorted(starts, norm.offsets, side="right") - 1


def line_breaks(lines: np.ndarray) -> list[int]:
    """Normalised positions where a new original line begins (from :func:`line_index`)."""
    return (np.flatnonzero(lines[1:] != lines[:-1]) + 1).tolist()


def _line_pieces(start: int, end: int, breaks: list[int]) -> list[tuple[int, int]]:
    """Split ``[start, end)`` at the line breaks inside it."""
    inner = breaks[bisect_right(breaks, start):bisect_left(breaks, end)]
    return list(pairwise([start, *inner, end]))


def to_spans(segments: Sequence[Segment], norm: NormalizedText, breaks: list[int],
             partner: NormalizedText) -> tuple[MatchedSpan, ...]:
    """Attach original offsets (for highlighting) to segments of ``norm`` matched in ``partner``.

    A segment crossing a line break is split per original line, so dropped
    header lines and blank lines between matched paragraphs are not highlighted.
    ``breaks`` is :func:`line_breaks` of ``norm``.
    """
    spans = []
    for seg in segments:
        for lo, hi in _line_pieces(seg.start, seg.end, breaks):
            o_start, o_end = norm.original_span(lo, hi)
            p_lo = min(seg.partner_start + (lo - seg.start), seg.partner_end)
            p_hi = min(seg.partner_start + (hi - seg.start), seg.partner_end)
            if p_hi > p_lo:
                p_start, p_end = partner.original_span(p_lo, p_hi)
            else:
                p_start = p_end = int(partner.offsets[min(p_lo, len(partner) - 1)])
            spans.append(MatchedSpan(lo, hi, o_start, o_end, p_start, p_end, seg.boilerplate))
    return tuple(spans)


def coverage(length: int, spans: Iterable[MatchedSpan], boilerplate: bool = False) -> np.ndarray:
    """Boolean mask of normalised characters covered by spans of the given kind."""
    mask = np.zeros(length, dtype=bool)
    for s in spans:
        if s.boilerplate == boilerplate:
            mask[s.start:s.end] = True
    return mask


def line_starts(original: str) -> list[int]:
    """Offsets where each line of ``original`` starts."""
    starts = [0]
    i = original.find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = original.find("\n", i + 1)
    return starts


def paragraph_scores(original: str, norm: NormalizedText, copied: np.ndarray, boiler: np.ndarray,
                     threshold: float, min_chars: int) -> tuple[ParagraphScore, ...]:
    """Copy share of every original line holding normalised text.

    A paragraph is flagged when it has at least ``min_chars`` normalised
    characters and its copied share is at least ``threshold``.
    """
    if len(norm) == 0:
        return ()
    starts = line_starts(original)
    para = line_index(original, norm)
    n_lines = len(starts)
    lengths = np.bincount(para, minlength=n_lines)
    copied_n = np.bincount(para, weights=copied, minlength=n_lines).astype(int)
    boiler_n = np.bincount(para, weights=boiler, minlength=n_lines).astype(int)
    out = []
    for idx in np.flatnonzero(lengths).tolist():
        end = starts[idx + 1] - 1 if idx + 1 < n_lines else len(original)
        ratio = copied_n[idx] / lengths[idx]
        out.append(ParagraphScore(
            idx, starts[idx], end, int(lengths[idx]), int(copied_n[idx]), int(boiler_n[idx]),
            float(ratio), bool(lengths[idx] >= min_chars and ratio >= threshold),
        ))
    return tuple(out)


@dataclass(frozen=True)
class ScoreBasis:
    """What scoring a document needs besides its matches: small enough to pass between processes.

    ``runs`` has one row ``(norm start, norm end, line index, original start, original end)``
    per original line holding normalised text; ``mask`` is the 公共表述 mask, bit-packed.
    """

    length: int
    mask: bytes
    runs: np.ndarray

    def boiler_mask(self) -> np.ndarray:
        bits = np.unpackbits(np.frombuffer(self.mask, dtype=np.uint8), count=self.length)
        return bits.astype(bool)


def score_basis(original: str, norm: NormalizedText, boiler_mask: np.ndarray,
                breaks: list[int] | None = None) -> ScoreBasis:
    """:class:`ScoreBasis` of a document (``breaks``: :func:`line_breaks` of ``norm``, if known)."""
    length = len(norm)
    if length == 0:
        return ScoreBasis(0, b"", np.empty((0, 5), dtype=np.int64))
    starts = line_starts(original)
    run_starts = np.asarray([0, *(breaks if breaks is not None else line_breaks(line_index(original, norm)))],
                            dtype=np.int64)
    lines = np.searchsorted(np.asarray(starts, dtype=np.int64), norm.offsets[run_starts], side="right") - 1
    ends = np.append(run_starts[1:], length)
    line_start = np.asarray(starts, dtype=np.int64)
    line_end = np.append(line_start[1:] - 1, len(original))
    runs = np.stack([run_starts, ends, lines, line_start[lines], line_end[lines]], axis=1)
    return ScoreBasis(length, np.packbits(np.asarray(boiler_mask, dtype=bool)).tobytes(), runs)


def score_document(doc_id: str, original: str, norm: NormalizedText, boiler_mask: np.ndarray,
                   sources: Sequence[SourceMatch], *, paragraph_threshold: float = 0.5,
                   min_paragraph_chars: int = 10) -> DocumentScore:
    """Aggregate the per-source matches of one document into its scores.

    Precondition: span coordinates refer to ``norm``; ``boiler_mask`` has ``len(norm)`` entries.
    """
    return score_from_basis(doc_id, score_basis(original, norm, boiler_mask), sources,
                            paragraph_threshold=paragraph_threshold, min_paragraph_chars=min_paragraph_chars,
                            boiler_mask=np.asarray(boiler_mask, dtype=bool))


def score_from_basis(doc_id: str, basis: ScoreBasis, sources: Sequence[SourceMatch], *,
                     paragraph_threshold: float = 0.5, min_paragraph_chars: int = 10,
                     boiler_mask: np.ndarray | None = None) -> DocumentScore:
    """:func:`score_document` from a :class:`ScoreBasis` (no text needed)."""
    length = basis.length
    boiler = basis.boiler_mask() if boiler_mask is None else boiler_mask
    copied = np.zeros(length, dtype=bool)
    for src in sources:
        for s in src.spans:
            if not s.boilerplate:
                copied[s.start:s.end] = True
    copied &= ~boiler
    n_copied, n_boiler = int(copied.sum()), int(boiler.sum())
    best = max(sources, key=lambda s: (s.share, s.jaccard), default=None)
    paragraphs: tuple[ParagraphScore, ...] = ()
    if length:
        runs = basis.runs
        cum_c = np.concatenate(([0], np.cumsum(copied)))
        cum_b = np.concatenate(([0], np.cumsum(boiler)))
        lo, hi = runs[:, 0], runs[:, 1]
        sizes = (hi - lo).tolist()
        copied_n = (cum_c[hi] - cum_c[lo]).tolist()
        boiler_n = (cum_b[hi] - cum_b[lo]).tolist()
        paragraphs = tuple(
            ParagraphScore(idx, o_start, o_end, size, c, b, c / size,
                           size >= min_paragraph_chars and c / size >= paragraph_threshold)
            for (idx, o_start, o_end), size, c, b in zip(runs[:, 2:].tolist(), sizes, copied_n, boiler_n,
                                                         strict=True))
    return DocumentScore(
        doc_id=doc_id,
        length=length,
        copy_ratio=n_copied / length if length else 0.0,
        copy_ratio_excluding_boilerplate=n_copied / (length - n_boiler) if length > n_boiler else 0.0,
        boilerplate_ratio=n_boiler / length if length else 0.0,
        max_source_ratio=best.share if best else 0.0,
        max_source_id=best.source_id if best and best.share > 0 else None,
        sources=tuple(sorted(sources, key=lambda s: (-s.share, -s.jaccard, s.source_id))),
        paragraphs=paragraphs,
    )


class UnionFind:
    """Disjoint sets over hashable items (path halving, union by size)."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self._size: dict[str, int] = {}

    def find(self, x: str) -> str:
        self._parent.setdefault(x, x)
        self._size.setdefault(x, 1)
        while self._parent[x] != x:
            self._parent[x] = self._parent[self._parent[x]]
            x = self._parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._size[ra] += self._size[rb]

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = {}
        for x in self._parent:
            out.setdefault(self.find(x), []).append(x)
        return list(out.values())


def clusters(edges: Iterable[tuple[str, str]], upload_order: Mapping[str, float]) -> list[Cluster]:
    """Connected components of the near-duplicate graph, members sorted by upload time.

    Ties in upload time fall back to the id so the result is deterministic.
    Clusters are returned largest first.
    """
    uf = UnionFind()
    for a, b in edges:
        uf.union(a, b)
    result = [Cluster(tuple(sorted(g, key=lambda d: (upload_order.get(d, 0.0), d))))
              for g in uf.groups() if len(g) > 1]
    return sorted(result, key=lambda c: (-len(c.members), c.members))

