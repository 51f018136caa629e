"""What the words around a mention say about what it names.

The small model's label is one vote per mention. The text around a mention is often
surer: a courtesy title or a verb of speech next to a name makes it a person ("said
Ilse", "Mrs. Rudd"); a preposition of place before it makes it a place ("in Marlow", "at
Keswith"); the last word of the name can say it outright ("Brant Lodge", "Kestrel
County", "Finance Ministry"). Each cue adds weight to the group it points to, so that a
row's group is decided by the evidence of all its mentions together.
"""

from __future__ import annotations

import re
from collections import defaultdict

from reader.entities.spans import Cluster, Span
from reader.entities.words import (
    FEMALE_TITLES,
    MALE_TITLES,
    OFFICE_TAILS,
    PERSONAL_VERBS,
    PLACE_WORDS,
    RANK_TITLES,
    SPEECH_VERBS,
)

__all__ = ["FAMILY_TITLES", "attach_title", "group_votes", "office_after", "place_named",
           "strongly_a_place", "used_as_place", "weigh"]

#: Titles that make a one-word name a person of its own ("Mr. Harlow", "Colonel Sennet").
FAMILY_TITLES = MALE_TITLES | FEMALE_TITLES | RANK_TITLES

_TITLE_BEFORE = re.compile(r"(?:^|(?<=[\s“\"‘'(\[—–-]))([A-Z][a-z]{0,11})(\.?)\s+$")
_SPEECH_BEFORE = re.compile(
    r"[,”\"’!?—–-]\s*(?:" + "|".join(sorted(SPEECH_VERBS)) + r")\s+$")
_SPEECH_AFTER = re.compile(r"\s+(?:" + "|".join(sorted(PERSONAL_VERBS)) + r")\b")
_STRONG_PLACE_BEFORE = re.compile(
    r"\b(?:in|into|near|throughout|within|outside|towards|toward|across|around)\s+$")
_WEAK_PLACE_BEFORE = re.compile(r"\b(?:at|from|to|reached|visit|visited|visiting|leave|"
                                r"left|reach|via)\s+$")
_POSSESSIVE_AFTER = re.compile(r"[’']s?\b")
_CAPITAL_NEXT = re.compile(r"[ \t]+[A-Z]")
#: A wire story's credits name people: "(Reporting by Costas Pitas; Editing by ...)".
_CREDIT_BEFORE = re.compile(
    r"\b(?:reporting|editing|writing|compiled|photos?|photograph|additional reporting)"
    r"\s+by\s+(?:[A-Z][\w'’.-]*\s+)*$", re.I)
#: "Tarik Osei Mbah, Undersecretary of ...": an office after the name, in apposition.
_OFFICE_AFTER = re.compile(
    r",\s+(?:the\s+)?(?:[A-Z][a-z]+\s+){0,2}(?:" + "|".join(sorted(OFFICE_TAILS)) + r")\b",
    re.I)

#: Weights: a cue is worth more than one model label, a strong cue more than a weak one.
TITLE_WEIGHT = 3.0
SPEECH_WEIGHT = 3.0
STRONG_PLACE_WEIGHT = 2.0
WEAK_PLACE_WEIGHT = 1.0
HEAD_WORD_WEIGHT = 5.0


def attach_title(sp: Span, text: str) -> None:
    """Note the courtesy title or rank written right before the name ("Mr." in "Mr.
    Harlow"), which the trimmed span no longer holds."""
    m = _TITLE_BEFORE.search(text, max(0, sp.start - 16), sp.start)
    if m is None:
        return
    key = m.group(1).casefold()
    if key in FAMILY_TITLES:
        sp.title = key
        sp.title_text = m.group(1) + m.group(2)


def place_named(name: str) -> bool:
    """Does the name end in a word for a place ("Brant Lodge", "Kestrel County")?"""
    words = name.split()
    return len(words) >= 2 and words[-1].rstrip(".").casefold() in PLACE_WORDS


def weigh(sp: Span, text: str, *, acronym: bool) -> None:
    """Set the mention's vote and weight from the words around it."""
    if sp.title:
        sp.vote, sp.weight, sp.cue = "people", TITLE_WEIGHT, "title"
        return
    if place_named(sp.name):
        sp.vote, sp.weight, sp.cue = "places", HEAD_WORD_WEIGHT, "head"
        return
    if acronym:
        return
    before = text[max(0, sp.start - 24) : sp.start]
    if " " in sp.name and (office_after(text, sp.end) or _CREDIT_BEFORE.search(before)):
        sp.vote, sp.weight, sp.cue = "people", TITLE_WEIGHT, "title"
    elif _SPEECH_BEFORE.search(before) and not _CAPITAL_NEXT.match(text, sp.end, sp.end + 3):
        sp.vote, sp.weight, sp.cue = "people", SPEECH_WEIGHT, "speech"
    elif _POSSESSIVE_AFTER.match(text, sp.end, sp.end + 2):
        return  # "in Smith's view": the preposition is about something else
    elif _STRONG_PLACE_BEFORE.search(before):
        sp.vote, sp.weight, sp.cue = "places", STRONG_PLACE_WEIGHT, "place"
    elif _SPEECH_AFTER.match(text, sp.end, sp.end + 24):
        sp.vote, sp.weight, sp.cue = "people", SPEECH_WEIGHT, "speech"
    elif _WEAK_PLACE_BEFORE.search(before):
        if sp.vote in ("organizations", "people"):
            sp.cue = "near"  # "from Reuters", "from Tobias Wrenfield": counted only in bulk
        else:
            sp.vote, sp.weight, sp.cue = "places", WEAK_PLACE_WEIGHT, "near"


def group_votes(c: Cluster) -> defaultdict[str, float]:
    """The cluster's votes, where a one-word name that most of its mentions (three at
    least) follow "at", "to" or "from" counts as a place whatever the model called it:
    "at Keswith" again and again is a house; "a statement from Reuters" or "a letter
    to Tamsin" once is not."""
    votes = c.votes()
    near = [sp for sp in c.spans if sp.cue == "near" and sp.vote in ("organizations", "people")]
    if len(near) >= 3 and len(near) * 2 >= len(c.spans) and " " not in c.base:
        for sp in near:
            votes[sp.vote] -= sp.weight
            votes["places"] += WEAK_PLACE_WEIGHT
    return votes


def office_after(text: str, end: int) -> bool:
    """Is the name ending at ``end`` followed by an office in apposition (", Director")?"""
    return _OFFICE_AFTER.match(text, end, end + 60) is not None


def strongly_a_place(c: Cluster) -> bool:
    """Do prepositions of place, not just the model's labels, say this name is a place?
    (The given name of a person the text names in full is that person unless they do.)"""
    place = sum(1 for sp in c.spans if sp.cue == "place")
    person = sum(1 for sp in c.spans if sp.cue in ("title", "speech"))
    return place >= 2 and place > person


def used_as_place(c: Cluster) -> bool:
    """Does the text use this name for a place? Prepositions of place ("in Jordan") beat
    person cues; without person cues, the model's labels decide ("Georgia" the state)."""
    place = sum(1 for sp in c.spans if sp.cue == "place")
    person = sum(1 for sp in c.spans if sp.cue in ("title", "speech"))
    if place > person:
        return True
    if person:
        return False
    votes = c.votes()
    return votes["places"] >= 2 and votes["places"] * 2 > sum(votes.values())
