"""The glue between the platform and textsim: indexing documents, running checks, keeping results.

A check takes *subject* documents and, per comparison group, the documents they may be compared
with (the scan mode decides; None = the whole index). textsim's `Index.report` finds candidates
and aligns them; every pair found is kept in `DocumentMatch` (a fact about two documents, shown
only to people who see both), and every document involved gets its 公共表述 mask refreshed.

Nothing here checks permissions: callers (services, tasks) pass documents already chosen within
the actor's scope.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from textsim import Config, Index
from textsim import Document as TextDocument
from textsim.boilerplate import boilerplate_mask
from textsim.fingerprint import Fingerprints
from textsim.scoring import MatchedSpan, PairScore

from . import choices as c
from .models import Document, DocumentMatch, IndexEntry, IndexFingerprint
from .store import DjangoStore, RestrictedStore

__all__ = ["CONFIG", "CheckGroup", "as_textsim", "index_documents", "plan_groups", "run_check",
           "span_from_json", "span_to_json"]

# One configuration for the platform. The first group of Config's fields is persisted with the index.
CONFIG = Config()

# Candidates aligned per subject in a scan (textsim's default of 25 suits one upload against everything).
EXHAUSTIVE_CANDIDATES = 200

Progress = Callable[[float, str], None]  # (fraction done 0..1, Chinese phase label)


def as_textsim(doc: Document) -> TextDocument:
    """The textsim view of a platform document (id = primary key as text)."""
    return TextDocument(
        doc_id=str(doc.pk), text=doc.text, author=doc.author or None,
        uploaded_at=doc.uploaded_at.timestamp(),
        metadata={"filename": doc.filename, "year": doc.year, "kind": doc.kind},
    )


def open_index(store=None, config: Config | None = None) -> Index:
    """An Index over the database (raises textsim's IndexConfigError when parameters changed)."""
    return Index(store if store is not None else DjangoStore(), config or CONFIG)


def index_documents(docs: Sequence[Document]) -> None:
    """Sketch and store `docs` in the index (in the caller's transaction); unchanged ones are skipped."""
    if not docs:
        return
    index = open_index()
    index.index_many([as_textsim(d) for d in docs])
    lengths = dict(IndexEntry.objects.filter(doc_id__in=[d.doc_id for d in docs])
                   .values_list("doc_id", "norm_length"))
    for doc in docs:
        doc.norm_length = lengths.get(doc.doc_id, 0)
    Document.all_objects.bulk_update(docs, ["norm_length"])


def _ensure_indexed(index: Index, doc_ids: Iterable[int]) -> None:
    """Index the documents among `doc_ids` that the index lacks (it was rebuilt, or they predate it)."""
    wanted = sorted(set(doc_ids))
    missing: list[int] = []
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        present = set(IndexEntry.objects.filter(doc_id__in=[str(pk) for pk in chunk]).values_list("doc_id", flat=True))
        missing.extend(pk for pk in chunk if str(pk) not in present)
    for i in range(0, len(missing), 200):
        docs = Document.all_objects.filter(pk__in=missing[i:i + 200], is_deleted=False).order_by("pk")
        index.index_many([as_textsim(d) for d in docs])


# --- comparison groups ----------------------------------------------------------------------------


@dataclass
class CheckGroup:
    """Subjects compared with `allowed` documents (None: everything indexed).

    `exhaustive`: every allowed document sharing fingerprints is aligned (up to EXHAUSTIVE_CANDIDATES
    per subject, most shared first), so a pair of the group not found again no longer matches — a
    phrase may have become 公共表述 since — and its old result is removed.
    """

    subjects: list[Document]
    allowed: set[int] | None
    exhaustive: bool = False


def accepts(mode: str, subject: Document, partner: Document) -> bool:
    """Does the scan mode compare `subject` with `partner`? (Both already within the viewer's scope.)"""
    if subject.pk == partner.pk:
        return False
    if mode == c.ScanMode.CADRE:
        return partner.cadre_id == subject.cadre_id and partner.year < subject.year
    if mode == c.ScanMode.TEAM:
        return partner.cadre_id != subject.cadre_id and (
            partner.unit_id == subject.unit_id or bool(subject.meeting and partner.meeting == subject.meeting))
    return True


def plan_groups(mode: str, subjects: Sequence[Document], visible) -> list[CheckGroup]:
    """Split the subjects by what they are compared with. `visible`: the owner's documents queryset."""
    subjects = list(subjects)
    if mode == c.ScanMode.UPLOAD:
        return [CheckGroup(subjects, None)]
    if mode == c.ScanMode.SCOPE:
        allowed = set(visible.values_list("pk", flat=True)) | {d.pk for d in subjects}
        return [CheckGroup(subjects, allowed, exhaustive=True)]
    groups: dict[object, list[Document]] = {}
    if mode == c.ScanMode.CADRE:
        for doc in subjects:
            groups.setdefault(doc.cadre_id, []).append(doc)
        rows = visible.filter(cadre_id__in=list(groups)).values_list("cadre_id", "pk")
        allowed: dict[object, set[int]] = {}
        for cadre_id, pk in rows:
            allowed.setdefault(cadre_id, set()).add(pk)
        return [CheckGroup(docs, allowed.get(key, set()) | {d.pk for d in docs}, exhaustive=True)
                for key, docs in groups.items()]
    if mode == c.ScanMode.TEAM:
        for doc in subjects:
            groups.setdefault((doc.unit_id, doc.meeting), []).append(doc)
        result = []
        for (unit_id, meeting), docs in groups.items():
            q = Q(unit_id=unit_id) | (Q(meeting=meeting) if meeting else Q(pk__in=[]))
            allowed = set(visible.filter(q).values_list("pk", flat=True)) | {d.pk for d in docs}
            result.append(CheckGroup(docs, allowed, exhaustive=True))
        return result
    raise ValueError(f"unknown scan mode {mode!r}")


# --- running a check ------------------------------------------------------------------------------


def span_to_json(span: MatchedSpan) -> list[int]:
    return [span.start, span.end, span.orig_start, span.orig_end, span.partner_orig_start,
            span.partner_orig_end, int(span.boilerplate)]


def span_from_json(row: Sequence[int]) -> MatchedSpan:
    return MatchedSpan(int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]), int(row[5]), bool(row[6]))


