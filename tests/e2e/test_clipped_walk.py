"""A day's use in a real terminal (tmux): a web-clipped Markdown file, search, note, export.

The walk a reader makes: open a file a web clipper saved (YAML front matter, headings,
emphasis), search for a word, press `a` on the sentence found, save the note, press `x`,
and find that sentence quoted in the Markdown written to the export folder.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from tmux_terminal import Terminal

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed: the end-to-end test needs it")

CLIPPED = """\
---
title: "Tidal Power Returns to the Severn Estuary"
author: "Ines Halvorsen"
published: 2024-03-12
source: https://example.org/news/tidal-power-severn
tags:
  - energy
  - clippings
---

# Tidal Power Returns to the Severn Estuary

Engineers have revived plans for a tidal lagoon. The first survey boats left Cardiff on
Monday, and the council expects a report by the autumn.

## What changed

A cheaper turbine design cut the projected cost by a **third**. Critics on the
*Welsh Affairs Committee* say the savings rest on untested assumptions about silt.
The saltmarsh along the northern shore shelters wading birds every winter. Nobody has
yet asked the fishermen of Penarth what they think.
"""

FOUND = "The saltmarsh along the northern shore shelters wading birds every winter."


def test_a_note_on_a_found_sentence_of_a_clipped_file_is_exported_with_that_quote(
        tmp_path: Path, private_dirs: Path) -> None:
    article = tmp_path / "tidal-power.md"
    article.write_text(CLIPPED, encoding="utf-8")
    vault = tmp_path / "vault"
    config = private_dirs / "config" / "reader"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(f'export_dir = "{vault}"\n', encoding="utf-8")
    env = {"TERM": "xterm-256color", "HOME": str(private_dirs),
           "XDG_DATA_HOME": str(private_dirs / "data"),
           "XDG_CACHE_HOME": str(private_dirs / "cache"),
           "XDG_CONFIG_HOME": str(private_dirs / "config"),
           "READER_DB": str(private_dirs / "notes.json"), "PATH": os.environ.get("PATH", "")}
    term = Terminal([sys.executable, "-m", "reader", str(article)], env, (120, 40))
    try:
        screen = term.wait_for("Engineers have revived plans")
        # The front matter is the article's metadata, not its first paragraph.
        assert "Ines Halvorsen" in screen
        assert "clippings" not in screen and "published:" not in screen
        term.wait_for("0%")
        term.keys("/")
        time.sleep(0.3)
        term.type("saltmarsh")
        term.keys("Enter")
        time.sleep(0.5)
        term.keys("a")
        term.wait_for("ctrl+s")
        term.type("check the bird survey #ecology")
        term.keys("C-s")
        term.wait_for("✎")  # the noted passage is marked in the margin
        time.sleep(0.3)
        term.keys("x")
        term.wait_for("Export 1 note as")
        term.keys("Enter")
        term.wait_for("wrote")
        written = sorted(vault.glob("*.md"))
        assert len(written) == 1
        text = written[0].read_text(encoding="utf-8")
        assert "check the bird survey" in text
        # The passage quoted is exactly the sentence found, no more and no less.
        quotes = [ln for ln in text.splitlines() if ln.startswith("> ") and "[!" not in ln
                  and "bird survey" not in ln]
        assert quotes == [f"> {FOUND}"], text
        time.sleep(0.6)  # tmux: an escape then a key at once reads as alt+key
        term.keys("q")
        term.wait_for("EXITED-0")
    finally:
        term.close()
