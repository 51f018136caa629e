"""The store's errors: each ``str()`` is one line fit to show a user."""

from __future__ import annotations

__all__ = ["StoreBusy", "StoreError", "StoreReadOnly", "StoreWriteError", "why"]


class StoreError(Exception):
    """Base class of the store's errors; ``str()`` is one line fit to show a user."""


class StoreReadOnly(StoreError):
    """The store cannot be changed (the file was written by a newer version of reader)."""


class StoreWriteError(StoreError):
    """A save failed; the file on disk is the one from before the save."""


class StoreBusy(StoreWriteError):
    """Another process held the lock for longer than the timeout."""



def why(e: BaseException) -> str:
    """A short reason for an OSError: 'Permission denied', 'File too large', ..."""
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e) or type(e).__name__
