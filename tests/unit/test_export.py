"""Markdown export: the file a notes vault receives, and the `reader export` command.

Each test name says what a user would notice if it failed.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reader import export
from reader.document import Article, load, parse
from reader.entities import Entity, Mention
from reader.export import (
    ExportError,
    export_markdown,
    extract_note_text,
    normalise_note_text,
    slugify,
    target_in_dir,
    write_export,
)
from reader.export.escape import one_line
from reader.notes import PlacedNote, new_note, place_notes
from reader.store import Store

GOLDEN = Path(__file__).parent / "golden"
SAMPLE_SOURCE = "seeds/000_30010e33f959fb06.txt"


@lru_cache(maxsize=1)
def sample_article() -> Article:
    from tests.conftest import SAMPLE

    # A relative source path, so the golden file is the same in any clone.
    return dataclasses.replace(load(SAMPLE), path=Path(SAMPLE_SOURCE))


def front_matter(md: str) -> tuple[dict[str, Any], str]:
    """The parsed YAML front matter and the Markdown body after it."""
    assert md.startswith("---\n")
    end = md.index("\n---\n", 3)
    data = yaml.safe_load(md[4:end])
    assert isinstance(data, dict)
    return data, md[end + 5:]


def top_level(md: str) -> list[Token]:
    return [t for t in MarkdownIt("commonmark").parse(md) if t.level == 0]


def structure(md: str) -> list[tuple[str, str]]:
    """The document's own block structure: top-level block tokens (not what is inside)."""
    return [(t.type, t.tag) for t in top_level(md)]


