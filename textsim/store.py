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
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np


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

    def close(self) -> None:  # noqa: B027 - optional hook, default does nothing
        """Release resources."""


# --- in-memory ---------------------------------------------------------------


class MemoryStore(Store):
    """Dictionary-backed store for tests, one-off scans and as a reference implementation."""

    def __init__(self) -> None:
        self._meta: dict[str, str] = {}
        self._docs: dict[str, Document] = {}
        self._sketches: dict[str, Sketch] = {}
        self._by_sha: dict[str, set[str]] = defaultdict(set)
        self._buckets: dict[tuple[int, int], set[str]] = defaultdict(set)
        self._postings: dict[int, dict[str, list[int]]] = defaultdict(dict)

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
        for h, pos in sketch.fingerprints:
            self._postings[h].setdefault(doc_id, []).append(pos)

    def remove(self, doc_id: str) -> None:
        sketch = self._sketches.pop(doc_id, None)
        self._docs.pop(doc_id, None)
        if sketch is None:
            return
        self._by_sha[sketch.content_sha256].discard(doc_id)
        for band, h in enumerate(sketch.band_hashes):
            self._buckets[(band, h)].discard(doc_id)
        for h, _ in sketch.fingerprints:
            self._postings[h].pop(doc_id, None)
            if not self._postings[h]:
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
            docs = self._postings.get(h)
            if docs:
                out[h] = [(d, p) for d, ps in docs.items() for p in ps]
        return out

    def document_frequencies(self, hashes: Iterable[int]) -> dict[int, int]:
        return {h: len(self._postings.get(h, ())) for h in set(hashes)}


# --- SQLite --------------------------------------------------------------------

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
    signature BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_sha ON documents (content_sha256);
