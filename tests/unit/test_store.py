"""The notes store: real files under tmp_path, no mocks except where a fault is injected.

Each test name says what a user would notice if it failed.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reader.store as store_mod
import reader.store.storage as storage_mod
from reader.store import (
    SCHEMA_VERSION,
    Store,
    StoreBusy,
    StoreError,
    StoreReadOnly,
    StoreWriteError,
    default_path,
)


@pytest.fixture(autouse=True)
def _verify_every_render(monkeypatch: pytest.MonkeyPatch) -> None:
    # The store then checks, on every save, that the file it writes parses back to its data.
    monkeypatch.setenv(store_mod.VERIFY_ENV, "1")
    monkeypatch.delenv(store_mod.ENV_VAR, raising=False)


def note(text: str = "a note", article_hash: str = "h1", **extra: Any) -> dict[str, Any]:
    return {
        "text": text,
        "tags": ["tag"],
        "quote": "the quoted passage",
        "prefix": "before ",
        "suffix": " after",
        "start": 10,
        "end": 28,
        "article": {"path": "/articles/a.txt", "hash": article_hash},
        "entity": None,
        **extra,
    }


def on_disk(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------- round trips


def test_a_saved_note_is_there_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        saved = s.add_note(note("Ünïcödé – 東京 #travel", tags=["travel", "日本"]))
        assert s.messages == []
    with Store(path) as s:
        assert s.notes() == [saved]
        assert s.get_note(saved["id"]) == saved
        assert s.messages == []


def test_new_notes_get_an_id_and_timestamps_but_keep_given_ones(tmp_path: Path) -> None:
    with Store(tmp_path / "notes.json") as s:
        a = s.add_note(note())
        b = s.add_note(note(id="myid", created="2020-01-01T00:00:00+00:00"))
    assert len(a["id"]) == 32 and int(a["id"], 16) >= 0
    assert a["created"] == a["updated"] and a["created"].endswith("+00:00")
    assert b["id"] == "myid"
    assert b["created"] == "2020-01-01T00:00:00+00:00" == b["updated"]


def test_adding_a_note_with_a_taken_id_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "notes.json") as s:
        s.add_note(note(id="x"))
        with pytest.raises(ValueError, match="already exists"):
            s.add_note(note(id="x"))
        with pytest.raises(ValueError, match="same id"):
            s.add_notes([note(id="y"), note(id="y")])
        assert [n["id"] for n in s.notes()] == ["x"]


def test_editing_a_note_changes_it_and_its_updated_time(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        n = s.add_note(note(created="2020-01-01T00:00:00+00:00"))
        changed = s.update_note(n["id"], {"text": "new text", "tags": ["x", "y"]})
        assert changed["text"] == "new text" and changed["tags"] == ["x", "y"]
        assert changed["updated"] > n["updated"]
        assert changed["created"] == n["created"]
        with pytest.raises(KeyError):
            s.update_note("nope", {"text": "x"})
        with pytest.raises(ValueError, match="id cannot be changed"):
            s.update_note(n["id"], {"id": "other"})
    with Store(path) as s:
        assert s.get_note(n["id"]) == changed


def test_a_deleted_note_is_gone_and_undo_brings_it_back_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        n = s.add_note(note())
        keep = s.add_note(note("other"))
        deleted = s.delete_note(n["id"])
        assert deleted == n
        assert s.delete_note(n["id"]) is None
        assert s.notes() == [keep]
    with Store(path) as s:
        assert s.notes() == [keep]
        s.add_note(deleted)
        assert s.get_note(n["id"]) == n


def test_notes_of_one_article_are_listed_without_the_others(tmp_path: Path) -> None:
    with Store(tmp_path / "notes.json") as s:
        a1 = s.add_note(note("one", "A"))
        s.add_note(note("two", "B"))
        a2 = s.add_note(note("three", "A"))
        s.add_note({"text": "no article"})
        assert s.notes("A") == [a1, a2]
        assert s.notes("missing") == []
        assert len(s.notes()) == 4


def test_changing_a_returned_note_does_not_change_the_store(tmp_path: Path) -> None:
    with Store(tmp_path / "notes.json") as s:
        n = s.add_note(note())
        n["tags"].append("sneaky")
        n["article"]["hash"] = "sneaky"
        got = s.get_note(n["id"])
        assert got is not None
        got["tags"].append("sneaky")
        s.notes()[0]["tags"].append("sneaky")
        updated = s.update_note(n["id"], {"tags": ["a"]})
        updated["tags"].append("sneaky")
        assert s.get_note(n["id"]) == {**updated, "tags": ["a"]}
        assert s.notes("h1")[0]["tags"] == ["a"]


def test_text_with_odd_characters_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    odd = 'quote " backslash \\ newline \n tab \t nul \x00 sep \u2028 lone \udc80 emoji 🦉'
    with Store(path) as s:
        n = s.add_note(note(odd, id='id with "quotes" and \\ and \n'))
    with Store(path) as s:
        assert s.get_note(n["id"]) == n
        assert s.messages == []


def test_a_value_that_is_not_json_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note())
        before = path.read_bytes()
        with pytest.raises(ValueError, match="JSON"):
            s.add_note(note(extra=object()))
        with pytest.raises(ValueError, match="JSON"):
            s.add_note(note(start=float("nan")))
        assert path.read_bytes() == before
        assert len(s.notes()) == 1


# --------------------------------------------------------------------------- positions, drafts


def test_the_reading_position_is_remembered_per_article(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        assert s.get_position("A") is None
        s.set_position("A", 120, "/a.txt")
        s.set_position("B", 5, "/b.txt")
        s.set_position("A", 300, "/a.txt")
    with Store(path) as s:
        assert s.get_position("A") == 300
        assert s.get_position("B") == 5
        recent = s.recent()
        assert [r["hash"] for r in recent] == ["A", "B"]
        assert recent[0]["path"] == "/a.txt" and recent[0]["offset"] == 300
        assert s.recent(limit=1) == recent[:1]


def test_an_unsaved_draft_survives_a_restart_and_can_be_dropped(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.save_draft("A:10-20", {"text": "half-typed", "tags": ["x"], "stale": 1})
        s.save_draft("A:10-20", {"text": "half-typed note"})
        s.save_draft("other", {"text": "t"})
    with Store(path) as s:
        draft = s.get_draft("A:10-20")
        assert draft is not None
        assert draft["text"] == "half-typed note" and "stale" not in draft
        assert set(s.drafts()) == {"A:10-20", "other"}
        s.drop_draft("A:10-20")
        s.drop_draft("never existed")
    with Store(path) as s:
        assert s.get_draft("A:10-20") is None
        assert set(s.drafts()) == {"other"}


def test_entity_corrections_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        c = s.add_correction({"kind": "relabel", "entity": "Berlin", "label": "GPE"})
        s.add_correction({"kind": "merge", "names": ["EU", "European Union"]})
    with Store(path) as s:
        assert len(s.corrections()) == 2
        assert s.delete_correction(c["id"]) == c
        assert s.delete_correction(c["id"]) is None
        assert [x["kind"] for x in s.corrections()] == ["merge"]


# --------------------------------------------------------------------------- file format


def test_the_file_says_which_schema_it_uses(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note())
    data = on_disk(path)
    assert data["_meta"]["schema"]["schema_version"] == SCHEMA_VERSION == 1
    assert len(data["notes"]) == 1


def test_every_save_keeps_the_previous_file_as_bak(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    bak = tmp_path / "notes.json.bak"
    with Store(path) as s:
        first = s.add_note(note("first"))
        assert on_disk(bak).get("notes", {}) == {}
        s.add_note(note("second"))
        assert list(on_disk(bak)["notes"]) == [first["id"]]
        assert len(on_disk(path)["notes"]) == 2
    assert temp_files(tmp_path) == []


def test_a_pretty_printed_file_from_elsewhere_is_read_and_saved(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    data = {
        "_meta": {"schema": {"schema_version": 1}},
        "notes": {"n1": {"id": "n1", "text": "hand written"}},
        "positions": {},
    }
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    with Store(path) as s:
        assert s.notes() == [{"id": "n1", "text": "hand written"}]
        s.add_note(note(id="n2"))
        s.update_note("n1", {"text": "edited"})
    assert on_disk(path)["notes"]["n1"]["text"] == "edited"
    with Store(path) as s:
        assert [n["id"] for n in s.notes()] == ["n1", "n2"]


def test_a_symlinked_notes_file_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "sync" / "notes.json"
    real.parent.mkdir()
    link = tmp_path / "notes.json"
    link.symlink_to(real)
    with Store(link) as s:
        s.add_note(note())
    assert link.is_symlink()
    assert len(on_disk(real)["notes"]) == 1


# --------------------------------------------------------------------------- schema versions


def test_a_file_from_before_schema_versions_is_upgraded_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    old = {
        "_default": {},
        "notes": {
            "1": {"text": "no id yet", "article": {"path": "a", "hash": "A"}},
            "2": {"id": "abc", "text": "had an id"},
        },
        "positions": {"1": {"hash": "A", "offset": 7, "path": "a"}},
    }
    old_text = json.dumps(old)
    path.write_text(old_text, encoding="utf-8")
    with Store(path) as s:
        assert any("upgraded from schema 0 to 1" in m for m in s.messages)
        texts = {n["text"]: n for n in s.notes()}
        assert texts["had an id"]["id"] == "abc"
        assert len(texts["no id yet"]["id"]) == 32
        assert s.get_position("A") == 7
        assert s.notes("A")[0]["text"] == "no id yet"
    data = on_disk(path)
    assert data["_meta"]["schema"]["schema_version"] == 1
    assert "_default" not in data
    assert (tmp_path / "notes.json.schema-0").read_text(encoding="utf-8") == old_text
    with Store(path) as s:
        assert s.messages == []


def test_a_file_from_a_newer_version_opens_read_only_and_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    newer = {
        "_meta": {"schema": {"schema_version": SCHEMA_VERSION + 1}},
        "notes": {"n1": {"id": "n1", "text": "from the future", "new_field": [1]}},
    }
    path.write_text(json.dumps(newer), encoding="utf-8")
    before = path.read_bytes()
    with Store(path) as s:
        assert s.read_only and not s.in_memory
        assert len(s.messages) == 1
        assert "newer version of reader" in s.messages[0]
        assert "read-only" in s.messages[0]
        assert s.notes()[0]["text"] == "from the future"
        with pytest.raises(StoreReadOnly, match="newer version"):
            s.add_note(note())
        with pytest.raises(StoreReadOnly):
            s.set_position("A", 1, "a")
        with pytest.raises(StoreReadOnly):
            s.delete_note("n1")
        assert len(s.notes()) == 1
    assert path.read_bytes() == before
    assert not (tmp_path / "notes.json.bak").exists()


def test_a_read_only_notes_file_is_not_written_even_by_a_change_that_skips_the_checks(
        tmp_path: Path) -> None:
    # TinyDB's own operations (here: drop every table) call the storage's write directly,
    # without Store's checks before a change: the storage itself refuses, saying why.
    path = tmp_path / "notes.json"
    newer = {"_meta": {"schema": {"schema_version": SCHEMA_VERSION + 1}}, "notes": {}}
    path.write_text(json.dumps(newer), encoding="utf-8")
    before = path.read_bytes()
    with Store(path) as s, pytest.raises(StoreReadOnly, match="newer version of reader"):
        s._db.drop_tables()
    assert path.read_bytes() == before


NEWER_SHAPES = {
    # The file: a newer schema whose notes table is a list, not an object.
    "notes as a list": {"_meta": {"schema": {"schema_version": SCHEMA_VERSION + 1}},
                        "notes": [{"id": "n1", "text": "x"}]},
    "a table of strings": {"_meta": {"schema": {"schema_version": SCHEMA_VERSION + 5},
                                     "extra": [1, 2]},
                           "notes": {"n1": {"id": "n1", "text": "kept"}},
                           "index": {"a": "b"}, "flags": 7},
}


@pytest.mark.parametrize("shape", sorted(NEWER_SHAPES))
def test_a_newer_store_of_another_shape_opens_read_only_and_is_never_moved_aside(
    tmp_path: Path, shape: str
) -> None:
    path = tmp_path / "store" / "notes.json"
    path.parent.mkdir()
    path.write_text(json.dumps(NEWER_SHAPES[shape]), encoding="utf-8")
    before = path.read_bytes()
    with Store(path) as s:
        assert s.read_only and not s.in_memory
        assert len(s.messages) == 1, s.messages
        message = s.messages[0]
        assert "newer version of reader" in message and "read-only" in message
        assert "cannot read, so" in message  # says which tables it does not show
        with pytest.raises(StoreReadOnly):
            s.add_note(note())
        with pytest.raises(StoreReadOnly):
            s.save_draft("k", {"text": "typed"})
        with pytest.raises(StoreReadOnly):
            s.set_position("A", 1, "a")
        shown = [n["text"] for n in s.notes()]
        assert shown == (["kept"] if shape == "a table of strings" else [])
        assert s.drafts() == {} and s.corrections() == []
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["notes.json", "notes.json.lock"]


def test_a_file_that_is_no_notes_store_of_any_version_is_still_moved_aside(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.json"
    # Same shape as the newer file above, but its version is ours: simply broken.
    path.write_text(json.dumps({"_meta": {"schema": {"schema_version": SCHEMA_VERSION}},
                                "notes": [{"id": "n1"}]}), encoding="utf-8")
    with Store(path) as s:
        assert not s.read_only and not s.in_memory
        assert "moved aside" in s.messages[0]
    assert any(".corrupt-" in p.name for p in tmp_path.iterdir())


# --------------------------------------------------------------------------- unreadable files

UNREADABLE = {
    "truncated": None,  # filled from a real file below
    "not_json": b"this is not json at all",
    "empty": b"",
    "binary": bytes(range(256)),
    "top_level_list": b"[1, 2, 3]",
    "table_not_object": b'{"notes": [1, 2]}',
    "note_not_object": b'{"_meta": {"schema": {"schema_version": 1}}, "notes": {"a": 5}}',
    "bad_schema_version": b'{"_meta": {"schema": {"schema_version": "one"}}, "notes": {}}',
}


@pytest.mark.parametrize("kind", sorted(UNREADABLE))
def test_an_unreadable_file_is_moved_aside_never_overwritten_and_backup_offered(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        kept = [s.add_note(note(f"note {i}")) for i in range(3)]
    good = path.read_bytes()
    bad = UNREADABLE[kind] if kind != "truncated" else good[: len(good) // 2]
    assert bad is not None
    path.write_bytes(bad)

    with Store(path) as s:
        assert s.notes() == []
        assert not s.in_memory and not s.read_only
        assert len(s.messages) == 1
        msg = s.messages[0]
        assert "\n" not in msg
        aside = [p for p in tmp_path.iterdir() if p.name.startswith("notes.json.corrupt-")]
        assert len(aside) == 1
        assert aside[0].read_bytes() == bad  # moved, not rewritten
        assert "could not be read" in msg and aside[0].name in msg
        assert "notes.json.bak" in msg and "can be restored" in msg
        assert s.backup_path is not None

        # new notes are saved to a fresh file; the backup offered is not lost by them
        fresh = s.add_note(note("written after the trouble"))
        s.add_note(note("and another"))
        assert s.restore_backup() is True
        texts = sorted(n["text"] for n in s.notes())
        # .bak held the save before the last one: the first two notes
        assert texts == sorted(["note 0", "note 1", fresh["text"], "and another"])
        assert "Restored 2 notes" in s.messages[-1]
    assert aside[0].read_bytes() == bad
    with Store(path) as s:
        assert s.messages == []
        assert {n["id"] for n in s.notes()} >= {kept[0]["id"], kept[1]["id"], fresh["id"]}


def test_a_second_unreadable_file_gets_its_own_name(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_bytes(b"{broken")
    Store(path).close()
    path.write_bytes(b"{broken again")
    Store(path).close()
    aside = sorted(p.read_bytes() for p in tmp_path.iterdir() if ".corrupt-" in p.name)
    assert aside == [b"{broken", b"{broken again"]


def test_an_unreadable_file_without_a_backup_says_there_is_none(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_bytes(b'{"notes": {"a": {"text": "cut off')
    with Store(path) as s:
        assert "No backup" in s.messages[0]
        assert "truncated" in s.messages[0]
        assert s.backup_path is None
        assert s.restore_backup() is False
        assert "no backup" in s.messages[-1].lower()


def test_a_file_broken_by_another_program_while_open_is_moved_aside_at_next_save(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        a = s.add_note(note("mine"))
        path.write_bytes(b"garbage written by some editor")
        assert s.notes() == [a]  # the last good state stays visible
        assert "cannot be read" in s.messages[-1]
        b = s.add_note(note("after"))
        assert [n["id"] for n in s.notes()] == [a["id"], b["id"]]
        assert "moved aside" in s.messages[-1]
        assert s.take_messages() == s.messages
        assert s.take_messages() == []
    aside = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert [p.read_bytes() for p in aside] == [b"garbage written by some editor"]
    assert len(on_disk(path)["notes"]) == 2


def test_a_newer_version_writing_the_file_while_open_stops_our_writes(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note())
        data = on_disk(path)
        data["_meta"]["schema"]["schema_version"] = SCHEMA_VERSION + 1
        path.write_text(json.dumps(data), encoding="utf-8")
        before = path.read_bytes()
        with pytest.raises(StoreReadOnly):
            s.add_note(note("second"))
        assert s.read_only
        assert path.read_bytes() == before


def test_a_notes_file_deleted_while_open_is_written_again_with_every_note(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note("one"))
        path.unlink()
        s.add_note(note("two"))
    assert sorted(n["text"] for n in on_disk(path)["notes"].values()) == ["one", "two"]


# --------------------------------------------------------------------------- unwritable places


def test_a_data_folder_that_cannot_be_created_keeps_notes_in_memory(tmp_path: Path) -> None:
    # Works as root too: nobody can create a folder below a regular file.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with Store(blocker / "reader" / "notes.json") as s:
        assert s.in_memory and not s.read_only
        assert len(s.messages) == 1
        assert "cannot be created" in s.messages[0]
        assert "kept in memory" in s.messages[0]
        n = s.add_note(note())
        s.set_position("A", 3, "a")
        s.save_draft("k", {"text": "t"})
        assert s.notes() == [n]  # still there to export
        assert s.get_position("A") == 3
    assert blocker.read_text() == "x"


@pytest.mark.skipif(
    os.geteuid() == 0,
    reason="root writes into a 0o500 folder anyway; tests/faults covers a read-only folder "
    "as root by dropping privileges in the child process",
)
def test_a_read_only_folder_shows_existing_notes_and_keeps_new_ones_in_memory(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    path = folder / "notes.json"
    with Store(path) as s:
        old = s.add_note(note("old"))
    before = sorted(os.listdir(folder))
    folder.chmod(0o500)
    try:
        with Store(path) as s:
            assert s.in_memory
            assert "cannot be written" in s.messages[0]
            assert s.notes() == [old]
            new = s.add_note(note("new"))
            assert s.notes() == [old, new]
        assert sorted(os.listdir(folder)) == before
    finally:
        folder.chmod(0o700)


def test_a_read_only_notes_file_is_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        old = s.add_note(note("old"))
    path.chmod(0o444)
    before = path.read_bytes()
    if os.access(path, os.W_OK):
        pytest.skip("running as root: a 0o444 file is writable")
    with Store(path) as s:
        assert s.in_memory and "read-only" in s.messages[0]
        assert s.notes() == [old]
        s.add_note(note("new"))
    assert path.read_bytes() == before


def test_a_memory_only_store_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("READER_DB", str(work / "notes.json"))
    with Store(memory=True) as s:
        assert s.path is None and s.in_memory and s.messages == []
        n = s.add_note(note())
        assert s.notes() == [n]
        assert s.restore_backup() is False
    assert list(work.iterdir()) == []


# --------------------------------------------------------------------------- failing saves


def test_a_failing_save_raises_a_clear_error_and_leaves_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        kept = s.add_note(note("kept"))
        before = path.read_bytes()
        bak_before = (tmp_path / "notes.json.bak").read_bytes()

        def full(fd: int, buffers: Any) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "writev", full)
        with pytest.raises(StoreWriteError) as info:
            s.add_note(note("lost"))
        msg = str(info.value)
        assert "\n" not in msg
        assert "No space left on device" in msg and "unchanged" in msg
        assert path.read_bytes() == before
        assert (tmp_path / "notes.json.bak").read_bytes() == bak_before
        assert temp_files(tmp_path) == []
        assert s.notes() == [kept]  # what is shown is what is on disk
        monkeypatch.undo()
        monkeypatch.setenv(store_mod.VERIFY_ENV, "1")
        s.add_note(note("works again"))
        assert len(s.notes()) == 2


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EROFS], ids=["full", "read-only"])
def test_a_note_or_draft_the_disk_refuses_is_reported_and_not_shown_as_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int
) -> None:
    from conftest import FailingDisk

    path = tmp_path / "notes.json"
    with Store(path) as s:
        kept = s.add_note(note("kept"))
        before = path.read_bytes()
        monkeypatch.setattr(storage_mod, "os", FailingDisk(err))
        for change in (lambda: s.add_note(note("refused")),
                       lambda: s.save_draft("k", {"text": "refused draft"})):
            with pytest.raises(StoreWriteError) as info:
                change()
            assert os.strerror(err) in str(info.value) and "unchanged" in str(info.value)
        assert s.notes() == [kept] and s.drafts() == {}  # nothing claims to be saved
        monkeypatch.setattr(storage_mod, "os", os)
        assert path.read_bytes() == before
        assert temp_files(tmp_path) == []


def test_a_store_locked_too_long_by_another_process_gives_up_with_a_message(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.json"
    with Store(path, lock_timeout=0.2) as s:
        s.add_note(note())
        before = path.read_bytes()
        fd = os.open(tmp_path / "notes.json.lock", os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with pytest.raises(StoreBusy, match="locked by another reader process"):
                s.add_note(note("waits"))
        finally:
            os.close(fd)
        assert path.read_bytes() == before
        s.add_note(note("now it can"))
        assert len(s.notes()) == 2


def test_a_store_locked_at_start_says_so_in_one_sentence_without_a_double_period(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.json"
    Store(path).close()
    fd = os.open(tmp_path / "notes.json.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with Store(path, lock_timeout=0.2) as s:
            assert s.in_memory
            [message] = s.messages
            assert "locked by another reader process" in message
            assert ".." not in message and ".:" not in message
    finally:
        os.close(fd)


def test_a_closed_store_says_so(tmp_path: Path) -> None:
    s = Store(tmp_path / "notes.json")
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.notes()


def test_leftover_temp_files_of_a_killed_save_are_cleaned_up(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    Store(path).close()
    (tmp_path / ".notes.json.999.abcd.save.tmp").write_text('{"half')
    (tmp_path / "unrelated.tmp").write_text("keep me")
    Store(path).close()
    assert temp_files(tmp_path) == ["unrelated.tmp"]


# --------------------------------------------------------------------------- two writers, threads


def test_two_open_stores_on_one_file_keep_each_others_notes(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as a, Store(path) as b:
        na = a.add_note(note("from a"))
        nb = b.add_note(note("from b"))
        a.update_note(nb["id"], {"text": "b, edited by a"})
        b.set_position("X", 4, "x")
        assert {n["text"] for n in a.notes()} == {"from a", "b, edited by a"}
        assert a.get_position("X") == 4
        assert b.get_note(na["id"]) == na
        b.delete_note(na["id"])
        assert a.get_note(na["id"]) is None
    assert [n["text"] for n in on_disk(path)["notes"].values()] == ["b, edited by a"]


def test_notes_added_from_several_threads_are_all_kept(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    errors: list[BaseException] = []
    with Store(path) as s:

        def work(t: int) -> None:
            try:
                for i in range(15):
                    n = s.add_note(note(f"{t}-{i}"))
                    s.update_note(n["id"], {"tags": [str(t)]})
                    s.notes("h1")
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    with Store(path) as s:
        assert len(s.notes()) == 60


# --------------------------------------------------------------------------- paths


def test_the_notes_file_location_follows_the_flag_then_env_then_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("READER_DB", raising=False)
    platform = default_path()
    assert platform.name == "notes.json" and "reader" in platform.parts
    monkeypatch.setenv("READER_DB", str(tmp_path / "env" / "mine.json"))
    assert default_path() == tmp_path / "env" / "mine.json"
    with Store() as s:
        assert s.path == (tmp_path / "env" / "mine.json").resolve()
    with Store(tmp_path / "flag.json") as s:
        assert s.path == (tmp_path / "flag.json").resolve()
    assert (tmp_path / "env" / "mine.json").exists() and (tmp_path / "flag.json").exists()


# --------------------------------------------------------------------------- property


ops = st.lists(
    st.tuples(
        st.sampled_from(["add", "update", "delete", "position", "draft", "reopen"]),
        st.integers(0, 1),  # which of the two stores
        st.integers(0, 50),  # which existing note
        st.text(max_size=12),
    ),
    max_size=25,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops)
def test_any_mix_of_changes_from_two_stores_ends_up_exactly_on_disk(
    tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[str, int, int, str]]
) -> None:
    path = tmp_path_factory.mktemp("prop") / "notes.json"
    model: dict[str, dict[str, Any]] = {}
    positions: dict[str, int] = {}
    stores = [Store(path), Store(path)]
    try:
        for op, which, pick, text in operations:
            s = stores[which]
            ids = list(model)
            if op == "add":
                n = s.add_note(note(text, tags=[text]))
                model[n["id"]] = n
            elif op == "update" and ids:
                nid = ids[pick % len(ids)]
                model[nid] = s.update_note(nid, {"text": text, "extra": {"k": [text]}})
            elif op == "delete" and ids:
                nid = ids[pick % len(ids)]
                assert s.delete_note(nid) == model.pop(nid)
            elif op == "position":
                s.set_position(text, pick, "p")
                positions[text] = pick
            elif op == "draft":
                s.save_draft(text, {"text": text})
            elif op == "reopen":
                s.close()
                stores[which] = Store(path)
            data = on_disk(path)
            assert data["notes"] == model
            assert {k: v["offset"] for k, v in data.get("positions", {}).items()} == positions
        for s in stores:
            assert {n["id"]: n for n in s.notes()} == model
            assert s.messages == []
    finally:
        for s in stores:
            s.close()


def test_opening_the_store_does_not_pull_in_the_ui_or_the_nlp_model() -> None:
    import subprocess
    import sys

    code = (
        "import sys, reader.store; "
        "bad = [m for m in ('textual', 'spacy') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_saved_note_survives_a_power_cut_right_after_the_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A save is durable only if the new file's bytes reach the disk before it replaces the
    # old one (else a power cut can leave an empty notes file), and the folder is synced
    # after the replace (else the rename itself can be lost). Observed by patching os.fsync.
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note("first"))
    events: list[tuple[str, Any]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        st = os.fstat(fd)
        events.append(("fsync", (st.st_dev, st.st_ino)))
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        st = os.stat(src)
        events.append(("replace", (Path(dst).name, (st.st_dev, st.st_ino))))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    with Store(path) as s:
        s.add_note(note("second"))
    monkeypatch.undo()

    folder = tmp_path.stat()
    folder_id = (folder.st_dev, folder.st_ino)
    [at] = [i for i, (kind, what) in enumerate(events)
            if kind == "replace" and what[0] == "notes.json"]
    new_file = events[at][1][1]
    assert new_file == (path.stat().st_dev, path.stat().st_ino)
    assert ("fsync", new_file) in events[:at], events
    assert ("fsync", folder_id) in events[at + 1:], events
    with Store(path) as s:
        assert sorted(n["text"] for n in s.notes()) == ["first", "second"]


# --------------------------------------------------------------------------- the write path
# Each test is named for what a user would see if that part of a save broke.


def test_without_hard_links_every_save_still_keeps_the_previous_file_as_bak(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Some file systems (FAT, some network shares) have no hard links: .bak is a copy.
    def no_links(src: Any, dst: Any) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note("first"))
        first = path.read_bytes()
        s.add_note(note("second"))
        assert (tmp_path / "notes.json.bak").read_bytes() == first
        second = path.read_bytes()
        s.add_note(note("third"))
        assert (tmp_path / "notes.json.bak").read_bytes() == second
    assert temp_files(tmp_path) == []
    assert not (tmp_path / "notes.json.bak").is_symlink()
    assert os.stat(tmp_path / "notes.json.bak").st_ino != os.stat(path).st_ino


def test_a_save_the_disk_takes_a_few_bytes_at_a_time_is_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A short write (a signal, a pipe-like file system) means: write the rest.
    real_writev = os.writev
    calls: list[int] = []

    def short(fd: int, buffers: Any) -> int:
        buffers = list(buffers)
        calls.append(len(buffers))
        assert len(buffers) <= 1024
        if len(calls) > 100_000:  # the same bytes offered again and again: give up
            raise OSError(errno.EIO, "no progress")
        first = bytes(buffers[0])[:7]  # at most 7 bytes of the first buffer per call
        return real_writev(fd, [first])

    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_notes([note(f"note {i}", extra="x" * i) for i in range(30)])
    monkeypatch.setattr(os, "writev", short)
    with Store(path) as s:
        s.add_note(note("one more"))
        expected = {n["id"]: n for n in s.notes()}
    monkeypatch.undo()
    assert len(calls) > 100
    assert on_disk(path)["notes"] == expected
    with Store(path) as s:
        assert len(s.notes()) == 31


def test_a_save_of_more_than_1024_documents_is_written_whole(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_notes([note(f"note {i}") for i in range(1100)])
        s.add_note(note("last"))
    assert len(on_disk(path)["notes"]) == 1101


def test_a_new_notes_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note())
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_notes_file_the_user_opened_to_the_group_stays_so_after_a_save(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note())
    path.chmod(0o640)
    with Store(path) as s:
        s.add_note(note("again"))
    assert path.stat().st_mode & 0o777 == 0o640


def test_the_notes_file_starts_with_its_schema_version_whatever_tinydb_hands_over(
        tmp_path: Path) -> None:
    # The schema stamp is the file's first table, and it is there even after TinyDB drops
    # every table or empties the stamp (its own operations, not Store's).
    path = tmp_path / "notes.json"
    stamp = b'{\n"_meta":{\n"schema":{"schema_version":%d}\n}' % SCHEMA_VERSION
    with Store(path) as s:
        s.add_note(note())
        assert path.read_bytes().startswith(stamp)
        s._db.table("_meta").truncate()
        assert path.read_bytes().startswith(stamp)
        assert on_disk(path)["_meta"] == {"schema": {"schema_version": SCHEMA_VERSION}}
        s._db.drop_tables()
        assert path.read_bytes().startswith(stamp)
        assert on_disk(path)["_meta"] == {"schema": {"schema_version": SCHEMA_VERSION}}
    with Store(path) as s:
        assert s.notes() == [] and not s.read_only and s.messages == []


def test_a_value_that_is_not_json_is_refused_with_the_reason_and_nothing_changes(
        tmp_path: Path) -> None:
    # Store checks values before a change; one that reaches the file anyway (handed to
    # the storage directly) is refused by the save, with the reason, and the file is unchanged.
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note())
        before = path.read_bytes()
        with pytest.raises(StoreWriteError) as info:
            s._storage.write({"notes": {"x": {"id": "x", "bad": object()}}})
        assert str(info.value).startswith("Could not save notes: a value cannot be stored as "
                                          "JSON (")
        assert str(info.value).endswith("); the file is unchanged.")
    assert path.read_bytes() == before


def test_a_save_whose_replace_fails_leaves_no_temp_files_and_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note("one"))
        s.add_note(note("two"))
        before, bak = path.read_bytes(), (tmp_path / "notes.json.bak").read_bytes()
        real_replace = os.replace

        def fail_on_notes(src: Any, dst: Any) -> None:
            if Path(dst).name == "notes.json":
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            real_replace(src, dst)

        monkeypatch.setattr(os, "replace", fail_on_notes)
        with pytest.raises(StoreWriteError, match="Input/output error"):
            s.add_note(note("three"))
        monkeypatch.undo()
        assert path.read_bytes() == before
        assert temp_files(tmp_path) == []
        assert len(s.notes()) == 2
    assert (tmp_path / "notes.json.bak").read_bytes() in (bak, before)


def test_a_save_whose_backup_fails_leaves_no_temp_files_and_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note("one"))
        s.add_note(note("two"))
        before = path.read_bytes()
        real_replace = os.replace

        def fail_on_bak(src: Any, dst: Any) -> None:
            if Path(dst).name == "notes.json.bak":
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            real_replace(src, dst)

        monkeypatch.setattr(os, "replace", fail_on_bak)
        with pytest.raises(StoreWriteError, match="Input/output error"):
            s.add_note(note("three"))
        monkeypatch.undo()
        assert path.read_bytes() == before
        assert temp_files(tmp_path) == []


def test_a_save_whose_folder_cannot_be_synced_is_kept_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.json"
    with Store(path) as s:
        s.add_note(note("one"))

        def no_sync(folder: Path) -> None:
            raise OSError(errno.EIO, os.strerror(errno.EIO))

        monkeypatch.setattr(storage_mod, "fsync_dir", no_sync)
        s.add_note(note("two"))
        assert s.take_messages() == [
            f"Saved notes to {path}, but the folder could not be synced (Input/output error)."]
    assert len(on_disk(path)["notes"]) == 2


def test_editing_a_note_in_a_pretty_printed_file_from_elsewhere_saves_the_edit(
        tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    # Its schema stamp comes last: a save puts it first again.
    data = {"notes": {"n1": {"id": "n1", "text": "hand written"}},
            "_meta": {"schema": {"schema_version": SCHEMA_VERSION}}}
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    with Store(path) as s:
        s.update_note("n1", {"text": "edited"})
        assert path.read_bytes().startswith(b'{\n"_meta":{\n"schema":')
        assert on_disk(path)["notes"]["n1"]["text"] == "edited"
        s.delete_note("n1")
        s.add_note(note(id="n2"))
    assert set(on_disk(path)["notes"]) == {"n2"}