def passage_note(article: Article, quote: str, text: str, note_id: str, tags: Sequence[str] = (),
                 created: str = "2024-05-01T10:00:00+00:00", nth: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(quote, start + 1)
    note = new_note(article, start, start + len(quote), text, tags)
    note.update(id=note_id, created=created, updated=created)
    return note


def entity_note(article: Article, name: str, text: str, note_id: str,
                tags: Sequence[str] = ()) -> dict[str, Any]:
    note = new_note(article, None, None, text, tags, entity=name)
    note.update(id=note_id, created="2024-05-02T09:00:00+00:00",
                updated="2024-05-02T09:00:00+00:00")
    return note


def orphan_note(article: Article, quote: str, text: str, note_id: str) -> dict[str, Any]:
    note = passage_note(article, article.text[100:130], text, note_id)
    note.update(quote=quote, prefix="no such ", suffix=" anywhere", start=5, end=5 + len(quote))
    return note


def sample_notes(article: Article) -> list[dict[str, Any]]:
    return [
        passage_note(article, "Fuerza Popular", "Who funds #FuerzaPopular? Check the 2021 "
                     "campaign filings.\n\n- donors\n- party list", "a1", ["follow-up"]),
        passage_note(article, "a sham", "# Not a heading of the export\n---\n```\ncode\n```\n"
                     "> quoted\n^note-a1", "b2"),
        passage_note(article, "How can a 15-year-old child be a terrorist?",
                     "The testimony to quote.", "c3", ["testimony"]),
        entity_note(article, "Dina Boluarte", "President since December 2022. #people", "d4"),
        orphan_note(article, "a sentence that an edit removed", "Lost its passage.", "e5"),
    ]


# --------------------------------------------------------------------------- golden


# The golden file was written by the code under test, so it freezes whatever that code and
# the model did when it was made, misses included: the model finds 4 of the 5 "Castillo"s,
# so the file says "Pedro Castillo — 4 mentions". It guards against changes, not for truth;
# test_the_entity_index_counts_every_mention_the_text_has checks counts against the text.
#
# Reviewing a change to it (a failing golden test):
# 1. If test_the_models_mentions_of_the_sample_are_the_recorded_ones fails too, the model
#    (or reader/nlp/) changed: re-record (the command below) and review the mentions diff
#    (`git diff tests/unit/golden/sample_mentions.json`) on its own first.
# 2. Otherwise the export or the entity resolution changed. Regenerate both files with
#    `UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_export.py -k "golden or recorded"`,
#    then read
#    `git diff tests/unit/golden/sample_export.md` line by line: each changed entity count
#    against the text (`grep -ow NAME seeds/000_30010e33f959fb06.txt | wc -l`), each changed
#    quote or note block against the note in sample_notes(). Commit the new file with the
#    change that caused it and say in the commit message why each difference is right.
GOLDEN_EXPORT = GOLDEN / "sample_export.md"
#: The model's mentions of the sample (``nlp.article_mentions``), recorded so that the
#: export can be checked on a machine without the model, and a model change told apart
#: from a code change.
RECORDED_MENTIONS = GOLDEN / "sample_mentions.json"


def recorded_mentions() -> list[Mention]:
    data = json.loads(RECORDED_MENTIONS.read_text(encoding="utf-8"))
    assert data["content_hash"] == sample_article().hash, "the sample changed: re-record"
    return [Mention(s, e, t, label) for s, e, t, label in data["mentions"]]


def write_recorded_mentions(mentions: Sequence[Mention], model: str) -> None:
    from reader import nlp

    rows = ",\n".join("  " + json.dumps([m.start, m.end, m.text, m.label],
                                                ensure_ascii=False) for m in mentions)
    head = {"article": SAMPLE_SOURCE, "content_hash": sample_article().hash,
            "model": f"{model} {nlp.model_version(model)}"}
    lines = [f" {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
    RECORDED_MENTIONS.write_text("{\n" + "\n".join(lines) + '\n "mentions": [\n' + rows
                                 + "\n ]\n}\n", encoding="utf-8")


def golden_export(mentions: Sequence[Mention]) -> str:
    from reader.entities import resolve

    article = sample_article()
    entities = resolve(mentions, article.text)
    placed = place_notes(sample_notes(article), article)
    assert [p.state for p in placed].count("orphan") == 1
    md = export_markdown(article, entities, placed, timestamp=None)
    # ...and the same notes in another order give the same bytes.
    assert export_markdown(article, entities, placed[::-1], timestamp=None) == md
    return md


def test_the_models_mentions_of_the_sample_are_the_recorded_ones() -> None:
    from reader import nlp

    model = nlp.find_model()
    if model is None:
        pytest.skip("no spaCy model installed")
    live = nlp.article_mentions(sample_article(), model)
    if os.environ.get("UPDATE_GOLDEN"):
        write_recorded_mentions(live, model)
    assert live == recorded_mentions()


def test_sample_export_matches_the_golden_file_byte_for_byte() -> None:
    """The export of the sample with sample_notes() is the golden file, byte for byte.

    A change to the golden file is reviewed as the comment above GOLDEN_EXPORT says: every
    line of ``git diff tests/unit/golden/sample_export.md`` is explained by the change that
    made it. The front matter's ``date`` is the ISO 8601 form of ``date_text`` (the date as
    the article writes it; see reader/export/dates.py), and each note's ``Created:`` line is
    its stored time: a diff there must come from a change to those rules or to the notes.
    """
    from reader import nlp

    model = nlp.find_model()
    if model is None:
        pytest.skip("no spaCy model installed")
    md = golden_export(nlp.article_mentions(sample_article(), model))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN_EXPORT.parent.mkdir(exist_ok=True)
        GOLDEN_EXPORT.write_bytes(md.encode("utf-8"))
    assert md.encode("utf-8") == GOLDEN_EXPORT.read_bytes()


def test_the_sample_export_from_recorded_mentions_matches_the_golden_file() -> None:
    # The same check without the model: a change here is the export's or the resolution's.
    assert golden_export(recorded_mentions()).encode("utf-8") == GOLDEN_EXPORT.read_bytes()


def every_mention(text: str, pairs: dict[str, str]) -> list[Mention]:
    """Every whole-word occurrence of each name, longest names first, none overlapping:
    what a model that missed nothing would report."""
    out: list[Mention] = []
    taken: set[int] = set()
    for name, label in sorted(pairs.items(), key=lambda p: -len(p[0])):
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            span = set(range(m.start(), m.end()))
            if not taken & span:
                out.append(Mention(m.start(), m.end(), name, label))
                taken |= span
    return sorted(out, key=lambda m: m.start)


def test_the_entity_index_counts_every_mention_the_text_has() -> None:
    # Mentions made by hand (no model), so each count is the text's own: the golden file's
    # "Pedro Castillo — 4 mentions" is the model's miss, not the export's.
    article = sample_article()
    text = article.text
    names = {"Pedro Castillo": "PERSON", "Castillo": "PERSON", "Dina Boluarte": "PERSON",
             "Boluarte": "PERSON", "Amnesty International": "ORG", "Amnesty": "ORG",
             "Pentagon": "ORG", "Washington": "GPE", "Ayacucho": "GPE"}

    def in_text(word: str) -> int:
        return len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", text))

    from reader.entities import resolve

    entities = resolve(every_mention(text, names), text)
    md = export_markdown(article, entities, [], timestamp=None)
    index = md[md.index("## Entity index\n"):].splitlines()
    assert in_text("Castillo") == 5 and in_text("Amnesty") == 5
    assert f"- Pedro Castillo — {in_text('Castillo')} mentions; also Castillo" in index
    assert f"- Dina Boluarte — {in_text('Boluarte')} mentions; also Boluarte" in index
    assert f"- Amnesty International — {in_text('Amnesty')} mentions; also Amnesty" in index
    assert f"- Pentagon — {in_text('Pentagon')} mentions" in index
    assert f"- Washington — {in_text('Washington')} mentions" in index
    assert f"- Ayacucho — {in_text('Ayacucho')} mentions" in index
    meta, _ = front_matter(md)
    # Most mentioned first (resolve() may add names of its own; these keep their order).
    ours = set(names)
    assert [n for n in meta["people"] if n in ours] == ["Dina Boluarte", "Pedro Castillo"]
    assert [n for n in meta["organizations"] if n in ours] == ["Amnesty International",
                                                                "Pentagon"]
    assert [n for n in meta["places"] if n in ours] == ["Washington", "Ayacucho"]


def test_the_golden_export_reads_as_the_vault_expects() -> None:
    md = (GOLDEN / "sample_export.md").read_text(encoding="utf-8")
    meta, body = front_matter(md)
    assert meta["title"].startswith("Pentagon sending troops")
    assert meta["author"] == "Bill Van Auken" and meta["date_text"] == "29 May 2023"
    # Unquoted ISO 8601, so YAML (and a vault's date property) reads it as a date.
    assert meta["date"] == datetime.date(2023, 5, 29)
    assert meta["source"] == SAMPLE_SOURCE and len(meta["content_hash"]) == 64
    assert "exported" not in meta
    assert meta["tags"] == ["follow-up", "FuerzaPopular", "people", "testimony"]
    assert "Dina Boluarte" in meta["people"] and "Peru" in meta["places"]
    headings = [t.content for t in MarkdownIt("commonmark").parse(body) if t.type == "inline"
                and t.level == 1 and t.map is not None and body.split("\n")[t.map[0]][:1] == "#"]
    assert headings[:4] == [meta["title"], "Notes", "Entities", "Dina Boluarte (person)"]
    assert "Orphaned notes" in headings and "Entity index" in headings
    for note_id in ("a1", "b2", "c3", "d4", "e5"):
        assert md.count(f"\n^note-{note_id}\n") == 1
    # The passage is quoted with its sentence, the passage in bold.
    assert ("> Peru's Congress, dominated by the ultra-right **Fuerza Popular** party and its "
            "allies,") in md
    assert "> a sentence that an edit removed" in md


# --------------------------------------------------------------------------- properties

# Text that looks like Markdown (and front matter, and block ids) more often than chance.
_MARKDOWN_BITS = st.sampled_from([
    "---", "***", "# heading", "## h2", "```", "````python", "~~~", "> quote", ">", "- item",
    "1. one", "* star", "+ plus", "<div>", "</div>", "<!--", "-->", "<script>", "^note-a1",
    "see ^abc", "\\^x", "[[Link]]", "[x]: http://e.x", "| a | b |", "|---|---|", "    code",
    "\t", "===", "\\", "`", "**", "_", "#tag", "&amp;", "$$", "%%", "\r\n", "\r", "\n", " ",
    "\u2028", "\x85", "\ufeff", "é", "中文", "😀", "\x00",
])
_TEXT = st.lists(st.one_of(_MARKDOWN_BITS, st.text(max_size=12)), max_size=12).map("".join)
_TAG = st.one_of(st.sampled_from(["a", "b-c", "x/y", "2024", "with space", "#h", "é"]),
                 st.text(min_size=1, max_size=8))
_NAME = st.one_of(st.sampled_from(["Dina Boluarte", "peru", "Peru", "# Top", "[[x]]", "a|b",
                                   "---", "`n`", "^id"]),
                  st.text(min_size=1, max_size=10).filter(str.strip))
PASSAGES = ["Fuerza Popular", "a sham", "Peru's Congress", "Amnesty International",
            "How can a 15-year-old child be a terrorist?"]


@st.composite
def note_sets(draw: st.DrawFn) -> list[dict[str, Any]]:
    article = sample_article()
    notes = []
    for i in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["passage", "entity", "orphan"]))
        text, tags = draw(_TEXT), draw(st.lists(_TAG, max_size=3))
        note_id = f"n{i}"
        if kind == "passage":
            note = passage_note(article, draw(st.sampled_from(PASSAGES)), text, note_id, tags)
        elif kind == "entity":
            note = entity_note(article, draw(_NAME), text, note_id, tags)
        else:
            note = orphan_note(article, draw(_TEXT), text, note_id)
        note["tags"] = tags  # as stored, whatever they are
        notes.append(note)
    return notes


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes=note_sets(), wikilinks=st.booleans(), title=_TEXT)
def test_any_note_text_stays_inside_its_note_and_comes_back_out(
        notes: list[dict[str, Any]], wikilinks: bool, title: str) -> None:
    article = dataclasses.replace(sample_article(), title=title, author=title or None)
    placed = place_notes(notes, article)
    md = export_markdown(article, None, placed, wikilinks=wikilinks, timestamp=title)

    meta, body = front_matter(md)
    assert meta["exported"] == title
    assert {t.strip().lstrip("#") or t.strip() for n in notes for t in n["tags"] if t.strip()} \
        >= set(meta["tags"])
    assert MarkdownIt("commonmark").parse(md)  # parses, whatever the notes hold

    for note in notes:
        assert extract_note_text(md, note["id"]) == normalise_note_text(note["text"])

    # The document's structure does not depend on what the notes say.
    plain = [{**n, "text": "x" if n["text"] else ""} for n in notes]
    assert structure(body) == structure(front_matter(export_markdown(
        article, None, place_notes(plain, article), wikilinks=wikilinks,
        timestamp=title))[1])

    # ...and names, tags and quotes do not add headings, rules or block ids of their own.
    tokens = MarkdownIt("commonmark").parse(body)
    ids = [t for i, t in enumerate(tokens) if t.type == "inline" and tokens[i - 1].level == 0
           and t.content.startswith("^note-")]
    tops = top_level(body)
    assert sorted(t.content for t in ids) == sorted(f"^note-{n['id']}" for n in notes)
    assert not [t for t in tops if t.type == "hr"]
    levels = [t.tag for t in tops if t.type == "heading_open"]
    entity_names = {one_line(p.note["entity"]).casefold() for p in placed
                    if p.note["entity"] is not None}
    sections = [any(p.start is not None for p in placed), bool(entity_names),
                any(p.state == "orphan" for p in placed)]
    assert levels == ["h1"] + ["h2"] * sections[0] + ["h2"] * sections[1] \
        + ["h3"] * len(entity_names) + ["h2"] * sections[2]


