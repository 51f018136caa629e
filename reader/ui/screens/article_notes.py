"""The full-width notes view (`f` in the notes panel): every note of the article whole.

Each note (a :class:`~reader.ui.note_cards.NoteCard` drawn in full): its quote and its
text wrapped to the width, its tags, state, colour and the day it was written. Enter
returns the note (the article goes to its passage), escape closes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.notes import PlacedNote
from reader.ui.lists import list_bindings
from reader.ui.note_cards import NoteCard


class FullNoteList(OptionList, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = list_bindings("article_notes")


class ArticleNotesScreen(ModalScreen[PlacedNote | None]):
    """Every note of one article, in full; returns the note chosen (None: closed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="article_notes.close"),
    ]

    def __init__(self, title: str, placed: list[PlacedNote], *,
                 highlighted: PlacedNote | None = None,
                 tag_colours: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.placed = placed
        self.highlighted = highlighted
        self.tag_colours = dict(tag_colours or {})

    def compose(self) -> ComposeResult:
        n = len(self.placed)
        yield Static(Text(f"Notes on {self.title_text} ({n})", style="bold",
                          no_wrap=True, overflow="ellipsis"), id="article-notes-title")
        options: list[Option | None] = []
        for i, p in enumerate(self.placed):
            options += [Option(NoteCard(p, full=True, tag_colours=self.tag_colours),
                               id=f"n{i}"), None]
        if not options:
            options = [Option("no notes yet", disabled=True)]
        yield FullNoteList(*options[:-1] if len(options) > 1 else options,
                           id="article-notes")
        yield Static("enter: go to the passage   escape: close", id="article-notes-help")

    def on_mount(self) -> None:
        found = self.query_one(FullNoteList)
        if self.highlighted in self.placed:
            found.highlighted = self.placed.index(self.highlighted)  # type: ignore[arg-type]
        self.set_focus(found)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.dismiss(self.placed[int(event.option.id[1:])])

    def action_close(self) -> None:
        self.dismiss(None)
