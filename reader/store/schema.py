"""The store file's schema: its tables, how a file is checked, how an older one is migrated.

``_meta.schema.schema_version`` is stamped in the file. A file of an older schema is
migrated (in memory: the caller writes it back); a newer one is only read.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

__all__ = [
    "CORRECTIONS", "DRAFTS", "META", "NOTES", "POSITIONS", "SCHEMA_VERSION", "UNREAD", "Data",
    "Unreadable", "checked", "empty", "parse",
]

SCHEMA_VERSION = 1

META = "_meta"
NOTES = "notes"
POSITIONS = "positions"
DRAFTS = "drafts"
CORRECTIONS = "corrections"

Data = dict[str, dict[str, Any]]


def empty() -> Data:
    return {
        META: {"schema": {"schema_version": SCHEMA_VERSION}},
        NOTES: {},
        POSITIONS: {},
        DRAFTS: {},
        CORRECTIONS: {},
    }


class Unreadable(Exception):
    """The bytes are not a store file (the message is a short clause: the reason)."""


def parse(raw: bytes) -> Data:
    """Decode and check the bytes of a store file."""
    if not raw.strip():
        raise Unreadable("the file is empty")
    try:
        text = raw.decode("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError as e:
        raise Unreadable(f"it is not UTF-8 text (bad byte at offset {e.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        truncated = e.pos >= len(text.rstrip()) or e.msg.startswith("Unterminated string")
        hint = ", it looks truncated" if truncated else ""
        raise Unreadable(
            f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}{hint}"
        ) from None
    except RecursionError:
        raise Unreadable("not valid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise Unreadable("it is JSON but not a notes file (the top level is not an object)")
    # The version first: a newer reader may lay its tables out in ways this one cannot
    # know, and its file must open read-only, never be moved aside as unreadable.
    declared = declared_version(data)
    if declared is not None and declared > SCHEMA_VERSION:
        return readable_part(data)
    for name, table in data.items():
        if not isinstance(table, dict):
            raise Unreadable(f"it is JSON but not a notes file (table {name!r} is not an object)")
        if not all([isinstance(doc, dict) for doc in table.values()]):
            raise Unreadable(
                f"it is JSON but not a notes file (table {name!r} holds a non-object entry)"
            )
    schema_version(data)
    return data


def declared_version(data: dict[str, Any]) -> int | None:
    """``_meta.schema.schema_version`` if the file states a whole number there, else None
    (read before anything looks at the tables' shape)."""
    meta = data.get(META)
    schema = meta.get("schema") if isinstance(meta, dict) else None
    version = schema.get("schema_version") if isinstance(schema, dict) else None
    if isinstance(version, bool) or not isinstance(version, int):
        return None
    return version


#: Key of ``_meta`` under which ``readable_part`` lists the tables it could not read
#: (only ever in memory: a newer file is never written).
UNREAD = "unread_tables"


def readable_part(data: dict[str, Any]) -> Data:
    """Of a newer schema's file: the tables laid out as this version lays them out (an
    object of objects), for reading; every other table is left out (and named in
    ``_meta``), so a newer layout shows what can be shown and nothing breaks on the rest."""
    out: Data = {META: {**data[META], UNREAD: []}}
    for name, table in data.items():
        if name == META:
            continue
        if isinstance(table, dict) and all([isinstance(d, dict) for d in table.values()]):
            out[name] = table
        else:
            out[META][UNREAD].append(name)
    return out


def schema_version(data: Data) -> int:
    """The file's schema version; 0 for a plain TinyDB file from before versioning."""
    meta = data.get(META)
    if meta is None:
        return 0
    schema = meta.get("schema")
    if schema is None:
        return 0
    version = schema.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise Unreadable(f"its schema_version is {version!r}, not a positive whole number")
    return version


def migrate(data: Data, version: int) -> Data:
    """Bring data of an older schema up to ``SCHEMA_VERSION`` (returns new data)."""
    if version < 1:
        data = migrate_0_to_1(data)
    data[META]["schema"] = {"schema_version": SCHEMA_VERSION}
    return data


def migrate_0_to_1(data: Data) -> Data:
    """Schema 0 is a plain TinyDB file (integer document ids, no ``_meta``).

    Schema 1 keys notes and corrections by their own ``id`` (uuid hex, assigned if missing),
    reading positions by article ``hash`` and drafts by ``key``; the empty ``_default``
    table TinyDB leaves behind is dropped.
    """
    out: Data = {META: dict(data.get(META, {}))}
    out[META]["schema"] = {"schema_version": 1}
    for name, table in data.items():
        if name == META or (name == "_default" and not table):
            continue
        new: dict[str, Any] = {}
        for old_key, old_doc in table.items():
            doc = dict(old_doc)
            key = old_key
            if name in (NOTES, CORRECTIONS):
                doc_id = doc.get("id")
                if not isinstance(doc_id, str) or not doc_id or doc_id in new:
                    doc_id = uuid.uuid4().hex
                    doc["id"] = doc_id
                key = doc_id
            elif name == POSITIONS and isinstance(doc.get("hash"), str) and doc["hash"]:
                key = doc["hash"]
            elif name == DRAFTS and isinstance(doc.get("key"), str) and doc["key"]:
                key = doc["key"]
            new[key] = doc
        out[name] = new
    return out



def checked(data: Data) -> tuple[Data, int]:
    """``data`` brought up to ``SCHEMA_VERSION`` when it is older, and the version the file
    declared: above ``SCHEMA_VERSION`` the data is returned as it is (the caller opens it
    read-only). Raises ``Unreadable`` for a version that is not a positive whole number."""
    version = schema_version(data)
    if version < SCHEMA_VERSION:
        return migrate(data, version), version
    return data, version
