"""The duplicate-text index: sketches documents into a :class:`~textsim.store.Store` and matches them.

Typical use::

    index = Index(SQLiteStore("textsim.sqlite"))
    score = index.add(Document("42", text, author="张三", uploaded_at=time.time()))
    score.copy_ratio            # 总文字复制比 against everything stored before

    report = index.scan(documents)   # batch: index all, then score all with final frequencies

Candidate sources of a document are (a) documents sharing a bucket in the
MinHash LSH (near-duplicates as a whole) and (b) the documents sharing the most
non-boilerplate winnowing fingerprints (partial copying; at least
``min_shared_fingerprints``, at most ``max_candidates`` of them). Every
candidate is verified by exact shingle Jaccard/containment and by span
alignment; scores come from aligned spans only.
"""

from __future__ import annotations

import json
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import numpy as np

from .align import Block, align, split_by_mask
from .boilerplate import BoilerplatePolicy, boilerplate_mask
from .errors import IndexConfigError
from .fingerprint import Fingerprints, window_size, winnow
from .minhash import (
    MinHasher,
    backend_for_scheme,
    band_hashes,
    make_minhasher,
    set_similarity,
    shingle_hashes,
)
from .normalize import NormalizedText, normalize
from .scoring import (
    Cluster,
    DocumentScore,
    PairScore,
    SourceMatch,
    clusters,
    coverage,
    line_breaks,
    line_index,
    score_document,
    to_spans,
)
from .store import Document, MemoryStore, Sketch, Store

T = TypeVar("T")
Progress = Callable[[Iterable[T], int, str], Iterable[T]]

NORMALIZER_VERSION = "1"
PARAMS_KEY = "textsim.params"


def _no_progress(items: Iterable[T], total: int, desc: str) -> Iterable[T]:
    return items


@dataclass(frozen=True)
class Config:
    """All tunables. The first group is persisted with an index and must not change for it."""

    # -- index parameters (persisted) --
    shingle_size: int = 5
    num_perm: int = 128
    bands: int = 32
    rows: int = 4
    kgram: int = 13
    guarantee: int = 40  # every shared run of this many normalised characters is found
    minhash_backend: str = "auto"  # "auto" | "rensa" | "numpy"
    minhash_seed: int = 1
    # -- matching (free to change between runs) --
    max_gap: int = 8  # merge matched spans separated by at most this many characters
    # Shorter spans are ignored. In formulaic party documents 13–24 character coincidences are
    # overwhelmingly stock collocations (see docs/textsim.md); copying shows up as sentences and
    # paragraphs. Set to 13 for the exhaustive "13 consecutive characters" rule.
    min_match_chars: int = 25
    max_candidates: int = 25  # fingerprint candidates kept per document (most shared first)
    # A document becomes a candidate source when it shares at least this many non-boilerplate
    # fingerprints. 2 ignores one-off coincidences of a single stock-like phrase; a shared run of
    # 2·w + k - 1 = 68 characters always holds two fingerprints. 1 = exhaustive (any 40-char run).
    min_shared_fingerprints: int = 2
    boilerplate_max_docs: int = 10
    boilerplate_max_share: float = 0.05
    paragraph_threshold: float = 0.5
    min_paragraph_chars: int = 10
    near_duplicate_jaccard: float = 0.5
    near_duplicate_share: float = 0.7  # …or both documents this much covered by each other
    flag_copy_ratio: float = 0.3  # documents at or above are 疑似重复
    flag_pair_share: float = 0.15  # pairs shown side by side
    cache_size: int = 4096  # prepared documents kept in memory

    def __post_init__(self) -> None:
        if self.num_perm != self.bands * self.rows:
            raise ValueError("num_perm must equal bands * rows")
        window_size(self.kgram, self.guarantee)  # validates kgram <= guarantee

    @property
    def window(self) -> int:
        return window_size(self.kgram, self.guarantee)

    @property
    def boilerplate(self) -> BoilerplatePolicy:
        return BoilerplatePolicy(self.boilerplate_max_docs, self.boilerplate_max_share)

    def index_params(self, scheme: str) -> dict[str, object]:
        """Parameters that determine stored sketches."""
        return {
            "shingle_size": self.shingle_size, "num_perm": self.num_perm, "bands": self.bands,
            "rows": self.rows, "kgram": self.kgram, "guarantee": self.guarantee,
            "minhash_scheme": scheme, "normalizer": NORMALIZER_VERSION,
        }


