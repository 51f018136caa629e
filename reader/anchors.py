"""Anchors: where a note's passage is in an article, and where it went after an edit.

An :class:`Anchor` is a W3C Web Annotation TextQuoteSelector (the exact quote with some text
before and after it) plus a TextPositionSelector (its character offsets into the article's
source text).  :func:`locate` finds the passage again in a text that may have changed:

1. the same quote at the same offsets, with its context agreeing at least as well as at any
   other occurrence: ``anchored``;
2. the exact quote elsewhere: ``moved``.  Among repeats the occurrence whose surrounding
   text agrees best with the stored prefix and suffix wins (then the one nearest the old
   offset).  When the quote occurs several times and nothing around any occurrence agrees
   with the stored context, there is no telling which one the note was about: ``orphan``;
3. a fuzzy match (``difflib`` similarity at least ``threshold``): ``moved``.  It looks first
   near the old offset, then across the text; the candidate places come from exact hits of
   pieces of the quote and of its context (``str.find``), so the work is bounded by a few
   scans of the text plus a few small alignments, even on a book;
4. otherwise ``orphan``: a note is never silently attached to other text.

Pure Python: no Textual, no TinyDB, no spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

__all__ = ["CONTEXT", "THRESHOLD", "Anchor", "Located", "State", "locate", "make_anchor"]

#: Characters of context kept on each side of a quote.
CONTEXT = 32
#: Default lowest similarity (difflib ratio, 0..1) at which a changed passage still counts.
THRESHOLD = 0.8

State = Literal["anchored", "moved", "orphan"]

#: Quote occurrences scored at most (a one-word quote in a book can occur 100k times).
_MAX_OCCURRENCES = 10_000
#: Quotes shorter than this are not cut into seed pieces (too short to be telling).
_MIN_SEEDED = 12
#: Pieces of the quote searched for as seeds, and their length bounds.
_MAX_PIECES = 6
_PIECE_MIN, _PIECE_MAX = 8, 32
#: Hits beyond this make a piece useless as a seed (it says nothing about where we are).
_MAX_HITS = 24
#: Candidate places aligned at most, per search area.
_MAX_CANDIDATES = 6
#: The near search covers this many characters on each side of the old place.
_NEAR = 20_000
#: Longer quotes are aligned by words, not characters (difflib is quadratic-ish).
_CHAR_ALIGN_MAX = 600

_WORDS = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Anchor:
    """A passage of an article: its offsets, its exact text and some text around it."""

    start: int
    """TextPosition: source offset of the first character."""
    end: int
    """TextPosition: source offset just past the last character."""
    quote: str
    """TextQuote exact: ``text[start:end]`` when the anchor was made."""
    prefix: str
    """Up to ``CONTEXT`` characters just before the quote."""
    suffix: str
    """Up to ``CONTEXT`` characters just after the quote."""


@dataclass(frozen=True, slots=True)
class Located:
    """Where an anchor is in a text now."""

    state: str
    """``anchored`` (same text at the same offsets), ``moved`` (found elsewhere, or found
    changed but similar), ``orphan`` (not found: start and end are None)."""
    start: int | None
    end: int | None


ORPHAN = Located("orphan", None, None)


def make_anchor(text: str, start: int, end: int, context: int = CONTEXT) -> Anchor:
    """The anchor of ``text[start:end]``; raises ``ValueError`` for an empty or bad range."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"a passage needs 0 <= start < end <= {len(text)}, not {start}..{end}")
    return Anchor(
        start=start,
        end=end,
        quote=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def locate(anchor: Anchor, text: str, threshold: float = THRESHOLD) -> Located:
    """Find ``anchor`` in ``text`` (see the module docstring for the rules)."""
    quote = anchor.quote
    if not quote:
        return _locate_empty(anchor, text)
    start, end = anchor.start, anchor.end
    same_place = start >= 0 and start + len(quote) == end <= len(text) and (
        text.startswith(quote, start)
    )
    if same_place and _left(anchor.prefix, text, start) == len(anchor.prefix) and (
        _right(anchor.suffix, text, end) == len(anchor.suffix)
    ):
        return Located("anchored", start, end)
    found = _exact(anchor, text)
    if found is not None:
        if found < 0:  # several occurrences and none of them recognisable
            return ORPHAN
        state = "anchored" if found == start else "moved"
        return Located(state, found, found + len(quote))
    span = _fuzzy(anchor, text, threshold)
    if span is None:
        return ORPHAN
    return Located("moved", span[0], span[1])


# --------------------------------------------------------------------------- exact quote


def _left(prefix: str, text: str, pos: int) -> int:
    """How many of the last characters of ``prefix`` are the characters before ``pos``."""
    lo, hi = 0, min(len(prefix), pos)
    n = len(prefix)
    while lo < hi:  # agreement is monotone in length: binary search over slices (C speed)
        mid = (lo + hi + 1) // 2
        if prefix[n - mid :] == text[pos - mid : pos]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _right(suffix: str, text: str, pos: int) -> int:
    """How many of the first characters of ``suffix`` are the characters from ``pos`` on."""
    lo, hi = 0, min(len(suffix), len(text) - pos)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if suffix[:mid] == text[pos : pos + mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _context_score(anchor: Anchor, text: str, pos: int) -> int:
    """Characters of stored context that agree around an occurrence at ``pos``.

    An empty side (the passage was at the very start or end) agrees with an occurrence at
    the same edge of the text.
    """
    end = pos + len(anchor.quote)
    score = _left(anchor.prefix, text, pos) + _right(anchor.suffix, text, end)
    if not anchor.prefix and pos == 0:
        score += 1
    if not anchor.suffix and end == len(text):
        score += 1
    return score


def _occurrences(needle: str, text: str, lo: int = 0, hi: int | None = None,
                 limit: int = _MAX_OCCURRENCES) -> list[int]:
    out: list[int] = []
    i = text.find(needle, lo, hi)
    while i >= 0 and len(out) < limit:
        out.append(i)
        i = text.find(needle, i + 1, hi)
    return out


def _exact(anchor: Anchor, text: str) -> int | None:
    """Start of the best exact occurrence of the quote; None if none; -1 if ambiguous."""
    quote = anchor.quote
    first = text.find(quote)
    if first < 0:
        return None
    if text.find(quote, first + 1) < 0:
        return first  # the only occurrence: it is the passage
    # Repeats: the full context pins it down in one scan when it is intact.
    full = anchor.prefix + quote + anchor.suffix
    hits = [h + len(anchor.prefix) for h in _occurrences(full, text, limit=64)]
    if not hits:
        hits = _occurrences(quote, text)
    best = max(hits, key=lambda p: (_context_score(anchor, text, p), -abs(p - anchor.start)))
    if _context_score(anchor, text, best) == 0:
        return -1
    return best


def _locate_empty(anchor: Anchor, text: str) -> Located:
    """A zero-length anchor (hand-made data): only its context can place it."""
    if not anchor.prefix and not anchor.suffix:
        return ORPHAN
    hits = _occurrences(anchor.prefix + anchor.suffix, text, limit=64)
    if not hits:
        return ORPHAN
    pos = min(hits, key=lambda h: abs(h + len(anchor.prefix) - anchor.start)) + len(anchor.prefix)
    return Located("anchored" if pos == anchor.start else "moved", pos, pos)


# --------------------------------------------------------------------------- fuzzy


def _seeds(anchor: Anchor) -> list[tuple[str, int]]:
    """Exact pieces to search for, each with where the quote starts relative to a hit."""
    quote = anchor.quote
    n = len(quote)
    out: list[tuple[str, int]] = []
    if n >= _MIN_SEEDED:
        size = max(_PIECE_MIN, min(_PIECE_MAX, n // _MAX_PIECES))
        count = min(_MAX_PIECES, max(1, n // size))
        step = (n - size) / max(1, count - 1)
        for k in range(count):
            off = round(k * step)
            out.append((quote[off : off + size], -off))
    if len(anchor.prefix) >= _PIECE_MIN:
        tail = anchor.prefix[-16:]
        out.append((tail, len(tail)))
    if len(anchor.suffix) >= _PIECE_MIN:
        head = anchor.suffix[:16]
        out.append((head, -n))  # the quote ends where the suffix starts (length may vary)
    return out


def _candidates(anchor: Anchor, text: str, lo: int, hi: int) -> list[int]:
    """Likely quote starts in ``text[lo:hi]``, best first (most seeds agreeing)."""
    n = len(anchor.quote)
    guesses: list[int] = []
    for piece, shift in _seeds(anchor):
        hits = _occurrences(piece, text, lo, hi, limit=_MAX_HITS + 1)
        if len(hits) <= _MAX_HITS:
            guesses.extend(h + shift for h in hits)
    if not guesses:
        return []
    guesses.sort()
    tolerance = max(8, n // 4)
    scored: list[tuple[int, int, int]] = []  # (-votes, distance to old start, guess)
    for g in guesses:
        votes = sum(1 for o in guesses if abs(o - g) <= tolerance)
        scored.append((-votes, abs(g - anchor.start), g))
    scored.sort()
    chosen: list[int] = []
    for _, _, g in scored:
        if all(abs(g - c) > tolerance for c in chosen):
            chosen.append(g)
            if len(chosen) == _MAX_CANDIDATES:
                break
    return chosen


def _fuzzy(anchor: Anchor, text: str, threshold: float) -> tuple[int, int] | None:
    n = len(anchor.quote)
    old = min(max(anchor.start, 0), len(text))
    near_lo, near_hi = max(0, old - _NEAR), min(len(text), old + n + _NEAR)
    areas = [(near_lo, near_hi)]
    if near_lo > 0 or near_hi < len(text):
        areas.append((0, len(text)))
    tried: set[int] = set()
    for lo, hi in areas:
        guesses = _candidates(anchor, text, lo, hi)
        if lo == near_lo and old not in guesses:
            guesses.append(old)
        best: tuple[float, int, int, int] | None = None  # (ratio, -distance, start, end)
        for g in guesses:
            if g in tried:
                continue
            tried.add(g)
            span = _align(anchor.quote, text, g)
            if span is None:
                continue
            ratio, s, e = span
            key = (ratio, -abs(s - anchor.start), s, e)
            if ratio >= threshold and (best is None or key > best):
                best = key
        if best is not None:
            return best[2], best[3]
    return None


def _align(quote: str, text: str, guess: int) -> tuple[float, int, int] | None:
    """The part of the text around ``guess`` most like ``quote``: (similarity, start, end)."""
    n = len(quote)
    slack = n // 2 + 16
    lo, hi = max(0, guess - slack), min(len(text), guess + n + slack)
    if lo >= hi:
        return None
    region = text[lo:hi]
    if n <= _CHAR_ALIGN_MAX:
        q_units: str | list[str] = quote
        r_units: str | list[str] = region
        r_spans = None
    else:  # long passages: by words (whitespace aside), which keeps difflib fast
        q_units = _WORDS.findall(quote)
        matches = list(_WORDS.finditer(region))
        r_units = [m.group() for m in matches]
        r_spans = [m.span() for m in matches]
    blocks = [b for b in SequenceMatcher(None, q_units, r_units, autojunk=False)
              .get_matching_blocks() if b.size]
    if not blocks:
        return None
    nq = len(q_units)
    # The run of matching blocks that makes the most similar span (stray one-character
    # matches far from the passage would otherwise stretch it).
    best: tuple[float, int, int] | None = None
    for i in range(len(blocks)):
        matched = 0
        for j in range(i, len(blocks)):
            matched += blocks[j].size
            s, e = blocks[i].b, blocks[j].b + blocks[j].size
            ratio = 2 * matched / (nq + e - s)
            if best is None or ratio > best[0]:
                best = (ratio, s, e)
    assert best is not None
    _, s, e = best
    if r_spans is None:
        ratio = SequenceMatcher(None, quote, region[s:e], autojunk=False).ratio()
    else:
        ratio = SequenceMatcher(None, q_units, r_units[s:e], autojunk=False).ratio()
        s, e = r_spans[s][0], r_spans[e - 1][1]
    return ratio, lo + s, lo + e
