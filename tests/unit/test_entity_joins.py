"""How the clusters of one name become one row (reader/entities/merge.py) and what a
mention and a cluster start with (reader/entities/spans.py).

The joins are rules with a clear contract (which short name goes into which long one), so
most tests here build the clusters by hand, as ``resolve`` would hand them over after
voting, and call one step of the merge on them. Invented names and texts only.
"""

from __future__ import annotations

import re

import pytest

from reader.entities.merge import (
    _Coverage,
    _join_name_parts,
    _join_short_forms,
    _whole_words,
    add_acronym_mentions,
    add_surname_mentions,
    merge_clusters,
)
from reader.entities.spans import Cluster, Span
from reader.entities.structure import Regions

# A name as resolve hands it to the merge: (surface, model label, decided group, cue).
Spec = tuple[str, str, str] | tuple[str, str, str, str]

NO_SKIP = Regions([])  # no captions or the like in these texts


def clusters_of(*specs: Spec) -> tuple[str, list[Cluster]]:
    """One cluster per name, each name written once in a made-up text, in this order."""
    text = ". ".join(s[0] for s in specs) + "."
    out: list[Cluster] = []
    at = 0
    for spec in specs:
        surface, label, group = spec[0], spec[1], spec[2]
        sp = Span(text, at, at + len(surface), label)
        sp.cue = spec[3] if len(spec) == 4 else ""
        c = Cluster(sp.cluster_key)
        c.add(sp)
        c.group = group
        out.append(c)
        at += len(surface) + 2
    return text, out


def joins(clusters: list[Cluster]) -> dict[str, str]:
    """name -> the name of the row it went into, for every cluster that was joined."""
    return {c.name: c.root().name for c in clusters if c.root() is not c}


def short_form_joins(*specs: Spec) -> dict[str, str]:
    _, names = clusters_of(*specs)
    _join_short_forms(names)
    return joins(names)


def name_part_joins(*specs: Spec) -> dict[str, str]:
    _, names = clusters_of(*specs)
    _join_name_parts(names, {c.key: c for c in names})
    return joins(names)


def merged(definitions: list[tuple[str, str]], *specs: Spec) -> dict[str, str]:
    text, names = clusters_of(*specs)
    merge_clusters({c.key: c for c in names}, definitions, text)
    return joins(names)


# --------------------------------------------------------------------------- whole words

WHOLE_WORDS = [
    # (case, text, word, starts)
    ("every occurrence, in order", "Ada and Ada", "Ada", [0, 8]),
    ("three in a row", "Ada Ada Ada", "Ada", [0, 4, 8]),
    ("the whole text", "Ada", "Ada", [0]),
    ("after a letter", "xAda Ada", "Ada", [5]),
    ("after a dot", "x.Ada Ada", "Ada", [6]),
    ("after an underscore", "_Ada Ada", "Ada", [5]),
    ("before a letter", "Adam Ada", "Ada", [5]),
    ("before an underscore", "Ada_x Ada", "Ada", [6]),
    ("before a dot or a hyphen", "Ada. Ada-led", "Ada", [0, 5]),
]


@pytest.mark.parametrize(("case", "text", "word", "starts"), WHOLE_WORDS,
                         ids=[c[0] for c in WHOLE_WORDS])
def test_a_name_is_found_only_as_a_whole_word(case: str, text: str, word: str,
                                              starts: list[int]) -> None:
    assert list(_whole_words(text, word)) == starts


COVERAGE = [
    # (a, b, covered by the spans 10-15 and 20-25)
    (5, 10, False),  # ends where a span starts
    (5, 11, True),  # its last character is a span's first
    (15, 18, False),  # starts where a span ends
    (14, 16, True),
    (0, 3, False),
    (24, 30, True),
    (25, 30, False),
]


@pytest.mark.parametrize(("a", "b", "covered"), COVERAGE)
def test_a_place_is_covered_only_where_it_overlaps_a_mention(a: int, b: int,
                                                              covered: bool) -> None:
    text = "x" * 40
    cover = _Coverage([Span(text, 10, 15, "ORG"), Span(text, 20, 25, "ORG")])
    assert cover(a, b) is covered


# --------------------------------------------------------------------------- acronym mentions


def spans_in(text: str, *pairs: tuple[str, str, int]) -> list[Span]:
    """(surface, label, nth occurrence) as the model's spans, sorted."""
    out = []
    for surface, label, n in pairs:
        s = [m.start() for m in re.finditer(re.escape(surface), text)][n]
        out.append(Span(text, s, s + len(surface), label))
    return sorted(out, key=lambda sp: sp.start)


