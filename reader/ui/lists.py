"""Key bindings shared by the keyboard lists, whose letters are commands, never type-ahead."""

from __future__ import annotations

from textual.binding import Binding, BindingType


def list_bindings(prefix: str) -> list[BindingType]:
    """j/k, g/G and the page keys for a list; ids are ``<prefix>.down`` and so on, so each
    list's keys can be remapped on their own."""
    return [
        Binding("down,j", "cursor_down", "Down", show=False, id=f"{prefix}.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id=f"{prefix}.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id=f"{prefix}.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id=f"{prefix}.page_up"),
        Binding("home,g", "first", "First", show=False, id=f"{prefix}.first"),
        Binding("end,G", "last", "Last", show=False, id=f"{prefix}.last"),
        Binding("enter", "select", "Select", show=False, id=f"{prefix}.select"),
    ]
