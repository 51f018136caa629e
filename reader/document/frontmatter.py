"""YAML front matter (as Obsidian and web clippers write it) read as an article's metadata.

The fields read: ``title``; ``author`` / ``authors`` / ``creator`` (a name, a list of names,
or Obsidian links such as ``"[[Jane Doe]]"``); ``date`` / ``published`` / ``created``;
``tags`` / ``keywords`` (a list or a comma-separated string); ``source`` / ``url`` /
``link``. The front matter is never shown as text; the title, each author and the date
become header blocks mapped to where their values are written in it, so they can be
highlighted and noted like any other text. YAML that does not parse is ignored (the body
is read as usual) and the article says so in its notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reader.document.model import Block

_AUTHOR_KEYS = ("author", "authors", "creator", "by")
_DATE_KEYS = ("date", "published", "created")
_SOURCE_KEYS = ("source", "url", "link")
_TAG_KEYS = ("tags", "keywords")
_TOP_KEY = re.compile(r"^([A-Za-z_][\w -]*?)[ \t]*:(?:[ \t]|$)", re.M)
_WIKILINK = re.compile(r"^\[\[(?:[^|\]]*\|)?([^\]]+)\]\]$")


@dataclass(slots=True)
class FrontMatter:
    """What the front matter says, and the header blocks that show it."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    source_url: str | None = None
    tags: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    notice: str | None = None


def read_front_matter(text: str, start: int, end: int) -> FrontMatter:
    """The front matter whose YAML is ``text[start:end]`` (between its ``---`` lines)."""
    import yaml  # type: ignore[import-untyped]  # no stubs in the environment

    source = text[start:end]
    try:
        data = yaml.safe_load(source)
    except (yaml.YAMLError, ValueError, RecursionError):
        return FrontMatter(notice="the front matter is not valid YAML; its fields were not read")
    if not isinstance(data, dict):
        return FrontMatter()
    fields = {str(k).strip().casefold(): v for k, v in data.items()}
    regions = _regions(source)
    fm = FrontMatter()
    title = _scalar(fields.get("title"))
    if title:
        fm.title = title
        _block(fm, "title", title, source, regions.get("title"), start)
    for key in _AUTHOR_KEYS:
        names = _names(fields.get(key))
        if names:
            fm.authors = names
            for name in names:
                _block(fm, "byline", name, source, regions.get(key), start)
            break
    for key in _DATE_KEYS:
        date = _date(fields.get(key), regions.get(key), source)
        if date:
            fm.date = date
            _block(fm, "date", date, source, regions.get(key), start)
            break
    for key in _SOURCE_KEYS:
        url = _scalar(fields.get(key))
        if url and re.match(r"https?://\S+$", url):
            fm.source_url = url
            break
    for key in _TAG_KEYS:
        if key in fields:
            fm.tags = _tags(fields[key])
            break
    fm.blocks.sort(key=lambda b: b.source_start)
    return fm


def _regions(source: str) -> dict[str, tuple[int, int]]:
    """Each top-level key's (start, end) in ``source``: its line and the lines under it."""
    keys = [(m.group(1).strip().casefold(), m.start()) for m in _TOP_KEY.finditer(source)]
    out: dict[str, tuple[int, int]] = {}
    for i, (key, at) in enumerate(keys):
        out.setdefault(key, (at, keys[i + 1][1] if i + 1 < len(keys) else len(source)))
    return out


def _block(fm: FrontMatter, kind: str, value: str, source: str,
           region: tuple[int, int] | None, start: int) -> None:
    """A header block for ``value`` where it is written in its key's region (after the
    key's colon); a value the YAML spells otherwise (folded, escaped) gets no block."""
    if region is None:
        return
    at = source.find(value, source.find(":", region[0]) + 1, region[1])
    if at >= 0:
        fm.blocks.append(Block(kind, value, [0], [start + at]))


def _scalar(value: Any) -> str | None:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        out = " ".join(str(value).split())
        return out or None
    return None


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        name = _scalar(item)
        if name:
            m = _WIKILINK.match(name)
            out.append(m.group(1).strip() if m else name)
    return list(dict.fromkeys(out))


def _date(value: Any, region: tuple[int, int] | None, source: str) -> str | None:
    """A date as it is written (YAML reads ``2024-03-12`` as a date object)."""
    if value is None or isinstance(value, bool | list | dict):
        return None
    if isinstance(value, str):
        return _scalar(value)
    if region is not None:
        line = source[region[0]:region[1]].split("\n", 1)[0]
        raw = line.split(":", 1)[1].strip().strip("'\"") if ":" in line else ""
        if raw:
            return raw
    return str(value)


def _tags(value: Any) -> list[str]:
    items = value if isinstance(value, list) else (
        value.split(",") if isinstance(value, str) else [])
    out = []
    for item in items:
        tag = _scalar(item)
        if tag:
            out.append(tag.lstrip("#").strip())
    return [t for t in dict.fromkeys(out) if t]
