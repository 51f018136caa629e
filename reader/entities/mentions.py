"""Which capitalised words are names: drop the ones that are not, find the ones missed.

* A span made only of kinship words, forms of address, titles or interjections ("Papa",
  "Aunt", "Miss", "Ladyship", "Oh", "Well") is not a name.
* A one-word "name" that the text capitalises only where a sentence starts, and writes in
  lower case elsewhere, is a common word ("Nay", "Pray", "Hope" in "Hope you are well").
* Once a form is a row's name in a document, its other occurrences are mentions too (one
  name, every mention), with the same guards: not inside a longer capitalised name, not a
  lower-case word elsewhere that only a sentence start capitalises, not in a caption or a
  licence, and not a form two rows share.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from functools import lru_cache

from reader.entities.evidence import FAMILY_TITLES, attach_title, office_after
from reader.entities.model import NAME_LABELS
from reader.entities.spans import Cluster, Span, name_and_key
from reader.entities.structure import Regions
from reader.entities.words import INTERJECTIONS, KINSHIP_AND_ADDRESS, TITLE_WORDS, word_set

__all__ = ["WordIndex", "add_every_mention", "alias_mentions", "complete_names", "drop_non_names",
           "word_index"]

_NOT_NAMES = INTERJECTIONS | KINSHIP_AND_ADDRESS | FAMILY_TITLES
#: Words before a surname that make no full name with it.
OFFICE_WORDS = TITLE_WORDS | word_set("administrator undersecretary counselor advisor adviser")
_CAPITAL_WORD = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][\w'’-]*")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-zß-öø-ÿ][\w'’-]*")
_POSSESSIVE = re.compile(r"[’']s?$")
_MID_BEFORE = re.compile(r"[a-z0-9,;]")
_ROW_GROUPS = ("people", "organizations", "places")


class WordIndex:
    """Where each capitalised word of a text is, and which words it also writes in lower
    case: built once per text in one pass (a whole book in a fraction of a second)."""

    def __init__(self, text: str) -> None:
        self.capitalised: dict[str, list[int]] = defaultdict(list)
        self.lower: set[str] = set(_LOWER_WORD.findall(text))
        for m in _CAPITAL_WORD.finditer(text):
            w = m.group()
            if w[-1] in "'’" or w[-2:] in ("'s", "’s"):
                w = _POSSESSIVE.sub("", w)
            self.capitalised[w].append(m.start())

    def mid_sentence(self, text: str, word: str) -> int:
        """How often ``word`` stands capitalised in the middle of a sentence."""
        n = 0
        for p in self.capitalised.get(word, ()):
            before = text[max(0, p - 3) : p].rstrip(" \t\n\"“‘'(")
            if before and _MID_BEFORE.match(before[-1]):
                n += 1
        return n


@lru_cache(maxsize=2)
def word_index(text: str) -> WordIndex:
    return WordIndex(text)


def _not_a_name(name: str) -> bool:
    """Kinship, address, titles and interjections only; or a single letter ("I", the
    pronoun, which a span trimmed of its punctuation can come down to)."""
    words = name.replace(".", " ").split()
    if sum(c.isalnum() for c in name) < 2:
        return True
    return bool(words) and all(w.casefold().strip("’'") in _NOT_NAMES for w in words)


def drop_non_names(spans: list[Span], text: str) -> list[Span]:
    """The spans that name something (see the module docstring)."""
    index: WordIndex | None = None
    verdict: dict[str, bool] = {}
    out: list[Span] = []
    for sp in spans:
        if sp.label in NAME_LABELS and sp.label != "NORP":
            if _not_a_name(sp.name):
                continue
            if " " not in sp.name and not sp.title and sp.name[:1].isupper():
                ok = verdict.get(sp.name)
                if ok is None:
                    index = index or word_index(text)
                    ok = verdict[sp.name] = (sp.name.lower() not in index.lower
                                             or index.mid_sentence(text, sp.name) > 0)
                if not ok:
                    continue
        out.append(sp)
    return out


def add_every_mention(clusters: dict[str, Cluster], spans: list[Span], text: str,
                      skip: Regions, headlines: Regions) -> None:
    """Mark the other occurrences of every row's names (see the module docstring); in
    ``headlines`` every word is capitalised, so a capital next to a name says nothing."""
    owner: dict[tuple[str, str], Cluster | None] = {}  # (title, form) -> its one row's cluster
    for c in clusters.values():
        r = c.root()
        if r.group not in _ROW_GROUPS or c.spans[0].label not in NAME_LABELS:
            continue
        # a titled one-word name is found with its title: ("mr", "Harlow")
        forms = {(c.title, sp.name) for sp in c.spans if not sp.added}
        for form in forms:
            if form not in owner:
                owner[form] = c
            elif (prev := owner[form]) is not None and prev.root() is not r:
                owner[form] = None
    if not owner:
        return
    index = word_index(text)
    taken = sorted((sp.start, sp.end) for sp in spans)
    starts = [a for a, _ in taken]
    ends = [b for _, b in taken]
    added: list[Span] = []
    for (title, name), home in owner.items():
        if home is None or sum(c.isalpha() for c in name) < 2:
            continue
        first = name.split(" ", 1)[0]
        positions = index.capitalised.get(first)
        if not positions:
            continue
        common = " " not in name and name.lower() in index.lower
        for a in positions:
            b = a + len(name)
            if text[a:b] != name or (b < len(text) and (text[b].isalnum() or text[b] in "-_")):
                continue
            if a in skip or _covered(starts, ends, a, b) or (
                    a not in headlines and _inside_longer(text, a, b, index)):
                continue
            sp = Span(text, a, b, home.spans[0].label, added=True)
            attach_title(sp, text)
            if sp.title != title:
                continue  # "Mrs. Harlow" is not an occurrence of Mr. Harlow, nor of "Harlow"
            if common and not sp.title and not _mid_sentence(text, a):
                continue
            sp.vote = home.root().group
            home.add(sp)
            added.append(sp)
    if added:
        spans.extend(added)
        spans.sort(key=lambda sp: sp.start)


def _covered(starts: list[int], ends: list[int], a: int, b: int) -> bool:
    i = bisect_right(starts, b - 1) - 1
    if i >= 0 and ends[i] > a:
        return True
    j = bisect_left(starts, a)
    return j < len(starts) and starts[j] < b


_CAPITAL_WORD_BEFORE = re.compile(r"([A-Z][\w'’.-]*)[ \t]+$")


def _inside_longer(text: str, a: int, b: int, index: WordIndex) -> bool:
    """Is a capitalised word attached on either side ("Hollis Street", "Port Hollis")?
    A title before it is not, nor a common word that starts the sentence ("Then Hollis")."""
    after = text[b : b + 2]
    if after[:1] in (" ", "\t") and after[1:2].isupper():
        return True
    m = _CAPITAL_WORD_BEFORE.search(text, max(0, a - 24), a)
    if m is None:
        return False
    word = m.group(1).rstrip(".")
    if word.casefold() in FAMILY_TITLES or word.lower() in index.lower:
        return False
    # a word that opens the sentence ("Later Varda left") is no part of the name, unless
    # the text capitalises it mid-sentence too
    return _mid_sentence(text, m.start(1)) or index.mid_sentence(text, word) > 0


def _mid_sentence(text: str, a: int) -> bool:
    before = text[max(0, a - 3) : a].rstrip(" \t\n\"“‘'(")
    return bool(before) and bool(_MID_BEFORE.match(before[-1]))


_ALIAS_AFTER = re.compile(
    r",?\s+(?:also known as|also called|a/k/a|aka|known as|nicknamed|alias)\s+"
    r"[“\"]([^”\"\n]{2,40})[”\"](?:,?\s+(?:and|or)\s+[“\"]([^”\"\n]{2,40})[”\"])?", re.I)


def alias_mentions(spans: list[Span], text: str) -> list[tuple[str, str]]:
    """Names given as another name of a person: "Guochun He, also known as “Dong He” and
    “Jacky He”". Adds their spans and returns (alias, name key) pairs to be joined."""
    pairs: list[tuple[str, str]] = []
    added: list[Span] = []
    for sp in spans:
        if sp.label != "PERSON":
            continue
        m = _ALIAS_AFTER.match(text, sp.end, sp.end + 120)
        if m is None:
            continue
        for g in (1, 2):
            alias = (m.group(g) or "").rstrip(" ,;.")
            if alias[:1].isupper():
                a = m.start(g)
                added.append(Span(text, a, a + len(alias), "PERSON", added=True))
                pairs.append((alias, sp.key))
    if added:
        spans.extend(added)
        spans.sort(key=lambda sp: sp.start)
    return pairs


