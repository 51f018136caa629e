"""Plain-text bylines: a name line and a date line under the title are the header."""

from __future__ import annotations

import pytest

from reader.document import Article, parse

BODY = ("The council approved the new ferry timetable on Thursday evening after a long "
        "debate. Services start in April.\n")


def header(article: Article) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in article.blocks if b.kind in ("title", "byline", "date")]


def assert_map_exact(article: Article) -> None:
    for block in article.blocks:
        for i, ch in enumerate(block.text):
            src = article.text[block.to_source(i)]
            assert src == ch or (ch in " \n" and src in " \n\t"), (block.kind, i)


@pytest.mark.parametrize("name, date", [
    ("Tereza Halvorsen", "12 March 2024"),
    ("Okonkwo Adebayo-Lind", "March 12, 2024"),
    ("Rui de Almeida", "2024-03-12"),
    ("Sigrun Paavola", "Tuesday, 5 November 2024"),
    ("Lotte van Brakel", "05.11.2024"),
    ("Marek Zawisza", "Nov. 5, 2024, 9:30 am"),
    ("Priya Raghunathan", "4 March 2024"),
    ("By Callum Ashgrove", "June 2023"),
])
def test_a_name_line_and_a_date_line_under_the_title(name: str, date: str) -> None:
    article = parse(f"Ferry Timetable Approved\n\n{name}\n{date}\n\n{BODY}")
    assert article.title == "Ferry Timetable Approved"
    assert article.author == name.removeprefix("By ")
    assert article.date == date
    assert [b.kind for b in article.blocks] == ["title", "byline", "date", "paragraph"]
    assert article.body[0].text.startswith("The council approved")
    assert_map_exact(article)


@pytest.mark.parametrize("line, name, date", [
    ("Tereza Halvorsen | 12 March 2024", "Tereza Halvorsen", "12 March 2024"),
    ("Rui de Almeida, March 12, 2024", "Rui de Almeida", "March 12, 2024"),
    ("By Sigrun Paavola · 5 November 2024", "Sigrun Paavola", "5 November 2024"),
    ("Marek Zawisza — 2024-03-12", "Marek Zawisza", "2024-03-12"),
])
def test_a_name_and_a_date_on_one_line(line: str, name: str, date: str) -> None:
    article = parse(f"Ferry Timetable Approved\n\n{line}\n\n{BODY}")
    assert (article.author, article.date) == (name, date)
    assert [b.kind for b in article.blocks] == ["title", "byline", "date", "paragraph"]
    assert_map_exact(article)


def test_by_name_alone_is_a_byline() -> None:
    article = parse(f"Ferry Timetable Approved\n\nBy Okonkwo Adebayo-Lind\n\n{BODY}")
    assert article.author == "Okonkwo Adebayo-Lind"
    assert article.date is None
    assert header(article)[1] == ("byline", "By Okonkwo Adebayo-Lind")


def test_the_byline_is_not_joined_to_a_body_that_follows_without_a_blank_line() -> None:
    article = parse(f"Ferry Timetable Approved\n\nPriya Raghunathan\n4 March 2024\n{BODY}")
    assert (article.author, article.date) == ("Priya Raghunathan", "4 March 2024")
    assert article.paragraphs[0].startswith("The council approved")
    assert not any("Raghunathan 4" in p for p in article.paragraphs)
    assert_map_exact(article)


def test_title_name_and_date_without_blank_lines() -> None:
    article = parse(f"Ferry Timetable Approved\nLotte van Brakel\n05.11.2024\n\n{BODY}")
    assert header(article) == [("title", "Ferry Timetable Approved"),
                               ("byline", "Lotte van Brakel"), ("date", "05.11.2024")]
    assert_map_exact(article)


def test_several_names_before_the_date() -> None:
    article = parse(f"Ferry Timetable Approved\n\nTereza Halvorsen\nMarek Zawisza\n"
                    f"12 March 2024\n\n{BODY}")
    assert article.author == "Tereza Halvorsen, Marek Zawisza"
    assert article.date == "12 March 2024"


def test_an_updated_line_gives_the_date_without_the_word() -> None:
    article = parse(f"Ferry Timetable Approved\n\nUpdated 12 March 2024\n\n{BODY}")
    assert article.date == "12 March 2024"
    assert header(article)[1] == ("date", "Updated 12 March 2024")


def test_a_capitalised_first_line_of_the_body_is_not_taken_for_a_name() -> None:
    # Without a date or a "By", a line of capitalised words may open the text itself.
    article = parse(f"Ferry Timetable Approved\n\nHarbour Master Reports\n{BODY}")
    assert article.author is None
    assert article.paragraphs[0].startswith("Harbour Master Reports")


def test_prose_after_the_title_stays_prose() -> None:
    article = parse(f"Ferry Timetable Approved\n\n{BODY}\nA second paragraph follows.\n")
    assert article.author is None and article.date is None
    assert article.paragraphs[0] == BODY.strip()


def test_a_long_title_line_and_a_by_line_written_as_one_paragraph() -> None:
    title = "Ferry Timetable Approved After a Long Debate in the Harbour Council"
    article = parse(f"{title}\nBy Tereza Halvorsen\n\n{BODY}")
    assert header(article) == [("title", title), ("byline", "By Tereza Halvorsen")]
    assert_map_exact(article)
