"""WCAG contrast of a text colour on its background, and a text colour made readable.

The page's styles come from the theme ($primary, $warning 12% and so on); no palette is
readable with every theme as it is, so the page resolves each style to the colours drawn
and moves a text colour that falls short towards black or white until it reads. The hue
stays as far as the ratio allows, so the entity groups keep their colours where they can.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor
from rich.color import ColorSystem
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


def as_shown(color: Color, system: str | None) -> Color:
    """The colour a terminal shows for ``color``: the nearest of 256 where the terminal
    says it has no more (Rich picks it, as it did for the issue's "grey 253 on white
    231"); else as it is. (Of 16 colours the palette is the terminal's own and not known
    here: nothing is gained by guessing it.)"""
    if system != "256":
        return color
    return Color(*RichColor.from_rgb(*color.rgb).downgrade(ColorSystem.EIGHT_BIT)
                 .get_truecolor())


def seen_contrast(fg: Color, bg: Color, *, mono: bool = False,
                  system: str | None = None) -> float:
    """The ratio as drawn: with ``mono`` (NO_COLOR) after Textual turns both to grey, and
    in the colours the terminal's ``system`` has (Rich's name: truecolor, 256, ...)."""
    if mono:
        fg, bg = fg.monochrome, bg.monochrome
    return contrast(as_shown(fg, system), as_shown(bg, system))


@lru_cache(maxsize=4096)
def readable(fg: Color, bg: Color, minimum: float = TEXT_CONTRAST, *,
             mono: bool = False, system: str | None = None) -> Color:
    """``fg``, or the least change of it towards black or white that reads on ``bg`` at
    ``minimum`` as drawn (in grey with ``mono``, in the terminal's colour ``system``)."""

    def ratio(color: Color) -> float:
        return seen_contrast(color, bg, mono=mono, system=system)

    if ratio(fg) >= minimum:
        return fg
    # The end with more room; should it not reach the minimum, the other may.
    ends = sorted((BLACK, WHITE), key=lambda end: -ratio(end))
    for end in ends:
        for step in range(1, 21):
            moved = fg.blend(end, step / 20)
            if ratio(moved) >= minimum:
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
