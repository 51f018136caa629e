"""Fault tests for the notes store, with real processes and real files.

A child process (store_child.py) plays the app; these tests kill it mid-save, run two at
once, fill its disk, and hand it broken, newer or unwritable files.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.store import SCHEMA_VERSION, Store

CHILD = Path(__file__).with_name("store_child.py")


def child(*args: str, **kw: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "READER_STORE_VERIFY": "0"}
    return subprocess.Popen(
        [sys.executable, str(CHILD), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **kw,
    )


def run_child(*args: str, timeout: float = 30) -> dict[str, Any]:
    proc = child(*args)
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def seed(path: Path, n: int, text: str = "old note") -> list[dict[str, Any]]:
    with Store(path) as s:
        return s.add_notes([{"text": f"{text} {i}", "tags": ["seed"]} for i in range(n)])


def parsed_ids(path: Path) -> set[str]:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    assert data["_meta"]["schema"]["schema_version"] == SCHEMA_VERSION
    return set(data["notes"])


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ---------------------------------------------------------------------------------------


def test_killing_the_app_mid_save_50_times_never_loses_a_reported_note(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    seed(path, 800)  # a file big enough that a save takes a few milliseconds
    rng = random.Random(1234)
    reported: set[str] = set()
    saves = mid_save = 0
    for round_ in range(50):
        proc = child("add-loop", str(path))
        assert proc.stdout is not None
        ready = proc.stdout.readline()
        assert ready.startswith("ready []"), (ready, proc.stderr and proc.stderr.read())
        time.sleep(rng.uniform(0.0, 0.12))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        lines = out.split("\n")
        complete = [line for line in lines[:-1] if line]  # the last piece may be cut off
        saves += len(complete)
        # killed between writing the temp file and replacing notes.json with it?
        mid_save += any(name.endswith(".save.tmp") for name in leftovers(tmp_path))
        reported.update(complete)

        on_disk = parsed_ids(path)  # always parses, always the current schema
        missing = reported - on_disk
        assert not missing, f"round {round_}: {len(missing)} reported notes are not on disk"
        parsed_ids(path.with_name("notes.json.bak"))  # the backup parses too
    print(f"{saves} saves reported, {mid_save} of 50 kills landed inside a save")
    assert saves >= 50, "the child hardly saved anything; the test did not exercise saves"
    assert mid_save >= 5, "too few kills landed inside a save; the test proves little"
    with Store(path) as s:
        assert s.messages == []
        assert reported <= {n["id"] for n in s.notes()}
    assert leftovers(tmp_path) == []  # temp files of killed saves are cleaned at open


def test_two_apps_adding_200_notes_each_at_once_keep_all_400(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    Store(path).close()
    go = tmp_path / "go"
    procs = [child("add-n", str(path), "200", tag, str(go)) for tag in ("a", "b")]
    # both have opened the store and wait (a child slow to start under load would otherwise
    # begin after the other has finished, and the writers would not overlap)
    deadline = time.monotonic() + 30
    while not all(go.with_name(f"go.{t}.ready").exists() for t in ("a", "b")):
        assert time.monotonic() < deadline, "the writers never opened the store"
        time.sleep(0.01)
    go.touch()
    ids: set[str] = set()
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        got = out.split()
        assert len(got) == 200
        ids.update(got)
    assert len(ids) == 400
    with Store(path) as s:
        notes = s.notes()
        assert len(notes) == 400 and {n["id"] for n in notes} == ids
        assert s.messages == []
    # Both opened the store (and read it empty) before either wrote, so each wrote over a
    # view the other made stale: that is the case this test is for. How finely the writes
    # interleave is up to the lock's scheduling and is not asserted (under load one writer
    # may take the lock many times in a row).
    assert {n["tags"][0] for n in notes} == {"a", "b"}


def test_a_disk_filling_during_a_save_leaves_the_old_file_and_a_clear_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.json"
    seed(path, 20)
    seed_again = Store(path)
    seed_again.add_note({"text": "one more, so that a .bak exists"})
    seed_again.close()
    before = path.read_bytes()
    bak_before = path.with_name("notes.json.bak").read_bytes()

    result = run_child("disk-full", str(path), str(len(before) + 2000))

    assert result["messages"] == []
    assert result["error"] == "StoreWriteError"
    message = result["message"]
    assert "\n" not in message
    assert "File too large" in message and "unchanged" in message and str(path) in message
    assert result["before"] == result["after"] == 21
    assert path.read_bytes() == before
    assert path.with_name("notes.json.bak").read_bytes() == bak_before
    assert leftovers(tmp_path) == []


def test_a_truncated_file_is_moved_aside_and_the_backup_restores_the_notes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        for i in range(10):
            s.add_note({"text": f"note {i}"})
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) * 2 // 3])  # what a torn in-place write leaves

    report = run_child("open", str(path))

    assert not report["in_memory"] and not report["read_only"]
    assert report["notes"] == []
    [message] = report["messages"]
    assert "could not be read" in message and "truncated" in message
    assert "moved aside" in message and "notes.json.bak" in message
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("notes.json.corrupt-")]
    assert len(aside) == 1 and aside[0].name in message
    assert aside[0].read_bytes() == whole[: len(whole) * 2 // 3]
    assert report["add"] == "ok"
    assert report["restored"] is True
    # .bak held the save before the last: notes 0-8, plus the note added after opening
    assert sorted(report["notes_after_restore"]) == sorted(
        [f"note {i}" for i in range(9)] + ["note 0 from new lorem ipsum dolor sit amet "]
    )
    with Store(path) as s:
        assert len(s.notes()) == 10 and s.messages == []


def test_a_file_from_a_newer_reader_is_shown_read_only_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "notes.json"
    newer = {
        "_meta": {"schema": {"schema_version": SCHEMA_VERSION + 1}},
        "notes": {"n1": {"id": "n1", "text": "written by reader 2.0", "shape": {"new": True}}},
    }
    path.write_text(json.dumps(newer), encoding="utf-8")
    before = path.read_bytes()

    report = run_child("open", str(path))

    assert report["read_only"] and not report["in_memory"]
    [message] = report["messages"]
    assert "newer version of reader" in message and "read-only" in message
    assert report["notes"] == ["written by reader 2.0"]
    assert report["add"].startswith("StoreReadOnly: ")
    assert report["notes_after_add"] == 1
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["notes.json", "notes.json.lock"]


@pytest.fixture
def read_only_folder() -> Iterator[tuple[Path, list[str]]]:
    """A data folder the child cannot write to, with a notes file in it.

    As root, permission bits do not stop writes, so the child drops to user nobody; the
    folder then lives in a fresh world-readable temp dir (pytest's tmp dirs are 0o700).
    """
    as_root = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="reader-ro-"))
    try:
        base.chmod(0o755)
        folder = base / "data"
        seed(folder / "notes.json", 3, "kept note")
        for p in folder.iterdir():
            p.chmod(0o644)
        folder.chmod(0o555)
        yield folder, (["--as-nobody"] if as_root else [])
    finally:
        if (base / "data").exists():
            (base / "data").chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_a_read_only_data_folder_shows_the_notes_and_keeps_new_ones_in_memory(
    read_only_folder: tuple[Path, list[str]],
) -> None:
    folder, extra = read_only_folder
    path = folder / "notes.json"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    report = run_child("open", str(path), *extra)

    assert report["in_memory"] and not report["read_only"]
    [message] = report["messages"]
    assert "cannot be written" in message and "Permission denied" in message
    assert "kept in memory" in message
    assert sorted(report["notes"]) == ["kept note 0", "kept note 1", "kept note 2"]
    assert report["add"] == "ok" and report["notes_after_add"] == 4
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
