"""One journey for every caller: an article, its NER mentions and the reader's corrections
become its panel rows.

The app, the command line and the library index all turn mentions into rows here, so
each of them sees the same rows for the same text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reader.document import Article
from reader.entities import Entity, Mention, resolve
from reader.nlp.spans import Span

__all__ = ["analyse", "article_entities", "corrected", "mentions_of"]


def mentions_of(text: str, spans: Iterable[Span]) -> list[Mention]:
    """``(start, end, label)`` spans of ``text`` (as the mention cache keeps them) as
    mentions."""
    return [Mention(s, e, text[s:e], label) for s, e, label in spans]


def article_entities(article: Article, mentions: Sequence[Mention]) -> list[Entity]:
    """The panel rows of ``article`` from the model's ``mentions`` (sorted by start), with
    what the article model knows: its bylines and the blocks that are not prose."""
    return resolve(mentions, article.text, article.bylines, article.structure)


def corrected(article: Article, entities: list[Entity],
              corrections: Iterable[Mapping[str, Any]]) -> list[Entity]:
    """``entities`` with the reader's ``corrections`` applied (every stored one: those for
    other articles are passed over); ``entities`` itself is not changed. For a caller that
    keeps the resolved rows to apply changed corrections again without resolving anew."""
    corrections = list(corrections)
    if not corrections:
        return entities
    from reader.corrections import apply_corrections

    return apply_corrections(entities, corrections, article.text, article.hash)


def analyse(article: Article, mentions: Sequence[Mention],
            corrections: Iterable[Mapping[str, Any]] = ()) -> list[Entity]:
    """The panel rows of ``article``: its ``mentions`` (sorted by start) resolved, then the
    reader's ``corrections`` applied."""
    return corrected(article, article_entities(article, mentions), corrections)
