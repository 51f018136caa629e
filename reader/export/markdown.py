"""An article's notes as one Markdown file for a notes vault.

Pure: the article, its entities and its placed notes come in, Markdown text goes out (no
Textual, no TinyDB, no spaCy). The layout, front matter and template values are described
in ``docs/export.md``; in short::

    ---                                   YAML front matter
    ---
    # Title
    Author · Date

    ## Notes                              passage notes in reading order
    ## Entities                           notes about an entity, one heading per entity
    ## Orphaned notes                     notes whose passage is gone, with their quotes
    ## Entity index                       people / organizations / places (and other)

``wikilinks`` turns entity names into ``[[Name]]`` (``[[Page|Name]]`` when the page's file
name differs) in the front matter lists, the entity index and the headings of entity notes.
The note's own text and the quotes are never changed. A name holding a character that
cannot be in a link (``[ ] | # ^``) stays plain.

Templates use Python's ``string.Template``: ``$name`` or ``${name}`` is replaced, ``$$`` is
a literal ``$``, an unknown ``$name`` is left as it is. The default layout is
:data:`DEFAULT_TEMPLATE`.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from reader import notes as notes_model
from reader.entities import NAME_LABELS
from reader.export.dates import iso_date, iso_timestamp
from reader.export.escape import (
    Links,
    block_id,
    callout,
    escape_text,
    front_name,
    link_name,
    one_line,
    quote_note_text,
    tag_md,
    yaml_list,
    yaml_str,
)
from reader.export.passages import passage_paragraphs, plain_paragraphs, quote_lines
from reader.notes import PlacedLike as PlacedNoteLike

if TYPE_CHECKING:
    from reader.document import Article
    from reader.entities import Entity

__all__ = ["DEFAULT_TEMPLATE", "PlacedNoteLike", "export_markdown", "note_block"]

DEFAULT_TEMPLATE = "$front_matter\n# $title\n\n${byline_line}$body"

_GROUP_TITLES = (("people", "People"), ("organizations", "Organizations"),
                 ("places", "Places"), ("other", "Other names"))
_KIND = {"people": "person", "organizations": "organization", "places": "place"}


def _sort_key_text(s: str) -> tuple[str, str]:
    return (s.casefold(), s)


def _times_line(note: Mapping[str, Any]) -> str | None:
    """``Created: <ISO>`` (and ``· updated: <ISO>`` when it differs), or None."""
    created = iso_timestamp(note.get("created"))
    updated = iso_timestamp(note.get("updated"))
    parts = []
    if created:
        parts.append(f"Created: {created}")
    if updated and updated != created:
        parts.append(f"Updated: {updated}")
    return " · ".join(parts) or None


def note_block(note: Mapping[str, Any], quote: Sequence[str]) -> list[str]:
    """One note: its quote (if any), its tags, its times, its text in the container, its
    block id."""
    out: list[str] = []
    if quote:
        out += quote_lines(quote) + [""]
    tags = notes_model.stored_tags(note)
    if tags:
        out += ["Tags: " + " ".join(tag_md(t) for t in tags), ""]
    times = _times_line(note)
    if times:
        out += [times, ""]
    text = note.get("text") or ""
    if not isinstance(text, str):
        text = str(text)
    if text:
        out += [callout(notes_model.note_colour(note)), *quote_note_text(text), ""]
    out.append(block_id(str(note.get("id", ""))))
    return out


def _entity_line(e: Entity, links: Links) -> str:
    n = e.count
    line = f"- {link_name(e.name, links)} — {n} mention{'s' if n != 1 else ''}"
    aliases = sorted({one_line(a) for a in e.aliases if one_line(a)}, key=_sort_key_text)
    if aliases:
        line += "; also " + ", ".join(escape_text(a) for a in aliases)
    return line


def _entity_order(entities: Iterable[Entity]) -> list[Entity]:
    return sorted(entities, key=lambda e: (-e.count, e.name.casefold(), e.name))


def _notes_section(article: Article, passages: Sequence[PlacedNoteLike]) -> list[str]:
    out: list[str] = []
    if passages:
        out += ["## Notes", ""]
        for p in passages:
            assert p.start is not None and p.end is not None
            out += note_block(p.note, passage_paragraphs(article, p.start, p.end)) + [""]
    return out


def _entity_notes_section(about: Mapping[str, list[PlacedNoteLike]],
                          entities: Sequence[Entity] | None, links: Links) -> list[str]:
    """Notes about entities, one heading per entity.

    An entity note may name the entity by one of its aliases (a surname, say): it goes
    under the entity's own name. Names win over aliases; more mentions win among equals.
    Notes whose names differ only in case go together.
    """
    if not about:
        return []
    by_name: dict[str, Entity] = {}
    ordered = _entity_order(entities or ())
    for e in ordered:
        by_name.setdefault(one_line(e.name).casefold(), e)
    for e in ordered:
        for alias in e.aliases:
            by_name.setdefault(one_line(alias).casefold(), e)
    merged: dict[str, list[PlacedNoteLike]] = {}
    spelling: dict[str, str] = {}
    for name in sorted(about, key=_sort_key_text):
        found = by_name.get(name.casefold())
        key = spelling.setdefault(name.casefold(), found.name if found is not None else name)
        merged.setdefault(key, []).extend(about[name])
    out = ["## Entities", ""]
    for name in sorted(merged, key=_sort_key_text):
        found = by_name.get(name.casefold())
        heading = link_name(name, links)
        if found is not None:
            heading += f" ({_KIND.get(found.group, 'name')})"
        out += [f"### {heading}", ""]
        for p in sorted(merged[name], key=lambda p: notes_model.age_key(p.note)):
            out += note_block(p.note, ()) + [""]
    return out


def _orphans_section(orphans: Sequence[PlacedNoteLike], src: str,
                     source_missing: bool) -> list[str]:
    if not orphans:
        return []
    out = ["## Orphaned notes", ""]
    if source_missing:
        out += [escape_text(f"The article is no longer at {src}; each note is "
                            "shown with the passage it was written on."), ""]
    else:
        out += ["The passages of these notes are no longer in the article; each note "
                "is shown with the passage it was written on.", ""]
    for p in orphans:
        quote = p.note.get("quote")
        paras = plain_paragraphs(quote) if isinstance(quote, str) else []
        out += note_block(p.note, paras) + [""]
    return out


def _index_section(entities: Sequence[Entity] | None, links: Links) -> list[str]:
    if not entities:
        return []
    out = ["## Entity index", ""]
    for group, title in _GROUP_TITLES:
        # Only names: dates, numbers and amounts are not things to link to.
        rows = _entity_order(e for e in entities
                             if e.group == group and (group != "other" or e.label in NAME_LABELS))
        if rows:
            out += [f"### {title}", ""]
            out += [_entity_line(e, links) for e in rows] + [""]
    return out


def _front_matter(article: Article, entities: Sequence[Entity] | None, tags: Sequence[str],
                  *, src: str, timestamp: str | None, links: Links) -> list[str]:
    """``date`` is ISO 8601 when the article's date can be read; ``date_text`` is the date
    as the article writes it."""
    fm = ["---", f"title: {yaml_str(_title(article))}"]
    if article.author:
        fm.append(f"author: {yaml_str(one_line(article.author))}")
    if article.date:
        day = iso_date(article.date)
        if day is not None:
            fm.append(f"date: {day}")
        fm.append(f"date_text: {yaml_str(one_line(article.date))}")
    fm.append(f"source: {yaml_str(src)}")
    # ``source`` stays the file (exports find their own files by it); the page's address
    # is a key of its own, the one vaults use for a clipped page.
    if article.source_url:
        fm.append(f"url: {yaml_str(one_line(article.source_url))}")
    fm.append(f"content_hash: {yaml_str(article.hash)}")
    if timestamp is not None:
        fm.append(f"exported: {yaml_str(timestamp)}")
    fm += yaml_list("tags", tags)
    if entities is not None:
        for group in ("people", "organizations", "places"):
            names = [front_name(e.name, links)
                     for e in _entity_order(e for e in entities if e.group == group)]
            fm += yaml_list(group, names)
    fm.append("---")
    return fm


def _title(article: Article) -> str:
    return one_line(article.title) or article.path.stem


def export_markdown(
    article: Article,
    entities: Sequence[Entity] | None,
    placed: Sequence[PlacedNoteLike],
    *,
    wikilinks: bool = False,
    pages: Mapping[str, str] | None = None,
    timestamp: str | None = None,
    template: str | None = None,
    source: str | None = None,
    source_missing: bool = False,
) -> str:
    """The Markdown export of ``article`` with its notes.

    ``entities`` None means they are unknown (no model): no entity lists, no index.
    ``timestamp`` None leaves the exported time out (byte-identical re-exports).
    ``template`` is a ``string.Template`` text (see ``docs/export.md`` for its values).
    ``source`` overrides the path written as the source (default ``article.path``).
    ``source_missing``: the article's file is gone; every passage note is an orphan.
    ``pages``: with ``wikilinks``, only names (or aliases, case folded) of this map become
    links, to the page it names (``EntityPages.links``, the entity pages written); None:
    every name, to the page it would have.
    """
    src = source if source is not None else str(article.path)
    links: Links = (pages if pages is not None else True) if wikilinks else False
    parts = notes_model.sections(placed, len(article.text), source_missing=source_missing)
    notes_md = _notes_section(article, parts.passages)
    entity_md = _entity_notes_section(parts.about, entities, links)
    orphan_md = _orphans_section(parts.orphans, src, source_missing)
    index_md = _index_section(entities, links)
    tags = notes_model.merge_tags(t for p in placed for t in notes_model.stored_tags(p.note))
    fm = _front_matter(article, entities, tags, src=src, timestamp=timestamp,
                       links=links)
    body_parts = [notes_md, entity_md, orphan_md, index_md]
    if not any(body_parts):
        body_parts = [["*No notes.*", ""]]
    values = {
        "front_matter": "\n".join(fm),
        "title": escape_text(_title(article)),
        **_byline_values(article),
        "source": src,
        "url": article.source_url or "",
        "hash": article.hash,
        "exported": timestamp or "",
        "tags": " ".join(tag_md(t) for t in tags),
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


def _byline_values(article: Article) -> dict[str, str]:
    """The template's author, date and byline values (escaped, one line each)."""
    author = escape_text(one_line(article.author or ""))
    date = escape_text(one_line(article.date or ""))
    byline = " · ".join(x for x in (author, date) if x)
    return {"author": author, "date": date, "byline": byline,
            "byline_line": byline + "\n\n" if byline else ""}


def _section(lines: list[str]) -> str:
    """A section's text, ending in one blank line (empty when it has no lines)."""
    if not lines:
        return ""
    while lines and lines[-1] == "":
        lines = lines[:-1]
    return "\n".join(lines) + "\n\n"
