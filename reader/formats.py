"""Saved web pages and EPUB books, turned into the Markdown-ish text the article model reads.

Pure: bytes come in, an :class:`Extracted` (Markdown body + metadata) goes out, and
:func:`reader.document.load` turns it into an :class:`~reader.document.Article` with the
same ``parse()`` that reads ``.txt`` and ``.md`` files. So every offset (entities, notes,
reading positions) indexes the *extracted* text, never the HTML or the zip.

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

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import zipfile

__all__ = ["Extracted", "FormatError", "escape_markdown", "extract_epub", "extract_html",
           "sniff"]


class FormatError(Exception):
    """A page or book that cannot be read; the message is one line, without the path."""


@dataclass(slots=True)
class Extracted:
    """A page or book as Markdown text plus the metadata that goes in the header."""

    body: str
    """Markdown: ``#`` headings, paragraphs separated by blank lines, lists, quotes."""
    kind: str
    """``html`` or ``epub``: stands in for an encoding (the text is not the file's)."""
    title: str | None = None
    author: str | None = None
    date: str | None = None
    source_url: str | None = None
    """Where a saved page came from: its canonical URL, og:url or the saved-from comment."""
    notice: str | None = None


# --------------------------------------------------------------------------- sniffing

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


# --------------------------------------------------------------------------- HTML pages

_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
_SINGLEFILE = re.compile(rb"Page saved with SingleFile\s+url:\s*(\S+)", re.I)
#: Pages larger than this are extracted without trafilatura's fallback extractors.
FAST_BYTES = 1_000_000
_QUIET = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer")


def extract_html(raw: bytes) -> Extracted:
    """The main text of a saved web page as Markdown, with its title, author, date, URL."""
    import logging

    import trafilatura
    from trafilatura.settings import set_date_params

    # Extraction warnings would land on the terminal (or under the interface): the reader
    # says what matters itself, in one line.
    for name in _QUIET:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
        logger.propagate = False

    data: bytes | str = raw
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = raw.decode("utf-16", "replace")
    tree = trafilatura.load_html(data)
    if tree is None:
        # trafilatura refuses a lone fragment (``<p>...</p>`` saved as a file) as dubious;
        # inside a document of its own it reads like any page.
        text = data if isinstance(data, str) else _decode(data)
        tree = trafilatura.load_html(f"<html><body><div>{text}</div></body></html>")
    if tree is None:
        raise FormatError("not a readable HTML page")
    source_url = _page_url(tree, raw)
    doc = trafilatura.bare_extraction(
        tree, url=source_url, with_metadata=True, include_comments=False,
        include_tables=True, include_images=False, include_formatting=True,
        include_links=True,
        # The date from the page's markup (meta tags, <time>, the URL) only: guessing it
        # from free text ran dateparser over every locale, 10 s on a 2 MB page.
        date_extraction_params=set_date_params(extensive=False),
        # On a very large page the second-opinion extractors double the time (3.5 s
        # instead of 2 s for 2 MB) for little gain: a page that size is mostly text.
        fast=len(raw) > FAST_BYTES)
    if doc is None or isinstance(doc, dict) or doc.body is None:
        raise FormatError("no article text found in this page")
    _tei_to_html(doc.body)
    title = _one_line(doc.title)
    body = MarkdownWriter().document(doc.body, drop_title=title)
    if not body.strip():
        raise FormatError("no article text found in this page")
    return Extracted(body=body, kind="html", title=title, author=_one_line(doc.author),
                     date=_one_line(doc.date), source_url=source_url)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _page_url(tree: Any, raw: bytes) -> str | None:
    """The page's own address: ``<link rel=canonical>``, then ``og:url``, then the comment
    a browser writes when it saves a page (``saved from url=``, or SingleFile's ``url:``)."""
    from urllib.parse import urljoin

    head = raw[:4096]
    saved = _SAVED_FROM.search(head) or _SINGLEFILE.search(head)
    saved_url = saved.group(1).decode("utf-8", "replace") if saved else None
    canonical = None
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            canonical = link.get("href").strip()
            break
    og = None
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:url":
            og = (meta.get("content") or "").strip() or None
            break
    for candidate in (canonical, og, saved_url):
        if not candidate:
            continue
        # A relative canonical link is resolved against any absolute address the page has.
        base = next((u for u in (og, saved_url) if u and _is_web_url(u)), None)
        url = urljoin(base, candidate) if base else candidate
        if _is_web_url(url):
            return url
    return None


