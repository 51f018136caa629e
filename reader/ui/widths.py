"""Widths, in terminal columns, that the screens share: one place to tune them."""

from __future__ import annotations

#: Below this terminal width the entity panel starts (and becomes) hidden.
PANEL_MIN_WIDTH = 100
#: The widest a list dialog gets (it is also at most 90% of the screen).
DIALOG_MAX_WIDTH = 110
#: Columns a list dialog's border, padding and scroll bar take from its rows.
DIALOG_CHROME = 8
#: The status line's title is cut to leave the figures room, but never below this.
STATUS_TITLE_MIN = 10
#: Columns between the status line's title and its figures, and its margins.
STATUS_GAP = 5
#: A library row's title keeps at least this many columns (the row scrolls past that).
LIBRARY_TITLE_MIN = 40
#: Columns a library row keeps beside its title for the reading progress.
LIBRARY_FIGURES = 8
#: How much of a quote a row of the all-notes list shows.
ALL_NOTES_QUOTE = 60
#: How much of a note's text the command palette shows.
PALETTE_NOTE = 70
