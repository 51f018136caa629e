"""Asks for one line of text, e.g. a file path."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

if TYPE_CHECKING:
    from textual.suggester import Suggester


class TextPrompt(ModalScreen[str | None]):
    """Returns the text typed (stripped; None when empty), or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel",
                tooltip="Cancel: nothing is done", id="prompt.cancel"),
    ]

    def __init__(self, title: str, value: str, hint: str = "Enter accepts, escape cancels",
                 suggester: Suggester | None = None):
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint
        self.suggester = suggester

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, markup=False)
            yield Input(self.value, id="path", suggester=self.suggester)
            yield Static(self.hint, classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = self.query_one(Input).value.strip()
        self.dismiss(value or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
