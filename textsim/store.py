"""Storage interface of the duplicate-text index, with SQLite and in-memory backends.

The index needs very little from storage; :class:`Store` lists all of it. A
backend keeps, per document:

* the :class:`Document` itself (id, text, author, upload time, metadata);
* its :class:`Sketch`: MinHash signature, LSH band hashes and winnowing
  fingerprints, keyed also by ``content_sha256`` so identical content is never
  sketched twice;
* derived look-up structures: LSH buckets ``(band index, band hash) → doc ids``,
  fingerprint postings ``hash → (doc id, position)`` and document frequencies
  ``hash → number of documents containing it``;

plus a tiny key/value ``meta`` table (the index parameters are stored there and
checked on reopen).

Conventions every backend must follow:

* all hashes are non-negative integers below ``2**63`` (they fit a signed
  64-bit column as they are);
* signature slots are non-negative integers below ``2**32``;
* :meth:`Store.add` replaces an existing document with the same ``doc_id``
  atomically, and keeps document frequencies equal to the number of distinct
  stored documents containing each fingerprint hash;
* :meth:`Store.document_ids` returns ids in insertion order.

A Django backend maps these to a few models (``Document``, ``Band``,
``Fingerprint``, ``DocFreq``, ``Meta``) with database indexes on
``(band, hash)``, ``Fingerprint.hash`` and ``Document.content_sha256``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from .candidates import SketchTable
from .fingerprint import sorted_postings


@dataclass(frozen=True)
class Document:
    """A text to index. ``uploaded_at`` orders documents (smaller = earlier upload).

    ``metadata`` must be JSON-serialisable (file name, unit, year …).
    """

    doc_id: str
    text: str
    author: str | None = None
    uploaded_at: float = 0.0
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @cached_property
    def content_sha256(self) -> str:
        """SHA-256 of the text and the author name (the name is normalised away, so it is part of the key)."""
        digest = hashlib.sha256(self.text.encode("utf-8"))
        digest.update(b"\x00" + (self.author or "").encode("utf-8"))
        return digest.hexdigest()

    @property
    def display_name(self) -> str:
        """File name if known, else the id."""
        return str(self.metadata.get("filename") or self.doc_id)


@dataclass(frozen=True)
class Sketch:
    """Everything the index derives from one document's text."""

    content_sha256: str
    norm_length: int
    signature: tuple[int, ...]
    band_hashes: tuple[int, ...]
    fingerprints: tuple[tuple[int, int], ...]  # (hash, position in normalised text)


class _ArraySketch(Sketch):
    """A :class:`Sketch` made from numpy arrays; its tuples are built only when read.

    Sketching thousands of documents per second spends much of its time turning
    arrays into tuples of Python ints that a bulk writer turns back into arrays
    (and that a worker process pickles int by int); this keeps the arrays (see
    :func:`fingerprint_arrays`, :func:`signature_bytes`, :func:`band_array`). It
    compares, hashes and behaves as the equal :class:`Sketch`.
    """

    def __init__(self, content_sha256: str, norm_length: int, signature: np.ndarray,
                 band_hashes: np.ndarray, hashes: np.ndarray, positions: np.ndarray) -> None:
        object.__setattr__(self, "content_sha256", content_sha256)
        object.__setattr__(self, "norm_length", norm_length)
        object.__setattr__(self, "_arrays", (np.asarray(signature, dtype=np.uint32),
                                             np.asarray(band_hashes, dtype=np.int64)))
        object.__setattr__(self, "_fp_arrays", (hashes.astype(np.int64, copy=False), positions.astype(np.int64, copy=False)))

    def __getattr__(self, name: str) -> Any:
        if name == "fingerprints":
            hashes, positions = self.__dict__["_fp_arrays"]
            value: tuple[Any, ...] = tuple(zip(hashes.tolist(), positions.tolist(), strict=True))
        elif name == "signature":
            value = tuple(self.__dict__["_arrays"][0].tolist())
        elif name == "band_hashes":
            value = tuple(self.__dict__["_arrays"][1].tolist())
        else:
            raise AttributeError(name)
        object.__setattr__(self, name, value)
        return value

    def _key(self) -> tuple[Any, ...]:
        return (self.content_sha256, self.norm_length, self.signature, self.band_hashes, self.fingerprints)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sketch):
            return self._key() == (other.content_sha256, other.norm_length, other.signature,
                                   other.band_hashes, other.fingerprints)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __reduce__(self) -> tuple[Any, ...]:
        hashes, positions = self.__dict__["_fp_arrays"]
        signature, bands = self.__dict__["_arrays"]
        return (_ArraySketch, (self.content_sha256, self.norm_length, signature, bands, hashes, positions))


def sketch_from_arrays(content_sha256: str, norm_length: int, signature: np.ndarray,
                       band_hashes: np.ndarray, hashes: np.ndarray, positions: np.ndarray) -> Sketch:
    """A :class:`Sketch` over arrays: signature (uint32), band hashes, fingerprint hashes and positions.

    The tuples of :class:`Sketch` are built only when read.
    """
    return _ArraySketch(content_sha256, norm_length, signature, band_hashes, hashes, positions)


