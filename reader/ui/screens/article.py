"""The article screen: the page, the entity panel, a search bar and a status line.

Entities come from a background worker after the first paint (or from the on-disk cache
at once); keys never wait for them.
"""

from __future__ import annotations

import time
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from reader import nlp
from reader.document import Article
from reader.entities import Entity, Mention, resolve
from reader.ui.article_view import ArticleView, Span
from reader.ui.entity_panel import GROUP_TITLES, EntityPanel
from reader.ui.keybar import KeyBar

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
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("q", "quit_reader", "Quit", id="quit"),
    ]

    def __init__(self, article: Article, offset: int = 0, model: str | None = None,
                 job: nlp.MentionJob | None = None) -> None:
        super().__init__()
        self.model = model
        self.job = job
        self.entities: list[Entity] = []
        self.selected: Entity | None = None
        self._mention_index = -1
        self._shown_groups = {"people", "organizations", "places"}
        self._ner_status = ""
        self.entities_settled = False
        """True once entities are final (or known to be unavailable)."""
        self.article = article
        self.start_offset = offset
        self._save_timer: object | None = None
        self._saved_offset = offset
        self._status_left = ""
        self._notice = article.notice or ""
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
        self.panel.set_highlighted_groups(self._shown_groups)
        self._start_entities()
        self.call_after_refresh(self._update_status)

    # ------------------------------------------------------------------ entities

    def _start_entities(self) -> None:
        model = nlp.find_model(self.model)
        if model is None:
            self.panel.set_status("no spaCy model installed")
            self.notice(f"no spaCy model: {nlp.INSTALL_HINT}")
            self.entities_settled = True
            return
        self.model = model
        if self.job is None and len(self.article.text) <= SYNC_CACHE_CHARS:
            # A warm cache highlights the first paint, without importing spaCy.
            text = self.article.text
            cached = nlp.load_cached(self.article.hash, model, nlp.model_version(model))
            if cached is not None:
                mentions = [Mention(s, e, text[s:e], label) for s, e, label in cached]
                self.show_entities(resolve(mentions, text), final=True)
                return
        self.panel.set_status("finding entities…")
        self._ner_status = "entities…"
        if self.job is not None:
            self.find_entities(self.job)
            return

        def start() -> None:
            first = self.article.block_at(self.view.top_offset)
            self.job = nlp.MentionJob(self.article, model, first=first)
            self.find_entities(self.job)

        # Start only after the first frame is on screen: importing spaCy in this process
        # holds the GIL for a while and must never stand between launch and the page.
        self.call_after_refresh(self.set_timer, 0.05, start)

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
                    entities = resolve(sorted(mentions, key=_by_start), article.text)
                    self.app.call_from_thread(self.show_entities, entities, False)
                    next_show, interval = time.monotonic() + interval, interval * 2
        except nlp.ModelMissing as exc:
            self.app.call_from_thread(self.notice, str(exc))
            self.entities_settled = True
            return
        if worker.is_cancelled or job.cancelled:
            return
        entities = resolve(sorted(mentions, key=_by_start), article.text)
        self.app.call_from_thread(self.show_entities, entities, True)

    def _ner_progress(self, done: int, total: int) -> None:
        self._ner_status = (f"entities {100 * done // max(1, total)}%" if 0 < done < total
                            else self._ner_status if done == 0 else "")
        self._update_status()

    def show_entities(self, entities: list[Entity], final: bool = True) -> None:
        self.entities = entities
        if final:
            self._ner_status = ""
            self.entities_settled = True
        if self.selected is not None:
            self.selected = next((e for e in entities if e.name == self.selected.name), None)
        self.panel.set_entities(entities)
        self._paint_entities()
        self._update_status()

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
        self.notice(f"{entity.name}{aliases}: {entity.count} mentions")

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
        if self._save_timer is None:
            self._save_timer = self.set_timer(POSITION_SAVE_DELAY, self._timed_save)

    def _timed_save(self) -> None:
        self._save_timer = None
        self.save_position()

    def save_position(self) -> None:
        offset = self.view.top_offset
        if offset == self._saved_offset:
            return
        save = getattr(self.app, "save_position", None)
        if save is not None:
            save(self.article, offset)
        self._saved_offset = offset

    def on_unmount(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self.workers.cancel_group(self, "ner")
        self.save_position()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "search" and isinstance(self.focused, Input))

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
        if self.clear_emphasis() and not self.view.match_count:
            return
        search = self._search_input()
        if search.display:
            search.display = False
            search.value = ""
        self.view.clear_search()
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

    def action_quit_reader(self) -> None:
        self.save_position()
        self.app.exit()
