"""Pilot tests: the library screen, notes across it, `i` and the command palette."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import mentions_in, wait_for_entities
from textual.pilot import Pilot

from reader.document import load
from reader.entities import resolve
from reader.library import Library
from reader.notes import new_note
from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.dialogs import ChoiceScreen
from reader.ui.screens.library import LibraryScreen

FIRST = ("Harbour Board Delays Vote\n\nBy Tomasz Wrona\n\n"
         "The Harbour Board met in Valparaiso on Monday. Ines Duarte, who chairs it, said "
         "the vote would wait.\n\nDuarte spoke for an hour.\n")
SECOND = ("Rail Link Opens\n\nThe new line from Valparaiso to Santiago opened on Friday. "
          "Ines Duarte cut the ribbon.\n")


def folder_of_two(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "harbour.txt").write_text(FIRST, encoding="utf-8")
    (folder / "rail.md").write_text(SECOND, encoding="utf-8")
    return folder


def indexed(store: Store, folder: Path) -> Library:
    """A library of the two articles, indexed from hand-made mentions (no model needed)."""
    library = Library(store, folders=[folder])
    for path, names in ((folder / "harbour.txt", (("Ines Duarte", "PERSON"),
                                                   ("Duarte", "PERSON"),
                                                   ("Valparaiso", "GPE"),
                                                   ("Harbour Board", "ORG"))),
                        (folder / "rail.md", (("Ines Duarte", "PERSON"), ("Valparaiso", "GPE"),
                                              ("Santiago", "GPE")))):
        article = load(path)
        library.record(article, resolve(mentions_in(article.text, *names), article.text))
    return library


async def library_loaded(pilot: Pilot[None]) -> LibraryScreen:
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    for _ in range(400):
        if screen.loaded:
            break
        await pilot.pause(0.05)
    await pilot.pause()
    return screen


async def top_screen(pilot: Pilot[None], kind: type[Any]) -> Any:
    for _ in range(400):
        if isinstance(pilot.app.screen, kind):
            return pilot.app.screen
        await pilot.pause(0.05)
    raise AssertionError(f"{kind.__name__} never came up; top is {pilot.app.screen}")


async def test_library_lists_the_sample_first_row_selected_enter_opens_escape_returns(
        sample: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "notes.json")
    app = ReaderApp(None, store=store, library=Library(store))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await library_loaded(pilot)
        title = load(sample).title
        assert [e.title for e in screen.entries] == [title]
        assert screen.rows.highlighted == 0 and screen.rows.has_focus
        await pilot.press("enter")
        article = await top_screen(pilot, ArticleScreen)
        assert article.article.title == title
        await pilot.press("escape")
        await top_screen(pilot, LibraryScreen)
    store.close()


async def test_escape_in_an_article_first_leaves_the_search_then_returns(
        sample: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "notes.json")
    app = ReaderApp(None, store=store, library=Library(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await library_loaded(pilot)
        await pilot.press("enter")
        article = await top_screen(pilot, ArticleScreen)
        await pilot.pause()
        await pilot.press("slash", *"the", "enter")
        assert article.view.match_count > 0
        await pilot.press("escape")
        assert app.screen is article and not article.view.match_count
        await pilot.press("escape")
        await top_screen(pilot, LibraryScreen)
    store.close()


async def test_a_file_opened_directly_does_not_leave_on_escape(sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("escape")
        assert app.screen is screen


async def test_rows_show_counts_notes_and_the_filter_narrows_them(tmp_path: Path) -> None:
    store = Store(tmp_path / "notes.json")
    folder = folder_of_two(tmp_path)
    library = indexed(store, folder)
    harbour = load(folder / "harbour.txt")
    store.add_note(new_note(harbour, 4, 16, "check the minutes #board"))
    app = ReaderApp(None, store=store, library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await library_loaded(pilot)
        shown = {e.title: e for e in screen.entries}
        assert shown["Harbour Board Delays Vote"].people == 1
        assert shown["Harbour Board Delays Vote"].notes == 1
        assert shown["Rail Link Opens"].places == 2
        first = " ".join(t.plain for t in screen.rows.painter(0, 80))
        assert "1 person" in first and "1 note" in first
        await pilot.press("slash", *"rail", "down")  # down: to the narrowed list
        assert screen.rows.count == 1
        assert screen.highlighted is not None and screen.highlighted.title == "Rail Link Opens"
        await pilot.press("escape")
        assert screen.rows.count == len(screen.entries) == 3
    store.close()


async def test_i_lists_the_other_article_that_names_the_entity_and_opens_it_there(
        tmp_path: Path) -> None:
    store = Store(tmp_path / "notes.json")
    folder = folder_of_two(tmp_path)
    library = indexed(store, folder)
    harbour = load(folder / "harbour.txt")
    app = ReaderApp(harbour, store=store, library=library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.show_appearances("Ines Duarte", exclude=harbour.hash)
        choice = await top_screen(pilot, ChoiceScreen)
        labels = [str(o.prompt) for o in choice.query_one("#choices").options]
        assert len(labels) == 1 and "Rail Link Opens" in labels[0]
        assert "cut the ribbon" in labels[0]
        await pilot.press("enter")
        for _ in range(400):
            if isinstance(app.screen, ArticleScreen) and app.screen.article.title \
                    == "Rail Link Opens":
                break
            await pilot.pause(0.05)
        rail = app.screen
        assert isinstance(rail, ArticleScreen) and rail.back
        for _ in range(1200):
            if rail.entities_settled:
                break
            await pilot.pause(0.05)
        if rail.entities:  # with a model: the entity is selected there, escape clears it
            assert rail.selected is not None and rail.selected.name == "Ines Duarte"
            await pilot.press("escape")
            assert rail.selected is None and app.screen is rail
        await pilot.press("escape")
        assert app.screen.article is harbour  # type: ignore[attr-defined]
    store.close()


async def test_notes_across_the_library_narrow_by_tag_and_open_their_article(
        sample: Path, tmp_path: Path) -> None:
    from reader.ui.screens.all_notes import AllNotesScreen

    store = Store(tmp_path / "notes.json")
    folder = folder_of_two(tmp_path)
    harbour, rail = load(folder / "harbour.txt"), load(folder / "rail.md")
    store.add_note(new_note(harbour, 4, 16, "ask the board #follow-up"))
    store.add_note(new_note(rail, 0, 9, "opening date?"))
    app = ReaderApp(None, store=store, library=Library(store, folders=[folder]))
    async with app.run_test(size=(100, 30)) as pilot:
        await library_loaded(pilot)
        await pilot.press("n")
        notes = await top_screen(pilot, AllNotesScreen)
        assert notes.query_one("#all-notes").count == 2
        await pilot.press(*"#follow")  # a tag is matched as it is typed
        await pilot.pause()
        assert [n["text"] for n in notes._shown] == ["ask the board #follow-up"]
        await pilot.press("enter")  # in the search box: opens the first note shown
        opened = await top_screen(pilot, ArticleScreen)
        assert opened.article.hash == harbour.hash
    store.close()


async def test_the_palette_jumps_to_an_article_by_its_title(tmp_path: Path) -> None:
    store = Store(tmp_path / "notes.json")
    folder = folder_of_two(tmp_path)
    app = ReaderApp(None, store=store, library=indexed(store, folder))
    async with app.run_test(size=(100, 30)) as pilot:
        await library_loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"Article: rail link")
        await pilot.pause(0.5)
        await pilot.press("enter")
        opened = await top_screen(pilot, ArticleScreen)
        assert opened.article.title == "Rail Link Opens"
    store.close()


async def test_a_bad_path_typed_in_the_library_is_a_message_not_a_crash(
        tmp_path: Path) -> None:
    store = Store(tmp_path / "notes.json")
    app = ReaderApp(None, store=store, library=Library(store))
    async with app.run_test(size=(80, 24)) as pilot:
        await library_loaded(pilot)
        app.open_path(tmp_path / "missing.txt")
        for _ in range(100):
            if app._notifications:
                break
            await pilot.pause(0.05)
        assert any("no such file" in n.message for n in app._notifications)
        assert isinstance(app.screen, LibraryScreen)
    store.close()


class TestLibrarySnapshot:
    def test_library_at_80x24(self, snap_compare: Any, tmp_path: Path, sample: Path) -> None:
        store = Store(tmp_path / "notes.json")
        folder = folder_of_two(tmp_path)
        shutil.copy(sample, folder / "copy-of-the-sample.txt")  # same text: one row
        app = ReaderApp(None, store=store, library=indexed(store, folder))
        assert snap_compare(app, terminal_size=(80, 24), run_before=library_loaded)
        store.close()


async def test_entities_found_in_an_article_reach_the_index(sample: Path, tmp_path: Path
                                                           ) -> None:
    store = Store(tmp_path / "notes.json")
    library = Library(store)
    app = ReaderApp(load(sample), store=store, library=library)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_entities(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        if not screen.entities:
            pytest.skip("no spaCy model installed: nothing to index")
        await app.workers.wait_for_complete()
        person = next(e for e in screen.entities if e.group == "people")
        found = library.appearances(person.name)
        assert [a.hash for a in found] == [screen.article.hash]
    store.close()


async def test_a_double_click_on_a_row_opens_its_article_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "notes.json")
    folder = folder_of_two(tmp_path)
    app = ReaderApp(None, store=store, library=Library(store, folders=[folder]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await library_loaded(pilot)
        await pilot.click("#library", offset=(5, 2), times=2)  # the second row
        opened = await top_screen(pilot, ArticleScreen)
        await pilot.pause(0.5)
        assert sum(isinstance(s, ArticleScreen) for s in app.screen_stack) == 1
        assert opened.article.path == screen.entries[1].path
    store.close()


async def test_escape_on_the_filter_keeps_the_highlighted_row(tmp_path: Path) -> None:
    store = Store(tmp_path / "notes.json")
    app = ReaderApp(None, store=store, library=Library(store, folders=[folder_of_two(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await library_loaded(pilot)
        await pilot.press("slash", *"rail", "down")  # down: to the narrowed list
        await pilot.press("escape")
        await pilot.pause()
        assert screen.rows.count == 3
        assert screen.highlighted is not None and screen.highlighted.title == "Rail Link Opens"
    store.close()


async def test_opening_a_file_directly_keeps_its_saved_reading_position(
        sample: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "notes.json")
    article = load(sample)
    middle = len(article.text) // 2
    store.set_position(article.hash, middle, str(sample))
    app = ReaderApp(article, store=store, library=Library(store))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        screen.save_position()
    saved = store.get_position(article.hash)
    assert saved is not None and abs(saved - middle) < 400  # the line that holds it
    store.close()


async def test_a_short_article_seen_whole_is_read_to_100_percent(tmp_path: Path) -> None:
    store = Store(tmp_path / "notes.json")
    app = ReaderApp(None, store=store, library=Library(store, folders=[folder_of_two(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await library_loaded(pilot)
        assert screen.highlighted is not None
        title = screen.highlighted.title
        await pilot.press("enter")
        await top_screen(pilot, ArticleScreen)
        await pilot.pause(0.3)
        await pilot.press("escape")
        await top_screen(pilot, LibraryScreen)
        for _ in range(100):
            row = next(e for e in screen.entries if e.title == title)
            if row.progress is not None:
                break
            await pilot.pause(0.05)
        assert row.progress == 1.0
    store.close()
