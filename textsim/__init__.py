"""textsim — duplicate-text engine for 述职述廉报告 and 民主生活会对照检查材料.

Pure Python on top of numpy (``rensa`` only for indexes built with its MinHash);
no Django. Pipeline: :mod:`~textsim.extract` → :mod:`~textsim.normalize` →
:mod:`~textsim.minhash` (5-gram MinHash + LSH) and :mod:`~textsim.fingerprint`
(winnowing) → :mod:`~textsim.store` → :mod:`~textsim.align` →
:mod:`~textsim.scoring` → :mod:`~textsim.report`. See ``docs/textsim.md``.
"""

from .errors import InputFileError, TextsimError
from .extract import extract_bytes, extract_file
from .index import Config, Index, ScanReport
from .scoring import Cluster, DocumentScore, PairScore, SourceMatch
from .store import Document, MemoryStore, Sketch, SQLiteStore, Store

__all__ = [
    "Cluster",
    "Config",
    "Document",
    "DocumentScore",
    "Index",
    "InputFileError",
    "MemoryStore",
    "PairScore",
    "SQLiteStore",
    "ScanReport",
    "Sketch",
    "SourceMatch",
    "Store",
    "TextsimError",
    "extract_bytes",
    "extract_file",
]
