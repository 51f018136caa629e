"""Sentences for the reading cursor: abbreviations and initials do not end one."""

from __future__ import annotations

import pytest

from reader.sentences import sentence_spans, word_spans


@pytest.mark.parametrize("text, expected", [
    ("One. Two! Three?", ["One.", "Two!", "Three?"]),
    ("Brig. Gen. Ana Ruiz spoke. Then Dr. Lee left.", ["Brig. Gen. Ana Ruiz spoke.",
                                                       "Then Dr. Lee left."]),
    ("J. R. Smith and the U.S. team won. Fans cheered.", ["J. R. Smith and the U.S. team won.",
                                                         "Fans cheered."]),
    ('He said "stop." Then he went.', ['He said "stop."', "Then he went."]),
    ("It cost $3.5 billion in 2021. Prices rose.", ["It cost $3.5 billion in 2021.",
                                                    "Prices rose."]),
    ("No final stop", ["No final stop"]),
    ("  Leading space. Next.", ["Leading space.", "Next."]),
])
def test_sentences_split_where_a_reader_would(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


def test_words_are_runs_of_non_space() -> None:
    text = "a bb  ccc"
    assert [text[s:e] for s, e in word_spans(text)] == ["a", "bb", "ccc"]
