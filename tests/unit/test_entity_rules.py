"""The rules that make the panel hold beyond one article: titles, structure, the words
around a name, joined spans, every mention. Invented names and texts only."""

from __future__ import annotations

import pytest
from entity_cases import every, nth, panel

from reader.document import parse

# --------------------------------------------------------------------------- titles


def test_mr_and_mrs_of_one_surname_are_two_people() -> None:
    text = "Mr. Harlow came in. Mrs. Harlow smiled at him. Then Mr. Harlow left."
    rows = panel(text, every(text, "Harlow", "PERSON"))
    assert {n: (e.group, e.count) for n, e in rows.items()} == {
        "Mr. Harlow": ("people", 2), "Mrs. Harlow": ("people", 1)}


def test_an_office_title_is_stripped_and_the_surname_joins_the_full_name() -> None:
    text = "President Dana Voss spoke first. Later President Voss left the hall."
    rows = panel(text, [nth(text, "President Dana Voss", "PERSON"), nth(text, "Voss", "PERSON", 1)])
    assert list(rows) == ["Dana Voss"]
    assert (rows["Dana Voss"].aliases, rows["Dana Voss"].count) == (["Voss"], 2)


@pytest.mark.parametrize("word", ["Miss", "Lady", "Mamma", "Papa", "Oh", "Ladyship", "Aunt"])
def test_a_title_kinship_word_or_interjection_alone_is_never_a_row(word: str) -> None:
    text = f"“{word}!” she said, and went to the window."
    assert panel(text, [nth(text, word, "PERSON")]) == {}


def test_a_bare_surname_goes_to_the_person_it_mostly_stands_for() -> None:
    text = ("Mr. Quill rode in. Quill was tired. Mr. Quill slept. Quill woke. "
            "Miss Quill sang. Mr. Quill ate. Quill laughed. Quill went out.")
    rows = panel(text, every(text, "Quill", "PERSON"))
    assert set(rows) == {"Mr. Quill", "Miss Quill"}
    assert rows["Mr. Quill"].count == 7 and rows["Mr. Quill"].aliases == ["Quill"]


def test_a_surname_no_one_dominates_is_a_family_row() -> None:
    text = ("Mr. Fenn came. Fenn sat. Mrs. Fenn came. Fenn sat. "
            "Mr. Fenn spoke. Fenn rose. Mrs. Fenn spoke. Fenn rose.")
    rows = panel(text, every(text, "Fenn", "PERSON"))
    assert set(rows) == {"Mr. Fenn", "Mrs. Fenn", "Fenn family"}
    assert rows["Fenn family"].group == "people"


def test_a_courtesy_title_with_a_given_name_joins_the_full_name() -> None:
    text = "Orla Brant was born here. Everyone liked Miss Orla, and she knew it."
    rows = panel(text, [nth(text, "Orla Brant", "PERSON"), nth(text, "Orla", "PERSON", 1)])
    assert list(rows) == ["Orla Brant"]
    assert rows["Orla Brant"].aliases == ["Miss Orla"]


def test_miss_with_a_surname_goes_to_the_one_woman_of_that_name_not_to_a_man() -> None:
    text = ("Tobin Vane rode out; he was late. Tobin Vane said he would come. "
            "Ada Vane stayed; she read. Ada Vane said she was well. Miss Vane sang.")
    mentions = every(text, "Tobin Vane", "PERSON") + every(text, "Ada Vane", "PERSON")
    mentions.append(nth(text, "Vane", "PERSON", 4))
    rows = panel(text, mentions)
    assert set(rows) == {"Tobin Vane", "Ada Vane"}
    assert rows["Ada Vane"].aliases == ["Miss Vane"]


# --------------------------------------------------------------------------- structure


def test_no_row_comes_from_a_chapter_heading_or_an_illustration() -> None:
    text = ("CHAPTER IV.\n\nTamsin Grey walked to Orlen.\n\n"
            "[Illustration: GEORGE PRESSWELL PUBLISHER]\n\nTamsin Grey came home.\n")
    art = parse(text)
    mentions = [nth(text, "CHAPTER IV", "ORG"), *every(text, "Tamsin Grey", "PERSON"),
                nth(text, "Orlen", "GPE"), nth(text, "GEORGE PRESSWELL", "PERSON")]
    rows = panel(text, mentions, structure=art.structure)
    assert {n: e.group for n, e in rows.items()} == {"Tamsin Grey": "people", "Orlen": "places"}


