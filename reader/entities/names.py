"""From a model's span to a name: trim the noise around it, cut what joins two names,
split an acronym from its long form (see docs/entities.md, step 4)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from reader.entities.evidence import FAMILY_TITLES, attach_title, place_named
from reader.entities.model import NAME_LABELS, Mention, group_of
from reader.entities.spans import Span
from reader.entities.words import (
    NAME_FILLERS,
    OFFICE_TAILS,
    ORG_WORDS,
    TITLE_ABBREVS,
    TITLE_WORDS,
    WEAK_ORG_WORDS,
)

__all__ = ["APOS", "fold", "initials", "is_acronym", "is_title", "normalise", "org_like",
           "trim_name"]

_QUOTES = "\"'“”‘’`«»"


APOS = "'’"


_WS = re.compile(r"\s+")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]*[A-Z0-9]$|^[A-Z](?:\.[A-Z])+\.?$")


def fold(s: str) -> str:
    return _WS.sub(" ", s).strip().casefold()


@lru_cache(maxsize=16384)
def is_acronym(word: str) -> bool:
    """ALL-CAPS word of two or more letters ("IACHR", "U.N.", "G7")."""
    return len(word) >= 2 and bool(_ACRONYM.match(word)) and sum(c.isalpha() for c in word) >= 2


def _title_key(tok: str) -> str:
    return tok.rstrip(".").casefold()


def is_title(tok: str, *, full_words: bool) -> bool:
    k = _title_key(tok)
    if k in TITLE_ABBREVS:
        return True
    return full_words and k in TITLE_WORDS


@lru_cache(maxsize=8192)
def org_like(name: str) -> bool:
    """Does the name end in (or start "X of ...") with an organisation word?"""
    words = name.split()
    if not words:
        return False
    last = words[-1].rstrip(".").casefold()
    if last in ORG_WORDS and (last not in WEAK_ORG_WORDS or len(words) >= 3):
        return len(words) >= 2 or words[0][:1].isupper()
    return len(words) >= 3 and words[1] == "of" and words[0].casefold() in ORG_WORDS


def _acronym_of(short: str, long: str) -> bool:
    """Could ``short`` abbreviate ``long``? (Schwartz & Hearst 2003, plus a sanity check.)

    Every letter or digit of the short form must appear in order in the long form, the
    first one at the start of a word; the long form must not be much longer than needed.
    """
    sf = [c.casefold() for c in short if c.isalnum()]
    lf = long.casefold()
    if len(sf) < 2 or not lf or not short[:1].isalpha():
        return False
    s, i = len(sf) - 1, len(lf) - 1
    while s >= 0:
        c = sf[s]
        while i >= 0 and (lf[i] != c or (s == 0 and i > 0 and lf[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return False
        i -= 1
        s -= 1
    # words of the long form left of the match are fine ("US Southern Command" for an
    # acronym of "Southern Command"), but the match must use more than one word when the
    # long form has several, or "IBM" would abbreviate "Imbalance Group".
    used = lf[i + 1 :]
    content = [w for w in re.split(r"[\s\-/]+", used) if w and w not in NAME_FILLERS]
    return len(content) >= 2 or len(sf) <= 2 or len(long.split()) == 1


def initials(name: str) -> set[str]:
    """Strict initialisms of a name: its capitalised words' first letters."""
    words = [w for w in name.split() if w.casefold() not in NAME_FILLERS]
    if len(words) < 2:
        return set()
    out = {"".join(w[0] for w in words if w[:1].isalpha()).upper()}
    parts = [p for w in words for p in w.split("-") if p]
    out.add("".join(p[0] for p in parts if p[:1].isalpha()).upper())
    return out


_LEADING_THE = re.compile(r"^the\s+", re.I)
_LOWER_WORD = re.compile(r"([a-z]+)\s+(?=[A-Z])")
_TOKEN = re.compile(r"\S+")
_SCORE = re.compile(r"\(?\d[\d\-–/.,:*]*\)?")
_TRAILING_POSS = re.compile(r"\s?[" + APOS + r"]s?$")


def _trim(text: str, s: int, e: int, label: str) -> tuple[int, int] | None:
    """Trim the noise around a name; None when nothing worth a row is left."""
    cut = _trim_segment(text[s:e], label == "PERSON")
    return None if cut is None else (s + cut[0], s + cut[1])


