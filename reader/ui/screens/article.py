"""The article screen: the page, a search bar and a status line."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from reader.document import Article
from reader.ui.article_view import ArticleView
from reader.ui.screens.dialogs import HelpScreen, TocScreen

#: Seconds of stillness before the reading position is written to the store.
POSITION_SAVE_DELAY = 2.0


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
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("q", "quit_reader", "Quit", id="quit"),
    ]

    def __init__(self, article: Article, offset: int = 0) -> None:
        super().__init__()
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
        yield Input(placeholder="search (Enter to find, escape to leave)", id="search")
        yield Static(id="status", markup=False)
        yield Footer()

    @property
    def view(self) -> ArticleView:
        return self._view

    def on_mount(self) -> None:
        self.set_focus(self.view)
        self.call_after_refresh(self._update_status)

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
        self.save_position()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "search" and isinstance(self.focused, Input))

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
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
        search = self.query_one("#search", Input)
        if search.display:
            search.display = False
            search.value = ""
        self.view.clear_search()
        self.set_focus(self.view)
        self._update_status()

    def action_contents(self) -> None:
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

        sections = [
            ("Page", list(ArticleView.BINDINGS)),
            ("Article", list(self.BINDINGS)),
            ("Everywhere", list(ReaderApp.BINDINGS)),
        ]
        self.app.push_screen(HelpScreen([(t, [b for b in bs if isinstance(b, Binding)])
                                         for t, bs in sections]))

    def action_quit_reader(self) -> None:
        self.save_position()
        self.app.exit()
