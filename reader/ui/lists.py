"""The keys every keyboard list answers to (less and vim's), one list widget for the
dialogs, and the filter box above a list. In a list, letters are commands, never
type-ahead: typing goes to the filter box."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList


def list_bindings(prefix: str) -> list[BindingType]:
    """j/k, g/G, space/b and the arrow and page keys for a list; ids are ``<prefix>.down``
    and so on, so each list's keys can be remapped on their own."""
    return [
        Binding("down,j", "cursor_down", "Down", show=False, id=f"{prefix}.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id=f"{prefix}.up"),
        Binding("pagedown,space", "page_down", "Page down", show=False,
                id=f"{prefix}.page_down"),
        Binding("pageup,b", "page_up", "Page up", show=False, id=f"{prefix}.page_up"),
        Binding("home,g", "first", "First", show=False, id=f"{prefix}.first"),
        Binding("end,G", "last", "Last", show=False, id=f"{prefix}.last"),
        Binding("enter", "select", "Select", show=False, id=f"{prefix}.select"),
    ]


class KeyList(OptionList, inherit_bindings=False):
    """An option list with the list keys (the dialogs' lists: contents, choices)."""

    BINDINGS: ClassVar[list[BindingType]] = list_bindings("list")


class KeyScroll(VerticalScroll):
    """A scrolling page of text with the list keys (help)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False, id="scroll.down"),
        Binding("k", "scroll_up", "Up", show=False, id="scroll.up"),
        Binding("space", "page_down", "Page down", show=False, id="scroll.page_down"),
        Binding("b", "page_up", "Page up", show=False, id="scroll.page_up"),
        Binding("g", "scroll_home", "First", show=False, id="scroll.first"),
        Binding("G", "scroll_end", "Last", show=False, id="scroll.last"),
    ]


class FilterBox(Input):
    """The box that narrows a list: Down goes to the list (Enter is the screen's: it
    opens the first match)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_list", "To the list", show=False, id="filter.to_list"),
    ]

    def __init__(self, *, list_id: str, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self.list_id = list_id
        """The id of the list this box narrows."""

    def action_to_list(self) -> None:
        self.screen.set_focus(self.screen.query_one(f"#{self.list_id}"))