@lru_cache(maxsize=16384)
def _trim_segment(text: str, person: bool) -> tuple[int, int] | None:
    """:func:`_trim` on one span's text alone (names repeat, so this is cached).

    Long on purpose: one loop whose rules each peel one layer off the same ``s``/``e`` and
    start the pass again, so their order is the logic and reads best in one place.
    """
    s, e = 0, len(text)
    person_like = person or not org_like(text)
    for _ in range(12):  # each pass removes one layer; a span has only a few
        seg = text[s:e]
        old = (s, e)
        stripped = seg.strip(" \t\r\n\u00a0,;:*_!?" + _QUOTES.replace("'", "").replace("’", ""))
        if stripped != seg:
            s += seg.find(stripped[:1]) if stripped else len(seg)
            e = s + len(stripped)
            continue
        if m := _LEADING_THE.match(seg):
            s += m.end()
            continue
        if (m := _TRAILING_POSS.search(seg)) and m.start() > 0:
            e = s + m.start()  # "Acme's" -> "Acme", "Jones'" -> "Jones"
            continue
        if seg[:1] in APOS:
            s += 1
            continue
        # unbalanced brackets: a leading "(" or a trailing ")" with no partner
        if seg[:1] in "([" and seg.count(seg[0]) > seg.count(")]"["([".index(seg[0])]):
            s += 1
            continue
        if seg[-1:] in ")]" and seg.count(seg[-1]) > seg.count("(["[")]".index(seg[-1])]):
            e -= 1
            continue
        if (m := _LOWER_WORD.match(seg)) and m.group(1) not in NAME_FILLERS:
            s += m.end()  # "meet World Bank" -> "World Bank"; "de Gaulle" stays
            continue
        if seg.endswith("-"):
            e -= 1
            continue
        # titles in front of a name: "Brig. Gen. Jane Roe" -> "Jane Roe"
        toks = list(_TOKEN.finditer(seg))
        if len(toks) >= 2:
            t0 = toks[0].group()
            dotted = t0.endswith(".") and _title_key(t0) in TITLE_ABBREVS
            family = _title_key(t0) in FAMILY_TITLES and len(toks) <= 4 and not (
                org_like(seg) or place_named(seg))  # not "Prince Edward Island"
            if (dotted or family or is_title(t0, full_words=person)) \
                    and toks[1].group()[:1].isupper():
                s += toks[1].start()
                continue
            if person_like and len(toks) >= 3:
                # "Kelvish PM Oskar Dren": what stands before a title inside the span is the
                # title's, not the name's
                k = next((i for i in range(len(toks) - 2, 0, -1)
                          if is_title(toks[i].group(), full_words=True)
                          and toks[i].group()[:1].isupper()
                          and all(t.group()[:1].isupper() for t in toks[i + 1 :])), 0)
                if k:
                    s += toks[k + 1].start()
                    continue
            if _SCORE.fullmatch(toks[-1].group()):
                e = s + toks[-2].end()  # "S. Watkin 4-28", "Somerset 83": no name ends in a score
                continue
            if _title_key(toks[-1].group()) in TITLE_ABBREVS and not toks[-1].group().isupper():
                e = s + toks[-2].end()  # "Air Force Brig" (. Gen. Pat Ryder) -> "Air Force"
                continue
        if (s, e) == old:
            break
    if s >= e:
        return None
    seg = text[s:e]
    if not any(c.isupper() for c in seg) or not any(c.isalpha() for c in seg):
        return None  # "state", "’s": lowercase words are not names
    return s, e


def trim_name(text: str) -> tuple[int, int] | None:
    """(start, end) of the name in ``text`` once the noise around it is trimmed (see
    :func:`_trim`; full-word office titles stay: "General Motors" is a name)."""
    return _trim_segment(text, False)


def _plan_pieces(
    seg: str, label: str, known: dict[str, str]
) -> tuple[list[tuple[int, int, int]], bool]:
    """How to cut one mention's text: pieces (start, end, titles) relative to it, and
    whether the two pieces are an acronym and its long form.

    ``titles`` is 0 for a name, 1 when the piece is only full-word titles ("President"),
    2 when it is only abbreviated ones ("Brig"); see :func:`_title_only`.
    """
    pieces: list[tuple[int, int]] = []
    defines = False
    for a, b in (p for j in _split_joined(seg, label, known)
                 for p in _split_possessive(seg, *j, known)):
        t = _trim(seg, a, b, label)
        if t is None:
            continue
        split = _split_brackets(seg, *t)
        if split is None:
            pieces.append(t)
            continue
        trimmed = [tp for p in split if (tp := _trim(seg, *p, label)) is not None]
        defines = len(trimmed) == 2
        pieces.extend(trimmed)
    out = []
    for a, b in pieces:
        toks = seg[a:b].split()
        titles = 0
        if all(is_title(t, full_words=True) for t in toks):
            titles = 2 if all(_title_key(t) in TITLE_ABBREVS for t in toks) else 1
        out.append((a, b, titles))
    return out, defines and len(out) == 2