def test_note_text_round_trips_through_the_container_exactly() -> None:
    text = "line\n\n> q\n^note-x\n\\^keep\n  ^ind-1  \nend\\\n"
    lines = export.quote_note_text(text)
    assert all(line == ">" or line.startswith("> ") for line in lines)
    assert "> \\^note-x" in lines and "> \\\\^keep" in lines
    assert export.unquote_note_text(lines) == text


# --------------------------------------------------------------------------- pure export


def _entities(article: Article) -> list[Entity]:
    def mentions(word: str) -> list[Mention]:
        out, at = [], article.text.find(word)
        while at >= 0:
            out.append(Mention(at, at + len(word), word, "X"))
            at = article.text.find(word, at + 1)
        return out

    return [
        Entity("Dina Boluarte", "people", "PERSON", ["Boluarte"], mentions("Boluarte")),
        Entity("Peru", "places", "GPE", [], mentions("Peru")),
        Entity("Amnesty International", "organizations", "ORG", ["Amnesty"],
               mentions("Amnesty")),
        Entity("29 May 2023", "other", "DATE", [], mentions("29 May 2023")),
    ]


def test_wikilinks_link_entity_names_in_front_matter_index_and_entity_notes() -> None:
    article = sample_article()
    placed = place_notes(sample_notes(article), article)
    md = export_markdown(article, _entities(article), placed, wikilinks=True)
    meta, body = front_matter(md)
    assert meta["people"] == ["[[Dina Boluarte]]"]
    assert meta["organizations"] == ["[[Amnesty International]]"] and meta["places"] == ["[[Peru]]"]
    assert "### [[Dina Boluarte]] (person)" in body
    assert "- [[Peru]] — " in body and "- [[Dina Boluarte]] — " in body
    assert "; also Boluarte" in body
    assert "29 May 2023]]" not in body  # a date is not a thing to link to
    # A note on an alias goes under the entity's name.
    alias = entity_note(article, "boluarte", "By alias.", "f6")
    md2 = export_markdown(article, _entities(article), place_notes([alias], article),
                          wikilinks=True)
    assert ("### [[Dina Boluarte]] (person)\n\nCreated: 2024-05-02T09:00:00+00:00\n\n"
            "> [!NOTE]\n> By alias.\n") in md2
    # The note's own text is never rewritten.
    assert extract_note_text(md, "d4") == "President since December 2022. #people"
    plain = export_markdown(article, _entities(article), placed)
    assert "[[" not in front_matter(plain)[1].split("## Entity index")[1]


