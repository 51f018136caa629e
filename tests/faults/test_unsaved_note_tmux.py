"""A note the store cannot save, in a real terminal (tmux), on a really full disk.

The notes file lives on a small tmpfs that is filled up before the reader starts (this
needs root and a kernel that lets this process mount; otherwise the full-disk tests are
skipped and say why). A store written by a newer reader needs no mount. Whatever the user
presses (escape, ctrl+q, a second ctrl+s), the typed text survives and the screen says
where it is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux_terminal import Terminal

from reader.store import SCHEMA_VERSION, Store

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed: these tests drive a terminal")


def env_for(home: Path, db: Path) -> dict[str, str]:
    return {"TERM": "xterm-256color", "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"), "XDG_CONFIG_HOME": str(home / "config"),
            "READER_DB": str(db), "PATH": os.environ.get("PATH", "")}


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs holding a small notes store, then filled to the last byte."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs (the fake-disk tests in "
                    "tests/ui/test_unsaved_note_ui.py cover the same paths)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a tmpfs ({done.stderr.strip()})")
    try:
        Store(mnt / "notes.json").close()
        fd = os.open(mnt / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            for size in (4096, 1):
                while True:
                    os.write(fd, bytes(size))
        except OSError:
            pass
        finally:
            os.close(fd)
        assert shutil.disk_usage(mnt).free < 4096
        yield mnt / "notes.json"
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def start(sample: Path, tmp_path: Path, db: Path) -> Terminal:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    term = Terminal([sys.executable, "-m", "reader", str(sample)], env_for(home, db))
    term.wait_for("Pentagon sending troops")
    return term


def write_a_note_and_save(term: Terminal, text: str) -> None:
    term.keys(")", ")", "a")
    term.wait_for("ctrl+s save")
    term.type(text)
    term.wait_for(text)
    term.keys("C-s")


def test_on_a_full_disk_the_note_survives_escape_a_second_save_and_ctrl_q_then_goes_to_a_file(
        sample: Path, tmp_path: Path, full_disk: Path) -> None:
    before = full_disk.read_bytes()
    term = start(sample, tmp_path, full_disk)
    try:
        write_a_note_and_save(term, "Check the SOUTHCOM budget line")
        term.wait_for("No space left on device", "The text is only in this window")
        term.keys("Escape")  # used to close the editor without a word
        term.wait_for("This note is not saved",
                      "No draft could be kept either: the text is only in this window",
                      "r try to save it again", "w write it to a file you name")
        term.keys("Escape")
        term.wait_gone("This note is not saved")
        term.wait_for("Check the SOUTHCOM budget line", "ctrl+s save")
        term.keys("C-s")  # a second failed save
        term.wait_for("Could not save notes")  # (the toast, and the reopened editor:)
        term.wait_for("Check the SOUTHCOM budget line", "The text is only in this window")
        term.keys("C-q")  # used to quit at once
        term.wait_for("This note is not saved", "quit and lose the note")
        term.keys("w")
        term.wait_for("Write the note to a new file")
        target = tmp_path / "rescued note.txt"
        term.keys("C-u")
        term.wait_gone("reader-note-")  # the suggested name is cleared: the box has the keys
        term.type(str(target))
        term.wait_for("rescued note.txt")
        term.keys("Enter")
        term.wait_for("EXITED-0")
    finally:
        term.close()
    assert target.read_text(encoding="utf-8").startswith("Check the SOUTHCOM budget line\n")
    assert full_disk.read_bytes() == before


def test_on_a_full_disk_escape_can_copy_the_note_to_the_clipboard_before_discarding_it(
        sample: Path, tmp_path: Path, full_disk: Path) -> None:
    term = start(sample, tmp_path, full_disk)
    try:
        write_a_note_and_save(term, "Marines arrive this week")
        term.wait_for("The text is only in this window")
        term.keys("Escape")
        term.wait_for("c copy it to the clipboard")
        term.keys("c")
        term.wait_for("sent to the clipboard")
        assert term.tmux("show-buffer").startswith("Marines arrive this week")  # OSC 52
        term.keys("d")
        term.wait_gone("This note is not saved")
        term.wait_gone("Marines arrive this week")  # the editor is closed too
        term.keys("C-q")
        term.wait_for("EXITED-0")
    finally:
        term.close()


def test_a_store_from_a_newer_reader_says_read_only_refuses_the_note_and_stays_byte_identical(
        sample: Path, tmp_path: Path) -> None:
    db = tmp_path / "notes.json"
    db.write_text(json.dumps({"_meta": {"schema": {"schema_version": SCHEMA_VERSION + 1}},
                              "notes": [{"id": "n1", "text": "x"}]}), encoding="utf-8")
    before = db.read_bytes()
    term = start(sample, tmp_path, db)
    try:
        term.wait_for("saved by a newer version of reader")
        write_a_note_and_save(term, "A note for a newer file")
        term.wait_for("A note for a newer file", "The text is only in this window")
        term.keys("C-q")
        term.wait_for("This note is not saved", "quit and lose the note")
        term.keys("d")
        term.wait_for("EXITED-0")
    finally:
        term.close()
    assert db.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
