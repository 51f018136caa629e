"""The store's errors: each ``str()`` is one line fit to show a user."""

from __future__ import annotations

from reader.store.schema import SCHEMA_VERSION

__all__ = ["StoreBusy", "StoreError", "StoreReadOnly", "StoreWriteError", "newer_schema", "why"]


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


def newer_schema(name: str, version: int, unread: list[str]) -> str:
    """Why a file of a newer schema (``version``) is open read-only; ``unread``: its tables
    this version cannot lay out, so they are not shown."""
    hidden = ""
    if unread:
        names = ", ".join(sorted(str(n) for n in unread))
        one = len(unread) == 1
        hidden = (f" Its {names} {'table is' if one else 'tables are'} laid out in a way "
                  f"this version cannot read, so {'it is' if one else 'they are'} not "
                  "shown.")
    return (
        f"{name} was saved by a newer version of reader (schema {version}; this "
        f"version knows schema {SCHEMA_VERSION}), so it is open read-only: changes cannot "
        f"be saved and nothing is written to it.{hidden} Update reader to change notes."
    )