def test_export_without_a_model_has_no_entity_index() -> None:
    article = sample_article()
    md = export_markdown(article, None, place_notes(sample_notes(article), article))
    meta, body = front_matter(md)
    assert "people" not in meta and "## Entity index" not in body
    assert "## Entities" in body  # notes about entities are still there


def test_a_title_with_quotes_colons_and_newlines_keeps_the_front_matter_valid() -> None:
    title = 'He said: "no" \\ #1 --- \n---\nkey: value \x07 \u2028 é'
    article = dataclasses.replace(sample_article(), title=title, author="O'Brien: \"Jr\"")
    meta, body = front_matter(export_markdown(article, None, [], timestamp="2024-01-01"))
    assert meta["title"] == one_line(title)
    assert meta["author"] == "O'Brien: \"Jr\"" and meta["exported"] == "2024-01-01"
    assert meta["tags"] == []
    assert [t.tag for t in top_level(body) if t.type == "heading_open"] == ["h1"]


def test_template_fills_the_documented_placeholders() -> None:
    article = sample_article()
    placed = place_notes(sample_notes(article), article)
    template = ("$front_matter\n<!-- $hash -->\n# Reading: $title\n*$author, $date* ($source) "
                "$tags $$5 $unknown\n\n$notes$entity_notes$orphans$entities[end]\n")
    md = export_markdown(article, _entities(article), placed, template=template)
    meta, body = front_matter(md)
    assert meta["title"].startswith("Pentagon")
    assert f"<!-- {article.hash} -->" in body
    assert "# Reading: Pentagon sending troops" in body
    assert f"*Bill Van Auken, 29 May 2023* ({SAMPLE_SOURCE}) #follow-up #FuerzaPopular" in body
    assert "$5 $unknown" in body
    assert body.index("## Notes") < body.index("## Entities") < body.index("## Orphaned")
    assert body.endswith("[end]\n")
    assert extract_note_text(md, "b2") == sample_notes(article)[1]["text"]


