"""Command line: open the reader, or run a headless command.

    reader [FILE | DIR]           read FILE, or open the library (with DIR's articles)
    reader entities FILE [--json] the article's people, organizations and places
    reader notes [FILE] [--json]  notes, re-anchored to the file as it is now
                  [--tag TAG] [--search TEXT]   ... or across the library
    reader export FILE...         notes as Markdown for a notes vault
    reader config [--json]        the settings file and the values in force
    reader index DIR              find the entities of a folder's articles for the library
    reader mentions NAME          the articles of the library that mention NAME

Bad input gets one line on stderr and exit status 2, before any screen opens.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader.document import Article, ArticleError, load

if TYPE_CHECKING:
    from reader.entities import Entity
    from reader.notes import PlacedNote
    from reader.store import Store

EXIT_USAGE = 2


class CommandError(Exception):
    """A one-line message for the user; exit status 2."""


def _read_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader",
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
    p.add_argument("--db", help="the notes file whose entity corrections apply (default: "
                                "notes.json in the user data folder; or READER_DB)")
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
    # No garbage collection until the first frame is on screen (the app turns it back on):
    # start-up allocates a great many long-lived objects (Textual's modules, CSS rules,
    # widgets) and the collections they trigger cost the first paint about 80 ms here.
    gc.disable()
    args = _read_parser().parse_args(argv)
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
        article = _load(args.file)
    from reader.config import load_config

    config = load_config()
    model = _model_choice(args.model, config.model)
    if article is not None:
        _prestart_ner(article, model)
    store = _open_store(args.db)
    from reader.library import Library
    from reader.ui.app import ReaderApp

    library = Library(store, folders=[*config.library, *folders])
    offset = store.get_position(article.hash) if article is not None else None
    # NER starts after the first paint (started earlier, spaCy's import competed with the
    # interface's start-up and cost the first paint about 150 ms here). A small text runs
    # in one worker process (separate_ner), so the import never holds the interface's GIL;
    # a large one lets nlp choose (two processes where a core is idle).
    app = ReaderApp(article, store=store, keymap=config.keys,
                    model=model, offset=offset,
                    library=library, separate_ner=True, theme=config.theme,
                    highlight=config.highlight, export_dir=config.export_dir)
    for message in config.messages:
        app.call_later(app.notify, message, severity="warning", timeout=8)
    try:
        app.run()
    finally:
        store.close()
    return 0


def _prestart_ner(article: Article, model_name: str | None) -> None:
    """For a long text whose entities are not cached, start the NER worker now: spaCy's
    import and the model load (seconds here) then run while the page is drawn, and the
    visible page of a 3 MB text was highlighted ~260 ms sooner. A short text's worker
    waits for the first paint: started early it competed with that paint (+100 ms, paired)
    for highlights only ~180 ms sooner."""
    from reader import nlp

    if len(article.text) < nlp.PROCESS_MIN_CHARS:
        return
    model = nlp.find_model(model_name)
    if model is not None and not nlp.is_cached(article.hash, model):
        nlp.prestart(model)


def _open_store(db: str | None) -> Store:
    from reader.store import Store

    return Store(Path(db) if db else None)


def _config_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader config",
        description="Show the settings file (config.toml in the user config folder, or "
                    "READER_CONFIG), every value in force and where it comes from, and any "
                    "problem with the file. A problem never stops the reader: the value "
                    "concerned falls back to its default.")
    p.add_argument("--json", action="store_true",
                   help="an object: path, exists, values {model, library, export_dir, theme, "
                        "highlight, keys}, from_file (the names set by the file), messages")
    return p


def cmd_config(argv: Sequence[str]) -> int:
    args = _config_parser().parse_args(argv)
    from reader.config import config_path, config_values, load_config_sources

    path = config_path()
    cfg, from_file = load_config_sources(path)
    messages = list(cfg.messages)
    if cfg.theme is not None:
        from reader.ui.themes import theme_problem

        problem = theme_problem(cfg.theme)
        if problem is not None:
            messages.append(f"{path.name}: {problem}")
    values = config_values(cfg)
    if args.json:
        out = {"path": str(path), "exists": path.is_file(), "values": values,
               "from_file": sorted(from_file), "messages": messages}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    state = ("exists" if path.is_file() else
             "not there: every value is a default; create it to change one")
    lines = [f"settings file: {path} ({state})", ""]
    shown_default = {"model": "(the best model installed)", "library": "(none)",
                     "export_dir": "(x: the current folder; reader export: stdout)",
                     "theme": "(Textual's default)"}

    def row(name: str, value: str, source: str) -> None:
        lines.append(f"{name:<24} {value:<40} {source}")

    for name in ("model", "library", "export_dir", "theme"):
        value = values[name]
        text = (", ".join(value) if isinstance(value, list) else value) or shown_default[name]
        row(name, text, "from the file" if name in from_file else "default")
    for group, on in cfg.highlight.items():
        row(f"highlight.{group}", "true" if on else "false",
            "from the file" if f"highlight.{group}" in from_file else "default")
    for binding, keys in cfg.keys.items():
        row(f"keys.{binding}", keys, "from the file")
    if not cfg.keys:
        row("keys", "(no key remapped)", "default")
    if messages:
        lines += ["", "problems:"]
        lines += [f"  {m}" for m in messages]
    print("\n".join(lines))
    return 0


def _notes_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader notes",
        description="List notes: those shown with FILE (re-anchored to the file as it is "
                    "now), or every note. A note whose file cannot be read is listed as an "
                    "orphan, with the reason. Listing never changes the notes file.")
    p.add_argument("file", nargs="?",
                   help="an article (.txt, .md, .html, .epub; default: every note)")
    p.add_argument("--json", action="store_true",
                   help="a list of objects: id, text, tags, quote, start, end (offsets into "
                        "the file's text), state (anchored, moved, orphan), entity, "
                        "article {path, hash, title}, created, updated")
    p.add_argument("--tag", metavar="TAG", help="only notes tagged TAG ('#' optional, case "
                   "aside; a nested tag like #project/alpha counts for #project)")
    p.add_argument("--search", metavar="TEXT", help="only notes whose text, quote, entity "
                   "or tags contain TEXT (case aside)")
    p.add_argument("--db", help="the notes file (default: notes.json in the user data folder; "
                                "or READER_DB)")
    return p


def cmd_notes(argv: Sequence[str]) -> int:
    args = _notes_parser().parse_args(argv)
    for option, value in (("--tag", args.tag), ("--search", args.search)):
        if value is not None and not value.strip().strip("#/"):
            raise CommandError(f"{option} needs some text")
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
    if args.tag is not None or args.search is not None:
        stored = notes_model.filter_notes(stored, tag=args.tag, text=args.search)
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
    wanted = [f"tagged #{args.tag.strip().lstrip('#')}" if args.tag else "",
              f"containing “{args.search}”" if args.search else ""]
    _print_notes(placed, article, " and ".join(w for w in wanted if w))
    return 0


def _print_notes(placed: Sequence[PlacedNote], article: Article | None,
                 wanted: str = "") -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    def snippet(text: object, width: int) -> str:
        line = " ".join(str(text or "").split())
        return line if len(line) <= width else line[: width - 1] + "…"

    console = Console()
    heading = (article.title or str(article.path)) if article is not None else "All notes"
    if wanted:
        heading = f"Notes {wanted}" + (f": {heading}" if article is not None else "")
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
        row: list[str | Text] = [p.state, passage, snippet(first, 60), tags]
        if article is None:
            ref = note.get("article")
            ref = ref if isinstance(ref, dict) else {}
            path = Path(str(ref.get("path") or "?"))
            with contextlib.suppress(ValueError):  # ~ keeps the column narrow
                path = "~" / path.relative_to(Path.home())
            cell = Text(snippet(ref.get("title") or path.name, 30))
            cell.append(f"\n{path}", style="dim")
            row.insert(0, cell)
        table.add_row(*row)
    console.print(table)


def _model_choice(explicit: str | None, configured: str | None) -> str | None:
    """``--model``, else READER_MODEL (None here: nlp.find_model reads it), else the
    settings file's ``model``."""
    if explicit:
        return explicit
    return None if os.environ.get("READER_MODEL", "").strip() else configured


