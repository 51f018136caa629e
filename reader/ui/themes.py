"""Theme names from the settings file, checked against the themes Textual knows."""

from __future__ import annotations

from collections.abc import Iterable

from textual.theme import BUILTIN_THEMES

from reader import config


def theme_problem(name: str, known: Iterable[str] | None = None) -> str | None:
    """Why ``name`` cannot be used as the theme, in one line; None when it can.

    ``known``: the theme names available (default: Textual's built-in themes). The wording
    is :func:`reader.config.theme_problem`'s, so the command line and the app say the same.
    """
    return config.theme_problem(name, BUILTIN_THEMES if known is None else known)