@dataclass
class Prepared:
    """In-memory working data of one document."""

    doc: Document
    norm: NormalizedText
    shingles: np.ndarray
    fingerprints: Fingerprints
    breaks: list[int]  # normalised positions where a new original line starts


@dataclass(frozen=True)
class PairAlignment:
    a_id: str
    b_id: str
    blocks: tuple[Block, ...]
    jaccard: float
    containment_a: float
    containment_b: float


@dataclass
class ScanReport:
    """Result of :meth:`Index.report`: scores of the subject documents and what they match."""

    subjects: list[str]
    documents: dict[str, Document]
    scores: dict[str, DocumentScore]
    pairs: list[PairScore]
    clusters: list[Cluster]
    config: Config
    indexed_count: int
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, Chinese message)

    @cached_property
    def _cluster_numbers(self) -> dict[str, int]:
        return {d: i for i, c in enumerate(self.clusters, start=1) for d in c.members}

    def cluster_of(self, doc_id: str) -> int | None:
        """1-based number of the cluster containing ``doc_id``, if any."""
        return self._cluster_numbers.get(doc_id)

    def is_flagged(self, doc_id: str) -> bool:
        """疑似重复: copy ratio at or above the threshold, or member of a near-duplicate cluster."""
        score = self.scores.get(doc_id)
        return bool(score and (score.copy_ratio >= self.config.flag_copy_ratio
                               or self.cluster_of(doc_id) is not None))

    def flagged(self) -> list[DocumentScore]:
        """Flagged subject documents, highest copy ratio first."""
        out = [self.scores[d] for d in self.subjects if self.is_flagged(d)]
        return sorted(out, key=lambda s: (-s.copy_ratio, s.doc_id))

    def flagged_pairs(self) -> list[PairScore]:
        """Pairs worth a side-by-side view: near-identical, or one copies a large share of the other."""
        out = [p for p in self.pairs if p.near_duplicate or p.max_share >= self.config.flag_pair_share]
        return sorted(out, key=lambda p: (-p.max_share, -p.jaccard, p.a_id, p.b_id))


