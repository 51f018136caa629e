"""How a note is drawn in a list: its quote, its own text, its tags and its state.

One renderable per note (an OptionList prompt), wrapped to the list's width when drawn,
so the list stays virtualised: the notes panel shows a one-line quote and up to three
lines of the text; the full notes view shows both whole.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from reader.notes import PlacedNote, entity_of, note_colour

#: What a row says of a note that is not plainly anchored (anchored says nothing).
STATE_WORDS = {"moved": "moved", "orphan": "orphan"}
#: Lines of a note's text the panel shows (the last ends in … when there is more).
PANEL_TEXT_LINES = 3


def _date(value: object) -> str:
    """The day of an ISO timestamp (``2024-05-01T…`` -> ``2024-05-01``)."""
    return str(value)[:10] if isinstance(value, str) else ""


class NoteCard:
    """A note as a few lines: quote, text, then tags and state (and, in full, the date)."""

    def __init__(self, placed: PlacedNote, *, full: bool = False,
                 tag_colours: dict[str, str] | None = None) -> None:
        self.placed = placed
        self.full = full
        self.tag_colours = tag_colours

    def _quote(self) -> Text:
        note = self.placed.note
        name = entity_of(note)
        if name is not None:
            return Text(f"@ {name}", style="bold")
        quote = " ".join(str(self.placed.quote or note.get("quote") or "").split())
        return Text(f"“{quote}”", style="italic")

    def _footer(self) -> Text:
        note = self.placed.note
        parts = [f"#{t}" for t in note.get("tags") or []]
        state = STATE_WORDS.get(self.placed.state)
        if state:
            parts.append(f"[{state}]")
        colour = note_colour(note, self.tag_colours)
        if colour and self.full:
            parts.append(f"{colour} highlight")
        if self.full and _date(note.get("created")):
            parts.append(f"created {_date(note.get('created'))}")
        return Text(" ".join(parts), style="dim")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)
        quote = self._quote()
        if self.full:
            yield from quote.wrap(console, width)
        else:
            quote.truncate(width, overflow="ellipsis")
            quote.no_wrap = True
            yield quote
        text = str(self.placed.note.get("text") or "").strip()
        if text:
            lines = list(Text(text).wrap(console, width))
            if not self.full and len(lines) > PANEL_TEXT_LINES:
                last = lines[PANEL_TEXT_LINES - 1]
                last.rstrip()
                if last.cell_len >= width:
                    last.truncate(width - 1)
                last.append("…")
                lines = lines[:PANEL_TEXT_LINES]
            yield from lines
        footer = self._footer()
        if footer.plain:
            yield from footer.wrap(console, width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)
