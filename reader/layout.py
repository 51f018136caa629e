"""Page layout: wrap an article's blocks into screen lines at a given measure.

Pure and fast (no Textual): a 3 MB book wraps in a few tens of milliseconds because the
common case finds each break with one ``str.rfind`` per line, not one step per word. A
line is (block index, display start, display end); the view styles only the lines on
screen.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass

from rich.cells import get_character_cell_size

from reader.document import Article, Block

#: Line kinds that are not text of a block.
BLANK = -1
RULE = -2
#: One line standing for a run of folded blocks (an e-text's header or licence): its start
#: is the run's first block, its end the number of blocks in the run.
FOLD = -3
#: Block kinds that are folded away unless the reader unfolds them.
FOLDED_KINDS = frozenset({"licence"})

#: The readable measure: text is wrapped to at most this many columns.
MAX_MEASURE = 88
MIN_MEASURE = 20


# Characters known to take exactly one cell: Latin, Greek, Cyrillic, and the typographic
# punctuation articles use (dashes, curly quotes, ellipsis, currency). Text made only of
# these wraps by length; anything else (wide, combining, zero-width) is measured per cell.
_SINGLE_CELL = frozenset(
    chr(c)
    for lo, hi in ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x2010, 0x2027),
                   (0x2030, 0x205E), (0x20A0, 0x20C0), (0x2100, 0x214F))
    for c in range(lo, hi + 1)
)


def indent_of(block: Block) -> int:
    """Columns before a block's text on every line (quote bar, list hanging indent)."""
    if block.kind == "quote":
        return 2
    if block.kind == "item":
        return 2 * block.level + len(block.prefix)
    if block.kind == "code":
        return 2
    return 0


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Break ``text`` into (start, end) lines of at most ``width`` cells.

    Breaks at spaces (the space is dropped), at ``\\n`` (hard breaks), and inside a word
    only when the word alone is wider than the line.
    """
    width = max(1, width)
    out: list[tuple[int, int]] = []
    seg_start = 0
    n = len(text)
    while True:
        nl = text.find("\n", seg_start)
        seg_end = n if nl < 0 else nl
        segment = text[seg_start:seg_end]
        if segment.isascii() or _SINGLE_CELL.issuperset(segment):
            _wrap_narrow(text, seg_start, seg_end, width, out)
        else:
            _wrap_cells(text, seg_start, seg_end, width, out)
        if nl < 0:
            return out
        seg_start = nl + 1


def _wrap_narrow(text: str, pos: int, end: int, width: int, out: list[tuple[int, int]]) -> None:
    while end - pos > width:
        cut = text.rfind(" ", pos, pos + width + 1)
        if cut <= pos:
            out.append((pos, pos + width))
            pos += width
        else:
            out.append((pos, cut))
            pos = cut + 1
        while pos < end and text[pos] == " ":
            pos += 1
    out.append((pos, end))


def _wrap_cells(text: str, pos: int, end: int, width: int, out: list[tuple[int, int]]) -> None:
    while pos < end:
        cells = 0
        i = pos
        last_space = -1
        while i < end:
            w = get_character_cell_size(text[i])
            if cells + w > width:
                break
            if text[i] == " ":
                last_space = i
            cells += w
            i += 1
        if i >= end:
            out.append((pos, end))
            return
        if last_space > pos:
            out.append((pos, last_space))
            pos = last_space + 1
        else:
            i = max(i, pos + 1)
            out.append((pos, i))
            pos = i
        while pos < end and text[pos] == " ":
            pos += 1
    if not out or out[-1][1] != end:
        out.append((pos, end))


def measure_for(width: int, most: int = MAX_MEASURE) -> int:
    """The text measure for a view ``width`` columns wide (at most ``most`` columns: the
    settings' ``text_width``)."""
    return max(MIN_MEASURE, min(most, width - 4))


@dataclass(slots=True)
class Layout:
    """An article wrapped at one measure."""

    measure: int
    block: array[int]
    start: array[int]
    end: array[int]
    first_line: list[int]
    """Index of the first line of each block."""

    def __len__(self) -> int:
        return len(self.block)

    def line_of(self, block_index: int, display_index: int) -> int:
        """The line that shows display character ``display_index`` of a block."""
        first = self.first_line[block_index]
        if self.block[first] == FOLD:
            return first
        last = (self.first_line[block_index + 1] if block_index + 1 < len(self.first_line)
                else len(self.block))
        while last > first + 1 and self.block[last - 1] != block_index:
            last -= 1  # skip the blank and rule lines that follow the block
        return max(first, bisect_right(self.start, display_index, first, last) - 1)


def layout(article: Article, measure: int, *, unfold: bool = False) -> Layout:
    """Wrap every block; runs of :data:`FOLDED_KINDS` blocks take one :data:`FOLD` line
    each unless ``unfold``."""
    blocks = article.blocks
    lb: array[int] = array("i")
    ls: array[int] = array("i")
    le: array[int] = array("i")
    first_line: list[int] = []
    prev_kind = ""
    for bi, b in enumerate(blocks):
        kind = b.kind
        if kind in FOLDED_KINDS and not unfold:
            if prev_kind == kind:  # the run goes on: one more block behind the same line
                first_line.append(len(lb) - 1)
                le[-1] += 1
                continue
            if lb:
                lb.append(BLANK)
                ls.append(0)
                le.append(0)
            first_line.append(len(lb))
            lb.append(FOLD)
            ls.append(bi)
            le.append(1)
            prev_kind = kind
            continue
        if lb and not (kind == prev_kind and kind in ("item", "byline", "date")) and not (
                prev_kind in ("title", "byline") and kind in ("byline", "date")):
            if prev_kind in ("title", "byline", "date") and kind not in ("byline", "date"):
                lb.append(RULE)
                ls.append(0)
                le.append(0)
            lb.append(BLANK)
            ls.append(0)
            le.append(0)
        first_line.append(len(lb))
        lines = wrap(b.text, measure - indent_of(b)) if b.text else [(0, 0)]
        for s, e in lines:
            lb.append(bi)
            ls.append(s)
            le.append(e)
        prev_kind = kind
    if prev_kind in ("title", "byline", "date"):
        lb.append(RULE)
        ls.append(0)
        le.append(0)
    return Layout(measure, lb, ls, le, first_line)


def line_for_offset(article: Article, lay: Layout, offset: int) -> int:
    """The line that shows source ``offset`` (or the nearest text before it)."""
    if not article.blocks:
        return 0
    bi = article.block_at(offset)
    block = article.blocks[bi]
    return lay.line_of(bi, block.to_display(offset))


def offset_for_line(article: Article, lay: Layout, y: int) -> int:
    """The source offset of the first character shown on line ``y`` (or the next text line)."""
    n = len(lay)
    while 0 <= y < n and lay.block[y] < 0:
        y += 1
    if y >= n:
        y = n - 1
        while y > 0 and lay.block[y] < 0:
            y -= 1
    bi = lay.block[y]
    if bi < 0:
        return 0
    return article.blocks[bi].to_source(lay.start[y])


def folded(lay: Layout, block_index: int) -> bool:
    """Is the block behind a fold line (not shown)?"""
    return lay.block[lay.first_line[block_index]] == FOLD


def block_lines(lay: Layout, y: int) -> int:
    """Index of the block whose lines include ``y`` (for blank lines, the next block)."""
    return max(0, bisect_right(lay.first_line, y) - 1)
