"""Pilot tests: the reading cursor, selections and notes written from the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import wait_for_entities

from reader.document import load
from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.notes_panel import NotesPanel
from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.dialogs import ConfirmScreen
from reader.ui.screens.note_editor import NoteEditor


def open_app(sample: Path, db: Path) -> tuple[ReaderApp, Store]:
    store = Store(db)
    return ReaderApp(load(sample), store=store), store


def article_screen(app: ReaderApp) -> ArticleScreen:
    screen = next(s for s in app.screen_stack if isinstance(s, ArticleScreen))
    return screen


async def test_cursor_moves_by_sentence_and_marks_it_in_the_margin(
        sample: Path, tmp_path: Path) -> None:
    app, _ = open_app(sample, tmp_path / "n.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = article_screen(app)
        assert screen.view.cursor is not None
        first = screen.view.cursor
        await pilot.press("right_parenthesis", "right_parenthesis", "right_parenthesis")
        block, s, e = screen.view.cursor
        text = app.article.blocks[block].text[s:e]
        assert text.startswith("The US Southern Command") and text.endswith("units.")
        line = screen.view.lines_of(block, s, e).start - round(screen.view.scroll_y)
        assert screen.view.render_line(line).text.lstrip(" ").startswith("▌")
        await pilot.press("left_parenthesis", "left_parenthesis", "left_parenthesis")
        assert screen.view.cursor == first


async def test_cursor_follows_the_page(sample: Path, tmp_path: Path) -> None:
    app, _ = open_app(sample, tmp_path / "n.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = article_screen(app)
        await pilot.press("space", "space")
        await pilot.pause()
        block, s, e = screen.view.cursor
        assert set(screen.view.lines_of(block, s, e)) & set(screen.view.visible_lines())


async def test_a_writes_a_note_with_tags_on_the_cursor_sentence(
        sample: Path, tmp_path: Path) -> None:
    app, store = open_app(sample, tmp_path / "n.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*["right_parenthesis"] * 3, "a")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Who signed it? #check", "tab", *"source", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        # The margin shows the note and the cursor on the same line, neither hiding the other.
        screen = article_screen(app)
        assert screen.view.cursor is not None
        block, s, e = screen.view.cursor
        line = screen.view.lines_of(block, s, e).start - round(screen.view.scroll_y)
        assert screen.view.render_line(line).text.lstrip(" ").startswith("✎")  # a narrow margin
        await pilot.press("0")  # the panel hidden, the page is wide: both marks fit
        await pilot.pause()
        line = screen.view.lines_of(block, s, e).start - round(screen.view.scroll_y)
        assert screen.view.render_line(line).text.lstrip(" ").startswith("✎▌ ")
    [note] = Store(tmp_path / "n.json").notes()
    text = app.article.text
    assert note["text"] == "Who signed it? #check"
    assert note["tags"] == ["check", "source"]
    assert text[note["start"]:note["end"]] == note["quote"]
    assert note["quote"].startswith("The US Southern Command")


async def test_selection_extends_by_sentence_and_word(sample: Path, tmp_path: Path) -> None:
    app, _ = open_app(sample, tmp_path / "n.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = article_screen(app)
        await pilot.press(*["right_parenthesis"] * 3, "v", "right_parenthesis", "w", "w", "e")
        start, end = screen.view.passage() or (0, 0)
        quote = app.article.text[start:end]
        assert quote.startswith("The US Southern Command")
        assert quote.endswith("Dina Boluarte.\n\nPeru's")
        await pilot.press("escape")
        assert screen.view.selection is None


async def test_a_in_the_panel_writes_a_note_about_the_entity(
        sample: Path, tmp_path: Path) -> None:
    app, _ = open_app(sample, tmp_path / "n.json")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_entities(pilot)
        await pilot.press("tab")
        entity = screen.panel.highlighted_entity
        assert entity is not None
        await pilot.press("a", *"about this person", "ctrl+s")
        await pilot.pause()
        [note] = Store(tmp_path / "n.json").notes()
        assert note["entity"] == entity.name and note["quote"] is None
        # It is marked beside every mention of the entity.
        marks = screen.view._gutter["1notes"]
        assert sum(len(v) for v in marks.values()) >= entity.count


async def test_notes_panel_lists_jumps_deletes_and_u_undoes(
        sample: Path, tmp_path: Path) -> None:
    app, store = open_app(sample, tmp_path / "n.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = article_screen(app)
        await pilot.press("G", "a", *"late note", "ctrl+s")
        await pilot.press("g", "a", *"early note", "ctrl+s")
        await pilot.pause()
        await pilot.press("m")
        panel = screen.query_one(NotesPanel)
        assert panel.display
        assert [p.note["text"] for p in panel.placed] == ["early note", "late note"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen.view.scroll_y > 0
        await pilot.press("m", "m", "d")
        assert [n["text"] for n in store.notes()] == ["late note"] or \
            [n["text"] for n in store.notes()] == ["early note"]
        await pilot.press("u")
        assert sorted(n["text"] for n in store.notes()) == ["early note", "late note"]


async def test_escape_with_typed_text_asks_before_discarding(
        sample: Path, tmp_path: Path) -> None:
    app, store = open_app(sample, tmp_path / "n.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a", *"precious words", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.text == "precious words"
        await pilot.press("escape", "y")
        assert isinstance(app.screen, ArticleScreen)
        assert store.notes() == []


async def test_ctrl_q_with_an_open_note_asks_and_keeps_a_draft_that_comes_back(
        sample: Path, tmp_path: Path) -> None:
    db = tmp_path / "n.json"
    app, store = open_app(sample, db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a", *"half a thought", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
    store.close()
    assert any(d.get("text") == "half a thought" for d in Store(db).drafts().values())
    # Next time the editor opens again with the text.
    app2, _ = open_app(sample, db)
    async with app2.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app2.screen, NoteEditor)
        assert app2.screen.text == "half a thought"
        await pilot.press("ctrl+s")
        await pilot.pause()
    notes = Store(db).notes()
    assert [n["text"] for n in notes] == ["half a thought"]
    assert Store(db).drafts() == {}


async def test_notes_and_their_marks_come_back_when_the_article_is_reopened(
        sample: Path, tmp_path: Path) -> None:
    db = tmp_path / "n.json"
    app, _ = open_app(sample, db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*["right_parenthesis"] * 3, "a", *"kept", "ctrl+s")
        await pilot.pause()
    app2, _ = open_app(sample, db)
    async with app2.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = article_screen(app2)
        assert [p.note["text"] for p in screen.placed] == ["kept"]
        assert screen.view._decorations["notes"]


async def test_a_corrupt_notes_file_is_set_aside_and_the_backup_can_be_restored(
        sample: Path, tmp_path: Path) -> None:
    db = tmp_path / "n.json"
    store = Store(db)
    store.add_note({"text": "first", "tags": [], "article": {"hash": "x", "path": "p"}})
    store.add_note({"text": "second", "tags": [], "article": {"hash": "x", "path": "p"}})
    store.close()
    db.write_text('{"notes": {"trunc', encoding="utf-8")  # a torn write by another program
    app, store = open_app(sample, db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        [aside] = list(tmp_path.glob("n.json.corrupt-*"))  # the bad file was kept aside
        assert aside.read_text(encoding="utf-8") == '{"notes": {"trunc'
        [said] = [m for m in shown if m.startswith("n.json could not be read")]
        assert f"it was moved aside to {aside.name} and reader started with no notes." in said
        assert "The last good save, n.json.bak, can be restored" in said
        assert store.notes() == []
        app.restore_backup()
        await pilot.pause()
        # .bak is the save before the last one: it holds the first note only.
        assert [n["text"] for n in store.notes()] == ["first"]
        assert "notes restored from the backup" in [n.message for n in app._notifications]


async def test_x_exports_the_notes_to_the_path_in_the_prompt(
        sample: Path, tmp_path: Path) -> None:
    app, _ = open_app(sample, tmp_path / "n.json")
    target = tmp_path / "out" / "notes.md"
    target.parent.mkdir()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*["right_parenthesis"] * 3, "a", *"exported words #tagged", "ctrl+s")
        await pilot.press("x")
        await pilot.pause()
        path_input = app.screen.query_one("#path")
        assert path_input.value.endswith(".md")  # a default target is offered
        path_input.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
    text = target.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    assert "exported words #tagged" in text
    assert "The US Southern Command" in text


async def test_a_note_whose_passage_moved_in_an_edited_file_is_saved_where_it_now_is(
        tmp_path: Path) -> None:
    from reader.notes import new_note

    path = tmp_path / "story.txt"
    path.write_text("Old Title\n\nThe council met on Monday. The vote was delayed.\n",
                    encoding="utf-8")
    first = load(path)
    start = first.text.index("The vote")
    store = Store(tmp_path / "n.json")
    note = store.add_note(new_note(first, start, start + len("The vote was delayed."),
                                   "why?"))
    path.write_text("Old Title\n\nA new opening paragraph.\n\nThe council met on Monday. "
                    "The vote was delayed.\n", encoding="utf-8")
    edited = load(path)
    app = ReaderApp(edited, store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_entities(pilot)
        await app.workers.wait_for_complete()
        screen = article_screen(app)
        screen.load_notes()  # as the next open would: the note is where it was saved
        assert [p.state for p in screen.placed] == ["anchored"]
    saved = store.get_note(note["id"])
    assert saved is not None
    moved_to = edited.text.index("The vote")
    assert (saved["start"], saved["article"]["hash"]) == (moved_to, edited.hash)
    assert saved["updated"] == note["updated"]  # re-anchoring is not an edit
    store.close()


async def test_keys_typed_in_a_burst_right_after_a_end_up_in_the_note(sample: Path) -> None:
    # A fast typist (or keys arriving in one read from the terminal) gets ahead of the
    # editor: the keys after `a` reach the page before the editor exists. They belong in
    # the note, and must not run as commands (q would quit, t open the contents).
    from textual import events

    app = ReaderApp(load(sample))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for ch in "aquick note to self":
            app.post_message(events.Key("space" if ch == " " else ch, ch))
        await pilot.pause(0.3)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.text == "quick note to self"
        await pilot.press(*" and more")
        assert editor.text == "quick note to self and more"


async def test_the_page_takes_keys_again_if_the_note_key_never_opened_the_editor(
        sample: Path) -> None:
    from textual import events

    app = ReaderApp(load(sample))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        screen.on_key(events.Key("a", "a"))  # seen by the page, its action never ran
        await pilot.pause(1.3)
        await pilot.press("j")
        assert screen.view.scroll_y == 1


async def test_moved_notes_that_cannot_be_saved_are_counted_and_the_others_still_saved(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.notes import new_note
    from reader.store import StoreError

    path = tmp_path / "story.txt"
    path.write_text("Old Title\n\nThe council met on Monday. The vote was delayed.\n",
                    encoding="utf-8")
    first = load(path)
    store = Store(tmp_path / "n.json")
    notes = []
    for quote in ("The council met on Monday.", "The vote was delayed."):
        start = first.text.index(quote)
        notes.append(store.add_note(new_note(first, start, start + len(quote), quote)))
    path.write_text("Old Title\n\nA new opening paragraph.\n\nThe council met on Monday. "
                    "The vote was delayed.\n", encoding="utf-8")
    edited = load(path)
    real_update = store.update_note

    def update_note(note_id: str, change: dict[str, object]) -> object:
        if note_id == notes[0]["id"]:
            raise StoreError("the disk is full")
        return real_update(note_id, change)

    monkeypatch.setattr(store, "update_note", update_note)
    app = ReaderApp(edited, store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_entities(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = [n.message for n in app._notifications]
    assert any("1 moved note could not be saved" in m and "the disk is full" in m
               for m in said), said
    kept, moved = store.get_note(notes[0]["id"]), store.get_note(notes[1]["id"])
    assert kept is not None and kept["article"]["hash"] == first.hash  # as stored
    assert moved is not None and moved["article"]["hash"] == edited.hash  # saved anyway
    store.close()