def _model_setting(explicit: str | None) -> str | None:
    """:func:`_model_choice` with the settings file read only when it matters (its problems
    are for `reader config` to report)."""
    configured = None
    if not explicit and not os.environ.get("READER_MODEL", "").strip():
        from reader.config import load_config

        configured = load_config().model
    return _model_choice(explicit, configured)


def cmd_entities(argv: Sequence[str]) -> int:
    args = _entities_parser().parse_args(argv)
    article = _load(args.file)
    from reader import nlp
    from reader.analysis import article_entities
    from reader.entities import entity_to_json

    model = nlp.find_model(_model_setting(args.model))
    if model is None:
        raise CommandError(str(nlp.ModelMissing()))
    try:
        mentions = nlp.article_mentions(article, model)
    except nlp.ModelMissing as exc:
        raise CommandError(str(exc)) from None
    entities = _corrected(article_entities(article, mentions), article,
                          _stored_corrections(args.db))
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


def _export_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader export",
        description="Write the notes of each FILE as Markdown for a notes vault: front "
                    "matter, each passage with its note, notes on entities, orphaned notes "
                    "and an entity index. One FILE goes to stdout unless -o or --dir is "
                    "given, or export_dir is set in the settings (see `reader config`); a "
                    "file that exists is replaced as a whole.")
    p.add_argument("files", nargs="*", metavar="FILE", help="an article (.txt, .md, .html, .epub)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="OUT.md",
                       help="write this file (one FILE); - for stdout")
    where.add_argument("--dir", metavar="DIR",
                       help="write one file per article in DIR, named from its title "
                            "(default: export_dir from the settings, if set)")
    p.add_argument("--all", action="store_true",
                   help="every article that has notes (with --dir); notes of an article "
                        "whose file is gone are exported as orphans with their quotes")
    p.add_argument("--wikilinks", action="store_true",
                   help="entity names as [[Name]] links (front matter, index, entity notes)")
    p.add_argument("--template", metavar="FILE",
                   help="a string.Template layout ($front_matter, $title, $notes, ...)")
    p.add_argument("--no-timestamp", action="store_true",
                   help="leave out the export time, so re-exports are byte-identical")
    p.add_argument("--db", help="the notes file (default: notes.json in the user data folder; "
                                "or READER_DB)")
    p.add_argument("--model", help="the spaCy model for the entity index (or READER_MODEL)")
    return p


