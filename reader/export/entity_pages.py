"""Entity pages: one Markdown page per person, organization and place of the library.

A page is written for each entity that has notes or appears in two or more articles, as
``DIR/<Name>.md`` in one flat folder (names made safe as article file names are). It holds
the entity's kind and aliases in the front matter (Obsidian reads ``aliases``), each article
that mentions it as a ``[[link]]`` to the file that article's export gets, with the number
of mentions, and every note about it. Vaults build backlinks and the graph from those links.

Re-exporting writes the same bytes when nothing changed (a stable order, no time of export).
The manifest ``DIR/.reader-export.json`` keeps the hash of each page as written: a page whose
bytes differ from it was edited by the user and is never replaced; the new page goes beside
it as ``<Name> (reader).md`` and the result says so.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from reader import notes as notes_model
from reader.export.escape import escape_text, one_line, yaml_list, yaml_str
from reader.export.markdown import note_block
from reader.export.names import MAX_NAME_BYTES, ExportSettings, article_stem, safe_name
from reader.export.writing import ExportError, source_path, write_export

__all__ = ["MANIFEST", "EntityPages", "LibraryEntity", "LibraryIndex", "Mentioning",
           "entity_page", "library_entities", "linked_articles", "write_entity_pages"]

#: The manifest's file name in the pages' folder (hidden: vaults do not list it).
MANIFEST = ".reader-export.json"
#: Added to a page's name when the page there was edited by the user.
BESIDE = " (reader)"
_KIND = {"people": "person", "organizations": "organization", "places": "place"}


class Mentioning(Protocol):
    """One article that mentions an entity (``reader.library.Appearance`` is one)."""

    @property
    def title(self) -> str: ...
    @property
    def path(self) -> Path: ...
    @property
    def count(self) -> int: ...


@dataclass(frozen=True)
class LibraryEntity:
    """An entity of the library, with the articles that mention it (most mentions first,
    as ``Library.appearances`` gives them)."""

    name: str
    group: str
    """people, organizations or places (others get no page)."""
    aliases: Sequence[str] = ()
    articles: Sequence[Mentioning] = ()


@dataclass
class EntityPages:
    """What :func:`write_entity_pages` did."""

    written: list[Path] = field(default_factory=list)
    """Pages written (new or changed)."""
    unchanged: list[Path] = field(default_factory=list)
    """Pages already as they would be written."""
    beside: list[tuple[Path, Path]] = field(default_factory=list)
    """(page the user edited, the new page written beside it)."""
    links: dict[str, str] = field(default_factory=dict)
    """Entity name or alias (case folded) -> the stem of its page: pass it as ``pages`` to
    the article exports of the same folder, so their ``[[links]]`` all lead to a page."""


class LibraryIndex(Protocol):
    """What :func:`library_entities` reads of ``reader.library.Library``."""

    def entity_names(self) -> list[tuple[str, str, int]]: ...

    def appearances(self, name: str, *, group: str | None = None) -> Sequence[Mentioning]: ...


def library_entities(library: LibraryIndex, notes: Iterable[Mapping[str, Any]] = (),
                     aliases: Mapping[tuple[str, str], Sequence[str]] | None = None
                     ) -> list[LibraryEntity]:
    """The entities of the library that may get a page: people, organizations and places
    in two or more articles, or named by an entity note (by the name or, given
    ``aliases``, (name, group) -> other names, by an alias); the others are not looked
    up."""
    noted = {n.casefold() for n in map(notes_model.entity_of, notes) if n}
    aliases = aliases or {}
    out = []
    for name, group, articles in library.entity_names():
        also = tuple(aliases.get((name, group), ()))
        if group in _KIND and (articles >= 2 or any(one_line(n).casefold() in noted
                                                    for n in (name, *also))):
            out.append(LibraryEntity(name, group, also,
                                     list(library.appearances(name, group=group))))
    return out


def _keys(entity: LibraryEntity) -> set[str]:
    return {one_line(n).casefold() for n in (entity.name, *entity.aliases) if one_line(n)}


def _notes_about(entity: LibraryEntity, notes: Sequence[Mapping[str, Any]]
                 ) -> list[Mapping[str, Any]]:
    keys = _keys(entity)
    mine = [n for n in notes if (notes_model.entity_of(n) or "").casefold() in keys]
    return sorted(mine, key=notes_model.age_key)


def _article_link(title: str, path: str, settings: ExportSettings,
                  exported: Collection[str] | None) -> str:
    """A ``[[link]]`` to the article's export file; its title as plain text when the
    article is not exported with the pages (its file is gone)."""
    if exported is not None and source_path(path) not in exported:
        return escape_text(one_line(title) or Path(path).stem)
    return f"[[{article_stem(one_line(title) or Path(path).stem, path, settings.file_names)}]]"


def linked_articles(entities: Iterable[LibraryEntity], notes: Iterable[Mapping[str, Any]]
                    ) -> list[Path]:
    """The articles the pages of ``entities`` list (once each, in a stable order): export
    them with the pages so that every ``[[link]]`` leads to a file."""
    seen: dict[str, Path] = {}
    for entity, _ in _chosen(entities, list(notes)):
        for a in entity.articles:
            seen.setdefault(source_path(a.path), Path(a.path))
    return [seen[k] for k in sorted(seen)]


def entity_page(entity: LibraryEntity, notes: Sequence[Mapping[str, Any]],
                settings: ExportSettings, exported: Collection[str] | None = None) -> str:
    """The Markdown page of ``entity``; ``notes`` are the notes about it, oldest first.
    ``exported``: the sources (:func:`reader.export.source_path`) of the articles exported
    with the page; the others are named without a link (None: link every article)."""
    name = one_line(entity.name)
    aliases = sorted({one_line(a) for a in entity.aliases
                      if one_line(a) and one_line(a) != name}, key=lambda a: (a.casefold(), a))
    lines = ["---", f"type: {yaml_str(_KIND.get(entity.group, entity.group))}",
             *yaml_list("aliases", aliases), "---", f"# {escape_text(name)}", ""]
    if entity.articles:
        lines += ["## Articles", ""]
        for a in sorted(entity.articles, key=lambda a: (-a.count, a.title.casefold(),
                                                        str(a.path))):
            n = a.count
            lines.append(f"- {_article_link(a.title, str(a.path), settings, exported)} — "
                         f"{n} mention{'s' if n != 1 else ''}")
        lines.append("")
    if notes:
        lines += ["## Notes", ""]
        for note in notes:
            ref = note.get("article")
            if isinstance(ref, dict) and isinstance(ref.get("path"), str):
                lines += ["From " + _article_link(str(ref.get("title") or ""), ref["path"],
                                                  settings, exported), ""]
            lines += note_block(note, ()) + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _chosen(entities: Iterable[LibraryEntity], notes: Sequence[Mapping[str, Any]]
            ) -> list[tuple[LibraryEntity, list[Mapping[str, Any]]]]:
    out = []
    for e in sorted(entities, key=lambda e: (e.name.casefold(), e.name, e.group)):
        if e.group not in _KIND or not one_line(e.name):
            continue
        about = _notes_about(e, notes)
        if about or len(e.articles) >= 2:
            out.append((e, about))
    return out


def _read_manifest(folder: Path) -> dict[str, str]:
    with contextlib.suppress(OSError, ValueError):
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        pages = data.get("pages") if isinstance(data, dict) else None
        if isinstance(pages, dict):
            return {str(k): str(v) for k, v in pages.items()}
    return {}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return _digest(path.read_bytes())
    except OSError:
        return None


def write_entity_pages(folder: Path, entities: Iterable[LibraryEntity],
                       notes: Iterable[Mapping[str, Any]],
                       settings: ExportSettings | None = None,
                       exported: Collection[str] | None = None) -> EntityPages:
    """Write the entity pages into ``folder`` (made if missing) and its manifest.

    ``entities``: the library's entities (others than people, organizations and places are
    skipped); ``notes``: all notes (those about an entity, by its name or an alias, case
    aside, go on its page); ``exported``: as for :func:`entity_page`. Raises
    :class:`ExportError` when a file cannot be written.
    """
    settings = settings or ExportSettings()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot make the folder {folder}: {exc.strerror or exc}") from None
    manifest = _read_manifest(folder)
    result = EntityPages()
    used: set[str] = set()
    for entity, about in _chosen(entities, list(notes)):
        stem = _page_stem(entity, used)
        for key in sorted(_keys(entity)):
            result.links.setdefault(key, stem)
        text = entity_page(entity, about, settings, exported)
        _put(folder, stem, text, manifest, result)
    data = json.dumps({"format": 1, "pages": dict(sorted(manifest.items()))},
                      ensure_ascii=False, indent=1) + "\n"
    if _file_digest(folder / MANIFEST) != _digest(data.encode("utf-8")):
        write_export(folder / MANIFEST, data)
    return result


def _page_stem(entity: LibraryEntity, used: set[str]) -> str:
    """The page's name: the entity's name made safe; a second entity of the same name (a
    person and a place) gets its kind after it."""
    budget = MAX_NAME_BYTES - 3 - len(BESIDE.encode("utf-8"))
    stem = safe_name(entity.name, fallback="entity", max_bytes=budget)
    if stem.casefold() in used:
        kind = f" ({_KIND[entity.group]})"
        stem = safe_name(entity.name, max_bytes=budget - len(kind)) + kind
    used.add(stem.casefold())
    return stem


def _put(folder: Path, stem: str, text: str, manifest: dict[str, str],
         result: EntityPages) -> None:
    """Write one page unless the user edited the one there (then write it beside)."""
    name = f"{stem}.md"
    path = folder / name
    data = text.encode("utf-8")
    new = _digest(data)
    now = _file_digest(path)
    if now == new:
        manifest[name] = new
        result.unchanged.append(path)
        return
    if now is not None and manifest.get(name) != now:
        other = folder / f"{stem}{BESIDE}.md"
        if _file_digest(other) != new:
            write_export(other, text)
        manifest[other.name] = new
        result.beside.append((path, other))
        return
    write_export(path, text)
    manifest[name] = new
    result.written.append(path)
