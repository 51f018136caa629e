"""Which entity rows a looked-up name finds.

A row is found by its name or one of its aliases (see :func:`name_key`). A person is also
found by the other way people write the same name: a surname alone finds the people rows
whose name ends with it (an article that only ever writes the full name), and a full name
finds the rows of an article that only writes its surname, unless that article names
another person with the same surname (then the lone surname is that person's). The
surname is the last word of a name; nothing here knows any particular name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reader.library.names import name_key
from reader.library.rows import Row, lines_with, unpack

__all__ = ["PEOPLE", "Query"]

#: The row group of persons (the only group matched by surname).
PEOPLE = "people"


def _surname(key: str) -> str | None:
    """The last word of a name key of several words; None for a one-word key."""
    head, _, last = key.rpartition(" ")
    return last if head else None


@dataclass(frozen=True, slots=True)
class Query:
    keys: frozenset[str]
    """Name keys a row's name or alias must equal."""
    surname: str | None
    """A one-word name looked up: persons whose full name ends with it match too."""
    full_surname: str | None
    """The surname of a full name looked up: persons named by it alone match too."""

    @classmethod
    def of(cls, name: str, aliases: Sequence[str] = ()) -> Query:
        """The query for ``name`` and ``aliases``; surname matching follows ``name``
        only (an alias is matched as written)."""
        keys = frozenset(k for k in (name_key(n) for n in (name, *aliases)) if k)
        key = name_key(name)
        last = _surname(key)
        return cls(keys, key if key and last is None else None, last)

    def needles(self) -> list[str]:
        """Strings at least one of which is in an article's packed keys if it can match
        (see ``rows.py``: keys are joined and surrounded by newlines)."""
        out = [f"\n{k}\n" for k in self.keys]
        if self.surname is not None:
            out.append(f" {self.surname}\n")
        if self.full_surname is not None:
            out.append(f"\n{self.full_surname}\n")
        return out

    def best_row(self, packed: str, group: str | None) -> Row | None:
        """The matching row with the most mentions in one article's packed rows: a row
        matched by name or alias first, else one matched by surname."""
        words = set(self.keys)
        words.update(w for w in (self.surname, self.full_surname) if w is not None)
        rows = [r for r in (unpack(line) for line in lines_with(packed, words))
                if r is not None and (group is None or r.group == group)]
        exact = [r for r in rows if not self.keys.isdisjoint(r.keys)]
        if exact:
            return _most(exact)
        people = [r for r in rows if r.group == PEOPLE]
        if self.surname is not None:
            by_surname = [r for r in people if self.surname in map(_surname, r.keys)]
            if by_surname:
                return _most(by_surname)
        if self.full_surname is not None:
            alone = [r for r in people if self.full_surname in r.keys]
            others = [r for r in people if self.full_surname in map(_surname, r.keys)]
            if alone and not others:
                return _most(alone)
        return None


def _most(rows: list[Row]) -> Row:
    """The row with the most mentions (the first of equals)."""
    best = rows[0]
    for row in rows[1:]:
        if row.mentions > best.mentions:
            best = row
    return best
