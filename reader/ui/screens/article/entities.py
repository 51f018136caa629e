"""The entities flow: found in the background (or read from the cache), corrected,
highlighted on the page, listed in the panel, and stepped through mention by mention."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from reader import nlp
from reader.analysis import analyse, corrected, mentions_of
from reader.entities import Entity, Mention
from reader.ui import timeouts
from reader.ui.access import library_of, reader_app, store_of
from reader.ui.article_view import Span
from reader.ui.entity_panel import GROUP_TITLES
from reader.ui.screens.article.messages import (
    EntitiesFailed,
    EntitiesFound,
    LibraryNotUpdated,
    NerProgress,
)

if TYPE_CHECKING:
    from reader.ui.screens.article.screen import ArticleScreen

#: Texts up to this size resolve cached entities before the first paint.
SYNC_CACHE_CHARS = 300_000


class EntityFlow:
    """Finds, corrects, paints and selects the entities of the screen's article.

    The entities themselves (``screen.entities``, ``screen.selected``) are the screen's:
    the notes, the corrections and the export read them too.
    """

    def __init__(self, screen: ArticleScreen, pending: str | None) -> None:
        self.screen = screen
        self.job: nlp.MentionJob | None = None
        self.resolved: list[Entity] = []
        """Entities as resolved from the text, before the reader's corrections."""
        self.cached: list[Entity] | None = None
        self.complete = False
        """True once every entity of the text is known (so the library may record them)."""
        self.mention_index = -1
        self.ner_status = ""
        self.pending = pending
        """An entity to select once the entities are known (opened from another article)."""

    # ------------------------------------------------------------------ finding

    def from_cache(self) -> list[Entity] | None:
        """The cached entities of a short text, resolved now (no spaCy), or None."""
        screen = self.screen
        article = screen.article
        model = nlp.find_model(screen.model)
        if model is None or len(article.text) > SYNC_CACHE_CHARS:
            return None
        cached = nlp.load_cached(article.hash, model, nlp.model_version(model))
        if cached is None:
            return None
        return analyse(article, mentions_of(article.text, sorted(cached)))

    def corrected(self, entities: list[Entity]) -> list[Entity]:
        """``entities`` with the reader's corrections applied."""
        store = store_of(self.screen)
        return corrected(self.screen.article, entities,
                         store.corrections() if store is not None else ())

    def start(self) -> None:
        """Show the cached entities, or start the model on the text."""
        screen = self.screen
        model = nlp.find_model(screen.model)
        if model is None:
            screen.panel.set_status("no spaCy model installed")
            screen.notice(f"no spaCy model: {nlp.INSTALL_HINT}")
            screen.entities_settled = True
            return
        screen.model = model
        if self.cached is not None:
            self.show(self.cached, final=True)
            return
        screen.panel.set_status("finding entities…")
        self.ner_status = "entities…"
        # This runs after the first frame is on screen (see ArticleScreen._after_first_paint):
        # spaCy's import must never stand between launch and the page.
        first = screen.article.block_at(screen.view.top_offset)
        self.job = nlp.MentionJob(screen.article, model, first=first, workers=screen.ner_workers)
        job = self.job
        screen.run_worker(lambda: self._find(job), thread=True, exclusive=True,
                          exit_on_error=False, group="ner",
                          description="find the article's entities")

    def _find(self, job: nlp.MentionJob) -> None:
        """The worker: read the text with the model, posting what it finds."""
        from textual.worker import get_current_worker

        worker = get_current_worker()
        screen = self.screen
        article = screen.article
        mentions: list[Mention] = []
        # Partial results (the visible page comes first) are resolved and shown at growing
        # intervals, so a long book is highlighted where the reader is within seconds
        # without re-resolving the whole text on every batch.
        interval, next_show = 1.0, 0.0
        try:
            for batch in job.batches():
                if worker.is_cancelled:
                    job.cancel()
                    return
                mentions.extend(batch)
                screen.post_message(NerProgress(job.done_chars, job.total_chars))
                if time.monotonic() >= next_show:
                    screen.post_message(EntitiesFound(analyse(article, _by_start(mentions)), False))
                    next_show, interval = time.monotonic() + interval, interval * 2
        except nlp.ModelMissing as exc:
            screen.post_message(EntitiesFailed(str(exc)))
            return
        if worker.is_cancelled or job.cancelled:
            return
        screen.post_message(EntitiesFound(analyse(article, _by_start(mentions)), True))

    def progress(self, done: int, total: int) -> None:
        self.ner_status = (f"entities {100 * done // max(1, total)}%" if 0 < done < total
                           else self.ner_status if done == 0 else "")

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self.screen.workers.cancel_group(self.screen, "ner")

    def show(self, entities: list[Entity], final: bool = True) -> None:
        """Show resolved ``entities`` (corrected here); ``final``: they are all there."""
        screen = self.screen
        self.resolved = entities
        entities = self.corrected(entities)
        screen.entities = entities
        if final:
            self.ner_status = ""
            screen.entities_settled = self.complete = True
        if screen.selected is not None:
            name = screen.selected.name
            screen.selected = next((e for e in entities if e.name == name), None)
        screen.panel.set_entities(entities)
        self.paint()
        if self.pending is not None:
            self._select_pending(final)
        if final:
            screen.notes.load()
            self._record_in_library(entities)

    def reapply_corrections(self) -> None:
        """The corrections changed: correct the resolved entities again."""
        screen = self.screen
        selected = screen.selected.name if screen.selected else None
        screen.entities = self.corrected(self.resolved)
        screen.selected = next((e for e in screen.entities if e.name == selected), None)
        screen.panel.set_entities(screen.entities)
        self.paint()
        screen.notes.load()
        if self.complete:  # the library's counts follow the correction
            self._record_in_library(screen.entities)

    def _select_pending(self, final: bool) -> None:
        """Opened from another article's `i` list: select that entity here."""
        assert self.pending is not None
        key = self.pending.casefold()
        found = next((e for e in self.screen.entities if key in
                      (n.casefold() for n in (e.name, *e.aliases))), None)
        if found is not None:
            self.pending = None
            self.screen.panel.select_entity(found)
            self.select(found)
        elif final:
            self.pending = None

    # ------------------------------------------------------------------ library

    def _record_in_library(self, entities: list[Entity]) -> None:
        screen = self.screen
        library = library_of(screen)
        if library is None:
            return
        article = screen.article

        def record() -> None:
            try:
                library.record(article, entities)
            except Exception as exc:  # the index is derived data; say so, carry on reading
                screen.post_message(LibraryNotUpdated(str(exc)))

        screen.run_worker(record, thread=True, exit_on_error=False, group="library",
                          description="add the article's entities to the library index")

    def appearances(self) -> None:
        """`i`: other articles of the library that mention the entity at hand."""
        screen = self.screen
        panel = screen.panel
        entity = (panel.highlighted_entity if panel.option_list.has_focus else None) \
            or screen.selected
        if entity is None:
            screen.notify("choose an entity first: Tab to the panel, then i on a row",
                          timeout=timeouts.HINT)
            return
        app = reader_app(screen)
        if app is None or app.library is None:
            screen.notify("no library: open the reader without a file to keep one",
                          timeout=timeouts.HINT)
            return
        app.show_appearances(entity.name, entity.aliases, exclude=screen.article.hash)

    # ------------------------------------------------------------------ painting

    def _spans(self, entities: list[Entity], cls_of: dict[str, str]) -> dict[int, list[Span]]:
        spans: dict[int, list[Span]] = {}
        article = self.screen.article
        blocks = article.blocks
        for e in entities:
            cls = cls_of.get(e.group)
            if cls is None:
                continue
            for m in e.mentions:
                bi = article.block_at(m.start)
                block = blocks[bi]
                s = block.to_display(m.start)
                z = block.to_display(m.end - 1) + 1 if m.end > m.start else s
                spans.setdefault(bi, []).append((s, min(z, len(block.text)), cls))
        return spans

    def paint(self) -> None:
        screen = self.screen
        cls_of = {g: f"entity--{g}" for g in screen.shown_groups}
        screen.view.set_decorations("entities", self._spans(screen.entities, cls_of))
        selected = screen.selected
        if selected is not None:
            screen.view.set_decorations("entities~selected", self._spans(
                [selected], {selected.group: "entity--selected"}))
        else:
            screen.view.set_decorations("entities~selected", {})

    def toggle_group(self, group: str) -> None:
        screen = self.screen
        shown = screen.shown_groups
        if group in shown:
            shown.discard(group)
        else:
            shown.add(group)
        screen.panel.set_highlighted_groups(shown)
        self.paint()
        state = "on" if group in shown else "off"
        screen.notify(f"{GROUP_TITLES[group]} highlighting {state}", timeout=timeouts.BRIEF)

    # ------------------------------------------------------------------ selecting

    def select(self, entity: Entity, mention: int = 0) -> None:
        """Emphasise every mention of ``entity`` and go to one (the first by default)."""
        screen = self.screen
        screen.selected = entity
        self.mention_index = mention
        self.paint()
        if entity.mentions:
            self._show_mention()
        aliases = f" (also: {', '.join(entity.aliases)})" if entity.aliases else ""
        screen.notice(f"{entity.name}{aliases}: {entity.count} mention"
                      f"{'s' if entity.count != 1 else ''}")

    def _show_mention(self) -> None:
        screen = self.screen
        assert screen.selected is not None
        m = screen.selected.mentions[self.mention_index]
        view = screen.view
        cursor = view.sentence_at_offset(m.start)
        bi = cursor[0]
        view.remember_place()  # `ctrl+o` comes back from a mention or a panel row
        view.ensure_visible(view.layout_lines.line_of(
            bi, screen.article.blocks[bi].to_display(m.start)))
        view.follow(cursor)  # the mention's sentence is what the reader looks at

    def step_mention(self, step: int) -> None:
        screen = self.screen
        selected = screen.selected
        if selected is None or not selected.mentions:
            screen.notify("select an entity in the panel first (Tab, then Enter)",
                          timeout=timeouts.BRIEF)
            return
        n = len(selected.mentions)
        self.mention_index = (self.mention_index + step) % n
        self._show_mention()
        screen.notice(f"{selected.name}: mention {self.mention_index + 1}/{n}")

    def clicked(self, offset: int) -> None:
        """A click on a highlighted name selects it, at the mention clicked."""
        screen = self.screen
        for e in screen.entities:
            if e.group in screen.shown_groups and any(
                    m.start <= offset < m.end for m in e.mentions):
                if not screen.panel.display:
                    screen.panel.display = True
                screen.panel.select_entity(e)
                clicked = next(i for i, m in enumerate(e.mentions)
                               if m.start <= offset < m.end)
                self.select(e, clicked)
                return

    def at_cursor(self) -> None:
        """Enter: select the (next) entity mentioned in the cursor's sentence."""
        screen = self.screen
        where = screen.view.passage()
        if where is None:
            return
        found = sorted(((m.start, e) for e in screen.entities if e.group in screen.shown_groups
                        for m in e.mentions if where[0] <= m.start < where[1]),
                       key=lambda x: x[0])
        if not found:
            screen.notify("no highlighted name in this sentence", timeout=timeouts.BRIEF)
            return
        names = [e for _, e in found]
        current = names.index(screen.selected) if screen.selected in names else -1
        entity = names[(current + 1) % len(names)]
        screen.panel.select_entity(entity)
        self.select(entity)

    def clear_emphasis(self) -> bool:
        screen = self.screen
        if screen.selected is None:
            return False
        screen.selected = None
        self.paint()
        screen.notice("")
        return True


def _by_start(mentions: list[Mention]) -> list[Mention]:
    """``mentions`` in text order (a job finds the visible page first)."""
    return sorted(mentions, key=lambda m: (m.start, m.end))