def shown(text: str, spans: list[Span]) -> list[tuple[str, int, str, bool]]:
    return [(text[sp.start : sp.end], sp.start, sp.label, sp.added) for sp in spans]


def test_an_acronym_is_marked_where_the_model_missed_it_with_its_long_forms_label() -> None:
    text = "Orla Fenwick Brandt (OFB) came. OFB spoke. Later OFB left, OFBs too."
    spans = spans_in(text, ("Orla Fenwick Brandt", "PERSON", 0), ("OFB", "PERSON", 2))
    out = add_acronym_mentions(spans, [("OFB", "orla fenwick brandt")], text, NO_SKIP)
    assert shown(text, out) == [
        ("Orla Fenwick Brandt", 0, "PERSON", False),
        ("OFB", 21, "PERSON", True),
        ("OFB", 32, "PERSON", True),
        ("OFB", 49, "PERSON", False),
    ]


def test_an_acronym_of_something_that_is_no_name_is_marked_as_an_organisation() -> None:
    text = "The Harvest Lantern Festival (HLF) opened. HLF tickets sold out."
    spans = spans_in(text, ("Harvest Lantern Festival", "EVENT", 0))
    out = add_acronym_mentions(spans, [("HLF", "harvest lantern festival")], text, NO_SKIP)
    assert shown(text, out) == [
        ("Harvest Lantern Festival", 4, "EVENT", False),
        ("HLF", 30, "ORG", True),
        ("HLF", 43, "ORG", True),
    ]


def test_two_spellings_of_one_acronym_mark_a_place_once() -> None:
    text = "Kestrel Rail Board (K.R.B.) trains ran. The K.R.B. said so."
    spans = spans_in(text, ("Kestrel Rail Board", "ORG", 0))
    definitions = [("K.R.B.", "kestrel rail board"), ("K.R.B", "kestrel rail board")]
    out = add_acronym_mentions(spans, definitions, text, NO_SKIP)
    assert shown(text, out) == [
        ("Kestrel Rail Board", 0, "ORG", False),
        ("K.R.B.", 20, "ORG", True),
        ("K.R.B.", 44, "ORG", True),
    ]


# --------------------------------------------------------------------------- surname mentions


def surname_marks(text: str, *names: tuple[str, str, str]) -> list[tuple[str, int, str, bool]]:
    """The mentions add_surname_mentions adds, for the model's (surface, label, group)
    found at every occurrence: (surface, start, group of its row, added)."""
    spans = spans_in(text, *((s, label, n) for s, label, _ in names
                             for n in range(len(re.findall(re.escape(s), text)))))
    clusters: dict[str, Cluster] = {}
    for sp in spans:
        clusters.setdefault(sp.key, Cluster(sp.key)).add(sp)
    for s, _, group in names:
        clusters[s.casefold()].group = group
    add_surname_mentions(clusters, spans, text, NO_SKIP)
    return sorted((text[sp.start : sp.end], sp.start, c.group, sp.added)
                  for c in clusters.values() for sp in c.spans if sp.added)


def test_a_full_names_short_surname_is_marked_where_the_model_missed_it() -> None:
    text = "Tamsin Orr came in. Orr sat down; later Orr left."
    assert surname_marks(text, ("Tamsin Orr", "PERSON", "people")) == [
        ("Orr", 20, "people", True), ("Orr", 40, "people", True)]


def test_the_surname_of_a_three_word_name_is_its_last_word() -> None:
    text = "Tamsin Ada Orr came in. Ada smiled and Orr sat down."
    assert surname_marks(text, ("Tamsin Ada Orr", "PERSON", "people")) == [
        ("Orr", 39, "people", True)]


@pytest.mark.parametrize(("surname", "at"), [("Vell-Orrin", 27), ("O'Dell", 23)])
def test_a_hyphenated_or_apostrophe_surname_is_marked(surname: str, at: int) -> None:
    text = f"Tamsin {surname} came in. {surname} sat down."
    assert surname_marks(text, (f"Tamsin {surname}", "PERSON", "people")) == [
        (surname, at, "people", True)]


