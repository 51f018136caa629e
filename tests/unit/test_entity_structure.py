"""Names in what is not prose (headings, headlines, captions, address lines, bylines) and
how the panel's rows are put together at the end. Invented names and texts only."""

from __future__ import annotations

import re

import pytest
from entity_cases import every, nth, panel

from reader.document import parse
from reader.entities import Entity, Mention, resolve
from reader.entities.structure import Regions, headline_lines, outside_structure


def where(rows: dict[str, Entity]) -> dict[str, list[tuple[int, int]]]:
    """Each row's mentions as (start, end) offsets."""
    return {n: [(m.start, m.end) for m in e.mentions] for n, e in rows.items()}


def headlines(text: str, structure: list[tuple[int, int, str]] | None = None,
              bylines: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    found = headline_lines(text, structure or [], bylines or [])
    return list(zip(found.starts, found.ends, strict=True))


# --------------------------------------------------------------------------- regions


@pytest.mark.parametrize(("pos", "inside"), [
    (9, False), (10, True), (19, True), (20, False), (30, True), (39, True), (40, False),
    ("15", False), (None, False),
])
def test_a_region_holds_its_start_and_not_its_end(pos: object, inside: bool) -> None:
    assert (pos in Regions([(30, 40), (10, 20)])) is inside


def test_regions_are_true_only_when_there_is_one() -> None:
    assert (bool(Regions([])), bool(Regions([(0, 1)]))) == (False, True)


# --------------------------------------------------------------------------- headline lines

_BEFORE = "The ferries waited in port.\n\n"
_AFTER = "\n\nThe storm went on all night.\n"


@pytest.mark.parametrize(("line", "is_headline"), [
    ("Harbour Closes Today", True),  # three long words, all capitalised
    ("Ship Sank Near Vell", True),  # words of four letters count
    ("Gold Rush", False),  # too few words to say anything
    ("Storm Hits Northern coast", True),  # three in four capitalised is enough
    ("Storm Hits coast", False),  # two in three is not
    ("Storm hits the Northern coast", False),
    ("HARBOUR CLOSES TODAY", True),
    ("Harbour Closes Today.", False),
    ("Kestrel Wins Round IX", True),
    ("Harbour Closes For 3 Days In 2 Towns On 5 May", True),
    ("Harbour Closes For 3 Days In 2 Towns On 5 May 2027", False),  # a list of results
    ("Harbour Closes, Ferries Wait", True),
    ("Harbour Closes, Ferries Wait, Roads Flood", False),
    ("Harbour Closes; Ferries Wait; Roads Flood", False),
    ("Harbour Closes, Ferries Wait; Roads Flood", False),
    ("Harbour Closes (Again) For Winter", False),
])
def test_a_line_standing_alone_is_a_headline_when_its_words_are_capitalised(
        line: str, is_headline: bool) -> None:
    text = _BEFORE + line + _AFTER
    start = len(_BEFORE)
    assert headlines(text) == ([(start, start + len(line))] if is_headline else [])


@pytest.mark.parametrize(("length", "is_headline"), [(400, True), (401, False)])
def test_a_headline_is_at_most_four_hundred_characters(length: int, is_headline: bool) -> None:
    line = " ".join(["Harbour"] * 50)  # 399 characters
    line += "s" * (length - len(line))
    text = _BEFORE + line + _AFTER
    start = len(_BEFORE)
    assert headlines(text) == ([(start, start + length)] if is_headline else [])


def test_a_capitalised_line_followed_by_prose_is_no_headline() -> None:
    assert headlines("Harbour Closes Today\nThe ferries waited in port.\n\nRain fell.\n") == []


def test_the_last_line_of_a_text_can_be_a_headline() -> None:
    assert headlines("The ferries waited in port.\n\nHarbour Closes Today\n") == [(29, 49)]


def test_a_text_of_one_line_has_no_headline() -> None:
    assert headlines("Harbour Closes Today\n") == []


def test_a_text_opening_with_a_blank_line_has_its_headlines_line_by_line() -> None:
    assert headlines("\nHarbour Closes Today\n\nStorm Ends Quietly") == [(1, 21), (23, 41)]


def test_a_capitalised_heading_is_a_headline_even_with_prose_right_under_it() -> None:
    text = "Harbour Closes Today\nThe ferries waited in port.\n"
    assert headlines(text, [(0, 20, "heading")]) == [(0, 20)]


def test_a_heading_in_sentence_case_is_no_headline() -> None:
    text = "The storm came at night\n\nThe ferries waited in port.\n"
    assert headlines(text, [(0, 23, "heading")]) == []


def test_a_capitalised_caption_is_no_headline() -> None:
    text = "Harbour Closes Today\nThe ferries waited in port.\n"
    assert headlines(text, [(0, 20, "caption")]) == []


def test_a_heading_standing_alone_is_one_headline() -> None:
    text = "Harbour Closes Today\n\nThe ferries waited in port.\n"
    assert headlines(text, [(0, 20, "heading")]) == [(0, 20)]


def test_a_line_standing_alone_inside_a_long_title_does_not_cut_the_title_short() -> None:
    text = ("Harbour Closes Today\nFor The Whole Winter\n\nStorm Ends Quietly\n\nand more"
            "\n\nThe ferries waited in port.\n")
    assert headlines(text, [(0, 70, "title")]) == [(0, 70)]


@pytest.mark.parametrize(("text", "byline"), [
    ("Harbour Closes Today\n\nBy Ana Perel\n\nThe ferries waited.\n", (22, 34)),
    ("Harbour Closes Today\n\nBy Ana Perel\n\nThe ferries waited.\n", (20, 34)),  # touching
    ("By Ana Perel\n\nHarbour Closes Today\n\nThe ferries waited.\n", (0, 14)),  # touching
])
def test_a_byline_beside_a_headline_leaves_the_headline(
        text: str, byline: tuple[int, int]) -> None:
    at = text.index("Harbour")
    assert headlines(text, bylines=[byline]) == [(at, at + 20)]


def test_a_capitalised_byline_is_no_headline() -> None:
    text = "The ferries waited.\n\nBy Ana Perel And Tomas Varenko\n\nRain fell.\n"
    assert headlines(text) == [(21, 51)]
    assert headlines(text, bylines=[(21, 51)]) == []


# --------------------------------------------------------------------------- captions, lines


def test_the_names_after_a_caption_still_make_rows() -> None:
    text = "[Illustration: Orla Brant at the mill]\n\nTamsin Grey walked to Orlen.\n"
    art = parse(text)
    mentions = [nth(text, "Orla Brant", "PERSON"), nth(text, "Tamsin Grey", "PERSON"),
                nth(text, "Orlen", "GPE")]
    rows = panel(text, mentions, structure=art.structure)
    assert where(rows) == {"Tamsin Grey": [(40, 51)], "Orlen": [(62, 67)]}


def test_each_line_of_an_address_is_its_own_name_and_the_names_after_it_count() -> None:
    text = ("Centres open today:\n\nKestrel County\n  Marlow Hall\n12 High St.\n\n"
            "All welcome at Vell Park.\n")
    art = parse(text)
    mentions = [nth(text, "Kestrel County\n  Marlow Hall", "ORG"), nth(text, "Vell Park", "FAC")]
    rows = panel(text, mentions, structure=art.structure)
    assert where(rows) == {"Kestrel County": [(21, 35)], "Marlow Hall": [(38, 49)],
                           "Vell Park": [(78, 87)]}


def test_an_address_mention_is_cut_into_one_mention_per_line() -> None:
    text = "Centres open today:\n\nKestrel County\n  Marlow Hall\n12 High St.\n\nAll welcome.\n"
    got = outside_structure([nth(text, "Kestrel County\n  Marlow Hall", "ORG")], text,
                            [(21, 61, "lines")], Regions([]))
    assert got == [Mention(21, 35, "Kestrel County", "ORG"), Mention(38, 49, "Marlow Hall", "ORG")]


def test_a_name_wrapped_over_a_line_of_prose_stays_one_name() -> None:
    text = "Later she met Dana\nVoss at the gate, and Dana Voss smiled.\n"
    rows = panel(text, [nth(text, "Dana\nVoss", "PERSON"), nth(text, "Dana Voss", "PERSON")])
    assert where(rows) == {"Dana Voss": [(14, 23), (41, 50)]}


def test_a_date_before_a_name_leaves_the_name_its_row() -> None:
    text = "On Monday Dana Voss came."
    rows = panel(text, [nth(text, "Monday", "DATE"), nth(text, "Dana Voss", "PERSON")])
    assert {n: (e.label, where(rows)[n]) for n, e in rows.items()} == {
        "Monday": ("DATE", [(3, 9)]), "Dana Voss": ("PERSON", [(10, 19)])}


# --------------------------------------------------------------------------- headings


def test_a_chapter_number_is_cut_off_the_name_in_a_heading() -> None:
    text = "Chapter IX. Orlen\n\nThe road was long.\n"
    rows = panel(text, [nth(text, "Chapter IX. Orlen", "GPE")], structure=parse(text).structure)
    assert {n: (e.label, [(m.start, m.end, m.text) for m in e.mentions])
            for n, e in rows.items()} == {"Orlen": ("GPE", [(12, 17, "Orlen")])}


def test_a_heading_mention_cut_after_its_chapter_number_reads_as_the_text() -> None:
    text = "Chapter IX. Orlen\n\nThe road was long.\n"
    got = outside_structure([nth(text, "Chapter IX. Orlen", "GPE")], text, [(0, 17, "title")],
                            Regions([]))
    assert got == [Mention(12, 17, "Orlen", "GPE")]


def test_a_name_in_a_heading_without_a_chapter_word_is_kept_whole() -> None:
    text = "Dana Voss\n\nThe road was long.\n"
    rows = panel(text, [nth(text, "Dana Voss", "PERSON")], structure=parse(text).structure)
    assert where(rows) == {"Dana Voss": [(0, 9)]}


@pytest.mark.parametrize("name", ["Partridge Hall", "Acton Vale", "Booker Lane", "Actium"])
def test_a_name_in_a_heading_that_starts_with_a_chapter_word_is_kept_whole(name: str) -> None:
    # "Part", "Act" and "Book" are structural words only as whole words.
    text = f"{name}\n\nThe road was long.\n"
    rows = panel(text, [nth(text, name, "GPE")], structure=parse(text).structure)
    assert where(rows) == {name: [(0, len(name))]}


def test_an_acronym_or_a_surname_in_a_caption_is_not_highlighted() -> None:
    text = ("The Kestrel Shipping Board (KSB) met on Monday. Hollis Grange spoke for it.\n\n"
            "[Illustration: a KSB ferry, with Grange on deck]\n\n"
            "Later the KSB said Grange was right.\n")
    mentions = [nth(text, "Kestrel Shipping Board", "ORG"), nth(text, "Hollis Grange", "PERSON")]
    rows = panel(text, mentions, structure=parse(text).structure)
    assert where(rows) == {"Kestrel Shipping Board": [(4, 26), (28, 31), (137, 140)],
                           "Hollis Grange": [(48, 61), (146, 152)]}
    # without the caption known as one, both are found there too
    assert [len(e.mentions) for e in panel(text, mentions).values()] == [4, 3]


def test_a_heading_that_is_only_a_structural_word_is_no_row() -> None:
    text = "PROLOGUE\n\nThe road was long.\n"
    mentions = [nth(text, "PROLOGUE", "ORG")]
    assert panel(text, mentions, structure=parse(text).structure) == {}
    assert list(panel(text, mentions)) == ["PROLOGUE"]  # not known to be a heading


# --------------------------------------------------------------------------- headlines


_THANKS = "Harbour Thanks Ana Perel Today"


@pytest.mark.parametrize("text", [
    f"{_THANKS}\n\nThe town cheered when Ana Perel came home.\n",
    f"{_THANKS}\n\nThe town was cheered by Ana Perel.\n",
    f"{_THANKS}\n\nThe town cheered Ana Perel",  # the last words of the text
    f"The town cheered Ana Perel.\n\n{_THANKS}\n\nAll went home.\n",  # before the headline
    f"Ana Perel came home.\n\n{_THANKS}\n\nAll went home",  # the first words of the text
    f"{_THANKS}\n\nThe town cheered Ana Perel.\n\nCrowds Greet Ana Perel Again\n\nAll went.\n",
])
def test_a_headline_name_the_prose_writes_out_keeps_its_row(text: str) -> None:
    at = text.index(_THANKS) + 15
    rows = panel(text, [Mention(at, at + 9, "Ana Perel", "PERSON")])
    written = [(m.start(), m.end()) for m in re.finditer("Ana Perel", text)]
    assert where(rows) == {"Ana Perel": written}


def test_a_headline_name_the_prose_never_writes_is_no_row() -> None:
    text = f"{_THANKS}\n\nThe town cheered all night.\n"
    assert panel(text, [nth(text, "Ana Perel", "PERSON")]) == {}


def test_a_headline_name_seen_elsewhere_only_in_a_caption_is_no_row() -> None:
    text = f"{_THANKS}\n\n[Illustration: Ana Perel at the quay]\n\nThe town cheered all night.\n"
    art = parse(text)
    assert [k for _, _, k in art.structure] == ["title", "caption"]
    mentions = [nth(text, "Ana Perel", "PERSON"), nth(text, "Ana Perel", "PERSON", 1)]
    assert panel(text, mentions, structure=art.structure) == {}


@pytest.mark.parametrize(("prose", "kept"), [
    ("Shares in Kestrel rose.", True),
    ("Shares in McKestrel rose.", False),  # only inside another word
    ("The Kestrels won again.", False),
])
def test_a_headline_name_counts_as_written_in_the_prose_only_as_whole_words(
        prose: str, kept: bool) -> None:
    text = f"Kestrel Posts Record Profits\n\n{prose}\n"
    rows = panel(text, [nth(text, "Kestrel", "ORG")])
    assert where(rows) == ({"Kestrel": [(0, 7), (40, 47)]} if kept else {})


@pytest.mark.parametrize(("label", "group"), [
    ("GPE", "places"), ("LOC", "places"), ("PERSON", "people"),
])
def test_a_one_word_headline_name_never_written_in_lower_case_keeps_its_row(
        label: str, group: str) -> None:
    text = "Floods Cut Roads Around Vellmoor\n\nThe rain fell all week.\n"
    rows = panel(text, [nth(text, "Vellmoor", label)])
    assert {n: (e.group, where(rows)[n]) for n, e in rows.items()} == {
        "Vellmoor": (group, [(24, 32)])}


@pytest.mark.parametrize(("text", "name", "label"), [
    # an organisation's capital may be the headline's
    ("Floods Cut Roads Around Vellmoor\n\nThe rain fell all week.\n", "Vellmoor", "ORG"),
    # more than one word
    ("Floods Cut Roads Around Vell Moor\n\nThe rain fell all week.\n", "Vell Moor", "PERSON"),
    # the text writes it in lower case: a common word
    ("Floods Cut Roads Around Bramble\n\nThe bramble hedges were under water.\n", "Bramble",
     "GPE"),
])
def test_a_headline_word_that_may_owe_its_capital_to_the_headline_is_no_row(
        text: str, name: str, label: str) -> None:
    assert panel(text, [nth(text, name, label)]) == {}


def test_an_office_title_in_a_headline_does_not_stretch_the_name_over_the_headline() -> None:
    text = "Talks Stall As Minister Vask Resigns\n\nThe minister left the talks on Monday.\n"
    rows = panel(text, [nth(text, "Vask", "PERSON")])
    assert where(rows) == {"Vask": [(24, 28)]}


# --------------------------------------------------------------------------- bylines


def _whole_word(text: str, name: str) -> tuple[int, int]:
    found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
    assert found is not None
    return found.span()


def _byline(text: str, line: str) -> list[tuple[int, int]]:
    at = text.index(line)
    return [(at, at + len(line))]


@pytest.mark.parametrize(("line", "authors"), [
    ("Ana Perel and Jo Roe", ["Ana Perel", "Jo Roe"]),  # no "By"
    ("  Ana Perel and Jo Roe", ["Ana Perel", "Jo Roe"]),
    ("By Lena Tarrant and Lena Tarr", ["Lena Tarrant", "Lena Tarr"]),
    ("By Lena Tarr and Lena Tarrant", ["Lena Tarr", "Lena Tarrant"]),
    ("By Jo Roe, Ann Poe, and Sam Diaz", ["Jo Roe", "Ann Poe", "Sam Diaz"]),
    ("By Lena Tarrant, Ann Poe, and Lena Tarr", ["Lena Tarrant", "Ann Poe", "Lena Tarr"]),
    ("By Jo Roe, Orlen News", ["Jo Roe"]),
    ("By Jo Roe and friends", ["Jo Roe"]),
    ("By Orlen Wire Staff and Jo Roe", ["Jo Roe"]),
])
def test_each_author_of_a_byline_is_one_person_at_their_place_in_it(
        line: str, authors: list[str]) -> None:
    text = f"Harbour Closes Today\n\n{line}\n\nThe ferries waited.\n"
    rows = panel(text, [], bylines=_byline(text, line))
    assert {n: (e.group, where(rows)[n]) for n, e in rows.items()} == {
        a: ("people", [_whole_word(text, a)]) for a in authors}


def test_a_byline_without_a_person_leaves_the_models_mentions() -> None:
    text = "Harbour Closes Today\n\nBy Orlen Wire Staff\n\nThe ferries waited.\n"
    line = "By Orlen Wire Staff"
    rows = panel(text, [nth(text, "Orlen Wire", "ORG")], bylines=_byline(text, line))
    assert {n: (e.group, where(rows)[n]) for n, e in rows.items()} == {
        "Orlen Wire": ("organizations", [(25, 35)])}


# --------------------------------------------------------------------------- rows


def test_one_word_written_as_two_kinds_of_thing_is_two_rows() -> None:
    text = "The Vesper came. A Vesper left."
    rows = resolve([nth(text, "Vesper", "PRODUCT"), nth(text, "Vesper", "WORK_OF_ART", 1)], text)
    assert [(e.name, e.label, e.count) for e in rows] == [
        ("Vesper", "PRODUCT", 1), ("Vesper", "WORK_OF_ART", 1)]


@pytest.mark.parametrize(("text", "surface", "label", "row"), [
    ("They climbed Mount Vell. Mount Vell was cold.", "Mount Vell", "LOC", ("places", "LOC")),
    ("On Monday they met.", "Monday", "DATE", ("other", "DATE")),
    # the model said organisation each time; the words around it say place
    ("They dined at Keswith. We rode to Keswith. A letter from Keswith came. Keswith was cold.",
     "Keswith", "ORG", ("places", "GPE")),
])
def test_a_rows_label_is_its_mentions_label_within_its_group(
        text: str, surface: str, label: str, row: tuple[str, str]) -> None:
    rows = panel(text, every(text, surface, label))
    assert {n: (e.group, e.label) for n, e in rows.items()} == {surface: row}


def test_a_name_whole_only_in_capitals_is_shown_as_the_prose_writes_it() -> None:
    text = "WIL ABERNE came in. Aberne sat. Wil smiled. Wil laughed."
    mentions = [nth(text, "WIL ABERNE", "PERSON"), nth(text, "Aberne", "PERSON"),
                *every(text, "Wil", "PERSON")]
    rows = panel(text, mentions)
    assert {n: (e.aliases, e.count) for n, e in rows.items()} == {
        "Aberne": (["WIL ABERNE", "Wil"], 4)}


def test_a_signature_only_in_capitals_keeps_its_capitals() -> None:
    text = "Yours ever,\n\nWIL ABERNE\n"
    rows = panel(text, [nth(text, "WIL ABERNE", "PERSON")])
    assert where(rows) == {"WIL ABERNE": [(13, 23)]}


def test_a_given_name_tagged_inside_the_full_name_counts_once_as_the_full_name() -> None:
    text = "Dana Voss came. Dana sat."
    rows = panel(text, [nth(text, "Dana Voss", "PERSON"), nth(text, "Dana", "PERSON"),
                        nth(text, "Dana", "PERSON", 1)])
    assert {n: (e.aliases, where(rows)[n]) for n, e in rows.items()} == {
        "Dana Voss": (["Dana"], [(0, 9), (16, 20)])}


def test_an_acronym_the_model_missed_before_a_hyphen_is_found_once_defined() -> None:
    text = "The Kestrel Shipping Board (KSB) met. KSB-run ferries wait."
    rows = panel(text, [nth(text, "Kestrel Shipping Board", "ORG"), nth(text, "KSB", "ORG")])
    assert where(rows) == {"Kestrel Shipping Board": [(4, 26), (28, 31), (38, 41)]}
