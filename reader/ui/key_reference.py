"""The key reference: every key of every place, read from the classes' ``BINDINGS``.

One source for the help screen (``?``) and docs/keys.md (written by
``tools/keys_doc.py``). A place names the classes whose keys work there; each binding
gives one row (the keys as typed, what it does, its id). What a binding does is its
``tooltip`` when it has one (a longer text than the footer's), else its
``description``. Keys that are Textual's own (focus moves, typing in a box) have no
binding of ours: they are declared once here, in :data:`EXTRA_ROWS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textual.binding import Binding, BindingType

from reader.ui.key_names import shown, shown_keys

__all__ = ["TEXTUAL", "Row", "Section", "binding_rows", "sections"]

#: What the id column says for a key that is Textual's own (not remapped by id).
TEXTUAL = "(Textual)"


@dataclass(frozen=True)
class Row:
    keys: tuple[str, ...]
    """The keys as typed (``/``, ``PgDn``, ``ctrl+s``)."""
    does: str
    binding_id: str
    """The id the settings file remaps it by, or :data:`TEXTUAL`."""


@dataclass(frozen=True)
class Section:
    key: str
    """A short name for the place (``page``, ``library``)."""
    title: str
    rows: tuple[Row, ...]


def extra(keys: str, does: str) -> Row:
    return Row(tuple(shown(k) for k in keys.split()), does, TEXTUAL)


#: Keys Textual answers to itself, by place (appended after the place's bindings).
EXTRA_ROWS: dict[str, tuple[Row, ...]] = {
    "article": (
        extra("tab shift+tab", "Move the focus between the page, the entity panel and "
                               "the notes panel"),
    ),
    "editor": (
        extra("tab shift+tab", "Move between the note's text and its tags field"),
    ),
    "filter": (
        extra("enter", "Open (or pick) the first match"),
        extra("tab shift+tab", "Move between the box and its list"),
    ),
    "prompts": (
        extra("enter", "Accept the text typed"),
        extra("right", "Complete the path suggested"),
    ),
    "help": (
        extra("down up pagedown pageup home end", "Scroll"),
    ),
    "everywhere": (
        extra("ctrl+c", "Copy the text selected with the mouse"),
    ),
}


def does(binding: Binding) -> str:
    """What a binding does, as a sentence of the manual."""
    return binding.tooltip or binding.description or binding.action


def binding_rows(bindings: Iterable[BindingType]) -> list[Row]:
    """A row per binding (its keys together), in the order they are declared."""
    rows = []
    for b in bindings:
        binding = b if isinstance(b, Binding) else Binding(*b)
        rows.append(Row(shown_keys(binding.key), does(binding), binding.id or TEXTUAL))
    return rows


def places() -> list[tuple[str, str, tuple[type, ...]]]:
    """(key, title, classes) of each place, in the order the manual reads."""
    from reader.ui.app import ReaderApp
    from reader.ui.article_view import ArticleView
    from reader.ui.entity_panel import EntityList, EntityPanel
    from reader.ui.lists import FilterBox, KeyList, KeyScroll
    from reader.ui.notes_panel import NoteList, NotesPanel
    from reader.ui.screens.all_notes import AllNotesScreen, NoteRows
    from reader.ui.screens.article import ArticleScreen
    from reader.ui.screens.article_notes import ArticleNotesScreen, FullNoteList
    from reader.ui.screens.dialogs.choice import ChoiceScreen
    from reader.ui.screens.dialogs.confirm import ConfirmScreen
    from reader.ui.screens.dialogs.help import HelpScreen
    from reader.ui.screens.dialogs.text_prompt import TextPrompt
    from reader.ui.screens.dialogs.toc import TocScreen
    from reader.ui.screens.dialogs.unsaved_note import UnsavedNoteScreen
    from reader.ui.screens.library import LibraryList, LibraryScreen
    from reader.ui.screens.note_editor import NoteEditor

    return [
        ("page", "Reading the page", (ArticleView,)),
        ("article", "The article", (ArticleScreen,)),
        ("panel", "The entity panel", (EntityList, EntityPanel)),
        ("notes", "The notes panel (m)", (NoteList, NotesPanel)),
        ("full_notes", "Every note in full (f in the notes panel)", (FullNoteList,
                                                                      ArticleNotesScreen)),
        ("editor", "The note editor (a)", (NoteEditor,)),
        ("lists", "Lists: contents (t), relabel and merge choices", (KeyList, TocScreen,
                                                                     ChoiceScreen)),
        ("filter", "Filter boxes above a list", (FilterBox,)),
        ("prompts", "Questions and prompts", (ConfirmScreen, TextPrompt, UnsavedNoteScreen)),
        ("help", "This help (?)", (KeyScroll, HelpScreen)),
        ("library", "The library", (LibraryList, LibraryScreen)),
        ("all_notes", "All notes (n in the library)", (NoteRows, AllNotesScreen)),
        ("everywhere", "Everywhere", (ReaderApp,)),
    ]


def sections(first: Sequence[str] = ()) -> list[Section]:
    """Every place's keys; the places named in ``first`` come first, in that order."""
    found = []
    for key, title, classes in places():
        rows = [row for cls in classes for row in binding_rows(cls.__dict__.get("BINDINGS", ()))]
        found.append(Section(key, title, (*rows, *EXTRA_ROWS.get(key, ()))))
    rank = {key: i for i, key in enumerate(first)}
    return sorted(found, key=lambda s: rank.get(s.key, len(rank)))
