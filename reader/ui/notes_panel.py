"""The notes panel (`m`): this article's notes in reading order.

Each row (a :class:`~reader.ui.note_cards.NoteCard`): a line of the quoted passage (or
the entity), up to three lines of the note's text, its tags and its state when it is not
plainly anchored. Enter jumps to the passage, `e` edits, `d` deletes (`u` undoes, on the
screen), `f` opens the full-width view of every note.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.notes import PlacedNote
from reader.ui.lists import list_bindings
from reader.ui.note_cards import NoteCard

#: What a note was picked for: go to its passage, edit it, delete it.
NoteAction = Literal["go", "edit", "delete"]


class NoteList(OptionList, inherit_bindings=False):
    # The list keys, but Enter is shown in the key bar and keeps its own id.
    BINDINGS: ClassVar[list[BindingType]] = [
        *(b for b in list_bindings("notes") if isinstance(b, Binding) and b.key != "enter"),
        Binding("enter", "select", "Go to", tooltip="Go to the note's passage", id="notes.go"),
    ]


class NotesPanel(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", tooltip="Edit the highlighted note", id="notes.edit"),
        Binding("d", "delete", "Delete", tooltip="Delete the highlighted note (u undoes)",
                id="notes.delete"),
        Binding("f", "full_view", "Full view",
                tooltip="Every note of the article, quote and text in full", id="notes.full"),
    ]

    class Chosen(Message):
        """A note was picked for ``action``: "go", "edit" or "delete"."""

        def __init__(self, placed: PlacedNote, action: NoteAction) -> None:
            super().__init__()
            self.placed = placed
            self.action = action

    class FullView(Message):
        """The full-width view of every note was asked for (on ``highlighted``)."""

        def __init__(self, highlighted: PlacedNote | None) -> None:
            super().__init__()
            self.highlighted = highlighted

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.placed: list[PlacedNote] = []

    def compose(self) -> ComposeResult:
        yield Static("Notes", id="notes-title")
        yield NoteList(id="notes")

    @property
    def option_list(self) -> NoteList:
        return self.query_one(NoteList)

    def set_notes(self, placed: list[PlacedNote],
                  tag_colours: Mapping[str, str] | None = None) -> None:
        """List ``placed``; ``tag_colours``: the settings' tag -> highlight colour."""
        keep = self.current.note["id"] if self.current else None
        self.placed = placed
        ol = self.option_list
        ol.clear_options()
        self.query_one("#notes-title", Static).update(
            Text(f"Notes ({len(placed)})", style="bold"))
        if not placed:
            ol.add_option(Option("no notes yet: a writes one on the cursor's sentence",
                                 disabled=True))
            return
        colours = dict(tag_colours or {})
        options: list[Option | None] = []
        for i, p in enumerate(placed):
            # (None: a rule between two notes, which are several lines each)
            options += [Option(NoteCard(p, tag_colours=colours), id=f"n{i}"), None]
        ol.add_options(options[:-1])
        index = next((i for i, p in enumerate(placed) if p.note["id"] == keep), 0)
        ol.highlighted = index

    @property
    def current(self) -> PlacedNote | None:
        ol = self.option_list
        if not self.placed or ol.highlighted is None:
            return None
        option = ol.get_option_at_index(ol.highlighted)
        if not option.id:
            return None
        return self.placed[int(option.id[1:])]

    @on(OptionList.OptionSelected, "#notes")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.current is not None:
            self.post_message(self.Chosen(self.current, "go"))

    def action_edit(self) -> None:
        if self.current is not None:
            self.post_message(self.Chosen(self.current, "edit"))

    def action_full_view(self) -> None:
        self.post_message(self.FullView(self.current))

    def action_delete(self) -> None:
        if self.current is not None:
            self.post_message(self.Chosen(self.current, "delete"))
