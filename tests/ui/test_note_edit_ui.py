"""Editing a note from the notes panel, and undoing the edit: through reader.notes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from reader.document import load
from reader.store import Store
from reader.ui.app import ReaderApp


async def test_an_edit_saves_text_and_tags_and_u_brings_the_note_back(
        sample: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "n.json")
    app = ReaderApp(load(sample), store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("right_parenthesis", "a", *"first words #one", "ctrl+s")
        await pilot.pause()
        [before] = store.notes()
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "second words #two"
        app.screen.query_one("#note-tags", Input).value = "#three, four"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [edited] = store.notes()
        assert (edited["text"], edited["tags"]) == ("second words #two",
                                                    ["two", "three", "four"])
        app.screen.set_focus(None)
        await pilot.press("u")
        await pilot.pause()
        [undone] = store.notes()
        assert (undone["text"], undone["tags"]) == (before["text"], before["tags"]) == (
            "first words #one", ["one"])
