"""File-system helpers shared by the stores that must never leave a torn file."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import secrets
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (the directory entry, not just the data)."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def unique_path(base: Path) -> Path:
    """``base``, or ``base-2``, ``base-3``... whichever does not exist yet: a file moved
    aside never overwrites another."""
    if not os.path.lexists(base):
        return base
    n = 2
    while os.path.lexists(f"{base}-{n}"):
        n += 1
    return Path(f"{base}-{n}")


def link_or_copy(src: Path, dst: Path) -> None:
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



def remove_temp_files(folder: Path, prefix: str = ".") -> None:
    """Remove the temp files (``<prefix>...tmp``) a process killed mid-write left in
    ``folder``; call under the lock that keeps every other writer out."""
    with contextlib.suppress(OSError), os.scandir(folder) as it:
        for entry in it:
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def write_new_file(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``, which must not exist yet, and sync it to disk.

    For text that exists nowhere else (a note its store could not save): an existing file
    is never overwritten (``FileExistsError``), and a write that fails half-way (a full
    disk) leaves no partial file behind.  Raises ``OSError`` saying why.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        data = memoryview(text.encode("utf-8", "surrogatepass"))
        while data:
            data = data[os.write(fd, data):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(fd)
    with contextlib.suppress(OSError):
        fsync_dir(path.parent)


def atomic_write(path: Path, data: bytes | str | Sequence[bytes | memoryview], *,
                 keep_mode: bool = True, mode: int | None = None, tag: str = "",
                 before_replace: Callable[[], object] | None = None,
                 sync_folder: bool = True, fs: Any = None) -> os.stat_result:
    """Replace ``path`` with ``data`` as a whole, or leave it as it was.

    A temp file in the same folder is written and fsynced, then ``os.replace``\\ d over
    ``path``, then the folder is fsynced so the rename survives a crash. A reader never
    sees half a file, and a failure (full disk, read-only folder) leaves no temp file
    behind. With ``keep_mode`` an existing file keeps its permission bits. ``str`` is
    written as UTF-8. Raises ``OSError`` saying why.

    For the stores: ``data`` may be a list of chunks (written with ``writev``, never
    joined); ``mode`` sets the new file's permission bits; ``tag`` goes into the temp
    file's name (``.<name>.<random>.<tag>.tmp``) so a crash's leftover says what it was;
    ``before_replace`` runs once the temp file is complete, just before the rename (the
    notes store keeps its backup there); ``sync_folder=False`` leaves the folder's fsync
    to the caller; ``fs`` is a stand-in for the ``os`` module with its functions (the
    notes store passes its own, so a test can fail its disk and no other writer's).
    Returns the ``stat`` of the new file.
    """
    fs = os if fs is None else fs
    if isinstance(data, str):
        chunks: Sequence[bytes | memoryview] = [data.encode("utf-8", "surrogatepass")]
    elif isinstance(data, bytes):
        chunks = [data]
    else:
        chunks = data
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    mode, fix_mode = _new_mode(path, mode, keep_mode)
    suffix = f".{tag}.tmp" if tag else ".tmp"
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}{suffix}"
    fd = fs.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    try:
        if fix_mode:
            fs.fchmod(fd, mode)
        _write_chunks(fs, fd, chunks)
        fs.fsync(fd)
        st: os.stat_result = fs.fstat(fd)
        fs.close(fd)
        fd = -1
        if before_replace is not None:
            before_replace()
        fs.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            fs.close(fd)
        with contextlib.suppress(OSError):
            fs.unlink(tmp)
        raise
    if sync_folder:
        with contextlib.suppress(OSError):
            fsync_dir(path.parent)
    return st


def _new_mode(path: Path, mode: int | None, keep_mode: bool) -> tuple[int, bool]:
    """The new file's permission bits, and whether they must be set after ``open`` (the
    umask would otherwise narrow them): the ``mode`` asked for, else the old file's."""
    if mode is not None:
        return mode, True
    if keep_mode:
        with contextlib.suppress(OSError):
            kept = path.stat().st_mode & 0o777
            return kept, kept != 0o666
    return 0o666, False


def _write_chunks(fs: Any, fd: int, chunks: Sequence[bytes | memoryview]) -> None:
    """``writev`` until every byte is written (a short write means: write the rest)."""
    views = [memoryview(c) for c in chunks if c]
    while views:
        done = fs.writev(fd, views[:1024])
        while views and done >= len(views[0]):
            done -= len(views[0])
            views.pop(0)
        if done:
            views[0] = views[0][done:]


class LockTimeout(Exception):
    """Another process held the lock for longer than the deadline allowed."""


#: errno values of a file system that has no ``flock`` (some network mounts).
NO_FLOCK = (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL)


def flock_until(fd: int, timeout: float, *, first_delay: float = 0.0002,
                max_delay: float = 0.002) -> OSError | None:
    """Take an exclusive ``flock`` on ``fd``, trying again until ``timeout`` seconds have
    passed (waits start at ``first_delay`` and double up to ``max_delay``).

    Returns None once the lock is held, or the error of a file system that cannot lock
    at all (the caller carries on unlocked and tells the user what that risks). Raises
    ``LockTimeout`` when another process held it past the deadline (the caller names the
    file in its message), and ``OSError`` for anything else. A blocking ``flock`` cannot
    be given a deadline from a worker thread (no signals there), hence the loop.
    """
    deadline = time.monotonic() + timeout
    delay = first_delay
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return None
        except BlockingIOError:
            pass
        except OSError as e:
            if e.errno in NO_FLOCK:
                return e
            raise
        if time.monotonic() > deadline:
            raise LockTimeout()
        time.sleep(delay)
        delay = min(delay * 2, max_delay)
