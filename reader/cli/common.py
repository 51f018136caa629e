"""What the commands share: the one-line error, the ``--db`` and ``--model`` options, and
opening the article, the store and the settings' model."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.document import Article, ArticleError, load

if TYPE_CHECKING:
    from reader.store import Store

__all__ = ["EXIT_USAGE", "CommandError", "DB", "MODEL", "dump_json", "index_dir",
           "load_article", "model_choice", "model_setting", "open_store", "say",
           "stored_corrections"]

EXIT_USAGE = 2


class CommandError(Exception):
    """A one-line message for the user; exit status 2."""


def _db_parent() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", help="the notes file, with the entity corrections and the library "
                                "index that go with it (default: notes.json in the user data "
                                "folder; or READER_DB)")
    return p


def _model_parent() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--model", help="the spaCy model for entities (or READER_MODEL; default: "
                                   "the settings' model, else the best one installed)")
    return p


#: Parent parsers: every command that opens the notes file takes ``--db``, every one that
#: finds entities ``--model``, with the same meaning everywhere.
DB = _db_parent()
MODEL = _model_parent()


def say(messages: Iterable[str]) -> None:
    """Problems that do not stop the command, one ``reader:`` line each on stderr."""
    for message in messages:
        print(f"reader: {message}", file=sys.stderr)


def dump_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def load_article(path: str | None) -> Article:
    """The article at ``path`` (None: the bundled sample); bad input is a CommandError."""
    if path is None:
        from reader.resources import sample_article

        path = str(sample_article())
    try:
        return load(path)
    except ArticleError as exc:
        raise CommandError(str(exc)) from None


def open_store(db: str | None) -> Store:
    from reader.store import Store

    return Store(Path(db) if db else None)


def stored_corrections(db: str | None) -> list[dict[str, object]]:
    """The store's entity corrections, without creating a notes file that is not there."""
    from reader.store import Store, default_path

    path = Path(db).expanduser() if db else default_path()
    if not (path.exists() or path.is_symlink()):
        return []
    store = Store(path)
    try:
        return store.corrections()
    finally:
        say(store.take_messages())
        store.close()


def index_dir(db: str | None) -> Path:
    from reader.library import default_index_dir

    return default_index_dir(Path(db).expanduser() if db else None)


def model_choice(explicit: str | None, configured: str | None) -> str | None:
    """``--model``, else READER_MODEL (None here: nlp.find_model reads it), else the
    settings file's ``model``."""
    if explicit:
        return explicit
    return None if os.environ.get("READER_MODEL", "").strip() else configured


def model_setting(explicit: str | None) -> str | None:
    """:func:`model_choice` with the settings file read only when it matters (its problems
    are for `reader config` to report)."""
    configured = None
    if not explicit and not os.environ.get("READER_MODEL", "").strip():
        from reader.config import load_config

        configured = load_config().model
    return model_choice(explicit, configured)
