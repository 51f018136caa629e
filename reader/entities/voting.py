"""Each mention's vote and each cluster's group: the words around a name, the lists it
stands in, the full names it ends, the names it stands beside (docs/entities.md, step 7
and step 10)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from reader.entities.evidence import (
    HEAD_WORD_WEIGHT,
    STRONG_PLACE_WEIGHT,
    TITLE_WEIGHT,
    group_votes,
    weigh,
)
from reader.entities.model import NAME_LABELS
from reader.entities.names import APOS, is_acronym, is_title, org_like
from reader.entities.spans import Cluster, Span
from reader.entities.words import NOT_TITLES_BEFORE, PERSONAL_NOUNS, ROLE_NOUNS, RULER_NOUNS

__all__ = ["decide_group", "group_by_company", "surname_evidence", "vote_by_context"]

_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:(?:and|or|&)\s+)?|\s(?:and|or|&)\s+)(?:the\s+)?$", re.I)
_WORD_BEFORE = re.compile(r"(?<![A-Za-z])([A-Za-z]+)\.?,?\s+$")
_PERSONAL_AFTER = re.compile(r"[" + APOS + r"]s\s+(?:" + "|".join(PERSONAL_NOUNS) + r")\b")
_RULER_AFTER = re.compile(r"\s+(?:" + "|".join(RULER_NOUNS) + r")\b")
_THE_BEFORE = re.compile(r"\bthe\s+$", re.I)
_CONJUNCTION = re.compile(r"\b(?:and|or)\b|&", re.I)


def surname_evidence(clusters: dict[str, Cluster]) -> None:
    """A full name ending in a surname that titles show to be a family's ("Ilse Harlow",
    when the text has "Mr. Harlow") is a person's, whatever the model read there."""
    bases = {c.base for c in clusters.values() if c.title}
    if not bases:
        return
    for c in clusters.values():
        if c.title or len(c.tokens) < 2 or c.tokens[-1] not in bases:
            continue
        for sp in c.spans:
            if sp.label in NAME_LABELS and sp.vote != "organizations" and sp.vote != "other" \
                    or sp.label == "ORG" and not org_like(sp.name):
                sp.vote, sp.weight = "people", TITLE_WEIGHT


def vote_by_context(spans: list[Span], text: str) -> None:
    """Adjust single mentions' votes from the words around them."""
    for sp in spans:
        if sp.label not in NAME_LABELS:
            continue
        if org_like(sp.name) and not sp.title:
            sp.vote, sp.weight = "organizations", HEAD_WORD_WEIGHT
        elif sp.label == "NORP":
            sp.vote = "other"
        elif is_acronym(sp.name):  # one word: an acronym holds no space
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
    """"Orlen in Vasshire", "Tarn in Keldshire": a one-word name with
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
        if word[:1].isupper() and is_title(word, full_words=True):
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


def decide_group(c: Cluster) -> str:
    if c.spans[0].label not in NAME_LABELS:
        return "other"
    votes = group_votes(c)  # never empty: the cluster has a mention
    # on a tie, the model's habit decides: an unknown capitalised word is most often
    # guessed PERSON, so a tie between people and anything else goes to the other side
    order = {g: i for i, g in enumerate(("places", "organizations", "people", "other"))}
    return max(votes, key=lambda g: (votes[g], -order[g]))


_PAIR_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or|&)\s+)$")


def group_by_company(clusters: dict[str, Cluster], spans: list[Span], text: str) -> None:
    """A one-word name said again and again beside the names of one group ("Ysolde and
    Ottilie", "Ysolde, Brannoc") is of that group: a row of the other kind takes it when at
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
