"""Markdown and YAML escaping for the export, and the container that holds a note's text.

The note's text is kept verbatim (line endings normalised to ``\\n``) inside a callout
(``> [!NOTE]``, which Obsidian and GitHub render as a note box, and any other renderer as
a block quote). Every line of the note is prefixed with ``> ``, so nothing the note holds
(headings, ``---``, code fences, lists, HTML, front matter fences) can reach the document's
own structure: a block quote ends only at a line that does not start with ``>``, and every
construct opened inside it is closed when it ends. The one change made inside the
container: a caret that would make an Obsidian block id (``^word`` ending a line) gets a
backslash before it (one more backslash when it has some already, so the change can be
undone exactly), so a note cannot steal another note's ``^note-<id>``. Quotes of the
article and entity names are escaped as plain text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from reader.export.names import safe_name

__all__ = ["CALLOUT", "COLOUR_CALLOUTS", "Links", "block_id", "callout", "escape_fragment",
           "escape_text",
           "extract_note_text", "front_name", "link_name", "normalise_note_text", "one_line",
           "quote_note_text", "tag_md", "unquote_note_text", "wikilink", "yaml_list",
           "yaml_str"]

#: The first line of every note's container.
CALLOUT = "> [!NOTE]"
#: The container of a note with a highlight colour: the Obsidian callout type drawn in
#: the nearest colour, titled "Note" like the plain one.
COLOUR_CALLOUTS = {"yellow": "> [!WARNING] Note", "green": "> [!SUCCESS] Note",
                   "blue": "> [!INFO] Note", "pink": "> [!DANGER] Note",
                   "purple": "> [!EXAMPLE] Note"}


def callout(colour: str | None) -> str:
    """The first line of the container of a note of this colour (None: none)."""
    return COLOUR_CALLOUTS.get(colour or "", CALLOUT)

#: Characters that start inline Markdown (CommonMark, GFM, Obsidian tags and highlights).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~^#]|=(?==))")
_ENTITY_REF = re.compile(r"&(#?\w+;)")
#: A line start that would open a block (list item, heading, quote, rule, setext, table).
_BLOCK_START = re.compile(r"([-+=]|\d{1,9}(?=[.)]))")
_WS = re.compile(r"\s+")


def escape_text(text: str) -> str:
    """``text`` as Markdown that renders exactly as ``text`` (one line or several)."""
    out = []
    for line in text.split("\n"):
        line = _INLINE_SPECIAL.sub(r"\\\1", line.strip())
        line = _ENTITY_REF.sub(r"\\&\1", line)
        m = _BLOCK_START.match(line)
        if m:
            if m.group(1)[0].isdigit():  # "1. " -> "1\. "
                line = line[:m.end()] + "\\" + line[m.end():]
            else:
                line = "\\" + line
        out.append(line)
    return "\n".join(out)


def one_line(text: str) -> str:
    """``text`` on one line: every run of whitespace one space, none at the ends."""
    return _WS.sub(" ", text).strip()

def escape_fragment(s: str, *, leading: bool = True) -> str:
    """Escape a fragment that sits before or after the bold passage on the same line."""
    if not s:
        return s
    core = s.strip()
    if not core:
        return " " if s else ""
    lead = " " if s[0].isspace() else ""
    trail = " " if s[-1].isspace() else ""
    esc = escape_text(core) if leading else _INLINE_SPECIAL.sub(r"\\\1", core)
    if not leading:
        esc = _ENTITY_REF.sub(r"\\&\1", esc)
    return lead + esc + trail


_BAD_LINK = re.compile(r"[\[\]|#^\n\r]")


#: Which names become ``[[links]]``: none (False), every name (True: to the page it would
#: have, see :func:`reader.export.names.safe_name`), or those of a map from a name or
#: alias (case folded) to the stem of its page (the pages written).
Links = bool | Mapping[str, str]


def wikilink(name: str, links: Links) -> str | None:
    """``[[Name]]`` (``[[Page|Name]]`` when the page's file name differs from the name), or
    None when the name gets no link: links are off, it has no page, or it holds a character
    that ends a link (``[ ] | # ^``)."""
    name = one_line(name)
    if not links or not name or _BAD_LINK.search(name):
        return None
    if isinstance(links, Mapping):
        target = links.get(name.casefold())
    else:
        target = safe_name(name, fallback="") or None
    if not target:
        return None
    return f"[[{name}]]" if target == name else f"[[{target}|{name}]]"


def link_name(name: str, links: Links) -> str:
    """An entity name for the Markdown body: a link (see :func:`wikilink`) or the escaped
    name."""
    return wikilink(name, links) or escape_text(one_line(name))


def front_name(name: str, links: Links) -> str:
    """An entity name for a front matter list: a link or the name as it is."""
    return wikilink(name, links) or one_line(name)


# A caret that ends a line as an Obsidian block id, with any backslashes before it.
_CARET_ID = re.compile(r"(^|\s)(\\*)\^([A-Za-z0-9-]+[ \t]*)$")
_CARET_ID_ESCAPED = re.compile(r"(^|\s)(\\+)\^([A-Za-z0-9-]+[ \t]*)$")
_NEWLINES = re.compile(r"\r\n?")


def normalise_note_text(text: str) -> str:
    """The note text as it is exported (and as :func:`extract_note_text` gives it back)."""
    return _NEWLINES.sub("\n", text)


def quote_note_text(text: str) -> list[str]:
    """The container lines of a note's text (without the ``> [!NOTE]`` header)."""
    out = []
    for line in normalise_note_text(text).split("\n"):
        line = _CARET_ID.sub(r"\1\\\2^\3", line)
        out.append(f"> {line}" if line else ">")
    return out


def unquote_note_text(lines: Sequence[str]) -> str:
    """The inverse of :func:`quote_note_text`: container lines back to the note's text."""
    out = []
    for line in lines:
        if line == ">":
            out.append("")
            continue
        if not line.startswith("> "):
            raise ValueError(f"not a line of a note's container: {line!r}")
        out.append(_CARET_ID_ESCAPED.sub(lambda m: m[1] + m[2][1:] + "^" + m[3], line[2:]))
    return "\n".join(out)


def extract_note_text(markdown: str, note_id: str) -> str | None:
    """The text of the note ``note_id`` read back from an export (None if it is not there).

    The container is the ``> [!NOTE]`` block quote right before the note's block id; a note
    exported with empty text has none.
    """
    lines = markdown.split("\n")
    marker = block_id(note_id)
    try:
        at = lines.index(marker)
    except ValueError:
        return None
    end = at - 1  # the blank line before the id
    start = end
    while start > 0 and lines[start - 1].startswith(">"):
        start -= 1
    if start == end or (lines[start] != CALLOUT
                        and lines[start] not in COLOUR_CALLOUTS.values()):
        return ""
    return unquote_note_text(lines[start + 1:end])


def block_id(note_id: str) -> str:
    """The block id line of a note: ``^note-<id>`` (only letters, digits and dashes)."""
    return "^note-" + re.sub(r"[^A-Za-z0-9-]", "-", str(note_id))


# YAML

_YAML_UNSAFE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
                          "|[\u2028\u2029\ufeff]")


def yaml_str(value: str) -> str:
    """A YAML double-quoted scalar for any string (JSON escapes are YAML escapes)."""
    s = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}" if ord(m[0]) <= 0xFFFF
                            else f"\\U{ord(m[0]):08x}", s)


def yaml_list(key: str, values: Sequence[str]) -> list[str]:
    """The lines of a YAML list of strings (``key: []`` when empty)."""
    if not values:
        return [f"{key}: []"]
    return [f"{key}:"] + [f"  - {yaml_str(v)}" for v in values]


#: What Obsidian reads as a tag after ``#``: word characters, ``-`` and ``/``, not only digits.
_TAG_OK = re.compile(r"[\w/-]*[^\W\d][\w/-]*")


def tag_md(tag: str) -> str:
    """A tag in the body: ``#tag``, or the tag in quotes when a vault would not read it as
    one (a space, only digits)."""
    if _TAG_OK.fullmatch(tag):
        return "#" + tag
    return "“" + escape_text(one_line(tag)) + "”"