def _is_web_url(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# trafilatura's output tree uses TEI-like names; renamed to HTML so one writer serves both.
_TEI_TAGS = {"item": "li", "quote": "blockquote", "lb": "br", "row": "tr", "cell": "td",
             "graphic": "img", "ab": "p", "del": "span"}
_TEI_HI = {"#b": "strong", "#i": "em", "#t": "code"}


def _tei_to_html(body: Any) -> None:
    for el in body.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag == "head":
            rend = (el.get("rend") or "h2").lower()
            el.tag = rend if re.fullmatch(r"h[1-6]", rend) else "h2"
        elif tag == "list":
            el.tag = "ol" if (el.get("rend") or "").lower() == "ol" else "ul"
        elif tag == "hi":
            el.tag = _TEI_HI.get(el.get("rend") or "", "span")
        elif tag == "ref":
            el.tag = "a"
            if el.get("target"):
                el.set("href", el.get("target"))
        elif tag == "code":
            # A code element holding lines is a block (``pre``); a short one is inline.
            text = "".join(el.itertext())
            el.tag = "pre" if "\n" in text or el.find(".//lb") is not None else "code"
        elif tag in _TEI_TAGS:
            el.tag = _TEI_TAGS[tag]


# --------------------------------------------------------------------------- EPUB books

_CONTAINER = "META-INF/container.xml"
_OPS = "{http://www.idpf.org/2007/ops}type"
_HTML_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/xml"})
#: More than this much decompressed text is refused (a zip bomb, not a book).
MAX_BOOK_BYTES = 512 * 1024 * 1024


def extract_epub(raw: bytes) -> Extracted:
    """An EPUB's chapters in spine order as Markdown, each under its title as a heading."""
    import io
    import zipfile

    try:
        book = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FormatError("not a readable EPUB (damaged, or not a zip archive)") from None
    with book:
        try:
            return _read_book(book)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError,
                NotImplementedError, RuntimeError) as exc:
            # RuntimeError: an encrypted entry; NotImplementedError: an unknown compression.
            raise FormatError(f"damaged EPUB ({_first_line(exc)})") from None


def _read_book(book: zipfile.ZipFile) -> Extracted:
    names = set(book.namelist())
    opf_path = _rootfile(book, names)
    if opf_path is None:
        raise FormatError("not an EPUB book (no package document: no container.xml or .opf)")
    opf = _xml(_read(book, opf_path))
    if opf is None:
        raise FormatError("damaged EPUB (its package document is not valid XML)")
    base = posixpath.dirname(opf_path)

    title = _one_line(_first_text(opf, "title"))
    creators = [c for c in (_one_line(_text(e)) for e in _by_name(opf, "creator")) if c]
    author = ", ".join(dict.fromkeys(creators)) or None
    date = _one_line(_first_text(opf, "date"))

    manifest: dict[str, tuple[str, str, str]] = {}
    for item in _by_name(opf, "item"):
        iid, href = item.get("id"), item.get("href")
        if iid and href:
            manifest[iid] = (_join(base, href), (item.get("media-type") or "").lower(),
                             item.get("properties") or "")
    spine = next(iter(_by_name(opf, "spine")), None)
    if spine is None:
        raise FormatError("not an EPUB book (its package document has no spine)")
    toc_titles = _toc(book, names, manifest, spine)
    encrypted = _encrypted(book, names)

    writer = MarkdownWriter()
    chapters: list[str] = []
    missing = 0
    total = 0
    for ref in _by_name(spine, "itemref"):
        entry = manifest.get(ref.get("idref") or "")
        if entry is None:
            missing += 1
            continue
        path, media, props = entry
        if media not in _HTML_TYPES or "nav" in props.split():
            # The navigation document is the table of contents, which ``t`` already shows.
            continue
        if path in encrypted:
            raise FormatError("this EPUB is DRM-protected; its text cannot be read")
        if path not in names:
            missing += 1
            continue
        total += book.getinfo(path).file_size
        if total > MAX_BOOK_BYTES:
            raise FormatError("the book's text is too large to open")
        root = _xhtml(_read(book, path))
        if root is None:
            missing += 1
            continue
        body = next((e for e in root.iter() if _local(e) == "body"), root)
        text = writer.document(body)
        if not text.strip():
            continue  # a cover or an image page: nothing to read, no heading
        label = toc_titles.get(path) or _one_line(_first_text(root, "title"))
        if label and not text.startswith("#") and not _same(label, title):
            text = f"# {escape_markdown(label, heading=True)}\n\n{text}"
        chapters.append(text)
    if not chapters:
        raise FormatError("no readable text in this EPUB")
    notice = (f"{missing} part{'s' if missing != 1 else ''} of the book could not be read"
              if missing else None)
    return Extracted(body="\n\n".join(chapters), kind="epub", title=title, author=author,
                     date=date, notice=notice)


