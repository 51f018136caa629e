"""One journey for every caller: an article and its NER mentions become its panel rows.

The app, the command line and the library index all turn mentions into rows here, so
each of them sees the same rows for the same text.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.document import Article
from reader.entities import Entity, Mention, resolve

__all__ = ["article_entities"]


def article_entities(article: Article, mentions: Sequence[Mention]) -> list[Entity]:
    """The panel rows of ``article`` from the model's ``mentions`` (sorted by start), with
    what the article model knows: its bylines and the blocks that are not prose."""
    return resolve(mentions, article.text, article.bylines, article.structure)
