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
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

__all__ = ["GROUPS", "NAME_LABELS", "Entity", "Mention", "entity_to_json", "group_of", "resolve"]

GROUPS = ("people", "organizations", "places", "other")

#: Labels that name something (and so go through normalisation and merging).
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})

_LABEL_GROUP = {
    "PERSON": "people",
    "PER": "people",
    "ORG": "organizations",
    "GPE": "places",
    "LOC": "places",
    "FAC": "places",
}
#: The label a row gets when its group was decided against every mention's own label.
_GROUP_LABEL = {"people": "PERSON", "organizations": "ORG", "places": "GPE", "other": "NORP"}


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of a name: a span of the article's source text."""

    start: int
    end: int
    text: str
    """``source_text[start:end]``."""
    label: str
    """spaCy label (PERSON, ORG, GPE, LOC, FAC, NORP, DATE, ...)."""


@dataclass
class Entity:
    """One row of the panel: a thing the article names, with every mention of it."""

    name: str
    """Canonical name: the fullest normalised form."""
    group: str
    """One of :data:`GROUPS`."""
    label: str
    """The winning spaCy label."""
    aliases: list[str] = field(default_factory=list)
    """Other normalised forms merged into this row (the name itself is not repeated)."""
    mentions: list[Mention] = field(default_factory=list)
    """Sorted by start."""

    @property
    def count(self) -> int:
        return len(self.mentions)

    @property
    def first(self) -> int:
        """Source offset of the first mention."""
        return self.mentions[0].start if self.mentions else 0


def group_of(label: str) -> str:
    """The panel group of a spaCy label (NORP is "other" here; see :func:`resolve`)."""
    return _LABEL_GROUP.get(label.upper(), "other")


def entity_to_json(e: Entity) -> dict[str, Any]:
    return {
        "name": e.name,
        "group": e.group,
        "label": e.label,
        "aliases": list(e.aliases),
        "count": e.count,
        "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in e.mentions],
    }


# --------------------------------------------------------------------------- word lists
# General English news vocabulary, not about any particular text.


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


