"""Snapshot of the status line of a book: the title, then the chapter the reading cursor
is in, cut to fit 80 columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import wait_for_entities
from textual.pilot import Pilot

from reader.document import load
from reader.ui.app import ReaderApp


async def entities_found(pilot: Pilot[None]) -> None:
    await wait_for_entities(pilot)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def test_status_line_with_a_chapter_at_80x24(snap_compare: Any, tmp_path: Path) -> None:
    body = ("The river ran low that summer, and the mills stood still for weeks. Nobody in "
            "the valley could remember a drier year.\n\n")
    chapters = ["## Chapter One: The Summer the River Ran Low and the Mills Stood Still\n\n"
                + body * 6,
                "## Chapter Two: What the Ledger Said About the Long Dry Year in the Valley\n\n"
                + body * 6]
    p = tmp_path / "book.md"
    p.write_text("# The Dry Year: A Chronicle of the Valley and Its Mills\n\n"
                 + "".join(chapters), encoding="utf-8")
    assert snap_compare(ReaderApp(load(p)), terminal_size=(80, 24),
                        press=["slash", *"ledger", "enter"], run_before=entities_found)
