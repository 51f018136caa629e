"""Markdown files read with markdown-it (CommonMark, tables, footnotes, YAML front matter).

The blocks are the same as for plain text (:mod:`reader.document.model`), and every
display character still maps to the file's text: markdown-it gives each block its line
range, and :mod:`reader.document.mdinline` finds the inline content in those lines.

- Front matter is metadata (:mod:`reader.document.frontmatter`), never a paragraph.
  Without it the header is found as in a text file: the first ``#`` heading (or a short
  first line) is the title, with a byline and a date under it.
- A table is one ``code`` block of aligned rows, cells separated by the file's own ``|``;
  header cells are bold; the delimiter row (``|---|``) is not shown.
- A footnote reference shows as ``[label]`` (the ``^`` left out); each footnote is an
  item prefixed ``[label]`` where it is defined (usually the end of the file), so the
  blocks stay in the file's order.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.document.decode import content_hash
from reader.document.frontmatter import FrontMatter, read_front_matter
from reader.document.header import find_header
from reader.document.inline import Builder
from reader.document.mdinline import InlineWriter, SourceLines
from reader.document.model import Article, Block
from reader.document.repair import SHORT_LINE
from reader.document.structure import mark_structure

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return (MarkdownIt("commonmark").use(front_matter_plugin).use(footnote_plugin)
            .enable("table"))


def parse_markdown(text: str, path: Path | str = "<text>") -> Article:
    """Turn Markdown text into an :class:`Article` whose offsets index ``text``."""
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    walker = _Walker(text, starts)
    walker.walk(_parser().parse(text))
    blocks = sorted((b for b in walker.blocks if b.text or b.kind == "rule"),
                    key=lambda b: b.source_start)
    article = Article(path=Path(path), text=text, encoding="utf-8-sig",
                      hash=content_hash(text), blocks=blocks)
    etext = mark_structure(article.blocks)
    fm = walker.front
    if etext:
        article.title = etext.get("title") or article.path.stem
        article.author = etext.get("author")
    elif fm is not None and (fm.title or fm.authors or fm.date):
        _header_from(article, fm)
    else:
        find_header(article)
    if fm is not None:
        article.source_url = fm.source_url
        article.tags = fm.tags
        article.notice = fm.notice
    if article.title == article.path.stem:
        first = next((b for b in article.blocks if b.kind == "heading" and b.level == 1), None)
        if first is not None:
            article.title = first.text
    article.block_starts = [b.source_start for b in article.blocks]
    return article


def _header_from(article: Article, fm: FrontMatter) -> None:
    """The front matter's header blocks first; without a title there, a first heading is
    the title (and a first heading that repeats the title is not shown twice)."""
    body = article.blocks
    if not fm.title and body and body[0].kind == "heading":
        body[0].kind = "title"
    elif fm.title and body and body[0].kind == "heading" and (
            body[0].text.casefold().split() == fm.title.casefold().split()):
        body = body[1:]  # the title written again as the first heading: shown once
    article.blocks = fm.blocks + body
    article.title = fm.title or (body[0].text if body and body[0].kind == "title"
                                 else article.path.stem)
    article.author = ", ".join(fm.authors) or None
    article.date = fm.date


class _Walker:
    """Block tokens to :class:`Block` objects, keeping track of lists, quotes and notes."""

    def __init__(self, text: str, starts: list[int]) -> None:
        self.text = text
        self.starts = starts
        self.blocks: list[Block] = []
        self.front: FrontMatter | None = None
        self.lists: list[int] = []  # the depth of each open list
        self.quotes = 0
        self.prefix = ""  # a list item's bullet or a footnote's label, for its first block
        self.in_note = False
        self.kind = "paragraph"
        self.level = 0
        self.rows: list[list[tuple[Builder, int, int]]] = []
        self.head_rows = 0

    def walk(self, tokens: list[Any]) -> None:
        for tok in tokens:
            self.token(tok)

    def token(self, tok: Any) -> None:
        t = tok.type
        if t == "front_matter" and tok.map:
            body = self.starts[tok.map[0] + 1]
            end = self.starts[tok.map[1] - 1]
            self.front = read_front_matter(self.text, body, end)
        elif t in ("bullet_list_open", "ordered_list_open"):
            self.lists.append(len(self.lists))
        elif t in ("bullet_list_close", "ordered_list_close") and self.lists:
            self.lists.pop()
        elif t == "list_item_open":
            self.prefix = "• " if tok.markup in "-*+" else f"{tok.info}{tok.markup} "
        elif t == "blockquote_open":
            self.quotes += 1
        elif t == "blockquote_close":
            self.quotes -= 1
        elif t == "footnote_open":
            self.in_note = True
            self.prefix = f"[{tok.meta.get('label', '')}] "
        elif t == "footnote_close":
            self.in_note = False
        elif t == "heading_open":
            self.kind, self.level = "heading", int(tok.tag[1:])
        elif t == "paragraph_open":
            self.kind, self.level = "paragraph", 0
        elif t in ("fence", "code_block") and tok.map:
            self.code(tok)
        elif t == "hr" and tok.map:
            self.blocks.append(Block("rule", "", [0], [self.starts[tok.map[0]]]))
        elif t == "html_block" and tok.map and not tok.content.lstrip().startswith("<!--"):
            self.html(tok)
        else:
            self.table_token(tok)

    def table_token(self, tok: Any) -> None:
        t = tok.type
        if t == "table_open":
            self.rows, self.head_rows = [], 0
        elif t == "tr_open":
            self.rows.append([])
        elif t == "thead_close":
            self.head_rows = len(self.rows)
        elif t == "table_close":
            self.blocks.append(_table(self.rows, self.head_rows, self.text, self.starts))
            self.rows = []
        elif t == "inline" and tok.map:
            if self.rows:
                self.cell(tok)
            else:
                self.inline(tok)

    def cell(self, tok: Any) -> None:
        """A table cell (its inline token carries the row's line range)."""
        row = self.rows[-1]
        line = tok.map[0]
        line_start = self.starts[line]
        if row:
            after = row[-1][2] - line_start + 1
        else:  # past the row's leading pipe, if it has one
            src = self.text[line_start:self._line_end(line)]
            after = len(src) - len(src.lstrip()) + (1 if src.lstrip().startswith("|") else 0)
        lines = SourceLines(tok.content, line, self.starts, self.text, cell_from=after)
        out = Builder()
        InlineWriter(out, lines).write(tok.children or [])
        end = lines.source(0) + len(tok.content)
        pipe = self.text.find("|", end, self._line_end(line))
        row.append((out, end, pipe if pipe >= 0 else end))

    def _line_end(self, line: int) -> int:
        return self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)

    def inline(self, tok: Any) -> None:
        kind, level = self.kind, self.level
        if kind == "paragraph":
            if self.in_note:
                kind = "item"
            elif self.lists:
                kind, level = "item", self.lists[-1]
            elif self.quotes:
                kind = "quote"
        lines = SourceLines(tok.content, tok.map[0], self.starts, self.text)
        out = Builder()
        writer = InlineWriter(out, lines)
        writer.write(tok.children or [])
        text = "".join(out.parts)
        if kind == "paragraph" and writer.soft:
            text = _keep_short_lines(text, writer.soft)
        if not out.dstarts:
            out.dstarts, out.sstarts = [0], [lines.source(0)]
        prefix = self.prefix if kind == "item" else ""
        self.prefix = ""
        self.blocks.append(Block(kind, text, out.dstarts, out.sstarts, level, prefix,
                                 out.marks, out.links))

    def code(self, tok: Any) -> None:
        first = tok.map[0] + (1 if tok.type == "fence" else 0)
        content = tok.content.removesuffix("\n")
        lines = SourceLines(content, first, self.starts, self.text)
        out = Builder()
        for k, (cstart, line) in enumerate(zip(lines.cstarts, content.split("\n"),
                                               strict=True)):
            if k:
                out.add("\n", lines.source(cstart - 1))
            out.add(line, lines.source(cstart))
        if out.dstarts:
            self.blocks.append(Block("code", "".join(out.parts), out.dstarts, out.sstarts))

    def html(self, tok: Any) -> None:
        content = tok.content.strip("\n")
        lines = SourceLines(content, tok.map[0], self.starts, self.text)
        out = Builder()
        for k, (cstart, line) in enumerate(zip(lines.cstarts, content.split("\n"),
                                               strict=True)):
            if k:
                out.add(" ", lines.source(cstart - 1))
            out.add(line.strip(), lines.source(cstart) + len(line) - len(line.lstrip()))
        if out.dstarts:
            self.blocks.append(Block("paragraph", "".join(out.parts), out.dstarts,
                                     out.sstarts))


