"""The article screen's keys (the page's own are on :class:`ArticleView`, the panel's on
:class:`EntityPanel`). Each has an id, by which the settings file remaps it."""

from __future__ import annotations

from textual.binding import Binding, BindingType

ARTICLE_BINDINGS: list[BindingType] = [
    # Priority, so the input has the focus before the next key is dispatched: keys typed
    # (or pasted) right after "/" land in it. Off while an input has the focus.
    Binding("slash", "search", "Search", key_display="/", priority=True,
            tooltip="Search the text (in the entity panel: filter the names); enter jumps "
            "to the match and puts the cursor on its sentence, escape closes the box",
            id="search"),
    Binding("n", "next_match",
            "Next match in the search's direction (after \\, up), the cursor on its sentence",
            show=False, id="search.next"),
    Binding("N", "previous_match", "Previous match: the other direction (the cursor too)",
            show=False, id="search.previous"),
    Binding("escape", "leave",
            "Leave the filter, the entity emphasis or the search (the cursor stays)",
            show=False, id="leave"),
    Binding("t", "contents", "Contents",
            tooltip="Table of contents (the cursor goes to the heading chosen)",
            id="contents"),
    Binding("0", "toggle_panel", "Panel",
            tooltip="Show or hide the entity panel (hidden at first below 100 columns and when "
            "the window shrinks below them; back when it grows, unless 0 hid it)",
            id="panel.toggle"),
    Binding("1", "toggle_group('people')", "Highlight people on or off",
            show=False, id="highlight.people"),
    Binding("2", "toggle_group('organizations')", "Highlight organizations on or off", show=False,
            id="highlight.organizations"),
    Binding("3", "toggle_group('places')", "Highlight places on or off",
            show=False, id="highlight.places"),
    Binding("4", "toggle_group('other')", "Highlight other names on or off",
            show=False, id="highlight.other"),
    Binding("right_square_bracket", "next_mention", "Next mention of the selected entity",
            key_display="]", show=False, id="mention.next"),
    Binding("left_square_bracket", "previous_mention", "Previous mention",
            key_display="[", show=False, id="mention.previous"),
    Binding("right_parenthesis", "sentence(1)", "Move the reading cursor to the next sentence",
            key_display=")", show=False, id="cursor.next"),
    Binding("left_parenthesis", "sentence(-1)", "Move it to the previous sentence",
            key_display="(", show=False, id="cursor.previous"),
    Binding("v", "select",
            "Start a selection on the cursor's sentence (on a search match's sentence: the "
            "match); ) and ( extend it",
            show=False, id="select"),
    Binding("w", "word(1)", "While selecting: one word more", show=False, id="select.word_more"),
    Binding("e", "word(-1)", "While selecting: one word less", show=False, id="select.word_less"),
    # Not a priority binding, so it keeps its place behind keys typed before it; keys
    # typed right after it are handed to the editor (see on_key).
    Binding("a", "annotate", "Note",
            tooltip="Write a note on the cursor's sentence or the selection (in the entity "
            "panel: about the entity)", id="annotate"),
    Binding("m", "toggle_notes", "Notes",
            tooltip="Show or hide the notes panel: this article's notes in reading order",
            id="notes.toggle"),
    Binding("u", "undo", "Undo the last change to notes or entities", show=False, id="undo"),
    Binding("x", "export", "Export",
            tooltip="Export this article's notes to Markdown (asks where: ./<title>.md "
            "by default)", id="export"),
    Binding("X", "export_vault", "Export entity pages",
            tooltip="Write a page per person, organization and place of the library, and "
            "every article's notes, into one folder for a notes vault", show=False,
            id="export.vault"),
    Binding("plus", "add_entity",
            "Add a name the model missed (the selection, or type it) with its group; "
            "every occurrence is found",
            key_display="+", show=False, id="entity.add"),
    Binding("y", "copy", "Copy the sentence or the selection with a citation",
            show=False, id="copy"),
    Binding("i", "appearances",
            "Other articles that mention the highlighted entity (enter opens one there)",
            show=False, id="appearances"),
    Binding("enter", "entity_at_cursor",
            "Select the (next) highlighted name in the cursor's sentence",
            show=False, id="cursor.entity"),
    Binding("question_mark", "help", "Help", key_display="?", tooltip="This help", id="help"),
    Binding("q", "quit_reader", "Quit",
            tooltip="Quit (the reading position is kept)", id="quit"),
    # `?` is help and `m` notes here, hence these keys for what less and vim put there.
    Binding("backslash", "search(True)", "Search backward, upwards from the page",
            key_display="\\",
            priority=True, show=False, id="search.backward"),
    Binding("quotation_mark", "mark('set')",
            "Set a mark at the reading cursor (then a letter); kept while the reader runs",
            key_display='"', show=False, id="mark.set"),
    Binding("apostrophe", "mark('jump')", "Go to a mark (then a letter); '' goes back like ctrl+o",
            key_display="'", show=False, id="mark.jump"),
    Binding("ctrl+o", "jump_back",
            "Back to before the last jump (a search, n, N, contents, a mention, a panel "
            "row, a mark, g, G); again: the jump before", show=False,
            id="jump.back"),
    Binding("W", "word(1, True)",
            "While selecting: start it a word later (so v W W e e selects a name)",
            show=False,
            id="select.start_later"),
    Binding("B", "word(-1, True)", "While selecting: start it a word earlier", show=False,
            id="select.start_earlier"),
    Binding("L", "library",
            "The library, also from an article opened directly (escape still goes back)",
            show=False, id="library"),
    Binding("o", "open_note", "Open the note on the cursor's passage (the status line shows "
            "its first line)", show=False, id="note.open"),
]
