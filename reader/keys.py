"""The ids of the app's key bindings: the names ``[keys]`` in the settings file remaps.

Kept here, outside the interface, so that headless commands (``reader config``) check
a settings file without importing Textual. tests/unit/test_keys.py keeps this set equal
to the ids of the bindings in reader/ui: a binding added there is added here too.
"""

from __future__ import annotations

__all__ = ["BINDING_IDS"]

#: Every binding id of the app, by where the binding lives.
BINDING_IDS: frozenset[str] = frozenset({
    # everywhere
    "app.quit", "app.palette",
    # the page
    "line_down", "line_up", "page_down", "page_up", "top", "bottom", "toggle_folds",
    "half_page_down", "half_page_up",
    # the article screen
    "search", "search.next", "search.previous", "leave", "contents", "panel.toggle",
    "highlight.people", "highlight.organizations", "highlight.places", "highlight.other",
    "mention.next", "mention.previous", "cursor.next", "cursor.previous", "select",
    "select.word_more", "select.word_less", "annotate", "notes.toggle", "undo", "export",
    "export.vault",
    "entity.add", "copy", "appearances", "cursor.entity", "help", "quit",
    "search.backward", "mark.set", "mark.jump", "jump.back", "select.start_later",
    "select.start_earlier", "library",
    # the entity panel
    "panel.down", "panel.up", "panel.page_down", "panel.page_up", "panel.first",
    "panel.last", "panel.select", "panel.sort", "panel.relabel", "panel.merge",
    "panel.split", "panel.remove",
    # the notes panel and the note editor
    "notes.down", "notes.up", "notes.page_down", "notes.page_up", "notes.first",
    "notes.last", "notes.go", "notes.edit", "notes.delete",
    "note.save", "note.cancel", "note.colour", "note.open", "notes.full",
    # the full notes view
    "article_notes.down", "article_notes.up", "article_notes.page_down",
    "article_notes.page_up", "article_notes.first", "article_notes.last",
    "article_notes.select", "article_notes.close",
    # lists of rows, scrolled text (help), a filter box above a list
    "list.down", "list.up", "list.page_down", "list.page_up", "list.first", "list.last",
    "list.select", "scroll.down", "scroll.up", "scroll.page_down", "scroll.page_up",
    "scroll.first", "scroll.last", "filter.to_list",
    "rows.down", "rows.up", "rows.page_down", "rows.page_up", "rows.first", "rows.last",
    "rows.select",
    # the library
    "library.down", "library.up", "library.page_down", "library.page_up", "library.first",
    "library.last", "library.select", "library.filter", "library.open_path",
    "library.notes", "library.leave", "library.help", "library.quit",
    # all notes
    "all_notes.close", "all_notes.search", "all_notes.down", "all_notes.up",
    "all_notes.page_down", "all_notes.page_up", "all_notes.first", "all_notes.last",
    "all_notes.select",
    # dialogs
    "choice.cancel", "confirm.yes", "confirm.no", "confirm.cancel", "help.close",
    "prompt.cancel", "toc.close", "unsaved.retry", "unsaved.copy", "unsaved.write",
    "unsaved.discard", "unsaved.back",
})
