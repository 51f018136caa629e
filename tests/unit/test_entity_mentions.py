"""Which capitalised words are names (reader.entities.mentions): non-names dropped, full
names completed, aliases, and every other occurrence of a row's names. Invented names and
texts only."""

from __future__ import annotations

import pytest
from entity_cases import every, nth, panel

from reader.document import parse
from reader.entities import Entity, Mention
from reader.entities.mentions import WordIndex, _covered, _mid_sentence, _not_a_name


def mentions_of(rows: dict[str, Entity], name: str) -> list[tuple[int, str]]:
    return [(m.start, m.text) for m in rows[name].mentions]


# --------------------------------------------------------------------------- text rules


@pytest.mark.parametrize(("taken", "a", "b", "expected"), [
    ([(10, 15)], 10, 15, True),  # the same place
    ([(10, 15)], 12, 20, True),  # runs into it from the left
    ([(10, 15)], 5, 12, True),  # runs into it from the right
    ([(10, 30)], 12, 20, True),  # inside it
    ([(12, 14)], 10, 20, True),  # holds it
    ([(10, 15)], 15, 20, False),  # starts where it ends
    ([(10, 15)], 5, 10, False),  # ends where it starts
    ([(10, 15)], 4, 9, False),  # one character apart
    ([(0, 4), (10, 15)], 5, 10, False),  # between two
    ([], 5, 10, False),
])
def test_a_span_is_covered_only_when_it_overlaps_a_taken_one(
        taken: list[tuple[int, int]], a: int, b: int, expected: bool) -> None:
    starts = [s for s, _ in taken]
    ends = [e for _, e in taken]
    assert _covered(starts, ends, a, b) is expected


@pytest.mark.parametrize(("text", "mid"), [
    ("Varda came.", False),  # the text's first word
    ("x Varda", True),  # two characters in
    ("It rained. Varda came.", False),
    ("They met the Varda boys.", True),
    ("He said, “Varda is here.”", True),  # a comma before the opening quote
    ("twelve (Varda) came", True),
    ("x,  (Varda", False),  # the comma is four characters back: too far
    ("all baX Varda", False),  # a capital X is no lower-case letter
    ("the end.Varda came", False),
    ("of 1914 Varda", True),
])
def test_a_word_is_mid_sentence_when_a_lower_case_letter_digit_or_comma_comes_before_it(
        text: str, mid: bool) -> None:
    a = text.index("Varda")
    assert _mid_sentence(text, a) is mid
    assert WordIndex(text).mid_sentence(text, "Varda") == int(mid)


def test_the_word_index_counts_every_mid_sentence_capital_of_a_word() -> None:
    text = "Varda came. We saw Varda, then Varda, and then Varda. Varda left."
    index = WordIndex(text)
    assert index.mid_sentence(text, "Varda") == 3
    assert index.mid_sentence(text, "Orla") == 0


def test_the_word_index_files_a_possessive_under_the_name_itself() -> None:
    text = "Varda's hat, Varda’s coat, the Tolls’ gate and the Tolls' yard; Ross met Ross’s son."
    assert dict(WordIndex(text).capitalised) == {
        "Varda": [0, 13], "Tolls": [31, 51], "Ross": [64, 73]}


@pytest.mark.parametrize(("name", "expected"), [
    ("Mrs.", True),
    ("Mr.Mrs.", True),
    ("Papa’", True),
    ("I", True),
    ("Bo", False),
    ("Varda", False),
    ("Aunt Varda", False),
])
def test_titles_kinship_words_and_single_letters_are_not_names(name: str, expected: bool) -> None:
    assert _not_a_name(name) is expected


# --------------------------------------------------------------------------- non-names


def test_a_word_dropped_as_a_non_name_does_not_hide_the_names_after_it() -> None:
    text = "“Papa!” she said. Hope you are well, said Orla Brant. We hope so."
    rows = panel(text, [nth(text, "Papa", "PERSON"), nth(text, "Hope", "PERSON"),
                        nth(text, "Orla Brant", "PERSON")])
    assert list(rows) == ["Orla Brant"]


def test_a_common_word_the_text_capitalises_once_mid_sentence_is_a_name() -> None:
    text = "They met Rose at noon. The rose was red."
    rows = panel(text, [nth(text, "Rose", "PERSON")])
    assert mentions_of(rows, "Rose") == [(9, "Rose")]


