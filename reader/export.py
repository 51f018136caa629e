"""Markdown export: an article's notes as one Markdown file for a notes vault.

Pure: the article, its entities and its placed notes come in, Markdown text goes out (no
Textual, no TinyDB, no spaCy). :func:`write_export` is the one function that touches the
disk, and it replaces a file only as a whole.

Layout of an exported file::

    ---                                   YAML front matter (JSON-style quoted strings)
    title / author / date / source / url / content_hash / exported / tags / people /
    organizations / places                (url: a saved web page's own address, if known)
    ---
    # Title
    Author · Date

    ## Notes                              passage notes in reading order, each:
    > the sentence around the passage, with the **passage** in bold
    Tags: #one #two
    > [!NOTE]                             the note's own text, every line quoted
    > ...
    ^note-<id>                            a block id, so vault links to the note survive

    ## Entities                           notes about an entity, one heading per entity
    ## Orphaned notes                     notes whose passage is gone, with their quotes
    ## Entity index                       people / organizations / places (and other),
                                          mention counts and aliases

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

``--wikilinks`` turns entity names into ``[[Name]]`` in the front matter lists, the entity
index and the headings of entity notes. The note's own text and the quotes are never
changed. A name holding a character that cannot be in a link (``[ ] | # ^``) stays plain.

Templates (``--template FILE``) use Python's ``string.Template``: ``$name`` or ``${name}``
is replaced, ``$$`` is a literal ``$``, an unknown ``$name`` is left as it is. The values:

==================  ====================================================================
``$front_matter``   the YAML front matter block, ``---`` lines included
``$title``          the article's title (Markdown-escaped; the file name if it has none)
``$author``         the author (escaped; empty if unknown)
``$date``           the article's date as written in it (escaped; empty if unknown)
``$byline``         author and date joined by `` · `` (escaped; empty if neither)
``$source``         the article's path
``$url``            the web address a saved page came from (empty if unknown)
``$hash``           the sha256 of the article's text
``$exported``       the export time (ISO 8601; empty with ``--no-timestamp``)
``$tags``           the tags used, as ``#tag`` words separated by spaces
``$notes``          the "Notes" section (heading included; empty if there are none)
``$entity_notes``   the "Entities" section: notes about entities
``$orphans``        the "Orphaned notes" section
``$entities``       the "Entity index" section (empty without a model)
``$body``           all four sections as in the default layout
==================  ====================================================================

The default layout is :data:`DEFAULT_TEMPLATE`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import string
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from reader.entities import NAME_LABELS
from reader.sentences import sentence_spans

if TYPE_CHECKING:
    from reader.document import Article
    from reader.entities import Entity

__all__ = ["DEFAULT_TEMPLATE", "ExportError", "block_id", "export_markdown", "slugify",
           "target_in_dir", "write_export"]

DEFAULT_TEMPLATE = "$front_matter\n# $title\n\n${byline_line}$body"

#: The first line of every note's container; see the module docstring.
CALLOUT = "> [!NOTE]"

_GROUP_TITLES = (("people", "People"), ("organizations", "Organizations"),
                 ("places", "Places"), ("other", "Other names"))
_KIND = {"people": "person", "organizations": "organization", "places": "place"}


class ExportError(Exception):
    """An export that cannot be written; ``str()`` is one line for the user."""


class PlacedNoteLike(Protocol):
    """What :func:`export_markdown` reads of ``reader.notes.PlacedNote``."""

    @property
    def note(self) -> Mapping[str, Any]: ...
    @property
    def state(self) -> str: ...
    @property
    def start(self) -> int | None: ...
    @property
    def end(self) -> int | None: ...


# --------------------------------------------------------------------------- escaping

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


def _one_line(text: str) -> str:
    return _WS.sub(" ", text).strip()


_BAD_LINK = re.compile(r"[\[\]|#^\n\r]")


def link_name(name: str, wikilinks: bool) -> str:
    """An entity name for the Markdown body: ``[[Name]]`` or the escaped name."""
    name = _one_line(name)
    if wikilinks and name and not _BAD_LINK.search(name):
        return f"[[{name}]]"
    return escape_text(name)


def _front_name(name: str, wikilinks: bool) -> str:
    name = _one_line(name)
    if wikilinks and name and not _BAD_LINK.search(name):
        return f"[[{name}]]"
    return name


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
    if start == end or lines[start] != CALLOUT:
        return ""
    return unquote_note_text(lines[start + 1:end])


def block_id(note_id: str) -> str:
    """The block id line of a note: ``^note-<id>`` (only letters, digits and dashes)."""
    return "^note-" + re.sub(r"[^A-Za-z0-9-]", "-", str(note_id))


# --------------------------------------------------------------------------- YAML

_YAML_UNSAFE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
                          "|[\u2028\u2029\ufeff]")


def yaml_str(value: str) -> str:
    """A YAML double-quoted scalar for any string (JSON escapes are YAML escapes)."""
    s = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}" if ord(m[0]) <= 0xFFFF
                            else f"\\U{ord(m[0]):08x}", s)


def _yaml_list(key: str, values: Sequence[str]) -> list[str]:
    if not values:
        return [f"{key}: []"]
    return [f"{key}:"] + [f"  - {yaml_str(v)}" for v in values]


# --------------------------------------------------------------------------- passages

#: How far the surrounding sentence may reach beyond the passage, each side.
_CONTEXT = 600


def _sentence_bounds(text: str, ds: int, de: int) -> tuple[int, int]:
    """The display span [s, e) of the sentences of ``text`` that [ds, de) touches (the
    reading cursor's sentences, so a note taken on one quotes exactly that sentence)."""
    spans = sentence_spans(text)
    i = max(0, bisect_right(spans, (ds, len(text) + 1)) - 1)
    s = spans[i][0] if spans[i][1] > ds else ds
    j = max(0, bisect_right(spans, (max(ds, de - 1), len(text) + 1)) - 1)
    e = spans[j][1] if spans[j][0] < de else de
    s, e = min(s, ds), max(e, de)
    if ds - s > _CONTEXT:  # a very long "sentence" (verse, lists): start at a word
        cut = text.find(" ", ds - _CONTEXT, ds)
        s = cut + 1 if cut >= 0 else ds
    if e - de > _CONTEXT:
        cut = text.rfind(" ", de, de + _CONTEXT)
        e = cut if cut >= 0 else de
    return s, e


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith(("P", "S"))


def _emphasis(before: str, mid: str, after: str) -> str:
    """``before**mid**after`` when CommonMark will read the ``**`` as emphasis there."""
    if not mid or not (before.strip() or after.strip()) or "\n" in mid:
        return before + mid + after
    prev = before[-1:] or " "
    nxt = after[:1] or " "
    opens = not _is_punct(mid[0]) or prev.isspace() or _is_punct(prev)
    closes = not _is_punct(mid[-1]) or nxt.isspace() or _is_punct(nxt)
    if opens and closes:
        return f"{before}**{mid}**{after}"
    return before + mid + after


def passage_paragraphs(article: Article, start: int, end: int) -> list[str]:
    """The passage [start, end) of the article's source text as Markdown paragraphs, in
    display form (markup removed), extended to the surrounding sentence, the passage bold."""
    blocks = article.blocks
    if not blocks:
        return [escape_text(article.text[start:end])] if article.text[start:end].strip() else []
    bi = article.block_at(start)
    bj = max(bi, article.block_at(max(start, end - 1)))
    out = []
    for k in range(bi, bj + 1):
        b = blocks[k]
        text = b.text
        ds = min(b.to_display(start), len(text)) if k == bi else 0
        de = min(max(ds, b.to_display(end)), len(text)) if k == bj else len(text)
        if start >= b.source_end:
            ds = len(text)
        if end >= b.source_end:
            de = len(text)
        if k == bi and k == bj and ds >= de:
            continue
        md = _quote_piece(text, ds, de, first=(k == bi), last=(k == bj))
        if md.strip():
            out.append(md)
    return out


def _quote_piece(text: str, ds: int, de: int, *, first: bool, last: bool) -> str:
    if first or last:
        s, e = _sentence_bounds(text, ds, de)
    else:
        s, e = 0, len(text)
    if not first:
        s = 0
    if not last:
        e = len(text)
    mid = text[ds:de]
    ds += len(mid) - len(mid.lstrip())
    de = max(ds, de - (len(mid) - len(mid.rstrip())))
    before, mid, after = text[s:ds], text[ds:de], text[de:e]
    if not mid or "\n" in text[s:e]:
        return escape_text(text[s:e])
    return _emphasis(_escape_inline_piece(before), escape_text(mid),
                     _escape_inline_piece(after, leading=False))


def _escape_inline_piece(s: str, *, leading: bool = True) -> str:
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


def quote_lines(paragraphs: Sequence[str]) -> list[str]:
    """Markdown paragraphs as one block quote."""
    out: list[str] = []
    for i, para in enumerate(paragraphs):
        if i:
            out.append(">")
        out.extend(f"> {line}" if line else ">" for line in para.split("\n"))
    return out


def _plain_paragraphs(text: str) -> list[str]:
    """A quote kept by a note (source text) as escaped paragraphs."""
    paras = re.split(r"\n[ \t]*\n", normalise_note_text(text))
    return [escape_text(_one_line_keep(p)) for p in paras if p.strip()]


def _one_line_keep(p: str) -> str:
    return "\n".join(line.strip() for line in p.split("\n") if line.strip())


# --------------------------------------------------------------------------- tags

#: What Obsidian reads as a tag after ``#``: word characters, ``-`` and ``/``, not only digits.
_TAG_OK = re.compile(r"[\w/-]*[^\W\d][\w/-]*")


def _tags(note: Mapping[str, Any]) -> list[str]:
    tags = note.get("tags") or []
    seen: dict[str, None] = {}
    for t in tags:
        if isinstance(t, str) and t.strip():
            seen.setdefault(t.strip().lstrip("#") or t.strip(), None)
    return list(seen)


def _tag_md(tag: str) -> str:
    if _TAG_OK.fullmatch(tag):
        return "#" + tag
    return "“" + escape_text(_one_line(tag)) + "”"


def _sort_key_text(s: str) -> tuple[str, str]:
    return (s.casefold(), s)


# --------------------------------------------------------------------------- export


def _note_block(note: Mapping[str, Any], quote: Sequence[str]) -> list[str]:
    """One note: its quote (if any), its tags, its text in the container, its block id."""
    out: list[str] = []
    if quote:
        out += quote_lines(quote) + [""]
    tags = _tags(note)
    if tags:
        out += ["Tags: " + " ".join(_tag_md(t) for t in tags), ""]
    text = note.get("text") or ""
    if not isinstance(text, str):
        text = str(text)
    if text:
        out += [CALLOUT, *quote_note_text(text), ""]
    out.append(block_id(str(note.get("id", ""))))
    return out


def _created(note: Mapping[str, Any]) -> str:
    return str(note.get("created") or "")


def _entity_line(e: Entity, wikilinks: bool) -> str:
    n = e.count
    line = f"- {link_name(e.name, wikilinks)} — {n} mention{'s' if n != 1 else ''}"
    aliases = sorted({_one_line(a) for a in e.aliases if _one_line(a)}, key=_sort_key_text)
    if aliases:
        line += "; also " + ", ".join(escape_text(a) for a in aliases)
    return line


def _entity_order(entities: Iterable[Entity]) -> list[Entity]:
    return sorted(entities, key=lambda e: (-e.count, e.name.casefold(), e.name))


def export_markdown(
    article: Article,
    entities: Sequence[Entity] | None,
    placed: Sequence[PlacedNoteLike],
    *,
    wikilinks: bool = False,
    timestamp: str | None = None,
    template: str | None = None,
    source: str | None = None,
    source_missing: bool = False,
) -> str:
    """The Markdown export of ``article`` with its notes.

    ``entities`` None means they are unknown (no model): no entity lists, no index.
    ``timestamp`` None leaves the exported time out (byte-identical re-exports).
    ``template`` is a ``string.Template`` text (see the module docstring).
    ``source`` overrides the path written as the source (default ``article.path``).
    ``source_missing``: the article's file is gone; every passage note is an orphan.
    """
    src = source if source is not None else str(article.path)
    text_len = len(article.text)

    passage: list[tuple[int, int, PlacedNoteLike]] = []
    orphans: list[PlacedNoteLike] = []
    about: dict[str, list[PlacedNoteLike]] = {}
    for p in placed:
        note = p.note
        entity = note.get("entity")
        if isinstance(entity, str) and entity.strip() and note.get("quote") is None:
            about.setdefault(_one_line(entity), []).append(p)
        elif (p.state != "orphan" and not source_missing and p.start is not None
              and p.end is not None and 0 <= p.start <= p.end <= text_len):
            passage.append((p.start, p.end, p))
        else:
            orphans.append(p)

    passage.sort(key=lambda t: (t[0], t[1], _created(t[2].note), str(t[2].note.get("id"))))

    def orphan_key(p: PlacedNoteLike) -> tuple[int, str, str]:
        start = p.note.get("start")
        return (start if isinstance(start, int) else -1, _created(p.note),
                str(p.note.get("id")))

    orphans.sort(key=orphan_key)

    # Sections -----------------------------------------------------------------------
    notes_md: list[str] = []
    if passage:
        notes_md += ["## Notes", ""]
        for start, end, p in passage:
            notes_md += _note_block(p.note, passage_paragraphs(article, start, end)) + [""]

    # An entity note may name the entity by one of its aliases (a surname, say): it goes under
    # the entity's own name. Names win over aliases; more mentions win among equals.
    by_name: dict[str, Entity] = {}
    ordered = _entity_order(entities or ())
    for e in ordered:
        by_name.setdefault(_one_line(e.name).casefold(), e)
    for e in ordered:
        for alias in e.aliases:
            by_name.setdefault(_one_line(alias).casefold(), e)
    entity_md: list[str] = []
    if about:
        entity_md += ["## Entities", ""]
        # One heading per entity: notes whose names differ only in case go together,
        # under the entity's own name when the article has it.
        merged: dict[str, list[PlacedNoteLike]] = {}
        spelling: dict[str, str] = {}
        for name in sorted(about, key=_sort_key_text):
            found = by_name.get(name.casefold())
            key = spelling.setdefault(name.casefold(),
                                      found.name if found is not None else name)
            merged.setdefault(key, []).extend(about[name])
        for name in sorted(merged, key=_sort_key_text):
            found = by_name.get(name.casefold())
            heading = link_name(name, wikilinks)
            if found is not None:
                heading += f" ({_KIND.get(found.group, 'name')})"
            entity_md += [f"### {heading}", ""]
            mine = sorted(merged[name], key=lambda p: (_created(p.note), str(p.note.get("id"))))
            for p in mine:
                entity_md += _note_block(p.note, ()) + [""]

    orphan_md: list[str] = []
    if orphans:
        orphan_md += ["## Orphaned notes", ""]
        if source_missing:
            orphan_md += [escape_text(f"The article is no longer at {src}; each note is "
                                      "shown with the passage it was written on."), ""]
        else:
            orphan_md += ["The passages of these notes are no longer in the article; each note "
                          "is shown with the passage it was written on.", ""]
        for p in orphans:
            quote = p.note.get("quote")
            paras = _plain_paragraphs(quote) if isinstance(quote, str) else []
            orphan_md += _note_block(p.note, paras) + [""]

    index_md: list[str] = []
    if entities:
        index_md += ["## Entity index", ""]
        for group, title in _GROUP_TITLES:
            # Only names: dates, numbers and amounts are not things to link to.
            rows = _entity_order(e for e in entities
                                 if e.group == group
                                 and (group != "other" or e.label in NAME_LABELS))
            if rows:
                index_md += [f"### {title}", ""]
                index_md += [_entity_line(e, wikilinks) for e in rows] + [""]

    # Front matter ------------------------------------------------------------------
    # Tags that differ only in case are one tag (as in notes and vaults): the spelling
    # that sorts first is kept, so the list does not depend on the notes' order.
    all_tags: dict[str, str] = {}
    for t in sorted({t for p in placed for t in _tags(p.note)}, key=_sort_key_text):
        all_tags.setdefault(t.casefold(), t)
    tags = list(all_tags.values())
    title = _one_line(article.title) or article.path.stem
    fm = ["---", f"title: {yaml_str(title)}"]
    if article.author:
        fm.append(f"author: {yaml_str(_one_line(article.author))}")
    if article.date:
        fm.append(f"date: {yaml_str(_one_line(article.date))}")
    fm.append(f"source: {yaml_str(src)}")
    # ``source`` stays the file (exports find their own files by it); the page's address
    # is a key of its own, the one vaults use for a clipped page.
    if article.source_url:
        fm.append(f"url: {yaml_str(_one_line(article.source_url))}")
    fm.append(f"content_hash: {yaml_str(article.hash)}")
    if timestamp is not None:
        fm.append(f"exported: {yaml_str(timestamp)}")
    fm += _yaml_list("tags", tags)
    if entities is not None:
        for group in ("people", "organizations", "places"):
            names = [_front_name(e.name, wikilinks)
                     for e in _entity_order(e for e in entities if e.group == group)]
            fm += _yaml_list(group, names)
    fm.append("---")

    body_parts = [notes_md, entity_md, orphan_md, index_md]
    if not any(body_parts):
        body_parts = [["*No notes.*", ""]]
    author = escape_text(_one_line(article.author or ""))
    date = escape_text(_one_line(article.date or ""))
    byline = " · ".join(x for x in (author, date) if x)
    values = {
        "front_matter": "\n".join(fm),
        "title": escape_text(title),
        "author": author,
        "date": date,
        "byline": byline,
        "byline_line": byline + "\n\n" if byline else "",
        "source": src,
        "url": article.source_url or "",
        "hash": article.hash,
        "exported": timestamp or "",
        "tags": " ".join(_tag_md(t) for t in tags),
        "notes": _section(notes_md),
        "entity_notes": _section(entity_md),
        "orphans": _section(orphan_md),
        "entities": _section(index_md),
        "body": "".join(_section(s) for s in body_parts),
    }
    out = string.Template(template if template is not None else DEFAULT_TEMPLATE) \
        .safe_substitute(values)
    if template is None:
        out = out.rstrip("\n") + "\n"
    return out


def _section(lines: list[str]) -> str:
    """A section's text, ending in one blank line (empty when it has no lines)."""
    if not lines:
        return ""
    while lines and lines[-1] == "":
        lines = lines[:-1]
    return "\n".join(lines) + "\n\n"


# --------------------------------------------------------------------------- files

_SLUG_DROP = re.compile(r"[^\w]+", re.U)
SLUG_MAX = 80


def slugify(title: str, fallback: str = "article") -> str:
    """A file name stem from a title: lower case words joined by ``-`` (letters of any
    script kept), at most :data:`SLUG_MAX` characters, cut at a word."""
    s = unicodedata.normalize("NFKC", title).casefold()
    s = _SLUG_DROP.sub("-", s).strip("-_")
    if len(s) > SLUG_MAX:
        cut = s.rfind("-", 0, SLUG_MAX + 1)
        s = s[:cut if cut > 20 else SLUG_MAX].strip("-_")
    return s or fallback


def _owner(path: Path) -> str | None:
    """The ``source`` written in an existing export's front matter (None if none)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(8192)
    except OSError:
        return None
    if not head.startswith("---\n"):
        return None
    for line in head.split("\n")[1:]:
        if line == "---":
            break
        if line.startswith("source: "):
            try:
                value = json.loads(line[len("source: "):])
            except ValueError:
                return None
            return value if isinstance(value, str) else None
    return None


def target_in_dir(folder: Path, title: str, source: str, taken: set[Path]) -> Path:
    """The file in ``folder`` for the article at ``source``: ``<slug>.md``, unless that
    name is taken in this run or holds another article's export (or a file that is not
    an export), then ``<slug>-<8 hex of the source path>.md``. Stable across runs, and
    never replaces another article's file. Adds the choice to ``taken``."""
    stem = slugify(title, fallback=slugify(Path(source).stem))
    plain = folder / f"{stem}.md"
    key = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    chosen = plain
    if plain in taken or (plain.exists() and _owner(plain) != source):
        chosen = folder / f"{stem}-{key}.md"
    taken.add(chosen)
    return chosen


def _why(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)


def write_export(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` as a whole: a temp file in the same folder, fsync,
    ``os.replace``, fsync of the folder. Raises :class:`ExportError` (one line)."""
    target = Path(path)
    data = text.encode("utf-8")
    folder = target.parent
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a folder")
    tmp = folder / f".{target.name}.{secrets.token_hex(4)}.tmp"
    mode = 0o666
    with contextlib.suppress(OSError):
        mode = target.stat().st_mode & 0o777
    fd = -1
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        if mode != 0o666:
            os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, target)
    except OSError as exc:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ExportError(f"cannot write {target}: {_why(exc)}") from None
    with contextlib.suppress(OSError):
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
