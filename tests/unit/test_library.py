"""The library core: rows of the library screen, and the cross-article entity index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader import document
from reader.document import Article, load
from reader.entities import Entity, Mention, resolve
from reader.library import Library, default_index_dir, name_key, snippet
from reader.store import Store

ROOT = Path(__file__).resolve().parents[2]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def story(title: str, body: str) -> str:
    return f"# {title}\n\nBy Staff Writer\n\n{body}\n"


def entities_of(article: Article, names: dict[str, str]) -> list[Entity]:
    """resolve() over hand-made mentions: every occurrence of each name, with its label."""
    text = article.text
    mentions: list[Mention] = []
    taken: set[int] = set()
    for name, label in sorted(names.items(), key=lambda n: -len(n[0])):  # longest first
        i = text.find(name)
        while i >= 0:
            if not taken & set(range(i, i + len(name))):
                mentions.append(Mention(i, i + len(name), name, label))
                taken.update(range(i, i + len(name)))
            i = text.find(name, i + len(name))
    mentions.sort(key=lambda m: (m.start, m.end))
    return resolve(mentions, text)


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def index(tmp_path: Path) -> Path:
    return tmp_path / "index"


# --------------------------------------------------------------------------- entries


def test_the_same_text_under_two_paths_is_one_row(tmp_path: Path, store: Store,
                                                   index: Path) -> None:
    text = story("Harbour plan", "The council met on Tuesday.")
    write(tmp_path / "a", "one.txt", text)
    write(tmp_path / "b", "copy.md", text)
    write(tmp_path / "a", "other.txt", story("Bridge plan", "Another text."))
    rows = Library(store, folders=[tmp_path / "a", tmp_path / "b"], samples=False,
                   index_path=index).entries()
    assert sorted(r.title for r in rows) == ["Bridge plan", "Harbour plan"]
    harbour = next(r for r in rows if r.title == "Harbour plan")
    assert harbour.path == tmp_path / "a" / "one.txt"
    assert harbour.kind == "txt" and harbour.chars == len(text)
    assert harbour.author == "Staff Writer"


def test_a_markdown_file_is_listed_as_md(tmp_path: Path, store: Store, index: Path) -> None:
    write(tmp_path, "notes.markdown", story("Harbour plan", "The council met on Tuesday."))
    write(tmp_path, "skipped.docx", "not an article")
    rows = Library(store, folders=[tmp_path], samples=False, index_path=index).entries()
    assert [(r.title, r.path.name, r.kind) for r in rows] == [
        ("Harbour plan", "notes.markdown", "md")]


def test_opened_articles_come_first_newest_first_then_the_rest_by_title(
        tmp_path: Path, store: Store, index: Path) -> None:
    paths = {t: write(tmp_path, f"{t}.txt", story(t, f"Text of {t}."))
             for t in ("delta", "Alpha", "charlie", "Bravo", "echo")}
    for title in ("charlie", "echo"):  # echo opened last
        article = load(paths[title])
        store.set_position(article.hash, 0, str(article.path))
        time.sleep(0.01)
    rows = Library(store, folders=[tmp_path], samples=False, index_path=index).entries()
    assert [r.title for r in rows] == ["echo", "charlie", "Alpha", "Bravo", "delta"]
    assert rows[0].opened is not None and rows[2].opened is None


def test_rows_show_entity_counts_notes_and_reading_progress(tmp_path: Path, store: Store,
                                                             index: Path) -> None:
    path = write(tmp_path, "a.txt", story(
        "Harbour plan", "Mara Quell of the Tessmoor Trust spoke in Velmora. Then Ivo Brandt "
        "spoke in Velmora too."))
    article = load(path)
    library = Library(store, folders=[tmp_path], samples=False, index_path=index)
    before = library.entries()[0]
    assert (before.people, before.organizations, before.places) == (None, None, None)
    assert before.notes == 0 and before.progress is None and before.opened is None

    library.record(article, entities_of(article, {
        "Mara Quell": "PERSON", "Ivo Brandt": "PERSON", "Tessmoor Trust": "ORG",
        "Velmora": "GPE"}))
    store.set_position(article.hash, len(article.text) // 4, str(path))
    for text in ("first", "second"):
        store.add_note({"text": text, "article": {"hash": article.hash, "path": str(path)}})
    row = library.entries()[0]
    assert (row.people, row.organizations, row.places) == (2, 1, 1)
    assert row.notes == 2
    assert row.progress == pytest.approx(0.25, abs=0.01)
    # a fresh library (another start of the app) reads the same from the index file
    again = Library(store, folders=[tmp_path], samples=False, index_path=index).entries()[0]
    assert again == row
    # the app saves the status line's percent with the position: that is what is shown
    store.set_position(article.hash, 0, str(path), progress=1.0)
    assert library.entries()[0].progress == 1.0


def test_unchanged_files_are_not_read_again(tmp_path: Path, store: Store, index: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(3):
        write(tmp_path, f"{i}.txt", story(f"Story {i}", f"Body {i}."))
    calls: list[str] = []
    real_load = document.load

    def counting_load(path: str | Path) -> Article:
        calls.append(str(path))
        return real_load(path)

    monkeypatch.setattr(document, "load", counting_load)
    Library(store, folders=[tmp_path], samples=False, index_path=index).entries()
    assert len(calls) == 3
    calls.clear()
    rows = Library(store, folders=[tmp_path], samples=False, index_path=index).entries()
    assert calls == [] and len(rows) == 3

    changed = tmp_path / "1.txt"
    changed.write_text(story("Story 1, revised", "A longer body now."), encoding="utf-8")
    rows = Library(store, folders=[tmp_path], samples=False, index_path=index).entries()
    assert calls == [str(changed)]
    assert "Story 1, revised" in [r.title for r in rows]
    assert "Story 1" not in [r.title for r in rows]


def test_an_unreadable_file_is_skipped_with_a_message(tmp_path: Path, store: Store,
                                                      index: Path) -> None:
    write(tmp_path, "good.txt", story("Good", "Fine text."))
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02 not text")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")  # not an article suffix: not listed
    library = Library(store, folders=[tmp_path], samples=False, index_path=index)
    assert [r.title for r in library.entries()] == ["Good"]
    assert len(library.messages) == 1 and "bad.txt" in library.messages[0]
    library.entries()
    assert len(library.messages) == 1  # said once, not on every refresh
    (tmp_path / "bad.txt").write_text(story("Mended", "Now it is text."), encoding="utf-8")
    assert sorted(r.title for r in library.entries()) == ["Good", "Mended"]


def test_the_bundled_sample_is_listed_and_marked(store: Store, index: Path) -> None:
    rows = Library(store, index_path=index).entries()
    assert [r.sample for r in rows] == [True]
    assert rows[0].path.name == "000_30010e33f959fb06.txt"


def test_a_moved_file_keeps_its_notes_and_progress(tmp_path: Path, store: Store,
                                                   index: Path) -> None:
    old = write(tmp_path / "inbox", "a.txt", story("Harbour plan", "Body text here."))
    article = load(old)
    store.set_position(article.hash, 10, str(old))
    store.add_note({"text": "n", "article": {"hash": article.hash, "path": str(old)}})
    new = tmp_path / "archive" / "a.txt"
    new.parent.mkdir()
    old.rename(new)
    rows = Library(store, folders=[tmp_path / "archive"], samples=False,
                   index_path=index).entries()
    assert len(rows) == 1
    assert rows[0].path == new and rows[0].notes == 1 and rows[0].opened is not None


def test_indexed_files_stay_listed_but_files_only_seen_in_a_folder_do_not(
        tmp_path: Path, store: Store, index: Path) -> None:
    indexed = write(tmp_path / "indexed", "a.txt", story("Indexed", "Mara Quell spoke."))
    write(tmp_path / "seen", "b.txt", story("Seen", "Nothing here."))
    library = Library(store, folders=[tmp_path / "seen"], samples=False, index_path=index)
    article = load(indexed)
    library.record(article, entities_of(article, {"Mara Quell": "PERSON"}))
    assert sorted(r.title for r in library.entries()) == ["Indexed", "Seen"]
    later = Library(store, samples=False, index_path=index)  # the folder is not given now
    assert [r.title for r in later.entries()] == ["Indexed"]


# --------------------------------------------------------------------------- the index


def two_indexed_articles(tmp_path: Path, library: Library) -> tuple[Article, Article]:
    a = load(write(tmp_path, "a.txt", story(
        "Port report", "José Núñez of the Tessmoor Trust visited Velmora. Núñez said the "
        "Tessmoor Trust would return. José Núñez left on Friday.")))
    b = load(write(tmp_path, "b.txt", story(
        "Council minutes", "Jose Nunez wrote to the council.\n\nThe Tessmoor Trust did not "
        "answer.")))
    library.record(a, entities_of(a, {"José Núñez": "PERSON", "Núñez": "PERSON",
                                      "Tessmoor Trust": "ORG", "Velmora": "GPE"}))
    library.record(b, entities_of(b, {"Jose Nunez": "PERSON", "Tessmoor Trust": "ORG"}))
    return a, b


def test_appearances_find_a_name_in_every_indexed_article_most_mentions_first(
        tmp_path: Path, store: Store, index: Path) -> None:
    library = Library(store, samples=False, index_path=index)
    a, b = two_indexed_articles(tmp_path, library)
    found = Library(store, samples=False, index_path=index).appearances("jose  NUNEZ")
    assert [(x.title, x.count, x.group) for x in found] == [
        ("Port report", 3, "people"), ("Council minutes", 1, "people")]
    first = found[0]
    assert first.hash == a.hash and first.path == a.path and first.name == "José Núñez"
    assert a.text[first.start:first.end] == "José Núñez"
    assert "José Núñez of the Tessmoor Trust" in first.snippet
    assert found[1].snippet == "Jose Nunez wrote to the council."


def test_appearances_match_aliases_and_leave_out_the_open_article(
        tmp_path: Path, store: Store, index: Path) -> None:
    library = Library(store, samples=False, index_path=index)
    a, b = two_indexed_articles(tmp_path, library)
    by_alias = library.appearances("Núñez")  # an alias in a; a surname of b's full name
    assert [(x.hash, x.name) for x in by_alias] == [(a.hash, "José Núñez"),
                                                    (b.hash, "Jose Nunez")]
    others = library.appearances("Jose Nunez", aliases=["Núñez"], exclude=a.hash)
    assert [x.hash for x in others] == [b.hash]
    assert library.appearances("Tessmoor Trust", group="people") == []
    assert library.appearances("Nobody Atall") == []


def surname_articles(tmp_path: Path, library: Library) -> tuple[Article, Article, Article]:
    """full: only the full name; alone: only the surname; other: the surname of another
    person with a full name of their own."""
    full = load(write(tmp_path, "full.txt", story(
        "Harbour works", "Maren Holt opened the harbour. Maren Holt spoke twice.")))
    alone = load(write(tmp_path, "alone.txt", story(
        "Harbour letters", "A letter from Holt arrived on Monday.")))
    other = load(write(tmp_path, "other.txt", story(
        "Mill report", "Edwin Holt ran the mill. Holt was tired.")))
    library.record(full, entities_of(full, {"Maren Holt": "PERSON"}))
    library.record(alone, entities_of(alone, {"Holt": "PERSON"}))
    library.record(other, entities_of(other, {"Edwin Holt": "PERSON", "Holt": "PERSON"}))
    return full, alone, other


def test_a_surname_finds_the_articles_that_only_write_the_full_name(
        tmp_path: Path, store: Store, index: Path) -> None:
    library = Library(store, samples=False, index_path=index)
    full, alone, other = surname_articles(tmp_path, library)
    found = {x.hash: x.name for x in library.appearances("holt")}
    assert found == {full.hash: "Maren Holt", alone.hash: "Holt", other.hash: "Edwin Holt"}
    assert library.appearances("holt", group="places") == []


def test_a_full_name_finds_the_articles_that_only_write_the_surname(
        tmp_path: Path, store: Store, index: Path) -> None:
    library = Library(store, samples=False, index_path=index)
    full, alone, other = surname_articles(tmp_path, library)
    found = [(x.hash, x.name) for x in library.appearances("Maren  HOLT")]
    # not the mill report: its "Holt" is Edwin Holt
    assert found == [(full.hash, "Maren Holt"), (alone.hash, "Holt")]
    assert library.appearances("Anna Holt", exclude=alone.hash) == []


def test_surnames_match_persons_only(tmp_path: Path, store: Store, index: Path) -> None:
    library = Library(store, samples=False, index_path=index)
    a, b = two_indexed_articles(tmp_path, library)
    assert library.appearances("Trust") == []  # the end of an organisation's name
    assert library.appearances("Harbour Tessmoor") == []


def test_appearances_leave_out_articles_whose_file_is_gone(tmp_path: Path, store: Store,
                                                           index: Path) -> None:
    library = Library(store, samples=False, index_path=index)
    a, b = two_indexed_articles(tmp_path, library)
    b.path.unlink()
    assert [x.hash for x in library.appearances("Tessmoor Trust")] == [a.hash]


def test_entity_names_count_the_articles_that_mention_each_name(
        tmp_path: Path, store: Store, index: Path) -> None:
    library = Library(store, samples=False, index_path=index)
    two_indexed_articles(tmp_path, library)
    names = Library(store, samples=False, index_path=index).entity_names()
    assert ("Tessmoor Trust", "organizations", 2) in names
    assert ("Velmora", "places", 1) in names
    people = [n for n in names if n[1] == "people"]
    assert len(people) == 1 and people[0][2] == 2  # José Núñez and Jose Nunez: one person


def test_entity_aliases_give_the_other_names_of_each_entity(tmp_path: Path, store: Store,
                                                            index: Path) -> None:
    from reader.export import library_entities
    from reader.notes import new_note

    article = load(write(tmp_path, "a.txt", story(
        "Harbour plan", "Mara Quell of the Tessmoor Trust spoke. Then Quell left.")))
    library = Library(store, samples=False, index_path=index)
    library.record(article, entities_of(article, {"Mara Quell": "PERSON", "Quell": "PERSON"}))
    assert library.entity_aliases()[("Mara Quell", "people")] == ["Quell"]
    # an entity note by an alias is enough for a page, and the page gets the aliases
    note = new_note(article, None, None, "Who?", entity="quell")
    [entity] = library_entities(library, [note], library.entity_aliases())
    assert (entity.name, tuple(entity.aliases)) == ("Mara Quell", ("Quell",))


def test_recording_again_replaces_an_articles_rows(tmp_path: Path, store: Store,
                                                   index: Path) -> None:
    library = Library(store, samples=False, index_path=index)
    a, b = two_indexed_articles(tmp_path, library)
    library.record(a, entities_of(a, {"Velmora": "GPE"}))  # e.g. after a correction
    assert [x.hash for x in library.appearances("Tessmoor Trust")] == [b.hash]
    assert [x.hash for x in library.appearances("José Núñez")] == [b.hash]
    [row] = [e for e in library.entries() if e.hash == a.hash]
    assert (row.people, row.organizations, row.places) == (0, 0, 1)


def test_name_keys_ignore_case_spacing_accents_and_curly_apostrophes() -> None:
    assert name_key("  José   NÚÑEZ ") == name_key("jose nunez") == "jose nunez"
    assert name_key("jose NUNEZ") == "jose nunez"
    assert name_key("O’Brien") == name_key("O'Brien")
    assert name_key("the Tessmoor Trust") == name_key("Tessmoor Trust")
    assert name_key("Tessmoor Trust’s") == name_key("“Tessmoor Trust”") == "tessmoor trust"
    assert name_key("Dr. Mara Quell") == "mara quell"


def test_a_snippet_is_one_line_of_about_100_characters_around_the_mention() -> None:
    line = " ".join(f"word{i}" for i in range(60))
    text = "Heading\n" + line + " Mara Quell " + line + "\nNext line"
    start = text.index("Mara Quell")
    cut = snippet(text, start, start + len("Mara Quell"))
    assert "Mara Quell" in cut and "\n" not in cut and "Heading" not in cut
    assert 80 <= len(cut) <= 110
    assert cut.startswith("…") and cut.endswith("…")
    assert snippet("Short line.\nOther", 0, 5) == "Short line."


# --------------------------------------------------------------------------- faults


def test_a_damaged_index_is_moved_aside_and_rebuilt(tmp_path: Path, store: Store,
                                                    index: Path) -> None:
    library = Library(store, samples=False, index_path=index)
    a, _ = two_indexed_articles(tmp_path, library)
    (index / "articles.json").write_bytes(b'{"format": 1, "articles": {"tru')
    shard = index / "entities" / f"{a.hash[0]}.json"
    shard.write_bytes(b"\x00garbage")

    fresh = Library(store, folders=[tmp_path], samples=False, index_path=index)
    rows = fresh.entries()
    assert sorted(r.title for r in rows) == ["Council minutes", "Port report"]
    assert fresh.appearances("Velmora") == []  # a's rows were in the damaged shard
    asides = sorted(p.name for p in index.rglob("*.corrupt-*"))
    assert len(asides) == 2, asides
    assert any("moved aside" in m for m in fresh.messages)
    assert json.loads((index / "articles.json").read_text())["format"] == 1

    fresh.record(a, entities_of(a, {"Velmora": "GPE"}))  # indexing again rebuilds it
    assert [x.hash for x in Library(store, samples=False, index_path=index)
            .appearances("Velmora")] == [a.hash]


def test_an_index_from_a_newer_version_is_left_alone(tmp_path: Path, store: Store,
                                                     index: Path) -> None:
    index.mkdir()
    newer = b'{"format": 99, "articles": {}, "files": {}}'
    (index / "articles.json").write_bytes(newer)
    write(tmp_path, "a.txt", story("Harbour plan", "Body."))
    library = Library(store, folders=[tmp_path], samples=False, index_path=index)
    assert [r.title for r in library.entries()] == ["Harbour plan"]
    assert (index / "articles.json").read_bytes() == newer
    assert any("newer version" in m for m in library.messages)


def test_an_index_folder_that_cannot_be_made_keeps_the_library_in_memory(
        tmp_path: Path, store: Store) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    library = Library(store, samples=False, index_path=blocker / "index")
    a, b = two_indexed_articles(tmp_path, library)
    assert {x.hash for x in library.appearances("Tessmoor Trust")} == {a.hash, b.hash}
    assert len(library.entries()) == 2
    assert any("kept in memory" in m for m in library.messages)


CHILD = r"""
import os, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[5])
from reader.document import load
from reader.entities import Mention, resolve
from reader.library import Library
from reader.store import Store

