"""Every read of the duplicate check, always through the reader's scope.

The rule (docs/dupcheck.md): a match is shown only when the reader sees *both* documents, and every
score is computed from the matches the reader sees — a score never reveals that a document outside
the reader's scope exists or resembles one inside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Exists, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404

from textsim.normalize import normalize
from textsim.scoring import Cluster, DocumentScore, SourceMatch, clusters, score_document

from . import choices as c
from .detection import CONFIG, accepts, span_from_json
from .models import Document, DocumentMatch, Scan

__all__ = [
    "MatchView", "ScoredDocument", "ScanResult", "visible_documents", "get_document_for_user",
    "annotate_list_scores", "matches_for_user", "get_match_for_user", "document_matches",
    "score_documents", "scans_for_user", "get_scan_for_user", "scan_result", "relation_of",
]

DOC_RELATED = ("cadre", "unit", "region", "file")


# --- documents --------------------------------------------------------------------------------


def visible_documents(user, action: str = "view"):
    """Documents the user may act on with `action` (view, delete, export)."""
    return Document.objects.for_user(user, action).select_related(*DOC_RELATED)


def get_document_for_user(user, pk: int, action: str = "view") -> Document:
    """The document, or 404 when it does not exist or lies outside the user's scope."""
    return get_object_or_404(visible_documents(user, action), pk=pk)


def _visible_ids(user):
    return Document.objects.for_user(user, "view").values("pk")


def annotate_list_scores(queryset, user):
    """Add `max_share` (largest share copied from one visible document) and `has_near`.

    Both come from subqueries over the matches whose other side the user sees, so a list page
    costs the same number of queries however many rows it shows.
    """
    visible = _visible_ids(user)
    as_a = (DocumentMatch.objects.filter(doc_a=OuterRef("pk"), doc_b__in=visible)
            .order_by("-a_share").values("a_share")[:1])
    as_b = (DocumentMatch.objects.filter(doc_b=OuterRef("pk"), doc_a__in=visible)
            .order_by("-b_share").values("b_share")[:1])
    near = DocumentMatch.objects.filter(
        Q(doc_a=OuterRef("pk"), doc_b__in=visible) | Q(doc_b=OuterRef("pk"), doc_a__in=visible),
        near_duplicate=True)
    zero = Value(0.0, output_field=FloatField())
    return queryset.annotate(
        share_as_a=Coalesce(Subquery(as_a, output_field=FloatField()), zero),
        share_as_b=Coalesce(Subquery(as_b, output_field=FloatField()), zero),
    ).annotate(max_share=Greatest("share_as_a", "share_as_b"), has_near=Exists(near))


def flagged_q() -> Q:
    """List-level 疑似雷同 (on annotated rows): near-identical to, or ≥ 30 % copied from, one visible document."""
    return Q(has_near=True) | Q(max_share__gte=CONFIG.flag_copy_ratio)


# --- matches ------------------------------------------------------------------------------------


def matches_for_user(user):
    """Matches whose two documents the user both sees."""
    visible = _visible_ids(user)
    return DocumentMatch.objects.filter(doc_a__in=visible, doc_b__in=visible).select_related(
        *(f"doc_a__{r}" for r in DOC_RELATED), *(f"doc_b__{r}" for r in DOC_RELATED))


def get_match_for_user(user, pk: int) -> DocumentMatch:
    return get_object_or_404(matches_for_user(user), pk=pk)


def relation_of(doc: Document, partner: Document) -> str:
    if partner.cadre_id == doc.cadre_id:
        return c.Relation.SAME_CADRE if partner.year != doc.year else c.Relation.SAME_CADRE_YEAR
    if doc.meeting and partner.meeting == doc.meeting:
        return c.Relation.SAME_MEETING
    if partner.unit_id == doc.unit_id:
        return c.Relation.SAME_UNIT
    return c.Relation.OTHER


@dataclass
class MatchView:
    """A match seen from one of its documents."""

    match: DocumentMatch
    doc: Document
    partner: Document
    share: float
    partner_share: float
    spans: list

    @property
    def relation(self) -> str:
        return relation_of(self.doc, self.partner)

    @property
    def relation_label(self) -> str:
        return c.Relation(self.relation).label

    @property
    def jaccard(self) -> float:
        return self.match.jaccard

    @property
    def near_duplicate(self) -> bool:
        return self.match.near_duplicate

    def source_match(self) -> SourceMatch:
        share, containment, spans, partner_id = self.match.side(self.doc.pk)
        parsed = tuple(span_from_json(s) for s in spans)
        copied = sum(s.end - s.start for s in parsed if not s.boilerplate)
        boiler = sum(s.end - s.start for s in parsed if s.boilerplate)
        return SourceMatch(str(partner_id), parsed, copied, boiler, share, self.match.jaccard, containment)


def _view(match: DocumentMatch, doc: Document) -> MatchView:
    share, _, spans, _ = match.side(doc.pk)
    partner = match.doc_b if match.doc_a_id == doc.pk else match.doc_a
    partner_share = match.b_share if match.doc_a_id == doc.pk else match.a_share
    return MatchView(match, doc, partner, share, partner_share, spans)


