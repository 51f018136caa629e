"""Pilot tests: navigation, search, contents, help and the reading position."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reader.document import load, parse
from reader.ui.app import ReaderApp
from reader.ui.article_view import ArticleView
from reader.ui.screens.dialogs import section_table


def view_of(app: ReaderApp) -> ArticleView:
    return app.screen.query_one(ArticleView)


async def test_keys_move_the_page_line_by_line_and_by_page(sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(80, 24)) as pilot:
        view = view_of(app)
        await pilot.press("j", "j", "down")
        assert view.scroll_y == 3
        await pilot.press("k")
        assert view.scroll_y == 2
        await pilot.press("space")
        assert view.scroll_y > 15
        await pilot.press("b")
        assert view.scroll_y == 2
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y > 0
        await pilot.press("g")
        assert view.scroll_y == 0


async def test_status_line_shows_the_position_in_percent(sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        status = app.screen.query_one("#status")
        assert "0%" in str(status.render())
        await pilot.press("G")
        await pilot.pause()
        assert "100%" in str(status.render())


async def test_search_highlights_matches_and_n_moves_between_them(sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(80, 24)) as pilot:
        view = view_of(app)
        await pilot.press("slash", *"amnesty", "enter")
        assert view.match_count >= 3
        first = view.current_match
        assert first == 0
        await pilot.press("n")
        assert view.current_match == 1
        await pilot.press("N", "N")
        assert view.current_match == view.match_count - 1
        # The current match is on screen, drawn bold and underlined on its own background
        # (it reads without colour too).
        lines = [view.render_line(y) for y in range(22)]
        assert any(seg.style.bold and seg.style.underline and seg.style.bgcolor
                   for line in lines for seg in line
                   if seg.style and seg.text.lower() == "amnesty")
        await pilot.press("escape")
        assert view.match_count == 0


async def test_a_slash_typed_in_the_search_box_is_text(sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", "a", "slash", "b")
        assert app.screen.query_one("#search").value == "a/b"


async def test_contents_lists_headings_and_jumps_to_one() -> None:
    text = "# Book\n\n" + "".join(f"## Part {i}\n\n" + "Words here. " * 200 + "\n\n"
                                  for i in range(1, 6))
    app = ReaderApp(parse(text))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        view = view_of(app)
        top_block = app.article.blocks[app.article.block_at(view.top_offset)]
        assert top_block.text == "Part 4"


async def test_help_lists_every_key_with_its_binding_id(sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        from rich.console import Console

        from reader.ui.screens.dialogs import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        console = Console(width=100, record=True, file=io.StringIO())
        for section in app.screen.sections:
            console.print(section_table(section))
        text = console.export_text()
        for binding_id in ("line_down", "page_down", "search", "contents", "quit"):
            assert binding_id in text
        await pilot.press("escape")
        assert isinstance(app.screen.query_one(ArticleView), ArticleView)


async def test_keys_can_be_remapped_by_binding_id(sample: Path) -> None:
    app = ReaderApp(load(sample), keymap={"line_down": "x"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x", "x")
        assert view_of(app).scroll_y == 2


async def test_resizing_keeps_the_same_sentence_at_the_top(sample: Path) -> None:
    article = load(sample)
    app = ReaderApp(article)
    async with app.run_test(size=(120, 40)) as pilot:
        view = view_of(app)
        await pilot.press(*["j"] * 30)
        before = view.top_offset
        await pilot.resize_terminal(70, 24)
        await pilot.pause()
        await pilot.pause()
        after = view.top_offset
        assert view.layout_lines.measure < 88
        # The new top line starts at or just before the old one, within the same block.
        assert after <= before
        assert article.block_at(after) == article.block_at(before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_first_screen_shows_the_title_and_the_start_of_the_text(
        sample: Path, size: tuple[int, int]) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        lines = [view_of(app).render_line(y).text for y in range(size[1] - 2)]
        screen = "\n".join(lines)
        assert "Pentagon sending troops" in screen
        assert "Bill Van Auken" in screen
        assert "The US Southern Command" in screen


async def test_garbage_collection_paused_for_start_up_is_back_once_the_page_shows(
        sample: Path) -> None:
    # The command line pauses the collector for start-up; a reader left without it would
    # grow without bound over a long session.
    import gc

    gc.disable()
    try:
        app = ReaderApp(load(sample))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


async def test_an_app_started_with_the_collector_on_leaves_it_alone(sample: Path) -> None:
    import gc

    app = ReaderApp(load(sample))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0



async def test_moving_a_highlight_redraws_the_lines_it_left_and_keeps_the_others(
        sample: Path) -> None:
    # Only the lines of blocks whose decorations changed are drawn again; a line left
    # behind must not keep the old highlight.
    app = ReaderApp(load(sample))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = view_of(app)
        lay = view.layout_lines
        top = round(view.scroll_y)
        blocks = sorted({lay.block[y] for y in range(top, top + 20) if lay.block[y] >= 0})
        first, second = blocks[2], blocks[3]
        y_first = lay.first_line[first] - top
        y_second = lay.first_line[second] - top

        def reversed_cells(y: int) -> int:
            return sum(len(seg.text) for seg in view.render_line(y)
                       if seg.style and seg.style.reverse)

        view.set_decorations("test", {first: [(0, 6, "article--selection")]})
        assert reversed_cells(y_first) == 6
        assert reversed_cells(y_second) == 0
        view.set_decorations("test", {second: [(0, 6, "article--selection")]})
        assert reversed_cells(y_first) == 0
        assert reversed_cells(y_second) == 6


GUTENBERG_BOOK = """The Project Gutenberg eBook of The Quiet Orchard