def _match_row(pair: PairScore, now) -> DocumentMatch:
    a, b = int(pair.a_id), int(pair.b_id)
    a_spans = [span_to_json(s) for s in pair.a_spans]
    b_spans = [span_to_json(s) for s in pair.b_spans]
    if a < b:
        return DocumentMatch(doc_a_id=a, doc_b_id=b, jaccard=pair.jaccard, containment_a=pair.containment_a,
                             containment_b=pair.containment_b, a_share=pair.a_share, b_share=pair.b_share,
                             near_duplicate=pair.near_duplicate, a_spans=a_spans, b_spans=b_spans, computed_at=now)
    return DocumentMatch(doc_a_id=b, doc_b_id=a, jaccard=pair.jaccard, containment_a=pair.containment_b,
                         containment_b=pair.containment_a, a_share=pair.b_share, b_share=pair.a_share,
                         near_duplicate=pair.near_duplicate, a_spans=b_spans, b_spans=a_spans, computed_at=now)


_MATCH_FIELDS = ["jaccard", "containment_a", "containment_b", "a_share", "b_share", "near_duplicate",
                 "a_spans", "b_spans", "computed_at"]


def _mask_ranges(mask: np.ndarray) -> list[list[int]]:
    """[[start, end), …] runs of True."""
    if not mask.any():
        return []
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [[int(s), int(e)] for s, e in zip(edges[::2], edges[1::2], strict=True)]


