"""Text normalisation that remembers where every character came from.

Pipeline (each step keeps, for every output character, the ``[start, end)``
range of original characters it stands for):

1. Header lines (``姓名：…``, ``职务：…``, ``单位：…``, ``日期：…``, ``述职人：…`` …)
   are dropped entirely: they differ between authors and years by design and
   would otherwise inflate or deflate scores.
2. Each character is NFKC-normalised (full-width digits become ASCII, ``①``
   becomes ``1`` …), case-folded and stripped of combining accents.
   Normalisation is applied character by character so that the offset map
   stays exact; for Chinese text this equals whole-string NFKC.
3. Whitespace is removed.
4. Years and dates (``2023年``, ``2023年3月5日``, ``2023-03-05``, ``二〇二三年``,
   ``3月5日``, a bare ``2023``) become one :data:`DATE_MARK` character, so a
   report re-submitted with only the year changed normalises identically.
5. Punctuation and symbols (Chinese and ASCII) are removed.
6. The author's own name becomes one :data:`NAME_MARK` character.

The marks are private-use code points; private-use input characters are dropped
in step 2 so the marks can never be forged by the input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .hashing import code_points32

DATE_MARK = "\ue000"
NAME_MARK = "\ue001"

# Labels of header lines, matched at the start of a line (after NFKC) and
# followed by a colon. Spaces inside labels ("姓  名") are common in Word forms.
HEADER_LABELS: tuple[str, ...] = (
    "姓名", "性别", "职务", "职级", "职称", "岗位", "单位", "工作单位", "所在单位", "部门",
    "所在部门", "日期", "时间", "报告时间", "述职人", "述廉人", "报告人", "汇报人", "发言人",
    "签名", "出生年月", "政治面貌", "分管工作", "分管领域",
)
_MAX_HEADER_LINE = 80  # longer lines are prose even if they start with a label


def _label_pattern(label: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in label)


_LABELS_RE = "(?:" + "|".join(_label_pattern(lab) for lab in sorted(HEADER_LABELS, key=len, reverse=True)) + ")"
_HEADER_RE = re.compile(r"^\s*" + _LABELS_RE + r"\s*[:：]")
_NEXT_LABEL_RE = re.compile(r"\s*" + _LABELS_RE + r"\s*[:：]")

_CN_DIGIT = "〇○零0o一二三四五六七八九"
_YEAR = rf"(?:(?:19|20)\d{{2}}|[{_CN_DIGIT}]{{4}})"
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
# Units after which a 4-digit number is an amount, not a year ("2050万元").
_AMOUNT_UNITS = "万亿元余多人名个件次项户家条篇笔份台辆平米吨"
DATE_RE = re.compile(
    "|".join(
        (
            # 2023年, 2023年度, 2023年3月, 2023年3月5日, 二〇二三年十二月, 2021-2023年
            rf"{_YEAR}(?:[-—~至到]{_YEAR})?年度?(?:{_MONTH}月份?(?:{_DAY}[日号])?)?",
            # 2023-03-05, 2023/3/5, 2023.03
            r"(?<!\d)(?:19|20)\d{2}[-/.](?:1[0-2]|0?[1-9])(?:[-/.](?:3[01]|[12]\d|0?[1-9]))?日?(?!\d)",
            # 3月5日 without a year
            rf"(?<!\d){_MONTH}月{_DAY}[日号]",
            # bare year, e.g. "（2023）"; not part of a longer number or an amount
            rf"(?<![\d.])(?:19[5-9]\d|20\d{{2}})(?![\d.{_AMOUNT_UNITS}])",
        )
    )
)


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text plus its map back to the original string.

    ``offsets[i]`` / ``end_offsets[i]`` delimit the original characters that
    produced ``text[i]`` (a date mark may stand for many original characters).
    Both arrays have ``len(text)`` entries and are non-decreasing.
    """

    text: str
    offsets: np.ndarray  # int32
    end_offsets: np.ndarray  # int32

    def __len__(self) -> int:
        return len(self.text)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised half-open range ``[start, end)`` to original offsets.

        Precondition: ``0 <= start < end <= len(self)``.
        """
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"bad normalised span {start}:{end} for length {len(self.text)}")
        return int(self.offsets[start]), int(self.end_offsets[end - 1])


def is_header_line(line: str) -> bool:
    """True for a short ``标签：值`` line such as ``姓名：张三`` or ``单位：XX局``."""
    if len(line) > _MAX_HEADER_LINE:
        return False
    return bool(_HEADER_RE.match(unicodedata.normalize("NFKC", line)))


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    """NFKC + casefold + accent stripping of one character.

    Returns ``""`` for characters that never survive (whitespace, control,
    format, private-use, unassigned). Cached because real text reuses a few
    thousand characters over and over.
    """
    if ch.isspace():
        return ""
    out = []
    for c in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", ch).casefold()):
        if unicodedata.combining(c) or c.isspace() or unicodedata.category(c)[0] == "C":
            continue
        out.append(c)
    return unicodedata.normalize("NFC", "".join(out))


@lru_cache(maxsize=65536)
def _is_content_char(ch: str) -> bool:
    """Letters and digits count; punctuation (P*) and symbols (S*) do not."""
    return unicodedata.category(ch)[0] in "LN" or ch in (DATE_MARK, NAME_MARK)


def _fold(original: str) -> tuple[str, np.ndarray]:
    """Steps 1–3: drop header lines, fold characters, drop whitespace.

    Returns the folded text and, per folded character, the offset of the
    original character it came from (its end is that offset + 1).
    """
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for line in original.splitlines(keepends=True):
        line_start = pos
        pos += len(line)
        if is_header_line(line):
            continue
        folded = list(map(_fold_char, line))  # C-level map over the cached per-character fold
        parts.extend(folded)
        starts.extend([i for i, out in enumerate(folded, line_start) for _ in out])
    return "".join(parts), np.array(starts, dtype=np.int32)


def _collapse(text: str, starts: np.ndarray, ends: np.ndarray, spans: list[tuple[int, int]],
              new_text: str) -> tuple[str, np.ndarray, np.ndarray]:
    """Collapse each ``[a, b)`` of ``spans`` (sorted, disjoint) into its first character.

    ``new_text`` is ``text`` with every span already replaced by one mark character.
    """
    keep = np.ones(len(text), dtype=bool)
    ends = ends.copy()
    for a, b in spans:
        ends[a] = ends[b - 1]
        keep[a + 1:b] = False
    return new_text, starts[keep], ends[keep]


def _replace_dates(text: str, starts: np.ndarray, ends: np.ndarray) -> tuple[str, np.ndarray, np.ndarray]:
    """Step 4: every date match collapses into one DATE_MARK spanning the match."""
    spans = [m.span() for m in DATE_RE.finditer(text)]
    if not spans:
        return text, starts, ends
    return _collapse(text, starts, ends, spans, DATE_RE.sub(DATE_MARK, text))


def _drop_non_content(text: str, starts: np.ndarray, ends: np.ndarray) -> tuple[str, np.ndarray, np.ndarray]:
    """Step 5: keep letters, digits and marks only."""
    keep = np.fromiter(map(_is_content_char, text), dtype=bool, count=len(text))
    kept = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")[keep]
    return kept.tobytes().decode("utf-32-le"), starts[keep], ends[keep]


def _replace_name(text: str, starts: np.ndarray, ends: np.ndarray, name: str) -> tuple[str, np.ndarray, np.ndarray]:
    """Step 6: each occurrence of ``name`` collapses into one NAME_MARK (left to right, like str.replace)."""
    spans = []
    i = text.find(name)
    while i >= 0:
        spans.append((i, i + len(name)))
        i = text.find(name, i + len(name))
    return _collapse(text, starts, ends, spans, text.replace(name, NAME_MARK))


def _normalize_name(name: str | None) -> str:
    if not name:
        return ""
    return "".join(c for ch in name for c in _fold_char(ch) if _is_content_char(c))


def normalize_reference(original: str, author: str | None = None) -> NormalizedText:
    """Character-by-character implementation of :func:`normalize` (the specification).

    :func:`normalize` gives exactly the same result in compiled passes; this version
    is kept as the reference the tests compare it with.
    """
    text, starts = _fold(original)
    text, starts, ends = _replace_dates(text, starts, starts + 1)
    text, starts, ends = _drop_non_content(text, starts, ends)
    name = _normalize_name(author)
    if len(name) >= 2 and name in text:
        text, starts, ends = _replace_name(text, starts, ends, name)
    return NormalizedText(text, starts, ends)


# --- compiled path ---------------------------------------------------------------------------
# Per code point, filled lazily: the folded code point (0 = dropped, -1 = folds into several
# characters, -2 = not computed yet) and whether a folded character is content (1) or not (0).
_UNKNOWN, _MULTI = -2, -1
_FOLD_TABLE = np.full(0x110000, _UNKNOWN, dtype=np.int32)
_CONTENT_TABLE = np.full(0x110000, -1, dtype=np.int8)
_MULTI_FOLDS: dict[int, np.ndarray] = {}  # code point -> code points of its multi-character fold
# The same as three arrays for the kernels: sorted code points, offsets into the flat folds.
_MULTI_TABLES = (np.empty(0, dtype=np.uint32), np.zeros(1, dtype=np.int64), np.empty(0, dtype=np.int32))


def _learn(cps: np.ndarray) -> None:
    """Fill the fold and content tables for the code points not seen before."""
    global _MULTI_TABLES
    todo = np.unique(cps[_FOLD_TABLE.take(cps) == _UNKNOWN])
    for cp in todo.tolist():
        ch = chr(cp)
        folded = "" if 0xD800 <= cp <= 0xDFFF else _fold_char(ch)
        _FOLD_TABLE[cp] = ord(folded) if len(folded) == 1 else (0 if not folded else _MULTI)
        if len(folded) > 1:
            _MULTI_FOLDS[cp] = code_points32(folded).astype(np.int32)
        for c in folded:
            _CONTENT_TABLE[ord(c)] = _is_content_char(c)
    if len(_MULTI_FOLDS) != _MULTI_TABLES[0].size:
        keys = sorted(_MULTI_FOLDS)
        pieces = [_MULTI_FOLDS[k] for k in keys]
        offsets = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum([p.size for p in pieces], out=offsets[1:])
        _MULTI_TABLES = (np.array(keys, dtype=np.uint32), offsets, np.concatenate(pieces))


# Every date match starts with an ASCII digit or a Chinese numeral (after folding).
_DATE_START = np.zeros(0x110000, dtype=bool)
_DATE_START[[ord(c) for c in "0123456789" + _CN_DIGIT + "十"]] = True
_YEAR_CHAR, _MONTH_CHAR = ord("年"), ord("月")
# Where a DATE_RE match can start — a necessary condition checked by textsim.kernels.compact.
# Every alternative has a fixed shape: a four-character year is followed by 年 at +4 (or +9
# for a range 2021-2023年); a month of one or two characters by 月 at +1 or +2; a numeric
# date or a bare year starts with 19 or 20. Real text has many digits and few dates, so the
# regular expression runs only where one fits.


def _date_spans(text: str, candidates: np.ndarray) -> list[tuple[int, int]]:
    """``[m.span() for m in DATE_RE.finditer(text)]``, trying only the ``candidates`` positions."""
    spans = []
    end = 0
    match = DATE_RE.match
    for pos in candidates.tolist():
        if pos < end:
            continue
        m = match(text, pos)  # lookbehinds still see the text before pos
        if m:
            spans.append(m.span())
            end = m.end()
    return spans


_NO_LINES = np.empty((0, 2), dtype=np.int64)


def normalize(original: str, author: str | None = None) -> NormalizedText:
    """Normalise ``original`` for duplicate detection, keeping an offset map.

    ``author`` is the author's own name; names shorter than two characters after
    folding are ignored (a single character would erase too much text).
    Identical to :func:`normalize_reference`: compiled passes over per-code-point
    tables (:mod:`textsim.kernels`); the regular expressions run only on the short
    lines holding a colon (possible headers) and where a date's shape fits.
    """
    from .kernels import HAS_COLON, HAS_UNKNOWN, colon_lines, compact, finish, fold_scan

    cps = code_points32(original)
    folded, flags = fold_scan(cps, _FOLD_TABLE, *_MULTI_TABLES)
    if flags & HAS_UNKNOWN:
        _learn(cps)
        folded, flags = fold_scan(cps, _FOLD_TABLE, *_MULTI_TABLES)
    dropped = _NO_LINES
    if flags & HAS_COLON:
        headers = [(a, b) for a, b in colon_lines(cps, folded, _MAX_HEADER_LINE + 2, *_MULTI_TABLES).tolist()
                   if is_header_line(original[a:b])]
        if headers:
            dropped = np.array(headers, dtype=np.int64)
    fcps, starts, candidates = compact(cps, folded, dropped, *_MULTI_TABLES, _DATE_START, _YEAR_CHAR, _MONTH_CHAR)
    spans = _date_spans(fcps.tobytes().decode("utf-32-le"), candidates) if candidates.size else []
    bounds = np.array(spans, dtype=np.int64).reshape(-1, 2)
    fcps, starts, ends = finish(fcps, starts, bounds[:, 0].copy(), bounds[:, 1].copy(), _CONTENT_TABLE,
                                ord(DATE_MARK))
    text = fcps.tobytes().decode("utf-32-le")
    name = _normalize_name(author)
    if len(name) >= 2 and name in text:
        text, starts, ends = _replace_name(text, starts, ends, name)
    return NormalizedText(text, starts, ends)


_NAME_VALUE_RE = re.compile(
    r"^\s*(?:姓\s*名|述\s*职\s*人|述\s*廉\s*人|报\s*告\s*人|汇\s*报\s*人|发\s*言\s*人)\s*[:：](.*)$"
)
_NAME_OK_RE = re.compile(r"^[\u4e00-\u9fff·]{2,6}$")


def infer_author(original: str, max_lines: int = 15) -> str | None:
    """Guess the author's name from a ``姓名：张三`` style line near the top or bottom.

    Returns ``None`` when no plausible 2–6 character Chinese name is found.
    """
    lines = original.splitlines()
    for line in lines[:max_lines] + lines[-max_lines:]:
        m = _NAME_VALUE_RE.match(unicodedata.normalize("NFKC", line))
        if not m:
            continue
        value = m.group(1)
        # Cut at the next "标签：" on the same line ("姓名：张三 职务：副局长").
        value = _NEXT_LABEL_RE.split(value)[0].strip()
        tokens = value.split()
        if not tokens:
            continue
        # "张  三" (spaced out in forms) versus "张三 副局长".
        candidate = "".join(tokens) if all(len(t) == 1 for t in tokens) else tokens[0]
        if _NAME_OK_RE.match(candidate):
            return candidate
    return None
