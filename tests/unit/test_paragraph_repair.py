"""Paragraph repair: a paragraph that text extraction broke mid-sentence is joined again.

Two rules join a paragraph to the next (``reader.document.repair``, ``_broken``):

1. it does not end a sentence (no hard line break, no closing punctuation, its last
   character a letter, digit, comma or dash) and the next one starts in lower case;
2. it also does not end a sentence, is longer than 120 characters and has a finished
   sentence of its own, and the next one is longer than 80 characters and its first
   sentence ends within 80 characters.

Each rule has one case that joins and, for each of its conditions, a case that fails that
condition alone and must stay apart. Each test is named for what a reader would see if it
broke.
"""

from __future__ import annotations

import pytest

from reader.document import parse


def paragraphs(*parts: str) -> list[str]:
    return parse("# T\n\n" + "\n\n".join(parts) + "\n").paragraphs


def sized(start: str, n: int, end: str = "") -> str:
    """``start``, filler words, then ``end``: exactly ``n`` characters, no sentence ends."""
    fill = n - len(start) - len(end)
    assert fill >= 2, (start, n, end)
    words = []
    while fill > 0:
        w = min(fill - 1, 6) if fill > 7 else fill - 1
        if w <= 0:  # one character left: lengthen the last word
            words[-1] += "o"
            break
        words.append("o" * w)
        fill -= w + 1
    text = start + " " + " ".join(words) + end
    assert len(text) == n, (len(text), n)
    return text


# --------------------------------------------------------------------------- rule 1

CUT = "The report states that the use of force"
REST = "against peaceful crowds was unlawful."


def test_a_sentence_broken_before_a_lower_case_word_reads_as_one_paragraph() -> None:
    assert paragraphs(CUT, REST) == [f"{CUT} {REST}"]


@pytest.mark.parametrize("tail", [",", "-", "–", "7"])
def test_a_sentence_broken_after_a_comma_dash_or_digit_reads_as_one_paragraph(
        tail: str) -> None:
    assert paragraphs(CUT + tail, REST) == [f"{CUT}{tail} {REST}"]


@pytest.mark.parametrize("hard", ["  ", "\\"])
def test_a_paragraph_ending_in_a_hard_line_break_is_not_joined_to_the_next(hard: str) -> None:
    # Only the hard break differs from the joined case above.
    assert paragraphs(CUT + hard, REST) == [CUT, REST]


@pytest.mark.parametrize("end", [".", ";", ":", "?", "!", ")", "\u2026", "\u201d"])
def test_a_paragraph_ending_a_sentence_is_not_joined_to_a_lower_case_one(end: str) -> None:
    assert paragraphs(CUT + end, REST) == [CUT + end, REST]


@pytest.mark.parametrize("end", ["%", "/", "#"])
def test_a_paragraph_ending_in_a_symbol_is_not_joined_to_a_lower_case_one(end: str) -> None:
    assert paragraphs(CUT + end, REST) == [CUT + end, REST]


def test_a_paragraph_followed_by_a_capitalised_short_one_stays_apart() -> None:
    assert paragraphs(CUT, "Against peaceful crowds.") == [CUT, "Against peaceful crowds."]


def test_a_list_item_or_heading_is_not_joined_to_a_lower_case_paragraph() -> None:
    assert paragraphs("- an item without a stop", REST) == ["an item without a stop", REST]
    article = parse(f"# T\n\n## A heading\n\n{REST}\n")
    assert [b.text for b in article.body] == ["A heading", REST]
    # A lower-case list item after a broken paragraph is an item of its own.
    assert paragraphs(CUT, "- against all") == [CUT, "against all"]


def test_joined_paragraphs_keep_every_character_mapped_to_the_source() -> None:
    text = f"# T\n\n{CUT}\n\n{REST}\n"
    article = parse(text)
    [block] = article.body
    for i, ch in enumerate(block.text):
        if ch != " ":
            assert text[block.to_source(i)] == ch


def test_three_pieces_of_one_sentence_read_as_one_paragraph() -> None:
    assert paragraphs("The use", "of force against", "crowds was unlawful.") == [
        "The use of force against crowds was unlawful."]


# --------------------------------------------------------------------------- rule 2

