"""Pilot tests: the keys users of less and vim expect on the article page.

Half pages, backward search with regular expressions and smart case, marks and `ctrl+o`,
a selection that starts mid-sentence, the text width setting, `L` to the library and the
chapter in the status line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader import nlp
from reader.document import Article, load
from reader.library import Library
from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.article.status import title_and_chapter
from reader.ui.screens.dialogs.text_prompt import TextPrompt
from reader.ui.screens.library import LibraryScreen

SENTENCES = ("The river ran low that summer, and the mills stood still for weeks. "
             "Nobody in the valley could remember a drier year. ")


def book(tmp_path: Path) -> Path:
    """A Markdown book of two chapters, long enough to page through."""
    parts = ["# A Dry Year\n"]
    for n, name in enumerate(("The First Chapter", "The Second Chapter"), 1):
        parts.append(f"## {name}\n")
        for i in range(12):
            extra = " Apple trees and an apple cart stood by the (old) gate." if i == 3 else ""
            parts.append(f"Paragraph {n}.{i}. {SENTENCES}Orrin Vale kept the ledger."
                         f"{extra}\n")
    path = tmp_path / "book.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)


def screen_of(app: ReaderApp) -> ArticleScreen:
    return next(s for s in app.screen_stack if isinstance(s, ArticleScreen))


def cursor_text(screen: ArticleScreen) -> str:
    assert screen.view.cursor is not None
    block, s, e = screen.view.cursor
    return screen.article.blocks[block].text[s:e]


def cursor_line(screen: ArticleScreen) -> int:
    assert screen.view.cursor is not None
    block, s, e = screen.view.cursor
    return screen.view.lines_of(block, s, e).start


def selected_text(screen: ArticleScreen) -> str:
    where = screen.view.passage()
    assert screen.view.selection is not None and where is not None
    return screen.article.text[where[0]:where[1]]


async def test_ctrl_d_and_ctrl_u_move_half_a_page_and_the_cursor_follows(
        tmp_path: Path) -> None:
    app = ReaderApp(load(book(tmp_path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        view = screen.view
        half = view.size.height // 2
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert round(view.scroll_y) == half
        # The cursor is on the first sentence that starts on the new view.
        assert cursor_line(screen) in view.visible_lines()
        assert cursor_line(screen) >= half
        await pilot.press("ctrl+d", "ctrl+u")
        await pilot.pause()
        assert round(view.scroll_y) == half
        assert cursor_line(screen) in view.visible_lines()


async def test_backslash_searches_upwards_and_n_keeps_going_up(tmp_path: Path) -> None:
    app = ReaderApp(load(book(tmp_path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        view = screen.view
        await pilot.press("G")
        await pilot.pause()
        await pilot.press("backslash", *"ledger", "enter")
        await pilot.pause()
        assert screen.focused is view
        first = view.current_match
        assert view.match_count == 24 and first >= 0
        assert "ledger" in cursor_text(screen)
        await pilot.press("n")
        await pilot.pause()
        assert view.current_match == first - 1  # n goes on upwards
        await pilot.press("N", "N")
        await pilot.pause()
        assert view.current_match == (first + 1) % 24  # N goes down
        # A search forward after it: n goes down again.
        await pilot.press("escape", "g", "slash", *"ledger", "enter", "n")
        await pilot.pause()
        assert view.current_match == 1


async def test_search_takes_regular_expressions_with_smart_case(tmp_path: Path) -> None:
    app = ReaderApp(load(book(tmp_path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        view = screen.view
        await pilot.press("slash", *"paragraph 1\\.\\d+", "enter")
        await pilot.pause()
        assert view.match_count == 12  # lower case: any case
        await pilot.press("escape", "slash", *"apple", "enter")
        await pilot.pause()
        assert view.match_count == 4
        await pilot.press("escape", "slash", *"Apple", "enter")
        await pilot.pause()
        assert view.match_count == 2  # a capital: this case only
        await pilot.press("escape", "slash", *"(old", "enter")
        await pilot.pause()
        # Not a regular expression: said in the status line, searched as text.
        assert view.match_count == 2
        assert "not a regular expression" in screen._status_left
        await pilot.press("escape", "slash", *"ol+d", "enter")
        await pilot.pause()
        assert view.match_count == 2
        assert "not a regular expression" not in screen._status_left


async def test_marks_and_ctrl_o_take_the_reader_back(tmp_path: Path) -> None:
    article = load(book(tmp_path))
    app = ReaderApp(article)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        view = screen.view
        await pilot.press("slash", *"paragraph 1\\.5", "enter")
        await pilot.pause()
        marked = cursor_text(screen)
        await pilot.press("quotation_mark", "q")  # q as a mark's letter, not quit
        await pilot.pause()
        assert app.is_running
        await pilot.press("G")
        await pilot.pause()
        assert cursor_text(screen) != marked
        await pilot.press("apostrophe", "q")
        await pilot.pause()
        assert cursor_text(screen) == marked
        assert cursor_line(screen) in view.visible_lines()
        # ctrl+o: back before the jump to the mark (the bottom), then before G.
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert cursor_text(screen) == marked
        # '' is ctrl+o too; an unknown mark leaves the page where it is.
        await pilot.press("G", "apostrophe", "apostrophe")
        await pilot.pause()
        assert cursor_text(screen) == marked
        top = view.scroll_y
        await pilot.press("apostrophe", "z")
        await pilot.pause()
        assert view.scroll_y == top
        # The marks are the article's for the session: a screen opened again has them.
        app.open_article(article)
        await pilot.pause()
        again = app.screen
        assert isinstance(again, ArticleScreen) and again is not screen
        await pilot.press("apostrophe", "q")
        await pilot.pause()
        assert cursor_text(again) == marked


async def test_ctrl_o_comes_back_from_the_contents_and_a_mention(tmp_path: Path) -> None:
    from reader.entities import Entity, Mention

    article = load(book(tmp_path))
    app = ReaderApp(article)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        view = screen.view
        start = cursor_text(screen)
        await pilot.press("t", "j", "enter")  # the second chapter
        await pilot.pause()
        assert view.scroll_y > 0
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert view.scroll_y == 0 and cursor_text(screen) == start
        # A mention of an entity chosen in the panel.
        at = article.text.rindex("Orrin Vale")
        mention = Mention(at, at + len("Orrin Vale"), "Orrin Vale", "PERSON")
        screen.select_entity(Entity("Orrin Vale", "people", "PERSON", [], [mention]))
        await pilot.pause()
        assert "Orrin Vale" in cursor_text(screen) and view.scroll_y > 0
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert view.scroll_y == 0 and cursor_text(screen) == start


async def test_a_found_name_is_selected_exactly_and_offered_by_plus(tmp_path: Path) -> None:
    app = ReaderApp(load(book(tmp_path)), store=Store(tmp_path / "n.json"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await pilot.press("slash", *"orrin vale", "enter", "v")
        await pilot.pause()
        assert selected_text(screen) == "Orrin Vale"
        await pilot.press("plus")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert prompt.value == "Orrin Vale"


async def test_W_and_B_move_the_start_of_a_selection_by_a_word(tmp_path: Path) -> None:
    app = ReaderApp(load(book(tmp_path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await pilot.press("slash", *"nobody", "enter", "escape", "escape")
        await pilot.pause()
        assert cursor_text(screen).startswith("Nobody")
        await pilot.press("v", "W", "W", "W", "W")
        await pilot.pause()
        assert selected_text(screen) == "could remember a drier year."
        await pilot.press("B", "e", "e")
        await pilot.pause()
        assert selected_text(screen) == "valley could remember a"


async def test_text_width_caps_the_text_column(tmp_path: Path) -> None:
    app = ReaderApp(load(book(tmp_path)), text_width=50)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = screen_of(app).view
        assert view.layout_lines.measure == 50
        await pilot.resize_terminal(50, 20)  # narrower than the setting: the window wins
        await pilot.pause()
        assert view.layout_lines.measure < 50


async def test_L_reaches_the_library_from_an_article_opened_directly(tmp_path: Path) -> None:
    store = Store(tmp_path / "n.json")
    article: Article = load(book(tmp_path))
    app = ReaderApp(article, store=store, library=Library(store))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = screen_of(app)
        await pilot.press("escape")  # opened directly: escape leaves nothing
        await pilot.pause()
        assert app.screen is first
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        # From an article opened there, L (like escape) goes back to that library.
        library = app.screen
        app.open_article(article)
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("L")
        await pilot.pause()
        assert app.screen is library


async def test_the_status_line_shows_the_chapter_of_the_cursor(tmp_path: Path) -> None:
    app = ReaderApp(load(book(tmp_path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        screen.notice("")  # (the notice that no model is installed takes the room)
        await pilot.press("slash", *"paragraph 1\\.2", "enter")
        await pilot.pause()
        assert "A Dry Year › The First Chapter" in screen._status_left
        await pilot.press("slash", *"paragraph 2\\.2", "enter")
        await pilot.pause()
        assert "A Dry Year › The Second Chapter" in screen._status_left
        assert len(screen._status_left) <= 80


def test_title_and_chapter_are_cut_to_fit() -> None:
    assert title_and_chapter("A Book", "Chapter I", 40) == "A Book › Chapter I"
    assert title_and_chapter("A Book", None, 40) == "A Book"
    title = "The Life and Opinions of Tristram Shandy, Gentleman"
    chapter = "Chapter XXXII. In which my father explains a great many things"
    both = title_and_chapter(title, chapter, 60)
    assert len(both) == 60
    # The chapter, which changes as one reads, keeps most of the room.
    short_title, short_chapter = both.split(" › ")
    assert short_title.endswith("…") and short_chapter.startswith("Chapter XXXII. In which")
    assert len(short_chapter) > len(short_title)
    # No room for a readable chapter: the title alone.
    assert title_and_chapter(title, chapter, 20) == title[:19] + "…"