def test_an_article_whose_file_is_gone_exports_every_note_with_its_quote() -> None:
    article = sample_article()
    notes = sample_notes(article)
    stub = Article(path=Path("/gone/a.txt"), text="", encoding="utf-8", hash=article.hash,
                   blocks=[], title=article.title)
    from reader.notes import orphaned

    md = export_markdown(stub, None, [orphaned(n, "gone") for n in notes], source="/gone/a.txt",
                         source_missing=True)
    _, body = front_matter(md)
    orphans = body.split("## Orphaned notes")[1]
    assert "> Fuerza Popular" in orphans and "> a sentence that an edit removed" in orphans
    assert "/gone/a.txt" in orphans
    assert "### Dina Boluarte" in body.split("## Orphaned notes")[0]


def test_passage_quotes_are_plain_text_even_when_the_article_is_markdown() -> None:
    article = parse("# T\n\nIntro. The *price* was 5 < 6 [see](http://x) and #1 won. Done.\n",
                    "a.md")
    start = article.text.index("price")
    note = new_note(article, start, start + 5, "n")
    note.update(id="p", created="c")
    md = export_markdown(article, None, place_notes([note], article))
    assert "> The **price** was 5 \\< 6 see and \\#1 won.\n" in md


def test_a_passage_across_paragraphs_quotes_each_paragraph() -> None:
    article = parse("Title\n\nFirst one. Second sentence here.\n\nThird para. Fourth.\n", "a.txt")
    start = article.text.index("sentence")
    end = article.text.index("Third para") + len("Third")
    note = new_note(article, start, end, "n")
    note.update(id="p", created="c")
    md = export_markdown(article, None, place_notes([note], article))
    assert "> Second **sentence here.**\n>\n> **Third** para.\n" in md



# --------------------------------------------------------------------------- quoting
# How a passage is quoted: the sentence around it as Markdown that renders exactly as the
# article's text, with the passage in bold only where CommonMark reads the ** as bold.

QUOTES = [
    # (what a reader would see if it broke, article text, passage, the exported quote)
    ("a bracketed passage after a space is bold",
     "The price rose. It was (very) high today.", "(very)", "> It was **(very)** high today."),
    ("a bracketed passage inside a word is not bold, and no stray stars show",
     "The price rose. It was x(very)y high today.", "(very)", "> It was x(very)y high today."),
    ("a passage starting with a symbol inside a word is not bold",
     "Costs were US$5 more than planned.", "$5", "> Costs were US$5 more than planned."),
    ("a bracketed passage opening its sentence is bold",
     "Prices rose. (Very) high ones came later.", "(Very) high",
     "> **(Very) high** ones came later."),
    ("a passage selected with the space after its sentence keeps that space outside the bold",
     "The price rose sharply today. Then it fell.", "today. ",
     "> The price rose sharply **today.** "),
    ("a passage that is its whole sentence is quoted as it is",
     "First sentence. The whole of this one. Last.", "The whole of this one.",
     "> The whole of this one."),
    ("a passage ending in a comma glued to the next word is not bold",
     "It said hello,world today.", "hello,", "> It said hello,world today."),
    ("a passage ending in a comma before a space is bold",
     "The end is near, said the sign.", "near,", "> The end is **near,** said the sign."),
    ("spaces around a passage stay outside the bold",
     "The price rose sharply today.", " rose ", "> The price **rose** sharply today."),
    ("entity references around the passage show as written",
     "Tom &amp; Jerry met the Smiths &amp; co today.", "met",
     "> Tom \\&amp; Jerry **met** the Smiths \\&amp; co today."),
    ("a sentence opening with a list number stays a sentence",
     "It was cold. 1984) was the year of the flood.", "flood",
     "> 1984\\) was the year of the **flood**."),
    ("a list number after the passage needs no backslash",
     "He counted to 3. Then he stopped.", "counted to", "> He **counted to** 3."),
    ("a passage over three paragraphs quotes the middle one whole",
     "One para here.\n\nTwo para there.\n\nThree para end.",
     "here.\n\nTwo para there.\n\nThree",
     "> One para **here.**\n>\n> Two para there.\n>\n> **Three** para end."),
    ("a passage into a paragraph with a hard line break keeps that paragraph whole",
     "One para here.\n\nTwo para goes  \nover two lines.", "here.\n\nTwo para",
     "> One para **here.**\n>\n> Two para goes\n> over two lines."),
    ("a sentence over a hard line break is quoted without bold",
     "Line one ends here  \nline two has the word in it.", "word",
     "> Line one ends here\n> line two has the word in it."),
    ("a star in the sentence is not emphasis",
     "He paid 5 * 3 = 15 dollars.", "paid", "> He **paid** 5 \\* 3 = 15 dollars."),
]


