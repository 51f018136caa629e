"""What the words around a name vote for, and how a row's group follows from the votes:
titles, verbs of speech, prepositions of place, the lists a name stands in, the company
it keeps, the surname a title marks as a family's. Invented names and texts only.

Most tests take one mention (as the model would tag it) through the vote step and read
back what it now votes for, how much that counts and which words decided it: the
(vote, weight, cue) the panel's group is later made of.
"""

from __future__ import annotations

import pytest
from entity_cases import every, nth, panel

from reader.entities import Mention
from reader.entities.evidence import (
    attach_title,
    group_votes,
    office_after,
    place_named,
    strongly_a_place,
    used_as_place,
    weigh,
)
from reader.entities.spans import Cluster, Span
from reader.entities.voting import decide_group, surname_evidence, vote_by_context

Vote = tuple[str, float, str]


def span(text: str, m: Mention) -> Span:
    """The model's mention as the vote step gets it: with the title written before it."""
    sp = Span(text, m.start, m.end, m.label)
    attach_title(sp, text)
    return sp


def weighed(text: str, surface: str, label: str, n: int = 0) -> Vote:
    sp = span(text, nth(text, surface, label, n))
    weigh(sp, text, acronym=False)
    return sp.vote, sp.weight, sp.cue


def voted(text: str, *tagged: tuple[str, str]) -> list[Vote]:
    """(vote, weight, cue) of each (surface, label) mention after the vote step."""
    spans = [span(text, nth(text, surface, label)) for surface, label in tagged]
    vote_by_context(spans, text)
    return [(sp.vote, sp.weight, sp.cue) for sp in spans]


def cluster(sentences: list[str], surface: str, labels: list[str]) -> Cluster:
    """One row's mentions: ``surface`` once in each sentence, with the label given."""
    text = " ".join(sentences)
    c = Cluster(surface.casefold())
    for i, label in enumerate(labels):
        sp = span(text, nth(text, surface, label, i))
        weigh(sp, text, acronym=False)
        c.add(sp)
    return c


# --------------------------------------------------------------- the words around one name


@pytest.mark.parametrize(("text", "surface", "label", "expected"), [
    ("Mr. Orlen bowed.", "Orlen", "GPE", ("people", 3.0, "title")),
    ("They reached Brant Lodge late.", "Brant Lodge", "PERSON", ("places", 5.0, "head")),
    ("Tarik Osei, Deputy Minister of Mines, came.", "Tarik Osei", "ORG",
     ("people", 3.0, "title")),
    ("“Go,” said Orlen.", "Orlen", "GPE", ("people", 3.0, "speech")),
    ("“Go,” said Orlen to Tamsin.", "Orlen", "GPE", ("people", 3.0, "speech")),
    ("Then Orlen nodded.", "Orlen", "GPE", ("people", 3.0, "speech")),
    ("in Orlen the rain fell.", "Orlen", "PERSON", ("places", 2.0, "place")),
    ("They rode from Orlen.", "Orlen", "GPE", ("places", 1.0, "near")),
    ("A letter from Orlen came.", "Orlen", "PERSON", ("people", 1.0, "near")),
])
def test_the_words_around_a_name_say_what_it_names(
        text: str, surface: str, label: str, expected: Vote) -> None:
    assert weighed(text, surface, label) == expected


def test_a_name_after_said_that_runs_on_into_a_capital_is_not_the_speaker() -> None:
    # the model tagged only "Orlen" of "Orlen Vey": the speaker is the longer name
    assert weighed("“Go,” said Orlen Vey.", "Orlen", "GPE") == ("places", 1.0, "")


def test_a_capital_three_spaces_after_the_speaker_does_not_cancel_the_speech() -> None:
    assert weighed("“Go,” said Orlen   Vey.", "Orlen", "GPE") == ("people", 3.0, "speech")


def test_in_before_a_possessive_is_not_about_the_name() -> None:
    assert weighed("They met in Orlen’s house.", "Orlen", "PERSON") == ("people", 1.0, "")


def test_a_preposition_of_place_more_than_24_characters_back_does_not_count() -> None:
    text = "They lived in\n" + " " * 22 + "Orlen."
    assert weighed(text, "Orlen", "PERSON") == ("people", 1.0, "")


