"""Odd files get one honest line each (issue 13): the table says, for each kind of file,
what the reader is told. UTF-16 and UTF-32 text with a byte-order mark is text.

Each row: a name, how to make the file in a folder, and the words the message must hold.
On the command line every row is one line on stderr, exit status 2, no traceback, and
nothing written to the user's data.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.document import ArticleError, load

TEXT = "Héllo “world”.\r\nSecond line — with 𝄞 beyond the BMP.\n\nA second paragraph.\n"


def file(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        p = folder / name
        p.write_bytes(data)
        return p
    return make


def loop(folder: Path) -> Path:
    a, b = folder / "a.txt", folder / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    return a


def dangling(folder: Path) -> Path:
    p = folder / "link.txt"
    p.symlink_to(folder / "gone.txt")
    return p


def fifo(folder: Path) -> Path:
    p = folder / "pipe.txt"
    os.mkfifo(p)
    return p


def folder_arg(folder: Path) -> Path:
    p = folder / "notes.d"
    p.mkdir()
    return p


NUL_TEXT = b"a" * 1234 + b"\x00" + b"b" * 100

BAD: list[tuple[str, Callable[[Path], Path], str]] = [
    ("png", file("pic.txt", b"\x89PNG\r\n\x1a\n" + bytes(64)), ": a PNG image (not text; open a "),
    ("pdf", file("paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
     ": a PDF document (not supported;"),
    ("jpeg", file("photo.md", b"\xff\xd8\xff\xe0" + bytes(32)), ": a JPEG image (not text;"),
    ("nul bytes", file("nul.txt", NUL_TEXT), ": text with NUL bytes at byte 1234, which is not "),
    ("utf-16 without bom", file("w.txt", "Plain words here.\n".encode("utf-16-le")),
     ": looks like UTF-16 text without a byte-order mark"),
    ("symlink loop", loop, ": too many levels of symbolic links"),
    ("dangling symlink", dangling, "gone.txt, which does not exist"),
    ("fifo", fifo, ": is a named pipe (FIFO), not a file"),
    ("directory", folder_arg, ": is a folder, not an article"),
    ("missing", lambda d: d / "missing.txt", "missing.txt: no such file"),
    ("control characters", file("ctl.txt", bytes(range(1, 32)) * 20),
     ": binary data, not text ("),
]


@pytest.mark.parametrize("name, make, words", BAD, ids=[row[0] for row in BAD])
def test_each_odd_file_is_refused_with_its_own_one_line_sentence(
        tmp_path: Path, name: str, make: Callable[[Path], Path], words: str) -> None:
    path = make(tmp_path)
    with pytest.raises(ArticleError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert words in message
    assert "\n" not in message and ".:" not in message and "binary file" not in message
    reason = message.removeprefix(f"{path}: ")
    assert not re.search(r"[.!?]\s+[A-Z]", reason), "two sentences run together"
    assert not reason.endswith(".")


def test_every_odd_file_gets_a_different_message(tmp_path: Path) -> None:
    reasons = set()
    for i, (_, make, _) in enumerate(BAD):
        folder = tmp_path / str(i)
        folder.mkdir()
        with pytest.raises(ArticleError) as info:
            load(make(folder))
        reasons.add(str(info.value).split(": ", 1)[1].split(" (")[0])
    assert len(reasons) == len(BAD)


@pytest.mark.parametrize("codec, bom", [
    ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-be", b"\x00\x00\xfe\xff"),
])
def test_utf16_and_utf32_text_with_a_bom_opens_as_text_with_python_offsets(
        tmp_path: Path, codec: str, bom: bytes) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(bom + TEXT.encode(codec))
    article = load(path)
    assert article.encoding in ("utf-16", "utf-32")
    with open(path, encoding=article.encoding) as fh:  # offsets as Python reads the file
        assert fh.read() == article.text
    assert article.text.startswith("Héllo")  # the mark is not part of the text
    assert article.paragraphs[-1] == "A second paragraph."
    assert article.notice is None


def test_utf16_with_a_bom_but_broken_bytes_says_so(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    with pytest.raises(ArticleError, match=r"starts as UTF-16 text but is not valid UTF-16"):
        load(path)


def reader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL,
                          env=dict(os.environ))


@pytest.mark.parametrize("command", [(), ("notes",), ("export",)],
                         ids=["reader FILE", "reader notes FILE", "reader export FILE"])
def test_on_the_command_line_each_odd_file_is_one_line_and_status_2_and_writes_nothing(
        tmp_path: Path, private_dirs: Path, command: tuple[str, ...]) -> None:
    before = sorted(private_dirs.rglob("*"))
    for i, (name, make, words) in enumerate(BAD):
        if name == "directory" and not command:
            continue  # `reader FOLDER` opens the folder as the library
        folder = tmp_path / f"in{i}"
        folder.mkdir()
        run = reader(*command, str(make(folder)))
        assert run.returncode == 2, (name, run.stderr)
        assert run.stdout == ""
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("reader: "), (name, run.stderr)
        assert words in lines[0], (name, lines[0])
    assert sorted(private_dirs.rglob("*")) == before  # no notes file, cache or settings
