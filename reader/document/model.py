"""The article model: an :class:`Article` is a list of :class:`Block`, each with a map from
its display text back to source offsets (indexes into :attr:`Article.text`)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path


class ArticleError(Exception):
    """A file that cannot be opened as an article; the message is one line for the user."""


@dataclass(slots=True)
class Block:
    """One displayed block of an article, with its map back to the file."""

    kind: str
    """title, byline, date, heading, paragraph, quote, item, code or rule; or one of the
    :data:`STRUCTURE_KINDS` that are not running text (caption, contents, licence)."""
    text: str
    """Display text: markup removed; may hold ``\\n`` for hard line breaks."""
    dstarts: list[int]
    """Display index where each run starts (ascending; the first is 0)."""
    sstarts: list[int]
    """Source offset of the first character of each run."""
    level: int = 0
    """Heading level (1-6), or list depth for items."""
    prefix: str = ""
    """Drawn before the text (a list bullet or number); not part of ``text``."""
    marks: list[tuple[int, int, str]] = field(default_factory=list)
    """Inline styles over display text: (start, end, "strong" | "em" | "code" | "link")."""
    links: list[tuple[int, int, str]] = field(default_factory=list)
    """Links over display text: (start, end, url). The URL is kept, the text is shown."""

    def to_source(self, i: int) -> int:
        """Source offset of display character ``i`` (``len(text)`` maps past the end)."""
        if i >= len(self.text) and self.text:
            return self.to_source(len(self.text) - 1) + 1
        r = bisect_right(self.dstarts, i) - 1
        return self.sstarts[r] + (i - self.dstarts[r])

    def to_source_end(self, j: int) -> int:
        """Source offset just past display character ``j - 1`` (an exclusive end)."""
        if j <= 0:
            return self.to_source(0)
        return self.to_source(j - 1) + 1

    def to_display(self, offset: int) -> int:
        """Display index of the character at source ``offset`` (or the nearest one after it)."""
        r = bisect_right(self.sstarts, offset) - 1
        if r < 0:
            return 0
        i = self.dstarts[r] + (offset - self.sstarts[r])
        end = self.dstarts[r + 1] if r + 1 < len(self.dstarts) else len(self.text)
        return min(i, end)

    @property
    def source_start(self) -> int:
        return self.sstarts[0]

    @property
    def source_end(self) -> int:
        return self.to_source_end(len(self.text))


@dataclass(slots=True)
class Article:
    """A loaded, cleaned article."""

    path: Path
    text: str
    """The file's decoded text; every offset in the project indexes this string."""
    encoding: str
    """The encoding that reproduces ``text``: utf-8-sig, utf-16, utf-32, cp1252 or
    latin-1; or ``html`` / ``epub`` when ``text`` was extracted from a page or a book
    (then only :func:`load` reproduces it, never ``open()``)."""
    hash: str
    """sha256 of ``text`` (hex): the article's identity across renames and copies."""
    blocks: list[Block]
    """Header blocks (title, byline, date) first, then the body, in reading order."""
    title: str = ""
    author: str | None = None
    date: str | None = None
    notice: str | None = None
    """Something the reader should know about the file (e.g. it was not UTF-8)."""
    source_url: str | None = None
    """Where a saved web page came from (its canonical URL), when the page says."""
    tags: list[str] = field(default_factory=list)
    """Tags the file gives itself (a Markdown file's front matter)."""

    @property
    def body(self) -> list[Block]:
        return [b for b in self.blocks if b.kind not in HEADER_KINDS]

    @property
    def paragraphs(self) -> list[str]:
        """The cleaned text of every body block, for the machine-readable view."""
        return [b.text for b in self.body if b.kind != "rule"]

    @property
    def headings(self) -> list[tuple[int, Block]]:
        """(block index, block) for each heading: the table of contents."""
        return [(i, b) for i, b in enumerate(self.blocks) if b.kind == "heading"]

    block_starts: list[int] = field(default_factory=list, repr=False)
    """Source offset of each block's first character (for :meth:`block_at`)."""

    def block_at(self, offset: int) -> int:
        """Index of the block that holds (or precedes) source ``offset``."""
        return max(0, bisect_right(self.block_starts, offset) - 1)

    @property
    def structure(self) -> list[tuple[int, int, str]]:
        """Source (start, end, kind) of every block that is not running prose: headings,
        the title, captions, a table of contents, a licence, and paragraphs written line
        by line (kind ``lines``: an address, a list). Entity resolution judges the
        names found there with evidence from the prose (see :mod:`reader.entities`)."""
        return [(b.source_start, b.source_end,
                 "lines" if b.kind == "paragraph" and "\n" in b.text else b.kind)
                for b in self.blocks if b.kind in STRUCTURE_KINDS or b.kind in (
                    "heading", "title") or b.kind == "paragraph" and "\n" in b.text]

    @property
    def bylines(self) -> list[tuple[int, int]]:
        """Source (start, end) of each byline line: the names there are the authors."""
        return [(b.source_start, b.source_end) for b in self.blocks if b.kind == "byline"]

    def header(self) -> dict[str, object]:
        return {"path": str(self.path), "title": self.title, "author": self.author,
                "date": self.date, "source_url": self.source_url, "tags": self.tags,
                "paragraphs": self.paragraphs}

HEADER_KINDS = frozenset({"title", "byline", "date"})
#: Blocks that are not part of the text's prose: an illustration's caption, a table of
#: contents (or a list of illustrations), and an e-text's header and licence.
STRUCTURE_KINDS = frozenset({"caption", "contents", "licence"})
