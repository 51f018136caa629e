"""The index's files on disk: reading them, moving a damaged one aside, writing them under
the index's lock.

Two kinds of file make the index, in a folder of ``<user data dir>/library/``:
``articles.json`` (one small summary per distinct text, and the size and mtime of every
article file seen) and ``entities/<0-f>.json`` (the packed entity rows of each indexed
article, in 16 shards by the first hex digit of the hash). Every write happens under an
exclusive ``flock`` on ``library/.lock``: re-read the file if another process replaced
it, apply this change to what is on disk, replace the file whole
(``reader.files.atomic_write``). The index is derived data (losing it loses no notes),
so no problem with it ever raises: it becomes a line in ``messages``.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from reader.files import LockTimeout, atomic_write, flock_until, remove_temp_files, unique_path
from reader.library.rows import Packed

__all__ = ["FORMAT", "SHARDS", "IndexFiles", "StatKey", "why"]

FORMAT = 1
ARTICLES_FILE = "articles.json"
ENTITIES_DIR = "entities"
LOCK_FILE = ".lock"
SHARDS = "0123456789abcdef"
StatKey = tuple[int, int, int]


def why(e: BaseException) -> str:
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e) or type(e).__name__


def _stat_key(st: os.stat_result) -> StatKey:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class _Damaged(Exception):
    """A file of the index cannot be used (the message is the reason)."""


class _Newer(Exception):
    """A file of the index was written by a newer version of reader."""


def parse(raw: bytes, what: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as e:
        raise _Damaged(f"not valid JSON ({e})") from None
    if not isinstance(data, dict) or not isinstance(data.get("format"), int):
        raise _Damaged(f"not a reader {what} file")
    if data["format"] > FORMAT:
        raise _Newer(str(data["format"]))
    if data["format"] != FORMAT:
        raise _Damaged(f"unknown format {data['format']!r}")
    return data


def _articles_data(data: dict[str, Any]) -> dict[str, Any]:
    """Check the summaries file's shape; drop single records that are malformed."""
    articles, files = data.get("articles"), data.get("files")
    if not isinstance(articles, dict) or not isinstance(files, dict):
        raise _Damaged("not a reader library file")
    good = {h: s for h, s in articles.items()
            if isinstance(s, dict) and isinstance(s.get("path"), str)
            and isinstance(s.get("chars"), int)}
    stamps = {p: f for p, f in files.items()
              if isinstance(f, list) and len(f) == 3 and isinstance(f[0], int)
              and isinstance(f[1], int) and isinstance(f[2], str)}
    return {"format": FORMAT, "articles": good, "files": stamps}


def _shard_data(data: dict[str, Any]) -> dict[str, Packed]:
    articles = data.get("articles")
    if not isinstance(articles, dict):
        raise _Damaged("not a reader entity index file")
    return {h: v for h, v in articles.items()
            if isinstance(v, list) and len(v) == 2 and isinstance(v[0], str)
            and isinstance(v[1], str)}


def _empty_articles() -> dict[str, Any]:
    return {"format": FORMAT, "articles": {}, "files": {}}


# --------------------------------------------------------------------------- library



def _write_json(path: Path, data: Mapping[str, Any]) -> StatKey:
    """Replace ``path`` with ``data`` as JSON, whole (see ``reader.files.atomic_write``)."""
    raw = json.dumps(data, separators=(",", ":")).encode("utf-8")
    return _stat_key(atomic_write(path, raw, mode=0o600))