def pack_sketches(sketches: Sequence[Sketch]) -> tuple[Any, ...]:
    """Sketches as a few arrays (cheap to pickle between processes); see :func:`unpack_sketches`.

    The last two arrays are the fingerprint postings of the packed documents: every
    distinct ``(hash, document index)`` sorted by hash, then index — what a store's
    look-up needs, sorted by the sketch worker instead of the writer
    (:meth:`Store.add_packed`).
    """
    fps = [fingerprint_arrays(s) for s in sketches]
    bands = [band_array(s) for s in sketches]
    n = len(sketches)
    hashes = np.concatenate([h for h, _ in fps]) if n else np.empty(0, dtype=np.int64)
    fp_counts = np.array([h.size for h, _ in fps], dtype=np.int64)
    keys, docs = sorted_postings(hashes, np.repeat(np.arange(n, dtype=np.int64), fp_counts))
    return ([s.content_sha256 for s in sketches], np.array([s.norm_length for s in sketches], dtype=np.int64),
            np.frombuffer(b"".join(signature_bytes(s) for s in sketches), dtype="<u4").reshape(n, -1)
            if n else np.empty((0, 0), dtype=np.uint32),
            np.concatenate(bands) if n else np.empty(0, dtype=np.int64),
            np.array([b.size for b in bands], dtype=np.int64),
            hashes,
            np.concatenate([p for _, p in fps]).astype(np.int32) if n else np.empty(0, dtype=np.int32),
            fp_counts, keys, docs)


def unpack_sketches(packed: tuple[Any, ...]) -> list[Sketch]:
    """Inverse of :func:`pack_sketches` (the sketches share the packed arrays)."""
    shas, lengths, signatures, bands, band_counts, hashes, positions, fp_counts = packed[:8]
    band_ends = np.cumsum(band_counts).tolist()
    fp_ends = np.cumsum(fp_counts).tolist()
    out: list[Sketch] = []
    b0 = f0 = 0
    for i, sha in enumerate(shas):
        b1, f1 = band_ends[i], fp_ends[i]
        out.append(_ArraySketch(sha, int(lengths[i]), signatures[i], bands[b0:b1], hashes[f0:f1], positions[f0:f1]))
        b0, f0 = b1, f1
    return out


def fingerprint_arrays(sketch: Sketch) -> tuple[np.ndarray, np.ndarray]:
    """Fingerprint hashes and positions of a sketch as ``int64`` arrays."""
    arrays = sketch.__dict__.get("_fp_arrays")
    if arrays is not None:
        return arrays
    n = len(sketch.fingerprints)
    flat = np.fromiter(chain.from_iterable(sketch.fingerprints), dtype=np.int64, count=2 * n)
    return flat[0::2].copy(), flat[1::2].copy()


def signature_bytes(sketch: Sketch) -> bytes:
    """The MinHash signature as little-endian ``uint32`` bytes."""
    arrays = sketch.__dict__.get("_arrays")
    array = arrays[0] if arrays is not None else np.asarray(sketch.signature, dtype=np.uint32)
    return array.astype("<u4", copy=False).tobytes()


def band_array(sketch: Sketch) -> np.ndarray:
    """The LSH band hashes as ``int64``."""
    arrays = sketch.__dict__.get("_arrays")
    return arrays[1] if arrays is not None else np.asarray(sketch.band_hashes, dtype=np.int64)