#: Titles written as abbreviations: never a name on their own.
_TITLE_ABBREVS = _words(
    "mr mrs ms mx dr prof gen brig col lt ltc maj capt cpt cmdr cdr adm sgt cpl pvt gov sen "
    "rep pres supt insp rev fr hon amb atty sec lieut msgr"
)
#: Titles written in full. Stripped from the front of a PERSON span; a span that is only
#: these is dropped when a name follows it ("President" in "President Jane Roe").
_TITLE_WORDS = _words(
    "mister madam doctor professor sir dame lord lady general brigadier colonel lieutenant "
    "major captain commander admiral sergeant corporal private governor senator "
    "representative congressman congresswoman president vice premier chancellor minister "
    "secretary ambassador envoy judge justice king queen prince princess emperor empress "
    "pope sheikh sheik cardinal bishop archbishop rabbi imam reverend father mayor chairman "
    "chairwoman chairperson chief deputy commissioner inspector superintendent detective "
    "officer spokesman spokeswoman spokesperson rapporteur director prime acting former "
    "foreign defense defence interior finance attorney state special marshal field "
    "counsel coach striker midfielder defender goalkeeper chair ceo councillor councilor "
    "councilman councilwoman alderman sheriff dean trustee"
)
#: Words that head an organisation's name ("... Agency", "Ministry of ...").
_ORG_WORDS = _words(
    "agency administration alliance army assembly association authority board bureau "
    "cabinet caucus command commission committee company congress corp corporation council "
    "court department directorate federation force forces foundation front fund group guard "
    "inc institute institution league ltd llc ministry movement navy office organisation "
    "organization parliament party plc police secretariat senate service services society "
    "tribunal trust union university college school academy network corps coalition "
    "brigade brigades militia regiment battalion division bank airlines airways "
    "news times post press radio television club team holdings united rovers wanderers "
    "athletic fc afc farms foods industries motors systems technologies laboratories labs "
    "partners pharmaceuticals enterprises studios media communications insurance"
)
#: Words after a company's short name in its full name ("Acme" is "Acme Holdings").
_COMPANY_SUFFIXES = _words(
    "holdings group inc corp corporation co company ltd limited plc llc lp ag sa nv ab "
    "asa gmbh spa se bv oy oyj kk bhd pty"
)
#: Head words that also end places' names ("West Bank", "Soviet Union"): they mark an
#: organisation only in a name of three words or more ("Amalgamated Farmers Union").
_WEAK_ORG_WORDS = _words("union bank division front group")
#: Things that belong to a person or a government, never to a company or a party:
#: "the <Name> government", "<Name>'s administration", "<Name>'s wife".
_RULER_NOUNS = ("government", "administration", "regime", "presidency", "cabinet")
_PERSONAL_NOUNS = _RULER_NOUNS + (
    "secretary of state", "chief of staff", "wife", "husband", "widow", "widower",
    "son", "daughter", "mother", "father", "brother", "sister", "grandson",
    "granddaughter", "campaign", "re-election", "reelection", "impeachment",
)
#: Lowercase words that may sit inside a name ("Bank of England", "Sisters of Mercy").
_NAME_FILLERS = _words(
    "of the and for on in at de del la le du da di dos das van von der den y bin ibn al el"
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
_PLACE_BEFORE = re.compile(r"\b(?:in|near|outside)\s+$")
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|to|from|near|outside|across|into|via)\s+$")
#: Capitalised words from the title list that also modify other names ("State", "Field").
_NOT_TITLES_BEFORE = _words("state field special foreign acting former private prime")
#: Lowercase roles written right before a person's name ("spokesman Jo Bloggs").
_ROLE_NOUNS = _words(
    "spokesman spokeswoman spokesperson manager coach chairman chairwoman president "
    "director minister secretary executive officer chief leader founder lawyer attorney "
    "striker midfielder defender goalkeeper captain analyst economist professor ambassador "
    "envoy commander general senator governor mayor judge prosecutor journalist author "
    "actor actress singer head premier rapporteur adviser advisor aide deputy "
    "chancellor candidate"
)
_PERSONAL_AFTER = re.compile(r"[" + _APOS + r"]s\s+(?:" + "|".join(_PERSONAL_NOUNS) + r")\b")
_RULER_AFTER = re.compile(r"\s+(?:" + "|".join(_RULER_NOUNS) + r")\b")


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
    if k in _TITLE_ABBREVS:
        return True
    return full_words and k in _TITLE_WORDS


@lru_cache(maxsize=8192)
def _org_like(name: str) -> bool:
    """Does the name end in (or start "X of ...") with an organisation word?"""
    words = name.split()
    if not words:
        return False
    last = words[-1].rstrip(".").casefold()
    if last in _ORG_WORDS and (last not in _WEAK_ORG_WORDS or len(words) >= 3):
        return len(words) >= 2 or words[0][:1].isupper()
    return len(words) >= 3 and words[1] == "of" and words[0].casefold() in _ORG_WORDS


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
    content = [w for w in re.split(r"[\s\-/]+", used) if w and w not in _NAME_FILLERS]
    return len(content) >= 2 or len(sf) <= 2 or len(long.split()) == 1


def _initials(name: str) -> set[str]:
    """Strict initialisms of a name: its capitalised words' first letters."""
    words = [w for w in name.split() if w.casefold() not in _NAME_FILLERS]
    if len(words) < 2:
        return set()
    out = {"".join(w[0] for w in words if w[:1].isalpha()).upper()}
    parts = [p for w in words for p in w.split("-") if p]
    out.add("".join(p[0] for p in parts if p[:1].isalpha()).upper())
    return out


# --------------------------------------------------------------------------- normalising


@lru_cache(maxsize=16384)
def _name_and_key(surface: str) -> tuple[str, str]:
    name = _WS.sub(" ", surface).strip()
    return name, name.casefold()


