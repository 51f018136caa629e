"""The article model: load a file, clean it, and keep a map back to the file's text.

No Textual and no spaCy here. Everything that points into an article (entities, notes,
reading positions) uses *source offsets*: indexes into :attr:`Article.text`. For a text or
Markdown file that is the file's text exactly as ``open(path, encoding=article.encoding)
.read()`` returns it (universal newlines, and ``utf-8-sig`` for UTF-8 so a byte-order mark
is not counted). A saved web page or an EPUB book is first turned into Markdown text by
:mod:`reader.formats` (``article.encoding`` is then ``html`` or ``epub``): offsets index that
extracted text, so such a file must only ever be re-read through :func:`load`.

What the reader sees is a list of :class:`Block` (title, byline, date, headings,
paragraphs, quotes, list items, code). Each block's ``text`` is the *display text*:
Markdown markup removed, backslash escapes undone, soft line breaks turned into spaces and
paragraphs that extraction broke mid-sentence joined again. A block maps every display
character back to a source offset with a handful of runs, so a 3 MB book costs a few
hundred kilobytes of map, not one integer per character.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader import formats

__all__ = ["Article", "ArticleError", "Block", "load", "parse"]

#: Files larger than this are refused rather than read into memory.
MAX_BYTES = 64 * 1024 * 1024


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
                "date": self.date, "source_url": self.source_url,
                "paragraphs": self.paragraphs}

HEADER_KINDS = frozenset({"title", "byline", "date"})
#: Blocks that are not part of the text's prose: an illustration's caption, a table of
#: contents (or a list of illustrations), and an e-text's header and licence.
STRUCTURE_KINDS = frozenset({"caption", "contents", "licence"})

# --------------------------------------------------------------------------- loading


def load(path: str | Path) -> Article:
    """Read and clean ``path``; raise :class:`ArticleError` with a one-line reason."""
    p = Path(path)
    raw = _read_bytes(p)
    # Before the binary check: an EPUB is a zip, which that check refuses.
    kind = formats.sniff(p, raw)
    if kind != "text":
        return _load_extracted(p, raw, kind)
    text, encoding, notice = decode(raw, p)
    if not text.strip():
        raise ArticleError(f"{p}: the file is empty")
    article = parse(text, path=p)
    article.encoding = encoding
    article.notice = notice
    return article


def _load_extracted(p: Path, raw: bytes, kind: str) -> Article:
    """A web page or a book: its Markdown body through :func:`parse`, under a header made
    from its metadata (which wins over anything header-like at the top of the body)."""
    try:
        ex = formats.extract_epub(raw) if kind == "epub" else formats.extract_html(raw)
    except formats.FormatError as exc:
        raise ArticleError(f"{p}: {exc}") from None
    except (MemoryError, RecursionError):
        raise ArticleError(f"{p}: too large or too deeply nested to read") from None
    head: list[tuple[str, str]] = []
    if ex.title:
        head.append(("title", ex.title))
    if ex.author:
        head.append(("byline", ex.author))
    if ex.date:
        head.append(("date", ex.date))
    # Written as Markdown (``# title``, one line each for author and date) so the text
    # reads as a document of its own; the blocks are made here, not by header detection.
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for kind_, value in head:
        lead = "# " if kind_ == "title" else ""
        blocks.append(Block(kind_, value, [0], [pos + len(lead)], 1 if lead else 0))
        line = lead + value + ("\n\n" if kind_ == "title" else "\n")
        parts.append(line)
        pos += len(line)
    if head and head[-1][0] != "title":
        parts.append("\n")
        pos += 1
    body = parse(ex.body, path=p, header=False)
    for b in body.blocks:
        b.sstarts = [s + pos for s in b.sstarts]
    text = "".join(parts) + ex.body
    article = Article(path=p, text=text, encoding=ex.kind, hash=content_hash(text),
                      blocks=blocks + body.blocks, title=ex.title or p.stem,
                      author=ex.author, date=ex.date, notice=ex.notice,
                      source_url=ex.source_url)
    article.block_starts = [b.source_start for b in article.blocks]
    return article


#: What to open instead, said after a refusal.
_OPEN_INSTEAD = "open a .txt, .md, .html or .epub file"


def _read_bytes(p: Path) -> bytes:
    """The file's bytes, or an :class:`ArticleError` naming the real problem in one line
    (a folder, a named pipe, a symlink loop, ...): nothing but a regular file is read."""
    try:
        st = os.stat(p)
    except OSError as exc:
        raise ArticleError(_os_reason(p, exc)) from None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise ArticleError(f"{p}: is a folder, not an article ({_OPEN_INSTEAD})")
    if stat.S_ISFIFO(mode):
        raise ArticleError(f"{p}: is a named pipe (FIFO), not a file; reader opens only "
                           "regular files (save the text to a file first)")
    if stat.S_ISSOCK(mode):
        raise ArticleError(f"{p}: is a socket, not a file; reader opens only regular files")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise ArticleError(f"{p}: is a device, not a file; reader opens only regular files")
    if not stat.S_ISREG(mode):
        raise ArticleError(f"{p}: not a regular file; reader opens only regular files")
    if st.st_size > MAX_BYTES:
        raise ArticleError(f"{p}: too large ({st.st_size // 2**20} MB; the limit is "
                           f"{MAX_BYTES // 2**20} MB)")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise ArticleError(_os_reason(p, exc)) from None


def _os_reason(p: Path, exc: OSError) -> str:
    """One line for an error from the file system, in words a reader understands."""
    code = exc.errno
    if code == errno.ENOENT:
        if os.path.islink(p):
            try:
                target = os.readlink(p)
            except OSError:
                target = "a file"
            return f"{p}: is a symbolic link to {target}, which does not exist"
        return f"{p}: no such file"
    if code == errno.ELOOP:
        return f"{p}: too many levels of symbolic links (the links go round in a loop)"
    if code in (errno.EACCES, errno.EPERM):
        return f"{p}: permission denied"
    if code == errno.ENOTDIR:
        return f"{p}: a part of this path is a file, not a folder"
    if code == errno.ENAMETOOLONG:
        return f"{p}: the name is too long"
    if code == errno.EISDIR:
        return f"{p}: is a folder, not an article ({_OPEN_INSTEAD})"
    why = (exc.strerror or str(exc)).rstrip(".")
    return f"{p}: cannot be read ({why[:1].lower() + why[1:]})"


#: Leading bytes of files that are not text, and what to call them.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document (not supported"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image (not text"),
    (b"\xff\xd8\xff", "a JPEG image (not text"),
    (b"GIF8", "a GIF image (not text"),
    (b"PK\x03\x04", "a zip archive that is not an EPUB book (not text"),
    (b"\x7fELF", "a program (an ELF executable, not text"),
)

#: Byte-order marks of the encodings read besides UTF-8 (UTF-32 first: its little-endian
#: mark begins with UTF-16's).
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)


def decode(raw: bytes, p: Path | str = "") -> tuple[str, str, str | None]:
    """Decode file bytes the way the rest of the project will re-read them.

    Returns (text, encoding, notice). Newlines are normalised as universal-newline mode
    does, so ``text`` equals ``open(p, encoding=encoding).read()``. UTF-16 and UTF-32 text
    is read when it starts with a byte-order mark (which is not part of ``text``).
    """
    notice = None
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            try:
                text, encoding = raw.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise ArticleError(f"{p}: starts as {name} text but is not valid {name} "
                                   f"(bad bytes at byte {exc.start})") from None
            break
    else:
        for magic, what in _MAGIC:
            if raw.startswith(magic):
                raise ArticleError(f"{p}: {what}; {_OPEN_INSTEAD})")
        nul = raw.find(b"\x00")
        if nul >= 0:
            if _utf16_without_bom(raw):
                raise ArticleError(f"{p}: looks like UTF-16 text without a byte-order mark, "
                                   "which reader cannot tell apart from binary data (save it "
                                   "as UTF-8)")
            raise ArticleError(f"{p}: text with NUL bytes at byte {nul}, which is not plain "
                               f"text ({_OPEN_INSTEAD})")
        try:
            text, encoding = raw.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            try:
                text, encoding = raw.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text, encoding = raw.decode("latin-1"), "latin-1"
            notice = f"not valid UTF-8: read as {encoding}"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for c in text[:4096] if c < " " and c not in "\n\t\f")
    if controls > 0.05 * min(len(text), 4096):
        raise ArticleError(f"{p}: binary data, not text ({controls} control characters in "
                           f"its first {min(len(text), 4096)} characters; {_OPEN_INSTEAD})")
    return text, encoding, notice


def _utf16_without_bom(raw: bytes) -> bool:
    """Mostly ASCII text in UTF-16: every other byte of the first few hundred is NUL."""
    head = raw[:512]
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    for zeros, chars in ((odd, even), (even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and chars.count(0) < 0.1 * len(chars):
            return True
    return False


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# --------------------------------------------------------------------------- parsing

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
_CHAPTER = re.compile(
    r"(?i:(?:chapter|book|part|volume|act|canto|section|stave|letter)\.?\s+"
    r"(?:\d{1,4}|[ivxlcdm]{1,8}|" + _NUMBER_WORD + r"(?:-\w+)?|the\s+\w+)\b[.:]?"
    r"(?:\s*[-—–:.]?\s*\S.{0,60})?"
    r"|(?:prologue|epilogue|preface|introduction|appendix|conclusion|afterword|foreword)\.?)"
    r"|[IVXLC]{1,7}\.?$")
#: Heading words that hold chapters ("BOOK ONE > CHAPTER I"): their headings are level 1.
_PART_WORDS = re.compile(r"(?:book|part|volume)\b", re.I)
_ILLUSTRATION = re.compile(r"[ \t]*\[(?:illustration|picture|image|figure)\b", re.I)
#: A contents line: an entry, a gap of spaces or dots, and a page number ("Preface   ix").
_PAGE_LINE = re.compile(r"\S.{1,80}?(?:[ \t]{3,}|\s*\.{3,}\s*)(?:\d{1,4}|[ivxlcdm]{1,7})$", re.I)
_CONTENTS = re.compile(r"(?:table of )?contents\.?|list of illustrations\.?", re.I)
_GUTENBERG_START = re.compile(
    r"[*\s]*start of (?:the |this )?project gutenberg", re.I)
_GUTENBERG_END = re.compile(
    r"[*\s]*end of (?:the |this )?project gutenberg", re.I)
_GUTENBERG_FIELD = re.compile(r"^(title|author):\s*(.+?)\s*$", re.I | re.M)
_DATE = re.compile(
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:"
    r"\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"
    r"(?:[ ,]+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?$", re.I)
_NAME_WORD = re.compile(r"[A-Z][\w'’.-]*|van|von|de|da|del|der|di|du|la|le|bin|al|y|and|&", re.U)
_CLOSING = frozenset('.!?:;"”’\')]…*_`')


@dataclass(slots=True)
class _Line:
    start: int  # source offset of the line's first character
    text: str   # the line without its newline


@dataclass(slots=True)
class _Raw:
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


def parse(text: str, path: Path | str = "<text>", *, header: bool = True) -> Article:
    """Turn decoded text into an :class:`Article` (title, byline, date, blocks).

    ``header=False`` leaves every block in the body (the caller knows the metadata).
    """
    raws = _keep_short_lines(_repair(_block_structure(text)))
    blocks = [_inline(r) for r in raws]
    blocks = [b for b in blocks if b.text or b.kind == "rule"]
    article = Article(path=Path(path), text=text, encoding="utf-8-sig", hash=content_hash(text),
                      blocks=blocks)
    etext = _mark_structure(article.blocks)
    if etext:
        article.title = etext.get("title") or article.path.stem
        article.author = etext.get("author")
    elif header:
        _find_header(article)
    elif not article.title:
        article.title = article.path.stem
    article.block_starts = [b.source_start for b in article.blocks]
    return article


def _block_structure(text: str) -> list[_Raw]:
    out: list[_Raw] = []
    cur: _Raw | None = None
    fence: str | None = None
    lines = list(_lines(text))
    n = len(lines)
    i = 0
    while i < n:
        ln = lines[i]
        s = ln.text
        if fence is not None:
            assert cur is not None
            if s.strip().startswith(fence):
                out.append(cur)
                cur, fence = None, None
            else:
                cur.pieces.append((ln.start, s))
                cur.hard.append(True)
            i += 1
            continue
        stripped = s.strip()
        if not stripped:
            if cur is not None:
                out.append(cur)
                cur = None
            i += 1
            continue
        if stripped[0] == "[" and _ILLUSTRATION.match(s):
            if cur is not None:
                out.append(cur)
                cur = None
            i = _caption(lines, i, out)
            continue
        first = stripped[0]
        if first in "#`~>-*+_=0123456789|" :
            m = _FENCE.match(s)
            if m:
                if cur is not None:
                    out.append(cur)
                fence = m.group(1)
                cur = _Raw("code", [])
                i += 1
                continue
            m = _HEADING.match(stripped)
            if m:
                if cur is not None:
                    out.append(cur)
                    cur = None
                off = ln.start + s.index(m.group(2)) if m.group(2) else ln.start
                out.append(_Raw("heading", [(off, m.group(2))], level=len(m.group(1))))
                i += 1
                continue
            if (cur is not None and cur.kind == "paragraph" and len(cur.pieces) == 1
                    and _SETEXT.match(stripped)):
                cur.kind, cur.level = "heading", 1 if stripped[0] == "=" else 2
                out.append(cur)
                cur = None
                i += 1
                continue
            if _RULE.match(stripped):
                if cur is not None:
                    out.append(cur)
                    cur = None
                out.append(_Raw("rule", [(ln.start, "")]))
                i += 1
                continue
            m = _QUOTE.match(s)
            if m:
                if cur is None or cur.kind != "quote":
                    if cur is not None:
                        out.append(cur)
                    cur = _Raw("quote", [])
                _add_line(cur, ln.start + m.end(), s[m.end():])
                i += 1
                continue
            m = _ITEM.match(s)
            if m and (cur is None or cur.kind != "paragraph" or m.group(2)[0] in "-*+"):
                if cur is not None:
                    out.append(cur)
                marker = m.group(2)
                bullet = "• " if marker in "-*+" else marker + " "
                depth = len(m.group(1).expandtabs(4)) // 2
                cur = _Raw("item", [], level=depth, prefix=bullet)
                _add_line(cur, ln.start + m.end(), s[m.end():])
                i += 1
                continue
            if first == "|":
                if cur is None or cur.kind != "code":
                    if cur is not None:
                        out.append(cur)
                    cur = _Raw("code", [])
                cur.pieces.append((ln.start, s))
                cur.hard.append(True)
                i += 1
                continue
        if cur is None or cur.kind == "code":
            if cur is not None:
                out.append(cur)
            cur = _Raw("paragraph", [])
        lead = len(s) - len(s.lstrip())
        _add_line(cur, ln.start + lead, s[lead:])
        i += 1
    if cur is not None:
        out.append(cur)
    return out


def _caption(lines: list[_Line], i: int, out: list[_Raw]) -> int:
    """An ``[Illustration: ...]`` block, which may run over several paragraphs until its
    bracket closes: one caption (a chapter heading written inside it becomes a heading of
    its own after it). Returns the index of the line after the caption."""
    cap = _Raw("caption", [])
    headings: list[_Raw] = []
    depth = 0
    for j in range(i, min(len(lines), i + 80)):
        ln = lines[j]
        depth += ln.text.count("[") - ln.text.count("]")
        content = ln.text.strip()
        lead = len(ln.text) - len(ln.text.lstrip())
        bare = content.strip("[]").strip()
        if bare and _CHAPTER.fullmatch(bare) and not bare[:1].isdigit():
            headings.append(_Raw("heading", [(ln.start + ln.text.index(bare), bare)],
                                 level=1 if _PART_WORDS.match(bare) else 2))
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


def _fallback_caption(ln: _Line, out: list[_Raw]) -> None:
    """An illustration bracket that never closes: only its own line is the caption."""
    lead = len(ln.text) - len(ln.text.lstrip())
    out.append(_Raw("caption", [(ln.start + lead, ln.text.strip())], hard=[True]))


def _mark_structure(blocks: list[Block]) -> dict[str, str]:
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
        _CHAPTER.fullmatch(t) for t in lines)


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


def _add_line(raw: _Raw, start: int, s: str) -> None:
    content = s.rstrip()
    # Markdown's hard break: two trailing spaces or a trailing backslash.
    hard = s.endswith("  ") or content.endswith("\\") and not content.endswith("\\\\")
    if content.endswith("\\") and hard and not s.endswith("  "):
        content = content[:-1]
    raw.pieces.append((start, content))
    raw.hard.append(hard)


#: A paragraph whose lines are all this short is written line by line (an address, a
#: list, a title page, verse), not wrapped prose: its line breaks stay.
SHORT_LINE = 48


def _keep_short_lines(raws: list[_Raw]) -> list[_Raw]:
    """Keep the line breaks of paragraphs written line by line: every line short, and
    each starting with a capital or a digit (wrapped prose goes on in lower case)."""
    for r in raws:
        if r.kind != "paragraph" or len(r.pieces) < 2:
            continue
        lines = [t for _, t in r.pieces]
        if all(len(t) <= SHORT_LINE for t in lines) and all(
                t[:1].isupper() or t[:1].isdigit() or not t[:1].isalpha() for t in lines):
            r.hard = [True] * len(r.hard)
    return raws


def _repair(raws: list[_Raw]) -> list[_Raw]:
    """Join paragraphs that text extraction broke in the middle of a sentence.

    Evidence (general, not about any one text): a prose paragraph that does not end with
    closing punctuation, followed by a paragraph that starts in lower case; or a long
    prose paragraph (it has finished sentences of its own) that stops mid-sentence,
    followed by one whose first sentence ends shortly after.
    """
    out: list[_Raw] = []
    for r in raws:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "paragraph" and r.kind == "paragraph"
                and _broken(prev, r)):
            prev.hard[-1] = False
            prev.pieces.extend(r.pieces)
            prev.hard.extend(r.hard)
            continue
        out.append(r)
    return out


def _broken(a: _Raw, b: _Raw) -> bool:
    tail = a.pieces[-1][1].rstrip()
    head = b.pieces[0][1].lstrip()
    if not tail or not head or a.hard[-1] or tail[-1] in _CLOSING:
        return False
    if not (tail[-1].isalnum() or tail[-1] in ",-–"):
        return False
    if head[0].islower():
        return True
    # A long prose paragraph that stops mid-sentence, continued by text that starts with a
    # capitalised word finishing that sentence ("... part of the Belt and Road" / "Initiative.").
    body = " ".join(t for _, t in a.pieces)
    finished = len(re.findall(r"[.!?][\"”’)]?\s+[A-Z\"“]", body))
    first_sentence = re.match(r"[^.!?]{1,80}[.!?]", head)
    return len(body) > 120 and finished >= 1 and first_sentence is not None and len(head) > 80


# --------------------------------------------------------------------------- inline

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


class _Builder:
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


def _inline(raw: _Raw) -> Block:
    b = _Builder()
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
            _CHAPTER.fullmatch(text.strip())):
        kind = "heading"
        raw.level = 1 if _PART_WORDS.match(text.strip()) else 2
    return Block(kind, text, b.dstarts, b.sstarts, raw.level, raw.prefix, b.marks, b.links)


# --------------------------------------------------------------------------- header


def _find_header(article: Article) -> None:
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
