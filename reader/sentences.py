"""Sentences and words of display text, for the reading cursor and selections.

Rule-based and fast (no spaCy: the cursor must work before NER and without a model). A
sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets) that
is followed by white space and then something that can start a sentence; common
abbreviations, initials and numbers do not end one.
"""

from __future__ import annotations

import re
from functools import lru_cache

_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9À-Ý])|[.!?…]+[\"'”’)\]]*$")
_ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "brig", "col",
    "maj", "capt", "lt", "sgt", "adm", "gov", "sen", "rep", "pres", "rev", "hon",
    "messrs", "fig", "no", "vol", "ch", "pp", "ed", "eds", "est", "approx", "dept",
    "univ", "corp", "inc", "ltd", "co", "bros", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "vs", "etc", "al", "e.g", "i.e",
    "u.s", "u.k", "u.n",
))
_WORD = re.compile(r"\S+")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at ``dot`` closes an abbreviation or an initial."""
    start = dot
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(\"“‘'":
        start -= 1
    word = text[start:dot].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or (
        "." in word and all(len(p) == 1 for p in word.split(".") if p))


@lru_cache(maxsize=4096)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence of ``text``, white space between them excluded."""
    spans: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for m in _END.finditer(text):
        if m.group().startswith(".") and _is_abbreviation(text, m.start()):
            continue
        end = m.end()
        if end > start:
            spans.append((start, end))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text.rstrip()):
        spans.append((start, len(text.rstrip())))
    return tuple(spans) or ((0, len(text)),)


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each word of ``text[start:end]``, in text coordinates."""
    return [(m.start(), m.end()) for m in _WORD.finditer(text, start, len(text) if end is None
                                                                  else end)]
