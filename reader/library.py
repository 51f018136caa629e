"""The library: every article the reader knows, and which articles mention whom.

Pure Python: no Textual, no spaCy (``reader.nlp`` is imported only by :func:`index_files`,
and it imports spaCy only when a text is not in its cache), no TinyDB (the store is passed
in and only its methods are called).

Two kinds of file make the index, in a folder of ``<user data dir>/library/`` (one per
notes file, see :func:`default_index_dir`):

* ``articles.json``: one small summary per distinct text (content hash): title, author,
  date, kind, size, entity counts, where it was last seen; and the size and mtime of
  every article file seen, so a file that has not changed is never read again. Read at
  open (about 250 bytes per article: 1,000 articles parse in a few milliseconds).
* ``entities/<0-f>.json``: the entity rows of each indexed article (name, group, aliases,
  count, first mention, snippet), in 16 shards by the first hex digit of the hash. Loaded
  only when :meth:`Library.appearances` or :meth:`Library.entity_names` is called; a
  record rewrites one shard, not every article's rows.

Every write happens under an exclusive ``flock`` on ``library/.lock``: re-read the file if
another process replaced it, apply this change to what is on disk, write a temporary file,
fsync, ``os.replace``, fsync the folder. So the app recording an article while
``reader index`` runs loses neither update. A file that cannot be parsed is moved aside as
``<name>.corrupt-<stamp>`` and rebuilt; the index is derived data (losing it loses no
notes), so no problem with it ever raises: it becomes a line in :attr:`Library.messages`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import secrets
import stat
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reader.files import fsync_dir, unique_path

if TYPE_CHECKING:
    from reader.document import Article
    from reader.entities import Entity, Mention
    from reader.store import Store

__all__ = [
    "ARTICLE_SUFFIXES",
    "Appearance",
    "Entry",
    "IndexRun",
    "Library",
    "article_files",
    "default_index_dir",
    "index_files",
    "name_key",
    "snippet",
]

#: Files the library lists and ``reader index`` reads (compared case-insensitively).
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".epub")
_KIND = {".htm": "html"}

FORMAT = 1
ARTICLES_FILE = "articles.json"
ENTITIES_DIR = "entities"
LOCK_FILE = ".lock"
_SHARDS = "0123456789abcdef"
GROUP_FIELDS = ("people", "organizations", "places")
#: Characters of context around a first mention in :attr:`Appearance.snippet`.
SNIPPET_CHARS = 100

# An article in a shard is two strings, [keys, rows], because parsing a few long strings
# is ~20x faster than parsing the same rows as JSON lists (6.8 MB for 1,000 articles):
# keys: "\n" + every row's name keys joined by "\n" + "\n", scanned with `in`;
# rows: one line per row, tab-separated, split only for an article that matched:
#   name, group, count, start, end, snippet, aliases ("\x1f"-joined), keys (same)
Packed = list[str]
StatKey = tuple[int, int, int]


class _Row(NamedTuple):
    name: str
    group: str
    mentions: int  # (not "count": that is a tuple method)
    start: int
    end: int
    snippet: str
    aliases: tuple[str, ...]
    keys: tuple[str, ...]


def _clean(field: str) -> str:
    """A field fit for the packed rows: no tab, newline or unit separator."""
    return field.replace("\t", " ").replace("\n", " ").replace("\x1f", " ")


def _unpack(line: str) -> _Row | None:
    """One packed row; None if it is damaged (the article's other rows still count)."""
    f = line.split("\t")
    if len(f) != 8:
        return None
    try:
        return _Row(f[0], f[1], int(f[2]), int(f[3]), int(f[4]), f[5],
                    tuple(a for a in f[6].split("\x1f") if a),
                    tuple(k for k in f[7].split("\x1f") if k))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of the library screen: one distinct text."""

    hash: str
    """Content hash (``Article.hash``): one row per distinct text."""
    path: Path
    """Where the text was last seen (an opened path first, then a folder's, a sample's)."""
    title: str
    author: str | None
    date: str | None
    kind: str
    """File suffix without the dot: txt, md, html, epub."""
    source: str | None
    """The web page's URL, when the article came from one."""
    chars: int
    """``len(article.text)``."""
    people: int | None
    """Entity rows in the group; None until the article has been indexed."""
    organizations: int | None
    places: int | None
    notes: int
    """Notes in the store for this text."""
    progress: float | None
    """0..1 from the saved reading position; None if never opened."""
    opened: str | None
    """ISO time it was last opened in the app; None if never."""
    sample: bool
    """One of the bundled sample articles."""


@dataclass(frozen=True, slots=True)
class Appearance:
    """One article that mentions an entity."""

    hash: str
    path: Path
    title: str
    name: str
    """The entity's row name in that article."""
    group: str
    """people, organizations, places or other."""
    count: int
    start: int
    """First mention: offsets into that article's ``Article.text``."""
    end: int
    snippet: str
    """About 100 characters of one line around the first mention."""


# --------------------------------------------------------------------------- helpers


def default_index_dir(notes_path: Path | None = None) -> Path:
    """The index folder for a notes file (default: the store's default file):
    ``<user data dir>/library/<notes file's stem>-<hash of its real path>``.

    One index per notes file, so ``--db`` and ``READER_DB`` keep separate libraries (and
    corrections, which live in the notes file, stay with theirs); in this machine's data
    folder, because it holds this machine's paths and file stamps while the notes file
    may be synced between machines or sit in a vault that should not churn.
    """
    import hashlib

    import platformdirs

    if notes_path is None:
        from reader.store import default_path

        notes_path = default_path()
    real = os.path.realpath(os.path.expanduser(notes_path))
    digest = hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    stem = Path(real).stem or "notes"
    data = Path(platformdirs.user_data_dir("reader", appauthor=False))
    return data / "library" / f"{stem}-{digest}"


def name_key(text: str) -> str:
    """The key names are matched by: entities.py's row key (white space collapsed,
    casefolded) with what does not depend on case trimmed as its normalisation does (a
    leading "the", a possessive, quotes, an abbreviated title such as "Dr."), and
    diacritics and curly apostrophes folded: "José Núñez's" finds "jose nunez".

    Case-dependent trimming ("said Smith" -> "Smith") is left out on purpose: a typed
    query has any case, and row names were trimmed by ``resolve`` already."""
    from reader.entities.words import TITLE_ABBREVS

    key = " ".join(text.replace("’", "'").replace("‘", "'").split()).casefold()
    key = key.strip(" ,;:*_\"'“”«»`")
    if key.startswith("the "):
        key = key[4:]
    if key.endswith("'s"):
        key = key[:-2]
    key = key.rstrip("'")
    first, _, rest = key.partition(" ")
    if rest and first.endswith(".") and first.rstrip(".") in TITLE_ABBREVS:
        key = rest
    if not key.isascii():
        decomposed = unicodedata.normalize("NFKD", key)
        key = unicodedata.normalize(
            "NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))
    return key.strip()


def snippet(text: str, start: int, end: int, width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of the line around ``text[start:end]``, cut at word
    ends, white space collapsed, "…" where the line goes on."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    room = max(0, width - (end - start))
    a = max(line_start, start - room // 2)
    z = min(line_end, end + room - (start - a))
    a = max(line_start, min(a, z - width))  # a short right side leaves more for the left
    if a > line_start:
        space = text.find(" ", a, start)
        a = space + 1 if space >= 0 else a
    if z < line_end:
        space = text.rfind(" ", end, z)
        z = space if space >= 0 else z
    body = " ".join(text[a:z].split())
    return ("…" if a > line_start else "") + body + ("…" if z < line_end else "")


def article_files(folders: Iterable[Path]) -> list[Path]:
    """The article files under ``folders`` (recursively, sorted; hidden files and folders
    such as ``.git`` or ``.obsidian`` are left out). A file given directly is kept."""
    out: list[Path] = []
    seen: set[str] = set()
    for folder in folders:
        root = os.path.abspath(os.path.expanduser(folder))
        if os.path.isfile(root):
            if root not in seen:
                seen.add(root)
                out.append(Path(root))
            continue
        for here, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if name.startswith(".") or not name.lower().endswith(ARTICLE_SUFFIXES):
                    continue
                path = os.path.join(here, name)
                if path not in seen:
                    seen.add(path)
                    out.append(Path(path))
    return out


def _kind(path: str) -> str:
    suffix = os.path.splitext(path)[1].lower()
    return _KIND.get(suffix, suffix.lstrip(".") or "txt")


def _why(e: BaseException) -> str:
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e) or type(e).__name__


def _stat_key(st: os.stat_result) -> StatKey:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class _Damaged(Exception):
    """A file of the index cannot be used (the message is the reason)."""


class _Newer(Exception):
    """A file of the index was written by a newer version of reader."""


def _parse(raw: bytes, what: str) -> dict[str, Any]:
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


def _lines_with(packed: str, needles: Iterable[str]) -> Iterator[str]:
    """The lines of ``packed`` that contain one of ``needles`` (found with str.find, so
    the article's other rows are never split)."""
    starts: set[int] = set()
    for needle in needles:
        i = packed.find(needle)
        while i >= 0:
            a = packed.rfind("\n", 0, i) + 1
            z = packed.find("\n", i)
            if z < 0:
                z = len(packed)
            if a not in starts:
                starts.add(a)
                yield packed[a:z]
            i = packed.find(needle, z)


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


class _Busy(Exception):
    pass


class Library:
    """Every article the reader knows, and the cross-article entity index.

    Safe to call from several threads; the app should call :meth:`record` from a worker
    thread (it writes files: a few milliseconds, tens with a very large index).
    """

    def __init__(self, store: Store, *, folders: Sequence[Path] = (),
                 index_path: Path | None = None, samples: bool = True,
                 lock_timeout: float = 10.0) -> None:
        """``index_path``: the folder of the index files (default: the store's, see
        :func:`default_index_dir`); ``folders``: article folders listed by
        :meth:`entries`; ``samples``: list the bundled sample articles too."""
        self.store = store
        self.folders = [Path(f) for f in folders]
        self.samples = samples
        self.dir = (Path(index_path) if index_path is not None
                    else default_index_dir(store.path))
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
        self._sample_hashes: set[str] = set()
        self._paths: dict[str, Path] = {}
        self._unreadable: dict[str, tuple[int, int]] = {}  # path -> (size, mtime_ns)

    # paths ---------------------------------------------------------------------------

    @property
    def articles_path(self) -> Path:
        return self.dir / ARTICLES_FILE

    def _shard_path(self, shard: str) -> Path:
        return self.dir / ENTITIES_DIR / f"{shard}.json"

    def _say(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    # the library's rows ----------------------------------------------------------------

    def entries(self) -> list[Entry]:
        """Every article: the bundled samples, the ones opened before
        (``store.recent(limit=None)``), the article files (.txt .md .html .htm .epub,
        recursively) of ``folders``, and the files recorded in the index (``reader
        index``) that are still there; one row per content hash; most recently opened
        first, then by title (casefold).

        Files unchanged since last seen (path, size, mtime_ns) are not read again; new or
        changed files are loaded with ``reader.document.load`` and remembered. Unreadable
        files are skipped (with a line in :attr:`messages`).
        """
        with self._lock:
            self._refresh_articles()
            recent = self.store.recent(limit=None)
            notes = self.store.note_counts()
            candidates: dict[str, None] = {}  # path -> None, in order of preference
            for doc in recent:
                path = doc.get("path")
                if isinstance(path, str) and path:
                    candidates.setdefault(os.path.abspath(path), None)
            for path in article_files(self.folders):
                candidates.setdefault(str(path), None)
            samples = self._sample_paths()
            for path in samples:
                candidates.setdefault(path, None)
            files: dict[str, list[Any]] = self._articles["files"]
            articles: dict[str, dict[str, Any]] = self._articles["articles"]
            for path, stamp in files.items():
                # indexed texts (reader index, or entities settled in the app); a file only
                # seen in a folder given before is not listed once that folder is not
                summary = articles.get(stamp[2])
                if summary is not None and summary.get("counts") is not None:
                    candidates.setdefault(path, None)

            found: dict[str, str] = {}  # hash -> path
            new_summaries: dict[str, dict[str, Any]] = {}
            new_stamps: dict[str, list[Any]] = {}
            gone: list[str] = []
            for path in candidates:
                try:
                    st = os.stat(path)
                except OSError:
                    if path in files:
                        gone.append(path)
                    continue
                if not stat.S_ISREG(st.st_mode):
                    continue
                known = files.get(path)
                if (known is not None and known[0] == st.st_size and known[1] == st.st_mtime_ns
                        and known[2] in articles):
                    digest = known[2]
                else:
                    if self._unreadable.get(path) == (st.st_size, st.st_mtime_ns):
                        continue  # said once already; not read again until it changes
                    article = self._load(path)
                    if article is None:
                        self._unreadable[path] = (st.st_size, st.st_mtime_ns)
                        continue
                    digest = article.hash
                    new_summaries.setdefault(digest, _summary(article, path))
                    new_stamps[path] = [st.st_size, st.st_mtime_ns, digest]
                found.setdefault(digest, path)
            if samples:
                self._sample_hashes = {
                    new_stamps.get(p, files.get(p, (0, 0, "")))[2] for p in samples}
            moved = {h: p for h, p in found.items()
                     if h not in new_summaries and articles[h]["path"] != p}
            if new_summaries or new_stamps or gone or moved:
                self._save_scan(new_summaries, new_stamps, gone, moved, found)
            return self._rows(found, recent, notes)

    def _rows(self, found: Mapping[str, str], recent: Sequence[Mapping[str, Any]],
              notes: Mapping[str, int]) -> list[Entry]:
        articles: dict[str, dict[str, Any]] = self._articles["articles"]
        by_hash: dict[str, Mapping[str, Any]] = {}
        by_path: dict[str, str] = {}
        for d in recent:  # newest first: the first one seen wins
            digest, where, when = d.get("hash"), d.get("path"), d.get("opened")
            if isinstance(digest, str):
                by_hash.setdefault(digest, d)
            if isinstance(where, str) and isinstance(when, str):
                by_path.setdefault(os.path.abspath(where), when)
        samples = self._sample_hashes
        rows: list[Entry] = []
        for digest, path in found.items():
            s = articles.get(digest)
            if s is None:
                continue
            chars = s["chars"]
            doc = by_hash.get(digest)
            progress: float | None = None
            opened: str | None = None
            if doc is not None:
                offset = doc.get("offset")
                seen = doc.get("progress")
                if isinstance(seen, (int, float)) and not isinstance(seen, bool):
                    progress = min(1.0, max(0.0, float(seen)))  # as the status line said
                elif isinstance(offset, int) and chars > 0:
                    progress = min(1.0, max(0.0, offset / chars))
                opened = doc.get("opened") if isinstance(doc.get("opened"), str) else None
            if opened is None:  # the file was opened, then changed: it is still the one
                opened = by_path.get(path)
            counts = s.get("counts")
            if not (isinstance(counts, list) and len(counts) == 3):
                counts = [None, None, None]
            where = self._paths.get(path)
            if where is None:  # Path() costs ~7 µs: a refresh of 1,000 rows reuses them
                where = self._paths[path] = Path(path)
            rows.append(Entry(
                hash=digest, path=where, title=s.get("title") or os.path.basename(path),
                author=s.get("author"), date=s.get("date"), kind=_kind(path),
                source=s.get("source"), chars=chars, people=counts[0],
                organizations=counts[1], places=counts[2], notes=notes.get(digest, 0),
                progress=progress, opened=opened, sample=digest in samples))
        rows.sort(key=lambda e: (e.title.casefold(), str(e.path)))
        rows.sort(key=lambda e: e.opened or "", reverse=True)  # stable: titles stay sorted
        return rows

    def _sample_paths(self) -> list[str]:
        if not self.samples:
            return []
        from reader.resources import seeds_dir

        try:
            return [str(p) for p in article_files([seeds_dir()])]
        except OSError as e:  # an installation without its samples still lists the rest
            self._say(f"the bundled samples cannot be listed ({_why(e)})")
            return []

    def _load(self, path: str) -> Article | None:
        from reader.document import ArticleError, load

        try:
            return load(path)
        except ArticleError as e:
            self._say(str(e))
        except Exception as e:  # one bad file must not hide the rest of the library
            self._say(f"{path}: cannot be read ({_why(e)})")
        return None

    def _save_scan(self, summaries: Mapping[str, dict[str, Any]],
                   stamps: Mapping[str, list[Any]], gone: Sequence[str],
                   moved: Mapping[str, str], found: Mapping[str, str]) -> None:
        def change(data: dict[str, Any]) -> None:
            articles, files = data["articles"], data["files"]
            for digest, summary in summaries.items():
                old = articles.get(digest)
                # same text, same counts: keep what a record() wrote for this hash
                counts = old.get("counts") if old is not None else None
                articles[digest] = {**summary, "path": found.get(digest, summary["path"]),
                                    "counts": counts}
            for digest, path in moved.items():
                if digest in articles:
                    articles[digest]["path"] = path
            files.update(stamps)
            for path in gone:
                files.pop(path, None)

        self._update_articles(change)

    # recording -------------------------------------------------------------------------

    def record(self, article: Article, entities: Sequence[Entity] | None) -> None:
        """Remember the article's summary and, when given, its entity rows (name, group,
        aliases, count, first mention, snippet) for the cross-article index. Called by
        the app when an article's entities settle and by ``reader index``."""
        self.record_many([(article, entities)])

    def record_many(self, items: Iterable[tuple[Article, Sequence[Entity] | None]]) -> None:
        """:meth:`record` for several articles in one write of each file touched."""
        summaries: dict[str, dict[str, Any]] = {}
        stamps: dict[str, list[Any]] = {}
        rows: dict[str, Packed] = {}
        for article, entities in items:
            path = os.path.abspath(article.path)
            summary = _summary(article, path)
            if entities is not None:
                summary["counts"] = [sum(1 for e in entities if e.group == g and e.count)
                                     for g in GROUP_FIELDS]
                rows[article.hash] = _pack([e for e in entities if _indexed(e)], article)
            earlier = summaries.get(article.hash)
            if entities is None and earlier is not None and "counts" in earlier:
                summary["counts"] = earlier["counts"]  # the same text, recorded just before
            summaries[article.hash] = summary
            with contextlib.suppress(OSError):
                st = os.stat(path)
                if stat.S_ISREG(st.st_mode):
                    stamps[path] = [st.st_size, st.st_mtime_ns, article.hash]
        if not summaries:
            return

        def change(data: dict[str, Any]) -> None:
            articles = data["articles"]
            for digest, summary in summaries.items():
                if "counts" not in summary:
                    old = articles.get(digest)
                    summary = {**summary, "counts": old.get("counts") if old else None}
                articles[digest] = summary
            data["files"].update(stamps)

        with self._lock:
            self._refresh_articles()
            with self._writing() as locked:
                self._update_articles(change, locked=locked)
                by_shard: dict[str, dict[str, Packed]] = {}
                for digest, r in rows.items():
                    by_shard.setdefault(self._shard_of(digest), {})[digest] = r
                for shard, update in sorted(by_shard.items()):
                    self._update_shard(shard, update, locked=locked)

    @staticmethod
    def _shard_of(digest: str) -> str:
        first = digest[:1].lower()
        return first if first in _SHARDS else "0"

    # looking up ------------------------------------------------------------------------

    def appearances(self, name: str, *, aliases: Sequence[str] = (), exclude: str | None = None,
                    group: str | None = None) -> list[Appearance]:
        """Every indexed article with a row whose name or alias matches ``name`` or one of
        ``aliases`` (case, space and diacritics aside; see :func:`name_key`), except the
        article with hash ``exclude``; most mentions first. ``group``: only rows of that
        group. One appearance per article (its row with the most mentions); articles
        whose file is gone are left out."""
        keys = {k for k in (name_key(n) for n in (name, *aliases)) if k}
        needles = [f"\n{k}\n" for k in keys]
        with self._lock:
            self._refresh_articles()
            self._load_shards()
            articles = self._articles["articles"]
            out: list[Appearance] = []
            for shard in self._shards.values():
                for digest, (article_keys, packed) in shard.items():
                    if digest == exclude or not any(n in article_keys for n in needles):
                        continue
                    s = articles.get(digest)
                    if s is None or not os.path.exists(s["path"]):
                        continue
                    best: _Row | None = None
                    for line in _lines_with(packed, keys):
                        row = _unpack(line)
                        if (row is not None and (group is None or row.group == group)
                                and not keys.isdisjoint(row.keys)
                                and (best is None or row.mentions > best.mentions)):
                            best = row
                    if best is not None:
                        out.append(Appearance(
                            hash=digest, path=Path(s["path"]),
                            title=s.get("title") or os.path.basename(s["path"]),
                            name=best.name, group=best.group, count=best.mentions,
                            start=best.start, end=best.end, snippet=best.snippet))
        out.sort(key=lambda a: (-a.count, a.title.casefold(), str(a.path)))
        return out

    def entity_names(self) -> list[tuple[str, str, int]]:
        """(name, group, number of articles) of every indexed entity, for the command
        palette: most articles first, then by name. Rows of one name and group in several
        articles are one entry, under the name most of them use."""
        with self._lock:
            self._refresh_articles()
            if self._load_shards() or self._names is None:
                articles = self._articles["articles"]
                spelled: dict[tuple[str, str], Counter[str]] = {}
                seen: dict[tuple[str, str], set[str]] = {}
                for shard in self._shards.values():
                    for digest, (_keys, packed) in shard.items():
                        if digest not in articles:
                            continue
                        for line in packed.split("\n"):
                            f = line.split("\t")
                            if len(f) != 8:
                                continue
                            key = (f[7].split("\x1f", 1)[0] or f[0], f[1])
                            spelled.setdefault(key, Counter())[f[0]] += 1
                            seen.setdefault(key, set()).add(digest)
                names = [(spelled[k].most_common(1)[0][0], k[1], len(seen[k])) for k in seen]
                names.sort(key=lambda n: (-n[2], n[0].casefold(), n[1]))
                self._names = names
            return list(self._names)

    def _load_shards(self) -> bool:
        """Load the entity shards that are new or were replaced; True if any was."""
        changed = False
        for shard in _SHARDS:
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
            self._say(f"the library index {path} cannot be read ({_why(e)})")
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
            self._say(f"the library index {path} cannot be read ({_why(e)})")
            return _empty_articles(), None
        try:
            return _articles_data(_parse(raw, "library")), key
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
            self._say(f"the entity index {path} cannot be read ({_why(e)})")
            return {}
        try:
            return _shard_data(_parse(raw, "entity index"))
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
                      f"aside ({_why(e)}); the library is not saved this session")
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
            self._say(f"the library index cannot be saved in {self.dir} ({_why(e)}); it is "
                      "kept in memory for this session")
            yield False
            return
        try:
            try:
                self._acquire(fd)
            except _Busy:
                self._say(f"the library index in {self.dir} is locked by another reader "
                          f"process (waited {self.lock_timeout:g} s); this change is not saved")
                yield False
                return
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

    def _acquire(self, fd: int) -> None:
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.0005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pass
            except OSError as e:
                if e.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
                    self._say(f"{self.dir / LOCK_FILE} cannot be locked ({_why(e)}); two "
                              "reader processes indexing at once could lose an update")
                    return
                raise
            if time.monotonic() > deadline:
                raise _Busy()
            time.sleep(delay)
            delay = min(delay * 2, 0.005)

    def _cleanup_temp_files(self) -> None:
        """Remove temp files of a process killed mid-write (under the lock: no one else
        is writing)."""
        for folder in (self.dir, self.dir / ENTITIES_DIR):
            with contextlib.suppress(OSError), os.scandir(folder) as it:
                for entry in it:
                    if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)

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
                          f"({_why(e)}); the file is unchanged")

    def _update_shard(self, shard: str, rows: Mapping[str, Packed], locked: bool) -> None:
        """Add ``rows`` to a shard: the newest one on disk when ``locked``, else the one in
        memory (the index is not being saved this session)."""
        current = (self._read_shard(shard, fix=True) if locked
                   else dict(self._shards.get(shard, {})))
        current.update(rows)
        path = self._shard_path(shard)
        key: StatKey | None = None
        if locked and self._writable:
            try:
                path.parent.mkdir(exist_ok=True)
                key = _write_json(path, {"format": FORMAT, "articles": current})
            except OSError as e:
                self._say(f"the entity index could not be saved to {path} ({_why(e)}); "
                          "the file is unchanged")
        if key is None:  # not saved: keep the rows in memory, not the file's older ones
            with contextlib.suppress(OSError):
                key = _stat_key(os.stat(path))
        self._shards[shard] = current
        self._shard_keys[shard] = key
        self._names = None


def _summary(article: Article, path: str) -> dict[str, Any]:
    return {"path": path, "title": article.title or "", "author": article.author,
            "date": article.date, "kind": _kind(path),
            "source": getattr(article, "source_url", None), "chars": len(article.text)}


def _indexed(e: Entity) -> bool:
    """Rows that name something (as the export's entity index has them): dates, sums
    and numbers in "other" would only crowd the command palette."""
    from reader.entities import NAME_LABELS

    return e.count > 0 and (e.group != "other" or e.label in NAME_LABELS)


def _pack(entities: Sequence[Entity], article: Article) -> Packed:
    every_key: list[str] = []
    lines = []
    for e in entities:
        first = e.mentions[0]
        keys: list[str] = []
        for n in (e.name, *e.aliases):
            k = _clean(name_key(n))
            if k and k not in keys:
                keys.append(k)
        every_key.extend(keys)
        lines.append("\t".join((
            _clean(e.name), _clean(e.group), str(e.count), str(first.start), str(first.end),
            _clean(_snippet_of(article, first.start, first.end)),
            "\x1f".join(_clean(a) for a in e.aliases), "\x1f".join(keys))))
    return ["\n" + "\n".join(dict.fromkeys(every_key)) + "\n", "\n".join(lines)]


def _snippet_of(article: Article, start: int, end: int) -> str:
    """The snippet from the displayed text (Markdown markup and escapes removed), where
    the mention's block can be found; else from the file's text."""
    blocks = article.blocks
    if blocks and article.block_starts:
        block = blocks[article.block_at(start)]
        if block.source_start <= start and end <= block.source_end:
            return snippet(block.text, block.to_display(start), block.to_display(end - 1) + 1)
    return snippet(article.text, start, end)


def _write_json(path: Path, data: Mapping[str, Any]) -> StatKey:
    """Write ``data`` to ``path`` atomically: temp file, fsync, replace, fsync folder."""
    raw = json.dumps(data, separators=(",", ":")).encode("utf-8")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            key = _stat_key(os.fstat(fd))
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # the file is complete and in place already
        fsync_dir(path.parent)
    return key


# --------------------------------------------------------------------------- indexing


@dataclass(slots=True)
class IndexRun:
    """What :func:`index_files` did."""

    files: int = 0
    """Article files given."""
    indexed: int = 0
    """Articles whose entities were recorded."""
    cached: int = 0
    """Of those, how many came from the mention cache (no NER run)."""
    duplicates: int = 0
    """Files holding the same text as a file before them (recorded once)."""
    chars: int = 0
    """Characters of the indexed articles."""
    ner_chars: int = 0
    """Of those, how many went through NER (not cached)."""
    seconds: float = 0.0
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    """Files that could not be read, with the reason (one line)."""
    interrupted: bool = False
    """Ctrl+C stopped the run; what was done before is recorded."""


#: Characters of uncached text handed to NER in one go. Each go starts its own worker
#: processes (~2 s of spaCy import and model load), so goes are large; the limit keeps a
#: huge folder from being held in memory all at once.
BATCH_CHARS = 4_000_000
#: Below this many uncached characters NER runs in this process; above, in worker
#: processes. One worker costs what loading the model here costs; the second starts once
#: the first is ready (if a core is idle) and pays back its own load only on a longer run:
#: bench/bench_index.py measured 6.2-7.4 s with two workers against 8.5-13.1 s in-process
#: for 208k characters (cold, model load included), and about a tie at 109k.
WORKERS_MIN_CHARS = 100_000

Progress = Callable[[float, float, int], object]
"""``progress(done, total, files_done)``: bytes of article files done, of all."""


def index_files(library: Library, paths: Sequence[Path], *, model: str,
                workers: int | None = None,
                corrections: Sequence[Mapping[str, Any]] = (),
                progress: Progress | None = None,
                flush_seconds: float = 2.0) -> IndexRun:
    """Compute the entities of every file in ``paths`` and record them in ``library``.

    Entities are ``resolve(article_mentions(...))`` with ``corrections`` applied, as the
    app shows them; mentions come from nlp's cache when it has them, else from NER over
    many articles at once (``workers``: None picks by size, 0 in this process, N worker
    processes), and are cached. Unreadable files are skipped (``IndexRun.skipped``).
    Records are written every ``flush_seconds`` and at the end, so Ctrl+C
    (``KeyboardInterrupt``) keeps what was done and returns with ``interrupted``.
    Raises ``reader.nlp.ModelMissing`` when a text is not cached and the model is not
    installed, after recording what was done.
    """
    return _Indexer(library, paths, model, workers, corrections, progress,
                    flush_seconds).run()


class _Indexer:
    def __init__(self, library: Library, paths: Sequence[Path], model: str,
                 workers: int | None, corrections: Sequence[Mapping[str, Any]],
                 progress: Progress | None, flush_seconds: float) -> None:
        from reader import nlp

        self.library = library
        self.paths = list(paths)
        self.model = model
        self.version = nlp.model_version(model)
        self.workers = workers
        self.corrections = corrections
        self.progress = progress
        self.flush_seconds = flush_seconds
        self.result = IndexRun(files=len(self.paths))
        self.sizes: list[int] = []
        for p in self.paths:
            try:
                self.sizes.append(max(1, os.stat(p).st_size))
            except OSError:
                self.sizes.append(1)
        self.total = float(sum(self.sizes))
        self.done = 0.0
        self.files_done = 0
        self.last_flush = time.monotonic()
        self.pending: list[tuple[Article, Sequence[Entity] | None]] = []
        self.seen: set[str] = set()
        self.batch: list[tuple[Article, int]] = []  # (article, file size)
        self.batch_chars = 0

    def run(self) -> IndexRun:
        from reader import nlp
        from reader.document import ArticleError, load
        from reader.entities import Mention

        started = time.perf_counter()
        try:
            for path, size in zip(self.paths, self.sizes, strict=True):
                try:
                    article = load(path)
                except ArticleError as e:
                    self.skip(path, str(e), size)
                    continue
                except Exception as e:  # one bad file must not stop the others
                    self.skip(path, f"{path}: cannot be read ({_why(e)})", size)
                    continue
                if article.hash in self.seen:  # the same text again: remember where it is
                    self.result.duplicates += 1
                    self.pending.append((article, None))
                    self.file_done(size)
                    continue
                self.seen.add(article.hash)
                cached = nlp.load_cached(article.hash, self.model, self.version)
                if cached is not None:
                    text = article.text
                    self.finish(article, [Mention(s, e, text[s:e], label)
                                          for s, e, label in cached])
                    self.result.cached += 1
                    self.file_done(size)
                    continue
                self.batch.append((article, size))
                self.batch_chars += sum(len(b.text) for b in article.blocks)
                if self.batch_chars >= BATCH_CHARS:
                    self.run_batch()
            self.run_batch()
        except KeyboardInterrupt:
            self.result.interrupted = True
        finally:
            self.batch.clear()
            self.flush()
            self.result.seconds = time.perf_counter() - started
        return self.result

    def skip(self, path: Path, why: str, size: int) -> None:
        self.result.skipped.append((path, why))
        self.file_done(size)

    def report(self, extra: float = 0.0) -> None:
        if self.progress is not None:
            self.progress(min(self.total, self.done + extra), self.total, self.files_done)

    def flush(self) -> None:
        if self.pending:
            items, self.pending = self.pending, []
            self.library.record_many(items)
        self.last_flush = time.monotonic()

    def file_done(self, size: int) -> None:
        self.done += size
        self.files_done += 1
        self.report()
        if time.monotonic() - self.last_flush >= self.flush_seconds:
            self.flush()

    def finish(self, article: Article, mentions: list[Mention]) -> None:
        from reader.analysis import article_entities

        entities = article_entities(article, mentions)
        if self.corrections:
            from reader.corrections import apply_corrections

            entities = apply_corrections(entities, self.corrections, article.text,
                                         article.hash)
        self.pending.append((article, entities))
        self.result.indexed += 1
        self.result.chars += len(article.text)

    def run_batch(self) -> None:
        """NER over every block of every article in the batch, in one extract() call
        (so worker processes load the model once for many small files)."""
        from reader import nlp
        from reader.entities import Mention

        batch, self.batch, self.batch_chars = self.batch, [], 0
        if not batch:
            return
        chunks: list[str] = []
        owners: list[tuple[int, int]] = []
        for ai, (article, _size) in enumerate(batch):
            for bi, block in enumerate(article.blocks):
                chunks.append(block.text)
                owners.append((ai, bi))
        left = [len(article.blocks) for article, _ in batch]
        spans: list[list[tuple[int, int, str]]] = [[] for _ in batch]
        chars = sum(len(c) for c in chunks)
        workers = self.workers
        if workers is None:
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
            workers = min(nlp.WORKERS, cores) if chars >= WORKERS_MIN_CHARS and cores > 1 else 0
        batch_bytes = float(sum(size for _, size in batch))
        counted = 0.0  # bytes of this batch's finished files, already in self.done

        def partial(done: int, of: int) -> None:
            self.report(max(0.0, batch_bytes * done / max(1, of) - counted))

        def done_article(ai: int) -> None:
            nonlocal counted
            article, size = batch[ai]
            found = sorted(spans[ai])
            spans[ai] = []
            # the same cache article_mentions() writes, so the app opens it highlighted
            nlp.save_cached(article.hash, self.model, self.version, found)
            text = article.text
            self.finish(article, [Mention(s, e, text[s:e], label) for s, e, label in found])
            self.result.ner_chars += len(text)
            counted += size
            self.file_done(size)

        for ai, count in enumerate(left):
            if count == 0:
                done_article(ai)
        results = nlp.extract(chunks, model=self.model, workers=workers, progress=partial)
        try:
            for ci, ents in results:
                ai, bi = owners[ci]
                block = batch[ai][0].blocks[bi]
                spans[ai].extend((block.to_source(s), block.to_source_end(e), label)
                                 for s, e, label in ents)
                left[ai] -= 1
                if left[ai] == 0:
                    done_article(ai)
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()  # stops worker processes now, also on Ctrl+C
