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


# --------------------------------------------------------------------------- across the library


def add_tagged_notes(first: Path, second: Path) -> None:
    """Notes with tags on two articles."""
    a, b = load(first), load(second)
    text = a.text
    at = text.index("Pentagon")
    with Store() as store:
        store.add_note(new_note(a, at, at + 8, "who pays? #Funding/US", tags=["Check"]))
        store.add_note(new_note(a, None, None, "look into this", entity="Peru"))
        text = b.text
        at = text.index("coup regime")
        store.add_note(new_note(b, at, at + 11, "second article", tags=["check"]))
        at = text.index("killed by live fire")
        store.add_note(new_note(b, at, at + 6, "untagged"))


def test_notes_tag_finds_tagged_notes_in_every_article(
        tmp_path: Path, article_file: Path, sample: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Another article.\n\n" + file_text(sample), encoding="utf-8")
    add_tagged_notes(article_file, other)
    for tag in ("check", "#CHECK", "Check"):
        run = reader("notes", "--tag", tag, "--json")
        assert run.returncode == 0, run.stderr
        out = json.loads(run.stdout)
        assert sorted(n["text"] for n in out) == ["second article", "who pays? #Funding/US"]
        assert {n["article"]["path"] for n in out} == {str(article_file.resolve()),
                                                      str(other.resolve())}
    # A nested tag counts for its parent, not the other way round.
    parent = json.loads(reader("notes", "--tag", "funding", "--json").stdout)
    assert [n["text"] for n in parent] == ["who pays? #Funding/US"]
    assert json.loads(reader("notes", "--tag", "funding/us/x", "--json").stdout) == []
    assert json.loads(reader("notes", "--tag", "fund", "--json").stdout) == []


def test_notes_search_matches_text_quote_and_tags_case_aside(
        tmp_path: Path, article_file: Path, sample: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Another article.\n\n" + file_text(sample), encoding="utf-8")
    add_tagged_notes(article_file, other)

    def found(*args: str) -> list[str]:
        run = reader("notes", *args, "--json")
        assert run.returncode == 0, run.stderr
        return sorted(n["text"] for n in json.loads(run.stdout))

    assert found("--search", "WHO PAYS") == ["who pays? #Funding/US"]  # the note's text
    assert found("--search", "coup") == ["second article"]  # the quote
    assert found("--search", "#check") == ["second article", "who pays? #Funding/US"]
    assert found("--search", "peru") == ["look into this"]  # an entity note's name
    assert found("--search", "nowhere at all") == []
    # Both together, and with FILE: only that article's notes.
    assert found("--search", "article", "--tag", "check") == ["second article"]
    assert found(str(article_file), "--tag", "check") == ["who pays? #Funding/US"]
    assert found(str(article_file), "--search", "second") == []


def test_notes_tag_table_says_which_article_each_note_is_from(
        tmp_path: Path, article_file: Path, sample: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Another article.\n\n" + file_text(sample), encoding="utf-8")
    add_tagged_notes(article_file, other)
    run = subprocess.run([sys.executable, "-m", "reader", "notes", "--tag", "check"],
                         capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                         env={**os.environ, "COLUMNS": "200"})
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "Notes tagged #check" in out
    assert str(article_file.resolve()) in out and str(other.resolve()) in out
    assert load(sample).title[:20] in out
    assert "untagged" not in out and "look into this" not in out


def test_notes_with_an_empty_tag_or_search_exits_2(article_file: Path) -> None:
    for args in (("--tag", "#"), ("--search", "  ")):
        run = reader("notes", *args)
        assert run.returncode == 2 and run.stdout == ""
        assert run.stderr.startswith("reader: ") and run.stderr.count("\n") == 1


def test_filter_notes_keeps_order_and_the_same_note_objects() -> None:
    from reader.notes import filter_notes, note_matches

    notes: list[dict[str, Any]] = [
        {"text": "one", "tags": ["Project/Alpha"], "quote": "live\n  fire"},
        {"text": "two #todo", "tags": ["todo"], "quote": None, "entity": "Lima"},
        {"text": "three", "tags": "not a list", "quote": "x"},  # a hand-edited store
    ]
    assert filter_notes(notes, tag="#project")[0] is notes[0]
    assert filter_notes(notes, tag="project/alpha") == [notes[0]]
    assert filter_notes(notes, tag="alpha") == []
    assert filter_notes(notes, text="LIVE fire") == [notes[0]]  # whitespace as one space
    assert filter_notes(notes, text="lima") == [notes[1]]
    assert filter_notes(notes, text="#TODO", tag="todo") == [notes[1]]
    assert filter_notes(notes) == notes
    assert filter_notes(notes, tag="list") == []
    assert note_matches(notes[2], text="three") and not note_matches(notes[2], tag="not")