def test_a_verb_of_speech_more_than_24_characters_after_a_name_does_not_count() -> None:
    assert weighed("Then Orlen" + " " * 19 + "nodded.", "Orlen", "GPE") == ("places", 1.0, "")


# --------------------------------------------------------------- titles, offices, place words


@pytest.mark.parametrize(("text", "expected"), [
    ("Capt. Orrin rode.", ("capt", "Capt.")),
    ("Lady Orrin rode.", ("lady", "Lady")),
    ("Marchioness" + " " * 5 + "Orrin rode.", ("marchioness", "Marchioness")),
    ("Marchioness" + " " * 6 + "Orrin rode.", ("", "")),  # 17 characters back: too far
    ("Then Orrin rode.", ("", "")),
])
def test_the_title_written_before_a_name_is_kept_as_written(
        text: str, expected: tuple[str, str]) -> None:
    sp = span(text, nth(text, "Orrin", "PERSON"))
    assert (sp.title, sp.title_text) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Kestrel County", True),
    ("Lorne Ave.", True),
    ("Orlen Brant Lodge", True),
    ("Lodge Brant Orlen", False),
    ("Lodge", False),
])
def test_a_name_ending_in_a_place_word_is_a_place(name: str, expected: bool) -> None:
    assert place_named(name) is expected


@pytest.mark.parametrize(("after", "expected"), [
    (", Director of Mines", True),
    ("," + " " * 51 + "Director", True),  # the office ends 60 characters on
    ("," + " " * 52 + "Director", False),  # 61: too far
    (" and Director", False),
])
def test_an_office_in_apposition_must_follow_the_name_closely(after: str, expected: bool) -> None:
    text = "Tarik Osei" + after
    assert office_after(text, len("Tarik Osei")) is expected


# --------------------------------------------------------------- a row's votes


TO_TAMSIN = ["She wrote to Tamsin.", "She rode to Tamsin.", "She came from Tamsin."]


@pytest.mark.parametrize(("plain", "expected"), [
    (0, {"people": 0.0, "places": 3.0}),
    (3, {"people": 3.0, "places": 3.0}),  # half of the mentions follow "to"/"from"
    (4, {"people": 7.0}),  # fewer than half
])
def test_a_name_mostly_after_to_or_from_votes_for_a_place(
        plain: int, expected: dict[str, float]) -> None:
    sentences = TO_TAMSIN + ["Tamsin slept."] * plain
    c = cluster(sentences, "Tamsin", ["PERSON"] * (3 + plain))
    assert dict(group_votes(c)) == expected


def test_a_full_name_after_to_or_from_keeps_its_vote() -> None:
    sentences = ["She wrote to Tamsin Vey.", "She rode to Tamsin Vey.", "She came from Tamsin Vey."]
    c = cluster(sentences, "Tamsin Vey", ["PERSON"] * 3)
    assert dict(group_votes(c)) == {"people": 3.0}


IN_ORLEN = "They lived in Orlen."
MR_ORLEN = "Mr. Orlen bowed."
SAID_ORLEN = "“No,” said Orlen."
ORLEN = "Orlen rose."


@pytest.mark.parametrize(("sentences", "labels", "expected"), [
    ([IN_ORLEN, MR_ORLEN], ["PERSON", "PERSON"], False),
    ([IN_ORLEN, SAID_ORLEN], ["PERSON", "PERSON"], False),
    ([IN_ORLEN, ORLEN, ORLEN], ["PERSON", "PERSON", "PERSON"], True),
    ([IN_ORLEN, IN_ORLEN, MR_ORLEN], ["PERSON", "PERSON", "PERSON"], True),
    ([ORLEN], ["GPE"], False),
    ([ORLEN] * 4, ["GPE", "GPE", "PERSON", "PERSON"], False),
    ([ORLEN] * 5, ["GPE", "GPE", "PERSON", "PERSON", "PERSON"], False),
    ([ORLEN] * 4, ["GPE", "GPE", "GPE", "PERSON"], True),
])
def test_a_name_is_used_as_a_place_by_its_prepositions_or_else_its_labels(
        sentences: list[str], labels: list[str], expected: bool) -> None:
    assert used_as_place(cluster(sentences, "Orlen", labels)) is expected


