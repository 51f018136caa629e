"""EPUB books: the chapters in spine order as Markdown, with the book's metadata."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

from reader.formats.extracted import Extracted, FormatError
from reader.formats.trees import (
    by_name,
    first_line,
    first_text,
    local,
    one_line,
    same_words,
    text_of,
    xhtml_tree,
    xml_tree,
)
from reader.formats.writer import MarkdownWriter, escape_markdown

if TYPE_CHECKING:
    import zipfile

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
            raise FormatError(f"damaged EPUB ({first_line(exc)})") from None


def _read_book(book: zipfile.ZipFile) -> Extracted:
    names = set(book.namelist())
    opf_path = _rootfile(book, names)
    if opf_path is None:
        raise FormatError("not an EPUB book (no package document: no container.xml or .opf)")
    opf = xml_tree(_read(book, opf_path))
    if opf is None:
        raise FormatError("damaged EPUB (its package document is not valid XML)")
    base = posixpath.dirname(opf_path)

    title = one_line(first_text(opf, "title"))
    creators = [c for c in (one_line(text_of(e)) for e in by_name(opf, "creator")) if c]
    author = ", ".join(dict.fromkeys(creators)) or None
    date = one_line(first_text(opf, "date"))

    manifest: dict[str, tuple[str, str, str]] = {}
    for item in by_name(opf, "item"):
        iid, href = item.get("id"), item.get("href")
        if iid and href:
            manifest[iid] = (_join(base, href), (item.get("media-type") or "").lower(),
                             item.get("properties") or "")
    spine = next(iter(by_name(opf, "spine")), None)
    if spine is None:
        raise FormatError("not an EPUB book (its package document has no spine)")
    toc_titles = _toc(book, names, manifest, spine)

    chapters, missing = _chapters(book, names, manifest, spine, toc_titles, title)
    if not chapters:
        raise FormatError("no readable text in this EPUB")
    notice = (f"{missing} part{'s' if missing != 1 else ''} of the book could not be read"
              if missing else None)
    return Extracted(body="\n\n".join(chapters), kind="epub", title=title, author=author,
                     date=date, notice=notice)


def _chapters(book: zipfile.ZipFile, names: set[str],
              manifest: dict[str, tuple[str, str, str]], spine: Any,
              toc_titles: dict[str, str], title: str | None) -> tuple[list[str], int]:
    """The Markdown of each chapter in spine order, and how many parts could not be read."""
    encrypted = _encrypted(book, names)
    writer = MarkdownWriter()
    chapters: list[str] = []
    missing = 0
    total = 0
    for ref in by_name(spine, "itemref"):
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
        root = xhtml_tree(_read(book, path))
        if root is None:
            missing += 1
            continue
        body = next((e for e in root.iter() if local(e) == "body"), root)
        text = writer.document(body)
        if not text.strip():
            continue  # a cover or an image page: nothing to read, no heading
        label = toc_titles.get(path) or one_line(first_text(root, "title"))
        if label and not text.startswith("#") and not same_words(label, title):
            text = f"# {escape_markdown(label, heading=True)}\n\n{text}"
        chapters.append(text)
    return chapters, missing


def _read(book: zipfile.ZipFile, name: str) -> bytes:
    info = book.getinfo(name)
    if info.file_size > MAX_BOOK_BYTES:
        raise FormatError("the book's text is too large to open")
    return book.read(info)


def _rootfile(book: zipfile.ZipFile, names: set[str]) -> str | None:
    from urllib.parse import unquote
    if _CONTAINER in names:
        container = xml_tree(_read(book, _CONTAINER))
        if container is not None:
            for rf in by_name(container, "rootfile"):
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
        root = xhtml_tree(_read(book, nav))
        if root is not None:
            navs = [e for e in root.iter() if local(e) == "nav"]
            toc = next((e for e in navs if (e.get(_OPS) or e.get("type")) == "toc"),
                       navs[0] if navs else None)
            if toc is not None:
                for a in toc.iter():
                    if local(a) == "a" and a.get("href"):
                        _add_title(titles, nav, a.get("href"), text_of(a))
    ncx_id = spine.get("toc")
    ncx = manifest[ncx_id][0] if ncx_id in manifest else next(
        (p for p, media, _ in manifest.values() if media == "application/x-dtbncx+xml"), None)
    if not titles and ncx and ncx in names:
        root = xml_tree(_read(book, ncx))
        if root is not None:
            for point in by_name(root, "navPoint"):
                label = next(iter(by_name(point, "text")), None)
                content = next(iter(by_name(point, "content")), None)
                if label is not None and content is not None and content.get("src"):
                    _add_title(titles, ncx, content.get("src"), text_of(label))
    return titles


def _add_title(titles: dict[str, str], doc: str, href: str, label: str) -> None:
    target = _join(posixpath.dirname(doc), href.split("#", 1)[0])
    label = one_line(label) or ""
    if label and target not in titles:
        titles[target] = label


def _encrypted(book: zipfile.ZipFile, names: set[str]) -> set[str]:
    """Files whose bytes are encrypted (DRM). Obfuscated fonts are listed too: harmless."""
    name = "META-INF/encryption.xml"
    if name not in names:
        return set()
    root = xml_tree(_read(book, name))
    if root is None:
        return set()
    from urllib.parse import unquote

    return {unquote(e.get("URI") or "").lstrip("/") for e in by_name(root, "CipherReference")}


def _join(base: str, href: str) -> str:
    from urllib.parse import unquote

    return posixpath.normpath(posixpath.join(base, unquote(href))).lstrip("/")

