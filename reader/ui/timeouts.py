"""How long each kind of notification stays on screen, in seconds: one place to tune them."""

from __future__ import annotations

#: An acknowledgement of what a key just did ("note saved", "copied").
BRIEF = 2
#: A hint about the next step ("press v to start a selection").
HINT = 3
#: Something to read before going on (a library result, a warning about unsaved text).
NOTICE = 5
#: A finished job whose result names a file ("wrote …").
RESULT = 6
#: An error or a problem the reader must act on.
PROBLEM = 8
#: What went wrong at start (a damaged notes file), and how to recover.
STARTUP = 10