@pytest.mark.parametrize(("sentences", "expected"), [
    ([IN_ORLEN, IN_ORLEN], True),
    ([IN_ORLEN, ORLEN], False),
    ([IN_ORLEN, IN_ORLEN, MR_ORLEN], True),
    ([IN_ORLEN, IN_ORLEN, MR_ORLEN, MR_ORLEN], False),
    ([IN_ORLEN, IN_ORLEN, SAID_ORLEN, SAID_ORLEN], False),
    ([IN_ORLEN, IN_ORLEN, IN_ORLEN, MR_ORLEN, MR_ORLEN, MR_ORLEN], False),
])
def test_only_two_prepositions_of_place_more_than_person_cues_make_a_place_strongly(
        sentences: list[str], expected: bool) -> None:
    c = cluster(sentences, "Orlen", ["PERSON"] * len(sentences))
    assert strongly_a_place(c) is expected


@pytest.mark.parametrize(("labels", "expected"), [
    (["GPE", "PERSON"], "places"),
    (["ORG", "PERSON"], "organizations"),
    (["GPE", "ORG"], "places"),
    (["PERSON", "PERSON", "GPE"], "people"),
    (["DATE", "PERSON"], "other"),
])
def test_a_tie_with_people_goes_to_the_other_side(labels: list[str], expected: str) -> None:
    assert decide_group(cluster([ORLEN] * len(labels), "Orlen", labels)) == expected


# --------------------------------------------------------------- acronyms and headlines


@pytest.mark.parametrize(("text", "expected"), [
    ("the first line\nthe second line\nROE WINS", "people"),
    ("FIRST NEWS\nVotes for ROE came in\nLATER", "organizations"),
    ("RESULTS\na) ROE WINS THE SEAT", "organizations"),
    ("a" + " " * 200 + "ROE WINS", "people"),  # 200 characters back: not the same headline
    ("ROE WINS\nthe count\nended late", "people"),
    ("ROE" + " W" * 120 + " late\nEND", "people"),
    ("ROE" + " " * 197 + "and more", "people"),  # 200 characters on
])
def test_an_acronym_the_model_calls_a_person_is_one_only_in_a_capitals_line(
        text: str, expected: str) -> None:
    assert voted(text, ("ROE", "PERSON")) == [(expected, 1.0, "")]


def test_a_place_acronym_on_a_mixed_case_line_stays_a_place() -> None:
    assert voted("They flew to VASK today.", ("VASK", "GPE")) == [("places", 1.0, "")]


# --------------------------------------------------------------- roles, families, rulers


@pytest.mark.parametrize(("text", "surface", "label", "expected"), [
    ("director Orlen Vey declined.", "Orlen Vey", "ORG", ("people", 3.0, "title")),
    ("director\n" + " " * 24 + "Orlen Vey declined.", "Orlen Vey", "ORG",
     ("organizations", 1.0, "")),  # 33 characters back
    ("spokesman Orlen Vey declined.", "Orlen Vey", "PERSON", ("people", 1.0, "")),
    ("Then Orlen’s wife came.", "Orlen", "ORG", ("people", 3.0, "title")),
    ("Then Orlen Vey’s wife came.", "Orlen Vey", "ORG", ("organizations", 1.0, "")),
    ("Then Orlen’s wife came.", "Orlen", "GPE", ("places", 1.0, "")),
    ("Then Orlen’s" + " " * 35 + "wife came.", "Orlen", "ORG", ("organizations", 1.0, "")),
    ("the Vasko government fell.", "Vasko", "ORG", ("people", 3.0, "title")),
    ("They sued the Vasko today.", "Vasko", "ORG", ("organizations", 1.0, "")),
    ("So the\n" + " " * 5 + "Vasko government fell.", "Vasko", "ORG",
     ("organizations", 1.0, "")),  # "the" 9 characters back
])
def test_a_role_before_or_a_family_or_ruler_after_makes_a_person(
        text: str, surface: str, label: str, expected: Vote) -> None:
    assert voted(text, (surface, label)) == [expected]


