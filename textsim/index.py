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

import contextlib
import json
import os
import weakref
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import islice
from typing import Any, TypeVar

import numpy as np

from .align import Block, align, split_by_mask
from .boilerplate import BoilerplatePolicy, boilerplate_mask
from .candidates import GlobalCandidates
from .errors import IndexConfigError
from .fingerprint import FINGERPRINT_SALT, Fingerprints, sorted_unique, window_size, winnow_hashes
from .hashing import (
    BASE_INV_U64,
    BASE_U64,
    HASHING_VERSION,
    code_points32,
    kgram_hashes,
    kgrams_of_code_points,
)
from .minhash import (
    OPH_BIN_SHIFT,
    SHINGLE_SALT,
    MinHasher,
    OphMinHasher,
    backend_for_scheme,
    band_hashes_many,
    make_minhasher,
    set_similarity,
)
from .normalize import NormalizedText, normalize
from .scoring import (
    Cluster,
    DocumentScore,
    PairScore,
    ScoreBasis,
    SourceMatch,
    clusters,
    coverage,
    line_breaks,
    line_index,
    score_basis,
    score_document,
    score_from_basis,
    to_spans,
)
from .store import Document, MemoryStore, Sketch, Store, pack_sketches, sketch_from_arrays

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
    # Fingerprints held by more documents than this nominate no candidates (they are still
    # matched and scored between candidates found otherwise; 公共表述 is decided separately).
    candidate_max_df: int = 50
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
            "hashing": HASHING_VERSION,
        }


@dataclass
class Prepared:
    """In-memory working data of one document."""

    doc: Document
    norm: NormalizedText
    fingerprints: Fingerprints
    shingle_size: int
    _shingles: np.ndarray | None = None

    @property
    def shingles(self) -> np.ndarray:
        """Sorted unique shingle hashes (computed on first use when prepared from a stored sketch)."""
        if self._shingles is None:
            self._shingles = sorted_unique(kgram_hashes(self.norm.text, self.shingle_size, SHINGLE_SALT))
        return self._shingles

    @cached_property
    def breaks(self) -> list[int]:
        """Normalised positions where a new original line starts (not needed for sketching)."""
        return line_breaks(line_index(self.doc.text, self.norm))


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


class _FlagCache:
    """公共表述 flags of fingerprint hashes under one document count, asked of the store once.

    Every hash found frequent is remembered; infrequent answers are remembered
    too, up to ``max_negative`` of them (then forgotten wholesale), so a full
    scan does not hold one entry per fingerprint of the corpus.
    """

    def __init__(self, store: Store, threshold: int, max_negative: int = 1_000_000,
                 lower: _FlagCache | None = None) -> None:
        self.store = store
        self.threshold = threshold
        self.frequent: set[int] = set()
        self.rare: set[int] = set()
        self.max_negative = max_negative
        # A cache with a lower threshold: only the hashes above it need asking here.
        self.lower = lower if lower is not None and lower.threshold <= threshold else None

    def flags(self, hashes: np.ndarray) -> np.ndarray:
        """Boolean array aligned with ``hashes``: True for hashes held by more than ``threshold`` documents."""
        values = hashes.tolist()
        frequent, rare = self.frequent, self.rare
        if self.lower is not None:
            maybe = hashes[self.lower.flags(hashes)].tolist()
            unknown = [h for h in set(maybe) if h not in frequent and h not in rare]
        else:
            unknown = [h for h in set(values) if h not in frequent and h not in rare]
        if unknown:
            found = self.store.frequent_hashes(unknown, self.threshold)
            frequent |= found
            if len(rare) + len(unknown) > self.max_negative:
                rare.clear()
            rare.update(h for h in unknown if h not in found)
        return np.fromiter((h in frequent for h in values), dtype=bool, count=len(values))

    def learn(self, frequent: Iterable[int], rare: list[int]) -> None:
        """Remember answers found otherwise (see :meth:`Index._nominating`)."""
        self.frequent.update(frequent)
        if len(self.rare) + len(rare) > self.max_negative:
            self.rare.clear()
        self.rare.update(rare)


# Worker processes of Index.index_many(workers=N): each holds one sketch-only Index.
_WORKER_INDEX: Index | None = None


_WORKER_NICENESS = 10


def _worker_init(config: Config) -> None:
    global _WORKER_INDEX
    # The writer (the parent) is the one process the rate waits for; with more processes
    # than cores it would get only its share of a core. Lower-priority workers use
    # whatever it leaves (measured: ≈ 6 % more documents per second on two cores).
    os.nice(_WORKER_NICENESS)
    _WORKER_INDEX = Index(MemoryStore(), config)


