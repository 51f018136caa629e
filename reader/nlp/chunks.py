"""How texts are cut for NER: paragraphs into pieces, pieces into batches and tasks."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from reader.nlp.spans import Span

__all__ = ["BATCH_SIZE", "HEAD_CHARS", "PIECE_CHARS", "PROCESS_MIN_CHARS", "TASK_CHARS",
           "WORKERS", "Piece", "cut_pieces", "ents", "plan", "tasks"]

#: A chunk longer than this is cut into pieces at line or sentence ends. Far below
#: spaCy's max_length (1,000,000), small enough that one Doc never costs much memory.
PIECE_CHARS = 20_000
#: Texts at least this long go to worker processes (see the module docstring).
PROCESS_MIN_CHARS = 200_000
#: Worker processes for big texts: one per core, at most two (two is where the measured
#: gain is; more processes only add memory).
WORKERS = 2
#: The first characters in ``order`` (the visible page) go in a small first batch, so
#: they are highlighted before the rest of a long text is started.
HEAD_CHARS = 6_000
#: Texts per ``nlp.pipe`` batch after the head.
BATCH_SIZE = 64
#: Characters per task sent to a worker process.
TASK_CHARS = 40_000

_CUTS = (
    re.compile(r"\n"),
    re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])"),
    re.compile(r"\s+"),
)


def cut_pieces(text: str, limit: int | None = None) -> list[tuple[int, str]]:
    """Cut ``text`` into (offset, piece) of at most ``limit`` (default PIECE_CHARS)
    characters, at the last line end, else sentence end, else white space."""
    limit = limit or PIECE_CHARS
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = 0
        for pattern in _CUTS:
            ends = [m.end() for m in pattern.finditer(window, limit // 2)]
            if ends:
                cut = ends[-1]
                break
        if cut <= 0:
            cut = limit
        out.append((start, text[start : start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


class Piece:
    """A piece of chunk ``chunk`` starting at ``offset`` in it: what one Doc is made of."""

    __slots__ = ("chunk", "offset", "text")

    def __init__(self, chunk: int, offset: int, text: str) -> None:
        self.chunk = chunk
        self.offset = offset
        self.text = text


def plan(chunks: Sequence[str], order: Sequence[int] | None) -> tuple[list[int], list[Piece]]:
    """The chunk indexes in the order to do them (``order`` first, then the rest) and the
    pieces of the chunks that are not blank, in that order."""
    seen: set[int] = set()
    indexes: list[int] = []
    for i in [*(order or ()), *range(len(chunks))]:
        if 0 <= i < len(chunks) and i not in seen:
            seen.add(i)
            indexes.append(i)
    pieces = [
        Piece(i, off, piece)
        for i in indexes
        if chunks[i].strip()
        for off, piece in cut_pieces(chunks[i])
    ]
    return indexes, pieces


def ents(doc: Any, offset: int) -> list[Span]:
    """A Doc's entities as plain spans, ``offset`` added (the piece's place in its chunk)."""
    return [(e.start_char + offset, e.end_char + offset, e.label_) for e in doc.ents]


def tasks(pieces: list[Piece]) -> Iterator[tuple[list[int], list[str], list[int]]]:
    """Batches for the workers: the head first in small tasks, then TASK_CHARS each."""
    keys: list[int] = []
    size = 0
    sent = 0
    for k, p in enumerate(pieces):
        keys.append(k)
        size += len(p.text)
        limit = HEAD_CHARS // 2 if sent < HEAD_CHARS else TASK_CHARS
        if size >= limit:
            yield keys, [pieces[i].text for i in keys], [pieces[i].offset for i in keys]
            sent += size
            keys, size = [], 0
    if keys:
        yield keys, [pieces[i].text for i in keys], [pieces[i].offset for i in keys]

