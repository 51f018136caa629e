"""A note the store could not save is never lost (issue 13), through the app with Pilot.

The disk is faked at the store's file-system layer: ``reader.store.storage`` sees an ``os`` whose
writes fail as a full disk (ENOSPC) or a read-only one (EROFS) make them fail, after the
store opened normally. A store written by a newer reader is a real file (read-only by
design). The same paths run in a real terminal on a real full tmpfs in tests/faults/.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import FailingDisk
from textual.widgets import Input, Static

import reader.store.storage as storage_mod
from reader.document import load
from reader.store import SCHEMA_VERSION, Store
from reader.ui.app import ReaderApp
from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.dialogs import ConfirmScreen, TextPrompt, UnsavedNoteScreen
from reader.ui.screens.note_editor import NoteEditor


@pytest.fixture(params=[errno.ENOSPC, errno.EROFS], ids=["full disk", "read-only disk"])
def failing(request: pytest.FixtureRequest) -> FailingDisk:
    return FailingDisk(request.param)


def open_app(sample: Path, db: Path) -> tuple[ReaderApp, Store]:
    store = Store(db)
    return ReaderApp(load(sample), store=store), store


def editor(app: ReaderApp) -> NoteEditor:
    assert isinstance(app.screen, NoteEditor), app.screen
    return app.screen


def said(screen: Any) -> str:
    return "\n".join(str(s.render()) for s in screen.query(Static) if s.display)


async def type_and_fail_to_save(pilot: Any, text: str) -> None:
    await pilot.press("right_parenthesis", "right_parenthesis", "a", *text, "ctrl+s")
    await pilot.pause()


async def test_a_note_the_disk_refused_survives_escape_and_a_second_failed_save(
        sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        failing: FailingDisk) -> None:
    db = tmp_path / "n.json"
    app, store = open_app(sample, db)
    before = db.read_bytes()
    monkeypatch.setattr(storage_mod, "os", failing)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        await type_and_fail_to_save(pilot, "the only copy")
        # The editor is back with the text, and says it is only in this window.
        assert editor(app).text == "the only copy"
        assert editor(app).at_risk and editor(app).dirty
        assert "only in this window" in said(editor(app))
        assert os.strerror(failing.err) in said(editor(app))
        await pilot.press("escape")
        assert isinstance(app.screen, UnsavedNoteScreen)
        assert "only in this window" in said(app.screen)
        assert "No draft could be kept" in said(app.screen)
        await pilot.press("escape")  # back to the note
        assert editor(app).text == "the only copy"
        await pilot.press("ctrl+s")  # fails again
        await pilot.pause()
        assert editor(app).text == "the only copy"
        await pilot.press("escape", "r")  # retry from the dialog: fails a third time
        await pilot.pause()
        assert editor(app).text == "the only copy"
        assert app.is_running
    assert db.read_bytes() == before


async def test_ctrl_q_after_a_failed_save_asks_and_can_write_the_note_to_a_named_file(
        sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        failing: FailingDisk) -> None:
    db = tmp_path / "n.json"
    app, store = open_app(sample, db)
    monkeypatch.setattr(storage_mod, "os", failing)
    target = tmp_path / "rescued.txt"
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        await type_and_fail_to_save(pilot, "worth keeping")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedNoteScreen)  # not the "kept as a draft" question
        assert "draft" not in said(app.screen).replace("No draft could be kept", "")
        assert "quit and lose the note" in said(app.screen)
        await pilot.press("ctrl+q")  # a second ctrl+q does not quit past the question
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, UnsavedNoteScreen)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
    assert not app.is_running  # written, then quit as asked
    rescued = target.read_text(encoding="utf-8")
    assert rescued.startswith("worth keeping\n")
    assert "Pentagon sending troops" in rescued  # which article it was on


async def test_writing_the_note_over_an_existing_file_is_refused_and_asks_again(
        sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app, store = open_app(sample, tmp_path / "n.json")
    monkeypatch.setattr(storage_mod, "os", FailingDisk(errno.ENOSPC))
    taken = tmp_path / "taken.txt"
    taken.write_text("someone else's file", encoding="utf-8")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        await type_and_fail_to_save(pilot, "mine")
        await pilot.press("escape", "w")
        await pilot.pause()
        app.screen.query_one(Input).value = str(taken)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)  # asked for another name
        assert taken.read_text(encoding="utf-8") == "someone else's file"
        await pilot.press("escape")  # back to the choices, then to the note
        assert isinstance(app.screen, UnsavedNoteScreen)
        await pilot.press("escape")
        assert editor(app).text == "mine"


async def test_escape_then_copy_sends_the_note_to_the_clipboard_and_discard_closes(
        sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app, store = open_app(sample, tmp_path / "n.json")
    monkeypatch.setattr(storage_mod, "os", FailingDisk(errno.ENOSPC))
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        await type_and_fail_to_save(pilot, "copy me")
        await pilot.press("escape", "c")
        await pilot.pause()
        assert app.clipboard.startswith("copy me\n")  # the `y` path: OSC 52
        assert isinstance(app.screen, UnsavedNoteScreen)  # still asks: copied is not saved
        assert "sent to the clipboard" in said(app.screen)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)


async def test_a_save_that_works_again_after_the_disk_recovers_keeps_the_note(
        sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "n.json"
    app, store = open_app(sample, db)
    monkeypatch.setattr(storage_mod, "os", FailingDisk(errno.ENOSPC))
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        await type_and_fail_to_save(pilot, "second time lucky")
        monkeypatch.setattr(storage_mod, "os", os)  # space was freed
        await pilot.press("escape", "r")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
    assert [n["text"] for n in Store(db).notes()] == ["second time lucky"]


async def test_quit_never_promises_a_draft_that_could_not_be_written(
        sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app, store = open_app(sample, tmp_path / "n.json")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        await pilot.press("a", *"typed a moment ago")
        monkeypatch.setattr(storage_mod, "os", FailingDisk(errno.ENOSPC))  # before the draft
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedNoteScreen)
        assert not isinstance(app.screen, ConfirmScreen)
        assert "only in this window" in said(app.screen)
        await pilot.press("d")  # quit and lose it, as chosen
        await pilot.pause()
    assert not app.is_running


async def test_quit_with_a_draft_on_disk_still_says_it_is_kept(
        sample: Path, tmp_path: Path) -> None:
    db = tmp_path / "n.json"
    app, store = open_app(sample, db)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        await pilot.press("a", *"typed a moment ago", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "kept as a draft" in said(app.screen)
        await pilot.press("y")
    store.close()
    assert [d["text"] for d in Store(db).drafts().values()] == ["typed a moment ago"]


async def test_a_newer_store_refuses_the_note_keeps_it_in_the_editor_and_is_left_untouched(
        sample: Path, tmp_path: Path) -> None:
    db = tmp_path / "n.json"
    db.write_text(json.dumps({"_meta": {"schema": {"schema_version": SCHEMA_VERSION + 1}},
                              "notes": [{"id": "n1", "text": "x"}]}), encoding="utf-8")
    before = db.read_bytes()
    app, store = open_app(sample, db)
    assert store.read_only
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        await type_and_fail_to_save(pilot, "not for this file")
        assert editor(app).text == "not for this file"
        assert "read-only" in said(editor(app))
        assert "only in this window" in said(editor(app))
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedNoteScreen)
        await pilot.press("d")
        await pilot.pause()
    assert not app.is_running
    assert db.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]


async def test_notes_kept_only_in_memory_are_not_lost_by_q_or_ctrl_q_without_asking(
        sample: Path) -> None:
    store = Store(memory=True)  # what a folder that cannot be written leaves
    app = ReaderApp(load(sample), store=store)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        await pilot.press("a", *"in memory only", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert store.memory_only_changes == 1
        for key in ("q", "ctrl+q"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen), key
            assert "only in memory" in said(app.screen)
            await pilot.press("n")
            await pilot.pause()
            assert app.is_running
        await pilot.press("q", "y")
        await pilot.pause()
    assert not app.is_running


async def test_q_quits_at_once_when_every_note_is_on_disk(sample: Path, tmp_path: Path) -> None:
    app, store = open_app(sample, tmp_path / "n.json")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        await pilot.press("a", *"on disk", "ctrl+s")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
    assert [n["text"] for n in Store(tmp_path / "n.json").notes()] == ["on disk"]
