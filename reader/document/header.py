"""The header: a leading title, byline and date promoted out of the body."""

from __future__ import annotations

import re

from reader.document.model import Article, Block

_DATE = re.compile(
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:"
    r"\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"
    r"(?:[ ,]+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?$", re.I)
_NAME_WORD = re.compile(r"[A-Z][\w'’.-]*|van|von|de|da|del|der|di|du|la|le|bin|al|y|and|&", re.U)


def find_header(article: Article) -> None:
    """Promote a leading title, byline and date line out of the body into the header."""
    blocks = article.blocks
    if not blocks:
        return
    first = blocks[0]
    title_ok = (first.kind == "heading" or (
        first.kind == "paragraph" and "\n" not in first.text and len(first.text) <= 120
        and not first.text.rstrip().endswith(".") and len(blocks) > 1))
    if not title_ok:
        article.title = article.title or article.path.stem
        return
    first.kind = "title"
    article.title = first.text
    out = [first]
    i = 1
    # The byline and date sit in the next one or two short blocks, one per line.
    while i < len(blocks) and i <= 2:
        b = blocks[i]
        if b.kind != "paragraph" or len(b.text) > 160:
            break
        lines = _split_lines(b)
        kinds = [_header_kind(t) for t, _, _ in lines]
        if not all(kinds) or (article.author and "byline" in kinds) or (
                article.date and "date" in kinds):
            break
        for (t, s, e), k in zip(lines, kinds, strict=True):
            out.append(_slice(b, s, e, k or "byline"))
            if k == "byline":
                article.author = re.sub(r"^by\s+", "", t, flags=re.I)
            else:
                article.date = t
        i += 1
    article.blocks = out + blocks[i:]
    if not article.title:
        article.title = article.path.stem


def _split_lines(b: Block) -> list[tuple[str, int, int]]:
    out = []
    pos = 0
    for part in b.text.split("\n"):
        lead = len(part) - len(part.lstrip())
        t = part.strip()
        out.append((t, pos + lead, pos + lead + len(t)))
        pos += len(part) + 1
    return out


def _header_kind(t: str) -> str | None:
    if not t or len(t) > 80:
        return None
    if _DATE.match(t):
        return "date"
    words = re.sub(r"^by\s+", "", t, flags=re.I).replace(",", " ").split()
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
