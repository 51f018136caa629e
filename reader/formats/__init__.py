"""Saved web pages and EPUB books, turned into the Markdown-ish text the article model reads.

Pure: bytes come in, an :class:`Extracted` (Markdown body + metadata) goes out, and
:func:`reader.document.load` turns it into an :class:`~reader.document.Article` with the
same ``parse()`` that reads ``.txt`` files (``.md`` files are read with markdown-it, in
:mod:`reader.document.markdown`). So every offset (entities, notes, reading positions)
indexes the *extracted* text, never the HTML or the zip. Which files are articles at all,
and how each is read, is decided in :mod:`reader.formats.sniffing` (``ARTICLE_SUFFIXES``).

- HTML: trafilatura finds the main text and leaves out navigation, ads, cookie banners,
  footers and reader comments; it also reads the title, author and date from the page's
  metadata. Its output tree is written out as Markdown here (not with trafilatura's own
  Markdown writer, which targets CommonMark and leaves inline HTML such as ``<sup>`` that
  this project's parser would show as text).
- EPUB: read with ``zipfile`` + lxml rather than ebooklib: a book needs only the container,
  the package document (metadata, manifest, spine) and the table of contents, and lxml is
  already here for trafilatura, so no third dependency (ebooklib would also read every
  item of the book, images and fonts included, into memory before the first page).

lxml and trafilatura are imported inside the functions that need them: importing this
module costs next to nothing (zipfile, html.entities and urllib are deferred too), so
opening a ``.txt`` file never pays ~0.3 s for them.
"""


from reader.formats.epub import MAX_BOOK_BYTES, extract_epub
from reader.formats.extracted import Extracted, FormatError
from reader.formats.html import FAST_BYTES, extract_html
from reader.formats.sniffing import (
    ARTICLE_SUFFIXES,
    HTML_SUFFIXES,
    MARKDOWN_SUFFIXES,
    TEXT_SUFFIXES,
    sniff,
)
from reader.formats.writer import MarkdownWriter, escape_markdown

__all__ = ["ARTICLE_SUFFIXES", "FAST_BYTES", "HTML_SUFFIXES", "MARKDOWN_SUFFIXES",
           "MAX_BOOK_BYTES", "TEXT_SUFFIXES", "Extracted", "FormatError", "MarkdownWriter",
           "escape_markdown", "extract_epub", "extract_html", "sniff"]
