"""Load a file as an :class:`~reader.document.model.Article`: read its bytes (refusing
anything but a regular file), decide its kind, decode or extract it, and parse it."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from reader import formats
from reader.document.decode import OPEN_INSTEAD, content_hash, decode
from reader.document.markdown import parse_markdown
from reader.document.model import Article, ArticleError, Block
from reader.document.parser import parse

#: Files larger than this are refused rather than read into memory.
MAX_BYTES = 64 * 1024 * 1024


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
    if p.suffix.lower() in formats.MARKDOWN_SUFFIXES:
        article = parse_markdown(text, path=p)
        article.notice = article.notice or notice
    else:
        article = parse(text, path=p)
        article.notice = notice
    article.encoding = encoding
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



def _read_bytes(p: Path) -> bytes:
    """The file's bytes, or an :class:`ArticleError` naming the real problem in one line
    (a folder, a named pipe, a symlink loop, ...): nothing but a regular file is read."""
    try:
        st = os.stat(p)
    except OSError as exc:
        raise ArticleError(_os_reason(p, exc)) from None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise ArticleError(f"{p}: is a folder, not an article ({OPEN_INSTEAD})")
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
        return f"{p}: is a folder, not an article ({OPEN_INSTEAD})"
    why = (exc.strerror or str(exc)).rstrip(".")
    return f"{p}: cannot be read ({why[:1].lower() + why[1:]})"