def _read(book: zipfile.ZipFile, name: str) -> bytes:
    info = book.getinfo(name)
    if info.file_size > MAX_BOOK_BYTES:
        raise FormatError("the book's text is too large to open")
    return book.read(info)


def _rootfile(book: zipfile.ZipFile, names: set[str]) -> str | None:
    from urllib.parse import unquote
    if _CONTAINER in names:
        container = _xml(_read(book, _CONTAINER))
        if container is not None:
            for rf in _by_name(container, "rootfile"):
                path = unquote(rf.get("full-path") or "").lstrip("/")
                if path in names:
                    return path
    # Some books have a broken container: the one package document in the zip will do.
    opfs = sorted(n for n in names if n.lower().endswith(".opf"))
    return opfs[0] if len(opfs) == 1 else None


def _toc(book: zipfile.ZipFile, names: set[str], manifest: dict[str, tuple[str, str, str]],
         spine: Any) -> dict[str, str]:
    """File path -> chapter title, from the EPUB 3 nav document or else the EPUB 2 NCX.

    The first entry that points into a file names it (later ones are sections inside it).
    """
    titles: dict[str, str] = {}
    nav = next((p for p, _, props in manifest.values() if "nav" in props.split()), None)
    if nav and nav in names:
        root = _xhtml(_read(book, nav))
        if root is not None:
            navs = [e for e in root.iter() if _local(e) == "nav"]
            toc = next((e for e in navs if (e.get(_OPS) or e.get("type")) == "toc"),
                       navs[0] if navs else None)
            if toc is not None:
                for a in toc.iter():
                    if _local(a) == "a" and a.get("href"):
                        _add_title(titles, nav, a.get("href"), _text(a))
    ncx_id = spine.get("toc")
    ncx = manifest[ncx_id][0] if ncx_id in manifest else next(
        (p for p, media, _ in manifest.values() if media == "application/x-dtbncx+xml"), None)
    if not titles and ncx and ncx in names:
        root = _xml(_read(book, ncx))
        if root is not None:
            for point in _by_name(root, "navPoint"):
                label = next(iter(_by_name(point, "text")), None)
                content = next(iter(_by_name(point, "content")), None)
                if label is not None and content is not None and content.get("src"):
                    _add_title(titles, ncx, content.get("src"), _text(label))
    return titles


def _add_title(titles: dict[str, str], doc: str, href: str, label: str) -> None:
    target = _join(posixpath.dirname(doc), href.split("#", 1)[0])
    label = _one_line(label) or ""
    if label and target not in titles:
        titles[target] = label


def _encrypted(book: zipfile.ZipFile, names: set[str]) -> set[str]:
    """Files whose bytes are encrypted (DRM). Obfuscated fonts are listed too: harmless."""
    name = "META-INF/encryption.xml"
    if name not in names:
        return set()
    root = _xml(_read(book, name))
    if root is None:
        return set()
    from urllib.parse import unquote

    return {unquote(e.get("URI") or "").lstrip("/") for e in _by_name(root, "CipherReference")}


def _join(base: str, href: str) -> str:
    from urllib.parse import unquote

    return posixpath.normpath(posixpath.join(base, unquote(href))).lstrip("/")


