"""`reader notes`: the notes of an article, or all notes, from the command line."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reader.document import load
from reader.notes import new_note
from reader.store import Store


def reader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL, env=dict(os.environ))


def file_text(path: Path) -> str:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return fh.read()


def add_notes(path: Path) -> list[dict[str, Any]]:
    """Three passage notes and one entity note on ``path``, through the store."""
    article = load(path)
    text = article.text
    picks = ["Pentagon", "coup regime", "killed by live fire"]
    with Store() as store:  # READER_DB points into the test's own folder
        notes = []
        for n, quote in enumerate(picks):
            start = text.index(quote)
            notes.append(store.add_note(new_note(article, start, start + len(quote),
                                                 f"note {n} #tag{n}\nmore", tags=["extra"])))
        notes.append(store.add_note(new_note(article, None, None, "who", entity="Peru")))
    return notes


@pytest.fixture
def article_file(tmp_path: Path, sample: Path) -> Path:
    copy = tmp_path / "article.txt"
    shutil.copyfile(sample, copy)
    return copy


def test_notes_json_quotes_are_exactly_the_file_text_at_their_offsets(
        article_file: Path) -> None:
    added = add_notes(article_file)
    run = reader("notes", str(article_file), "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    text = file_text(article_file)
    assert sorted(n["id"] for n in out) == sorted(n["id"] for n in added)
    passages = [n for n in out if n["entity"] is None]
    assert [n["start"] for n in passages] == sorted(n["start"] for n in passages)
    for n in passages:
        assert n["state"] == "anchored"
        assert text[n["start"]:n["end"]] == n["quote"]
        assert n["tags"][-1] == "extra" and n["text"].startswith("note ")
        assert n["article"]["path"] == str(article_file.resolve())
        assert set(n) >= {"id", "text", "tags", "quote", "start", "end", "state", "entity",
                          "article", "created", "updated"}
    [entity] = [n for n in out if n["entity"] is not None]
    assert entity == {**entity, "entity": "Peru", "quote": None, "start": None, "end": None,
                      "state": "anchored"}


def test_edited_file_lists_moved_and_orphan_notes(article_file: Path) -> None:
    add_notes(article_file)
    text = file_text(article_file)
    edited = "An editor's note at the top.\n\n" + text.replace("killed by live fire", "shot")
    article_file.write_text(edited, encoding="utf-8")
    run = reader("notes", str(article_file), "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    states = {n["anchor"]["quote"]: n["state"] for n in out if n["entity"] is None}
    assert states == {"Pentagon": "moved", "coup regime": "moved",
                      "killed by live fire": "orphan"}
    for n in out:
        if n["state"] == "moved":
            assert edited[n["start"]:n["end"]] == n["quote"]
        elif n["state"] == "orphan":
            assert n["start"] is None and n["end"] is None and n["quote"] == "killed by live fire"


def test_all_notes_without_a_file_and_a_deleted_file_makes_orphans(
        tmp_path: Path, article_file: Path, sample: Path) -> None:
    add_notes(article_file)
    add_notes(sample)
    run = reader("notes", "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert len(out) == 8 and {n["state"] for n in out} == {"anchored"}
    article_file.unlink()
    out = json.loads(reader("notes", "--json").stdout)
    gone = [n for n in out if n["article"]["path"] == str(article_file.resolve())]
    assert {(n["state"], n["entity"] is None) for n in gone} == {("orphan", True),
                                                                ("anchored", False)}
    assert all("cannot read" in n["reason"] for n in gone if n["state"] == "orphan")


def test_notes_table_shows_state_quote_first_line_and_tags(article_file: Path) -> None:
    add_notes(article_file)
    run = reader("notes", str(article_file))
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "anchored" in out and "Pentagon" in out and "note 0" in out and "#tag0" in out
    assert "more" not in out  # only the first line of each note
    assert "about Peru" in out


def test_notes_of_a_missing_file_exits_2_with_one_line(tmp_path: Path) -> None:
    run = reader("notes", str(tmp_path / "nope.txt"), "--json")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("reader: ") and run.stderr.count("\n") == 1


def test_listing_never_writes_the_store(tmp_path: Path, article_file: Path) -> None:
    db = Path(os.environ["READER_DB"])
    missing = tmp_path / "elsewhere" / "notes.json"
    run = reader("notes", str(article_file), "--json", "--db", str(missing))
    assert run.returncode == 0 and json.loads(run.stdout) == []
    assert not missing.parent.exists()

    add_notes(article_file)
    article_file.write_text("Changed.\n\n" + file_text(article_file), encoding="utf-8")
    before = (hashlib.sha256(db.read_bytes()).hexdigest(), db.stat().st_mtime_ns)
    for args in (("notes", str(article_file)), ("notes", "--json")):
        assert reader(*args).returncode == 0
    assert (hashlib.sha256(db.read_bytes()).hexdigest(), db.stat().st_mtime_ns) == before


def test_store_messages_go_to_stderr(tmp_path: Path, article_file: Path) -> None:
    db = tmp_path / "broken.json"
    db.write_text("{not json", encoding="utf-8")
    run = reader("notes", str(article_file), "--json", "--db", str(db))
    assert run.returncode == 0 and json.loads(run.stdout) == []
    assert "reader: " in run.stderr and "broken.json" in run.stderr
