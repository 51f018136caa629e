"""What the entity layer hands on: a :class:`Mention` of a name (the plain span NER hands
up, defined in :mod:`reader.nlp.spans`) and an :class:`Entity` row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reader.nlp.spans import Mention

__all__ = ["GROUPS", "NAME_LABELS", "Entity", "Mention", "entity_to_json", "group_of"]

GROUPS = ("people", "organizations", "places", "other")

#: Labels that name something (and so go through normalisation and merging).
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})

LABEL_GROUP = {
    "PERSON": "people",
    "PER": "people",
    "ORG": "organizations",
    "GPE": "places",
    "LOC": "places",
    "FAC": "places",
}
#: The label a row gets when its group was decided against every mention's own label.
GROUP_LABEL = {"people": "PERSON", "organizations": "ORG", "places": "GPE", "other": "NORP"}


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
    return LABEL_GROUP.get(label.upper(), "other")


def entity_to_json(e: Entity) -> dict[str, Any]:
    return {
        "name": e.name,
        "group": e.group,
        "label": e.label,
        "aliases": list(e.aliases),
        "count": e.count,
        "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in e.mentions],
    }


