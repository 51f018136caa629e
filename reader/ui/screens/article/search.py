"""The search bar: `/` opens it, typing highlights, Enter jumps to the match and gives
the keys back to the page (whose cursor goes to the match), escape closes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

from reader.ui import timeouts

if TYPE_CHECKING:
    from reader.ui.screens.article.screen import ArticleScreen

#: Typing highlights matches from this many characters on (Enter searches any length).
LIVE_SEARCH_MIN = 2


class SearchBar:
    """The screen's search box (made on first use: not needed for the first paint)."""

    def __init__(self, screen: ArticleScreen) -> None:
        self.screen = screen
        self.backward = False
        """The search goes up the text (`\\`): Enter finds the match above, `n` goes on
        upwards and `N` downwards, as in vim."""
        self._problem_shown = False

    def input(self) -> Input:
        screen = self.screen
        found = screen.query("#search")
        if found:
            return found.first(Input)
        search = Input(placeholder="search (Enter to find, escape to leave)", id="search")
        search.display = False
        screen.mount(search, before="#status")
        return search

    def open(self, *, backward: bool = False) -> None:
        search = self.input()
        self.backward = backward
        way = "search backward" if backward else "search"
        search.placeholder = f"{way} (a regular expression; Enter to find, escape to leave)"
        search.display = True
        # Focus now, not after a refresh, so keys typed right after "/" land in the input.
        self.screen.set_focus(search)

    def submitted(self, event: Input.Submitted) -> None:
        screen = self.screen
        view = screen.view
        query = event.value.strip()
        found = view.search(query)
        event.input.display = False
        screen.set_focus(view)
        if view.search_problem or self._problem_shown:
            # In the status line, which stays while the matches are read.
            screen.notice(view.search_problem or "")
            self._problem_shown = view.search_problem is not None
        if found:
            view.follow_match(view.next_match(backwards=self.backward))
        else:
            screen.notify(f"not found: {query}", severity="warning", timeout=timeouts.HINT)
        screen.update_status()

    def changed(self, event: Input.Changed) -> None:
        if len(event.value.strip()) >= LIVE_SEARCH_MIN:
            self.screen.view.search(event.value.strip())
            self.screen.update_status()

    def step(self, *, backwards: bool) -> None:
        """`n` / `N`: the next (previous) match, and the cursor on its sentence."""
        screen = self.screen
        match = screen.view.next_match(backwards=backwards != self.backward)
        if match is None and not backwards:
            screen.notify("no search: press / to search", timeout=timeouts.BRIEF)
        screen.view.follow_match(match)
        screen.update_status()

    def leave_bar(self) -> bool:
        """Escape in the bar only closes it: the cursor stays where it was."""
        screen = self.screen
        if screen.focused is None or screen.focused.id != "search":
            return False
        search = self.input()
        search.display = False
        search.value = ""
        screen.view.clear_search()
        screen.set_focus(screen.view)
        screen.update_status()
        return True

    def close(self) -> bool:
        """Close the bar and drop the matches; True when there was a search to leave."""
        search = self.input()
        searching = search.display or bool(self.screen.view.match_count)
        if search.display:
            search.display = False
            search.value = ""
        self.screen.view.clear_search()
        return searching