NOT_MARKED = [
    # (case, text, names): no surname mention is added
    ("an organisation's last word", "Harrow Foundry opened. Foundry staff left.",
     [("Harrow Foundry", "ORG", "organizations")]),
    ("a one-word name", "Brisco came. Later Brisco left.", [("Brisco", "PERSON", "people")]),
    ("a surname two people share", "Tamsin Vell and Orrin Vell came. Vell left.",
     [("Tamsin Vell", "PERSON", "people"), ("Orrin Vell", "PERSON", "people")]),
    ("a two-letter surname", "Tamsin Ng came. Ng left.", [("Tamsin Ng", "PERSON", "people")]),
    ("before a hyphen", "Tamsin Vell came in a Vell-style hat.",
     [("Tamsin Vell", "PERSON", "people")]),
    ("after a hyphen", "Tamsin Vell came. Lin-Vell left.", [("Tamsin Vell", "PERSON", "people")]),
    ("after a hyphen that starts the text", "-Vell left. Tamsin Vell came.",
     [("Tamsin Vell", "PERSON", "people")]),
    ("a capitalised word after it", "Tamsin Vell lives at Vell Street now.",
     [("Tamsin Vell", "PERSON", "people")]),
    ("a capitalised word before it, first in the text", "Marta Vell rang. Tamsin Vell came.",
     [("Tamsin Vell", "PERSON", "people")]),
]


@pytest.mark.parametrize(("case", "text", "names"), NOT_MARKED, ids=[c[0] for c in NOT_MARKED])
def test_a_word_that_is_no_lone_surname_is_not_marked(
        case: str, text: str, names: list[tuple[str, str, str]]) -> None:
    assert surname_marks(text, *names) == []


def test_a_surname_that_is_also_an_ordinary_word_is_not_marked_but_the_others_are() -> None:
    text = "Tamsin Ward met Orrin Yale on the ward. Ward left; Yale stayed."
    names = (("Tamsin Ward", "PERSON", "people"), ("Orrin Yale", "PERSON", "people"))
    assert surname_marks(text, *names) == [("Yale", 51, "people", True)]


def test_a_surname_inside_a_longer_name_does_not_stop_the_next_mention() -> None:
    text = "Tamsin Vell lives at Vell Street. Vell was out."
    assert surname_marks(text, ("Tamsin Vell", "PERSON", "people")) == [
        ("Vell", 34, "people", True)]


def test_a_surname_first_in_a_text_that_ends_in_a_quote_is_marked() -> None:
    text = "Vell came first. ‘Tamsin Vell,’ they said, ‘is here’"
    assert surname_marks(text, ("Tamsin Vell", "PERSON", "people")) == [
        ("Vell", 0, "people", True)]


def test_a_capitalised_word_more_than_24_characters_back_does_not_hide_a_surname() -> None:
    text = "Marta" + " " * 20 + "Vell rang. Tamsin Vell came."
    assert surname_marks(text, ("Tamsin Vell", "PERSON", "people")) == [
        ("Vell", 25, "people", True)]


def test_a_missed_surname_joins_the_row_of_the_surname_the_model_found() -> None:
    text = "Tamsin Vell came. Vell sat. Vell left."
    spans = spans_in(text, ("Tamsin Vell", "PERSON", 0), ("Vell", "PERSON", 1))
    clusters: dict[str, Cluster] = {}
    for sp in spans:
        clusters.setdefault(sp.key, Cluster(sp.key)).add(sp)
        clusters[sp.key].group = "people"
    add_surname_mentions(clusters, spans, text, NO_SKIP)
    assert [(sp.start, sp.added) for sp in clusters["vell"].spans] == [(18, False), (28, True)]


# --------------------------------------------------------------------------- acronyms joined


def test_a_defined_acronym_whose_long_form_is_no_name_stays_alone() -> None:
    assert merged([("KRB", "kestrel rail board")], ("KRB", "ORG", "organizations")) == {}


def test_a_dotted_acronym_joins_the_name_its_letters_start() -> None:
    assert merged([], ("K.R.B.", "ORG", "organizations"),
                  ("Kestrel Rail Board", "ORG", "organizations")) == {
        "K.R.B.": "Kestrel Rail Board"}


def test_a_defined_acronym_is_not_moved_to_another_name_its_letters_fit() -> None:
    rows = merged([("KRB", "kestrel bus company")], ("KRB", "ORG", "organizations"),
                  ("Kestrel Bus Company", "ORG", "organizations"),
                  ("Kestrel Rail Board", "ORG", "organizations"))
    assert rows == {"KRB": "Kestrel Bus Company"}


def test_an_organisations_acronym_never_joins_a_persons_initials() -> None:
    assert merged([], ("KRB", "ORG", "organizations"), ("Kara Rhys Bell", "PERSON", "people")) == {}


