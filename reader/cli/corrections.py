"""``reader corrections``: list the entity corrections; export or import them as spaCy
entity-ruler patterns."""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from reader.cli.common import DB, CommandError, dump_json, open_store, say, stored_corrections
from reader.document import ArticleError, load

__all__ = ["cmd_corrections"]


#: Each form of the command (None: the list) -> its description in ``--help``.
_DESCRIPTIONS = {
    "export": "Write the added and relabelled names as spaCy entity-ruler patterns (JSONL), "
              "for use in other pipelines. Corrections made for one article only are left "
              "out.",
    "import": "Read spaCy entity-ruler patterns (JSONL) as added names for every article. "
              "PERSON is people; ORG organizations; GPE, LOC, FAC places; any other label "
              "other.",
    None: "List the entity corrections (relabel, remove, merge, split, add), each with the "
          "title of its article. Also: reader corrections export --patterns FILE.jsonl; "
          "reader corrections import FILE.jsonl.",
}


def _parser(action: str | None) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader corrections" + (f" {action}" if action else ""), parents=[DB],
        description=_DESCRIPTIONS[action])
    if action == "export":
        p.add_argument("--patterns", required=True, metavar="FILE.jsonl")
    elif action == "import":
        p.add_argument("file", metavar="FILE.jsonl")
    else:
        p.add_argument("--json", action="store_true",
                       help="a list of objects: id, kind, form, surface, group, target, "
                            "article (content hash, or null for every article), created")
    return p


def cmd_corrections(argv: Sequence[str]) -> int:
    action = argv[0] if argv and argv[0] in ("export", "import") else None
    args = _parser(action).parse_args(argv[1:] if action else argv)
    if action == "import":
        return _import(args.file, args.db)
    stored = stored_corrections(args.db)
    if action == "export":
        return _export(stored, args.patterns)
    stored.sort(key=lambda c: str(c.get("created") or ""))
    if args.json:
        dump_json(stored)
        return 0
    _print(stored, _titles(args.db, (str(c["article"]) for c in stored if c.get("article"))))
    return 0


def _import(file: str, db: str | None) -> int:
    from reader import corrections as corr
    from reader.store import StoreError

    try:
        with open(file, encoding="utf-8-sig") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise CommandError(f"cannot read {file}: {why.lower()}") from None
    skipped: list[str] = []
    found = corr.from_patterns(lines, skipped)
    store = open_store(db)
    try:
        messages = store.take_messages()
        if store.read_only:  # said once, as the reason nothing was imported
            raise CommandError(f"nothing was imported: {store.read_only_reason}")
        say(messages)
        try:
            for c in found:
                store.add_correction(c)
        except StoreError as exc:
            raise CommandError(str(exc)) from None
    finally:
        store.close()
    say(f"{file}: skipped {why}" for why in skipped)
    print(f"added {len(found)} correction{'s' if len(found) != 1 else ''}, "
          f"skipped {len(skipped)} line{'s' if len(skipped) != 1 else ''}")
    return 0


def _export(stored: list[dict[str, Any]], patterns_file: str) -> int:
    from reader import corrections as corr
    from reader.export import ExportError, write_export

    patterns = corr.to_patterns(stored)
    text = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in patterns)
    try:
        write_export(patterns_file, text)
    except ExportError as exc:
        raise CommandError(str(exc)) from None
    print(f"wrote {patterns_file} ({len(patterns)} pattern{'s' if len(patterns) != 1 else ''})")
    return 0


def _titles(db: str | None, hashes: Iterable[str]) -> dict[str, str]:
    """The titles of the articles with these content hashes: from the notes about them,
    else from the article files opened before or bundled (read only when needed, and
    only when they still hold the same text). Nothing is written."""
    wanted = set(hashes)
    if not wanted:
        return {}
    store = open_store(db)
    titles: dict[str, str] = {}
    try:
        for note in store.notes():
            ref = note.get("article")
            if isinstance(ref, dict) and ref.get("hash") in wanted and ref.get("title"):
                titles.setdefault(str(ref["hash"]), str(ref["title"]))
        opened = [(str(p.get("hash")), str(p.get("path") or ""))
                  for p in store.recent(limit=None)]
    finally:
        say(store.take_messages())
        store.close()
    from reader.resources import seeds_dir

    seeds = sorted(str(p) for p in seeds_dir().iterdir() if p.is_file())
    for known, path in [*opened, *(("", p) for p in seeds)]:
        missing = wanted - titles.keys()
        if not missing or (known and known not in missing) or not path:
            continue
        with contextlib.suppress(ArticleError):
            article = load(path)
            if article.hash in missing and article.title:
                titles[article.hash] = article.title
    return titles


def _print(stored: list[dict[str, Any]], titles: dict[str, str]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not stored:
        console.print("No corrections", markup=False, highlight=False)
        return
    table = Table(title="Entity corrections", title_justify="left")
    for column in ("kind", "name", "group / into", "article", "created"):
        table.add_column(column)
    for c in stored:
        where = str(c.get("group") or c.get("target") or "")
        article = str(c.get("article") or "")
        # A hash only when no title is known: the article was never opened nor indexed.
        scope = (titles.get(article) or article[:12]) if article else "every article"
        table.add_row(str(c.get("kind")), str(c.get("surface") or c.get("form")), where, scope,
                      str(c.get("created") or "")[:19])
    console.print(table)
