"""The notes flow: where a key press becomes a saved note.

`a` (:meth:`NotesFlow.annotate`) opens the editor on the page's passage (or the panel's
entity); while it is open the text is kept as a draft; its result is saved by
:meth:`NotesFlow._save`, through the notes rules (:func:`reader.notes.new_note`) into the
store. Notes are then placed in the text and marked on the page and in the notes panel.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Literal

from reader import notes as notes_model
from reader.ui import timeouts
from reader.ui.access import reader_app, store_of
from reader.ui.article_view import Span
from reader.ui.notes_panel import NotesPanel
from reader.ui.screens.article.messages import MovedNotesSaved

if TYPE_CHECKING:
    from reader.store import Store
    from reader.ui.screens.article.screen import ArticleScreen
    from reader.ui.screens.note_editor import NoteInput

#: What `u` undoes: a note added, deleted or edited, or a correction saved.
UndoKind = Literal["add", "delete", "edit", "correction"]
#: A note quoted in the editor longer than this is shown shortened, to its head and tail.
QUOTE_MAX, QUOTE_HEAD, QUOTE_TAIL = 400, 200, 150
#: The margin marks: a noted passage, and a mention of an entity that has a note. They
#: differ in shape, so they read without colour.
PASSAGE_MARK, ENTITY_MARK = "✎", "◆"
#: The status line's hint of the note under the cursor is cut to this many characters.
HINT_MAX = 40


class NotesFlow:
    """The screen's notes: placed in the text, painted, written, undone."""

    def __init__(self, screen: ArticleScreen) -> None:
        self.screen = screen
        self.placed: list[notes_model.PlacedNote] = []
        self.undo_stack: list[tuple[UndoKind, dict[str, object]]] = []
        self.entity_panel_shown: bool | None = None
        """Whether the entity panel was shown when the notes panel opened (it comes back
        when the notes panel closes); None while the notes panel is closed."""

    @property
    def tag_colours(self) -> dict[str, str]:
        """The settings' tag -> highlight colour."""
        app = reader_app(self.screen)
        return app.note_colours if app is not None else {}

    @property
    def store(self) -> Store | None:
        return store_of(self.screen)

    # ------------------------------------------------------------------ placing

    def load(self) -> None:
        """Place the article's notes in the text and mark them."""
        store = self.store
        if store is None:
            return
        names = [e.name for e in self.screen.entities]
        self.placed = notes_model.notes_for(store, self.screen.article, names)
        self.paint()
        self._write_back_moved(store)

    def _write_back_moved(self, store: Store) -> None:
        """A note whose exact quote was found elsewhere in a changed file is saved where it
        is now, so it stays anchored (and exports) in this version of the text. A note
        re-found only by a close match is left as it was stored: the reader should see
        it marked as moved, not have it silently rewritten."""
        article = self.screen.article
        changes = [(str(p.note["id"]), c) for p in self.placed
                   if p.quote is not None and p.quote == p.note.get("quote")
                   and p.note.get("id") is not None
                   and (c := notes_model.anchor_changes(p, article)) is not None]
        if not changes or store.read_only:
            return
        screen = self.screen

        def save() -> None:
            saved, failures = 0, []
            for note_id, change in changes:
                try:
                    current = store.get_note(note_id)
                    if current is None or current.get("quote") != change["quote"]:
                        continue  # deleted or edited meanwhile: leave it to the next open
                    change["updated"] = current.get("updated")  # not an edit of the note
                    store.update_note(note_id, change)
                    saved += 1
                except Exception as exc:  # the disk refused: it re-anchors next time
                    failures.append(str(exc) or type(exc).__name__)
            screen.post_message(MovedNotesSaved(saved, failures))

        screen.run_worker(save, thread=True, exit_on_error=False, group="anchors",
                          description="save the new places of moved notes")

    def moved_notes_saved(self, event: MovedNotesSaved) -> None:
        if event.failures:
            n = len(event.failures)
            why = "; ".join(dict.fromkeys(event.failures))
            self.screen.notify(f"{n} moved note{'s' if n != 1 else ''} could not be saved at "
                               f"{'their' if n != 1 else 'its'} new place (kept where "
                               f"stored, placed again next time): {why}",
                               severity="warning", timeout=timeouts.PROBLEM, markup=False)

    def paint(self) -> None:
        """Mark noted passages (and the mentions of noted entities) on the page."""
        screen = self.screen
        article = screen.article
        spans: dict[int, list[Span]] = {}
        gutter: dict[int, list[Span]] = {}
        noted_entities = {str(p.note["entity"]).casefold() for p in self.placed
                          if p.note.get("entity") and p.start is None}
        colours = self.tag_colours
        for p in self.placed:
            if p.start is None or p.end is None:
                continue
            colour = notes_model.note_colour(p.note, colours)
            style = f"note--{colour}" if colour else "article--noted"
            first, last = article.block_at(p.start), article.block_at(max(p.start, p.end - 1))
            for bi in range(first, last + 1):
                block = article.blocks[bi]
                s = block.to_display(p.start) if bi == first else 0
                e = (block.to_display(p.end - 1) + 1) if bi == last else len(block.text)
                spans.setdefault(bi, []).append((s, e, style))
                gutter.setdefault(bi, []).append((s, e, PASSAGE_MARK))
        for entity in screen.entities:
            if entity.name.casefold() in noted_entities:
                for m in entity.mentions:
                    bi = article.block_at(m.start)
                    d = article.blocks[bi].to_display(m.start)
                    gutter.setdefault(bi, []).append((d, d + 1, ENTITY_MARK))
        screen.view.set_decorations("notes", spans)
        screen.view.set_gutter("1notes", gutter)
        found = screen.query(NotesPanel)
        if found and found.first().display:
            found.first().set_notes(self.placed, colours)
        screen.update_status()

    # ------------------------------------------------------------------ writing

    def annotate(self, typed: str) -> None:
        """`a`: a note on the panel's entity, else on the page's passage; ``typed``: keys
        typed before the editor opened, which belong in it."""
        screen = self.screen
        if screen.focused is screen.panel.option_list:
            entity = screen.panel.highlighted_entity
            if entity is not None:
                self.open_editor(None, None, entity=entity.name)
        else:
            where = screen.view.passage()
            if where is None:
                screen.notify("no sentence under the cursor", timeout=timeouts.BRIEF)
                return
            self.open_editor(*where)
        from reader.ui.screens.note_editor import NoteEditor

        editor = screen.app.screen
        if typed and isinstance(editor, NoteEditor):
            editor.type_ahead(typed)

    def _draft_key(self, start: int | None, end: int | None, entity: str | None) -> str:
        if entity:
            return f"entity:{entity}"
        return f"{self.screen.article.hash}:{start}-{end}"

    def _quote(self, start: int | None, end: int | None,
               entity: str | None) -> tuple[str, str]:
        """The editor's quote and heading for a passage or an entity."""
        if entity and start is None:
            return (f"About {entity} (shown wherever {entity} is mentioned)",
                    f"Note on {entity}")
        assert start is not None and end is not None
        quote = self.screen.article.text[start:end].replace("\n", " ").strip()
        if len(quote) > QUOTE_MAX:
            quote = quote[:QUOTE_HEAD] + " … " + quote[-QUOTE_TAIL:]
        return f"“{quote}”", "Note"

    def open_editor(self, start: int | None, end: int | None, *, entity: str | None = None,
                    editing: dict[str, object] | None = None, text: str = "",
                    tags: list[str] | None = None, unsaved: str | None = None,
                    colour: str | None = None) -> None:
        """Open the note editor on a passage or an entity. ``unsaved``: ``text`` is a save
        that failed, for this reason, so it is on disk nowhere (not even as a draft)."""
        article = self.screen.article
        quote, heading = self._quote(start, end, entity)
        key = self._draft_key(start, end, entity)
        store = self.store
        if editing is None and not text and store is not None:
            draft = store.get_draft(key)
            if draft:
                text, tags = str(draft.get("text", "")), list(draft.get("tags_text", "").split())
        if editing is not None:
            text = str(editing.get("text", ""))
            tags = [str(t) for t in editing.get("tags", [])]  # type: ignore[attr-defined]
            heading = "Edit note"
            colour = notes_model.note_colour(editing)

        def on_draft(typed: str, tags_text: str) -> str | None:
            return self._keep_draft(key, {
                "article": article.hash, "path": str(article.path), "start": start,
                "end": end, "entity": entity, "text": typed, "tags_text": tags_text,
                "editing": editing.get("id") if editing else None})

        def done(result: NoteInput | None) -> None:
            if result is None:
                self._drop_draft(key)
                return
            self._save(result, start, end, entity, editing, key)

        from reader.ui.screens.note_editor import NoteEditor

        self.screen.app.push_screen(NoteEditor(quote, heading=heading, text=text, tags=tags,
                                               on_draft=on_draft, unsaved=unsaved,
                                               source=f"{article.title} ({article.path})",
                                               colour=colour),
                                    done)

    def _keep_draft(self, key: str, draft: dict[str, object]) -> str | None:
        """Keep the text as a draft: None once it is on disk, else why it is not."""
        store = self.store
        if store is None:
            return "No notes file is open."
        try:
            store.save_draft(key, draft)
        except Exception as exc:  # a failed draft must not take the editor down
            # (the editor shows why, in a line of its own, while the text is at risk)
            return str(exc) or type(exc).__name__
        if store.in_memory:
            return "Notes cannot be written to disk in this session (see the message at start)."
        return None

    def _open_store(self) -> Store | None:
        """The notes store; None, with an error shown, when none is open."""
        store = self.store
        if store is None:
            self.screen.notify("no notes store is open", severity="error")
        return store

    def _drop_draft(self, key: str) -> None:
        store = self.store
        if store is not None:
            # On failure the draft stays, and is offered again next time.
            with contextlib.suppress(Exception):
                store.drop_draft(key)

    def _save(self, result: NoteInput, start: int | None, end: int | None,
              entity: str | None, editing: dict[str, object] | None, key: str) -> None:
        screen = self.screen
        store = self._open_store()
        if store is None:
            return
        from reader.store import StoreError

        try:
            if editing is not None:
                before = notes_model.edit_note(store, editing, result.text, result.tags,
                                               colour=result.colour)
                self.undo_stack.append(("edit", before))
                message = "note updated"
            else:
                note = notes_model.new_note(screen.article, start, end, result.text,
                                            tags=result.tags, entity=entity)
                if result.colour:
                    note["colour"] = result.colour
                saved = store.add_note(note)
                self.undo_stack.append(("add", saved))
                message = "note saved" + (" (kept in memory only)" if store.in_memory else "")
        except StoreError as exc:
            screen.notify(f"{exc} Your text is still in the editor.", severity="error",
                          timeout=timeouts.PROBLEM, markup=False)
            self.open_editor(start, end, entity=entity, editing=editing, text=result.text,
                             tags=result.tags, unsaved=str(exc), colour=result.colour)
            return
        self._drop_draft(key)
        screen.drop_selection()
        self.load()
        screen.notify(message, timeout=timeouts.BRIEF)

    def offer_draft(self) -> None:
        """A draft left by a crash or a closed terminal opens again in the editor."""
        store = self.store
        if store is None:
            return
        article = self.screen.article
        drafts = [(k, d) for k, d in store.drafts().items()
                  if d.get("article") == article.hash or (
                      d.get("entity") and not d.get("start")
                      and d.get("path") == str(article.path))]
        if not drafts:
            return
        key, draft = drafts[-1]
        self.screen.notify("an unsaved note was found and reopened", timeout=timeouts.NOTICE)
        editing = None
        if draft.get("editing"):
            editing = store.get_note(str(draft["editing"]))
        self.open_editor(draft.get("start"), draft.get("end"), entity=draft.get("entity"),
                         editing=editing, text=str(draft.get("text", "")),
                         tags=str(draft.get("tags_text", "")).split())

    # ------------------------------------------------------------------ the notes panel

    async def toggle_panel(self) -> None:
        """`m`: show or hide the notes panel (made on first use)."""
        screen = self.screen
        found = screen.query(NotesPanel)
        if found:
            panel = found.first()
            panel.display = not panel.display
        else:  # made on first use: it is not needed for the first paint
            panel = NotesPanel(id="notes-panel")
            await screen.query_one("#body").mount(panel)
        if panel.display:
            self.entity_panel_shown = screen.panel.display
            screen.panel.display = False
            panel.set_notes(self.placed, self.tag_colours)
            screen.set_focus(panel.option_list)
        else:
            if self.entity_panel_shown:
                screen.panel.display = True
            self.entity_panel_shown = None
            screen.set_focus(screen.view)

    def full_view(self, event: NotesPanel.FullView) -> None:
        """`f` in the panel: every note of the article in full, over the whole screen."""
        from reader.ui.screens.article_notes import ArticleNotesScreen

        def chosen(placed: notes_model.PlacedNote | None) -> None:
            if placed is not None:
                self.chosen(NotesPanel.Chosen(placed, "go"))

        screen = self.screen
        screen.app.push_screen(ArticleNotesScreen(screen.article.title, self.placed,
                                                  highlighted=event.highlighted,
                                                  tag_colours=self.tag_colours), chosen)

    def at_cursor(self) -> notes_model.PlacedNote | None:
        """The note on the reading cursor's sentence: a passage note over it, else a note
        about an entity mentioned in it."""
        view = self.screen.view
        if view.cursor is None or not self.placed:
            return None
        block, s, e = view.cursor
        b = self.screen.article.blocks[block]
        start, end = b.to_source(s), b.to_source_end(e)
        for p in self.placed:
            if p.start is not None and p.end is not None and p.start < end and p.end > start:
                return p
        about: dict[str, notes_model.PlacedNote] = {}
        for p in self.placed:
            if p.start is None and p.state != "orphan":
                about.setdefault(str(p.note.get("entity") or "").casefold(), p)
        for ent in self.screen.entities if about else ():
            found = about.get(ent.name.casefold())
            if found is not None and any(m.start < end and m.end > start
                                         for m in ent.mentions):
                return found
        return None

    def hint(self) -> str:
        """The status line's word on the note under the cursor ("" for none)."""
        p = self.at_cursor()
        if p is None:
            return ""
        lines = str(p.note.get("text") or "").strip().splitlines() or ["(no text)"]
        first = lines[0] if len(lines[0]) <= HINT_MAX else lines[0][:HINT_MAX - 1] + "…"
        mark = PASSAGE_MARK if p.start is not None else ENTITY_MARK
        return f"{mark} {first} (o opens)"

    def open_at_cursor(self) -> None:
        """`o`: edit the note on the cursor's sentence."""
        p = self.at_cursor()
        if p is None:
            self.screen.notify("no note on the cursor's sentence", timeout=timeouts.BRIEF)
            return
        self.chosen(NotesPanel.Chosen(p, "edit"))

    def chosen(self, event: NotesPanel.Chosen) -> None:
        screen = self.screen
        placed = event.placed
        if event.action == "go":
            if placed.start is not None:
                screen.view.go_to_offset(placed.start, center=True)
                screen.view.set_cursor(screen.view.sentence_at_offset(placed.start))
            elif placed.state == "orphan":
                screen.notify("this note's passage is no longer in the text",
                              timeout=timeouts.HINT)
            screen.set_focus(screen.view)
        elif event.action == "edit":
            note = placed.note
            self.open_editor(placed.start, placed.end, entity=note.get("entity"),  # type: ignore[arg-type]
                             editing=note)
        elif event.action == "delete":
            self._delete(placed.note)

    def _delete(self, note: dict[str, object]) -> None:
        from reader.store import StoreError

        screen = self.screen
        store = self._open_store()
        if store is None:
            return
        try:
            deleted = store.delete_note(str(note["id"]))
        except StoreError as exc:
            screen.notify(str(exc), severity="error")
            return
        if deleted:
            self.undo_stack.append(("delete", deleted))
            self.load()
            screen.notify("note deleted (u undoes)", timeout=timeouts.HINT)

    def undo(self) -> None:
        """`u`: undo the last note added, deleted or edited, or correction saved."""
        screen = self.screen
        store = self.store
        if not self.undo_stack or store is None:
            screen.notify("nothing to undo", timeout=timeouts.BRIEF)
            return
        from reader.store import StoreError

        kind, note = self.undo_stack.pop()
        try:
            if kind == "add":
                store.delete_note(str(note["id"]))
            elif kind == "delete":
                store.add_note(note)
            elif kind == "edit":
                colour = note.get("colour")
                notes_model.edit_note(store, note, str(note["text"]), notes_model.stored_tags(note),
                                      colour=colour if isinstance(colour, str) else None)
            elif kind == "correction":
                store.delete_correction(str(note["id"]))
        except StoreError as exc:
            self.undo_stack.append((kind, note))
            screen.notify(str(exc), severity="error")
            return
        if kind == "correction":
            screen.entity_flow.reapply_corrections()
            screen.notify(f"undone: {note.get('kind')} {note.get('form')}",
                          timeout=timeouts.BRIEF)
            return
        self.load()
        screen.notify(f"undone: {kind} note", timeout=timeouts.BRIEF)
