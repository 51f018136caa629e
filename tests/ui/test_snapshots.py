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

