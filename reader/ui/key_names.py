"""Keys as people type them: ``/`` for Textual's ``slash``, ``PgDn`` for ``pagedown``.

Textual's ``format_key`` already gives the character of a named key (``/``, ``]``,
``?``, ``+``) and the arrows; the table below keeps the names a manual uses for the
keys it abbreviates or draws as symbols (``esc``, ``⏎``, ``pgdn``).
"""

from __future__ import annotations

from textual.keys import format_key

__all__ = ["shown", "shown_keys"]

#: Named keys as the help and docs/keys.md write them.
NAMES: dict[str, str] = {
    "escape": "escape",
    "enter": "enter",
    "space": "space",
    "tab": "tab",
    "backspace": "backspace",
    "delete": "delete",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "home": "Home",
    "end": "End",
}


def shown(key: str) -> str:
    """One Textual key name (``right_square_bracket``, ``ctrl+s``) as it is typed."""
    key = key.strip()
    *mods, name = key.split("+") if key != "+" else ["+"]
    if name in NAMES:
        base = NAMES[name]
    elif len(name) == 1:
        base = name
    else:
        base = format_key(name)
    return "+".join([*mods, base])


def shown_keys(keys: str) -> tuple[str, ...]:
    """A binding's key string (``"j,down"``) as the keys typed, in its order."""
    return tuple(shown(k) for k in keys.split(",") if k.strip())
