"""``reader notes [FILE]``: notes, re-anchored to the file as it is now, or every note."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.common import DB, CommandError, dump_json, load_article, say
from reader.document import Article, ArticleError, load

if TYPE_CHECKING:
    from rich.text import Text

    from reader.notes import PlacedNote

__all__ = ["cmd_notes"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader notes", parents=[DB],
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
    return p


def cmd_notes(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    for option, value in (("--tag", args.tag), ("--search", args.search)):
        if value is not None and not value.strip().strip("#/"):
            raise CommandError(f"{option} needs some text")
    article = load_article(args.file) if args.file else None
    from reader import notes as notes_model

    stored = _stored_notes(args.db)
    if args.tag is not None or args.search is not None:
        stored = notes_model.filter_notes(stored, tag=args.tag, text=args.search)
    if article is not None:
        names = notes_model.entity_names_in(stored, article.text)
        placed = notes_model.place_notes(
            notes_model.select_notes(stored, article, names), article)
    else:
        placed = _placed_everywhere(stored)
    if args.json:
        dump_json([notes_model.note_json(p) for p in placed])
        return 0
    wanted = [f"tagged #{args.tag.strip().lstrip('#')}" if args.tag else "",
              f"containing “{args.search}”" if args.search else ""]
    _print_notes(placed, article, " and ".join(w for w in wanted if w))
    return 0


def _stored_notes(db: str | None) -> list[dict[str, Any]]:
    from reader.store import Store, default_path

    path = Path(db).expanduser() if db else default_path()
    if not (path.exists() or path.is_symlink()):  # opening the store would create it
        return []
    store = Store(path)
    try:
        return store.notes()
    finally:
        say(store.take_messages())
        store.close()


def _placed_everywhere(stored: list[dict[str, Any]]) -> list[PlacedNote]:
    """Every note placed in its own article, or an orphan saying why it cannot be."""
    from reader import notes as notes_model

    placed: list[PlacedNote] = []
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
    return placed


def _snippet(text: object, width: int) -> str:
    line = " ".join(str(text or "").split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _print_notes(placed: Sequence[PlacedNote], article: Article | None,
                 wanted: str = "") -> None:
    from rich.console import Console
    from rich.table import Table

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
    for column in ("state", "passage", "note", "tags"):
        table.add_column(column)
    for p in placed:
        note = p.note
        entity = note.get("entity")
        passage = (f"about {entity}" if p.start is None and entity and p.state != "orphan"
                   else "“" + _snippet(p.quote or note.get("quote"), 48) + "”")
        first = next((ln for ln in str(note.get("text") or "").splitlines() if ln.strip()), "")
        tags = " ".join(f"#{t}" for t in note.get("tags") or [])
        row: list[str | Text] = [p.state, passage, _snippet(first, 60), tags]
        if article is None:
            row.insert(0, _article_cell(note))
        table.add_row(*row)
    console.print(table)


def _article_cell(note: dict[str, Any]) -> Text:
    from rich.text import Text

    ref = note.get("article")
    ref = ref if isinstance(ref, dict) else {}
    path = Path(str(ref.get("path") or "?"))
    with contextlib.suppress(ValueError):  # ~ keeps the column narrow
        path = "~" / path.relative_to(Path.home())
    cell = Text(_snippet(ref.get("title") or path.name, 30))
    cell.append(f"\n{path}", style="dim")
    return cell
