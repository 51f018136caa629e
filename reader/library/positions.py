"""Reading positions that survive an edit of the article's file.

A position is saved by content hash, so an edited file (a new hash) would open at the
top. With the text around the offset saved too (:func:`save_position`), the position of
the earlier text at the same path is found again in the new text the way a note's
passage is (``reader.anchors.locate``); without it (a position saved before anchors were
kept), the same share of the text is used.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from reader.anchors import Anchor, locate

if TYPE_CHECKING:
    from pathlib import Path

    from reader.store import Store

__all__ = ["position_anchor", "save_position", "saved_position"]

#: Characters of text kept from the reading offset on (the quote a position is found by).
QUOTE_CHARS = 64
#: Characters of text kept before the offset.
CONTEXT_CHARS = 32


class ArticleText(Protocol):
    @property
    def path(self) -> Path: ...

    @property
    def hash(self) -> str: ...

    @property
    def text(self) -> str: ...


def position_anchor(text: str, offset: int) -> dict[str, Any]:
    """The text at ``offset`` (what :func:`saved_position` finds the place by)."""
    offset = max(0, min(offset, len(text)))
    return {"start": offset, "quote": text[offset:offset + QUOTE_CHARS],
            "prefix": text[max(0, offset - CONTEXT_CHARS):offset],
            "suffix": text[offset + QUOTE_CHARS:offset + QUOTE_CHARS + CONTEXT_CHARS]}


def save_position(store: Store, article: ArticleText, offset: int,
                  progress: float | None = None) -> None:
    """``store.set_position`` with the text at ``offset``, so the place is found again
    after the file is edited. Raises what ``set_position`` raises."""
    store.set_position(article.hash, offset, str(os.path.abspath(article.path)), progress,
                       anchor=position_anchor(article.text, offset))


def saved_position(store: Store, article: ArticleText) -> int | None:
    """Where to open ``article``: its own saved offset; else, when the file was edited
    since, the position saved for its earlier text at the same path, found again in the
    new text; None if the article was never opened."""
    own = store.get_position(article.hash)
    if own is not None:
        return own
    path = os.path.abspath(article.path)
    for doc in store.recent(limit=None):  # newest first
        where = doc.get("path")
        if isinstance(where, str) and os.path.abspath(where) == path:
            return _moved_offset(doc, article.text)
    return None


def _moved_offset(doc: Mapping[str, Any], text: str) -> int | None:
    offset = doc.get("offset")
    if not isinstance(offset, int) or isinstance(offset, bool):
        return None
    anchor = doc.get("anchor")
    if isinstance(anchor, dict) and isinstance(anchor.get("quote"), str) and anchor["quote"]:
        quote = anchor["quote"]
        found = locate(Anchor(start=offset, end=offset + len(quote), quote=quote,
                              prefix=str(anchor.get("prefix", "")),
                              suffix=str(anchor.get("suffix", ""))), text)
        if found.start is not None:
            return found.start
    progress = doc.get("progress")
    if isinstance(progress, (int, float)) and not isinstance(progress, bool):
        return max(0, min(len(text), int(float(progress) * len(text))))
    return max(0, min(offset, len(text)))
