"""File-system helpers shared by the stores that must never leave a torn file."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path


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


def atomic_write(path: Path, data: bytes | str, *, keep_mode: bool = True) -> None:
    """Replace ``path`` with ``data`` as a whole, or leave it as it was.

    A temp file in the same folder is written and fsynced, then ``os.replace``\\ d over
    ``path``, then the folder is fsynced so the rename survives a crash. A reader never
    sees half a file, and a failure (full disk, read-only folder) leaves no temp file
    behind. With ``keep_mode`` an existing file keeps its permission bits. ``str`` is
    written as UTF-8. Raises ``OSError`` saying why.
    """
    payload = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    mode = 0o666
    if keep_mode:
        with contextlib.suppress(OSError):
            mode = path.stat().st_mode & 0o777
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    try:
        if mode != 0o666:
            os.fchmod(fd, mode)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        fsync_dir(path.parent)
