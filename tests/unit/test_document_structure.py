"""What is not prose in a text: headings, captions, contents, an e-text's licence, and
paragraphs written line by line."""

from __future__ import annotations

import pytest

from reader.document import parse

GUTENBERG = """The Project Gutenberg eBook of The Quiet Orchard

This ebook is for the use of anyone anywhere at no cost.

Title: The Quiet Orchard

Author: Marian Tell

*** START OF THE PROJECT GUTENBERG EBOOK THE QUIET ORCHARD ***

THE QUIET ORCHARD

CONTENTS

BOOK ONE

CHAPTER I

CHAPTER II

BOOK ONE

CHAPTER I

It was a cold morning when the letters came, and nobody in the house was awake yet.

CHAPTER II

The orchard was quiet all that winter, and the apples lay where they fell.

*** END OF THE PROJECT GUTENBERG EBOOK THE QUIET ORCHARD ***

Section 1. General Terms of Use and Redistributing Project Gutenberg electronic works
"""


def test_a_gutenberg_book_is_named_by_its_header_and_its_licence_is_not_prose() -> None:
    art = parse(GUTENBERG)
    assert (art.title, art.author) == ("The Quiet Orchard", "Marian Tell")
    kinds = [b.kind for b in art.blocks]
    assert kinds[:5] == ["licence"] * 5
    assert kinds[-2:] == ["licence", "licence"]
    prose = [b.text for b in art.blocks if b.kind == "paragraph"]
    assert prose[0].startswith("THE QUIET ORCHARD")
    assert all("Gutenberg" not in p for p in prose)


def test_contents_entries_are_not_headings_and_chapters_nest_under_books() -> None:
    art = parse(GUTENBERG)
    heads = [(b.level, b.text) for _, b in art.headings]
    assert heads == [(1, "BOOK ONE"), (2, "CHAPTER I"), (2, "CHAPTER II")]
    assert sum(1 for b in art.blocks if b.kind == "contents") == 4


@pytest.mark.parametrize("line", ["CHAPTER IV.", "Chapter 12", "Chapter 12: The Ball", "PART I",
                                  "VOLUME II", "XIV.", "BOOK ONE: 1805", "Preface"])
def test_plain_text_heading_lines_are_headings(line: str) -> None:
    art = parse(f"Some title\n\n{line}\n\nA first paragraph of the chapter, as prose goes on.\n")
    assert [b.text for _, b in art.headings] == [line]


@pytest.mark.parametrize("line", ["Part of the deal was struck.", "Introduction of a bill",
                                  "Civil."])
def test_sentences_that_start_like_headings_stay_prose(line: str) -> None:
    art = parse(f"Some title\n\n{line}\n\nMore prose follows here, as it does.\n")
    assert art.headings == []


def test_an_illustration_is_one_caption_over_blank_lines_and_its_chapter_line_is_kept() -> None:
    text = ("A Title\n\nProse before it, a sentence.\n\n[Illustration:\n\n   PUBLISHER NAME\n\n"
            "   Chapter I.]\n\nProse after it, another sentence.\n")
    art = parse(text)
    kinds = [(b.kind, b.text) for b in art.blocks]
    assert ("heading", "Chapter I.") in kinds
    caption = [t for k, t in kinds if k == "caption"]
    assert caption == ["[Illustration:\nPUBLISHER NAME"]
    assert [k for k, _ in kinds].count("paragraph") == 2


def test_a_list_with_page_numbers_is_contents() -> None:
    text = ("A Title\n\nFrontispiece            iv\n\nHeading to Chapter I.     1\n\n"
            "Prose starts here.\n")
    art = parse(text)
    assert [b.kind for b in art.blocks][1:3] == ["contents", "contents"]


def test_an_address_keeps_its_line_breaks_and_wrapped_prose_does_not() -> None:
    text = ("A Title\n\nKestrel County\nMarlow Hall\n12 High St.\n\n"
            "This paragraph was wrapped by the editor\nand goes on in lower case here.\n")
    art = parse(text)
    texts = [b.text for b in art.blocks]
    assert "Kestrel County\nMarlow Hall\n12 High St." in texts
    assert ("This paragraph was wrapped by the editor and goes on in lower case here."
            in texts)
    assert [k for *_, k in art.structure if k == "lines"] == ["lines"]
