"""Entity rows from raw NER mentions: pure Python on plain data (no spaCy, no Textual).

:func:`resolve` turns the model's mentions (character spans into the article's source text)
into the rows of the side panel; ``docs/entities.md`` says how it decides.
"""

from reader.entities.model import GROUPS, NAME_LABELS, Entity, Mention, entity_to_json, group_of
from reader.entities.resolve import byline_mentions, resolve

__all__ = ["GROUPS", "NAME_LABELS", "Entity", "Mention", "byline_mentions", "entity_to_json",
           "group_of", "resolve"]
