"""File-system helpers shared by the stores that must never leave a torn file."""

from __future__ import annotations

import contextlib
import os
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
