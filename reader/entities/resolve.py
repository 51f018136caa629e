"""Entity rows from raw NER mentions: normalise, merge aliases, vote each row's group.

Pure Python on plain data: no spaCy, no Textual. :func:`resolve` turns the model's mentions
(character spans into the article's source text) into the rows of the side panel.

The model's output is noisy in ways that repeat across news texts, and each rule below
answers one of them with evidence from the same document only (no gazetteer):

* a mention's span carries noise ("the", a possessive, a title such as "Brig. Gen.", an
  unbalanced bracket, a line break): the span is trimmed to the name, the name normalised;
* one entity appears under several names (a surname, an acronym defined in brackets, a
  short form such as "Acme" for "Acme Holdings"): the names are merged into one row;
* one name gets different labels in different sentences: the row's group is voted over
  all its mentions, helped by a few word-shape cues (an organisation word such as
  "Agency" at the head of the name, a title before it, the other items of a list).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

__all__ = ["byline_mentions", "resolve"]

from reader.entities.evidence import (
    FAMILY_TITLES,
    HEAD_WORD_WEIGHT,
    STRONG_PLACE_WEIGHT,
    TITLE_WEIGHT,
    attach_title,
    group_votes,
    place_named,
    used_as_place,
    weigh,
)
from reader.entities.mentions import (
    add_every_mention,
    alias_mentions,
    complete_names,
    drop_non_names,
)
from reader.entities.model import (
    GROUP_LABEL,
    NAME_LABELS,
    Entity,
    Mention,
    group_of,
)
from reader.entities.people import join_people
from reader.entities.roles import office_holders, offices_are_not_organisations
from reader.entities.spans import Cluster, Span
from reader.entities.structure import headline_lines, outside_structure
from reader.entities.words import (
    BYLINE_NOT_PEOPLE,
    COMPANY_SUFFIXES,
    NAME_FILLERS,
    NAME_SUFFIXES,
    NOT_TITLES_BEFORE,
    OFFICE_TAILS,
    ORG_WORDS,
    PERSONAL_NOUNS,
    ROLE_NOUNS,
    RULER_NOUNS,
    TITLE_ABBREVS,
    TITLE_WORDS,
    WEAK_ORG_WORDS,
)

_QUOTES = "\"'“”‘’`«»"
_APOS = "'’"
_WS = re.compile(r"\s+")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]*[A-Z0-9]$|^[A-Z](?:\.[A-Z])+\.?$")
_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:(?:and|or|&)\s+)?|\s(?:and|or|&)\s+)(?:the\s+)?$", re.I)
_WORD_BEFORE = re.compile(r"(?<![A-Za-z])([A-Za-z]+)\.?,?\s+$")
_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9&.]*[A-Z0-9])\s*\)")
_ACRONYM_BEFORE = re.compile(r"(?<![\w.])([A-Z][A-Za-z0-9&.]*[A-Z0-9])\s*\(\s*$")
_CAPITAL_AFTER = re.compile(r"[ \t]+[A-Z]")
_CAPITAL_BEFORE = re.compile(r"[A-Z]\w*[ \t]+$")
_PERSONAL_AFTER = re.compile(r"[" + _APOS + r"]s\s+(?:" + "|".join(PERSONAL_NOUNS) + r")\b")
_RULER_AFTER = re.compile(r"\s+(?:" + "|".join(RULER_NOUNS) + r")\b")


def _fold(s: str) -> str:
    return _WS.sub(" ", s).strip().casefold()


@lru_cache(maxsize=16384)
def _is_acronym(word: str) -> bool:
    """ALL-CAPS word of two or more letters ("IACHR", "U.N.", "G7")."""
    return len(word) >= 2 and bool(_ACRONYM.match(word)) and sum(c.isalpha() for c in word) >= 2


def _title_key(tok: str) -> str:
    return tok.rstrip(".").casefold()


def _is_title(tok: str, *, full_words: bool) -> bool:
    k = _title_key(tok)
    if k in TITLE_ABBREVS:
        return True
    return full_words and k in TITLE_WORDS


@lru_cache(maxsize=8192)
def _org_like(name: str) -> bool:
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


def _initials(name: str) -> set[str]:
    """Strict initialisms of a name: its capitalised words' first letters."""
    words = [w for w in name.split() if w.casefold() not in NAME_FILLERS]
    if len(words) < 2:
        return set()
    out = {"".join(w[0] for w in words if w[:1].isalpha()).upper()}
    parts = [p for w in words for p in w.split("-") if p]
    out.add("".join(p[0] for p in parts if p[:1].isalpha()).upper())
    return out