def rendered(markdown: str) -> tuple[str, list[str]]:
    """The text a CommonMark renderer shows for ``markdown``, and its bold parts."""
    out = MarkdownIt("commonmark").render(markdown)
    bold = [html.unescape(b) for b in re.findall(r"<strong>(.*?)</strong>", out, re.S)]
    return html.unescape(re.sub(r"<[^>]+>", "", out)).strip(), bold


@pytest.mark.parametrize("name,text,passage,quote", QUOTES, ids=[c[0] for c in QUOTES])
def test_a_passage_is_quoted_as_its_sentence_with_the_passage_in_bold(
        name: str, text: str, passage: str, quote: str) -> None:
    article = parse(f"# T\n\n{text}\n", "a.txt")
    start = article.text.index(passage)
    md = "\n".join(export.quote_lines(export.passage_paragraphs(article, start,
                                                                start + len(passage))))
    assert md == quote, name
    shown, bold = rendered(md)
    expected_bold = [p for p in re.findall(r"\*\*(.+?)\*\*", quote)]
    assert bold == [b.replace("\\", "") for b in expected_bold], name
    plain = "\n".join(ln[2:] for ln in quote.split("\n") if ln != ">")
    assert shown == re.sub(r"\\(.)", r"\1", plain.replace("**", "")).strip(), name


ESCAPED = [
    "- not a list", "+ not a list either", "= not a heading underline", "1. not a number",
    "2) nor this", "# not a heading", "> not a quote", "a *star*, an _underscore_, a `tick`",
    "[not](a link) <b>not html</b> a|b ~x~ ^y x==y", "Tom &amp; Jerry &#38; co",
    "back\\slash", "two\n- lines, the second\n3. like a list",
]


@pytest.mark.parametrize("text", ESCAPED)
def test_article_text_in_the_export_renders_exactly_as_written(text: str) -> None:
    shown, bold = rendered(export.escape_text(text))
    assert shown == text and bold == []


def test_front_matter_escapes_control_characters_in_the_short_form() -> None:
    assert export.yaml_str("a\x7fb") == '"a\\u007fb"'
    assert export.yaml_str("\uffff\u2028") == '"\\uffff\\u2028"'
    assert yaml.safe_load(export.yaml_str("a\x7fb\uffff\u2028\U0001f600")) == (
        "a\x7fb\uffff\u2028\U0001f600")


def test_note_line_endings_of_every_kind_become_newlines() -> None:
    assert normalise_note_text("a\r\nb\rc\nd") == "a\nb\nc\nd"


def test_block_ids_keep_letters_digits_and_dashes_only() -> None:
    assert export.block_id("Ab-9") == "^note-Ab-9"
    assert export.block_id("Ab_c.1 x") == "^note-Ab-c-1-x"


def test_a_line_outside_a_notes_container_is_refused_by_name() -> None:
    assert export.unquote_note_text(["> one", ">", "> two"]) == "one\n\ntwo"
    with pytest.raises(ValueError, match="not a line of a note's container: 'stray'"):
        export.unquote_note_text(["> one", "stray"])


def test_a_note_at_the_top_of_a_file_is_read_back() -> None:
    md = "> [!NOTE]\n> first line\n> second\n\n^note-a1\n"
    assert extract_note_text(md, "a1") == "first line\nsecond"
    assert extract_note_text("\n" + md, "a1") == "first line\nsecond"
    assert extract_note_text(md, "b2") is None


def test_tags_that_are_not_vault_tags_are_quoted_and_others_get_a_hash() -> None:
    article = parse("# T\n\nA short text about the harbour.\n", "a.txt")
    note = passage_note(article, "harbour", "n", "t1", ["with space", "a/b", "2024", "ok"])
    md = export_markdown(article, None, place_notes([note], article))
    # In the note's own order; a tag with a space, or of digits only, is no vault tag.
    assert "Tags: \u201cwith space\u201d #a/b \u201c2024\u201d #ok\n" in md


def test_an_orphans_quote_keeps_its_paragraphs_and_lines() -> None:
    article = parse("# T\n\n" + "Some text of the article, long enough. " * 5 + "\n", "a.txt")
    note = orphan_note(article, "x", "the note", "o1")
    note["quote"] = "First line of it\n  second line  \n\n\nA new paragraph"
    md = export_markdown(article, None, place_notes([note], article))
    assert "> First line of it\n> second line\n>\n> A new paragraph\n" in md


# --------------------------------------------------------------------------- files


def test_write_export_replaces_a_file_as_a_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    tmp_path = tmp_path / "w"
    tmp_path.mkdir()
    target = tmp_path / "out.md"
    target.write_text("old")
    target.chmod(0o640)
    write_export(target, "new ✓\n")
    assert target.read_text(encoding="utf-8") == "new ✓\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"]  # no temp file left