def cmd_export(argv: Sequence[str]) -> int:
    args = _export_parser().parse_args(argv)
    from reader.config import load_config

    config = load_config()
    for message in config.messages:
        print(f"reader: {message}", file=sys.stderr)
    if args.dir is None and args.output is None and config.export_dir is not None:
        args.dir = str(config.export_dir)
    if args.all and not args.dir:
        raise CommandError("--all writes one file per article: give --dir DIR (or set "
                           "export_dir in the settings)")
    if not args.files and not args.all:
        raise CommandError("export what? give FILE... or --all --dir DIR")
    if len(args.files) > 1 and not args.dir:
        raise CommandError("several files need --dir DIR (one Markdown file each)")
    template = None
    if args.template:
        try:
            template = Path(args.template).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise CommandError(f"cannot read the template {args.template}: {why}") from None
    articles = [_load(f) for f in args.files]  # bad input stops here, before any writing
    import datetime

    from reader import export, nlp
    from reader import notes as notes_model
    from reader.analysis import article_entities

    folder = Path(args.dir) if args.dir else None
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"cannot make the folder {folder}: "
                               f"{(exc.strerror or str(exc)).lower()}") from None
    stamp = None if args.no_timestamp else (
        datetime.datetime.now().astimezone().isoformat(timespec="seconds"))
    model = nlp.find_model(_model_choice(args.model, config.model))
    warned: list[str] = []
    corrections: list[dict[str, object]] = []  # from the store, once it is open

    def warn(message: str) -> None:
        if message not in warned:
            warned.append(message)
            print(f"reader: {message}", file=sys.stderr)

    def entities_of(article: Article) -> list[Entity] | None:
        if model is None:
            warn(f"{nlp.ModelMissing()}; exporting without the entity index")
            return None
        try:
            return _corrected(article_entities(article, nlp.article_mentions(article, model)),
                              article, corrections)
        except nlp.ModelMissing as exc:
            warn(f"{exc}; exporting without the entity index")
            return None

    def source_of(path: Path) -> str:
        try:
            return str(path.resolve())
        except OSError:
            return str(path.absolute())

    store = _open_store(args.db)
    taken: set[Path] = set()
    try:
        for message in store.take_messages():
            print(f"reader: {message}", file=sys.stderr)
        stored = store.notes()
        corrections.extend(store.corrections())
        # (article or a stand-in, its source path, its placed notes, entities, file gone)
        jobs: list[tuple[Article, str, list[PlacedNote], list[Entity] | None, bool]] = []
        done: set[str] = set()
        for article in articles:
            source = source_of(article.path)
            done.add(source)
            entities = entities_of(article)
            names = ([n for e in entities for n in (e.name, *e.aliases)] if entities is not None
                     else notes_model.entity_names_in(stored, article.text))
            jobs.append((article, source, notes_model.notes_for(store, article, names),
                         entities, False))
        if args.all:
            for path, group in sorted(notes_model.group_by_article(stored).items()):
                if not path or path in done:
                    continue
                done.add(path)
                try:
                    article = load(path)
                except ArticleError as exc:
                    # The file is gone or unreadable: its notes, from the note data alone.
                    ref = group[0].get("article") or {}
                    article = Article(path=Path(path), text="", encoding="utf-8",
                                      hash=str(ref.get("hash") or ""), blocks=[],
                                      title=str(ref.get("title") or Path(path).stem))
                    placed = [notes_model.orphaned(n, f"cannot read the article: {exc}")
                              for n in group]
                    jobs.append((article, path, placed, None, True))
                    continue
                entities = entities_of(article)
                names = ([n for e in entities for n in (e.name, *e.aliases)]
                         if entities is not None
                         else notes_model.entity_names_in(stored, article.text))
                jobs.append((article, path, notes_model.notes_for(store, article, names),
                             entities, False))
        for article, source, placed, entities, gone in jobs:
            text = export.export_markdown(article, entities, placed, wikilinks=args.wikilinks,
                                          timestamp=stamp, template=template, source=source,
                                          source_missing=gone)
            if folder is None and args.output in (None, "-"):
                sys.stdout.write(text)
                continue
            target = (Path(args.output) if args.output is not None
                      else export.target_in_dir(folder or Path("."), article.title, source,
                                                taken))
            try:
                export.write_export(target, text)
            except export.ExportError as exc:
                raise CommandError(str(exc)) from None
            n = len(placed)
            print(f"wrote {target} ({n} note{'s' if n != 1 else ''})")
        if args.all and not jobs:
            print("no notes to export", file=sys.stderr)
    finally:
        for message in store.take_messages():
            print(f"reader: {message}", file=sys.stderr)
        store.close()
    return 0


