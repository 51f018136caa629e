"""People named after their office (reader.entities.roles): who a title names, and which of
the model's "organisations" around a title are only the office's words.

``office_holders`` and ``offices_are_not_organisations`` are text rules with a clear
contract (the model's mentions in, the mentions the panel should see out), so most tests
call them directly and compare the whole list of mentions; a few go through ``resolve``.
Invented names and texts only.
"""

from __future__ import annotations

import pytest
from entity_cases import every, nth, panel

from reader.entities.names import org_like
from reader.entities.roles import office_holders, offices_are_not_organisations

# --------------------------------------------------------------------------- who a title names

#: The office words that make ``office_holders`` read a text at all.
COMMON_OFFICES = ["Secretary", "Minister", "Mayor", "Ambassador", "Administrator",
                  "Spokesperson", "Admiral", "Commissioner", "Director", "Governor"]


@pytest.mark.parametrize("title", COMMON_OFFICES)
def test_a_person_behind_each_common_office_title_is_a_person_not_an_organisation(
        title: str) -> None:
    text = f"In Skelde, the {title} Ilse Brandt opened the new harbour."
    mentions = [nth(text, "Skelde", "GPE"), nth(text, f"{title} Ilse Brandt", "ORG")]
    assert office_holders(mentions, text) == [
        nth(text, "Skelde", "GPE"), nth(text, "Ilse Brandt", "PERSON")]


def test_a_text_without_a_common_office_word_is_left_as_the_model_read_it() -> None:
    # (the fast way out for most texts; "President" is stripped later, as a title)
    text = "In Skelde, the President Ilse Brandt opened the new harbour."
    mentions = [nth(text, "Skelde", "GPE"), nth(text, "President Ilse Brandt", "ORG")]
    assert office_holders(mentions, text) == mentions


def test_a_title_at_the_very_start_of_the_text_still_names_the_person() -> None:
    text = "Mayor Ida Vos opened the harbour; the minister came too."
    assert office_holders([nth(text, "Mayor Ida Vos", "ORG")], text) == [
        nth(text, "Ida Vos", "PERSON")]


def test_an_ambassador_at_the_very_start_of_the_text_still_names_the_person() -> None:
    text = "Ambassador to Varnland Ilse Brandt met the minister of Varnland today."
    places = every(text, "Varnland", "GPE")
    assert office_holders([places[0], nth(text, "Ilse Brandt", "ORG"), places[1]], text) == [
        places[0], nth(text, "Ilse Brandt", "PERSON"), places[1]]


@pytest.mark.parametrize("label", ["GPE", "LOC", "FAC", "NORP"])
def test_a_place_the_text_names_before_an_ambassadors_name_is_not_part_of_the_name(
        label: str) -> None:
    text = "Officials from Varnland came. The Ambassador to Varnland Ilse Brandt spoke."
    places = every(text, "Varnland", label)
    assert office_holders(places, text) == [*places, nth(text, "Ilse Brandt", "PERSON")]


def test_the_person_a_secretary_writes_to_is_a_person() -> None:
    text = "Letters went from the Secretary to Edda Moritz every week."
    assert office_holders([nth(text, "Edda Moritz", "ORG")], text) == [
        nth(text, "Edda Moritz", "PERSON")]


def test_a_name_after_a_surname_and_to_keeps_the_models_reading() -> None:
    # "Vos to": only an office's "to" makes a person of the name after it, and a title
    # with a surname alone ("Mayor Vos") is no new person
    text = "A letter from Mayor Vos to Edda Moritz was read aloud."
    mentions = [nth(text, "Edda Moritz", "ORG")]
    assert office_holders(mentions, text) == mentions


@pytest.mark.parametrize(("text", "expected"), [
    # a short given name counts, an initial or a surname alone makes no one
    ("The Mayor Ida Vos spoke.", [("Ida Vos", "PERSON")]),
    ("The Mayor J. Vos spoke.", []),
    ("The Mayor Vos spoke.", []),
    # every word of a long name
    ("The Admiral Ilse Maren Brandt spoke.", [("Ilse Maren Brandt", "PERSON")]),
    # a particle inside the name
    ("The Mayor Ilse van Brandt spoke.", [("Ilse van Brandt", "PERSON")]),
    # the portfolio after "for" or "of the" is the office's, even a word no list knows
    ("The Minister for Fjords Ilse Brandt spoke.", [("Ilse Brandt", "PERSON")]),
    ("The Secretary of the Fjords Ilse Brandt spoke.", [("Ilse Brandt", "PERSON")]),
    # a word the text also writes in lower case is no part of a name
    ("The Minister of Kelp Farming Ilse Brandt spoke; kelp farming grows.",
     [("Ilse Brandt", "PERSON")]),
    # a mayor's town is a place
    ("The Mayor of Dravik Oren Balt spoke.", [("Oren Balt", "PERSON"), ("Dravik", "GPE")]),
])
def test_the_name_behind_a_title_is_cut_where_the_office_ends(
        text: str, expected: list[tuple[str, str]]) -> None:
    found = sorted(office_holders([], text), key=lambda m: -m.end)
    assert found == [nth(text, surface, label) for surface, label in expected]