@pytest.mark.parametrize("where", ["parent_is_a_file", "missing_folder", "target_is_a_folder"])
def test_an_unwritable_target_raises_one_line(tmp_path: Path, where: str) -> None:
    tmp_path = tmp_path / "w"
    tmp_path.mkdir()
    (tmp_path / "file").write_text("x")
    (tmp_path / "folder.md").mkdir()
    target = {"parent_is_a_file": tmp_path / "file" / "out.md",
              "missing_folder": tmp_path / "nope" / "out.md",
              "target_is_a_folder": tmp_path / "folder.md"}[where]
    with pytest.raises(ExportError) as info:
        write_export(target, "text")
    message = str(info.value)
    assert "\n" not in message and str(target) in message and message.startswith("cannot write")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "folder.md"]


def test_file_names_are_stable_slugs_that_never_replace_another_articles_export(
        tmp_path: Path) -> None:
    assert slugify("Pentagon sending troops: Peru's \"coup\"") == \
        "pentagon-sending-troops-peru-s-coup"
    assert slugify("Ελληνικά / 中文") == "ελληνικά-中文"
    assert slugify("???") == "article" and len(slugify("word " * 40)) <= export.SLUG_MAX
    taken: set[Path] = set()
    a = target_in_dir(tmp_path, "Same Title", "/x/a.txt", taken)
    b = target_in_dir(tmp_path, "Same Title", "/y/b.txt", taken)
    assert a.name == "same-title.md" and b.name.startswith("same-title-") and a != b
    write_export(a, '---\nsource: "/x/a.txt"\n---\n')
    # Next run, b first: a's file belongs to a, so b keeps its own name, and a keeps its.
    taken = set()
    assert target_in_dir(tmp_path, "Same Title", "/y/b.txt", taken) == b
    assert target_in_dir(tmp_path, "Same Title", "/x/a.txt", taken) == a
    # A file of the user's own with that name is never replaced.
    (tmp_path / "mine.md").write_text("# my own notes\n")
    assert target_in_dir(tmp_path, "Mine", "/z/c.txt", set()).name.startswith("mine-")


# --------------------------------------------------------------------------- CLI


def reader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL,
                          env=dict(os.environ))


NO_MODEL = ("--model", "en_core_web_nonexistent")


def add_notes(path: Path) -> list[dict[str, Any]]:
    article = load(path)
    with Store() as store:
        return store.add_notes([
            new_note(article, *_span(article, "Fuerza Popular"), "Who? #peru\n# not a heading"),
            new_note(article, *_span(article, "a sham"), "Sham.", ["probe"]),
            new_note(article, None, None, "About her.", entity="Dina Boluarte"),
        ])


def _span(article: Article, quote: str) -> tuple[int, int]:
    start = article.text.index(quote)
    return start, start + len(quote)


def test_re_export_is_byte_identical_and_keeps_every_note_id(tmp_path: Path, sample: Path) -> None:
    copy = tmp_path / "article.txt"
    copy.write_bytes(sample.read_bytes())
    notes = add_notes(copy)
    out = tmp_path / "vault" / "out.md"
    out.parent.mkdir()
    first = reader("export", str(copy), "-o", str(out), "--no-timestamp", *NO_MODEL)
    assert first.returncode == 0, first.stderr
    assert "exporting without the entity index" in first.stderr
    assert first.stdout.strip() == f"wrote {out} (3 notes)"
    one = out.read_bytes()
    assert reader("export", str(copy), "-o", str(out), "--no-timestamp", *NO_MODEL).returncode == 0
    assert out.read_bytes() == one
    for n in notes:
        assert f"\n^note-{n['id']}\n".encode() in one
    meta, _ = front_matter(one.decode("utf-8"))
    assert meta["source"] == str(copy.resolve()) and meta["tags"] == ["peru", "probe"]

    # Edit a note and the article around it: the file is rewritten, every id is kept.
    with Store() as store:
        store.update_note(notes[1]["id"], {"text": "Edited."})
    copy.write_text("New first line.\n\n" + sample.read_text(encoding="utf-8"), encoding="utf-8")
    stamped = reader("export", str(copy), "-o", str(out), *NO_MODEL)
    assert stamped.returncode == 0, stamped.stderr
    two = out.read_text(encoding="utf-8")
    assert "exported: " in two and "Edited." in two
    for n in notes:
        assert f"\n^note-{n['id']}\n" in two


def test_export_to_stdout_with_the_model_has_the_entity_index(sample: Path) -> None:
    from reader import nlp

    if nlp.find_model() is None:
        pytest.skip("no spaCy model installed")
    add_notes(sample)
    run = reader("export", str(sample), "--no-timestamp", "--wikilinks")
    assert run.returncode == 0, run.stderr
    meta, body = front_matter(run.stdout)
    assert "[[Dina Boluarte]]" in meta["people"]
    assert "### [[Dina Boluarte]] (person)" in body and "## Entity index" in body