def test_a_titled_common_word_is_a_name() -> None:
    text = "Mr. Hope came in. We hope he stays."
    rows = panel(text, [nth(text, "Hope", "PERSON")])
    assert mentions_of(rows, "Mr. Hope") == [(4, "Hope")]


@pytest.mark.parametrize("label", ["NORP", "DATE"])
def test_a_group_or_a_date_written_in_lower_case_elsewhere_keeps_its_row(label: str) -> None:
    text = "Liberal voters stayed home. She held liberal views."
    rows = panel(text, [nth(text, "Liberal", label)])
    assert {n: (e.label, e.count) for n, e in rows.items()} == {"Liberal": (label, 1)}


# --------------------------------------------------------------------------- every mention


def test_every_occurrence_of_a_full_name_is_a_mention() -> None:
    text = ("Orla Brant spoke. Later Orla Brant left, and Tarik Osei Mbah stayed. "
            "Tarik Osei Mbah ate.")
    rows = panel(text, [nth(text, "Orla Brant", "PERSON"), nth(text, "Tarik Osei Mbah", "PERSON")])
    assert mentions_of(rows, "Orla Brant") == [(0, "Orla Brant"), (24, "Orla Brant")]
    assert mentions_of(rows, "Tarik Osei Mbah") == [(45, "Tarik Osei Mbah"),
                                                    (69, "Tarik Osei Mbah")]


def test_a_name_that_is_only_the_start_of_a_longer_word_is_not_a_mention() -> None:
    text = "Orla Brant spoke. Orla Brantley stayed home. Orla Brant left."
    rows = panel(text, [nth(text, "Orla Brant", "PERSON")])
    assert mentions_of(rows, "Orla Brant") == [(0, "Orla Brant"), (45, "Orla Brant")]


def test_a_name_never_written_in_lower_case_is_a_mention_at_a_sentence_start_too() -> None:
    text = "Varda spoke. The crowd cheered. Varda left."
    rows = panel(text, [nth(text, "Varda", "PERSON")])
    assert mentions_of(rows, "Varda") == [(0, "Varda"), (32, "Varda")]


def test_a_name_that_is_also_a_common_word_is_a_mention_only_mid_sentence() -> None:
    text = "They met Rose at noon. The rose was red. Rose smiled. Later they saw Rose again."
    rows = panel(text, [nth(text, "Rose", "PERSON")])
    assert mentions_of(rows, "Rose") == [(9, "Rose"), (69, "Rose")]


def test_mrs_between_two_mentions_of_mr_does_not_stop_the_search() -> None:
    text = "Mr. Harlow came in. Mrs. Harlow smiled at him. Then Mr. Harlow left."
    rows = panel(text, [nth(text, "Harlow", "PERSON")])
    assert {n: e.count for n, e in rows.items()} == {"Mr. Harlow": 2}


def test_a_two_letter_name_is_found_again_but_a_letter_and_digit_is_not() -> None:
    text = "They drove the A1 north, and Bo slept. The A1 was busy. Bo woke."
    rows = panel(text, [nth(text, "A1", "FAC"), nth(text, "Bo", "PERSON")])
    assert {n: e.count for n, e in rows.items()} == {"A1": 1, "Bo": 2}


@pytest.mark.parametrize(("first", "label", "count"), [
    ("T.J.", "PERSON", 1),  # no word of the index: its letters stand apart
    ("de Vorn", "PERSON", 2),  # no capitalised first word ("Vorn" is the surname rule's)
    ("Veltan", "NORP", 1),  # a group, not a row's name
])
def test_a_name_not_searched_for_again_does_not_stop_the_search_for_the_others(
        first: str, label: str, count: int) -> None:
    text = f"The {first} envoy met Orla Brant. Two {first} ships came. Later Orla Brant left."
    rows = panel(text, [nth(text, first, label), nth(text, "Orla Brant", "PERSON")])
    assert rows[first].count == count
    assert mentions_of(rows, "Orla Brant") == [(len(first) + 15, "Orla Brant"),
                                               (len(text) - 16, "Orla Brant")]


def test_a_spelling_the_model_never_chose_does_not_become_the_rows_name() -> None:
    text = "Mckay spoke. Mckay sat. McKay rose. McKay went. McKay ran."
    rows = panel(text, [nth(text, "Mckay", "PERSON", 0), nth(text, "Mckay", "PERSON", 1),
                        nth(text, "McKay", "PERSON", 0)])
    assert list(rows) == ["Mckay"]
    assert rows["Mckay"].count == 5