class Store(ABC):
    """Abstract storage of the index. Implementations must follow the module conventions."""

    #: True when :meth:`fingerprint_documents` lists *every* stored holder of a hash, so
    #: the index may read document frequencies off it. A store showing a subset of the
    #: documents (a restricted view) must leave it False.
    holder_lists_are_complete: bool = False

    @abstractmethod
    def get_meta(self, key: str) -> str | None:
        """Value stored under ``key``, or None."""

    @abstractmethod
    def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` (overwrites)."""

    @abstractmethod
    def add(self, document: Document, sketch: Sketch) -> None:
        """Insert or replace ``document`` with its sketch; update buckets, postings and frequencies."""

    @abstractmethod
    def remove(self, doc_id: str) -> None:
        """Delete a document and everything derived from it; unknown ids are ignored."""

    @abstractmethod
    def get_document(self, doc_id: str) -> Document | None:
        """The stored document, or None."""

    @abstractmethod
    def document_ids(self) -> list[str]:
        """All stored ids, in insertion order."""

    @abstractmethod
    def count(self) -> int:
        """Number of stored documents."""

    @abstractmethod
    def get_sketch(self, doc_id: str) -> Sketch | None:
        """Sketch of a stored document, or None."""

    @abstractmethod
    def find_sketch(self, content_sha256: str) -> Sketch | None:
        """Sketch of any stored document with this content hash, or None."""

    @abstractmethod
    def lsh_candidates(self, band_hashes: Sequence[int]) -> set[str]:
        """Ids of documents sharing at least one bucket; ``band_hashes[i]`` belongs to band ``i``."""

    @abstractmethod
    def fingerprint_postings(self, hashes: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
        """For each hash that is stored: ``[(doc_id, position), …]``."""

    @abstractmethod
    def document_frequencies(self, hashes: Iterable[int]) -> dict[int, int]:
        """Number of documents containing each hash (0 for unknown hashes)."""

    def batch(self) -> contextlib.AbstractContextManager[None]:
        """Group many writes into one transaction (no-op unless the backend benefits)."""
        return contextlib.nullcontext()

    # -- optional fast paths: the defaults use the abstract methods above; a backend may
    # -- override them with something cheaper (SQLiteStore and MemoryStore do).

    def add_many(self, items: Iterable[tuple[Document, Sketch]]) -> None:
        """:meth:`add` every ``(document, sketch)``, in one :meth:`batch`."""
        with self.batch():
            for document, sketch in items:
                self.add(document, sketch)

    def add_packed(self, documents: Sequence[Document], packed: tuple[Any, ...]) -> None:
        """:meth:`add_many` of ``documents`` with the sketches :func:`pack_sketches` packed, in order."""
        self.add_many(zip(documents, unpack_sketches(packed), strict=True))

    def shared_fingerprint_counts(self, hashes: Iterable[int]) -> dict[str, int]:
        """For every stored document holding any of ``hashes``: how many of them it holds.

        Each distinct hash counts once per document, whatever its number of positions.
        """
        counts: dict[str, int] = {}
        for postings in self.fingerprint_postings(hashes).values():
            for doc_id in {d for d, _ in postings}:
                counts[doc_id] = counts.get(doc_id, 0) + 1
        return counts

    def fingerprint_documents(self, hashes: Iterable[int], limit: int | None = None) -> dict[int, list[str]]:
        """For each stored hash among ``hashes``: the ids of the documents holding it (each once).

        With ``limit``, at most that many ids per hash (any of them): a hash with
        ``limit`` ids is held by at least ``limit`` documents.
        """
        return {h: list(dict.fromkeys(d for d, _ in postings))[:limit]
                for h, postings in self.fingerprint_postings(hashes).items()}

    def frequent_hashes(self, hashes: Iterable[int], threshold: int) -> set[int]:
        """The hashes among ``hashes`` held by more than ``threshold`` documents."""
        return {h for h, n in self.document_frequencies(hashes).items() if n > threshold}

    def find_sketches(self, content_hashes: Iterable[str]) -> dict[str, Sketch]:
        """:meth:`find_sketch` of several content hashes: ``content_sha256 → Sketch`` for the stored ones."""
        out = {}
        for sha in dict.fromkeys(content_hashes):
            found = self.find_sketch(sha)
            if found is not None:
                out[sha] = found
        return out

    def content_hashes(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """``doc_id → content_sha256`` for the stored ones among ``doc_ids``."""
        out = {}
        for doc_id in doc_ids:
            sketch = self.get_sketch(doc_id)
            if sketch is not None:
                out[doc_id] = sketch.content_sha256
        return out

    def reopen(self) -> Store | None:
        """A handle on the same data for a forked worker process, or None when there is none.

        Whole-store reports score in two processes when the store can be reopened.
        """
        return None

    def sketch_table(self) -> SketchTable:
        """LSH bands and fingerprint hashes of every stored document as flat arrays (one read of all).

        Used by :meth:`Index.report` for whole-store reports of a store whose holder
        lists are complete; the default builds it from :meth:`get_sketch`.
        """
        ids = self.document_ids()
        builder = _TableBuilder()
        for doc_id in ids:
            sketch = self.get_sketch(doc_id)
            assert sketch is not None
            builder.add(band_array(sketch), *fingerprint_arrays(sketch))
        return builder.table(ids)

    def close(self) -> None:  # noqa: B027 - optional hook, default does nothing
        """Release resources."""


class _TableBuilder:
    """Collects per-document band and fingerprint arrays into a :class:`SketchTable`."""

    def __init__(self) -> None:
        self.bands: list[np.ndarray] = []
        self.hashes: list[np.ndarray] = []
        self.positions: list[np.ndarray] = []

    def add(self, bands: np.ndarray, hashes: np.ndarray, positions: np.ndarray) -> None:
        self.bands.append(bands)
        self.hashes.append(hashes)
        self.positions.append(positions)

    def table(self, ids: list[str]) -> SketchTable:
        n = len(ids)
        width = max((b.size for b in self.bands), default=0)
        has = np.fromiter((b.size == width and width > 0 for b in self.bands), dtype=bool, count=n)
        bands = np.zeros((n, width), dtype=np.int64)
        if has.any():
            bands[has] = np.stack([b for b, ok in zip(self.bands, has.tolist(), strict=True) if ok])
        lens = np.fromiter((h.size for h in self.hashes), dtype=np.int64, count=n)
        hashes = np.concatenate(self.hashes) if self.hashes else np.empty(0, dtype=np.int64)
        positions = np.concatenate(self.positions) if self.positions else np.empty(0, dtype=np.int32)
        return SketchTable(ids, bands, has, hashes.astype(np.int64, copy=False),
                           positions.astype(np.int32, copy=False), np.repeat(np.arange(n, dtype=np.int32), lens))


# --- in-memory ---------------------------------------------------------------


class MemoryStore(Store):
    """Dictionary-backed store for tests, one-off scans and as a reference implementation."""

    holder_lists_are_complete = True

    def __init__(self) -> None:
        self._meta: dict[str, str] = {}
        self._docs: dict[str, Document] = {}
        self._sketches: dict[str, Sketch] = {}
        self._by_sha: dict[str, set[str]] = defaultdict(set)
        self._buckets: dict[tuple[int, int], set[str]] = defaultdict(set)
        self._postings: dict[int, list[str]] = defaultdict(list)  # hash -> ids, once per document

    def get_meta(self, key: str) -> str | None:
        return self._meta.get(key)

    def set_meta(self, key: str, value: str) -> None:
        self._meta[key] = value

    def add(self, document: Document, sketch: Sketch) -> None:
        self.remove(document.doc_id)
        doc_id = document.doc_id
        self._docs[doc_id] = document
        self._sketches[doc_id] = sketch
        self._by_sha[sketch.content_sha256].add(doc_id)
        for band, h in enumerate(sketch.band_hashes):
            self._buckets[(band, h)].add(doc_id)
        postings = self._postings
        for h in np.unique(fingerprint_arrays(sketch)[0]).tolist():
            postings[h].append(doc_id)

    def remove(self, doc_id: str) -> None:
        sketch = self._sketches.pop(doc_id, None)
        self._docs.pop(doc_id, None)
        if sketch is None:
            return
        self._by_sha[sketch.content_sha256].discard(doc_id)
        for band, h in enumerate(sketch.band_hashes):
            self._buckets[(band, h)].discard(doc_id)
        for h in {h for h, _ in sketch.fingerprints}:
            ids = self._postings[h]
            ids.remove(doc_id)
            if not ids:
                del self._postings[h]

    def get_document(self, doc_id: str) -> Document | None:
        return self._docs.get(doc_id)

    def document_ids(self) -> list[str]:
        return list(self._docs)

    def count(self) -> int:
        return len(self._docs)

    def get_sketch(self, doc_id: str) -> Sketch | None:
        return self._sketches.get(doc_id)

    def find_sketch(self, content_sha256: str) -> Sketch | None:
        for doc_id in self._by_sha.get(content_sha256, ()):
            return self._sketches[doc_id]
        return None

    def lsh_candidates(self, band_hashes: Sequence[int]) -> set[str]:
        found: set[str] = set()
        for band, h in enumerate(band_hashes):
            found |= self._buckets.get((band, h), set())
        return found

    def fingerprint_postings(self, hashes: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
        out: dict[int, list[tuple[str, int]]] = {}
        for h in set(hashes):
            ids = self._postings.get(h)
            if ids:
                out[h] = [(d, p) for d in ids for hh, p in self._sketches[d].fingerprints if hh == h]
        return out

    def document_frequencies(self, hashes: Iterable[int]) -> dict[int, int]:
        return {h: len(self._postings.get(h, ())) for h in set(hashes)}

    def shared_fingerprint_counts(self, hashes: Iterable[int]) -> dict[str, int]:
        postings = self._postings
        return dict(Counter(chain.from_iterable(postings[h] for h in set(hashes) if h in postings)))

    def frequent_hashes(self, hashes: Iterable[int], threshold: int) -> set[int]:
        postings = self._postings
        return {h for h in set(hashes) if len(postings.get(h, ())) > threshold}

    def fingerprint_documents(self, hashes: Iterable[int], limit: int | None = None) -> dict[int, list[str]]:
        postings = self._postings
        return {h: postings[h][:limit] for h in set(hashes) if h in postings}

    def content_hashes(self, doc_ids: Iterable[str]) -> dict[str, str]:
        sketches = self._sketches
        return {d: sketches[d].content_sha256 for d in doc_ids if d in sketches}

    def reopen(self) -> Store:
        return self  # a forked worker has its own copy of the dictionaries


# --- SQLite --------------------------------------------------------------------
#
# Layout (schema 4). One row per document holds everything derived from it as
# compact blobs (signature, band hashes, fingerprint hashes and positions; the
# text last, so reading the blobs never walks the text's overflow pages): a
# sketch is one row read. The two look-up structures are *segments*: sorted
# arrays stored as blobs, one pair of rows (``fp``: fingerprint hash → document
# seq, one entry per distinct hash of a document; ``lsh``: band hash → seq·1024 +
# band) per write transaction, merged eight at a time when eight of about the same
# size have piled up (a size-tiered log-structured merge: every entry is
# rewritten about log₈(batches) times). Schema 4 stores the ``fp`` values as
# 32-bit seqs (a quarter less to write, merge and hold in memory); a blob's
# width tells which it is, so schema-3 files (64-bit values throughout) are read
# as they are and keep being written that way. Readers load the segments once into
# numpy arrays and search them with ``searchsorted``; a generation counter in
# ``meta`` tells a handle when another one has written. Removed documents are
# listed in ``removed`` and filtered out (and dropped when segments merge).

STORE_SCHEMA = "4"
SCHEMA_KEY = "textsim.store_schema"
COUNT_KEY = "textsim.count"
GENERATION_KEY = "textsim.generation"
_BAND_BITS = 10  # lsh segment values: seq << 10 | band (at most 1,024 bands)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL UNIQUE,
    content_sha256 TEXT NOT NULL,
    norm_length INTEGER NOT NULL,
    signature BLOB NOT NULL,
    bands BLOB NOT NULL,
    fp_hashes BLOB NOT NULL,
    fp_positions BLOB NOT NULL,
    author TEXT,
    uploaded_at REAL NOT NULL,
    metadata TEXT NOT NULL,
    text BLOB NOT NULL  -- UTF-16LE (files of earlier versions hold TEXT; both are read)
);
CREATE INDEX IF NOT EXISTS documents_sha ON documents (content_sha256);
CREATE TABLE IF NOT EXISTS segments (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL, keys BLOB NOT NULL, vals BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS removed (seq INTEGER PRIMARY KEY);
"""

_CHUNK = 500  # stays below SQLite's historic 999 bound-parameter limit
_KINDS = ("fp", "lsh")


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _sketch_arrays(sketch: Sketch) -> tuple[np.ndarray, np.ndarray]:
    """Fingerprint hashes (int64) and positions (int32) of a sketch."""
    hashes, positions = fingerprint_arrays(sketch)
    return hashes, positions.astype(np.int32)


def _ranks(counts: list[int]) -> np.ndarray:
    """``0 … c - 1`` for each ``c`` of ``counts``, concatenated."""
    total = sum(counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total, dtype=np.int64) - starts


def _text_blob(text: str) -> bytes:
    """A document's text as stored: UTF-16LE, two bytes per Chinese character instead of UTF-8's
    three (a third less to write; encoding it is also cheaper). Files of earlier versions hold TEXT."""
    return text.encode("utf-16-le", "surrogatepass")


def _text_of(value: str | bytes) -> str:
    return value if isinstance(value, str) else bytes(value).decode("utf-16-le", "surrogatepass")


_METADATA_JSON = json.JSONEncoder(ensure_ascii=False)  # one encoder (json.dumps builds one per call)


def _row(seq: int, document: Document, sha: str, norm_length: int, signature: Any, bands: Any,
         fp_hashes: Any, fp_positions: Any) -> tuple[Any, ...]:
    """A ``documents`` row, in the column order of the INSERT in :meth:`SQLiteStore._insert`."""
    return (seq, document.doc_id, sha, norm_length, signature, bands, fp_hashes, fp_positions, document.author,
            float(document.uploaded_at), _METADATA_JSON.encode(dict(document.metadata)), _text_blob(document.text))


def _blob(array: np.ndarray, dtype: str) -> memoryview:
    """``array`` as a BLOB parameter without a copy (sqlite3 binds any contiguous buffer)."""
    return memoryview(np.ascontiguousarray(array, dtype=dtype)).cast("B")


@dataclass
class _Segment:
    id: int
    keys: np.ndarray  # int64, sorted
    vals: np.ndarray  # int64

    @property
    def size(self) -> int:
        return int(self.keys.size)


_WRITE_CACHE_KB = 32 * 1024  # SQLite page cache inside a write transaction (see SQLiteStore.batch)
_PAGE_SIZE = 65536  # for new files (see SQLiteStore.__init__)


class SQLiteStore(Store):
    """Store in one SQLite file (or ``":memory:"``) using only the standard library.

    Writes outside :meth:`batch` commit immediately; inside ``with store.batch():``
    they are committed together, and the look-up entries of the whole batch become
    one segment: bulk indexing writes a few large blobs instead of a B-tree entry per
    fingerprint. The segments of the look-ups are held in memory (≈ 16 bytes per
    distinct fingerprint of every document, ≈ 5 KB per 5,400-character report).

    ``cache_mb`` is SQLite's page cache for this connection.
    """

    holder_lists_are_complete = True
    merge_fanout = 8  # segments of about the same size merged at once
    segment_entries = 1_000_000  # pending look-up entries written as a segment before the commit
    max_segment = 50_000_000  # entries (400 MB blobs; SQLite's default limit is 1 GB): not merged beyond

    def __init__(self, path: str | Path = ":memory:", cache_mb: int = 256) -> None:
        self.path = str(path)
        self._conn = sqlite3.connect(self.path, isolation_level=None)
        self._depth = 0
        self._generation: str | None = None  # generation of the segments held in memory
        self._segments: dict[str, list[_Segment]] = {k: [] for k in _KINDS}
        self._removed = np.empty(0, dtype=np.int64)
        self._pending: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {k: [] for k in _KINDS}
        self._names: dict[int, str] = {}  # seq -> doc_id of committed documents
        self._narrow_fp = True  # fp segment values as 32-bit seqs (schema 4); see below
        # 64 KB pages (SQLite's largest; the setting applies only to a new file): a report's text
        # fits one page instead of three overflow pages, a segment blob is a sixteenth as many
        # pages to write and to free. Bulk indexing writes ≈ 20 % faster (paired runs at 100,000
        # documents: 4 KB 1,620 / 1,574 docs/s, 16 KB 1,784 / 1,747 and 1,703 / 1,711, 64 KB
        # 1,868 / 1,815); the file is ≈ 7 % larger.
        self._conn.execute(f"PRAGMA page_size={_PAGE_SIZE}")
        if self.path != ":memory:":
            # A rollback journal, not WAL: bulk indexing appends hundreds of MB per transaction,
            # which WAL would write twice (log, then checkpoint) and read back once — the
            # commit took 3–4× as long. Readers only wait out a commit.
            self._conn.execute("PRAGMA journal_mode=TRUNCATE")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._cache_kb = int(cache_mb) * 1024
        self._restore_cache()
        self._conn.execute("PRAGMA temp_store=MEMORY")
        old = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name IN ('fingerprints', 'postings')").fetchone()
        if old:
            self._conn.close()
            from .errors import IndexConfigError

            raise IndexConfigError(f"查重索引文件“{self.path}”由旧版本生成，格式已更新，请删除该文件后重建索引")
        self._conn.executescript(_SCHEMA)
        if self.get_meta(SCHEMA_KEY) is None:
            with self.batch():
                self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                   (SCHEMA_KEY, STORE_SCHEMA))
                self._conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, '0')", (COUNT_KEY,))
                self._conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, '0')", (GENERATION_KEY,))
        # Files of schema 3 keep 64-bit fp values, so that the version that wrote them still reads them.
        self._narrow_fp = self.get_meta(SCHEMA_KEY) != "3"

    # transactions --------------------------------------------------------
    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        if self._depth == 0:
            self._conn.execute("BEGIN IMMEDIATE")
            # A small cache while writing: dirty pages go to the file as the transaction runs
            # (while sketch workers compute) instead of all at the commit.
            self._conn.execute(f"PRAGMA cache_size=-{_WRITE_CACHE_KB}")
        self._depth += 1
        try:
            yield
            if self._depth == 1:
                self._flush()
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self._conn.execute("ROLLBACK")
                self._restore_cache()
                self._forget()
            raise
        self._depth -= 1
        if self._depth == 0:
            self._conn.execute("COMMIT")
            self._restore_cache()

    def _restore_cache(self) -> None:
        self._conn.execute(f"PRAGMA cache_size=-{self._cache_kb}")

    def _forget(self) -> None:
        """Drop what is held in memory (after a rollback): reloaded on the next look-up."""
        self._generation = None
        self._segments = {k: [] for k in _KINDS}
        self._pending = {k: [] for k in _KINDS}

    def close(self) -> None:
        self._conn.close()

    def reopen(self) -> Store | None:
        if self.path == ":memory:":
            return None
        return SQLiteStore(self.path, cache_mb=64)

    # meta ----------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.batch():
            self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _bump(self, key: str, delta: int) -> None:
        self._conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = ?", (delta, key))

    # segments ----------------------------------------------------------------
    def _load(self) -> None:
        """Bring the segments held in memory up to date (pending writes of this handle first)."""
        if any(self._pending.values()):  # only inside a transaction of this handle
            self._flush()
        generation = self.get_meta(GENERATION_KEY)
        if generation == self._generation:
            return
        segments: dict[str, list[_Segment]] = {k: [] for k in _KINDS}
        for seg_id, kind, size, keys, vals in self._conn.execute(
                "SELECT id, kind, size, keys, vals FROM segments ORDER BY id"):
            width = "<i4" if len(vals) == 4 * size and size else "<i8"
            segments[kind].append(_Segment(seg_id, np.frombuffer(keys, dtype="<i8"), np.frombuffer(vals, dtype=width)))
        self._segments = segments
        self._removed = np.fromiter((r[0] for r in self._conn.execute("SELECT seq FROM removed ORDER BY seq")),
                                    dtype=np.int64)
        self._generation = generation

    def _flush(self) -> None:
        """Write the look-up entries added in this transaction as one segment per kind; merge."""
        if not any(self._pending.values()):
            return
        self._load_for_write()
        for kind in _KINDS:
            parts = self._pending[kind]
            if not parts:
                continue
            keys, vals = sorted_postings(np.concatenate([k for k, _ in parts]), np.concatenate([v for _, v in parts]))
            self._pending[kind] = []
            segments = self._segments[kind]
            segments.append(self._write_segment(kind, keys, vals))
            fan = self.merge_fanout
            while (len(segments) >= fan and segments[-fan].size <= 2 * segments[-1].size
                   and sum(seg.size for seg in segments[-fan:]) <= self.max_segment):
                merged = segments[-fan:]
                del segments[-fan:]
                segments.append(self._merge(kind, merged))
        self._bump(GENERATION_KEY, 1)
        self._generation = self.get_meta(GENERATION_KEY)

    def _load_for_write(self) -> None:
        generation = self.get_meta(GENERATION_KEY)
        if generation != self._generation:
            pending, self._pending = self._pending, {k: [] for k in _KINDS}
            self._load()
            self._pending = pending

    def _write_segment(self, kind: str, keys: np.ndarray, vals: np.ndarray) -> _Segment:
        narrow = kind == "fp" and self._narrow_fp and (vals.size == 0 or int(vals.max()) < 2**31)
        vals = vals.astype(np.int32 if narrow else np.int64, copy=False)
        cur = self._conn.execute("INSERT INTO segments (kind, size, keys, vals) VALUES (?, ?, ?, ?)",
                                 (kind, int(keys.size), _blob(keys, "<i8"), _blob(vals, "<i4" if narrow else "<i8")))
        return _Segment(int(cur.lastrowid), keys, vals)

    def _merge(self, kind: str, parts: list[_Segment]) -> _Segment:
        from .kernels import merge_runs

        # Sorted runs merged two by two, older first among equal keys (so values stay in
        # order): ≈ log₂(parts) sequential passes (a stable argsort and two gathers took twice as long).
        width = np.result_type(*(p.vals.dtype for p in parts))  # 32- and 64-bit values in schema-3 files
        runs = [(p.keys, p.vals.astype(width, copy=False)) for p in parts]
        while len(runs) > 1:
            runs = [merge_runs(*runs[i], *runs[i + 1]) if i + 1 < len(runs) else runs[i]
                    for i in range(0, len(runs), 2)]
        keys, vals = runs[0]
        if self._removed.size:
            seqs = vals >> _BAND_BITS if kind == "lsh" else vals
            alive = ~np.isin(seqs, self._removed)
            keys, vals = keys[alive], vals[alive]
        self._conn.executemany("DELETE FROM segments WHERE id = ?", [(p.id,) for p in parts])
        return self._write_segment(kind, keys, vals)

    def _find(self, kind: str, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(query index, value)`` of every live entry whose key is one of the sorted ``queries``."""
        self._load()
        q_parts, v_parts = [], []
        for seg in self._segments[kind]:
            if seg.size == 0:
                continue
            lo = np.searchsorted(seg.keys, queries, side="left")
            # Most queries are absent from most segments: the end of a run is searched only for
            # the queries found (the binary searches over a large segment are a check's main cost).
            present = np.flatnonzero(seg.keys.take(lo, mode="clip") == queries)
            if present.size == 0:
                continue
            lo = lo[present]
            n = np.searchsorted(seg.keys, queries[present], side="right") - lo
            total = int(n.sum())
            first = np.cumsum(n) - n
            q_parts.append(np.repeat(present, n))
            v_parts.append(seg.vals[np.repeat(lo - first, n) + np.arange(total)])
        if not q_parts:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        qi, vals = np.concatenate(q_parts), np.concatenate(v_parts)
        if self._removed.size:
            seqs = vals >> _BAND_BITS if kind == "lsh" else vals
            alive = ~np.isin(seqs, self._removed)
            qi, vals = qi[alive], vals[alive]
        return qi, vals

    @staticmethod
    def _queries(hashes: Iterable[int]) -> np.ndarray:
        return np.unique(np.fromiter((int(h) for h in hashes), dtype=np.int64))

    # documents -------------------------------------------------------------
    def add(self, document: Document, sketch: Sketch) -> None:
        self.add_many([(document, sketch)])

    def add_many(self, items: Iterable[tuple[Document, Sketch]]) -> None:
        # The last version of a repeated id wins, at the position of its last add (like add()).
        latest: dict[str, tuple[Document, Sketch]] = {}
        for document, sketch in items:
            latest.pop(document.doc_id, None)
            latest[document.doc_id] = (document, sketch)
        if not latest:
            return
        with self.batch():
            first = self._make_room(list(latest))
            rows, fp_keys, bands = [], [], []
            for seq, (document, sketch) in enumerate(latest.values(), first):
                hashes, positions = _sketch_arrays(sketch)
                band = band_array(sketch)
                rows.append(_row(seq, document, sketch.content_sha256, sketch.norm_length, signature_bytes(sketch),
                                 _blob(band, "<i8"), _blob(hashes, "<i8"), _blob(positions, "<i4")))
                fp_keys.append(hashes)
                bands.append(band)
            fp_seqs = np.repeat(np.arange(first, first + len(rows), dtype=np.int64), [k.size for k in fp_keys])
            self._insert(rows, first, np.concatenate(fp_keys), fp_seqs, np.concatenate(bands), [b.size for b in bands])

    def add_packed(self, documents: Sequence[Document], packed: tuple[Any, ...]) -> None:
        ids = [d.doc_id for d in documents]
        if not ids:
            return
        if len(set(ids)) < len(ids):  # a repeated id: the last one wins, as add_many decides
            super().add_packed(documents, packed)
            return
        shas, lengths, signatures, bands, band_counts, hashes, positions, fp_counts, keys, docs = packed
        with self.batch():
            first = self._make_room(ids)
            # Each row's blobs are slices of the packed arrays: no per-document array at all.
            sig, width = _blob(signatures, "<u4"), 4 * (signatures.shape[1] if signatures.ndim == 2 else 0)
            band_bytes, hash_bytes, pos_bytes = _blob(bands, "<i8"), _blob(hashes, "<i8"), _blob(positions, "<i4")
            band_ends = np.cumsum(band_counts).tolist()
            fp_ends = np.cumsum(fp_counts).tolist()
            rows = []
            b0 = f0 = 0
            for i, (document, sha, length) in enumerate(zip(documents, shas, lengths.tolist(), strict=True)):
                b1, f1 = band_ends[i], fp_ends[i]
                rows.append(_row(first + i, document, sha, length, sig[i * width:(i + 1) * width],
                                 band_bytes[8 * b0:8 * b1], hash_bytes[8 * f0:8 * f1], pos_bytes[4 * f0:4 * f1]))
                b0, f0 = b1, f1
            # The postings come sorted from the sketch worker: the flush merges sorted runs.
            self._insert(rows, first, keys, docs + first, bands, band_counts.tolist())

    def _make_room(self, doc_ids: list[str]) -> int:
        """Remove the stored documents among ``doc_ids``; the seq of the first new row."""
        if self.count():
            for chunk in _chunks(doc_ids):
                marks = ",".join("?" * len(chunk))
                for (doc_id,) in self._conn.execute(
                        f"SELECT doc_id FROM documents WHERE doc_id IN ({marks})", chunk).fetchall():
                    self._remove_locked(doc_id)
        row = self._conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'documents'").fetchone()
        return (row[0] if row else 0) + 1

    def _insert(self, rows: list[tuple[Any, ...]], first: int, fp_keys: np.ndarray, fp_vals: np.ndarray,
                bands: np.ndarray, band_counts: list[int]) -> None:
        """Insert document rows with seqs from ``first``, and queue their look-up entries."""
        self._conn.executemany(
            "INSERT INTO documents (seq, doc_id, content_sha256, norm_length, signature, bands, fp_hashes,"
            " fp_positions, author, uploaded_at, metadata, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows)
        seqs = np.arange(first, first + len(rows), dtype=np.int64)
        self._pending["fp"].append((fp_keys, fp_vals))
        self._pending["lsh"].append((bands, (np.repeat(seqs, band_counts) << _BAND_BITS) + _ranks(band_counts)))
        self._bump(COUNT_KEY, len(rows))
        # A long transaction writes its segments as it goes, so the sorting and writing
        # are spread over the batch (while sketch workers run) instead of piling up at commit.
        if sum(k.size for k, _ in self._pending["fp"]) >= self.segment_entries:
            self._flush()

    def remove(self, doc_id: str) -> None:
        with self.batch():
            self._remove_locked(doc_id)

    def _remove_locked(self, doc_id: str) -> None:
        row = self._conn.execute("SELECT seq FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return
        seq = row[0]
        self._conn.execute("DELETE FROM documents WHERE seq = ?", (seq,))
        self._conn.execute("INSERT OR IGNORE INTO removed (seq) VALUES (?)", (seq,))
        self._bump(COUNT_KEY, -1)
        self._bump(GENERATION_KEY, 1)
        # A pending (unflushed) entry of this seq is filtered like a stored one.
        self._removed = np.union1d(self._removed, [seq])
        if self._generation is not None:
            self._generation = self.get_meta(GENERATION_KEY)

    def get_document(self, doc_id: str) -> Document | None:
        row = self._conn.execute(
            "SELECT doc_id, text, author, uploaded_at, metadata FROM documents WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return None
        return Document(row[0], _text_of(row[1]), row[2], row[3], json.loads(row[4]))

    def document_ids(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT doc_id FROM documents ORDER BY seq")]

    def count(self) -> int:
        value = self.get_meta(COUNT_KEY)
        return int(value) if value is not None else 0

    # sketches ----------------------------------------------------------------
    _SKETCH_COLUMNS = "content_sha256, norm_length, signature, bands, fp_hashes, fp_positions"

    @staticmethod
    def _sketch_for_row(row: tuple[Any, ...] | None) -> Sketch | None:
        if row is None:
            return None
        sha, norm_length, signature, bands, fp_hashes, fp_positions = row
        return sketch_from_arrays(sha, norm_length, np.frombuffer(signature, dtype="<u4"),
                                  np.frombuffer(bands, dtype="<i8"), np.frombuffer(fp_hashes, dtype="<i8"),
                                  np.frombuffer(fp_positions, dtype="<i4"))

    def get_sketch(self, doc_id: str) -> Sketch | None:
        return self._sketch_for_row(self._conn.execute(
            f"SELECT {self._SKETCH_COLUMNS} FROM documents WHERE doc_id = ?", (doc_id,)).fetchone())

    def find_sketch(self, content_sha256: str) -> Sketch | None:
        return self._sketch_for_row(self._conn.execute(
            f"SELECT {self._SKETCH_COLUMNS} FROM documents WHERE content_sha256 = ? LIMIT 1",
            (content_sha256,)).fetchone())

    def find_sketches(self, content_hashes: Iterable[str]) -> dict[str, Sketch]:
        out: dict[str, Sketch] = {}
        for chunk in _chunks(list(dict.fromkeys(content_hashes))):
            marks = ",".join("?" * len(chunk))
            for (sha,) in self._conn.execute(
                    f"SELECT DISTINCT content_sha256 FROM documents WHERE content_sha256 IN ({marks})", chunk):
                sketch = self.find_sketch(sha)
                if sketch is not None:
                    out[sha] = sketch
        return out

    # look-ups ----------------------------------------------------------------
    def lsh_candidates(self, band_hashes: Sequence[int]) -> set[str]:
        if not band_hashes:
            return set()
        bands_of: dict[int, set[int]] = {}
        for band, h in enumerate(band_hashes):
            bands_of.setdefault(int(h), set()).add(band)
        queries = np.asarray(sorted(bands_of), dtype=np.int64)
        qi, vals = self._find("lsh", queries)
        keys = queries[qi].tolist()
        seqs = {v >> _BAND_BITS for k, v in zip(keys, vals.tolist(), strict=True)
                if (v & ((1 << _BAND_BITS) - 1)) in bands_of[k]}
        return set(self._doc_ids(seqs).values())

    def _holders(self, hashes: Iterable[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(sorted distinct queries, query index, seq)`` of every live posting of ``hashes``."""
        queries = self._queries(hashes)
        qi, seqs = self._find("fp", queries)
        return queries, qi, seqs

    def fingerprint_postings(self, hashes: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
        queries, qi, seqs = self._holders(hashes)
        by_doc: dict[int, list[int]] = defaultdict(list)
        for h, seq in zip(queries[qi].tolist(), seqs.tolist(), strict=True):
            by_doc[seq].append(h)
        out: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for chunk in _chunks(sorted(by_doc)):
            marks = ",".join("?" * len(chunk))
            for seq, doc_id, fp_hashes, fp_positions in self._conn.execute(
                    f"SELECT seq, doc_id, fp_hashes, fp_positions FROM documents WHERE seq IN ({marks})", chunk):
                all_h = np.frombuffer(fp_hashes, dtype="<i8")
                all_p = np.frombuffer(fp_positions, dtype="<i4")
                for h in by_doc[seq]:
                    out[h].extend((doc_id, int(p)) for p in all_p[all_h == h])
        return dict(out)

    def document_frequencies(self, hashes: Iterable[int]) -> dict[int, int]:
        queries, qi, _ = self._holders(hashes)
        counts = np.bincount(qi, minlength=queries.size)
        return dict(zip(queries.tolist(), counts.tolist(), strict=True))

    def shared_fingerprint_counts(self, hashes: Iterable[int]) -> dict[str, int]:
        _, _, seqs = self._holders(hashes)
        values, counts = np.unique(seqs, return_counts=True)
        names = self._doc_ids(set(values.tolist()))
        return {names[s]: c for s, c in zip(values.tolist(), counts.tolist(), strict=True) if s in names}

    def fingerprint_documents(self, hashes: Iterable[int], limit: int | None = None) -> dict[int, list[str]]:
        queries, qi, seqs = self._holders(hashes)
        if limit is not None and qi.size:
            order = np.argsort(qi, kind="stable")
            qi, seqs = qi[order], seqs[order]
            first = np.searchsorted(qi, qi, side="left")
            keep = np.arange(qi.size) - first < limit
            qi, seqs = qi[keep], seqs[keep]
        names = self._doc_ids(set(seqs.tolist()))
        out: dict[int, list[str]] = {}
        for h, seq in zip(queries[qi].tolist(), seqs.tolist(), strict=True):
            out.setdefault(h, []).append(names[seq])
        return out

    def _doc_ids(self, seqs: set[int]) -> dict[int, str]:
        # A seq is never reused (AUTOINCREMENT), so what a seq names can be remembered; the
        # seqs asked about are live (removed ones are filtered out before).
        names = self._names
        out = {q: names[q] for q in seqs if q in names}
        missing = sorted(q for q in seqs if q not in names)
        for chunk in _chunks(missing):
            marks = ",".join("?" * len(chunk))
            found = dict(self._conn.execute(f"SELECT seq, doc_id FROM documents WHERE seq IN ({marks})", chunk))
            out.update(found)
            if self._depth == 0:  # committed rows only: a rollback cannot make these wrong
                names.update(found)
        return out

    def frequent_hashes(self, hashes: Iterable[int], threshold: int) -> set[int]:
        queries, qi, _ = self._holders(hashes)
        counts = np.bincount(qi, minlength=queries.size)
        return set(queries[counts > threshold].tolist())

    def content_hashes(self, doc_ids: Iterable[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(doc_ids))):
            marks = ",".join("?" * len(chunk))
            out.update(self._conn.execute(
                f"SELECT doc_id, content_sha256 FROM documents WHERE doc_id IN ({marks})", chunk))
        return out

    def sketch_table(self) -> SketchTable:
        ids, builder = [], _TableBuilder()
        for doc_id, bands, fp_hashes, fp_positions in self._conn.execute(
                "SELECT doc_id, bands, fp_hashes, fp_positions FROM documents ORDER BY seq"):
            ids.append(doc_id)
            builder.add(np.frombuffer(bands, dtype="<i8"), np.frombuffer(fp_hashes, dtype="<i8"),
                        np.frombuffer(fp_positions, dtype="<i4"))
        return builder.table(ids)
