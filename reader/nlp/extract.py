"""Extraction: NER over a text's chunks, in this process or in worker processes."""

from __future__ import annotations

import os
import time
from collections.abc import Generator, Iterator, Sequence

from reader.nlp import chunks as _chunks
from reader.nlp.chunks import BATCH_SIZE, HEAD_CHARS, Piece, ents, plan
from reader.nlp.models import pipe_lock, preload
from reader.nlp.spans import Cancel, Progress, Span
from reader.nlp.workers import extract_in_workers

__all__ = ["extract"]

def extract(
    chunks: Sequence[str],
    *,
    model: str,
    order: Sequence[int] | None = None,
    progress: Progress | None = None,
    cancelled: Cancel | None = None,
    workers: int | None = None,
) -> Iterator[tuple[int, list[Span]]]:
    """Run NER over ``chunks`` (paragraphs); yield ``(chunk_index, [(start, end, label)])``
    with offsets relative to that chunk, once per chunk (empty chunks included).

    ``order``: chunk indexes to do first (the visible page); the others follow in order.
    ``progress(done, total)`` gets characters processed, at most ~10 times a second.
    ``cancelled()`` is polled between documents; when it returns True, extraction stops
    (worker processes are terminated) and the iterator ends early.
    ``workers``: None picks in-process or worker processes by text size; 0 forces
    in-process; N > 0 forces N worker processes.
    Raises :class:`ModelMissing` if the model is not installed.
    """
    indexes, pieces = plan(chunks, order)
    total = sum(len(p.text) for p in pieces)
    if workers is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        workers = (min(_chunks.WORKERS, cores)
                   if total >= _chunks.PROCESS_MIN_CHARS and cores > 1 else 0)
    if not pieces:
        for i in indexes:
            yield i, []
        return
    if workers > 0:
        results = extract_in_workers(pieces, model, workers, cancelled)
    else:
        results = _extract_here(pieces, model, cancelled)
    try:
        yield from _by_chunk(indexes, pieces, results, total, progress, cancelled)
    finally:
        results.close()  # stops the workers now, not whenever the generator is collected


def _by_chunk(
    indexes: list[int],
    pieces: list[Piece],
    results: Iterator[tuple[int, list[Span]]],
    total: int,
    progress: Progress | None,
    cancelled: Cancel | None,
) -> Iterator[tuple[int, list[Span]]]:
    """Gather per-piece results (any order) into per-chunk results."""
    waiting: dict[int, int] = {}
    for p in pieces:
        waiting[p.chunk] = waiting.get(p.chunk, 0) + 1
    found: dict[int, list[Span]] = {}
    for i in indexes:
        if i not in waiting:
            yield i, []  # blank chunk
    done = 0
    last_report = 0.0
    for k, spans in results:
        p = pieces[k]
        found.setdefault(p.chunk, []).extend(spans)
        done += len(p.text)
        waiting[p.chunk] -= 1
        if waiting[p.chunk] == 0:
            yield p.chunk, sorted(found.pop(p.chunk))
        now = time.monotonic()
        if progress is not None and (now - last_report >= 0.1 or done == total):
            last_report = now
            progress(done, total)
        if cancelled is not None and cancelled():
            return


def _extract_here(
    pieces: list[Piece], model: str, cancelled: Cancel | None
) -> Generator[tuple[int, list[Span]], None, None]:
    nlp = preload(model)
    k = 0
    chars = 0
    while k < len(pieces):
        # the head (visible page) in small batches, so it does not wait for a big batch
        size = 4 if chars < HEAD_CHARS else BATCH_SIZE
        batch = pieces[k : k + size]
        # One batch at a time under the lock: a cancelled run still finishing its batch
        # and the next article's run never use the shared pipeline at once, and the
        # lock is never held while the caller has the results.
        with pipe_lock:
            docs = list(nlp.pipe([p.text for p in batch], batch_size=size))
        for j, doc in enumerate(docs):
            yield k + j, ents(doc, batch[j].offset)
        k += len(batch)
        chars += sum(len(p.text) for p in batch)
        if cancelled is not None and cancelled():
            return

