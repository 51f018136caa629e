"""Entity merges that must not guess: an acronym or a short form that fits several names.

Only the public API (``resolve`` and ``Mention``) on invented names and texts, so these
tests hold whatever the resolution code looks like inside. Each test is named for what a
reader would see in the side panel if it broke.
"""

from __future__ import annotations

import re

from reader.entities import Entity, Mention, resolve


def mentions(text: str, *pairs: tuple[str, str]) -> list[Mention]:
    """Every whole-word occurrence of each (surface, label) that is not part of a longer
    one given (as the model would tag "Meridian Trust", not "Meridian" inside it)."""
    out: list[Mention] = []
    taken: set[int] = set()
    for surface, label in sorted(pairs, key=lambda p: -len(p[0])):
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
            if not taken & set(range(m.start(), m.end())):
                out.append(Mention(m.start(), m.end(), surface, label))
                taken |= set(range(m.start(), m.end()))
    return sorted(out, key=lambda m: m.start)


def panel(text: str, *pairs: tuple[str, str]) -> dict[str, tuple[str, list[str], int]]:
    """name -> (group, aliases, count) for every row."""
    rows: list[Entity] = resolve(mentions(text, *pairs), text)
    out = {e.name: (e.group, sorted(e.aliases), e.count) for e in rows}
    assert len(out) == len(rows), [e.name for e in rows]
    return out


# --------------------------------------------------------------------------- acronyms

TWO_NRAS = (
    "The National Rowing Association met on Monday. Later the Northern Rail Authority "
    "said it would run extra trains. The NRA declined to comment. A spokesman for the "
    "National Rowing Association was not reached, and the Northern Rail Authority said "
    "nothing more. The NRA statement came a day later."
)
NRA_PAIRS = (("National Rowing Association", "ORG"), ("Northern Rail Authority", "ORG"),
             ("NRA", "ORG"))


def test_an_acronym_that_fits_two_organisations_keeps_its_own_row() -> None:
    rows = panel(TWO_NRAS, *NRA_PAIRS)
    assert rows == {
        "National Rowing Association": ("organizations", [], 2),
        "Northern Rail Authority": ("organizations", [], 2),
        "NRA": ("organizations", [], 2),
    }


def test_an_acronym_that_fits_one_organisation_joins_its_row() -> None:
    # The same text with only one name the letters fit: the acronym is that name.
    text = TWO_NRAS.replace("Northern Rail Authority", "city transport board")
    rows = panel(text, ("National Rowing Association", "ORG"), ("NRA", "ORG"))
    assert rows == {"National Rowing Association": ("organizations", ["NRA"], 4)}


# --------------------------------------------------------------------------- short forms

TWO_MERIDIANS = (
    "The Meridian Institute published a report. The Meridian Trust, a separate charity, "
    "paid for it. Meridian said the findings were clear. The Meridian Institute and the "
    "Meridian Trust will meet again. Meridian did not say when."
)
MERIDIAN_PAIRS = (("Meridian Institute", "ORG"), ("Meridian Trust", "ORG"),
                  ("Meridian", "ORG"))


def test_a_short_name_that_starts_two_organisations_keeps_its_own_row() -> None:
    rows = panel(TWO_MERIDIANS, *MERIDIAN_PAIRS)
    assert rows == {
        "Meridian Institute": ("organizations", [], 2),
        "Meridian Trust": ("organizations", [], 2),
        "Meridian": ("organizations", [], 2),
    }


def test_a_short_name_that_starts_one_organisation_joins_its_row() -> None:
    text = TWO_MERIDIANS.replace("Meridian Trust", "city council")
    rows = panel(text, ("Meridian Institute", "ORG"), ("Meridian", "ORG"))
    assert rows == {"Meridian Institute": ("organizations", ["Meridian"], 4)}


def test_a_short_place_name_that_starts_two_places_keeps_its_own_row() -> None:
    text = ("Floods hit Port Avalon on Monday and Port Seaton on Tuesday. Port was the "
            "word on every sign. Roads to Port Avalon and Port Seaton stayed shut.")
    rows = panel(text, ("Port Avalon", "GPE"), ("Port Seaton", "GPE"), ("Port", "GPE"))
    assert rows["Port"] == ("places", [], 1)
    assert rows["Port Avalon"] == ("places", [], 2)
    assert rows["Port Seaton"] == ("places", [], 2)