class _Span:
    """A mention being worked on: a trimmed span and the evidence about it."""

    __slots__ = ("start", "end", "label", "vote", "name", "key", "added")

    def __init__(self, text: str, start: int, end: int, label: str, *, added: bool = False):
        self.start = start
        self.end = end
        self.label = label
        self.vote = _LABEL_GROUP.get(label, "other")  # the group this mention votes for
        self.name, self.key = _name_and_key(text[start:end])
        self.added = added  # found in the text by a rule, not by the model


_LEADING_THE = re.compile(r"^the\s+", re.I)
_LOWER_WORD = re.compile(r"([a-z]+)\s+(?=[A-Z])")
_TOKEN = re.compile(r"\S+")
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
    for _ in range(12):  # each pass removes one layer; a span has only a few
        seg = text[s:e]
        old = (s, e)
        stripped = seg.strip(" \t\r\n\u00a0,;:*_" + _QUOTES.replace("'", "").replace("’", ""))
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
        if (m := _LOWER_WORD.match(seg)) and m.group(1) not in _NAME_FILLERS:
            s += m.end()  # "meet World Bank" -> "World Bank"; "de Gaulle" stays
            continue
        if seg.endswith("-"):
            e -= 1
            continue
        # titles in front of a name: "Brig. Gen. Jane Roe" -> "Jane Roe"
        toks = list(_TOKEN.finditer(seg))
        if len(toks) >= 2:
            t0 = toks[0].group()
            dotted = t0.endswith(".") and _title_key(t0) in _TITLE_ABBREVS
            if (dotted or _is_title(t0, full_words=person)) and toks[1].group()[:1].isupper():
                s += toks[1].start()
                continue
        if (s, e) == old:
            break
    if s >= e:
        return None
    seg = text[s:e]
    if not any(c.isupper() for c in seg) or not any(c.isalpha() for c in seg):
        return None  # "state", "’s": lowercase words are not names
    return s, e


def _plan_pieces(
    seg: str, label: str, known: set[str]
) -> tuple[list[tuple[int, int, int]], bool]:
    """How to cut one mention's text: pieces (start, end, titles) relative to it, and
    whether the two pieces are an acronym and its long form.

    ``titles`` is 0 for a name, 1 when the piece is only full-word titles ("President"),
    2 when it is only abbreviated ones ("Brig"); see :func:`_title_only`.
    """
    pieces: list[tuple[int, int]] = []
    defines = False
    for a, b in _split_possessive(seg, 0, len(seg), known):
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
            titles = 2 if all(_title_key(t) in _TITLE_ABBREVS for t in toks) else 1
        out.append((a, b, titles))
    return out, defines and len(out) == 2


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


def _split_possessive(text: str, s: int, e: int, known: set[str]) -> list[tuple[int, int]]:
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


class _Cluster:
    """Spans with the same normalised name (and, outside names, the same label)."""

    __slots__ = ("key", "spans", "group", "parent", "_name")

    def __init__(self, key: str) -> None:
        self.key = key
        self.spans: list[_Span] = []
        self.group = "other"
        self.parent: _Cluster | None = None
        self._name: str | None = None

    def root(self) -> _Cluster:
        c = self
        while c.parent is not None:
            c = c.parent
        return c

    def add(self, sp: _Span) -> None:
        self.spans.append(sp)
        self._name = None

    @property
    def name(self) -> str:
        """The most frequent form the model found, preferring mixed case to ALL CAPS."""
        if self._name is not None:
            return self._name
        forms = Counter(sp.name for sp in self.spans if not sp.added)
        if not forms:
            forms = Counter(sp.name for sp in self.spans)
        mixed = [f for f in forms if not f.isupper()]
        pool = mixed or list(forms)
        self._name = max(pool, key=lambda f: (forms[f], len(f)))
        return self._name

    @property
    def tokens(self) -> list[str]:
        return self.key.split()

    def votes(self) -> Counter[str]:
        return Counter(sp.vote for sp in self.spans)