def complete_names(spans: list[Span], text: str, headlines: Regions) -> None:
    """"Ivo Brenn, District Attorney": the model found "Brenn" alone elsewhere and
    missed the full name here. A capitalised word right before a one-word person's name,
    that the text never writes in lower case and that is no title, makes the full name."""
    singles = {sp.name for sp in spans if sp.label == "PERSON" and " " not in sp.name
               and not sp.title and sp.name[:1].isupper()}
    if not singles:
        return
    index = word_index(text)
    named = {w for sp in spans if sp.label in ("GPE", "LOC", "ORG", "FAC", "NORP")
             for w in sp.name.split()}
    taken = sorted((sp.start, sp.end) for sp in spans)
    starts = [a for a, _ in taken]
    ends = [b for _, b in taken]
    by_start = {sp.start: sp for sp in spans}
    added: list[Span] = []
    for name in singles:
        for b in index.capitalised.get(name, ()):
            m = _GIVEN_BEFORE.search(text, max(0, b - 30), b)
            if m is None or b in headlines:
                continue
            w = m.group(1)
            if (w.lower() in index.lower or w.casefold() in _NOT_NAMES or w in named
                    or w.casefold() in OFFICE_WORDS):
                continue
            a = m.start(1)
            e = b + len(name)
            if not _mid_sentence(text, a) and not index.mid_sentence(text, w) and not (
                    office_after(text, e)):
                continue  # "Later Roe said": a sentence's first word, unless an office follows
            own = by_start.get(b)
            if _covered(starts, ends, a, b):
                continue  # the word before already belongs to a mention
            if own is not None and own.end == e:
                own.start = a  # the model's "Brenn" becomes "Ivo Brenn"
                own.name, own.key = name_and_key(text[a:e])
            elif not _covered(starts, ends, b, e):
                added.append(Span(text, a, e, "PERSON", added=True))
    if added:
        spans.extend(added)
    spans.sort(key=lambda sp: sp.start)


_GIVEN_BEFORE = re.compile(r"(?<![\w.’'-])([A-Z][a-z]{1,20})[ \t]+$")
