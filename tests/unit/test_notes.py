"""Notes: tags typed in the text, the note dict, placing notes in an article as it is now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reader.document import Article, load
from reader.notes import (
    NoteSource,
    PlacedNote,
    anchor_changes,
    edit_note,
    entity_names_in,
    entity_of,
    is_entity_note,
    merge_tags,
    new_note,
    note_json,
    note_tags,
    note_update,
    notes_for,
    parse_tags_field,
    place_notes,
    sections,
    stored_tags,
    tags_in,
)
from reader.store import Store

TEXT = (
    "Pentagon sends troops\n\n"
    "The Pentagon will send Marines to Peru next month, officials said.\n\n"
    "Protests continued in Lima. The police fired on the crowd, and the crowd scattered.\n\n"
    "The Pentagon did not comment on the deaths.\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def article(tmp_path: Path) -> Article:
    return load(write(tmp_path / "a.txt", TEXT))


def at(text: str, quote: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(quote, i + 1)
    return i, i + len(quote)


@pytest.mark.parametrize("text,tags", [
    ("plain text", []),
    ("#follow-up on this", ["follow-up"]),
    ("see #source/wsj and #people_of_note.", ["source/wsj", "people_of_note"]),
    ("dup #Peru then #peru and #PERU", ["Peru"]),
    ("in C# and F#, not tags", []),
    ("# A heading\n## Another", []),
    ("#heading-like at line start\n#second", ["heading-like", "second"]),
    ("numbers #2024 are not tags but #y2024 is", ["y2024"]),
    ("url http://x.org/#frag and page#anchor, entity &#38;", []),
    ("(#paren) [#bracket] \"#quoted\"", ["paren", "bracket", "quoted"]),
    ("trailing slash #a/b/ ok", ["a/b"]),
    ("##double and #ok", ["ok"]),
    ("unicode #café #München", ["café", "München"]),
])
def test_tags_typed_in_a_note(text: str, tags: list[str]) -> None:
    assert tags_in(text) == tags


def test_extra_tags_follow_the_typed_ones_once_each() -> None:
    assert note_tags("about #Peru", ["#peru", "follow-up", " ", "#", "Lima"]) == [
        "Peru", "follow-up", "Lima"]


def test_new_note_on_a_passage_carries_its_anchor(article: Article) -> None:
    start, end = at(article.text, "The police fired on the crowd")
    note = new_note(article, start, end, "Who gave the order? #police", tags=["lima"])
    assert note["quote"] == "The police fired on the crowd" == article.text[start:end]
    assert note["start"] == start and note["end"] == end
    assert article.text[:start].endswith(note["prefix"]) and len(note["prefix"]) == 32
    assert article.text[end:].startswith(note["suffix"])
    assert note["tags"] == ["police", "lima"]
    assert note["entity"] is None and not is_entity_note(note)
    assert note["article"] == {"path": str(article.path.resolve()), "hash": article.hash,
                               "title": article.title}
    assert "id" not in note and "created" not in note and "updated" not in note


def test_new_note_on_an_entity_has_no_passage(article: Article) -> None:
    note = new_note(article, None, None, "A government agency.", entity="Pentagon")
    assert is_entity_note(note)
    assert [note[k] for k in ("quote", "prefix", "suffix", "start", "end")] == [None] * 5
    assert note["entity"] == "Pentagon" and note["article"]["hash"] == article.hash


def test_new_note_refuses_a_passage_without_offsets(article: Article) -> None:
    with pytest.raises(ValueError):
        new_note(article, None, None, "text")
    with pytest.raises(ValueError):
        new_note(article, 5, 5, "text")


def stored(note: dict[str, Any], n: int) -> dict[str, Any]:
    return {**note, "id": f"n{n}", "created": f"2026-01-0{n}", "updated": f"2026-01-0{n}"}


def test_place_notes_in_reading_order_with_orphans_then_entity_notes(
        tmp_path: Path, article: Article) -> None:
    text = article.text
    later = stored(new_note(article, *at(text, "did not comment"), "c"), 1)
    early = stored(new_note(article, *at(text, "send Marines"), "a"), 2)
    middle = stored(new_note(article, *at(text, "Protests continued"), "b"), 3)
    gone = stored(new_note(article, *at(text, "the crowd scattered"), "gone"), 4)
    entity = stored(new_note(article, None, None, "e", entity="Pentagon"), 5)
    edited = load(write(tmp_path / "a.txt",
                        "Update: corrected.\n\n" + text.replace(" and the crowd scattered", "")))
    placed = place_notes([entity, gone, later, middle, early], edited)
    assert [p.note["text"] for p in placed] == ["a", "b", "c", "gone", "e"]
    assert [p.state for p in placed] == ["moved", "moved", "moved", "orphan", "anchored"]
    for p in placed[:3]:
        assert p.start is not None and p.end is not None
        assert edited.text[p.start:p.end] == p.note["quote"] == p.quote
    assert placed[3].start is None and placed[3].reason
    assert (placed[4].start, placed[4].end) == (None, None)


def test_unchanged_article_keeps_notes_anchored_at_their_offsets(article: Article) -> None:
    note = stored(new_note(article, *at(article.text, "Pentagon", 1), "x"), 1)
    [p] = place_notes([note], article)
    assert (p.state, p.start, p.end) == ("anchored", note["start"], note["end"])


def test_note_json_gives_current_offsets_and_the_text_found_there(
        tmp_path: Path, article: Article) -> None:
    start, end = at(article.text, "The police fired on the crowd")
    note = stored(new_note(article, start, end, "first line\nsecond", tags=["t"]), 1)
    edited_text = "New intro.\n\n" + article.text.replace("fired on", "fired at")
    edited = load(write(tmp_path / "a.txt", edited_text))
    [p] = place_notes([note], edited)
    out = note_json(p)
    assert out["state"] == "moved"
    assert edited_text[out["start"]:out["end"]] == out["quote"] == "The police fired at the crowd"
    assert out["anchor"]["quote"] == "The police fired on the crowd"
    assert out["anchor"]["start"] == start
    assert {k: out[k] for k in ("id", "text", "tags", "entity", "created", "updated")} == {
        "id": "n1", "text": "first line\nsecond", "tags": ["t"], "entity": None,
        "created": "2026-01-01", "updated": "2026-01-01"}
    assert out["article"]["path"] == str(article.path.resolve())
    assert out["article"]["hash"] == article.hash != edited.hash


def test_anchor_changes_reanchor_a_moved_note_for_good(tmp_path: Path, article: Article) -> None:
    note = stored(new_note(article, *at(article.text, "Protests continued"), "b"), 1)
    edited = load(write(tmp_path / "a.txt", "Intro.\n\n" + article.text))
    [p] = place_notes([note], edited)
    changes = anchor_changes(p, edited)
    assert changes is not None and changes["updated"] == note["updated"]
    [again] = place_notes([{**note, **changes}], edited)
    assert (again.state, again.start) == ("anchored", p.start)
    assert anchor_changes(again, edited) is None


def test_a_note_without_a_passage_or_entity_is_an_orphan(article: Article) -> None:
    [p] = place_notes([{"id": "x", "text": "t", "quote": None, "entity": None}], article)
    assert p.state == "orphan"


def test_notes_for_finds_notes_by_hash_by_path_and_entity_notes_across_articles(
        tmp_path: Path, article: Article) -> None:
    other = load(write(tmp_path / "b.txt", "Peru and the Pentagon.\n\nLima is calm.\n"))
    store = Store(tmp_path / "notes.json")
    mine = store.add_note(new_note(article, *at(article.text, "Protests continued"), "mine"))
    store.add_note(new_note(other, *at(other.text, "Lima is calm"), "other article"))
    about = store.add_note(new_note(other, None, None, "about the Pentagon",
                                    entity="Pentagon"))
    store.add_note(new_note(other, None, None, "about Lima", entity="Lima"))

    placed = notes_for(store, article, ["Pentagon", "Marines"])
    assert [p.note["id"] for p in placed] == [mine["id"], about["id"]]

    # the file is edited: its hash changes, the note follows the path and re-anchors
    write(Path(article.path), "Breaking.\n\n" + article.text)
    edited = load(article.path)
    placed = notes_for(store, edited, ["pentagon"])
    assert [(p.note["id"], p.state) for p in placed] == [(mine["id"], "moved"),
                                                          (about["id"], "anchored")]
    store.close()


def test_entity_names_in_a_text_match_whole_words() -> None:
    notes = [{"entity": "Lima", "quote": None}, {"entity": "Peru", "quote": None},
             {"entity": "Pen", "quote": None}, {"entity": None, "quote": "Pen"}]
    assert entity_names_in(notes, "Pentagon troops in Peru") == ["Peru"]


def test_placed_note_is_a_plain_dataclass() -> None:
    p = PlacedNote({"id": "x"}, "orphan", None, None)
    assert p.quote is None and p.reason is None


# --------------------------------------------------------------------------- rules


def test_the_tags_field_splits_at_spaces_and_commas_without_hashes() -> None:
    assert parse_tags_field("#a, b,,#c  # ##") == ["a", "b", "c"]
    assert parse_tags_field("") == []


def test_stored_tags_are_shown_trimmed_without_hash_once_each() -> None:
    note = {"tags": [" #a", "a", "B", "", 5, "b", "#"]}
    assert stored_tags(note) == ["a", "B", "b", "#"]
    assert stored_tags({}) == []


def test_tags_of_several_notes_merge_case_aside_whatever_their_order() -> None:
    assert merge_tags(["b", "Alpha", "alpha", "B"]) == ["Alpha", "B"]
    assert merge_tags(["alpha", "B", "Alpha", "b"]) == ["Alpha", "B"]


def test_an_entity_note_names_a_non_blank_entity_and_has_no_quote() -> None:
    assert entity_of({"entity": " Dina\n Boluarte ", "quote": None}) == "Dina Boluarte"
    assert is_entity_note({"entity": "Peru", "quote": None})
    for note in ({"entity": "Peru", "quote": "Peru"}, {"entity": "  ", "quote": None},
                 {"entity": None, "quote": None}, {"entity": 5, "quote": None}):
        assert entity_of(note) is None and not is_entity_note(note)


def test_sections_split_passages_orphans_and_entity_notes_each_in_order() -> None:
    def p(note_id: str, state: str, now_start: int | None, now_end: int | None,
          created: str, **stored: Any) -> PlacedNote:
        note = {"id": note_id, "created": created, "quote": "q", "entity": None, **stored}
        return PlacedNote(note, state, now_start, now_end)

    placed = [
        p("late", "anchored", 5, 9, "2024-02"), p("early", "anchored", 5, 9, "2024-01"),
        p("first", "moved", 0, 3, "2024-03"), p("past-end", "anchored", 5, 99, "2024-01", start=9),
        p("lost-b", "orphan", None, None, "2024-01", start=7),
        p("lost-a", "orphan", None, None, "2024-05", start=2),
        p("who-2", "anchored", None, None, "2024-02", entity="Ana", quote=None),
        p("who-1", "anchored", None, None, "2024-01", entity=" Ana", quote=None),
    ]
    parts = sections(placed[::-1], text_len=20)
    assert [x.note["id"] for x in parts.passages] == ["first", "early", "late"]
    assert [x.note["id"] for x in parts.orphans] == ["lost-a", "lost-b", "past-end"]
    assert {k: [x.note["id"] for x in v] for k, v in parts.about.items()} == {
        "Ana": ["who-1", "who-2"]}
    gone = sections(placed, text_len=20, source_missing=True)
    assert not gone.passages and len(gone.orphans) == 6


def test_edit_note_saves_text_and_tags_and_returns_the_note_before(
        tmp_path: Path, article: Article) -> None:
    store = Store(tmp_path / "notes.json")
    source: NoteSource = store  # the store is a note source as it is
    saved = store.add_note(new_note(article, *at(article.text, "Protests"), "old #one"))
    assert note_update("new #two", ["three"]) == {"text": "new #two", "tags": ["two", "three"]}
    before = edit_note(source, saved, "new #two", ["three"])
    assert before == saved
    [now] = store.notes()
    assert (now["text"], now["tags"]) == ("new #two", ["two", "three"])
    edit_note(source, now, before["text"], before["tags"])  # the undo
    [back] = store.notes()
    assert (back["text"], back["tags"]) == ("old #one", ["one"])
    store.close()


def test_an_edit_changes_the_colour_only_when_asked_and_its_undo_brings_it_back(
        tmp_path: Path, article: Article) -> None:
    store = Store(tmp_path / "notes.json")
    saved = store.add_note(new_note(article, *at(article.text, "Protests"), "text"))
    edit_note(store, saved, "text", colour="green")
    [green] = store.notes()
    assert green["colour"] == "green"
    before = edit_note(store, green, "new text")  # the colour is not asked about: kept
    [kept] = store.notes()
    assert (kept["text"], kept["colour"]) == ("new text", "green")
    edit_note(store, kept, "new text", colour=None)  # none chosen in the editor
    [plain] = store.notes()
    assert plain.get("colour") is None
    edit_note(store, plain, before["text"], before["tags"], colour=before["colour"])  # undo
    [back] = store.notes()
    assert (back["text"], back["colour"]) == ("text", "green")
    store.close()


def test_notes_do_not_import_the_store() -> None:
    import subprocess
    import sys

    code = "import sys, reader.notes; print('reader.store' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
