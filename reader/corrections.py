"""The reader's own word on entities: relabel, remove, merge, split and add, remembered.

Pure Python on plain data (no spaCy, no TinyDB, no Textual).  A correction is a plain
dict kept in the store's ``corrections`` table::

    {"id", "kind": "relabel" | "remove" | "merge" | "split" | "add",
     "form": <normal form of the name: the key>, "surface": <the name as written>,
     "group": "people" | "organizations" | "places" | "other" | None,
     "target": <name to merge into> | None,
     "article": <article content hash> | None (None: every article), "created"}

:func:`apply_corrections` runs after :func:`reader.entities.resolve`, so the model's cache
never holds a stale answer: a new correction takes effect on the next resolve.

Matching is by normal form (:func:`normal_form`), case-insensitive, except that an added
name is searched for in the text as the user wrote it: case-sensitive, whole words, any
run of whitespace between its words ("May" the person is not "may" the verb).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from reader.entities import GROUPS, Entity, Mention, group_of
from reader.entities.model import GROUP_LABEL
from reader.entities.names import trim_name

_WS = re.compile(r"\s+")

__all__ = [
    "KINDS",
    "apply_corrections",
    "from_patterns",
    "group_label",
    "make_correction",
    "normal_form",
    "to_patterns",
]

KINDS = ("relabel", "remove", "merge", "split", "add")


@lru_cache(maxsize=65536)
def normal_form(text: str) -> str:
    """The key a name is matched by: the row-name normalisation of :mod:`reader.entities`
    (whitespace, brackets and quotes, a leading "the", a possessive, an abbreviated title
    such as "Dr." in front), casefolded.

    Full-word titles ("President") are left on: stripping them would turn "General
    Motors" into "motors"; resolve() already strips them from people's names.
    """
    collapsed = _WS.sub(" ", text).strip()
    cut = trim_name(collapsed)
    name = collapsed[cut[0] : cut[1]] if cut is not None else collapsed
    return name.casefold()


def group_label(group: str, original: str | None = None) -> str:
    """The spaCy label of a group: PERSON, ORG, GPE; for "other", ``original`` (or NORP)."""
    if group == "other":
        return original if original and group_of(original) == "other" else GROUP_LABEL["other"]
    return GROUP_LABEL[group]


def make_correction(
    kind: str,
    form: str,
    *,
    group: str | None = None,
    target: str | None = None,
    article: str | None = None,
) -> dict[str, Any]:
    """A new correction (the store adds ``id`` and ``created``).

    ``form`` is the name as shown or as selected on the page; it is kept as ``surface``
    and normalised into ``form``.  Raises ValueError on a correction that means nothing.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown correction kind {kind!r}")
    surface = _WS.sub(" ", form).strip()
    key = normal_form(surface)
    if not key:
        raise ValueError("a correction needs a name")
    if kind in ("relabel", "add") and group not in GROUPS:
        raise ValueError(f"a {kind} correction needs a group ({', '.join(GROUPS)})")
    if kind == "merge" and not (target and normal_form(target)):
        raise ValueError("a merge correction needs a target name")
    return {
        "kind": kind,
        "form": key,
        "surface": surface,
        "group": group if kind in ("relabel", "add") else None,
        "target": _WS.sub(" ", target).strip() if kind == "merge" and target else None,
        "article": article,
    }


# --------------------------------------------------------------------------- applying


class _Rows:
    """The rows being corrected, with an index from normal forms to rows.

    The index is rebuilt lazily after a change, so a thousand corrections that match
    nothing cost a thousand dict lookups.
    """

    def __init__(self, rows: list[Entity]) -> None:
        self.rows = rows
        self._by_name: dict[str, list[Entity]] = {}
        self._by_any: dict[str, list[Entity]] = {}
        self._dirty = True

    def changed(self) -> None:
        self._dirty = True

    def _index(self) -> None:
        if not self._dirty:
            return
        by_name: dict[str, list[Entity]] = {}
        by_any: dict[str, list[Entity]] = {}
        for e in self.rows:
            k = normal_form(e.name)
            by_name.setdefault(k, []).append(e)
            by_any.setdefault(k, []).append(e)
            for a in e.aliases:
                ka = normal_form(a)
                if ka != k:
                    by_any.setdefault(ka, []).append(e)
        self._by_name, self._by_any, self._dirty = by_name, by_any, False

    def named(self, form: str) -> list[Entity]:
        self._index()
        return self._by_name.get(form, [])

    def matching(self, form: str) -> list[Entity]:
        """Rows whose name or an alias has this normal form (each row once)."""
        self._index()
        return self._by_any.get(form, [])

    def drop_empty(self) -> None:
        self.rows[:] = [e for e in self.rows if e.mentions]
        self._dirty = True


