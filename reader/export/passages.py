"""The passage a note is on, quoted from the article as Markdown.

The quote is the passage's sentence (the reading cursor's sentences, so a note taken on one
quotes exactly that sentence), in display form (markup removed), with the passage in bold.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reader.export.escape import escape_fragment, escape_text, normalise_note_text
from reader.sentences import sentence_spans

if TYPE_CHECKING:
    from reader.document import Article

__all__ = ["passage_paragraphs", "plain_paragraphs", "quote_lines"]

#: How far the surrounding sentence may reach beyond the passage, each side.
_CONTEXT = 600


def _sentence_bounds(text: str, ds: int, de: int) -> tuple[int, int]:
    """The display span [s, e) of the sentences of ``text`` that [ds, de) touches (the
    reading cursor's sentences, so a note taken on one quotes exactly that sentence)."""
    spans = sentence_spans(text)
    i = max(0, bisect_right(spans, (ds, len(text) + 1)) - 1)
    s = spans[i][0] if spans[i][1] > ds else ds
    j = max(0, bisect_right(spans, (max(ds, de - 1), len(text) + 1)) - 1)
    e = spans[j][1] if spans[j][0] < de else de
    s, e = min(s, ds), max(e, de)
    if ds - s > _CONTEXT:  # a very long "sentence" (verse, lists): start at a word
        cut = text.find(" ", ds - _CONTEXT, ds)
        s = cut + 1 if cut >= 0 else ds
    if e - de > _CONTEXT:
        cut = text.rfind(" ", de, de + _CONTEXT)
        e = cut if cut >= 0 else de
    return s, e


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith(("P", "S"))


def _emphasis(before: str, mid: str, after: str) -> str:
    """``before**mid**after`` when CommonMark will read the ``**`` as emphasis there."""
    if not mid or not (before.strip() or after.strip()) or "\n" in mid:
        return before + mid + after
    prev = before[-1:] or " "
    nxt = after[:1] or " "
    opens = not _is_punct(mid[0]) or prev.isspace() or _is_punct(prev)
    closes = not _is_punct(mid[-1]) or nxt.isspace() or _is_punct(nxt)
    if opens and closes:
        return f"{before}**{mid}**{after}"
    return before + mid + after


def passage_paragraphs(article: Article, start: int, end: int) -> list[str]:
    """The passage [start, end) of the article's source text as Markdown paragraphs, in
    display form (markup removed), extended to the surrounding sentence, the passage bold."""
    blocks = article.blocks
    if not blocks:
        return [escape_text(article.text[start:end])] if article.text[start:end].strip() else []
    bi = article.block_at(start)
    bj = max(bi, article.block_at(max(start, end - 1)))
    out = []
    for k in range(bi, bj + 1):
        b = blocks[k]
        text = b.text
        ds = min(b.to_display(start), len(text)) if k == bi else 0
        de = min(max(ds, b.to_display(end)), len(text)) if k == bj else len(text)
        if start >= b.source_end:
            ds = len(text)
        if end >= b.source_end:
            de = len(text)
        if k == bi and k == bj and ds >= de:
            continue
        md = _quote_piece(text, ds, de, first=(k == bi), last=(k == bj))
        if md.strip():
            out.append(md)
    return out


def _quote_piece(text: str, ds: int, de: int, *, first: bool, last: bool) -> str:
    if first or last:
        s, e = _sentence_bounds(text, ds, de)
    else:
        s, e = 0, len(text)
    if not first:
        s = 0
    if not last:
        e = len(text)
    mid = text[ds:de]
    ds += len(mid) - len(mid.lstrip())
    de = max(ds, de - (len(mid) - len(mid.rstrip())))
    before, mid, after = text[s:ds], text[ds:de], text[de:e]
    if not mid or "\n" in text[s:e]:
        return escape_text(text[s:e])
    return _emphasis(escape_fragment(before), escape_text(mid),
                     escape_fragment(after, leading=False))



def quote_lines(paragraphs: Sequence[str]) -> list[str]:
    """Markdown paragraphs as one block quote."""
    out: list[str] = []
    for i, para in enumerate(paragraphs):
        if i:
            out.append(">")
        out.extend(f"> {line}" if line else ">" for line in para.split("\n"))
    return out


def plain_paragraphs(text: str) -> list[str]:
    """A quote kept by a note (source text) as escaped paragraphs."""
    paras = re.split(r"\n[ \t]*\n", normalise_note_text(text))
    return [escape_text(_one_line_keep(p)) for p in paras if p.strip()]


def _one_line_keep(p: str) -> str:
    return "\n".join(line.strip() for line in p.split("\n") if line.strip())