This ebook is for the use of anyone anywhere at no cost.

Title: The Quiet Orchard

Author: Marian Tell

*** START OF THE PROJECT GUTENBERG EBOOK THE QUIET ORCHARD ***

THE QUIET ORCHARD

BOOK ONE

CHAPTER I

It was a cold morning when the letters came, and nobody in the house was awake yet.

CHAPTER II

The orchard was quiet all that winter, and the apples lay where they fell.

BOOK TWO

CHAPTER III

Spring came late. The letters stopped, and the house woke at last.

*** END OF THE PROJECT GUTENBERG EBOOK THE QUIET ORCHARD ***

Section 1. General Terms of Use and Redistributing Project Gutenberg electronic works.
"""


def screen_text(view: ArticleView, lines: int) -> list[str]:
    """The page's first lines as text, without the margin's marks."""
    return [view.render_line(y).text.strip().lstrip("▌✎ ") for y in range(lines)]


async def test_a_gutenberg_book_opens_at_its_title_with_the_licence_folded_and_z_unfolds_it(
) -> None:
    app = ReaderApp(parse(GUTENBERG_BOOK, "orchard.txt"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = view_of(app)
        top = screen_text(view, 4)
        assert top[0].startswith("▸ the e-text's header and licence (5 paragraphs)")
        assert top[2] == "THE QUIET ORCHARD"
        assert not any("Gutenberg" in line for line in screen_text(view, 25)[1:])
        for _ in range(6):  # the cursor walks the book and never into folded text
            await pilot.press(")")
            block = app.screen.view.cursor[0]  # type: ignore[attr-defined]
            assert app.screen.article.blocks[block].kind != "licence"  # type: ignore[attr-defined]
        await pilot.press("z")
        await pilot.press("g")
        assert screen_text(view, 1)[0].startswith("The Project Gutenberg eBook")
        await pilot.press("z")
        await pilot.press("g")
        assert screen_text(view, 1)[0].startswith("▸ the e-text's header")


async def test_contents_nest_chapters_under_their_books() -> None:
    from textual.widgets import OptionList

    app = ReaderApp(parse(GUTENBERG_BOOK, "orchard.txt"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        entries = [str(options.get_option_at_index(i).prompt)
                   for i in range(options.option_count)]
        assert entries == ["BOOK ONE", "  CHAPTER I", "  CHAPTER II", "BOOK TWO",
                           "  CHAPTER III"]