def _xml(data: bytes) -> Any:
    """Parse XML safely (no entities expanded, no network); None if it is not XML."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True,
                             huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})


def _xhtml(data: bytes) -> Any:
    """A chapter's tree. XHTML is XML, but books use HTML's named entities (``&nbsp;``)
    without declaring them: those become numeric references first, so no text is lost.
    A chapter that is not XML at all is read with the HTML parser."""
    import html.entities

    def numeric(m: re.Match[bytes]) -> bytes:
        name = m.group(1)
        if name in _XML_ENTITIES:
            return m.group(0)
        cp = html.entities.name2codepoint.get(name.decode("ascii"))
        return b"&#%d;" % cp if cp is not None else m.group(0)

    root = _xml(_NAMED_ENTITY.sub(numeric, data))
    if root is not None and any(_local(e) == "body" for e in root.iter()):
        return root
    from lxml import etree
    from lxml import html as lxml_html

    try:
        return lxml_html.document_fromstring(data)
    except (etree.ParserError, ValueError):
        return None


def _local(el: Any) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].lower()


def _by_name(root: Any, name: str) -> Iterable[Any]:
    """Elements named ``name`` in any namespace (books are careless with namespaces)."""
    name = name.lower()
    return (e for e in root.iter() if _local(e) == name)


def _text(el: Any) -> str:
    return "".join(el.itertext())


def _first_text(root: Any, name: str) -> str | None:
    for e in _by_name(root, name):
        t = _text(e).strip()
        if t:
            return t
    return None


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.casefold().split() == b.casefold().split()


def _one_line(s: str | None) -> str | None:
    if s is None:
        return None
    out = " ".join(s.split())
    return out or None


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


# --------------------------------------------------------------------------- Markdown

# Characters that start inline markup anywhere in a line, for this project's parser:
# emphasis (* and _ after a non-word character), code spans, autolinks, and a ``[``
# that begins a ``[text](url)``. Escaped with a backslash, which the parser removes.
_INLINE_ESCAPE = re.compile(r"[\\`*]|(?<!\w)_|<(?=(?:https?|mailto):)|\[(?=[^\]]*\]\()")
# Block markers that matter only at the start of a line (only these are escaped, so
# "-5 degrees" or "#hashtag" keep their text as it is).
_LINE_START = re.compile(r"""
    [>|]                            # a quote, a table row
    |\#{1,6}(?=[ \t]|$)             # a heading
    |[-+](?=[ \t]|$)                # a list item
    |(?:-[ \t]*){3,}$ | =+[ \t]*$    # a rule, a heading underline
    |~~~                            # a code fence (backticks are escaped everywhere)
    |\d{1,9}(?=[.)](?:[ \t]|$))      # a numbered item
    """, re.X)
_MAY_ESCAPE = re.compile(r"[\\`*_<\[]")
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_BREAK = "\n"  # a hard line break inside a block (text never holds a newline itself)

_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_SKIP = frozenset({"head", "script", "style", "template", "noscript", "svg", "math", "img",
                   "iframe", "object", "embed", "video", "audio", "canvas", "map", "button",
                   "input", "select", "textarea", "form", "nav", "title", "meta", "link",
                   "picture", "source", "rt", "rp"})
_CONTAINERS = frozenset({"body", "div", "section", "article", "main", "header", "footer",
                         "aside", "figure", "hgroup", "details", "center", "fieldset",
                         "address", "dl", "tbody", "thead", "tfoot", "html"})
_PARAGRAPHS = frozenset({"p", "dt", "dd", "figcaption", "summary", "caption", "legend"})
_BLOCKS = (_CONTAINERS | _PARAGRAPHS | set(_HEADINGS)
           | {"ul", "ol", "li", "blockquote", "pre", "table", "tr", "hr"})
_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*", "cite": "*", "dfn": "*"}
_CODE = frozenset({"code", "kbd", "samp", "tt"})


def escape_markdown(text: str, heading: bool = False) -> str:
    """``text`` (one line) as Markdown that this project's parser shows as ``text``."""
    out = _escape_line_start(_INLINE_ESCAPE.sub(lambda m: "\\" + m.group(0), text))
    # A heading's closing ``#`` run would be dropped: a closing run of its own keeps it.
    return out + " #" if heading and out.endswith("#") else out


def _escape_line_start(line: str) -> str:
    m = _LINE_START.match(line)
    if m is None:
        return line
    if m.group(0)[0].isdigit():
        return f"{m.group(0)}\\{line[m.end():]}"
    return "\\" + line