def test_a_title_case_headline_keeps_only_the_names_the_body_confirms() -> None:
    text = "Minister Meets Garcia in Lima\n\nGarcia arrived in Lima on Monday for talks.\n"
    mentions = [nth(text, "Minister Meets Garcia", "ORG"), nth(text, "Lima", "GPE"),
                nth(text, "Garcia", "PERSON", 1), nth(text, "Lima", "GPE", 1)]
    rows = panel(text, mentions)
    assert {n: (e.group, e.count) for n, e in rows.items()} == {
        "Garcia": ("people", 2), "Lima": ("places", 2)}


def test_a_mention_never_runs_over_the_lines_of_an_address() -> None:
    text = "Centres open today:\n\nKestrel County\nMarlow Hall\n12 High St.\n\nAll welcome here.\n"
    art = parse(text)
    rows = panel(text, [nth(text, "Kestrel County\nMarlow Hall", "ORG")], structure=art.structure)
    assert {n: e.group for n, e in rows.items()} == {"Kestrel County": "places",
                                                     "Marlow Hall": "places"}


# --------------------------------------------------------------------------- evidence


def test_a_name_said_in_dialogue_is_a_person_whatever_the_model_said() -> None:
    text = "“Come,” said Marra. “Now,” said Marra. Marra went to the door. “Yes,” cried Marra."
    rows = panel(text, every(text, "Marra", "GPE"))
    assert rows["Marra"].group == "people"


def test_a_name_used_after_prepositions_of_place_is_a_place() -> None:
    text = ("They dined at Keswith. We rode to Keswith. A letter from Keswith came. "
            "Keswith was cold.")
    rows = panel(text, every(text, "Keswith", "ORG"))
    assert rows["Keswith"].group == "places"


def test_a_single_statement_from_an_organisation_does_not_make_it_a_place() -> None:
    text = "A statement from Corvex came today. Corvex shares rose."
    rows = panel(text, every(text, "Corvex", "ORG"))
    assert rows["Corvex"].group == "organizations"


def test_a_name_ending_in_a_place_word_is_a_place() -> None:
    text = "They stayed at Brantley Lodge for a week."
    assert panel(text, [nth(text, "Brantley Lodge", "ORG")])["Brantley Lodge"].group == "places"


def test_a_given_name_of_one_person_joins_that_person_even_when_read_as_a_place() -> None:
    text = ("Ilse Lusk was born in the valley. “Stay,” said Ilse. "
            "Ilse laughed. He wrote to Ilse.")
    mentions = [*every(text, "Ilse Lusk", "PERSON"),
                *(nth(text, "Ilse", "GPE", i) for i in (1, 2, 3))]
    rows = panel(text, mentions)
    assert rows["Ilse Lusk"].group == "people"
    assert rows["Ilse Lusk"].aliases == ["Ilse"]


# --------------------------------------------------------------------------- spans


@pytest.mark.parametrize(("span", "names"), [
    ("Tomas to Madame Roux", {"Tomas", "Madame Roux"}),
    ("Tomas and Roux", {"Tomas", "Roux"}),
    ("Tomas said", {"Tomas"}),
    ("Tomas,--she", {"Tomas"}),
])
def test_a_span_that_joins_names_or_runs_past_a_name_is_cut_into_names(
        span: str, names: set[str]) -> None:
    text = f"Then {span} was heard, and the room fell quiet."
    assert set(panel(text, [nth(text, span, "PERSON")])) == names


def test_every_occurrence_of_a_rows_name_is_a_mention_but_not_inside_a_longer_name() -> None:
    text = "Varda spoke. The crowd cheered Varda. Later Varda left by Varda Street."
    rows = panel(text, [nth(text, "Varda", "PERSON")])
    assert rows["Varda"].count == 3


def test_a_word_capitalised_only_where_a_sentence_starts_is_not_a_name() -> None:
    text = "Hope you are well. We hope so, and we hope the rain stops."
    assert panel(text, [nth(text, "Hope", "PERSON")]) == {}


# --------------------------------------------------------------------------- press texts


def test_a_person_behind_a_long_office_title_is_found() -> None:
    text = ("The Secretary of Coastal Affairs Imre Zolnai met officials today. "
            "Zolnai said the talks went well.")
    rows = panel(text, [nth(text, "Coastal Affairs Imre Zolnai", "ORG"),
                        nth(text, "Zolnai", "PERSON", 1)])
    assert {n: e.group for n, e in rows.items()} == {"Imre Zolnai": "people"}
    assert rows["Imre Zolnai"].count == 2


def test_a_mayor_of_a_town_names_the_town_as_a_place() -> None:
    text = "They met the Mayor of Dravik Oren Balt, who welcomed them."
    rows = panel(text, [nth(text, "Oren Balt", "PERSON")])
    assert {n: e.group for n, e in rows.items()} == {"Oren Balt": "people", "Dravik": "places"}


