"""Contents, marks, the jump list and the way to the library: what users of vim and less expect.

`"` then a letter sets a mark at the reading cursor, `'` then a letter goes back to it
(`''`: where the reader was before the last jump, as `ctrl+o`). Marks are kept per
article for the session, in the app, so an article opened again finds them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.ui import timeouts
from reader.ui.access import reader_app

if TYPE_CHECKING:
    from reader.ui.screens.article.screen import ArticleScreen


class JumpsFlow:
    """Contents (`t`), marks, `ctrl+o`, and `L` (the library) for one article screen."""

    def __init__(self, screen: ArticleScreen) -> None:
        self.screen = screen
        self.pending: str | None = None
        """"set" or "jump" while a mark's letter is awaited."""
        self._own_marks: dict[str, int] = {}

    @property
    def marks(self) -> dict[str, int]:
        """Letter -> source offset of the marked sentence (kept by the app, when there
        is one, across the screens that show this article)."""
        app = reader_app(self.screen)
        if app is None:
            return self._own_marks
        return app.marks.setdefault(self.screen.article.hash, {})

    def ask(self, what: str) -> None:
        self.pending = what
        verb = "set" if what == "set" else "go to"
        self.screen.notify(f"a letter to {verb} a mark (escape: none)", timeout=timeouts.BRIEF)

    def letter(self, character: str | None) -> None:
        """The key after `"` or `'`: a letter sets or goes to that mark."""
        what, self.pending = self.pending, None
        if character == "'" and what == "jump":
            self.back()
        elif character is not None and character.isalpha():
            if what == "set":
                self.set_mark(character)
            else:
                self.go_to_mark(character)

    def set_mark(self, letter: str) -> None:
        view = self.screen.view
        where = view.passage() if view.selection is None else None
        offset = where[0] if where is not None else view.top_offset
        self.marks[letter] = offset
        self.screen.notify(f"mark {letter} set (' {letter} comes back here)",
                           timeout=timeouts.BRIEF)

    def go_to_mark(self, letter: str) -> None:
        offset = self.marks.get(letter)
        if offset is None:
            self.screen.notify(f"no mark {letter} in this article", timeout=timeouts.BRIEF)
            return
        view = self.screen.view
        view.remember_place()
        view.go_to_offset(offset, center=True)
        view.follow(view.sentence_at_offset(offset))

    def contents(self) -> None:
        """`t`: the headings or chapters; the cursor goes to the one chosen."""
        from reader.ui.screens.dialogs.toc import TocScreen

        screen = self.screen
        view, article = screen.view, screen.article
        entries = [(bi, b.text.replace("\n", " "), b.level) for bi, b in article.headings]
        if not entries:
            screen.notify("this text has no headings or chapters", timeout=timeouts.HINT)
            return

        def jump(block: int | None) -> None:
            if block is not None:
                view.remember_place()
                view.go_to_offset(article.blocks[block].source_start)
                if view.selection is None:
                    view.set_cursor(view.sentence_at(block, 0))
                screen.set_focus(view)

        screen.app.push_screen(TocScreen(entries), jump)

    def back(self) -> None:
        """`ctrl+o`: where the reader was before the last jump."""
        if not self.screen.view.jump_back():
            self.screen.notify("no jump to go back from", timeout=timeouts.BRIEF)

    def library(self) -> None:
        """`L`: the library, whether the article was opened from it or directly."""
        from reader.ui.screens.library import LibraryScreen

        screen = self.screen
        app = screen.app
        screen.save_position()
        below = [s for s in app.screen_stack if isinstance(s, LibraryScreen)]
        if below:
            while app.screen is not below[-1]:
                app.pop_screen()
            return
        reader = reader_app(screen)
        library = reader.library if reader is not None else None
        if library is None:
            screen.notify("no library: start reader without a file to see it",
                          timeout=timeouts.HINT)
            return
        app.push_screen(LibraryScreen(library))
