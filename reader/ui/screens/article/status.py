"""The status line's left part: the title, and the chapter the reading cursor is in."""

from __future__ import annotations

from reader.ui.widths import STATUS_TITLE_MIN

#: Between the title and the chapter.
CHAPTER_SEPARATOR = " › "


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` columns, an ellipsis marking the cut."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def title_and_chapter(title: str, chapter: str | None, width: int) -> str:
    """``title › chapter`` in ``width`` columns. When both do not fit, the chapter (what
    changes as one reads) keeps two thirds of the room and the title the rest; with no
    room for a readable chapter, the title alone."""
    if not chapter or chapter == title:
        return cut(title, width)
    whole = f"{title}{CHAPTER_SEPARATOR}{chapter}" if title else chapter
    if len(whole) <= width or not title:
        return cut(whole, width)
    room = width - len(CHAPTER_SEPARATOR)
    short_title = cut(title, max(STATUS_TITLE_MIN, room - len(chapter), room // 3))
    left = room - len(short_title)
    if left < STATUS_TITLE_MIN:
        return cut(title, width)
    return f"{short_title}{CHAPTER_SEPARATOR}{cut(chapter, left)}"
