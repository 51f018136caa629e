"""The store's file: a TinyDB storage that never leaves a torn file and merges writers.

TinyDB's own ``JSONStorage`` rewrites its file in place and takes no lock, so a crash or a
full disk mid-write leaves torn JSON and two processes lose each other's notes. Here:

* serialise first (a bad value fails before the disk is touched);
* write a temporary file in the same folder, fsync it, hard-link the current file to
  ``<name>.bak`` (the previous good save), ``os.replace`` the temporary file over
  ``<name>``, fsync the folder (``reader.files.atomic_write``); a save returns only after;
* every change runs under an exclusive ``flock`` on ``<name>.lock``: re-read the file if
  another process replaced it (checked by device, inode, size and mtime), apply the
  change, write, release;
* an unreadable file is moved aside as ``<name>.corrupt-<YYYYmmdd-HHMMSS>`` (never
  overwritten) and the store starts empty; a folder that cannot be written makes the
  store keep its notes in memory. Neither raises: both leave a line in ``messages``.

docs/storage.md says why the lock is our own and what the store guarantees.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from tinydb.storages import Storage

from reader.files import (
    LockTimeout,
    atomic_write,
    flock_until,
    fsync_dir,
    link_or_copy,
    remove_temp_files,
    unique_path,
)
from reader.store.backup import keep_backup_copy, move_aside, read_backup, stamp
from reader.store.errors import (
    StoreBusy,
    StoreError,
    StoreReadOnly,
    StoreWriteError,
    newer_schema,
    why,
)
from reader.store.render import Lines, lines_from_raw, render
from reader.store.schema import (
    META,
    SCHEMA_VERSION,
    UNREAD,
    Data,
    Unreadable,
    checked,
    empty,
    parse,
)

__all__ = ["VERIFY_ENV", "AtomicJSONStorage"]

Mode = Literal["file", "memory", "readonly"]

#: Set to "1" (tests do) to check after every render that the text parses back to the data.
VERIFY_ENV = "READER_STORE_VERIFY"


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


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
            self._data = empty()
            return
        try:
            self._open()
        except Exception as e:  # whatever it was, the app must still start
            self._go_memory(f"{self.path} cannot be used ({why(e)})", load=False)

    def _open(self) -> None:
        path = self.path
        assert path is not None
        folder = path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            self._go_memory(f"the folder {folder} cannot be created ({why(e)})", load=False)
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
            self._go_memory(f"the folder {folder} cannot be written ({why(e)})", load=True)
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
            self._go_memory(f"the lock file {lock_path} cannot be opened ({why(e)})", load=True)
            return
        try:
            with self.locked():
                self._cleanup_temp_files()
                self._open_file()
        except StoreBusy as e:
            self._go_memory(str(e), load=True)
        except OSError as e:
            self._go_memory(f"{path} cannot be used ({why(e)})", load=True)

    def _open_file(self) -> None:
        path = self.path
        assert path is not None
        try:
            raw, st = self._read_raw()
        except FileNotFoundError:
            self._data = empty()
            try:
                self._write_file(self._data)
            except StoreWriteError as e:
                reason = why(e.__cause__) if e.__cause__ is not None else str(e)
                self._go_memory(f"{path} cannot be created ({reason})", load=False)
            return
        except OSError as e:
            self._go_memory(f"{path} cannot be read ({why(e)})", load=False)
            return
        try:
            data = parse(raw)
        except Unreadable as u:
            self._data = empty()
            self._quarantine(str(u), at_start=True)
            return
        if (got := self._checked(data)) is None:
            return
        data, version = got
        if version < SCHEMA_VERSION:
            kept = unique_path(path.with_name(f"{path.name}.schema-{version}"))
            link_or_copy(path, kept)
            self._data = data
            self._file_mode = st.st_mode & 0o7777
            try:
                self._write_file(data)
            except StoreWriteError as e:
                reason = why(e.__cause__) if e.__cause__ is not None else str(e)
                self._go_memory(f"{path} cannot be upgraded ({reason})", load=False)
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
        data: Data = self._data if self._data is not None and not load else empty()
        extra = ""
        if load and self.path is not None:
            try:
                with open(self.path, "rb") as f:
                    raw = f.read()
                loaded = parse(raw)
                data, version = checked(loaded)
                if version > SCHEMA_VERSION:
                    extra = f" (the file is from a newer version of reader, schema {version})"
            except FileNotFoundError:
                pass
            except (OSError, Unreadable) as e:
                reason = str(e) if isinstance(e, Unreadable) else why(e)
                extra = (
                    f" ({self.path.name} could not be read either: {reason}; "
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
        self.readonly_reason = newer_schema(self.path.name, version, unread)
        self.messages.append(self.readonly_reason)

    def _quarantine(self, reason: str, *, at_start: bool) -> bool:
        """Move an unreadable file aside (never overwriting anything) and say so."""
        path, bak = self.path, self.bak_path
        assert path is not None and bak is not None
        when = stamp()
        try:
            aside = move_aside(path, when)
        except OSError as e:
            self._go_memory(
                f"{path.name} could not be read ({reason}) and could not be moved aside "
                f"({why(e)}); it was left untouched",
                load=False,
            )
            return False
        self.restore_source, backup_note = keep_backup_copy(bak, when)
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
        remove_temp_files(self.path.parent, f".{self.path.name}.")

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
        try:
            unsupported = flock_until(self._lock_fd, self.lock_timeout)
        except LockTimeout:
            raise StoreBusy(
                f"Could not save notes: {self.path} is locked by another reader process "
                f"(waited {self.lock_timeout:g} s); the file is unchanged."
            ) from None
        if unsupported is not None:  # (some network mounts): carry on unlocked
            self.messages.append(
                f"{self.lock_path} cannot be locked ({why(unsupported)}); two reader "
                "processes writing notes at once could lose notes."
            )
            self._release_lock_fd()

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
            self._data = empty()
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
            self._lines = lines_from_raw(self._raw, self._data)
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
                raise StoreError(f"Cannot read {path} ({why(e)}).") from e
            return
        key = _stat_key(st)
        loaded: bytes | None = raw
        try:
            data = parse(raw)
        except Unreadable as u:
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
        if (got := self._checked(data)) is None:
            return
        data, version = got
        if version < SCHEMA_VERSION:
            loaded = None
        self._set_loaded(data, loaded, st)

    def _checked(self, data: Data) -> tuple[Data, int] | None:
        """The data with its schema version; None when a newer reader wrote it (the store
        is then read-only, with the data kept for reading)."""
        data, version = checked(data)
        if version > SCHEMA_VERSION:
            self._data = data
            self._go_readonly(version)
            return None
        return data, version

    def _write_file(self, data: Data) -> None:
        """Serialise, write a temp file, fsync, keep .bak, replace, fsync the folder."""
        path = self.path
        assert path is not None
        if META not in data:
            data[META] = {"schema": {"schema_version": SCHEMA_VERSION}}
        elif data[META].get("schema") != {"schema_version": SCHEMA_VERSION}:
            data[META]["schema"] = {"schema_version": SCHEMA_VERSION}
        self._raw = None  # if still set, data has changed since: its lines are no use
        try:
            chunks, lines = render(data, self._lines, self._dirty, verify=self._verify)
        except (TypeError, ValueError) as e:
            self._invalidate()
            raise StoreWriteError(
                f"Could not save notes: a value cannot be stored as JSON ({e}); "
                "the file is unchanged."
            ) from e
        old_bak: Path | None = None  # pragma: no mutate

        def keep_backup() -> None:
            nonlocal old_bak
            old_bak = self._keep_backup()

        try:
            st = atomic_write(path, chunks, mode=self._file_mode, tag="save",
                              before_replace=keep_backup, sync_folder=False, fs=os)
        except BaseException as e:
            if old_bak is not None:
                with contextlib.suppress(OSError):
                    os.unlink(old_bak)
            self._invalidate()
            if isinstance(e, OSError):
                raise StoreWriteError(
                    f"Could not save notes to {path}: {why(e)}; the file is unchanged."
                ) from e
            raise
        self._data = data
        self._key = _stat_key(st)
        self._bad_key = None  # pragma: no mutate
        self._lines = lines
        self._dirty.clear()
        try:
            fsync_dir(path.parent)
        except OSError as e:  # the new file is complete and in place; only a power cut
            self.messages.append(  # before the folder reaches the disk could undo it
                f"Saved notes to {path}, but the folder could not be synced ({why(e)})."
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
        assert path is not None
        assert bak is not None
        tmp = self._tmp_path("bak")
        try:
            link_or_copy(path, tmp)
        except FileNotFoundError:
            return None  # first save, or the file was moved aside: nothing to keep
        kept = self._tmp_path("oldbak")
        try:
            os.link(bak, kept)
            old_bak: Path | None = kept
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
        thread = threading.Thread(target=unlink, daemon=True)
        thread.name = "reader-store-unlink"  # pragma: no mutate
        thread.start()
        self._reapers.append(thread)

    def load_backup(self) -> Data:
        """Parse the backup to restore (the copy kept when the file was moved aside, else
        ``.bak``), migrated to the current schema; raises ``StoreError`` saying why not."""
        src = self.restore_source or self.bak_path
        if src is None:
            raise StoreError("There is no backup: this store is not kept in a file.")
        return read_backup(src)
