"""Inline Markdown (emphasis, code, links, escapes) to display text with its source map."""

from __future__ import annotations

import re

from reader.document.blocks import CHAPTER, PART_WORDS, Raw
from reader.document.model import Block

_INLINE_CHARS = re.compile(r"[\\`*_\[<]")
_INLINE = re.compile(
    r"""\\(?P<esc>[!-/:-@\[-`{-~])
    |(?P<tick>`+)(?P<code>.+?)(?P=tick)
    |(?P<img>!)?\[(?P<ltext>[^\]]*)\]\((?P<url>[^)\s]*)(?:[ ]+"[^"]*")?\)
    |<(?P<auto>(?:https?|mailto):[^>\s]+)>
    |(?P<strong>\*\*|(?<!\w)__)(?=\S)(?P<stext>.+?)(?<=\S)(?P=strong)
    |(?P<em>\*|(?<!\w)_)(?=[^\s*_])(?P<etext>.+?)(?<=[^\s*_])(?P=em)(?!\w)
    """,
    re.X | re.S,
)


class Builder:
    """Accumulates display text with its source map, marks and links."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.dstarts: list[int] = []
        self.sstarts: list[int] = []
        self.marks: list[tuple[int, int, str]] = []
        self.links: list[tuple[int, int, str]] = []

    def add(self, s: str, src: int) -> None:
        if not s:
            return
        if not (self.dstarts and self.sstarts[-1] + (self.length - self.dstarts[-1]) == src):
            self.dstarts.append(self.length)
            self.sstarts.append(src)
        self.parts.append(s)
        self.length += len(s)

    def inline(self, s: str, src: int) -> None:
        if not _INLINE_CHARS.search(s):
            self.add(s, src)
            return
        pos = 0
        for m in _INLINE.finditer(s):
            self.add(s[pos:m.start()], src + pos)
            start = self.length
            if m.group("esc") is not None:
                self.add(m.group("esc"), src + m.start("esc"))
            elif m.group("code") is not None:
                self.add(m.group("code"), src + m.start("code"))
                self.marks.append((start, self.length, "code"))
            elif m.group("ltext") is not None:
                self.inline(m.group("ltext"), src + m.start("ltext"))
                if not m.group("ltext"):
                    self.add(m.group("url"), src + m.start("url"))
                self.marks.append((start, self.length, "link"))
                self.links.append((start, self.length, m.group("url")))
            elif m.group("auto") is not None:
                self.add(m.group("auto"), src + m.start("auto"))
                self.marks.append((start, self.length, "link"))
                self.links.append((start, self.length, m.group("auto")))
            elif m.group("stext") is not None:
                self.inline(m.group("stext"), src + m.start("stext"))
                self.marks.append((start, self.length, "strong"))
            elif m.group("etext") is not None:
                self.inline(m.group("etext"), src + m.start("etext"))
                self.marks.append((start, self.length, "em"))
            pos = m.end()
        self.add(s[pos:], src + pos)


def inline_block(raw: Raw) -> Block:
    b = Builder()
    last = len(raw.pieces) - 1
    for i, (src, s) in enumerate(raw.pieces):
        if raw.kind == "code":
            b.add(s, src)
        else:
            b.inline(s, src)
        if i < last:
            # The joining character stands for the line's newline in the file.
            b.add("\n" if raw.hard[i] else " ", src + len(s))
    if not b.dstarts:
        b.dstarts, b.sstarts = [0], [raw.pieces[0][0] if raw.pieces else 0]
    text = "".join(b.parts)
    kind = raw.kind
    if kind == "paragraph" and len(text) < 70 and "\n" not in text and (
            CHAPTER.fullmatch(text.strip())):
        kind = "heading"
        raw.level = 1 if PART_WORDS.match(text.strip()) else 2
    return Block(kind, text, b.dstarts, b.sstarts, raw.level, raw.prefix, b.marks, b.links)


