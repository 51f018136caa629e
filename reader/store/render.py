"""How the store file is laid out: one document per line, so a save re-serialises only
the documents that are new or changed.

A 10,000-note file is about 6 MB of JSON and serialising all of it on every save is slow
(bench/bench_store.py measures it), so the storage keeps the serialised line of every
document and reuses it while the document is the same object and not marked dirty; the
lines of a freshly loaded file are taken from its bytes without re-serialising.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, cast

from reader.store.schema import META, Data

__all__ = ["Lines", "check_json", "lines_from_raw", "render"]

#: per table: document id -> (the document object, its line ``"id":{...},`` as UTF-8)
Lines = dict[str, dict[str, tuple[Any, bytes]]]

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode

# Printable ASCII except '"' and '\\': json.dumps leaves such a string as it is.
_PLAIN = re.compile(r'[ !#-\[\]-~]*\Z')


def _key_json(key: str) -> str:
    return '"' + key + '"' if _PLAIN.match(key) else _dumps(key)


def _line(doc_id: str, doc: Any) -> bytes:
    """A document's line in the file, with a trailing comma: ``"id":{...},``."""
    text = _key_json(doc_id) + ":" + _dumps(doc) + ","
    try:
        return text.encode()
    except UnicodeEncodeError:  # lone surrogates: write them as JSON \uXXXX escapes
        return text.encode(errors="backslashreplace")


def check_json(doc: Mapping[str, Any], what: str) -> None:
    try:
        _dumps(doc)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{what} cannot be stored as JSON: {e}") from None



def render(data: Data, cached_lines: Lines, dirty: set[tuple[str, str]], *,
           verify: bool) -> tuple[list[bytes | memoryview], Lines]:
    """The file as chunks of bytes: one document per line, reusing the cached line of
    every document that is the same object as when its line was made and not in ``dirty``
    (TinyDB inserts new objects; in-place updates are marked by ``Store``). Returns the
    chunks and the lines to cache for the next save. ``verify``: check that the text
    parses back to ``data``."""
    new_lines: Lines = {}
    names = list(data)
    if META in data and names[0] != META:
        names.remove(META)
        names.insert(0, META)
    chunks: list[bytes | memoryview] = [b"{"]
    for i, name in enumerate(names):
        table = data[name]
        cache = cached_lines.get(name, {})
        for table_name, doc_id in dirty:
            if table_name == name:
                cache.pop(doc_id, None)
        lines = _table_lines(table, cache)
        if len(cache) > len(table):  # documents were removed: forget their lines
            cache = {k: cache[k] for k in table}
        new_lines[name] = cache
        chunks.append(b"\n" + _key_json(name).encode() + b":{")
        if lines:  # every line ends with a comma: leave out the last one
            chunks.append(b"\n")
            chunks.append(memoryview(b"\n".join(lines))[:-1])
        chunks.append(b"\n}" if i == len(names) - 1 else b"\n},")
    chunks.append(b"\n}")
    if verify and json.loads(b"".join(chunks)) != data:
        raise AssertionError("store: the rendered file does not match the data")
    return chunks, new_lines


def _table_lines(table: dict[str, Any], cache: dict[str, tuple[Any, bytes]]) -> list[bytes]:
    """The lines of one table's documents, from ``cache`` where still valid (new lines are
    added to ``cache``)."""
    get = cache.get
    lines: list[bytes | None] = [
        e[1] if (e := get(k)) is not None and e[0] is d else None for k, d in table.items()
    ]
    keys = list(table)
    for j in [j for j, line in enumerate(lines) if line is None]:
        doc_id = keys[j]
        doc = table[doc_id]
        new = _line(doc_id, doc)
        lines[j] = new
        cache[doc_id] = (doc, new)
    return cast(list[bytes], lines)  # pragma: no mutate


def lines_from_raw(raw: bytes, data: Data) -> Lines:
    """Take the document lines of a file in our layout as their cached JSON.

    JSON strings cannot hold a raw newline, so in our layout every line is one table
    header, one document or a closing brace, in the order ``json.loads`` keeps.  Any
    other layout: no reuse (still correct, the first save is just slower).
    """
    lines = raw.rstrip(b"\n").split(b"\n")
    if len(lines) < 2 or lines[0] != b"{" or lines[-1] != b"}":
        return {}
    out: Lines = {}
    i = 1
    names = list(data)
    for t, name in enumerate(names):
        table = data[name]
        n = len(table)
        if i + n + 1 >= len(lines) or lines[i] != _key_json(name).encode("utf-8") + b":{":
            return {}
        block = lines[i + 1 : i + 1 + n]
        i += n + 1
        if lines[i] != (b"}" if t == len(names) - 1 else b"},"):
            return {}
        i += 1
        if n:
            if not block[-1].endswith(b"}"):
                return {}
            block[-1] += b","  # cached lines carry their comma
            if not all([line.endswith(b"},") for line in block]) or not all(
                [
                    line.startswith(_key_json(k).encode("utf-8", "backslashreplace") + b":{")
                    for k, line in zip(table, block, strict=True)
                ]
            ):
                return {}
        out[name] = {k: (d, line) for (k, d), line in zip(table.items(), block, strict=True)}
    return out if i == len(lines) - 1 else {}
