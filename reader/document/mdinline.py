"""markdown-it's inline tokens turned into display text, mapped back to the file.

markdown-it gives a block's inline content (its lines joined, block markers and indentation
removed) and a line range, but no offsets. :class:`SourceLines` finds each content line in
its source line; :class:`InlineWriter` then walks the inline tokens with a cursor through
the content, so every display character points at the character of the file it came from
(delimiters such as ``**``, ``[`` or a backslash are stepped over, never shown).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from reader.document.inline import Builder


class SourceLines:
    """Content indexes of one inline token mapped to source offsets, line by line."""

    def __init__(self, content: str, first_line: int, line_starts: list[int], text: str,
                 cell_from: int = -1) -> None:
        self.content = content
        self.cstarts: list[int] = []
        self.sstarts: list[int] = []
        pos = 0
        for k, line in enumerate(content.split("\n")):
            n = first_line + k
            start = line_starts[n] if n < len(line_starts) else len(text)
            end = line_starts[n + 1] - 1 if n + 1 < len(line_starts) else len(text)
            self.cstarts.append(pos)
            self.sstarts.append(start + _locate(text[start:end], line, cell_from))
            pos += len(line) + 1
            cell_from = -1

    def source(self, i: int) -> int:
        k = bisect_right(self.cstarts, i) - 1
        return self.sstarts[k] + (i - self.cstarts[k])


def _locate(src: str, line: str, cell_from: int) -> int:
    """Where content ``line`` starts in source line ``src``: it is the line's tail once
    quote markers, list markers and indentation are gone (a table cell: the first match
    at or after ``cell_from``)."""
    if cell_from >= 0:
        found = src.find(line, cell_from)
        return found if found >= 0 else min(cell_from, len(src))
    if src.endswith(line):
        return len(src) - len(line)
    stripped, core = src.rstrip(), line.rstrip()
    if core and stripped.endswith(core):
        return len(stripped) - len(core)
    found = src.find(line)
    return max(found, 0)


class InlineWriter:
    """Writes inline tokens into a :class:`Builder` (display text, runs, marks, links)."""

    def __init__(self, out: Builder, lines: SourceLines) -> None:
        self.out = out
        self.lines = lines
        self.content = lines.content
        self.cursor = 0
        self.opened: list[tuple[str, int, str]] = []
        #: Display indexes of the soft line breaks (each shown as a space).
        self.soft: list[int] = []

    def write(self, children: list[Any]) -> None:
        for tok in children:
            self.token(tok)

    def token(self, tok: Any) -> None:
        kind = tok.type
        if kind in ("text", "text_special"):
            self.text(tok.content)
        elif kind == "code_inline":
            start = self.out.length
            self.text(tok.content)
            self.out.marks.append((start, self.out.length, "code"))
        elif kind == "softbreak":
            self.soft.append(self.out.length)
            self.newline(" ")
        elif kind == "hardbreak":
            self.newline("\n")
        elif kind in ("strong_open", "em_open", "link_open"):
            name = {"strong_open": "strong", "em_open": "em"}.get(kind, "link")
            self.opened.append((name, self.out.length, tok.attrGet("href") or ""))
        elif kind in ("strong_close", "em_close", "link_close") and self.opened:
            name, start, url = self.opened.pop()
            self.out.marks.append((start, self.out.length, name))
            if name == "link":
                self.out.links.append((start, self.out.length, url))
                self.skip_destination()
        elif kind == "image":
            start = self.out.length
            self.write(tok.children or [])
            self.out.marks.append((start, self.out.length, "link"))
            self.skip_destination()
        elif kind == "footnote_ref":
            self.text(f"[{tok.meta.get('label', '')}]")
        elif kind == "html_inline":
            found = self.content.find(tok.content, self.cursor)
            if found >= 0:
                self.cursor = found + len(tok.content)

    def text(self, s: str) -> None:
        """``s`` as shown, each character mapped to the next match in the content (a
        space may stand for a line break: a code span's newline is shown as one)."""
        if not s:
            return
        c = self.content
        found = c.find(s, self.cursor)
        if found < 0 or "\n" in c[self.cursor:found]:
            m = re.compile(re.escape(s).replace("\\ ", "[ \n]")).search(c, self.cursor)
            found = m.start() if m and "\n" not in c[self.cursor:m.start()] else -1
        if found >= 0:
            pos = 0
            for part in c[found:found + len(s)].split("\n"):
                # Each line of the match on its own: the next one starts past the indent.
                self.out.add(s[pos:pos + len(part)], self.lines.source(found + pos))
                if pos + len(part) < len(s):
                    self.out.add(s[pos + len(part)], self.lines.source(found + pos + len(part)))
                pos += len(part) + 1
            self.cursor = found + len(s)
            return
        # An escape or an entity changed the text: match it character by character, and
        # never past the line (an unmatched character stays where the cursor is).
        for ch in s:
            at = self.cursor
            while at < len(c) and at < self.cursor + 12 and c[at] != ch and not (
                    ch == " " and c[at] == "\n"):
                at += 1
            hit = at < len(c) and (c[at] == ch or ch == " " and c[at] == "\n")
            pos = at if hit else self.cursor
            self.out.add(ch, self.lines.source(min(pos, max(0, len(c) - 1))))
            if hit:
                self.cursor = at + 1

    def newline(self, shown: str) -> None:
        found = self.content.find("\n", self.cursor)
        at = found if found >= 0 else len(self.content)
        self.out.add(shown, self.lines.source(at) if found >= 0 else self._end())
        self.cursor = at + 1

    def _end(self) -> int:
        return self.lines.source(max(0, len(self.content) - 1)) + 1

    def skip_destination(self) -> None:
        """Step over a link's ``](url "title")`` or ``][ref]``, which is not shown."""
        c = self.content
        i = self.cursor
        if c.startswith("](", i):
            depth, j = 0, i + 2
            while j < len(c):
                if c[j] == "(":
                    depth += 1
                elif c[j] == ")":
                    if depth == 0:
                        break
                    depth -= 1
                j += 1
            self.cursor = j + 1
        elif c.startswith("][", i):
            end = c.find("]", i + 2)
            self.cursor = end + 1 if end >= 0 else i + 1
        elif c.startswith(("]", ">"), i):  # a shortcut reference, an autolink's end
            self.cursor = i + 1
