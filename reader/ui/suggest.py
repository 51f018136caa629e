"""Path completion for the "open a file" box."""

from __future__ import annotations

import os
from pathlib import Path

from textual.suggester import Suggester

from reader.formats import ARTICLE_SUFFIXES


def complete_path(value: str) -> str | None:
    """The typed path completed by the first matching folder or article file, or None.

    Folders come first and end with ``/`` so the next part can be typed at once; hidden
    entries are offered only once a ``.`` has been typed.
    """
    if not value:
        return None
    expanded = os.path.expanduser(value)
    folder, _, part = expanded.rpartition("/")
    base = Path(folder or ("/" if expanded.startswith("/") else "."))
    try:
        names = sorted(os.listdir(base))
    except (OSError, ValueError):  # no such folder, no permission, a NUL typed
        return None
    folders: list[str] = []
    files: list[str] = []
    for name in names:
        if not name.startswith(part) or name == part or (name.startswith(".")
                                                          and not part.startswith(".")):
            continue
        try:
            is_folder = (base / name).is_dir()
        except OSError:  # a folder that may be listed but not entered: offer nothing there
            continue
        if is_folder:
            folders.append(name + "/")
        elif Path(name).suffix.lower() in ARTICLE_SUFFIXES:
            files.append(name)
    for name in folders + files:
        # Keep what was typed (a ~ stays a ~) and add the rest of the name.
        return value + name[len(part):]
    return None


class PathSuggester(Suggester):
    def __init__(self) -> None:
        # Case matters in file names, and the folder may change between two keys.
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)
