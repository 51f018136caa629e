"""Pilot tests: escape cancels everywhere, in every dialog: it answers "no action"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from reader import nlp
from reader.document import parse
from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.dialogs import (
    ChoiceScreen,
    ConfirmScreen,
    HelpScreen,
    TextPrompt,
    TocScreen,
    UnsavedNoteScreen,
)

UNSET = object()


class Host(App[None]):
    """Shows one dialog and keeps what it was dismissed with."""

    def __init__(self, dialog: ModalScreen[Any]) -> None:
        super().__init__()
        self.dialog = dialog
        self.result: object = UNSET

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self._done)

    def _done(self, result: object) -> None:
        self.result = result


DIALOGS = {
    "confirm": lambda: ConfirmScreen("Apply to every article?"),
    "choice": lambda: ChoiceScreen("Pick", ["one", "two"]),
    "choice with a filter": lambda: ChoiceScreen("Pick", ["one", "two"], filterable=True),
    "text prompt": lambda: TextPrompt("Export to:", "notes.md"),
    "contents": lambda: TocScreen([(0, "Title", 1), (2, "Part", 2)]),
    "unsaved note": lambda: UnsavedNoteScreen("The disk is full.", quitting=False),
    "help": lambda: HelpScreen([("Page", [Binding("j", "down", "Down", id="x.down")])]),
}


@pytest.mark.parametrize("name", list(DIALOGS))
async def test_escape_dismisses_each_dialog_with_no_answer(name: str) -> None:
    dialog = DIALOGS[name]()
    app = Host(dialog)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.screen is dialog
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not dialog
    assert app.result is None


@pytest.mark.parametrize("name", ["choice with a filter", "text prompt"])
async def test_escape_cancels_after_typing_in_a_dialogs_box(name: str) -> None:
    dialog = DIALOGS[name]()
    app = Host(dialog)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"tw", "escape")
        await pilot.pause()
    assert app.result is None


TEXT = ("# Harbour news\n\nMarta Quill of the Tidewater Board spoke in Ostrava Bay. "
        "Quill said the Board would meet again.\n")


@pytest.fixture
def reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReaderApp:
    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)
    return ReaderApp(parse(TEXT, path=tmp_path / "a.md"), store=Store(tmp_path / "n.json"))


async def panel_on(pilot: Any, name: str) -> ArticleScreen:
    from reader.entities import Entity, Mention

    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ArticleScreen)
    text = screen.article.text
    start = text.index(name)
    other = "Tidewater Board"  # a second row, so that merging has somewhere to go
    at = text.index(other)
    screen.show_entities([Entity(name, "people", "PERSON", [],
                                 [Mention(start, start + len(name), name, "PERSON")]),
                          Entity(other, "organizations", "ORG", [],
                                 [Mention(at, at + len(other), other, "ORG")])])
    await pilot.press("tab")
    screen.panel.select_entity(next(e for e in screen.entities if e.name == name))
    await pilot.pause()
    return screen


@pytest.mark.parametrize("keys", [
    ("r", "enter", "escape"),  # relabel: a group chosen, then escape at "every article?"
    ("r", "escape"),  # relabel: escape in the list of groups
    ("delete", "escape"),  # not an entity: escape at "every article?"
    ("M", "escape"),  # merge: escape in the list
])
async def test_escape_in_a_correction_saves_nothing(reader: ReaderApp,
                                                   keys: tuple[str, ...]) -> None:
    async with reader.run_test(size=(120, 40)) as pilot:
        screen = await panel_on(pilot, "Ostrava Bay")
        await pilot.press(*keys[:-1])
        await pilot.pause()
        asked = reader.screen
        assert isinstance(asked, ConfirmScreen if keys[-2] in ("enter", "delete")
                          else ChoiceScreen)
        await pilot.press(keys[-1])
        await pilot.pause()
        assert reader.screen is screen
        assert reader.store is not None and reader.store.corrections() == []
        assert {e.name: e.group for e in screen.entities} == {
            "Ostrava Bay": "people", "Tidewater Board": "organizations"}


async def test_escape_in_adding_an_entity_saves_nothing(reader: ReaderApp) -> None:
    async with reader.run_test(size=(120, 40)) as pilot:
        screen = await panel_on(pilot, "Ostrava Bay")
        await pilot.press("tab", "plus", *"Marta", "enter")  # named; escape at its group
        await pilot.pause()
        assert isinstance(reader.screen, ChoiceScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert reader.screen is screen
        assert reader.store is not None and reader.store.corrections() == []


async def test_escape_in_the_export_prompt_writes_nothing(reader: ReaderApp,
                                                         tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.chdir(tmp_path)
    async with reader.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(reader.screen, TextPrompt)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(reader.screen, ArticleScreen)
    assert not list(tmp_path.glob("*.md"))


async def test_escape_in_the_note_editor_saves_no_note(reader: ReaderApp) -> None:
    from reader.ui.screens.note_editor import NoteEditor

    async with reader.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(reader.screen, NoteEditor)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(reader.screen, ArticleScreen)
        assert reader.store is not None and reader.store.notes() == []


async def test_escape_at_discard_the_text_goes_back_to_the_note(reader: ReaderApp) -> None:
    from reader.ui.screens.note_editor import NoteEditor

    async with reader.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        editor = reader.screen
        assert isinstance(editor, NoteEditor)
        await pilot.press(*"kept", "escape")
        await pilot.pause()
        assert isinstance(reader.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert reader.screen is editor and editor.text == "kept"


async def test_escape_in_the_entity_filter_only_closes_it(reader: ReaderApp) -> None:
    async with reader.run_test(size=(120, 40)) as pilot:
        screen = await panel_on(pilot, "Ostrava Bay")
        await pilot.press("slash", *"zz")
        await pilot.pause()
        assert screen.panel.filter_text == "zz"
        await pilot.press("escape")
        await pilot.pause()
        assert reader.screen is screen and screen.panel.filter_text == ""
        assert screen.focused is screen.panel.option_list


async def test_escape_at_quit_keeps_the_reader_open(reader: ReaderApp) -> None:
    async with reader.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a", *"draft", "ctrl+q")
        await pilot.pause()
        assert isinstance(reader.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert reader.is_running
        assert not isinstance(reader.screen, ConfirmScreen)
