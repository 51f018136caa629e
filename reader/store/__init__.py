"""The store: notes, reading positions, drafts and corrections in one JSON file.

The only package that imports TinyDB. Its files:

* ``api.py``: :class:`Store`, the methods the rest of reader calls;
* ``storage.py``: the file itself (atomic save, backup, inter-process lock, fallbacks
  when the file is unreadable or the folder cannot be written);
* ``schema.py``: the tables, how a file is checked, how an older schema is migrated;
* ``render.py``: the file's layout, one document per line, for fast saves;
* ``errors.py``: the errors ``Store`` raises.

docs/storage.md describes what the store guarantees.
"""

from __future__ import annotations

from reader.store.api import DEFAULT_FILENAME, ENV_VAR, Store, default_path
from reader.store.errors import StoreBusy, StoreError, StoreReadOnly, StoreWriteError
from reader.store.schema import SCHEMA_VERSION
from reader.store.storage import VERIFY_ENV, AtomicJSONStorage

__all__ = [
    "DEFAULT_FILENAME",
    "ENV_VAR",
    "SCHEMA_VERSION",
    "VERIFY_ENV",
    "AtomicJSONStorage",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreReadOnly",
    "StoreWriteError",
    "default_path",
]
