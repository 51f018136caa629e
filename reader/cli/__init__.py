"""Command line: open the reader, or run a headless command.

    reader [FILE | DIR]           read FILE, or open the library (with DIR's articles)
    reader entities FILE [--json] the article's people, organizations and places
    reader notes [FILE] [--json]  notes, re-anchored to the file as it is now
                  [--tag TAG] [--search TEXT]   ... or across the library
    reader export FILE...         notes as Markdown for a notes vault
    reader corrections [--json]   the entity corrections (also: export, import)
    reader config [--json]        the settings file and the values in force
    reader index DIR              find the entities of a folder's articles for the library
    reader mentions NAME          the articles of the library that mention NAME

One module per command. Bad input gets one line on stderr and exit status 2, before any
screen opens. Only ``reader`` itself (:mod:`reader.cli.read`) imports the interface, and
only when it opens it: the headless commands never load Textual.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from reader.cli.common import EXIT_USAGE, CommandError
from reader.cli.config import cmd_config
from reader.cli.corrections import cmd_corrections
from reader.cli.entities import cmd_entities
from reader.cli.export import cmd_export
from reader.cli.index import cmd_index
from reader.cli.mentions import cmd_mentions
from reader.cli.notes import cmd_notes
from reader.cli.read import cmd_read

__all__ = ["COMMANDS", "EXIT_USAGE", "CommandError", "main"]

COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "entities": cmd_entities, "notes": cmd_notes, "export": cmd_export,
    "corrections": cmd_corrections, "config": cmd_config, "index": cmd_index,
    "mentions": cmd_mentions,
}


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
