"""Snapshots of the page: what a reader sees at 80x24 and 120x40.

Update after an intended change with ``pytest tests/ui/test_snapshots.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import wait_for_entities
from textual.pilot import Pilot

from reader.document import load
from reader.ui.app import ReaderApp


async def entities_found(pilot: Pilot[None]) -> None:
    """Snapshots are taken once the background NER has finished, so they are stable."""
    await wait_for_entities(pilot)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


class TestPage:
    """The page, with entities highlighted (and the panel where the terminal is wide)."""

    def test_sample_at_80x24(self, snap_compare: Any, sample: Path) -> None:
        assert snap_compare(ReaderApp(load(sample)), terminal_size=(80, 24),
                            run_before=entities_found)

    def test_sample_at_120x40(self, snap_compare: Any, sample: Path) -> None:
        assert snap_compare(ReaderApp(load(sample)), terminal_size=(120, 40),
                            run_before=entities_found)

    def test_search_matches_highlighted(self, snap_compare: Any, sample: Path) -> None:
        assert snap_compare(ReaderApp(load(sample)), terminal_size=(80, 24),
                            press=["slash", *"peru", "enter"], run_before=entities_found)

    def test_markdown_rendering(self, snap_compare: Any, tmp_path: Path) -> None:
        p = tmp_path / "a.md"
        p.write_text("# A title\n\nBy Ana Lima\n\n## Section\n\nSome *em*, **strong**, `code` and "
                     "a [link](https://example.org).\n\n- one\n- two, which is long enough to "
                     "wrap onto a second line at this width of eighty columns\n\n> a quote\n",
                     encoding="utf-8")
        assert snap_compare(ReaderApp(load(p)), terminal_size=(80, 24),
                            run_before=entities_found)



async def note_on_the_third_sentence(pilot: Pilot[None]) -> None:
    await entities_found(pilot)
    await pilot.press(*["right_parenthesis"] * 4, "a", *"a thought")
    await pilot.pause()


async def shrunk_to_80x24(pilot: Pilot[None]) -> None:
    await entities_found(pilot)
    await pilot.resize_terminal(80, 24)
    await pilot.pause()


class TestSmallTerminals:
    """At 80x24 and 60x20 the text keeps the width (the panel hides), and the note
    editor shows its text box, tags field and keys."""

    def test_page_at_60x20(self, snap_compare: Any, sample: Path) -> None:
        assert snap_compare(ReaderApp(load(sample)), terminal_size=(60, 20),
                            run_before=entities_found)

    def test_page_shrunk_from_120x40_to_80x24_hides_the_panel(
            self, snap_compare: Any, sample: Path) -> None:
        assert snap_compare(ReaderApp(load(sample)), terminal_size=(120, 40),
                            run_before=shrunk_to_80x24)

    def test_note_editor_at_60x20(self, snap_compare: Any, sample: Path) -> None:
        assert snap_compare(ReaderApp(load(sample)), terminal_size=(60, 20),
                            run_before=note_on_the_third_sentence)

    def test_note_editor_at_80x24(self, snap_compare: Any, sample: Path) -> None:
        assert snap_compare(ReaderApp(load(sample)), terminal_size=(80, 24),
                            run_before=note_on_the_third_sentence)

    def test_help_at_60x20(self, snap_compare: Any, sample: Path) -> None:
        assert snap_compare(ReaderApp(load(sample)), terminal_size=(60, 20),
                            press=["question_mark"], run_before=entities_found)

    def test_help_at_80x24(self, snap_compare: Any, sample: Path) -> None:
        assert snap_compare(ReaderApp(load(sample)), terminal_size=(80, 24),
                            press=["question_mark"], run_before=entities_found)

    def test_contents_at_60x20(self, snap_compare: Any, tmp_path: Path) -> None:
        p = tmp_path / "a.md"
        p.write_text("# A book\n\n" + "".join(f"## Chapter {i}: a title long enough to wrap "
                                              f"at sixty columns\n\nText {i}.\n\n"
                                              for i in range(1, 15)), encoding="utf-8")
        assert snap_compare(ReaderApp(load(p)), terminal_size=(60, 20), press=["t"],
                            run_before=entities_found)
