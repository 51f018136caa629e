"""The article screen's keys (the page's own are on :class:`ArticleView`, the panel's on
:class:`EntityPanel`). Each has an id, by which the settings file remaps it."""

from __future__ import annotations

from textual.binding import Binding, BindingType

ARTICLE_BINDINGS: list[BindingType] = [
    # Priority, so the input has the focus before the next key is dispatched: keys typed
    # (or pasted) right after "/" land in it. Off while an input has the focus.
    Binding("slash", "search", "Search", key_display="/", priority=True, id="search"),
    Binding("n", "next_match", "Next match", show=False, id="search.next"),
    Binding("N", "previous_match", "Previous match", show=False, id="search.previous"),
    Binding("escape", "leave", "Leave search", show=False, id="leave"),
    Binding("t", "contents", "Contents", id="contents"),
    Binding("0", "toggle_panel", "Panel", id="panel.toggle"),
    Binding("1", "toggle_group('people')", "People", show=False, id="highlight.people"),
    Binding("2", "toggle_group('organizations')", "Orgs", show=False,
            id="highlight.organizations"),
    Binding("3", "toggle_group('places')", "Places", show=False, id="highlight.places"),
    Binding("4", "toggle_group('other')", "Other", show=False, id="highlight.other"),
    Binding("right_square_bracket", "next_mention", "Next mention", key_display="]",
            show=False, id="mention.next"),
    Binding("left_square_bracket", "previous_mention", "Previous mention", key_display="[",
            show=False, id="mention.previous"),
    Binding("right_parenthesis", "sentence(1)", "Next sentence", key_display=")",
            show=False, id="cursor.next"),
    Binding("left_parenthesis", "sentence(-1)", "Previous sentence", key_display="(",
            show=False, id="cursor.previous"),
    Binding("v", "select", "Select", show=False, id="select"),
    Binding("w", "word(1)", "Select a word more", show=False, id="select.word_more"),
    Binding("e", "word(-1)", "Select a word less", show=False, id="select.word_less"),
    # Not a priority binding, so it keeps its place behind keys typed before it; keys
    # typed right after it are handed to the editor (see on_key).
    Binding("a", "annotate", "Note", id="annotate"),
    Binding("m", "toggle_notes", "Notes", id="notes.toggle"),
    Binding("u", "undo", "Undo", show=False, id="undo"),
    Binding("x", "export", "Export", id="export"),
    Binding("X", "export_vault", "Export entity pages", show=False, id="export.vault"),
    Binding("plus", "add_entity", "Add an entity", key_display="+", show=False,
            id="entity.add"),
    Binding("y", "copy", "Copy with citation", show=False, id="copy"),
    Binding("i", "appearances", "Other articles", show=False, id="appearances"),
    Binding("enter", "entity_at_cursor", "Entity at cursor", show=False,
            id="cursor.entity"),
    Binding("question_mark", "help", "Help", key_display="?", id="help"),
    Binding("q", "quit_reader", "Quit", id="quit"),
    # `?` is help and `m` notes here, hence these keys for what less and vim put there.
    Binding("backslash", "search(True)", "Search backward", key_display="\\",
            priority=True, show=False, id="search.backward"),
    Binding("quotation_mark", "mark('set')", "Set a mark (then a letter)",
            key_display='"', show=False, id="mark.set"),
    Binding("apostrophe", "mark('jump')", "Go to a mark (then a letter)",
            key_display="'", show=False, id="mark.jump"),
    Binding("ctrl+o", "jump_back", "Back to before the last jump", show=False,
            id="jump.back"),
    Binding("W", "word(1, True)", "Selection starts a word later", show=False,
            id="select.start_later"),
    Binding("B", "word(-1, True)", "Selection starts a word earlier", show=False,
            id="select.start_earlier"),
    Binding("L", "library", "Library", show=False, id="library"),
]
