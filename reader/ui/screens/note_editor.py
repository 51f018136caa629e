"""The note editor: a modal with the quoted passage, a multi-line editor and tags.

Typing starts at once (the editor has the focus). ``ctrl+s`` saves; ``escape`` cancels,
asking first when there is typed text. While it is open the text is kept as a draft in
the store (a second after typing stops), so a closed terminal or a crash brings it back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

#: Seconds after the last keystroke before the draft is written.
DRAFT_DELAY = 1.0


@dataclass
class NoteInput:
    """What the editor returns on save."""

    text: str
    tags: list[str]


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; `y` or Enter says yes, `n` or escape says no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, markup=False)
            yield Static("[b]y[/b] yes    [b]n[/b] no (escape)")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class NoteEditor(ModalScreen[NoteInput | None]):
    """Write or edit one note."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not a priority binding: it must wait its turn behind the keys typed before it,
        # or a fast typist's last words would be missing from the saved note.
        Binding("ctrl+s", "save", "Save", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, quote: str, *, heading: str = "Note", text: str = "",
                 tags: list[str] | None = None,
                 on_draft: Callable[[str, str], None] | None = None) -> None:
        super().__init__()
        self.quote = quote
        self.heading = heading
        self.initial_text = text
        self.initial_tags = " ".join(tags or [])
        self.on_draft = on_draft
        self._draft_timer: object | None = None
        self._typed_early = ""
        """Characters typed ahead while the editor was not yet composed."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.heading, id="note-heading")
            yield Static(self.quote, id="note-quote", markup=False)
            yield TextArea(self.initial_text, id="note-text", soft_wrap=True,
                           show_line_numbers=False, tab_behavior="focus")
            with Horizontal(id="note-tags-row"):
                yield Label("tags ")
                yield Input(self.initial_tags, placeholder="more tags, e.g. follow-up source",
                            id="note-tags")
            yield Static("[b]ctrl+s[/b] save   [b]escape[/b] cancel   "
                         "#words in the note become tags", id="note-help")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)
        self.set_focus(area)
        if self._typed_early:
            area.insert(self._typed_early)
            self._typed_early = ""

    def type_ahead(self, text: str) -> None:
        """Insert characters typed before the editor was on screen (kept until it is
        composed, when they come sooner)."""
        areas = self.query(TextArea)
        if areas:
            areas.first().insert(text)
        else:
            self._typed_early += text

    def on_key(self, event: events.Key) -> None:
        # Keys typed right after `a`, before the editor had the focus, reach the screen
        # itself: they belong in the note, not on the floor.
        if self.focused is None and event.is_printable and event.character:
            area = self.query_one(TextArea)
            area.insert(event.character)
            self.set_focus(area)
            event.stop()

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @property
    def tags_text(self) -> str:
        return self.query_one("#note-tags", Input).value

    @property
    def dirty(self) -> bool:
        return self.text != self.initial_text or self.tags_text != self.initial_tags

    @on(TextArea.Changed)
    @on(Input.Changed, "#note-tags")
    def _changed(self) -> None:
        if self.on_draft is None:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()  # type: ignore[attr-defined]
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._write_draft)

    def _write_draft(self) -> None:
        self._draft_timer = None
        if self.on_draft is not None and self.dirty:
            self.on_draft(self.text, self.tags_text)

    def flush_draft(self) -> None:
        """Write the draft now (before quitting)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()  # type: ignore[attr-defined]
        self._write_draft()

    def action_save(self) -> None:
        text = self.text.strip("\n")
        tags = [t.lstrip("#") for t in self.tags_text.replace(",", " ").split() if t.strip("#")]
        if not text.strip() and not tags:
            self.notify("the note is empty: type something, or escape to cancel",
                        severity="warning", timeout=3)
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()  # type: ignore[attr-defined]
        self.dismiss(NoteInput(text, tags))

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                if self._draft_timer is not None:
                    self._draft_timer.stop()  # type: ignore[attr-defined]
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard the text you typed?"), answered)