def test_a_name_two_rows_share_is_not_marked_where_the_model_left_it() -> None:
    text = ("Dana Ferry came home. They flew into Ferry. Rain fell in Ferry. Snow lay in Ferry. "
            "“Go,” said Ferry. They took the ferry and saw Ferry again.")
    mentions = [nth(text, "Dana Ferry", "PERSON"),
                *(nth(text, "Ferry", "GPE", i) for i in (1, 2, 3)),
                nth(text, "Ferry", "PERSON", 4)]
    rows = panel(text, mentions)
    assert {n: (e.group, e.count) for n, e in rows.items()} == {
        "Dana Ferry": ("people", 2), "Ferry": ("places", 3)}


def test_a_name_in_a_caption_is_not_a_mention() -> None:
    text = ("Tamsin Grey walked.\n\n[Illustration: Tamsin Grey at the gate]\n\n"
            "Tamsin Grey came home.\n")
    rows = panel(text, [nth(text, "Tamsin Grey", "PERSON")], structure=parse(text).structure)
    assert mentions_of(rows, "Tamsin Grey") == [(0, "Tamsin Grey"), (62, "Tamsin Grey")]


# ------------------------------------------------------------- every mention: longer names


@pytest.mark.parametrize("text", [
    "Varda spoke. They sailed from Port Bell to Port Varda at dawn.",  # a place's name
    "Varda spoke. Later they boarded the S.S. Varda at dawn.",  # a ship
    "Varda spoke. They walked down Varda\tStreet.",
    "Port Varda was quiet then. Varda spoke of it. Ships left from Port Bell.",
])
def test_a_name_inside_a_longer_capitalised_name_is_not_a_mention(text: str) -> None:
    start = text.index("Varda spoke")
    mentions = [Mention(start, start + 5, "Varda", "PERSON"), *every(text, "Port Bell", "GPE")]
    rows = panel(text, mentions)
    assert mentions_of(rows, "Varda") == [(start, "Varda")]


def test_a_title_before_a_name_does_not_make_a_longer_name() -> None:
    text = "Mr. Varda came in. Later they saw Mr. Varda again."
    rows = panel(text, [nth(text, "Varda", "PERSON")])
    assert mentions_of(rows, "Mr. Varda") == [(4, "Varda"), (38, "Varda")]


def test_a_capitalised_common_word_before_a_name_does_not_make_a_longer_name() -> None:
    text = "Brenn spoke. A great crowd came to see the Great Brenn."
    rows = panel(text, [nth(text, "Brenn", "PERSON")])
    assert {n: [m.text for m in e.mentions] for n, e in rows.items()} == {
        "Brenn": ["Brenn", "Brenn"]}


# --------------------------------------------------------------------------- full names


def test_a_given_name_before_a_surname_the_model_found_alone_makes_the_full_name() -> None:
    text = "Brenn spoke first. Later the court heard from Ivo Brenn today."
    rows = panel(text, [nth(text, "Brenn", "PERSON")])
    assert {n: (e.aliases, mentions_of(rows, n)) for n, e in rows.items()} == {
        "Ivo Brenn": (["Brenn"], [(0, "Brenn"), (46, "Ivo Brenn")])}


def test_the_models_own_surname_mention_grows_into_the_full_name() -> None:
    text = "Brenn spoke first. Later the court heard from Ivo Brenn today."
    rows = panel(text, every(text, "Brenn", "PERSON"))
    assert mentions_of(rows, "Ivo Brenn") == [(0, "Brenn"), (46, "Ivo Brenn")]


def test_a_name_at_the_start_of_the_text_followed_by_an_office_is_a_full_name() -> None:
    text = "Ivo Brenn, Deputy Director of the port, spoke first. Brenn said the port was safe."
    rows = panel(text, [nth(text, "Brenn", "PERSON", 1)])
    assert mentions_of(rows, "Ivo Brenn") == [(0, "Ivo Brenn"), (53, "Brenn")]