class MarkdownWriter:
    """Writes an HTML tree (or trafilatura's, renamed) as Markdown for ``parse()``."""

    def document(self, root: Any, drop_title: str | None = None) -> str:
        """The Markdown of ``root``'s content; a first block that only repeats
        ``drop_title`` (the page's title, which the header already shows) is left out."""
        self.out: list[str] = []
        self._container(root, quote=False)
        if drop_title and self.out:
            first = self.out[0]
            if first.startswith("#"):
                first = first.lstrip("#").strip().removesuffix(" #")
            if _same(first, _escape_line_start(_inline_text(drop_title))) or _same(
                    first, _inline_text(drop_title)):
                self.out.pop(0)
        return "\n\n".join(self.out)

    # Blocks ---------------------------------------------------------------------------

    def _container(self, el: Any, quote: bool) -> None:
        """Block children as blocks; runs of text and inline children as paragraphs."""
        buf: list[str] = []
        if el.text:
            buf.append(_inline_text(el.text))
        for child in el:
            tag = _local(child)
            if tag and tag not in _SKIP:
                if tag in _BLOCKS or _holds_blocks(child):
                    self._paragraph(buf, quote)
                    buf = []
                    self._block(child, tag, quote)
                else:
                    self._inline(child, buf, plain=False)
            if child.tail:
                buf.append(_inline_text(child.tail))
        self._paragraph(buf, quote)

    def _block(self, el: Any, tag: str, quote: bool) -> None:
        if tag in _HEADINGS and not quote:
            # Plain: a heading is a title in the contents list, not a link or a styled run.
            text = " ".join(_plain_lines(self._inline_content(el, plain=True)))
            if text:
                self.out.append("#" * _HEADINGS[tag] + " " + text
                                + (" #" if text.endswith("#") else ""))
        elif tag in ("ul", "ol"):
            self._list(el, tag == "ol", 0, quote)
        elif tag == "li":
            self._item(el, "-", 0, quote)
        elif tag == "blockquote":
            self._container(el, quote=True)
        elif tag == "pre":
            self._code(el)
        elif tag == "table":
            self._table(el, quote)
        elif tag == "tr":
            line = self._row(el)
            if line:
                self.out.append("> " + line if quote else line)
        elif tag == "hr":
            self.out.append("* * *")
        else:
            self._container(el, quote)

    def _paragraph(self, buf: list[str], quote: bool) -> None:
        if not buf:
            return
        # Two hard breaks in a row (``<br><br>``) end a paragraph, as they do on the page.
        para: list[str] = []
        for line in [*"".join(buf).split(_BREAK), ""]:
            line = line.strip()
            if line:
                para.append(_escape_line_start(line))
            elif para:
                if quote:
                    self.out.append("  \n".join("> " + ln for ln in para))
                else:
                    self.out.append("  \n".join(para))
                para = []

    def _list(self, el: Any, ordered: bool, depth: int, quote: bool) -> None:
        try:
            n = int(el.get("start") or 1)
        except ValueError:
            n = 1
        for child in el:
            tag = _local(child)
            if tag in ("ul", "ol"):
                self._list(child, tag == "ol", depth + 1, quote)
            elif tag and tag not in _SKIP:
                self._item(child, f"{n}." if ordered else "-", depth, quote)
                n += 1

    def _item(self, el: Any, marker: str, depth: int, quote: bool) -> None:
        buf: list[str] = []
        nested: list[Any] = []
        if el.text:
            buf.append(_inline_text(el.text))
        for child in el:
            tag = _local(child)
            if tag in ("ul", "ol"):
                nested.append(child)
            elif tag and tag not in _SKIP:
                if tag in _BLOCKS:
                    buf.append(" ")
                self._inline(child, buf, plain=False)
                if tag in _BLOCKS:
                    buf.append(" ")
            if child.tail:
                buf.append(_inline_text(child.tail))
        text = " ".join(_plain_lines("".join(buf)))
        if text:
            line = "  " * depth + f"{marker} {text}"
            self.out.append("> " + line if quote else line)
        for sub in nested:
            self._list(sub, _local(sub) == "ol", depth + 1, quote)

    def _code(self, el: Any) -> None:
        lines = [ln.rstrip() for ln in _pre_text(el).expandtabs(4).split("\n")]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        if lines:
            fence = "~~~" if any(ln.lstrip().startswith("```") for ln in lines) else "```"
            self.out.append("\n".join([fence, *lines, fence]))

    def _table(self, el: Any, quote: bool) -> None:
        rows = [c for c in el if _local(c) == "tr"] + [
            r for c in el if _local(c) in ("thead", "tbody", "tfoot")
            for r in c if _local(r) == "tr"]
        lines = [line for line in (self._row(r) for r in rows) if line]
        if lines:
            self.out.append("\n".join("> " + ln if quote else ln for ln in lines))

    def _row(self, el: Any) -> str:
        """A table row as one line of cells: the parser keeps ``|`` lines as they are."""
        cells = []
        for cell in el:
            if _local(cell) in ("td", "th"):
                buf: list[str] = []
                self._inline(cell, buf, plain=True)
                cells.append(" ".join(_plain_lines("".join(buf))).replace("|", "/"))
        return "| " + " | ".join(cells) + " |" if any(cells) else ""

    # Inline ---------------------------------------------------------------------------

    def _inline_content(self, el: Any, plain: bool = False) -> str:
        buf: list[str] = []
        if el.text:
            buf.append(_inline_text(el.text))
        for child in el:
            if _local(child) not in _SKIP:
                self._inline(child, buf, plain)
            if child.tail:
                buf.append(_inline_text(child.tail))
        return "".join(buf)

    def _inline(self, el: Any, out: list[str], plain: bool) -> None:
        """Append the Markdown of ``el`` (not its tail) to ``out``."""
        tag = _local(el)
        if not tag or tag in _SKIP:
            return
        if tag == "br":
            out.append(_BREAK)
            return
        if tag in _BLOCKS:
            out.append(" ")
        if tag in _CODE:
            code = " ".join("".join(el.itertext()).split())
            if code and not plain and "`" not in code:
                out.append(f"`{code}`")
            elif code:
                out.append(_inline_text(code))
            return
        marker = _EMPHASIS.get(tag)
        inner = self._inline_content(el, plain or marker is not None or tag == "a")
        if marker and not plain:
            out.append(_wrap(inner, marker, el.tail))
        elif tag == "a" and not plain:
            out.append(_link(inner, el.get("href")))
        else:
            out.append(inner)
        if tag in _BLOCKS:
            out.append(" ")


