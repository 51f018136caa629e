"""Entity rows: normalisation, merging and voting, on invented names and texts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.entities import GROUPS, Entity, Mention, entity_to_json, group_of, resolve


def mark(text: str, *spans: tuple[str, str] | tuple[str, str, int]) -> list[Mention]:
    """Mentions for (surface, label[, nth occurrence]) in ``text``."""
    out = []
    for span in spans:
        surface, label = span[0], span[1]
        nth = span[2] if len(span) == 3 else 0
        starts = [m.start() for m in re.finditer(re.escape(surface), text)]
        s = starts[nth]
        out.append(Mention(s, s + len(surface), surface, label))
    return out


def rows(text: str, *spans: tuple[str, str] | tuple[str, str, int]) -> list[Entity]:
    ents = resolve(mark(text, *spans), text)
    for e in ents:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text
    return ents


def row(ents: list[Entity], name: str) -> Entity:
    found = [e for e in ents if e.name == name]
    assert len(found) == 1, [(e.name, e.group, e.aliases) for e in ents]
    return found[0]


def names(ents: list[Entity], group: str) -> set[str]:
    return {e.name for e in ents if e.group == group}


# --------------------------------------------------------------------------- normalising

NORMALISE = [
    # (case, text, mentions, expected row name, expected highlighted text)
    ("leading the", "The Northwind Agency said so.", [("The Northwind Agency", "ORG")],
     "Northwind Agency", "Northwind Agency"),
    ("possessive", "It was Jana Roe's idea.", [("Jana Roe's", "PERSON")], "Jana Roe", "Jana Roe"),
    ("curly possessive", "Then Tavel’s plan.", [("Tavel’s", "ORG")], "Tavel", "Tavel"),
    ("line break inside", "join the  \nGreen Valley Party now",
     [("the  \nGreen Valley Party", "ORG")], "Green Valley Party", "Green Valley Party"),
    ("dotted titles", "said Brig. Gen. Oren Vasky today", [("Brig. Gen. Oren Vasky", "PERSON")],
     "Oren Vasky", "Oren Vasky"),
    ("full-word title", "said President Lena Harrow today", [("President Lena Harrow", "PERSON")],
     "Lena Harrow", "Lena Harrow"),
    ("unbalanced bracket", "the budget (Kessler Fund said", [("(Kessler Fund", "ORG")],
     "Kessler Fund", "Kessler Fund"),
    ("leading lowercase word", "to meet Harlow Bank staff", [("meet Harlow Bank", "ORG")],
     "Harlow Bank", "Harlow Bank"),
]


@pytest.mark.parametrize(("case", "text", "spans", "name", "shown"), NORMALISE,
                         ids=[c[0] for c in NORMALISE])
def test_panel_shows_clean_names(case: str, text: str, spans: list[tuple[str, str]],
                                 name: str, shown: str) -> None:
    ents = rows(text, *spans)
    e = row(ents, name)
    assert [m.text for m in e.mentions] == [shown]


DROPPED = [
    ("rank alone", "Brig. Gen. Oren Vasky spoke.", [("Brig", "PERSON"), ("Oren Vasky", "PERSON")]),
    ("lowercase word", "the state will act", [("state", "ORG")]),
    ("title before a name", "President Lena Harrow",
     [("President", "PERSON"), ("Lena Harrow", "PERSON")]),
]


@pytest.mark.parametrize(("case", "text", "spans"), DROPPED, ids=[c[0] for c in DROPPED])
def test_junk_mentions_get_no_row(case: str, text: str, spans: list[tuple[str, str]]) -> None:
    ents = rows(text, *spans)
    assert {e.name for e in ents} <= {"Oren Vasky", "Lena Harrow"}


def test_a_surname_that_is_also_a_title_word_survives_alone() -> None:
    text = "Harold Major spoke first. Major said the vote was lost."
    ents = rows(text, ("Harold Major", "PERSON"), ("Major", "PERSON", 1))
    assert row(ents, "Harold Major").count == 2


def test_owner_of_a_possessive_inside_a_span_gets_the_row() -> None:
    text = "a report by the WXO’s Special Envoy on Tuesday"
    ents = rows(text, ("the WXO’s Special Envoy", "ORG"))
    assert names(ents, "organizations") == {"WXO"}


def test_possessive_that_belongs_to_a_name_is_kept() -> None:
    text = "the Citizens' Forum and the People's Assembly of Tarn"
    ents = rows(text, ("the People's Assembly of Tarn", "ORG"))
    assert names(ents, "organizations") == {"People's Assembly of Tarn"}


# --------------------------------------------------------------------------- merging

MERGE = [
    ("surname into full name",
     "Jana Roe arrived. Later Roe said no. Roe's aides agreed.",
     [("Jana Roe", "PERSON"), ("Roe", "ORG", 1), ("Roe", "PERSON", 2)],
     "people", "Jana Roe", ["Roe"], 3),
    ("two-word surname",
     "Pieter van der Berg wrote. Van der Berg added more.",
     [("Pieter van der Berg", "PERSON"), ("Van der Berg", "PERSON")],
     "people", "Pieter van der Berg", ["Van der Berg"], 2),
    ("acronym after long form, missed mentions found",
     "The Northern Rail Authority (NRA) met. The NRA said so. NRA's staff left.",
     [("The Northern Rail Authority", "ORG"), ("NRA", "PERSON", 1)],
     "organizations", "Northern Rail Authority", ["NRA"], 4),
    ("acronym before long form",
     "KSA (Kestrel Space Agency) launched. KSA said it worked.",
     [("KSA", "ORG"), ("Kestrel Space Agency", "ORG")],
     "organizations", "Kestrel Space Agency", ["KSA"], 3),
    ("acronym inside the model's span",
     "members of the Orbital Safety Board (OSB. The OSB voted.",
     [("the Orbital Safety Board (OSB", "ORG")],
     "organizations", "Orbital Safety Board", ["OSB"], 3),
    ("clipped acronym",
     "the Northern Command (NORTHCOM) said; NORTHCOM agreed",
     [("the Northern Command", "ORG"), ("NORTHCOM", "ORG", 1)],
     "organizations", "Northern Command", ["NORTHCOM"], 3),
    ("short form of one longer name",
     "Amberly International reported. Amberly said more. Amberly agreed.",
     [("Amberly International", "ORG"), ("Amberly", "ORG", 1), ("Amberly", "ORG", 2)],
     "organizations", "Amberly International", ["Amberly"], 3),
    ("company short name whatever the model said",
     "Harbour Point Holdings was fined. Harbour Point said it would pay.",
     [("Harbour Point Holdings", "ORG"), ("Harbour Point", "PERSON", 1)],
     "organizations", "Harbour Point Holdings", ["Harbour Point"], 2),
    ("case variants are one row",
     "TARSIN WINS. Tarsin won the vote.",
     [("TARSIN", "ORG"), ("Tarsin", "ORG")],
     "organizations", "Tarsin", [], 2),
    ("surname the model missed later",
     "chairman Graham Hollet spoke. Hollet said the firm would pay.",
     [("Graham Hollet", "PERSON")],
     "people", "Graham Hollet", ["Hollet"], 2),
]


@pytest.mark.parametrize(("case", "text", "spans", "group", "name", "aliases", "count"), MERGE,
                         ids=[c[0] for c in MERGE])
def test_one_row_per_entity(case: str, text: str, spans: list[tuple[str, str, int]], group: str,
                            name: str, aliases: list[str], count: int) -> None:
    ents = rows(text, *spans)
    e = row(ents, name)
    assert (e.group, e.aliases, e.count) == (group, aliases, count)
    assert [m.start for m in e.mentions] == sorted(m.start for m in e.mentions)


def test_a_place_is_never_merged_into_an_organisation_named_after_it() -> None:
    text = "Corvale is calm. The Corvale Institute said Corvale needs rain."
    ents = rows(text, ("Corvale", "GPE"), ("The Corvale Institute", "ORG"), ("Corvale", "GPE", 2))
    assert row(ents, "Corvale").group == "places"
    assert row(ents, "Corvale Institute").group == "organizations"
    text = "Corvale is calm. Corvale Holdings said Corvale needs rain."
    ents = rows(text, ("Corvale", "GPE"), ("Corvale Holdings", "ORG"), ("Corvale", "GPE", 2))
    assert row(ents, "Corvale").count == 2


def test_a_surname_two_people_share_is_a_family_row_not_merged_into_either() -> None:
    text = "Ana Veld and Bo Veld met. Veld said hello."
    ents = rows(text, ("Ana Veld", "PERSON"), ("Bo Veld", "PERSON"), ("Veld", "PERSON", 2))
    family = row(ents, "Veld family")
    assert (family.group, family.aliases, family.count) == ("people", [], 1)
    assert row(ents, "Ana Veld").count == 1
    assert row(ents, "Bo Veld").count == 1


def test_a_city_is_not_a_persons_surname() -> None:
    text = "Jon Marlow visited. Marlow is a port. They sailed to Marlow."
    ents = rows(text, ("Jon Marlow", "PERSON"), ("Marlow", "GPE", 1), ("Marlow", "GPE", 2))
    assert row(ents, "Marlow").group == "places"


def test_a_surname_that_is_also_a_country_splits_by_sense() -> None:
    text = "Talks in Korvia and Korvia's army. Dana Korvia arrived. Korvia spoke first."
    ents = rows(text, ("Korvia", "GPE"), ("Korvia", "GPE", 1), ("Dana Korvia", "PERSON"),
                ("Korvia", "PERSON", 3))
    place = next(e for e in ents if e.name == "Korvia")
    person = row(ents, "Dana Korvia")
    assert (place.group, place.count) == ("places", 2)
    assert (person.aliases, person.count) == (["Korvia"], 2)


def test_unrelated_bracket_is_not_an_acronym() -> None:
    text = "The Tarn Council (TXQ) met."
    ents = rows(text, ("The Tarn Council", "ORG"))
    assert row(ents, "Tarn Council").aliases == []


# --------------------------------------------------------------------------- voting

VOTE = [
    ("majority of mentions",
     "Tarsin rose. Tarsin fell. Tarsin said. Tarsin again.",
     [("Tarsin", "PERSON"), ("Tarsin", "ORG", 1), ("Tarsin", "ORG", 2), ("Tarsin", "ORG", 3)],
     "Tarsin", "organizations"),
    ("coordinated list",
     "clashes in Varno, Kellet, Dussa and Pirin left many hurt",
     [("Varno", "ORG"), ("Kellet", "PERSON"), ("Dussa", "GPE"), ("Pirin", "GPE")],
     "Kellet", "places"),
    ("organisation word",
     "the Coastal Command said", [("Coastal Command", "PERSON")],
     "Coastal Command", "organizations"),
    ("acronym is not a person",
     "the ministry said WEXCO acted", [("WEXCO", "PERSON")],
     "WEXCO", "organizations"),
    ("NORP naming a party",
     "voters of the Green Valley Party", [("Green Valley Party", "NORP")],
     "Green Valley Party", "organizations"),
    ("NORP nationality",
     "Valdorian officials said", [("Valdorian", "NORP")],
     "Valdorian", "other"),
    ("title before the name",
     "talks with President Okoro ended", [("Okoro", "ORG")],
     "Okoro", "people"),
    ("role noun before the name",
     "said spokesman Tunde Belo on Monday", [("Tunde Belo", "ORG")],
     "Tunde Belo", "people"),
    ("ruler's government",
     "critics of the Okoro government said", [("Okoro", "ORG")],
     "Okoro", "people"),
    ("possessive personal noun",
     "a former aide to Varga’s secretary of state", [("Varga", "ORG")],
     "Varga", "people"),
    ("one-word person after in",
     "fishermen in Nelsby asked for help", [("Nelsby", "PERSON")],
     "Nelsby", "places"),
    ("dates are other",
     "on 4 May 2021 it rained", [("4 May 2021", "DATE")],
     "4 May 2021", "other"),
]


@pytest.mark.parametrize(("case", "text", "spans", "name", "group"), VOTE, ids=[c[0] for c in VOTE])
def test_group_is_decided_by_evidence(case: str, text: str, spans: list[tuple[str, str, int]],
                                      name: str, group: str) -> None:
    assert row(rows(text, *spans), name).group == group


def test_a_surname_inherits_the_group_of_its_full_name() -> None:
    text = "Mira Castellan won. Castellan thanked voters. Castellan's team cheered."
    ents = rows(text, ("Mira Castellan", "PERSON"), ("Castellan", "ORG", 1),
                ("Castellan", "NORP", 2))
    e = row(ents, "Mira Castellan")
    assert (e.group, e.label, e.count) == ("people", "PERSON", 3)
    assert {m.label for m in e.mentions} == {"PERSON"}


def test_a_list_without_a_clear_majority_changes_nothing() -> None:
    text = "from Varno, Kellet and Dussa"
    ents = rows(text, ("Varno", "ORG"), ("Kellet", "PERSON"), ("Dussa", "GPE"))
    assert [row(ents, n).group for n in ("Varno", "Kellet", "Dussa")] == [
        "organizations", "people", "places"]


def test_all_caps_headline_names_stay_people() -> None:
    text = "TENNIS - HARROW BEATS VASKY\nLena Harrow won."
    ents = rows(text, ("HARROW", "PERSON"), ("Lena Harrow", "PERSON"))
    assert row(ents, "Lena Harrow").group == "people"


@pytest.mark.parametrize(("label", "group"), [
    ("PERSON", "people"), ("ORG", "organizations"), ("GPE", "places"), ("LOC", "places"),
    ("FAC", "places"), ("NORP", "other"), ("DATE", "other"), ("MONEY", "other"),
    ("CARDINAL", "other"),
])
def test_group_of_label(label: str, group: str) -> None:
    assert group_of(label) == group


def test_entity_json_has_the_cli_fields() -> None:
    text = "Jana Roe met Roe."
    ent = row(rows(text, ("Jana Roe", "PERSON"), ("Roe", "PERSON", 1)), "Jana Roe")
    assert entity_to_json(ent) == {
        "name": "Jana Roe", "group": "people", "label": "PERSON", "aliases": ["Roe"],
        "count": 2, "mentions": [{"start": 0, "end": 8, "text": "Jana Roe"},
                                 {"start": 13, "end": 16, "text": "Roe"}],
    }
    assert (ent.first, ent.count) == (0, 2)


def test_rows_are_ordered_by_first_mention() -> None:
    text = "Pirin and Jana Roe and Tarsin"
    ents = rows(text, ("Tarsin", "ORG"), ("Pirin", "GPE"), ("Jana Roe", "PERSON"))
    assert [e.name for e in ents] == ["Pirin", "Jana Roe", "Tarsin"]


LABELS = ["PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "DATE", "CARDINAL"]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("Ab Cd.(')’s\nTheUN,and")), min_size=1,
                 max_size=80),
    raw=st.lists(st.tuples(st.integers(0, 80), st.integers(1, 20), st.sampled_from(LABELS)),
                 max_size=8),
)
def test_every_mention_indexes_the_text_exactly(
    text: str, raw: list[tuple[int, int, str]]
) -> None:
    spans: list[Mention] = []
    last = 0
    for s, n, label in sorted(raw):
        s = max(s, last)
        e = min(s + n, len(text))
        if s < e:
            spans.append(Mention(s, e, text[s:e], label))
            last = e
    ents = resolve(spans, text)
    seen: set[tuple[int, int]] = set()
    for ent in ents:
        assert ent.group in GROUPS and ent.mentions
        for m in ent.mentions:
            assert 0 <= m.start < m.end <= len(text)
            assert text[m.start : m.end] == m.text
            assert (m.start, m.end) not in seen
            seen.add((m.start, m.end))


def _found(text: str, *pairs: tuple[str, str]) -> list[Mention]:
    out = []
    for surface, label in pairs:
        at = text.index(surface)
        out.append(Mention(at, at + len(surface), surface, label))
    return sorted(out, key=lambda m: m.start)


def _byline(text: str, line: str) -> list[tuple[int, int]]:
    at = text.index(line)
    return [(at, at + len(line))]


def test_a_byline_names_its_authors_as_people_even_where_the_model_saw_a_place() -> None:
    text = "Water Board Raises Rates\n\nBy Ana Lima\n\nThe board in Denver met.\n"
    mentions = _found(text, ("Lima", "GPE"), ("Denver", "GPE"))
    rows = {e.name: e.group for e in resolve(mentions, text, _byline(text, "By Ana Lima"))}
    assert rows == {"Ana Lima": "people", "Denver": "places"}
    # without the byline's offsets the model's reading stands
    assert {e.name: e.group for e in resolve(mentions, text)}["Lima"] == "places"


def test_a_byline_of_two_authors_gives_two_people_and_a_wire_desk_is_left_alone() -> None:
    text = "Storm\n\nBy Jo Roe and Sam de la Cruz, Reuters Staff\n\nRain fell.\n"
    line = "By Jo Roe and Sam de la Cruz, Reuters Staff"
    mentions = _found(text, ("Jo Roe", "PERSON"), ("Cruz", "GPE"), ("Reuters Staff", "ORG"))
    rows = {e.name: e.group for e in resolve(mentions, text, _byline(text, line))}
    assert rows == {"Jo Roe": "people", "Sam de la Cruz": "people",
                    "Reuters Staff": "organizations"}


def test_analyse_is_resolve_then_the_corrections() -> None:
    from reader.analysis import analyse, article_entities, corrected, mentions_of
    from reader.corrections import make_correction
    from reader.document import parse

    article = parse("A title\n\nAda Lovelace met Charles Babbage in London. Lovelace wrote.\n")
    text = article.text
    spans = [(text.index(n), text.index(n) + len(n), label)
             for n, label in (("Ada Lovelace", "PERSON"), ("Charles Babbage", "PERSON"),
                              ("London", "GPE"))]
    mentions = mentions_of(text, spans)
    assert [m.text for m in mentions] == ["Ada Lovelace", "Charles Babbage", "London"]
    rows = article_entities(article, mentions)
    assert analyse(article, mentions) == rows
    remove = make_correction("remove", "London")
    elsewhere = make_correction("remove", "Charles Babbage", article="0" * 64)
    got = analyse(article, mentions, [remove, elsewhere])
    assert [e.name for e in got] == [e.name for e in rows if e.name != "London"]
    assert corrected(article, rows, [remove, elsewhere]) == got
    assert [e.name for e in rows] == ["Ada Lovelace", "Charles Babbage", "London"]
