"""The store: notes, reading positions, drafts and corrections in one JSON file.

This is the only module that imports TinyDB.  TinyDB's own ``JSONStorage`` rewrites its
file in place and takes no lock, so a crash or a full disk mid-write leaves torn JSON and
two processes lose each other's notes.  ``AtomicJSONStorage`` replaces it:

* serialise first (a bad value fails before the disk is touched);
* write a temporary file in the same folder, flush and fsync it;
* hard-link the current file to ``<name>.bak`` (the previous good save), ``os.replace``
  the temporary file over ``<name>``, fsync the folder; a save returns only after that;
* every change runs under an exclusive ``flock`` on ``<name>.lock``: re-read the file if
  another process replaced it (checked by device, inode, size and mtime), apply the
  change, write, release.  Every document has a stable string id (uuid4 hex for notes),
  used as TinyDB's document id, so ids never collide across processes;
* ``_meta.schema.schema_version`` is stamped in the file; an older file is migrated on
  open, a newer one opens read-only;
* an unreadable file is moved aside as ``<name>.corrupt-<YYYYmmdd-HHMMSS>`` (never
  overwritten) and the store starts empty; a folder that cannot be written makes the
  store keep its notes in memory.  Neither raises: both leave a line in ``messages``.

Speed: a 10,000-note file is about 6 MB of JSON and ``json.dumps`` of it takes 100-150 ms
on a slow machine, so the storage keeps the serialised line of every document and
re-serialises only documents that are new or changed (documents are written one per line,
which also lets the lines of a freshly loaded file be reused without re-serialising).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, cast

import platformdirs
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from reader.files import fsync_dir, unique_path

__all__ = [
    "DEFAULT_FILENAME",
    "ENV_VAR",
    "SCHEMA_VERSION",
    "AtomicJSONStorage",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreReadOnly",
    "StoreWriteError",
    "default_path",
]

SCHEMA_VERSION = 1
DEFAULT_FILENAME = "notes.json"
ENV_VAR = "READER_DB"

META = "_meta"
NOTES = "notes"
POSITIONS = "positions"
DRAFTS = "drafts"
CORRECTIONS = "corrections"

Data = dict[str, dict[str, Any]]
#: per table: document id -> (the document object, its line ``"id":{...},`` as UTF-8)
Lines = dict[str, dict[str, tuple[Any, bytes]]]
Mode = Literal["file", "memory", "readonly"]

#: Set to "1" (tests do) to check after every render that the text parses back to the data.
VERIFY_ENV = "READER_STORE_VERIFY"


class StoreError(Exception):
    """Base class of the store's errors; ``str()`` is one line fit to show a user."""


class StoreReadOnly(StoreError):
    """The store cannot be changed (the file was written by a newer version of reader)."""


class StoreWriteError(StoreError):
    """A save failed; the file on disk is the one from before the save."""


class StoreBusy(StoreWriteError):
    """Another process held the lock for longer than the timeout."""


def default_path() -> Path:
    """``$READER_DB`` if set, else ``notes.json`` in the platform's user data folder."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("reader", appauthor=False)) / DEFAULT_FILENAME


# --------------------------------------------------------------------------- helpers


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _copy(value: Any) -> Any:
    """A deep copy of JSON-like data (much faster than ``copy.deepcopy``)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(v) for v in value]
    return value


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode

# Printable ASCII except '"' and '\\': json.dumps leaves such a string as it is.
_PLAIN = re.compile(r'[ !#-\[\]-~]*\Z')


def _key_json(key: str) -> str:
    return '"' + key + '"' if _PLAIN.match(key) else _dumps(key)


def _line(doc_id: str, doc: Any) -> bytes:
    """A document's line in the file, with a trailing comma: ``"id":{...},``."""
    text = _key_json(doc_id) + ":" + _dumps(doc) + ","
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: write them as JSON \uXXXX escapes
        return text.encode("utf-8", "backslashreplace")


def _check_json(doc: Mapping[str, Any], what: str) -> None:
    try:
        _dumps(doc)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{what} cannot be stored as JSON: {e}") from None


def _why(e: BaseException) -> str:
    """A short reason for an OSError: 'Permission denied', 'File too large', ..."""
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e) or type(e).__name__


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _empty() -> Data:
    return {
        META: {"schema": {"schema_version": SCHEMA_VERSION}},
        NOTES: {},
        POSITIONS: {},
        DRAFTS: {},
        CORRECTIONS: {},
    }


class _Unreadable(Exception):
    """The bytes are not a store file (the message is a short clause: the reason)."""


