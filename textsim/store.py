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
            builder.add(np.asarray(sketch.band_hashes, dtype=np.int64),
                        np.fromiter((h for h, _ in sketch.fingerprints), dtype=np.int64, count=len(sketch.fingerprints)))
        return builder.table(ids)

    def close(self) -> None:  # noqa: B027 - optional hook, default does nothing
        """Release resources."""


class _TableBuilder:
    """Collects per-document band and fingerprint arrays into a :class:`SketchTable`."""

    def __init__(self) -> None:
        self.bands: list[np.ndarray] = []
        self.hashes: list[np.ndarray] = []

    def add(self, bands: np.ndarray, hashes: np.ndarray) -> None:
        self.bands.append(bands)
        self.hashes.append(hashes)

    def table(self, ids: list[str]) -> SketchTable:
        n = len(ids)
        width = max((b.size for b in self.bands), default=0)
        has = np.fromiter((b.size == width and width > 0 for b in self.bands), dtype=bool, count=n)
        bands = np.zeros((n, width), dtype=np.int64)
        if has.any():
            bands[has] = np.stack([b for b, ok in zip(self.bands, has.tolist(), strict=True) if ok])
        lens = np.fromiter((h.size for h in self.hashes), dtype=np.int64, count=n)
        hashes = np.concatenate(self.hashes) if self.hashes else np.empty(0, dtype=np.int64)
        return SketchTable(ids, bands, has, hashes.astype(np.int64, copy=False),
                           np.repeat(np.arange(n, dtype=np.int32), lens))


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
        for h in {h for h, _ in sketch.fingerprints}:
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
# Layout (schema 2). One row per document holds everything derived from it as
# compact blobs (signature, band hashes, fingerprint hashes and positions), so a
# sketch is one row read. The two look-up structures are clustered B-trees
# (WITHOUT ROWID) with exactly one entry per posting: ``lsh (band, hash, doc)``
# and ``postings (hash, doc)``, one entry per distinct fingerprint hash of a
# document. Document frequencies are counted from ``postings`` (capped when
# only "more than the 公共表述 threshold?" is asked), so no third structure has
# to be maintained on every insert. Bulk inserts sort by key first.

STORE_SCHEMA = "2"
SCHEMA_KEY = "textsim.store_schema"
COUNT_KEY = "textsim.count"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL UNIQUE,
    content_sha256 TEXT NOT NULL,
    author TEXT,
    uploaded_at REAL NOT NULL,
    metadata TEXT NOT NULL,
    text TEXT NOT NULL,
    norm_length INTEGER NOT NULL,
    signature BLOB NOT NULL,
    bands BLOB NOT NULL,
    fp_hashes BLOB NOT NULL,
    fp_positions BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_sha ON documents (content_sha256);