def _ends_in_office(name: str) -> bool:
    words = name.split()
    return len(words) >= 2 and words[-1].rstrip(".").casefold() in OFFICE_TAILS


def _title_only(text: str, s: int, e: int, titles: int) -> bool:
    """Is a span of only titles junk ("Brig", "Gen.", "President" before a name)?"""
    if titles == 2 or text[e : e + 1] == ".":
        return True
    # a full word ("Major", "King") is also a surname: drop it only before a name
    after = text[e : e + 40].lstrip(". ")
    return after[:1].isupper()


def _split_brackets(text: str, s: int, e: int) -> list[tuple[int, int]] | None:
    """Split "Long Form (LF" / "LF (Long Form)" spans at the bracket.

    Returns the pieces that are names (one or two), or None when there is no bracket.
    """
    seg = text[s:e]
    i = seg.find("(")
    if i < 0:
        return None
    j = seg.find(")", i)
    left = (s, s + i)
    inner = (s + i + 1, s + j if j >= 0 else e)
    pieces = []
    for a, b in (left, inner):
        piece = text[a:b]
        a += len(piece) - len(piece.lstrip())
        b -= len(piece) - len(piece.rstrip())
        if a < b:
            pieces.append((a, b))
    if len(pieces) == 2:
        (a1, b1), (a2, b2) = pieces
        lt, it = text[a1:b1], text[a2:b2]
        if is_acronym(it) and _acronym_of(it, lt) or is_acronym(lt) and _acronym_of(lt, it):
            return pieces
    return pieces[:1]


#: Where a span runs past its name: a dash, a comma before a lower-case word, a sentence
#: end, or a lower-case word that no name holds ("Orla said", "Keswith if Ilse").
_JOIN_BREAK = re.compile(
    r"\s*(?:--|—|–)\s*|,\s+(?=[a-z])|(?<=[a-z]{3})[.!?]\s+(?=[A-Z])"
    r"|\s+(?:(?!(?:" + "|".join(sorted(NAME_FILLERS)) + r")\b)[a-z][\w'’-]*\s*)+")


#: Two people in one PERSON span: "Tamsin and Orla", "Napoleon to Madame Roe".
_PEOPLE_BREAK = re.compile(r"\s+(?:and|&|or|to|with)\s+(?=[A-Z])")
_SPACE_BREAK = re.compile(r"\s+")


def _split_joined(seg: str, label: str, known: dict[str, str]) -> list[tuple[int, int]]:
    """Cut a span that joins two names into its names (the pieces start capitalised)."""
    cuts = [(m.start(), m.end()) for m in _JOIN_BREAK.finditer(seg)]
    if label == "PERSON":
        cuts += [(m.start(), m.end()) for m in _PEOPLE_BREAK.finditer(seg)]
    if not cuts and "\n" in seg:
        # a place and a person the model read as one name across a line break
        for m in _SPACE_BREAK.finditer(seg):
            left, right = known.get(fold(seg[: m.start()])), known.get(fold(seg[m.end() :]))
            if left and right and left != right and {left, right} <= {"people", "places"}:
                cuts.append((m.start(), m.end()))
                break
    if not cuts:
        return [(0, len(seg))]
    out, pos = [], 0
    for a, b in sorted(cuts):
        if a > pos and seg[pos:a].strip()[:1].isupper():
            out.append((pos, a))
        pos = max(pos, b)
    if pos < len(seg) and seg[pos:].strip()[:1].isupper():
        out.append((pos, len(seg)))
    return out


_MID_POSS = re.compile(r"[" + APOS + r"]s\s+")


def _split_possessive(text: str, s: int, e: int, known: dict[str, str]) -> list[tuple[int, int]]:
    """Split "UNESCO's Director General" into the owner and (if it is a name) the rest."""
    seg = text[s:e]
    m = _MID_POSS.search(seg)
    if not m:
        return [(s, e)]
    owner = seg[: m.start()]
    owner_key = _LEADING_THE.sub("", _WS.sub(" ", owner).strip()).casefold()
    if not (is_acronym(owner.split()[-1] if owner.split() else "") or owner_key in known):
        return [(s, e)]  # "People's Republic": the possessive is part of the name
    out = [(s, s + m.start())]
    rest = seg[m.end() :]
    if rest[:1].isupper() and not all(is_title(t, full_words=True) for t in rest.split()):
        out.append((s + m.end(), e))
    return out


