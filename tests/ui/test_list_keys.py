"""Pilot tests: every list answers to j/k, g/G and space/b; Down in a filter box goes to
its list; Enter in a filter box opens the first match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_escape import Host, panel_on
from test_library_ui import folder_of_two, library_loaded, top_screen
from textual.binding import Binding
from textual.widgets import OptionList

from reader import nlp
from reader.document import load, parse
from reader.library import Library
from reader.notes import new_note
from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.rows import RowList
from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.dialogs import ChoiceScreen, HelpScreen, TocScreen

LABELS = [f"option {i}" for i in range(40)]


async def walk(pilot: Any, where: Any, position: Any) -> list[Any]:
    """Press the list keys in turn and note where the list is after each."""
    seen = []
    for key in ("j", "j", "k", "G", "g", "space", "b"):
        await pilot.press(key)
        await pilot.pause()
        seen.append(position(where))
    return seen


def check_walk(seen: list[Any], last: int) -> None:
    one, two, back, end, first, paged, unpaged = seen
    assert (one, two, back) == (1, 2, 1)
    assert (end, first) == (last, 0)
    assert paged > 1 and unpaged == 0


async def test_the_choice_list_answers_to_vim_keys() -> None:
    dialog = ChoiceScreen("Pick", LABELS)
    app = Host(dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        choices = dialog.query_one(OptionList)
        choices.highlighted = 0
        check_walk(await walk(pilot, choices, lambda ol: ol.highlighted), len(LABELS) - 1)
        await pilot.press("j", "enter")
        await pilot.pause()
    assert app.result == 1


async def test_the_contents_list_answers_to_vim_keys() -> None:
    dialog = TocScreen([(i, f"Chapter {i}", 1) for i in range(40)])
    app = Host(dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        toc = dialog.query_one(OptionList)
        toc.highlighted = 0
        check_walk(await walk(pilot, toc, lambda ol: ol.highlighted), 39)
        await pilot.press("G", "enter")
        await pilot.pause()
    assert app.result == 39


async def test_down_in_the_merge_filter_goes_to_the_list_and_enter_picks_the_first() -> None:
    dialog = ChoiceScreen("Merge into…", LABELS, filterable=True)
    app = Host(dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"option 3", "down")
        await pilot.pause()
        choices = dialog.query_one(OptionList)
        assert dialog.focused is choices
        await pilot.press("j")  # letters in the list are keys, not typing
        assert choices.highlighted == 1
    app = Host(ChoiceScreen("Merge into…", LABELS, filterable=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"option 3", "enter")
        await pilot.pause()
    assert app.result == 3  # "option 3", the first of those that match


async def test_help_scrolls_with_vim_keys() -> None:
    rows = [Binding(f"f{i}", "x", f"thing {i}", id=f"x.{i}") for i in range(60)]
    dialog = HelpScreen([("Many", rows)])
    app = Host(dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        scroll = dialog.query_one("#dialog")
        seen = []
        for key in ("j", "k", "G", "g", "space", "b"):
            await pilot.press(key)
            await pilot.pause()
            seen.append(round(scroll.scroll_y))
        down, up, end, first, paged, unpaged = seen
        assert down == 1 and up == 0
        assert end == round(scroll.max_scroll_y) > 0 and first == 0
        assert paged > 1 and unpaged == 0


async def test_the_library_list_answers_to_vim_keys_and_its_filter_to_down_and_enter(
        tmp_path: Path) -> None:
    store = Store(tmp_path / "notes.json")
    app = ReaderApp(None, store=store, library=Library(store, folders=[folder_of_two(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await library_loaded(pilot)
        rows = screen.rows
        assert rows.count == 3
        for key, where in (("j", 1), ("k", 0), ("G", 2), ("g", 0), ("space", 2), ("b", 0)):
            await pilot.press(key)
            assert rows.highlighted == where, key
        await pilot.press("slash", *"rail", "down")
        assert screen.focused is rows and rows.count == 1
        await pilot.press("escape", "slash", *"rail", "enter")
        opened = await top_screen(pilot, ArticleScreen)
        assert opened.article.title == "Rail Link Opens"
    store.close()


async def test_the_all_notes_list_answers_to_vim_keys_and_its_box_to_down_and_enter(
        tmp_path: Path) -> None:
    from reader.ui.screens.all_notes import AllNotesScreen

    store = Store(tmp_path / "notes.json")
    folder = folder_of_two(tmp_path)
    harbour = load(folder / "harbour.txt")
    for i in range(3):
        store.add_note(new_note(harbour, 4, 16, f"note {i}"))
    app = ReaderApp(None, store=store, library=Library(store, folders=[folder]))
    async with app.run_test(size=(100, 30)) as pilot:
        await library_loaded(pilot)
        await pilot.press("n")
        notes = await top_screen(pilot, AllNotesScreen)
        rows = notes.query_one(RowList)
        await pilot.press("down")  # from the search box to the list
        assert notes.focused is rows
        for key, where in (("j", 1), ("k", 0), ("G", 2), ("g", 0), ("space", 2), ("b", 0)):
            await pilot.press(key)
            assert rows.highlighted == where, key
        await pilot.press("slash", *"note 1", "enter")
        opened = await top_screen(pilot, ArticleScreen)
        assert opened.article.hash == harbour.hash
    store.close()


TEXT = ("# Harbour news\n\nMarta Quill of the Tidewater Board spoke in Ostrava Bay. "
        "Quill said the Board would meet again.\n")


@pytest.fixture
def reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReaderApp:
    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)
    return ReaderApp(parse(TEXT, path=tmp_path / "a.md"), store=Store(tmp_path / "n.json"))


async def test_down_in_the_entity_filter_goes_to_the_list_and_enter_selects_the_first(
        reader: ReaderApp) -> None:
    async with reader.run_test(size=(120, 40)) as pilot:
        screen = await panel_on(pilot, "Ostrava Bay")
        await pilot.press("slash", *"ostr", "down")
        assert screen.focused is screen.panel.option_list
        await pilot.press("slash", "enter")
        await pilot.pause()
        assert screen.selected is not None and screen.selected.name == "Ostrava Bay"
        assert screen.focused is screen.panel.option_list


async def test_the_relabel_list_answers_to_vim_keys(reader: ReaderApp) -> None:
    async with reader.run_test(size=(120, 40)) as pilot:
        screen = await panel_on(pilot, "Ostrava Bay")
        await pilot.press("r")
        chooser = await top_screen(pilot, ChoiceScreen)
        choices = chooser.query_one(OptionList)
        choices.highlighted = 0
        await pilot.press("G")
        assert choices.highlighted == choices.option_count - 1  # "Not an entity"
        await pilot.press("k", "enter", "y")  # the last group: Other
        await pilot.pause()
        assert screen.entities[0].group == "other"