CREATE TABLE IF NOT EXISTS lsh (
    band INTEGER NOT NULL, hash INTEGER NOT NULL, doc_seq INTEGER NOT NULL,
    PRIMARY KEY (band, hash, doc_seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS postings (
    hash INTEGER NOT NULL, doc_seq INTEGER NOT NULL,
    PRIMARY KEY (hash, doc_seq)
) WITHOUT ROWID;
"""

_CHUNK = 500  # stays below SQLite's historic 999 bound-parameter limit


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _sketch_arrays(sketch: Sketch) -> tuple[np.ndarray, np.ndarray]:
    """Fingerprint hashes (int64) and positions (int32) of a sketch."""
    fps = np.array(sketch.fingerprints, dtype=np.int64).reshape(-1, 2)
    return fps[:, 0].copy(), fps[:, 1].astype(np.int32)


class SQLiteStore(Store):
    """Store in one SQLite file (or ``":memory:"``) using only the standard library.

    Writes outside :meth:`batch` commit immediately; inside ``with store.batch():``
    they are committed together, which is much faster for bulk indexing;
    :meth:`add_many` is faster still (sorted bulk inserts).

    ``cache_mb`` is SQLite's page cache for this connection.
    """

    holder_lists_are_complete = True

    def __init__(self, path: str | Path = ":memory:", cache_mb: int = 512) -> None:
        self.path = str(path)
        self._conn = sqlite3.connect(self.path, isolation_level=None)
        self._depth = 0
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(f"PRAGMA cache_size=-{int(cache_mb) * 1024}")
        self._conn.execute("PRAGMA temp_store=MEMORY")
        old = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'fingerprints'").fetchone()
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

    # transactions --------------------------------------------------------
    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        if self._depth == 0:
            self._conn.execute("BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self._conn.execute("ROLLBACK")
            raise
        self._depth -= 1
        if self._depth == 0:
            self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()

    # meta ----------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.batch():
            self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _bump_count(self, delta: int) -> None:
        self._conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = ?", (delta, COUNT_KEY))

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
            for doc_id in latest:
                self._remove_locked(doc_id)
            post_h, post_d, lsh_rows = [], [], []
            for document, sketch in latest.values():
                hashes, positions = _sketch_arrays(sketch)
                bands = np.asarray(sketch.band_hashes, dtype=np.int64)
                cur = self._conn.execute(
                    "INSERT INTO documents (doc_id, content_sha256, author, uploaded_at, metadata, text,"
                    " norm_length, signature, bands, fp_hashes, fp_positions)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (document.doc_id, sketch.content_sha256, document.author, float(document.uploaded_at),
                     json.dumps(dict(document.metadata), ensure_ascii=False), document.text,
                     sketch.norm_length, np.asarray(sketch.signature, dtype="<u4").tobytes(),
                     bands.astype("<i8").tobytes(), hashes.astype("<i8").tobytes(),
                     positions.astype("<i4").tobytes()),
                )
                seq = cur.lastrowid
                unique = np.unique(hashes)
                post_h.append(unique)
                post_d.append(np.full(unique.size, seq, dtype=np.int64))
                lsh_rows.extend((band, h, seq) for band, h in enumerate(bands.tolist()))
            if post_h:
                h = np.concatenate(post_h)
                d = np.concatenate(post_d)
                order = np.lexsort((d, h))  # key order: B-tree pages are visited once, in sequence
                self._conn.executemany("INSERT INTO postings (hash, doc_seq) VALUES (?, ?)",
                                       zip(h[order].tolist(), d[order].tolist(), strict=True))
            lsh_rows.sort()
            self._conn.executemany("INSERT INTO lsh (band, hash, doc_seq) VALUES (?, ?, ?)", lsh_rows)
            self._bump_count(len(latest))

    def remove(self, doc_id: str) -> None:
        with self.batch():
            self._remove_locked(doc_id)

    def _remove_locked(self, doc_id: str) -> None:
        row = self._conn.execute("SELECT seq, bands, fp_hashes FROM documents WHERE doc_id = ?",
                                 (doc_id,)).fetchone()
        if row is None:
            return
        seq, bands, fp_hashes = row
        hashes = np.unique(np.frombuffer(fp_hashes, dtype="<i8")).tolist()
        self._conn.executemany("DELETE FROM postings WHERE hash = ? AND doc_seq = ?", [(h, seq) for h in hashes])
        self._conn.executemany("DELETE FROM lsh WHERE band = ? AND hash = ? AND doc_seq = ?",
                               [(band, h, seq) for band, h in enumerate(np.frombuffer(bands, dtype="<i8").tolist())])
        self._conn.execute("DELETE FROM documents WHERE seq = ?", (seq,))
        self._bump_count(-1)

    def get_document(self, doc_id: str) -> Document | None:
        row = self._conn.execute(
            "SELECT doc_id, text, author, uploaded_at, metadata FROM documents WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return None
        return Document(row[0], row[1], row[2], row[3], json.loads(row[4]))

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
        hashes = np.frombuffer(fp_hashes, dtype="<i8").tolist()
        positions = np.frombuffer(fp_positions, dtype="<i4").tolist()
        return Sketch(sha, norm_length, tuple(np.frombuffer(signature, dtype="<u4").tolist()),
                      tuple(np.frombuffer(bands, dtype="<i8").tolist()), tuple(zip(hashes, positions, strict=True)))

    def get_sketch(self, doc_id: str) -> Sketch | None:
        return self._sketch_for_row(self._conn.execute(
            f"SELECT {self._SKETCH_COLUMNS} FROM documents WHERE doc_id = ?", (doc_id,)).fetchone())

    def find_sketch(self, content_sha256: str) -> Sketch | None:
        return self._sketch_for_row(self._conn.execute(
            f"SELECT {self._SKETCH_COLUMNS} FROM documents WHERE content_sha256 = ? LIMIT 1",
            (content_sha256,)).fetchone())

    # look-ups ----------------------------------------------------------------
    def lsh_candidates(self, band_hashes: Sequence[int]) -> set[str]:
        if not band_hashes:
            return set()
        # One OR-ed query: SQLite answers each term from the (band, hash) primary key.
        where = " OR ".join(["(l.band = ? AND l.hash = ?)"] * len(band_hashes))
        params = [v for band, h in enumerate(band_hashes) for v in (band, h)]
        rows = self._conn.execute(
            f"SELECT DISTINCT d.doc_id FROM lsh l JOIN documents d ON d.seq = l.doc_seq WHERE {where}",
            params,
        )
        return {r[0] for r in rows}

    def fingerprint_postings(self, hashes: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
        wanted = sorted(set(hashes))
        by_doc: dict[int, list[int]] = defaultdict(list)
        for chunk in _chunks(wanted):
            marks = ",".join("?" * len(chunk))
            for h, seq in self._conn.execute(f"SELECT hash, doc_seq FROM postings WHERE hash IN ({marks})", chunk):
                by_doc[seq].append(h)
        out: dict[int, list[tuple[str, int]]] = defaultdict(list)
        seqs = sorted(by_doc)
        for chunk in _chunks(seqs):
            marks = ",".join("?" * len(chunk))
            for seq, doc_id, fp_hashes, fp_positions in self._conn.execute(
                    f"SELECT seq, doc_id, fp_hashes, fp_positions FROM documents WHERE seq IN ({marks})", chunk):
                all_h = np.frombuffer(fp_hashes, dtype="<i8")
                all_p = np.frombuffer(fp_positions, dtype="<i4")
                for h in by_doc[seq]:
                    out[h].extend((doc_id, int(p)) for p in all_p[all_h == h])
        return dict(out)

    def document_frequencies(self, hashes: Iterable[int]) -> dict[int, int]:
        wanted = sorted(set(hashes))
        out = dict.fromkeys(wanted, 0)
        for chunk in _chunks(wanted):
            marks = ",".join("?" * len(chunk))
            out.update(self._conn.execute(
                f"SELECT hash, COUNT(*) FROM postings WHERE hash IN ({marks}) GROUP BY hash", chunk))
        return out

    def shared_fingerprint_counts(self, hashes: Iterable[int]) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for chunk in _chunks(sorted(set(hashes))):
            marks = ",".join("?" * len(chunk))
            counts.update(dict(self._conn.execute(
                f"SELECT d.doc_id, COUNT(*) FROM postings p JOIN documents d ON d.seq = p.doc_seq"
                f" WHERE p.hash IN ({marks}) GROUP BY p.doc_seq", chunk)))
        return dict(counts)

    def fingerprint_documents(self, hashes: Iterable[int], limit: int | None = None) -> dict[int, list[str]]:
        wanted = sorted(set(hashes))
        if limit is None:
            out: dict[int, list[str]] = defaultdict(list)
            for chunk in _chunks(wanted):
                marks = ",".join("?" * len(chunk))
                for h, doc_id in self._conn.execute(
                        f"SELECT p.hash, d.doc_id FROM postings p JOIN documents d ON d.seq = p.doc_seq"
                        f" WHERE p.hash IN ({marks})", chunk):
                    out[h].append(doc_id)
            return dict(out)
        # One index range per hash, stopped after ``limit`` entries, all inside SQLite.
        seqs_of: dict[int, list[int]] = {}
        for chunk in _chunks(wanted):
            values = ",".join(["(?)"] * len(chunk))
            for h, seqs in self._conn.execute(
                    f"SELECT column1, (SELECT group_concat(doc_seq) FROM (SELECT doc_seq FROM postings"
                    f" WHERE hash = column1 LIMIT ?)) FROM (VALUES {values})", [int(limit), *chunk]):
                if seqs is not None:
                    seqs_of[h] = list(map(int, seqs.split(","))) if "," in seqs else [int(seqs)]
        names = self._doc_ids(set(chain.from_iterable(seqs_of.values())))
        return {h: [names[q] for q in qs] for h, qs in seqs_of.items()}

    def _doc_ids(self, seqs: set[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for chunk in _chunks(sorted(seqs)):
            marks = ",".join("?" * len(chunk))
            out.update(self._conn.execute(f"SELECT seq, doc_id FROM documents WHERE seq IN ({marks})", chunk))
        return out

    def frequent_hashes(self, hashes: Iterable[int], threshold: int) -> set[int]:
        # Counting stops at threshold + 1: a stock phrase held by 50,000 documents costs
        # no more than one just above the threshold.
        out: set[int] = set()
        for chunk in _chunks(sorted(set(hashes))):
            values = ",".join(["(?)"] * len(chunk))
            out.update(h for (h,) in self._conn.execute(
                f"SELECT column1 FROM (VALUES {values}) WHERE (SELECT COUNT(*) FROM"
                f" (SELECT 1 FROM postings WHERE hash = column1 LIMIT ?)) > ?",
                [*chunk, threshold + 1, threshold]))
        return out

    def content_hashes(self, doc_ids: Iterable[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(doc_ids))):
            marks = ",".join("?" * len(chunk))
            out.update(self._conn.execute(
                f"SELECT doc_id, content_sha256 FROM documents WHERE doc_id IN ({marks})", chunk))
        return out

    def reopen(self) -> Store | None:
        if self.path == ":memory:":
            return None
        return SQLiteStore(self.path, cache_mb=64)

    def sketch_table(self) -> SketchTable:
        ids, builder = [], _TableBuilder()
        for doc_id, bands, fp_hashes in self._conn.execute("SELECT doc_id, bands, fp_hashes FROM documents ORDER BY seq"):
            ids.append(doc_id)
            builder.add(np.frombuffer(bands, dtype="<i8"), np.frombuffer(fp_hashes, dtype="<i8"))
        return builder.table(ids)