def _stored_corrections(db: str | None) -> list[dict[str, object]]:
    """The store's entity corrections, without creating a notes file that is not there."""
    from reader.store import Store, default_path

    path = Path(db).expanduser() if db else default_path()
    if not (path.exists() or path.is_symlink()):
        return []
    store = Store(path)
    try:
        return store.corrections()
    finally:
        for message in store.take_messages():
            print(f"reader: {message}", file=sys.stderr)
        store.close()


def _corrected(entities: list[Entity], article: Article,
               corrections: Sequence[Mapping[str, object]]) -> list[Entity]:
    if not corrections:
        return entities
    from reader.corrections import apply_corrections

    return apply_corrections(entities, corrections, article.text, article.hash)


def _corrections_parser(action: str | None) -> argparse.ArgumentParser:
    db_help = "the notes file (default: notes.json in the user data folder; or READER_DB)"
    if action == "export":
        p = argparse.ArgumentParser(
            prog="reader corrections export",
            description="Write the added and relabelled names as spaCy entity-ruler patterns "
                        "(JSONL), for use in other pipelines. Corrections made for one "
                        "article only are left out.")
        p.add_argument("--patterns", required=True, metavar="FILE.jsonl")
    elif action == "import":
        p = argparse.ArgumentParser(
            prog="reader corrections import",
            description="Read spaCy entity-ruler patterns (JSONL) as added names for every "
                        "article. PERSON is people; ORG organizations; GPE, LOC, FAC "
                        "places; any other label other.")
        p.add_argument("file", metavar="FILE.jsonl")
    else:
        p = argparse.ArgumentParser(
            prog="reader corrections",
            description="List the entity corrections (relabel, remove, merge, split, add). "
                        "Also: reader corrections export --patterns FILE.jsonl; reader "
                        "corrections import FILE.jsonl.")
        p.add_argument("--json", action="store_true",
                       help="a list of objects: id, kind, form, surface, group, target, "
                            "article (content hash, or null for every article), created")
    p.add_argument("--db", help=db_help)
    return p


