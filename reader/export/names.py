"""File names of exports, and the citation that links to one.

Two ways to name an article's file (the ``export.file_names`` setting): ``title``, the
title made safe for every system, so that ``[[Title]]`` in a vault finds it; ``slug``,
lower-case words joined by ``-``. Either way the name is the same on every re-export, and
a file holding another article's export (or no export at all) is never replaced: the
name then gets ``-<8 hex of the article's path>``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from reader.config import ExportSettings, FileNames

if TYPE_CHECKING:
    from reader.notes import ArticleText

__all__ = ["MAX_NAME_BYTES", "SLUG_MAX", "ExportSettings", "FileNames", "article_stem",
           "citation", "safe_name", "slugify", "target_in_dir"]

# --------------------------------------------------------------------------- slugs

_SLUG_DROP = re.compile(r"[^\w]+", re.U)
SLUG_MAX = 80


def slugify(title: str, fallback: str = "article") -> str:
    """A file name stem from a title: lower case words joined by ``-`` (letters of any
    script kept), at most :data:`SLUG_MAX` characters, cut at a word."""
    s = unicodedata.normalize("NFKC", title).casefold()
    s = _SLUG_DROP.sub("-", s).strip("-_")
    if len(s) > SLUG_MAX:
        cut = s.rfind("-", 0, SLUG_MAX + 1)
        s = s[:cut if cut > 20 else SLUG_MAX].strip("-_")
    return s or fallback


# --------------------------------------------------------------------------- titles

#: A whole file name (``.md`` included) fits in this many bytes of UTF-8: under the 255
#: most file systems allow, with room for a folder-sync tool's suffix.
MAX_NAME_BYTES = 200
#: Not in a name on Windows (``/ \ : * ? " < > |``), nor in a vault link (``# ^ [ ]``:
#: Obsidian would read ``[[A#B]]`` as a heading of A).
_UNSAFE = re.compile(r'[/\\:*?"<>|#^\[\]]|[\x00-\x1f\x7f-\x9f]')
#: Names Windows keeps for devices, with any extension after them.
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])( *\..*)?", re.I)


def _cut_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, at a character boundary."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore")


def safe_name(title: str, *, fallback: str = "article", max_bytes: int = MAX_NAME_BYTES - 3
              ) -> str:
    """A file name stem from a title that every system accepts: the characters above
    become spaces, runs of space one, no dot or space at the start, none at the end, at
    most ``max_bytes`` of UTF-8, not a Windows device name (``CON`` becomes ``CON_``).
    ``fallback`` (made safe the same way) when nothing of the title is left; it may be
    ``""``."""
    s = unicodedata.normalize("NFC", title)
    s = " ".join(_UNSAFE.sub(" ", s).split())
    s = s.lstrip(". ")
    s = _cut_bytes(s, max_bytes).rstrip(". ")
    if not s:
        return safe_name(fallback, fallback="", max_bytes=max_bytes) if fallback else ""
    device = _RESERVED.fullmatch(s)
    if device:
        s = _cut_bytes(device[1] + "_" + (device[2] or ""), max_bytes).rstrip(". ")
    return s


def article_stem(title: str, source: str, file_names: FileNames = "title") -> str:
    """The stem of an article's export file, before any clash with another file (see
    :func:`target_in_dir`): the name ``[[...]]`` links to."""
    if file_names == "slug":
        return slugify(title, fallback=slugify(Path(source).stem))
    return (safe_name(" ".join(title.split()), fallback=Path(source).stem or "article")
            or "article")


def _owner(path: Path) -> str | None:
    """The ``source`` written in an existing export's front matter (None if none)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(8192)
    except OSError:
        return None
    if not head.startswith("---\n"):
        return None
    for line in head.split("\n")[1:]:
        if line == "---":
            break
        if line.startswith("source: "):
            try:
                value = json.loads(line[len("source: "):])
            except ValueError:
                return None
            return value if isinstance(value, str) else None
    return None


def target_in_dir(folder: Path, title: str, source: str, taken: set[Path], *,
                  file_names: FileNames = "slug") -> Path:
    """The file in ``folder`` for the article at ``source``: ``<stem>.md``, unless that
    name is taken in this run or holds another article's export (or a file that is not
    an export), then ``<stem>-<8 hex of the source path>.md``. Stable across runs, and
    never replaces another article's file. Adds the choice to ``taken``."""
    stem = article_stem(title, source, file_names)
    plain = folder / f"{stem}.md"
    key = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    chosen = plain
    if plain in taken or (plain.exists() and _owner(plain) != source):
        if file_names == "title":
            stem = safe_name(stem, max_bytes=MAX_NAME_BYTES - 3 - 9)
        chosen = folder / f"{stem}-{key}.md"
    taken.add(chosen)
    return chosen


def citation(article: ArticleText, settings: ExportSettings) -> str:
    """A link to the article's export for a vault: ``[[Stem]]`` with wikilinks on, else a
    Markdown link ``[Title](Stem.md)`` (the file name percent-encoded)."""
    title = " ".join(article.title.split()) or Path(article.path).stem
    source = str(Path(article.path).absolute())
    stem = article_stem(title, source, settings.file_names)
    if settings.wikilinks:
        return f"[[{stem}]]"
    shown = re.sub(r"([\\\[\]])", r"\\\1", title)
    return f"[{shown}]({quote(stem + '.md')})"
