"""Who is who among people who share a name (reader.entities.people): titles, surnames,
given names, the pronouns after a name, and the bare names that stand for one person or
a family. Invented names and texts only; each test is named for what a reader would see
in the side panel (or, for the word rules, what the rule says) if it broke."""

from __future__ import annotations

import re

import pytest
from entity_cases import every, nth, panel

from reader.entities import Mention
from reader.entities.people import _pronoun_gender, _state, _title_gender
from reader.entities.spans import Span


def rows_of(text: str, mentions: list[Mention]) -> dict[str, tuple[list[str], int]]:
    """name -> (aliases, count) for every row of the panel."""
    return {n: (e.aliases, e.count) for n, e in panel(text, mentions).items()}


def persons(text: str, *surfaces: str) -> list[Mention]:
    """A PERSON mention at every occurrence of each surface (the longer ones first, and a
    shorter one only where no longer one covers it)."""
    out: list[Mention] = []
    taken: set[int] = set()
    for s in sorted(surfaces, key=len, reverse=True):
        for m in every(text, s, "PERSON"):
            if not taken & set(range(m.start, m.end)):
                out.append(m)
                taken |= set(range(m.start, m.end))
    return out


# --------------------------------------------------------------------------- word rules


@pytest.mark.parametrize(("title", "gender"), [
    ("mr", "m"), ("sir", "m"), ("mrs", "f"), ("lady", "f"), ("dr", ""), ("", "")])
def test_a_title_says_whether_its_bearer_is_a_man_or_a_woman(title: str, gender: str) -> None:
    assert _title_gender(title) == gender


@pytest.mark.parametrize(("title", "state"), [
    ("miss", "unmarried"), ("mlle", "unmarried"), ("mrs", "married"), ("lady", "married"),
    ("mr", ""), ("dr", ""), ("", "")])
def test_a_title_of_a_woman_says_whether_she_is_married(title: str, state: str) -> None:
    assert _state(title) == state


def spans_of(text: str, name: str) -> list[Span]:
    return [Span(text, m.start(), m.end(), "PERSON") for m in re.finditer(name, text)]


_WALK = ", who had walked the long road past the mill and the church and back again in the rain"
#: A pronoun after ``_NEAR`` ends 120 characters after the name, one after ``_FAR`` ends
#: a character beyond.
_NEAR, _FAR = _WALK.ljust(118), _WALK.ljust(119)


@pytest.mark.parametrize(("text", "gender"), [
    ("Edda came; he sat. Edda rose; he left.", "m"),
    ("Edda came; she sat. Edda rose; she left.", "f"),
    ("Edda came; he sat. Edda rose.", ""),
    ("Edda came; she sat. Edda rose.", ""),
    ("Edda came. Edda rose.", ""),
    # twice as many of one as of the other
    ("Edda came; he sat. Edda rose; he left. Edda ran; she wept.", "m"),
    ("Edda came; she sat. Edda rose; she left. Edda ran; he wept.", "f"),
    ("Edda came; he sat. Edda rose; he left. Edda ran; he wept. "
     "Edda hid; she wept. Edda hid; she slept.", ""),
    ("Edda came; she sat. Edda rose; she left. Edda ran; she wept. "
     "Edda hid; he wept. Edda hid; he slept.", ""),
    # only up to the end of the sentence
    ("Edda came. He sat. Edda rose. He left.", ""),
    ("Edda said he would go and Edda said he would stay", "m"),
    # the first pronoun after the name is the one that counts
    ("Edda met her; he sat. Edda met her; he left.", "f"),
    # only the 120 characters after the name
    (f"Edda{_NEAR}he went. Edda{_NEAR}he came.", "m"),
    (f"Edda{_FAR}he went. Edda{_FAR}he came.", ""),
    # only the first 80 mentions
    ("Edda came. " * 79 + "Edda came; he sat. " * 2, ""),
    ("Edda came. " * 78 + "Edda came; he sat. " * 2, "m"),
])
def test_the_pronouns_after_a_name_say_whether_it_is_a_man_or_a_woman(
        text: str, gender: str) -> None:
    assert _pronoun_gender(spans_of(text, "Edda"), text) == gender


