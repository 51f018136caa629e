"""`?`: every key of a screen, with the ids used to remap them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui.lists import KeyScroll


def bindings_table(title: str, bindings: Iterable[Binding]) -> Table:
    """One table of every binding of a screen, so clashes show."""
    table = Table(title=title, title_justify="left", expand=True, show_edge=False)
    table.add_column("keys", no_wrap=True)
    table.add_column("does")
    table.add_column("binding id", style="dim")
    for b in bindings:
        keys = ", ".join(k.strip() for k in b.key.split(","))
        table.add_row(keys, b.description or b.action, b.id or "")
    return table


class HelpScreen(ModalScreen[None]):
    """`?`: every key of the article screen, with the ids used to remap them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with KeyScroll(id="dialog"):
            for title, bindings in self.sections:
                yield Static(bindings_table(title, bindings))
            yield Static("Keys can be remapped by binding id in the config file "
                         "(`reader config` shows where). escape closes this help.")
