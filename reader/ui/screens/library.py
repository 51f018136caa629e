"""The library: every article at hand, one row per text, and every note across them.

The rows are a Line-API list of two-line entries (only the visible ones are drawn), so a
long title keeps the whole width of an 80-column terminal and the figures sit on the line
below it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, Static

from reader.ui import timeouts
from reader.ui.access import reader_app, store_of
from reader.ui.keybar import KeyBar
from reader.ui.lists import FilterBox, list_bindings
from reader.ui.rows import RowList, text_line
from reader.ui.widths import LIBRARY_FIGURES, LIBRARY_TITLE_MIN

if TYPE_CHECKING:
    from reader.library import Entry, Library

#: Where the figures of a row go, and their words.
COUNT_WORDS = (("people", "person", "people"), ("organizations", "org", "orgs"),
               ("places", "place", "places"))


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def entry_label(entry: Entry, width: int) -> list[Text]:
    """Two lines: the title (cut only past ``width - LIBRARY_FIGURES`` columns, never
    before ``LIBRARY_TITLE_MIN``) with the reading progress, then author, date, entity
    counts and notes, dimmed."""
    room = max(LIBRARY_TITLE_MIN, width - LIBRARY_FIGURES)
    title = entry.title.replace("\n", " ").strip() or entry.path.name
    if len(title) > room:
        title = title[: room - 1] + "…"
    progress = "new" if entry.progress is None else f"{round(100 * entry.progress)}%"
    label = Text(" ", no_wrap=True, overflow="ellipsis")
    label.append(title.ljust(room), style="bold")
    label.append(f" {progress:>4}", style="dim" if entry.progress is None else "")
    facts: list[str] = []
    if entry.author:
        facts.append(entry.author)
    if entry.date:
        facts.append(entry.date)
    if entry.people is None:
        facts.append("entities not indexed yet")
    else:
        for field, one, many in COUNT_WORDS:
            facts.append(_plural(int(getattr(entry, field) or 0), one, many))
    if entry.notes:
        facts.append(_plural(entry.notes, "note", "notes"))
    if entry.kind not in ("txt", "md"):
        facts.append(entry.kind.upper())
    if entry.sample:
        facts.append("sample")
    return [label, text_line("   " + " · ".join(facts), "dim")]


def matches(entry: Entry, needle: str) -> bool:
    """The filter: every word of ``needle`` in the title, author, date or file name."""
    hay = " ".join(str(x) for x in (entry.title, entry.author or "", entry.date or "",
                                    entry.path.name, entry.kind)).casefold()
    return all(word in hay for word in needle.casefold().split())


class LibraryList(RowList, inherit_bindings=False):
    """The library's rows."""

    BINDINGS: ClassVar[list[BindingType]] = list_bindings("library", "Open the highlighted article")


