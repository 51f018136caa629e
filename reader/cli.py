"""Command line: open the reader, or run a headless command.

    reader [FILE]                 read FILE (default: the bundled sample)
    reader entities FILE [--json] the article's people, organizations and places

Bad input gets one line on stderr and exit status 2, before any screen opens.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader.document import Article, ArticleError, load

if TYPE_CHECKING:
    from reader.nlp import MentionJob
    from reader.notes import PlacedNote
    from reader.store import Store

EXIT_USAGE = 2


class CommandError(Exception):
    """A one-line message for the user; exit status 2."""


def _read_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader",
        description="A keyboard-driven terminal reader that highlights people, organizations "
                    "and places. Commands: entities (see `reader entities --help`).",
    )
    p.add_argument("file", nargs="?", help="a .txt or .md article (default: the bundled sample)")
    p.add_argument("--db", help="the notes file (default: notes.json in the user data folder; "
                                "or READER_DB)")
    p.add_argument("--model", help="the spaCy model for entities (or READER_MODEL)")
    return p


def _entities_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reader entities",
                                description="List the people, organizations and places of FILE.")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--model", help="the spaCy model (or READER_MODEL)")
    return p


def _load(path: str | None) -> Article:
    if path is None:
        from reader.resources import sample_article

        path = str(sample_article())
    try:
        return load(path)
    except ArticleError as exc:
        raise CommandError(str(exc)) from None


def cmd_read(argv: Sequence[str]) -> int:
    args = _read_parser().parse_args(argv)
    article = _load(args.file)
    from reader.config import load_config

    config = load_config()
    store = _open_store(args.db)
    offset = store.get_position(article.hash) or 0
    job = _start_ner(article, args.model or config.model, offset)
    from reader.ui.app import ReaderApp

    app = ReaderApp(article, store=store, keymap=config.keys, model=args.model or config.model,
                    job=job, offset=offset)
    for message in config.messages:
        app.call_later(app.notify, message, severity="warning", timeout=8)
    try:
        app.run()
    finally:
        if job is not None:
            job.cancel()
        store.close()
    return 0


def _start_ner(article: Article, model_name: str | None, offset: int) -> MentionJob | None:
    """Start NER now, while the interface is still starting, unless the cache has it.

    A small text runs in one worker process so spaCy's import never holds this process's
    GIL during start-up; a large one lets nlp choose (two processes where a core is idle).
    """
    from reader import nlp

    model = nlp.find_model(model_name)
    if model is None or nlp.load_cached(article.hash, model,
                                         nlp.model_version(model)) is not None:
        return None
    workers = 1 if len(article.text) < nlp.PROCESS_MIN_CHARS else None
    return nlp.MentionJob(article, model, first=article.block_at(offset), workers=workers)


def _open_store(db: str | None) -> Store:
    from reader.store import Store

    return Store(Path(db) if db else None)


def _notes_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader notes",
        description="List notes: those shown with FILE (re-anchored to the file as it is "
                    "now), or every note. A note whose file cannot be read is listed as an "
                    "orphan, with the reason. Listing never changes the notes file.")
    p.add_argument("file", nargs="?", help="a .txt or .md article (default: every note)")
    p.add_argument("--json", action="store_true",
                   help="a list of objects: id, text, tags, quote, start, end (offsets into "
                        "the file's text), state (anchored, moved, orphan), entity, "
                        "article {path, hash, title}, created, updated")
    p.add_argument("--db", help="the notes file (default: notes.json in the user data folder; "
                                "or READER_DB)")
    return p


def cmd_notes(argv: Sequence[str]) -> int:
    args = _notes_parser().parse_args(argv)
    article = _load(args.file) if args.file else None
    from reader import notes as notes_model
    from reader.store import Store, default_path

    db = Path(args.db).expanduser() if args.db else default_path()
    stored: list[dict[str, object]] = []
    if db.exists() or db.is_symlink():  # opening the store would create a missing file
        store = Store(db)
        try:
            stored = store.notes()
        finally:
            for message in store.take_messages():
                print(f"reader: {message}", file=sys.stderr)
            store.close()
    if article is not None:
        names = notes_model.entity_names_in(stored, article.text)
        placed = notes_model.place_notes(
            notes_model.select_notes(stored, article, names), article)
    else:
        placed = []
        for path, group in sorted(notes_model.group_by_article(stored).items()):
            try:
                source = load(path) if path else None
            except ArticleError as exc:
                placed += [notes_model.orphaned(n, f"cannot read the article: {exc}")
                           for n in group]
                continue
            if source is None:
                placed += [notes_model.orphaned(n, "the note names no article") for n in group]
            else:
                placed += notes_model.place_notes(group, source)
    if args.json:
        json.dump([notes_model.note_json(p) for p in placed], sys.stdout, ensure_ascii=False,
                  indent=1)
        sys.stdout.write("\n")
        return 0
    _print_notes(placed, article)
    return 0


def _print_notes(placed: Sequence[PlacedNote], article: Article | None) -> None:
    from rich.console import Console
    from rich.table import Table

    def snippet(text: object, width: int) -> str:
        line = " ".join(str(text or "").split())
        return line if len(line) <= width else line[: width - 1] + "…"

    console = Console()
    heading = (article.title or str(article.path)) if article is not None else "All notes"
    if not placed:
        console.print(f"No notes: {heading}", markup=False, highlight=False)
        return
    table = Table(title=heading, title_justify="left")
    if article is None:
        table.add_column("article")
    table.add_column("state")
    table.add_column("passage")
    table.add_column("note")
    table.add_column("tags")
    for p in placed:
        note = p.note
        entity = note.get("entity")
        passage = (f"about {entity}" if p.start is None and entity and p.state != "orphan"
                   else "“" + snippet(p.quote or note.get("quote"), 48) + "”")
        first = next((ln for ln in str(note.get("text") or "").splitlines() if ln.strip()), "")
        tags = " ".join(f"#{t}" for t in note.get("tags") or [])
        row = [p.state, passage, snippet(first, 60), tags]
        if article is None:
            ref = note.get("article")
            ref = ref if isinstance(ref, dict) else {}
            row.insert(0, snippet(ref.get("title") or Path(str(ref.get("path") or "?")).name,
                                  30))
        table.add_row(*row)
    console.print(table)


def cmd_entities(argv: Sequence[str]) -> int:
    args = _entities_parser().parse_args(argv)
    article = _load(args.file)
    from reader import nlp
    from reader.entities import entity_to_json, resolve

    model = nlp.find_model(args.model)
    if model is None:
        raise CommandError(str(nlp.ModelMissing()))
    try:
        mentions = nlp.article_mentions(article, model)
    except nlp.ModelMissing as exc:
        raise CommandError(str(exc)) from None
    entities = resolve(mentions, article.text)
    if args.json:
        out = {"article": article.header(), "model": f"{model} {nlp.model_version(model)}",
               "entities": [entity_to_json(e) for e in entities]}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=article.title or str(article.path))
    table.add_column("group")
    table.add_column("name")
    table.add_column("mentions", justify="right")
    table.add_column("also")
    for e in entities:
        table.add_row(e.group, e.name, str(e.count), ", ".join(e.aliases))
    Console().print(table)
    return 0


COMMANDS = {"entities": cmd_entities, "notes": cmd_notes}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = COMMANDS.get(args[0]) if args else None
    try:
        if command is not None:
            return command(args[1:])
        return cmd_read(args)
    except CommandError as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