def resolve(mentions: Sequence[Mention], text: str,
            bylines: Sequence[tuple[int, int]] = ()) -> list[Entity]:
    """Turn the model's mentions into panel rows, ordered by first mention.

    ``text`` is the full source text the mentions index; it supplies context (titles,
    brackets, lists) and the acronym occurrences the model missed. ``bylines`` are the
    (start, end) offsets of the article's byline lines: the names there are its authors
    (see :func:`byline_mentions`).
    """
    if bylines:
        mentions = byline_mentions(mentions, text, bylines)
    spans, definitions = _normalise(mentions, text)
    spans = _add_acronym_mentions(spans, definitions, text)
    _vote_by_context(spans, text)
    clusters = _cluster(spans)
    for c in clusters.values():
        c.group = _decide_group(c)
    _add_surname_mentions(clusters, spans, text)
    _merge(clusters, definitions, text)
    return _rows(clusters, text)


#: A byline's name: two to four capitalised words, with the particles names carry.
_BYLINE_NAME = re.compile(
    r"[A-Z][\w'’.-]*(?:\s+(?:(?:van|von|de|da|del|der|di|du|la|le|bin|al)\s+){0,2}"
    r"[A-Z][\w'’.-]*){1,3}")
#: Words that make a byline's name a desk or a wire service, not a person.
_BYLINE_NOT_PEOPLE = _words("staff desk reporters reporter correspondent correspondents "
                            "editors editor team wire wires newsroom writers")
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
                    w.casefold() in _BYLINE_NOT_PEOPLE for w in name.split()):
                continue
            start = b0 + at + (len(part) - len(part.lstrip()))
            found.append(Mention(start, start + len(name), name, "PERSON"))
    if not found:
        return list(mentions)
    kept = [m for m in mentions if not any(m.start < f.end and f.start < m.end for f in found)]
    return sorted(kept + found, key=lambda m: (m.start, m.end))


def _normalise(
    mentions: Sequence[Mention], text: str
) -> tuple[list[_Span], list[tuple[str, str]]]:
    """Trim and split spans; collect acronym definitions (acronym as written, long key)."""
    surfaces = {text[m.start : m.end] for m in mentions if m.label in NAME_LABELS}
    known = {
        _TRAILING_POSS.sub("", _LEADING_THE.sub("", _WS.sub(" ", t).strip())).casefold()
        for t in surfaces
        if not _MID_POSS.search(t)
    }
    out: list[_Span] = []
    definitions: list[tuple[str, str]] = []
    # a book repeats its names thousands of times: work each (surface, label) out once
    memo: dict[tuple[str, str], tuple[list[tuple[int, int, int]], bool]] = {}
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        if m.label not in NAME_LABELS:
            out.append(_Span(text, m.start, m.end, m.label))
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
            if not titles or not _title_only(text, a, b, titles):
                out.append(_Span(text, a, b, m.label))
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

    def __init__(self, spans: Sequence[_Span]) -> None:
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
    spans: list[_Span], definitions: list[tuple[str, str]], text: str
) -> list[_Span]:
    """Mark every occurrence of a defined acronym, also where the model missed it."""
    if not definitions:
        return spans
    longs = {long for _, long in definitions}
    label_of: dict[str, str] = {}
    for sp in spans:
        if sp.key in longs and sp.label in NAME_LABELS:
            label_of.setdefault(sp.key, sp.label)
    covered = _Coverage(spans)
    added: list[_Span] = []
    seen: set[int] = set()
    for acr, long in dict(definitions).items():  # one long form per acronym
        label = label_of.get(long, "ORG")
        # as written: a defined "IT" must not turn every "it" into a mention
        for a in _whole_words(text, acr):
            b = a + len(acr)
            if a not in seen and not covered(a, b):
                seen.add(a)
                added.append(_Span(text, a, b, label, added=True))
    if not added:
        return spans
    return sorted(spans + added, key=lambda sp: sp.start)