def cmd_corrections(argv: Sequence[str]) -> int:
    action = argv[0] if argv and argv[0] in ("export", "import") else None
    args = _corrections_parser(action).parse_args(argv[1:] if action else argv)
    from reader import corrections as corr

    if action == "import":
        try:
            with open(args.file, encoding="utf-8-sig") as fh:
                lines = fh.read().splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise CommandError(f"cannot read {args.file}: {why.lower()}") from None
        skipped: list[str] = []
        found = corr.from_patterns(lines, skipped)
        store = _open_store(args.db)
        try:
            messages = store.take_messages()
            if store.read_only:  # said once, as the reason nothing was imported
                raise CommandError(f"nothing was imported: {store.read_only_reason}")
            for message in messages:
                print(f"reader: {message}", file=sys.stderr)
            from reader.store import StoreError

            try:
                for c in found:
                    store.add_correction(c)
            except StoreError as exc:
                raise CommandError(str(exc)) from None
        finally:
            store.close()
        for why in skipped:
            print(f"reader: {args.file}: skipped {why}", file=sys.stderr)
        print(f"added {len(found)} correction{'s' if len(found) != 1 else ''}, "
              f"skipped {len(skipped)} line{'s' if len(skipped) != 1 else ''}")
        return 0
    stored = _stored_corrections(args.db)
    if action == "export":
        from reader.export import ExportError, write_export

        patterns = corr.to_patterns(stored)
        text = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in patterns)
        try:
            write_export(args.patterns, text)
        except ExportError as exc:
            raise CommandError(str(exc)) from None
        print(f"wrote {args.patterns} ({len(patterns)} pattern{'s' if len(patterns) != 1 else ''})")
        return 0
    stored.sort(key=lambda c: str(c.get("created") or ""))
    if args.json:
        json.dump(stored, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not stored:
        console.print("No corrections", markup=False, highlight=False)
        return 0
    table = Table(title="Entity corrections", title_justify="left")
    for column in ("kind", "name", "group / into", "article", "created"):
        table.add_column(column)
    for c in stored:
        where = str(c.get("group") or c.get("target") or "")
        scope = str(c.get("article") or "")[:12] or "every article"
        table.add_row(str(c.get("kind")), str(c.get("surface") or c.get("form")), where, scope,
                      str(c.get("created") or "")[:19])
    console.print(table)
    return 0


COMMANDS = {"entities": cmd_entities, "notes": cmd_notes, "export": cmd_export,
            "corrections": cmd_corrections}
COMMANDS["config"] = cmd_config


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


# --------------------------------------------------------------------------- library index


def _index_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader index",
        description="Find the people, organizations and places of every article in DIR "
                    "(recursively: .txt .md .html .htm .epub) and remember them in the "
                    "library index, for `reader mentions NAME` and the library screen. "
                    "Texts analysed before come from the entity cache. Ctrl+C stops and "
                    "keeps what was done.")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--model", help="the spaCy model (or READER_MODEL)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="NER processes: 0 runs NER in this process, N starts N worker "
                        "processes (default: two when there is much text and a second core)")
    p.add_argument("--db", help="the notes file whose entity corrections apply and whose "
                                "library is indexed (default: notes.json in the user data "
                                "folder; or READER_DB)")
    p.add_argument("--json", action="store_true",
                   help="the summary as a JSON object: files, indexed, cached, duplicates, "
                        "skipped [{path, why}], chars, ner_chars, seconds, chars_per_s, "
                        "model, interrupted")
    return p


