"""Notes: what a note holds, its tags, and where its passage is in an article now.

A note is a plain dict (the store keeps it as it is)::

    {"id", "text", "tags": [...], "quote", "prefix", "suffix", "start", "end",
     "article": {"path", "hash", "title"}, "entity": str | None, "created", "updated"}

``id``, ``created`` and ``updated`` are assigned by the store.  A passage note carries a W3C
TextQuote + TextPosition anchor (see :mod:`reader.anchors`); an entity note is about an
entity (``entity`` is its name) and has no anchor: quote, prefix, suffix, start and end are
None.  Tags are stored without the ``#``.

Every rule about notes lives here (tags, kinds, order, what an edit changes), so the
editor, the panel, the command line and the export agree. Pure Python: no Textual, no
TinyDB; where notes come from is a :class:`NoteSource` (the store is one).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from reader.anchors import Anchor, locate, make_anchor

__all__ = [
    "ArticleText",
    "NoteSource",
    "NoteSections",
    "PlacedNote",
    "age_key",
    "anchor_changes",
    "edit_note",
    "entity_names_in",
    "entity_of",
    "filter_notes",
    "group_by_article",
    "is_entity_note",
    "merge_tags",
    "new_note",
    "note_update",
    "note_matches",
    "note_json",
    "note_tags",
    "notes_for",
    "orphaned",
    "parse_tags_field",
    "place",
    "place_notes",
    "sections",
    "select_notes",
    "sort_placed",
    "stored_tags",
    "tags_in",
]


class ArticleText(Protocol):
    """What notes need of an article (``reader.document.Article`` is one)."""

    @property
    def path(self) -> Path: ...
    @property
    def text(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def title(self) -> str: ...


class NoteSource(Protocol):
    """Where notes are kept (``reader.store.Store`` is one): what the note rules need."""

    def notes(self) -> list[dict[str, Any]]: ...

    def update_note(self, note_id: str, changes: Mapping[str, Any], /) -> dict[str, Any]: ...


# --------------------------------------------------------------------------- tags

# A tag: '#' then letters, digits, '-', '_', '/', with at least one letter (as in Obsidian,
# '#2024' is not a tag).  Not after a word character ('C#', 'page#anchor'), nor after '#',
# '&' ('&#38;'), '/' or '\\' (URLs, escapes); '# Title' (a heading) has a space after '#'.
_TAG = re.compile(r"(?<![\w#&/\\])#([\w/-]*[^\W\d_][\w/-]*)")


def tags_in(text: str) -> list[str]:
    """The ``#tag`` words typed in ``text``, without '#', in order, each once.

    Tags that differ only in case are one tag (the first spelling is kept), as in note
    vaults; a trailing '/' is not part of a tag.
    """
    return _dedupe(m.group(1).rstrip("/") for m in _TAG.finditer(text))


def note_tags(text: str, extra: Iterable[str] = ()) -> list[str]:
    """A note's tags: those typed in its text, then ``extra`` ones ('#' optional)."""
    more = (t.strip().lstrip("#").strip().rstrip("/") for t in extra)
    return _dedupe([*tags_in(text), *more])


def parse_tags_field(text: str) -> list[str]:
    """The tags typed in the editor's tags field: words split at spaces or commas, each
    without its leading ``#``; a word of ``#`` alone is none."""
    return [t.lstrip("#") for t in text.replace(",", " ").split() if t.strip("#")]


def stored_tags(note: Mapping[str, Any]) -> list[str]:
    """A stored note's tags as they are shown: strings only, trimmed, without ``#``, each
    spelling once (in their order)."""
    seen: dict[str, None] = {}
    for t in note.get("tags") or []:
        if isinstance(t, str) and t.strip():
            seen.setdefault(t.strip().lstrip("#") or t.strip(), None)
    return list(seen)


def merge_tags(tags: Iterable[str]) -> list[str]:
    """Tags of several notes as one list: tags that differ only in case are one tag (as in
    note vaults), spelled as the spelling that sorts first, so the list does not depend on
    the notes' order; sorted case aside."""
    merged: dict[str, str] = {}
    for t in sorted(set(tags), key=lambda s: (s.casefold(), s)):
        merged.setdefault(t.casefold(), t)
    return list(merged.values())


