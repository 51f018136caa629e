"""`x` writes the article's notes as Markdown; `X` the library's entity pages and every
article's notes (and each article a page links to); `y` copies the passage with its citation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reader.ui import timeouts
from reader.ui.access import export_settings_of, library_of, store_of

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

    screen.app.push_screen(TextPrompt(f"Export {_notes(len(screen.notes.placed))} as "
                                      "Markdown to:", shown,
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
    did = "unchanged" if done.unchanged else "wrote"
    screen.notify(f"{did} {done.path} ({_notes(done.notes)})", timeout=timeouts.RESULT)


def _notes(n: int) -> str:
    return f"{n} note{'s' if n != 1 else ''}"


def ask_vault(screen: ArticleScreen) -> None:
    """`X`: ask for a folder, then write the entity pages, every article that has notes
    and every article a page links to there (in a worker: it may run the model on
    articles not read yet)."""
    from reader.ui.screens.dialogs.text_prompt import TextPrompt

    folder = screen.export_dir or Path.cwd()
    try:
        shown = str(folder.relative_to(Path.cwd())) or "."
    except ValueError:
        shown = str(folder)

    def chosen(value: str | None) -> None:
        if value:
            target = Path(value).expanduser()
            screen.run_worker(lambda: write_vault(screen, target), thread=True,
                              exit_on_error=False, group="vault",
                              description="export the entity pages and the notes")

    screen.app.push_screen(TextPrompt("Export the entity pages and all notes to the folder:",
                                      shown, "Enter writes the files, escape cancels"), chosen)


def write_vault(screen: ArticleScreen, folder: Path) -> None:
    """The worker of `X`: as ``reader export --entities FOLDER``; says what it did."""
    from reader import nlp
    from reader.export import ExportError, export_article, now_stamp
    from reader.library.vault import ArticleRows, edited_pages, pages_written, vault_exports

    store, library = store_of(screen), library_of(screen)
    if store is None or library is None:
        screen.app.call_from_thread(screen.notify, "no library to export",
                                    severity="warning", timeout=timeouts.PROBLEM)
        return
    settings = export_settings_of(screen)
    stored = store.notes()
    rows = ArticleRows(nlp.find_model(screen.model), store.corrections(), workers=1)
    unchanged = 0
    try:
        pages, jobs = vault_exports(folder, library, store, stored, [], rows.of, settings)
        taken: set[Path] = set()
        stamp = now_stamp()
        for job in jobs:
            done = export_article(job.article, job.entities, job.placed, settings=settings,
                                  folder=folder, pages=pages.links, timestamp=stamp,
                                  source=job.source, source_missing=job.gone, taken=taken)
            unchanged += done.unchanged
    except ExportError as exc:
        screen.app.call_from_thread(screen.notify, str(exc), severity="error",
                                    timeout=timeouts.PROBLEM)
        return
    n = len(jobs)
    said = [f"{pages_written(pages, folder)}; {n} article{'s' if n != 1 else ''} "
            f"({unchanged} unchanged)", *edited_pages(pages), *rows.warned]
    screen.app.call_from_thread(screen.notify, "\n".join(said), timeout=timeouts.RESULT)


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
