"""Block structure: source lines grouped into raw blocks (headings, paragraphs, quotes,
list items, code, rules, captions), each line kept with its source offset."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_HEADING = re.compile(r"(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_SETEXT = re.compile(r"(=+|-+)[ \t]*$")
_RULE = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_ITEM = re.compile(r"([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+")
_QUOTE = re.compile(r"[ \t]{0,3}>[ \t]?")
_FENCE = re.compile(r"[ \t]{0,3}(```|~~~)")
_NUMBER_WORD = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|"
                r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)")
#: A plain-text heading line: "CHAPTER IV.", "Chapter 12: The Ball", "BOOK ONE: 1805",
#: "PART I", "VOLUME II", "Preface", or a Roman numeral alone ("XIV.").
CHAPTER = re.compile(
    r"(?i:(?:chapter|book|part|volume|act|canto|section|stave|letter)\.?\s+"
    r"(?:\d{1,4}|[ivxlcdm]{1,8}|" + _NUMBER_WORD + r"(?:-\w+)?|the\s+\w+)\b[.:]?"
    r"(?:\s*[-—–:.]?\s*\S.{0,60})?"
    r"|(?:prologue|epilogue|preface|introduction|appendix|conclusion|afterword|foreword)\.?)"
    r"|[IVXLC]{1,7}\.?$")
#: Heading words that hold chapters ("BOOK ONE > CHAPTER I"): their headings are level 1.
PART_WORDS = re.compile(r"(?:book|part|volume)\b", re.I)
_ILLUSTRATION = re.compile(r"[ \t]*\[(?:illustration|picture|image|figure)\b", re.I)

@dataclass(slots=True)
class _Line:
    start: int  # source offset of the line's first character
    text: str   # the line without its newline


@dataclass(slots=True)
class Raw:
    """A block before inline parsing: source lines (already stripped of block markers)."""

    kind: str
    pieces: list[tuple[int, str]]  # (source offset, text) for each line's content
    level: int = 0
    prefix: str = ""
    hard: list[bool] = field(default_factory=list)  # hard break after piece i


def _lines(text: str) -> Iterator[_Line]:
    pos = 0
    for line in text.split("\n"):
        yield _Line(pos, line)
        pos += len(line) + 1


def block_structure(text: str) -> list[Raw]:
    """Group the lines of ``text`` into raw blocks, in order."""
    return _BlockReader(list(_lines(text))).read()


class _BlockReader:
    """One pass over the lines: ``cur`` is the block being filled, ``fence`` the open
    code fence (if any)."""

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.out: list[Raw] = []
        self.cur: Raw | None = None
        self.fence: str | None = None

    def close(self) -> None:
        if self.cur is not None:
            self.out.append(self.cur)
            self.cur = None

    def read(self) -> list[Raw]:
        i = 0
        while i < len(self.lines):
            i = self.line(i)
        self.close()
        return self.out

    def line(self, i: int) -> int:
        """Read line ``i``; return the index of the next line to read."""
        ln = self.lines[i]
        s = ln.text
        if self.fence is not None:
            assert self.cur is not None
            if s.strip().startswith(self.fence):
                self.close()
                self.fence = None
            else:
                self.cur.pieces.append((ln.start, s))
                self.cur.hard.append(True)
            return i + 1
        stripped = s.strip()
        if not stripped:
            self.close()
            return i + 1
        if stripped[0] == "[" and _ILLUSTRATION.match(s):
            self.close()
            return _caption(self.lines, i, self.out)
        if stripped[0] in "#`~>-*+_=0123456789|" and self.marked(ln, stripped):
            return i + 1
        cur = self.cur
        if cur is None or cur.kind == "code":
            self.close()
            cur = self.cur = Raw("paragraph", [])
        lead = len(s) - len(s.lstrip())
        _add_line(cur, ln.start + lead, s[lead:])
        return i + 1

    def marked(self, ln: _Line, stripped: str) -> bool:
        """A line that starts with a block marker: True when it was read as one."""
        s, cur = ln.text, self.cur
        m = _FENCE.match(s)
        if m:
            self.close()
            self.fence = m.group(1)
            self.cur = Raw("code", [])
            return True
        m = _HEADING.match(stripped)
        if m:
            self.close()
            off = ln.start + s.index(m.group(2)) if m.group(2) else ln.start
            self.out.append(Raw("heading", [(off, m.group(2))], level=len(m.group(1))))
            return True
        if (cur is not None and cur.kind == "paragraph" and len(cur.pieces) == 1
                and _SETEXT.match(stripped)):
            cur.kind, cur.level = "heading", 1 if stripped[0] == "=" else 2
            self.close()
            return True
        if _RULE.match(stripped):
            self.close()
            self.out.append(Raw("rule", [(ln.start, "")]))
            return True
        return self.quote_item_or_row(ln, stripped)

    def quote_item_or_row(self, ln: _Line, stripped: str) -> bool:
        s, cur = ln.text, self.cur
        m = _QUOTE.match(s)
        if m:
            if cur is None or cur.kind != "quote":
                self.close()
                cur = self.cur = Raw("quote", [])
            _add_line(cur, ln.start + m.end(), s[m.end():])
            return True
        m = _ITEM.match(s)
        if m and (cur is None or cur.kind != "paragraph" or m.group(2)[0] in "-*+"):
            self.close()
            marker = m.group(2)
            bullet = "• " if marker in "-*+" else marker + " "
            depth = len(m.group(1).expandtabs(4)) // 2
            cur = self.cur = Raw("item", [], level=depth, prefix=bullet)
            _add_line(cur, ln.start + m.end(), s[m.end():])
            return True
        if stripped[0] == "|":
            if cur is None or cur.kind != "code":
                self.close()
                cur = self.cur = Raw("code", [])
            cur.pieces.append((ln.start, s))
            cur.hard.append(True)
            return True
        return False


def _caption(lines: list[_Line], i: int, out: list[Raw]) -> int:
    """An ``[Illustration: ...]`` block, which may run over several paragraphs until its
    bracket closes: one caption (a chapter heading written inside it becomes a heading of
    its own after it). Returns the index of the line after the caption."""
    cap = Raw("caption", [])
    headings: list[Raw] = []
    depth = 0
    for j in range(i, min(len(lines), i + 80)):
        ln = lines[j]
        depth += ln.text.count("[") - ln.text.count("]")
        content = ln.text.strip()
        lead = len(ln.text) - len(ln.text.lstrip())
        bare = content.strip("[]").strip()
        if bare and CHAPTER.fullmatch(bare) and not bare[:1].isdigit():
            headings.append(Raw("heading", [(ln.start + ln.text.index(bare), bare)],
                                 level=1 if PART_WORDS.match(bare) else 2))
        elif content:
            cap.pieces.append((ln.start + lead, content))
            cap.hard.append(True)
        if depth <= 0:
            break
    else:
        _fallback_caption(lines[i], out)
        return i + 1
    if cap.pieces:
        out.append(cap)
    out.extend(headings)
    return j + 1


def _fallback_caption(ln: _Line, out: list[Raw]) -> None:
    """An illustration bracket that never closes: only its own line is the caption."""
    lead = len(ln.text) - len(ln.text.lstrip())
    out.append(Raw("caption", [(ln.start + lead, ln.text.strip())], hard=[True]))


def _add_line(raw: Raw, start: int, s: str) -> None:
    content = s.rstrip()
    # Markdown's hard break: two trailing spaces or a trailing backslash.
    hard = s.endswith("  ") or content.endswith("\\") and not content.endswith("\\\\")
    if content.endswith("\\") and hard and not s.endswith("  "):
        content = content[:-1]
    raw.pieces.append((start, content))
    raw.hard.append(hard)


