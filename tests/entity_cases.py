"""Mentions made by hand for the entity tests, as the model would tag them, and the panel
``resolve`` makes of them."""

from __future__ import annotations

import re

from reader.entities import Entity, Mention, resolve


def every(text: str, surface: str, label: str) -> list[Mention]:
    """A mention of ``surface`` at each of its occurrences (as the model might find it)."""
    return [Mention(m.start(), m.end(), surface, label)
            for m in re.finditer(re.escape(surface), text)]


def nth(text: str, surface: str, label: str, n: int = 0) -> Mention:
    s = [m.start() for m in re.finditer(re.escape(surface), text)][n]
    return Mention(s, s + len(surface), surface, label)


def panel(text: str, mentions: list[Mention], **kw: object) -> dict[str, Entity]:
    ents = resolve(sorted(mentions, key=lambda m: (m.start, m.end)), text, **kw)  # type: ignore[arg-type]
    for e in ents:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text
    return {e.name: e for e in ents}
