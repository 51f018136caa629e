"""Names in what is not prose: captions, contents, licences, headings and headlines.

The model reads every line as prose, so a chapter heading ("CHAPTER IV") becomes an
organisation, a publisher's imprint in an illustration becomes a person, and each
capitalised word of a Title Case headline looks like part of a name. The article model
(:attr:`reader.document.Article.structure`) says which blocks are not prose; here:

* nothing in a caption, a table of contents or an e-text's licence is a mention;
* in a heading, the structural words ("CHAPTER XII.", "BOOK ONE:") are cut off a mention,
  and a mention that is only such words or a numeral is dropped;
* in a Title Case (or ALL CAPS) line standing alone, where capitals say nothing, a mention
  is kept only when the same words occur in the prose as well ("Minister Meets Garcia in
  Lima": Garcia and Lima are names if the body says so). The names the body confirms are
  found again in such lines later (:func:`reader.entities.resolve`'s every-mention step).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from reader.entities.model import NAME_LABELS, Mention

__all__ = ["Regions", "headline_lines", "outside_structure"]

#: Block kinds whose text is never a mention.
SKIP_KINDS = frozenset({"caption", "contents", "licence"})
#: Block kinds whose text is a heading: structural words are cut off their mentions.
HEADING_KINDS = frozenset({"heading", "title"})

_NUMERAL = r"(?:\d{1,4}|[IVXLCDM]{1,8}\b|[ivxlcdm]{1,8}\b|(?i:one|two|three|four|five|six|" \
    r"seven|eight|nine|ten|eleven|twelve|first|second|third|fourth|fifth|last)\b)"
_STRUCTURE_LEAD = re.compile(
    r"(?i:chapter|book|part|volume|act|canto|section|stave|letter|chap)\b\.?\s*" + _NUMERAL
    + r"?[\s.:,;\-—–]*|" + _NUMERAL + r"[\s.:,;\-—–]+")
_ONLY_STRUCTURE = re.compile(
    r"(?i:chapter|book|part|volume|act|canto|section|stave|chap|preface|prologue|epilogue|"
    r"contents|introduction|appendix|illustrations?|frontispiece|finis|the end)\.?"
    r"|[IVXLCDM]{1,8}\.?|\d+\.?")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


class Regions:
    """Sorted, non-overlapping (start, end) source ranges; ``in`` asks about an offset."""

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        ranges = sorted(ranges)
        self.starts = [a for a, _ in ranges]
        self.ends = [b for _, b in ranges]

    def __contains__(self, pos: object) -> bool:
        if not isinstance(pos, int):
            return False
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]

    def __bool__(self) -> bool:
        return bool(self.starts)


def regions_of(structure: Sequence[tuple[int, int, str]], kinds: Iterable[str]) -> Regions:
    """The blocks of ``structure`` (start, end, kind) whose kind is one of ``kinds``."""
    wanted = frozenset(kinds)
    return Regions([(a, b) for a, b, k in structure if k in wanted])


def _title_case(line: str) -> bool:
    """Do capitals say nothing here: most words of four letters or more capitalised?"""
    words = [w for w in _WORD.findall(line) if len(w) >= 4]
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps * 4 >= len(words) * 3


_DIGITS = re.compile(r"\d+")
_CREDIT = re.compile(r"\(?(?:additional )?(?:reporting|editing|writing|photos?|text) by\b",
                     re.I)


def _headline_shaped(line: str) -> bool:
    """Not a list of results ("Derbyshire 471 (J. Adams 123, ...)") nor a credit line
    ("Reporting by Jo Roe; Editing by Sam Poe"): few numbers, commas and semicolons."""
    return (len(_DIGITS.findall(line)) <= 3 and line.count(",") + line.count(";") <= 1
            and "(" not in line and not _CREDIT.match(line))


def headline_lines(text: str, structure: Sequence[tuple[int, int, str]],
                   bylines: Sequence[tuple[int, int]] = ()) -> Regions:
    """Source ranges of headline-like lines: a heading or title, or a line standing alone
    (blank lines around it) with no closing punctuation, written in Title Case or capitals.
    A byline is no headline: its names are its authors'."""
    ranges: list[tuple[int, int]] = []
    for a, b, kind in structure:
        if kind in HEADING_KINDS and _title_case(text[a:b]):
            ranges.append((a, b))
    pos = 0
    n = len(text)
    prev_blank = True
    if "\n" not in text.strip():
        n = 0  # a text of one line has no prose to confirm its names
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        line = text[pos:end]
        stripped = line.strip()
        if stripped and prev_blank and (end >= n or text[end + 1 : end + 2] in ("\n", "")) \
                and len(stripped) <= 400 and stripped[-1] not in ".!?”\"’':;," \
                and _headline_shaped(stripped) and _title_case(stripped):
            ranges.append((pos, end))
        prev_blank = not stripped
        pos = end + 1
    merged: list[tuple[int, int]] = []
    for a, b in sorted(r for r in ranges
                       if not any(r[0] < z and y < r[1] for y, z in bylines)):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return Regions(merged)