@pytest.mark.parametrize("args", [
    ("-o", "{file}/out.md"), ("--dir", "{file}"), ("-o", "{tmp}"),
])
def test_an_unwritable_target_exits_2_with_one_line(tmp_path: Path, sample: Path,
                                                     args: tuple[str, str]) -> None:
    (tmp_path / "file").write_text("x")
    add_notes(sample)
    target = args[1].format(file=tmp_path / "file", tmp=tmp_path)
    run = reader("export", str(sample), args[0], target, *NO_MODEL)
    assert run.returncode == 2 and run.stdout == ""
    last = run.stderr.strip().split("\n")[-1]
    assert last.startswith("reader: ") and "Traceback" not in run.stderr
    assert target in last


def test_bad_export_commands_exit_2_before_writing(tmp_path: Path, sample: Path) -> None:
    for args in (["--all"], [], [str(sample), str(sample)], [str(tmp_path / "nope.txt"),
                 "--dir", str(tmp_path / "d")], [str(sample), "--template", "/nope/t"]):
        run = reader("export", *args, *NO_MODEL)
        assert run.returncode == 2, args
        assert run.stderr.startswith("reader: ") and run.stderr.count("\n") == 1, run.stderr
    assert not (tmp_path / "d").exists()


def test_export_all_writes_one_file_per_article_even_when_its_file_is_gone(
        tmp_path: Path, sample: Path) -> None:
    a, b, gone = (tmp_path / "a" / "x.txt", tmp_path / "b" / "x.txt", tmp_path / "gone.txt")
    for p in (a, b, gone):
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(sample.read_bytes())
    a.write_text(sample.read_text(encoding="utf-8") + "\nA.\n", encoding="utf-8")
    b.write_text(sample.read_text(encoding="utf-8") + "\nB.\n", encoding="utf-8")
    for p in (a, b, gone):
        add_notes(p)
    gone.unlink()
    vault = tmp_path / "vault"
    run = reader("export", "--all", "--dir", str(vault), "--no-timestamp", *NO_MODEL)
    assert run.returncode == 0, run.stderr
    files = sorted(p.name for p in vault.iterdir())
    # Named from the title by default, as a vault names a note (export.file_names).
    title = "Pentagon sending troops to train Peruvian coup regime's killers"
    assert len(files) == 3 and f"{title}.md" in files, files
    texts = {f: (vault / f).read_bytes() for f in files}
    sources = {front_matter(t.decode("utf-8"))[0]["source"] for t in texts.values()}
    assert sources == {str(a), str(b), str(gone)}
    gone_md = next(t.decode("utf-8") for t in texts.values() if str(gone).encode() in t)
    assert "## Orphaned notes" in gone_md and "> Fuerza Popular" in gone_md
    assert "## Notes\n" not in gone_md
    # Again: the same names, the same bytes.
    again = reader("export", "--all", "--dir", str(vault), "--no-timestamp", *NO_MODEL)
    assert again.returncode == 0
    assert {f: (vault / f).read_bytes() for f in sorted(p.name for p in vault.iterdir())} == texts


def test_export_names_files_as_slugs_and_links_entities_per_the_settings(
        tmp_path: Path, sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = tmp_path / "config.toml"
    settings.write_text('[export]\nfile_names = "slug"\n', encoding="utf-8")
    monkeypatch.setenv("READER_CONFIG", str(settings))
    add_notes(sample)
    vault = tmp_path / "vault"
    run = reader("export", str(sample), "--dir", str(vault), "--no-timestamp", *NO_MODEL)
    assert run.returncode == 0, run.stderr
    slug = "pentagon-sending-troops-to-train-peruvian-coup-regime-s-killers"
    assert [p.name for p in vault.iterdir()] == [f"{slug}.md"]
    assert run.stdout.strip() == f"wrote {vault / slug}.md (3 notes)"


def test_placed_notes_built_by_hand_export_like_placed_ones() -> None:
    article = sample_article()
    notes = sample_notes(article)
    by_hand = [PlacedNote(n, "anchored", n["start"], n["end"]) if n["entity"] is None
               else PlacedNote(n, "anchored", None, None) for n in notes[:4]]
    by_hand.append(PlacedNote(notes[4], "orphan", None, None))
    assert export_markdown(article, None, by_hand) == \
        export_markdown(article, None, place_notes(notes, article))


def test_a_note_exported_without_text_reads_back_empty_not_as_its_quote() -> None:
    article = parse("# T\n\nA short text about the harbour.\n\nThe boats in it.\n", "a.txt")
    start = article.text.index("harbour")
    note = new_note(article, start, article.text.index("boats") + 5, "", [])
    note.update(id="e1", created="c")
    md = export_markdown(article, None, place_notes([note], article))
    assert "> A short text about the **harbour.**\n>\n> **The boats** in it.\n\n^note-e1\n" in md
    assert extract_note_text(md, "e1") == ""
