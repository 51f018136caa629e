"""reader.files: the one way every store and export replaces a file, and the deadline lock."""

from __future__ import annotations

import errno
import fcntl
import os
import time
from pathlib import Path

import pytest

from reader import files


def test_an_atomic_write_replaces_the_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "notes.md"
    target.write_text("old")
    target.chmod(0o600)
    files.atomic_write(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert target.stat().st_mode & 0o777 == 0o600
    assert os.listdir(folder) == ["notes.md"]


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "notes.md"
    target.write_text("old")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        files.atomic_write(target, b"new")
    assert target.read_text() == "old"
    assert os.listdir(folder) == ["notes.md"]


def test_the_data_is_synced_before_the_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(files.os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd)))
    monkeypatch.setattr(
        files.os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))
    )
    files.atomic_write(tmp_path / "x", "data")
    assert events == ["fsync", "replace", "fsync"]


def test_an_atomic_write_onto_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        files.atomic_write(tmp_path, "data")


def test_chunks_are_written_in_order_and_the_new_files_stat_is_returned(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    st = files.atomic_write(target, [b"{", memoryview(b'"a":1'), b"", b"}"], mode=0o600)
    assert target.read_bytes() == b'{"a":1}'
    assert st.st_size == 7 and st.st_ino == target.stat().st_ino
    assert target.stat().st_mode & 0o777 == 0o600


def test_before_replace_runs_once_the_temp_file_is_complete(tmp_path: Path) -> None:
    tmp_path = tmp_path / "folder"  # (the test's home folder is in tmp_path)
    tmp_path.mkdir()
    target = tmp_path / "x"
    target.write_text("old")
    seen: list[tuple[str, list[str]]] = []

    def check() -> None:
        temps = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".save.tmp"))
        seen.append((target.read_text(), [(tmp_path / t).read_text() for t in temps]))

    files.atomic_write(target, "new", tag="save", before_replace=check)
    assert seen == [("old", ["new"])]
    assert target.read_text() == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["x"]


def test_a_failing_before_replace_leaves_the_file_and_no_temp_file(tmp_path: Path) -> None:
    tmp_path = tmp_path / "folder"  # (the test's home folder is in tmp_path)
    tmp_path.mkdir()
    target = tmp_path / "x"
    target.write_text("old")

    def fail() -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    with pytest.raises(OSError):
        files.atomic_write(target, "new", before_replace=fail)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["x"]


def test_flock_until_takes_a_free_lock_and_gives_up_at_the_deadline(tmp_path: Path) -> None:
    lock = tmp_path / ".lock"
    mine = os.open(lock, os.O_RDWR | os.O_CREAT)
    theirs = os.open(lock, os.O_RDWR)  # another open file: flock treats it as another holder
    try:
        assert files.flock_until(mine, 1.0) is None
        started = time.monotonic()
        with pytest.raises(files.LockTimeout):
            files.flock_until(theirs, 0.05)
        assert time.monotonic() - started >= 0.05
        fcntl.flock(mine, fcntl.LOCK_UN)
        assert files.flock_until(theirs, 0.05) is None
    finally:
        os.close(mine)
        os.close(theirs)


def test_flock_until_returns_the_error_of_a_file_system_without_locks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_locks(fd: int, op: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(files.fcntl, "flock", no_locks)
    fd = os.open(tmp_path / ".lock", os.O_RDWR | os.O_CREAT)
    try:
        err = files.flock_until(fd, 1.0)
        assert err is not None and err.errno == errno.ENOLCK
    finally:
        os.close(fd)


def test_remove_temp_files_takes_only_the_prefixed_temp_files(tmp_path: Path) -> None:
    tmp_path = tmp_path / "folder"  # (the test's home folder is in tmp_path)
    tmp_path.mkdir()
    for name in (".n.json.ab.save.tmp", ".n.json.cd.tmp", ".other.tmp", "n.json", "keep.tmp"):
        (tmp_path / name).write_text("x")
    files.remove_temp_files(tmp_path, ".n.json.")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.tmp", "keep.tmp", "n.json"]


def test_link_or_copy_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("a")
    (tmp_path / "b").write_text("b")
    with pytest.raises(FileExistsError):
        files.link_or_copy(tmp_path / "a", tmp_path / "b")
    files.link_or_copy(tmp_path / "a", tmp_path / "c")
    assert (tmp_path / "b").read_text() == "b" and (tmp_path / "c").read_text() == "a"
