"""Theme names from the settings file, checked against the themes Textual knows."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from textual.theme import BUILTIN_THEMES


def theme_problem(name: str, known: Iterable[str] | None = None) -> str | None:
    """Why ``name`` cannot be used as the theme, in one line; None when it can.

    ``known``: the theme names available (default: Textual's built-in themes).
    """
    names = sorted(BUILTIN_THEMES if known is None else known)
    if name in names:
        return None
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(names)}"
    return f"theme: no theme is called {name} ({hint}); using the default"
