"""How the page turns a stack of component classes into a readable Rich style."""

from __future__ import annotations

from rich.color import Color as RichColor
from rich.style import Style
from rich.terminal_theme import TerminalTheme
from textual.color import Color
from textual.scroll_view import ScrollView

from reader.ui.contrast import (
    MARK_CONTRAST,
    TEXT_CONTRAST,
    XTERM_DARK,
    XTERM_LIGHT,
    readable,
    seen_contrast,
)


class StyledView(ScrollView):
    """A scroll view whose text styles are blended and kept readable (see :meth:`_style`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._style_cache: dict[tuple[str, ...], Style] = {}

    def _style(self, *names: str) -> Style:
        """The style drawn for text under these component classes (in layer order).

        Textual's own component styles drop a colour's alpha ($warning 12% becomes the full
        orange) and keep whatever contrast the theme gives; here the layers are blended
        over the page as the stylesheet means them, and a text colour that would not read
        on the background it ends up on is moved until it does (WCAG 4.5:1; 3:1 for the
        marks in the margin), in every theme and with NO_COLOR.
        """
        style = self._style_cache.get(names)
        if style is None:
            style = self._style_cache[names] = self._resolve(names)
        return style

    def _resolve(self, names: tuple[str, ...]) -> Style:
        base = self._base_style()
        layers = [self.get_component_styles(n) for n in names]
        page_bg, page_fg = base.bgcolor, base.color
        ansi = any(c.ansi is not None for layer in layers
                   for c in (layer.color, layer.background))
        if (page_bg is None or page_fg is None or page_bg.is_system_defined
                or page_fg.is_system_defined or ansi):
            return self._resolve_ansi(base, names)
        bg = Color.from_rich_color(page_bg)
        fg = Color.from_rich_color(page_fg)
        text = Style()
        colour: tuple[Color, bool] | None = None
        for layer in layers:
            if layer.has_rule("background"):
                bg = bg + layer.background
            if layer.has_rule("color") or layer.has_rule("auto_color"):
                colour = (layer.color, bool(layer.auto_color))
            text += layer.text_style
        if colour is not None:
            color, auto = colour
            fg = bg.get_contrast_text(color.a) if auto else bg + color
        minimum = MARK_CONTRAST if names == ("article--gutter",) else TEXT_CONTRAST
        fg = readable(fg, bg, minimum, mono=bool(self.app.no_color),
                      system=self.app.console.color_system)
        return base + Style(color=fg.rich_color, bgcolor=bg.rich_color) + text

    def _resolve_ansi(self, base: Style, names: tuple[str, ...]) -> Style:
        """The ansi themes leave colours to the terminal's palette, which is not known
        here: a colour is kept where it reads in the palettes Textual and xterm use;
        else the text takes black, white or the terminal's own colour, whichever reads in
        all of them; else (a band no text colour reads on everywhere, like blue) the band
        is drawn in the terminal's own colours reversed, which read in any palette."""
        style = base
        for name in names:
            style = style + self.get_component_rich_style(name, partial=True)
        minimum = MARK_CONTRAST if names == ("article--gutter",) else TEXT_CONTRAST
        bg = style.bgcolor or RichColor.default()

        def ratio(fg: RichColor) -> float:
            return self._ansi_contrast(Style(color=fg, bgcolor=bg))

        if ratio(style.color or RichColor.default()) >= minimum:
            return style
        default = RichColor.default()
        choices = [default] if bg.is_default else [RichColor.from_ansi(0),
                                                   RichColor.from_ansi(15), default]
        best = max(choices, key=ratio)
        if ratio(best) >= minimum:
            return style + Style(color=best)
        return style + Style(color=default, bgcolor=default, reverse=True)

    def _ansi_contrast(self, style: Style) -> float:
        """The lowest ratio of ``style`` in the palettes an ansi theme may meet."""
        app = self.app
        palettes = (app.ansi_theme, XTERM_DARK if app.current_theme.dark else XTERM_LIGHT)
        return min(self._palette_contrast(style, p) for p in palettes)

    def _palette_contrast(self, style: Style, palette: TerminalTheme) -> float:
        fg = Color(*(style.color or RichColor.default()).get_truecolor(palette, True))
        bg = Color(*(style.bgcolor or RichColor.default()).get_truecolor(palette, False))
        # (An ansi theme's colours are the terminal's own: nothing to round to 256.)
        system = None if self.app.native_ansi_color else self.app.console.color_system
        return seen_contrast(fg, bg, mono=bool(self.app.no_color), system=system)

    def drawn_contrast(self, *names: str) -> float:
        """The contrast ratio of the text drawn under these classes (see
        :meth:`style_contrast`)."""
        return self.style_contrast(self._style(*names))

    def style_contrast(self, style: Style) -> float:
        """The contrast ratio of text in ``style`` as the terminal shows it: in grey with
        NO_COLOR (or in the terminal's own colours, where NO_COLOR removes the ansi
        themes' colours), and for the ansi themes in the palette Textual assumes."""
        app = self.app
        if app.no_color and app.native_ansi_color:
            style = Style(reverse=style.reverse)  # what Textual's NoColor filter leaves
        if app.native_ansi_color:
            return self._ansi_contrast(style)
        return self._palette_contrast(style, app.ansi_theme)

    def _base_style(self) -> Style:
        """The page's own style: the walk up the DOM, once per style update."""
        base = self._style_cache.get(("",))
        if base is None:
            base = self._style_cache[("",)] = self.rich_style
        return base