def test_an_office_in_apposition_makes_a_person_of_what_the_model_called_an_organisation() -> None:
    text = "The delegation included Tarik Osei Mbah, Undersecretary of Trade, and others."
    rows = panel(text, [nth(text, "Tarik Osei Mbah", "ORG")])
    assert rows["Tarik Osei Mbah"].group == "people"


def test_a_name_given_as_also_known_as_joins_the_person() -> None:
    text = "Ivo Brenn, also known as “Red Brenn,” was charged. Ivo Brenn denied it."
    rows = panel(text, every(text, "Ivo Brenn", "PERSON"))
    assert list(rows) == ["Ivo Brenn"]
    assert rows["Ivo Brenn"].aliases == ["Red Brenn"]


def test_a_portfolio_after_an_office_is_not_an_organisation() -> None:
    text = "The Minister for Rural Affairs, Ola Brix, spoke."
    rows = panel(text, [nth(text, "Rural Affairs", "ORG"), nth(text, "Ola Brix", "PERSON")])
    assert set(rows) == {"Ola Brix"}


# --------------------------------------------------------------------------- held-out lessons


def test_the_pronoun_i_is_never_a_row_even_when_a_span_trims_down_to_it() -> None:
    text = "“And besides,—I am tired,” she said. I went out. I came back."
    rows = panel(text, [nth(text, "besides,—I", "ORG")])
    assert rows == {}


def test_an_initial_stays_part_of_a_name_and_a_score_does_not() -> None:
    text = "Derbyshire were held up by M. Varlow 84 and K. Sennet 4-28 in the morning."
    rows = panel(text, [nth(text, "M. Varlow 84", "PERSON"), nth(text, "K. Sennet 4-28", "PERSON")])
    assert set(rows) == {"M. Varlow", "K. Sennet"}


def test_a_parent_called_by_title_is_not_the_child_called_by_given_name() -> None:
    text = ("Mrs. Dunmore sat by the fire. Ottilie Dunmore played; she laughed. "
            "“Ottilie!” said Mrs. Dunmore. Ottilie sang as she ran. Aunt Dunmore frowned. "
            "Mr. Dunmore was away. Ottilie waited.")
    mentions = [*every(text, "Dunmore", "PERSON"), *every(text, "Ottilie", "PERSON")]
    mentions = [m for m in mentions if m.start != text.index("Ottilie Dunmore")]
    mentions.append(nth(text, "Ottilie Dunmore", "PERSON"))
    rows = panel(text, mentions)
    assert rows["Ottilie Dunmore"].aliases == ["Ottilie"]
    assert {"Mrs. Dunmore", "Mr. Dunmore", "Aunt Dunmore"} <= set(rows)


def test_a_name_always_beside_a_persons_name_is_a_person() -> None:
    text = ("Ysolde and Brannoc ran. “Come,” said Brannoc. Ysolde and Brannoc hid. "
            "Ysolde, Brannoc and the dog slept.")
    mentions = [*every(text, "Ysolde", "ORG"), *every(text, "Brannoc", "PERSON")]
    rows = panel(text, mentions)
    assert (rows["Ysolde"].group, rows["Brannoc"].group) == ("people", "people")


def test_a_person_named_once_after_from_stays_a_person() -> None:
    text = "The side was held up by a fine innings from Tobias Wrenfield on Tuesday."
    rows = panel(text, [nth(text, "Tobias Wrenfield", "PERSON")])
    assert rows["Tobias Wrenfield"].group == "people"


def test_a_credit_line_is_not_a_headline() -> None:
    text = ("Talks resumed in the capital on Monday.\n\n"
            "Reporting by Ines Galvar; Editing by Tom Reel\n")
    rows = panel(text, [nth(text, "Ines Galvar", "PERSON"), nth(text, "Tom Reel", "PERSON")])
    assert set(rows) == {"Ines Galvar", "Tom Reel"}


def test_the_names_in_a_wire_storys_credits_are_people() -> None:
    text = "Talks went on.\n\n(Reporting by Vera Lostin; Editing by Ari Mond)\n"
    rows = panel(text, [nth(text, "Vera Lostin", "ORG"), nth(text, "Ari Mond", "PERSON")])
    assert {n: e.group for n, e in rows.items()} == {"Vera Lostin": "people",
                                                     "Ari Mond": "people"}


def test_what_stands_before_a_title_inside_a_span_is_not_the_name() -> None:
    text = "Talks with Kelvish PM Oskar Dren ended. Oskar Dren left. Dren smiled."
    rows = panel(text, [nth(text, "Kelvish PM Oskar Dren", "ORG"),
                        nth(text, "Oskar Dren", "PERSON", 1)])
    assert list(rows) == ["Oskar Dren"]
    assert rows["Oskar Dren"].group == "people"
