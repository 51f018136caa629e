"""Markdown as people write it: front matter, tables and footnotes, with offsets kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.document import Article, load, parse_markdown

CLIPPED = Path(__file__).resolve().parents[1] / "data" / "clipped.md"


@pytest.fixture
def clipped() -> Article:
    return load(CLIPPED)


def assert_map_exact(article: Article) -> None:
    """Every displayed character maps to that character of the file (a space or a line
    break to white space), and back to the same display index."""
    for block in article.blocks:
        for i, ch in enumerate(block.text):
            src = article.text[block.to_source(i)]
            if ch in " \n":
                assert src in " \n\t", (block.kind, block.text, i)
            else:
                assert src == ch, (block.kind, block.text, i, src)
                assert block.to_display(block.to_source(i)) == i, (block.kind, i)


def test_front_matter_gives_title_authors_date_tags_and_source(clipped: Article) -> None:
    assert clipped.title == "Night Trains Return to the Alpine Valleys"
    assert clipped.author == "Henrike Dallmayr, Osvaldo Quintero"
    assert clipped.date == "2025-02-14"
    assert clipped.tags == ["clippings", "rail", "travel"]
    assert clipped.source_url == "https://example.org/travel/night-trains-alpine-valleys"
    assert [b.kind for b in clipped.blocks[:4]] == ["title", "byline", "byline", "date"]
    assert clipped.header()["tags"] == ["clippings", "rail", "travel"]


def test_front_matter_is_not_shown_as_text(clipped: Article) -> None:
    shown = "\n".join(b.text for b in clipped.blocks)
    for word in ("---", "published:", "tags:", "clippings", "description", "[[", "09:12"):
        assert word not in shown
    assert clipped.body[0].text.startswith("After ten years without a single sleeper")


def test_every_block_maps_back_to_the_bytes_of_the_file(clipped: Article) -> None:
    assert clipped.text == CLIPPED.read_text(encoding="utf-8")
    assert_map_exact(clipped)
    assert clipped.block_starts == sorted(clipped.block_starts)
    for b in clipped.blocks:
        assert clipped.text[b.source_start:b.source_end].startswith(b.text[:3])


def test_inline_markup_becomes_marks_and_links(clipped: Article) -> None:
    para = clipped.body[0]
    marked = {para.text[a:z]: kind for a, z, kind in para.marks}
    assert marked == {"night trains": "strong", "doubled": "em",
                      "regional transport board": "link"}
    assert para.links[0][2] == "https://example.org/board/timetable"
    assert "**" not in para.text and "](" not in para.text


def test_a_table_shows_aligned_rows_without_its_delimiter_row(clipped: Article) -> None:
    [table] = [b for b in clipped.blocks if "Departs" in b.text]
    rows = table.text.split("\n")
    assert len(rows) == 4
    assert [c.strip() for c in rows[1].split("|")] == ["Brenzlau – Vellmar", "21:40", "06:55"]
    assert len({r.index("|") for r in rows}) == 1  # the columns line up
    assert "---" not in table.text
    assert {table.text[a:z] for a, z, k in table.marks if k == "strong"} == {
        "Route", "Departs", "Arrives"}


def test_a_footnote_keeps_its_marker_and_is_shown_at_the_end(clipped: Article) -> None:
    [ref] = [b for b in clipped.body if "[fares]" in b.text]
    assert "[^" not in ref.text
    last = clipped.blocks[-1]
    assert last.prefix == "[fares] "
    assert last.text.startswith("Fares start at 39 euros")


def test_headings_lists_and_quotes(clipped: Article) -> None:
    assert [(b.level, b.text) for _, b in clipped.headings] == [
        (2, "Why now"), (3, "What comes next")]
    items = [b.text for b in clipped.body if b.kind == "item" and b.prefix == "• "]
    assert items == ["A fourth route is planned for 2026.",
                     "Bicycle spaces will be added to every train."]
    [quote] = [b for b in clipped.body if b.kind == "quote"]
    assert quote.text.startswith("The last train on this line left in 2015")


def test_without_front_matter_the_first_heading_is_the_title() -> None:
    text = "# Harbour Cranes Sold at Auction\n\nThe port sold its **last** cranes.\n"
    article = parse_markdown(text, path="notes.md")
    assert article.title == "Harbour Cranes Sold at Auction"
    assert article.blocks[0].kind == "title"
    assert_map_exact(article)


def test_a_first_heading_after_an_opening_paragraph_still_names_the_file() -> None:
    text = ("Saved from the newsletter, read later. It runs long.\n\n"
            "# The Ferry Timetable Changes\n\nBody text.\n")
    assert parse_markdown(text, path="saved.md").title == "The Ferry Timetable Changes"


def test_front_matter_without_a_title_uses_the_first_heading() -> None:
    text = "---\nauthor: Ilse Brandvold\ntags: rail, ferries\n---\n# Ferries\n\nText.\n"
    article = parse_markdown(text, path="x.md")
    assert (article.title, article.author, article.tags) == (
        "Ferries", "Ilse Brandvold", ["rail", "ferries"])
    assert [b.kind for b in article.blocks] == ["byline", "title", "paragraph"]
    assert_map_exact(article)


@pytest.mark.parametrize("front", [
    "---\ntitle: [unclosed\nauthor: : :\n---\n",
    "---\n\t- not: [valid\n---\n",
    "---\njust a line of text\n---\n",
])
def test_malformed_front_matter_leaves_the_body_intact(front: str) -> None:
    text = front + "# Coastal Path Reopens\n\nThe path reopened on Monday.\n"
    article = parse_markdown(text, path="x.md")
    assert article.title == "Coastal Path Reopens"
    assert article.body[-1].text == "The path reopened on Monday."
    assert_map_exact(article)


def test_malformed_front_matter_is_reported_in_the_notice(tmp_path: Path) -> None:
    p = tmp_path / "bad.md"
    p.write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    article = load(p)
    assert article.notice is not None and "YAML" in article.notice
    assert article.paragraphs == ["Body."]


def test_escapes_entities_and_hard_breaks_keep_the_map() -> None:
    text = ("# T\n\nA \\*starred\\* word &amp; more,  \nthen a `code span` and\n"
            "an ![image](pic.png) and <https://example.org/a>.\n")
    article = parse_markdown(text)
    body = article.body[0]
    assert body.text == ("A *starred* word & more,\nthen a code span and an image and "
                         "https://example.org/a.")
    assert_map_exact(article)


def test_markdown_suffixes_are_read_with_markdown_it(tmp_path: Path) -> None:
    for name in ("a.md", "a.markdown"):
        p = tmp_path / name
        shutil.copy(CLIPPED, p)
        assert load(p).title == "Night Trains Return to the Alpine Valleys"


def test_code_spans_over_lines_and_empty_table_cells_keep_the_map() -> None:
    text = ("# T\n\n1. **Lists** hold `a code\n   span` over two lines, and more.\n\n"
            "| | what |\n|---|---|\n| one | `x` |\n|  | empty first |\n")
    article = parse_markdown(text)
    assert article.body[0].text == "Lists hold a code span over two lines, and more."
    table = article.body[1]
    assert table.text.split("\n")[0].strip() == "| what"
    assert_map_exact(article)


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))],
                         ids=lambda p: p.name)
def test_the_projects_own_markdown_keeps_the_map(path: Path) -> None:
    article = load(path)
    assert len(article.blocks) > 2  # the page was read as Markdown, not one block
    assert_map_exact(article)
    assert article.block_starts == sorted(article.block_starts)


def test_a_first_heading_that_repeats_the_front_matter_title_is_shown_once() -> None:
    text = ('---\ntitle: "Ferries Return"\n---\n\n# Ferries Return\n\nThe ferries are back.\n')
    article = parse_markdown(text, path="x.md")
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("title", "Ferries Return"), ("paragraph", "The ferries are back.")]
    assert article.blocks[0].source_start == text.index("Ferries")