def _worker_sketch(docs: list[Document]) -> tuple:
    assert _WORKER_INDEX is not None
    return pack_sketches(_WORKER_INDEX.compute_sketches(docs))


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
    def _compute_prepared(self, doc: Document) -> Prepared:
        cfg = self.config
        norm = normalize(doc.text, doc.author)
        cps = code_points32(norm.text)
        shingles = sorted_unique(kgrams_of_code_points(cps, cfg.shingle_size, SHINGLE_SALT))
        fingerprints = winnow_hashes(kgrams_of_code_points(cps, cfg.kgram, FINGERPRINT_SALT), cfg.window)
        return Prepared(doc, norm, fingerprints, cfg.shingle_size, shingles)

    def prepare(self, doc: Document) -> Prepared:
        """Normalise, shingle and fingerprint ``doc`` (cached by id and content)."""
        cached = self._cache.get(doc.doc_id)
        if cached is not None and cached.doc.content_sha256 == doc.content_sha256:
            self._cache.move_to_end(doc.doc_id)
            return cached
        prep = self._compute_prepared(doc)
        self._cache[doc.doc_id] = prep
        while len(self._cache) > self.config.cache_size:
            self._cache.popitem(last=False)
        return prep

    def _sketches_of(self, preps: Sequence[Prepared]) -> list[Sketch]:
        """Sketches of prepared documents, with one MinHash call for all of them."""
        if not preps:
            return []
        cfg = self.config
        signatures = self.minhasher.signatures([p.shingles for p in preps])
        bands = band_hashes_many(signatures, cfg.bands, cfg.rows)
        out = []
        for prep, signature, band_row in zip(preps, signatures, bands, strict=True):
            fps = prep.fingerprints
            out.append(sketch_from_arrays(
                prep.doc.content_sha256, len(prep.norm), signature,
                band_row if prep.shingles.size else band_row[:0], fps.hashes, fps.positions))
        return out

    def compute_sketches(self, docs: Sequence[Document]) -> list[Sketch]:
        """Sketches of ``docs`` computed from their text (no store look-up, nothing cached)."""
        if isinstance(self.minhasher, OphMinHasher):
            return self._oph_sketches(docs)
        return self._sketches_of([self._compute_prepared(d) for d in docs])

    def _oph_sketches(self, docs: Sequence[Document]) -> list[Sketch]:
        """:meth:`compute_sketches` for one-permutation MinHash: the signature needs each bin's
        smallest shingle, not the sorted shingle set, so a document is one compiled call after
        normalising (:func:`textsim.kernels.sketch`). Equal to the general path (tested)."""
        from .kernels import sketch

        cfg, hasher = self.config, self.minhasher
        assert isinstance(hasher, OphMinHasher)
        parts = []
        for doc in docs:
            norm = normalize(doc.text, doc.author)
            minima, hashes, positions = sketch(
                code_points32(norm.text), cfg.shingle_size, SHINGLE_SALT, cfg.kgram, FINGERPRINT_SALT,
                cfg.window, BASE_U64, BASE_INV_U64, OPH_BIN_SHIFT, hasher.num_perm)
            parts.append((doc, len(norm), len(norm) >= cfg.shingle_size, minima,
                          hashes, positions))
        if not parts:
            return []
        signatures = np.stack([hasher.signature_of_minima(p[3]) for p in parts])
        bands = band_hashes_many(signatures, cfg.bands, cfg.rows)
        return [sketch_from_arrays(doc.content_sha256, length, signature, band_row if has_shingles else band_row[:0],
                                   hashes, positions)
                for (doc, length, has_shingles, _, hashes, positions), signature, band_row
                in zip(parts, signatures, bands, strict=True)]

    def sketch(self, doc: Document) -> Sketch:
        """Sketch of ``doc``: reused from the store when the same content was indexed before."""
        stored = self.store.find_sketch(doc.content_sha256)
        if stored is not None:
            return stored
        return self._sketches_of([self.prepare(doc)])[0]

    def index(self, doc: Document) -> Sketch:
        """Store ``doc`` without matching it. Unchanged documents are left as they are."""
        existing = self.store.get_sketch(doc.doc_id)
        if existing is not None and existing.content_sha256 == doc.content_sha256:
            return existing
        sketch = self.sketch(doc)
        self.store.add(doc, sketch)
        return sketch

    def index_many(self, docs: Sequence[Document], progress: Progress | None = None, *,
                   workers: int | None = None, batch_size: int = 1024) -> None:
        """Store many documents: sketches in batches, bulk writes (:meth:`Store.add_many`).

        Documents whose id is stored with the same content are skipped; a sketch
        stored for the same content under another id is reused. ``workers`` > 1
        computes sketches in that many forked processes while this one writes
        (POSIX only; elsewhere, or with ``workers`` ≤ 1, everything runs here);
        the workers sketch repeated content again rather than look it up: the
        result is identical, and this process, the one that limits the rate, is
        spared hashing every text to find the few repeats.

        Writes are one transaction per call in one process; with workers, one per
        :data:`_COMMIT_EVERY` documents, so that each commit's wait for the disk
        overlaps the workers' sketching. An interrupted call keeps the groups
        committed before (a new call skips them as unchanged).
        """
        show = progress or _no_progress
        stored = self.store.content_hashes([d.doc_id for d in docs])
        if workers and workers > 1 and _fork_available():
            # Content hashes only of ids stored before: the workers compute the others'.
            todo = [d for d in docs if d.doc_id not in stored or stored[d.doc_id] != d.content_sha256]
            if len(todo) > batch_size:
                self._index_forked(todo, show, workers, batch_size)
                return

        def batches() -> Iterator[list[Document]]:  # progress counts documents as they are taken
            batch: list[Document] = []
            for doc in show(docs, len(docs), "建立索引"):
                if stored.get(doc.doc_id) == doc.content_sha256:
                    continue  # unchanged
                batch.append(doc)
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
            if batch:
                yield batch

        # One transaction for the whole call: each B-tree page is written once, not once per batch.
        with self.store.batch():
            for chunk in batches():
                reused, missing = self._reuse_sketches(chunk)
                computed = self._sketches_of([self.prepare(d) for d in missing])
                self._store_chunk(chunk, reused, missing, computed)

    def _index_forked(self, todo: list[Document], show: Progress, workers: int, batch_size: int) -> None:
        """:meth:`index_many` with sketches computed in ``workers`` forked processes.

        The workers sketch the next chunks while this process stores one, so the writer
        does not leave the cores idle. The last chunks are stored with the workers idle,
        so the chunks shrink towards the end.
        """
        ticks = iter(show(range(len(todo)), len(todo), "建立索引"))
        pool = self._sketch_pool(workers)
        pending: deque[tuple] = deque()
        with contextlib.ExitStack() as transaction:
            transaction.enter_context(self.store.batch())
            uncommitted = 0

            def store_next() -> None:
                nonlocal uncommitted
                uncommitted += self._store_pending(*pending.popleft(), ticks)
                if uncommitted >= _COMMIT_EVERY and pending:  # commit while the workers sketch on
                    transaction.close()
                    transaction.enter_context(self.store.batch())
                    uncommitted = 0

            for lo, hi in _tapered_chunks(len(todo), batch_size):
                chunk = todo[lo:hi]
                sub = max(16, -(-len(chunk) // (2 * workers)))  # two parts per worker: some balance
                parts = [chunk[i:i + sub] for i in range(0, len(chunk), sub)]
                pending.append((parts, pool.map_async(_worker_sketch, parts)))
                # Up to _CHUNKS_AHEAD chunks in flight: the workers keep sketching while this
                # process is busy for longer than one chunk (a commit, a segment merge).
                if len(pending) > _CHUNKS_AHEAD:
                    store_next()
            while pending:
                store_next()
        for _ in ticks:  # the progress display ends at 100 %
            pass

    def _sketch_pool(self, workers: int) -> Any:
        """The sketch workers, forked on first use and kept for later calls (see :meth:`close`)."""
        pool = self.__dict__.get("_pool")
        if pool is None or self.__dict__.get("_pool_size") != workers:
            import multiprocessing

            from .kernels import warm_up

            self.close()
            warm_up()  # compiled here once; the forked workers inherit the machine code
            cfg = replace(self.config, minhash_backend=backend_for_scheme(self.minhasher.scheme))
            pool = multiprocessing.get_context("fork").Pool(workers, _worker_init, (cfg,))
            self.__dict__.update(_pool=pool, _pool_size=workers)
            weakref.finalize(self, pool.terminate)  # an Index dropped without close()
        return pool

    def close(self) -> None:
        """Stop the sketch worker processes of :meth:`index_many`, if any were started.

        The store stays open; a later ``index_many(workers=…)`` starts new workers.
        """
        pool = self.__dict__.pop("_pool", None)
        self.__dict__.pop("_pool_size", None)
        if pool is not None:
            pool.close()
            pool.join()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _store_pending(self, parts: list[list[Document]], running: Any, ticks: Iterator[int]) -> int:
        """Store the sketched chunk; the number of documents stored."""
        for part, packed in zip(parts, running.get(), strict=True):
            self.store.add_packed(part, packed)
            for _ in islice(ticks, len(part)):
                pass
        return sum(len(part) for part in parts)

    def _reuse_sketches(self, chunk: Sequence[Document]) -> tuple[dict[str, Sketch], list[Document]]:
        """Stored sketches for content already indexed; the documents still to sketch (one per content)."""
        reused = self.store.find_sketches(d.content_sha256 for d in chunk) if self.store.count() else {}
        missing: dict[str, Document] = {}
        for doc in chunk:
            sha = doc.content_sha256
            if sha not in reused and sha not in missing:
                missing[sha] = doc
        return reused, list(missing.values())

    def _store_chunk(self, chunk: Sequence[Document], reused: dict[str, Sketch], missing: list[Document],
                     computed: list[Sketch]) -> None:
        by_sha = dict(reused)
        by_sha.update((d.content_sha256, s) for d, s in zip(missing, computed, strict=True))
        self.store.add_many([(d, by_sha[d.content_sha256]) for d in chunk])

    # -- incremental matching -------------------------------------------------------
    def add(self, doc: Document) -> DocumentScore:
        """Store ``doc`` and score it against every other stored document."""
        sketch = self.index(doc)
        return self._score_single(self.prepare(doc), sketch, *self._flag_caches(self.store.count()))

    def check(self, doc: Document) -> DocumentScore:
        """Score ``doc`` against the store without keeping it (nothing is written).

        Gives the same result as adding ``doc`` and removing it again.
        Precondition: ``doc.doc_id`` is not stored yet.
        """
        if self.store.get_document(doc.doc_id) is not None:
            raise ValueError(f"document {doc.doc_id!r} is already stored; use add()")
        prep = self.prepare(doc)
        try:
            sketch = self.store.find_sketch(doc.content_sha256) or self._sketches_of([prep])[0]
            # As if stored: one more document, and each of its hashes held by one more.
            return self._score_single(prep, sketch, *self._flag_caches(self.store.count() + 1, extra=1))
        finally:
            self._cache.pop(doc.doc_id, None)  # never serve a document that is not stored

    def _score_single(self, prep: Prepared, sketch: Sketch, flags: _FlagCache,
                      nominate: _FlagCache) -> DocumentScore:
        """Score one document against its candidates, looking only at its own side of each pair."""
        cfg = self.config
        doc_id = prep.doc.doc_id
        mask = self._mask(prep, flags)
        sources = []
        for other_id in sorted(self._candidates(doc_id, sketch, flags, nominate)):
            other = self._prepared(other_id)
            # Same orientation as a batch report (smaller id first), so results agree exactly.
            first, second = (prep, other) if doc_id < other_id else (other, prep)
            al = self._align_pair(first, second)
            if not al.blocks and al.jaccard < cfg.near_duplicate_jaccard:
                continue
            blocks = list(al.blocks) if first is prep else [blk.swapped() for blk in al.blocks]
            spans = to_spans(split_by_mask(blocks, mask, cfg.window), prep.norm, prep.breaks, other.norm)
            share = _share(len(prep.norm), spans)
            containment = al.containment_a if first is prep else al.containment_b
            copied = sum(s.end - s.start for s in spans if not s.boilerplate)
            boiler = sum(s.end - s.start for s in spans if s.boilerplate)
            sources.append(SourceMatch(other_id, spans, copied, boiler, share, al.jaccard, containment))
        return score_document(doc_id, prep.doc.text, prep.norm, mask, sources,
                              paragraph_threshold=cfg.paragraph_threshold,
                              min_paragraph_chars=cfg.min_paragraph_chars)

    def scan(self, docs: Sequence[Document], progress: Progress | None = None, *,
             workers: int | None = None) -> ScanReport:
        """Batch scan: index all ``docs`` (reusing stored sketches), then score them (both with ``workers``)."""
        self.index_many(docs, progress, workers=workers)
        self.close()  # the report forks workers of its own
        return self.report([d.doc_id for d in docs], progress, workers=workers)

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
        return _FlagCache(self.store, self.config.boilerplate.threshold(n_docs)).flags(hashes)

    def _flag_caches(self, n_docs: int, extra: int = 0) -> tuple[_FlagCache, _FlagCache]:
        """(公共表述 flags, "too common to nominate candidates" flags) for an index of ``n_docs``.

        ``extra`` documents not in the store are counted as holding every hash asked about
        (``check`` scores a document as if it were stored).
        """
        cfg = self.config
        nominate = _FlagCache(self.store, max(0, cfg.candidate_max_df - extra))
        boiler = _FlagCache(self.store, cfg.boilerplate.threshold(n_docs) - extra, lower=nominate)
        return boiler, nominate

    def _candidates(self, doc_id: str, sketch: Sketch, flags: _FlagCache,
                    nominate: _FlagCache | None = None) -> set[str]:
        """Documents worth aligning with ``doc_id`` (LSH bucket mates + fingerprint sharers).

        Fingerprint sharers are ranked by the number of distinct non-boilerplate
        hashes they share (ties by id); one whose shared hashes are all shared
        by better-ranked candidates already is skipped — it could only find the
        same passages again (a stock passage held by hundreds of documents makes
        one candidate, not hundreds) — unless it shares at least a fifth of the
        document's candidate hashes (a possible near-duplicate). Hashes held by more than
        ``candidate_max_df`` documents nominate nobody.
        """
        cfg = self.config
        found = self.store.lsh_candidates(sketch.band_hashes)
        hashes = np.fromiter({h for h, _ in sketch.fingerprints}, dtype=np.uint64)
        if hashes.size and cfg.max_candidates > 0:
            if nominate is None:
                drop = flags.flags(hashes)
                real = hashes[~drop].tolist()
                holders = self.store.fingerprint_documents(real) if real else {}
            else:
                real, holders = self._nominating(hashes, flags, nominate)
            shared: dict[str, list[int]] = {}
            for h in real:
                for d in holders.get(h, ()):
                    shared.setdefault(d, []).append(h)
            shared.pop(doc_id, None)
            floor = cfg.min_shared_fingerprints
            # Ties broken by id: set iteration order of str ids varies between processes.
            ranked = sorted(((d, hs) for d, hs in shared.items() if len(hs) >= floor),
                            key=lambda kv: (-len(kv[1]), kv[0]))
            covered: set[int] = set()
            picked = 0
            for d, hs in ranked:
                if picked >= cfg.max_candidates:
                    break
                # A candidate holding ≥ 20 % of the shared-able hashes may be a near-duplicate: never skipped.
                if len(hs) * 5 < len(real) and covered.issuperset(hs):
                    continue
                covered.update(hs)
                found.add(d)
                picked += 1
        found.discard(doc_id)
        return found

    def _nominating(self, hashes: np.ndarray, flags: _FlagCache,
                    nominate: _FlagCache) -> tuple[list[int], dict[int, list[str]]]:
        """Hashes that may nominate candidates (not 公共表述, not too common), and their holders.

        When the store's holder lists are complete (:attr:`Store.holder_lists_are_complete`),
        one look-up fetches at most ``nominate.threshold + 1`` holders per hash: that
        decides "too common" exactly, and 公共表述 too unless the 公共表述 threshold is
        higher (then only the too-common hashes are asked about). What was learnt is
        kept in both caches, so the document's mask costs no further look-up.
        """
        cap = nominate.threshold
        values = list(set(hashes.tolist()))
        if not self.store.holder_lists_are_complete:
            # The holders a store lists may be a subset (a restricted view): ask for frequencies.
            array = np.asarray(values, dtype=np.uint64)
            drop = flags.flags(array) | nominate.flags(array)
            real = array[~drop].tolist()
            return real, (self.store.fingerprint_documents(real, limit=cap + 1) if real else {})
        holders = self.store.fingerprint_documents(values, limit=cap + 1)
        counts = {h: len(holders.get(h, ())) for h in values}
        common = [h for h in values if counts[h] > cap]
        nominate.learn(set(common), [h for h in values if counts[h] <= cap])
        if flags.threshold >= cap:
            boiler = set(np.asarray(common, dtype=np.uint64)[flags.flags(np.asarray(common, dtype=np.uint64))]
                         .tolist()) if common else set()
            flags.learn(boiler, [h for h in values if counts[h] <= cap])
        else:
            boiler = {h for h in values if counts[h] > flags.threshold}
            flags.learn(boiler, [h for h in values if h not in boiler])
        real = [h for h in values if counts[h] <= cap and h not in boiler]
        return real, holders

    def _align_pair(self, a: Prepared, b: Prepared) -> PairAlignment:
        """Spans and exact set similarity of two documents (boilerplate not yet separated)."""
        cfg = self.config
        blocks = align(a.norm.text, a.fingerprints, b.norm.text, b.fingerprints, k=cfg.kgram,
                       max_gap=cfg.max_gap, min_length=cfg.min_match_chars)
        return PairAlignment(a.doc.doc_id, b.doc.doc_id, tuple(blocks), *set_similarity(a.shingles, b.shingles))

    def _mask(self, prep: Prepared, flags: _FlagCache) -> np.ndarray:
        """Boilerplate mask of a document under the current document frequencies."""
        return boilerplate_mask(len(prep.norm), prep.fingerprints, flags.flags(prep.fingerprints.hashes),
                                self.config.kgram, self.config.window)

    def report(self, doc_ids: Sequence[str] | None = None, progress: Progress | None = None, *,
               workers: int | None = None) -> ScanReport:
        """Score stored documents ``doc_ids`` (default: all) against the whole store.

        Document frequencies are taken as they are now, so scores of earlier
        ``add`` calls may differ slightly from a later report: a phrase becomes
        boilerplate only once enough documents share it.

        ``workers`` > 1 finds candidates, aligns and scores in that many forked
        processes, each with its own handle on the store (:meth:`Store.reopen`);
        the result is the same as with one process.
        """
        show = progress or _no_progress
        cfg = self.config
        subjects = list(doc_ids) if doc_ids is not None else self.store.document_ids()
        n_docs = self.store.count()
        flags, nominate = self._flag_caches(n_docs)
        state = _ReportState(self, set(subjects), None, cfg.boilerplate.threshold(n_docs), flags)
        if self.store.holder_lists_are_complete and subjects and len(subjects) * 10 >= n_docs:
            # A good part of a store whose holder lists are complete: read every sketch once
            # and find all candidates in memory (textsim.candidates), same rules and results.
            state.table = GlobalCandidates(self.store.sketch_table())
        parallel = bool(workers and workers > 1 and len(subjects) > 1 and _fork_available())
        reopened = self.store.reopen() if parallel else None
        if reopened is None:
            parallel = False
        elif reopened is not self.store:
            reopened.close()  # each worker opens its own
        global _REPORT_STATE
        _REPORT_STATE = state
        try:
            if parallel:
                import multiprocessing

                with multiprocessing.get_context("fork").Pool(workers, _report_worker_init) as pool:
                    return self._report_with(state, subjects, n_docs, nominate, show, pool.imap)
            return self._report_with(state, subjects, n_docs, nominate, show, map)
        finally:
            _REPORT_STATE = None

    def _report_with(self, state: _ReportState, subjects: list[str], n_docs: int, nominate: _FlagCache,
                     show: Progress, run: Callable) -> ScanReport:
        """The body of :meth:`report`; ``run`` maps the task functions over their chunks (maybe in workers)."""
        cfg = self.config
        pair_keys: set[tuple[str, str]] = set()
        table = state.table
        if table is not None:
            position = {d: i for i, d in enumerate(table.doc_ids)}
            try:
                idx = [position[d] for d in subjects]
            except KeyError as exc:
                raise KeyError(exc.args[0]) from None
            step = max(256, len(idx) // 64)
            chunks = [idx[i:i + step] for i in range(0, len(idx), step)]
            found = [table.lsh_pairs_of(idx)]
            found.extend(show(run(_candidate_task, chunks), len(chunks), "查找候选"))
            ids = table.doc_ids
            for a, b in _distinct_pairs(found, table.n).tolist():
                x, y = ids[a], ids[b]
                pair_keys.add((x, y) if x < y else (y, x))
        else:
            for doc_id in show(subjects, len(subjects), "查找候选"):
                sketch = self.store.get_sketch(doc_id)
                if sketch is None:
                    raise KeyError(doc_id)
                for other in self._candidates(doc_id, sketch, state.flags, nominate):
                    pair_keys.add((doc_id, other) if doc_id < other else (other, doc_id))

        units = _work_units(subjects, pair_keys)
        # Chunks of about equal work (pairs + documents), several per worker for balance.
        n_chunks = max(1, min(len(units), max(16, len(units) // 16)))
        budget = sum(len(u[0]) + len(u[1]) for u in units) / n_chunks
        chunks_u: list[list[_Unit]] = [[]]
        weight = 0.0
        for unit in units:
            if weight >= budget and chunks_u[-1]:
                chunks_u.append([])
                weight = 0.0
            chunks_u[-1].append(unit)
            weight += len(unit[0]) + len(unit[1])
        pairs: list[PairScore] = []
        bases: dict[str, ScoreBasis] = {}
        scores: dict[str, DocumentScore] = {}
        documents: dict[str, Document] = {}
        for unit_pairs, unit_bases, unit_scores, unit_docs in show(run(_score_task, chunks_u), len(chunks_u),
                                                                   "逐对比对"):
            pairs.extend(unit_pairs)
            bases.update(unit_bases)
            scores.update(unit_scores)
            documents.update(unit_docs)
        pairs.sort(key=lambda p: (p.a_id, p.b_id))
        per_doc: dict[str, list[SourceMatch]] = {d: [] for d in subjects}
        for pair in pairs:
            for me, other, spans, share, cont in (
                (pair.a_id, pair.b_id, pair.a_spans, pair.a_share, pair.containment_a),
                (pair.b_id, pair.a_id, pair.b_spans, pair.b_share, pair.containment_b),
            ):
                if me in per_doc:
                    copied = sum(s.end - s.start for s in spans if not s.boilerplate)
                    boiler = sum(s.end - s.start for s in spans if s.boilerplate)
                    per_doc[me].append(SourceMatch(other, spans, copied, boiler, share, pair.jaccard, cont))
        for d in subjects:
            if d not in scores:
                scores[d] = score_from_basis(d, bases[d], per_doc[d], paragraph_threshold=cfg.paragraph_threshold,
                                             min_paragraph_chars=cfg.min_paragraph_chars)
        scores = {d: scores[d] for d in subjects}
        documents = {d: documents[d] for d in sorted(documents)}
        edges = [(p.a_id, p.b_id) for p in pairs if p.near_duplicate]
        groups = clusters(edges, {d: doc.uploaded_at for d, doc in documents.items()})
        return ScanReport(subjects, documents, scores, pairs, groups, cfg, n_docs)

    def _score_units(self, units: Iterable[_Unit], state: _ReportState) -> _UnitResult:
        """Align and score the pairs of each unit; the :class:`ScoreBasis` of every subject seen.

        A document is prepared (normalised, fingerprinted) at most once per call while
        it stays in the cache; the document scores themselves are put together from the
        bases by the caller, so a document's pairs may be spread over several units.
        """
        cfg = self.config
        subjects = state.subjects
        pairs: list[PairScore] = []
        bases: dict[str, ScoreBasis] = {}
        scores: dict[str, DocumentScore] = {}
        documents: dict[str, Document] = {}
        masks: OrderedDict[str, np.ndarray] = OrderedDict()

        prepared = self._prepared if state.table is None else state.prepared

        def mask_of(d: str) -> np.ndarray:
            mask = masks.get(d)
            if mask is None:
                prep = prepared(d)
                mask = masks[d] = boilerplate_mask(len(prep.norm), prep.fingerprints,
                                                   state.boiler_flags(d, prep.fingerprints.hashes), cfg.kgram, cfg.window)
                if len(masks) > cfg.cache_size:
                    masks.popitem(last=False)
                if d in subjects:
                    bases[d] = score_basis(prep.doc.text, prep.norm, mask, prep.breaks)
                documents[d] = prep.doc
            return mask

        for unit_pairs, unit_docs in units:
            for a, b in unit_pairs:
                al = self._align_pair(prepared(a), prepared(b))
                mask_a, mask_b = mask_of(a), mask_of(b)
                if not al.blocks and al.jaccard < cfg.near_duplicate_jaccard:
                    continue  # nothing to show or score
                pair = self._pair_score(al, mask_a, mask_b)
                if pair.a_spans or pair.near_duplicate:
                    pairs.append(pair)
            for doc_id in unit_docs:  # subjects without any candidate: scored here
                mask_of(doc_id)
                scores[doc_id] = score_from_basis(doc_id, bases.pop(doc_id), [],
                                                  paragraph_threshold=cfg.paragraph_threshold,
                                                  min_paragraph_chars=cfg.min_paragraph_chars)
        return pairs, bases, scores, documents

    def _document(self, doc_id: str) -> Document:
        cached = self._cache.get(doc_id)
        if cached is not None:
            return cached.doc
        doc = self.store.get_document(doc_id)
        if doc is None:
            raise KeyError(doc_id)
        return doc

    def _pair_score(self, al: PairAlignment, a_mask: np.ndarray, b_mask: np.ndarray) -> PairScore:
        """Split an alignment by each side's boilerplate mask and compute both copy shares."""
        a, b = self._prepared(al.a_id), self._prepared(al.b_id)
        blocks = list(al.blocks)
        snap = self.config.window
        a_spans = to_spans(split_by_mask(blocks, a_mask, snap), a.norm, a.breaks, b.norm)
        b_spans = to_spans(split_by_mask([blk.swapped() for blk in blocks], b_mask, snap),
                           b.norm, b.breaks, a.norm)
        a_share = _share(len(a.norm), a_spans)
        b_share = _share(len(b.norm), b_spans)
        cfg = self.config
        near = al.jaccard >= cfg.near_duplicate_jaccard or min(a_share, b_share) >= cfg.near_duplicate_share
        return PairScore(al.a_id, al.b_id, al.jaccard, al.containment_a, al.containment_b,
                         a_share, b_share, near, a_spans, b_spans)


_CHUNKS_AHEAD = 6  # chunks sketched ahead of the one being stored (see Index._index_forked)
_COMMIT_EVERY = 4096  # documents per transaction of Index._index_forked


def _tapered_chunks(n: int, size: int, smallest: int = 64) -> list[tuple[int, int]]:
    """``[lo, hi)`` chunks of ``range(n)``: ``size`` each, then halving, so the last one is small."""
    bounds = []
    lo = 0
    while n - lo > 2 * size:
        bounds.append((lo, lo + size))
        lo += size
    while n - lo > smallest:
        step = max(smallest, (n - lo + 1) // 2)
        bounds.append((lo, lo + step))
        lo += step
    if lo < n:
        bounds.append((lo, n))
    return bounds


def _fork_available() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _share(length: int, spans: Iterable) -> float:
    """Share of ``length`` characters covered by non-boilerplate spans (overlaps counted once)."""
    if length == 0:
        return 0.0
    return float(coverage(length, spans).sum()) / length


# A unit of report work: candidate pairs (sorted) and the documents they involve (a connected
# component of the candidate graph, so each document is prepared once), or a run of subjects
# without candidates.
_Unit = tuple[list[tuple[str, str]], list[str]]
_UnitResult = tuple[list[PairScore], dict[str, ScoreBasis], dict[str, DocumentScore], dict[str, Document]]


_UNIT_SIZE = 64


def _work_units(subjects: Sequence[str], pair_keys: Iterable[tuple[str, str]]) -> list[_Unit]:
    """The report's work in small units: runs of the sorted candidate pairs, then of the subjects
    without any candidate (consecutive units share documents, so the cache serves them)."""
    size = _UNIT_SIZE
    ordered = sorted(pair_keys)
    units: list[_Unit] = [(ordered[i:i + size], []) for i in range(0, len(ordered), size)]
    paired = {d for pair in ordered for d in pair}
    lone = [d for d in dict.fromkeys(subjects) if d not in paired]
    units.extend(([], lone[i:i + size]) for i in range(0, len(lone), size))
    return units


@dataclass
class _ReportState:
    """What the tasks of one :meth:`Index.report` need (inherited by forked workers)."""

    index: Index
    subjects: set[str]
    table: GlobalCandidates | None
    boiler_threshold: int
    flags: _FlagCache

    @cached_property
    def _position(self) -> dict[str, int]:
        assert self.table is not None
        return {d: i for i, d in enumerate(self.table.doc_ids)}

    def prepared(self, doc_id: str) -> Prepared:
        """:meth:`Index._prepared`, with the stored fingerprints instead of winnowing again."""
        index = self.index
        cached = index._cache.get(doc_id)
        if cached is not None:
            index._cache.move_to_end(doc_id)
            return cached
        doc = index.store.get_document(doc_id)
        if doc is None:
            raise KeyError(doc_id)
        assert self.table is not None
        hashes, positions = self.table.fingerprints_of(self._position[doc_id])
        prep = Prepared(doc, normalize(doc.text, doc.author), Fingerprints(hashes, positions),
                        index.config.shingle_size)
        index._cache[doc_id] = prep
        while len(index._cache) > index.config.cache_size:
            index._cache.popitem(last=False)
        return prep

    def boiler_flags(self, doc_id: str, hashes: np.ndarray) -> np.ndarray:
        """公共表述 flags of the fingerprint ``hashes`` of stored document ``doc_id``."""
        if self.table is None:
            return self.flags.flags(hashes)
        return self.table.doc_frequent(self._position[doc_id], hashes, self.boiler_threshold)


def _distinct_pairs(parts: Iterable[np.ndarray], n: int) -> np.ndarray:
    """Distinct ``(i, j)``, ``i < j``, of ``(m, 2)`` index arrays."""
    arrays = [p for p in parts if p.size]
    if not arrays:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(arrays), axis=1)
    n = max(1, n)
    keys = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([keys // n, keys % n], axis=1)


# The state of the running report, inherited by its forked workers.
_REPORT_STATE: _ReportState | None = None


def _report_worker_init() -> None:
    assert _REPORT_STATE is not None
    index = _REPORT_STATE.index
    store = index.store.reopen()
    assert store is not None
    index.store = store


def _candidate_task(subjects: list[int]) -> np.ndarray:
    state = _REPORT_STATE
    assert state is not None and state.table is not None
    cfg = state.index.config
    max_df = min(cfg.candidate_max_df, state.boiler_threshold)
    return state.table.fingerprint_pairs(subjects, max_df, cfg.min_shared_fingerprints, cfg.max_candidates)


def _score_task(units: list[_Unit]) -> _UnitResult:
    state = _REPORT_STATE
    assert state is not None
    return state.index._score_units(units, state)
