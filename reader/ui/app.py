"""The reader application."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from reader.document import Article
from reader.resources import styles_dir
from reader.ui.screens.article import ArticleScreen

if TYPE_CHECKING:
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
                 offset: int | None = None, ner_workers: int | None = None,
                 theme: str | None = None, highlight: Mapping[str, bool] | None = None,
                 export_dir: Path | None = None) -> None:
        super().__init__()
        self.theme_name = theme
        """The settings' theme (None: Textual's default); applied, or refused, on mount."""
        self.highlight = dict(highlight) if highlight is not None else None
        """Entity group -> highlighted at start (None: the article screen's defaults)."""
        self.export_dir = export_dir
        """The folder `x` offers (None: the current folder)."""
        self.article = article
        self.store = store
        self.model = model
        self.ner_workers = ner_workers
        """Worker processes for NER (None: nlp decides; in-process for small texts)."""
        self.offset = offset
        self._keymap = keymap or {}

    def on_mount(self) -> None:
        if self.theme_name:
            from reader.ui.themes import theme_problem

            problem = theme_problem(self.theme_name, self.available_themes)
            if problem is None:
                self.theme = self.theme_name
            else:
                self.notify(problem, severity="warning", timeout=8)
        if self._keymap:
            self.set_keymap(self._keymap)
        offset = self.offset
        if offset is None and self.store is not None:
            offset = self.store.get_position(self.article.hash)
        screen = ArticleScreen(self.article, offset=offset or 0, model=self.model,
                               ner_workers=self.ner_workers, highlight=self.highlight,
                               export_dir=self.export_dir)
        self.push_screen(screen)
        if self.store is not None:
            messages = self.store.take_messages()
            for message in messages:
                self.notify(message, severity="warning", timeout=10)
            if messages and self.store.backup_path is not None:
                self.notify("ctrl+p, then 'Restore notes from the backup', adds back the notes "
                            "kept in the backup", timeout=10)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        store = self.store
        if store is not None and store.backup_path is not None:
            yield SystemCommand("Restore notes from the backup",
                                f"Add back the notes kept in {store.backup_path.name}",
                                self.restore_backup)
        if isinstance(screen, ArticleScreen):
            yield SystemCommand("Notes panel", "This article's notes (m)",
                                lambda: self.call_later(screen.action_toggle_notes))
            yield SystemCommand("Table of contents", "Headings and chapters (t)",
                                screen.action_contents)

    def restore_backup(self) -> None:
        from reader.store import StoreError

        assert self.store is not None
        try:
            restored = self.store.restore_backup()
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify("notes restored from the backup" if restored else "the backup had "
                    "no notes that are not here already", timeout=5)
        for s in self.screen_stack:
            if isinstance(s, ArticleScreen):
                s.load_notes()

    async def action_quit(self) -> None:
        """ctrl+q (a priority binding, so it works everywhere): never lose typed text."""
        from reader.ui.screens.note_editor import ConfirmScreen, NoteEditor

        editor = next((s for s in self.screen_stack if isinstance(s, NoteEditor)), None)
        if editor is None or not editor.dirty:
            self._save_open_position()
            self.exit()
            return
        editor.flush_draft()

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self._save_open_position()
                self.exit()

        self.push_screen(ConfirmScreen("Quit? The note you are writing is kept as a draft "
                                       "and reopens next time."), answered)

    def _save_open_position(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, ArticleScreen):
                screen.save_position()

    def save_position(self, article: Article, offset: int) -> None:
        if self.store is None:
            return
        try:
            self.store.set_position(article.hash, offset, str(article.path))
        except Exception as exc:  # a full disk must not take the reader down
            self.notify(f"could not save the reading position: {exc}", severity="error")