# ------------------------------------------------------------------- titled names by surname


def test_mr_with_a_surname_joins_the_only_full_name_of_that_surname() -> None:
    text = "Aldous Quill came in. Mr. Quill sat down."
    assert rows_of(text, persons(text, "Aldous Quill", "Quill")) == {
        "Aldous Quill": (["Mr. Quill"], 2)}


def test_a_suffix_after_a_full_name_does_not_hide_its_surname() -> None:
    text = "Tobin Quill Jr. came in. Mr. Quill sat down."
    assert rows_of(text, persons(text, "Tobin Quill Jr.", "Quill")) == {
        "Tobin Quill Jr.": (["Mr. Quill"], 2)}


def test_a_surname_that_is_also_a_suffix_word_still_names_its_person() -> None:
    text = "Olive Junior came in. Mrs. Junior sat down."
    assert rows_of(text, persons(text, "Olive Junior", "Junior")) == {
        "Olive Junior": (["Mrs. Junior"], 2)}


def test_the_last_word_of_a_three_word_name_is_its_surname() -> None:
    text = "Ada Mae Quill came in. Miss Quill sat down."
    assert rows_of(text, persons(text, "Ada Mae Quill", "Quill")) == {
        "Ada Mae Quill": (["Miss Quill"], 2)}


def test_miss_with_a_surname_is_not_the_only_full_name_when_he_is_called_mr() -> None:
    text = "Mr. Aldous Quill came in. Miss Quill sat down."
    assert rows_of(text, persons(text, "Aldous Quill", "Quill")) == {
        "Aldous Quill": ([], 1), "Miss Quill": ([], 1)}


def test_mrs_with_a_surname_is_not_the_woman_the_text_calls_miss() -> None:
    text = "Miss Ada Vane came in. Mrs. Vane sat down."
    assert rows_of(text, persons(text, "Ada Vane", "Vane")) == {
        "Ada Vane": ([], 1), "Mrs. Vane": ([], 1)}


def test_mr_with_a_surname_is_not_the_only_full_name_when_she_is_a_woman() -> None:
    text = "Ada Vane came in; she was late. Ada Vane sat; she was tired. Mr. Vane rode up."
    assert rows_of(text, persons(text, "Ada Vane", "Vane")) == {
        "Ada Vane": ([], 2), "Mr. Vane": ([], 1)}


def test_mr_of_two_full_names_joins_the_one_not_known_as_a_woman() -> None:
    text = ("Ada Vane came in; she was late. Ada Vane sat; she was tired. "
            "Bram Vane rode up. Mr. Vane sat down.")
    assert rows_of(text, persons(text, "Ada Vane", "Bram Vane", "Vane")) == {
        "Ada Vane": ([], 2), "Bram Vane": (["Mr. Vane"], 2)}


def test_miss_of_two_full_names_joins_the_one_known_as_a_woman() -> None:
    text = ("Ada Vane came in; she was late. Ada Vane sat; she was tired. "
            "Bram Vane rode up. Miss Vane sat down.")
    assert rows_of(text, persons(text, "Ada Vane", "Bram Vane", "Vane")) == {
        "Ada Vane": (["Miss Vane"], 3), "Bram Vane": ([], 1)}


def test_mrs_of_two_full_names_neither_called_mrs_keeps_her_own_row() -> None:
    text = ("Ada Vane came in; she was late. Ada Vane sat; she was tired. "
            "Bram Vane rode up. Mrs. Vane sat down.")
    assert rows_of(text, persons(text, "Ada Vane", "Bram Vane", "Vane")) == {
        "Ada Vane": ([], 2), "Bram Vane": ([], 1), "Mrs. Vane": ([], 1)}


def test_mr_and_mrs_do_not_join_the_one_full_name_when_its_sex_is_unknown() -> None:
    text = "Mr. Vane came in. Mrs. Vane sat down. Kit Vane ran out."
    assert rows_of(text, persons(text, "Kit Vane", "Vane")) == {
        "Mr. Vane": ([], 1), "Mrs. Vane": ([], 1), "Kit Vane": ([], 1)}


