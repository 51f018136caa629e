"""The article model: encodings, Markdown, paragraph repair, offset map, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.document import ArticleError, load, parse


def write(tmp_path: Path, data: bytes, name: str = "a.txt") -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def assert_map_exact(article) -> None:  # type: ignore[no-untyped-def]
    """Every displayed character that came from the file maps to that character."""
    for block in article.blocks:
        for i, ch in enumerate(block.text):
            src = article.text[block.to_source(i)]
            if ch in " \n":
                assert src in " \n\t", (block.text, i)
            else:
                assert src == ch, (block.kind, block.text, i, src)


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("data, encoding", [
    ("Café society\n\nA paragraph about café life.\n".encode(), "utf-8-sig"),
    ("\ufeffCafé society\n\nA paragraph.\n".encode(), "utf-8-sig"),
    ("Café society\n\nA paragraph, €5.\n".encode("cp1252"), "cp1252"),
])
def test_text_reads_the_same_as_python_opens_it(tmp_path: Path, data: bytes, encoding: str) -> None:
    p = write(tmp_path, data)
    article = load(p)
    assert article.encoding == encoding
    with open(p, encoding=article.encoding) as fh:
        assert article.text == fh.read()
    assert article.title == "Café society"
    assert not article.text.startswith("\ufeff")


def test_file_that_is_not_utf8_is_read_with_a_visible_notice(tmp_path: Path) -> None:
    article = load(write(tmp_path, "Title here\n\nNa\xefve text.\n".encode("cp1252")))
    assert article.notice is not None and "UTF-8" in article.notice
    assert "Naïve" in article.paragraphs[0]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_newlines_are_normalised(tmp_path: Path, newline: str) -> None:
    raw = newline.join(["Title", "", "First line", "second line.", "", "Next."]).encode()
    article = load(write(tmp_path, raw))
    assert "\r" not in article.text
    assert article.paragraphs == ["First line second line.", "Next."]
    with open(tmp_path / "a.txt", encoding=article.encoding) as fh:
        assert fh.read() == article.text


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("make, words", [
    (lambda d: d / "missing.txt", "no such file"),
    (lambda d: d, "folder"),
    (lambda d: write(d, b""), "empty"),
    (lambda d: write(d, b"  \n\n \t \n"), "empty"),
    (lambda d: write(d, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "PDF"),
    (lambda d: write(d, b"text\x00with\x00nuls" * 10), "NUL bytes at byte 4"),
])
def test_bad_input_is_refused_with_one_clear_line(tmp_path: Path, make, words: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ArticleError) as info:
        load(make(tmp_path))
    message = str(info.value)
    assert words in message and "\n" not in message


def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    import os

    p = write(tmp_path, b"Some text.\n")
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):
            pytest.skip("running as root: permissions do not stop reading")
        with pytest.raises(ArticleError, match="permission denied"):
            load(p)
    finally:
        p.chmod(0o644)


# --------------------------------------------------------------------------- header


def test_sample_header_is_title_byline_and_date_not_body(sample: Path) -> None:
    article = load(sample)
    assert article.title.startswith("Pentagon sending troops")
    assert article.author == "Bill Van Auken"
    assert article.date == "29 May 2023"
    assert [b.kind for b in article.blocks[:3]] == ["title", "byline", "date"]
    assert article.title not in article.paragraphs
    assert not any(p == "Bill Van Auken" for p in article.paragraphs)


@pytest.mark.parametrize("text, title, author, date", [
    ("# Rivers rise\n\nBy Ana Lima\n\nMarch 3, 2024\n\nWater came.\n", "Rivers rise", "Ana Lima",
     "March 3, 2024"),
    ("Rivers rise in the north\n\nWater came over the banks.\n", "Rivers rise in the north", None,
     None),
    ("# Rivers\n\n2024-03-03\n\nWater came.\n", "Rivers", None, "2024-03-03"),
    ("# Rivers\n\nWater came over the banks, and then it rained.\n", "Rivers", None, None),
])
def test_title_byline_and_date_are_found(text: str, title: str, author: str | None,
                                         date: str | None) -> None:
    article = parse(text)
    assert (article.title, article.author, article.date) == (title, author, date)
    assert article.paragraphs[-1].startswith("Water came")


# --------------------------------------------------------------------------- Markdown


def test_markdown_markup_is_rendered_not_shown() -> None:
    text = ("# Title\n\nSome *emphasis*, **strong** words, `code` and a "
            "[link](https://example.org/x) with \\$37 billion.\n\n"
            "## Section\n\n- first item\n- second\n  continued\n\n1. one\n2. two\n\n"
            "> quoted words\n> more\n\n---\n\nEnd.\n")
    article = parse(text)
    kinds = [b.kind for b in article.blocks]
    assert kinds == ["title", "paragraph", "heading", "item", "item", "item", "item", "quote",
                     "rule", "paragraph"]
    para = article.blocks[1]
    assert para.text == ("Some emphasis, strong words, code and a link with $37 billion.")
    marks = {k: para.text[a:z] for a, z, k in para.marks}
    assert marks == {"em": "emphasis", "strong": "strong", "code": "code", "link": "link"}
    assert para.links == [(para.text.index("link"), para.text.index("link") + 4,
                           "https://example.org/x")]
    assert article.blocks[4].text == "second continued"
    assert article.blocks[5].prefix == "1. "
    assert article.blocks[7].text == "quoted words more"
    assert_map_exact(article)


def test_underscores_inside_words_are_not_emphasis() -> None:
    article = parse("# T\n\nThe snake_case_name stays, _this_ is emphasis.\n")
    para = article.blocks[1]
    assert para.text == "The snake_case_name stays, this is emphasis."


def test_sample_backslash_escapes_are_undone(sample: Path) -> None:
    article = load(sample)
    assert any("$37 billion" in p for p in article.paragraphs)
    assert not any("\\$" in p for p in article.paragraphs)


# --------------------------------------------------------------------------- repair


def test_paragraph_broken_before_a_lower_case_word_is_joined() -> None:
    article = parse("# T\n\nThe report states that the use of force\n\n"
                    "against peaceful crowds was unlawful.\n\nNext paragraph.\n")
    assert article.paragraphs == ["The report states that the use of force against peaceful "
                                  "crowds was unlawful.", "Next paragraph."]
    assert_map_exact(article)


def test_long_paragraph_cut_before_a_capitalised_word_is_joined() -> None:
    first = ("Trade grew fast over the decade. The two countries signed a treaty in 2010. "
             "Later the smaller one joined the regional programme called the Great Green")
    second = ("Wall. According to officials, the programme has planted millions of trees "
              "across the region since then.")
    article = parse(f"# T\n\n{first}\n\n{second}\n")
    assert article.paragraphs == [f"{first} {second}"]


@pytest.mark.parametrize("a, b", [
    ("A complete sentence.", "another starts here."),
    ("A heading without a full stop", "Then a normal paragraph that follows it and is long "
     "enough to look like prose, with more words."),
    ("Items follow:", "first item text"),
])
def test_paragraphs_that_are_not_broken_stay_apart(a: str, b: str) -> None:
    article = parse(f"# T\n\n{a}\n\n{b}\n")
    assert article.paragraphs == [a, b]


def test_sample_broken_paragraphs_are_repaired(sample: Path) -> None:
    paragraphs = load(sample).paragraphs
    assert any("live ammunition against unarmed protesters" in p for p in paragraphs)
    assert any("Belt and Road Initiative." in p for p in paragraphs)


# --------------------------------------------------------------------------- offsets


def test_every_display_character_maps_back_into_the_sample(sample: Path) -> None:
    article = load(sample)
    assert_map_exact(article)
    for block in article.blocks:
        a, z = block.source_start, block.source_end
        assert 0 <= a < z <= len(article.text)


def test_source_offsets_map_back_to_display_positions(sample: Path) -> None:
    article = load(sample)
    for block in article.blocks:
        for i in range(0, len(block.text), 7):
            assert block.to_display(block.to_source(i)) == i


def test_offsets_count_characters_after_a_bom(tmp_path: Path) -> None:
    article = load(write(tmp_path, "\ufeff# Tïtle\n\nÉmile met Zoë.\n".encode()))
    block = article.blocks[1]
    start = block.to_source(block.text.index("Zoë"))
    assert article.text[start:start + 3] == "Zoë"


def test_chapters_of_a_plain_text_book_are_headings() -> None:
    article = parse("A Book\n\nCHAPTER I\n\nIt begins.\n\nCHAPTER II.\n\nIt goes on.\n")
    assert [b.text for _, b in article.headings] == ["CHAPTER I", "CHAPTER II."]
