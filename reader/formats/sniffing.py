"""Which kind of file this is (text, a web page or a book), and the suffixes read as articles."""

from __future__ import annotations

import re
from pathlib import Path

#: Suffixes of the files offered and listed as articles (the library, the file prompt).
#: A tuple, so ``name.endswith(ARTICLE_SUFFIXES)`` works as well as ``in``.
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".epub")
#: Files read as Markdown (CommonMark with front matter, tables and footnotes).
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
#: Files with these suffixes stay text even when they hold HTML (a page's source on purpose).
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".mdown", ".mkd"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_EPUB_MAGIC = b"PK\x03\x04"
_EPUB_MIMETYPE = b"mimetypeapplication/epub+zip"
_HTML_TAG = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|article|main|div|p|h[1-6]|table|section)"
    rb"[\s>/]", re.I)
_HTML_START = re.compile(rb"(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html)[\s>]",
                         re.I | re.S)


def sniff(path: Path, raw: bytes) -> str:
    """``text``, ``html`` or ``epub``: how to read a file, from its suffix and first bytes.

    An ``.epub`` is always a book (a damaged one gets a clear error, not "binary file"); a
    zip whose first entry says it is an EPUB is a book whatever its name. An ``.html`` file
    that holds no HTML falls back to text; a ``.txt`` or ``.md`` file stays text even when
    it holds HTML; any other file is HTML only when it starts like an HTML document.
    """
    suffix = path.suffix.lower()
    if suffix == ".epub" or (raw.startswith(_EPUB_MAGIC) and raw[30:58] == _EPUB_MIMETYPE):
        return "epub"
    if suffix in TEXT_SUFFIXES:
        return "text"
    head = _head_bytes(raw)
    if suffix in HTML_SUFFIXES:
        return "html" if _HTML_TAG.search(head) else "text"
    return "html" if _HTML_START.match(head) else "text"


def _head_bytes(raw: bytes) -> bytes:
    """The first few KB as ASCII-compatible bytes (UTF-16 pages decoded first)."""
    head = raw[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "replace").encode("utf-8", "replace")
    return head.removeprefix(b"\xef\xbb\xbf")

