"""The entity rows of an indexed article, packed as two strings.

Parsing a few long strings is much faster than parsing the same rows as JSON lists
(bench/bench_library.py), so an article in a shard is ``[keys, rows]``:
keys: "\\n" + every row's name keys joined by "\\n" + "\\n", scanned with ``in``;
rows: one line per row, tab-separated, split only for an article that matched:
name, group, count, start, end, snippet, aliases ("\\x1f"-joined), keys (same).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from reader.library.names import name_key, snippet

if TYPE_CHECKING:
    from reader.document import Article
    from reader.entities import Entity

__all__ = ["Packed", "Row", "indexed", "lines_with", "pack", "unpack"]

Packed = list[str]


class Row(NamedTuple):
    name: str
    group: str
    mentions: int  # (not "count": that is a tuple method)
    start: int
    end: int
    snippet: str
    aliases: tuple[str, ...]
    keys: tuple[str, ...]


def _clean(field: str) -> str:
    """A field fit for the packed rows: no tab, newline or unit separator."""
    return field.replace("\t", " ").replace("\n", " ").replace("\x1f", " ")


def unpack(line: str) -> Row | None:
    """One packed row; None if it is damaged (the article's other rows still count)."""
    f = line.split("\t")
    if len(f) != 8:
        return None
    try:
        return Row(f[0], f[1], int(f[2]), int(f[3]), int(f[4]), f[5],
                    tuple(a for a in f[6].split("\x1f") if a),
                    tuple(k for k in f[7].split("\x1f") if k))
    except ValueError:
        return None



def lines_with(packed: str, needles: Iterable[str]) -> Iterator[str]:
    """The lines of ``packed`` that contain one of ``needles`` (found with str.find, so
    the article's other rows are never split)."""
    starts: set[int] = set()
    for needle in needles:
        i = packed.find(needle)
        while i >= 0:
            a = packed.rfind("\n", 0, i) + 1
            z = packed.find("\n", i)
            if z < 0:
                z = len(packed)
            if a not in starts:
                starts.add(a)
                yield packed[a:z]
            i = packed.find(needle, z)



def indexed(e: Entity) -> bool:
    """Rows that name something (as the export's entity index has them): dates, sums
    and numbers in "other" would only crowd the command palette."""
    from reader.entities import NAME_LABELS

    return e.count > 0 and (e.group != "other" or e.label in NAME_LABELS)


def pack(entities: Sequence[Entity], article: Article) -> Packed:
    every_key: list[str] = []
    lines = []
    for e in entities:
        first = e.mentions[0]
        keys: list[str] = []
        for n in (e.name, *e.aliases):
            k = _clean(name_key(n))
            if k and k not in keys:
                keys.append(k)
        every_key.extend(keys)
        lines.append("\t".join((
            _clean(e.name), _clean(e.group), str(e.count), str(first.start), str(first.end),
            _clean(_snippet_of(article, first.start, first.end)),
            "\x1f".join(_clean(a) for a in e.aliases), "\x1f".join(keys))))
    return ["\n" + "\n".join(dict.fromkeys(every_key)) + "\n", "\n".join(lines)]


def _snippet_of(article: Article, start: int, end: int) -> str:
    """The snippet from the displayed text (Markdown markup and escapes removed), where
    the mention's block can be found; else from the file's text."""
    blocks = article.blocks
    if blocks and article.block_starts:
        block = blocks[article.block_at(start)]
        if block.source_start <= start and end <= block.source_end:
            return snippet(block.text, block.to_display(start), block.to_display(end - 1) + 1)
    return snippet(article.text, start, end)
