"""People named after their office: "Secretary of Coastal Affairs Imre Zolnai".

Press releases name people behind long titles, and the small model reads the title and
the name as one organisation ("Coastal Affairs Imre Zolnai"), or sees only part
of the name ("Rafael" and "Duran" as places in "Admiral Rafael Ojeda Duran"). A run of
capitalised words that holds an office title is cut where the office ends: the name is
the run's last words that are no title, no portfolio word ("Security", "Finance"), no
word the text also writes in lower case, and no place or organisation the text names
elsewhere. Two such words at least make a person. "Mayor of Dravik" also names a place.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Container, Sequence

from reader.entities.mentions import WordIndex, word_index
from reader.entities.model import Mention
from reader.entities.words import ORG_WORDS, PORTFOLIO_WORDS, TITLE_WORDS, word_set

__all__ = ["office_holders", "offices_are_not_organisations"]

#: Titles of office that stand before a person's name.
OFFICE_TITLES = word_set(
    "secretary minister spokesperson spokesman spokeswoman administrator ambassador "
    "commissioner mayor director president governor senator chancellor admiral general "
    "undersecretary counselor counsellor advisor adviser chairman chairwoman chair chief "
    "attorney prosecutor judge premier envoy representative deputy head inspector "
    "superintendent sheriff colonel lieutenant captain major brigadier commander officer"
)
#: Offices whose "of X" is a place: "Mayor of Dravik", "Governor of Texas".
_PLACE_OFFICES = word_set("mayor governor premier")
_CONNECTORS = "of|the|for|de|del|la|las|los|y|van|von|der|da|di|du|al|bin|ibn"
_PART = r"(?:[A-Z]\.|[A-ZÀ-ÖØ-Þ][\w'’-]*)"
_RUN = re.compile(_PART + r"(?:[ \t]+(?:(?:" + _CONNECTORS + r")[ \t]+)*" + _PART + r")*")
_AFTER_OFFICE = re.compile(r"\b([A-Z][a-z]+)[ \t]+(?:to|of|for|at)[ \t]+(?:the[ \t]+)?$")
_CAPITALISED_OFFICES = sorted(t.capitalize() for t in OFFICE_TITLES)
_NOT_NAME = TITLE_WORDS | ORG_WORDS | PORTFOLIO_WORDS | OFFICE_TITLES


def office_holders(mentions: Sequence[Mention], text: str,
                   headlines: Container[int] = ()) -> list[Mention]:
    """``mentions`` with the people (and places) that office titles name, in place of the
    model's mentions that overlap them (not in ``headlines``, where every word is
    capitalised)."""
    lowered = text.lower()
    if not any(f" {t} " in lowered for t in ("secretary", "minister", "mayor", "ambassador",
                                             "administrator", "spokesperson", "admiral",
                                             "commissioner", "director", "governor")):
        return list(mentions)
    index = word_index(text)
    # (organisations not: the model also calls people behind titles organisations)
    others = sorted((m for m in mentions if m.label in ("GPE", "LOC", "FAC", "NORP")),
                    key=lambda m: m.start)
    other_starts = [m.start for m in others]
    named = Counter(w for m in others for w in m.text.split())
    found: list[Mention] = []
    for run in _office_runs(text, index):
        if run.start() in headlines:
            continue
        # the words of places and organisations named elsewhere than in this run
        near = others[bisect_left(other_starts, run.start() - 200):
                      bisect_left(other_starts, run.end())]
        inside = Counter(w for m in near if m.start < run.end() and run.start() < m.end
                         for w in m.text.split())
        elsewhere = {w for w, n in named.items() if n > inside[w]}
        tokens = [(t.start() + run.start(), t.group()) for t in re.finditer(r"\S+", run.group())]
        found.extend(_people_in_run(tokens, text, run.start(), index.lower, elsewhere))
    if not found:
        return list(mentions)
    found.sort(key=lambda m: m.start)
    starts = [f.start for f in found]
    ends = [f.end for f in found]

    def overlaps(m: Mention) -> bool:
        i = bisect_right(starts, m.end - 1) - 1
        return i >= 0 and ends[i] > m.start  # (the runs, and so the people, never overlap)

    kept = [m for m in mentions if not overlaps(m)]
    return sorted(kept + found, key=lambda m: (m.start, m.end))


def _office_runs(text: str, index: WordIndex) -> list[re.Match[str]]:
    """The capitalised runs that hold an office title or follow one ("Ambassador to the
    United States Esteban ..."): found from the titles' places in the word index, so a
    book costs little."""
    runs: dict[int, re.Match[str]] = {}
    offices = sorted((p, p + len(t)) for t in _CAPITALISED_OFFICES
                     for p in index.capitalised.get(t, ()))
    for start, end in offices:
        lo = max(0, start - 120)
        for run in _RUN.finditer(text, lo, min(len(text), end + 240)):
            if run.start() > end + 12:
                break
            holds = run.start() <= start < run.end()
            after = run.start() >= end and _AFTER_OFFICE.search(
                text, max(0, run.start() - 40), run.start())
            if (holds or after) and (run.start() > lo or lo == 0):
                runs.setdefault(run.start(), run)
    return [runs[k] for k in sorted(runs)]


def _people_in_run(tokens: list[tuple[int, str]], text: str, at: int, lower: set[str],
                   elsewhere: set[str]) -> list[Mention]:
    words = [w for _, w in tokens]
    office = max((i for i, w in enumerate(words) if w.casefold() in OFFICE_TITLES),
                 default=-1)
    before = _AFTER_OFFICE.search(text, max(0, at - 40), at)
    if office < 0 and not (before and before.group(1).casefold() in OFFICE_TITLES):
        return []
    rest = list(range(office + 1, len(words)))
    portfolio = 0
    if rest and words[rest[0]] in ("of", "for"):
        rest = rest[1:]
        if rest and words[rest[0]] == "the":
            rest = rest[1:]
        portfolio = 1  # "Minister of Finance Serhiy Marchenko": one word at least is the office's
    name: list[int] = []
    for i in reversed(rest[portfolio:]):
        w = words[i]
        if w in _CONNECTORS.split("|"):
            if name and words[name[-1]][:1].isupper():
                name.append(i)
                continue
            break
        if w.casefold() in _NOT_NAME or w.lower() in lower or w in elsewhere:
            break
        name.append(i)
    while name and not words[name[-1]][:1].isupper():
        name.pop()
    name.reverse()
    out: list[Mention] = []
    if sum(1 for i in name if len(words[i]) > 2) >= 2:
        a = tokens[name[0]][0]
        b = tokens[name[-1]][0] + len(words[name[-1]])
        out.append(Mention(a, b, text[a:b], "PERSON"))
        place = [i for i in rest if i < name[0]]
        if office >= 0 and words[office].casefold() in _PLACE_OFFICES and place:
            a2, b2 = tokens[place[0]][0], tokens[place[-1]][0] + len(words[place[-1]])
            out.append(Mention(a2, b2, text[a2:b2], "GPE"))
    return out


_OFFICE_OF_BEFORE = re.compile(
    r"\b(?i:" + "|".join(sorted(OFFICE_TITLES)) + r")[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?$")
_OFFICE_NEXT = re.compile(r"[ \t]+(?i:" + "|".join(sorted(OFFICE_TITLES)) + r")\b[ \t]+[A-Z]")
#: Words that belong to the title after them ("Press Secretary", "Foreign Minister").
_TITLE_MODIFIERS = word_set("press foreign home prime security defense defence deputy")


def offices_are_not_organisations(mentions: Sequence[Mention], text: str,
                                  org_like: Callable[[str], bool]) -> list[Mention]:
    """Drop what the model took for organisations inside office titles: a portfolio
    ("Secretary of Defense", "Minister for the Natural Environment") and the words before
    a title that name the office rather than an organisation ("White House Homeland
    Security Advisor Liz Sherwood-Randall"); "Pentagon Press Secretary" keeps Pentagon."""
    out: list[Mention] = []
    for m in mentions:
        if m.label == "ORG":
            if _OFFICE_OF_BEFORE.search(text, max(0, m.start - 40), m.start) and not org_like(
                    _strip_the(m.text)):
                continue
            if _OFFICE_NEXT.match(text, m.end, m.end + 40):
                words = m.text.split()
                if len(words) >= 2 and words[-1].casefold() in _TITLE_MODIFIERS:
                    end = m.start + m.text.rstrip().rfind(" ")
                    m = Mention(m.start, end, text[m.start : end], m.label)
                elif not org_like(_strip_the(m.text)) and not m.text.isupper():
                    continue  # (an acronym is an organisation's name: "USAID Deputy ...")
        out.append(m)
    return out


def _strip_the(name: str) -> str:
    return name[4:] if name[:4].casefold() == "the " else name
