"""The header: a leading title, byline and date promoted out of the body.

A text file's header is the title (the first short line), then a byline and a date, each
on a line of its own, in the one or two blocks after it:

    Title                   Title                   Title
                                                    By Name
    Name                    Name | 12 March 2024
    12 March 2024                                   Body...
                            Body...
    Body...

A byline is a short line of capitalised words (``By`` in front optional); a date is a line
that reads as one (``12 March 2024``, ``March 12, 2024``, ``2024-03-12``, ``12.03.2024``,
with a time or a weekday). A name and a date may share a line, split by ``|``, ``·``,
``—``, ``-`` or a comma. When the body follows such lines without a blank line, the lines
are still the header: a name line followed by a date, or a ``By`` line, is never prose.
"""

from __future__ import annotations

import re

from reader.document.model import Article, Block

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    r"(?:(?:updated|published|posted)(?:\s+on)?:?\s+)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:"
    r"\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+\d{4}"
    r"|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|" + _MONTH + r"\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{4}/\d{1,2}/\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:(?:[ ,]+|\s+at\s+)\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?$", re.I)
_NAME_WORD = re.compile(r"[A-Z][\w'’.-]*|van|von|de|da|del|der|di|du|la|le|bin|al|y|and|&", re.U)
#: Between a name and a date on one line: "Name | 12 March 2024", "Name, March 12, 2024".
_NAME_DATE_SEP = re.compile(r"\s+[|·•—–-]\s+|\s*,\s+")
_BY = re.compile(r"^by\s+", re.I)
_DATE_LEAD = re.compile(r"^(?:updated|published|posted)(?:\s+on)?:?\s+", re.I)

#: A header line: the kinds of its parts and the display (start, end) of each part.
_Parts = list[tuple[str, int, int]]


def find_header(article: Article) -> None:
    """Promote a leading title, byline and date line out of the body into the header."""
    blocks = article.blocks
    if not blocks:
        return
    first = blocks[0]
    out: list[Block] = []
    i = 1
    lines = _source_lines(first, article.text) if first.kind == "paragraph" else []
    if _title_and_header(lines):
        # Title, byline and date written without blank lines between them.
        t, s, e = lines[0]
        out.append(_slice(first, s, e, "title"))
        article.title = t
        i = 0
        blocks = [_slice(first, lines[1][1], len(first.text), "paragraph"), *blocks[1:]]
    elif _title_ok(first, len(blocks)):
        first.kind = "title"
        article.title = first.text
        out.append(first)
    else:
        article.title = article.title or article.path.stem
        return
    i = _header_lines(article, blocks, i, out)
    article.blocks = out + blocks[i:]
    if not article.title:
        article.title = article.path.stem


def _title_ok(first: Block, n: int) -> bool:
    return first.kind == "heading" or (
        first.kind == "paragraph" and "\n" not in first.text and len(first.text) <= 120
        and not first.text.rstrip().endswith(".") and n > 1)


def _title_and_header(lines: list[tuple[str, int, int]]) -> bool:
    """A first paragraph whose first line is a title and whose next lines are a byline
    and a date (written without a blank line between them)."""
    if len(lines) < 2 or len(lines[0][0]) > 120 or lines[0][0].endswith("."):
        return False
    parts = [_parts(t, s) for t, s, _ in lines[1:3]]
    lead = []
    for p in parts:
        if p is None:
            break
        lead.extend(p)
    return _sure(lead, [t for t, _, _ in lines[1:3]])


def _header_lines(article: Article, blocks: list[Block], i: int, out: list[Block]) -> int:
    """Move byline and date lines from blocks ``i`` (and the next) into ``out``; return
    the index of the first block left in the body (a block split here is replaced)."""
    start = i
    while i < len(blocks) and i <= start + 1:
        b = blocks[i]
        if b.kind != "paragraph":
            break
        lines = _source_lines(b, article.text)
        taken: _Parts = []
        n = 0
        for t, s, _ in lines:
            parts = _parts(t, s)
            if parts is None or _repeats(article, taken, parts):
                break
            taken.extend(parts)
            n += 1
        if n == 0:
            break
        whole = n == len(lines) and len(b.text) <= 160
        if not whole and not _sure(taken, [t for t, _, _ in lines[:n]]):
            break
        for kind, s, e in taken:
            out.append(_slice(b, s, e, kind))
            text = b.text[s:e]
            if kind == "byline":
                name = _BY.sub("", text)
                article.author = f"{article.author}, {name}" if article.author else name
            else:
                article.date = _DATE_LEAD.sub("", text)
        if not whole:
            blocks[i] = _slice(b, lines[n][1], len(b.text), "paragraph")
            return i
        i += 1
    return i


def _repeats(article: Article, taken: _Parts, parts: _Parts) -> bool:
    """A second date, or a byline after the date: the header has one date, and its
    names (one or more lines) come before it."""
    kinds = [k for k, _, _ in taken]
    return any((k == "byline" and (article.author or "date" in kinds))
               or (k == "date" and (article.date or "date" in kinds)) for k, _, _ in parts)


def _sure(parts: _Parts, lines: list[str]) -> bool:
    """Header lines that run straight on into the body count only with a date or a
    ``By``: a line of capitalised words alone may be the body's first line."""
    return bool(parts) and (any(k == "date" for k, _, _ in parts)
                            or any(_BY.match(t) for t in lines))


def _source_lines(b: Block, text: str) -> list[tuple[str, int, int]]:
    """The block's lines as written in the file (``text``): (text, start, end) in display
    indexes, split at hard breaks and at the spaces that stand for a newline."""
    out = []
    pos = 0
    cuts = [i for i, ch in enumerate(b.text) if ch == "\n"
            or ch == " " and text[b.to_source(i):b.to_source(i) + 1] == "\n"]
    for cut in [*cuts, len(b.text)]:
        part = b.text[pos:cut]
        lead = len(part) - len(part.lstrip())
        t = part.strip()
        out.append((t, pos + lead, pos + lead + len(t)))
        pos = cut + 1
    return out


def _parts(t: str, s: int) -> _Parts | None:
    """The header parts of line ``t`` (starting at display index ``s``), or None."""
    kind = _header_kind(t)
    if kind is not None:
        return [(kind, s, s + len(t))]
    for m in _NAME_DATE_SEP.finditer(t):
        name, date = t[:m.start()], t[m.end():]
        if _header_kind(name) == "byline" and _DATE.match(date):
            return [("byline", s, s + m.start()), ("date", s + m.end(), s + len(t))]
    return None


def _header_kind(t: str) -> str | None:
    if not t or len(t) > 80:
        return None
    if _DATE.match(t):
        return "date"
    words = _BY.sub("", t).replace(",", " ").split()
    if 2 <= len(words) <= 8 and t[-1] not in ".!?:" and all(_NAME_WORD.fullmatch(w) for w in words):
        return "byline"
    return None


def _slice(b: Block, s: int, e: int, kind: str) -> Block:
    """A new block for display characters [s, e) of ``b``, with its own map."""
    dstarts, sstarts = [0], [b.to_source(s)]
    for d, src in zip(b.dstarts, b.sstarts, strict=True):
        if s < d < e:
            dstarts.append(d - s)
            sstarts.append(src)
    marks = [(max(a, s) - s, min(z, e) - s, k) for a, z, k in b.marks if a < e and z > s]
    links = [(max(a, s) - s, min(z, e) - s, u) for a, z, u in b.links if a < e and z > s]
    return Block(kind, b.text[s:e], dstarts, sstarts, 0, "", marks, links)
