"""Rows from clusters: acronyms, surnames, titled and bare names, short forms joined to
the one name they stand for (docs/entities.md, steps 8 to 10)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from reader.entities.evidence import place_named, used_as_place
from reader.entities.model import NAME_LABELS
from reader.entities.names import APOS, fold, initials, is_acronym, org_like
from reader.entities.people import join_people
from reader.entities.spans import Cluster, Span
from reader.entities.structure import Regions
from reader.entities.words import COMPANY_SUFFIXES, NAME_SUFFIXES

__all__ = ["add_acronym_mentions", "add_surname_mentions", "merge_clusters"]

_CAPITAL_AFTER = re.compile(r"[ \t]+[A-Z]")
_CAPITAL_BEFORE = re.compile(r"[A-Z]\w*[ \t]+$")
_APOS_AFTER = re.compile(r"\s*[" + APOS + r"]")


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


def add_acronym_mentions(
    spans: list[Span], definitions: list[tuple[str, str]], text: str, skip: Regions
) -> list[Span]:
    """Mark every occurrence of a defined acronym, also where the model missed it, except
    in ``skip`` (captions and the like: no mention is there)."""
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
            if a not in seen and not covered(a, b) and a not in skip:
                seen.add(a)
                added.append(Span(text, a, b, label, added=True))
    if not added:
        return spans
    return sorted(spans + added, key=lambda sp: sp.start)


def add_surname_mentions(clusters: dict[str, Cluster], spans: list[Span], text: str,
                         skip: Regions) -> None:
    """Mark a full name's surname where the model missed it ("..., Hollis said"), except in
    ``skip``.

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
            if covered(a, b) or a in skip or (a > 0 and text[a - 1] in "-'’") \
                    or text[b : b + 1] == "-":
                continue
            if _CAPITAL_AFTER.match(text, b) or _CAPITAL_BEFORE.search(text, max(0, a - 24), a):
                continue  # part of a longer name the model did not see
            sp = Span(text, a, b, "PERSON", added=True)
            home = clusters.get(sp.key)
            if home is None:
                home = clusters[sp.key] = Cluster(sp.key)
                home.group = "people"
            home.add(sp)


def merge_clusters(
    clusters: dict[str, Cluster], definitions: Iterable[tuple[str, str]], text: str
) -> None:
    """Join the clusters that name one entity, in five steps, each on the joins before it."""
    names = [c for c in clusters.values() if c.spans[0].label in NAME_LABELS]
    by_key = {c.key: c for c in names}
    # 1. acronyms defined in brackets, either way round
    for acr, long in definitions:
        a, b = by_key.get(fold(acr)), by_key.get(long)
        if a is not None and b is not None:
            _join(a, b)
    # 2. an acronym whose letters are exactly the initials of one other name
    by_initials: dict[str, list[Cluster]] = defaultdict(list)
    for c in names:
        if c.group != "other":
            for ini in initials(c.name):
                by_initials[ini].append(c)
    for c in names:
        word = c.name.replace(".", "")
        if c.root() is c and is_acronym(c.name) and c.group != "other":
            cands = {x.root() for x in by_initials.get(word.upper(), []) if x is not c}
            cands = {x for x in cands if x.group == c.group or c.group == "people"}
            if len(cands) == 1:
                _join(c, cands.pop())
    # 3. titled names, and bare names, into the person they stand for (reader.entities.people)
    join_people(clusters, text, _join)
    # 4. a surname or part of a name into the one full PERSON name it belongs to
    _join_name_parts(names, clusters)
    # 5. a short form that starts exactly one longer name of the same group
    _join_short_forms(names)


def _join(short: Cluster, long: Cluster) -> None:
    """Join ``short``'s whole cluster to ``long``'s (nothing when they are one already)."""
    rs, rl = short.root(), long.root()
    if rs is not rl:
        rs.join_to(rl)


def _join_name_parts(names: list[Cluster], clusters: dict[str, Cluster]) -> None:
    """A surname or part of a name into the one full PERSON name it belongs to."""
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
                or is_acronym(c.name) or org_like(c.name)):
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
            _join(c, full.pop())
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
            _join(split, full.pop())


def _join_short_forms(names: list[Cluster]) -> None:
    """A short form that starts exactly one longer name of the same group."""
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
            _join(c, company.pop())
            continue
        if c.group == "people" and not (n == 1 and _nothing_said(c)):
            continue
        longer = {
            x.root()
            for x in firsts.get(c.tokens[0], ())
            if len(x.tokens) > n and x.tokens[:n] == c.tokens and (
                x.group == c.group and c.group != "people" or (
                # "Kestrel" for "Kestrel County", whatever the model made of the short form
                place_named(x.name) and x.group == "places" and not org_like(c.name)) or (
                # "at Corvane" for the Corvane Space Flight Center: nothing says otherwise
                n == 1 and x.group == "organizations" and _nothing_said(c)))
        }
        longer.discard(c)
        if len(longer) == 1:
            _join(c, longer.pop())


def _nothing_said(c: Cluster) -> bool:
    """No model label of a place and no cue of a person or a place for this name."""
    return not c.title and not any(
        sp.label in ("GPE", "LOC") or sp.cue in ("title", "speech", "place", "head")
        for sp in c.spans)