def _keep_short_lines(text: str, soft: list[int]) -> str:
    """Lines written one by one (an address, verse: every line short and starting with a
    capital or a digit) keep their breaks, as in a text file."""
    bounds = [-1, *soft, len(text)]
    lines = [text[a + 1:z] for a, z in zip(bounds, bounds[1:], strict=False)]
    if all(len(t) <= SHORT_LINE for t in lines) and all(
            t[:1].isupper() or t[:1].isdigit() or not t[:1].isalpha() for t in lines):
        chars = list(text)
        for i in soft:
            chars[i] = "\n"
        return "".join(chars)
    return text


def _table(rows: list[list[tuple[Builder, int, int]]], head: int, text: str,
           starts: list[int]) -> Block:
    """Rows of cells padded to their column's width, separated by the file's ``|``."""
    widths: dict[int, int] = {}
    for row in rows:
        for c, (cell, _, _) in enumerate(row):
            widths[c] = max(widths.get(c, 0), cell.length)
    out = Builder()
    for r, row in enumerate(rows):
        if r:
            end = row[0][1] if row else 0
            newline = text.rfind("\n", 0, max(0, end))
            out.add("\n", newline if newline >= 0 else end)
        for c, (cell, end, pipe) in enumerate(row):
            start = out.length
            _append(out, cell)
            if r < head:
                out.marks.append((start, out.length, "strong"))
            if c == len(row) - 1:
                continue
            gap = end if text[end:end + 1].isspace() else pipe
            for _ in range(widths[c] - cell.length + 1):
                out.add(" ", gap)
            out.add("|", pipe)
            out.add(" ", pipe + 1 if text[pipe + 1:pipe + 2].isspace() else pipe)
    if not out.dstarts:
        out.dstarts, out.sstarts = [0], [starts[0]]
    return Block("code", "".join(out.parts), out.dstarts, out.sstarts, 0, "", out.marks,
                 out.links)


def _append(out: Builder, cell: Builder) -> None:
    """Copy ``cell``'s text, runs, marks and links to the end of ``out``."""
    if not cell.dstarts:
        return
    base = out.length
    text = "".join(cell.parts)
    ends = [*cell.dstarts[1:], len(text)]
    for d, s, e in zip(cell.dstarts, cell.sstarts, ends, strict=True):
        out.add(text[d:e], s)
    out.marks.extend((a + base, z + base, k) for a, z, k in cell.marks)
    out.links.extend((a + base, z + base, u) for a, z, u in cell.links)