def outside_structure(mentions: Sequence[Mention], text: str,
                      structure: Sequence[tuple[int, int, str]],
                      headlines: Regions) -> list[Mention]:
    """The mentions that can make rows, as the module docstring says (``headlines`` from
    :func:`headline_lines`)."""
    skip = regions_of(structure, SKIP_KINDS)
    heads = regions_of(structure, HEADING_KINDS)
    prose_names: set[str] | None = None
    out: list[Mention] = []
    lines = regions_of(structure, ("lines",))
    for m in mentions:
        if m.start in skip:
            continue
        if "\n" in m.text and m.start in lines:
            out.extend(_line_pieces(m))  # "Kestrel County\nMarlow Hall"
            continue
        if m.label not in NAME_LABELS:
            out.append(m)
            continue
        if m.start in heads:
            cut = _STRUCTURE_LEAD.match(m.text)
            start = m.start + (cut.end() if cut else 0)
            rest = text[start : m.end].strip()
            if not rest or _ONLY_STRUCTURE.fullmatch(rest):
                continue
            if start != m.start:
                m = Mention(start, m.end, text[start : m.end], m.label)
        if m.start in headlines:
            if prose_names is None:
                prose_names = {x.text for x in mentions if x.start not in headlines
                               and x.start not in skip}
            if m.text not in prose_names and not _in_prose(text, m.text, headlines, skip) \
                    and not _proper_word(m, text):
                continue
        out.append(m)
    return out


def _in_prose(text: str, name: str, headlines: Regions, skip: Regions) -> bool:
    """Does ``name`` occur as whole words somewhere outside headlines and skipped blocks?"""
    i = text.find(name)
    while i >= 0:
        j = i + len(name)
        whole = (i == 0 or not text[i - 1].isalnum()) and (j >= len(text) or not text[j].isalnum())
        if whole and i not in headlines and i not in skip:
            return True
        i = text.find(name, i + 1)
    return False


def _line_pieces(m: Mention) -> list[Mention]:
    """A mention that runs over the line breaks of a paragraph written line by line: one
    mention per line."""
    out = []
    pos = m.start
    for part in m.text.split("\n"):
        lead = len(part) - len(part.lstrip())
        name = part.strip()
        if name:
            a = pos + lead
            out.append(Mention(a, a + len(name), name, m.label))
        pos += len(part) + 1
    return out


def _proper_word(m: Mention, text: str) -> bool:
    """A one-word place or person ("Asia") the text never writes in lower case: its
    capital is its own, not the headline's."""
    word = m.text.strip()
    if m.label not in ("GPE", "LOC", "PERSON") or not word.isalpha() or not word.istitle():
        return False
    return re.search(r"\b" + re.escape(word.lower()) + r"\b", text) is None
