"""The reader application."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from reader.document import Article
from reader.resources import styles_dir
from reader.ui.screens.article import ArticleScreen

if TYPE_CHECKING:
    from reader.nlp import MentionJob
    from reader.store import Store


class ReaderApp(App[None]):
    """A keyboard-driven reader for articles and books."""

    CSS_PATH = str(styles_dir() / "reader.tcss")
    TITLE = "reader"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.palette"),
    ]

    def __init__(self, article: Article, store: Store | None = None,
                 keymap: dict[str, str] | None = None, model: str | None = None,
                 job: MentionJob | None = None, offset: int | None = None) -> None:
        super().__init__()
        self.article = article
        self.store = store
        self.model = model
        self.job = job
        self.offset = offset
        self._keymap = keymap or {}

    def on_mount(self) -> None:
        if self._keymap:
            self.set_keymap(self._keymap)
        offset = self.offset
        if offset is None and self.store is not None:
            offset = self.store.get_position(self.article.hash)
        screen = ArticleScreen(self.article, offset=offset or 0, model=self.model, job=self.job)
        self.push_screen(screen)
        if self.store is not None:
            for message in self.store.take_messages():
                self.notify(message, severity="warning", timeout=8)

    def save_position(self, article: Article, offset: int) -> None:
        if self.store is None:
            return
        try:
            self.store.set_position(article.hash, offset, str(article.path))
        except Exception as exc:  # a full disk must not take the reader down
            self.notify(f"could not save the reading position: {exc}", severity="error")
