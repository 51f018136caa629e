"""Pilot tests: notes read inside the app (the panel's note cards, the full notes view, the
note under the cursor in the status line, the margin marks, highlight colours)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from reader import nlp
from reader.document import Article, parse
from reader.entities import Entity, Mention
from reader.export import export_markdown
from reader.notes import new_note, notes_for
from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.entity_panel import EntityPanel
from reader.ui.notes_panel import NoteList, NotesPanel
from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.article_notes import ArticleNotesScreen, FullNoteList
from reader.ui.screens.note_editor import NoteEditor

TEXT = ("# Harbour news\n\nMarta Quill spoke at the harbour on Tuesday. The bay was calm. "
        "Nobody remembered a calmer summer.\n\nLater the board met by the water.\n")
LONG = ("First line of a long note that says a great deal about the calm bay and then "
        "keeps going well past what three lines of a narrow panel can hold, on and on, "
        "about the boats, the board, the water and the summer that nobody remembers.")
CREATED = "2024-05-01T09:30:00+00:00"


@pytest.fixture(autouse=True)
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)


def article_of(tmp_path: Path) -> Article:
    return parse(TEXT, path=tmp_path / "harbour.md")


def noted(tmp_path: Path, *notes: tuple[str | None, str, list[str]]) -> tuple[Article, Store]:
    """The article and a store with a note per (passage or None for the entity, text,
    tags); an entity note is about Marta Quill."""
    article, store = article_of(tmp_path), Store(tmp_path / "n.json")
    for passage, text, tags in notes:
        if passage is None:
            note = new_note(article, None, None, text, tags=tags, entity="Marta Quill")
        else:
            at = article.text.index(passage)
            note = new_note(article, at, at + len(passage), text, tags=tags)
        store.add_note({**note, "created": CREATED, "updated": CREATED})
    return article, store


def quill(text: str) -> Entity:
    at = text.index("Marta Quill")
    return Entity("Marta Quill", "people", "PERSON", [],
                  [Mention(at, at + len("Marta Quill"), "Marta Quill", "PERSON")])


def screen_of(app: ReaderApp) -> ArticleScreen:
    return next(s for s in app.screen_stack if isinstance(s, ArticleScreen))


def drawn(widget: NoteList | FullNoteList) -> str:
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


async def test_the_panel_shows_each_notes_text_wrapped_with_its_tags_and_state(
        tmp_path: Path) -> None:
    article, store = noted(tmp_path, ("The bay was calm.", LONG, ["weather"]),
                           ("Nobody remembered", "short one", []))
    store.add_note({**new_note(article, 0, 5, "gone", tags=[]), "quote": "not in the text",
                    "prefix": "", "suffix": "", "start": 900, "end": 915})
    app = ReaderApp(article, store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        text = drawn(app.screen.query_one(NoteList))
        assert "“The bay was calm.”" in text
        assert "First line of a long note" in text and "…" in text
        assert "the summer that nobody remembers." not in text  # past three lines
        assert "#weather" in text and "short one" in text
        assert "[orphan]" in text and "[moved]" not in text


async def test_the_full_notes_view_goes_to_a_notes_passage_and_closes(
        tmp_path: Path) -> None:
    article, store = noted(tmp_path, ("The bay was calm.", LONG, ["weather"]),
                           ("Later the board met", "board note", []))
    app = ReaderApp(article, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("m", "f")
        await pilot.pause()
        assert isinstance(app.screen, ArticleNotesScreen)
        text = drawn(app.screen.query_one(FullNoteList))
        assert "the summer that nobody remembers." in text  # the text in full
        assert "created 2024-05-01" in text
        await pilot.press("escape")
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("f", "down", "enter")
        await pilot.pause()
        screen = screen_of(app)
        assert app.screen is screen and screen.focused is screen.view
        start, end = screen.view.passage() or (0, 0)
        assert article.text[start:end].startswith("Later the board met")


async def test_the_note_under_the_cursor_shows_in_the_status_line_and_o_opens_it(
        tmp_path: Path) -> None:
    article, store = noted(tmp_path, ("The bay was calm.", "Calm, said the log.\nMore.", []))
    app = ReaderApp(article, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        status = screen.query_one("#status", Static)
        while screen.view.cursor is not None and "Calm, said" not in str(status.render()):
            before = screen.view.cursor
            await pilot.press("right_parenthesis")
            assert screen.view.cursor != before, "the hint never showed"
        assert "✎ Calm, said the log. (o opens)" in str(status.render())
        assert "More." not in str(status.render())
        await pilot.press("o")
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.text == "Calm, said the log.\nMore."
        await pilot.press("escape")
        await pilot.press("right_parenthesis")
        assert "Calm, said" not in str(status.render())


async def test_passage_notes_and_entity_notes_have_their_own_margin_marks(
        tmp_path: Path) -> None:
    article, store = noted(tmp_path, ("Later the board met", "board", []),
                           (None, "about Quill", []))
    app = ReaderApp(article, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        screen.show_entities([quill(article.text)])
        await pilot.pause()
        view = screen.view

        def margin(passage: str) -> str:
            at = article.text.index(passage)
            bi = article.block_at(at)
            d = article.blocks[bi].to_display(at)
            line = view.lines_of(bi, d, d + 1).start - round(view.scroll_y)
            drawn = view.render_line(line).text
            return drawn[:len(drawn) - len(drawn.lstrip(" ✎◆▌"))]  # the margin

        assert "◆" in margin("Marta Quill") and "✎" not in margin("Marta Quill")
        assert "✎" in margin("Later the board met") and "◆" not in margin("Later the board")


async def test_closing_the_notes_panel_brings_back_the_entity_panel(tmp_path: Path) -> None:
    app = ReaderApp(article_of(tmp_path), store=Store(tmp_path / "n.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        entities = app.screen.query_one(EntityPanel)
        assert entities.display
        await pilot.press("m")
        await pilot.pause()
        assert not entities.display and app.screen.query_one(NotesPanel).display
        await pilot.press("m")
        assert entities.display and not app.screen.query_one(NotesPanel).display
        await pilot.press("0", "m", "m")  # hidden by the reader: it stays hidden
        assert not entities.display


async def test_a_colour_chosen_in_the_editor_is_saved_painted_and_exported(
        tmp_path: Path) -> None:
    article, store = article_of(tmp_path), Store(tmp_path / "n.json")
    app = ReaderApp(article, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("right_parenthesis", "a", *"tidal", "ctrl+o", "ctrl+o")
        assert isinstance(app.screen, NoteEditor)
        assert "colour: green" in str(app.screen.query_one("#note-colour", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        [note] = store.notes()
        assert note["colour"] == "green"
        view = screen_of(app).view
        styles = {cls for spans in view._decorations["notes"].values() for *_, cls in spans}
        assert styles == {"note--green"}
        await pilot.press("o", "ctrl+o", "ctrl+s")  # edited: the next colour
        await pilot.pause()
        assert store.notes()[0]["colour"] == "blue"
    md = export_markdown(article, [], notes_for(store, article, []), timestamp=None)
    assert "> [!INFO] Note\n> tidal" in md


async def test_a_tag_given_a_colour_in_the_settings_colours_its_notes(tmp_path: Path) -> None:
    article, store = noted(tmp_path, ("The bay was calm.", "calm", ["todo"]))
    app = ReaderApp(article, store=store)
    app.note_colours = {"todo": "purple"}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = screen_of(app).view
        styles = {cls for spans in view._decorations["notes"].values() for *_, cls in spans}
        assert styles == {"note--purple"}


async def test_a_note_about_an_entity_mentioned_under_the_cursor_shows_too(
        tmp_path: Path) -> None:
    article, store = noted(tmp_path, (None, "Harbour spokesperson", []))
    app = ReaderApp(article, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        screen.show_entities([quill(article.text)])
        status = screen.query_one("#status", Static)
        screen.view.set_cursor(screen.view.sentence_at_offset(article.text.index("Marta")))
        screen.update_status()
        assert "◆ Harbour spokesperson (o opens)" in str(status.render())
        screen.view.set_cursor(screen.view.sentence_at_offset(article.text.index("The bay")))
        screen.update_status()
        assert "Harbour spokesperson" not in str(status.render())
