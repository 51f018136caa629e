"""`x` writes the article's notes as Markdown; `y` copies the passage with its citation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reader.ui import timeouts
from reader.ui.access import export_settings_of

if TYPE_CHECKING:
    from reader.ui.screens.article.screen import ArticleScreen


def ask_export(screen: ArticleScreen) -> None:
    """`x`: ask where to write this article's notes (the prompt shows the target)."""
    from reader.export import source_path, target_in_dir
    from reader.ui.screens.dialogs.text_prompt import TextPrompt

    article = screen.article
    folder = screen.export_dir or Path.cwd()
    default = target_in_dir(folder, article.title, source_path(article.path), set(),
                            file_names=export_settings_of(screen).file_names)
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
    from reader.export import ExportError, export_article, now_stamp

    folder = screen.export_dir
    # The settings' folder may not exist yet: made on the first export.
    make_parent = folder is not None and target.parent.absolute() == folder.absolute()
    entities = screen.entities if screen.entities_settled and screen.entities else None
    try:
        done = export_article(screen.article, entities, screen.notes.placed,
                              settings=export_settings_of(screen), target=target,
                              make_parent=make_parent, timestamp=now_stamp())
    except ExportError as exc:
        screen.notify(str(exc), severity="error", timeout=timeouts.PROBLEM)
        return
    screen.notify(f"wrote {done.path} ({done.notes} notes)", timeout=timeouts.RESULT)


def copy_passage(screen: ArticleScreen) -> None:
    """`y`: the passage, quoted, with its citation (a link to the article's export, as
    the settings make it), to the clipboard."""
    from reader.export import citation

    where = screen.view.passage()
    if where is None:
        return
    article = screen.article
    quote = " ".join(article.text[where[0]:where[1]].split())
    cite = ", ".join(x for x in (article.author, citation(article, export_settings_of(screen)),
                                 article.date) if x)
    screen.app.copy_to_clipboard(f"“{quote}” — {cite}")
    screen.notify("copied with its citation", timeout=timeouts.BRIEF)
