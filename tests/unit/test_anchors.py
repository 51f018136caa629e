"""Anchors: a note's passage is found again after the article changes, or is an orphan."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from difflib import SequenceMatcher

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reader.anchors import CONTEXT, Anchor, Located, locate, make_anchor

BASE = (
    "The council met on Tuesday. The mayor said the budget would pass. "
    "Protesters gathered outside the hall, and the police watched from across the square. "
    "By evening the vote was done: the budget passed, seven to two. "
    "The mayor said the budget would pass, she repeated later to reporters."
)
QUOTE = "The mayor said the budget would pass"
FIRST = BASE.index(QUOTE)
SECOND = BASE.index(QUOTE, FIRST + 1)
PASSAGE = "the police watched from across the square"
P = BASE.index(PASSAGE)


def anchor_at(start: int, quote: str, text: str = BASE) -> Anchor:
    return make_anchor(text, start, start + len(quote))


def test_make_anchor_keeps_quote_and_context() -> None:
    a = anchor_at(P, PASSAGE)
    assert a.quote == PASSAGE and BASE[a.start:a.end] == PASSAGE
    assert a.prefix == BASE[P - CONTEXT:P] and a.suffix == BASE[a.end:a.end + CONTEXT]
    edge = make_anchor(BASE, 0, 3)
    assert edge.prefix == "" and edge.quote == "The"


@pytest.mark.parametrize("start,end", [(5, 5), (-1, 4), (10, 5), (0, len(BASE) + 1)])
def test_make_anchor_refuses_an_empty_or_bad_range(start: int, end: int) -> None:
    with pytest.raises(ValueError):
        make_anchor(BASE, start, end)


CASES = [
    # (name, anchor, new text, expected state, expected quote at the found place or None)
    ("same text", (P, PASSAGE), BASE, "anchored", PASSAGE),
    ("insertion before", (P, PASSAGE), "A new first line.\n" + BASE, "moved", PASSAGE),
    ("insertion after", (P, PASSAGE), BASE + " More text.", "anchored", PASSAGE),
    ("first of a repeated quote", (FIRST, QUOTE), "Intro. " + BASE, "moved", QUOTE),
    ("second of a repeated quote", (SECOND, QUOTE), "Intro. " + BASE, "moved", QUOTE),
    ("repeat chosen by suffix", (SECOND, QUOTE),
     BASE.replace("By evening", "Late at night"), "moved", QUOTE),
    ("small edit inside", (P, PASSAGE),
     BASE.replace("watched from across", "watched closely from across"), "moved",
     "the police watched closely from across the square"),
    ("typo fixed inside, text before changed", (P, PASSAGE),
     "Changed. " + BASE.replace("the square", "the sqaure"), "moved",
     "the police watched from across the sqaure"),
    ("deleted passage", (P, PASSAGE), BASE.replace(PASSAGE, ""), "orphan", None),
    ("passage rewritten", (P, PASSAGE),
     BASE.replace(PASSAGE, "officers stood by near the fountain"), "orphan", None),
]


@pytest.mark.parametrize("name,where,text,state,quote", CASES, ids=[c[0] for c in CASES])
def test_locate_table(name: str, where: tuple[int, str], text: str, state: str,
                      quote: str | None) -> None:
    found = locate(anchor_at(*where), text)
    assert found.state == state, name
    if quote is None:
        assert found == Located("orphan", None, None)
    else:
        assert found.start is not None and found.end is not None
        assert text[found.start:found.end] == quote


def test_repeated_quote_moves_with_its_own_occurrence() -> None:
    text = "Intro. " + BASE
    assert locate(anchor_at(FIRST, QUOTE), text).start == FIRST + 7
    assert locate(anchor_at(SECOND, QUOTE), text).start == SECOND + 7


def test_repeated_quote_with_no_recognisable_context_is_an_orphan_not_a_guess() -> None:
    a = Anchor(start=3, end=6, quote="cat", prefix="zzzzzz", suffix="qqqqqq")
    assert locate(a, "a cat and a cat and a cat").state == "orphan"


def test_a_quote_that_occurs_once_is_found_even_with_its_context_gone() -> None:
    a = Anchor(start=50, end=61, quote="Tegucigalpa", prefix="zzzz", suffix="qqqq")
    text = "They flew to Tegucigalpa at dawn."
    assert locate(a, text) == Located("moved", 13, 24)


def test_similarity_below_the_threshold_is_an_orphan() -> None:
    a = anchor_at(P, PASSAGE)
    text = BASE.replace(PASSAGE, "the police looked on from the far side of the square")
    assert locate(a, text, threshold=0.99).state == "orphan"
    loose = locate(a, text, threshold=0.6)
    assert loose.state == "moved" and loose.start is not None and loose.end is not None
    assert "police" in text[loose.start:loose.end]


def test_corrupt_offsets_do_not_break_locating() -> None:
    a = Anchor(start=-5, end=10_000, quote=PASSAGE, prefix="", suffix="")
    found = locate(a, BASE)
    assert found.state == "moved" and found.start == P


def test_long_passage_edited_inside_is_found_by_words() -> None:
    words = [f"w{i}" for i in range(600)]
    text = "head " + " ".join(words) + " tail"
    quote = " ".join(words[100:400])
    start = text.index(quote)
    a = make_anchor(text, start, start + len(quote))
    edited = text.replace("w250 ", "w250 inserted words here ")
    found = locate(a, "Preface. " * 3 + edited)
    assert found.state == "moved" and found.start is not None and found.end is not None
    got = ("Preface. " * 3 + edited)[found.start:found.end]
    assert got.startswith("w100 ") and got.endswith(" w399")


def test_relocating_in_a_book_sized_text_is_fast() -> None:
    import random

    rng = random.Random(7)
    vocab = BASE.split()
    book = " ".join(rng.choice(vocab) for _ in range(500_000))  # about 3 MB
    mid = len(book) // 2
    mid = book.index(" ", mid) + 1
    quote = book[mid:mid + 120]
    a = make_anchor(book, mid, mid + 120)
    cases = {
        "same": book,
        "inserted before": "New preface. " * 50 + book,
        "edited inside": book[:mid + 40] + "XYZ" + book[mid + 43:],
        "far insert and edit": "Preface. " * 5000 + book[:mid + 40] + "XYZ" + book[mid + 43:],
        "deleted": book[:mid] + book[mid + 120:],
    }
    for name, text in cases.items():
        t0 = time.perf_counter()
        found = locate(a, text)
        elapsed = time.perf_counter() - t0
        assert elapsed < 0.5, (name, elapsed)
        if name == "deleted":
            # the words are common, so a near copy may exist; if found it must be similar
            if found.start is not None and found.end is not None:
                got = text[found.start:found.end]
                assert SequenceMatcher(None, quote, got).ratio() >= 0.8
        else:
            assert found.state != "orphan", name


def test_anchors_import_neither_textual_nor_tinydb_nor_spacy() -> None:
    code = ("import sys, reader.anchors, reader.notes; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'textual', 'tinydb', 'spacy', 'thinc'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


# --------------------------------------------------------------------------- properties

#: Examples per property (the suite must stay fast; raise it locally to search harder).
EXAMPLES = int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "200"))

VOCAB = ["the", "a", "cat", "sat", "on", "mat", "and", "dog", "ran", "to", "it", "was",
         "red", "of", "in", ",", ".", "\n"]
words = st.lists(st.sampled_from(VOCAB), min_size=0, max_size=60)
# Edits insert text from this alphabet (lower-case words, punctuation, space, newline).
inserted = st.text(alphabet="abcdefghijklmnop ,.\n", min_size=1, max_size=40)


def occurrences(quote: str, text: str) -> int:
    """How many times ``quote`` occurs in ``text``, overlaps included."""
    return sum(1 for i in range(len(text)) if text.startswith(quote, i))


def _join(ws: list[str]) -> str:
    return " ".join(ws)


@st.composite
def passage_in_text(draw: st.DrawFn, unique: bool) -> tuple[str, int, int]:
    """A text made of common words with a passage in it (made unique by a marker word)."""
    before, middle, after = draw(words), draw(words.filter(bool)), draw(words)
    if unique:
        middle = [*middle[: len(middle) // 2], "Zanzibar", *middle[len(middle) // 2:]]
    head = _join(before) + (" " if before else "")
    quote = _join(middle)
    text = head + quote + (" " if after else "") + _join(after)
    return text, len(head), len(head) + len(quote)


@st.composite
def edits_outside(draw: st.DrawFn, text: str, start: int, end: int,
                  count: int) -> tuple[str, int]:
    """Apply ``count`` random edits outside text[start:end]; return (new text, new start)."""
    for _ in range(count):
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        side = draw(st.sampled_from(["before", "after"]))
        lo, hi = (0, start) if side == "before" else (end, len(text))
        if kind == "insert":
            at = draw(st.integers(lo, hi))
            piece = draw(inserted)
            text = text[:at] + piece + text[at:]
            if side == "before":
                start, end = start + len(piece), end + len(piece)
            continue
        if hi == lo:
            continue
        a = draw(st.integers(lo, hi - 1))
        b = draw(st.integers(a + 1, hi))
        piece = draw(inserted) if kind == "replace" else ""
        text = text[:a] + piece + text[b:]
        if side == "before":
            shift = len(piece) - (b - a)
            start, end = start + shift, end + shift
    return text, start


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_property_one_edit_outside_keeps_the_note_on_the_same_words(data: st.DataObject) -> None:
    text, start, end = data.draw(passage_in_text(unique=False))
    quote = text[start:end]
    a = make_anchor(text, start, end)
    new, new_start = data.draw(edits_outside(text, start, end, 1))
    found = locate(a, new)
    assert found.state in ("anchored", "moved")
    assert found.start is not None and found.end is not None
    assert new[found.start:found.end] == quote
    if occurrences(quote, new) == 1:
        assert found.start == new_start
    assert (found.state == "anchored") == (found.start == start)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), count=st.integers(1, 5))
def test_property_edits_outside_keep_a_unique_passage_exactly(data: st.DataObject,
                                                             count: int) -> None:
    text, start, end = data.draw(passage_in_text(unique=True))
    quote = text[start:end]
    new, new_start = data.draw(edits_outside(text, start, end, count))
    found = locate(make_anchor(text, start, end), new)
    assert (found.start, found.end) == (new_start, new_start + len(quote))
    assert found.state == ("anchored" if new_start == start else "moved")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), extra_before=st.integers(0, 10), extra_after=st.integers(0, 10))
def test_property_deleting_the_passage_makes_an_orphan(data: st.DataObject, extra_before: int,
                                                       extra_after: int) -> None:
    # The passage is in capitals, the rest of the text in lower case: once it is deleted
    # nothing similar to it is left anywhere, so an orphan is the only right answer.
    before, after = data.draw(words), data.draw(words)
    capitals = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=12)
    quote = " ".join(data.draw(st.lists(capitals, min_size=1, max_size=8)))
    head = _join(before) + " "
    text = head + quote + " " + _join(after)
    start, end = len(head), len(head) + len(quote)
    a = make_anchor(text, start, end)
    lo, hi = max(0, start - extra_before), min(len(text), end + extra_after)
    new = text[:lo] + data.draw(st.sampled_from(["", " ", "\n"])) + text[hi:]
    new, _ = data.draw(edits_outside(new, lo, lo, data.draw(st.integers(0, 2))))
    assert locate(a, new) == Located("orphan", None, None)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_property_a_found_passage_is_always_similar_to_the_note(data: st.DataObject) -> None:
    # Any edit at all, inside the passage too: whatever is found is never other text.
    text, start, end = data.draw(passage_in_text(unique=False))
    quote = text[start:end]
    a = make_anchor(text, start, end)
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, min(len(text), lo + 30)))
    new = text[:lo] + data.draw(st.text(alphabet="abcdeot ,.", max_size=20)) + text[hi:]
    assume(new)
    found = locate(a, new)
    if found.state == "orphan":
        assert found.start is None and found.end is None
        return
    assert found.start is not None and found.end is not None
    assert SequenceMatcher(None, quote, new[found.start:found.end],
                           autojunk=False).ratio() >= 0.8


# --------------------------------------------------------------------------- repeats and ties
# Each test is named for what a reader would see if it broke.

#: A separator longer than the stored context, so three copies of the passage have the same
#: context on both sides and only their places tell them apart.
SEP = " -- the chorus comes back again, word for word, once more -- "
REFRAIN = "We shall not be moved"
THREE = "Song.\n" + SEP + REFRAIN + SEP + REFRAIN + SEP + REFRAIN + SEP + "End."


def test_a_note_on_the_middle_of_three_identical_passages_stays_on_the_middle_one() -> None:
    assert len(SEP) > CONTEXT
    starts = [i for i in range(len(THREE)) if THREE.startswith(REFRAIN, i)]
    assert len(starts) == 3
    a = make_anchor(THREE, starts[1], starts[1] + len(REFRAIN))
    for edited, shift in (("A new first line.\n" + THREE, 18), ("Hi " + THREE, 3),
                          (THREE.replace("Song.\n", ""), -6)):
        assert locate(a, edited) == Located("moved", starts[1] + shift,
                                            starts[1] + shift + len(REFRAIN))
    # The first and the last copy stay where they are too.
    for k in (0, 2):
        b = make_anchor(THREE, starts[k], starts[k] + len(REFRAIN))
        moved = locate(b, "Hi " + THREE)
        assert moved == Located("moved", starts[k] + 3, starts[k] + 3 + len(REFRAIN))


def test_a_note_whose_words_now_sit_at_its_old_place_in_another_sentence_follows_its_own() -> None:
    # "cat" in "two cat" is noted; nine characters are added in front, so the other "cat"
    # (in "one cat") now sits exactly at the note's old offsets, with other text around it.
    text = "one cat; two cat; end."
    start = text.index("cat", 5)
    a = make_anchor(text, start, start + 3)
    edited = "new line " + text
    assert edited[start:start + 3] == "cat"
    found = locate(a, edited)
    assert found == Located("moved", start + 9, start + 12)
    assert edited[found.start - 4:found.start] == "two "  # type: ignore[operator]


def test_a_note_is_anchored_when_its_passage_and_context_are_unchanged() -> None:
    text = "one cat; two cat; end."
    start = text.index("cat", 5)
    assert locate(make_anchor(text, start, start + 3), text) == Located("anchored", start,
                                                                           start + 3)


def test_a_note_keeps_its_place_when_another_copy_has_the_same_words_after_it() -> None:
    # At the old offsets: the same word with the same text after it, but other text before
    # it. The note's own sentence (its full context) moved elsewhere, and wins.
    text = "one cat; end. two cat; end."
    start = text.index("cat", 10)
    a = make_anchor(text, start, start + 3)
    edited = "Fourteen chars" + text
    assert edited[start:start + 9] == "cat; end."
    assert locate(a, edited) == Located("moved", start + 14, start + 17)


def test_a_note_keeps_its_place_when_another_copy_has_the_same_words_before_it() -> None:
    # At the old offsets: the same text before, the text after it rewritten; a copy of the
    # whole passage with its context is further on, and wins.
    head = "The minutes record that the board voted: "
    tail = " and the meeting closed at noon without a word."
    text = head + "yes" + tail + " Afterwards: " + head + "no" + tail
    a = make_anchor(text, len(head), len(head) + 3)
    edited = head + "yes, but" + " nobody was sure." + " Afterwards: " + head + "yes" + tail
    assert edited.startswith(head + "yes")
    moved = edited.rindex("yes")
    assert locate(a, edited) == Located("moved", moved, moved + 3)


# --------------------------------------------------------------------------- empty passages
# A zero-length anchor only comes from hand-made or damaged data: its context places it.


def empty_anchor(start: int, prefix: str, suffix: str) -> Anchor:
    return Anchor(start=start, end=start, quote="", prefix=prefix, suffix=suffix)


def test_an_empty_passage_without_context_is_an_orphan() -> None:
    assert locate(empty_anchor(3, "", ""), "any text") == Located("orphan", None, None)


def test_an_empty_passage_whose_context_is_gone_is_an_orphan() -> None:
    assert locate(empty_anchor(3, "abc", "def"), "abc xyz def") == Located("orphan", None, None)


def test_an_empty_passage_stays_between_its_context() -> None:
    text = "start abcdef end"
    assert locate(empty_anchor(9, "abc", "def"), text) == Located("anchored", 9, 9)
    assert locate(empty_anchor(9, "abc", "def"), "more " + text) == Located("moved", 14, 14)
    # One side is enough.
    assert locate(empty_anchor(9, "abc", ""), "more " + text) == Located("moved", 14, 14)
    assert locate(empty_anchor(9, "", "def"), "more " + text) == Located("moved", 14, 14)


def test_an_empty_passage_goes_to_the_copy_of_its_context_nearest_its_old_place() -> None:
    text = "abc|def one abc|def two abc|def"
    for start in (4, 16, 28):
        assert locate(empty_anchor(start, "abc|", "def"), text) == Located(
            "anchored", start, start)
    assert locate(empty_anchor(17, "abc|", "def"), text) == Located("moved", 16, 16)
    # Past the 64th copy of the context the search stops; the nearest of those wins.
    many = "abc|def " * 100
    assert locate(empty_anchor(8 * 90 + 4, "abc|", "def"), many) == Located(
        "moved", 8 * 63 + 4, 8 * 63 + 4)


# --------------------------------------------------------------------------- the text's edges
# A passage at the very start (or end) of the text has no context on that side; the edge
# itself then counts as one character of agreeing context, no more and no less.

EDGE_CASES = [
    # (name, old text, noted occurrence, new text, expected start)
    ("first word: the copy still at the start wins a tie of context",
     "cat zz cat yx", 0, "cat zQ, cat zQ", 0),
    ("first word: a copy with one more character of context loses to the start",
     "cat zz cat yx", 0, "cat zQ. cat zzQ", 0),
    ("first word: a copy with two more characters of context wins over the start",
     "cat zz cat yx", 0, "cat zQ. cat zz Q", 8),
    ("last word: the copy still at the end wins a tie of context",
     "xy cat zz xy cat", 13, "ay cat, ay cat", 11),
    ("last word: a copy with two more characters of context wins over the end",
     "xy cat zz xy cat", 13, "Q xy cat. ay cat", 5),
    ("a word in the middle: a copy at the start gets nothing for being there",
     "xy cat zz xy cat.", 13, "cat; then a long stretch of text, Q cat!", 36),
]


@pytest.mark.parametrize("name,old,at,new,expected", EDGE_CASES, ids=[c[0] for c in EDGE_CASES])
def test_a_note_at_the_edge_of_the_text_stays_at_the_edge_only_when_the_context_agrees(
        name: str, old: str, at: int, new: str, expected: int) -> None:
    a = make_anchor(old, at, at + 3)
    state = "anchored" if expected == at else "moved"
    assert locate(a, new) == Located(state, expected, expected + 3), name


# --------------------------------------------------------------------------- far and near


def numbers(first: int, length: int) -> str:
    """Filler of numbers that shares no words with the passages below (and differs for each
    ``first``), exactly ``length`` characters."""
    out = " ".join(str((i * 7919) % 100_003) for i in range(first, first + length // 3))
    return out[:length]


def test_an_edited_passage_in_a_book_stays_near_its_old_place_not_at_a_far_copy() -> None:
    # The note's passage was edited in place; a closer copy of the original wording stands
    # far away (more than 20,000 characters) before and after it. The note stays where it
    # was: the near, edited passage is the one it was written on.
    passage = "The harbour master closed the old pier to boats after the storm"
    edited = passage.replace("closed", "shut")
    far = passage.replace("pier", "piers")
    old = numbers(0, 25_000) + " " + passage + " " + numbers(50_000, 45_000)
    start = old.index(passage)
    a = make_anchor(old, start, start + len(passage))
    new = (numbers(100_000, 1_000) + " " + far + " " + numbers(200_000, 23_000) + " " + edited
           + " " + numbers(300_000, 35_000) + " " + far + " " + numbers(400_000, 10_000))
    at = new.index(edited)
    assert abs(at - start) < 2_000 and new.index(far) < start - 20_000
    assert new.rindex(far) > start + 20_000
    assert locate(a, new) == Located("moved", at, at + len(edited))
    # With the edited passage gone, the far copies are the best there is: the nearer wins.
    gone = new.replace(edited, "")
    assert locate(a, gone) == Located("moved", new.index(far), new.index(far) + len(far))


def test_an_edited_passage_near_the_start_of_a_book_is_found_near_its_end() -> None:
    # The old place is near the start; the passage, edited, now sits near the end, far
    # beyond the near search: the search of the whole text finds it.
    passage = "The harbour master closed the old pier to boats after the storm"
    old = numbers(0, 5_000) + " " + passage + " " + numbers(50_000, 60_000)
    start = old.index(passage)
    a = make_anchor(old, start, start + len(passage))
    edited = passage.replace("closed", "shut")
    new = numbers(100_000, 60_000) + " " + edited + " " + numbers(200_000, 5_000)
    at = new.index(edited)
    assert at > start + 20_000 + len(passage)
    assert locate(a, new) == Located("moved", at, at + len(edited))


def test_of_two_equally_edited_copies_the_nearer_one_holds_the_note() -> None:
    passage = "The harbour master closed the old pier to boats after the storm"
    edited = passage.replace("closed", "shut")
    old = numbers(0, 3_000) + " " + passage + " " + numbers(50_000, 3_000)
    start = old.index(passage)
    a = make_anchor(old, start, start + len(passage))
    # One copy 1,000 characters before the old place, one 300 after it.
    before = numbers(100_000, start - 1_000) + " " + edited + " "
    new = before + numbers(200_000, 1_300 - len(edited)) + " " + edited + " " + numbers(
        300_000, 2_000)
    first, second = new.index(edited), new.rindex(edited)
    assert start - first > second - start > 0
    assert locate(a, new) == Located("moved", second, second + len(edited))


def test_a_passage_exactly_as_similar_as_the_threshold_is_found() -> None:
    a = anchor_at(P, PASSAGE)
    changed = "the police looked on from across the square"
    text = BASE.replace(PASSAGE, changed)
    found = locate(a, text, threshold=0.5)
    assert found.start is not None and found.end is not None
    ratio = SequenceMatcher(None, PASSAGE, text[found.start:found.end], autojunk=False).ratio()
    assert locate(a, text, threshold=ratio) == found
    assert locate(a, text, threshold=ratio + 1e-9) == Located("orphan", None, None)


def test_a_short_passage_with_a_typo_and_new_surroundings_is_found_at_its_old_place() -> None:
    # Too short to be cut into pieces, and no context left: only its old place is tried.
    a = Anchor(start=13, end=24, quote="Tegucigalpa", prefix="They flew to ", suffix=" at dawn.")
    text = "Then we went Tegucixalpa by noon, and more."
    assert locate(a, text) == Located("moved", 13, 24)


def test_a_long_passage_edited_inside_keeps_its_exact_ends() -> None:
    # 319 characters: long enough that a matcher treating common letters as junk would
    # lose it; still aligned character by character.
    long_p = ("When the flood came in the spring of that year the whole lower town was under "
              "water for nine days, and the people who lived along the river lost nearly "
              "everything they owned, from furniture and clothes to the small boats they had "
              "used for fishing since they were children, and nobody from the capital came to "
              "help them.")
    text = "Intro line. " * 5 + long_p + " Closing line." * 5
    start = text.index(long_p)
    a = make_anchor(text, start, start + len(long_p))
    edited = long_p.replace("nine days", "ten days")
    new = "New preface. " + text.replace(long_p, edited)
    at = new.index(edited)
    assert locate(a, new) == Located("moved", at, at + len(edited))


def test_a_passage_of_exactly_600_characters_is_aligned_by_characters() -> None:
    # Up to 600 characters a passage is aligned character by character, so a passage that
    # starts and ends inside words keeps exactly those ends after an edit elsewhere in it.
    words = " ".join(f"word{i:03d}" for i in range(120))
    start = words.index("word010") + 2
    a = make_anchor(words, start, start + 600)
    assert a.quote.startswith("rd010") and not a.quote.endswith(" ")
    new = "Preface. " + words.replace("word050", "word050 and more")
    at = new.index(a.quote[:40])
    found = locate(a, new)
    assert found.state == "moved" and found.start == at
    assert found.end == at + 600 + len(" and more")


def test_a_long_passage_exactly_as_similar_as_the_threshold_is_found() -> None:
    # Past 200 characters (and, aligned by words, past 200 words) the similarity must still
    # count every character: common letters and words are not set aside as noise.
    for words in (60, 700):
        passage = " ".join(f"the {i} and a" if i % 3 else f"then {i}" for i in range(words))
        text = "Opening words here. " + passage + " Closing words there."
        start = text.index(passage)
        a = make_anchor(text, start, start + len(passage))
        edited = passage.replace(" 7 and a", " 7 and also a").replace(" 20 ", " twenty ")
        new = "Preface. " + text.replace(passage, edited)
        found = locate(a, new, threshold=0.5)
        assert found.start is not None and found.end is not None
        got = new[found.start:found.end]
        if len(passage) <= 600:
            ratio = SequenceMatcher(None, passage, got, autojunk=False).ratio()
        else:
            ratio = SequenceMatcher(None, passage.split(), got.split(), autojunk=False).ratio()
        assert ratio > 0.9
        assert locate(a, new, threshold=ratio) == found, words
        assert locate(a, new, threshold=ratio + 1e-9).state == "orphan", words


def test_a_passage_whose_first_word_was_replaced_is_found_inside_the_new_wording() -> None:
    # What is found is the part of the new text that matches best, never stray letters of
    # the text around it.
    for new_p in ("officers watched from across the square",
                  "the police watched from across the plaza"):
        text = "Changed intro. " + BASE.replace(PASSAGE, new_p)
        found = locate(anchor_at(P, PASSAGE), text)
        at = text.index(new_p)
        assert found.state == "moved" and found.start is not None and found.end is not None
        assert at <= found.start < found.end <= at + len(new_p)
        assert found.end - found.start >= len(new_p) - 6


def test_a_long_passage_edited_at_its_start_and_moved_far_is_found_by_its_later_words() -> None:
    # Its opening words were rewritten and it moved more than 20,000 characters, out of
    # the near search, into new surroundings: pieces from its middle and end find it, each
    # telling where the passage starts.
    passage = ("Early on Sunday the river broke its banks below the mill, and by noon the "
               "lower streets of the old town stood a metre deep in brown water")
    old = numbers(0, 2_000) + " " + passage + " " + numbers(50_000, 2_000)
    start = old.index(passage)
    a = make_anchor(old, start, start + len(passage))
    edited = passage.replace("Early on Sunday", "Late on Saturday")
    new = numbers(100_000, 30_000) + " " + edited + " " + numbers(200_000, 2_000)
    at = new.index(edited)
    found = locate(a, new)
    assert found.state == "moved" and found.end == at + len(edited)
    assert found.start is not None and at <= found.start <= at + len("Late on ")


def test_a_note_near_the_start_keeps_all_the_text_before_it_as_context() -> None:
    a = make_anchor(BASE, 10, 13)
    assert a.prefix == BASE[:10] and a.suffix == BASE[13:13 + CONTEXT]
    with pytest.raises(ValueError, match=r"a passage needs 0 <= start < end <= 5, not 3\.\.3"):
        make_anchor("abcde", 3, 3)


def test_context_agreement_is_counted_to_the_character() -> None:
    # How much of the stored context still stands decides between repeats, so it is
    # counted exactly, for every length on both sides.
    from reader.anchors import _left, _right

    text = "0123456789abcdefghijklmnopqrstuv"
    for pos in range(len(text) + 1):
        for k in range(0, 20):
            for junk in ("#", "#" * 5, "#" * 17):
                # agrees on its last min(k, pos) characters, then no more
                before = junk + text[max(0, pos - k):pos]
                assert _left(before, text, pos) == min(k, pos), (pos, k, junk)
                after = text[pos:pos + k] + junk
                assert _right(after, text, pos) == min(k, len(text) - pos), (pos, k, junk)


def test_a_passage_moved_far_is_found_past_a_near_look_alike_that_was_already_rejected() -> None:
    # Near the old place stands the passage's first half, then other text: it is tried and
    # rejected (too little of it agrees). The whole-text search meets it again first, and
    # goes on to the real passage, edited a little, far away.
    passage = ("Early on Sunday the river broke its banks below the mill, and by noon the "
               "lower streets of the old town stood a metre deep in brown water")
    old = numbers(0, 30_000) + " " + passage + " " + numbers(50_000, 40_000)
    start = old.index(passage)
    a = make_anchor(old, start, start + len(passage))
    look_alike = passage[:70] + " " + numbers(7, 80)
    far = passage.replace("Sunday", "Sundaj").replace("banks", "bankz").replace("mill,", "mils,")
    new = (numbers(100_000, 29_000) + " " + look_alike + " " + numbers(200_000, 30_000) + " "
           + far + " " + numbers(300_000, 2_000))
    assert abs(new.index(look_alike) - start) < 2_000 and new.index(far) > start + 25_000
    at = new.index(far)
    assert locate(a, new) == Located("moved", at, at + len(far))


SHORT_CASES = [
    # (name, old text, quote, new text around the edited quote, the edited quote)
    ("found by the 8 characters before it", "Seen in Tegucigalpa by all.", "Tegucigalpa",
     "Seen in Tegucixalpa, said nobody.", "Tegucixalpa"),
    ("found by the 8 characters after it", "Seen in Tegucigalpa by all.", "Tegucigalpa",
     "Nobody saw Tegucixalpa by all.", "Tegucixalpa"),
    ("a 12-character passage found by its own first 8", "Seen in Tegucigalpas by all.",
     "Tegucigalpas", "Nobody saw Tegucigalpax, said nobody.", "Tegucigalpax"),
    ("found by the 16 characters before it, whatever stands before those",
     "Report one: we were seen in Tegucigalpa by all of them.", "Tegucigalpa",
     "Report two:\nwe were seen in Tegucixalpa, said nobody.", "Tegucixalpa"),
    ("found by the 16 characters after it, whatever follows those",
     "Seen in Tegucigalpa by all of them, said one.", "Tegucigalpa",
     "Nobody saw Tegucixalpa by all of them,\nsaid one.", "Tegucixalpa"),
]


@pytest.mark.parametrize("name,old,quote,moved,edited", SHORT_CASES,
                         ids=[c[0] for c in SHORT_CASES])
def test_a_short_edited_passage_that_moved_far_is_found_by_the_little_that_is_left(
        name: str, old: str, quote: str, moved: str, edited: str) -> None:
    start = old.index(quote)
    a = make_anchor(old, start, start + len(quote))
    new = numbers(100_000, 30_000) + " " + moved + " " + numbers(200_000, 1_000)
    at = new.index(edited)
    found = locate(a, new)
    assert found.state == "moved" and found.start == at, name
    assert found.end is not None and found.end - found.start >= len(quote) - 1, name


def test_an_edited_passage_is_found_near_its_old_place_past_a_nearer_look_alike() -> None:
    # Both near the old place: a look-alike (the passage's first half, then other text)
    # closer to it, and the real passage, edited a little, further off. The look-alike is
    # tried first and rejected; the search goes on to the next place.
    passage = ("Early on Sunday the river broke its banks below the mill, and by noon the "
               "lower streets of the old town stood a metre deep in brown water")
    old = numbers(0, 30_000) + " " + passage + " " + numbers(50_000, 40_000)
    start = old.index(passage)
    a = make_anchor(old, start, start + len(passage))
    look_alike = passage[:70] + " " + numbers(7, 80)
    real = passage.replace("Sunday", "Sundaj").replace("banks", "bankz").replace("mill,", "mils,")
    new = (numbers(100_000, 29_000) + " " + look_alike + " " + numbers(200_000, 5_000) + " "
           + real + " " + numbers(300_000, 30_000))
    at = new.index(real)
    assert abs(new.index(look_alike) - start) < abs(at - start) < 20_000
    assert locate(a, new) == Located("moved", at, at + len(real))


def test_an_edited_passage_at_the_far_edge_of_the_near_search_still_counts_as_near() -> None:
    # 20,000 characters on from its old place (just inside the near search), and a copy
    # closer to the original wording further on: the near one holds the note.
    passage = "The harbour master closed the old pier to boats after the storm"
    n = len(passage)
    old = numbers(0, 5_000) + " " + passage + " " + numbers(50_000, 60_000)
    start = old.index(passage)
    a = make_anchor(old, start, start + n)
    edited = passage.replace("closed", "shut")
    better = passage.replace("pier", "piers")
    new = (numbers(100_000, start + 20_000 - n // 2) + " " + edited + " "
           + numbers(200_000, 20_000) + " " + better + " " + numbers(300_000, 3_000))
    at = new.index(edited)
    assert 20_000 - n < at - start < 20_000
    assert locate(a, new) == Located("moved", at, at + len(edited))


def test_a_note_on_the_last_three_of_four_dots_stays_on_them() -> None:
    # "...." holds "..." twice, one character apart: the note is on the second.
    text = "He paused.... and went on."
    start = text.index("....") + 1
    a = make_anchor(text, start, start + 3)
    for edited in ("Then " + text, "She" + text[2:]):  # context intact, or partly changed
        at = edited.index("....") + 1
        assert locate(a, edited) == Located("moved", at, at + 3), edited


def test_a_passage_found_only_by_a_piece_it_shares_with_23_other_places_is_found() -> None:
    # Edited in all but its last eleven characters, moved far, its context gone: those
    # eleven characters also stand at 23 other places. 24 places are few enough to try.
    passage = "Grain prices rose again in May after the long dry spell on the plains."
    tail = passage[-11:]
    old = numbers(0, 62_000) + " " + passage + " " + numbers(50_000, 2_000)
    start = old.index(passage)
    a = make_anchor(old, start, start + len(passage))
    edited = passage.replace("Grain", "Grein").replace("rose", "roze").replace(
        "again", "agin").replace("after", "afder").replace("long", "lonk").replace(
        "spell", "spelt")
    assert edited.endswith(tail)
    decoys = " ".join(numbers(1_000 * i, 700) + " " + tail for i in range(23))
    new = (decoys + " " + numbers(200_000, 40_000 - len(decoys)) + " " + edited + " "
           + numbers(300_000, 30_000))
    assert new.count(tail) == 24
    at = new.index(edited)
    assert start - at > 20_000
    found = locate(a, new)
    assert found.state == "moved" and found.end == at + len(edited)
    assert found.start is not None and at <= found.start <= at + 2


@pytest.mark.parametrize("length", [120, 300, 1_000])
def test_an_edited_passage_in_a_text_of_few_letters_is_still_found(length: int) -> None:
    # Every character (or word) of the text is common: difflib's "autojunk" heuristic
    # would ignore them all and find nothing. 120 characters: the search for matching
    # blocks; 300: the similarity of the span found; 1,000: the same by words.
    rnd = random.Random(3)
    text = " ".join(rnd.choice(["an", "na", "nan", "ana", "a", "anna"]) for _ in range(1_500))
    start = 1_000
    a = make_anchor(text, start, start + length)
    i = start + 50
    edited = text[:i] + ("n" if text[i] != "n" else "a") + text[i + 1 :]
    found = locate(a, edited)
    assert found.state == "moved" and found.start == start
    assert found.end is not None and start + length - 2 <= found.end <= start + length