def _copy_row(e: Entity) -> Entity:
    return Entity(e.name, e.group, e.label, list(e.aliases), list(e.mentions))


def _set_group(e: Entity, group: str) -> None:
    label = group_label(group, e.label)
    e.group = group
    if label != e.label:
        e.label = label
        e.mentions = [Mention(m.start, m.end, m.text, label) for m in e.mentions]


def _relabel(rows: _Rows, c: Mapping[str, Any]) -> None:
    group = c.get("group")
    if group not in GROUPS:
        return
    for e in rows.matching(c["form"]):
        _set_group(e, group)


def _take_alias(e: Entity, form: str) -> tuple[str | None, list[Mention]]:
    """Remove the alias of this normal form and its mentions from a row."""
    alias = next((a for a in e.aliases if normal_form(a) == form), None)
    if alias is None:
        return None, []
    e.aliases = [a for a in e.aliases if normal_form(a) != form]
    taken = [m for m in e.mentions if normal_form(m.text) == form]
    if taken:
        e.mentions = [m for m in e.mentions if normal_form(m.text) != form]
    return alias, taken


def _remove(rows: _Rows, c: Mapping[str, Any]) -> None:
    form = c["form"]
    hits = rows.matching(form)
    if not hits:
        return
    gone = {id(e) for e in rows.named(form)}
    for e in hits:
        if id(e) not in gone:
            _take_alias(e, form)
    rows.rows[:] = [e for e in rows.rows if id(e) not in gone]
    rows.drop_empty()


def _merge_into(target: Entity, source: Entity) -> None:
    seen = {normal_form(target.name)} | {normal_form(a) for a in target.aliases}
    for n in (source.name, *source.aliases):
        if normal_form(n) not in seen:
            seen.add(normal_form(n))
            target.aliases.append(n)
    label = target.label
    moved = [m if m.label == label else Mention(m.start, m.end, m.text, label)
             for m in source.mentions]
    target.mentions = sorted(target.mentions + moved, key=lambda m: (m.start, m.end))


def _merge(rows: _Rows, c: Mapping[str, Any]) -> None:
    targets = rows.named(normal_form(str(c.get("target") or "")))
    if not targets:
        return  # the target is not in this article
    target = targets[0]
    sources = [e for e in rows.matching(c["form"]) if e is not target]
    if not sources:
        return
    gone = {id(e) for e in sources}
    for e in sources:
        _merge_into(target, e)
    rows.rows[:] = [e for e in rows.rows if id(e) not in gone]
    rows.changed()


def _split(rows: _Rows, c: Mapping[str, Any]) -> None:
    form = c["form"]
    new: list[Entity] = []
    for e in rows.matching(form):
        if normal_form(e.name) == form:
            continue  # the row's own name: nothing to split out
        alias, taken = _take_alias(e, form)
        if alias is not None and taken:
            new.append(Entity(alias, e.group, e.label, [], taken))
    if new or rows.matching(form):
        rows.rows.extend(new)
        rows.drop_empty()


@lru_cache(maxsize=4096)
def _surface_pattern(surface: str) -> re.Pattern[str]:
    words = surface.split()
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)")


def _occurrences(surface: str, text: str) -> list[tuple[int, int]]:
    words = surface.split()
    if not words or words[0] not in text:  # the common case: not in this article at all
        return []
    return [m.span() for m in _surface_pattern(surface).finditer(text)]


def _add(rows: _Rows, c: Mapping[str, Any], text: str) -> None:
    group = c.get("group")
    if group not in GROUPS:
        return
    surface = str(c.get("surface") or c["form"])
    spans = _occurrences(surface, text)
    if not spans:
        return
    starts = [s for s, _ in spans]

    def overlaps(m: Mention) -> bool:
        # the spans do not overlap each other, so of those starting before the mention
        # ends, the last one ends last
        i = bisect_left(starts, m.end)
        return i > 0 and spans[i - 1][1] > m.start

    found = rows.matching(c["form"])
    home = found[0] if found else None
    for e in rows.rows:
        if any(overlaps(m) for m in e.mentions):
            e.mentions = [m for m in e.mentions if not overlaps(m)]
    if home is None:
        home = Entity(surface, group, group_label(group), [], [])
        rows.rows.append(home)
    _set_group(home, group)
    label = home.label
    home.mentions = sorted(
        home.mentions + [Mention(s, e, text[s:e], label) for s, e in spans],
        key=lambda m: (m.start, m.end))
    rows.drop_empty()


