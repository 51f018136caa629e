"""Command palette (ctrl+p): jump to any article, entity or note by name."""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.ui.widths import PALETTE_NOTE

#: At most this many hits per search: the palette shows a screenful anyway, and a large
#: library has tens of thousands of entity names.
MAX_HITS = 100


@dataclass(frozen=True, slots=True)
class Target:
    text: str
    """What is matched and shown: "Article: …", "Entity: …", "Note: …"."""
    help: str
    run: Callable[[], None]


class LibraryCommands(Provider):
    """Articles of the library, entities (this article's and the index's) and notes."""

    async def startup(self) -> None:
        self.targets: list[Target] = await asyncio.to_thread(self._gather)

    def _gather(self) -> list[Target]:
        from reader.ui.screens.article import ArticleScreen

        app: Any = self.app
        targets: list[Target] = []
        screen = self.screen
        here = screen if isinstance(screen, ArticleScreen) else None
        seen: set[str] = set()
        if here is not None:
            for e in here.entities:
                seen.add(e.name.casefold())
                targets.append(Target(f"Entity: {e.name}", f"{e.group} · {e.count} mentions "
                                      "in this article", partial(_select, here, e.name)))
        library = getattr(app, "library", None)
        if library is not None:
            for entry in library.entries():
                targets.append(Target(f"Article: {entry.title or entry.path.name}",
                                      str(entry.path), partial(app.open_path, entry.path)))
            for name, group, count in library.entity_names():
                if name.casefold() in seen:
                    continue
                targets.append(Target(f"Entity: {name}", f"{group} · in {count} article"
                                      f"{'s' if count != 1 else ''}",
                                      partial(app.show_appearances, name)))
        store = getattr(app, "store", None)
        if store is not None:
            for note in store.notes():
                targets.append(_note_target(app, note))
        return targets

    async def discover(self) -> Hits:
        for t in self.targets[:MAX_HITS]:
            yield DiscoveryHit(t.text, t.run, text=t.text, help=t.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        first = query.strip()[:1].casefold()
        scored: list[tuple[float, int, Target]] = []
        for i, t in enumerate(self.targets):
            # A cheap test first: fuzzy matching every name of a big index is slow.
            if first and first not in t.text.casefold():
                continue
            score = matcher.match(t.text)
            if score > 0:
                scored.append((score, -i, t))
        # The best matches, not the first ones found: "paris" must find Entity: Paris
        # before a hundred titles that merely hold p, a, r, i, s in order.
        for score, _, t in heapq.nlargest(MAX_HITS, scored, key=lambda x: (x[0], x[1])):
            yield Hit(score, matcher.highlight(t.text), t.run, text=t.text, help=t.help)


def _select(screen: Any, name: str) -> None:
    entity = next((e for e in screen.entities if e.name == name), None)
    if entity is not None:
        screen.panel.select_entity(entity)
        screen.select_entity(entity)


def _note_target(app: Any, note: dict[str, Any]) -> Target:
    body = " ".join(str(note.get("text") or "").split())
    ref = note.get("article") if isinstance(note.get("article"), dict) else {}
    assert isinstance(ref, dict)
    path = ref.get("path")
    title = str(ref.get("title") or (Path(str(path)).name if path else "?"))
    return Target(f"Note: {body[:PALETTE_NOTE]}", f"in {title}", partial(app.open_note, note))
