"""``reader export FILE...``: the notes of each article as Markdown for a notes vault."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.common import DB, MODEL, CommandError, load_article, model_choice, say

if TYPE_CHECKING:
    from reader.document import Article
    from reader.export import EntityPages
    from reader.library.vault import NotesExport, RowsOf
    from reader.store import Store

__all__ = ["cmd_export"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader export", parents=[DB, MODEL],
        description="Write the notes of each FILE as Markdown for a notes vault: front "
                    "matter, each passage with its note, notes on entities, orphaned notes "
                    "and an entity index. One FILE goes to stdout unless -o or --dir is "
                    "given, or export_dir is set in the settings (see `reader config`); a "
                    "file that exists is replaced as a whole.")
    p.add_argument("files", nargs="*", metavar="FILE", help="an article (.txt, .md, .html, .epub)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="OUT.md",
                       help="write this file (one FILE); - for stdout")
    where.add_argument("--entities", metavar="DIR",
                       help="write a page per person, organization and place of the library "
                            "(see `reader index`) into DIR, and every article that has notes "
                            "or that a page links to, linked to the pages; a page edited "
                            "since the last export is kept and the new one written beside it")
    where.add_argument("--dir", metavar="DIR",
                       help="write one file per article in DIR, named from its title (or a "
                            "slug: export.file_names) (default: export_dir from the "
                            "settings, if set)")
    p.add_argument("--all", action="store_true",
                   help="every article that has notes (with --dir); notes of an article "
                        "whose file is gone are exported as orphans with their quotes")
    p.add_argument("--wikilinks", action="store_true",
                   help="entity names as [[Name]] links (front matter, index, entity notes; "
                        "default: export.wikilinks from the settings)")
    p.add_argument("--template", metavar="FILE",
                   help="a string.Template layout ($front_matter, $title, $notes, ...)")
    p.add_argument("--no-timestamp", action="store_true",
                   help="leave out the export time, so re-exports are byte-identical")
    return p


def _check(args: argparse.Namespace) -> str | None:
    """Bad arguments stop here, before anything is written; the template's text."""
    from reader.config import load_config
    from reader.export import ExportSettings

    config = load_config()
    say(config.messages)
    args.settings = ExportSettings.from_config(config)
    if args.entities is not None:
        args.dir, args.all = args.entities, True
    if args.dir is None and args.output is None and config.export_dir is not None:
        args.dir = str(config.export_dir)
    if args.all and not args.dir:
        raise CommandError("--all writes one file per article: give --dir DIR (or set "
                           "export_dir in the settings)")
    if not args.files and not args.all:
        raise CommandError("export what? give FILE... or --all --dir DIR")
    if len(args.files) > 1 and not args.dir:
        raise CommandError("several files need --dir DIR (one Markdown file each)")
    args.model = model_choice(args.model, config.model)
    if not args.template:
        return None
    try:
        return Path(args.template).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise CommandError(f"cannot read the template {args.template}: {why}") from None


def cmd_export(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    template = _check(args)
    articles = [load_article(f) for f in args.files]  # bad input stops here, before writing
    from reader import nlp
    from reader.cli.common import open_store
    from reader.export import now_stamp
    from reader.library.vault import ArticleRows, notes_exports

    folder = Path(args.dir) if args.dir else None
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"cannot make the folder {folder}: "
                               f"{(exc.strerror or str(exc)).lower()}") from None
    stamp = None if args.no_timestamp else now_stamp()
    store = open_store(args.db)
    try:
        say(store.take_messages())
        stored = store.notes()
        rows = ArticleRows(nlp.find_model(args.model), store.corrections(),
                           warn=lambda message: say([message]))
        if args.entities:
            pages, jobs = _entity_pages(args, store, stored, articles, rows.of, folder)
        else:
            pages, jobs = None, notes_exports(store, stored, articles, rows.of, every=args.all)
        taken: set[Path] = set()
        for job in jobs:
            _write(job, args, folder, template, stamp, taken,
                   pages.links if pages is not None else None)
        if args.all and not jobs:
            print("no notes to export", file=sys.stderr)
    finally:
        say(store.take_messages())
        store.close()
    return 0


def _entity_pages(args: argparse.Namespace, store: Store, stored: list[dict[str, Any]],
                  articles: list[Article], rows_of: RowsOf, folder: Path | None
                  ) -> tuple[EntityPages, list[NotesExport]]:
    """``--entities``: the library's entity pages, written before the articles (those
    with notes and those the pages link to) that the caller writes; one line for what was
    written, one per page written beside an edited one."""
    from reader.cli.common import index_dir
    from reader.export import ExportError
    from reader.library import Library
    from reader.library.vault import edited_pages, pages_written, vault_exports

    assert folder is not None
    library = Library(store, samples=False, index_path=index_dir(args.db))
    if not library.entity_names():
        say(["the library's entity index is empty (run `reader index FOLDER...`): "
             "no entity pages"])
    try:
        pages, jobs = vault_exports(folder, library, store, stored, articles, rows_of,
                                    args.settings)
    except ExportError as exc:
        raise CommandError(str(exc)) from None
    say(library.messages)
    print(pages_written(pages, folder))
    for line in edited_pages(pages):
        print(line)
    return pages, jobs


def _write(job: NotesExport, args: argparse.Namespace, folder: Path | None, template: str | None,
           stamp: str | None, taken: set[Path], pages: dict[str, str] | None) -> None:
    from reader import export

    target = None if args.output in (None, "-") else Path(args.output)
    if target is not None and target.is_dir():  # -o names the file itself
        raise CommandError(f"cannot write {target}: it is a folder")
    try:
        done = export.export_article(job.article, job.entities, job.placed,
                                     settings=args.settings, folder=folder, target=target,
                                     wikilinks=True if args.wikilinks else None,
                                     pages=pages, timestamp=stamp, template=template,
                                     source=job.source,
                                     source_missing=job.gone, taken=taken)
    except export.ExportError as exc:
        raise CommandError(str(exc)) from None
    if done.path is None:
        sys.stdout.write(done.text)
        return
    n = done.notes
    did = "unchanged" if done.unchanged else "wrote"
    print(f"{did} {done.path} ({n} note{'s' if n != 1 else ''})")