class IndexFiles:
    """The index's files as this process last read them, and how they are changed.

    Not thread-safe by itself: :class:`Library` holds ``_lock`` around every call.
    """

    def __init__(self, index_dir: Path, lock_timeout: float) -> None:
        self.dir = index_dir
        self.lock_timeout = lock_timeout
        #: One-line problems found (unreadable files, a damaged index moved aside, ...).
        self.messages: list[str] = []
        self._lock = threading.RLock()
        self._writable = True
        self._held = False
        self._cleaned = False
        self._articles: dict[str, Any] = _empty_articles()
        self._articles_key: StatKey | None = None
        self._articles_read = False
        self._shards: dict[str, dict[str, Packed]] = {}
        self._shard_keys: dict[str, StatKey | None] = {}
        self._names: list[tuple[str, str, int]] | None = None
        self._aliases: dict[tuple[str, str], list[str]] = {}  # made with _names

    # paths ---------------------------------------------------------------------------

    @property
    def articles_path(self) -> Path:
        return self.dir / ARTICLES_FILE

    def _shard_path(self, shard: str) -> Path:
        return self.dir / ENTITIES_DIR / f"{shard}.json"

    def _say(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def _load_shards(self) -> bool:
        """Load the entity shards that are new or were replaced; True if any was."""
        changed = False
        for shard in SHARDS:
            path = self._shard_path(shard)
            try:
                key: StatKey | None = _stat_key(os.stat(path))
            except OSError:
                key = None
            if shard in self._shards and key == self._shard_keys.get(shard):
                continue
            self._shards[shard] = self._read_shard(shard) if key is not None else {}
            self._shard_keys[shard] = key
            changed = True
        if changed:
            self._names = None
        return changed

    # files -----------------------------------------------------------------------------

    def _refresh_articles(self) -> None:
        """Read articles.json if it is new or another process replaced it."""
        path = self.articles_path
        try:
            key: StatKey | None = _stat_key(os.stat(path))
        except FileNotFoundError:
            key = None
        except OSError as e:
            self._say(f"the library index {path} cannot be read ({why(e)})")
            return
        if self._articles_read and key == self._articles_key:
            return
        self._articles_read = True
        if key is None:
            self._articles, self._articles_key = _empty_articles(), None
            return
        try:
            self._articles, self._articles_key = self._read_articles()
        except _Damaged:
            with self._writing() as locked:
                if locked:
                    self._articles, self._articles_key = self._read_articles(fix=True)

    def _read_articles(self, fix: bool = False) -> tuple[dict[str, Any], StatKey | None]:
        path = self.articles_path
        try:
            with open(path, "rb") as f:
                key = _stat_key(os.fstat(f.fileno()))
                raw = f.read()
        except FileNotFoundError:
            return _empty_articles(), None
        except OSError as e:
            self._say(f"the library index {path} cannot be read ({why(e)})")
            return _empty_articles(), None
        try:
            return _articles_data(parse(raw, "library")), key
        except _Newer as e:
            self._read_only(path, str(e))
            return _empty_articles(), key
        except _Damaged as e:
            if not fix:
                raise
            self._move_aside(path, str(e))
            return _empty_articles(), None

    def _read_shard(self, shard: str, fix: bool = False) -> dict[str, Packed]:
        path = self._shard_path(shard)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as e:
            self._say(f"the entity index {path} cannot be read ({why(e)})")
            return {}
        try:
            return _shard_data(parse(raw, "entity index"))
        except _Newer as e:
            self._read_only(path, str(e))
            return {}
        except _Damaged as e:
            if fix:
                self._move_aside(path, str(e))
                return {}
            with self._writing() as locked:  # damaged still, now that no one is writing?
                if locked:
                    return self._read_shard(shard, fix=True)
            return {}

    def _read_only(self, path: Path, version: str) -> None:
        self._writable = False
        self._say(f"the library index {path} is from a newer version of reader (format "
                  f"{version}); it is left as it is and nothing new is saved to it")

    def _move_aside(self, path: Path, reason: str) -> None:
        """Call under the file lock."""
        aside = unique_path(path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"))
        try:
            os.rename(path, aside)
        except FileNotFoundError:
            return
        except OSError as e:
            self._writable = False
            self._say(f"the library index {path} is damaged ({reason}) and cannot be moved "
                      f"aside ({why(e)}); the library is not saved this session")
            return
        self._say(f"the library index {path.name} was damaged ({reason}); it was moved aside "
                  f"to {aside.name} and is being rebuilt (no notes are lost)")

    @contextlib.contextmanager
    def _writing(self) -> Iterator[bool]:
        """Hold the index's inter-process lock; yields False when nothing may be written
        (read-only, folder not writable, lock not obtained: each said in messages)."""
        if self._held:  # flock is per open file: a second one here would wait for itself
            yield True
            return
        if not self._writable:
            yield False
            return
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.dir / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as e:
            self._writable = False
            self._say(f"the library index cannot be saved in {self.dir} ({why(e)}); it is "
                      "kept in memory for this session")
            yield False
            return
        try:
            try:
                unsupported = flock_until(fd, self.lock_timeout, first_delay=0.0005,
                                          max_delay=0.005)
            except LockTimeout:
                self._say(f"the library index in {self.dir} is locked by another reader "
                          f"process (waited {self.lock_timeout:g} s); this change is not saved")
                yield False
                return
            if unsupported is not None:
                self._say(f"{self.dir / LOCK_FILE} cannot be locked ({why(unsupported)}); "
                          "two reader processes indexing at once could lose an update")
            if not self._cleaned:
                self._cleaned = True
                self._cleanup_temp_files()
            self._held = True
            try:
                yield True
            finally:
                self._held = False
        finally:
            os.close(fd)  # closing drops the lock

    def _cleanup_temp_files(self) -> None:
        """Remove temp files of a process killed mid-write (under the lock: no one else
        is writing)."""
        for folder in (self.dir, self.dir / ENTITIES_DIR):
            remove_temp_files(folder)

    def _update_articles(self, change: Callable[[dict[str, Any]], None],
                         locked: bool | None = None) -> None:
        """Apply ``change`` to the newest articles.json and save it (memory only when the
        index cannot be written). ``locked``: already under :meth:`_writing`."""
        if locked is None:
            with self._writing() as now_locked:
                self._update_articles(change, locked=now_locked)
            return
        if locked:
            try:
                key = _stat_key(os.stat(self.articles_path))
            except OSError:
                key = None
            if key != self._articles_key:
                self._articles, self._articles_key = self._read_articles(fix=True)
        change(self._articles)
        if locked and self._writable:
            try:
                self._articles_key = _write_json(self.articles_path, self._articles)
            except OSError as e:
                self._articles_key = None  # re-read next time: the disk has the truth
                self._articles_read = False
                self._say(f"the library index could not be saved to {self.articles_path} "
                          f"({why(e)}); the file is unchanged")

    def _update_shard(self, shard: str, rows: Mapping[str, Packed], locked: bool,
                      drop: Iterable[str] = ()) -> None:
        """Add ``rows`` to a shard and remove the articles ``drop``: the newest shard on
        disk when ``locked``, else the one in memory (the index is not being saved this
        session)."""
        current = (self._read_shard(shard, fix=True) if locked
                   else dict(self._shards.get(shard, {})))
        current.update(rows)
        for digest in drop:
            current.pop(digest, None)
        path = self._shard_path(shard)
        key: StatKey | None = None
        if locked and self._writable:
            try:
                path.parent.mkdir(exist_ok=True)
                key = _write_json(path, {"format": FORMAT, "articles": current})
            except OSError as e:
                self._say(f"the entity index could not be saved to {path} ({why(e)}); "
                          "the file is unchanged")
        if key is None:  # not saved: keep the rows in memory, not the file's older ones
            with contextlib.suppress(OSError):
                key = _stat_key(os.stat(path))
        self._shards[shard] = current
        self._shard_keys[shard] = key
        self._names = None
