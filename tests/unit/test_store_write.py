"""The notes store's write path: what a save leaves on disk and in the process.

Real files under tmp_path; a fault or an observation is injected by patching ``os``.
Each test name says what a user would notice if it failed.
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any

import pytest

import reader.store as store_mod
from reader.store import SCHEMA_VERSION, Store
from reader.store.storage import AtomicJSONStorage


@pytest.fixture(autouse=True)
def _verify_every_render(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(store_mod.VERIFY_ENV, "1")
    monkeypatch.delenv(store_mod.ENV_VAR, raising=False)


def note(text: str) -> dict[str, Any]:
    return {"text": text, "tags": [], "quote": "q", "prefix": "", "suffix": "", "start": 0,
            "end": 1, "article": {"path": "/a.txt", "hash": "h1"}, "entity": None}


def test_a_note_changed_behind_the_stores_back_fails_the_save_in_verify_mode(
    tmp_path: Path,
) -> None:
    # In verify mode (the tests') a save checks that the file it writes holds the data: a
    # document changed in place without being marked dirty would be written stale.
    path = tmp_path / "notes.json"
    storage = AtomicJSONStorage(path, messages=[])
    data: dict[str, dict[str, Any]] = {"notes": {"1": note("first")}}
    storage.write(data)
    data["notes"]["1"]["text"] = "changed, not marked"
    stale = r"\Astore: the rendered file does not match the data\Z"
    with pytest.raises(AssertionError, match=stale):
        storage.write(data)
    storage.close()
    assert json.loads(path.read_text(encoding="utf-8"))["notes"]["1"]["text"] == "first"


def test_every_save_stamps_the_current_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    storage = AtomicJSONStorage(path, messages=[])
    for meta in ({}, {"_meta": {}}, {"_meta": {"schema": {"schema_version": 0}}},
                 {"_meta": {"schema": {"schema_version": 0, "other": 1}}}):
        storage.write({**meta, "notes": {}})
        on_disk = json.loads(path.read_text(encoding="utf-8"))
        assert on_disk["_meta"] == {"schema": {"schema_version": SCHEMA_VERSION}}, meta
    storage.close()


def test_the_temp_files_of_a_save_say_what_they_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A save killed half-way leaves temp files behind: each is named for the file it was
    # for and what it held (the new file, the backup copy, the old backup kept aside).
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note("first"))
    with Store(path) as s:
        s.add_note(note("second"))  # now notes.json.bak exists
    names: list[str] = []
    real_replace, real_link = os.replace, os.link

    def replace(src: Any, dst: Any) -> None:
        names.append(Path(src).name)
        real_replace(src, dst)

    def link(src: Any, dst: Any, **kw: Any) -> None:
        names.append(Path(dst).name)
        real_link(src, dst, **kw)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "link", link)
    with Store(path) as s:
        s.add_note(note("third"))
    monkeypatch.undo()
    pid = os.getpid()
    kinds = set()
    for name in names:
        m = re.fullmatch(r"\.notes\.json\.(?:(\d+)\.)?[0-9a-f]{8}\.(\w+)\.tmp", name)
        assert m, name
        if m.group(2) != "save":
            assert m.group(1) == str(pid), name
        kinds.add(m.group(2))
    assert kinds == {"save", "bak", "oldbak"}
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_removing_the_old_backup_never_keeps_the_program_from_exiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The previous .bak is freed in the background: a slow disk must not hold up the exit.
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note("first"))
        s.add_note(note("second"))
    started, release = threading.Event(), threading.Event()
    real_unlink = os.unlink

    def slow_unlink(p: Any, *a: Any, **kw: Any) -> None:
        if ".oldbak." in str(p) and threading.current_thread() is not threading.main_thread():
            started.set()
            release.wait(10)
        real_unlink(p, *a, **kw)

    monkeypatch.setattr(os, "unlink", slow_unlink)
    s = Store(path)
    try:
        s.add_note(note("third"))
        assert started.wait(10)
        waiting = [t for t in threading.enumerate()
                   if t is not threading.main_thread() and t.is_alive() and not t.daemon]
        assert waiting == []
    finally:
        release.set()
        s.close()
    assert not [p.name for p in tmp_path.iterdir() if ".oldbak." in p.name]


def test_an_old_backup_that_cannot_be_removed_prints_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The leftover is removed at the next start (with every other temp file); meanwhile
    # nothing is printed over the app.
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note("first"))
        s.add_note(note("second"))
    errors: list[Any] = []
    monkeypatch.setattr(threading, "excepthook", errors.append)
    real_unlink = os.unlink

    def failing_unlink(p: Any, *a: Any, **kw: Any) -> None:
        if ".oldbak." in str(p):
            raise PermissionError(13, "Permission denied", str(p))
        real_unlink(p, *a, **kw)

    monkeypatch.setattr(os, "unlink", failing_unlink)
    with Store(path) as s:
        s.add_note(note("third"))
    assert errors == []
    monkeypatch.undo()
    with Store(path) as s:
        assert sorted(n["text"] for n in s.notes()) == ["first", "second", "third"]


def test_a_save_waits_for_the_disk_to_sync_the_folder_only_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each fsync waits for the disk (tens of milliseconds on a slow one): the new file
    # once, the folder once after the replace, never twice.
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note("first"))
    folder = tmp_path.stat()
    synced: list[tuple[int, int]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        st = os.fstat(fd)
        synced.append((st.st_dev, st.st_ino))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with Store(path) as s:
        s.add_note(note("second"))
    monkeypatch.undo()
    assert synced.count((folder.st_dev, folder.st_ino)) == 1
    new = path.stat()
    assert synced.count((new.st_dev, new.st_ino)) == 1


@pytest.mark.parametrize("failing", [".bak", "notes.json"], ids=["backup", "file"])
def test_a_failed_save_whose_temp_files_cannot_be_removed_reports_why_the_save_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note("first"))
        s.add_note(note("second"))
    real_replace, real_unlink = os.replace, os.unlink

    def replace(src: Any, dst: Any) -> None:
        if str(dst).endswith(failing):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    def unlink(p: Any, *a: Any, **kw: Any) -> None:
        if str(p).endswith(".tmp"):
            raise PermissionError(13, "Permission denied", str(p))
        real_unlink(p, *a, **kw)

    s = Store(path)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "unlink", unlink)
    with pytest.raises(store_mod.StoreWriteError, match="No space left on device"):
        s.add_note(note("third"))
    s.close()
    monkeypatch.undo()
    with Store(path) as s:
        assert sorted(n["text"] for n in s.notes()) == ["first", "second"]


def test_saving_one_note_among_many_serialises_only_that_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A save rewrites the whole file but reuses every unchanged note's JSON (a 10,000-note
    # file takes long to serialise whole: bench/bench_store.py); a changed note, a new one
    # and the schema stamp when it was missing or old are serialised again.
    import reader.store.render as render_mod

    path = tmp_path / "notes.json"
    storage = AtomicJSONStorage(path, messages=[])
    data: dict[str, dict[str, Any]] = {
        "_meta": {"schema": {"schema_version": 0}},
        "notes": {str(i): note(f"note {i}") for i in range(50)},
    }
    storage.write(data)
    serialised: list[Any] = []
    real_dumps = render_mod._dumps

    def dumps(obj: Any) -> str:
        serialised.append(obj)
        return real_dumps(obj)

    monkeypatch.setattr(render_mod, "_dumps", dumps)
    data["notes"]["50"] = note("new")
    storage.write(data)
    assert serialised == [note("new")]
    serialised.clear()
    storage.mark_dirty("notes", "7")
    data["notes"]["7"]["text"] = "edited"
    del data["notes"]["3"]
    storage.write(data)
    assert serialised == [data["notes"]["7"]]
    serialised.clear()
    storage.write(data)
    assert serialised == []
    storage.close()
    monkeypatch.undo()
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk == {"_meta": {"schema": {"schema_version": SCHEMA_VERSION}}, **{
        k: v for k, v in data.items() if k != "_meta"}}


def test_after_a_save_the_notes_are_read_from_memory_not_from_the_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note("first"))
        reads: list[object] = []
        real_read = AtomicJSONStorage._read_raw

        def read_raw(self: AtomicJSONStorage) -> Any:
            reads.append(self)
            return real_read(self)

        monkeypatch.setattr(AtomicJSONStorage, "_read_raw", read_raw)
        s.add_note(note("second"))
        assert [n["text"] for n in s.notes()] == ["first", "second"]
        assert reads == []