class Index:
    """Incremental duplicate-text index over a :class:`Store`."""

    def __init__(self, store: Store | None = None, config: Config | None = None) -> None:
        self.store = store if store is not None else MemoryStore()
        self.config = config or Config()
        self.minhasher = self._open_minhasher()
        self._cache: OrderedDict[str, Prepared] = OrderedDict()

    # -- setup -----------------------------------------------------------------
    def _open_minhasher(self) -> MinHasher:
        """Check the stored parameters against the config; persist them for a new index."""
        cfg = self.config
        stored_raw = self.store.get_meta(PARAMS_KEY)
        backend = cfg.minhash_backend
        if stored_raw and self.store.count():
            stored = json.loads(stored_raw)
            if backend == "auto":
                backend = backend_for_scheme(str(stored.get("minhash_scheme", "")))
            try:
                hasher = make_minhasher(backend, cfg.num_perm, cfg.minhash_seed)
            except (ImportError, ValueError) as exc:
                raise IndexConfigError(
                    f"查重索引使用的 MinHash 实现（{stored.get('minhash_scheme')}）在当前环境不可用，"
                    "请安装相应依赖或重建索引") from exc
            wanted = cfg.index_params(hasher.scheme)
            diff = sorted(k for k in wanted.keys() | stored.keys() if wanted.get(k) != stored.get(k))
            if diff:
                raise IndexConfigError(
                    f"查重索引的参数（{'、'.join(diff)}）与当前配置不一致，请使用原参数或重建索引")
            return hasher
        hasher = make_minhasher(backend, cfg.num_perm, cfg.minhash_seed)
        self.store.set_meta(PARAMS_KEY, json.dumps(cfg.index_params(hasher.scheme), sort_keys=True))
        return hasher

    # -- sketching ---------------------------------------------------------------
    def prepare(self, doc: Document) -> Prepared:
        """Normalise, shingle and fingerprint ``doc`` (cached by id and content)."""
        cached = self._cache.get(doc.doc_id)
        if cached is not None and cached.doc.content_sha256 == doc.content_sha256:
            self._cache.move_to_end(doc.doc_id)
            return cached
        norm = normalize(doc.text, doc.author)
        prep = Prepared(doc, norm, shingle_hashes(norm.text, self.config.shingle_size),
                        winnow(norm.text, self.config.kgram, self.config.guarantee),
                        line_breaks(line_index(doc.text, norm)))
        self._cache[doc.doc_id] = prep
        while len(self._cache) > self.config.cache_size:
            self._cache.popitem(last=False)
        return prep

    def sketch(self, doc: Document) -> Sketch:
        """Sketch of ``doc``: reused from the store when the same content was indexed before."""
        stored = self.store.find_sketch(doc.content_sha256)
        if stored is not None:
            return stored
        prep = self.prepare(doc)
        signature = self.minhasher.signatures([prep.shingles])[0]
        bands = band_hashes(signature, self.config.bands, self.config.rows) if prep.shingles.size else []
        return Sketch(doc.content_sha256, len(prep.norm), tuple(int(v) for v in signature),
                      tuple(int(h) for h in bands), tuple(prep.fingerprints.pairs()))

    def index(self, doc: Document) -> Sketch:
        """Store ``doc`` without matching it. Unchanged documents are left as they are."""
        existing = self.store.get_sketch(doc.doc_id)
        if existing is not None and existing.content_sha256 == doc.content_sha256:
            return existing
        sketch = self.sketch(doc)
        self.store.add(doc, sketch)
        return sketch

    def index_many(self, docs: Sequence[Document], progress: Progress | None = None) -> None:
        """Store many documents in one transaction."""
        show = progress or _no_progress
        with self.store.batch():
            for doc in show(docs, len(docs), "建立索引"):
                self.index(doc)

    # -- incremental matching -------------------------------------------------------
    def add(self, doc: Document) -> DocumentScore:
        """Store ``doc`` and score it against every other stored document."""
        self.index(doc)
        report = self.report([doc.doc_id])
        return report.scores[doc.doc_id]

    def check(self, doc: Document) -> DocumentScore:
        """Score ``doc`` against the store without keeping it.

        Precondition: ``doc.doc_id`` is not stored yet.
        """
        if self.store.get_document(doc.doc_id) is not None:
            raise ValueError(f"document {doc.doc_id!r} is already stored; use add()")
        try:
            return self.add(doc)
        finally:
            self.store.remove(doc.doc_id)

    def scan(self, docs: Sequence[Document], progress: Progress | None = None) -> ScanReport:
        """Batch scan: index all ``docs`` (reusing stored sketches), then score them."""
        self.index_many(docs, progress)
        return self.report([d.doc_id for d in docs], progress)

    # -- batch report ---------------------------------------------------------------
    def _prepared(self, doc_id: str) -> Prepared:
        cached = self._cache.get(doc_id)
        if cached is not None:
            self._cache.move_to_end(doc_id)
            return cached
        doc = self.store.get_document(doc_id)
        if doc is None:
            raise KeyError(doc_id)
        return self.prepare(doc)

    def _boiler_hashes(self, hashes: np.ndarray, n_docs: int) -> np.ndarray:
        """Boolean flags: which of ``hashes`` are boilerplate in the current corpus."""
        values = hashes.tolist()
        dfs = self.store.document_frequencies(values)
        return self.config.boilerplate.flags(np.array([dfs[h] for h in values], dtype=np.int64), n_docs)

    def _candidates(self, doc_id: str, sketch: Sketch, n_docs: int) -> set[str]:
        """Documents worth aligning with ``doc_id`` (LSH bucket mates + fingerprint sharers)."""
        found = self.store.lsh_candidates(sketch.band_hashes)
        hashes = np.fromiter({h for h, _ in sketch.fingerprints}, dtype=np.uint64)
        if hashes.size:
            real = hashes[~self._boiler_hashes(hashes, n_docs)].tolist()
            shared: Counter[str] = Counter()
            for postings in self.store.fingerprint_postings(real).values():
                for other in {d for d, _ in postings}:
                    shared[other] += 1
            shared.pop(doc_id, None)
            # Ties broken by id: set iteration order of str ids varies between processes.
            ranked = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:self.config.max_candidates]
            found |= {d for d, n in ranked if n >= self.config.min_shared_fingerprints}
        found.discard(doc_id)
        return found

    def _align_pair(self, a: Prepared, b: Prepared) -> PairAlignment:
        """Spans and exact set similarity of two documents (boilerplate not yet separated)."""
        cfg = self.config
        blocks = align(a.norm.text, a.fingerprints, b.norm.text, b.fingerprints, k=cfg.kgram,
                       max_gap=cfg.max_gap, min_length=cfg.min_match_chars)
        return PairAlignment(a.doc.doc_id, b.doc.doc_id, tuple(blocks), *set_similarity(a.shingles, b.shingles))

    def _mask(self, prep: Prepared, n_docs: int) -> np.ndarray:
        """Boilerplate mask of a document under the current document frequencies."""
        flags = self._boiler_hashes(prep.fingerprints.hashes, n_docs)
        return boilerplate_mask(len(prep.norm), prep.fingerprints, flags, self.config.kgram, self.config.window)

    def report(self, doc_ids: Sequence[str] | None = None, progress: Progress | None = None) -> ScanReport:
        """Score stored documents ``doc_ids`` (default: all) against the whole store.

        Document frequencies are taken as they are now, so scores of earlier
        ``add`` calls may differ slightly from a later report: a phrase becomes
        boilerplate only once enough documents share it.
        """
        show = progress or _no_progress
        cfg = self.config
        subjects = list(doc_ids) if doc_ids is not None else self.store.document_ids()
        n_docs = self.store.count()
        pair_keys: set[tuple[str, str]] = set()
        for doc_id in show(subjects, len(subjects), "查找候选"):
            sketch = self.store.get_sketch(doc_id)
            if sketch is None:
                raise KeyError(doc_id)
            for other in self._candidates(doc_id, sketch, n_docs):
                pair_keys.add((doc_id, other) if doc_id < other else (other, doc_id))

        alignments = [self._align_pair(self._prepared(a), self._prepared(b))
                      for a, b in show(sorted(pair_keys), len(pair_keys), "逐对比对")]
        involved = set(subjects) | {d for key in pair_keys for d in key}
        masks = {d: self._mask(self._prepared(d), n_docs) for d in involved}

        pairs: list[PairScore] = []
        per_doc: dict[str, list[SourceMatch]] = {d: [] for d in subjects}
        for al in alignments:
            if not al.blocks and al.jaccard < cfg.near_duplicate_jaccard:
                continue  # nothing to show or score
            pair = self._pair_score(al, masks)
            if not (pair.a_spans or pair.near_duplicate):
                continue
            pairs.append(pair)
            for me, other, spans, share, cont in (
                (al.a_id, al.b_id, pair.a_spans, pair.a_share, al.containment_a),
                (al.b_id, al.a_id, pair.b_spans, pair.b_share, al.containment_b),
            ):
                if me in per_doc:
                    copied = sum(s.end - s.start for s in spans if not s.boilerplate)
                    boiler = sum(s.end - s.start for s in spans if s.boilerplate)
                    per_doc[me].append(SourceMatch(other, spans, copied, boiler, share, al.jaccard, cont))

        scores = {}
        for doc_id in subjects:
            prep = self._prepared(doc_id)
            scores[doc_id] = score_document(
                doc_id, prep.doc.text, prep.norm, masks[doc_id], per_doc[doc_id],
                paragraph_threshold=cfg.paragraph_threshold, min_paragraph_chars=cfg.min_paragraph_chars)
        documents = {d: self._prepared(d).doc for d in sorted(involved)}
        edges = [(p.a_id, p.b_id) for p in pairs if p.near_duplicate]
        groups = clusters(edges, {d: doc.uploaded_at for d, doc in documents.items()})
        return ScanReport(subjects, documents, scores, pairs, groups, cfg, n_docs)

    def _pair_score(self, al: PairAlignment, masks: dict[str, np.ndarray]) -> PairScore:
        """Split an alignment by each side's boilerplate mask and compute both copy shares."""
        a, b = self._prepared(al.a_id), self._prepared(al.b_id)
        blocks = list(al.blocks)
        snap = self.config.window
        a_spans = to_spans(split_by_mask(blocks, masks[al.a_id], snap), a.norm, a.breaks, b.norm)
        b_spans = to_spans(split_by_mask([blk.swapped() for blk in blocks], masks[al.b_id], snap),
                           b.norm, b.breaks, a.norm)
        a_share = _share(len(a.norm), a_spans)
        b_share = _share(len(b.norm), b_spans)
        cfg = self.config
        near = al.jaccard >= cfg.near_duplicate_jaccard or min(a_share, b_share) >= cfg.near_duplicate_share
        return PairScore(al.a_id, al.b_id, al.jaccard, al.containment_a, al.containment_b,
                         a_share, b_share, near, a_spans, b_spans)


def _share(length: int, spans: Iterable) -> float:
    """Share of ``length`` characters covered by non-boilerplate spans (overlaps counted once)."""
    if length == 0:
        return 0.0
    return float(coverage(length, spans).sum()) / length

