"""Blocks that are not the text's prose: an e-text's header and licence, and contents lists."""

from __future__ import annotations

import re

from reader.document.blocks import CHAPTER
from reader.document.model import Block

#: A contents line: an entry, a gap of spaces or dots, and a page number ("Preface   ix").
_PAGE_LINE = re.compile(r"\S.{1,80}?(?:[ \t]{3,}|\s*\.{3,}\s*)(?:\d{1,4}|[ivxlcdm]{1,7})$", re.I)
_CONTENTS = re.compile(r"(?:table of )?contents\.?|list of illustrations\.?", re.I)
_GUTENBERG_START = re.compile(
    r"[*\s]*start of (?:the |this )?project gutenberg", re.I)
_GUTENBERG_END = re.compile(
    r"[*\s]*end of (?:the |this )?project gutenberg", re.I)
_GUTENBERG_FIELD = re.compile(r"^(title|author):\s*(.+?)\s*$", re.I | re.M)

def mark_structure(blocks: list[Block]) -> dict[str, str]:
    """Mark the blocks that are not the text's prose (see :data:`STRUCTURE_KINDS`).

    * A Project Gutenberg e-text's header (everything up to its ``*** START OF`` line) and
      its licence (from ``*** END OF``) become ``licence``; their ``Title:`` and ``Author:``
      fields are returned, so the book is named as its header says.
    * A contents list becomes ``contents``: lines that end in a page number ("Preface ...
      ix"), a paragraph whose lines are all chapter headings, and the entries after a
      "Contents" heading up to the first one that the book then repeats as a real heading.
    """
    fields: dict[str, str] = {}
    start = next((i for i, b in enumerate(blocks[:400])
                  if _GUTENBERG_START.match(b.text)), None)
    if start is not None:
        for b in blocks[: start + 1]:
            for m in _GUTENBERG_FIELD.finditer(b.text):
                fields.setdefault(m.group(1).casefold(), m.group(2))
            b.kind = "licence"
        end = next((i for i in range(start + 1, len(blocks))
                    if _GUTENBERG_END.match(blocks[i].text)), None)
        if end is not None:
            for b in blocks[end:]:
                b.kind = "licence"
        fields.setdefault("title", "")
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "paragraph" and _contents_lines(b.text):
            b.kind = "contents"
        elif b.kind in ("heading", "paragraph") and len(b.text) < 40 and _CONTENTS.fullmatch(
                b.text.strip()):
            i = _mark_contents(blocks, i)
            continue
        i += 1
    return fields


def _contents_lines(text: str) -> bool:
    """Page-numbered lines ("Preface ....  ix"), or three lines or more of headings."""
    if not ("   " in text or "..." in text or "\n" in text):
        return False  # (cheap: prose paragraphs are neither)
    lines = [t.strip() for t in text.split("\n") if t.strip()]
    if not lines or max(len(t) for t in lines) > 100:
        return False
    return all(_PAGE_LINE.fullmatch(t) for t in lines) or len(lines) >= 3 and all(
        CHAPTER.fullmatch(t) for t in lines)


def _mark_contents(blocks: list[Block], i: int) -> int:
    """The entries after a "Contents" heading, up to the first real heading (the first
    entry written again) or the first paragraph of prose. Returns the index after them."""
    blocks[i].kind = "contents"
    first: str | None = None
    j = i + 1
    while j < len(blocks):
        b = blocks[j]
        key = _WS_RUN.sub(" ", b.text).strip().casefold()
        if b.kind not in ("heading", "paragraph", "item", "contents") or key == first:
            break
        if b.kind == "paragraph" and (len(b.text) > 100 or b.text.rstrip()[-1:] in ".!?\"”"
                                      and len(b.text) > 60):
            break
        first = first or key
        b.kind = "contents"
        j += 1
    return j


_WS_RUN = re.compile(r"\s+")