def _index_dir(db: str | None) -> Path:
    from reader.library import default_index_dir

    return default_index_dir(Path(db).expanduser() if db else None)


def cmd_index(argv: Sequence[str]) -> int:
    args = _index_parser().parse_args(argv)
    folder = Path(args.dir).expanduser()
    if not folder.exists():
        raise CommandError(f"{args.dir}: no such folder")
    if not folder.is_dir():
        raise CommandError(f"{args.dir}: not a folder (give a folder of articles)")
    if args.workers is not None and args.workers < 0:
        raise CommandError(f"--workers {args.workers}: give 0 or more")
    from reader.library import Library, article_files, index_files

    files = article_files([folder])
    if not files:
        raise CommandError(f"{args.dir}: no article files (.txt .md .html .htm .epub) in it")
    from reader import nlp

    model = nlp.find_model(_model_setting(args.model))
    if model is None:
        raise CommandError(str(nlp.ModelMissing()))
    corrections = _stored_corrections(args.db)
    from reader.store import Store

    library = Library(Store(memory=True), samples=False, index_path=_index_dir(args.db))
    bar = _IndexBar(len(files)) if sys.stderr.isatty() and not args.json else None
    try:
        run = index_files(library, files, model=model, workers=args.workers,
                          corrections=corrections,
                          progress=bar.update if bar is not None else None)
    except nlp.ModelMissing as exc:
        raise CommandError(str(exc)) from None
    except RuntimeError as exc:  # the NER worker processes died (what was done is kept)
        print(f"reader: {exc}", file=sys.stderr)
        return 1
    finally:
        if bar is not None:
            bar.close()
        for message in library.messages:
            print(f"reader: {message}", file=sys.stderr)
    for _path, why in run.skipped:
        print(f"reader: skipped {why}", file=sys.stderr)
    speed = run.chars / run.seconds if run.seconds > 0 else 0.0
    if args.json:
        out = {"files": run.files, "indexed": run.indexed, "cached": run.cached,
               "duplicates": run.duplicates,
               "skipped": [{"path": str(p), "why": why} for p, why in run.skipped],
               "chars": run.chars, "ner_chars": run.ner_chars,
               "seconds": round(run.seconds, 3), "chars_per_s": round(speed),
               "model": model, "interrupted": run.interrupted}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        extra = [f"{run.cached} from the cache"]
        if run.duplicates:
            extra.append(f"{run.duplicates} duplicate{'s' if run.duplicates != 1 else ''}")
        if run.skipped:
            extra.append(f"{len(run.skipped)} skipped")
        stopped = "stopped: " if run.interrupted else ""
        print(f"{stopped}indexed {run.indexed} of {run.files} file"
              f"{'s' if run.files != 1 else ''} ({', '.join(extra)}): {run.chars:,} chars "
              f"in {run.seconds:.1f} s, {speed:,.0f} chars/s")
    if run.interrupted:
        return 130
    return 0 if run.indexed or run.duplicates else 1