def _vote_by_context(spans: list[_Span], text: str) -> None:
    """Adjust single mentions' votes from the words around them."""
    for sp in spans:
        if sp.label not in NAME_LABELS:
            continue
        if _org_like(sp.name):
            sp.vote = "organizations"
        elif sp.label == "NORP":
            sp.vote = "other"
        elif " " not in sp.name and _is_acronym(sp.name):
            if sp.vote == "people" and _mixed_case_line(text, sp.start):
                sp.vote = "organizations"  # an ALL-CAPS acronym is not a person...
            # ...unless the whole line is in capitals (a headline: "ROE WINS")
        elif sp.vote != "people" and _person_context(sp, text):
            sp.vote = "people"
        elif _place_context(sp, text):
            sp.vote = "places"
    _vote_lists(spans, text)


def _mixed_case_line(text: str, pos: int) -> bool:
    """Are there lowercase letters on the line around ``pos`` (not a headline)?"""
    a = max(text.rfind("\n", 0, pos) + 1, pos - 200)
    b = text.find("\n", pos, pos + 200)
    return any(c.islower() for c in text[a : b if b >= 0 else pos + 200])


def _person_context(sp: _Span, text: str) -> bool:
    """A title or a role right before the name, or a ruler's / family noun right after it."""
    m = _WORD_BEFORE.search(text, max(0, sp.start - 32), sp.start)
    if m:
        word = m.group(1)
        if word[:1].isupper() and _is_title(word, full_words=True):
            if word.casefold() not in _NOT_TITLES_BEFORE:
                return True
        elif word in _ROLE_NOUNS:  # "spokesman Jo Bloggs", "chief executive, Jo Bloggs"
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


def _place_context(sp: _Span, text: str) -> bool:
    """A one-word "person" after "in" / "near" is a place ("fishermen in Nelson")."""
    if sp.label != "PERSON" or len(sp.name.split()) != 1:
        return False
    if _APOS_AFTER.match(text, sp.end, sp.end + 2):
        return False  # "in Smith's view"
    return bool(_PLACE_BEFORE.search(text[max(0, sp.start - 12) : sp.start]))


def _vote_lists(spans: list[_Span], text: str) -> None:
    """Items of one coordinated list ("A, B, C and D") share the list's majority group."""
    names = [sp for sp in spans if sp.label in NAME_LABELS]
    run: list[_Span] = []

    def settle() -> None:
        if len(run) >= 3:
            votes = Counter(sp.vote for sp in run if sp.vote != "other")
            if votes and all(sp.vote != "other" for sp in run):
                (top, n), *rest = votes.most_common()
                if n >= 2 and (not rest or rest[0][1] < n):
                    for sp in run:
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


def _add_surname_mentions(clusters: dict[str, _Cluster], spans: list[_Span], text: str) -> None:
    """Mark a full name's surname where the model missed it ("..., Hollis said").

    Only surnames that are not also ordinary words of the text ("Ward" when "ward" occurs)
    and only where no other capitalised word is attached ("Hollis Street").
    """
    owners: dict[str, list[_Cluster]] = defaultdict(list)
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
            sp = _Span(text, a, b, "PERSON", added=True)
            home = clusters.get(sp.key)
            if home is None:
                home = clusters[sp.key] = _Cluster(sp.key)
                home.group = "people"
            home.add(sp)


def _cluster(spans: list[_Span]) -> dict[str, _Cluster]:
    clusters: dict[str, _Cluster] = {}
    for sp in spans:
        key = sp.key if sp.label in NAME_LABELS else f"{sp.key}\0{sp.label}"
        c = clusters.get(key)
        if c is None:
            c = clusters[key] = _Cluster(sp.key)
        c.add(sp)
    return clusters


def _decide_group(c: _Cluster) -> str:
    if c.spans[0].label not in NAME_LABELS:
        return "other"
    votes = c.votes()
    if not votes:
        return "other"
    # on a tie, the model's habit decides: an unknown capitalised word is most often
    # guessed PERSON, so a tie between people and anything else goes to the other side
    order = {g: i for i, g in enumerate(("places", "organizations", "people", "other"))}
    return max(votes, key=lambda g: (votes[g], -order[g]))