def test_a_persons_initials_join_the_name_even_when_the_model_called_it_an_organisation() -> None:
    assert merged([], ("TVB", "PERSON", "people"),
                  ("Tamsin Vell Brand", "ORG", "organizations")) == {"TVB": "Tamsin Vell Brand"}


def test_a_persons_initials_never_join_a_name_of_the_other_group() -> None:
    assert merged([], ("TVB", "PERSON", "people"), ("Tamsin Vell Brand", "NORP", "other")) == {}


# --------------------------------------------------------------------------- name parts


def test_a_surname_does_not_join_an_organisation_that_ends_in_it() -> None:
    assert name_part_joins(("Harrow Vell", "ORG", "organizations"),
                           ("Vell", "PERSON", "people")) == {}


@pytest.mark.parametrize(("part", "full"), [
    ("Orrin", "Orrin III"),  # a given name before a suffix
    ("Vell", "Tamsin Vell Jr"),  # the surname before a suffix
    ("Tamsin", "Tamsin Vell"),
    ("Tamsin Ada", "Tamsin Ada Vell"),  # two given names
    ("Ada Vell", "Tamsin Ada Vell"),
])
def test_a_part_of_a_persons_name_joins_that_person(part: str, full: str) -> None:
    assert name_part_joins((full, "PERSON", "people"), (part, "PERSON", "people")) == {part: full}


@pytest.mark.parametrize(("case", "full", "part"), [
    ("an organisation word", "Orrin Board", ("Board", "PERSON", "people")),
    ("an acronym", "Ada Vell", ("VELL", "ORG", "organizations")),
    ("no name's group", "Tamsin Vell", ("Vell", "NORP", "other")),
    ("a given name of a place", "Tamsin Vell", ("Tamsin", "GPE", "places")),
    ("a father, beside his son", "Tamsin Vell Jr", ("Tamsin Vell", "PERSON", "people")),
])
def test_a_part_of_a_name_that_is_not_the_persons_stays_its_own_row(
        case: str, full: str, part: tuple[str, str, str]) -> None:
    assert name_part_joins((full, "PERSON", "people"), part) == {}


def test_parts_of_names_left_alone_or_joined_do_not_stop_the_next_from_joining() -> None:
    rows = name_part_joins(("Orrin Board", "PERSON", "people"), ("Board", "PERSON", "people"),
                           ("Tamsin Vell", "PERSON", "people"), ("Ada Vell", "PERSON", "people"),
                           ("Vell", "PERSON", "people"), ("Tamsin", "PERSON", "people"),
                           ("Ada", "PERSON", "people"))
    assert rows == {"Tamsin": "Tamsin Vell", "Ada": "Ada Vell"}


def test_the_mentions_of_a_place_name_taken_for_a_person_go_to_that_person() -> None:
    text = "Mika Jordan came. In Jordan, in Jordan, in Jordan. Jordan said no."
    spans = spans_in(text, ("Mika Jordan", "PERSON", 0), *(("Jordan", "GPE", n) for n in (1, 2, 3)),
                     ("Jordan", "PERSON", 4))
    person, place = Cluster("mika jordan"), Cluster("jordan")
    person.group, place.group = "people", "places"
    person.add(spans[0])
    for sp in spans[1:]:
        sp.cue = "place" if sp.label == "GPE" else ""
        place.add(sp)
    clusters = {"mika jordan": person, "jordan": place}
    _join_name_parts([person, place], clusters)
    assert sorted((c.name, c.group, c.root().name, [sp.start for sp in c.spans])
                  for c in clusters.values()) == [
        ("Jordan", "people", "Mika Jordan", [51]),
        ("Jordan", "places", "Jordan", [21, 32, 43]),
        ("Mika Jordan", "people", "Mika Jordan", [0]),
    ]


# --------------------------------------------------------------------------- short forms


def test_a_company_short_name_joins_the_company_not_a_longer_name_it_starts() -> None:
    assert short_form_joins(("Acme", "ORG", "organizations"),
                            ("Acme Holdings", "ORG", "organizations"),
                            ("Acme Research Institute", "ORG", "organizations")) == {
        "Acme": "Acme Holdings"}


def test_a_name_said_as_a_persons_joins_the_company_it_shortens() -> None:
    assert short_form_joins(("Acme", "PERSON", "people", "speech"),
                            ("Acme Co.", "ORG", "organizations")) == {"Acme": "Acme Co."}