def document_matches(user, doc: Document, mode: str | None = None) -> list[MatchView]:
    """The matches of `doc` with documents the user sees, largest share first."""
    rows = matches_for_user(user).filter(Q(doc_a=doc) | Q(doc_b=doc))
    views = [_view(m, doc) for m in rows]
    if mode:
        views = [v for v in views if accepts(mode, doc, v.partner)]
    return sorted(views, key=lambda v: (-v.share, -v.jaccard, v.partner.pk))


# --- scores -------------------------------------------------------------------------------------


@dataclass
class ScoredDocument:
    doc: Document
    score: DocumentScore
    matches: list[MatchView]
    cluster: int | None = None

    @property
    def flagged(self) -> bool:
        return self.score.copy_ratio >= CONFIG.flag_copy_ratio or self.cluster is not None

    @property
    def max_source(self) -> Document | None:
        if not self.score.max_source_id:
            return None
        for m in self.matches:
            if str(m.partner.pk) == self.score.max_source_id:
                return m.partner
        return None

    @property
    def flagged_paragraphs(self):
        return self.score.flagged_paragraphs


def boilerplate_array(doc: Document, length: int) -> np.ndarray:
    mask = np.zeros(length, dtype=bool)
    for start, end in doc.boilerplate_ranges or []:
        mask[max(0, start):min(length, end)] = True
    return mask


def score_one(doc: Document, matches: list[MatchView]) -> DocumentScore:
    """textsim's document score over the given (visible) matches only."""
    norm = normalize(doc.text, doc.author or None)
    return score_document(str(doc.pk), doc.text, norm, boilerplate_array(doc, len(norm)),
                          [m.source_match() for m in matches],
                          paragraph_threshold=CONFIG.paragraph_threshold,
                          min_paragraph_chars=CONFIG.min_paragraph_chars)


def _upload_order(doc: Document) -> float:
    """Which cluster member is the likely source: the earlier year, then the earlier upload."""
    return doc.year * 1e10 + doc.uploaded_at.timestamp()


def score_documents(user, docs: list[Document], mode: str | None = None) -> list[ScoredDocument]:
    """Scores of `docs` from the matches the user sees (and the mode accepts); one query for all."""
    by_id = {d.pk: d for d in docs}
    rows = matches_for_user(user).filter(Q(doc_a_id__in=list(by_id)) | Q(doc_b_id__in=list(by_id)))
    per_doc: dict[int, list[MatchView]] = {pk: [] for pk in by_id}
    for m in rows:
        for pk in (m.doc_a_id, m.doc_b_id):
            if pk in by_id:
                view = _view(m, by_id[pk])
                if mode is None or accepts(mode, view.doc, view.partner):
                    per_doc[pk].append(view)
    return [ScoredDocument(d, score_one(d, per_doc[d.pk]),
                           sorted(per_doc[d.pk], key=lambda v: (-v.share, -v.jaccard, v.partner.pk)))
            for d in docs]


# --- scans --------------------------------------------------------------------------------------


def scans_for_user(user):
    """A scan, like any background job, belongs to the person who started it."""
    if not getattr(user, "is_authenticated", False):
        return Scan.objects.none()
    return Scan.objects.filter(created_by=user).select_related("job")


def get_scan_for_user(user, pk: int) -> Scan:
    return get_object_or_404(scans_for_user(user), pk=pk)


@dataclass
class ScanResult:
    scan: Scan
    rows: list[ScoredDocument]  # every subject the reader sees, highest copy ratio first
    pairs: list[MatchView]  # pairs worth a side-by-side view, from the subject's side
    clusters: list[Cluster]
    documents: dict[int, Document] = field(default_factory=dict)  # every document named above

    @property
    def flagged(self) -> list[ScoredDocument]:
        return [r for r in self.rows if r.flagged]

    def cluster_rows(self) -> list[dict]:
        out = []
        for number, cluster in enumerate(self.clusters, start=1):
            members = [self.documents[int(d)] for d in cluster.members]
            out.append({"number": number, "members": members, "source": members[0]})
        return out


def scan_result(user, scan: Scan) -> ScanResult:
    """The scan's findings as `user` may see them now (subjects and partners within the user's scope)."""
    subjects = list(visible_documents(user).filter(pk__in=scan.subjects.values("pk")))
    scored = score_documents(user, subjects, None if scan.mode == c.ScanMode.UPLOAD else scan.mode)
    documents = {d.pk: d for d in subjects}
    edges = []
    seen_pairs: set[int] = set()
    pairs: list[MatchView] = []
    for row in scored:
        for view in row.matches:
            documents.setdefault(view.partner.pk, view.partner)
            if view.match.pk in seen_pairs:
                continue
            seen_pairs.add(view.match.pk)
            if view.near_duplicate:
                edges.append((str(view.doc.pk), str(view.partner.pk)))
            if view.near_duplicate or view.match.max_share >= CONFIG.flag_pair_share:
                pairs.append(view)
    groups = clusters(edges, {str(pk): _upload_order(d) for pk, d in documents.items()})
    number = {int(d): i for i, g in enumerate(groups, start=1) for d in g.members}
    for row in scored:
        row.cluster = number.get(row.doc.pk)
    scored.sort(key=lambda r: (-r.score.copy_ratio, r.doc.pk))
    pairs.sort(key=lambda v: (-v.match.max_share, -v.jaccard, v.match.pk))
    return ScanResult(scan, scored, pairs, groups, documents)
