"""Pilot tests: an article opened at a place (a note, the saved reading position) has its
reading cursor on the sentence at that place, whether or not the page had to scroll to it,
so the status line names the note and `a` quotes that sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import mentions_in
from test_library_ui import top_screen
from textual.pilot import Pilot
from textual.widgets import Static

from reader import nlp
from reader.document import Article, load
from reader.entities import resolve
from reader.library import Library
from reader.notes import new_note
from reader.sentences import sentence_spans
from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.all_notes import AllNotesScreen
from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.dialogs import ChoiceScreen
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.note_editor import NoteEditor

SHORT = ("Harbour Board Delays Vote\n\n"
         "The Harbour Board met on Monday. Its chair said the vote would wait. "
         "Nobody objected.\n\nThe board meets again in May.\n")


@pytest.fixture(autouse=True)
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)


def sentence(article: Article, block: int, index: int) -> tuple[int, int]:
    """Source (start, end) of sentence ``index`` of ``block``."""
    b = article.blocks[block]
    s, e = sentence_spans(b.text)[index]
    return b.to_source(s), b.to_source_end(e)


def short_article(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    path = folder / "harbour.txt"
    path.write_text(SHORT, encoding="utf-8")
    return path


async def article_opened(pilot: Pilot[None]) -> ArticleScreen:
    screen = await top_screen(pilot, ArticleScreen)
    assert isinstance(screen, ArticleScreen)
    for _ in range(400):
        if screen.view.cursor is not None:
            break
        await pilot.pause(0.05)
    await pilot.pause()
    return screen


async def open_from_all_notes(pilot: Pilot[None]) -> ArticleScreen:
    library = await top_screen(pilot, LibraryScreen)
    for _ in range(400):
        if library.loaded:
            break
        await pilot.pause(0.05)
    await pilot.press("n")
    await top_screen(pilot, AllNotesScreen)
    await pilot.pause()
    await pilot.press("enter")  # the search box opens the first (only) note
    return await article_opened(pilot)


def status(screen: ArticleScreen) -> str:
    return str(screen.query_one("#status", Static).render())


async def test_a_note_on_the_first_screen_opened_from_all_notes_has_the_cursor(
        tmp_path: Path) -> None:
    path = short_article(tmp_path)
    article = load(path)
    start, end = sentence(article, 1, 1)
    assert article.text[start:end] == "Its chair said the vote would wait."
    store = Store(tmp_path / "notes.json")
    store.add_note(new_note(article, start, end, "ask who chairs it"))
    app = ReaderApp(None, store=store, library=Library(store, folders=[path.parent]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_all_notes(pilot)
        assert screen.view.scroll_y == 0  # the whole text fits: nothing to scroll
        passage = screen.view.passage()
        assert passage is not None and passage[0] <= start < passage[1]
        assert "ask who chairs it" in status(screen)
        await pilot.press("a")
        editor = await top_screen(pilot, NoteEditor)
        assert "Its chair said the vote would wait." in editor.quote
    store.close()


async def test_a_note_deep_in_a_long_text_still_has_the_cursor(
        sample: Path, tmp_path: Path) -> None:
    article = load(sample)
    deep = next(i for i, b in enumerate(article.blocks)
                if i > len(article.blocks) // 2 and len(sentence_spans(b.text)) > 2)
    start, end = sentence(article, deep, 1)
    store = Store(tmp_path / "notes.json")
    store.add_note(new_note(article, start, end, "a deep note"))
    app = ReaderApp(None, store=store, library=Library(store, folders=[sample.parent]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_all_notes(pilot)
        assert screen.view.scroll_y > 0
        passage = screen.view.passage()
        assert passage is not None and passage[0] <= start < passage[1]
        assert "a deep note" in status(screen)
        block, s, e = screen.view.cursor or (0, 0, 0)
        assert set(screen.view.lines_of(block, s, e)) & set(screen.view.visible_lines())
    store.close()


async def test_a_saved_position_on_the_first_screen_has_the_cursor(tmp_path: Path) -> None:
    path = short_article(tmp_path)
    article = load(path)
    start, _ = sentence(article, 2, 0)
    assert article.text[start:].startswith("The board meets again")
    store = Store(tmp_path / "notes.json")
    store.set_position(article.hash, start, str(path))
    app = ReaderApp(None, store=store, library=Library(store, folders=[path.parent]))
    async with app.run_test(size=(80, 24)) as pilot:
        library = await top_screen(pilot, LibraryScreen)
        for _ in range(400):
            if library.loaded:
                break
            await pilot.pause(0.05)
        await pilot.press("enter")
        screen = await article_opened(pilot)
        assert screen.view.scroll_y == 0
        assert screen.view.passage() == sentence(article, 2, 0)
    store.close()


async def test_another_article_opened_at_a_mention_has_the_cursor_on_it(
        tmp_path: Path) -> None:
    path = short_article(tmp_path)
    other = path.parent / "rail.txt"
    other.write_text("Rail Link Opens\n\nThe line opened on Friday. The Harbour Board "
                     "paid for it.\n", encoding="utf-8")
    store = Store(tmp_path / "notes.json")
    library = Library(store, folders=[path.parent])
    for article in (load(path), load(other)):
        library.record(article, resolve(mentions_in(article.text, ("Harbour Board", "ORG")),
                                        article.text))
    harbour = load(path)
    app = ReaderApp(harbour, store=store, library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        await article_opened(pilot)
        app.show_appearances("Harbour Board", exclude=harbour.hash)
        await top_screen(pilot, ChoiceScreen)
        await pilot.press("enter")
        for _ in range(400):
            if isinstance(app.screen, ArticleScreen) and app.screen.article.title \
                    == "Rail Link Opens":
                break
            await pilot.pause(0.05)
        rail = await article_opened(pilot)
        passage = rail.view.passage()
        assert passage is not None
        assert rail.article.text[passage[0]:passage[1]] == "The Harbour Board paid for it."
    store.close()
