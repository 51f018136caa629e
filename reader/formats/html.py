"""Saved web pages: trafilatura finds the main text, written out as Markdown."""

from __future__ import annotations

import re
from typing import Any

from reader.formats.extracted import Extracted, FormatError
from reader.formats.trees import is_web_url, one_line
from reader.formats.writer import MarkdownWriter

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
    title = one_line(doc.title)
    body = MarkdownWriter().document(doc.body, drop_title=title)
    if not body.strip():
        raise FormatError("no article text found in this page")
    return Extracted(body=body, kind="html", title=title, author=one_line(doc.author),
                     date=one_line(doc.date), source_url=source_url)


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
        base = next((u for u in (og, saved_url) if u and is_web_url(u)), None)
        url = urljoin(base, candidate) if base else candidate
        if is_web_url(url):
            return url
    return None



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