def _used_as_place(c: _Cluster, text: str) -> bool:
    """Mostly a place, or a place after "in" / "to" ("Washington" is not George Washington)."""
    votes = c.votes()
    if votes["places"] >= 2 and votes["places"] * 2 > sum(votes.values()):
        return True
    return any(
        sp.vote == "places" and _LOCATIVE_BEFORE.search(text, max(0, sp.start - 12), sp.start)
        for sp in c.spans
    )


def _merge(
    clusters: dict[str, _Cluster], definitions: Iterable[tuple[str, str]], text: str
) -> None:
    names = [c for c in clusters.values() if c.spans[0].label in NAME_LABELS]

    def join(short: _Cluster, long: _Cluster) -> None:
        rs, rl = short.root(), long.root()
        if rs is not rl:
            rs.parent = rl

    by_key = {c.key: c for c in names}
    # 1. acronyms defined in brackets, either way round
    for acr, long in definitions:
        a, b = by_key.get(_fold(acr)), by_key.get(long)
        if a is not None and b is not None:
            join(a, b)
    # 2. an acronym whose letters are exactly the initials of one other name
    by_initials: dict[str, list[_Cluster]] = defaultdict(list)
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
    # 3. a surname or part of a name into the one full PERSON name it belongs to
    people = [c for c in names if c.group == "people" and len(c.tokens) >= 2 and c.root() is c]
    surnames: dict[str, set[_Cluster]] = defaultdict(set)
    given: dict[str, set[_Cluster]] = defaultdict(set)
    for p in people:
        t = p.tokens
        for i in range(1, len(t)):
            surnames[" ".join(t[i:])].add(p)  # "roe", "van auken"
            given[" ".join(t[:i])].add(p)  # "jane"
    for c in names:
        if c.root() is not c or c.group == "other" or _is_acronym(c.name) or _org_like(c.name):
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
        if not _used_as_place(c, text):
            join(c, full.pop())
            continue
        # "Jordan" the country and "Jordan" for Michael Jordan in one text: the mentions
        # the model took for a person go to the person, the rest stay a place
        taken = [sp for sp in c.spans if sp.vote == "people"]
        if taken:
            c.spans = [sp for sp in c.spans if sp.vote != "people"]
            c._name = None
            split = clusters[c.key + "\0person"] = _Cluster(c.key)
            split.group = "people"
            for sp in taken:
                split.add(sp)
            join(split, full.pop())
    # 4. a short form that starts exactly one longer name of the same group
    firsts: dict[str, list[_Cluster]] = defaultdict(list)
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
            and all(t.rstrip(".") in _COMPANY_SUFFIXES for t in x.tokens[n:])
        }
        company.discard(c)
        if len(company) == 1 and c.group != "places":  # never a place into a company
            join(c, company.pop())
            continue
        if c.group == "people":
            continue
        longer = {
            x.root()
            for x in firsts.get(c.tokens[0], ())
            if len(x.tokens) > n and x.tokens[:n] == c.tokens and x.group == c.group
        }
        longer.discard(c)
        if len(longer) == 1:
            join(c, longer.pop())


def _rows(clusters: dict[str, _Cluster], text: str) -> list[Entity]:
    members: dict[int, list[_Cluster]] = defaultdict(list)
    roots: dict[int, _Cluster] = {}
    for c in clusters.values():
        r = c.root()
        roots[id(r)] = r
        members[id(r)].append(c)
    rows: list[Entity] = []
    for rid, root in roots.items():
        group = root.group  # a NORP naming a party already voted "organizations"
        spans = sorted((sp for c in members[rid] for sp in c.spans), key=lambda sp: sp.start)
        labels = Counter(sp.label for sp in spans if group_of(sp.label) == group)
        if group == "other":
            labels = Counter(sp.label for sp in spans)
        label = labels.most_common(1)[0][0] if labels else _GROUP_LABEL[group]
        name = root.name
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
