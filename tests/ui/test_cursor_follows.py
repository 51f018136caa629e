"""Pilot tests: the reading cursor follows what the reader looks at, so `a` notes it.

Search, `n`/`N`, the contents, `]`/`[`, a panel row, `g`/`G` and paging each put the cursor
on the sentence they show; escape in the search bar only closes it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader import nlp
from reader.document import load, parse
from reader.entities import Entity, Mention
from reader.sentences import sentence_spans
from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.note_editor import NoteEditor


def screen_of(app: ReaderApp) -> ArticleScreen:
    screen = next(s for s in app.screen_stack if isinstance(s, ArticleScreen))
    return screen


def cursor_text(screen: ArticleScreen) -> str:
    assert screen.view.cursor is not None
    block, s, e = screen.view.cursor
    return screen.article.blocks[block].text[s:e]


def cursor_on_screen(screen: ArticleScreen) -> bool:
    assert screen.view.cursor is not None
    block, s, e = screen.view.cursor
    lines = screen.view.lines_of(block, s, e)
    return lines.start in screen.view.visible_lines()


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)


async def test_a_after_a_search_notes_the_sentence_that_was_found(
        sample: Path, tmp_path: Path, no_model: None) -> None:
    app = ReaderApp(load(sample), store=Store(tmp_path / "n.json"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await pilot.press("slash", *"andahuaylas", "enter")
        await pilot.pause()
        assert screen.focused is screen.view  # the keys are the page's again
        assert "Andahuaylas" in cursor_text(screen)
        assert cursor_on_screen(screen)
        await pilot.press("a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert "Andahuaylas" in editor.quote


async def test_n_and_N_put_the_cursor_on_each_match_in_turn(sample: Path, no_model: None) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await pilot.press("slash", *"amnesty", "enter")
        await pilot.pause()
        seen = [screen.view.cursor]
        for _ in range(2):
            await pilot.press("n")
            await pilot.pause()
            assert "amnesty" in cursor_text(screen).lower()
            assert cursor_on_screen(screen)
            seen.append(screen.view.cursor)
        assert len(set(seen)) == 3
        await pilot.press("N")
        await pilot.pause()
        assert screen.view.cursor == seen[1]


async def test_escape_in_the_search_bar_leaves_the_cursor_where_it_was(
        sample: Path, no_model: None) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await pilot.press("right_parenthesis", "right_parenthesis")
        before = screen.view.cursor
        await pilot.press("slash", *"amnesty", "escape")
        await pilot.pause()
        assert screen.view.cursor == before
        assert not screen.query_one("#search").display
        assert screen.focused is screen.view
        # Escape after Enter clears the matches and leaves the cursor on the found one.
        await pilot.press("slash", *"amnesty", "enter")
        await pilot.pause()
        found = screen.view.cursor
        assert found != before
        await pilot.press("escape")
        await pilot.pause()
        assert screen.view.cursor == found and screen.view.match_count == 0


async def test_a_chapter_chosen_in_the_contents_gets_the_cursor(no_model: None) -> None:
    text = "# Book\n\n" + "".join(f"## Part {i}\n\n" + "Words here. " * 200 + "\n\n"
                                  for i in range(1, 6))
    app = ReaderApp(parse(text))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await pilot.press("t", "down", "down", "down")
        await pilot.pause()
        from textual.widgets import OptionList

        toc = app.screen.query_one(OptionList)
        assert toc.highlighted is not None
        chosen = str(toc.get_option_at_index(toc.highlighted).prompt).strip()
        assert chosen.startswith("Part")
        await pilot.press("enter")
        await pilot.pause()
        assert cursor_text(screen) == chosen
        assert cursor_on_screen(screen)


async def test_paging_and_g_and_G_put_the_cursor_on_the_new_pages_first_sentence(
        sample: Path, no_model: None) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        view = screen.view
        for key in ("space", "space", "b", "G", "g", "pagedown", "end", "home"):
            await pilot.press(key)
            await pilot.pause()
            assert screen.view.cursor is not None
            block, s, e = screen.view.cursor
            first = view.lines_of(block, s, e).start
            top = round(view.scroll_y)
            # The first sentence that starts on the page (one begun above it is skipped).
            assert top <= first < top + view.size.height, key
            lay = view.layout_lines
            for bi in {lay.block[y] for y in range(top, first) if lay.block[y] >= 0}:
                starts = [lay.line_of(bi, a)
                          for a, _ in sentence_spans(screen.article.blocks[bi].text)]
                assert not [y for y in starts if top <= y < first], key
        await pilot.press("g")
        await pilot.pause()
        assert screen.view.cursor is not None and screen.view.cursor[0] == 0  # the title


TEXT = ("# Harbour news\n\nMarta Quill of the Tidewater Board spoke in Ostrava Bay. "
        + "Nothing else happened that day. " * 60
        + "\n\nLater, Quill said the Board would meet again.\n\n"
        + "It rained. " * 80 + "\n\nAt last Quill left the bay.\n")


def quill(text: str) -> Entity:
    mentions = []
    for form in ("Marta Quill", "Quill"):
        start = 0
        while (i := text.find(form, start)) >= 0:
            if not any(m.start <= i < m.end for m in mentions):
                mentions.append(Mention(i, i + len(form), form, "PERSON"))
            start = i + len(form)
    mentions.sort(key=lambda m: m.start)
    return Entity("Marta Quill", "people", "PERSON", ["Quill"], mentions)


async def test_a_panel_row_and_brackets_put_the_cursor_on_each_mention(
        tmp_path: Path, no_model: None) -> None:
    app = ReaderApp(parse(TEXT, path=tmp_path / "a.md"), store=Store(tmp_path / "n.json"))
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        screen.show_entities([quill(screen.article.text)])
        await pilot.press("tab", "enter")  # the panel's first row
        await pilot.pause()
        assert cursor_text(screen).startswith("Marta Quill of the Tidewater Board")
        await pilot.press("tab")  # back to the page
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert cursor_text(screen) == "Later, Quill said the Board would meet again."
        assert cursor_on_screen(screen)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert cursor_text(screen) == "At last Quill left the bay."
        assert cursor_on_screen(screen)
        await pilot.press("left_square_bracket", "a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.quote == "“Later, Quill said the Board would meet again.”"


async def test_clicking_a_name_puts_the_cursor_on_the_clicked_sentence_not_the_first(
        tmp_path: Path, no_model: None) -> None:
    from reader.ui.article_view import ArticleView

    app = ReaderApp(parse(TEXT, path=tmp_path / "a.md"))
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        screen.show_entities([quill(screen.article.text)])
        at = screen.article.text.index("Quill said") + 2
        screen.post_message(ArticleView.Clicked(at))
        await pilot.pause()
        assert screen.selected is not None and screen.selected.name == "Marta Quill"
        assert cursor_text(screen) == "Later, Quill said the Board would meet again."
