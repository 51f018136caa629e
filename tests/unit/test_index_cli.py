"""`reader index DIR` and `reader mentions NAME`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader import nlp
from reader.document import load
from reader.library import Library, default_index_dir, name_key
from reader.store import Store, default_path

needs_model = pytest.mark.skipif(nlp.find_model() is None, reason="no spaCy model installed")


def reader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=600, stdin=subprocess.DEVNULL, env=dict(os.environ))


def one_line_error(run: subprocess.CompletedProcess[str], status: int = 2) -> str:
    assert run.returncode == status, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reader: "), run.stderr
    assert "Traceback" not in run.stderr
    return lines[0]


def test_a_missing_folder_is_one_line_and_status_2(tmp_path: Path) -> None:
    line = one_line_error(reader("index", str(tmp_path / "nowhere")))
    assert "no such folder" in line


def test_a_file_instead_of_a_folder_is_one_line_and_status_2(sample: Path) -> None:
    line = one_line_error(reader("index", str(sample)))
    assert "not a folder" in line


def test_a_folder_without_articles_is_one_line_and_status_2(tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    line = one_line_error(reader("index", str(tmp_path)))
    assert "no article files" in line
    assert not default_index_dir().exists()  # nothing was written


def test_a_negative_worker_count_is_one_line_and_status_2(tmp_path: Path, sample: Path) -> None:
    (tmp_path / "a.txt").write_bytes(sample.read_bytes())
    line = one_line_error(reader("index", str(tmp_path), "--workers", "-1"))
    assert "--workers" in line


def test_a_model_that_is_not_installed_is_one_line_and_status_2(tmp_path: Path,
                                                                sample: Path) -> None:
    (tmp_path / "a.txt").write_bytes(sample.read_bytes())
    line = one_line_error(reader("index", str(tmp_path), "--model", "no_such_model_xyz"))
    assert "no_such_model_xyz" in line and "install" in line


def test_mentions_of_a_name_no_article_has_is_status_1_with_one_line() -> None:
    line = one_line_error(reader("mentions", "Zyxwv Qpon"), status=1)
    assert "Zyxwv Qpon" in line and "reader index" in line  # the index is empty: say how
    assert reader("mentions", "Zyxwv Qpon", "--json").stdout == ""


@needs_model
def test_index_a_folder_then_find_which_articles_mention_a_name(tmp_path: Path,
                                                                sample: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "deeper").mkdir(parents=True)
    text = sample.read_text(encoding="utf-8")
    (folder / "original.txt").write_text(text, encoding="utf-8")
    (folder / "deeper" / "edited.md").write_text(text + "\nAn added closing line.\n",
                                                 encoding="utf-8")
    (folder / "same-again.txt").write_text(text, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01binary")
    (folder / ".hidden.txt").write_text("skipped", encoding="utf-8")

    run = reader("index", str(folder), "--json")
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert (summary["files"], summary["indexed"], summary["duplicates"]) == (4, 2, 1)
    assert [Path(s["path"]).name for s in summary["skipped"]] == ["broken.txt"]
    assert summary["chars"] > 2 * len(text) - 10 and summary["chars_per_s"] > 0
    assert "skipped" in run.stderr and "broken.txt" in run.stderr
    assert not default_path().exists()  # indexing does not create a notes file

    names = Library(Store(memory=True), samples=False).entity_names()
    name, group, articles = names[0]
    assert articles == 2
    found = reader("mentions", name.upper(), "--json")
    assert found.returncode == 0, found.stderr
    listed = json.loads(found.stdout)
    assert sorted(Path(a["path"]).name for a in listed) == ["edited.md", "original.txt"]
    for a in listed:
        assert a["group"] == group and a["count"] >= 1
        surface = load(a["path"]).text[a["start"]:a["end"]]
        assert name_key(surface) in a["snippet"].casefold() or surface in a["snippet"]
    listing = reader("mentions", name)
    assert listing.returncode == 0
    assert listing.stdout.startswith(f"2 articles mention {name}:")
    assert str(folder / "deeper" / "edited.md") in listing.stdout

    surname = name.split()[-1]
    if len(name.split()) > 1 and not reader("mentions", surname).stdout:
        hint = one_line_error(reader("mentions", surname), status=1)
        assert name in hint  # "indexed names with it: ..." points to the full name

    again = json.loads(reader("index", str(folder), "--json").stdout)
    assert again["cached"] == 2 and again["indexed"] == 2  # the second run is from cache


@needs_model
def test_the_summary_line_says_files_chars_seconds_and_speed(tmp_path: Path,
                                                             sample: Path) -> None:
    (tmp_path / "a.txt").write_bytes(sample.read_bytes())
    run = reader("index", str(tmp_path))
    assert run.returncode == 0, run.stderr
    line = run.stdout.strip()
    assert line.startswith("indexed 1 of 1 file ") and "chars in" in line
    assert line.endswith("chars/s")


def test_mentions_finds_a_person_by_surname_or_full_name_whichever_an_article_writes(
        tmp_path: Path) -> None:
    from reader.entities import Mention, resolve

    library = Library(Store(memory=True), samples=False)
    for name, text in (("full.txt", "Maren Holt opened the harbour."),
                       ("alone.txt", "A letter from Holt arrived.")):
        path = tmp_path / name
        path.write_text(f"# {name}\n\n{text}\n", encoding="utf-8")
        article = load(path)
        person = "Maren Holt" if "Maren" in text else "Holt"
        at = article.text.index(person)
        library.record(article, resolve([Mention(at, at + len(person), person, "PERSON")],
                                        article.text))
    for query in ("Holt", "maren holt"):
        run = reader("mentions", query, "--json")
        assert run.returncode == 0, run.stderr
        assert sorted(Path(a["path"]).name for a in json.loads(run.stdout)) == [
            "alone.txt", "full.txt"], query


def test_the_listing_says_how_many_articles_mention_the_name() -> None:
    from reader.cli.mentions import found_line

    assert found_line(1, "Ada Lovelace") == "1 article mentions Ada Lovelace:"
    assert found_line(2, "Ada Lovelace") == "2 articles mention Ada Lovelace:"
