"""An article whose file is edited keeps its place in the library: its row, its reading
position (found again in the new text), its notes count and its entity index."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.document import Article, load
from reader.entities import Entity, Mention, resolve
from reader.library import Entry, Library, index_files, save_position, saved_position
from reader.notes import new_note
from reader.store import Store

BODY = ("Maren Holt of the Lindqvist Trust visited Orrin Bay on Monday. Holt said the "
        "Lindqvist Trust would return.\n\nA second paragraph tells what happened next, "
        "at some length, so that a reading position can sit well inside the text.\n\n"
        "The last paragraph closes the report.")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def edit(path: Path, text: str) -> Article:
    """Change the file (a later mtime, as an editor's save gives) and load it again."""
    before = path.stat().st_mtime_ns
    write(path, text)
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))
    return load(path)


def entities_of(article: Article, names: dict[str, str]) -> list[Entity]:
    text = article.text
    mentions = []
    for name, label in names.items():
        i = text.find(name)
        while i >= 0:
            mentions.append(Mention(i, i + len(name), name, label))
            i = text.find(name, i + len(name))
    mentions.sort(key=lambda m: (m.start, m.end))
    return resolve(mentions, text)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Store, Library, Path, Article]:
    store = Store(tmp_path / "notes.json")
    path = write(tmp_path / "report.txt",
                 "# Harbour report\n\n" + BODY + "\n")
    library = Library(store, folders=[tmp_path], samples=False, index_path=tmp_path / "index")
    article = load(path)
    library.record(article, entities_of(article, {"Maren Holt": "PERSON",
                                                  "Lindqvist Trust": "ORG",
                                                  "Orrin Bay": "GPE"}))
    return store, library, path, article


def row_of(library: Library, path: Path) -> Entry:
    [row] = [r for r in library.entries() if r.path == path]
    return row


def test_an_edited_file_keeps_its_row_notes_count_and_entity_counts(
        setup: tuple[Store, Library, Path, Article]) -> None:
    store, library, path, article = setup
    start = article.text.index("A second paragraph")
    store.add_note(new_note(article, start, start + 18, "worth a look"))
    save_position(store, article, start, 0.4)
    before = row_of(library, path)
    assert (before.notes, before.people, before.organizations, before.places) == (1, 1, 1, 1)

    edited = edit(path, "# Harbour report\n\nAn opening line added later.\n\n" + BODY + "\n")
    assert edited.hash != article.hash
    rows = library.entries()
    assert [r.path for r in rows] == [path]  # one row: the file, not a new text beside it
    [row] = rows
    assert row.hash == edited.hash and row.title == "Harbour report"
    assert row.notes == 1
    assert (row.people, row.organizations, row.places) == (1, 1, 1)
    assert row.progress == 0.4 and row.opened == before.opened


def test_an_edited_files_reading_position_is_found_again_in_the_new_text(
        setup: tuple[Store, Library, Path, Article]) -> None:
    store, _library, path, article = setup
    start = article.text.index("A second paragraph")
    save_position(store, article, start)
    assert saved_position(store, article) == start
    edited = edit(path, "# Harbour report\n\nAn opening line added later.\n\n" + BODY + "\n")
    moved = saved_position(store, edited)
    assert moved == edited.text.index("A second paragraph") != start


def test_a_position_saved_without_its_text_keeps_its_share_of_the_edited_text(
        setup: tuple[Store, Library, Path, Article]) -> None:
    store, _library, path, article = setup
    store.set_position(article.hash, 100, str(path), 0.5)
    edited = edit(path, "# Harbour report\n\n" + BODY + "\n\nOne more line.\n")
    assert saved_position(store, edited) == int(0.5 * len(edited.text))


def test_a_file_never_opened_has_no_saved_position(
        setup: tuple[Store, Library, Path, Article], tmp_path: Path) -> None:
    store, _library, _path, _article = setup
    other = load(write(tmp_path / "other.txt", "# Other\n\nNothing here.\n"))
    assert saved_position(store, other) is None


def test_an_edited_file_is_still_found_by_its_names_until_it_is_indexed_again(
        setup: tuple[Store, Library, Path, Article]) -> None:
    store, library, path, article = setup
    edited = edit(path, "# Harbour report\n\nAn opening line added later.\n\n" + BODY + "\n")
    library.entries()
    assert library.stale() == [path]
    found = Library(store, samples=False, index_path=library.dir).appearances("Maren Holt")
    assert [a.hash for a in found] == [edited.hash]  # the earlier text's rows moved over
    assert [n for n in library.entity_names() if n[1] == "people"] == [
        ("Maren Holt", "people", 1)]
    # re-indexing (what the app runs in the background) replaces the carried rows
    library.record(edited, entities_of(edited, {"Maren Holt": "PERSON"}))
    assert library.stale() == []
    [row] = library.entries()
    assert (row.people, row.organizations, row.places) == (1, 0, 0)
    [again] = library.appearances("Maren Holt")
    assert edited.text[again.start:again.end] == "Maren Holt"


def test_index_files_brings_the_stale_articles_up_to_date(
        setup: tuple[Store, Library, Path, Article], monkeypatch: pytest.MonkeyPatch) -> None:
    from reader import nlp

    store, library, path, article = setup
    edited = edit(path, "# Harbour report\n\nAn opening line added later.\n\n" + BODY + "\n")
    library.entries()
    text = edited.text
    at = text.index("Orrin Bay")
    monkeypatch.setattr(nlp, "model_version", lambda model: "test")
    monkeypatch.setattr(nlp, "load_cached", lambda digest, model, version: (
        [(at, at + len("Orrin Bay"), "GPE")] if digest == edited.hash else None))
    run = index_files(library, library.stale(), model="test", workers=0)
    assert run.indexed == 1 and library.stale() == []
    [row] = library.entries()
    assert (row.people, row.organizations, row.places) == (0, 0, 1)


def test_counts_follow_a_new_record_after_corrections(
        setup: tuple[Store, Library, Path, Article]) -> None:
    _store, library, path, article = setup
    # a correction that drops the organisation: the app records the corrected entities
    library.record(article, entities_of(article, {"Maren Holt": "PERSON", "Orrin Bay": "GPE"}))
    [row] = library.entries()
    assert (row.people, row.organizations, row.places) == (1, 0, 1)
