"""``reader index``: compute the entities of many article files and record them."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.library.catalogue import Library
from reader.library.index_files import why

if TYPE_CHECKING:
    from reader.document import Article
    from reader.entities import Entity, Mention

__all__ = ["BATCH_CHARS", "WORKERS_MIN_CHARS", "IndexRun", "index_files"]



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

    Entities are ``analysis.analyse(article, mentions, corrections)``, as the app shows
    them; mentions come from nlp's cache when it has them, else from NER over
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
        from reader.analysis import mentions_of
        from reader.document import ArticleError, load

        started = time.perf_counter()
        try:
            for path, size in zip(self.paths, self.sizes, strict=True):
                try:
                    article = load(path)
                except ArticleError as e:
                    self.skip(path, str(e), size)
                    continue
                except Exception as e:  # one bad file must not stop the others
                    self.skip(path, f"{path}: cannot be read ({why(e)})", size)
                    continue
                if article.hash in self.seen:  # the same text again: remember where it is
                    self.result.duplicates += 1
                    self.pending.append((article, None))
                    self.file_done(size)
                    continue
                self.seen.add(article.hash)
                cached = nlp.load_cached(article.hash, self.model, self.version)
                if cached is not None:
                    self.finish(article, mentions_of(article.text, cached))
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
        from reader.analysis import analyse

        entities = analyse(article, mentions, self.corrections)
        self.pending.append((article, entities))
        self.result.indexed += 1
        self.result.chars += len(article.text)

    def run_batch(self) -> None:
        """NER over every block of every article in the batch, in one extract() call
        (so worker processes load the model once for many small files)."""
        from reader import nlp
        from reader.analysis import mentions_of

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
            self.finish(article, mentions_of(article.text, found))
            self.result.ner_chars += len(article.text)
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
