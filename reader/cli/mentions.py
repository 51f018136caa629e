"""``reader mentions NAME``: the articles of the library that mention NAME."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from reader.cli.common import DB, CommandError, dump_json, index_dir, say

__all__ = ["cmd_mentions", "found_line"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader mentions", parents=[DB],
        description="List every indexed article that mentions NAME (case, spacing and "
                    "accents aside; an alias such as a surname counts): title, path, "
                    "group, mentions and the first one in context. Articles are indexed "
                    "by `reader index DIR` and when their entities are shown in the app. "
                    "Exit status 1 when none does.")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--json", action="store_true",
                   help="a list of objects: hash, path, title, name, group, count, start, "
                        "end (the first mention's offsets into the file's text), snippet")
    return p


def found_line(articles: int, name: str) -> str:
    """The listing's first line: "1 article mentions NAME:", "2 articles mention NAME:"."""
    if articles == 1:
        return f"1 article mentions {name}:"
    return f"{articles} articles mention {name}:"


def cmd_mentions(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    name = " ".join(args.name.split())
    if not name:
        raise CommandError("mentions of what? give a NAME")
    from reader.library import Library, name_key
    from reader.store import Store

    library = Library(Store(memory=True), samples=False, index_path=index_dir(args.db))
    found = library.appearances(name)
    say(library.messages)
    if args.json:
        if found:
            dump_json([{"hash": a.hash, "path": str(a.path), "title": a.title, "name": a.name,
                        "group": a.group, "count": a.count, "start": a.start, "end": a.end,
                        "snippet": a.snippet} for a in found])
    elif found:
        # a list, not a table: paths and snippets stay whole in a narrow terminal
        print(found_line(len(found), name))
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
