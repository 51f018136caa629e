"""What NER hands up: plain spans of the source text, with no spaCy object in them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Cancel", "Mention", "Progress", "Span"]

#: ``(start, end, label)``: offsets into a chunk or the source text, and spaCy's label.
Span = tuple[int, int, str]
Progress = Callable[[int, int], object]
Cancel = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of a name: a span of the article's source text."""

    start: int
    end: int
    text: str
    """``source_text[start:end]``."""
    label: str
    """spaCy label (PERSON, ORG, GPE, LOC, FAC, NORP, DATE, ...)."""