CREATE TABLE IF NOT EXISTS lsh_bands (band INTEGER NOT NULL, hash INTEGER NOT NULL, doc_seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS lsh_bands_lookup ON lsh_bands (band, hash);
CREATE INDEX IF NOT EXISTS lsh_bands_doc ON lsh_bands (doc_seq);
CREATE TABLE IF NOT EXISTS fingerprints (hash INTEGER NOT NULL, doc_seq INTEGER NOT NULL, pos INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS fingerprints_hash ON fingerprints (hash);
CREATE INDEX IF NOT EXISTS fingerprints_doc ON fingerprints (doc_seq);
CREATE TABLE IF NOT EXISTS doc_freq (hash INTEGER PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
"""

_CHUNK = 500  # stays below SQLite's historic 999 bound-parameter limit


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


class SQLiteStore(Store):
    """Store in one SQLite file (or ``":memory:"``) using only the standard library.

    Writes outside :meth:`batch` commit immediately; inside ``with store.batch():``
    they are committed together, which is much faster for bulk indexing.
    """

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        self._conn = sqlite3.connect(self.path, isolation_level=None)
        self._depth = 0
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)

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

    # documents -------------------------------------------------------------
    def _seq(self, doc_id: str) -> int | None:
        row = self._conn.execute("SELECT seq FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def add(self, document: Document, sketch: Sketch) -> None:
        with self.batch():
            self._remove_locked(document.doc_id)
            cur = self._conn.execute(
                "INSERT INTO documents (doc_id, content_sha256, author, uploaded_at, metadata, text,"
                " norm_length, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (document.doc_id, sketch.content_sha256, document.author, float(document.uploaded_at),
                 json.dumps(dict(document.metadata), ensure_ascii=False), document.text,
                 sketch.norm_length, np.asarray(sketch.signature, dtype="<u4").tobytes()),
            )
            seq = cur.lastrowid
            self._conn.executemany(
                "INSERT INTO lsh_bands (band, hash, doc_seq) VALUES (?, ?, ?)",
                [(band, h, seq) for band, h in enumerate(sketch.band_hashes)],
            )
            self._conn.executemany(
                "INSERT INTO fingerprints (hash, doc_seq, pos) VALUES (?, ?, ?)",
                [(h, seq, pos) for h, pos in sketch.fingerprints],
            )
            self._conn.executemany(
                "INSERT INTO doc_freq (hash, n) VALUES (?, 1) ON CONFLICT (hash) DO UPDATE SET n = n + 1",
                [(h,) for h in {h for h, _ in sketch.fingerprints}],
            )

    def remove(self, doc_id: str) -> None:
        with self.batch():
            self._remove_locked(doc_id)

    def _remove_locked(self, doc_id: str) -> None:
        seq = self._seq(doc_id)
        if seq is None:
            return
        hashes = [(h,) for (h,) in self._conn.execute(
            "SELECT DISTINCT hash FROM fingerprints WHERE doc_seq = ?", (seq,))]
        self._conn.executemany("UPDATE doc_freq SET n = n - 1 WHERE hash = ?", hashes)
        self._conn.execute("DELETE FROM doc_freq WHERE n <= 0")
        self._conn.execute("DELETE FROM fingerprints WHERE doc_seq = ?", (seq,))
        self._conn.execute("DELETE FROM lsh_bands WHERE doc_seq = ?", (seq,))
        self._conn.execute("DELETE FROM documents WHERE seq = ?", (seq,))

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
        return int(self._conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    # sketches ----------------------------------------------------------------
    def _sketch_for_row(self, row: tuple[Any, ...] | None) -> Sketch | None:
        if row is None:
            return None
        seq, sha, norm_length, signature = row
        bands = [h for (h,) in self._conn.execute(
            "SELECT hash FROM lsh_bands WHERE doc_seq = ? ORDER BY band", (seq,))]
        fps = self._conn.execute(
            "SELECT hash, pos FROM fingerprints WHERE doc_seq = ? ORDER BY pos", (seq,)).fetchall()
        return Sketch(sha, norm_length, tuple(np.frombuffer(signature, dtype="<u4").tolist()),
                      tuple(bands), tuple(fps))

    def get_sketch(self, doc_id: str) -> Sketch | None:
        return self._sketch_for_row(self._conn.execute(
            "SELECT seq, content_sha256, norm_length, signature FROM documents WHERE doc_id = ?",
            (doc_id,)).fetchone())

    def find_sketch(self, content_sha256: str) -> Sketch | None:
        return self._sketch_for_row(self._conn.execute(
            "SELECT seq, content_sha256, norm_length, signature FROM documents"
            " WHERE content_sha256 = ? LIMIT 1", (content_sha256,)).fetchone())

    # look-ups ----------------------------------------------------------------
    def lsh_candidates(self, band_hashes: Sequence[int]) -> set[str]:
        if not band_hashes:
            return set()
        # One OR-ed query: SQLite answers each term from the (band, hash) index.
        where = " OR ".join(["(b.band = ? AND b.hash = ?)"] * len(band_hashes))
        params = [v for band, h in enumerate(band_hashes) for v in (band, h)]
        rows = self._conn.execute(
            f"SELECT DISTINCT d.doc_id FROM lsh_bands b JOIN documents d ON d.seq = b.doc_seq WHERE {where}",
            params,
        )
        return {r[0] for r in rows}

    def fingerprint_postings(self, hashes: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
        out: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for chunk in _chunks(sorted(set(hashes))):
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT f.hash, d.doc_id, f.pos FROM fingerprints f JOIN documents d ON d.seq = f.doc_seq"
                f" WHERE f.hash IN ({marks})", chunk).fetchall()
            for h, doc_id, pos in rows:
                out[h].append((doc_id, pos))
        return dict(out)

    def document_frequencies(self, hashes: Iterable[int]) -> dict[int, int]:
        wanted = sorted(set(hashes))
        out = dict.fromkeys(wanted, 0)
        for chunk in _chunks(wanted):
            marks = ",".join("?" * len(chunk))
            out.update(self._conn.execute(f"SELECT hash, n FROM doc_freq WHERE hash IN ({marks})", chunk))
        return out
