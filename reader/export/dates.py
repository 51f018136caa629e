"""Dates for front matter: ISO 8601 (``2023-05-29``) from the date as an article writes it.

An article's date is text as found (see ``reader.document`` for the forms a text header may
take; saved web pages and EPUB books give ISO dates, sometimes with a time). The ISO date is
given only when the text says which day it is: a numeric date that reads both ways
(``04/05/2023``) or a year alone gives none, and the front matter keeps the text as written.
"""

from __future__ import annotations

import datetime
import re

__all__ = ["iso_date", "iso_timestamp"]

#: A leading weekday ("Monday, ") and a trailing time ("10:30 am EST", "T10:30:00Z").
_WEEKDAY = re.compile(r"^(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+", re.I)
_TIME = re.compile(r"(?:[ ,T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?"
                   r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{2,4}))?)$", re.I)
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.I)
_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?", re.I)
#: Day-month-year and month-day-year with the month as a word; ISO year-month-day.
_WORD_FORMATS = ("%d %b %Y", "%b %d %Y", "%Y-%m-%d")
_NUMERIC = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")


def iso_date(text: str | None) -> str | None:
    """``YYYY-MM-DD`` for an article's date as written, or None when it cannot tell."""
    if not text:
        return None
    t = _TIME.sub("", _WEEKDAY.sub("", " ".join(text.split()))).strip(" ,")
    t = _ORDINAL.sub("", t)
    # strptime's %b reads the English abbreviation only ("Sept." and "September" too here).
    t = _MONTH.sub(lambda m: m[1].title(), t).replace(",", " ")
    t = " ".join(t.split())
    for fmt in _WORD_FORMATS:
        try:
            return datetime.datetime.strptime(t, fmt).date().isoformat()
        except ValueError:
            continue
    return _numeric(t)


def _numeric(t: str) -> str | None:
    """``d/m/y`` or ``m/d/y``: a date only when one of the two numbers is above 12 (or
    both are the same), since the text's convention is unknown."""
    found = _NUMERIC.fullmatch(t)
    if found is None:
        return None
    a, b, year = found[1], found[2], found[3]
    fmt_year = "%Y" if len(year) == 4 else "%y"
    orders = [f"%m/%d/{fmt_year}", f"%d/%m/{fmt_year}"]
    days = set()
    for fmt in orders:
        try:
            days.add(datetime.datetime.strptime(f"{a}/{b}/{year}", fmt).date())
        except ValueError:
            continue
    return days.pop().isoformat() if len(days) == 1 else None


def iso_timestamp(value: object) -> str | None:
    """A stored time (``created``, ``updated``) as written when it is ISO 8601, else None
    (the store writes ISO times; a hand-edited value may be anything)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return value.strip()
