"""An article's mentions: from the cache, or found block by block (the visible page first),
in batches for incremental highlighting, or on a background thread (:class:`MentionJob`)."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Generator, Iterator, Sequence
from typing import Protocol, TypedDict, Unpack

from reader.nlp.cache import load_cached, save_cached
from reader.nlp.extract import extract
from reader.nlp.models import model_version
from reader.nlp.spans import Cancel, Mention, Progress, Span

__all__ = ["Cancelled", "MentionJob", "MentionOptions", "article_mentions",
           "iter_article_mentions"]


class Cancelled(Exception):
    """The caller's ``cancelled()`` said stop before every chunk was processed."""



class MentionOptions(TypedDict, total=False):
    """How :func:`article_mentions` and :func:`iter_article_mentions` run, by keyword."""

    progress: Progress | None
    """Called with (characters done, characters in all)."""
    cancelled: Cancel | None
    """Asked between chunks; True stops the run."""
    first: int
    """The block to start from (the visible page); the others follow (default 0)."""
    workers: int | None
    """Passed to :func:`extract` (None: by text size)."""


class _Block(Protocol):
    @property
    def text(self) -> str: ...
    def to_source(self, i: int) -> int: ...
    def to_source_end(self, j: int) -> int: ...


class _Article(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def blocks(self) -> Sequence[_Block]: ...


def iter_article_mentions(
    article: _Article, model: str, **options: Unpack[MentionOptions]
) -> Iterator[list[Mention]]:
    """Mentions of ``article`` in batches, for incremental highlighting.

    From the cache: one batch, without importing spaCy. Otherwise the blocks from index
    ``first`` (the visible page) come first, and a batch is yielded about every 0.1 s.
    The cache is written before the last batch is yielded, and only when the whole text
    was done (a cancelled run leaves no cache; the iterator just ends).
    Raises :class:`ModelMissing` when the cache is cold and the model is not installed.
    """
    yield from _article_batches(article, model, **options)


def article_mentions(
    article: _Article, model: str, **options: Unpack[MentionOptions]
) -> list[Mention]:
    """All mentions of ``article`` (source offsets), sorted by start; cached on disk.

    Raises :class:`ModelMissing` when the cache is cold and the model is not installed,
    :class:`Cancelled` when ``cancelled()`` stopped the run before the end.
    """
    out: list[Mention] = []
    batches = _article_batches(article, model, **options)
    while True:
        try:
            out.extend(next(batches))
        except StopIteration as stop:
            if not stop.value:
                raise Cancelled() from None
            break
    out.sort(key=lambda m: (m.start, m.end))
    return out


def _article_batches(
    article: _Article,
    model: str,
    progress: Progress | None = None,
    cancelled: Cancel | None = None,
    first: int = 0,
    workers: int | None = None,
) -> Generator[list[Mention], None, bool]:
    """Yield batches of mentions; return whether the article was done completely."""
    text = article.text
    version = model_version(model)
    cached = load_cached(article.hash, model, version)
    if cached is not None:
        yield [Mention(s, e, text[s:e], label) for s, e, label in cached]
        return True
    blocks = article.blocks
    first = max(0, min(first, len(blocks)))
    order = [*range(first, len(blocks)), *range(first)]
    spans: list[Span] = []
    batch: list[Mention] = []
    chunks_done = 0
    last = time.monotonic()
    for i, ents in extract([b.text for b in blocks], model=model, order=order,
                           progress=progress, cancelled=cancelled, workers=workers):
        chunks_done += 1
        block = blocks[i]
        for s, e, label in ents:
            a, z = block.to_source(s), block.to_source_end(e)
            spans.append((a, z, label))
            batch.append(Mention(a, z, text[a:z], label))
        if chunks_done < len(blocks) and batch and time.monotonic() - last >= 0.1:
            yield batch
            batch, last = [], time.monotonic()
    complete = chunks_done == len(blocks)
    if complete:
        spans.sort()
        save_cached(article.hash, model, version, spans)
    if batch or complete:
        yield batch
    return complete


# --------------------------------------------------------------------------- jobs


class MentionJob:
    """NER for one article on a background thread.

    The interface starts it after its first paint and consumes :meth:`batches` from a
    worker thread. With ``workers=1`` spaCy's import and model load (seconds on a slow
    machine) happen in another process and never hold this process's GIL; a worker
    started earlier with :func:`prestart` is taken over.
    """

    def __init__(self, article: _Article, model: str, first: int = 0,
                 workers: int | None = None) -> None:
        self.article = article
        self.model = model
        self.done_chars = 0
        self.total_chars = 1
        self._queue: queue.Queue[list[Mention] | BaseException | None] = queue.Queue()
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(first, workers), daemon=True,
                                        name="reader-ner")
        self._thread.start()

    def _progress(self, done: int, total: int) -> None:
        self.done_chars, self.total_chars = done, max(1, total)

    def _run(self, first: int, workers: int | None) -> None:
        try:
            for batch in iter_article_mentions(self.article, self.model, first=first,
                                               workers=workers, progress=self._progress,
                                               cancelled=self._cancel.is_set):
                self._queue.put(batch)
        except BaseException as exc:  # handed to the consumer, which reports it
            self._queue.put(exc)
        finally:
            self._queue.put(None)

    def batches(self, poll: float = 0.1) -> Iterator[list[Mention]]:
        """Batches as they come; ends when the job ends (or is cancelled)."""
        while not self._cancel.is_set():
            try:
                item = self._queue.get(timeout=poll)
            except queue.Empty:
                continue
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()
