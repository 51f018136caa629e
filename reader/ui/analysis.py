"""The one way the interface turns an article's mentions into the entities it shows:
mentions -> resolve -> the reader's corrections (the panel's rows, the page's highlights)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from reader.analysis import article_entities
from reader.document import Article
from reader.entities import Entity, Mention

if TYPE_CHECKING:
    from reader.store import Store


def _by_start(m: Mention) -> tuple[int, int]:
    return m.start, m.end


def analyse(article: Article, mentions: Iterable[Mention],
            corrections: Sequence[Mapping[str, Any]] = ()) -> list[Entity]:
    """The article's entities from its mentions, with ``corrections`` applied (none: as
    resolved from the text; a worker thread resolves, the screen corrects)."""
    return corrected(article, article_entities(article, sorted(mentions, key=_by_start)),
                     corrections)


def corrected(article: Article, entities: list[Entity],
              corrections: Sequence[Mapping[str, Any]]) -> list[Entity]:
    """Resolved ``entities`` with the reader's ``corrections`` applied."""
    if not corrections:
        return entities
    from reader.corrections import apply_corrections

    return apply_corrections(entities, corrections, article.text, article.hash)


def store_corrections(store: Store | None) -> list[dict[str, Any]]:
    """The corrections kept in ``store`` (none without a store)."""
    return store.corrections() if store is not None else []
