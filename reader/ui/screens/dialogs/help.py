"""`?`: every key of every place, one section after another, as a manual reads.

The sections come from :mod:`reader.ui.key_reference`, the source docs/keys.md is
written from too."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui.key_reference import Section, sections
from reader.ui.lists import KeyScroll

#: The width of the keys column; longer lists of keys wrap between keys.
KEYS_WIDTH = 14


def section_table(section: Section) -> Group:
    """A section: its heading, then a row per key: the keys as typed, what they do and
    (dimmed) the binding id that remaps them."""
    table = Table(box=None, show_header=False, expand=True, pad_edge=False,
                  padding=(0, 1, 0, 0))
    table.add_column("keys", style="bold", width=KEYS_WIDTH)
    table.add_column("does", ratio=1)
    for row in section.rows:
        does = Text(row.does)
        does.append(f"  {row.binding_id}", style="dim")
        table.add_row(", ".join(row.keys), does)
    return Group(Text(section.title, style="bold underline"), table, Text(""))


class HelpScreen(ModalScreen[None]):
    """`?`: every key of every place, with the ids used to remap them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close",
                tooltip="Close this help", id="help.close"),
    ]

    def __init__(self, shown: Sequence[Section] | None = None, *,
                 first: Sequence[str] = ()) -> None:
        """``shown`` defaults to every place's sections (``first`` names the places
        shown first: the screen's own)."""
        super().__init__()
        self.sections = list(sections(first) if shown is None else shown)

    def compose(self) -> ComposeResult:
        with KeyScroll(id="dialog"):
            yield Static(Text.assemble(
                "Every key, place by place (", ("j k space b", "bold"), " scroll, ",
                ("escape", "bold"), " closes). Dimmed after each: the binding id that "
                "remaps it.\n"))
            for section in self.sections:
                yield Static(section_table(section))
            yield Static("Keys are remapped by binding id in the settings file "
                         "(`reader config` shows where).")
