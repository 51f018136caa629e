"""Pilot tests: narrow and short terminals (80x24, 60x20) keep the text readable and the
note editor whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from reader import nlp
from reader.document import load
from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.note_editor import NoteEditor


@pytest.fixture(autouse=True)
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)


def article_screen(app: ReaderApp) -> ArticleScreen:
    return next(s for s in app.screen_stack if isinstance(s, ArticleScreen))


async def test_the_panel_hides_itself_when_the_window_shrinks_and_comes_back_when_it_grows(
        sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = article_screen(app)
        assert screen.panel.display
        await pilot.press("tab")  # the focus in the panel, then the window shrinks
        assert screen.panel.has_focus_within
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not screen.panel.display
        assert screen.focused is screen.view  # keys still reach the page
        assert screen.view.size.width == 80
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert screen.panel.display


async def test_a_panel_hidden_by_the_reader_stays_hidden_when_the_window_grows(
        sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = article_screen(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("0")  # shown on purpose at 80 columns: stays while it is narrow
        assert screen.panel.display
        await pilot.resize_terminal(90, 24)
        await pilot.pause()
        assert screen.panel.display
        await pilot.press("0")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not screen.panel.display


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_the_note_editor_shows_its_tags_field_and_keys_on_a_small_terminal(
        sample: Path, tmp_path: Path, size: tuple[int, int]) -> None:
    app = ReaderApp(load(sample), store=Store(tmp_path / "n.json"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("right_parenthesis", "right_parenthesis", "right_parenthesis", "a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        width, height = size
        for part in ("#note-heading", "#note-quote", "#note-text", "#note-tags", "#note-help"):
            region = editor.query_one(part).region
            assert region.height > 0, part
            assert region.y >= 0 and region.bottom <= height, part
            assert region.x >= 0 and region.right <= width, part
        tags = editor.query_one("#note-tags", Input)
        assert tags.region.height == 3  # the box with its border, where it can be typed in
        await pilot.press(*"a thought", "tab", *"source")
        assert editor.tags_text == "source"


async def test_after_the_window_shrinks_a_notes_the_sentence_still_in_sight(
        sample: Path, tmp_path: Path) -> None:
    app = ReaderApp(load(sample), store=Store(tmp_path / "n.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = article_screen(app)
        await pilot.press(*["right_parenthesis"] * 12)
        await pilot.pause()
        assert screen.view.scroll_y == 0  # the whole run of sentences was on the page
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.pause()
        assert screen.view.cursor is not None
        block, s, e = screen.view.cursor
        assert screen.view.lines_of(block, s, e).start in screen.view.visible_lines()