def test_a_date_before_a_name_does_not_stop_the_votes() -> None:
    text = "On Monday they lived in Orlen."
    assert voted(text, ("Monday", "DATE"), ("Orlen", "PERSON")) == [
        ("other", 1.0, ""), ("places", 2.0, "place")]


def test_a_nationality_after_in_stays_other() -> None:
    assert voted("Life in Keltish towns was hard.", ("Keltish", "NORP")) == [("other", 1.0, "")]


# --------------------------------------------------------------- a place within a place


@pytest.mark.parametrize("label", ["GPE", "LOC"])
def test_a_one_word_name_before_in_and_a_place_is_a_place_within_it(label: str) -> None:
    assert voted("Orlen in Vasshire was quiet.", ("Orlen", "PERSON"), ("Vasshire", label)) == [
        ("places", 2.0, "place"), ("places", 2.0, "place")]


@pytest.mark.parametrize(("text", "surface", "expected"), [
    ("Orlen Vey in Vasshire was quiet.", "Orlen Vey", ("people", 1.0, "")),
    ("Mr. Orlen in Vasshire was quiet.", "Orlen", ("people", 3.0, "title")),
])
def test_a_full_name_or_a_titled_name_before_in_a_place_is_not_a_place(
        text: str, surface: str, expected: Vote) -> None:
    assert voted(text, (surface, "PERSON"), ("Vasshire", "GPE"))[0] == expected


# --------------------------------------------------------------- lists


def votes_of(text: str, *tagged: tuple[str, str]) -> list[str]:
    return [vote for vote, _, _ in voted(text, *tagged)]


def test_the_odd_item_of_a_list_takes_the_lists_group() -> None:
    assert votes_of("Orlen, Brisk and Tamsin were flooded.",
                    ("Orlen", "GPE"), ("Brisk", "GPE"), ("Tamsin", "PERSON")) == [
        "places", "places", "places"]


@pytest.mark.parametrize(("text", "tagged", "expected"), [
    ("Orlen, Brisk, Vasish and Tamsin were there.",
     [("Orlen", "GPE"), ("Brisk", "GPE"), ("Vasish", "NORP"), ("Tamsin", "PERSON")],
     ["places", "places", "other", "people"]),  # a nationality in the list: no majority
    ("Orlen, Brisk, Tamsin and Vey were there.",
     [("Orlen", "GPE"), ("Brisk", "GPE"), ("Tamsin", "PERSON"), ("Vey", "PERSON")],
     ["places", "places", "people", "people"]),  # a tie
    ("Orlen and Brisk, Tamsin were there.",
     [("Orlen", "GPE"), ("Brisk", "GPE"), ("Tamsin", "PERSON")],
     ["places", "places", "people"]),  # the list ended at "and"
    ("Orlen, Brisk and Vey were there.",
     [("Orlen", "GPE"), ("Brisk", "GPE"), ("Vey", "GPE")],
     ["places", "places", "places"]),
])
def test_a_list_without_a_clear_majority_changes_nothing(
        text: str, tagged: list[tuple[str, str]], expected: list[str]) -> None:
    assert votes_of(text, *tagged) == expected


def test_an_item_after_from_takes_the_lists_group_but_a_titled_one_does_not() -> None:
    assert voted("Letters from Tamsin, Orlen and Brisk came.",
                 ("Tamsin", "PERSON"), ("Orlen", "GPE"), ("Brisk", "GPE"))[0] == (
        "places", 1.0, "near")
    assert voted("Mr. Tamsin, Orlen and Brisk came.",
                 ("Tamsin", "PERSON"), ("Orlen", "GPE"), ("Brisk", "GPE"))[0] == (
        "people", 3.0, "title")


# --------------------------------------------------------------- surnames of titled people


