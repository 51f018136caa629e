"""Every screen at 80x24 and 60x20, where the page's own snapshots do not show it already:
the library, every note of the library, the contents, the full notes view and the relabel
list. Each must keep its rows, its filter and its keys readable at those sizes.

Update after an intended change with ``pytest tests/ui/test_small_screens.py
--snapshot-update`` and look at the report before committing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_library_ui import folder_of_two, indexed, library_loaded
from test_notes_snapshots import app_with_notes
from test_snapshots import entities_found
from textual.pilot import Pilot

from reader import nlp
from reader.document import load, parse
from reader.entities import Entity, Mention
from reader.notes import new_note
from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.article import ArticleScreen

SIZES = [(80, 24), (60, 20)]


@pytest.fixture(autouse=True)
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)


def library_with_notes(tmp_path: Path) -> ReaderApp:
    store = Store(tmp_path / "notes.json")
    folder = folder_of_two(tmp_path)
    library = indexed(store, folder)
    for name, passage, text in (("harbour.txt", "Harbour Board", "Which members voted?"),
                                ("rail.md", "Santiago", "Ask for the timetable #rail")):
        article = load(folder / name)
        at = article.text.index(passage)
        library.record(article, [])
        store.add_note({**new_note(article, at, at + len(passage), text), "id": name,
                        "created": "2024-05-01T09:30:00+00:00",
                        "updated": "2024-05-01T09:30:00+00:00"})
    return ReaderApp(None, store=store, library=library)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_library(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    store = Store(tmp_path / "notes.json")
    app = ReaderApp(None, store=store, library=indexed(store, folder_of_two(tmp_path)))
    assert snap_compare(app, terminal_size=size, run_before=library_loaded)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_note_of_the_library(snap_compare: Any, tmp_path: Path,
                                   size: tuple[int, int]) -> None:
    async def notes_listed(pilot: Pilot[None]) -> None:
        await library_loaded(pilot)
        await pilot.press("n")
        await pilot.pause(0.2)

    assert snap_compare(library_with_notes(tmp_path), terminal_size=size,
                        run_before=notes_listed)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_full_notes_view(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app_with_notes(tmp_path), terminal_size=size, press=["m", "f"])


def test_the_contents_at_80x24(snap_compare: Any, tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text("# A book\n\n" + "".join(f"## Chapter {i}: a title long enough to wrap "
                                          f"at sixty columns\n\nText {i}.\n\n"
                                          for i in range(1, 15)), encoding="utf-8")
    assert snap_compare(ReaderApp(load(p)), terminal_size=(80, 24), press=["t"],
                        run_before=entities_found)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_relabel_list(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    text = "# Harbour news\n\nMarta Quill of the Tidewater Board spoke in Ostrava Bay.\n"
    app = ReaderApp(parse(text, path=tmp_path / "a.md"), store=Store(tmp_path / "n.json"))

    async def relabel_asked(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ArticleScreen)
        at = text.index("Ostrava Bay")
        screen.show_entities([Entity("Ostrava Bay", "people", "PERSON", [],
                                     [Mention(at, at + 11, "Ostrava Bay", "PERSON")])])
        await pilot.press("0", "tab", "r")  # the panel is hidden at these sizes: 0 shows it
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=size, run_before=relabel_asked)


def test_a_clipped_markdown_file_with_front_matter_a_table_and_a_footnote(
        snap_compare: Any) -> None:
    clipped = Path(__file__).resolve().parents[1] / "data" / "clipped.md"
    assert snap_compare(ReaderApp(load(clipped)), terminal_size=(80, 24),
                        press=["space"], run_before=entities_found)


def test_a_plain_text_byline_under_the_title(snap_compare: Any, tmp_path: Path) -> None:
    p = tmp_path / "ferry.txt"
    p.write_text("Ferry Service Resumes After Storm\n\nAnneli Korpela\n3 February 2024\n\n"
                 "The morning ferry left the harbour on time for the first time in a week. "
                 "Crews had cleared the slipway overnight.\n", encoding="utf-8")
    assert snap_compare(ReaderApp(load(p)), terminal_size=(80, 24),
                        run_before=entities_found)