def test_short_forms_of_a_company_and_of_a_place_both_join() -> None:
    rows = short_form_joins(("Acme", "ORG", "organizations"),
                            ("Acme Holdings", "ORG", "organizations"),
                            ("Orlen", "GPE", "places", "place"), ("Orlen Heights", "GPE", "places"))
    assert rows == {"Acme": "Acme Holdings", "Orlen": "Orlen Heights"}


def test_a_name_of_no_group_never_joins_and_does_not_stop_the_others() -> None:
    rows = short_form_joins(("Acme", "NORP", "other"), ("Acme Holdings", "ORG", "organizations"),
                            ("Orlen", "GPE", "places", "place"), ("Orlen Heights", "GPE", "places"))
    assert rows == {"Orlen": "Orlen Heights"}


def test_a_persons_name_never_joins_a_place_and_does_not_stop_the_others() -> None:
    rows = short_form_joins(("Kestrel", "PERSON", "people", "speech"),
                            ("Kestrel County", "GPE", "places"),
                            ("Orlen", "GPE", "places", "place"), ("Orlen Heights", "GPE", "places"))
    assert rows == {"Orlen": "Orlen Heights"}


def test_a_two_word_short_form_joins_the_longer_name_of_its_group() -> None:
    assert short_form_joins(("Meridian Trust", "ORG", "organizations", "head"),
                            ("Meridian Trust Fund", "ORG", "organizations")) == {
        "Meridian Trust": "Meridian Trust Fund"}


def test_a_name_nothing_else_is_said_of_joins_the_place_its_name_starts() -> None:
    assert short_form_joins(("Kestrel", "PERSON", "people"),
                            ("Kestrel County", "GPE", "places")) == {"Kestrel": "Kestrel County"}


def test_an_organisation_short_name_does_not_join_a_place_without_a_place_word() -> None:
    assert short_form_joins(("Orlen", "ORG", "organizations", "head"),
                            ("Orlen Heights", "GPE", "places")) == {}


def test_a_name_nothing_else_is_said_of_joins_the_organisation_its_name_starts() -> None:
    assert short_form_joins(("Corvane", "PERSON", "people"),
                            ("Corvane Space Flight Center", "ORG", "organizations")) == {
        "Corvane": "Corvane Space Flight Center"}


@pytest.mark.parametrize("cue", ["title", "speech", "place", "head"])
def test_a_name_the_words_around_call_a_person_or_place_does_not_join_an_organisation(
        cue: str) -> None:
    assert short_form_joins(("Corvane", "PERSON", "people", cue),
                            ("Corvane Space Flight Center", "ORG", "organizations")) == {}


def test_a_place_the_model_tagged_as_a_location_does_not_join_an_organisation() -> None:
    assert short_form_joins(("Corvane", "LOC", "places"),
                            ("Corvane Space Flight Center", "ORG", "organizations")) == {}


# --------------------------------------------------------------------------- spans and clusters


def test_a_new_mention_votes_for_its_labels_group_with_weight_one_and_no_cue() -> None:
    text = "Orla met the Vell Trust at the Fair."
    fields = [(sp.name, sp.key, sp.vote, sp.weight, sp.cue, sp.added, sp.title, sp.title_text)
              for sp in (Span(text, 9, 23, "ORG"), Span(text, 31, 35, "EVENT", added=True))]
    assert fields == [("the Vell Trust", "the vell trust", "organizations", 1.0, "", False, "", ""),
                      ("Fair", "fair", "other", 1.0, "", True, "", "")]


def test_a_new_cluster_is_of_no_group_until_decided_and_joins_its_row() -> None:
    row, part = Cluster("tamsin vell"), Cluster("mr\x01vell")
    assert (part.title, part.base, part.group, part.parent, part.children) == (
        "mr", "vell", "other", None, [])
    part.join_to(row)
    assert (part.root(), row.children) == (row, [part])


@pytest.mark.parametrize(("short", "alias", "longer"), [
    (("Kestrel", "GPE", "places", "place"), ("Kestrel Vale", "GPE", "places"),
     ("Kestrel County", "GPE", "places")),
    (("Acme", "PERSON", "people", "speech"), ("Acme Holdings", "ORG", "organizations"),
     ("Acme Ltd", "ORG", "organizations")),
])
def test_a_short_form_with_a_longer_alias_still_joins_the_one_longer_name_it_starts(
        short: Spec, alias: Spec, longer: Spec) -> None:
    # "Kestrel, also known as “Kestrel Vale”": the alias is already in Kestrel's row
    _, names = clusters_of(short, alias, longer)
    names[1].join_to(names[0])
    _join_short_forms(names)
    assert joins(names) == {names[0].name: longer[0], alias[0]: longer[0]}
