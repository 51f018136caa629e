"""The page widget the article screen shows: the page, plus the reading cursor and the
selection it owns (as Toolong's LogLines owns its pointer), so `a` notes what it shows."""

from __future__ import annotations

from bisect import bisect_right
from typing import ClassVar

from textual.binding import Binding, BindingType

from reader.document import Article
from reader.layout import MAX_MEASURE
from reader.sentences import sentence_spans, word_spans
from reader.ui.article_view.layers import Match, Span
from reader.ui.article_view.page import PageView

#: The reading cursor: (block, start, end) of a sentence, in display indexes.
Cursor = tuple[int, int, int]
#: A selection: ((block, start), (block, end)) in display indexes.
Selection = tuple[tuple[int, int], tuple[int, int]]
#: How many places `ctrl+o` can go back through.
JUMPS_KEPT = 50


class ArticleView(PageView, can_focus=True, inherit_bindings=False):
    """Shows an :class:`Article`, wrapped to a readable measure and centred."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "line_down", "One line down", show=False, id="line_down"),
        Binding("k,up", "line_up", "One line up", show=False, id="line_up"),
        Binding("space,pagedown", "page_down", "Page", key_display="space",
                tooltip="One page down; the reading cursor goes to the first sentence on "
                "the new page", id="page_down"),
        Binding("b,pageup", "page_up", "One page up (the cursor too)", show=False, id="page_up"),
        Binding("g,home", "top", "To the top (the cursor too)", show=False, id="top"),
        Binding("G,end", "bottom", "To the bottom (the cursor too)", show=False, id="bottom"),
        Binding("z", "toggle_folds", "Show or fold an e-text's header and licence",
                show=False, id="toggle_folds"),
        Binding("ctrl+d", "half_page_down",
                "Half a page down (the cursor goes to the first sentence on the new view)",
                show=False,
                id="half_page_down"),
        Binding("ctrl+u", "half_page_up",
                "Half a page up (the cursor too)", show=False, id="half_page_up"),
    ]

    COMPONENT_CLASSES = {
        "article--title",
        "article--byline",
        "article--date",
        "article--heading",
        "article--quote",
        "article--code",
        "article--rule",
        "article--strong",
        "article--em",
        "article--link",
        "article--match",
        "article--match-current",
        "entity--people",
        "entity--organizations",
        "entity--places",
        "entity--other",
        "entity--selected",
        "article--cursor",
        "article--selection",
        "article--noted",
        "note--yellow",
        "note--green",
        "note--blue",
        "note--pink",
        "note--purple",
        "article--gutter",
    }

    DEFAULT_CSS = """
    ArticleView { height: 1fr; }
    """


    def __init__(self, article: Article, *, offset: int = 0, id: str | None = None,
                 text_width: int = MAX_MEASURE) -> None:
        super().__init__(article, offset=offset, id=id, text_width=text_width)
        self.cursor: Cursor | None = None
        """The reading cursor: the sentence `a` notes (None until the first paint)."""
        self.selection: Selection | None = None
        """A selection, which `a` notes instead of the cursor's sentence."""
        self.jumps: list[tuple[int, Cursor | None]] = []
        """Where the reader was before each jump (top offset, cursor), for `ctrl+o`."""
        self._heading_blocks: list[int] | None = None

    # ------------------------------------------------------------------ jumps

    def remember_place(self) -> None:
        """Keep where the reader is, before a jump takes them elsewhere."""
        place = (self.top_offset, self.cursor)
        if not self.jumps or self.jumps[-1] != place:
            self.jumps.append(place)
            del self.jumps[:-JUMPS_KEPT]

    def jump_back(self) -> bool:
        """Back to where the reader was before the last jump; False when there was none."""
        if not self.jumps:
            return False
        offset, cursor = self.jumps.pop()
        self.go_to_offset(offset)
        if cursor is not None and self.selection is None:
            self.set_cursor(cursor, show=True)
        return True

    def next_match(self, backwards: bool = False) -> Match | None:
        if self.match_count:
            self.remember_place()
        return super().next_match(backwards)

    def action_top(self) -> None:
        self.remember_place()
        super().action_top()

    def action_bottom(self) -> None:
        self.remember_place()
        super().action_bottom()

    def chapter(self) -> str | None:
        """The heading the reading cursor (else the top line) is under, if any."""
        if self._heading_blocks is None:
            self._heading_blocks = [bi for bi, _ in self.article.headings]
        if not self._heading_blocks:
            return None
        block = self.cursor[0] if self.cursor is not None else self.article.block_at(
            self.top_offset)
        i = bisect_right(self._heading_blocks, block) - 1
        if i < 0:
            return None
        return " ".join(self.article.blocks[self._heading_blocks[i]].text.split())

    # ------------------------------------------------------------------ reading cursor

    def sentence_at(self, block: int, index: int) -> Cursor:
        """The sentence of ``block`` holding display index ``index`` (else its last)."""
        spans = sentence_spans(self.article.blocks[block].text)
        for s, e in spans:
            if index < e:
                return block, s, e
        s, e = spans[-1]
        return block, s, e

    def sentence_at_offset(self, offset: int) -> Cursor:
        """The sentence holding source ``offset``."""
        bi = self.article.block_at(offset)
        return self.sentence_at(bi, self.article.blocks[bi].to_display(offset))

    def _text_blocks(self, start: int, step: int) -> range:
        blocks = self.article.blocks
        return range(start, len(blocks)) if step > 0 else range(start, -1, -1)

    def cursor_to_top(self) -> None:
        """Put the cursor on the first sentence that starts on the page (a sentence begun
        above the top line only when no other starts on the page)."""
        lay = self.layout_lines
        fallback: Cursor | None = None
        for y in self.visible_lines():
            if not 0 <= y < len(lay) or lay.block[y] < 0:
                continue
            bi = lay.block[y]
            for s, e in sentence_spans(self.article.blocks[bi].text):
                if e <= lay.start[y]:
                    continue
                if s > lay.end[y]:
                    break
                if lay.line_of(bi, s) == y:
                    self.set_cursor((bi, s, e))
                    return
                if fallback is None:
                    fallback = (bi, s, e)
        if fallback is not None:
            self.set_cursor(fallback)

    def cursor_to_offset(self, offset: int) -> None:
        """Put the cursor on the sentence holding source ``offset``, where the article was
        opened (a note, a mention, the saved position). Scrolling cannot always bring that
        place to the top (a place on the first or the last screen), so the page's first
        sentence is not always the one meant. A place with no sentence to hold (a folded
        or empty block) falls back to the page's first sentence."""
        blocks = self.article.blocks
        if blocks:
            bi = self.article.block_at(offset)
            if blocks[bi].text.strip() and not self.is_folded(bi):
                self.set_cursor(self.sentence_at_offset(offset))
                return
        self.cursor_to_top()

    def cursor_follows_page(self) -> None:
        """A cursor that is out of sight goes to the page (unless a selection holds it)."""
        if self.cursor is None or self.selection is not None:
            return
        block, s, e = self.cursor
        lines = self.lines_of(block, s, e)
        visible = self.visible_lines()
        if lines.stop <= visible.start or lines.start >= visible.stop:
            self.cursor_to_top()

    def follow(self, cursor: Cursor) -> None:
        """Put the cursor on what a jump shows (a match, a mention), unless selecting."""
        if self.selection is None:
            self.set_cursor(cursor, show=True)

    def follow_match(self, match: Match | None) -> None:
        """The found word's sentence is what the reader looks at: `a` notes it."""
        if match is not None:
            self.follow(self.sentence_at(match.block, match.start))

    def set_cursor(self, cursor: Cursor, show: bool = False) -> None:
        self.cursor = cursor
        block, s, e = cursor
        self.set_decorations("cursor", {block: [(s, e, "article--cursor")]})
        self.set_gutter("2cursor", {block: [(s, e, "▌")]})
        if show:
            lines = self.lines_of(block, s, e)
            self.ensure_visible(lines.start)
            if lines.stop - 1 not in self.visible_lines():
                self.ensure_visible(lines.stop - 1)

    def move_sentence(self, step: int) -> None:
        """`)` / `(`: the cursor (or the selection's end) a sentence on / back."""
        if self.cursor is None:
            self.cursor_to_top()
            return
        if self.selection is not None:
            self._extend_selection_by_sentence(step)
            return
        block, s, e = self.cursor
        nxt = self._step_sentence(block, s, e, step)
        if nxt is not None:
            self.set_cursor(nxt, show=True)

    def _step_sentence(self, block: int, s: int, e: int, step: int) -> Cursor | None:
        spans = list(sentence_spans(self.article.blocks[block].text))
        i = spans.index((s, e)) if (s, e) in spans else 0
        if 0 <= i + step < len(spans):
            a, z = spans[i + step]
            return block, a, z
        for bi in self._text_blocks(block + step, step):
            b = self.article.blocks[bi]
            if b.text.strip() and not self.is_folded(bi):
                spans = list(sentence_spans(b.text))
                a, z = spans[0] if step > 0 else spans[-1]
                return bi, a, z
        return None

    # ------------------------------------------------------------------ selection

    def start_selection(self) -> bool:
        """Select the cursor's sentence; False when there is no sentence to select."""
        if self.cursor is None:
            self.cursor_to_top()
        if self.cursor is None:
            return False
        block, s, e = self.cursor
        self.selection = ((block, s), (block, e))
        self._paint_selection()
        return True

    def select_match(self) -> bool:
        """Select exactly the current search match, when the cursor is on its sentence
        (so a name found with / can be added with +); False otherwise."""
        match = self.current_match_span()
        if match is None or self.cursor is None:
            return False
        block, s, e = self.cursor
        if match.block != block or not s <= match.start < e:
            return False
        self.selection = ((block, match.start), (block, match.end))
        self._paint_selection()
        return True

    def move_selection_start(self, step: int) -> None:
        """`W` / `B`: the selection's start one word later / earlier (never past its end)."""
        assert self.selection is not None
        (ab, a_s), (hb, h_e) = self.selection
        blocks = self.article.blocks
        for bi in self._text_blocks(ab, step):
            starts = [w[0] for w in word_spans(blocks[bi].text)]
            if step > 0:
                found = next((x for x in starts if (hb, h_e) > (bi, x) > (ab, a_s)), None)
            else:
                found = next((x for x in reversed(starts) if (bi, x) < (ab, a_s)), None)
            if found is not None:
                self.selection = ((bi, found), (hb, h_e))
                break
            if bi != ab and starts:
                break
        self._paint_selection()

    def clear_selection(self) -> bool:
        """Drop the selection; False when there was none."""
        if self.selection is None:
            return False
        self.selection = None
        self.set_decorations("selection", {})
        return True

    def _extend_selection_by_sentence(self, step: int) -> None:
        assert self.selection is not None
        (ab, a_s), (hb, h_e) = self.selection
        block, s, e = self.sentence_at(hb, max(0, h_e - 1))
        if step > 0:
            nxt = self._step_sentence(block, s, e, 1)
            if nxt is not None:
                self.selection = ((ab, a_s), (nxt[0], nxt[2]))
        else:
            prev = self._step_sentence(block, s, e, -1)
            if prev is not None and (prev[0], prev[2]) > (ab, a_s):
                self.selection = ((ab, a_s), (prev[0], prev[2]))
        self._paint_selection(show=True)

    def extend_by_word(self, step: int) -> None:
        """`w` / `e`: the selection's end one word further / back."""
        assert self.selection is not None
        (ab, a_s), (hb, h_e) = self.selection
        blocks = self.article.blocks
        # Word ends from the head onwards (or backwards), crossing into the next (or
        # previous) block of text when this one has no more.
        for bi in self._text_blocks(hb, step):
            ends = [w[1] for w in word_spans(blocks[bi].text)]
            if step > 0:
                found = next((x for x in ends if (bi, x) > (hb, h_e)), None)
            else:
                found = next((x for x in reversed(ends)
                              if (hb, h_e) > (bi, x) > (ab, a_s)), None)
            if found is not None:
                self.selection = ((ab, a_s), (bi, found))
                break
            if bi != hb and ends:
                break
        self._paint_selection(show=True)

    def _paint_selection(self, show: bool = False) -> None:
        if self.selection is None:
            return
        (ab, a_s), (hb, h_e) = self.selection
        spans: dict[int, list[Span]] = {}
        for bi in range(ab, hb + 1):
            text = self.article.blocks[bi].text
            s = a_s if bi == ab else 0
            e = h_e if bi == hb else len(text)
            if e > s:
                spans[bi] = [(s, e, "article--selection")]
        self.set_decorations("selection", spans)
        if show:
            self.ensure_visible(self.lines_of(hb, max(0, h_e - 1), h_e).start)

    def passage(self) -> tuple[int, int] | None:
        """Source offsets of the selection, else of the cursor's sentence."""
        blocks = self.article.blocks
        if self.selection is not None:
            (ab, a_s), (hb, h_e) = self.selection
            return blocks[ab].to_source(a_s), blocks[hb].to_source_end(h_e)
        if self.cursor is not None:
            block, s, e = self.cursor
            return blocks[block].to_source(s), blocks[block].to_source_end(e)
        return None
