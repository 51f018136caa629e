"""The Store: notes, reading positions, drafts and corrections, plain dicts in and out.

TinyDB (only ever imported inside this package) holds the tables; ``AtomicJSONStorage``
(storage.py) is its file. Every document has a stable string id (uuid4 hex for notes),
used as TinyDB's document id, so ids never collide across processes.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import platformdirs
from tinydb import TinyDB
from tinydb.table import Document, Table

from reader.store.errors import StoreError
from reader.store.render import check_json
from reader.store.schema import CORRECTIONS, DRAFTS, META, NOTES, POSITIONS
from reader.store.storage import AtomicJSONStorage

__all__ = ["DEFAULT_FILENAME", "ENV_VAR", "Store", "default_path"]

DEFAULT_FILENAME = "notes.json"
ENV_VAR = "READER_DB"


def default_path() -> Path:
    """``$READER_DB`` if set, else ``notes.json`` in the platform's user data folder."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("reader", appauthor=False)) / DEFAULT_FILENAME


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _copy(value: Any) -> Any:
    """A deep copy of JSON-like data (much faster than ``copy.deepcopy``)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(v) for v in value]
    return value


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
                     progress: float | None = None, *,
                     anchor: Mapping[str, Any] | None = None) -> None:
        """Save the reading offset (and, if given, how far through the text the reader is,
        0..1, as the status line shows it); also records the article as recently opened.
        ``anchor``: the text at the offset (``reader.library.positions`` makes it), so the
        place can be found again after the file is edited."""
        doc: dict[str, Any] = {"hash": article_hash, "offset": int(offset), "path": str(path),
                               "opened": _now()}
        if progress is not None:
            doc["progress"] = min(1.0, max(0.0, float(progress)))
        if anchor is not None:
            doc["anchor"] = cast(dict[str, Any], _copy(dict(anchor)))
            check_json(doc, "the reading position")
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
        check_json(doc, f"the {what}")
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
            check_json(current, "the note")
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
        for every article; bench/bench_library.py times it with 10,000 notes)."""
        counts: dict[str, int] = {}
        with self._lock:
            for d in self._notes:
                article = d.get("article")
                digest = article.get("hash") if isinstance(article, dict) else None
                if isinstance(digest, str):
                    counts[digest] = counts.get(digest, 0) + 1
        return counts

    def note_counts_by_path(self) -> dict[str, dict[str, int]]:
        """Notes per article path (as stored with each note: absolute), then per article
        hash: the library counts the notes of an edited file's earlier text with its new
        one."""
        counts: dict[str, dict[str, int]] = {}
        with self._lock:
            for d in self._notes:
                article = d.get("article")
                if not isinstance(article, dict):
                    continue
                path, digest = article.get("path"), article.get("hash")
                if isinstance(path, str) and isinstance(digest, str):
                    per_hash = counts.setdefault(path, {})
                    per_hash[digest] = per_hash.get(digest, 0) + 1
        return counts

    # drafts ----------------------------------------------------------------------------

    def save_draft(self, key: str, draft: Mapping[str, Any]) -> None:
        """Keep an editor's unsaved text under ``key`` (replaces the previous draft).

        Each call is a full save (tens of ms with a big store): call it debounced.
        """
        doc = cast(dict[str, Any], _copy(dict(draft)))
        doc["key"] = key
        doc["saved"] = _now()
        check_json(doc, "the draft")
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
