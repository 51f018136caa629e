"""From a model's span to a name (reader/entities/names.py): the text rules that trim a span,
cut what joins two names, split an acronym from its long form and note the acronym.
Invented names and texts only."""

from __future__ import annotations

import pytest
from entity_cases import nth

from reader.entities import Mention
from reader.entities.names import (
    _acronym_of,
    _ends_in_office,
    _split_brackets,
    _title_key,
    _title_only,
    initials,
    is_title,
    normalise,
    trim_name,
)
from reader.entities.words import word_set


def cut(text: str, mentions: list[Mention]) -> list[tuple[str, str]]:
    """The names ``normalise`` keeps of the mentions, as written, with their labels."""
    spans, _ = normalise(mentions, text)
    return [(text[sp.start : sp.end], sp.label) for sp in spans]


def defined(text: str, mentions: list[Mention]) -> list[tuple[str, str]]:
    """The acronym definitions ``normalise`` reads: (acronym as written, long form's key)."""
    return normalise(mentions, text)[1]


# --------------------------------------------------------------------------- word lists


def test_a_word_list_holds_each_word_of_its_text_once() -> None:
    assert word_set("mr  mrs\nms mr") == frozenset({"mr", "mrs", "ms"})


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(("token", "key"), [
    ("Gen.", "gen"),
    ("Sgt..", "sgt"),
    ("REX.", "rex"),
    (".Dr", ".dr"),
])
def test_a_title_is_known_by_its_word_without_the_dots_after_it(token: str, key: str) -> None:
    assert _title_key(token) == key


def test_an_abbreviated_title_with_its_dot_is_a_title() -> None:
    assert is_title("Gen.", full_words=False) is True


@pytest.mark.parametrize(("name", "office"), [
    ("Press Secretary", True),
    ("Kestrel Press Secretary", True),
    ("Kestrel Press Secretary.", True),
    ("Secretary", False),
    ("Secretary Ilse Marr", False),
    ("Chief Orla Brant", False),
])
def test_a_name_that_ends_in_an_office_is_a_role(name: str, office: bool) -> None:
    assert _ends_in_office(name) is office


@pytest.mark.parametrize(("text", "end", "titles", "junk"), [
    ("Brig went home", 4, 2, True),  # an abbreviation alone is never a name
    ("Major. then he left", 5, 1, True),  # a dot after it: the abbreviation of a title
    ("Major went home", 5, 1, False),  # a surname
    ("Major Xavier Lund", 5, 1, True),  # before a name
    ("Queen . . . Ada Lund", 5, 1, True),  # before a name, after an ellipsis
])
def test_a_span_of_only_titles_is_junk_when_abbreviated_or_before_a_name(
        text: str, end: int, titles: int, junk: bool) -> None:
    assert _title_only(text, 0, end, titles) is junk


def test_an_abbreviated_title_alone_is_dropped_but_a_full_word_title_alone_is_kept() -> None:
    text = "Then the Brig stood by, and the King rode out."
    mentions = [nth(text, "Brig", "PERSON"), nth(text, "King", "PERSON")]
    assert cut(text, mentions) == [("King", "PERSON")]


def test_a_person_span_that_ends_in_an_office_is_a_role_and_not_a_name() -> None:
    text = "Then Kestrel Press Secretary -- Ilse Marr spoke to the Kestrel Press Secretary."
    mentions = [nth(text, "Kestrel Press Secretary -- Ilse Marr", "PERSON"),
                nth(text, "Kestrel Press Secretary", "ORG", 1)]
    assert cut(text, mentions) == [("Ilse Marr", "PERSON"), ("Kestrel Press Secretary", "ORG")]


def test_a_nationality_after_a_courtesy_title_takes_no_title() -> None:
    text = "The Kelvish under Mr. Kelvish came. Then Mr. Orlen spoke."
    spans, _ = normalise([nth(text, "Kelvish", "NORP", 1), nth(text, "Orlen", "PERSON")], text)
    assert [(sp.name, sp.title) for sp in spans] == [("Kelvish", ""), ("Orlen", "mr")]


# --------------------------------------------------------------------------- trim_name


