"""``reader export FILE...``: the notes of each article as Markdown for a notes vault."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.common import DB, MODEL, CommandError, load_article, model_choice, say
from reader.document import Article, ArticleError, load

if TYPE_CHECKING:
    from reader.entities import Entity
    from reader.notes import PlacedNote
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


@dataclass
class _Job:
    """One Markdown file to write: the article (or a stand-in when its file is gone), its
    source path, its placed notes and its entities (None: no entity index)."""

    article: Article
    source: str
    placed: list[PlacedNote]
    entities: list[Entity] | None
    gone: bool = False


@dataclass
class _Entities:
    """Each article's panel rows, with a model problem said once."""

    model: str | None
    corrections: list[dict[str, Any]] = field(default_factory=list)
    warned: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if message not in self.warned:
            self.warned.append(message)
            say([message])

    def of(self, article: Article) -> list[Entity] | None:
        from reader import nlp
        from reader.analysis import analyse

        if self.model is None:
            self.warn(f"{nlp.ModelMissing()}; exporting without the entity index")
            return None
        try:
            mentions = nlp.article_mentions(article, self.model)
        except nlp.ModelMissing as exc:
            self.warn(f"{exc}; exporting without the entity index")
            return None
        return analyse(article, mentions, self.corrections)


def _check(args: argparse.Namespace) -> str | None:
    """Bad arguments stop here, before anything is written; the template's text."""
    from reader.config import load_config
    from reader.export import ExportSettings

    config = load_config()
    say(config.messages)
    args.settings = ExportSettings.from_config(config)
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
    import datetime

    from reader import nlp
    from reader.cli.common import open_store

    folder = Path(args.dir) if args.dir else None
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"cannot make the folder {folder}: "
                               f"{(exc.strerror or str(exc)).lower()}") from None
    stamp = None if args.no_timestamp else (
        datetime.datetime.now().astimezone().isoformat(timespec="seconds"))
    entities = _Entities(nlp.find_model(args.model))
    store = open_store(args.db)
    try:
        say(store.take_messages())
        stored = store.notes()
        entities.corrections.extend(store.corrections())
        jobs = _jobs(store, stored, articles, entities, every=args.all)
        taken: set[Path] = set()
        for job in jobs:
            _write(job, args, folder, template, stamp, taken)
        if args.all and not jobs:
            print("no notes to export", file=sys.stderr)
    finally:
        say(store.take_messages())
        store.close()
    return 0


def _job(store: Store, stored: list[dict[str, Any]], article: Article, source: str,
         entities: _Entities) -> _Job:
    from reader import notes as notes_model

    rows = entities.of(article)
    names = ([n for e in rows for n in (e.name, *e.aliases)] if rows is not None
             else notes_model.entity_names_in(stored, article.text))
    return _Job(article, source, notes_model.notes_for(store, article, names), rows)


def _jobs(store: Store, stored: list[dict[str, Any]], articles: list[Article],
          entities: _Entities, *, every: bool) -> list[_Job]:
    """The files given, then (``every``) each other article that has notes."""
    from reader import notes as notes_model
    from reader.export import source_path

    jobs: list[_Job] = []
    done: set[str] = set()
    for article in articles:
        source = source_path(article.path)
        done.add(source)
        jobs.append(_job(store, stored, article, source, entities))
    if not every:
        return jobs
    for path, group in sorted(notes_model.group_by_article(stored).items()):
        if not path or path in done:
            continue
        done.add(path)
        try:
            article = load(path)
        except ArticleError as exc:
            # The file is gone or unreadable: its notes, from the note data alone.
            ref = group[0].get("article") or {}
            stand_in = Article(path=Path(path), text="", encoding="utf-8",
                               hash=str(ref.get("hash") or ""), blocks=[],
                               title=str(ref.get("title") or Path(path).stem))
            placed = [notes_model.orphaned(n, f"cannot read the article: {exc}")
                      for n in group]
            jobs.append(_Job(stand_in, path, placed, None, gone=True))
            continue
        jobs.append(_job(store, stored, article, path, entities))
    return jobs


def _write(job: _Job, args: argparse.Namespace, folder: Path | None, template: str | None,
           stamp: str | None, taken: set[Path]) -> None:
    from reader import export

    target = None if args.output in (None, "-") else Path(args.output)
    if target is not None and target.is_dir():  # -o names the file itself
        raise CommandError(f"cannot write {target}: it is a folder")
    try:
        done = export.export_article(job.article, job.entities, job.placed,
                                     settings=args.settings, folder=folder, target=target,
                                     wikilinks=True if args.wikilinks else None,
                                     timestamp=stamp, template=template, source=job.source,
                                     source_missing=job.gone, taken=taken)
    except export.ExportError as exc:
        raise CommandError(str(exc)) from None
    if done.path is None:
        sys.stdout.write(done.text)
        return
    n = done.notes
    print(f"wrote {done.path} ({n} note{'s' if n != 1 else ''})")
