"""The note editor: a modal with the quoted passage, a multi-line editor and tags.

Typing starts at once (the editor has the focus). ``ctrl+s`` saves; ``escape`` cancels,
asking first when there is typed text. While it is open the text is kept as a draft in
the store (a second after typing stops), so a closed terminal or a crash brings it back.

Text that is not safely on disk, as a note or as a draft (the save failed: a full disk, a
read-only store), is never dropped without asking: the editor says so in a line of its
own, and escape or quit open :class:`UnsavedNoteScreen`, which says the text is nowhere
but this window and offers to retry the save, copy it, or write it to a file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from reader.notes import parse_tags_field
from reader.ui import timeouts
from reader.ui.screens.dialogs.confirm import ConfirmScreen
from reader.ui.screens.dialogs.unsaved_note import UnsavedAnswer, UnsavedNoteScreen

#: Seconds after the last keystroke before the draft is written.
DRAFT_DELAY = 1.0

#: Keeps the editor's text as a draft: ``(text, tags_text)`` -> None once it is on disk,
#: else a one-line reason why it is not.
DraftWriter = Callable[[str, str], "str | None"]


@dataclass
class NoteInput:
    """What the editor returns on save."""

    text: str
    tags: list[str]
    colour: str | None = None
    """The highlight colour chosen (one of ``reader.notes.NOTE_COLOURS``), or None."""


class NoteEditor(ModalScreen[NoteInput | None]):
    """Write or edit one note."""

    # On a short or narrow terminal (60x20, 80x24) the quote and the text box shrink, so
    # the tags field and the keys below them stay on screen (see the .-short rules).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not a priority binding: it must wait its turn behind the keys typed before it,
        # or a fast typist's last words would be missing from the saved note.
        Binding("ctrl+s", "save", "Save", tooltip="Save the note", id="note.save"),
        Binding("escape", "cancel", "Cancel",
                tooltip="Cancel (asks before discarding text typed)", id="note.cancel"),
        Binding("ctrl+o", "colour", "Colour",
                tooltip="Cycle the note's highlight colour (none, yellow, green, blue, pink, "
                "purple)", id="note.colour"),
    ]

    def __init__(self, quote: str, *, heading: str = "Note", text: str = "",
                 tags: list[str] | None = None, on_draft: DraftWriter | None = None,
                 unsaved: str | None = None, source: str = "",
                 colour: str | None = None) -> None:
        """``text`` and ``tags`` are on disk (a note being edited, a draft) unless
        ``unsaved`` says why they are not (a save that failed)."""
        super().__init__()
        self.quote = quote
        self.heading = heading
        self.initial_text = text
        self.initial_tags = " ".join(tags or [])
        self.on_draft = on_draft
        self.source = source
        self.colour = colour
        """The note's highlight colour (ctrl+o cycles through them), or None."""
        """The article the note is on (title and path), for a copy of unsaved text."""
        self.problem: str | None = unsaved
        """Why the text is not on disk (the last save or draft that failed), or None."""
        self._kept: tuple[str, str] | None = (
            None if unsaved else (self.initial_text, self.initial_tags))
        """The text and tags last known to be safely on disk (None: nothing yet)."""
        self._draft_timer: object | None = None
        self._typed_early = ""
        """Characters typed ahead while the editor was not yet composed."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.heading, id="note-heading")
            # At the top: on a small terminal the bottom of the dialog can be cut off.
            yield Static("", id="note-warning", markup=False)
            yield Static(self.quote, id="note-quote", markup=False)
            yield TextArea(self.initial_text, id="note-text", soft_wrap=True,
                           show_line_numbers=False, tab_behavior="focus")
            with Horizontal(id="note-tags-row"):
                yield Label("tags ")
                yield Input(self.initial_tags, placeholder="more tags, e.g. follow-up source",
                            id="note-tags")
                yield Static(self._colour_label(), id="note-colour", markup=False)
            yield Static("[b]ctrl+s[/b] save  [b]escape[/b] cancel  [b]ctrl+o[/b] colour  "
                         "#words: tags", id="note-help")

    def _colour_label(self) -> str:
        return f" colour: {self.colour or 'none'}"

    def action_colour(self) -> None:
        """ctrl+o: the next highlight colour (after the last: none)."""
        from reader.notes import next_colour

        self.colour = next_colour(self.colour)
        self.query_one("#note-colour", Static).update(self._colour_label())

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)
        self.set_focus(area)
        if self._typed_early:
            area.insert(self._typed_early)
            self._typed_early = ""
        if self._kept is None:  # a failed save's text: try to keep it as a draft at once
            self._write_draft()
        self._show_risk()

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
        """Changed since the editor opened, or not on disk."""
        return (self.text != self.initial_text or self.tags_text != self.initial_tags
                or self.at_risk)

    @property
    def at_risk(self) -> bool:
        """There is text that is neither a saved note nor a saved draft: closing the
        editor now would lose it."""
        current = (self.text, self.tags_text)
        return current != self._kept and bool(self.text.strip() or self.tags_text.strip())

    def _show_risk(self) -> None:
        found = self.query("#note-warning")
        if not found:
            return
        warning = found.first(Static)
        if self.problem and self.at_risk:
            warning.update(f"{self.problem} The text is only in this window: ctrl+s "
                           "tries to save it, escape offers to copy it or write it to a "
                           "file.")
            warning.display = True
        else:
            warning.display = False

    @on(TextArea.Changed)
    @on(Input.Changed, "#note-tags")
    def _changed(self) -> None:
        self._show_risk()
        if self.on_draft is None:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()  # type: ignore[attr-defined]
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._write_draft)

    def _write_draft(self) -> None:
        self._draft_timer = None
        current = (self.text, self.tags_text)
        if current == self._kept:
            return
        if self.on_draft is None:
            problem: str | None = "There is no notes file to keep a draft in."
        else:
            problem = self.on_draft(*current)
        if problem is None:
            self._kept = current
            self.problem = None
        else:
            self.problem = problem
        self._show_risk()

    def flush_draft(self) -> bool:
        """Write the draft now (before quitting); True when the text is then safe on disk
        (as a note or as a draft), or there is no text to lose."""
        if self._draft_timer is not None:
            self._draft_timer.stop()  # type: ignore[attr-defined]
        self._write_draft()
        return not self.at_risk

    def unsaved_text(self) -> str:
        """The note as the user would want it back: its text, tags and passage."""
        parts = [self.text.strip("\n")]
        if self.tags_text.strip():
            parts.append("tags: " + self.tags_text.strip())
        parts.append(f"{self.heading}: {self.quote}")
        if self.source:
            parts.append(f"in {self.source}")
        return "\n\n".join(parts) + "\n"

    def ask_unsaved(self, leave: Callable[[], None], *, quitting: bool,
                    copied: bool = False) -> None:
        """The text is at risk: ask what to do with it. ``leave`` runs once the user
        discards it or it is written to a file (close the editor, or quit)."""
        problem = self.problem or "The note has not been saved yet."

        def answered(answer: UnsavedAnswer | None) -> None:
            if answer == "retry":
                self.action_save()
            elif answer == "copy":
                self.app.copy_to_clipboard(self.unsaved_text())
                self.notify("the note was sent to the clipboard (OSC 52): paste it somewhere "
                            "safe before you discard it", timeout=timeouts.RESULT)
                self.ask_unsaved(leave, quitting=quitting, copied=True)
            elif answer == "write":
                self._ask_file(leave, quitting=quitting, copied=copied)
            elif answer == "discard":
                leave()

        self.app.push_screen(UnsavedNoteScreen(problem, quitting=quitting, copied=copied),
                             answered)

    def _ask_file(self, leave: Callable[[], None], *, quitting: bool, copied: bool) -> None:
        from reader.ui.screens.dialogs.text_prompt import TextPrompt

        default = f"~/reader-note-{time.strftime('%Y%m%d-%H%M%S')}.txt"

        def chosen(value: str | None) -> None:
            if not value:
                self.ask_unsaved(leave, quitting=quitting, copied=copied)
                return
            from reader.files import write_new_file

            target = Path(value).expanduser()
            try:
                write_new_file(target, self.unsaved_text())
            except FileExistsError:
                self.notify(f"{target} already exists: choose a new name", severity="error",
                            timeout=timeouts.PROBLEM, markup=False)
                self._ask_file(leave, quitting=quitting, copied=copied)
                return
            except OSError as exc:
                why = exc.strerror or str(exc)
                self.notify(f"{target} could not be written ({why}); the note is still "
                            "only in this window", severity="error",
                            timeout=timeouts.PROBLEM, markup=False)
                self.ask_unsaved(leave, quitting=quitting, copied=copied)
                return
            self._kept = (self.text, self.tags_text)
            self.problem = None
            self.notify(f"the note was written to {target}", timeout=timeouts.PROBLEM, markup=False)
            leave()

        self.app.push_screen(
            TextPrompt("Write the note to a new file (for example in your home folder or "
                       "/tmp):", default, "Enter writes the file, escape goes back"),
            chosen)

    def action_save(self) -> None:
        text = self.text.strip("\n")
        tags = parse_tags_field(self.tags_text)
        if not text.strip() and not tags:
            self.notify("the note is empty: type something, or escape to cancel",
                        severity="warning", timeout=timeouts.HINT)
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()  # type: ignore[attr-defined]
        self.dismiss(NoteInput(text, tags, self.colour))

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return
        if self.problem and self.at_risk:
            def close() -> None:
                self.dismiss(None)

            self.ask_unsaved(close, quitting=False)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                if self._draft_timer is not None:
                    self._draft_timer.stop()  # type: ignore[attr-defined]
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard the text you typed?"), answered)
