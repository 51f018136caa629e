"""``reader [FILE | DIR]``: open the reader on an article, or the library."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Sequence
from pathlib import Path

from reader.cli.common import DB, MODEL, CommandError, load_article, model_choice, open_store
from reader.document import Article

__all__ = ["cmd_read", "prestart_ner"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader", parents=[DB, MODEL],
        description="A keyboard-driven terminal reader that highlights people, organizations "
                    "and places. Commands: entities, notes, export, corrections, index, "
                    "mentions, config (see `reader COMMAND --help`).",
    )
    p.add_argument("file", nargs="?",
                   help="an article (.txt, .md, .html, .epub) to read, or a folder of them to "
                        "open as the library (default: the library)")
    p.add_argument("--library", metavar="DIR", action="append", default=[],
                   help="a folder of articles for the library (may be given more than once; "
                        "adds to the `library` setting)")
    return p


def cmd_read(argv: Sequence[str]) -> int:
    # No garbage collection until the first frame is on screen (the app turns it back on):
    # start-up allocates a great many long-lived objects (Textual's modules, CSS rules,
    # widgets) and the collections they trigger slow the first paint (bench/).
    gc.disable()
    args = _parser().parse_args(argv)
    folders: list[Path] = []
    for folder in args.library:
        path = Path(folder).expanduser()
        if not path.is_dir():
            raise CommandError(f"{folder}: not a folder (--library takes a folder of articles)")
        folders.append(path)
    article: Article | None = None
    if args.file is not None and Path(args.file).expanduser().is_dir():
        folders.append(Path(args.file).expanduser())
    elif args.file is not None:
        article = load_article(args.file)
    from reader.config import load_config

    config = load_config()
    model = model_choice(args.model, config.model)
    if article is not None:
        prestart_ner(article, model)
    store = open_store(args.db)
    from reader.config import ExportSettings
    from reader.library import Library, saved_position

    # The one place outside reader.ui that imports it: only to open the app, so that the
    # headless commands never load Textual.
    from reader.ui.app import ReaderApp

    library = Library(store, folders=[*config.library, *folders])
    offset = saved_position(store, article) if article is not None else None
    # NER starts after the first paint (started earlier, spaCy's import competes with the
    # interface's start-up). A small text runs in one worker process (separate_ner), so
    # the import never holds the interface's GIL; a large one lets nlp choose (two
    # processes where a core is idle).
    app = ReaderApp(article, store=store, keymap=config.keys,
                    model=model, offset=offset,
                    library=library, separate_ner=True, theme=config.theme,
                    highlight=config.highlight, export_dir=config.export_dir,
                    panel=config.panel, text_width=config.text_width,
                    export=ExportSettings.from_config(config))
    app.note_colours = dict(config.note_colours)
    for message in config.messages:
        app.call_later(app.notify, message, severity="warning", timeout=8)
    try:
        app.run()
    finally:
        store.close()
    return 0


def prestart_ner(article: Article, model_name: str | None) -> None:
    """For a long text whose entities are not cached, start the NER worker now: spaCy's
    import and the model load (seconds) then run while the page is drawn, and the visible
    page of a long text is highlighted sooner. A short text's worker waits for the first
    paint: started early it would compete with that paint for little gain (bench/)."""
    from reader import nlp

    if len(article.text) < nlp.PROCESS_MIN_CHARS:
        return
    model = nlp.find_model(model_name)
    if model is not None and not nlp.is_cached(article.hash, model):
        nlp.prestart(model)
