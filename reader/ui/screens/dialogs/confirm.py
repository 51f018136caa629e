"""A yes/no question."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool | None]):
    """`y` or Enter says yes (True), `n` says no (False), escape cancels (None).

    Escape is never an answer: where "no" still does something (this article only, not
    every article), escape must leave everything as it was.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
        Binding("escape", "answer(None)", "Cancel",
                tooltip="Cancel: nothing changes", id="confirm.cancel"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, markup=False)
            yield Static("[b]y[/b] yes    [b]n[/b] no    [b]escape[/b] cancel")

    def action_answer(self, yes: bool | None) -> None:
        self.dismiss(yes)