def test_mr_joins_the_one_full_name_known_as_a_man_when_there_is_a_mrs_too() -> None:
    text = ("Mr. Vane came in. Mrs. Vane sat down. Kit Vane ran out; he was late. "
            "Kit Vane came back; he was wet.")
    assert rows_of(text, persons(text, "Kit Vane", "Vane")) == {
        "Kit Vane": (["Mr. Vane"], 3), "Mrs. Vane": ([], 1)}


def test_mr_of_two_full_names_joins_the_one_the_text_calls_mr() -> None:
    text = "Mr. Aldous Quill came in. Bram Quill rode up. Mr. Quill sat down."
    assert rows_of(text, persons(text, "Aldous Quill", "Bram Quill", "Quill")) == {
        "Aldous Quill": (["Mr. Quill"], 2), "Bram Quill": ([], 1)}


def test_mr_of_two_full_names_neither_called_mr_keeps_his_own_row() -> None:
    text = "Aldous Quill came in. Bram Quill rode up. Mr. Quill sat down."
    assert rows_of(text, persons(text, "Aldous Quill", "Bram Quill", "Quill")) == {
        "Aldous Quill": ([], 1), "Bram Quill": ([], 1), "Mr. Quill": ([], 1)}


def test_mrs_is_not_the_child_the_text_calls_by_given_name_twice() -> None:
    text = "Ottilie Lusk came in. Ottilie sang. Ottilie laughed. Mrs. Lusk called her."
    assert rows_of(text, persons(text, "Ottilie Lusk", "Ottilie", "Lusk")) == {
        "Ottilie Lusk": (["Ottilie"], 3), "Mrs. Lusk": ([], 1)}


# ---------------------------------------------------------------- titled names by given name


def test_lady_with_a_given_name_two_people_share_joins_the_one_called_lady() -> None:
    text = "Lady Maud Vere came in. Maud Lisle came too. Lady Maud sat down."
    assert rows_of(text, persons(text, "Maud Vere", "Maud Lisle", "Maud")) == {
        "Maud Vere": (["Lady Maud"], 2), "Maud Lisle": ([], 1)}


def test_sir_with_a_given_name_is_not_the_woman_of_that_name() -> None:
    text = "Miss Evelyn Tarrant came in. Sir Evelyn rode up."
    assert rows_of(text, persons(text, "Evelyn Tarrant", "Evelyn")) == {
        "Evelyn Tarrant": ([], 1), "Sir Evelyn": ([], 1)}


def test_mr_is_not_the_woman_whose_given_name_the_text_calls_miss() -> None:
    text = "Orla Brant came in. Everyone liked Miss Orla. Mr. Brant came home."
    assert rows_of(text, persons(text, "Orla Brant", "Orla", "Brant")) == {
        "Orla Brant": (["Miss Orla"], 2), "Mr. Brant": ([], 1)}


def test_lord_is_not_the_woman_the_pronouns_after_her_given_name_show() -> None:
    text = ("Orla Brant came in. Orla was glad; she sang. Orla was late; she ran. "
            "Lord Brant came home.")
    assert rows_of(text, persons(text, "Orla Brant", "Orla", "Brant")) == {
        "Orla Brant": (["Orla"], 3), "Lord Brant": ([], 1)}


# --------------------------------------------------------------------------- bare names


def test_a_bare_surname_joins_the_one_titled_name_even_after_a_name_of_no_one() -> None:
    text = "Zeb sat. Mr. Quill came. Quill sat."
    assert rows_of(text, persons(text, "Zeb", "Quill")) == {
        "Zeb": ([], 1), "Mr. Quill": (["Quill"], 2)}