@pytest.mark.parametrize(("text", "name"), [
    ("General Motors", "General Motors"),  # a full-word title stays: it may be the name's
    ("  the Kestrel Trust's", "Kestrel Trust"),
    ("Brig. Gen. Jane Roe", "Jane Roe"),
])
def test_trim_name_keeps_the_name_without_the_noise_around_it(text: str, name: str) -> None:
    cut_at = trim_name(text)
    assert cut_at is not None
    assert text[cut_at[0] : cut_at[1]] == name


def test_trim_name_finds_no_name_in_lowercase_words() -> None:
    assert trim_name("state") is None


# --------------------------------------------------------------------------- initials


@pytest.mark.parametrize(("name", "letters"), [
    ("Kestrel Bay", {"KB"}),
    ("Bank of Kestrel", {"BK"}),
    ("Orla O'Dea", {"OO"}),
    ("Kestrel Bay-Lorne Trust", {"KBT", "KBLT"}),
    ("Orlen", set()),
])
def test_initials_are_the_first_letters_of_the_words_with_and_without_hyphens(
        name: str, letters: set[str]) -> None:
    assert initials(name) == letters


# --------------------------------------------------------------------------- acronyms


@pytest.mark.parametrize(("short", "long", "fits"), [
    ("UN", "United Nations", True),
    ("U.N.", "United Nations", True),
    ("G7", "Group of 7", True),
    ("KMB", "Kestrel Maritime Board", True),
    ("KC", "The Kestrel Council", True),  # words before the match are fine
    ("VLX", "Velox", True),  # letters of one word that is the whole name
    ("BY", "Kestrel Bay", True),  # two letters are enough
    ("BAY", "Kestrel Bay", False),  # three letters of one word of a longer name are not
    ("XB", "Kestrel Bay", False),  # a letter the long form lacks
    ("ABX", "Alpha Beta", False),  # the last letter too
    ("AXC", "Alpha Charlie", False),  # and a middle one
    ("LB", "Aloe Blanc", False),  # the first letter must start a word
    ("VDB", "Van der Berg", False),  # particles are no words of the long form
    ("4G", "4th Generation", False),  # an acronym starts with a letter
    ("A", "Alpha", False),  # and has two
])
def test_an_acronym_abbreviates_a_long_form_only_letter_by_letter_from_word_starts(
        short: str, long: str, fits: bool) -> None:
    assert _acronym_of(short, long) is fits


@pytest.mark.parametrize(("seg", "pieces"), [
    ("Kestrel Bay (KB)", ["Kestrel Bay", "KB"]),
    ("Kestrel Bay (KB", ["Kestrel Bay", "KB"]),  # the model cut the bracket off
    ("Kestrel Bay ( KB )", ["Kestrel Bay", "KB"]),
    ("KB (Kestrel Bay)", ["KB", "Kestrel Bay"]),
    ("Kestrel Bay (KB) (2019)", ["Kestrel Bay", "KB"]),  # the first bracket is the acronym's
    ("Orlen) Kestrel Bay (KB)", ["Orlen) Kestrel Bay", "KB"]),  # no partner before "("
    ("(KB) Kestrel Bay", ["KB"]),
    ("Kestrel Bay (ZQ)", ["Kestrel Bay"]),  # not its acronym: only the name before
    ("ZQ (Kestrel Bay)", ["ZQ"]),
    ("Kestrel Bay (Orlen)", ["Kestrel Bay"]),
])
def test_a_bracket_splits_a_span_into_a_name_and_its_acronym_or_ends_it(
        seg: str, pieces: list[str]) -> None:
    got = _split_brackets(seg, 0, len(seg))
    assert got is not None
    assert [seg[a:b] for a, b in got] == pieces


def test_a_span_without_a_bracket_is_not_split_at_brackets() -> None:
    assert _split_brackets("Kestrel Bay", 0, 11) is None


def test_a_bracket_split_counts_from_where_the_name_starts_in_the_text() -> None:
    text = "the Kestrel Bay (KB)"
    got = _split_brackets(text, 4, len(text))
    assert got is not None
    assert [text[a:b] for a, b in got] == ["Kestrel Bay", "KB"]