#: A long paragraph with a finished sentence of its own, cut before a capitalised name.
BODY_START = "Trade grew fast. Later it joined"
NAME = " called the Great Green"
#: Its continuation: a first sentence that ends shortly ("Wall."), then more prose.
HEAD_START = "Wall. According to officials, the programme has planted trees"


def long_cut(n: int) -> str:
    return sized(BODY_START, n, NAME)


def continuation(n: int) -> str:
    return sized(HEAD_START, n, ".")


def test_a_long_paragraph_cut_before_a_capitalised_name_reads_as_one_paragraph() -> None:
    a, b = long_cut(121), continuation(81)
    assert paragraphs(a, b) == [f"{a} {b}"]


def test_a_paragraph_of_120_characters_is_too_short_to_be_judged_cut() -> None:
    # 121 characters join (above); at 120, or anything shorter, the two stay apart.
    for n in (120, 100, 60):
        a, b = long_cut(n), continuation(81)
        assert paragraphs(a, b) == [a, b], n


def test_a_long_paragraph_without_a_finished_sentence_is_not_joined_to_a_capitalised_one() -> None:
    # A heading-like line, or a caption: long, but no sentence of its own ends in it.
    a = sized("Trade grew fast over the decade and later the smaller country joined", 121, NAME)
    b = continuation(81)
    assert paragraphs(a, b) == [a, b]
    # With one finished sentence (a question here) the same shape is joined.
    a2 = sized("Did trade grow? Later the smaller country joined the programme", 121, NAME)
    assert paragraphs(a2, b) == [f"{a2} {b}"]


def test_a_long_paragraph_is_not_joined_to_a_short_capitalised_one() -> None:
    a, b = long_cut(121), continuation(80)
    assert paragraphs(a, b) == [a, b]


def test_a_long_paragraph_is_not_joined_to_one_whose_first_sentence_runs_long() -> None:
    a = long_cut(121)
    first = sized("Wall", 81, ".")  # 80 characters, then the full stop
    joined = first + " More text follows here."
    assert paragraphs(a, joined) == [f"{a} {joined}"]
    longer = sized("Wall", 82, ".")  # 81 characters, then the full stop
    b = longer + " More text follows here."
    assert paragraphs(a, b) == [a, b]
    no_end = sized("Wall", 90)  # no sentence end at all
    assert paragraphs(a, no_end) == [a, no_end]


def test_a_long_paragraph_ending_in_a_hard_line_break_is_not_joined() -> None:
    a, b = long_cut(121), continuation(81)
    assert paragraphs(a + "  ", b) == [a, b]


def test_a_long_paragraph_ending_a_sentence_is_not_joined_to_a_capitalised_one() -> None:
    a, b = long_cut(121)[:-1] + ".", continuation(81)
    assert paragraphs(a, b) == [a, b]


def test_a_long_paragraph_whose_finished_sentence_ends_a_line_is_still_judged_cut() -> None:
    # The finished sentence ("... decade.") ends one line and the next line goes on.
    a1 = "Trade grew fast over the decade."
    a2 = sized("Later it joined", 121 - len(a1) - 1, NAME)
    b = continuation(81)
    assert paragraphs(f"{a1}\n{a2}", b) == [f"{a1} {a2} {b}"]


# --------------------------------------------------------------------------- where it looks


def test_punctuation_inside_the_last_words_does_not_end_the_sentence() -> None:
    # Only the very last character counts: "A." early on, or "4.2" at the end, is no stop.
    for cut in ("A. Smith said the use of force", "The report cites section 4.2"):
        assert paragraphs(cut, REST) == [f"{cut} {REST}"], cut


def test_a_paragraph_after_an_empty_hard_broken_line_is_left_alone() -> None:
    # A paragraph that opens with a line holding only a backslash (an empty hard break).
    assert [b.text for b in parse(f"# T\n\n{CUT}\n\n\\\n{REST}\n").body] == [CUT, f"\n{REST}"]


# --------------------------------------------------------------------------- hard breaks


def test_a_line_ending_in_an_escaped_backslash_is_not_a_hard_break() -> None:
    article = parse("# T\n\nends in a backslash \\\\\nnext line\n")
    assert [b.text for b in article.body] == ["ends in a backslash \\ next line"]


def test_a_backslash_before_two_trailing_spaces_is_kept() -> None:
    article = parse("# T\n\nfirst line ends in \\  \nsecond line\n")
    assert [b.text for b in article.body] == ["first line ends in \\\nsecond line"]
