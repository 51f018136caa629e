"""A list of fixed-height rows drawn with the Line API: only the visible rows are made.

``OptionList`` measures and renders every option when they are added (slow for a
thousand two-line library rows: bench/run.py measures ``library_open_ms``);
this list asks for a row's text only when the row comes into view, so it opens at the same
speed with ten rows or ten thousand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.ui.lists import list_bindings


def text_line(text: str, style: str = "") -> Text:
    """One line of a row. (The style goes on a span: a ``Text``'s own base style is not
    in the segments that ``Text.render`` gives.)"""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(text, style=style)
    return line


#: Draws item ``index`` at ``width`` columns as its lines (no wrapping; at most the
#: list's row height).
RowPainter = Callable[[int, int], list[Text]]


class RowList(ScrollView, can_focus=True):
    """Items of ``row_height`` lines each; j/k and the arrows move a highlighted row."""

    BINDINGS: ClassVar[list[BindingType]] = list_bindings("rows")
    COMPONENT_CLASSES: ClassVar[set[str]] = {"rowlist--highlighted", "rowlist--empty"}
    DEFAULT_CSS = """
    RowList { height: 1fr; overflow-x: hidden; }
    RowList > .rowlist--highlighted {
        background: $block-cursor-blurred-background; text-style: bold;
    }
    RowList:focus > .rowlist--highlighted {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: bold;
    }
    RowList > .rowlist--empty { color: $text-muted; }
    """

    class Selected(Message):
        """Enter (or a click) on item ``index``."""

        def __init__(self, rows: RowList, index: int) -> None:
            super().__init__()
            self.rows = rows
            self.index = index

        @property
        def control(self) -> RowList:
            return self.rows

    def __init__(self, painter: RowPainter, *, row_height: int = 2, empty: str = "",
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.painter = painter
        self.row_height = row_height
        self.count = 0
        self.highlighted: int | None = None
        self.empty = empty
        """What the list says when it has no items."""
        self._cache: LRUCache[tuple[int, int], list[Strip]] = LRUCache(256)
        self._chosen_by_click = False

    # ------------------------------------------------------------------ content

    def set_count(self, count: int, highlighted: int | None = 0, empty: str | None = None
                  ) -> None:
        """Show ``count`` items (their text is asked of the painter as they come into view)."""
        self.count = count
        if empty is not None:
            self.empty = empty
        self.highlighted = None if count == 0 else min(max(0, highlighted or 0), count - 1)
        self._cache.clear()
        self.virtual_size = Size(self.size.width, max(1, count * self.row_height))
        self._show_highlighted()  # the kept row stays where it was when it is in view
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()  # a new theme: rows drawn with the old colours are stale

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self.virtual_size = Size(event.size.width, max(1, self.count * self.row_height))
        self._show_highlighted()

    # ------------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width or self.size.width
        line = scroll_y + y
        base = self.rich_style
        if self.count == 0:
            if line == 0 and self.empty:
                style = base + self.get_component_rich_style("rowlist--empty", partial=True)
                return Strip([Segment(" " + self.empty, style)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        index, part = divmod(line, self.row_height)
        if index >= self.count:
            return Strip.blank(width, base)
        strip = self._strips(index, width)[part]
        if index == self.highlighted:
            style = self.get_component_rich_style("rowlist--highlighted", partial=True)
            # After the row's own styles, so the highlight's background wins over theirs.
            strip = Strip(list(Segment.apply_style(iter(strip), post_style=style)),
                          strip.cell_length)
        return strip

    def _strips(self, index: int, width: int) -> list[Strip]:
        key = (index, width)
        strips = self._cache.get(key)
        if strips is None:
            base = self.rich_style
            console = self.app.console
            lines = self.painter(index, width)[: self.row_height]
            strips = []
            for text in lines:
                segments = list(text.render(console, end=""))
                strips.append(Strip(segments).apply_style(base).crop_extend(0, width, base))
            while len(strips) < self.row_height:
                strips.append(Strip.blank(width, base))
            self._cache[key] = strips
        return strips

    # ------------------------------------------------------------------ moving

    def _show_highlighted(self) -> None:
        if self.highlighted is None:
            return
        top = self.highlighted * self.row_height
        self.scroll_to_region(Region(0, top, 1, self.row_height), animate=False,
                              immediate=True)

    def move_to(self, index: int) -> None:
        if self.count == 0:
            return
        self.highlighted = min(max(0, index), self.count - 1)
        self._show_highlighted()
        self.refresh()

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // self.row_height - 1)

    def action_cursor_down(self) -> None:
        self.move_to((self.highlighted if self.highlighted is not None else -1) + 1)

    def action_cursor_up(self) -> None:
        self.move_to((self.highlighted or 0) - 1)

    def action_page_down(self) -> None:
        self.move_to((self.highlighted or 0) + self._page)

    def action_page_up(self) -> None:
        self.move_to((self.highlighted or 0) - self._page)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self.count - 1)

    def action_select(self) -> None:
        if self.highlighted is not None and self.count:
            self.post_message(self.Selected(self, self.highlighted))

    def on_click(self, event: events.Click) -> None:
        """A click highlights a row; a click on the highlighted row chooses it. The second
        click of a double click that already chose the row is ignored."""
        index = (int(self.scroll_offset.y) + event.y) // self.row_height
        if not 0 <= index < self.count:
            return
        if index != self.highlighted:
            self.move_to(index)
            self._chosen_by_click = False
            return
        if event.chain > 1 and self._chosen_by_click:
            return
        self._chosen_by_click = event.chain == 1
        self.post_message(self.Selected(self, index))
