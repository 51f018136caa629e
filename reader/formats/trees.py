"""Small helpers over lxml trees and the strings read from them (HTML pages and books)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def is_web_url(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def xml_tree(data: bytes) -> Any:
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


def xhtml_tree(data: bytes) -> Any:
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

    root = xml_tree(_NAMED_ENTITY.sub(numeric, data))
    if root is not None and any(local(e) == "body" for e in root.iter()):
        return root
    from lxml import etree
    from lxml import html as lxml_html

    try:
        return lxml_html.document_fromstring(data)
    except (etree.ParserError, ValueError):
        return None


def local(el: Any) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].lower()


def by_name(root: Any, name: str) -> Iterable[Any]:
    """Elements named ``name`` in any namespace (books are careless with namespaces)."""
    name = name.lower()
    return (e for e in root.iter() if local(e) == name)


def text_of(el: Any) -> str:
    return "".join(el.itertext())


def first_text(root: Any, name: str) -> str | None:
    for e in by_name(root, name):
        t = text_of(e).strip()
        if t:
            return t
    return None


def same_words(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.casefold().split() == b.casefold().split()


def one_line(s: str | None) -> str | None:
    if s is None:
        return None
    out = " ".join(s.split())
    return out or None


def first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]

