"""The article screen: the page, the entity panel, a search bar and a status line.

It wires: keys to the page widget (which owns the reading cursor, the selection and the
search) and to the flows (entities, notes, corrections, export), and the messages of the
widgets and workers back to them. Entities come from a background worker after the first
paint (or from the on-disk cache at once); keys never wait for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from reader.document import Article
from reader.entities import Entity
from reader.notes import PlacedNote
from reader.ui import timeouts
from reader.ui.access import reader_app
from reader.ui.article_view import ArticleView
from reader.ui.entity_panel import GROUP_TITLES, EntityPanel
from reader.ui.keybar import KeyBar
from reader.ui.notes_panel import NotesPanel
from reader.ui.screens.article import export
from reader.ui.screens.article.corrections import CorrectionsFlow
from reader.ui.screens.article.entities import EntityFlow
from reader.ui.screens.article.jumps import JumpsFlow
from reader.ui.screens.article.keys import ARTICLE_BINDINGS
from reader.ui.screens.article.messages import (
    EntitiesFailed,
    EntitiesFound,
    LibraryNotUpdated,
    MovedNotesSaved,
    NerProgress,
)
from reader.ui.screens.article.notes import NotesFlow
from reader.ui.screens.article.search import SearchBar
from reader.ui.screens.article.status import title_and_chapter
from reader.ui.widths import PANEL_MIN_WIDTH, STATUS_GAP, STATUS_TITLE_MIN

#: Seconds of stillness before the reading position is written to the store.
POSITION_SAVE_DELAY = 2.0
#: Seconds after which the first-paint work runs even if the page was never drawn (a
#: terminal too small to show a line of it), and type-ahead stops.
FIRST_PAINT_LATEST = 1.0


class ArticleScreen(Screen[None]):
    """Reads one article."""

    BINDINGS: ClassVar[list[BindingType]] = ARTICLE_BINDINGS

    def __init__(self, article: Article, offset: int = 0, model: str | None = None,
                 ner_workers: int | None = None, highlight: Mapping[str, bool] | None = None,
                 *, back: bool = False,
                 entity: str | None = None, panel: bool = True,
                 text_width: int | None = None) -> None:
        super().__init__()
        self.article = article
        self.start_offset = offset
        self.back = back
        """escape (with nothing else to leave) returns to the screen below."""
        self.model = model
        self.ner_workers = ner_workers
        self.entities: list[Entity] = []
        """The entities shown (corrected), which the notes and the export use too."""
        self.selected: Entity | None = None
        self.shown_groups = {"people", "organizations", "places"}
        if highlight is not None:  # the settings file's [highlight]
            self.shown_groups = {g for g in GROUP_TITLES
                                 if highlight.get(g, g in self.shown_groups)}
        self.entities_settled = False
        """True once entities are final (or known to be unavailable)."""
        self.entity_flow = EntityFlow(self, entity)
        self.notes = NotesFlow(self)
        self.corrections = CorrectionsFlow(self)
        self.search_bar = SearchBar(self)
        self.jumps = JumpsFlow(self)
        self._save_timer: object | None = None
        self._saved: tuple[int, float | None] = (offset, None)
        """The (offset, progress) last saved: a short text seen whole still saves its 100%."""
        self._status_left = ""
        self._notice = article.notice or ""
        self._first_paint_done = False
        self._typed_ahead: list[str] | None = None
        """Keys typed after the note key, before its action ran (see on_key)."""
        self._view = (ArticleView(article, offset=offset, id="page") if text_width is None
                      else ArticleView(article, offset=offset, id="page", text_width=text_width))
        self._wide: bool | None = None
        """Whether the window was wide enough for the panel at the last resize."""
        self._panel_at_start = panel
        """The settings (or ``0`` earlier): the entity panel is shown at start."""
        self._panel_squeezed = False
        """The panel was hidden because the window became narrow (it comes back when the
        window is wide again; hidden by the reader with 0, it stays hidden)."""

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

    @property
    def export_dir(self) -> Path | None:
        """The folder `x` offers: the app's setting (None: the current folder)."""
        app = reader_app(self)
        return app.export_dir if app is not None else None

    @property
    def placed(self) -> list[PlacedNote]:
        """The article's notes, placed in the text."""
        return self.notes.placed

    def on_mount(self) -> None:
        self.set_focus(self.view)
        self._wide = self.app.size.width >= PANEL_MIN_WIDTH
        if not self._wide or not self._panel_at_start:
            self.panel.display = False
        # A short text whose entities are cached is highlighted and listed in the first
        # paint (reading the cache and resolving need no spaCy; bench/run.py's
        # ``highlighted_ms``); notes, the
        # cursor and drafts, and NER for a cold cache, come a frame later.
        flow = self.entity_flow
        flow.cached = flow.from_cache()
        if flow.cached is not None:
            self.entities = flow.corrected(flow.cached)
            self.panel.entities = self.entities
            flow.paint()
        self.panel.set_highlighted_groups(self.shown_groups)
        self.set_timer(FIRST_PAINT_LATEST, self._after_first_paint)

    @on(ArticleView.Painted)
    def _first_render(self) -> None:
        # The page's first render can belong to a frame Textual composes and drops while
        # the app is still starting (a batch update); "after refresh" from here is after
        # the frame that reaches the terminal, which goes out sooner than when this work
        # ran right after mounting (bench/run.py measures ``first_paint_ms``).
        self.update_status()
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        if self._first_paint_done:
            return
        self._first_paint_done = True
        # Before the entities: an entity to select (opened from another article) moves
        # the cursor to its mention.
        self.view.cursor_to_offset(self.start_offset)
        self.entity_flow.start()
        self.notes.load()
        self.update_status()
        self.notes.offer_draft()
        self._remember_opened()

    def _remember_opened(self) -> None:
        """Mark the article as opened now (the library lists it, most recent first)."""
        app = reader_app(self)
        if app is not None:
            # The offset the article was opened at: the view may not have scrolled back to
            # it yet, and saving its top now would put the reader back at the start.
            article, offset = self.article, self.start_offset
            self.run_worker(lambda: app.save_position(article, offset), thread=True,
                            exit_on_error=False, group="remember",
                            description="remember the article as opened")

    # ------------------------------------------------------------------ workers' messages

    @on(NerProgress)
    def _ner_progress(self, event: NerProgress) -> None:
        self.entity_flow.progress(event.done, event.total)
        self.update_status()

    @on(EntitiesFound)
    def _entities_found(self, event: EntitiesFound) -> None:
        self.show_entities(event.entities, event.final)

    @on(EntitiesFailed)
    def _entities_failed(self, event: EntitiesFailed) -> None:
        self.notice(event.reason)
        self.entities_settled = True

    @on(LibraryNotUpdated)
    def _library_not_updated(self, event: LibraryNotUpdated) -> None:
        self.notify(f"the library index was not updated: {event.reason}",
                    severity="warning", timeout=timeouts.RESULT)

    @on(MovedNotesSaved)
    def _moved_notes_saved(self, event: MovedNotesSaved) -> None:
        self.notes.moved_notes_saved(event)

    # ------------------------------------------------------------------ entities

    def show_entities(self, entities: list[Entity], final: bool = True) -> None:
        """Show entities as resolved from the text (the reader's corrections applied)."""
        self.entity_flow.show(entities, final)
        self.update_status()

    def select_entity(self, entity: Entity, mention: int = 0) -> None:
        """Emphasise every mention of ``entity`` and go to one (the first by default)."""
        self.entity_flow.select(entity, mention)

    @on(EntityPanel.Selected)
    def _entity_selected(self, event: EntityPanel.Selected) -> None:
        self.select_entity(event.entity)

    @on(EntityPanel.Correct)
    def _correct(self, event: EntityPanel.Correct) -> None:
        self.corrections.correct(event)

    @on(ArticleView.Clicked)
    def _text_clicked(self, event: ArticleView.Clicked) -> None:
        self.entity_flow.clicked(event.offset)

    def action_toggle_group(self, group: str) -> None:
        self.entity_flow.toggle_group(group)
        self._remember({f"highlight.{group}": group in self.shown_groups})

    def action_next_mention(self) -> None:
        self.entity_flow.step_mention(1)

    def action_previous_mention(self) -> None:
        self.entity_flow.step_mention(-1)

    def action_entity_at_cursor(self) -> None:
        self.entity_flow.at_cursor()

    def action_appearances(self) -> None:
        self.entity_flow.appearances()

    def action_add_entity(self) -> None:
        self.corrections.add_entity()

    # ------------------------------------------------------------------ notes

    def load_notes(self) -> None:
        self.notes.load()

    def action_annotate(self) -> None:
        typed, self._typed_ahead = "".join(self._typed_ahead or ()), None
        self.notes.annotate(typed)

    async def action_toggle_notes(self) -> None:
        await self.notes.toggle_panel()

    @on(NotesPanel.Chosen)
    def _note_chosen(self, event: NotesPanel.Chosen) -> None:
        self.notes.chosen(event)

    @on(NotesPanel.FullView)
    def _notes_full_view(self, event: NotesPanel.FullView) -> None:
        self.notes.full_view(event)

    def action_open_note(self) -> None:
        self.notes.open_at_cursor()

    def action_undo(self) -> None:
        self.notes.undo()

    def action_export(self) -> None:
        export.ask_export(self)

    def action_export_vault(self) -> None:
        export.ask_vault(self)

    def action_copy(self) -> None:
        export.copy_passage(self)

    # ------------------------------------------------------------------ cursor, selection

    def action_sentence(self, step: int) -> None:
        self.view.move_sentence(step)
        self.update_status()

    def action_select(self) -> None:
        """`v`: start a selection on the cursor's sentence (again: drop it)."""
        if self.view.selection is not None:
            self.drop_selection()
        elif self.view.select_match():
            self.notice("selected the match: W B w e move its ends, + adds it as an entity")
        elif self.view.start_selection():
            self.notice("selecting: ) ( by sentence, w e by word, a note, y copy, v or "
                        "escape to stop")

    def drop_selection(self) -> bool:
        if not self.view.clear_selection():
            return False
        self.notice("")
        return True

    def action_mark(self, what: str) -> None:
        self.jumps.ask(what)

    def action_jump_back(self) -> None:
        self.jumps.back()

    def action_library(self) -> None:
        self.jumps.library()

    def action_word(self, step: int, start: bool = False) -> None:
        """`w` / `e`: the selection's end one word further / back (`W` / `B`: its start)."""
        if self.view.selection is None:
            self.notify("press v to start a selection", timeout=timeouts.BRIEF)
        elif start:
            self.view.move_selection_start(step)
        else:
            self.view.extend_by_word(step)

    @on(ArticleView.Paged)
    def _paged(self) -> None:
        if self.view.selection is None:
            self.view.cursor_to_top()
            self.update_status()

    @on(ArticleView.Moved)
    def _moved(self) -> None:
        self.view.cursor_follows_page()
        self.update_status()
        if self._save_timer is None:
            self._save_timer = self.set_timer(POSITION_SAVE_DELAY, self._timed_save)

    # ------------------------------------------------------------------ status, position

    def notice(self, text: str) -> None:
        """A message for the status line (also useful when colour is off)."""
        self._notice = text
        self.update_status()

    def update_status(self) -> None:
        view = self.view
        parts = [f"{view.percent:>3}%"]
        if view.match_count:
            cur = view.current_match + 1
            count = view.match_count
            parts.append(f"match {cur}/{count}" if cur else f"{count} matches")
        if self.entity_flow.ner_status:
            parts.append(self.entity_flow.ner_status)
        # The note under the cursor before any other word (not while selecting).
        hint = self.notes.hint() if view.selection is None else ""
        if hint or self._notice:
            parts.append(hint or self._notice)
        right = " · ".join(parts)
        width = max(STATUS_TITLE_MIN, self.size.width - len(right) - STATUS_GAP)
        title = title_and_chapter(self.article.title, view.chapter(), width)
        text = f"{title}  {right}" if title else right
        if text != self._status_left:
            self._status_left = text
            self.query_one("#status", Static).update(text)

    def _timed_save(self) -> None:
        self._save_timer = None
        self.save_position()

    def save_position(self) -> None:
        offset, progress = self.view.top_offset, self.view.percent / 100
        if (offset, progress) == self._saved:
            return
        app = reader_app(self)
        if app is not None:
            app.save_position(self.article, offset, progress)
        self._saved = (offset, progress)

    def on_unmount(self) -> None:
        self.entity_flow.cancel()
        self.save_position()

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "search" and isinstance(self.focused, Input))

    def on_key(self, event: events.Key) -> None:
        """Type-ahead: keys typed right after the note key belong in the note, not on the
        floor, nor run as commands. Keys that come in one burst (a fast typist, a slow
        terminal) all reach this screen before the note key's action has even run: they
        are kept for the editor. Keys that come after it opened are handed to it."""
        printable = event.is_printable and event.character is not None
        top = self.app.screen
        if top is self and self.jumps.pending is not None:
            self.jumps.letter(event.character if printable else None)
            event.stop()
            return
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
                self.set_timer(FIRST_PAINT_LATEST, self._stop_typing_ahead)
            return  # (the editor's module, with Textual's TextArea, is not loaded for
            # this: it would slow the first page turn, bench/run.py's ``page_down_ms``)
        if not printable:
            return
        from reader.ui.screens.note_editor import NoteEditor

        if isinstance(top, NoteEditor):
            top.type_ahead(event.character or "")
            event.stop()

    def _stop_typing_ahead(self) -> None:
        self._typed_ahead = None

    def action_search(self, backward: bool = False) -> None:
        if self.focused is self.panel.option_list and not backward:
            self.panel.open_filter()
            return
        self.search_bar.open(backward=backward)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.search_bar.submitted(event)

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search_bar.changed(event)

    def action_next_match(self) -> None:
        self.search_bar.step(backwards=False)

    def action_previous_match(self) -> None:
        self.search_bar.step(backwards=True)

    def action_leave(self) -> None:
        """escape: leave the innermost thing (search, filter, selection, emphasis), then
        the article (opened from the library or another article)."""
        if self.search_bar.leave_bar():
            return
        if self.panel.clear_filter():
            return
        if self.drop_selection():
            return
        if self.entity_flow.clear_emphasis() and not self.view.match_count:
            return
        searching = self.search_bar.close()
        if not searching and self.back and self.focused is self.view:
            # Nothing left to leave: back to the library (or the article this came from).
            self.save_position()
            self.app.pop_screen()
            return
        self.set_focus(self.view)
        self.update_status()

    def action_contents(self) -> None:
        self.jumps.contents()

    def action_help(self) -> None:
        from reader.ui.screens.dialogs.help import HelpScreen

        self.app.push_screen(HelpScreen())

    async def action_quit_reader(self) -> None:
        app = reader_app(self)
        if app is not None:  # (asks first when notes would be lost)
            await app.action_quit()
            return
        self.save_position()
        self.app.exit()

    # ------------------------------------------------------------------ the panel

    def on_resize(self, event: events.Resize) -> None:
        """Below PANEL_MIN_WIDTH columns the panel hides itself: the text column must not
        shrink to a strip (22 characters at 60 columns)."""
        # The page re-wraps and keeps its top sentence; a cursor that is now below the
        # window goes to the page, so `a` never notes a sentence out of sight.
        self.call_after_refresh(self.view.cursor_follows_page)
        wide = event.size.width >= PANEL_MIN_WIDTH
        if self._wide is None or wide == self._wide:
            self._wide = wide
            return
        self._wide = wide
        panel = self.panel
        if not wide and panel.display:
            panel.display = False
            self._panel_squeezed = True
            if panel.has_focus_within:
                self.set_focus(self.view)
        elif wide and self._panel_squeezed:
            panel.display = True
            self._panel_squeezed = False

    def action_toggle_panel(self) -> None:
        self._panel_squeezed = False
        panel = self.panel
        panel.display = not panel.display
        if not panel.display and panel.has_focus_within:
            self.set_focus(self.view)
        # Only this key is the reader's choice; hidden by a narrow window is not.
        self._remember({"panel": bool(panel.display)})

    def _remember(self, changes: dict[str, str | bool]) -> None:
        app = reader_app(self)
        if app is not None:
            app.remember_settings(changes)