# --------------------------------------------------------------------------- normalising


_LEADING_THE = re.compile(r"^the\s+", re.I)
_LOWER_WORD = re.compile(r"([a-z]+)\s+(?=[A-Z])")
_TOKEN = re.compile(r"\S+")
_SCORE = re.compile(r"\(?\d[\d\-–/.,:*]*\)?")
_OPEN_GAP = re.compile(r"\s*[\[(]\s*")
_CLOSE_AFTER = re.compile(r"\s*[\])]")
_THE_BEFORE = re.compile(r"\bthe\s+$", re.I)
_APOS_AFTER = re.compile(r"\s*[" + _APOS + r"]")
_CONJUNCTION = re.compile(r"\b(?:and|or)\b|&", re.I)
_TRAILING_POSS = re.compile(r"\s?[" + _APOS + r"]s?$")
_MID_POSS = re.compile(r"[" + _APOS + r"]s\s+")


def _trim(text: str, s: int, e: int, label: str) -> tuple[int, int] | None:
    """Trim the noise around a name; None when nothing worth a row is left."""
    cut = _trim_segment(text[s:e], label == "PERSON")
    return None if cut is None else (s + cut[0], s + cut[1])


@lru_cache(maxsize=16384)
def _trim_segment(text: str, person: bool) -> tuple[int, int] | None:
    """:func:`_trim` on one span's text alone (names repeat, so this is cached)."""
    s, e = 0, len(text)
    person_like = person or not _org_like(text)
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
        if seg[:1] in _APOS:
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
                _org_like(seg) or place_named(seg))  # not "Prince Edward Island"
            if (dotted or family or _is_title(t0, full_words=person)) \
                    and toks[1].group()[:1].isupper():
                s += toks[1].start()
                continue
            if person_like and len(toks) >= 3:
                # "Greek PM Tsipras": what stands before a title inside the span is the
                # title's, not the name's
                k = next((i for i in range(len(toks) - 2, 0, -1)
                          if _is_title(toks[i].group(), full_words=True)
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
        if all(_is_title(t, full_words=True) for t in toks):
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
        if _is_acronym(it) and _acronym_of(it, lt) or _is_acronym(lt) and _acronym_of(lt, it):
            return pieces
    return pieces[:1]


#: Where a span runs past its name: a dash, a comma before a lower-case word, a sentence
#: end, or a lower-case word that no name holds ("Charlotte said", "Longbourn if Lydia").
_JOIN_BREAK = re.compile(
    r"\s*(?:--|—|–)\s*|,\s+(?=[a-z])|(?<=[a-z]{3})[.!?]\s+(?=[A-Z])"
    r"|\s+(?:(?!(?:" + "|".join(sorted(NAME_FILLERS)) + r")\b)[a-z][\w'’-]*\s*)+")
#: Two people in one PERSON span: "Jane and Elizabeth", "Napoleon to Madame Roe".
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
            left, right = known.get(_fold(seg[: m.start()])), known.get(_fold(seg[m.end() :]))
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


def _split_possessive(text: str, s: int, e: int, known: dict[str, str]) -> list[tuple[int, int]]:
    """Split "UNESCO's Director General" into the owner and (if it is a name) the rest."""
    seg = text[s:e]
    m = _MID_POSS.search(seg)
    if not m:
        return [(s, e)]
    owner = seg[: m.start()]
    owner_key = _LEADING_THE.sub("", _WS.sub(" ", owner).strip()).casefold()
    if not (_is_acronym(owner.split()[-1] if owner.split() else "") or owner_key in known):
        return [(s, e)]  # "People's Republic": the possessive is part of the name
    out = [(s, s + m.start())]
    rest = seg[m.end() :]
    if rest[:1].isupper() and not all(_is_title(t, full_words=True) for t in rest.split()):
        out.append((s + m.end(), e))
    return out


# --------------------------------------------------------------------------- resolving


def resolve(mentions: Sequence[Mention], text: str,
            bylines: Sequence[tuple[int, int]] = (),
            structure: Sequence[tuple[int, int, str]] = ()) -> list[Entity]:
    """Turn the model's mentions into panel rows, ordered by first mention.

    ``text`` is the full source text the mentions index; it supplies context (titles,
    brackets, lists) and the acronym occurrences the model missed. ``bylines`` are the
    (start, end) offsets of the article's byline lines: the names there are its authors
    (see :func:`byline_mentions`). ``structure`` holds the (start, end, kind) of blocks
    that are not prose (:attr:`reader.document.Article.structure`).
    """
    if bylines:
        mentions = byline_mentions(mentions, text, bylines)
    headlines = headline_lines(text, structure, bylines)
    mentions = office_holders(mentions, text, headlines)
    mentions = offices_are_not_organisations(mentions, text, _org_like)
    mentions = outside_structure(mentions, text, structure, headlines)
    spans, definitions = _normalise(mentions, text)
    spans = drop_non_names(spans, text)
    complete_names(spans, text, headlines)
    definitions += alias_mentions(spans, text)
    spans = _add_acronym_mentions(spans, definitions, text)
    _vote_by_context(spans, text)
    clusters = _cluster(spans)
    _surname_evidence(clusters)
    for c in clusters.values():
        c.group = _decide_group(c)
    _add_surname_mentions(clusters, spans, text)
    _merge(clusters, definitions, text)
    _group_by_company(clusters, spans, text)
    add_every_mention(clusters, spans, text, structure, headlines)
    return _rows(clusters, text)


def _surname_evidence(clusters: dict[str, Cluster]) -> None:
    """A full name ending in a surname that titles show to be a family's ("Lydia Bennet",
    when the text has "Mr. Bennet") is a person's, whatever the model read there."""
    bases = {c.base for c in clusters.values() if c.title}
    if not bases:
        return
    for c in clusters.values():
        if c.title or len(c.tokens) < 2 or c.tokens[-1] not in bases:
            continue
        for sp in c.spans:
            if sp.label in NAME_LABELS and sp.vote != "organizations" and sp.vote != "other" \
                    or sp.label == "ORG" and not _org_like(sp.name):
                sp.vote, sp.weight = "people", TITLE_WEIGHT


#: A byline's name: two to four capitalised words, with the particles names carry.
_BYLINE_NAME = re.compile(
    r"[A-Z][\w'’.-]*(?:\s+(?:(?:van|von|de|da|del|der|di|du|la|le|bin|al)\s+){0,2}"
    r"[A-Z][\w'’.-]*){1,3}")
_BYLINE_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\bwith\b|\||·|•)\s*")
_BYLINE_LEAD = re.compile(r"^\s*(?:by|words by|written by|reporting by|text by)\s*:?\s+",
                          re.I)


def byline_mentions(mentions: Sequence[Mention], text: str,
                    bylines: Sequence[tuple[int, int]]) -> list[Mention]:
    """The authors named in a byline are people, whatever the model made of them.

    A byline ("By Ana Lima", "By Jo Roe and Sam Diaz") names people; the small model often
    reads a surname there as a place ("Lima"). Each part of the byline (split at commas and
    "and") that is a whole name of two to four capitalised words, and does not look like an
    organisation's name ("Reuters Staff", "News Desk"), becomes one PERSON mention, in place
    of the model's mentions inside it.
    """
    found: list[Mention] = []
    for b0, b1 in bylines:
        line = text[b0:b1]
        lead = _BYLINE_LEAD.match(line)
        pos = lead.end() if lead else 0
        for part in _BYLINE_SEPARATORS.split(line[pos:]):
            at = line.find(part, pos) if part else -1
            if at < 0:
                continue
            pos = at + len(part)
            name = part.strip()
            if _BYLINE_NAME.fullmatch(name) is None or _org_like(name) or any(
                    w.casefold() in BYLINE_NOT_PEOPLE for w in name.split()):
                continue
            start = b0 + at + (len(part) - len(part.lstrip()))
            found.append(Mention(start, start + len(name), name, "PERSON"))
    if not found:
        return list(mentions)
    kept = [m for m in mentions if not any(m.start < f.end and f.start < m.end for f in found)]
    return sorted(kept + found, key=lambda m: (m.start, m.end))


def _normalise(
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
            if _is_acronym(yt) and _acronym_of(yt, xt) or _is_acronym(xt) and _acronym_of(xt, yt):
                definitions.append(_definition(text, (x.start, x.end), (y.start, y.end)))
    # "Long Form (LF)" or "LF (Long Form)" where the model missed the acronym altogether
    for sp in names:
        long = text[sp.start : sp.end]
        after = _ACRONYM_AFTER.match(text, sp.end, sp.end + 24)
        before = _ACRONYM_BEFORE.search(text[max(0, sp.start - 24) : sp.start])
        if before and not _CLOSE_AFTER.match(text, sp.end, sp.end + 3):
            before = None
        for m2 in (after, before):
            if m2 and _is_acronym(m2.group(1)) and _acronym_of(m2.group(1), long):
                definitions.append((m2.group(1), _fold(long)))
    return out, definitions


def _definition(text: str, a: tuple[int, int], b: tuple[int, int]) -> tuple[str, str]:
    """(acronym as written, long form's key) for two spans, in either order."""
    ta, tb = text[a[0] : a[1]], text[b[0] : b[1]]
    return (ta, _fold(tb)) if len(ta) < len(tb) else (tb, _fold(ta))


class _Coverage:
    """Is a span inside one of the given (sorted, non-overlapping) spans?"""

    def __init__(self, spans: Sequence[Span]) -> None:
        self.starts = [sp.start for sp in spans]
        self.ends = [sp.end for sp in spans]

    def __call__(self, a: int, b: int) -> bool:
        i = bisect_right(self.starts, b - 1) - 1
        return i >= 0 and self.ends[i] > a


def _whole_words(text: str, word: str) -> Iterator[int]:
    """Starts of ``word`` in ``text`` as a whole word (str.find: fast on a whole book)."""
    i = text.find(word)
    while i >= 0:
        before = text[i - 1 : i]
        after = text[i + len(word) : i + len(word) + 1]
        if not (before.isalnum() or before in ("_", ".")) and not (after.isalnum() or after == "_"):
            yield i
        i = text.find(word, i + 1)


def _add_acronym_mentions(
    spans: list[Span], definitions: list[tuple[str, str]], text: str
) -> list[Span]:
    """Mark every occurrence of a defined acronym, also where the model missed it."""
    if not definitions:
        return spans
    longs = {long for _, long in definitions}
    label_of: dict[str, str] = {}
    for sp in spans:
        if sp.key in longs and sp.label in NAME_LABELS:
            label_of.setdefault(sp.key, sp.label)
    covered = _Coverage(spans)
    added: list[Span] = []
    seen: set[int] = set()
    for acr, long in dict(definitions).items():  # one long form per acronym
        label = label_of.get(long, "ORG")
        # as written: a defined "IT" must not turn every "it" into a mention
        for a in _whole_words(text, acr):
            b = a + len(acr)
            if a not in seen and not covered(a, b):
                seen.add(a)
                added.append(Span(text, a, b, label, added=True))
    if not added:
        return spans
    return sorted(spans + added, key=lambda sp: sp.start)


def _vote_by_context(spans: list[Span], text: str) -> None:
    """Adjust single mentions' votes from the words around them."""
    for sp in spans:
        if sp.label not in NAME_LABELS:
            continue
        if _org_like(sp.name) and not sp.title:
            sp.vote, sp.weight = "organizations", HEAD_WORD_WEIGHT
        elif sp.label == "NORP":
            sp.vote = "other"
        elif " " not in sp.name and _is_acronym(sp.name):
            if sp.vote == "people" and _mixed_case_line(text, sp.start):
                sp.vote = "organizations"  # an ALL-CAPS acronym is not a person...
            # ...unless the whole line is in capitals (a headline: "ROE WINS")
        else:
            weigh(sp, text, acronym=False)
            if sp.vote != "people" and _person_context(sp, text):
                sp.vote, sp.weight, sp.cue = "people", TITLE_WEIGHT, "title"
    _vote_places_within(spans, text)
    _vote_lists(spans, text)


_IN_GAP = re.compile(r"[ \t]+in[ \t]+$")


def _vote_places_within(spans: list[Span], text: str) -> None:
    """"Warrington in Cheshire", "Godmanchester in Cambridgeshire": a one-word name with
    nothing else to say about it, right before "in" and a place, is a place within it."""
    names = [sp for sp in spans if sp.label in NAME_LABELS]
    for sp, nxt in zip(names, names[1:], strict=False):
        if (not sp.cue and " " not in sp.name and nxt.vote == "places" and nxt.label in (
                "GPE", "LOC") and _IN_GAP.match(text[sp.end : nxt.start])):
            sp.vote, sp.weight, sp.cue = "places", STRONG_PLACE_WEIGHT, "place"


def _mixed_case_line(text: str, pos: int) -> bool:
    """Are there lowercase letters on the line around ``pos`` (not a headline)?"""
    a = max(text.rfind("\n", 0, pos) + 1, pos - 200)
    b = text.find("\n", pos, pos + 200)
    return any(c.islower() for c in text[a : b if b >= 0 else pos + 200])


def _person_context(sp: Span, text: str) -> bool:
    """A title or a role right before the name, or a ruler's / family noun right after it."""
    m = _WORD_BEFORE.search(text, max(0, sp.start - 32), sp.start)
    if m:
        word = m.group(1)
        if word[:1].isupper() and _is_title(word, full_words=True):
            if word.casefold() not in NOT_TITLES_BEFORE:
                return True
        elif word in ROLE_NOUNS:  # "spokesman Jo Bloggs", "chief executive, Jo Bloggs"
            return True
    if sp.label != "ORG" or len(sp.name.split()) != 1 or not sp.name[:1].isupper():
        return False
    after = text[sp.end : sp.end + 40].casefold()
    if _PERSONAL_AFTER.match(after):
        return True
    return bool(
        _THE_BEFORE.search(text, max(0, sp.start - 8), sp.start)
        and _RULER_AFTER.match(after)
    )


def _vote_lists(spans: list[Span], text: str) -> None:
    """Items of one coordinated list ("A, B, C and D") share the list's majority group."""
    names = [sp for sp in spans if sp.label in NAME_LABELS]
    run: list[Span] = []

    def settle() -> None:
        if len(run) >= 3:
            votes = Counter(sp.vote for sp in run if sp.vote != "other")
            if votes and all(sp.vote != "other" for sp in run):
                (top, n), *rest = votes.most_common()
                if n >= 2 and (not rest or rest[0][1] < n):
                    for sp in run:
                        if sp.cue in ("", "near"):  # words around an item outweigh its list
                            sp.vote = top

    closed = False  # the item after "and" / "or" ends the list
    for sp in names:
        gap = text[run[-1].end : sp.start] if run else ""
        if run and not closed and _LIST_GAP.match(gap):
            run.append(sp)
            closed = bool(_CONJUNCTION.search(gap))
            continue
        settle()
        run, closed = [sp], False
    settle()


def _add_surname_mentions(clusters: dict[str, Cluster], spans: list[Span], text: str) -> None:
    """Mark a full name's surname where the model missed it ("..., Hollis said").

    Only surnames that are not also ordinary words of the text ("Ward" when "ward" occurs)
    and only where no other capitalised word is attached ("Hollis Street").
    """
    owners: dict[str, list[Cluster]] = defaultdict(list)
    for c in clusters.values():
        if c.group == "people" and len(c.tokens) >= 2 and c.spans[0].label in NAME_LABELS:
            owners[c.name.split()[-1]].append(c)
    surnames = {
        w for w, cs in owners.items()
        if len(cs) == 1 and len(w) >= 3 and w[:1].isupper() and not w.isupper()
        and w.replace("-", "").replace("'", "").isalpha()
    }
    if not surnames:
        return
    covered = _Coverage(spans)
    for w in sorted(surnames):
        if next(_whole_words(text, w.lower()), None) is not None:
            continue  # also an ordinary word here ("ward")
        for a in _whole_words(text, w):
            b = a + len(w)
            if covered(a, b) or (a > 0 and text[a - 1] in "-'’") or text[b : b + 1] == "-":
                continue
            if _CAPITAL_AFTER.match(text, b) or _CAPITAL_BEFORE.search(text, max(0, a - 24), a):
                continue  # part of a longer name the model did not see
            sp = Span(text, a, b, "PERSON", added=True)
            home = clusters.get(sp.key)
            if home is None:
                home = clusters[sp.key] = Cluster(sp.key)
                home.group = "people"
            home.add(sp)


def _cluster(spans: list[Span]) -> dict[str, Cluster]:
    clusters: dict[str, Cluster] = {}
    for sp in spans:
        key = sp.cluster_key if sp.label in NAME_LABELS else f"{sp.key}\0{sp.label}"
        c = clusters.get(key)
        if c is None:
            c = clusters[key] = Cluster(sp.cluster_key)
        c.add(sp)
    return clusters


def _decide_group(c: Cluster) -> str:
    if c.spans[0].label not in NAME_LABELS:
        return "other"
    votes = group_votes(c)
    if not votes:
        return "other"
    # on a tie, the model's habit decides: an unknown capitalised word is most often
    # guessed PERSON, so a tie between people and anything else goes to the other side
    order = {g: i for i, g in enumerate(("places", "organizations", "people", "other"))}
    return max(votes, key=lambda g: (votes[g], -order[g]))


def _merge(
    clusters: dict[str, Cluster], definitions: Iterable[tuple[str, str]], text: str
) -> None:
    names = [c for c in clusters.values() if c.spans[0].label in NAME_LABELS]

    def join(short: Cluster, long: Cluster) -> None:
        rs, rl = short.root(), long.root()
        if rs is not rl:
            rs.join_to(rl)

    by_key = {c.key: c for c in names}
    # 1. acronyms defined in brackets, either way round
    for acr, long in definitions:
        a, b = by_key.get(_fold(acr)), by_key.get(long)
        if a is not None and b is not None:
            join(a, b)
    # 2. an acronym whose letters are exactly the initials of one other name
    by_initials: dict[str, list[Cluster]] = defaultdict(list)
    for c in names:
        if c.group != "other":
            for ini in _initials(c.name):
                by_initials[ini].append(c)
    for c in names:
        word = c.name.replace(".", "")
        if c.root() is c and _is_acronym(c.name) and c.group != "other":
            cands = {x.root() for x in by_initials.get(word.upper(), []) if x is not c}
            cands = {x for x in cands if x.group == c.group or c.group == "people"}
            if len(cands) == 1:
                join(c, cands.pop())
    # 3. titled names, and bare names, into the person they stand for (reader.entities.people)
    join_people(clusters, text, join)
    # 4. a surname or part of a name into the one full PERSON name it belongs to
    people = [c for c in names if c.group == "people" and len(c.tokens) >= 2 and c.root() is c
              and not c.title]
    surnames: dict[str, set[Cluster]] = defaultdict(set)
    given: dict[str, set[Cluster]] = defaultdict(set)
    for p in people:
        t = p.tokens
        while len(t) > 2 and t[-1] in NAME_SUFFIXES:
            t = t[:-1]
        for i in range(1, len(t)):
            surnames[" ".join(t[i:])].add(p)  # "roe", "van auken"
            given[" ".join(t[:i])].add(p)  # "jane"
    for c in names:
        if (c.root() is not c or c.group == "other" or c.title or c.family
                or _is_acronym(c.name) or _org_like(c.name)):
            continue
        # A surname joins its full name whatever the model called it ("Roe" as ORG is
        # still Jane Roe); a given name only when it was taken for a person ("Georgia"
        # the place is not Georgia Brown).
        full = set(surnames.get(c.key, ()))
        if c.group == "people":
            full |= given.get(c.key, set())
        full = {p.root() for p in full} - {c}
        if len(full) != 1:
            continue
        if not used_as_place(c):
            join(c, full.pop())
            continue
        # "Jordan" the country and "Jordan" for Michael Jordan in one text: the mentions
        # the model took for a person go to the person, the rest stay a place
        taken = [sp for sp in c.spans if sp.vote == "people"]
        if taken:
            c.spans = [sp for sp in c.spans if sp.vote != "people"]
            c._name = None
            split = clusters[c.key + "\0person"] = Cluster(c.key)
            split.group = "people"
            for sp in taken:
                split.add(sp)
            join(split, full.pop())
    # 5. a short form that starts exactly one longer name of the same group
    firsts: dict[str, list[Cluster]] = defaultdict(list)
    for c in names:
        if c.group in ("organizations", "places") and len(c.tokens) >= 2:
            firsts[c.tokens[0]].append(c)
    for c in names:
        if c.root() is not c or c.group == "other":
            continue
        n = len(c.tokens)
        # "Acme" for "Acme Holdings": a company's short name, whatever the model thought
        company = {
            x.root()
            for x in firsts.get(c.tokens[0], ())
            if x.group == "organizations" and len(x.tokens) > n and x.tokens[:n] == c.tokens
            and all(t.rstrip(".") in COMPANY_SUFFIXES for t in x.tokens[n:])
        }
        company.discard(c)
        if len(company) == 1 and c.group != "places":  # never a place into a company
            join(c, company.pop())
            continue
        if c.group == "people" and not (n == 1 and _nothing_said(c)):
            continue
        longer = {
            x.root()
            for x in firsts.get(c.tokens[0], ())
            if len(x.tokens) > n and x.tokens[:n] == c.tokens and (
                x.group == c.group and c.group != "people" or (
                # "Payne" for "Payne County", whatever the model made of the short form
                place_named(x.name) and x.group == "places" and not _org_like(c.name)) or (
                # "at Marshall" for Marshall Space Flight Center: nothing says otherwise
                n == 1 and x.group == "organizations" and _nothing_said(c)))
        }
        longer.discard(c)
        if len(longer) == 1:
            join(c, longer.pop())


_PAIR_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or|&)\s+)$")


