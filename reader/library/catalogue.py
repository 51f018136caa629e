"""The library: every article the reader knows (its rows), and which articles mention whom.

Pure Python: no Textual, no spaCy, no TinyDB (the store is passed in and only its methods
are called). The index files it keeps are described in index_files.py.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.library.index_files import SHARDS, IndexFiles, why
from reader.library.matching import Query
from reader.library.model import Appearance, Entry
from reader.library.names import article_files, default_index_dir, kind
from reader.library.rows import Packed, indexed, pack

if TYPE_CHECKING:
    from reader.document import Article
    from reader.entities import Entity
    from reader.store import Store

__all__ = ["GROUP_FIELDS", "Library"]

GROUP_FIELDS = ("people", "organizations", "places")


class Library(IndexFiles):
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
        super().__init__(Path(index_path) if index_path is not None
                         else default_index_dir(store.path), lock_timeout)
        self.store = store
        self.folders = [Path(f) for f in folders]
        self.samples = samples
        self._sample_hashes: set[str] = set()
        self._paths: dict[str, Path] = {}
        self._unreadable: dict[str, tuple[int, int]] = {}  # path -> (size, mtime_ns)

    # the library's rows ----------------------------------------------------------------

    def entries(self) -> list[Entry]:
        """Every article: the bundled samples, the ones opened before
        (``store.recent(limit=None)``), the article files (``reader.formats.ARTICLE_SUFFIXES``,
        recursively) of ``folders``, and the files recorded in the index (``reader
        index``) that are still there; one row per content hash; most recently opened
        first, then by title (casefold).

        Files unchanged since last seen (path, size, mtime_ns) are not read again; new or
        changed files are loaded with ``reader.document.load`` and remembered. Unreadable
        files are skipped (with a line in :attr:`messages`). A file whose text was edited
        keeps its row: its entity counts and rows carry over from the earlier text until
        it is indexed again (:meth:`stale`), its notes and reading position are those of
        the earlier text at that path (they re-anchor when it is opened).
        """
        with self._lock:
            self._refresh_articles()
            recent = self.store.recent(limit=None)
            samples = self._sample_paths()
            scan = self._scan(self._candidates(recent, samples))
            files: dict[str, list[Any]] = self._articles["files"]
            if samples:
                self._sample_hashes = {
                    scan.stamps.get(p, files.get(p, (0, 0, "")))[2] for p in samples}
            articles = self._articles["articles"]
            moved = {h: p for h, p in scan.found.items()
                     if h not in scan.summaries and articles[h]["path"] != p}
            if scan.summaries or scan.stamps or scan.gone or moved:
                self._save_scan(scan, moved)
            return self._rows(scan.found, recent)

    def _candidates(self, recent: Sequence[Mapping[str, Any]], samples: Sequence[str]
                    ) -> list[str]:
        """The paths to list, in order of preference (the first path of a text is its row's)."""
        candidates: dict[str, None] = {}
        for doc in recent:
            path = doc.get("path")
            if isinstance(path, str) and path:
                candidates.setdefault(os.path.abspath(path), None)
        for path in article_files(self.folders):
            candidates.setdefault(str(path), None)
        for path in samples:
            candidates.setdefault(path, None)
        articles: dict[str, dict[str, Any]] = self._articles["articles"]
        for path, stamp in self._articles["files"].items():
            # indexed texts (reader index, or entities settled in the app); a file only
            # seen in a folder given before is not listed once that folder is not
            summary = articles.get(stamp[2])
            if summary is not None and summary.get("counts") is not None:
                candidates.setdefault(path, None)
        return list(candidates)

    def _scan(self, candidates: Iterable[str]) -> _Scan:
        """Stat every candidate; read the new and changed files."""
        files: dict[str, list[Any]] = self._articles["files"]
        articles: dict[str, dict[str, Any]] = self._articles["articles"]
        scan = _Scan()
        for path in candidates:
            try:
                st = os.stat(path)
            except OSError:
                if path in files:
                    scan.gone.append(path)
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
                scan.summaries.setdefault(digest, _summary(article, path))
                scan.stamps[path] = [st.st_size, st.st_mtime_ns, digest]
                if known is not None and known[2] != digest and known[2] in articles:
                    scan.edited.setdefault(digest, known[2])
            scan.found.setdefault(digest, path)
        return scan

    def _rows(self, found: Mapping[str, str], recent: Sequence[Mapping[str, Any]]
              ) -> list[Entry]:
        articles: dict[str, dict[str, Any]] = self._articles["articles"]
        notes = _NoteCounts(self.store)
        by_hash: dict[str, Mapping[str, Any]] = {}
        by_path: dict[str, Mapping[str, Any]] = {}
        for d in recent:  # newest first: the first one seen wins
            digest, where, when = d.get("hash"), d.get("path"), d.get("opened")
            if isinstance(digest, str):
                by_hash.setdefault(digest, d)
            if isinstance(where, str) and isinstance(when, str):
                by_path.setdefault(os.path.abspath(where), d)
        samples = self._sample_hashes
        rows: list[Entry] = []
        for digest, path in found.items():
            s = articles.get(digest)
            if s is None:
                continue
            chars = s["chars"]
            doc = by_hash.get(digest) or by_path.get(path)  # (an edited file: its earlier text)
            progress = _progress(doc, chars) if doc is not None else None
            opened = doc.get("opened") if doc is not None else None
            if not isinstance(opened, str):
                opened = None
            counts = s.get("counts")
            if not (isinstance(counts, list) and len(counts) == 3):
                counts = [None, None, None]
            where = self._paths.get(path)
            if where is None:  # a refresh of a big library reuses them (bench/bench_library.py)
                where = self._paths[path] = Path(path)
            rows.append(Entry(
                hash=digest, path=where, title=s.get("title") or os.path.basename(path),
                author=s.get("author"), date=s.get("date"), kind=kind(path),
                source=s.get("source"), chars=chars, people=counts[0],
                organizations=counts[1], places=counts[2], notes=notes.of(digest, path),
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
            self._say(f"the bundled samples cannot be listed ({why(e)})")
            return []

    def _load(self, path: str) -> Article | None:
        from reader.document import ArticleError, load

        try:
            return load(path)
        except ArticleError as e:
            self._say(str(e))
        except Exception as e:  # one bad file must not hide the rest of the library
            self._say(f"{path}: cannot be read ({why(e)})")
        return None

    def _save_scan(self, scan: _Scan, moved: Mapping[str, str]) -> None:
        carried: dict[str, str] = {}  # new hash -> earlier hash whose entity rows it takes

        def change(data: dict[str, Any]) -> None:
            articles, files = data["articles"], data["files"]
            for digest, summary in scan.summaries.items():
                old = articles.get(digest)
                # same text, same counts: keep what a record() wrote for this hash
                counts = old.get("counts") if old is not None else None
                new = {**summary, "path": scan.found.get(digest, summary["path"]),
                       "counts": counts}
                earlier = articles.get(scan.edited.get(digest, ""))
                if counts is None and earlier is not None and earlier.get("counts"):
                    new["counts"] = earlier["counts"]  # until the new text is indexed
                    new["earlier"] = scan.edited[digest]
                    carried[digest] = scan.edited[digest]
                articles[digest] = new
            for digest, path in moved.items():
                if digest in articles:
                    articles[digest]["path"] = path
            files.update(scan.stamps)
            for path in scan.gone:
                files.pop(path, None)

        with self._writing() as locked:
            self._update_articles(change, locked=locked)
            if carried:
                self._carry_rows(carried, locked)

    def _carry_rows(self, carried: Mapping[str, str], locked: bool) -> None:
        """Give each edited text the entity rows of its earlier text (appearances and
        the palette keep finding it); the earlier text's rows go when no file holds it."""
        held = {stamp[2] for stamp in self._articles["files"].values()}
        self._load_shards()
        moves: dict[str, dict[str, Packed]] = {}
        drops: dict[str, set[str]] = {}
        for digest, earlier in carried.items():
            rows = self._shards.get(self._shard_of(earlier), {}).get(earlier)
            if rows is None:
                continue
            moves.setdefault(self._shard_of(digest), {})[digest] = rows
            if earlier not in held:
                drops.setdefault(self._shard_of(earlier), set()).add(earlier)
        for shard in sorted(set(moves) | set(drops)):
            self._update_shard(shard, moves.get(shard, {}), locked, drop=drops.get(shard, ()))

    def stale(self) -> list[Path]:
        """Article files whose text changed since they were indexed: their entity rows are
        still the earlier text's. Index them again (``index_files(library, library.stale(),
        ...)``, in the background) to bring the rows and counts up to date."""
        with self._lock:
            self._refresh_articles()
            articles = self._articles["articles"]
            return [Path(s["path"]) for s in articles.values() if s.get("earlier")
                    and os.path.exists(s["path"])]

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
                rows[article.hash] = pack([e for e in entities if indexed(e)], article)
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
        return first if first in SHARDS else "0"

    # looking up ------------------------------------------------------------------------

    def appearances(self, name: str, *, aliases: Sequence[str] = (), exclude: str | None = None,
                    group: str | None = None) -> list[Appearance]:
        """Every indexed article with a row whose name or alias matches ``name`` or one of
        ``aliases`` (case, space and diacritics aside; see :func:`name_key`), except the
        article with hash ``exclude``; most mentions first. ``group``: only rows of that
        group. A person is also found by surname: a one-word ``name`` finds the persons
        whose full name ends with it, a full ``name`` the articles that write only its
        surname (see ``matching.py``). One appearance per article (its matching row with
        the most mentions); articles whose file is gone are left out."""
        query = Query.of(name, aliases)
        needles = query.needles()
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
                    best = query.best_row(packed, group)
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
                also: dict[tuple[str, str], set[str]] = {}
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
                            also.setdefault(key, set()).update(
                                a for a in (f[0], *f[6].split("\x1f")) if a)
                names, self._aliases = [], {}
                for k in seen:
                    top = spelled[k].most_common(1)[0][0]
                    names.append((top, k[1], len(seen[k])))
                    self._aliases[(top, k[1])] = sorted(also[k] - {top})
                names.sort(key=lambda n: (-n[2], n[0].casefold(), n[1]))
                self._names = names
            return list(self._names)

    def entity_aliases(self) -> dict[tuple[str, str], list[str]]:
        """(name, group) as :meth:`entity_names` gives them -> the other names its rows
        go by in the indexed articles (their aliases, and the names fewer rows use)."""
        with self._lock:
            self.entity_names()
            return dict(self._aliases)


@dataclass(slots=True)
class _Scan:
    """What :meth:`Library.entries` found on disk."""

    found: dict[str, str] = field(default_factory=dict)
    """hash -> the path its row shows."""
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Summaries of the texts read (new or changed files)."""
    stamps: dict[str, list[Any]] = field(default_factory=dict)
    """path -> [size, mtime_ns, hash] of the files read."""
    gone: list[str] = field(default_factory=list)
    """Known paths whose file is gone."""
    edited: dict[str, str] = field(default_factory=dict)
    """hash of a file's new text -> hash of the text the same path held before."""


class _NoteCounts:
    """Notes per row, as the article shows them: the notes on its text, and the notes on
    an earlier text of the same file (they re-anchor when it is opened)."""

    def __init__(self, store: Store) -> None:
        self.by_hash = store.note_counts()
        self.by_path = store.note_counts_by_path()

    def of(self, digest: str, path: str) -> int:
        earlier = sum(n for h, n in self.by_path.get(path, {}).items() if h != digest)
        return self.by_hash.get(digest, 0) + earlier


def _progress(doc: Mapping[str, Any], chars: int) -> float | None:
    """0..1 from a saved reading position: as the status line said, else offset / chars."""
    seen, offset = doc.get("progress"), doc.get("offset")
    if isinstance(seen, (int, float)) and not isinstance(seen, bool):
        return min(1.0, max(0.0, float(seen)))
    if isinstance(offset, int) and chars > 0:
        return min(1.0, max(0.0, offset / chars))
    return None


def _summary(article: Article, path: str) -> dict[str, Any]:
    return {"path": path, "title": article.title or "", "author": article.author,
            "date": article.date, "kind": kind(path),
            "source": getattr(article, "source_url", None), "chars": len(article.text)}