def _in_order(corrections: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    # ISO timestamps sort as strings; a stable sort keeps the store's order on a tie
    return sorted(corrections, key=lambda c: str(c.get("created") or ""))


def apply_corrections(
    entities: list[Entity],
    corrections: Iterable[Mapping[str, Any]],
    text: str,
    article_hash: str,
) -> list[Entity]:
    """The rows with the reader's corrections applied, sorted by first mention.

    Only corrections for every article (``article`` None) or for this one count, oldest
    first, so a later correction overrides an earlier one.  ``entities`` is not changed.
    """
    rows = _Rows([_copy_row(e) for e in entities])
    for c in _in_order(corrections):
        scope = c.get("article")
        kind = c.get("kind")
        if (scope is not None and scope != article_hash) or not isinstance(c.get("form"), str):
            continue
        if kind == "relabel":
            _relabel(rows, c)
        elif kind == "remove":
            _remove(rows, c)
        elif kind == "merge":
            _merge(rows, c)
        elif kind == "split":
            _split(rows, c)
        elif kind == "add":
            _add(rows, c, text)
    rows.rows.sort(key=lambda e: e.first)
    return rows.rows


# --------------------------------------------------------------------------- patterns


def to_patterns(
    corrections: Iterable[Mapping[str, Any]], *, scoped: bool = False
) -> list[dict[str, str]]:
    """spaCy entity-ruler patterns ``{"label", "pattern"}`` for added and relabelled names.

    The corrections are replayed in order, so a name removed after it was added gives no
    pattern and the latest group wins.  Corrections made for one article only are left
    out unless ``scoped`` (a pattern applies everywhere).
    """
    state: dict[str, dict[str, str]] = {}
    for c in _in_order(corrections):
        if c.get("article") is not None and not scoped:
            continue
        form, kind, group = c.get("form"), c.get("kind"), c.get("group")
        if not isinstance(form, str):
            continue
        if kind in ("add", "relabel") and group in GROUPS:
            surface = str(c.get("surface") or form)
            state.pop(form, None)  # re-insert: the file follows the order of the last word
            state[form] = {"label": group_label(str(group)), "pattern": surface}
        elif kind == "remove":
            state.pop(form, None)
    return list(state.values())


def _token_text(token: object) -> str | None:
    if not isinstance(token, dict):
        return None
    for key in ("ORTH", "TEXT", "orth", "text"):
        value = token.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def from_patterns(lines: Iterable[str], skipped: list[str] | None = None) -> list[dict[str, Any]]:
    """Corrections (kind "add", every article) from entity-ruler patterns, one JSON a line.

    Labels map to groups as in the panel (PERSON people; ORG organizations; GPE, LOC, FAC
    places; anything else other).  A token-list pattern is its ORTH/TEXT values joined
    with spaces.  A line that is not a pattern is skipped and, if ``skipped`` is given, a
    reason ``"line N: ..."`` is appended to it.  Blank lines are ignored.
    """
    out: list[dict[str, Any]] = []

    def skip(n: int, why: str) -> None:
        if skipped is not None:
            skipped.append(f"line {n}: {why}")

    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            skip(n, f"not JSON ({msg})")
            continue
        if not isinstance(obj, dict):
            skip(n, "not a JSON object")
            continue
        label, pattern = obj.get("label"), obj.get("pattern")
        if not isinstance(label, str) or not label.strip():
            skip(n, "no label")
            continue
        if isinstance(pattern, str):
            surface = pattern
        elif isinstance(pattern, list) and pattern:
            words = [_token_text(t) for t in pattern]
            if any(w is None for w in words):
                skip(n, "a token pattern that is not plain words (ORTH or TEXT)")
                continue
            surface = " ".join(w for w in words if w is not None)
        else:
            skip(n, "no pattern")
            continue
        try:
            out.append(make_correction("add", surface, group=group_of(label.strip())))
        except ValueError as exc:
            skip(n, str(exc))
    return out
