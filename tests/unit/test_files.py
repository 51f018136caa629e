"""files.atomic_write: the one way every store and export replaces a file."""

from __future__ import annotations

import os
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