index, tag, n, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
library = Library(Store(memory=True), samples=False, index_path=index)
articles = []
for i in range(n):
    person = f"Quill {tag.upper()}{i:03d}"
    text = f"{person} joined the Varnholt Trust.\n"
    path = index.parent / "articles" / f"{tag}-{i}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    articles.append(load(path))
while not os.path.exists(go):
    time.sleep(0.001)
for article in articles:
    text = article.text
    end = text.index(" joined")
    org = text.index("Varnholt")
    mentions = [Mention(0, end, text[:end], "PERSON"),
                Mention(org, org + 14, text[org:org + 14], "ORG")]
    library.record(article, resolve(mentions, text))
print("done", library.messages)
"""


def test_two_processes_recording_at_once_both_keep_every_article(tmp_path: Path,
                                                                 store: Store) -> None:
    index = tmp_path / "index"
    go = tmp_path / "go"
    n = 25
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, str(index), tag, str(n), str(go),
                               str(ROOT)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=dict(os.environ))
             for tag in ("a", "b")]
    time.sleep(0.5)
    go.write_text("go", encoding="utf-8")
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.startswith("done []"), out
    library = Library(store, samples=False, index_path=index)
    assert len(library.entries()) == 2 * n
    assert len(library.appearances("Varnholt Trust")) == 2 * n
    people = [name for name, group, _ in library.entity_names() if group == "people"]
    assert len(people) == 2 * n
    assert not list(index.rglob("*.tmp"))


def test_the_default_index_is_per_notes_file_in_the_user_data_folder(
        tmp_path: Path, private_dirs: Path) -> None:
    default = default_index_dir()
    assert default.is_relative_to(private_dirs / "data")
    assert default_index_dir(tmp_path / "other.json") != default
    with Store(tmp_path / "other.json") as other:
        assert Library(other).dir == default_index_dir(tmp_path / "other.json")