def _parse(raw: bytes) -> Data:
    """Decode and check the bytes of a store file."""
    if not raw.strip():
        raise _Unreadable("the file is empty")
    try:
        text = raw.decode("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError as e:
        raise _Unreadable(f"it is not UTF-8 text (bad byte at offset {e.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        truncated = e.pos >= len(text.rstrip()) or e.msg.startswith("Unterminated string")
        hint = ", it looks truncated" if truncated else ""
        raise _Unreadable(
            f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}{hint}"
        ) from None
    except RecursionError:
        raise _Unreadable("not valid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise _Unreadable("it is JSON but not a notes file (the top level is not an object)")
    # The version first: a newer reader may lay its tables out in ways this one cannot
    # know, and its file must open read-only, never be moved aside as unreadable.
    declared = _declared_version(data)
    if declared is not None and declared > SCHEMA_VERSION:
        return _readable_part(data)
    for name, table in data.items():
        if not isinstance(table, dict):
            raise _Unreadable(f"it is JSON but not a notes file (table {name!r} is not an object)")
        if not all([isinstance(doc, dict) for doc in table.values()]):
            raise _Unreadable(
                f"it is JSON but not a notes file (table {name!r} holds a non-object entry)"
            )
    _schema_version(data)
    return data


def _declared_version(data: dict[str, Any]) -> int | None:
    """``_meta.schema.schema_version`` if the file states a whole number there, else None
    (read before anything looks at the tables' shape)."""
    meta = data.get(META)
    schema = meta.get("schema") if isinstance(meta, dict) else None
    version = schema.get("schema_version") if isinstance(schema, dict) else None
    if isinstance(version, bool) or not isinstance(version, int):
        return None
    return version


#: Key of ``_meta`` under which ``_readable_part`` lists the tables it could not read
#: (only ever in memory: a newer file is never written).
UNREAD = "unread_tables"


def _readable_part(data: dict[str, Any]) -> Data:
    """Of a newer schema's file: the tables laid out as this version lays them out (an
    object of objects), for reading; every other table is left out (and named in
    ``_meta``), so a newer layout shows what can be shown and nothing breaks on the rest."""
    out: Data = {META: {**data[META], UNREAD: []}}
    for name, table in data.items():
        if name == META:
            continue
        if isinstance(table, dict) and all([isinstance(d, dict) for d in table.values()]):
            out[name] = table
        else:
            out[META][UNREAD].append(name)
    return out


def _schema_version(data: Data) -> int:
    """The file's schema version; 0 for a plain TinyDB file from before versioning."""
    meta = data.get(META)
    if meta is None:
        return 0
    schema = meta.get("schema")
    if schema is None:
        return 0
    version = schema.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _Unreadable(f"its schema_version is {version!r}, not a positive whole number")
    return version


def _migrate(data: Data, version: int) -> Data:
    """Bring data of an older schema up to ``SCHEMA_VERSION`` (returns new data)."""
    if version < 1:
        data = _migrate_0_to_1(data)
    data[META]["schema"] = {"schema_version": SCHEMA_VERSION}
    return data


def _migrate_0_to_1(data: Data) -> Data:
    """Schema 0 is a plain TinyDB file (integer document ids, no ``_meta``).

    Schema 1 keys notes and corrections by their own ``id`` (uuid hex, assigned if missing),
    reading positions by article ``hash`` and drafts by ``key``; the empty ``_default``
    table TinyDB leaves behind is dropped.
    """
    out: Data = {META: dict(data.get(META, {}))}
    out[META]["schema"] = {"schema_version": 1}
    for name, table in data.items():
        if name == META or (name == "_default" and not table):
            continue
        new: dict[str, Any] = {}
        for old_key, old_doc in table.items():
            doc = dict(old_doc)
            key = old_key
            if name in (NOTES, CORRECTIONS):
                doc_id = doc.get("id")
                if not isinstance(doc_id, str) or not doc_id or doc_id in new:
                    doc_id = uuid.uuid4().hex
                    doc["id"] = doc_id
                key = doc_id
            elif name == POSITIONS and isinstance(doc.get("hash"), str) and doc["hash"]:
                key = doc["hash"]
            elif name == DRAFTS and isinstance(doc.get("key"), str) and doc["key"]:
                key = doc["key"]
            new[key] = doc
        out[name] = new
    return out


def _write_all(fd: int, chunks: list[bytes | memoryview]) -> None:
    """``os.writev`` until every byte is written (a short write means: write the rest)."""
    views = [memoryview(c) for c in chunks if c]
    while views:
        done = os.writev(fd, views[:1024])
        while views and done >= len(views[0]):
            done -= len(views[0])
            views.pop(0)
        if done:
            views[0] = views[0][done:]


def _link_or_copy(src: Path, dst: Path) -> None:
    """Make ``dst`` (which must not exist) a complete copy of ``src``; never clobber."""
    try:
        os.link(src, dst)
        return
    except FileNotFoundError:
        raise
    except OSError as e:
        if e.errno == errno.EEXIST:
            raise
    # No hard links here (some file systems): copy, then fsync.
    with open(src, "rb") as fin, open(dst, "xb") as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)
        fout.flush()
        os.fsync(fout.fileno())


# --------------------------------------------------------------------------- storage


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never leaves a torn file and merges concurrent writers.

    Not thread-safe by itself: ``Store`` serialises calls with a ``threading.RLock``.
    """

    def __init__(
        self, path: Path | None, *, messages: list[str], lock_timeout: float = 10.0
    ) -> None:
        super().__init__()
        self.path = path
        self.messages = messages
        self.lock_timeout = lock_timeout
        self.mode: Mode = "memory" if path is None else "file"
        self.readonly_reason = ""
        #: When the file was found unreadable at start: a kept copy of its ``.bak``.
        self.restore_source: Path | None = None
        self._data: Data | None = None
        self._key: tuple[int, int, int, int] | None = None
        self._bad_key: tuple[int, int, int, int] | None = None
        self._raw: bytes | None = None  # the file as last loaded, until its lines are reused
        self._lines: Lines = {}
        self._dirty: set[tuple[str, str]] = set()
        self._file_mode = 0o600
        self._lock_fd: int | None = None
        self._lock_depth = 0
        self._closed = False
        self._reapers: list[threading.Thread] = []
        self._verify = os.environ.get(VERIFY_ENV) == "1"

    # paths -------------------------------------------------------------------------

    @property
    def bak_path(self) -> Path | None:
        return None if self.path is None else self.path.with_name(self.path.name + ".bak")

    @property
    def lock_path(self) -> Path | None:
        return None if self.path is None else self.path.with_name(self.path.name + ".lock")

    def _tmp_path(self, kind: str) -> Path:
        assert self.path is not None
        token = secrets.token_hex(4)
        return self.path.with_name(f".{self.path.name}.{os.getpid()}.{token}.{kind}.tmp")

    # opening -----------------------------------------------------------------------

    def open(self) -> None:
        """Open and check the file; on trouble fall back (in memory, read-only), never raise."""
        if self.path is None:
            self._data = _empty()
            return
        try:
            self._open()
        except Exception as e:  # whatever it was, the app must still start
            self._go_memory(f"{self.path} cannot be used ({_why(e)})", load=False)

    def _open(self) -> None:
        path = self.path
        assert path is not None
        folder = path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            self._go_memory(f"the folder {folder} cannot be created ({_why(e)})", load=False)
            return
        if path.is_dir():
            self._go_memory(f"{path} is a folder, not a file", load=False)
            return
        try:  # a real probe: os.access() says yes to root even on a read-only folder
            probe = self._tmp_path("probe")
            os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            with contextlib.suppress(FileNotFoundError):  # another process's cleanup took it
                os.unlink(probe)
        except OSError as e:
            self._go_memory(f"the folder {folder} cannot be written ({_why(e)})", load=True)
            return
        if path.exists() and not os.access(path, os.W_OK):
            self._go_memory(f"{path} is read-only", load=True)
            return
        lock_path = self.lock_path
        assert lock_path is not None
        try:
            try:
                self._lock_fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except PermissionError:  # another user's lock file: flock works read-only too
                self._lock_fd = os.open(lock_path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError as e:
            self._go_memory(f"the lock file {lock_path} cannot be opened ({_why(e)})", load=True)
            return
        try:
            with self.locked():
                self._cleanup_temp_files()
                self._open_file()
        except StoreBusy as e:
            self._go_memory(str(e), load=True)
        except OSError as e:
            self._go_memory(f"{path} cannot be used ({_why(e)})", load=True)

    def _open_file(self) -> None:
        path = self.path
        assert path is not None
        try:
            raw, st = self._read_raw()
        except FileNotFoundError:
            self._data = _empty()
            try:
                self._write_file(self._data)
            except StoreWriteError as e:
                why = _why(e.__cause__) if e.__cause__ is not None else str(e)
                self._go_memory(f"{path} cannot be created ({why})", load=False)
            return
        except OSError as e:
            self._go_memory(f"{path} cannot be read ({_why(e)})", load=False)
            return
        try:
            data = _parse(raw)
        except _Unreadable as u:
            self._data = _empty()
            self._quarantine(str(u), at_start=True)
            return
        version = _schema_version(data)
        if version > SCHEMA_VERSION:
            self._data = data
            self._go_readonly(version)
            return
        if version < SCHEMA_VERSION:
            kept = unique_path(path.with_name(f"{path.name}.schema-{version}"))
            _link_or_copy(path, kept)
            data = _migrate(data, version)
            self._data = data
            self._file_mode = st.st_mode & 0o7777
            try:
                self._write_file(data)
            except StoreWriteError as e:
                why = _why(e.__cause__) if e.__cause__ is not None else str(e)
                self._go_memory(f"{path} cannot be upgraded ({why})", load=False)
                return
            self.messages.append(
                f"{path.name} was upgraded from schema {version} to {SCHEMA_VERSION}; "
                f"the old file is kept as {kept.name}."
            )
            return
        self._set_loaded(data, raw, st)

    def _set_loaded(self, data: Data, raw: bytes | None, st: os.stat_result) -> None:
        self._data = data
        self._raw = raw
        self._lines = {}
        self._dirty.clear()
        self._key = _stat_key(st)
        self._file_mode = st.st_mode & 0o7777

    def _go_memory(self, reason: str, *, load: bool) -> None:
        """Keep notes in memory only: nothing is written (or moved) from now on."""
        self.mode = "memory"
        self._release_lock_fd()
        data: Data = self._data if self._data is not None and not load else _empty()
        extra = ""
        if load and self.path is not None:
            try:
                with open(self.path, "rb") as f:
                    raw = f.read()
                loaded = _parse(raw)
                version = _schema_version(loaded)
                data = _migrate(loaded, version) if version < SCHEMA_VERSION else loaded
                if version > SCHEMA_VERSION:
                    extra = f" (the file is from a newer version of reader, schema {version})"
            except FileNotFoundError:
                pass
            except (OSError, _Unreadable) as e:
                why = str(e) if isinstance(e, _Unreadable) else _why(e)
                extra = (
                    f" ({self.path.name} could not be read either: {why}; "
                    "it was left untouched)"
                )
        self._data = data
        self._raw = None
        self._lines = {}
        reason = reason.rstrip(".")  # (a StoreBusy message is a sentence of its own)
        self.messages.append(
            f"Notes cannot be saved: {reason}{extra}. New notes are kept in memory for this "
            "session only; export them before quitting."
        )

    def _go_readonly(self, version: int) -> None:
        assert self.path is not None
        self.mode = "readonly"
        self._raw = None
        self._lines = {}
        unread = (self._data or {}).get(META, {}).get(UNREAD) or []
        hidden = ""
        if unread:
            names = ", ".join(sorted(str(n) for n in unread))
            one = len(unread) == 1
            hidden = (f" Its {names} {'table is' if one else 'tables are'} laid out in a way "
                      f"this version cannot read, so {'it is' if one else 'they are'} not "
                      "shown.")
        self.readonly_reason = (
            f"{self.path.name} was saved by a newer version of reader (schema {version}; this "
            f"version knows schema {SCHEMA_VERSION}), so it is open read-only: changes cannot "
            f"be saved and nothing is written to it.{hidden} Update reader to change notes."
        )
        self.messages.append(self.readonly_reason)

    def _quarantine(self, reason: str, *, at_start: bool) -> bool:
        """Move an unreadable file aside (never overwriting anything) and say so."""
        path, bak = self.path, self.bak_path
        assert path is not None and bak is not None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = unique_path(path.with_name(f"{path.name}.corrupt-{stamp}"))
        try:
            try:
                os.link(path, aside)
            except OSError as e:
                if e.errno in (errno.EEXIST, errno.ENOENT):
                    raise
                os.rename(path, aside)  # no hard links here; unique_path() chose a free name
            else:
                os.unlink(path)
        except OSError as e:
            self._go_memory(
                f"{path.name} could not be read ({reason}) and could not be moved aside "
                f"({_why(e)}); it was left untouched",
                load=False,
            )
            return False
        backup_note = f" No backup ({bak.name}) was found."
        if bak.exists():
            try:
                with open(bak, "rb") as f:
                    _parse(f.read())  # only offer a backup that can be read
                kept = unique_path(bak.with_name(f"{bak.name}-{stamp}"))
                _link_or_copy(bak, kept)
                self.restore_source = kept
                backup_note = (
                    f" The last good save, {bak.name}, can be restored (a copy is kept as "
                    f"{kept.name})."
                )
            except _Unreadable as u:
                backup_note = f" The backup {bak.name} is unreadable too ({u})."
            except OSError as e:
                self.restore_source = bak
                backup_note = f" The last good save, {bak.name}, can be restored ({_why(e)})."
        with contextlib.suppress(OSError):
            fsync_dir(path.parent)
        if at_start:
            start = "reader started with no notes."
        else:
            start = "the notes of this session are kept and will be saved to a new file."
        self.messages.append(
            f"{path.name} could not be read ({reason}); it was moved aside to {aside.name} "
            f"and {start}{backup_note}"
        )
        self._key = None
        return True

    def _cleanup_temp_files(self) -> None:
        """Remove temp files left by a process killed mid-save (call under the lock)."""
        assert self.path is not None
        prefix = f".{self.path.name}."
        with contextlib.suppress(OSError), os.scandir(self.path.parent) as it:
            for entry in it:
                if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    def _read_raw(self) -> tuple[bytes, os.stat_result]:
        assert self.path is not None
        with open(self.path, "rb") as f:
            st = os.fstat(f.fileno())
            return f.read(), st

    # locking -----------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the exclusive inter-process lock (re-entrant; a no-op without a file)."""
        if self._lock_fd is None:
            yield
            return
        if self._lock_depth == 0:
            self._acquire()
        self._lock_depth += 1
        try:
            yield
        finally:
            self._lock_depth -= 1
            if self._lock_depth == 0 and self._lock_fd is not None:  # (None: released)
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _acquire(self) -> None:
        assert self._lock_fd is not None
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.0002
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pass
            except OSError as e:
                if e.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
                    # A file system without flock (some network mounts): carry on unlocked.
                    self.messages.append(
                        f"{self.lock_path} cannot be locked ({_why(e)}); two reader "
                        "processes writing notes at once could lose notes."
                    )
                    self._release_lock_fd()
                    return
                raise
            if time.monotonic() > deadline:
                raise StoreBusy(
                    f"Could not save notes: {self.path} is locked by another reader process "
                    f"(waited {self.lock_timeout:g} s); the file is unchanged."
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.002)

    def _release_lock_fd(self) -> None:
        """Stop locking (closing the descriptor also drops a lock held on it)."""
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock_fd)
            self._lock_fd = None

    # TinyDB's storage interface ----------------------------------------------------

    def read(self) -> Data | None:
        self._check_open()
        if self.mode == "file":
            self._refresh(under_lock=self._lock_depth > 0)
        if self._data is None:
            self._data = _empty()
        return self._data

    def write(self, data: Data) -> None:
        self._check_open()
        if self.mode == "readonly":
            raise StoreReadOnly(self.readonly_reason)
        if self.mode == "memory":
            self._data = data
            self._dirty.clear()
            return
        with self.locked():
            self._write_file(data)

    def close(self) -> None:
        for thread in self._reapers:
            thread.join(timeout=5)
        self._reapers = []
        self._release_lock_fd()
        self._closed = True

    # for Store ---------------------------------------------------------------------

    def prepare_write(self) -> None:
        """Call under ``locked()`` before a change: re-read if needed, refuse if read-only."""
        self._check_open()
        if self.mode == "file":
            self._refresh(under_lock=True)
        if self.mode == "readonly":
            raise StoreReadOnly(self.readonly_reason)
        if self._raw is not None and self._data is not None:
            # First change since a load: take the documents' JSON lines from the loaded
            # bytes now, while the data still matches them.
            self._lines = self._lines_from_raw(self._raw, self._data)
            self._raw = None

    def discard_changes(self) -> None:
        """A change failed half-way: forget the cached data (the file has the truth)."""
        if self.mode == "file":
            self._invalidate()

    def mark_dirty(self, table: str, doc_id: str) -> None:
        """A document is about to be changed in place: its cached JSON line is stale."""
        self._dirty.add((table, doc_id))

    # internals ---------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("The notes store is closed.")

    def _invalidate(self) -> None:
        """Forget the cached data (after a failed save): the next read loads the disk."""
        self._data = None
        self._key = None
        self._raw = None
        self._lines = {}
        self._dirty.clear()

    def _refresh(self, *, under_lock: bool) -> None:
        """Load the file again if another process replaced it since we last saw it."""
        path = self.path
        assert path is not None
        try:
            key = _stat_key(os.stat(path))
            if self._data is not None and (
                key == self._key or (key == self._bad_key and not under_lock)
            ):
                return
            raw, st = self._read_raw()
        except FileNotFoundError:
            # Moved aside or deleted: keep what we have; the next save writes it back.
            self._key = None
            return
        except OSError as e:
            self._key = None
            if self._data is None:  # never carry on with an empty store over a good file
                raise StoreError(f"Cannot read {path} ({_why(e)}).") from e
            return
        key = _stat_key(st)
        loaded: bytes | None = raw
        try:
            data = _parse(raw)
        except _Unreadable as u:
            if under_lock:
                self._bad_key = None
                self._quarantine(str(u), at_start=False)
            elif key != self._bad_key:
                self._bad_key = key
                self.messages.append(
                    f"{path.name} was changed by another program and cannot be read "
                    f"({u}); it will be moved aside at the next save."
                )
            return
        version = _schema_version(data)
        if version > SCHEMA_VERSION:
            self._data = data
            self._go_readonly(version)
            return
        if version < SCHEMA_VERSION:
            data = _migrate(data, version)
            loaded = None
        self._set_loaded(data, loaded, st)

    def _render(self, data: Data) -> tuple[list[bytes | memoryview], Lines]:
        """The file as chunks of bytes: one document per line, reusing the cached line of
        every document that is the same object as when its line was made and not marked
        dirty (TinyDB inserts new objects; in-place updates are marked by ``Store``)."""
        self._raw = None  # if still set, data has changed since: its lines are no use
        cached_lines, dirty = self._lines, self._dirty
        new_lines: Lines = {}
        names = list(data)
        if META in data and names[0] != META:
            names.remove(META)
            names.insert(0, META)
        chunks: list[bytes | memoryview] = [b"{"]
        for i, name in enumerate(names):
            table = data[name]
            cache = cached_lines.get(name, {})
            for table_name, doc_id in dirty:
                if table_name == name:
                    cache.pop(doc_id, None)
            get = cache.get
            lines: list[bytes | None] = [
                e[1] if (e := get(k)) is not None and e[0] is d else None for k, d in table.items()
            ]
            if None in lines:
                keys = list(table)
                for j in [j for j, line in enumerate(lines) if line is None]:
                    doc_id = keys[j]
                    doc = table[doc_id]
                    new = _line(doc_id, doc)
                    lines[j] = new
                    cache[doc_id] = (doc, new)
            if len(cache) > len(table):  # documents were removed: forget their lines
                cache = {k: cache[k] for k in table}
            new_lines[name] = cache
            chunks.append(b"\n" + _key_json(name).encode("utf-8") + b":{")
            if lines:  # every line ends with a comma: leave out the last one
                chunks.append(b"\n")
                chunks.append(memoryview(b"\n".join(cast(list[bytes], lines)))[:-1])
            chunks.append(b"\n}" if i == len(names) - 1 else b"\n},")
        chunks.append(b"\n}")
        if self._verify and json.loads(b"".join(chunks)) != data:
            raise AssertionError("store: the rendered file does not match the data")
        return chunks, new_lines

    @staticmethod
    def _lines_from_raw(raw: bytes, data: Data) -> Lines:
        """Take the document lines of a file in our layout as their cached JSON.

        JSON strings cannot hold a raw newline, so in our layout every line is one table
        header, one document or a closing brace, in the order ``json.loads`` keeps.  Any
        other layout: no reuse (still correct, the first save is just slower).
        """
        lines = raw.rstrip(b"\n").split(b"\n")
        if len(lines) < 2 or lines[0] != b"{" or lines[-1] != b"}":
            return {}
        out: Lines = {}
        i = 1
        names = list(data)
        for t, name in enumerate(names):
            table = data[name]
            n = len(table)
            if i + n + 1 >= len(lines) or lines[i] != _key_json(name).encode("utf-8") + b":{":
                return {}
            block = lines[i + 1 : i + 1 + n]
            i += n + 1
            if lines[i] != (b"}" if t == len(names) - 1 else b"},"):
                return {}
            i += 1
            if n:
                if not block[-1].endswith(b"}"):
                    return {}
                block[-1] += b","  # cached lines carry their comma
                if not all([line.endswith(b"},") for line in block]) or not all(
                    [
                        line.startswith(_key_json(k).encode("utf-8", "backslashreplace") + b":{")
                        for k, line in zip(table, block, strict=True)
                    ]
                ):
                    return {}
            out[name] = {k: (d, line) for (k, d), line in zip(table.items(), block, strict=True)}
        return out if i == len(lines) - 1 else {}

    def _write_file(self, data: Data) -> None:
        """Serialise, write a temp file, fsync, keep .bak, replace, fsync the folder."""
        path = self.path
        assert path is not None
        if META not in data:
            data[META] = {"schema": {"schema_version": SCHEMA_VERSION}}
        elif data[META].get("schema") != {"schema_version": SCHEMA_VERSION}:
            data[META]["schema"] = {"schema_version": SCHEMA_VERSION}
        try:
            chunks, lines = self._render(data)
        except (TypeError, ValueError) as e:
            self._invalidate()
            raise StoreWriteError(
                f"Could not save notes: a value cannot be stored as JSON ({e}); "
                "the file is unchanged."
            ) from e
        tmp = self._tmp_path("save")
        old_bak: Path | None = None
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            try:
                if self._file_mode != 0o600:
                    os.fchmod(fd, self._file_mode)
                _write_all(fd, chunks)
                os.fsync(fd)
                st = os.fstat(fd)
            finally:
                os.close(fd)
            old_bak = self._keep_backup()
            os.replace(tmp, path)
        except BaseException as e:
            for leftover in (tmp, old_bak):
                if leftover is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(leftover)
            self._invalidate()
            if isinstance(e, OSError):
                raise StoreWriteError(
                    f"Could not save notes to {path}: {_why(e)}; the file is unchanged."
                ) from e
            raise
        self._data = data
        self._key = _stat_key(st)
        self._bad_key = None
        self._lines = lines
        self._dirty.clear()
        try:
            fsync_dir(path.parent)
        except OSError as e:  # the new file is complete and in place; only a power cut
            self.messages.append(  # before the folder reaches the disk could undo it
                f"Saved notes to {path}, but the folder could not be synced ({_why(e)})."
            )
        if old_bak is not None:
            self._unlink_later(old_bak)

    def _keep_backup(self) -> Path | None:
        """Point ``<name>.bak`` at the current (good) file before it is replaced.

        Returns an extra name that still holds the previous ``.bak``: freeing a file of
        several MB costs milliseconds (more with ``discard`` mounts), so the caller drops
        it off the save's path.  ``.bak`` itself is replaced atomically, never missing.
        """
        path, bak = self.path, self.bak_path
        assert path is not None and bak is not None
        tmp = self._tmp_path("bak")
        try:
            _link_or_copy(path, tmp)
        except FileNotFoundError:
            return None  # first save, or the file was moved aside: nothing to keep
        old_bak: Path | None = self._tmp_path("oldbak")
        try:
            os.link(bak, cast(Path, old_bak))
        except OSError:
            old_bak = None  # no .bak yet, or no hard links: replace frees it inline
        try:
            os.replace(tmp, bak)
        except BaseException:
            for leftover in (tmp, old_bak):
                if leftover is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(leftover)
            raise
        return old_bak

    def _unlink_later(self, path: Path) -> None:
        def unlink() -> None:
            with contextlib.suppress(OSError):  # a crash leaves it to _cleanup_temp_files
                os.unlink(path)

        self._reapers = [t for t in self._reapers if t.is_alive()]
        thread = threading.Thread(target=unlink, name="reader-store-unlink", daemon=True)
        thread.start()
        self._reapers.append(thread)

    def load_backup(self) -> Data:
        """Parse the backup to restore (the copy kept when the file was moved aside, else
        ``.bak``), migrated to the current schema; raises ``StoreError`` saying why not."""
        src = self.restore_source or self.bak_path
        if src is None:
            raise StoreError("There is no backup: this store is not kept in a file.")
        try:
            with open(src, "rb") as f:
                data = _parse(f.read())
        except FileNotFoundError:
            raise StoreError(
                f"There is no backup to restore ({src.name} does not exist)."
            ) from None
        except OSError as e:
            raise StoreError(f"The backup {src.name} cannot be read ({_why(e)}).") from None
        except _Unreadable as u:
            raise StoreError(f"The backup {src.name} cannot be read ({u}).") from None
        version = _schema_version(data)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The backup {src.name} is from a newer version of reader (schema {version})."
            )
        return _migrate(data, version) if version < SCHEMA_VERSION else data