def test_an_acronym_in_a_bracket_that_runs_on_is_defined_from_the_one_span() -> None:
    text = "They praised the Kestrel Bay Authority (KBA, formerly the harbour board) today."
    mentions = [nth(text, "the Kestrel Bay Authority (KBA", "ORG")]
    assert cut(text, mentions) == [("Kestrel Bay Authority", "ORG"), ("KBA", "ORG")]
    assert defined(text, mentions) == [("KBA", "kestrel bay authority")]


def test_a_long_form_in_a_bracket_that_runs_on_is_defined_from_the_one_span() -> None:
    text = "They praised KBA (Kestrel Bay Authority, formerly the harbour board) today."
    mentions = [nth(text, "KBA (Kestrel Bay Authority", "ORG")]
    assert defined(text, mentions) == [("KBA", "kestrel bay authority")]


def test_initials_before_a_titled_person_in_brackets_define_the_name_without_the_title() -> None:
    text = "Then IM (Inspector Ilse Marr) spoke."
    mentions = [nth(text, "IM (Inspector Ilse Marr)", "PERSON")]
    assert cut(text, mentions) == [("IM", "PERSON"), ("Ilse Marr", "PERSON")]
    assert defined(text, mentions) == [("IM", "ilse marr")]


@pytest.mark.parametrize(("text", "first", "second"), [
    ("They praised the Kestrel Bay Authority (K.B.A.) today.", "Kestrel Bay Authority", "K.B.A."),
    ("They praised K.B.A. (Kestrel Bay Authority) today.", "K.B.A.", "Kestrel Bay Authority"),
])
def test_an_acronym_and_its_long_form_tagged_apart_around_a_bracket_are_defined(
        text: str, first: str, second: str) -> None:
    mentions = [nth(text, first, "ORG"), nth(text, second, "ORG")]
    assert defined(text, mentions) == [("K.B.A.", "kestrel bay authority")]


@pytest.mark.parametrize(("text", "first", "second"), [
    ("They praised the Kestrel Bay Authority (ZQ) today.", "Kestrel Bay Authority", "ZQ"),
    ("They praised ZQ (Kestrel Bay Authority) today.", "ZQ", "Kestrel Bay Authority"),
    ("They praised the Kestrel Bay Authority (K.B.A., formerly the board) today.",
     "Kestrel Bay Authority", "K.B.A."),
    ("They praised the Kestrel Bay Authority, K.B.A.) today.", "Kestrel Bay Authority", "K.B.A."),
])
def test_two_names_around_a_bracket_define_nothing_unless_one_abbreviates_the_other_in_it(
        text: str, first: str, second: str) -> None:
    assert defined(text, [nth(text, first, "ORG"), nth(text, second, "ORG")]) == []


@pytest.mark.parametrize("text", [
    "They praised the Kestrel Bay Authority (KBA) today.",
    "KBA (Kestrel Bay Authority) met today.",
])
def test_an_acronym_the_model_missed_beside_its_long_form_is_defined(text: str) -> None:
    mentions = [nth(text, "Kestrel Bay Authority", "ORG")]
    assert defined(text, mentions) == [("KBA", "kestrel bay authority")]


def test_an_acronym_before_a_bracket_that_does_not_close_after_the_name_is_no_definition() -> None:
    text = "KBA (Kestrel Bay Authority, formerly the harbour board) met today."
    assert defined(text, [nth(text, "Kestrel Bay Authority", "ORG")]) == []


# --------------------------------------------------------------------------- joined spans


def test_a_mention_after_one_of_another_kind_is_still_trimmed_and_kept() -> None:
    text = "On Monday Ilse Marr spoke."
    mentions = [nth(text, "Monday", "DATE"), nth(text, "Ilse Marr", "PERSON")]
    assert cut(text, mentions) == [("Monday", "DATE"), ("Ilse Marr", "PERSON")]


