"""An article file edited outside the reader keeps its library row, its notes count and
its reading place, and the library indexes it again in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import mentions_in
from textual.pilot import Pilot

from reader import nlp
from reader.document import Article, load
from reader.entities import resolve
from reader.library import Library
from reader.notes import new_note
from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.library import LibraryScreen

#: No such model is installed: every text this test opens is in the mention cache.
MODEL = "en_core_web_cached_only"
NAMES = (("Mara Quell", "PERSON"), ("Ivo Brandt", "PERSON"), ("Velmora", "GPE"))


def cache_mentions(article: Article) -> None:
    spans = [(m.start, m.end, m.label) for m in mentions_in(article.text, *NAMES)]
    nlp.save_cached(article.hash, MODEL, nlp.model_version(MODEL), spans)


async def until(pilot: Pilot[None], check: Any) -> Any:
    for _ in range(400):
        found = check()
        if found:
            return found
        await pilot.pause(0.05)
    raise AssertionError("never came true")


def top_text(screen: ArticleScreen) -> str:
    offset = screen.view.top_offset
    return screen.article.text[offset:offset + 40]


async def test_an_edited_file_keeps_its_row_notes_and_place_and_is_indexed_again(
        tmp_path: Path) -> None:
    path = tmp_path / "articles" / "report.txt"
    path.parent.mkdir()
    body = "\n\n".join(f"Part {i}: Mara Quell wrote from Velmora about item {i}. "
                       f"The second sentence of part {i} follows." for i in range(1, 60))
    path.write_text(f"Long Report\n\n{body}\n", encoding="utf-8")
    article = load(path)
    cache_mentions(article)
    store = Store(tmp_path / "notes.json")
    library = Library(store, folders=[path.parent], samples=False, index_path=tmp_path / "i")
    library.record(article, resolve(mentions_in(article.text, *NAMES), article.text))
    start = article.text.index("Part 3:")
    store.add_note(new_note(article, start, start + 7, "a note"))
    app = ReaderApp(None, store=store, library=library, model=MODEL)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await until(pilot, lambda: isinstance(app.screen, LibraryScreen)
                             and app.screen.loaded and app.screen)
        [row] = screen.entries
        assert (row.people, row.notes) == (1, 1)
        await pilot.press("enter")
        reading = await until(pilot, lambda: isinstance(app.screen, ArticleScreen)
                              and app.screen)
        await pilot.pause()
        reading.view.go_to_offset(article.text.index("Part 40:"))
        await pilot.pause()
        place = top_text(reading)
        assert place.startswith("Part 40:")

        # Edited outside the reader: a paragraph at the top, with a new name.
        path.write_text(f"Long Report\n\nIvo Brandt added this opening paragraph.\n\n{body}\n",
                        encoding="utf-8")
        edited = load(path)
        cache_mentions(edited)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        # the same row, its notes kept; indexed again in the background: Ivo Brandt counts
        row = await until(pilot, lambda: screen.entries and screen.entries[0].people == 2
                          and screen.entries[0])
        assert len(screen.entries) == 1
        assert (row.hash, row.path, row.notes) == (edited.hash, path, 1)
        assert library.stale() == []

        await pilot.press("enter")
        again = await until(pilot, lambda: isinstance(app.screen, ArticleScreen)
                            and app.screen)
        assert again.article.hash == edited.hash
        await until(pilot, lambda: top_text(again) == place)
    store.close()
