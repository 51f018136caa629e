"""The real program in a real terminal (tmux): what a person at a keyboard would see."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed: the end-to-end test needs it")


class Terminal:
    def __init__(self, argv: list[str], size: tuple[int, int], env: dict[str, str]) -> None:
        self.sock = f"reader-test-{uuid.uuid4().hex[:8]}"
        w, h = size
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        cmd = f"env {exports} {' '.join(shlex.quote(a) for a in argv)}; echo EXITED-$?; sleep 60"
        self.tmux("new-session", "-d", "-s", "t", "-x", str(w), "-y", str(h), cmd)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.sock, *args], capture_output=True,
                              text=True, check=False).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; last screen:\n{screen}")

    def wait_for_match(self, pattern: str, timeout: float = 20) -> re.Match[str]:
        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            found = re.search(pattern, screen)
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} never matched; last screen:\n{screen}")

    def close(self) -> None:
        self.tmux("kill-server")


def env_for(home: Path) -> dict[str, str]:
    return {"TERM": "xterm-256color", "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"), "XDG_CONFIG_HOME": str(home / "config"),
            "READER_DB": str(home / "notes.json"), "PATH": os.environ.get("PATH", "")}


@pytest.mark.parametrize("size, no_color", [((120, 40), False), ((80, 24), True)])
def test_reader_opens_pages_and_quits_in_a_real_terminal(
        sample: Path, private_dirs: Path, size: tuple[int, int], no_color: bool) -> None:
    env = env_for(private_dirs)
    if no_color:
        env["NO_COLOR"] = "1"
    term = Terminal([sys.executable, "-m", "reader", str(sample)], size, env)
    try:
        screen = term.wait_for("The US Southern Command")
        assert "Pentagon sending troops" in screen
        term.wait_for(" 0%")  # the status line may come a frame after the text
        term.keys("space")
        # One page on: the reading position is past 0% (the "0%" was on screen before the
        # key); the status line's "entities NN%" is the analysis, not the position.
        moved = term.wait_for_match(r"(?<!entities )(?<!\d)([1-9]\d?)%")
        assert 0 < int(moved.group(1)) < 100
        time.sleep(0.3)
        assert "The US Southern Command" not in term.screen()
        term.keys("q")
        term.wait_for("EXITED-0")
    finally:
        term.close()


def test_reopening_returns_to_the_saved_reading_position(sample: Path, private_dirs: Path) -> None:
    env = env_for(private_dirs)
    argv = [sys.executable, "-m", "reader", str(sample)]
    term = Terminal(argv, (100, 30), env)
    try:
        term.wait_for("The US Southern Command")
        term.keys("G")
        time.sleep(0.3)
        bottom = term.wait_for("100%")
        term.keys("q")
        term.wait_for("EXITED-0")
    finally:
        term.close()
    term = Terminal(argv, (100, 30), env)
    try:
        screen = term.wait_for("100%")
        assert "The US Southern Command" not in screen
        last_text_line = [ln for ln in bottom.splitlines() if ln.strip()][-4]
        assert last_text_line.strip()[:30] in screen
        term.keys("q")
        term.wait_for("EXITED-0")
    finally:
        term.close()


def test_bad_input_gives_one_line_and_status_2_before_any_screen(
        tmp_path: Path, private_dirs: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.5\n%\xe2\xe3\n")
    before = sorted(p for p in private_dirs.rglob("*"))
    # (A folder is no longer bad input: it opens as the library.)
    for args in ([str(tmp_path / "missing.txt")], [str(empty)], [str(pdf)],
                 ["--library", str(tmp_path / "no-such-folder")]):
        run = subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                             text=True, timeout=30, stdin=subprocess.DEVNULL)
        assert run.returncode == 2
        assert run.stdout == ""
        assert len(run.stderr.strip().splitlines()) == 1
        assert run.stderr.startswith("reader: ")
    # Nothing was written: no notes file, no cache, no settings.
    assert sorted(p for p in private_dirs.rglob("*")) == before


def test_a_folder_opens_as_the_library_enter_reads_escape_returns(
        tmp_path: Path, private_dirs: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "harbour.md").write_text("# Harbour Board Delays Vote\n\nThe Harbour Board met "
                                       "on Monday and put off the vote.\n", encoding="utf-8")
    env = env_for(private_dirs)
    env["NO_COLOR"] = "1"
    term = Terminal([sys.executable, "-m", "reader", str(folder)], (80, 24), env)
    try:
        screen = term.wait_for("2 articles")  # the folder's article and the bundled sample
        rows = [ln for ln in screen.splitlines() if ln.strip()]
        assert "Pentagon sending troops" in screen and "Harbour Board Delays Vote" in screen
        first = rows[1].strip()
        term.keys("Enter")
        # The article's key bar (the library's has no contents key), then its status line.
        term.wait_for("t Contents")
        page = term.wait_for("%")
        assert "Library" not in page.splitlines()[0]
        assert first.split()[0] in page
        time.sleep(0.6)  # tmux: an escape followed quickly by a key reads as alt+key
        term.keys("Escape")
        term.wait_for("2 articles")
        time.sleep(0.6)
        term.keys("q")
        term.wait_for("EXITED-0")
    finally:
        term.close()
