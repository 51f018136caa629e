"""Entity corrections applied to rows: each kind, article scope, order, patterns, speed."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from conftest import mentions_in

from reader.corrections import (
    apply_corrections,
    from_patterns,
    make_correction,
    normal_form,
    to_patterns,
)
from reader.entities import Entity, Mention, resolve

TEXT = (
    "Dr. Quillon Varga met the Brightwater Guild in Tessmoor. Varga said the Guild "
    "would stay. Later Varga flew to Tessmoor again, and Ondrel Pike of Marrowgate "
    "Holdings agreed with Quillon. Zephyrine spoke last; Zephyrine was sure."
)
ARTICLE = "a" * 64


def mentions(*pairs: tuple[str, str]) -> list[Mention]:
    """Every occurrence of each surface in TEXT as a mention with the label."""
    return mentions_in(TEXT, *pairs)


def row(name: str, group: str, label: str, *aliases: str) -> Entity:
    ms = mentions(*((n, label) for n in (name, *aliases)))
    ms = [m for m in ms if not any(o is not m and o.start <= m.start and m.end <= o.end
                                   and len(o.text) > len(m.text) for o in ms)]
    return Entity(name, group, label, list(aliases), ms)


def rows() -> list[Entity]:
    """Rows as resolve() makes them, with the model's mistakes: the town as a person,
    the company as a place."""
    out = [row("Quillon Varga", "people", "PERSON", "Varga", "Quillon"),
           row("Brightwater Guild", "organizations", "ORG", "Guild"),
           row("Tessmoor", "people", "PERSON"),
           row("Ondrel Pike", "people", "PERSON"),
           row("Marrowgate Holdings", "places", "GPE")]
    return sorted(out, key=lambda e: e.first)


def by_name(entities: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


def stored(*corrections: dict[str, Any]) -> list[dict[str, Any]]:
    """As the store would hand them back: with ids and increasing creation times."""
    return [dict(c, id=f"c{i}", created=f"2024-01-01T00:00:{i:02d}.000+00:00")
            for i, c in enumerate(corrections)]


def test_the_invented_rows_look_like_the_model_got_them_wrong() -> None:
    got = by_name(rows())
    assert got["Tessmoor"].group == "people" and got["Tessmoor"].count == 2
    assert got["Quillon Varga"].count == 4  # Quillon Varga, Varga x2, Quillon


@pytest.mark.parametrize(("text", "form"), [
    ("Quillon Varga", "quillon varga"),
    ("  Quillon\n Varga ", "quillon varga"),
    ("the Brightwater Guild", "brightwater guild"),
    ("Varga's", "varga"),
    ("Dr. Quillon Varga", "quillon varga"),
    ("General Motorworks", "general motorworks"),  # a full-word title stays on
])
def test_a_name_is_matched_however_it_was_written(text: str, form: str) -> None:
    assert normal_form(text) == form


@pytest.mark.parametrize(("correction", "check"), [
    (make_correction("relabel", "Tessmoor", group="places"),
     lambda r: r["Tessmoor"].group == "places" and r["Tessmoor"].label == "GPE"
     and all(m.label == "GPE" for m in r["Tessmoor"].mentions)),
    (make_correction("relabel", "Marrowgate Holdings", group="organizations"),
     lambda r: r["Marrowgate Holdings"].group == "organizations"),
    (make_correction("relabel", "Varga", group="other"),  # by an alias: the whole row
     lambda r: r["Quillon Varga"].group == "other"),
    (make_correction("remove", "Tessmoor"),
     lambda r: "Tessmoor" not in r),
    (make_correction("remove", "Varga"),  # an alias: out with its mentions, the row stays
     lambda r: "Varga" not in r["Quillon Varga"].aliases and r["Quillon Varga"].count == 2
     and all(m.text != "Varga" for m in r["Quillon Varga"].mentions)),
    (make_correction("merge", "Ondrel Pike", target="Quillon Varga"),
     lambda r: "Ondrel Pike" not in r and "Ondrel Pike" in r["Quillon Varga"].aliases
     and r["Quillon Varga"].count == 5),
    (make_correction("merge", "Ondrel Pike", target="Nobody Here"),  # target absent
     lambda r: r["Ondrel Pike"].count == 1),
    (make_correction("split", "Varga"),
     lambda r: r["Varga"].count == 2 and r["Varga"].group == "people"
     and r["Quillon Varga"].count == 2 and "Varga" not in r["Quillon Varga"].aliases),
    (make_correction("split", "Quillon Varga"),  # a row's own name: nothing to split
     lambda r: r["Quillon Varga"].count == 4),
    (make_correction("add", "Zephyrine", group="people"),
     lambda r: r["Zephyrine"].count == 2 and r["Zephyrine"].group == "people"
     and r["Zephyrine"].label == "PERSON"),
])
def test_each_kind_of_correction_changes_the_panel(correction: dict[str, Any],
                                                    check: Any) -> None:
    before = rows()
    after = apply_corrections(before, stored(correction), TEXT, ARTICLE)
    assert check(by_name(after)), [(e.name, e.group, e.aliases, e.count) for e in after]
    assert [e.first for e in after] == sorted(e.first for e in after)
    assert by_name(before) == by_name(rows())  # the input rows are left as they were


def test_an_added_name_beats_the_model_where_they_overlap() -> None:
    # the model saw "Holdings agreed" as a name; the reader adds "Marrowgate Holdings"
    base = resolve(mentions(("Holdings agreed", "ORG"), ("Tessmoor", "GPE")), TEXT)
    after = by_name(apply_corrections(
        base, stored(make_correction("add", "Marrowgate Holdings", group="organizations")),
        TEXT, ARTICLE))
    assert "Holdings agreed" not in after  # its only mention was taken: the row is gone
    assert after["Marrowgate Holdings"].count == 1
    assert after["Tessmoor"].count == 2


def test_adding_a_name_the_model_found_moves_its_row_to_the_chosen_group() -> None:
    after = by_name(apply_corrections(
        rows(), stored(make_correction("add", "Tessmoor", group="places")), TEXT, ARTICLE))
    assert after["Tessmoor"].group == "places" and after["Tessmoor"].count == 2


def test_an_added_name_is_found_case_sensitively_and_as_whole_words() -> None:
    text = "Mayfield said May may come in May."
    after = apply_corrections([], stored(make_correction("add", "May", group="people")),
                              text, ARTICLE)
    assert [(m.start, m.text) for m in after[0].mentions] == [(14, "May"), (30, "May")]


def test_a_correction_for_one_article_leaves_other_articles_alone() -> None:
    c = make_correction("remove", "Tessmoor", article=ARTICLE)
    assert "Tessmoor" not in by_name(apply_corrections(rows(), stored(c), TEXT, ARTICLE))
    assert "Tessmoor" in by_name(apply_corrections(rows(), stored(c), TEXT, "b" * 64))


def test_corrections_apply_oldest_first_so_the_latest_word_wins() -> None:
    first = make_correction("relabel", "Tessmoor", group="places")
    then = make_correction("relabel", "Tessmoor", group="organizations")
    cs = stored(first, then)
    assert by_name(apply_corrections(rows(), cs, TEXT, ARTICLE))["Tessmoor"].group == (
        "organizations")
    # handed over newest first, they are still applied in creation order
    assert by_name(apply_corrections(rows(), cs[::-1], TEXT, ARTICLE))["Tessmoor"].group == (
        "organizations")
    # a split after a merge undoes it
    merge = make_correction("merge", "Ondrel Pike", target="Quillon Varga")
    split = make_correction("split", "Ondrel Pike")
    after = by_name(apply_corrections(rows(), stored(merge, split), TEXT, ARTICLE))
    assert after["Ondrel Pike"].count == 1 and after["Quillon Varga"].count == 4


@pytest.mark.parametrize(("kind", "kwargs"), [
    ("relabel", {}), ("add", {"group": "animals"}), ("merge", {}), ("frobnicate", {}),
])
def test_a_correction_that_means_nothing_is_refused(kind: str, kwargs: Any) -> None:
    with pytest.raises(ValueError):
        make_correction(kind, "Tessmoor", **kwargs)


def test_patterns_replay_the_corrections_and_skip_one_article_ones() -> None:
    cs = stored(
        make_correction("add", "Zephyrine", group="people"),
        make_correction("relabel", "Tessmoor", group="places"),
        make_correction("add", "Brightwater", group="organizations"),
        make_correction("remove", "Brightwater"),
        make_correction("merge", "Ondrel Pike", target="Quillon Varga"),
        make_correction("relabel", "Varga", group="people", article=ARTICLE),
    )
    assert to_patterns(cs) == [{"label": "PERSON", "pattern": "Zephyrine"},
                               {"label": "GPE", "pattern": "Tessmoor"}]


def test_patterns_read_back_with_the_panel_groups_and_reasons_for_bad_lines() -> None:
    skipped: list[str] = []
    lines = [
        json.dumps({"label": "PERSON", "pattern": "Zephyrine"}),
        json.dumps({"label": "LOC", "pattern": "Grey Fells"}),
        json.dumps({"label": "FAC", "pattern": [{"ORTH": "Tessmoor"}, {"TEXT": "Bridge"}]}),
        json.dumps({"label": "EVENT", "pattern": "Long Thaw", "id": "x"}),
        "",
        "{not json",
        json.dumps({"pattern": "No Label"}),
        json.dumps({"label": "ORG", "pattern": [{"LOWER": "acme"}]}),
        json.dumps(["a list"]),
    ]
    got = from_patterns(lines, skipped)
    assert [(c["kind"], c["surface"], c["group"], c["article"]) for c in got] == [
        ("add", "Zephyrine", "people", None),
        ("add", "Grey Fells", "places", None),
        ("add", "Tessmoor Bridge", "places", None),
        ("add", "Long Thaw", "other", None),
    ]
    assert skipped == [
        "line 6: not JSON (Expecting property name enclosed in double quotes)",
        "line 7: no label",
        "line 8: a token pattern that is not plain words (ORTH or TEXT)",
        "line 9: not a JSON object",
    ]


def test_patterns_after_bad_lines_are_still_read_and_every_bad_line_says_why() -> None:
    skipped: list[str] = []
    lines = [
        "{not json",
        "[" * 100_000 + "]" * 100_000,
        json.dumps(["a list"]),
        json.dumps({"label": " ", "pattern": "Blank Label"}),
        json.dumps({"label": "ORG"}),
        json.dumps({"label": "ORG", "pattern": []}),
        json.dumps({"label": "ORG", "pattern": 5}),
        json.dumps({"label": "ORG", "pattern": [{"LOWER": "acme"}]}),
        json.dumps({"label": "ORG", "pattern": "   "}),
        json.dumps({"label": "PERSON", "pattern": [{"orth": "Jane"}, {"text": "Roe"}]}),
        json.dumps({"label": "GPE", "pattern": [{"ORTH": " "}, {"TEXT": "Fells"}]}),
    ]
    got = from_patterns(lines, skipped)
    assert [(c["surface"], c["group"]) for c in got] == [("Jane Roe", "people")]
    assert skipped == [
        "line 1: not JSON (Expecting property name enclosed in double quotes)",
        "line 2: not JSON (nested too deeply)",
        "line 3: not a JSON object",
        "line 4: no label",
        "line 5: no pattern",
        "line 6: no pattern",
        "line 7: no pattern",
        "line 8: a token pattern that is not plain words (ORTH or TEXT)",
        "line 9: a correction needs a name",
        "line 11: a token pattern that is not plain words (ORTH or TEXT)",
    ]
    assert from_patterns(lines) == got  # without a list for the reasons, the same result


def test_merging_rows_of_two_groups_moves_every_mention_under_the_target_label() -> None:
    # Marrowgate Holdings (as a place) merged into Ondrel Pike: its mention keeps its
    # place in the text and takes the person label.
    before = rows()
    source = by_name(before)["Marrowgate Holdings"]
    after = by_name(apply_corrections(before, stored(
        make_correction("merge", "Marrowgate Holdings", target="Ondrel Pike")), TEXT, ARTICLE))
    pike = after["Ondrel Pike"]
    assert "Marrowgate Holdings" not in after
    assert pike.aliases == ["Marrowgate Holdings"] and pike.label == "PERSON"
    moved = [(m.start, m.end, m.text, m.label) for m in pike.mentions
             if m.text == "Marrowgate Holdings"]
    assert moved == [(m.start, m.end, m.text, "PERSON") for m in source.mentions]
    assert [m.start for m in pike.mentions] == sorted(m.start for m in pike.mentions)
    # Merging a name into a row that already has it as an alias adds no alias twice.
    again = by_name(apply_corrections(before, stored(
        make_correction("merge", "Varga", target="Quillon Varga")), TEXT, ARTICLE))
    assert again["Quillon Varga"].aliases == ["Varga", "Quillon"]


def test_an_added_name_gets_its_own_row_with_every_mention_labelled() -> None:
    after = apply_corrections(rows(), stored(make_correction("add", "Zephyrine",
                                                             group="people")), TEXT, ARTICLE)
    row_ = by_name(after)["Zephyrine"]
    at = [i for i in range(len(TEXT)) if TEXT.startswith("Zephyrine", i)]
    assert (row_.name, row_.group, row_.label, row_.aliases) == (
        "Zephyrine", "people", "PERSON", [])
    assert [(m.start, m.end, m.text, m.label) for m in row_.mentions] == [
        (i, i + 9, "Zephyrine", "PERSON") for i in at]
    # Every other row keeps its label.
    assert {e.name: e.label for e in after if e.name != "Zephyrine"} == {
        e.name: e.label for e in rows()}


def test_relabelling_a_row_relabels_each_of_its_mentions() -> None:
    after = by_name(apply_corrections(rows(), stored(
        make_correction("relabel", "Tessmoor", group="places")), TEXT, ARTICLE))
    t = after["Tessmoor"]
    assert t.label == "GPE" and {m.label for m in t.mentions} == {"GPE"}
    assert [m.text for m in t.mentions] == ["Tessmoor", "Tessmoor"]


def test_exported_patterns_find_the_names_in_a_blank_spacy_pipeline() -> None:
    spacy = pytest.importorskip("spacy")
    cs = stored(make_correction("add", "Zephyrine Oduya", group="people"),
                make_correction("relabel", "Tessmoor", group="places"),
                make_correction("add", "Marrowgate Holdings", group="organizations"))
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(to_patterns(cs))
    doc = nlp("Yesterday Zephyrine Oduya left Tessmoor for Marrowgate Holdings.")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Zephyrine Oduya", "PERSON"), ("Tessmoor", "GPE"), ("Marrowgate Holdings", "ORG")]


@pytest.mark.timing
def test_a_thousand_corrections_apply_in_well_under_fifty_ms() -> None:
    kinds = [("relabel", {"group": "places"}), ("remove", {}), ("split", {}),
             ("merge", {"target": "Quillon Varga"}), ("add", {"group": "people"})]
    cs = stored(*(make_correction(kinds[i % 5][0], f"Nameless Person{i}", **kinds[i % 5][1])
                  for i in range(995)),
                make_correction("relabel", "Tessmoor", group="places"),
                make_correction("add", "Zephyrine", group="people"),
                make_correction("split", "Varga"),
                make_correction("merge", "Ondrel Pike", target="Quillon Varga"),
                make_correction("remove", "Brightwater Guild"))
    base = rows()
    apply_corrections(base, cs, TEXT, ARTICLE)  # warm the normalisation caches
    t = time.perf_counter()
    after = by_name(apply_corrections(base, cs, TEXT, ARTICLE))
    elapsed = time.perf_counter() - t
    assert after["Tessmoor"].group == "places" and "Zephyrine" in after and "Varga" in after
    assert elapsed < 0.05


# --------------------------------------------------------------------------- details


@pytest.mark.parametrize(("kind", "form", "kwargs", "message"), [
    ("frobnicate", "Tessmoor", {}, "unknown correction kind 'frobnicate'"),
    ("remove", "   ", {}, "a correction needs a name"),
    ("relabel", "Tessmoor", {}, "a relabel correction needs a group "
     "(people, organizations, places, other)"),
    ("add", "Tessmoor", {"group": "animals"}, "a add correction needs a group "
     "(people, organizations, places, other)"),
    ("merge", "Tessmoor", {"target": " "}, "a merge correction needs a target name"),
])
def test_a_correction_that_means_nothing_says_what_is_missing(
        kind: str, form: str, kwargs: Any, message: str) -> None:
    with pytest.raises(ValueError) as info:
        make_correction(kind, form, **kwargs)
    assert str(info.value) == message


def test_a_correction_keeps_only_the_fields_its_kind_uses() -> None:
    c = make_correction("remove", " Tessmoor ", group="people", target="Varga")
    assert (c["surface"], c["form"], c["group"], c["target"]) == ("Tessmoor", "tessmoor",
                                                                  None, None)
    c = make_correction("relabel", "Tessmoor", group="places", target="Varga")
    assert (c["group"], c["target"]) == ("places", None)
    c = make_correction("merge", "Pike", group="people", target="  Quillon   Varga ")
    assert (c["group"], c["target"]) == (None, "Quillon Varga")


def test_a_row_moved_to_other_keeps_a_label_of_that_group_or_becomes_norp() -> None:
    from reader.corrections import group_label

    assert group_label("people") == "PERSON" and group_label("places") == "GPE"
    assert group_label("other", "EVENT") == "EVENT"
    assert group_label("other", "PERSON") == "NORP" and group_label("other") == "NORP"
    event = Entity("Long Thaw", "other", "EVENT", [], [Mention(0, 9, "Long Thaw", "EVENT")])
    person = row("Ondrel Pike", "people", "PERSON")
    after = by_name(apply_corrections([event, person], stored(
        make_correction("relabel", "Long Thaw", group="other"),
        make_correction("relabel", "Ondrel Pike", group="other")), "Long Thaw. " + TEXT,
        ARTICLE))
    assert after["Long Thaw"].label == "EVENT"
    assert after["Ondrel Pike"].label == "NORP"
    assert {m.label for m in after["Ondrel Pike"].mentions} == {"NORP"}


def test_a_name_removed_and_later_added_back_is_in_the_panel_again() -> None:
    after = by_name(apply_corrections(rows(), stored(
        make_correction("remove", "Tessmoor"),
        make_correction("add", "Tessmoor", group="places")), TEXT, ARTICLE))
    assert after["Tessmoor"].group == "places" and after["Tessmoor"].count == 2


def test_adding_an_alias_of_a_row_adds_to_that_row() -> None:
    after = by_name(apply_corrections(rows(), stored(
        make_correction("add", "Quillon", group="people")), TEXT, ARTICLE))
    assert "Quillon" not in after
    assert after["Quillon Varga"].count == 4 and after["Quillon Varga"].aliases == [
        "Varga", "Quillon"]


def test_an_added_name_without_its_written_form_is_searched_as_its_key() -> None:
    text = "the zephyrine wind and a Zephyrine ship"
    after = apply_corrections([], [{"kind": "add", "form": "zephyrine", "group": "other",
                                    "created": "c"}], text, ARTICLE)
    assert [(e.name, [(m.start, m.text) for m in e.mentions]) for e in after] == [
        ("zephyrine", [(4, "zephyrine")])]


def test_a_correction_for_another_article_does_not_stop_the_ones_after_it() -> None:
    cs = stored(make_correction("remove", "Tessmoor", article="b" * 64),
                make_correction("remove", "Ondrel Pike"))
    after = by_name(apply_corrections(rows(), cs, TEXT, ARTICLE))
    assert "Tessmoor" in after and "Ondrel Pike" not in after
    odd = [{"kind": "remove", "form": None, "created": "1"}, *cs[1:]]
    assert "Ondrel Pike" not in by_name(apply_corrections(rows(), odd, TEXT, ARTICLE))


def test_a_correction_without_a_time_counts_as_the_oldest() -> None:
    undated = {**make_correction("relabel", "Tessmoor", group="places")}
    dated = stored(make_correction("relabel", "Tessmoor", group="organizations"))
    after = by_name(apply_corrections(rows(), [*dated, undated], TEXT, ARTICLE))
    assert after["Tessmoor"].group == "organizations"


def test_merging_a_name_the_target_already_has_adds_no_alias_twice() -> None:
    target = Entity("Ondrel Pike", "people", "PERSON", ["Pike"],
                    [Mention(0, 11, "Ondrel Pike", "PERSON")])
    source = Entity("Pike", "people", "PERSON", ["Ondrel"],
                    [Mention(20, 24, "Pike", "PERSON")])
    after = apply_corrections([target, source], stored(
        make_correction("merge", "Pike", target="Ondrel Pike")), "x" * 30, ARTICLE)
    assert [(e.name, e.aliases, e.count) for e in after] == [
        ("Ondrel Pike", ["Pike", "Ondrel"], 2)]


def test_split_out_names_keep_the_label_of_the_row_they_came_from() -> None:
    after = by_name(apply_corrections(rows(), stored(make_correction("split", "Varga")),
                                      TEXT, ARTICLE))
    assert after["Varga"].label == "PERSON" and after["Varga"].count == 2


def test_patterns_follow_the_order_of_the_last_word_on_each_name() -> None:
    cs = stored(
        make_correction("add", "Zephyrine", group="people"),
        make_correction("add", "Tessmoor", group="places"),
        make_correction("relabel", "Varga", group="people", article=ARTICLE),
        make_correction("remove", "Never Added"),
        make_correction("relabel", "Zephyrine", group="organizations"),
    )
    cs.insert(2, {"kind": "add", "form": None, "created": "2024-01-01T00:00:01.500+00:00"})
    cs.append({"kind": "split", "form": "tessmoor", "group": "people",
               "created": "2024-01-01T00:00:09.000+00:00"})
    assert to_patterns(cs) == [{"label": "GPE", "pattern": "Tessmoor"},
                               {"label": "ORG", "pattern": "Zephyrine"}]
    assert to_patterns(cs, scoped=True)[-1] == {"label": "ORG", "pattern": "Zephyrine"}
    assert {"label": "PERSON", "pattern": "Varga"} in to_patterns(cs, scoped=True)


@pytest.mark.parametrize("kind", ["relabel", "remove", "split", "merge"])
def test_a_correction_of_a_name_this_article_does_not_have_changes_nothing(kind: str) -> None:
    extra = {"relabel": {"group": "places"}, "merge": {"target": "Quillon Varga"}}
    c = make_correction(kind, "Nameless Stranger", **extra.get(kind, {}))
    assert apply_corrections(rows(), stored(c), TEXT, ARTICLE) == rows()


def test_a_relabelled_row_still_highlights_each_of_its_mentions_where_it_was() -> None:
    after = by_name(apply_corrections(
        rows(), stored(make_correction("relabel", "Tessmoor", group="places")), TEXT, ARTICLE))
    assert [(m.start, m.end, m.text, m.label) for m in after["Tessmoor"].mentions] == [
        (m.start, m.end, "Tessmoor", "GPE") for m in mentions(("Tessmoor", "PERSON"))]


def test_a_name_split_out_of_a_row_is_a_row_of_its_own_without_aliases() -> None:
    after = by_name(apply_corrections(
        rows(), stored(make_correction("split", "Varga")), TEXT, ARTICLE))
    assert (after["Varga"].aliases, after["Quillon Varga"].aliases) == ([], ["Quillon"])
