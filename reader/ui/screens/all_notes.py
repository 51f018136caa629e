"""Every note in the notes file, searchable by text or #tag; Enter opens its article."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.ui.access import reader_app
from reader.ui.lists import FilterBox, list_bindings
from reader.ui.rows import RowList, text_line
from reader.ui.widths import ALL_NOTES_QUOTE

if TYPE_CHECKING:
    from reader.store import Store


class NoteRows(RowList, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = list_bindings("all_notes")


def split_query(query: str) -> tuple[str | None, str | None]:
    """``#tag words`` → (tag, words): a leading ``#word`` is a tag, the rest is text."""
    words = query.split()
    tag = next((w for w in words if w.startswith("#") and len(w) > 1), None)
    text = " ".join(w for w in words if w != tag).strip()
    return (tag[1:] if tag else None), (text or None)


def note_label(note: dict[str, Any], width: int) -> list[Text]:
    """The note's text on one line, then its article, tags and passage, dimmed."""
    body = " ".join(str(note.get("text") or "").split()) or "(empty note)"
    label = Text(" " + body, no_wrap=True, overflow="ellipsis")
    ref = note.get("article") if isinstance(note.get("article"), dict) else {}
    assert isinstance(ref, dict)
    facts = [str(ref.get("title") or Path(str(ref.get("path") or "?")).name)]
    tags = note.get("tags") or []
    if tags:
        facts.append(" ".join(f"#{t}" for t in tags))
    if note.get("entity"):
        facts.append(f"about {note['entity']}")
    elif note.get("quote"):
        facts.append("“" + " ".join(str(note["quote"]).split())[:ALL_NOTES_QUOTE] + "”")
    return [label, text_line("   " + " · ".join(facts), "dim")]


class AllNotesScreen(ModalScreen[None]):
    """`n` in the library: all notes, newest first; type words or ``#tag`` to narrow."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="all_notes.close"),
        Binding("slash", "search", "Search", key_display="/", id="all_notes.search"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.notes: list[dict[str, Any]] = []
        self._shown: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("All notes  (type words or #tag; Enter opens; escape closes)",
                         markup=False)
            yield FilterBox(list_id="all-notes", placeholder="search notes: words, #tag",
                            id="notes-search")
            yield NoteRows(lambda i, width: note_label(self._shown[i], width), id="all-notes")

    def on_mount(self) -> None:
        notes = self.store.notes()
        notes.sort(key=lambda n: str(n.get("updated") or n.get("created") or ""), reverse=True)
        self.notes = notes
        self._fill("")
        self.set_focus(self.query_one(Input))

    def _fill(self, query: str) -> None:
        from reader.notes import filter_notes

        tag, text = split_query(query)
        shown = filter_notes(self.notes, text=text) if text else self.notes
        if tag:
            # As you type: "#fol" already finds #followup (the command line's --tag is exact).
            prefix = tag.casefold().lstrip("#")
            shown = [n for n in shown
                     if any(str(t).casefold().startswith(prefix) for t in n.get("tags") or ())]
        self._shown = [dict(n) for n in shown]
        self.query_one(NoteRows).set_count(
            len(self._shown), empty="no notes match" if query.strip() else "no notes yet")

    @on(Input.Changed, "#notes-search")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    @on(Input.Submitted, "#notes-search")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box opens the first note shown."""
        event.stop()
        if self._shown:
            self.set_focus(self.query_one(NoteRows))
            self._open(0)

    def action_search(self) -> None:
        self.set_focus(self.query_one(Input))

    @on(RowList.Selected, "#all-notes")
    def _chosen(self, event: RowList.Selected) -> None:
        event.stop()
        self._open(event.index)

    def _open(self, index: int) -> None:
        if index >= len(self._shown):
            return
        app = reader_app(self)
        if app is not None and app.open_note(self._shown[index]):
            self.dismiss(None)
        else:
            self.notify("this note does not say which file it belongs to", severity="warning")

    def action_close(self) -> None:
        self.dismiss(None)