# --------------------------------------------------------------------------- the store


class _Table(Table):
    """A TinyDB table whose document ids are our own strings (uuid hex, hashes, keys)."""

    document_id_class = str  # type: ignore[assignment]

    def _update_table(self, updater: Callable[[dict[Any, Mapping[str, Any]]], None]) -> None:
        # TinyDB's version copies the whole table into a dict keyed by int ids and back on
        # every change (about 12 ms at 10,000 notes).  Our ids are the stored keys, so the
        # updater can work on the stored table itself; if it fails half-way, the storage
        # drops its cache and the next read loads the file again.
        storage = self._storage
        tables = storage.read()
        if tables is None:
            tables = {}
        table = tables.setdefault(self.name, {})
        try:
            updater(table)
        except BaseException:
            if isinstance(storage, AtomicJSONStorage):
                storage.discard_changes()
            raise
        storage.write(tables)
        self.clear_cache()


class _TinyDB(TinyDB):
    table_class = _Table


def _doc(value: Mapping[str, Any], doc_id: str) -> Document:
    return Document(value, cast(int, doc_id))


def _ids(doc_id: str) -> list[int]:
    return [cast(int, doc_id)]


class Store:
    """Notes, reading positions, drafts and entity corrections (plain dicts in and out).

    Opening never raises for an unreadable file or an unwritable folder: the store falls
    back (file moved aside / in memory / read-only) and says so in ``messages``.  Changes
    raise ``StoreReadOnly`` or ``StoreWriteError`` (one-line messages) when they cannot be
    saved; a change that returns is on disk.  Safe to call from several threads.
    """

    def __init__(
        self,
        path: Path | str | os.PathLike[str] | None = None,
        *,
        memory: bool = False,
        lock_timeout: float = 10.0,
    ) -> None:
        self._lock = threading.RLock()
        #: Every message so far, one line each, for the user (see ``take_messages``).
        self.messages: list[str] = []
        self._messages_taken = 0
        self._memory_changes = 0
        if memory:
            self.path: Path | None = None
        else:
            chosen = Path(path).expanduser() if path is not None else default_path()
            self.path = Path(os.path.realpath(chosen))  # write through a symlinked file
        self._storage = AtomicJSONStorage(
            self.path, messages=self.messages, lock_timeout=lock_timeout
        )
        self._storage.open()
        storage = self._storage
        self._db = _TinyDB(storage=lambda: storage)
        self._notes = self._db.table(NOTES, cache_size=0)
        self._positions = self._db.table(POSITIONS, cache_size=0)
        self._drafts = self._db.table(DRAFTS, cache_size=0)
        self._corrections = self._db.table(CORRECTIONS, cache_size=0)

    # state ---------------------------------------------------------------------------

    def take_messages(self) -> list[str]:
        """Messages not taken yet: those from opening, then any a later call added (another
        program broke or upgraded the file, ...).  Show them after store calls."""
        with self._lock:
            new = self.messages[self._messages_taken :]
            self._messages_taken = len(self.messages)
            return new

    @property
    def read_only(self) -> bool:
        """The file is from a newer version of reader: it can be read, not changed."""
        return self._storage.mode == "readonly"

    @property
    def read_only_reason(self) -> str:
        """Why the store is read-only, one line for the user ("" when it is not)."""
        return self._storage.readonly_reason if self.read_only else ""

    @property
    def in_memory(self) -> bool:
        """Nothing is saved to disk (no path, or the folder cannot be written)."""
        return self._storage.mode == "memory"

    @property
    def memory_only_changes(self) -> int:
        """Changes to notes and corrections made while nothing could be written to disk:
        they are lost when the program ends (reading positions and drafts not counted)."""
        return self._memory_changes

    def _kept_in_memory(self) -> None:
        """Call after a change to notes or corrections has been applied."""
        if self.in_memory:
            self._memory_changes += 1

    @property
    def backup_path(self) -> Path | None:
        """The file ``restore_backup()`` would read, if it exists."""
        src = self._storage.restore_source or self._storage.bak_path
        return src if src is not None and src.exists() else None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._storage.close()

    def __repr__(self) -> str:
        mode = self._storage.mode
        return f"<Store {self.path} mode={mode}>"

    @contextlib.contextmanager
    def _changing(self) -> Iterator[None]:
        with self._lock, self._storage.locked():
            self._storage.prepare_write()
            yield

    def _put(self, table: Table, doc_id: str, doc: dict[str, Any]) -> None:
        """Insert or replace a whole document (call inside ``_changing``)."""
        if table.contains(doc_id=cast(int, doc_id)):
            self._storage.mark_dirty(table.name, doc_id)

            def replace(current: MutableMapping[str, Any]) -> None:
                current.clear()
                current.update(doc)

            table.update(replace, doc_ids=_ids(doc_id))
        else:
            table.insert(_doc(doc, doc_id))

    @staticmethod
    def _get(table: Table, doc_id: str) -> dict[str, Any] | None:
        found = table.get(doc_id=cast(int, doc_id))
        return None if found is None else cast(dict[str, Any], _copy(found))

    # reading positions ---------------------------------------------------------------

    def get_position(self, article_hash: str) -> int | None:
        """The saved reading offset for an article (by content hash), or None."""
        with self._lock:
            doc = self._positions.get(doc_id=cast(int, article_hash))
            if doc is None or not isinstance(doc.get("offset"), int):
                return None
            return cast(int, doc["offset"])

    def set_position(self, article_hash: str, offset: int, path: str,
                     progress: float | None = None) -> None:
        """Save the reading offset (and, if given, how far through the text the reader is,
        0..1, as the status line shows it); also records the article as recently opened."""
        doc: dict[str, Any] = {"hash": article_hash, "offset": int(offset), "path": str(path),
                               "opened": _now()}
        if progress is not None:
            doc["progress"] = min(1.0, max(0.0, float(progress)))
        with self._changing():
            self._put(self._positions, article_hash, doc)

    def recent(self, limit: int | None = 20) -> list[dict[str, Any]]:
        """Recently opened articles, newest first: ``{hash, path, offset, opened}``."""
        with self._lock:
            docs = [_copy(d) for d in self._positions]
        docs.sort(key=lambda d: str(d.get("opened", "")), reverse=True)
        return docs if limit is None else docs[:limit]

    # notes -----------------------------------------------------------------------------

    def add_note(self, note: Mapping[str, Any]) -> dict[str, Any]:
        """Store a new note; assigns ``id`` (uuid hex), ``created`` and ``updated`` if missing.

        Keeping a given id makes undo of a delete simple: ``add_note(deleted_note)``.
        Raises ``ValueError`` if the id is taken or a value is not JSON.
        """
        return self.add_notes([note])[0]

    def add_notes(self, notes: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Store several new notes in one save (import, undo of several deletes)."""
        docs = [self._new_doc(n, "note") for n in notes]
        ids = [d["id"] for d in docs]
        if len(set(ids)) != len(ids):
            raise ValueError("two of the notes have the same id")
        with self._changing():
            for doc_id in ids:
                if self._notes.contains(doc_id=cast(int, doc_id)):
                    raise ValueError(f"a note with id {doc_id} already exists")
            if docs:
                self._notes.insert_multiple([_doc(d, d["id"]) for d in docs])
                self._kept_in_memory()
        return [cast(dict[str, Any], _copy(d)) for d in docs]

    @staticmethod
    def _new_doc(value: Mapping[str, Any], what: str) -> dict[str, Any]:
        fields = cast(dict[str, Any], _copy(dict(value)))
        doc_id = fields.pop("id", None) or uuid.uuid4().hex
        if not isinstance(doc_id, str):
            raise ValueError(f"a {what} id must be a string, not {doc_id!r}")
        doc = {"id": doc_id, **fields}
        now = _now()
        doc.setdefault("created", now)
        doc.setdefault("updated", doc["created"])
        _check_json(doc, f"the {what}")
        return doc

    def update_note(self, note_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Change some fields of a note (``updated`` is set to now unless given).

        Returns the stored note; raises ``KeyError`` if there is no such note.
        """
        fields = cast(dict[str, Any], _copy(dict(changes)))
        if fields.get("id", note_id) != note_id:
            raise ValueError("a note's id cannot be changed")
        fields.setdefault("updated", _now())
        with self._changing():
            current = self._get(self._notes, note_id)
            if current is None:
                raise KeyError(note_id)
            current.update(fields)
            _check_json(current, "the note")
            self._storage.mark_dirty(NOTES, note_id)
            self._notes.update(fields, doc_ids=_ids(note_id))
            self._kept_in_memory()
        return cast(dict[str, Any], _copy(current))

    def delete_note(self, note_id: str) -> dict[str, Any] | None:
        """Delete a note; returns it (for undo) or None if there was none."""
        with self._changing():
            current = self._get(self._notes, note_id)
            if current is not None:
                self._notes.remove(doc_ids=_ids(note_id))
                self._kept_in_memory()
        return current

    def get_note(self, note_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self._get(self._notes, note_id)

    def notes(self, article_hash: str | None = None) -> list[dict[str, Any]]:
        """All notes, or those whose ``article.hash`` is ``article_hash`` (stored order)."""
        with self._lock:
            if article_hash is None:
                return [cast(dict[str, Any], _copy(d)) for d in self._notes]
            out = []
            for d in self._notes:
                article = d.get("article")
                if isinstance(article, dict) and article.get("hash") == article_hash:
                    out.append(cast(dict[str, Any], _copy(d)))
            return out

    def note_counts(self) -> dict[str, int]:
        """Notes per article hash, without copying the notes (the library lists counts
        for every article: copying 10,000 notes to count them took ~50 ms)."""
        counts: dict[str, int] = {}
        with self._lock:
            for d in self._notes:
                article = d.get("article")
                digest = article.get("hash") if isinstance(article, dict) else None
                if isinstance(digest, str):
                    counts[digest] = counts.get(digest, 0) + 1
        return counts

    # drafts ----------------------------------------------------------------------------

    def save_draft(self, key: str, draft: Mapping[str, Any]) -> None:
        """Keep an editor's unsaved text under ``key`` (replaces the previous draft).

        Each call is a full save (tens of ms with a big store): call it debounced.
        """
        doc = cast(dict[str, Any], _copy(dict(draft)))
        doc["key"] = key
        doc["saved"] = _now()
        _check_json(doc, "the draft")
        with self._changing():
            self._put(self._drafts, key, doc)

    def get_draft(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            return self._get(self._drafts, key)

    def drafts(self) -> dict[str, dict[str, Any]]:
        """Every kept draft by key (to offer them back after a crash)."""
        with self._lock:
            return {str(d.doc_id): cast(dict[str, Any], _copy(d)) for d in self._drafts}

    def drop_draft(self, key: str) -> None:
        with self._changing():
            if self._drafts.contains(doc_id=cast(int, key)):
                self._drafts.remove(doc_ids=_ids(key))

    # entity corrections -----------------------------------------------------------------

    def add_correction(self, correction: Mapping[str, Any]) -> dict[str, Any]:
        """Store a correction (the store does not interpret it); assigns ``id``/``created``."""
        doc = self._new_doc(correction, "correction")
        with self._changing():
            if self._corrections.contains(doc_id=cast(int, doc["id"])):
                raise ValueError(f"a correction with id {doc['id']} already exists")
            self._corrections.insert(_doc(doc, doc["id"]))
            self._kept_in_memory()
        return cast(dict[str, Any], _copy(doc))

    def corrections(self) -> list[dict[str, Any]]:
        with self._lock:
            return [cast(dict[str, Any], _copy(d)) for d in self._corrections]

    def delete_correction(self, correction_id: str) -> dict[str, Any] | None:
        with self._changing():
            current = self._get(self._corrections, correction_id)
            if current is not None:
                self._corrections.remove(doc_ids=_ids(correction_id))
                self._kept_in_memory()
        return current

    # backup ----------------------------------------------------------------------------

    def restore_backup(self) -> bool:
        """Bring back what the backup holds: every note, position, draft and correction
        missing now is added (nothing present is replaced or removed, so nothing is lost).

        Reads the copy kept when an unreadable file was moved aside, else ``<name>.bak``.
        Returns False (with a line in ``messages``) if there is no usable backup.
        """
        with self._changing():
            try:
                backup = self._storage.load_backup()
            except StoreError as e:
                self.messages.append(str(e))
                return False
            data = self._storage.read()
            assert data is not None
            added: dict[str, int] = {}
            for name, table in backup.items():
                if name == META:
                    continue
                current = data.setdefault(name, {})
                for doc_id, doc in table.items():
                    if doc_id not in current:
                        current[doc_id] = doc
                        added[name] = added.get(name, 0) + 1
            if added:
                self._storage.write(data)
                self._kept_in_memory()
            src = self._storage.restore_source or self._storage.bak_path
            assert src is not None
            count = added.get(NOTES, 0)
            self.messages.append(
                f"Restored {count} note{'s' if count != 1 else ''} from {src.name}"
                + (f" (and {sum(added.values()) - count} other entries)." if
                   sum(added.values()) > count else ".")
            )
            return True
