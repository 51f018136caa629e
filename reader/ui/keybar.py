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

    def on_resize(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        entries: list[tuple[str, str, bool, bool]] = []
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            kept = binding.action in self.ALWAYS
            entries.append((self.app.get_key_display(binding), binding.description, enabled,
                            kept))
        self.update(self._line(self._fitted(entries, self.size.width - 2)))

    #: Kept when the bar is too narrow for every key: the way to every other key, and out.
    ALWAYS = frozenset({"help", "app.help", "quit_reader", "quit", "app.quit"})

    @staticmethod
    def _fitted(entries: list[tuple[str, str, bool, bool]],
                width: int) -> list[tuple[str, str, bool, bool]]:
        """The entries that fit in ``width`` columns: the last ones that are not
        :attr:`ALWAYS` go first, so help and quit stay in sight on a narrow terminal."""
        def length(items: list[tuple[str, str, bool, bool]]) -> int:
            return sum(len(k) + 1 + len(d) for k, d, _e, _a in items) + 2 * (len(items) - 1)

        fitted = list(entries)
        while width > 0 and length(fitted) > width:
            droppable = [i for i, entry in enumerate(fitted) if not entry[3]]
            if not droppable:
                break
            del fitted[droppable[-1]]
        return fitted

    @staticmethod
    def _line(entries: list[tuple[str, str, bool, bool]]) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, description, enabled, _always in entries:
            if text:
                text.append("  ")
            text.append(key, style="bold" if enabled else "bold dim")
            text.append(f" {description}", style="" if enabled else "dim")
        return text
