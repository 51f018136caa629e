"""Who is who among people who share a name: titles, surnames and given names.

Evidence, all from the same text:

* a courtesy title or rank is part of a one-word name: "Mr. Harlow", "Mrs. Harlow" and
  "Miss Harlow" are three clusters; offices ("President", "Secretary") are not, and were
  stripped before (see :mod:`reader.entities.resolve`);
* a title says whether its bearer is a man or a woman, and so do the pronouns that follow
  a full name ("Ada Vane ... she"); a title joins the one full name it can belong
  to: by surname for Mr., Mrs. and ranks, by surname or given name for Miss, Lady, Sir
  and the like ("Lady Maud" is Maud de Vere, "Sir Tobin" is the Tobin
  Brant once called Sir Tobin Brant);
* a bare name joins the person it stands for most of the time: "Quill" is Mr. Quill when
  Mr. Quill's mentions outnumber every other Quill's at least two to one. Where nobody
  dominates, a surname keeps a row of its own, named "Harlow family".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence

from reader.entities.evidence import strongly_a_place, used_as_place
from reader.entities.model import NAME_LABELS
from reader.entities.spans import Cluster, Span
from reader.entities.words import FEMALE_TITLES, GIVEN_NAME_TITLES, MALE_TITLES, NAME_SUFFIXES

__all__ = ["join_people", "person_forms"]

Join = Callable[[Cluster, Cluster], None]

_HE = re.compile(r"\b(?:he|him|his|himself)\b", re.I)
_SHE = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?]")
#: Among several candidates, a bare name needs this many votes to be given to one.
MIN_VOTES = 3
#: Titles of unmarried women: "Miss Quill" is a daughter, known by her own given name.
UNMARRIED_TITLES = frozenset({"miss", "mademoiselle", "mlle"})
#: Kinship words used as titles ("Aunt Lusk", "Uncle Toby"): by given name only.
KINSHIP_TITLES = frozenset({"aunt", "uncle"})
#: Titles said with a surname by which parents, not children, are called.
SURNAME_TITLES = frozenset({"mr", "mrs", "ms"})
#: Titles of married (or titled) women: "Mrs. Vane" is not a Miss Vane.
MARRIED_TITLES = frozenset({"mrs", "lady", "madame", "mme", "countess", "duchess", "baroness"})
#: A bare name joins the person of most mentions when that person has at least this many
#: times the mentions of the next one.
DOMINANCE = 2.0


def _title_gender(title: str) -> str:
    return "m" if title in MALE_TITLES else "f" if title in FEMALE_TITLES else ""


def _pronoun_gender(spans: Sequence[Span], text: str) -> str:
    """"m" or "f" when the pronouns after these mentions clearly say so."""
    he = she = 0
    for sp in spans[:80]:
        after = text[sp.end : sp.end + 120]
        stop = _SENTENCE_END.search(after)
        window = after[: stop.start()] if stop else after
        h, s = _HE.search(window), _SHE.search(window)
        if h and (not s or h.start() < s.start()):
            he += 1
        elif s:
            she += 1
    if he >= 2 and he >= 2 * she:
        return "m"
    if she >= 2 and she >= 2 * he:
        return "f"
    return ""


def person_forms(clusters: Iterable[Cluster]) -> list[Cluster]:
    """Root clusters of people whose name has two words or more and no title."""
    return [c for c in clusters if c.root() is c and c.group == "people" and not c.title
            and len(c.tokens) >= 2 and c.spans[0].label in NAME_LABELS]


def join_people(clusters: dict[str, Cluster], text: str, join: Join) -> None:
    """Join titled names and bare names to the full names they stand for."""
    full = person_forms(clusters.values())
    by_last: dict[str, set[Cluster]] = defaultdict(set)
    by_first: dict[str, set[Cluster]] = defaultdict(set)
    for p in full:
        t = p.tokens
        while len(t) > 2 and t[-1] in NAME_SUFFIXES:
            t = t[:-1]  # "Lloyd J. Austin III" is Austin
        by_first[t[0]].add(p)
        for i in range(1, len(t)):
            by_last[" ".join(t[i:])].add(p)  # "roe", "van auken"
    given_gender: dict[str, set[str]] = defaultdict(set)
    surname_genders: dict[str, set[str]] = defaultdict(set)
    for c in clusters.values():
        if g := _title_gender(c.title):
            surname_genders[c.base].add(g)
            if c.title in GIVEN_NAME_TITLES:
                given_gender[c.base].add(g)
    genders: dict[int, set[str]] = {}

    def gender(p: Cluster) -> set[str]:
        """What the full name's own titles, its given name's titles, or the pronouns
        after it (and after its given name, when no one else has it) say."""
        if id(p) not in genders:
            seen = {g for sp in p.spans if (g := _title_gender(sp.title))}
            seen |= given_gender.get(p.tokens[0], set())
            if not seen:
                bare = clusters.get(p.tokens[0])
                own = [*p.spans, *(bare.spans if bare and by_first[p.tokens[0]] == {p}
                                   else ())]
                if g := _pronoun_gender(own, text):
                    seen.add(g)
            genders[id(p)] = seen
        return genders[id(p)]

    def by_given_name(p: Cluster) -> bool:
        """Does the text call this person by the given name alone ("Ottilie")?"""
        bare = clusters.get(p.tokens[0])
        return bare is not None and len(bare.spans) >= 2 and by_first[p.tokens[0]] == {p}

    for c in list(clusters.values()):
        if c.title and c.root() is c:
            target = _titled_target(c, by_first, by_last, gender, surname_genders)
            if target is not None and c.title in SURNAME_TITLES and by_given_name(target) \
                    and not any(sp.title == c.title for sp in target.spans):
                # "Mrs. Lusk" is not the Ottilie Lusk the text calls Ottilie: a child
                # of the family is called by given name, its parents by title and surname
                target = None
            if target is not None:
                join(c, target)
    _join_bare(clusters, by_first, by_last, join)


def _titled_target(c: Cluster, by_first: dict[str, set[Cluster]],
                   by_last: dict[str, set[Cluster]], gender: Callable[[Cluster], set[str]],
                   surname_genders: dict[str, set[str]]) -> Cluster | None:
    """The full name a titled one-word name belongs to, or None.

    By given name ("Lady Maud", "Sir Tobin"): the one such full name not known as
    the other sex. By surname: the only full name of that surname (known as this sex if
    the text has both a man and a woman of that name), or among several the one that the
    text gives this very title ("Mr. Aldous Quill" for "Mr. Quill").
    """
    g = _title_gender(c.title)

    def fits(p: Cluster) -> bool:
        return not g or not gender(p) - {g}

    def same_title(pool: set[Cluster]) -> Cluster | None:
        same = [p for p in pool if any(sp.title == c.title for sp in p.spans)]
        return same[0] if len(same) == 1 else None

    if c.title in GIVEN_NAME_TITLES and (given := by_first.get(c.base)):
        cands = {p for p in given if fits(p)}
        if len(cands) == 1:
            return cands.pop()
        if cands:
            return same_title(cands)
    # "Miss Quill" is not the Lady Anne Quill of the text, "Mrs. Vane" not its Miss Vane
    if c.title in KINSHIP_TITLES:
        return None  # "Aunt Lusk" is the aunt, not the child whose full name the text gives
    state = _state(c.title)
    pool = {p for p in by_last.get(c.base, set()) if not state or not any(
        _state(sp.title) not in ("", state) for m in _members(p) for sp in m.spans)}
    if len(pool) > 1 and c.title in UNMARRIED_TITLES:
        # "Miss Quill": the one woman of that surname the text shows to be a woman
        known = [p for p in pool if gender(p) == {g}]
        if len(known) == 1:
            return known[0]
    if len(pool) == 2 and g:
        # "Mr. Dunmore", when the only other Dunmore is known as a woman
        rest = [p for p in pool if gender(p) - {g}]
        if len(rest) == 1:
            return next(p for p in pool if p is not rest[0])
    if len(pool) == 1:
        p = next(iter(pool))
        both_sexes = len(surname_genders.get(c.base, ())) > 1
        if fits(p) and (not both_sexes or not g or gender(p) == {g}):
            return p
        return None
    return same_title(pool) if pool else None


def _state(title: str) -> str:
    """"married" or "unmarried" for the titles of women that say so, else ""."""
    if title in UNMARRIED_TITLES:
        return "unmarried"
    return "married" if title in MARRIED_TITLES else ""


def _members(p: Cluster) -> list[Cluster]:
    """The clusters joined to ``p`` so far, ``p`` among them (a short walk: joins are few)."""
    return [p, *p.children]


def _join_bare(clusters: dict[str, Cluster], by_first: dict[str, set[Cluster]],
               by_last: dict[str, set[Cluster]], join: Join) -> None:
    """A bare one-word name into the person it mostly stands for, or a family row.

    Each bare mention stands for the candidate mentioned last before it (a full name or
    a titled form with this word); the candidate with twice the votes of any other takes
    the name. A surname no one dominates becomes a family row.
    """
    titled: dict[str, list[Cluster]] = defaultdict(list)
    for c in clusters.values():
        if c.title:
            titled[c.base].append(c)
    for c in list(clusters.values()):
        if (c.title or c.root() is not c or len(c.tokens) != 1
                or c.group == "other" and c.key not in by_last  # a surname the model
                or c.spans[0].label not in NAME_LABELS):  # called a nationality: "Scolese"
            continue
        owners = [o for o in (*titled.get(c.key, ()), *by_last.get(c.key, ()),
                              *by_first.get(c.key, ())) if o.root() is not c]
        if not owners:
            continue
        roots = {id(o.root()): o.root() for o in owners}
        votes = _recency_votes(c, owners) if len(roots) > 1 else Counter({next(iter(roots)): 1})
        (top, n1), *rest = votes.most_common()
        n2 = rest[0][1] if rest else 0
        given_name = c.key in by_first and c.key not in by_last
        if n1 >= DOMINANCE * n2 and (len(roots) == 1 or n1 >= MIN_VOTES) and (
                c.group == "people" or not (strongly_a_place(c) if given_name
                                            else used_as_place(c))):
            join(c, roots[top])
        elif len(roots) > 1 and (c.key in by_last or any(
                t.title not in GIVEN_NAME_TITLES for t in titled.get(c.key, ()))):
            c.mark_family()


def _recency_votes(c: Cluster, owners: list[Cluster]) -> Counter[int]:
    """For each mention of ``c``, the root of the candidate mentioned last before it (or
    first after it, before any)."""
    marks = sorted((sp.start, id(o.root())) for o in owners for sp in o.spans)
    starts = [m[0] for m in marks]
    votes: Counter[int] = Counter()
    for sp in c.spans:
        i = bisect_right(starts, sp.start) - 1
        votes[marks[max(i, 0)][1]] += 1
    return votes