@pytest.mark.parametrize(("after_mr", "after_miss", "rows"), [
    (2, 0, {"Mr. Quill": ([], 1), "Quill family": ([], 2), "Miss Quill": ([], 1)}),
    (3, 0, {"Mr. Quill": (["Quill"], 4), "Miss Quill": ([], 1)}),
    (3, 2, {"Mr. Quill": ([], 1), "Quill family": ([], 5), "Miss Quill": ([], 1)}),
    (4, 2, {"Mr. Quill": (["Quill"], 7), "Miss Quill": ([], 1)}),
])
def test_a_bare_surname_needs_three_mentions_and_twice_the_others_to_join_one_person(
        after_mr: int, after_miss: int, rows: dict[str, tuple[list[str], int]]) -> None:
    text = "Mr. Quill came. " + "Quill sat. " * after_mr + "Miss Quill sang." + \
        " Quill wept." * after_miss
    assert rows_of(text, every(text, "Quill", "PERSON")) == rows


def test_a_given_name_two_people_share_keeps_its_own_row_and_is_no_family() -> None:
    text = "Orla Brant came in. Orla Vane came too. Orla was late."
    assert rows_of(text, persons(text, "Orla Brant", "Orla Vane", "Orla")) == {
        "Orla Brant": ([], 1), "Orla Vane": ([], 1), "Orla": ([], 1)}


def test_a_given_name_the_model_calls_a_nationality_keeps_its_own_row() -> None:
    text = "Orla Brant came in. Orla was late. Orla sat down."
    mentions = [nth(text, "Orla Brant", "PERSON"), nth(text, "Orla", "NORP", 1),
                nth(text, "Orla", "NORP", 2)]
    assert {n: (e.group, e.count) for n, e in panel(text, mentions).items()} == {
        "Orla Brant": ("people", 1), "Orla": ("other", 2)}


def test_a_surname_the_model_calls_a_nationality_joins_the_full_name() -> None:
    text = "Orla Brant came in. Brant was late. Brant sat down."
    mentions = [nth(text, "Orla Brant", "PERSON"), nth(text, "Brant", "NORP", 1),
                nth(text, "Brant", "NORP", 2)]
    assert rows_of(text, mentions) == {"Orla Brant": (["Brant"], 3)}


def test_a_given_name_the_model_calls_a_place_still_joins_the_full_name() -> None:
    text = "Orla Brant came in. Orla was late. Orla sat down."
    mentions = [nth(text, "Orla Brant", "PERSON"), nth(text, "Orla", "GPE", 1),
                nth(text, "Orla", "GPE", 2)]
    assert rows_of(text, mentions) == {"Orla Brant": (["Orla"], 3)}


def test_a_surname_the_model_always_calls_a_place_stays_a_place() -> None:
    text = "Orla Calder came in. Calder was quiet. Calder slept."
    mentions = [nth(text, "Orla Calder", "PERSON"), nth(text, "Calder", "GPE", 1),
                nth(text, "Calder", "GPE", 2)]
    assert {n: (e.group, e.count) for n, e in panel(text, mentions).items()} == {
        "Orla Calder": ("people", 1), "Calder": ("places", 2)}


def test_a_town_that_shares_a_titled_man_s_name_stays_a_place() -> None:
    text = "Mr. Calder came in. Calder was quiet. Calder slept."
    mentions = [nth(text, "Calder", "PERSON"), nth(text, "Calder", "GPE", 1),
                nth(text, "Calder", "GPE", 2)]
    assert {n: (e.group, e.count) for n, e in panel(text, mentions).items()} == {
        "Mr. Calder": ("people", 1), "Calder": ("places", 2)}


def test_a_person_s_surname_after_in_once_still_joins_the_person() -> None:
    text = ("Ada Quill spoke. Quill was calm. Quill sat. Quill ate. Quill rose. "
            "They had faith in Quill.")
    assert rows_of(text, persons(text, "Ada Quill", "Quill")) == {"Ada Quill": (["Quill"], 6)}


def test_a_work_named_for_its_author_is_not_joined_to_the_author() -> None:
    text = "Ada Marrick wrote a novel. Marrick sold well."
    mentions = [nth(text, "Ada Marrick", "PERSON"), nth(text, "Marrick", "WORK_OF_ART", 1)]
    assert {n: (e.group, e.count) for n, e in panel(text, mentions).items()} == {
        "Ada Marrick": ("people", 1), "Marrick": ("other", 1)}
