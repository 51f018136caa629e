"""What the library hands out: a row of the library screen, an article that mentions
an entity."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Appearance", "Entry"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of the library screen: one distinct text."""

    hash: str
    """Content hash (``Article.hash``): one row per distinct text."""
    path: Path
    """Where the text was last seen (an opened path first, then a folder's, a sample's)."""
    title: str
    author: str | None
    date: str | None
    kind: str
    """File suffix without the dot: txt, md, html, epub."""
    source: str | None
    """The web page's URL, when the article came from one."""
    chars: int
    """``len(article.text)``."""
    people: int | None
    """Entity rows in the group; None until the article has been indexed."""
    organizations: int | None
    places: int | None
    notes: int
    """Notes in the store for this text."""
    progress: float | None
    """0..1 from the saved reading position; None if never opened."""
    opened: str | None
    """ISO time it was last opened in the app; None if never."""
    sample: bool
    """One of the bundled sample articles."""


@dataclass(frozen=True, slots=True)
class Appearance:
    """One article that mentions an entity."""

    hash: str
    path: Path
    title: str
    name: str
    """The entity's row name in that article."""
    group: str
    """people, organizations, places or other."""
    count: int
    start: int
    """First mention: offsets into that article's ``Article.text``."""
    end: int
    snippet: str
    """About 100 characters of one line around the first mention."""


# --------------------------------------------------------------------------- helpers
