"""Writing exports: the one entry point that both `x` in the app and `reader export` use.

Every file is replaced as a whole (:func:`reader.files.atomic_write`): a reader of the
vault never sees half an export, and a failed write leaves the old file as it was.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.export.markdown import PlacedNoteLike, export_markdown
from reader.export.names import ExportSettings, target_in_dir
from reader.files import atomic_write

if TYPE_CHECKING:
    from reader.document import Article
    from reader.entities import Entity

__all__ = ["ExportError", "Exported", "export_article", "now_stamp", "source_path",
           "write_export"]


class ExportError(Exception):
    """An export that cannot be written; ``str()`` is one line for the user."""


def _why(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)


def write_export(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` as a whole (see :func:`reader.files.atomic_write`).
    Raises :class:`ExportError` (one line)."""
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a folder")
    try:
        atomic_write(target, text)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {_why(exc)}") from None


def source_path(path: str | os.PathLike[str]) -> str:
    """The ``source`` written for an article's file: its absolute path, symlinks resolved
    (so an export finds its own file again from any folder)."""
    try:
        return str(Path(path).resolve())
    except OSError:
        return str(Path(path).absolute())


def now_stamp() -> str:
    """The export time written as ``exported:`` (local time, ISO 8601, seconds)."""
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Exported:
    """One article's export: its Markdown, and the file it went to (None: not written)."""

    text: str
    path: Path | None
    notes: int
    """How many notes it holds."""
    unchanged: bool = False
    """The file there already held this export but for its ``exported:`` time: left as it
    was, so a vault under version control sees no change."""


def export_article(
    article: Article,
    entities: Sequence[Entity] | None,
    placed: Sequence[PlacedNoteLike],
    *,
    settings: ExportSettings | None = None,
    folder: Path | None = None,
    target: Path | None = None,
    make_parent: bool = False,
    wikilinks: bool | None = None,
    pages: Mapping[str, str] | None = None,
    timestamp: str | None = None,
    template: str | None = None,
    source: str | None = None,
    source_missing: bool = False,
    taken: set[Path] | None = None,
) -> Exported:
    """Export ``article`` with its notes and write it; raises :class:`ExportError`.

    Where: ``folder`` (made if missing) gets a file named from the title per
    ``settings.file_names`` (see :func:`reader.export.names.target_in_dir`); ``target`` is
    the file itself, or a folder that gets a named file; neither: nothing is written (the
    caller prints :attr:`Exported.text`). ``make_parent`` makes ``target``'s folder first
    (the settings' export folder may not exist yet). ``taken``: the names chosen so far in
    this run, so two articles of one title get two files. ``wikilinks`` None follows the
    settings. ``pages``: the entity pages written with this export
    (:attr:`reader.export.entity_pages.EntityPages.links`), so that only names that have
    a page become links. The other arguments are those of :func:`export_markdown`.
    """
    settings = settings or ExportSettings()
    src = source if source is not None else source_path(article.path)
    text = export_markdown(article, entities, placed,
                           wikilinks=settings.wikilinks if wikilinks is None else wikilinks,
                           pages=pages,
                           timestamp=timestamp, template=template, source=src,
                           source_missing=source_missing)
    path = _where(article, src, settings, folder, target, make_parent,
                  taken if taken is not None else set())
    if path is not None and same_but_time(path, text):
        return Exported(text, path, len(placed), unchanged=True)
    if path is not None:
        write_export(path, text)
    return Exported(text, path, len(placed))


def same_but_time(path: Path, text: str) -> bool:
    """Whether the file at ``path`` holds ``text`` but for the ``exported:`` line(s): a
    re-export that would only change the time of export."""
    try:
        if path.stat().st_size > 4 * len(text.encode("utf-8")) + 4096:
            return False
        old = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if old == text:
        return True
    was, new = old.split("\n"), text.split("\n")
    return len(was) == len(new) and all(
        a == b or (a.startswith("exported:") and b.startswith("exported:"))
        for a, b in zip(was, new, strict=True))


def _where(article: Article, source: str, settings: ExportSettings, folder: Path | None,
           target: Path | None, make_parent: bool, taken: set[Path]) -> Path | None:
    if folder is None and target is None:
        return None
    if folder is None:
        assert target is not None
        if make_parent:
            _make_folder(target.parent)
        if not target.is_dir():
            return target
        folder = target
    _make_folder(folder)
    return target_in_dir(folder, article.title, source, taken, file_names=settings.file_names)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot make the folder {folder}: {_why(exc)}") from None
