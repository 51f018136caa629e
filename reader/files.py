"""File-system helpers shared by the stores that must never leave a torn file."""

from __future__ import annotations

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
