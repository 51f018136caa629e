"""The corrections flow: the reader relabels, merges, splits, removes or adds an entity,
for this article or every article; saved in the store, undone with `u`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reader.entities import Entity
from reader.ui import timeouts
from reader.ui.access import store_of
from reader.ui.entity_panel import GROUP_TITLES, EntityPanel

if TYPE_CHECKING:
    from reader.ui.screens.article.screen import ArticleScreen

#: The relabel list's last row: the name is not an entity at all.
NOT_AN_ENTITY = "Not an entity"
#: The groups a name can be merged into: one person, organization or place has several
#: names; dates, numbers and the like ("other") are not one thing named several ways.
MERGE_GROUPS = ("people", "organizations", "places")


class CorrectionsFlow:
    """Asks what the correction is and where it applies, then saves it."""

    def __init__(self, screen: ArticleScreen) -> None:
        self.screen = screen

    def save(self, kind: str, form: str, *, group: str | None = None,
             target: str | None = None, everywhere: bool = True,
             surface: str | None = None) -> None:
        from reader.corrections import make_correction
        from reader.store import StoreError

        screen = self.screen
        store = store_of(screen)
        if store is None:
            screen.notify("no notes store is open: corrections cannot be kept", severity="error")
            return
        correction = make_correction(kind, form, group=group, target=target,
                                     article=None if everywhere else screen.article.hash)
        if surface is not None:
            correction["surface"] = surface
        try:
            saved = store.add_correction(correction)
        except StoreError as exc:
            screen.notify(str(exc), severity="error")
            return
        screen.notes.undo_stack.append(("correction", saved))
        screen.entity_flow.reapply_corrections()
        scope = "in every article" if everywhere else "in this article"
        screen.notify(f"{kind}: {form} ({scope}; u undoes)", timeout=timeouts.HINT)

    def ask_scope(self, then: Callable[[bool], None]) -> None:
        """Every article (y) or this one (n); escape cancels, saving nothing."""
        from reader.ui.screens.dialogs.confirm import ConfirmScreen

        def answered(everywhere: bool | None) -> None:
            if everywhere is not None:
                then(everywhere)

        self.screen.app.push_screen(ConfirmScreen("Apply to every article? (y: everywhere, "
                                                  "n: this article only)"), answered)

    def correct(self, event: EntityPanel.Correct) -> None:
        entity = event.entity
        if event.kind == "relabel":
            self._relabel(entity)
        elif event.kind == "remove":
            self.ask_scope(lambda everywhere: self.save(
                "remove", entity.name, everywhere=everywhere))
        elif event.kind == "merge":
            self._merge(entity)
        elif event.kind == "split":
            self._split(entity)

    def _relabel(self, entity: Entity) -> None:
        from reader.ui.screens.dialogs.choice import ChoiceScreen

        groups = [g for g in GROUP_TITLES if g != entity.group]

        def relabelled(choice: int | None) -> None:
            if choice is None:
                return
            group = groups[choice] if choice < len(groups) else None
            kind = "relabel" if group is not None else "remove"
            self.ask_scope(lambda everywhere: self.save(
                kind, entity.name, group=group, everywhere=everywhere))

        self.screen.app.push_screen(ChoiceScreen(
            f"{entity.name} is…", [GROUP_TITLES[g] for g in groups] + [NOT_AN_ENTITY]),
            relabelled)

    def _merge(self, entity: Entity) -> None:
        from reader.ui.screens.dialogs.choice import ChoiceScreen

        others = [e for e in self.screen.entities
                  if e is not entity and e.group in MERGE_GROUPS]
        if not others:
            self.screen.notify(f"no person, organization or place to merge {entity.name} "
                               "into", timeout=timeouts.HINT)
            return

        def merged(choice: int | None) -> None:
            if choice is not None:
                target = others[choice].name
                self.ask_scope(lambda everywhere: self.save(
                    "merge", entity.name, target=target, everywhere=everywhere))

        self.screen.app.push_screen(ChoiceScreen(
            f"Merge {entity.name} into…",
            [f"{e.name}  ({GROUP_TITLES[e.group]}, {e.count})" for e in others],
            filterable=True), merged)

    def _split(self, entity: Entity) -> None:
        from reader.ui.screens.dialogs.choice import ChoiceScreen

        if not entity.aliases:
            self.screen.notify(f"{entity.name} has no other names to split out",
                               timeout=timeouts.HINT)
            return

        def split(choice: int | None) -> None:
            if choice is not None:
                alias = entity.aliases[choice]
                self.ask_scope(lambda everywhere: self.save(
                    "split", alias, everywhere=everywhere))

        self.screen.app.push_screen(ChoiceScreen(f"Split out of {entity.name}:",
                                                 list(entity.aliases)), split)

    def add_entity(self) -> None:
        """`+`: a name the model missed (the selection, or typed) becomes an entity."""
        from reader.ui.screens.dialogs.choice import ChoiceScreen
        from reader.ui.screens.dialogs.text_prompt import TextPrompt

        screen = self.screen
        view = screen.view
        where = view.passage() if view.selection is not None else None
        value = " ".join(screen.article.text[where[0]:where[1]].split()) if where else ""
        groups = list(GROUP_TITLES)

        def named(name: str | None) -> None:
            if not name:
                return

            def grouped(choice: int | None) -> None:
                if choice is not None:
                    self.ask_scope(lambda everywhere: self.save(
                        "add", name, group=groups[choice], everywhere=everywhere,
                        surface=name))

            screen.app.push_screen(ChoiceScreen(f"{name} is…",
                                                [GROUP_TITLES[g] for g in groups]), grouped)

        screen.app.push_screen(TextPrompt("Add as an entity (every occurrence is found):",
                                          value), named)
