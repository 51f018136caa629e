"""When the store file cannot be read: move it aside, keep a copy of the last good save,
read that copy back on request."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

from reader.files import link_or_copy, unique_path
from reader.store.errors import StoreError, why
from reader.store.schema import SCHEMA_VERSION, Data, Unreadable, checked, parse

__all__ = ["keep_backup_copy", "move_aside", "read_backup", "stamp"]


def stamp() -> str:
    """The time as names of kept files carry it: ``YYYYmmdd-HHMMSS``."""
    return time.strftime("%Y%m%d-%H%M%S")


def move_aside(path: Path, when: str) -> Path:
    """Rename ``path`` to ``<name>.corrupt-<when>`` (a free name: nothing is ever
    overwritten) and return the new path; raises ``OSError`` if it cannot."""
    aside = unique_path(path.with_name(f"{path.name}.corrupt-{when}"))
    try:
        os.link(path, aside)
    except OSError as e:
        if e.errno in (errno.EEXIST, errno.ENOENT):
            raise
        os.rename(path, aside)  # no hard links here; unique_path() chose a free name
    else:
        os.unlink(path)
    return aside


def keep_backup_copy(bak: Path, when: str) -> tuple[Path | None, str]:
    """After the file was moved aside at ``when``: the backup to offer for restoring
    (a kept copy of ``bak`` if it can be read, so the next save's ``.bak`` cannot replace
    it) and a sentence for the user saying what there is."""
    if not bak.exists():
        return None, f" No backup ({bak.name}) was found."
    try:
        with open(bak, "rb") as f:
            parse(f.read())  # only offer a backup that can be read
        kept = unique_path(bak.with_name(f"{bak.name}-{when}"))
        link_or_copy(bak, kept)
    except Unreadable as u:
        return None, f" The backup {bak.name} is unreadable too ({u})."
    except OSError as e:
        return bak, f" The last good save, {bak.name}, can be restored ({why(e)})."
    return kept, (f" The last good save, {bak.name}, can be restored (a copy is kept as "
                  f"{kept.name}).")


def read_backup(src: Path) -> Data:
    """The data of the backup ``src``, migrated to the current schema; raises
    ``StoreError`` saying why it cannot be used."""
    try:
        with open(src, "rb") as f:
            data = parse(f.read())
    except FileNotFoundError:
        raise StoreError(
            f"There is no backup to restore ({src.name} does not exist)."
        ) from None
    except OSError as e:
        raise StoreError(f"The backup {src.name} cannot be read ({why(e)}).") from None
    except Unreadable as u:
        raise StoreError(f"The backup {src.name} cannot be read ({u}).") from None
    data, version = checked(data)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"The backup {src.name} is from a newer version of reader (schema {version})."
        )
    return data
