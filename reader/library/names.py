"""How the library names things: the key a name is matched by, a mention's snippet, which
files are articles, where the index lives."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from reader.formats import ARTICLE_SUFFIXES

__all__ = [
    "ARTICLE_SUFFIXES", "SNIPPET_CHARS", "article_files", "default_index_dir", "kind",
    "name_key", "snippet",
]

# The library lists and ``reader index`` reads the files of ARTICLE_SUFFIXES (compared
# case-insensitively): the formats' own list, so a file the app opens is also listed.
_KIND = {".htm": "html", ".markdown": "md"}
#: Characters of context around a first mention in :attr:`Appearance.snippet`.
SNIPPET_CHARS = 100


def default_index_dir(notes_path: Path | None = None) -> Path:
    """The index folder for a notes file (default: the store's default file):
    ``<user data dir>/library/<notes file's stem>-<hash of its real path>``.

    One index per notes file, so ``--db`` and ``READER_DB`` keep separate libraries (and
    corrections, which live in the notes file, stay with theirs); in this machine's data
    folder, because it holds this machine's paths and file stamps while the notes file
    may be synced between machines or sit in a vault that should not churn.
    """
    import hashlib

    import platformdirs

    if notes_path is None:
        from reader.store import default_path

        notes_path = default_path()
    real = os.path.realpath(os.path.expanduser(notes_path))
    digest = hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    stem = Path(real).stem or "notes"
    data = Path(platformdirs.user_data_dir("reader", appauthor=False))
    return data / "library" / f"{stem}-{digest}"


def name_key(text: str) -> str:
    """The key names are matched by: entities.py's row key (white space collapsed,
    casefolded) with what does not depend on case trimmed as its normalisation does (a
    leading "the", a possessive, quotes, an abbreviated title such as "Dr."), and
    diacritics and curly apostrophes folded: "José Núñez's" finds "jose nunez".

    Case-dependent trimming ("said Smith" -> "Smith") is left out on purpose: a typed
    query has any case, and row names were trimmed by ``resolve`` already."""
    from reader.entities.words import TITLE_ABBREVS

    key = " ".join(text.replace("’", "'").replace("‘", "'").split()).casefold()
    key = key.strip(" ,;:*_\"'“”«»`")
    if key.startswith("the "):
        key = key[4:]
    if key.endswith("'s"):
        key = key[:-2]
    key = key.rstrip("'")
    first, _, rest = key.partition(" ")
    if rest and first.endswith(".") and first.rstrip(".") in TITLE_ABBREVS:
        key = rest
    if not key.isascii():
        decomposed = unicodedata.normalize("NFKD", key)
        key = unicodedata.normalize(
            "NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))
    return key.strip()


def snippet(text: str, start: int, end: int, width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of the line around ``text[start:end]``, cut at word
    ends, white space collapsed, "…" where the line goes on."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    room = max(0, width - (end - start))
    a = max(line_start, start - room // 2)
    z = min(line_end, end + room - (start - a))
    a = max(line_start, min(a, z - width))  # a short right side leaves more for the left
    if a > line_start:
        space = text.find(" ", a, start)
        a = space + 1 if space >= 0 else a
    if z < line_end:
        space = text.rfind(" ", end, z)
        z = space if space >= 0 else z
    body = " ".join(text[a:z].split())
    return ("…" if a > line_start else "") + body + ("…" if z < line_end else "")


def article_files(folders: Iterable[Path]) -> list[Path]:
    """The article files under ``folders`` (recursively, sorted; hidden files and folders
    such as ``.git`` or ``.obsidian`` are left out). A file given directly is kept."""
    out: list[Path] = []
    seen: set[str] = set()
    for folder in folders:
        root = os.path.abspath(os.path.expanduser(folder))
        if os.path.isfile(root):
            if root not in seen:
                seen.add(root)
                out.append(Path(root))
            continue
        for here, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if name.startswith(".") or not name.lower().endswith(ARTICLE_SUFFIXES):
                    continue
                path = os.path.join(here, name)
                if path not in seen:
                    seen.add(path)
                    out.append(Path(path))
    return out


def kind(path: str) -> str:
    """The article's kind as the library shows it: the file suffix without the dot."""
    suffix = os.path.splitext(path)[1].lower()
    return _KIND.get(suffix, suffix.lstrip(".") or "txt")
