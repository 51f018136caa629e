"""Wrapping and the line map behind the virtualised page."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rich.cells import cell_len

from reader.document import load, parse
from reader.layout import BLANK, RULE, layout, line_for_offset, offset_for_line, wrap


@pytest.mark.parametrize("width", [5, 10, 33, 80])
def test_no_wrapped_line_is_wider_than_the_measure(width: int) -> None:
    text = ("Short words and averyveryverylongwordthatmustbreak, then café, naïve and "
            "日本語のテキスト mixed in. ") * 5
    for s, e in wrap(text, width):
        assert cell_len(text[s:e]) <= width


def test_wrapping_keeps_every_word_in_order() -> None:
    text = "one two three four five six seven eight nine ten eleven twelve"
    lines = wrap(text, 12)
    assert " ".join(text[s:e] for s, e in lines) == text


def test_hard_line_breaks_start_new_lines() -> None:
    text = "first line\nsecond"
    assert [text[s:e] for s, e in wrap(text, 80)] == ["first line", "second"]


def test_header_is_followed_by_a_rule_and_blocks_by_a_blank_line() -> None:
    article = parse("# Title\n\nBy Ana Lima\n\nFirst paragraph.\n\nSecond.\n")
    lay = layout(article, 40)
    assert list(lay.block) == [0, 1, RULE, BLANK, 2, BLANK, 3]


def test_reading_position_survives_any_rewrap(sample: Path) -> None:
    article = load(sample)
    rng = random.Random(7)
    for _ in range(300):
        offset = rng.randrange(len(article.text))
        narrow, wide = layout(article, 30), layout(article, 88)
        top = offset_for_line(article, narrow, line_for_offset(article, narrow, offset))
        # The same text is at the top of the page after re-wrapping to another measure.
        again = offset_for_line(article, wide, line_for_offset(article, wide, top))
        assert again <= top
        block = article.blocks[article.block_at(top)]
        assert block.source_start <= again <= block.source_end
