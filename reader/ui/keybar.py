"""A one-line key bar: the footer's job in one widget.

Textual's ``Footer`` makes a widget per key and recomposes on every focus change; on a
slow machine that is a noticeable part of the first paint. This bar draws the same
information (the shown bindings of the focused widget, its screen and the app) as one
line of text, and stays readable without colour (keys bold, descriptions plain).
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { height: 1; dock: bottom; background: $footer-background; color: $footer-foreground;
             padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._redraw)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self._redraw()

    def _redraw(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            if text:
                text.append("  ")
            style = "bold" if enabled else "bold dim"
            text.append(self.app.get_key_display(binding), style=style)
            text.append(f" {binding.description}", style="" if enabled else "dim")
        self.update(text)
