"""The reader's notes as a notes vault: which articles to export with which notes and rows,
and the library's entity pages beside them.

``reader export`` and the app's `X` both build their exports here and write them with
:func:`reader.export.export_article`, so the same folder gets the same files from either.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.document import Article
    from reader.entities import Entity
    from reader.export import EntityPages, ExportSettings
    from reader.library.catalogue import Library
    from reader.notes import PlacedNote
    from reader.store import Store

__all__ = ["ArticleRows", "NotesExport", "edited_pages", "notes_exports", "pages_written",
           "vault_exports"]

RowsOf = Callable[["Article"], "list[Entity] | None"]


@dataclass
class NotesExport:
    """One article's export to write: the article (or a stand-in when its file is gone),
    its source path, its placed notes and its entities (None: no entity index)."""

    article: Article
    source: str
    placed: list[PlacedNote]
    entities: list[Entity] | None
    gone: bool = False


@dataclass
class ArticleRows:
    """Each article's panel rows (mentions from the cache, or the model), with a model
    problem said once through ``warn``."""

    model: str | None
    corrections: list[dict[str, Any]] = field(default_factory=list)
    warn: Callable[[str], None] = lambda message: None
    workers: int | None = None
    """NER worker processes when a text is not cached (None: nlp decides)."""
    warned: list[str] = field(default_factory=list)

    def _say(self, message: str) -> None:
        if message not in self.warned:
            self.warned.append(message)
            self.warn(message)

    def of(self, article: Article) -> list[Entity] | None:
        from reader import nlp
        from reader.analysis import analyse

        if self.model is None:
            self._say(f"{nlp.ModelMissing()}; exporting without the entity index")
            return None
        try:
            mentions = nlp.article_mentions(article, self.model, workers=self.workers)
        except nlp.ModelMissing as exc:
            self._say(f"{exc}; exporting without the entity index")
            return None
        return analyse(article, mentions, self.corrections)


def _one(store: Store, stored: list[dict[str, Any]], article: Article, source: str,
         rows_of: RowsOf) -> NotesExport:
    from reader import notes as notes_model

    rows = rows_of(article)
    names = ([n for e in rows for n in (e.name, *e.aliases)] if rows is not None
             else notes_model.entity_names_in(stored, article.text))
    return NotesExport(article, source, notes_model.notes_for(store, article, names), rows)


def notes_exports(store: Store, stored: list[dict[str, Any]], articles: Sequence[Article],
                  rows_of: RowsOf, *, every: bool, also: Sequence[Path] = ()
                  ) -> list[NotesExport]:
    """The exports of ``articles``, then (``every``) of each other article that has notes
    in ``stored`` (the store's notes), then of each article of ``also`` not exported yet
    (its notes, if any); an article with notes whose file is gone or unreadable gets its
    notes as orphans, from the note data alone; one of ``also`` without notes is left out."""
    from reader import notes as notes_model
    from reader.document import Article, ArticleError, load
    from reader.export import source_path

    out: list[NotesExport] = []
    done: set[str] = set()
    for article in articles:
        source = source_path(article.path)
        done.add(source)
        out.append(_one(store, stored, article, source, rows_of))
    if not every:
        return out
    for path, group in sorted(notes_model.group_by_article(stored).items()):
        if not path or path in done:
            continue
        done.add(path)
        try:
            article = load(path)
        except ArticleError as exc:
            ref = group[0].get("article") or {}
            stand_in = Article(path=Path(path), text="", encoding="utf-8",
                               hash=str(ref.get("hash") or ""), blocks=[],
                               title=str(ref.get("title") or Path(path).stem))
            placed = [notes_model.orphaned(n, f"cannot read the article: {exc}")
                      for n in group]
            out.append(NotesExport(stand_in, path, placed, None, gone=True))
            continue
        out.append(_one(store, stored, article, path, rows_of))
    for extra in also:
        source = source_path(extra)
        if source in done:
            continue
        done.add(source)
        try:
            article = load(extra)
        except ArticleError:
            continue
        out.append(_one(store, stored, article, source, rows_of))
    return out


def vault_exports(folder: Path, library: Library, store: Store,
                  stored: list[dict[str, Any]], articles: Sequence[Article],
                  rows_of: RowsOf, settings: ExportSettings
                  ) -> tuple[EntityPages, list[NotesExport]]:
    """An export with entity pages: writes the library's pages into ``folder`` and gives
    the article exports to write beside them: ``articles``, every article that has notes
    and every article a page links to, so that each ``[[link]]`` names a file of the
    export (an article that cannot be read is named on the pages without a link).
    Raises :class:`reader.export.ExportError`."""
    from reader.export import library_entities, linked_articles, source_path, write_entity_pages

    entities = library_entities(library, stored, library.entity_aliases())
    jobs = notes_exports(store, stored, articles, rows_of, every=True,
                         also=linked_articles(entities, stored))
    exported = {source_path(job.source) for job in jobs}
    return write_entity_pages(folder, entities, stored, settings, exported), jobs


def pages_written(pages: EntityPages, folder: Path) -> str:
    """One line: how many entity pages were written into ``folder``."""
    n = len(pages.written)
    return (f"wrote {n} entity page{'s' if n != 1 else ''} in {folder} "
            f"({len(pages.unchanged)} unchanged)")


def edited_pages(pages: EntityPages) -> list[str]:
    """One line per page written beside a page the user edited."""
    return [f"{mine.name} was edited since the last export; wrote {new.name}"
            for mine, new in pages.beside]
