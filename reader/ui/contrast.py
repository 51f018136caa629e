"""WCAG contrast of a text colour on its background, and a text colour made readable.

The page's styles come from the theme ($primary, $warning 12% and so on); no palette is
readable with every theme as it is, so the page resolves each style to the colours drawn
and moves a text colour that falls short towards black or white until it reads. The hue
stays as far as the ratio allows, so the entity groups keep their colours where they can.
"""

from __future__ import annotations

from functools import lru_cache

from rich.terminal_theme import TerminalTheme
from textual.color import Color

#: WCAG 2 AA: text, and decorations that carry no text (marks in the margin).
TEXT_CONTRAST = 4.5
MARK_CONTRAST = 3.0

BLACK = Color(0, 0, 0)
WHITE = Color(255, 255, 255)


def _channel(value: int) -> float:
    v = value / 255
    return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4


def luminance(color: Color) -> float:
    """Relative luminance (WCAG 2) of an opaque colour."""
    r, g, b = color.rgb
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two opaque colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def seen_contrast(fg: Color, bg: Color, *, mono: bool = False) -> float:
    """The ratio as drawn: with ``mono`` (NO_COLOR), after Textual turns both to grey."""
    if mono:
        return contrast(fg.monochrome, bg.monochrome)
    return contrast(fg, bg)


@lru_cache(maxsize=4096)
def readable(fg: Color, bg: Color, minimum: float = TEXT_CONTRAST, *,
             mono: bool = False) -> Color:
    """``fg``, or the least change of it towards black or white that reads on ``bg`` at
    ``minimum`` (also in grey, with ``mono``)."""
    if seen_contrast(fg, bg, mono=mono) >= minimum:
        return fg
    # The end with more room; should it not reach the minimum, the other may.
    ends = sorted((BLACK, WHITE), key=lambda end: -seen_contrast(end, bg, mono=mono))
    for end in ends:
        for step in range(1, 21):
            moved = fg.blend(end, step / 20)
            if seen_contrast(moved, bg, mono=mono) >= minimum:
                return moved
    return ends[0]


#: xterm's own 16 colours: the ansi themes leave colours to the terminal, whose palette is
#: not known, so a colour there must read in this palette as well as in the one Textual
#: assumes (Monokai on dark terminals, Alabaster on light ones).
_XTERM = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
          (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
          (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]
XTERM_DARK = TerminalTheme((0, 0, 0), (229, 229, 229), _XTERM[:8], _XTERM[8:])
XTERM_LIGHT = TerminalTheme((255, 255, 255), (0, 0, 0), _XTERM[:8], _XTERM[8:])
