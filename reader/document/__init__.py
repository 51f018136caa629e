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

Where things are: ``model`` (Article, Block), ``loader`` and ``decode`` (file to text),
``parser`` with ``blocks``, ``inline``, ``repair``, ``structure`` and ``header`` (text
files, and the Markdown extracted from pages and books), ``markdown`` with ``mdinline``
and ``frontmatter`` (``.md`` files, read with markdown-it). See ``docs/formats.md``.
"""

from reader.document.decode import content_hash, decode
from reader.document.loader import MAX_BYTES, load
from reader.document.markdown import parse_markdown
from reader.document.model import HEADER_KINDS, STRUCTURE_KINDS, Article, ArticleError, Block
from reader.document.parser import parse

__all__ = ["HEADER_KINDS", "MAX_BYTES", "STRUCTURE_KINDS", "Article", "ArticleError", "Block",
           "content_hash", "decode", "load", "parse", "parse_markdown"]