def surname_votes(text: str, *tagged: tuple[str, str]) -> list[tuple[str, float]]:
    """(vote, weight) of the later mentions (each the last of its surface) once the titled
    surname of the first one has had its say."""
    spans = [span(text, nth(text, surface, label, text.count(surface) - 1 if i else 0))
             for i, (surface, label) in enumerate(tagged)]
    vote_by_context(spans, text)
    clusters: dict[str, Cluster] = {}
    for sp in spans:
        clusters.setdefault(sp.cluster_key, Cluster(sp.cluster_key)).add(sp)
    surname_evidence(clusters)
    return [(sp.vote, sp.weight) for sp in spans[1:]]


@pytest.mark.parametrize(("sentence", "surface", "label", "expected"), [
    ("Ilse Harlow left.", "Ilse Harlow", "GPE", ("people", 3.0)),
    ("Ilse Harlow left.", "Ilse Harlow", "ORG", ("people", 3.0)),
    ("Ilse Mara Harlow left.", "Ilse Mara Harlow", "GPE", ("people", 3.0)),
    ("Ilse Marrow left.", "Ilse Marrow", "GPE", ("places", 1.0)),
    ("Then Harlow left.", "Harlow", "GPE", ("places", 1.0)),
    ("The Bank of Harlow shut.", "Bank of Harlow", "ORG", ("organizations", 5.0)),
    ("The Upper Harlow folk sang.", "Upper Harlow", "NORP", ("other", 1.0)),
])
def test_a_full_name_ending_in_a_titled_surname_is_a_person(
        sentence: str, surface: str, label: str, expected: tuple[str, float]) -> None:
    text = "Mr. Harlow came. " + sentence
    assert surname_votes(text, ("Harlow", "PERSON"), (surface, label)) == [expected]


def test_without_a_titled_surname_a_full_name_keeps_its_vote() -> None:
    text = "Ilse Harlow left."
    spans = [span(text, nth(text, "Ilse Harlow", "GPE"))]
    c = Cluster("ilse harlow")
    c.add(spans[0])
    surname_evidence({c.key: c})
    assert (spans[0].vote, spans[0].weight) == ("places", 1.0)


# --------------------------------------------------------------- the company a name keeps


def groups(text: str, *tagged: tuple[str, str]) -> dict[str, str]:
    mentions = [m for surface, label in tagged for m in every(text, surface, label)]
    return {name: e.group for name, e in panel(text, mentions).items()}


DANCED = "Ysolde Marr and {0} danced. Ysolde Marr and {0} sang."


@pytest.mark.parametrize(("alone", "expected"), [(4, "people"), (5, "places")])
def test_a_name_said_beside_people_twice_and_in_a_third_of_its_mentions_is_a_person(
        alone: int, expected: str) -> None:
    text = DANCED.format("Ottilie") + " Ottilie was cold." * alone
    assert groups(text, ("Ysolde Marr", "PERSON"), ("Ottilie", "GPE")) == {
        "Ysolde Marr": "people", "Ottilie": expected}


@pytest.mark.parametrize(("text", "tagged", "expected"), [
    (DANCED.format("Ottilie Brisk"), [("Ysolde Marr", "PERSON"), ("Ottilie Brisk", "GPE")],
     {"Ysolde Marr": "people", "Ottilie Brisk": "places"}),
    (DANCED.format("Vasish"), [("Ysolde Marr", "PERSON"), ("Vasish", "NORP")],
     {"Ysolde Marr": "people", "Vasish": "other"}),
    ("Ottilie and Vasish danced. Ottilie and Vasish sang.",
     [("Ottilie", "GPE"), ("Vasish", "NORP")], {"Ottilie": "places", "Vasish": "other"}),
    ("They lived in Kade. " + DANCED.format("Kade"), [("Ysolde Marr", "PERSON"), ("Kade", "GPE")],
     {"Kade": "places", "Ysolde Marr": "people"}),
    ("The chairman Kade spoke. Vasko Group and Kade agreed. Brint Group and Kade signed.",
     [("Kade", "ORG"), ("Vasko Group", "ORG"), ("Brint Group", "ORG")],
     {"Kade": "people", "Vasko Group": "organizations", "Brint Group": "organizations"}),
])
def test_a_full_name_a_nationality_or_a_name_its_own_words_decide_ignores_its_company(
        text: str, tagged: list[tuple[str, str]], expected: dict[str, str]) -> None:
    assert groups(text, *tagged) == expected