def test_a_place_and_a_person_read_as_one_name_across_a_line_break_are_cut_apart() -> None:
    text = "Tamsin rode to Dravik. At the gate:\nDravik\nTamsin waited."
    mentions = [nth(text, "Tamsin", "PERSON"), nth(text, "Dravik", "GPE"),
                nth(text, "Dravik\nTamsin", "PERSON")]
    assert cut(text, mentions)[2:] == [("Dravik", "PERSON"), ("Tamsin", "PERSON")]


def test_a_full_name_broken_across_a_line_stays_one_name() -> None:
    text = "Ada spoke to Vane. A letter was signed\nAda\nVane and sent."
    mentions = [nth(text, "Ada", "PERSON"), nth(text, "Vane", "PERSON"),
                nth(text, "Ada\nVane", "PERSON")]
    assert cut(text, mentions)[2:] == [("Ada\nVane", "PERSON")]


def test_a_place_and_a_person_on_one_line_are_not_cut_apart() -> None:
    text = "Tamsin rode to Dravik. At the gate Dravik Tamsin waited."
    mentions = [nth(text, "Tamsin", "PERSON"), nth(text, "Dravik", "GPE"),
                nth(text, "Dravik Tamsin", "PERSON")]
    assert cut(text, mentions)[2:] == [("Dravik Tamsin", "PERSON")]


def test_a_name_is_known_as_the_kind_the_model_most_often_gave_it() -> None:
    # "Marra" is a place once and a person twice (once with a possessive): a person,
    # so "Dravik\nMarra" is a place and a person across a line break
    text = ("Marra lay north. Marra laughed. Marra's horse ran. At the gate:\n"
            "Dravik\nMarra waited. Dravik slept.")
    mentions = [nth(text, "Marra", "GPE"), nth(text, "Marra", "PERSON", 1),
                nth(text, "Marra's", "PERSON"), nth(text, "Dravik", "GPE", 1),
                nth(text, "Dravik\nMarra", "PERSON")]
    assert cut(text, mentions)[3:5] == [("Dravik", "PERSON"), ("Marra", "PERSON")]


# --------------------------------------------------------------------------- possessives


@pytest.mark.parametrize(("first", "span"), [
    ("Corvex", "Corvex's Ilse Marr"),
    ("Corvex's", "Corvex's Ilse Marr"),  # the model took the possessive in
    ("The Corvex", "Corvex's Ilse Marr"),
    ("Corvex", "The Corvex's Ilse Marr"),
    ("Kestrel Trust", "Kestrel Trust's Ilse Marr"),
])
def test_a_known_name_with_a_possessive_is_cut_from_the_person_after_it(
        first: str, span: str) -> None:
    text = f"{first} rose. {span} spoke."
    owner = span.removeprefix("The ").removesuffix("'s Ilse Marr")
    mentions = [nth(text, first, "ORG"), nth(text, span, "PERSON")]
    assert cut(text, mentions)[1:] == [(owner, "PERSON"), ("Ilse Marr", "PERSON")]


def test_an_unknown_name_with_a_possessive_stays_one_name() -> None:
    text = "Then Orlen's Ilse Marr spoke."
    assert cut(text, [nth(text, "Orlen's Ilse Marr", "PERSON")]) == [
        ("Orlen's Ilse Marr", "PERSON")]


@pytest.mark.parametrize(("span", "names"), [
    ("KBT's Ilse Marr", ["KBT", "Ilse Marr"]),
    ("Orla and KBT's Ilse Marr", ["Orla", "KBT", "Ilse Marr"]),
    ("KBT's Director General", ["KBT"]),
])
def test_an_acronym_with_a_possessive_is_cut_from_the_name_after_it(
        span: str, names: list[str]) -> None:
    text = f"Then {span} spoke."
    assert cut(text, [nth(text, span, "PERSON")]) == [(n, "PERSON") for n in names]


@pytest.mark.parametrize(("span", "label", "name"), [
    ("'s Kestrel Trust", "ORG", "Kestrel Trust"),
    ("'s President", "PERSON", "President"),
])
def test_a_span_that_starts_with_the_possessive_before_it_keeps_only_the_name(
        span: str, label: str, name: str) -> None:
    text = f"The board{span} spoke."
    assert cut(text, [nth(text, span, label)]) == [(name, label)]