class _IndexBar:
    """rich.progress on stderr: bytes of article files done, and files done."""

    def __init__(self, files: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.files = files
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                 TaskProgressColumn(), TimeElapsedColumn(),
                                 TimeRemainingColumn(), console=Console(stderr=True),
                                 transient=True)
        self.task = self.progress.add_task(f"indexing 0/{files} files", total=None)
        self.progress.start()

    def update(self, done: float, total: float, files_done: int) -> None:
        self.progress.update(self.task, completed=done, total=total,
                             description=f"indexing {files_done}/{self.files} files")

    def close(self) -> None:
        self.progress.stop()


def _mentions_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader mentions",
        description="List every indexed article that mentions NAME (case, spacing and "
                    "accents aside; an alias such as a surname counts): title, path, "
                    "group, mentions and the first one in context. Articles are indexed "
                    "by `reader index DIR` and when their entities are shown in the app. "
                    "Exit status 1 when none does.")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--json", action="store_true",
                   help="a list of objects: hash, path, title, name, group, count, start, "
                        "end (the first mention's offsets into the file's text), snippet")
    p.add_argument("--db", help="the notes file whose library is searched (default: "
                                "notes.json in the user data folder; or READER_DB)")
    return p


def cmd_mentions(argv: Sequence[str]) -> int:
    args = _mentions_parser().parse_args(argv)
    name = " ".join(args.name.split())
    if not name:
        raise CommandError("mentions of what? give a NAME")
    from reader.library import Library, name_key
    from reader.store import Store

    library = Library(Store(memory=True), samples=False, index_path=_index_dir(args.db))
    found = library.appearances(name)
    for message in library.messages:
        print(f"reader: {message}", file=sys.stderr)
    if args.json:
        if found:
            json.dump([{"hash": a.hash, "path": str(a.path), "title": a.title, "name": a.name,
                        "group": a.group, "count": a.count, "start": a.start, "end": a.end,
                        "snippet": a.snippet} for a in found],
                      sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
    elif found:
        # a list, not a table: paths and snippets stay whole in a narrow terminal
        print(f"{len(found)} article{'s' if len(found) != 1 else ''} mention {name}:")
        for a in found:
            times = f"{a.count} mention{'s' if a.count != 1 else ''}"
            also = f", as {a.name}" if name_key(a.name) != name_key(name) else ""
            print(f"\n{a.title}  ({a.group}, {times}{also})\n  {a.path}\n  “{a.snippet}”")
    if not found:
        hint = _near_names(library.entity_names(), name)
        print(f"reader: no indexed article mentions {name}{hint}", file=sys.stderr)
        return 1
    return 0


def _near_names(names: Sequence[tuple[str, str, int]], name: str) -> str:
    """A hint for a name not found: indexed names that contain all its words (a surname
    typed alone), or how to fill an empty index."""
    from reader.library import name_key

    if not names:
        return " (the index is empty: run reader index DIR)"
    words = name_key(name).split()
    near = [n for n, _group, _count in names
            if all(w in name_key(n).split() for w in words)][:5]
    return f" (indexed names with it: {', '.join(near)})" if near else ""


COMMANDS.update(index=cmd_index, mentions=cmd_mentions)
