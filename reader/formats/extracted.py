"""What an extractor hands to the article model: Markdown text and the page's metadata."""

from __future__ import annotations

from dataclasses import dataclass


class FormatError(Exception):
    """A page or book that cannot be read; the message is one line, without the path."""


@dataclass(slots=True)
class Extracted:
    """A page or book as Markdown text plus the metadata that goes in the header."""

    body: str
    """Markdown: ``#`` headings, paragraphs separated by blank lines, lists, quotes."""
    kind: str
    """``html`` or ``epub``: stands in for an encoding (the text is not the file's)."""
    title: str | None = None
    author: str | None = None
    date: str | None = None
    source_url: str | None = None
    """Where a saved page came from: its canonical URL, og:url or the saved-from comment."""
    notice: str | None = None

