"""The working data of resolution: a mention being judged (:class:`Span`) and the mentions
that share one name (:class:`Cluster`), joined into rows as a union-find forest."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from reader.entities.model import LABEL_GROUP
from reader.entities.words import TITLE_SPELLING

__all__ = ["Cluster", "Span", "TITLE_SEP", "name_and_key"]

_WS = re.compile(r"\s+")
#: Joins a title to a name in a cluster key ("mr\x01bennet"): no name holds it.
TITLE_SEP = "\x01"


@lru_cache(maxsize=16384)
def name_and_key(surface: str) -> tuple[str, str]:
    name = _WS.sub(" ", surface).strip()
    return name, name.casefold()


class Span:
    """A mention being worked on: a trimmed span and the evidence about it."""

    __slots__ = ("start", "end", "label", "vote", "weight", "cue", "name", "key", "added",
                 "title", "title_text")

    def __init__(self, text: str, start: int, end: int, label: str, *, added: bool = False):
        self.start = start
        self.end = end
        self.label = label
        self.vote = LABEL_GROUP.get(label, "other")  # the group this mention votes for
        self.weight = 1.0  # how much the vote counts: more when the words around agree
        self.cue = ""  # which words around it decided the vote: "title", "speech", "place"...
        self.name, self.key = name_and_key(text[start:end])
        self.added = added  # found in the text by a rule, not by the model
        self.title = ""  # the courtesy title or rank right before it, folded ("mr")
        self.title_text = ""  # that title as written ("Mr.")

    @property
    def cluster_key(self) -> str:
        """A one-word name keeps its title ("Mr. Harlow" is not "Mrs. Harlow")."""
        if self.title and " " not in self.key:
            return self.title + TITLE_SEP + self.key
        return self.key


class Cluster:
    """Spans with the same normalised name (and, outside names, the same label)."""

    __slots__ = ("key", "base", "title", "spans", "group", "parent", "children", "_name",
                 "family")

    def __init__(self, key: str) -> None:
        self.key = key
        title, _, base = key.rpartition(TITLE_SEP)
        self.title = title  # "mr" for the cluster of "Mr. Harlow"
        self.base = base  # the name without its title: "bennet"
        self.spans: list[Span] = []
        self.group = "other"
        self.parent: Cluster | None = None
        self.children: list[Cluster] = []  # clusters joined straight to this one
        self._name: str | None = None
        self.family = False  # a surname that several people share: named "X family"

    def mark_family(self) -> None:
        """A surname several people of the text share: a person row named "X family"."""
        self.family = True
        self.group = "people"
        self._name = None

    def join_to(self, other: Cluster) -> None:
        """Make ``other`` (a root) this cluster's row."""
        self.parent = other
        other.children.append(self)

    def root(self) -> Cluster:
        c = self
        while c.parent is not None:
            c = c.parent
        return c

    def add(self, sp: Span) -> None:
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
        name = max(pool, key=lambda f: (forms[f], len(f)))
        if self.title:
            written = Counter(sp.title_text for sp in self.spans if sp.title_text)
            title = TITLE_SPELLING.get(self.title) or (
                max(written, key=lambda t: (written[t], t)) if written else self.title.title())
            name = f"{title} {name}"
        elif self.family:
            name = f"{name} family"
        self._name = name
        return name

    @property
    def tokens(self) -> list[str]:
        return self.base.split()

    def votes(self) -> defaultdict[str, float]:
        """Each group's weight of evidence over this cluster's mentions."""
        out: defaultdict[str, float] = defaultdict(float)
        for sp in self.spans:
            out[sp.vote] += sp.weight
        return out
