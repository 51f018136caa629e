"""The reader application."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from reader.document import Article
from reader.resources import styles_dir
from reader.ui import timeouts
from reader.ui.commands import LibraryCommands
from reader.ui.widths import DIALOG_CHROME, DIALOG_MAX_WIDTH

if TYPE_CHECKING:
    from reader.config import ExportSettings
    from reader.library import Appearance, Library
    from reader.store import Store
    from reader.ui.screens.article import ArticleScreen


class ReaderApp(App[None]):
    """A keyboard-driven reader for articles and books."""

    CSS_PATH = str(styles_dir() / "reader.tcss")
    COMMANDS = App.COMMANDS | {LibraryCommands}
    TITLE = "reader"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit",
                "Quit from anywhere (asks first while a note is being written: the text is kept as "
                "a draft, or offered to copy or to write to a file)",
                show=False, priority=True, id="app.quit"),
        Binding("ctrl+p", "command_palette",
                "Command palette: go to an article, entity or note; themes, keys",
                show=False, id="app.palette"),
    ]

    def __init__(self, article: Article | None, store: Store | None = None,
                 keymap: dict[str, str] | None = None, model: str | None = None,
                 offset: int | None = None, ner_workers: int | None = None,
                 theme: str | None = None, highlight: Mapping[str, bool] | None = None,
                 export_dir: Path | None = None, library: Library | None = None,
                 separate_ner: bool = False, panel: bool = True,
                 settings_path: Path | None = None, text_width: int | None = None,
                 export: ExportSettings | None = None) -> None:
        super().__init__()
        self.export_settings = export
        """How `x` names its files and `y` cites (``[export]`` in the settings; None: the
        defaults)."""
        self.theme_name = theme
        """The settings' theme (None: Textual's default); applied, or refused, on mount."""
        self.highlight = dict(highlight) if highlight is not None else None
        """Entity group -> highlighted at start (None: the article screen's defaults)."""
        self.export_dir = export_dir
        """The folder `x` offers (None: the current folder)."""
        self.article = article
        """The article to open; None opens the library."""
        self.library = library
        """Every article at hand and the cross-article entity index (None: not kept)."""
        self.store = store
        self.model = model
        self.ner_workers = ner_workers
        """Worker processes for NER (None: nlp decides; in-process for small texts)."""
        self.separate_ner = separate_ner
        """Run NER for a small text in one worker process rather than in this one, so
        spaCy's import never holds the interface's GIL (the command line does this)."""
        self.offset = offset
        self._keymap = keymap or {}
        self.panel_shown = panel
        """The entity panel is shown when an article opens (the settings, then ``0``)."""
        from reader.settings_write import SettingsWriter

        self.settings_writer = SettingsWriter(settings_path)
        """Writes what the user sets back to the settings file (None: the usual one)."""
        self.text_width = text_width
        """The widest the text column gets (None: the page's default)."""
        self.marks: dict[str, dict[str, int]] = {}
        """Article hash -> mark letter -> source offset, for this session."""
        self.note_colours: dict[str, str] = {}
        """The settings' ``[notes.colours]``: tag -> a note highlight colour."""

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._match_no_color_filter)
        if self.theme_name:
            from reader.ui.themes import theme_problem

            problem = theme_problem(self.theme_name, self.available_themes)
            if problem is None:
                self.theme = self.theme_name
            else:
                self.notify(problem, severity="warning", timeout=timeouts.PROBLEM)
        # Only a theme chosen after start is the user's choice to remember.
        self._theme_in_force = self.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self._keymap:
            self.set_keymap(self._keymap)
        self.call_after_refresh(self._started)
        if self.store is not None:
            messages = self.store.take_messages()
            for message in messages:
                self.notify(message, severity="warning", timeout=timeouts.STARTUP)
            if messages and self.store.backup_path is not None:
                self.notify("ctrl+p, then 'Restore notes from the backup', adds back the notes "
                            "kept in the backup", timeout=timeouts.STARTUP)

    def _match_no_color_filter(self, theme: object = None) -> None:
        """With NO_COLOR, Textual picks its filter once, for the theme in force when the
        app is made: grey for a truecolour theme, no colour at all for an ansi theme. A
        theme chosen later (the settings' ansi-dark, or from the palette) kept the grey
        filter, which turns the terminal's own colours black: black text on black. Pick
        the filter again for the theme now in force."""
        if not self.no_color:
            return
        from textual.filter import Monochrome, NoColor

        wanted = NoColor if self.native_ansi_color else Monochrome
        kept = [f for f in self._filters if not isinstance(f, (Monochrome, NoColor))]
        self._filters = [*kept, wanted()]
        self.refresh(repaint=True)

    # ------------------------------------------------------------------ remembered settings

    def _remember_theme(self, theme: object = None) -> None:
        if self.theme != self._theme_in_force:
            self._theme_in_force = self.theme
            self.remember_settings({"theme": self.theme})

    def remember_settings(self, changes: Mapping[str, str | bool]) -> None:
        """Save what the user set (``theme``, ``panel``, ``highlight.<group>``) in the
        settings file, for next time. The write fsyncs: it runs in a thread; a failure is
        a message, and the change stays in force for this session."""
        for name, value in changes.items():  # the next article opens the same way
            if name == "panel":
                self.panel_shown = bool(value)
            elif name.startswith("highlight."):
                from reader.config import DEFAULT_HIGHLIGHT

                self.highlight = self.highlight or dict(DEFAULT_HIGHLIGHT)
                self.highlight[name.removeprefix("highlight.")] = bool(value)
        self.settings_writer.remember(changes)
        self.run_worker(self._write_settings, thread=True, group="settings",
                        exit_on_error=False, description="save the settings")

    def _write_settings(self) -> None:
        problem = self.settings_writer.flush()
        if problem is not None:
            self.notify(problem, severity="warning", timeout=timeouts.PROBLEM,  # thread-safe
                        markup=False)

    def get_default_screen(self) -> Screen[None]:
        """The article, or the library, is the first screen itself: pushed over Textual's
        blank default screen, it was drawn twice before the first frame went out (once for
        a frame dropped during start-up)."""
        if self.article is not None:
            return self._article_screen(self.article, self.offset, back=False)
        from reader.ui.screens.library import LibraryScreen

        if self.library is None:
            raise RuntimeError("ReaderApp needs an article or a library")
        return LibraryScreen(self.library)

    def _started(self) -> None:
        """The first frame is out. The command line keeps the garbage collector off until
        now (see ``cli.cmd_read``); what start-up built lives as long as the app, so it is
        frozen out of later collections rather than scanned by each of them."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def open_article(self, article: Article, offset: int | None = None, *,
                     entity: str | None = None, back: bool = True) -> None:
        """Show ``article`` at ``offset`` (default: where the reader left it); with ``back``
        escape returns to the screen below (the library, or the article it came from)."""
        self.push_screen(self._article_screen(article, offset, back=back, entity=entity))

    def _article_screen(self, article: Article, offset: int | None, *, back: bool,
                        entity: str | None = None) -> ArticleScreen:
        from reader import nlp
        from reader.ui.screens.article import ArticleScreen

        if offset is None and self.store is not None:
            from reader.library import saved_position

            offset = saved_position(self.store, article)
        workers = self.ner_workers
        if workers is None and self.separate_ner and len(article.text) < nlp.PROCESS_MIN_CHARS:
            workers = 1
        return ArticleScreen(article, offset=offset or 0, model=self.model,
                             ner_workers=workers, highlight=self.highlight, back=back,
                             entity=entity, panel=self.panel_shown,
                             text_width=self.text_width)

    def open_path(self, path: Path, offset: int | None = None, entity: str | None = None) -> None:
        """Load ``path`` away from the interface thread, then open it (a bad file is a
        one-line message, and the reader stays where it was)."""
        self.run_worker(lambda: self._load(path, offset, entity), thread=True,
                        exclusive=True, exit_on_error=False, group="open",
                        description=f"open {path.name}")

    def open_note(self, note: Mapping[str, object]) -> bool:
        """Open a stored note's article at its passage (or its entity); False when the note
        does not say which file it belongs to."""
        ref = note.get("article")
        path = ref.get("path") if isinstance(ref, Mapping) else None
        if not path:
            return False
        start = note.get("start")
        entity = note.get("entity")
        self.open_path(Path(str(path)), offset=start if isinstance(start, int) else None,
                       entity=entity if isinstance(entity, str) and entity else None)
        return True

    def _load(self, path: Path, offset: int | None, entity: str | None) -> None:
        from textual.worker import get_current_worker

        from reader.document import ArticleError, load

        try:
            article = load(path)
        except ArticleError as exc:
            self.notify(str(exc), severity="error", timeout=timeouts.PROBLEM, markup=False)
            return
        except Exception as exc:  # an unexpected parser failure must not end the session
            self.notify(f"{path}: cannot be opened ({exc})", severity="error",
                        timeout=timeouts.PROBLEM, markup=False)
            return
        if get_current_worker().is_cancelled:
            return  # opened again meanwhile (a second enter): one screen is enough
        self.call_from_thread(self.open_article, article, offset, entity=entity)

    def show_appearances(self, name: str, aliases: Sequence[str] = (), *,
                         exclude: str | None = None) -> None:
        """The articles of the library that mention ``name`` (but the one with hash
        ``exclude``); Enter opens one at the first mention, with the entity selected."""
        library = self.library
        if library is None:
            self.notify("no library: open the reader without a file to keep one",
                        timeout=timeouts.HINT)
            return

        def find() -> None:
            found = library.appearances(name, aliases=aliases, exclude=exclude)
            self.call_from_thread(self._list_appearances, name, found, exclude is not None)

        self.run_worker(find, thread=True, exclusive=True, exit_on_error=False,
                        group="appearances", description="find an entity in the library")

    def _list_appearances(self, name: str, found: list[Appearance], others: bool) -> None:
        from rich.text import Text

        from reader.ui.screens.dialogs import ChoiceScreen

        if not found:
            self.notify(f"no {'other ' if others else ''}article in the library mentions "
                        f"{name} (reader index FOLDER indexes a folder)", timeout=timeouts.NOTICE)
            return
        options: list[str | Text] = []
        for a in found:
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append(a.title or a.path.name, style="bold")
            label.append(f"  {a.count} mention{'s' if a.count != 1 else ''}", style="dim")
            # One line: the dialog is at most DIALOG_MAX_WIDTH columns wide (90% of a
            # narrower screen).
            room = min(DIALOG_MAX_WIDTH, self.size.width * 9 // 10) - DIALOG_CHROME
            snippet = a.snippet if len(a.snippet) <= room else a.snippet[: room - 1] + "…"
            label.append("\n  " + snippet, style="italic")
            options.append(label)

        def chosen(choice: int | None) -> None:
            if choice is not None:
                a = found[choice]
                self.open_path(a.path, offset=a.start, entity=a.name)

        where = "other articles" if others else "the library"
        self.push_screen(ChoiceScreen(f"{name} in {where} (Enter opens at the first mention)",
                                      options, wide=True), chosen)

    def article_screens(self) -> list[ArticleScreen]:
        """The open articles, bottom first (imported here: the library starts without)."""
        from reader.ui.screens.article import ArticleScreen

        return [s for s in self.screen_stack if isinstance(s, ArticleScreen)]

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from reader.ui.screens.article import ArticleScreen

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
                    "no notes that are not here already", timeout=timeouts.NOTICE)
        for s in self.article_screens():
            s.load_notes()

    async def action_quit(self) -> None:
        """ctrl+q (a priority binding, so it works everywhere): never lose typed text."""
        from reader.ui.screens.dialogs import ConfirmScreen, UnsavedNoteScreen
        from reader.ui.screens.note_editor import NoteEditor

        if any(isinstance(s, UnsavedNoteScreen) for s in self.screen_stack):
            self.notify("the note is not saved: choose what to do with it first (d discards "
                        "it)", severity="warning", timeout=timeouts.NOTICE)
            return
        editor = next((s for s in self.screen_stack if isinstance(s, NoteEditor)), None)
        if editor is None:
            self._quit_unless_notes_in_memory()
            return
        safe = editor.flush_draft()
        if not safe:
            # Not a note, not a draft: only in this window. Never quit without asking.
            if self.screen is not editor:
                self.notify("the note is not saved: go back to it (escape) first",
                            severity="warning", timeout=timeouts.NOTICE)
                return
            editor.ask_unsaved(self._quit_now, quitting=True)
            return
        if not editor.dirty:
            self._quit_now()
            return

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self._quit_now()

        # (Only said when true: flush_draft() has just written the draft, or it was on
        # disk already.)
        self.push_screen(ConfirmScreen("Quit? The note you are writing is kept as a draft "
                                       "and reopens next time."), answered)

    def _quit_unless_notes_in_memory(self) -> None:
        """Quit, asking first when notes made in this session exist only in memory (the
        notes file could not be written): quitting loses them."""
        from reader.ui.screens.dialogs import ConfirmScreen

        store = self.store
        changes = store.memory_only_changes if store is not None else 0
        if not changes:
            self._quit_now()
            return

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self._quit_now()

        self.push_screen(ConfirmScreen(
            f"Quit and lose {changes} change{'s' if changes != 1 else ''} to notes? The notes "
            "file cannot be written (see the message at start), so what you did in this "
            "session is only in memory. Answer n, then x exports an article's notes as "
            "Markdown."), answered)

    def _quit_now(self) -> None:
        self._save_open_position()
        self.exit()

    def _save_open_position(self) -> None:
        for screen in self.article_screens():
            screen.save_position()

    def save_position(self, article: Article, offset: int, progress: float | None = None
                      ) -> None:
        if self.store is None or self.store.read_only:
            return  # (a newer reader's file: it said so at start, and is never written)
        try:
            # With the text there, so the place is found again after the file is edited.
            from reader.library import save_position

            save_position(self.store, article, offset, progress)
        except Exception as exc:  # a full disk must not take the reader down
            self.notify(f"could not save the reading position: {exc}", severity="error")
