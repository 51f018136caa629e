"""HTML trees (a page's main text, a book's chapters) written as the Markdown that
:func:`reader.document.parse` reads."""

from __future__ import annotations

import re
from typing import Any

from reader.formats.trees import is_web_url, local, same_words

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
            if same_words(first, _escape_line_start(_inline_text(drop_title))) or same_words(
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
            tag = local(child)
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
            tag = local(child)
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
            tag = local(child)
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
            self._list(sub, local(sub) == "ol", depth + 1, quote)

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
        rows = [c for c in el if local(c) == "tr"] + [
            r for c in el if local(c) in ("thead", "tbody", "tfoot")
            for r in c if local(r) == "tr"]
        lines = [line for line in (self._row(r) for r in rows) if line]
        if lines:
            self.out.append("\n".join("> " + ln if quote else ln for ln in lines))

    def _row(self, el: Any) -> str:
        """A table row as one line of cells: the parser keeps ``|`` lines as they are."""
        cells = []
        for cell in el:
            if local(cell) in ("td", "th"):
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
            if local(child) not in _SKIP:
                self._inline(child, buf, plain)
            if child.tail:
                buf.append(_inline_text(child.tail))
        return "".join(buf)

    def _inline(self, el: Any, out: list[str], plain: bool) -> None:
        """Append the Markdown of ``el`` (not its tail) to ``out``."""
        tag = local(el)
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
    return any(local(d) in _BLOCKS for d in el.iterdescendants())


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
        if local(child) == "br":
            parts.append("\n")
        elif local(child) not in _SKIP:
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
    if not (is_web_url(url) or url.startswith("mailto:")):
        return inner  # a link inside the book or the site: no use outside it
    url = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("*", "%2A")
    lead = inner[:len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()):]
    return f"{lead}[{core}]({url}){trail}"