class LibraryScreen(Screen[None]):
    """`reader` with no file: pick an article; Enter opens it, escape in it comes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", key_display="/",
                tooltip="Filter the rows (enter opens the first match)", id="library.filter"),
        Binding("o", "open_path", "Open a file", tooltip="Open a file by its path (→ completes it)",
                id="library.open_path"),
        Binding("n", "notes", "All notes",
                tooltip="Every note of the library (type words or #tag to narrow)",
                id="library.notes"),
        Binding("escape", "leave", "Clear the filter", show=False, id="library.leave"),
        Binding("question_mark", "help", "Help", key_display="?",
                tooltip="This help", id="library.help"),
        Binding("q", "quit", "Quit", id="library.quit"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.entries: list[Entry] = []
        self.loaded = False
        """True once the rows have been read (for tests and benchmarks)."""
        self._shown: list[Entry] = []
        self._reindexed: set[Path] = set()
        """Edited files indexed again (or tried) this session: each is tried once."""

    def compose(self) -> ComposeResult:
        yield Static("Library", id="library-title", markup=False)
        box = FilterBox(list_id="library", id="library-filter",
                        placeholder="filter: words of the title, author, date or file name")
        box.display = False
        yield box
        yield LibraryList(self._paint, empty="reading the library…", id="library")
        yield KeyBar()

    @property
    def rows(self) -> LibraryList:
        return self.query_one(LibraryList)

    def on_mount(self) -> None:
        self.set_focus(self.rows)
        self._read_entries()

    def on_screen_resume(self) -> None:
        # Back from an article: its progress, notes and entity counts may have changed.
        if self.loaded:
            self._read_entries()

    @work(thread=True, exclusive=True, exit_on_error=False, group="library",
          description="read the library")
    def _read_entries(self) -> None:
        entries = self.library.entries()
        messages = list(self.library.messages)
        self.library.messages.clear()
        self.app.call_from_thread(self._show_entries, entries, messages)

    def _show_entries(self, entries: list[Entry], messages: Sequence[str]) -> None:
        keep = self.highlighted.hash if self.highlighted is not None else None
        self.entries = entries
        self.loaded = True
        for message in messages:
            self.notify(message, severity="warning", timeout=timeouts.PROBLEM, markup=False)
        self._fill(keep)
        self._index_stale()

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-stale",
          description="index the edited articles again")
    def _index_stale(self) -> None:
        """Edited files keep their earlier text's entity counts until indexed again: do
        that now (NER in a worker process, so the interface keeps its GIL), then show
        the rows again."""
        from reader import nlp
        from reader.library import index_files
        from reader.ui.access import reader_app, store_of

        paths = [p for p in self.library.stale() if p not in self._reindexed]
        app = reader_app(self)
        model = nlp.find_model(app.model if app is not None else None)
        if not paths or model is None:
            return
        self._reindexed.update(paths)
        store = store_of(self)
        try:
            run = index_files(self.library, paths, model=model, workers=1,
                              corrections=store.corrections() if store is not None else ())
        except nlp.ModelMissing:
            return
        if run.indexed:
            self.app.call_from_thread(self._read_entries)

    def _paint(self, index: int, width: int) -> list[Text]:
        return entry_label(self._shown[index], width)

    def _fill(self, keep: str | None = None) -> None:
        needle = self.query_one("#library-filter", Input).value.strip()
        shown = [e for e in self.entries if matches(e, needle)] if needle else self.entries
        self._shown = shown
        empty = "no article matches the filter" if needle else \
            "no articles yet: o opens a file, or start reader with a folder"
        index = next((i for i, e in enumerate(shown) if e.hash == keep), 0)
        self.rows.set_count(len(shown), highlighted=index, empty=empty)
        total = len(self.entries)
        title = f"Library · {total} article{'s' if total != 1 else ''}"
        if needle:
            title += f" · {len(shown)} shown for “{needle}”"
        self.query_one("#library-title", Static).update(title)

    @property
    def highlighted(self) -> Entry | None:
        index = self.rows.highlighted
        if index is None or index >= len(self._shown):
            return None
        return self._shown[index]

    @on(RowList.Selected, "#library")
    def _chosen(self, event: RowList.Selected) -> None:
        event.stop()
        if event.index < len(self._shown):
            self.open(self._shown[event.index].path)

    def open(self, path: Path, **where: Any) -> None:
        app = reader_app(self)
        if app is not None:
            app.open_path(path, **where)

    # ------------------------------------------------------------------ filter

    def action_filter(self) -> None:
        box = self.query_one("#library-filter", Input)
        box.display = True
        self.set_focus(box)

    @on(Input.Changed, "#library-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill()

    @on(Input.Submitted, "#library-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        """Enter in the filter opens the first match (an empty filter: back to the list)."""
        event.stop()
        if not event.value.strip():
            event.input.display = False
        self.set_focus(self.rows)
        if event.value.strip() and self._shown:
            self.open(self._shown[0].path)

    def action_leave(self) -> None:
        box = self.query_one("#library-filter", Input)
        if box.display or box.value:
            with box.prevent(Input.Changed):  # refilled below, keeping the highlighted row
                box.value = ""
            box.display = False
            self._fill(self.highlighted.hash if self.highlighted is not None else None)
        self.set_focus(self.rows)

    # ------------------------------------------------------------------ other keys

    def action_open_path(self) -> None:
        from reader.ui.screens.dialogs import TextPrompt
        from reader.ui.suggest import PathSuggester

        def chosen(value: str | None) -> None:
            if value:
                self.open(Path(value).expanduser())

        start = str(Path.cwd()) + "/"
        self.app.push_screen(TextPrompt("Open a file (.txt, .md, .html, .epub)", start,
                                        hint="→ completes the path, Enter opens, escape "
                                             "cancels", suggester=PathSuggester()), chosen)

    def action_notes(self) -> None:
        from reader.ui.screens.all_notes import AllNotesScreen

        store = store_of(self)
        if store is None:
            self.notify("no notes file is open", severity="warning")
            return
        self.app.push_screen(AllNotesScreen(store))

    def action_help(self) -> None:
        from reader.ui.screens.dialogs import HelpScreen

        self.app.push_screen(HelpScreen(first=("library", "all_notes", "filter", "prompts")))

    async def action_quit(self) -> None:
        from reader.ui.app import ReaderApp

        if isinstance(self.app, ReaderApp):  # (asks first when notes would be lost)
            await self.app.action_quit()
            return
        self.app.exit()
