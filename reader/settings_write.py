"""Remembering what the user set in the app: the theme, the entity panel shown or hidden,
the highlighted groups.

Written into the settings file (see :mod:`reader.config`) with tomlkit, so the user's
comments, order and layout stay as they were and no other key is touched. A file with a
TOML error is never overwritten: the change stays in force for the session only, and the
message says so.

:class:`SettingsWriter` gathers changes from the interface thread and writes them from
another one (each write fsyncs): the latest value of each setting always wins, however
the writes interleave.
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from reader.config import config_path
from reader.files import atomic_write

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

__all__ = ["SettingValue", "SettingsError", "SettingsWriter", "save_settings"]

#: A value the app remembers: a theme name, or a switch.
SettingValue = str | bool
_BOM = "\ufeff"


class SettingsError(Exception):
    """The settings file was not written; the message says why, in one line."""


def save_settings(changes: Mapping[str, SettingValue], path: Path | None = None) -> bool:
    """Set ``changes`` in the settings file, keeping everything else in it.

    Keys are top-level names (``theme``, ``panel``) or ``table.key`` (``highlight.people``).
    The file and its folder are made when missing. Returns False when the file already
    said so (nothing written). Raises :class:`SettingsError` when the file cannot be read,
    has a TOML error (left as it is), or cannot be written.
    """
    # Imported here: the app starts without it, and most sessions never write.
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    p = path or config_path()
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raw = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{p}: cannot be read ({_why(exc)})") from exc
    bom = raw.startswith(_BOM)
    try:
        doc = tomlkit.parse(raw.removeprefix(_BOM))
    except TOMLKitError as exc:
        raise SettingsError(f"{p.name} has a TOML error ({exc}), so it is left as it is"
                            ) from exc
    if not any([_set(doc, name, value) for name, value in changes.items()]):
        return False
    text = tomlkit.dumps(doc)
    try:
        tomllib.loads(text)  # tomlkit's output must read back as the file did
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{p.name}: could not be updated ({exc})") from exc
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(p, (_BOM if bom else "") + text, tag="settings")
    except OSError as exc:
        raise SettingsError(f"{p}: cannot be written ({_why(exc)})") from exc
    return True


def _why(exc: Exception) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def _set(doc: TOMLDocument, name: str, value: SettingValue) -> bool:
    """Set one value; False when it was set so already."""
    import tomlkit
    from tomlkit.items import InlineTable, Table

    table_name, _, key = name.rpartition(".")
    if not table_name:
        if _same(doc.get(key), value):
            return False
        doc[key] = value
        return True
    table = doc.get(table_name)
    if not isinstance(table, Table | InlineTable):
        if table_name in doc:  # not a table (the reader reported it): replaced by one
            del doc[table_name]
        table = tomlkit.table()
        doc[table_name] = table
    if _same(table.get(key), value):
        return False
    table[key] = value
    return True


def _same(old: object, new: SettingValue) -> bool:
    """``old`` (from the file: a tomlkit item or a bool) says ``new`` already; 1 is not
    true."""
    return isinstance(old, bool) == isinstance(new, bool) and old == new


class SettingsWriter:
    """Changes from one thread, writes from another, in order.

    :meth:`remember` is cheap (the interface calls it on each toggle); :meth:`flush`
    writes whatever is pending and is meant for a worker thread. A change the file did
    not take stays pending, so a later write (once the file is mended) brings it along.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        """The settings file (None: :func:`reader.config.config_path` at each write)."""
        self._pending: dict[str, SettingValue] = {}
        self._pending_lock = threading.Lock()
        """Held only to touch ``_pending``: :meth:`remember` never waits for a write."""
        self._write_lock = threading.Lock()
        self._said: set[str] = set()

    def remember(self, changes: Mapping[str, SettingValue]) -> None:
        with self._pending_lock:
            self._pending.update(changes)

    def flush(self) -> str | None:
        """Write what is pending. Returns a message for the user when the file could not
        be written, once per distinct problem (None otherwise)."""
        with self._write_lock:  # changes are taken and written in one order
            with self._pending_lock:
                changes, self._pending = self._pending, {}
            if not changes:
                return None
            try:
                save_settings(changes, self.path)
            except SettingsError as exc:
                with self._pending_lock:
                    for name, value in changes.items():
                        self._pending.setdefault(name, value)
                message = f"{exc}: what you set is kept for this session only"
                if message in self._said:
                    return None
                self._said.add(message)
                return message
            return None