def _refresh_masks(store: DjangoStore, config: Config, doc_ids: set[int], now) -> None:
    """Recompute the 公共表述 mask of each document under today's document frequencies.

    The same computation as textsim's Index uses for scoring, done in bulk from the stored sketches.
    """
    if not doc_ids:
        return
    keys = [str(d) for d in doc_ids]
    lengths = dict(IndexEntry.objects.filter(doc_id__in=keys).values_list("doc_id", "norm_length"))
    fps: dict[str, list[tuple[int, int]]] = {}
    for i in range(0, len(keys), 500):
        for doc_id, h, pos in IndexFingerprint.objects.filter(entry__doc_id__in=keys[i:i + 500]).values_list(
                "entry__doc_id", "hash", "pos"):
            fps.setdefault(doc_id, []).append((h, pos))
    dfs = store.document_frequencies({h for pairs in fps.values() for h, _ in pairs})
    n_docs = store.count()
    docs = list(Document.all_objects.filter(pk__in=doc_ids).only("pk"))
    for doc in docs:
        length = lengths.get(doc.doc_id, 0)
        pairs = fps.get(doc.doc_id, [])
        if pairs:
            prints = Fingerprints.from_pairs(pairs)
            flags = config.boilerplate.flags(np.array([dfs[h] for h in prints.hashes.tolist()], dtype=np.int64),
                                             n_docs)
            doc.boilerplate_ranges = _mask_ranges(boilerplate_mask(length, prints, flags, config.kgram,
                                                                   config.window))
        else:
            doc.boilerplate_ranges = []
        doc.norm_length = length
        doc.checked_at = now
    Document.all_objects.bulk_update(docs, ["boilerplate_ranges", "norm_length", "checked_at"], batch_size=200)


def _remove_stale(group: CheckGroup, found: set[tuple[int, int]]) -> None:
    """Earlier results between the group's subjects and allowed documents that this run did not find."""
    subjects = sorted(d.pk for d in group.subjects)
    stale: list[int] = []
    for i in range(0, len(subjects), 500):
        chunk = subjects[i:i + 500]
        rows = DocumentMatch.objects.filter(Q(doc_a_id__in=chunk) | Q(doc_b_id__in=chunk)).values_list(
            "pk", "doc_a_id", "doc_b_id")
        stale.extend(pk for pk, a, b in rows
                     if a in group.allowed and b in group.allowed and (a, b) not in found)
    for i in range(0, len(stale), 500):
        DocumentMatch.objects.filter(pk__in=stale[i:i + 500]).delete()


def _check_group(group: CheckGroup, progress: Progress) -> int:
    """Run one group; returns the number of pairs kept."""
    base = DjangoStore()
    if group.allowed is None:
        index = open_index(base)
    else:
        config = CONFIG
        if group.exhaustive:
            wanted = min(len(group.allowed), EXHAUSTIVE_CANDIDATES)
            config = dataclasses.replace(CONFIG, max_candidates=max(CONFIG.max_candidates, wanted))
        index = open_index(RestrictedStore(base, {str(pk) for pk in group.allowed}), config)
        _ensure_indexed(index, group.allowed)
    _ensure_indexed(index, [d.pk for d in group.subjects])

    phases = {"查找候选": (0.0, 0.15), "逐对比对": (0.15, 0.95)}

    def report_progress(items, total, desc):
        lo, hi = phases.get(desc, (0.0, 0.95))
        for i, item in enumerate(items):
            if total and (i % 5 == 0):
                progress(lo + (hi - lo) * i / total, desc)
            yield item
        progress(hi, desc)

    report = index.report([d.doc_id for d in group.subjects], report_progress)
    progress(0.95, "保存结果")
    now = timezone.now()
    rows = [_match_row(p, now) for p in report.pairs]
    with transaction.atomic():
        if rows:
            DocumentMatch.objects.bulk_create(rows, update_conflicts=True, unique_fields=["doc_a", "doc_b"],
                                              update_fields=_MATCH_FIELDS, batch_size=200)
        if group.exhaustive and group.allowed is not None:
            _remove_stale(group, {(r.doc_a_id, r.doc_b_id) for r in rows})
        _refresh_masks(base, index.config, {int(d) for d in report.documents}, now)
    progress(1.0, "完成")
    return len(rows)


def run_check(groups: Sequence[CheckGroup], progress: Progress | None = None) -> int:
    """Run every group; `progress(fraction, label)` is called as work advances. Returns pairs kept."""
    report = progress or (lambda fraction, label: None)
    total = max(1, sum(len(g.subjects) for g in groups))
    done = 0
    kept = 0
    for group in groups:
        if not group.subjects:
            continue
        share = len(group.subjects) / total
        start = done / total

        def group_progress(fraction: float, label: str, start=start, share=share) -> None:
            report(min(1.0, start + share * fraction), label)

        kept += _check_group(group, group_progress)
        done += len(group.subjects)
    report(1.0, "完成")
    return kept