def _dedupe(tags: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for tag in tags:
        key = tag.casefold()
        if tag and key not in seen:
            seen.add(key)
            out.append(tag)
    return out


# --------------------------------------------------------------------------- building


def _article_ref(article: ArticleText) -> dict[str, Any]:
    path = Path(article.path)
    try:  # absolute, so `reader notes` finds the file again from any folder
        path = path.resolve()
    except OSError:
        path = path.absolute()
    return {"path": str(path), "hash": article.hash, "title": article.title}


def new_note(
    article: ArticleText,
    start: int | None,
    end: int | None,
    text: str,
    tags: Iterable[str] = (),
    entity: str | None = None,
) -> dict[str, Any]:
    """A new note for the store (which adds ``id``, ``created`` and ``updated``).

    With ``entity`` it is a note about that entity (``start``/``end`` are ignored);
    otherwise it is about ``article.text[start:end]`` (``ValueError`` for a bad range).
    """
    note: dict[str, Any] = {"text": text, "tags": note_tags(text, tags)}
    if entity is not None:
        if not entity.strip():
            raise ValueError("an entity note needs the entity's name")
        note.update(quote=None, prefix=None, suffix=None, start=None, end=None)
    else:
        if start is None or end is None:
            raise ValueError("a passage note needs start and end offsets")
        a = make_anchor(article.text, start, end)
        note.update(quote=a.quote, prefix=a.prefix, suffix=a.suffix, start=a.start, end=a.end)
    note["article"] = _article_ref(article)
    note["entity"] = entity
    return note


def note_update(text: str, tags: Iterable[str] = ()) -> dict[str, Any]:
    """The fields an edit of a note changes (for ``update_note``): its text, and its tags
    worked out as for a new note (those typed in the text, then ``tags``)."""
    return {"text": text, "tags": note_tags(text, tags)}


class _Unchanged(Enum):
    KEEP = "keep"


#: For :func:`edit_note`: leave the note's colour as it is.
KEEP_COLOUR = _Unchanged.KEEP


def edit_note(source: NoteSource, note: Mapping[str, Any], text: str,
              tags: Iterable[str] = (), *,
              colour: str | None | _Unchanged = KEEP_COLOUR) -> dict[str, Any]:
    """Save an edit of ``note`` (new ``text``, extra ``tags`` and, when given, its highlight
    ``colour``: None for none) to ``source``; returns the note as it was before, for an
    undo (``edit_note(source, before, before["text"], before["tags"],
    colour=before.get("colour"))`` restores it). Whatever ``update_note`` raises is raised."""
    before = dict(note)
    change = note_update(text, tags)
    if colour is not KEEP_COLOUR and colour != note.get("colour"):
        change["colour"] = colour
    source.update_note(str(note["id"]), change)
    return before


#: The highlight colours a note can carry (``note["colour"]``, optional).
NOTE_COLOURS = ("yellow", "green", "blue", "pink", "purple")


def note_colour(note: Mapping[str, Any],
                tag_colours: Mapping[str, str] | None = None) -> str | None:
    """The note's highlight colour: its own, else that of its first tag given one in
    ``tag_colours`` (tag -> colour, the settings' ``[notes.colours]``); None for none."""
    own = note.get("colour")
    if own in NOTE_COLOURS:
        return str(own)
    by_tag = {_tag_key(t): c for t, c in (tag_colours or {}).items() if c in NOTE_COLOURS}
    for tag in stored_tags(note):
        colour = by_tag.get(_tag_key(tag))
        if colour:
            return colour
    return None


def next_colour(colour: str | None) -> str | None:
    """The colour after ``colour`` in :data:`NOTE_COLOURS`, then none, then the first."""
    if colour not in NOTE_COLOURS:
        return NOTE_COLOURS[0]
    i = NOTE_COLOURS.index(colour) + 1
    return NOTE_COLOURS[i] if i < len(NOTE_COLOURS) else None


def entity_of(note: Mapping[str, Any]) -> str | None:
    """The name an entity note is about (one line); None for a passage note."""
    entity = note.get("entity")
    if isinstance(entity, str) and entity.strip() and note.get("quote") is None:
        return " ".join(entity.split())
    return None


def is_entity_note(note: Mapping[str, Any]) -> bool:
    """A note about an entity rather than a passage (it names one and has no quote)."""
    return entity_of(note) is not None


# --------------------------------------------------------------------------- placing


@dataclass
class PlacedNote:
    """A stored note and where its passage is in the article as it is now."""

    note: dict[str, Any]
    """The note as stored."""
    state: str
    """``anchored``, ``moved`` or ``orphan`` (entity notes: ``anchored``)."""
    start: int | None
    """Current source offset of the passage; None for orphans and entity notes."""
    end: int | None
    quote: str | None = None
    """The passage's text now (``text[start:end]``); differs from the stored quote when it
    was re-found by a fuzzy match.  None for orphans and entity notes."""
    reason: str | None = None
    """Why an orphan is one, in a few words (for listings)."""


def _anchor_of(note: Mapping[str, Any]) -> Anchor | None:
    quote, start, end = note.get("quote"), note.get("start"), note.get("end")
    if not isinstance(quote, str) or not quote:
        return None
    prefix, suffix = note.get("prefix") or "", note.get("suffix") or ""
    if not isinstance(prefix, str) or not isinstance(suffix, str):
        prefix = suffix = ""
    if not isinstance(start, int) or isinstance(start, bool):
        start = -1
    if not isinstance(end, int) or isinstance(end, bool):
        end = -1
    return Anchor(start=start, end=end, quote=quote, prefix=prefix, suffix=suffix)


def _article_hash(note: Mapping[str, Any]) -> str | None:
    ref = note.get("article")
    return ref.get("hash") if isinstance(ref, dict) else None


def _article_path(note: Mapping[str, Any]) -> str | None:
    ref = note.get("article")
    path = ref.get("path") if isinstance(ref, dict) else None
    return path if isinstance(path, str) else None


def place(note: dict[str, Any], article: ArticleText) -> PlacedNote:
    """Where ``note`` is in ``article`` now (re-anchored if the text changed)."""
    if is_entity_note(note):
        return PlacedNote(note, "anchored", None, None)
    anchor = _anchor_of(note)
    if anchor is None:
        return PlacedNote(note, "orphan", None, None, reason="the note has no passage")
    text = article.text
    if (_article_hash(note) == article.hash and anchor.start >= 0
            and anchor.start + len(anchor.quote) == anchor.end
            and text.startswith(anchor.quote, anchor.start)):
        return PlacedNote(note, "anchored", anchor.start, anchor.end, quote=anchor.quote)
    found = locate(anchor, text)
    if found.start is None or found.end is None:
        return PlacedNote(note, "orphan", None, None, reason="the passage is no longer there")
    return PlacedNote(note, found.state, found.start, found.end, quote=text[found.start:found.end])


def orphaned(note: dict[str, Any], reason: str) -> PlacedNote:
    """A note whose article cannot be read (entity notes stay as they are)."""
    if is_entity_note(note):
        return PlacedNote(note, "anchored", None, None)
    return PlacedNote(note, "orphan", None, None, reason=reason)


def place_notes(notes: Iterable[dict[str, Any]], article: ArticleText) -> list[PlacedNote]:
    """Every note placed in ``article``: passage notes in reading order (orphans after them,
    oldest first), then entity notes (by entity name, then oldest first)."""
    placed = [place(n, article) for n in notes]
    return sort_placed(placed)


def sort_placed(placed: Iterable[PlacedNote]) -> list[PlacedNote]:
    """Reading order: located passages by offset, then orphans, then entity notes."""

    def key(p: PlacedNote) -> tuple[int, int, int, str, str]:
        created = str(p.note.get("created") or "")
        if is_entity_note(p.note):
            return (2, 0, 0, str(p.note.get("entity") or "").casefold(), created)
        if p.start is None or p.end is None:
            return (1, 0, 0, "", created)
        return (0, p.start, p.end, "", created)

    return sorted(placed, key=key)


class PlacedLike(Protocol):
    """What :func:`sections` reads of a :class:`PlacedNote`."""

    @property
    def note(self) -> Mapping[str, Any]: ...
    @property
    def state(self) -> str: ...
    @property
    def start(self) -> int | None: ...
    @property
    def end(self) -> int | None: ...


P = TypeVar("P", bound=PlacedLike)


@dataclass
class NoteSections(Generic[P]):
    """An article's placed notes by kind, each kind in its order (see :func:`sections`)."""

    passages: list[P]
    """Notes whose passage is in the article, in reading order."""
    orphans: list[P]
    """Notes whose passage is gone, by where it was, then oldest first."""
    about: dict[str, list[P]]
    """Entity notes by the entity's name as written (one line), oldest first."""


def age_key(note: Mapping[str, Any]) -> tuple[str, str]:
    """Oldest first; the id breaks ties, so the order never depends on the input's."""
    return (str(note.get("created") or ""), str(note.get("id")))


def sections(placed: Iterable[P], text_len: int, *, source_missing: bool = False
             ) -> NoteSections[P]:
    """Split placed notes into passage notes, orphans and entity notes, each sorted.

    A passage note is an orphan when it was not found, its offsets do not fit a text of
    ``text_len`` characters, or ``source_missing`` (the article's file is gone). Ties keep
    a stable order: creation time, then id.
    """
    out: NoteSections[P] = NoteSections([], [], {})
    for p in placed:
        entity = entity_of(p.note)
        if entity is not None:
            out.about.setdefault(entity, []).append(p)
        elif (p.state != "orphan" and not source_missing and p.start is not None
              and p.end is not None and 0 <= p.start <= p.end <= text_len):
            out.passages.append(p)
        else:
            out.orphans.append(p)
    out.passages.sort(key=lambda p: (p.start or 0, p.end or 0, *age_key(p.note)))

    def orphan_key(p: P) -> tuple[int, str, str]:
        start = p.note.get("start")
        return (start if isinstance(start, int) else -1, *age_key(p.note))

    out.orphans.sort(key=orphan_key)
    for notes in out.about.values():
        notes.sort(key=lambda p: age_key(p.note))
    return out


def note_json(placed: PlacedNote) -> dict[str, Any]:
    """A placed note as plain JSON data: offsets and quote are the current ones, so that
    ``quote == text[start:end]`` for anchored and moved notes; ``anchor`` is as stored."""
    note = placed.note
    ref = note.get("article") if isinstance(note.get("article"), dict) else {}
    assert isinstance(ref, dict)
    located = placed.start is not None
    out: dict[str, Any] = {
        "id": note.get("id"),
        "text": note.get("text", ""),
        "tags": list(note.get("tags") or []),
        "quote": placed.quote if located and placed.quote is not None else note.get("quote"),
        "start": placed.start,
        "end": placed.end,
        "state": placed.state,
        "entity": note.get("entity"),
        "article": {"path": ref.get("path"), "hash": ref.get("hash"),
                    "title": ref.get("title")},
        "created": note.get("created"),
        "updated": note.get("updated"),
        "anchor": {k: note.get(k) for k in ("quote", "prefix", "suffix", "start", "end")},
    }
    if placed.reason:
        out["reason"] = placed.reason
    return out


def anchor_changes(placed: PlacedNote, article: ArticleText) -> dict[str, Any] | None:
    """Fields to save (``store.update_note``) so a moved note is anchored where it was
    found, in this version of the article; None when there is nothing to change.

    ``updated`` is kept: re-anchoring is not an edit of the note.
    """
    if placed.state != "moved" or placed.start is None or placed.end is None:
        return None
    a = make_anchor(article.text, placed.start, placed.end)
    return {"quote": a.quote, "prefix": a.prefix, "suffix": a.suffix, "start": a.start,
            "end": a.end, "article": _article_ref(article),
            "updated": placed.note.get("updated")}


# --------------------------------------------------------------------------- queries


def _same_path(stored: str | None, paths: set[str]) -> bool:
    return stored is not None and stored in paths


def _paths_of(article: ArticleText) -> set[str]:
    path = Path(article.path)
    out = {str(path), str(path.absolute())}
    with contextlib.suppress(OSError):
        out.add(str(path.resolve()))
    return out


def notes_for(
    store: NoteSource, article: ArticleText, entity_names: Iterable[str] = ()
) -> list[PlacedNote]:
    """The notes to show with ``article``, placed (see :func:`place_notes` for the order).

    * notes on this text (same content hash), wherever the file was then;
    * notes on an earlier version of this file (same path, another hash): they re-anchor
      or become orphans;
    * entity notes of any article whose entity name (case aside) is in ``entity_names``.
    """
    return place_notes(select_notes(store.notes(), article, entity_names), article)


def select_notes(
    notes: Iterable[dict[str, Any]], article: ArticleText, entity_names: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """The notes of :func:`notes_for`, from a list of notes, unplaced."""
    names = {n.casefold() for n in entity_names if n}
    paths = _paths_of(article)
    chosen: list[dict[str, Any]] = []
    for note in notes:
        mine = _article_hash(note) == article.hash or _same_path(_article_path(note), paths)
        if mine or (is_entity_note(note) and str(note["entity"]).casefold() in names):
            chosen.append(note)
    return chosen


def entity_names_in(notes: Iterable[Mapping[str, Any]], text: str) -> list[str]:
    """Names of entity notes that occur in ``text`` as whole words (case as written).

    A cheap stand-in for named-entity recognition where running the model is too slow
    (the command line): an entity note from another article is shown with this one when
    its name appears in it.
    """
    out: list[str] = []
    for name in dict.fromkeys(str(n["entity"]) for n in notes if is_entity_note(n)):
        if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            out.append(name)
    return out


def group_by_article(notes: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Notes by their article's stored path (notes without one under ``""``)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for note in notes:
        out.setdefault(_article_path(note) or "", []).append(note)
    return out


NoteT = TypeVar("NoteT", bound=Mapping[str, Any])


def filter_notes(notes: Iterable[NoteT], *, tag: str | None = None,
                 text: str | None = None) -> list[NoteT]:
    """The notes that carry ``tag`` and contain ``text``, in their order (the same objects).

    See :func:`note_matches`; None (or blank) for either means no condition on it.
    """
    want_tag = _tag_key(tag) if tag is not None else None
    want_text = _text_key(text) if text is not None else None
    return [n for n in notes if _matches(n, want_tag, want_text)]


def note_matches(note: Mapping[str, Any], *, tag: str | None = None,
                 text: str | None = None) -> bool:
    """Whether ``note`` carries ``tag`` and contains ``text``.

    ``tag``: case aside, with or without '#'; a nested tag counts for its parents
    (``project`` finds ``#project/alpha``, as in note vaults).  ``text``: case and runs of
    whitespace aside, in the note's text, its passage's quote, its entity's name or its
    tags (written ``#tag``).
    """
    return _matches(note, _tag_key(tag) if tag is not None else None,
                    _text_key(text) if text is not None else None)


def _tag_key(tag: str) -> str:
    return tag.strip().lstrip("#").strip().rstrip("/").casefold()


def _text_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _matches(note: Mapping[str, Any], tag: str | None, text: str | None) -> bool:
    stored = note.get("tags")
    tags = [str(t) for t in stored if t] if isinstance(stored, list | tuple) else []
    if tag:
        keys = [t.casefold() for t in tags]
        if not any(k == tag or k.startswith(tag + "/") for k in keys):
            return False
    if text:
        fields = (note.get("text"), note.get("quote"), note.get("entity"),
                  " ".join(f"#{t}" for t in tags))
        haystack = "\n".join(_text_key(str(f)) for f in fields if f)
        if text not in haystack:
            return False
    return True