def _group_by_company(clusters: dict[str, Cluster], spans: list[Span], text: str) -> None:
    """A one-word name said again and again beside the names of one group ("Eliza and
    Georgiana", "Eliza, John") is of that group: a row of the other kind takes it when at
    least two of its mentions, and a third of them, stand coordinated with that group's
    rows, and nothing in its own words (a title, a head word) says otherwise."""
    owner: dict[int, Cluster] = {}
    for c in clusters.values():
        if c.spans[0].label in NAME_LABELS:
            r = c.root()
            for sp in c.spans:
                owner[sp.start] = r
    names = sorted((sp for sp in spans if sp.start in owner), key=lambda sp: sp.start)
    beside: dict[int, Counter[str]] = defaultdict(Counter)
    for x, y in zip(names, names[1:], strict=False):
        rx, ry = owner[x.start], owner[y.start]
        if rx is not ry and _PAIR_GAP.match(text[x.end : y.start]):
            beside[id(rx)][ry.group] += 1
            beside[id(ry)][rx.group] += 1
    for c in {id(c.root()): c.root() for c in clusters.values()}.values():
        votes = beside.get(id(c))
        if not votes or len(c.tokens) != 1 or c.group == "other" or c.title or any(
                sp.cue in ("title", "speech", "head", "place") for sp in c.spans):
            continue
        (group, n), = votes.most_common(1)
        total = sum(len(m.spans) for m in (c, *c.children))
        if group not in (c.group, "other") and n >= 2 and n * 3 >= total:
            c.group = group


