"""`x` writes the article's notes as Markdown; `y` copies the passage with its citation."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from reader.ui import timeouts

if TYPE_CHECKING:
    from reader.ui.screens.article.screen import ArticleScreen


def ask_export(screen: ArticleScreen) -> None:
    """`x`: ask where to write this article's notes (the prompt shows the target)."""
    from reader.export import target_in_dir
    from reader.ui.screens.dialogs.text_prompt import TextPrompt

    article = screen.article
    source = str(article.path.resolve())
    folder = screen.export_dir or Path.cwd()
    default = target_in_dir(folder, article.title, source, set())
    try:
        shown = str(default.relative_to(Path.cwd()))
    except ValueError:
        shown = str(default)

    def chosen(value: str | None) -> None:
        if value:
            write_export(screen, Path(value).expanduser())

    count = len(screen.notes.placed)
    screen.app.push_screen(TextPrompt(f"Export {count} notes as Markdown to:", shown,
                                      "Enter writes the file, escape cancels"), chosen)


def write_export(screen: ArticleScreen, target: Path) -> None:
    """Write the notes (and the entities, once final) to ``target`` (a folder: a file
    named for the article in it)."""
    import datetime

    from reader.export import ExportError, export_markdown, target_in_dir
    from reader.export import write_export as write_file

    article = screen.article
    placed = screen.notes.placed
    folder = screen.export_dir
    if folder is not None and target.parent.absolute() == folder.absolute():
        # The settings' folder may not exist yet: made on the first export.
        with contextlib.suppress(OSError):
            target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir():
        target = target_in_dir(target, article.title, str(article.path.resolve()), set())
    stamp = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    entities = screen.entities if screen.entities_settled and screen.entities else None
    try:
        text = export_markdown(article, entities, placed, timestamp=stamp,
                               source=str(article.path.resolve()))
        write_file(target, text)
    except ExportError as exc:
        screen.notify(str(exc), severity="error", timeout=timeouts.PROBLEM)
        return
    screen.notify(f"wrote {target} ({len(placed)} notes)", timeout=timeouts.RESULT)


def copy_passage(screen: ArticleScreen) -> None:
    """`y`: the passage, quoted, with its citation, to the clipboard."""
    where = screen.view.passage()
    if where is None:
        return
    article = screen.article
    quote = " ".join(article.text[where[0]:where[1]].split())
    cite = ", ".join(x for x in (article.author, f"“{article.title}”",
                                 article.date, str(article.path)) if x)
    screen.app.copy_to_clipboard(f"“{quote}” — {cite}")
    screen.notify("copied with its citation", timeout=timeouts.BRIEF)
