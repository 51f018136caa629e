"""The note is not on disk: say where it is, and what can be done about it."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

#: What the reader chose to do with a note that is on disk nowhere.
UnsavedAnswer = Literal["retry", "copy", "write", "discard"]


class UnsavedNoteScreen(ModalScreen[UnsavedAnswer | None]):
    """Returns the reader's choice, or None (escape: back to the note)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "answer('retry')", "Try to save again", id="unsaved.retry"),
        Binding("c", "answer('copy')", "Copy to the clipboard", id="unsaved.copy"),
        Binding("w", "answer('write')", "Write to a file", id="unsaved.write"),
        Binding("d", "answer('discard')", "Discard", id="unsaved.discard"),
        Binding("escape", "answer(None)", "Back to the note", id="unsaved.back"),
    ]

    def __init__(self, problem: str, *, quitting: bool, copied: bool = False) -> None:
        super().__init__()
        self.problem = problem
        self.quitting = quitting
        self.copied = copied

    def compose(self) -> ComposeResult:
        where = "only in this window"
        if self.copied:
            where += " (and sent to the clipboard, if the terminal accepts that)"
        lose = "quit and lose the note" if self.quitting else "discard the note"
        with Vertical(id="dialog"):
            yield Static("This note is not saved", id="unsaved-title")
            yield Static(f"{self.problem}\nNo draft could be kept either: the text is "
                         f"{where}.", id="unsaved-where", markup=False)
            yield Static("[b]r[/b] try to save it again\n"
                         "[b]c[/b] copy it to the clipboard\n"
                         "[b]w[/b] write it to a file you name\n"
                         f"[b]d[/b] {lose}\n"
                         "[b]escape[/b] back to the note", id="unsaved-keys")

    def action_answer(self, answer: UnsavedAnswer | None) -> None:
        self.dismiss(answer)