def test_parts_of_a_name_the_model_took_for_places_make_one_person() -> None:
    text = "The Admiral Ilse Maren Brandt landed in Skelde."
    mentions = [nth(text, w, "GPE") for w in ("Ilse", "Brandt", "Skelde")]
    assert office_holders(mentions, text) == [
        nth(text, "Ilse Maren Brandt", "PERSON"), nth(text, "Skelde", "GPE")]


def test_a_person_named_again_later_does_not_cut_the_name_behind_the_title() -> None:
    text = "The Secretary Ilse Brandt spoke first. Later Brandt left the hall."
    later = nth(text, "Brandt", "PERSON", 1)
    assert office_holders([later], text) == [nth(text, "Ilse Brandt", "PERSON"), later]


def test_two_office_holders_in_one_text_are_both_people() -> None:
    text = "The Mayor Ida Vos met the Secretary Ilse Brandt at noon."
    mentions = [nth(text, "Mayor Ida Vos", "ORG"), nth(text, "Secretary Ilse Brandt", "ORG")]
    assert office_holders(mentions, text) == [
        nth(text, "Ida Vos", "PERSON"), nth(text, "Ilse Brandt", "PERSON")]


def test_a_title_in_a_headline_is_skipped_and_the_same_title_in_the_body_is_read() -> None:
    text = "Mayor Ida Vos Opens Harbour\n\nThe Mayor Ida Vos cut the ribbon."
    assert office_holders([], text, headlines={0}) == [nth(text, "Ida Vos", "PERSON", 1)]


def test_a_name_with_two_particles_in_a_row_keeps_the_models_row() -> None:
    text = "The Mayor Ilse de la Brandt spoke at the harbour."
    rows = panel(text, [nth(text, "Ilse de la Brandt", "PERSON")])
    assert {n: (e.group, e.count) for n, e in rows.items()} == {
        "Ilse de la Brandt": ("people", 1)}


# --------------------------------------------------------------------------- office words


def test_an_organisation_after_secretary_of_keeps_its_row_with_or_without_the() -> None:
    text = "She met the Secretary of the Ministry of Kelp on Monday."
    with_the = [nth(text, "the Ministry of Kelp", "ORG")]
    without = [nth(text, "Ministry of Kelp", "ORG")]
    assert offices_are_not_organisations(with_the, text, org_like) == with_the
    assert offices_are_not_organisations(without, text, org_like) == without


def test_a_portfolio_at_the_very_start_of_the_text_is_not_an_organisation() -> None:
    text = "Secretary of Kelp Affairs Ilse Brandt spoke in Skelde."
    skelde = nth(text, "Skelde", "GPE")
    assert offices_are_not_organisations(
        [nth(text, "Kelp Affairs", "ORG"), skelde], text, org_like) == [skelde]


@pytest.mark.parametrize(("text", "model", "kept"), [
    # "Press Secretary": the press is the title's, the organisation before it stays
    ("The Kelpmoor Press Secretary Ilse Brandt spoke in Skelde.", "Kelpmoor Press", "Kelpmoor"),
    ("The Varnland Harbour Press Secretary Ilse Brandt spoke in Skelde.", "Varnland Harbour Press",
     "Varnland Harbour"),
    # words that name the office, not an organisation
    ("The Kelp Minister Ilse Brandt spoke in Skelde.", "Kelp", None),
    ("The Kelp Affairs Minister Ilse Brandt spoke in Skelde.", "Kelp Affairs", None),
    # an acronym or an organisation's name before a title stays
    ("The KELP Deputy Director Ilse Brandt spoke in Skelde.", "KELP", "KELP"),
    ("The Skelde Council Secretary Ilse Brandt spoke in Skelde.", "Skelde Council",
     "Skelde Council"),
])
def test_the_words_before_a_title_are_an_organisation_only_when_they_name_one(
        text: str, model: str, kept: str | None) -> None:
    skelde = nth(text, "Skelde", "GPE", -1)  # (a mention after it stays too)
    expected = ([nth(text, kept, "ORG")] if kept else []) + [skelde]
    assert offices_are_not_organisations(
        [nth(text, model, "ORG"), skelde], text, org_like) == expected