#: "Long Form (LF)" and "LF (Long Form)": an acronym in brackets after the long form,
#: or before the bracket that opens it; the brackets between two names.
_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9&.]*[A-Z0-9])\s*\)")
_ACRONYM_BEFORE = re.compile(r"(?<![\w.])([A-Z][A-Za-z0-9&.]*[A-Z0-9])\s*\(\s*$")
_OPEN_GAP = re.compile(r"\s*[\[(]\s*")
_CLOSE_AFTER = re.compile(r"\s*[\])]")


def normalise(
    mentions: Sequence[Mention], text: str
) -> tuple[list[Span], list[tuple[str, str]]]:
    """Trim and split spans; collect acronym definitions (acronym as written, long key)."""
    surfaces = Counter((text[m.start : m.end], group_of(m.label)) for m in mentions
                       if m.label in NAME_LABELS)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for (t, group), n in surfaces.items():
        if not _MID_POSS.search(t):
            key = _TRAILING_POSS.sub("", _LEADING_THE.sub("", _WS.sub(" ", t).strip()))
            votes[key.casefold()][group] += n
    # each name the model found alone, with the group it most often gave it
    known = {key: c.most_common(1)[0][0] for key, c in votes.items()}
    out: list[Span] = []
    definitions: list[tuple[str, str]] = []
    # a book repeats its names thousands of times: work each (surface, label) out once
    memo: dict[tuple[str, str], tuple[list[tuple[int, int, int]], bool]] = {}
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        if m.label not in NAME_LABELS:
            out.append(Span(text, m.start, m.end, m.label))
            continue
        seg = text[m.start : m.end]
        plan = memo.get((seg, m.label))
        if plan is None:
            plan = memo[(seg, m.label)] = _plan_pieces(seg, m.label, known)
        pieces, defines = plan
        if defines:
            (a1, b1, _), (a2, b2, _) = pieces
            definitions.append(
                _definition(text, (m.start + a1, m.start + b1), (m.start + a2, m.start + b2))
            )
        for a, b, titles in pieces:
            a, b = m.start + a, m.start + b
            if m.label == "PERSON" and _ends_in_office(text[a:b]):
                continue  # "Legal Counselor", "Pentagon Press Secretary": a role, no name
            if not titles or not _title_only(text, a, b, titles):
                sp = Span(text, a, b, m.label)
                if m.label != "NORP":
                    attach_title(sp, text)
                out.append(sp)
    # "Long Form (LF)" / "LF (Long Form)" where the model saw the two names apart
    names = [sp for sp in out if sp.label in NAME_LABELS]
    for x, y in zip(names, names[1:], strict=False):
        gap = text[x.end : y.start]
        if _OPEN_GAP.fullmatch(gap) and _CLOSE_AFTER.match(text, y.end, y.end + 3):
            xt, yt = text[x.start : x.end], text[y.start : y.end]
            if is_acronym(yt) and _acronym_of(yt, xt) or is_acronym(xt) and _acronym_of(xt, yt):
                definitions.append(_definition(text, (x.start, x.end), (y.start, y.end)))
    # "Long Form (LF)" or "LF (Long Form)" where the model missed the acronym altogether
    for sp in names:
        long = text[sp.start : sp.end]
        after = _ACRONYM_AFTER.match(text, sp.end, sp.end + 24)
        before = _ACRONYM_BEFORE.search(text[max(0, sp.start - 24) : sp.start])
        if before and not _CLOSE_AFTER.match(text, sp.end, sp.end + 3):
            before = None
        for m2 in (after, before):
            if m2 and is_acronym(m2.group(1)) and _acronym_of(m2.group(1), long):
                definitions.append((m2.group(1), fold(long)))
    return out, definitions


def _definition(text: str, a: tuple[int, int], b: tuple[int, int]) -> tuple[str, str]:
    """(acronym as written, long form's key) for two spans, in either order."""
    ta, tb = text[a[0] : a[1]], text[b[0] : b[1]]
    return (ta, fold(tb)) if len(ta) < len(tb) else (tb, fold(ta))
