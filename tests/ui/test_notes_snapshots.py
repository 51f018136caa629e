"""Snapshots of notes in the app: the notes panel at 120x40 (each note's text under its
quote), the full-width notes view at 80x24, and the page's marks (✎ a passage note, ◆ a
mention of an entity with a note), a highlight colour and the note under the cursor in
the status line.

Update after an intended change with ``pytest tests/ui/test_notes_snapshots.py
--snapshot-update`` and look at the report before committing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from reader import nlp
from reader.document import parse
from reader.entities import Entity, Mention
from reader.notes import new_note
from reader.store import Store
from reader.ui.app import ReaderApp

TEXT = ("# Harbour news\n\nMarta Quill spoke at the harbour on Tuesday. The bay was calm. "
        "Nobody remembered a calmer summer, and the boats stayed in all week while the "
        "board argued about the new pier.\n\nLater the board met by the water.\n\n"
        "Marta Quill left before the vote.\n")
NOTES = [
    ("The bay was calm.", "Calm after a week of storms: check the harbour master's log "
     "for the dates, and whether the pier works had started by then. The log is kept at "
     "the office by the water and can be read on weekdays.", ["check", "weather"]),
    ("Later the board met by the water.", "Who called the meeting?", ["board"], "green"),
    (None, "Spokesperson of the harbour; quoted in three articles.", ["people"]),
]
CREATED = "2024-05-01T09:30:00+00:00"


@pytest.fixture(autouse=True)
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)


def app_with_notes(tmp_path: Path) -> ReaderApp:
    article, store = parse(TEXT, path=tmp_path / "harbour.md"), Store(tmp_path / "n.json")
    for i, (passage, text, tags, *colour) in enumerate(NOTES):
        if passage is None:
            note = new_note(article, None, None, text, tags=tags, entity="Marta Quill")
        else:
            at = article.text.index(passage)
            note = new_note(article, at, at + len(passage), text, tags=tags)
        store.add_note({**note, "id": f"n{i}", "created": CREATED, "updated": CREATED,
                        **({"colour": colour[0]} if colour else {})})
    return ReaderApp(article, store=store)


def test_notes_panel_at_120x40(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(app_with_notes(tmp_path), terminal_size=(120, 40), press=["m"])


def test_full_notes_view_at_80x24(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(app_with_notes(tmp_path), terminal_size=(80, 24),
                        press=["m", "f"])


async def quill_found_and_cursor_on_the_board(pilot: Pilot[None]) -> None:
    from reader.ui.screens.article import ArticleScreen

    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ArticleScreen)
    text = screen.article.text
    mentions = [Mention(i, i + len("Marta Quill"), "Marta Quill", "PERSON")
                for i in (text.index("Marta Quill"), text.rindex("Marta Quill"))]
    screen.show_entities([Entity("Marta Quill", "people", "PERSON", [], mentions)])
    screen.view.set_cursor(screen.view.sentence_at_offset(text.index("Later the board")))
    screen.update_status()
    await pilot.pause()


def test_margin_marks_colour_and_status_hint_at_80x24(snap_compare: Any,
                                                      tmp_path: Path) -> None:
    assert snap_compare(app_with_notes(tmp_path), terminal_size=(80, 24),
                        run_before=quill_found_and_cursor_on_the_board)