def _holds_blocks(el: Any) -> bool:
    return any(_local(d) in _BLOCKS for d in el.iterdescendants())


def _inline_text(s: str) -> str:
    # Most text needs neither change; checking first makes a 3 MB book twice as fast.
    if "  " in s or "\n" in s or "\t" in s or "\r" in s or "\f" in s or "\v" in s:
        s = _SPACE.sub(" ", s)
    if _MAY_ESCAPE.search(s):
        s = _INLINE_ESCAPE.sub(lambda m: "\\" + m.group(0), s)
    return s


def _plain_lines(s: str) -> list[str]:
    return [ln.strip() for ln in s.split(_BREAK) if ln.strip()]


def _pre_text(el: Any) -> str:
    parts: list[str] = []
    if el.text:
        parts.append(el.text)
    for child in el:
        if _local(child) == "br":
            parts.append("\n")
        elif _local(child) not in _SKIP:
            parts.append(_pre_text(child))
        if child.tail:
            parts.append(child.tail)
    return "".join(parts)


def _wrap(inner: str, marker: str, tail: str | None) -> str:
    """``inner`` in emphasis markers, when the parser will read them back as emphasis.

    Spaces move outside the markers; emphasis that would touch a following word, span a
    line break or end in an escaped marker is shown plain rather than with stray stars.
    """
    core = inner.strip()
    if (not core or _BREAK in core or core[-1] in "*_\\" or core[0] in "*_"
            or (tail and tail[0].isalnum())):
        return inner
    lead = inner[:len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()):]
    return f"{lead}{marker}{core}{marker}{trail}"


def _link(inner: str, href: str | None) -> str:
    core = inner.strip()
    if not href or not core or "]" in core or _BREAK in core:
        return inner
    url = href.strip()
    if not (_is_web_url(url) or url.startswith("mailto:")):
        return inner  # a link inside the book or the site: no use outside it
    url = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("*", "%2A")
    lead = inner[:len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()):]
    return f"{lead}[{core}]({url}){trail}"
