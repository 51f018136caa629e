"""`t`: the headings or chapters of the article; Enter jumps to one."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.ui.lists import KeyList


class TocScreen(ModalScreen[int | None]):
    """The contents; returns the chosen heading's block index, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,t", "cancel", "Close", id="toc.close"),
    ]

    def __init__(self, entries: list[tuple[int, str, int]]) -> None:
        super().__init__()
        self.entries = entries  # (block index, heading text, level)

    def compose(self) -> ComposeResult:
        options = [Option(("  " * max(0, level - 1)) + text, id=str(bi))
                   for bi, text, level in self.entries]
        with Vertical(id="dialog"):
            yield Static("[b]Contents[/b]  (Enter jumps, escape closes)")
            yield KeyList(*options, id="toc")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
