"""The page: a virtualised article view on Textual's Line API.

Only the lines on screen are styled and drawn, so a 3 MB book costs the same per frame as
a 10 KB article. The reading position is a source offset, never a row: resizing re-wraps
and lands on the same sentence.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from reader.document import Article
from reader.layout import (
    BLANK,
    FOLD,
    MAX_MEASURE,
    RULE,
    Layout,
    folded,
    indent_of,
    layout,
    line_for_offset,
    measure_for,
    offset_for_line,
)
from reader.ui import timeouts
from reader.ui.article_view.layers import Match, Span
from reader.ui.article_view.styles import StyledView


class PageView(StyledView):
    """Lays out, scrolls, searches and draws an :class:`Article`, wrapped to a readable
    measure and centred (the reading cursor and selection: :class:`ArticleView`)."""

    class Moved(Message):
        """The reading position changed (posted at most once per frame)."""

        def __init__(self, view: PageView) -> None:
            super().__init__()
            self.view = view

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, PageView.Moved)

    class Painted(Message):
        """The page rendered its lines for the first time. That render may belong to a
        frame Textual drops while the app starts up; what should wait for the first frame
        on screen waits for the next refresh after this (a ``call_after_refresh`` made
        while the screen mounts can run before any frame is composed)."""

    class Paged(Message):
        """A key showed a new page (space, b, g, G and their aliases): what the reader
        looks at now is its first sentence."""

    class Clicked(Message):
        """The reader clicked the text at source ``offset``."""

        def __init__(self, offset: int) -> None:
            super().__init__()
            self.offset = offset

    def __init__(self, article: Article, *, offset: int = 0, id: str | None = None,
                 text_width: int = MAX_MEASURE) -> None:
        super().__init__(id=id)
        self.article = article
        self.text_width = text_width
        """The widest the text column gets (the settings' ``text_width``)."""
        self.search_problem: str | None = None
        """Why the last search was taken as plain text (an invalid regular expression)."""
        self._layout: Layout | None = None
        self._pending_offset: int | None = offset
        self._cache: LRUCache[tuple[int, int], Strip] = LRUCache(512)
        self._decorations: dict[str, dict[int, list[Span]]] = {}
        # Marks drawn in the left margin, by layer: block -> [(start, end, mark)].
        self._gutter: dict[str, dict[int, list[Span]]] = {}
        self._matches: list[Match] = []
        self._current_match = -1
        self._painted = False
        self.unfolded = False
        """Whether an e-text's header and licence are shown (`z`), not one folded line."""


    # ------------------------------------------------------------------ layout

    @property
    def layout_lines(self) -> Layout:
        if self._layout is None:
            self._relayout()
        assert self._layout is not None
        return self._layout

    def _relayout(self, *, force: bool = False) -> None:
        width = self.scrollable_content_region.width or self.size.width or 80
        measure = measure_for(width, self.text_width)
        if self._layout is not None and self._layout.measure == measure and not force:
            return
        keep = self._pending_offset
        if keep is None and self._layout is not None:
            keep = self.top_offset
        self._layout = layout(self.article, measure, unfold=self.unfolded)
        self._cache.clear()
        self.virtual_size = Size(width, len(self._layout))
        if keep is not None:
            self._pending_offset = keep

    def on_resize(self) -> None:
        if self._layout is not None and self._pending_offset is None:
            self._pending_offset = self.top_offset
        self._relayout()
        width = self.scrollable_content_region.width or self.size.width
        self.virtual_size = Size(width, len(self.layout_lines))
        self._cache.clear()
        if self._pending_offset is not None:
            offset, self._pending_offset = self._pending_offset, None
            self.go_to_offset(offset)
            target = line_for_offset(self.article, self.layout_lines, offset)
            if round(self.scroll_y) != target:
                # The first resize can come before the scrollable size is known, which
                # clamps the scroll; try once more after the refresh unless the reader has
                # moved meanwhile.
                where = self.scroll_y
                self.call_after_refresh(self._restore, target, where)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache.clear()
        self._cache.clear()

    # ------------------------------------------------------------------ position

    @property
    def top_offset(self) -> int:
        """Source offset of the first character on the top line: the reading position."""
        if self._layout is None:
            return self._pending_offset or 0
        return offset_for_line(self.article, self._layout, round(self.scroll_y))

    @property
    def percent(self) -> int:
        if self.max_scroll_y <= 0:
            return 100
        return min(100, round(100 * self.scroll_y / self.max_scroll_y))

    def go_to_offset(self, offset: int, center: bool = False) -> None:
        """Scroll so the line holding source ``offset`` is at the top (or a third down)."""
        y = line_for_offset(self.article, self.layout_lines, offset)
        if center:
            y = max(0, y - self.size.height // 3)
        self.scroll_to(y=y, animate=False, immediate=True)

    def _restore(self, target: int, where: float) -> None:
        if self.scroll_y == where:
            self.scroll_to(y=target, animate=False, immediate=True)

    def ensure_visible(self, line: int) -> None:
        top = round(self.scroll_y)
        if not top <= line < top + self.size.height:
            self.scroll_to(y=max(0, line - self.size.height // 3), animate=False, immediate=True)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.post_message(self.Moved(self))

    def offset_at(self, x: int, y: int) -> int | None:
        """Source offset of the character at widget cell (x, y), if it is text."""
        lay = self.layout_lines
        line = round(self.scroll_y) + y
        if not 0 <= line < len(lay) or lay.block[line] < 0:
            return None
        block = self.article.blocks[lay.block[line]]
        width = self.scrollable_content_region.width or self.size.width
        col = x - max(0, (width - lay.measure) // 2) - indent_of(block)
        start, end = lay.start[line], lay.end[line]
        if not 0 <= col < end - start:
            return None
        return block.to_source(start + col)

    def on_click(self, event: events.Click) -> None:
        offset = self.offset_at(event.x, event.y)
        if offset is not None:
            self.post_message(self.Clicked(offset))

    # ------------------------------------------------------------------ actions

    def action_line_down(self) -> None:
        self.scroll_to(y=self.scroll_y + 1, animate=False, immediate=True)

    def action_line_up(self) -> None:
        self.scroll_to(y=self.scroll_y - 1, animate=False, immediate=True)

    def action_page_down(self) -> None:
        self._jump(self.scroll_y + max(1, self.size.height - 2))

    def action_page_up(self) -> None:
        self._jump(self.scroll_y - max(1, self.size.height - 2))

    def action_half_page_down(self) -> None:
        self._jump(self.scroll_y + max(1, self.size.height // 2))

    def action_half_page_up(self) -> None:
        self._jump(self.scroll_y - max(1, self.size.height // 2))

    def action_top(self) -> None:
        self._jump(0)

    def action_bottom(self) -> None:
        self._jump(self.max_scroll_y)

    def _jump(self, y: float) -> None:
        """Scroll to ``y`` for a key that shows a new page (not a line more): the reading
        cursor goes to the new page's first sentence (see :class:`Paged`)."""
        before = self.scroll_y
        self.scroll_to(y=y, animate=False, immediate=True)
        if self.scroll_y != before:
            self.post_message(self.Paged())

    # ------------------------------------------------------------------ decorations

    def set_decorations(self, layer: str, spans: dict[int, list[Span]]) -> None:
        """Replace one layer of decorations (e.g. entity highlights) and redraw."""
        self._replace_layer(self._decorations, layer, spans)

    def set_gutter(self, layer: str, spans: dict[int, list[Span]]) -> None:
        """Marks in the margin beside the lines that show (start, end) of a block.

        They carry meaning without colour: the reading cursor, passages with notes.
        """
        self._replace_layer(self._gutter, layer, spans)

    def _replace_layer(self, layers: dict[str, dict[int, list[Span]]], layer: str,
                       spans: dict[int, list[Span]]) -> None:
        old = layers.get(layer, {})
        if spans:
            layers[layer] = spans
        else:
            layers.pop(layer, None)
        # Only the lines of blocks whose spans changed are drawn again: the reading cursor
        # moves on every page turn, and redrawing the whole page for it doubled the work.
        changed = {b for b in old.keys() | spans.keys() if old.get(b) != spans.get(b)}
        if not changed:
            return
        blocks = self.layout_lines.block
        # The cache holds the current layout's lines only (see on_resize). (An LRUCache
        # cannot be iterated itself, hence keys().)
        lines = self._cache.keys()  # noqa: SIM118
        for key in [k for k in lines if k[0] >= len(blocks) or blocks[k[0]] in changed]:
            self._cache.discard(key)
        self.refresh()

    def lines_of(self, block: int, start: int, end: int) -> range:
        """The screen lines (virtual y) that show display range [start, end) of a block."""
        lay = self.layout_lines
        first = lay.line_of(block, start)
        last = lay.line_of(block, max(start, end - 1))
        return range(first, last + 1)

    def visible_lines(self) -> range:
        top = round(self.scroll_y)
        return range(top, top + self.size.height)

    # ------------------------------------------------------------------ search

    def search(self, query: str) -> int:
        """Find every match of ``query``, a regular expression (an invalid one is searched
        as plain text, see :attr:`search_problem`), with smart case: case-insensitive when
        it is all lower case; returns how many."""
        self._matches = []
        self._current_match = -1
        self.search_problem = None
        if query:
            flags = 0 if any(c.isupper() for c in query) else re.IGNORECASE
            try:
                pattern = re.compile(query, flags)
            except re.error as exc:
                self.search_problem = f"not a regular expression ({exc}): searched as text"
                pattern = re.compile(re.escape(query), flags)
            for bi, block in enumerate(self.article.blocks):
                for m in pattern.finditer(block.text):
                    if m.end() > m.start():  # an empty match shows nothing
                        self._matches.append(Match(bi, m.start(), m.end()))
        self._paint_matches()
        return len(self._matches)

    @property
    def match_count(self) -> int:
        return len(self._matches)

    @property
    def current_match(self) -> int:
        return self._current_match

    def next_match(self, backwards: bool = False) -> Match | None:
        """Move to the next (or previous) match from the current one or the top line."""
        if not self._matches:
            return None
        n = len(self._matches)
        if self._current_match < 0:
            top = round(self.scroll_y)
            lay = self.layout_lines
            lines = [lay.line_of(m.block, m.start) for m in self._matches]
            after = [i for i, y in enumerate(lines) if y >= top]
            if backwards:
                before = [i for i, y in enumerate(lines) if y < top]
                self._current_match = before[-1] if before else n - 1
            else:
                self._current_match = after[0] if after else 0
        else:
            self._current_match = (self._current_match + (-1 if backwards else 1)) % n
        match = self._matches[self._current_match]
        self._paint_matches()
        self.ensure_visible(self.layout_lines.line_of(match.block, match.start))
        return match

    def current_match_span(self) -> Match | None:
        """The match `n` / `N` last went to, if any."""
        if 0 <= self._current_match < len(self._matches):
            return self._matches[self._current_match]
        return None

    def clear_search(self) -> None:
        self._matches = []
        self._current_match = -1
        self._paint_matches()

    def _paint_matches(self) -> None:
        spans: dict[int, list[Span]] = {}
        for i, m in enumerate(self._matches):
            cls = "article--match-current" if i == self._current_match else "article--match"
            spans.setdefault(m.block, []).append((m.start, m.end, cls))
        self.set_decorations("~search", spans)

    # ------------------------------------------------------------------ rendering

    def is_folded(self, block_index: int) -> bool:
        """Is this block hidden behind a fold line (the reading cursor skips it)?"""
        return folded(self.layout_lines, block_index)

    def action_toggle_folds(self) -> None:
        """`z`: show or fold an e-text's header and licence, keeping the page in place."""
        if not any(b.kind == "licence" for b in self.article.blocks):
            self.notify("nothing is folded in this text", timeout=timeouts.HINT)
            return
        keep = self.top_offset
        self.unfolded = not self.unfolded
        self._relayout(force=True)
        self.go_to_offset(keep)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        if not self._painted:
            self._painted = True
            self.post_message(self.Painted())  # handled once this frame is composed
        scroll_x, scroll_y = self.scroll_offset
        line = scroll_y + y
        width = self.scrollable_content_region.width or self.size.width
        key = (line, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_text_line(line, width)
            self._cache[key] = strip
        return strip.apply_offsets(scroll_x, line)

    def _render_text_line(self, y: int, width: int) -> Strip:
        base = self._base_style()
        lay = self.layout_lines
        if y >= len(lay):
            return Strip.blank(width, base)
        bi = lay.block[y]
        margin = max(0, (width - lay.measure) // 2)
        if bi == BLANK:
            return Strip.blank(width, base)
        if bi == RULE:
            rule = self._style("article--rule")
            segs = [Segment(" " * margin, base), Segment("─" * lay.measure, rule)]
            return Strip(segs).adjust_cell_length(width, base)
        if bi == FOLD:
            n = lay.end[y]
            note = (f"▸ the e-text's header and licence ({n} paragraph{'s' if n != 1 else ''}),"
                    " folded: z shows them")
            segs = [Segment(" " * margin, base),
                    Segment(note[: lay.measure], self._style("article--rule"))]
            return Strip(segs).adjust_cell_length(width, base)
        block = self.article.blocks[bi]
        start, end = lay.start[y], lay.end[y]
        kind: tuple[str, ...] = ()
        if block.kind in ("title", "byline", "date", "heading", "quote", "code"):
            kind = (f"article--{block.kind}",)
        kind_style = self._style(*kind)
        mark = self._gutter_mark(bi, start, end)
        gutter = self._style("article--gutter")
        if len(mark) > 1 and margin < len(mark) + 1:
            # No room for both: the first mark (the note), reversed like a cursor block.
            mark, gutter = mark[0], gutter + Style(reverse=True)
        if mark and margin >= len(mark) + 1:
            segs = [Segment(" " * (margin - len(mark) - 1), base), Segment(mark, gutter),
                    Segment(" ", base)]
        else:
            segs = [Segment(" " * margin, base)]
        indent = indent_of(block)
        if indent:
            first = lay.first_line[bi] == y
            if block.kind == "quote":
                lead = "│ "
            elif block.kind == "item":
                bullet = block.prefix if first else " " * len(block.prefix)
                lead = " " * (2 * block.level) + bullet
            else:
                lead = " " * indent
            segs.append(Segment(lead, kind_style))
        segs.extend(self._styled(block.text, start, end, bi, block.marks, kind))
        return Strip(segs).adjust_cell_length(width, base)

    def _gutter_mark(self, bi: int, start: int, end: int) -> str:
        """The marks of every layer on this line, in layer order, each once (a noted
        passage under the cursor shows ``✎▌``)."""
        marks: list[str] = []
        for layer in sorted(self._gutter):
            for s0, s1, m in self._gutter[layer].get(bi, ()):
                if (s0 < end and s1 > start or s0 == s1 == start) and m not in marks:
                    marks.append(m)
        return "".join(marks)

    def _styled(self, text: str, start: int, end: int, bi: int,
                marks: list[tuple[int, int, str]], kind: tuple[str, ...]) -> list[Segment]:
        spans: list[Span] = [(a, z, f"article--{k}") for a, z, k in marks if a < end and z > start]
        for layer in sorted(self._decorations):
            spans.extend(s for s in self._decorations[layer].get(bi, ())
                         if s[0] < end and s[1] > start)
        if not spans:
            return [Segment(text[start:end], self._style(*kind))]
        cuts = {start, end}
        for a, z, _ in spans:
            cuts.add(max(a, start))
            cuts.add(min(z, end))
        points = sorted(cuts)
        out: list[Segment] = []
        for a, z in zip(points, points[1:], strict=False):
            names = kind + tuple(cls for s0, s1, cls in spans if s0 <= a and s1 >= z)
            out.append(Segment(text[a:z], self._style(*names)))
        return out