def _distinct(spans: list[Span]) -> list[Span]:
    """Sorted spans without the ones that overlap an earlier (longer) one: a text position
    counts once in a row, however many rules found it."""
    out: list[Span] = []
    for sp in spans:
        if not out or sp.start >= out[-1].end:
            out.append(sp)
    return out


def _nothing_said(c: Cluster) -> bool:
    """No model label of a place and no cue of a person or a place for this name."""
    return not c.title and not any(
        sp.label in ("GPE", "LOC") or sp.cue in ("title", "speech", "place", "head")
        for sp in c.spans)


def _rows(clusters: dict[str, Cluster], text: str) -> list[Entity]:
    members: dict[int, list[Cluster]] = defaultdict(list)
    roots: dict[int, Cluster] = {}
    for c in clusters.values():
        r = c.root()
        roots[id(r)] = r
        members[id(r)].append(c)
    rows: list[Entity] = []
    for rid, root in roots.items():
        group = root.group  # a NORP naming a party already voted "organizations"
        spans = _distinct(sorted((sp for c in members[rid] for sp in c.spans),
                                 key=lambda sp: (sp.start, -sp.end)))
        labels = Counter(sp.label for sp in spans if group_of(sp.label) == group)
        if group == "other":
            labels = Counter(sp.label for sp in spans)
        label = labels.most_common(1)[0][0] if labels else GROUP_LABEL[group]
        name = root.name
        if name.isupper() and " " in name:  # a signature in capitals: "WILLIAM COLLINS"
            mixed = [c.name for c in members[rid] if not c.name.isupper()]
            name = max(mixed, key=len) if mixed else name
        seen = {name.casefold()}
        aliases = []
        for c in sorted(members[rid], key=lambda c: c.spans[0].start):
            n = c.name
            if n.casefold() not in seen:
                seen.add(n.casefold())
                aliases.append(n)
        mentions = [Mention(sp.start, sp.end, text[sp.start : sp.end], label) for sp in spans]
        rows.append(Entity(name, group, label, aliases, mentions))
    rows.sort(key=lambda e: e.first)
    return rows
