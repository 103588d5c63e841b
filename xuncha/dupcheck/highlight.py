"""Server-rendered highlighting: matched passages in <mark class="copy">, 公共表述 in <mark class="boiler">.

Every piece of text is escaped before it is wrapped, so a report containing markup shows it as text.
A copied passage wins over boilerplate where they overlap.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from textsim.scoring import MatchedSpan

NONE, BOILER, COPY = 0, 1, 2


def highlight(text: str, spans: Iterable[MatchedSpan], *, titles: dict[int, str] | None = None,
              partner_offsets: bool = False) -> SafeString:
    """HTML of `text` with the spans marked.

    `titles` maps a span's position in `spans` to a tooltip; `partner_offsets` adds the partner's
    original offset as data-p (the pair view scrolls the other side to it).
    """
    spans = list(spans)
    n = len(text)
    labels = bytearray(n)
    owner = [-1] * n
    for index, span in enumerate(spans):
        value = BOILER if span.boilerplate else COPY
        for i in range(max(0, span.orig_start), min(span.orig_end, n)):
            if labels[i] < value:
                labels[i] = value
                owner[i] = index
    out: list[str] = []
    i = 0
    while i < n:
        j = i
        while j < n and labels[j] == labels[i] and owner[j] == owner[i]:
            j += 1
        chunk = escape(text[i:j])
        if labels[i] == NONE:
            out.append(chunk)
        else:
            span = spans[owner[i]]
            css = "copy" if labels[i] == COPY else "boiler"
            title = (titles or {}).get(owner[i]) or ("与对方相同（计入复制比）" if labels[i] == COPY
                                                     else "公共表述（不计入复制比）")
            extra = f' data-s="{i}" data-p="{span.partner_orig_start}"' if partner_offsets else ""
            out.append(f'<mark class="{css}" title="{escape(title)}"{extra}>{chunk}</mark>')
        i = j
    return mark_safe("".join(out))  # noqa: S308 - every chunk above is escaped