def test_a_sentences_first_word_is_a_given_name_when_the_text_capitalises_it_mid_sentence() -> None:
    text = "Brenn spoke. Ivo Brenn came in. They thanked Ivo."
    rows = panel(text, [nth(text, "Brenn", "PERSON")])
    assert mentions_of(rows, "Ivo Brenn") == [(0, "Brenn"), (13, "Ivo Brenn")]


def test_a_word_that_opens_a_sentence_does_not_stop_the_search_for_full_names() -> None:
    text = "Brenn spoke. Later Brenn left. The court heard from Ivo Brenn today."
    rows = panel(text, [nth(text, "Brenn", "PERSON")])
    assert mentions_of(rows, "Ivo Brenn") == [(0, "Brenn"), (19, "Brenn"), (52, "Ivo Brenn")]


def test_a_word_of_another_mention_before_a_surname_does_not_stop_the_search() -> None:
    text = "Brenn spoke on Monday. On Monday Brenn left. The court heard from Ivo Brenn today."
    rows = panel(text, [nth(text, "Brenn", "PERSON"), *every(text, "Monday", "DATE")])
    assert mentions_of(rows, "Ivo Brenn") == [(0, "Brenn"), (66, "Ivo Brenn")]


def test_a_common_word_before_a_surname_does_not_stop_the_search_for_full_names() -> None:
    text = ("Brenn spoke. A great crowd came to see the Great Brenn. "
            "Later the court heard from Ivo Brenn.")
    rows = panel(text, [nth(text, "Brenn", "PERSON")])
    assert mentions_of(rows, "Ivo Brenn") == [(0, "Brenn"), (49, "Brenn"), (83, "Ivo Brenn")]


def test_a_kinship_word_before_a_surname_makes_no_full_name() -> None:
    text = "Brenn spoke. They wrote to Cousin Brenn."
    rows = panel(text, [nth(text, "Brenn", "PERSON")])
    assert {n: e.count for n, e in rows.items()} == {"Brenn": 1}


@pytest.mark.parametrize("label", ["GPE", "LOC", "ORG", "FAC", "NORP"])
def test_a_word_of_a_place_organisation_or_group_name_is_no_given_name(label: str) -> None:
    text = "Brenn grew up in Telka. Years later the Telka Brenn mill was sold."
    rows = panel(text, [nth(text, "Brenn", "PERSON"), nth(text, "Telka", label)])
    assert {n: e.count for n, e in rows.items()} == {"Brenn": 1, "Telka": 1}


def test_a_full_name_a_rule_found_is_not_searched_for_again() -> None:
    text = "Brenn spoke. Ivo Brenn, the Port Director, agreed. Ivo Brenn left early."
    rows = panel(text, [nth(text, "Brenn", "PERSON")])
    assert mentions_of(rows, "Ivo Brenn") == [(0, "Brenn"), (13, "Ivo Brenn"), (55, "Brenn")]


# --------------------------------------------------------------------------- aliases


def test_an_alias_is_found_after_other_names_without_one() -> None:
    text = "The Orvex lawyer Orla Brant met Ivo Brenn, also known as “Red Brenn,” at noon."
    rows = panel(text, [nth(text, "Orvex", "ORG"), nth(text, "Orla Brant", "PERSON"),
                        nth(text, "Ivo Brenn", "PERSON")])
    assert {n: e.aliases for n, e in rows.items()} == {
        "Orvex": [], "Orla Brant": [], "Ivo Brenn": ["Red Brenn"]}


def test_an_alias_ending_in_a_capital_x_keeps_it() -> None:
    text = "Ivo Brenn, also known as “Brother X,” was charged."
    rows = panel(text, [nth(text, "Ivo Brenn", "PERSON")])
    assert rows["Ivo Brenn"].aliases == ["Brother X"]


@pytest.mark.parametrize(("indent", "aliases"), [
    (17, ["Red Brenn of the Old Harbour", "Grey Boatman of the Western Isles"]),
    (18, ["Red Brenn of the Old Harbour"]),  # the second ends 121 characters on
])
def test_aliases_are_read_up_to_120_characters_after_the_name(
        indent: int, aliases: list[str]) -> None:
    text = ("Ivo Brenn, also known as\n" + " " * 18 + "“Red Brenn of the Old Harbour”\n"
            + " " * indent + "or “Grey Boatman of the Western Isles”, was charged.")
    rows = panel(text, [nth(text, "Ivo Brenn", "PERSON")])
    assert rows["Ivo Brenn"].aliases == aliases
