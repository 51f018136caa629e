"""The article screen: the page, the entity panel, a search bar and a status line.

Entities come from a background worker after the first paint (or from the on-disk cache
at once); keys never wait for them.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from reader import nlp
from reader import notes as notes_model
from reader.analysis import article_entities
from reader.document import Article
from reader.entities import Entity, Mention
from reader.sentences import sentence_spans, word_spans

if TYPE_CHECKING:
    from reader.ui.screens.note_editor import NoteInput
from reader.ui.article_view import ArticleView, Span
from reader.ui.entity_panel import GROUP_TITLES, EntityPanel
from reader.ui.keybar import KeyBar
from reader.ui.notes_panel import NotesPanel

#: Seconds of stillness before the reading position is written to the store.
POSITION_SAVE_DELAY = 2.0
#: Below this width the entity panel starts hidden (0 shows it).
PANEL_MIN_WIDTH = 100
#: Texts up to this size resolve cached entities before the first paint.
SYNC_CACHE_CHARS = 300_000


def _by_start(m: Mention) -> tuple[int, int]:
    return m.start, m.end


class ArticleScreen(Screen[None]):
    """Reads one article."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so the input has the focus before the next key is dispatched: keys typed
        # (or pasted) right after "/" land in it. Off while an input has the focus.
        Binding("slash", "search", "Search", key_display="/", priority=True, id="search"),
        Binding("n", "next_match", "Next match", show=False, id="search.next"),
        Binding("N", "previous_match", "Previous match", show=False, id="search.previous"),
        Binding("escape", "leave", "Leave search", show=False, id="leave"),
        Binding("t", "contents", "Contents", id="contents"),
        Binding("0", "toggle_panel", "Panel", id="panel.toggle"),
        Binding("1", "toggle_group('people')", "People", show=False, id="highlight.people"),
        Binding("2", "toggle_group('organizations')", "Orgs", show=False,
                id="highlight.organizations"),
        Binding("3", "toggle_group('places')", "Places", show=False, id="highlight.places"),
        Binding("4", "toggle_group('other')", "Other", show=False, id="highlight.other"),
        Binding("right_square_bracket", "next_mention", "Next mention", key_display="]",
                show=False, id="mention.next"),
        Binding("left_square_bracket", "previous_mention", "Previous mention", key_display="[",
                show=False, id="mention.previous"),
        Binding("right_parenthesis", "sentence(1)", "Next sentence", key_display=")",
                show=False, id="cursor.next"),
        Binding("left_parenthesis", "sentence(-1)", "Previous sentence", key_display="(",
                show=False, id="cursor.previous"),
        Binding("v", "select", "Select", show=False, id="select"),
        Binding("w", "word(1)", "Select a word more", show=False, id="select.word_more"),
        Binding("e", "word(-1)", "Select a word less", show=False, id="select.word_less"),
        # Not a priority binding, so it keeps its place behind keys typed before it; keys
        # typed right after it are handed to the editor (see on_key).
        Binding("a", "annotate", "Note", id="annotate"),
        Binding("m", "toggle_notes", "Notes", id="notes.toggle"),
        Binding("u", "undo", "Undo", show=False, id="undo"),
        Binding("x", "export", "Export", id="export"),
        Binding("plus", "add_entity", "Add an entity", key_display="+", show=False,
                id="entity.add"),
        Binding("y", "copy", "Copy with citation", show=False, id="copy"),
        Binding("i", "appearances", "Other articles", show=False, id="appearances"),
        Binding("enter", "entity_at_cursor", "Entity at cursor", show=False,
                id="cursor.entity"),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("q", "quit_reader", "Quit", id="quit"),
    ]

    def __init__(self, article: Article, offset: int = 0, model: str | None = None,
                 ner_workers: int | None = None, highlight: Mapping[str, bool] | None = None,
                 export_dir: Path | None = None, *, back: bool = False,
                 entity: str | None = None) -> None:
        super().__init__()
        self.export_dir = export_dir
        """The folder `x` offers (None: the current folder)."""
        self.back = back
        """escape (with nothing else to leave) returns to the screen below."""
        self._pending_entity = entity
        """An entity to select once the entities are known (opened from another article)."""
        self.model = model
        self.ner_workers = ner_workers
        self.job: nlp.MentionJob | None = None
        self.entities: list[Entity] = []
        self._resolved: list[Entity] = []
        self._cached_entities: list[Entity] | None = None
        """Entities as resolved from the text, before the reader's corrections."""
        self.selected: Entity | None = None
        self._mention_index = -1
        self._shown_groups = {"people", "organizations", "places"}
        if highlight is not None:  # the settings file's [highlight]
            self._shown_groups = {g for g in GROUP_TITLES
                                  if highlight.get(g, g in self._shown_groups)}
        self._ner_status = ""
        self.entities_settled = False
        """True once entities are final (or known to be unavailable)."""
        self.cursor: tuple[int, int, int] | None = None
        """The reading cursor: (block, start, end) of the current sentence, display indexes."""
        self.selection: tuple[tuple[int, int], tuple[int, int]] | None = None
        """A selection: ((block, start), (block, end)) in display indexes, or None."""
        self.placed: list[notes_model.PlacedNote] = []
        self.undo_stack: list[tuple[str, dict[str, object]]] = []
        self.article = article
        self.start_offset = offset
        self._save_timer: object | None = None
        self._saved: tuple[int, float | None] = (offset, None)
        """The (offset, progress) last saved: a short text seen whole still saves its 100%."""
        self._status_left = ""
        self._notice = article.notice or ""
        self._first_paint_done = False
        self._typed_ahead: list[str] | None = None
        """Keys typed after the note key, before its action ran (see on_key)."""
        self._view = ArticleView(article, offset=offset, id="page")

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield self._view
            yield EntityPanel(id="panel")
        yield Static(id="status", markup=False)
        yield KeyBar()

    @property
    def view(self) -> ArticleView:
        return self._view

    @property
    def panel(self) -> EntityPanel:
        return self.query_one(EntityPanel)

    def on_mount(self) -> None:
        self.set_focus(self.view)
        if self.app.size.width < PANEL_MIN_WIDTH:
            self.panel.display = False
        # A short text whose entities are cached is highlighted and listed in the first
        # paint (reading the cache and resolving take a few milliseconds, without spaCy);
        # notes, the cursor and drafts, and NER for a cold cache, come a frame later.
        self._cached_entities = self._entities_from_cache()
        if self._cached_entities is not None:
            self.entities = self._corrected(self._cached_entities)
            self.panel.entities = self.entities
            self._paint_entities()
        self.panel.set_highlighted_groups(self._shown_groups)
        # In case the page is never drawn (a terminal too small to show a line of it).
        self.set_timer(1.0, self._after_first_paint)

    def _entities_from_cache(self) -> list[Entity] | None:
        model = nlp.find_model(self.model)
        if model is None or len(self.article.text) > SYNC_CACHE_CHARS:
            return None
        text = self.article.text
        cached = nlp.load_cached(self.article.hash, model, nlp.model_version(model))
        if cached is None:
            return None
        return article_entities(self.article,
                                [Mention(s, e, text[s:e], label) for s, e, label in cached])

    @on(ArticleView.Painted)
    def _first_render(self) -> None:
        # The page's first render can belong to a frame Textual composes and drops while
        # the app is still starting (a batch update); "after refresh" from here is after
        # the frame that reaches the terminal. Measured here: that frame went out ~20 ms
        # sooner than when this work ran right after mounting.
        self._update_status()
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        if self._first_paint_done:
            return
        self._first_paint_done = True
        self._start_entities()
        self.load_notes()
        self._cursor_to_top()
        self._update_status()
        self._offer_draft()
        self._remember_opened()

    # ------------------------------------------------------------------ entities

    def _start_entities(self) -> None:
        model = nlp.find_model(self.model)
        if model is None:
            self.panel.set_status("no spaCy model installed")
            self.notice(f"no spaCy model: {nlp.INSTALL_HINT}")
            self.entities_settled = True
            return
        self.model = model
        if self._cached_entities is not None:
            self.show_entities(self._cached_entities, final=True)
            return
        self.panel.set_status("finding entities…")
        self._ner_status = "entities…"
        # This runs after the first frame is on screen (see _after_first_paint): spaCy's
        # import must never stand between launch and the page.
        first = self.article.block_at(self.view.top_offset)
        self.job = nlp.MentionJob(self.article, model, first=first, workers=self.ner_workers)
        self.find_entities(self.job)

    @work(thread=True, exclusive=True, exit_on_error=False, group="ner",
          description="find the article's entities")
    def find_entities(self, job: nlp.MentionJob) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        article = self.article
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
                self.app.call_from_thread(self._ner_progress, job.done_chars, job.total_chars)
                now = time.monotonic()
                if now >= next_show:
                    entities = article_entities(article, sorted(mentions, key=_by_start))
                    self.app.call_from_thread(self.show_entities, entities, False)
                    next_show, interval = time.monotonic() + interval, interval * 2
        except nlp.ModelMissing as exc:
            self.app.call_from_thread(self.notice, str(exc))
            self.entities_settled = True
            return
        if worker.is_cancelled or job.cancelled:
            return
        entities = article_entities(article, sorted(mentions, key=_by_start))
        self.app.call_from_thread(self.show_entities, entities, True)

    def _ner_progress(self, done: int, total: int) -> None:
        self._ner_status = (f"entities {100 * done // max(1, total)}%" if 0 < done < total
                            else self._ner_status if done == 0 else "")
        self._update_status()

    def show_entities(self, entities: list[Entity], final: bool = True) -> None:
        self._resolved = entities
        entities = self._corrected(entities)
        self.entities = entities
        if final:
            self._ner_status = ""
            self.entities_settled = True
        if self.selected is not None:
            self.selected = next((e for e in entities if e.name == self.selected.name), None)
        self.panel.set_entities(entities)
        self._paint_entities()
        if self._pending_entity is not None:
            self._select_pending(final)
        if final:
            self.load_notes()
            self._record_in_library(entities)
        self._update_status()

    def _select_pending(self, final: bool) -> None:
        """Opened from another article's `i` list: select that entity here."""
        assert self._pending_entity is not None
        key = self._pending_entity.casefold()
        found = next((e for e in self.entities if key in
                      (n.casefold() for n in (e.name, *e.aliases))), None)
        if found is not None:
            self._pending_entity = None
            self.panel.select_entity(found)
            self.select_entity(found)
        elif final:
            self._pending_entity = None

    # ------------------------------------------------------------------ library

    def _remember_opened(self) -> None:
        """Mark the article as opened now (the library lists it, most recent first)."""
        save = getattr(self.app, "save_position", None)
        if save is not None:
            # The offset the article was opened at: the view may not have scrolled back to
            # it yet, and saving its top now would put the reader back at the start.
            offset = self.start_offset
            self.run_worker(lambda: save(self.article, offset), thread=True,
                            exit_on_error=False, group="remember",
                            description="remember the article as opened")

    def _record_in_library(self, entities: list[Entity]) -> None:
        library = getattr(self.app, "library", None)
        if library is None:
            return
        article = self.article

        def record() -> None:
            try:
                library.record(article, entities)
            except Exception as exc:  # the index is derived data; say so, carry on reading
                self.app.call_from_thread(self.notify, f"the library index was not updated: "
                                          f"{exc}", severity="warning", timeout=6)

        self.run_worker(record, thread=True, exit_on_error=False, group="library",
                        description="add the article's entities to the library index")

    def action_appearances(self) -> None:
        """`i`: other articles of the library that mention the entity at hand."""
        panel = self.panel
        entity = (panel.highlighted_entity if panel.option_list.has_focus else None) \
            or self.selected
        if entity is None:
            self.notify("choose an entity first: Tab to the panel, then i on a row", timeout=3)
            return
        library = getattr(self.app, "library", None)
        if library is None:
            self.notify("no library: open the reader without a file to keep one", timeout=3)
            return
        show = getattr(self.app, "show_appearances", None)
        if show is not None:
            show(entity.name, entity.aliases, exclude=self.article.hash)

    # ------------------------------------------------------------------ corrections

    def _corrected(self, entities: list[Entity]) -> list[Entity]:
        store = self.store
        if store is None:
            return entities
        from reader.corrections import apply_corrections

        corrections = store.corrections()
        if not corrections:
            return entities
        return apply_corrections(entities, corrections, self.article.text, self.article.hash)

    def _reapply_corrections(self) -> None:
        selected = self.selected.name if self.selected else None
        self.entities = self._corrected(self._resolved)
        self.selected = next((e for e in self.entities if e.name == selected), None)
        self.panel.set_entities(self.entities)
        self._paint_entities()
        self.load_notes()

    def _save_correction(self, kind: str, form: str, *, group: str | None = None,
                         target: str | None = None, everywhere: bool = True,
                         surface: str | None = None) -> None:
        from reader.corrections import make_correction
        from reader.store import StoreError

        store = self.store
        if store is None:
            self.notify("no notes store is open: corrections cannot be kept", severity="error")
            return
        correction = make_correction(kind, form, group=group, target=target,
                                     article=None if everywhere else self.article.hash)
        if surface is not None:
            correction["surface"] = surface
        try:
            saved = store.add_correction(correction)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        self.undo_stack.append(("correction", saved))
        self._reapply_corrections()
        scope = "in every article" if everywhere else "in this article"
        self.notify(f"{kind}: {form} ({scope}; u undoes)", timeout=3)

    def _ask_scope(self, then: Callable[[bool], None]) -> None:
        from reader.ui.screens.note_editor import ConfirmScreen

        def answered(everywhere: bool | None) -> None:
            if everywhere is not None:
                then(everywhere)

        self.app.push_screen(ConfirmScreen("Apply to every article? (y: everywhere, "
                                           "n: this article only)"), answered)

    @on(EntityPanel.Correct)
    def _correct(self, event: EntityPanel.Correct) -> None:
        from reader.ui.screens.dialogs import ChoiceScreen

        entity = event.entity
        if event.kind == "relabel":
            options = [(g, GROUP_TITLES[g]) for g in GROUP_TITLES if g != entity.group]
            options.append(("none", "Not an entity"))

            def relabelled(choice: str | None) -> None:
                if choice is None:
                    return
                kind, group = ("remove", None) if choice == "none" else ("relabel", choice)
                self._ask_scope(lambda everywhere: self._save_correction(
                    kind, entity.name, group=group, everywhere=everywhere))

            self.app.push_screen(ChoiceScreen(f"{entity.name} is…", options), relabelled)
        elif event.kind == "remove":
            self._ask_scope(lambda everywhere: self._save_correction(
                "remove", entity.name, everywhere=everywhere))
        elif event.kind == "merge":
            options = [(str(i), f"{e.name}  ({GROUP_TITLES[e.group]}, {e.count})")
                       for i, e in enumerate(self.entities) if e is not entity]

            def merged(choice: str | None) -> None:
                if choice is not None:
                    target = self.entities[int(choice)].name
                    self._ask_scope(lambda everywhere: self._save_correction(
                        "merge", entity.name, target=target, everywhere=everywhere))

            self.app.push_screen(ChoiceScreen(f"Merge {entity.name} into…", options,
                                              filterable=True), merged)
        elif event.kind == "split":
            if not entity.aliases:
                self.notify(f"{entity.name} has no other names to split out", timeout=3)
                return

            def split(choice: str | None) -> None:
                if choice is not None:
                    alias = entity.aliases[int(choice)]
                    self._ask_scope(lambda everywhere: self._save_correction(
                        "split", alias, everywhere=everywhere))

            self.app.push_screen(ChoiceScreen(f"Split out of {entity.name}:",
                                              [(str(i), a) for i, a in
                                               enumerate(entity.aliases)]), split)

    def action_add_entity(self) -> None:
        """`+`: a name the model missed (the selection, or typed) becomes an entity."""
        from reader.ui.screens.dialogs import ChoiceScreen, TextPrompt

        where = self.passage() if self.selection is not None else None
        value = " ".join(self.article.text[where[0]:where[1]].split()) if where else ""

        def named(name: str | None) -> None:
            if not name:
                return

            def grouped(group: str | None) -> None:
                if group is not None:
                    self._ask_scope(lambda everywhere: self._save_correction(
                        "add", name, group=group, everywhere=everywhere, surface=name))

            self.app.push_screen(ChoiceScreen(f"{name} is…", [
                (g, GROUP_TITLES[g]) for g in GROUP_TITLES]), grouped)

        self.app.push_screen(TextPrompt("Add as an entity (every occurrence is found):",
                                        value), named)

    def _spans(self, entities: list[Entity], cls_of: dict[str, str]) -> dict[int, list[Span]]:
        spans: dict[int, list[Span]] = {}
        article = self.article
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

    def _paint_entities(self) -> None:
        cls_of = {g: f"entity--{g}" for g in self._shown_groups}
        self.view.set_decorations("entities", self._spans(self.entities, cls_of))
        if self.selected is not None:
            self.view.set_decorations("entities~selected", self._spans(
                [self.selected], {self.selected.group: "entity--selected"}))
        else:
            self.view.set_decorations("entities~selected", {})

    def action_toggle_group(self, group: str) -> None:
        if group in self._shown_groups:
            self._shown_groups.discard(group)
        else:
            self._shown_groups.add(group)
        self.panel.set_highlighted_groups(self._shown_groups)
        self._paint_entities()
        state = "on" if group in self._shown_groups else "off"
        self.notify(f"{GROUP_TITLES[group]} highlighting {state}", timeout=2)

    def action_toggle_panel(self) -> None:
        panel = self.panel
        panel.display = not panel.display
        if not panel.display and panel.has_focus_within:
            self.set_focus(self.view)

    @on(EntityPanel.Selected)
    def _entity_selected(self, event: EntityPanel.Selected) -> None:
        self.select_entity(event.entity)

    def select_entity(self, entity: Entity) -> None:
        """Emphasise every mention of ``entity`` and jump to the first."""
        self.selected = entity
        self._mention_index = 0
        self._paint_entities()
        if entity.mentions:
            self._show_mention()
        aliases = f" (also: {', '.join(entity.aliases)})" if entity.aliases else ""
        self.notice(f"{entity.name}{aliases}: {entity.count} mention"
                    f"{'s' if entity.count != 1 else ''}")

    def _show_mention(self) -> None:
        assert self.selected is not None
        m = self.selected.mentions[self._mention_index]
        bi = self.article.block_at(m.start)
        line = self.view.layout_lines.line_of(bi, self.article.blocks[bi].to_display(m.start))
        self.view.ensure_visible(line)

    def action_next_mention(self) -> None:
        self._step_mention(1)

    def action_previous_mention(self) -> None:
        self._step_mention(-1)

    def _step_mention(self, step: int) -> None:
        if self.selected is None or not self.selected.mentions:
            self.notify("select an entity in the panel first (Tab, then Enter)", timeout=2)
            return
        n = len(self.selected.mentions)
        self._mention_index = (self._mention_index + step) % n
        self._show_mention()
        self.notice(f"{self.selected.name}: mention {self._mention_index + 1}/{n}")

    @on(ArticleView.Clicked)
    def _text_clicked(self, event: ArticleView.Clicked) -> None:
        for e in self.entities:
            if e.group in self._shown_groups and any(
                    m.start <= event.offset < m.end for m in e.mentions):
                if not self.panel.display:
                    self.panel.display = True
                self.panel.select_entity(e)
                self.select_entity(e)
                return

    # ------------------------------------------------------------------ reading cursor

    def _sentence_at(self, block: int, index: int) -> tuple[int, int, int]:
        spans = sentence_spans(self.article.blocks[block].text)
        for s, e in spans:
            if index < e:
                return block, s, e
        s, e = spans[-1]
        return block, s, e

    def _text_blocks(self, start: int, step: int) -> range:
        blocks = self.article.blocks
        return range(start, len(blocks)) if step > 0 else range(start, -1, -1)

    def _cursor_to_top(self) -> None:
        """Put the cursor on the first sentence that starts on the top line (or below)."""
        view = self.view
        lay = view.layout_lines
        for y in view.visible_lines():
            if 0 <= y < len(lay) and lay.block[y] >= 0:
                bi = lay.block[y]
                block, s, e = self._sentence_at(bi, lay.start[y])
                if lay.line_of(block, s) < y:  # a sentence that began on an earlier line
                    following = [sp for sp in sentence_spans(self.article.blocks[bi].text)
                                 if sp[0] > s]
                    if following and lay.line_of(bi, following[0][0]) in view.visible_lines():
                        s, e = following[0]
                self.set_cursor((block, s, e))
                return

    def _cursor_follows_page(self) -> None:
        if self.cursor is None or self.selection is not None:
            return
        block, s, e = self.cursor
        lines = self.view.lines_of(block, s, e)
        visible = self.view.visible_lines()
        if lines.stop <= visible.start or lines.start >= visible.stop:
            self._cursor_to_top()

    def set_cursor(self, cursor: tuple[int, int, int], show: bool = False) -> None:
        self.cursor = cursor
        block, s, e = cursor
        self.view.set_decorations("cursor", {block: [(s, e, "article--cursor")]})
        self.view.set_gutter("2cursor", {block: [(s, e, "▌")]})
        if show:
            lines = self.view.lines_of(block, s, e)
            self.view.ensure_visible(lines.start)
            if lines.stop - 1 not in self.view.visible_lines():
                self.view.ensure_visible(lines.stop - 1)

    def action_sentence(self, step: int) -> None:
        if self.cursor is None:
            self._cursor_to_top()
            return
        if self.selection is not None:
            self._extend_selection_by_sentence(step)
            return
        block, s, e = self.cursor
        nxt = self._step_sentence(block, s, e, step)
        if nxt is not None:
            self.set_cursor(nxt, show=True)

    def _step_sentence(self, block: int, s: int, e: int,
                       step: int) -> tuple[int, int, int] | None:
        spans = list(sentence_spans(self.article.blocks[block].text))
        i = spans.index((s, e)) if (s, e) in spans else 0
        if 0 <= i + step < len(spans):
            a, z = spans[i + step]
            return block, a, z
        for bi in self._text_blocks(block + step, step):
            b = self.article.blocks[bi]
            if b.text.strip() and not self.view.is_folded(bi):
                spans = list(sentence_spans(b.text))
                a, z = spans[0] if step > 0 else spans[-1]
                return bi, a, z
        return None

    # ------------------------------------------------------------------ selection

    def action_select(self) -> None:
        """`v`: start a selection on the cursor's sentence (again: drop it)."""
        if self.selection is not None:
            self._clear_selection()
            return
        if self.cursor is None:
            self._cursor_to_top()
        if self.cursor is None:
            return
        block, s, e = self.cursor
        self.selection = ((block, s), (block, e))
        self._paint_selection()
        self.notice("selecting: ) ( by sentence, w e by word, a note, y copy, v or escape "
                    "to stop")

    def _clear_selection(self) -> bool:
        if self.selection is None:
            return False
        self.selection = None
        self.view.set_decorations("selection", {})
        self.notice("")
        return True

    def _extend_selection_by_sentence(self, step: int) -> None:
        assert self.selection is not None
        (ab, a_s), (hb, h_e) = self.selection
        block, s, e = self._sentence_at(hb, max(0, h_e - 1))
        if step > 0:
            nxt = self._step_sentence(block, s, e, 1)
            if nxt is not None:
                self.selection = ((ab, a_s), (nxt[0], nxt[2]))
        else:
            prev = self._step_sentence(block, s, e, -1)
            if prev is not None and (prev[0], prev[2]) > (ab, a_s):
                self.selection = ((ab, a_s), (prev[0], prev[2]))
        self._paint_selection(show=True)

    def action_word(self, step: int) -> None:
        """`w` / `e`: the selection's end one word further / back."""
        if self.selection is None:
            self.notify("press v to start a selection", timeout=2)
            return
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
        self.view.set_decorations("selection", spans)
        if show:
            self.view.ensure_visible(self.view.lines_of(hb, max(0, h_e - 1), h_e).start)

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

    # ------------------------------------------------------------------ notes

    @property
    def store(self):  # type: ignore[no-untyped-def]
        return getattr(self.app, "store", None)

    def load_notes(self) -> None:
        store = self.store
        if store is None:
            return
        names = [e.name for e in self.entities]
        self.placed = notes_model.notes_for(store, self.article, names)
        self._paint_notes()
        self._write_back_moved()

    def _write_back_moved(self) -> None:
        """A note whose exact quote was found elsewhere in a changed file is saved where it
        is now, so it stays anchored (and exports) in this version of the text. A note
        re-found only by a close match is left as it was stored: the reader should see
        it marked as moved, not have it silently rewritten."""
        store = self.store
        changes = [(str(p.note["id"]), c) for p in self.placed
                   if p.quote is not None and p.quote == p.note.get("quote")
                   and p.note.get("id") is not None
                   and (c := notes_model.anchor_changes(p, self.article)) is not None]
        if not changes or store is None or store.read_only:
            return

        def save() -> None:
            for note_id, change in changes:
                try:
                    current = store.get_note(note_id)
                    if current is None or current.get("quote") != change["quote"]:
                        continue  # deleted or edited meanwhile: leave it to the next open
                    change["updated"] = current.get("updated")  # not an edit of the note
                    store.update_note(note_id, change)
                except Exception:  # deleted meanwhile, or the disk refused: it re-anchors next time
                    return

        self.run_worker(save, thread=True, exit_on_error=False, group="anchors",
                        description="save the new places of moved notes")

    def _paint_notes(self) -> None:
        article = self.article
        spans: dict[int, list[Span]] = {}
        gutter: dict[int, list[Span]] = {}
        noted_entities = {str(p.note["entity"]).casefold() for p in self.placed
                          if p.note.get("entity") and p.start is None}
        for p in self.placed:
            if p.start is None or p.end is None:
                continue
            first, last = article.block_at(p.start), article.block_at(max(p.start, p.end - 1))
            for bi in range(first, last + 1):
                block = article.blocks[bi]
                s = block.to_display(p.start) if bi == first else 0
                e = (block.to_display(p.end - 1) + 1) if bi == last else len(block.text)
                spans.setdefault(bi, []).append((s, e, "article--noted"))
                gutter.setdefault(bi, []).append((s, e, "✎"))
        for entity in self.entities:
            if entity.name.casefold() in noted_entities:
                for m in entity.mentions:
                    bi = article.block_at(m.start)
                    d = article.blocks[bi].to_display(m.start)
                    gutter.setdefault(bi, []).append((d, d + 1, "✎"))
        self.view.set_decorations("notes", spans)
        self.view.set_gutter("1notes", gutter)
        found = self.query(NotesPanel)
        if found and found.first().display:
            found.first().set_notes(self.placed)

    def _draft_key(self, start: int | None, end: int | None, entity: str | None) -> str:
        if entity:
            return f"entity:{entity}"
        return f"{self.article.hash}:{start}-{end}"

    def action_annotate(self) -> None:
        typed, self._typed_ahead = "".join(self._typed_ahead or ()), None
        if self.focused is self.panel.option_list:
            entity = self.panel.highlighted_entity
            if entity is not None:
                self.open_editor(None, None, entity=entity.name)
        else:
            where = self.passage()
            if where is None:
                self.notify("no sentence under the cursor", timeout=2)
                return
            self.open_editor(*where)
        from reader.ui.screens.note_editor import NoteEditor

        editor = self.app.screen
        if typed and isinstance(editor, NoteEditor):
            editor.type_ahead(typed)

    def open_editor(self, start: int | None, end: int | None, *, entity: str | None = None,
                    editing: dict[str, object] | None = None, text: str = "",
                    tags: list[str] | None = None, unsaved: str | None = None) -> None:
        """Open the note editor on a passage or an entity. ``unsaved``: ``text`` is a save
        that failed, for this reason, so it is on disk nowhere (not even as a draft)."""
        article = self.article
        if entity and start is None:
            quote, heading = f"About {entity} (shown wherever {entity} is mentioned)", "Note on "
            heading += entity
        else:
            assert start is not None and end is not None
            quote = article.text[start:end].replace("\n", " ").strip()
            if len(quote) > 400:
                quote = quote[:200] + " … " + quote[-150:]
            quote, heading = f"“{quote}”", "Note"
        key = self._draft_key(start, end, entity)
        store = self.store
        if editing is None and not text and store is not None:
            draft = store.get_draft(key)
            if draft:
                text, tags = str(draft.get("text", "")), list(draft.get("tags_text", "").split())
        if editing is not None:
            text = str(editing.get("text", ""))
            tags = [str(t) for t in editing.get("tags", [])]  # type: ignore[attr-defined]
            heading = "Edit note"

        def on_draft(typed: str, tags_text: str) -> str | None:
            """Keep the text as a draft: None once it is on disk, else why it is not."""
            if store is None:
                return "No notes file is open."
            try:
                store.save_draft(key, {"article": article.hash, "path": str(article.path),
                                       "start": start, "end": end, "entity": entity,
                                       "text": typed, "tags_text": tags_text,
                                       "editing": editing.get("id") if editing else None})
            except Exception as exc:  # a failed draft must not take the editor down
                # (the editor shows why, in a line of its own, while the text is at risk)
                return str(exc) or type(exc).__name__
            if store.in_memory:
                return "Notes cannot be written to disk in this session (see the message at start)."
            return None

        def done(result: NoteInput | None) -> None:
            if result is None:
                self._drop_draft(key)
                return
            self._save_note(result, start, end, entity, editing, key)

        from reader.ui.screens.note_editor import NoteEditor

        self.app.push_screen(NoteEditor(quote, heading=heading, text=text, tags=tags,
                                        on_draft=on_draft, unsaved=unsaved,
                                        source=f"{article.title} ({article.path})"), done)

    def _drop_draft(self, key: str) -> None:
        if self.store is not None:
            # On failure the draft stays, and is offered again next time.
            with contextlib.suppress(Exception):
                self.store.drop_draft(key)

    def _save_note(self, result: NoteInput, start: int | None, end: int | None,
                   entity: str | None, editing: dict[str, object] | None, key: str) -> None:
        store = self.store
        if store is None:
            self.notify("no notes store is open", severity="error")
            return
        from reader.store import StoreError

        try:
            if editing is not None:
                tags = notes_model.note_tags(result.text, result.tags)
                before = dict(editing)
                store.update_note(str(editing["id"]), {"text": result.text, "tags": tags})
                self.undo_stack.append(("edit", before))
                message = "note updated"
            else:
                note = notes_model.new_note(self.article, start, end, result.text,
                                            tags=result.tags, entity=entity)
                saved = store.add_note(note)
                self.undo_stack.append(("add", saved))
                message = "note saved" + (" (kept in memory only)" if store.in_memory else "")
        except StoreError as exc:
            self.notify(f"{exc} Your text is still in the editor.", severity="error",
                        timeout=8, markup=False)
            self.open_editor(start, end, entity=entity, editing=editing, text=result.text,
                             tags=result.tags, unsaved=str(exc))
            return
        self._drop_draft(key)
        self._clear_selection()
        self.load_notes()
        self.notify(message, timeout=2)

    def _offer_draft(self) -> None:
        """A draft left by a crash or a closed terminal opens again in the editor."""
        store = self.store
        if store is None:
            return
        drafts = [(k, d) for k, d in store.drafts().items()
                  if d.get("article") == self.article.hash or (
                      d.get("entity") and not d.get("start")
                      and d.get("path") == str(self.article.path))]
        if not drafts:
            return
        key, draft = drafts[-1]
        self.notify("an unsaved note was found and reopened", timeout=5)
        editing = None
        if draft.get("editing"):
            editing = store.get_note(str(draft["editing"]))
        self.open_editor(draft.get("start"), draft.get("end"), entity=draft.get("entity"),
                         editing=editing, text=str(draft.get("text", "")),
                         tags=str(draft.get("tags_text", "")).split())

    async def action_toggle_notes(self) -> None:
        found = self.query(NotesPanel)
        if found:
            panel = found.first()
            panel.display = not panel.display
        else:  # made on first use: it is not needed for the first paint
            panel = NotesPanel(id="notes-panel")
            await self.query_one("#body").mount(panel)
        if panel.display:
            self.panel.display = False
            panel.set_notes(self.placed)
            self.set_focus(panel.option_list)
        else:
            self.set_focus(self.view)

    @on(NotesPanel.Chosen)
    def _note_chosen(self, event: NotesPanel.Chosen) -> None:
        placed = event.placed
        if event.action == "go":
            if placed.start is not None:
                self.view.go_to_offset(placed.start, center=True)
                bi = self.article.block_at(placed.start)
                self.set_cursor(self._sentence_at(
                    bi, self.article.blocks[bi].to_display(placed.start)))
            elif placed.state == "orphan":
                self.notify("this note's passage is no longer in the text", timeout=3)
            self.set_focus(self.view)
        elif event.action == "edit":
            note = placed.note
            self.open_editor(placed.start, placed.end, entity=note.get("entity"),
                             editing=note)
        elif event.action == "delete":
            self._delete_note(placed.note)

    def _delete_note(self, note: dict[str, object]) -> None:
        from reader.store import StoreError

        try:
            deleted = self.store.delete_note(str(note["id"]))
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        if deleted:
            self.undo_stack.append(("delete", deleted))
            self.load_notes()
            self.notify("note deleted (u undoes)", timeout=3)

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("nothing to undo", timeout=2)
            return
        from reader.store import StoreError

        kind, note = self.undo_stack.pop()
        try:
            if kind == "add":
                self.store.delete_note(str(note["id"]))
            elif kind == "delete":
                self.store.add_note(note)
            elif kind == "edit":
                self.store.update_note(str(note["id"]), {"text": note["text"],
                                                         "tags": note["tags"]})
            elif kind == "correction":
                self.store.delete_correction(str(note["id"]))
        except StoreError as exc:
            self.undo_stack.append((kind, note))
            self.notify(str(exc), severity="error")
            return
        if kind == "correction":
            self._reapply_corrections()
            self.notify(f"undone: {note.get('kind')} {note.get('form')}", timeout=2)
            return
        self.load_notes()
        self.notify(f"undone: {kind} note", timeout=2)

    def action_export(self) -> None:
        """`x`: write this article's notes as Markdown (the prompt shows the target)."""
        from reader.export import target_in_dir
        from reader.ui.screens.dialogs import TextPrompt

        source = str(self.article.path.resolve())
        folder = self.export_dir or Path.cwd()
        default = target_in_dir(folder, self.article.title, source, set())
        try:
            shown = str(default.relative_to(Path.cwd()))
        except ValueError:
            shown = str(default)

        def chosen(value: str | None) -> None:
            if value:
                self._write_export(Path(value).expanduser())

        self.app.push_screen(TextPrompt(f"Export {len(self.placed)} notes as Markdown to:",
                                        shown, "Enter writes the file, escape cancels"),
                             chosen)

    def _write_export(self, target: Path) -> None:
        import datetime

        from reader.export import ExportError, export_markdown, write_export

        folder = self.export_dir
        if folder is not None and target.parent.absolute() == folder.absolute():
            # The settings' folder may not exist yet: made on the first export.
            with contextlib.suppress(OSError):
                target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            from reader.export import target_in_dir

            target = target_in_dir(target, self.article.title,
                                   str(self.article.path.resolve()), set())
        stamp = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        entities = self.entities if self.entities_settled and self.entities else None
        try:
            text = export_markdown(self.article, entities, self.placed, timestamp=stamp,
                                   source=str(self.article.path.resolve()))
            write_export(target, text)
        except ExportError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.notify(f"wrote {target} ({len(self.placed)} notes)", timeout=6)

    def action_copy(self) -> None:
        where = self.passage()
        if where is None:
            return
        quote = " ".join(self.article.text[where[0]:where[1]].split())
        cite = ", ".join(x for x in (self.article.author, f"“{self.article.title}”",
                                     self.article.date, str(self.article.path)) if x)
        self.app.copy_to_clipboard(f"“{quote}” — {cite}")
        self.notify("copied with its citation", timeout=2)

    def action_entity_at_cursor(self) -> None:
        """Enter: select the (next) entity mentioned in the cursor's sentence."""
        where = self.passage()
        if where is None:
            return
        found = sorted(((m.start, e) for e in self.entities if e.group in self._shown_groups
                        for m in e.mentions if where[0] <= m.start < where[1]),
                       key=lambda x: x[0])
        if not found:
            self.notify("no highlighted name in this sentence", timeout=2)
            return
        names = [e for _, e in found]
        current = names.index(self.selected) if self.selected in names else -1
        entity = names[(current + 1) % len(names)]
        self.panel.select_entity(entity)
        self.select_entity(entity)

    def clear_emphasis(self) -> bool:
        if self.selected is None:
            return False
        self.selected = None
        self._paint_entities()
        self.notice("")
        return True

    # ------------------------------------------------------------------ status

    def notice(self, text: str) -> None:
        """A message for the status line (also useful when colour is off)."""
        self._notice = text
        self._update_status()

    def _update_status(self) -> None:
        view = self.view
        parts = [f"{view.percent:>3}%"]
        if view.match_count:
            cur = view.current_match + 1
            count = view.match_count
            parts.append(f"match {cur}/{count}" if cur else f"{count} matches")
        if self._ner_status:
            parts.append(self._ner_status)
        if self._notice:
            parts.append(self._notice)
        right = " · ".join(parts)
        title = self.article.title
        width = max(10, self.size.width - len(right) - 5)
        if len(title) > width:
            title = title[: width - 1] + "…"
        text = f"{title}  {right}" if title else right
        if text != self._status_left:
            self._status_left = text
            self.query_one("#status", Static).update(text)

    @on(ArticleView.Moved)
    def _moved(self) -> None:
        self._update_status()
        self._cursor_follows_page()
        if self._save_timer is None:
            self._save_timer = self.set_timer(POSITION_SAVE_DELAY, self._timed_save)

    def _timed_save(self) -> None:
        self._save_timer = None
        self.save_position()

    def save_position(self) -> None:
        offset, progress = self.view.top_offset, self.view.percent / 100
        if (offset, progress) == self._saved:
            return
        save = getattr(self.app, "save_position", None)
        if save is not None:
            save(self.article, offset, progress)
        self._saved = (offset, progress)

    def on_unmount(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self.workers.cancel_group(self, "ner")
        self.save_position()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "search" and isinstance(self.focused, Input))

    def on_key(self, event: events.Key) -> None:
        """Type-ahead: keys typed right after the note key belong in the note, not on the
        floor, nor run as commands. Keys that come in one burst (a fast typist, a slow
        terminal) all reach this screen before the note key's action has even run: they
        are kept for the editor. Keys that come after it opened are handed to it."""
        printable = event.is_printable and event.character is not None
        top = self.app.screen
        if top is self:
            if self._typed_ahead is not None:
                if printable:
                    self._typed_ahead.append(event.character or "")
                    event.stop()
                return
            active = self.active_bindings.get(event.key)
            if active is not None and active.enabled and active.binding.action == "annotate":
                self._typed_ahead = []
                # The action runs right after these keys; should it never run, the page
                # must not keep swallowing keys.
                self.set_timer(1.0, self._stop_typing_ahead)
            return  # (the editor's module, with Textual's TextArea, is not loaded for
            # this: that cost the first page turn ~30 ms)
        if not printable:
            return
        from reader.ui.screens.note_editor import NoteEditor

        if isinstance(top, NoteEditor):
            top.type_ahead(event.character or "")
            event.stop()

    def _stop_typing_ahead(self) -> None:
        self._typed_ahead = None

    def _search_input(self) -> Input:
        """The search box, made on first use (it is not needed for the first paint)."""
        found = self.query("#search")
        if found:
            return found.first(Input)
        search = Input(placeholder="search (Enter to find, escape to leave)", id="search")
        search.display = False
        self.mount(search, before="#status")
        return search

    def action_search(self) -> None:
        if self.focused is self.panel.option_list:
            self.panel.open_filter()
            return
        search = self._search_input()
        search.display = True
        # Focus now, not after a refresh, so keys typed right after "/" land in the input.
        self.set_focus(search)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        view = self.view
        found = view.search(event.value.strip())
        event.input.display = False
        self.set_focus(view)
        if found:
            view.next_match()
        else:
            self.notify(f"not found: {event.value.strip()}", severity="warning", timeout=3)
        self._update_status()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if len(event.value.strip()) >= 2:
            self.view.search(event.value.strip())
            self._update_status()

    def action_next_match(self) -> None:
        if self.view.next_match() is None:
            self.notify("no search: press / to search", timeout=2)
        self._update_status()

    def action_previous_match(self) -> None:
        self.view.next_match(backwards=True)
        self._update_status()

    def action_leave(self) -> None:
        if self.panel.clear_filter():
            return
        if self._clear_selection():
            return
        if self.clear_emphasis() and not self.view.match_count:
            return
        search = self._search_input()
        searching = search.display or bool(self.view.match_count)
        if search.display:
            search.display = False
            search.value = ""
        self.view.clear_search()
        if not searching and self.back and self.focused is self.view:
            # Nothing left to leave: back to the library (or the article this came from).
            self.save_position()
            self.app.pop_screen()
            return
        self.set_focus(self.view)
        self._update_status()

    def action_contents(self) -> None:
        from reader.ui.screens.dialogs import TocScreen

        entries = [(bi, b.text.replace("\n", " "), b.level) for bi, b in self.article.headings]
        if not entries:
            self.notify("this text has no headings or chapters", timeout=3)
            return

        def jump(block: int | None) -> None:
            if block is not None:
                self.view.go_to_offset(self.article.blocks[block].source_start)
                self.set_focus(self.view)

        self.app.push_screen(TocScreen(entries), jump)

    def action_help(self) -> None:
        from reader.ui.app import ReaderApp
        from reader.ui.entity_panel import EntityList
        from reader.ui.screens.dialogs import HelpScreen

        sections = [
            ("Page", list(ArticleView.BINDINGS)),
            ("Entity panel", list(EntityPanel.BINDINGS) + list(EntityList.BINDINGS)),
            ("Article", list(self.BINDINGS)),
            ("Everywhere", list(ReaderApp.BINDINGS)),
        ]
        self.app.push_screen(HelpScreen([(t, [b for b in bs if isinstance(b, Binding)])
                                         for t, bs in sections]))

    async def action_quit_reader(self) -> None:
        from reader.ui.app import ReaderApp

        if isinstance(self.app, ReaderApp):  # (asks first when notes would be lost)
            await self.app.action_quit()
            return
        self.save_position()
        self.app.exit()
