"""textsim's `Store` interface on Django models, and a view of a store restricted to some documents.

`DjangoStore` keeps the index in the tables of `models.py` (IndexEntry, IndexBand, IndexFingerprint,
IndexDocFreq, IndexMeta), so that a new upload is matched incrementally against everything indexed
before and a batch scan reuses the stored sketches. It passes textsim's store conformance suite
(tests/test_store.py). Writes join the caller's transaction; `batch()` is `transaction.atomic()`.

`RestrictedStore` wraps a store so that only some documents can become candidates (the comparison
set of a scan mode) while document frequencies, and so 公共表述, are still judged over the whole
corpus.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import reduce
from operator import or_

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, F, Q

from textsim.store import Document, Sketch, Store

from .models import IndexBand, IndexDocFreq, IndexEntry, IndexFingerprint, IndexMeta

__all__ = ["DjangoStore", "RestrictedStore"]

_CHUNK = 500  # bound parameters per query: below SQLite's historic limit of 999


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


class DjangoStore(Store):
    """The duplicate-text index in the database (one index per database)."""

    # --- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        return IndexMeta.objects.filter(key=key).values_list("value", flat=True).first()

    def set_meta(self, key: str, value: str) -> None:
        IndexMeta.objects.update_or_create(key=key, defaults={"value": value})

    # --- writes -----------------------------------------------------------------------------
    def batch(self):
        return transaction.atomic()

    def add(self, document: Document, sketch: Sketch) -> None:
        with transaction.atomic():
            self._remove(document.doc_id)
            entry = IndexEntry.objects.create(
                doc_id=document.doc_id, content_sha256=sketch.content_sha256, author=document.author,
                uploaded_at=float(document.uploaded_at), metadata=dict(document.metadata), text=document.text,
                norm_length=sketch.norm_length,
                signature=np.asarray(sketch.signature, dtype="<u4").tobytes(),
            )
            IndexBand.objects.bulk_create(
                [IndexBand(entry=entry, band=band, hash=h) for band, h in enumerate(sketch.band_hashes)])
            IndexFingerprint.objects.bulk_create(
                [IndexFingerprint(entry=entry, hash=h, pos=pos) for h, pos in sketch.fingerprints],
                batch_size=_CHUNK)
            self._increment(sorted({h for h, _ in sketch.fingerprints}))

    def _increment(self, hashes: list[int]) -> None:
        """n += 1 for each hash, inserting new ones; one statement per hash, safe under concurrency.

        `INSERT … ON CONFLICT … DO UPDATE` has the same syntax in SQLite (≥ 3.24) and PostgreSQL,
        and the ORM has no "increment or insert" of its own.
        """
        if not hashes:
            return
        table = connection.ops.quote_name(IndexDocFreq._meta.db_table)
        sql = (f"INSERT INTO {table} (hash, n) VALUES (%s, 1) "
               f"ON CONFLICT (hash) DO UPDATE SET n = {table}.n + 1")
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(h,) for h in hashes])

    def remove(self, doc_id: str) -> None:
        with transaction.atomic():
            self._remove(doc_id)

    def _remove(self, doc_id: str) -> None:
        entry_id = IndexEntry.objects.filter(doc_id=doc_id).values_list("pk", flat=True).first()
        if entry_id is None:
            return
        hashes = sorted(set(IndexFingerprint.objects.filter(entry_id=entry_id).values_list("hash", flat=True)))
        for chunk in _chunks(hashes):
            IndexDocFreq.objects.filter(hash__in=chunk).update(n=F("n") - 1)
            IndexDocFreq.objects.filter(hash__in=chunk, n__lte=0).delete()
        IndexFingerprint.objects.filter(entry_id=entry_id).delete()
        IndexBand.objects.filter(entry_id=entry_id).delete()
        IndexEntry.objects.filter(pk=entry_id).delete()

    # --- documents --------------------------------------------------------------------------
    def get_document(self, doc_id: str) -> Document | None:
        row = IndexEntry.objects.filter(doc_id=doc_id).values_list(
            "doc_id", "text", "author", "uploaded_at", "metadata").first()
        if row is None:
            return None
        return Document(row[0], row[1], row[2], row[3], row[4] or {})

    def document_ids(self) -> list[str]:
        return list(IndexEntry.objects.order_by("id").values_list("doc_id", flat=True))

    def count(self) -> int:
        return IndexEntry.objects.count()

    # --- sketches ---------------------------------------------------------------------------
    def _sketch(self, entry: IndexEntry | None) -> Sketch | None:
        if entry is None:
            return None
        bands = IndexBand.objects.filter(entry_id=entry.pk).order_by("band").values_list("hash", flat=True)
        fps = IndexFingerprint.objects.filter(entry_id=entry.pk).order_by("pos", "id").values_list("hash", "pos")
        return Sketch(entry.content_sha256, entry.norm_length,
                      tuple(np.frombuffer(bytes(entry.signature), dtype="<u4").tolist()),
                      tuple(bands), tuple(fps))

    def get_sketch(self, doc_id: str) -> Sketch | None:
        return self._sketch(IndexEntry.objects.filter(doc_id=doc_id).defer("text", "metadata").first())

    def find_sketch(self, content_sha256: str) -> Sketch | None:
        return self._sketch(IndexEntry.objects.filter(content_sha256=content_sha256)
                            .defer("text", "metadata").order_by("id").first())

    # --- look-ups ---------------------------------------------------------------------------
    def lsh_candidates(self, band_hashes: Sequence[int]) -> set[str]:
        if not band_hashes:
            return set()
        where = reduce(or_, (Q(band=band, hash=h) for band, h in enumerate(band_hashes)))
        return set(IndexBand.objects.filter(where).values_list("entry__doc_id", flat=True).distinct())

    def fingerprint_postings(self, hashes: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
        out: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for chunk in _chunks(sorted(set(hashes))):
            rows = IndexFingerprint.objects.filter(hash__in=chunk).values_list("hash", "entry__doc_id", "pos")
            for h, doc_id, pos in rows:
                out[h].append((doc_id, pos))
        return dict(out)

    def document_frequencies(self, hashes: Iterable[int]) -> dict[int, int]:
        wanted = sorted(set(hashes))
        out = dict.fromkeys(wanted, 0)
        for chunk in _chunks(wanted):
            out.update(IndexDocFreq.objects.filter(hash__in=chunk).values_list("hash", "n"))
        return out

    # --- fast paths (optional in textsim's Store; the defaults would go through the methods above) ---
    def shared_fingerprint_counts(self, hashes: Iterable[int]) -> dict[str, int]:
        """For every document holding any of `hashes`: how many distinct ones it holds (one query per chunk)."""
        counts: Counter[str] = Counter()
        for chunk in _chunks(sorted(set(hashes))):
            rows = (IndexFingerprint.objects.filter(hash__in=chunk).values("entry__doc_id")
                    .annotate(n=Count("hash", distinct=True)).values_list("entry__doc_id", "n"))
            for doc_id, n in rows:
                counts[doc_id] += n
        return dict(counts)

    def fingerprint_documents(self, hashes: Iterable[int], limit: int | None = None) -> dict[int, list[str]]:
        """Holders of each stored hash (each once); with `limit`, at most that many (any of them)."""
        out: dict[int, list[str]] = defaultdict(list)
        for chunk in _chunks(sorted(set(hashes))):
            rows = (IndexFingerprint.objects.filter(hash__in=chunk).values_list("hash", "entry__doc_id")
                    .distinct().order_by("hash", "entry__doc_id"))
            for h, doc_id in rows:
                if limit is None or len(out[h]) < limit:
                    out[h].append(doc_id)
        return dict(out)

    def frequent_hashes(self, hashes: Iterable[int], threshold: int) -> set[int]:
        out: set[int] = set()
        for chunk in _chunks(sorted(set(hashes))):
            out.update(IndexDocFreq.objects.filter(hash__in=chunk, n__gt=threshold).values_list("hash", flat=True))
        return out

    def content_hashes(self, doc_ids: Iterable[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk in _chunks(sorted(set(doc_ids))):
            out.update(IndexEntry.objects.filter(doc_id__in=chunk).values_list("doc_id", "content_sha256"))
        return out

    def clear(self) -> None:
        """Drop the whole index (before a rebuild)."""
        with transaction.atomic():
            IndexFingerprint.objects.all().delete()
            IndexBand.objects.all().delete()
            IndexDocFreq.objects.all().delete()
            IndexEntry.objects.all().delete()
            IndexMeta.objects.all().delete()


class RestrictedStore(Store):
    """A store seen through a set of allowed document ids.

    Only allowed documents are candidates (LSH buckets, fingerprint postings, listed ids);
    `count()` and `document_frequencies()` stay those of the whole store, so a phrase is
    公共表述 by the same rule whatever the comparison set. Everything else passes through.
    """

    def __init__(self, base: Store, allowed: Iterable[str]) -> None:
        self.base = base
        self.allowed = frozenset(allowed)

    def get_meta(self, key: str) -> str | None:
        return self.base.get_meta(key)

    def set_meta(self, key: str, value: str) -> None:
        self.base.set_meta(key, value)

    def add(self, document: Document, sketch: Sketch) -> None:
        self.base.add(document, sketch)

    def remove(self, doc_id: str) -> None:
        self.base.remove(doc_id)

    def get_document(self, doc_id: str) -> Document | None:
        return self.base.get_document(doc_id)

    def document_ids(self) -> list[str]:
        return [d for d in self.base.document_ids() if d in self.allowed]

    def count(self) -> int:
        return self.base.count()

    def get_sketch(self, doc_id: str) -> Sketch | None:
        return self.base.get_sketch(doc_id)

    def find_sketch(self, content_sha256: str) -> Sketch | None:
        return self.base.find_sketch(content_sha256)

    def lsh_candidates(self, band_hashes: Sequence[int]) -> set[str]:
        return self.base.lsh_candidates(band_hashes) & self.allowed

    def fingerprint_postings(self, hashes: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
        out = {}
        for h, postings in self.base.fingerprint_postings(hashes).items():
            kept = [p for p in postings if p[0] in self.allowed]
            if kept:
                out[h] = kept
        return out

    def document_frequencies(self, hashes: Iterable[int]) -> dict[int, int]:
        return self.base.document_frequencies(hashes)

    def batch(self):
        return self.base.batch()

    def close(self) -> None:
        self.base.close()

    # fast paths: restricted where they name candidates, global where they count documents
    def shared_fingerprint_counts(self, hashes: Iterable[int]) -> dict[str, int]:
        counts = getattr(self.base, "shared_fingerprint_counts", None)
        if counts is None:
            return super().shared_fingerprint_counts(hashes)
        return {d: n for d, n in counts(hashes).items() if d in self.allowed}

    def fingerprint_documents(self, hashes: Iterable[int], limit: int | None = None) -> dict[int, list[str]]:
        """Holders of each hash. Without `limit` a candidate look-up: allowed documents only. With
        `limit` textsim counts holders (公共表述, "too common to nominate"), which must be the
        corpus's: the answer is then the whole store's, and candidates outside the comparison set
        are left to the scan mode's filter when results are shown."""
        if limit is None:
            return {h: kept for h, postings in self.fingerprint_postings(hashes).items()
                    if (kept := list(dict.fromkeys(d for d, _ in postings)))}
        documents = getattr(self.base, "fingerprint_documents", None)
        if documents is not None:
            return documents(hashes, limit=limit)
        return {h: list(dict.fromkeys(d for d, _ in postings))[:limit]
                for h, postings in self.base.fingerprint_postings(hashes).items()}

    def frequent_hashes(self, hashes: Iterable[int], threshold: int) -> set[int]:
        frequent = getattr(self.base, "frequent_hashes", None)
        if frequent is None:
            return {h for h, n in self.base.document_frequencies(hashes).items() if n > threshold}
        return frequent(hashes, threshold)

    def content_hashes(self, doc_ids: Iterable[str]) -> dict[str, str]:
        hashes = getattr(self.base, "content_hashes", None)
        if hashes is None:
            return super().content_hashes(doc_ids)
        return hashes(doc_ids)
