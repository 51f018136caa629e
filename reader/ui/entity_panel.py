"""The side panel: the article's people, organizations and places.

An ``OptionList`` (virtualised: one widget for any number of rows), grouped under
headings, with a legend that doubles as the highlight switchboard.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.entities import Entity
from reader.ui import timeouts
from reader.ui.lists import FilterBox, list_bindings

#: The groups shown in the panel, with their headings and highlight keys.
GROUP_TITLES = {"people": "People", "organizations": "Organizations", "places": "Places",
                "other": "Other"}
GROUP_KEYS = {"people": "1", "organizations": "2", "places": "3", "other": "4"}
#: How each group is marked in the text without colour (the legend says so).
GROUP_MARKS = {"people": "bold", "organizations": "underline", "places": "italic",
               "other": "dim"}


#: How the reader corrects an entity of the panel.
CorrectionKind = Literal["relabel", "merge", "split", "remove"]
CORRECTION_KINDS: tuple[CorrectionKind, ...] = ("relabel", "merge", "split", "remove")
#: The panel's key for each correction: key, kind, label, tooltip. Each binds
#: ``correct('<kind>')`` with the id ``panel.<kind>``.
_CORRECTION_KEYS: tuple[tuple[str, CorrectionKind, str, str], ...] = (
    ("r", "relabel", "Relabel",
     "Relabel the highlighted name (person, organization, place, other, not an entity); "
     "asks: every article (y) or this one (n)"),
    ("M", "merge", "Merge",
     "Merge the highlighted name into another (type to find it); asks as relabel does"),
    ("S", "split", "Split",
     "Split an alias of the highlighted name back out; asks as relabel does"),
    ("delete", "remove", "Not an entity",
     "Remove the highlighted name: it is not an entity; asks as relabel does"),
)


class EntityList(OptionList, inherit_bindings=False):
    """The rows; letters here are commands, never filter input."""

    BINDINGS: ClassVar[list[BindingType]] = list_bindings(
        "panel", "Select the entity: emphasise its mentions and go to the first")


class EntityPanel(Vertical):
    """Lists entities by group; posts :class:`EntityPanel.Selected` for the chosen row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "toggle_sort", "Sort",
                tooltip="Sort by mentions or by first appearance", id="panel.sort"),
        *(Binding(key, f"correct('{kind}')", label, tooltip=tooltip, id=f"panel.{kind}")
          for key, kind, label, tooltip in _CORRECTION_KEYS),
    ]

    class Correct(Message):
        """The reader asked to correct ``entity`` (``kind``: relabel, merge, split, remove)."""

        def __init__(self, entity: Entity, kind: CorrectionKind) -> None:
            super().__init__()
            self.entity = entity
            self.kind = kind

    def action_correct(self, kind: str) -> None:
        entity = self.highlighted_entity
        if entity is not None and kind in CORRECTION_KINDS:
            self.post_message(self.Correct(entity, kind))

    class Selected(Message):
        def __init__(self, entity: Entity) -> None:
            super().__init__()
            self.entity = entity

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entities: list[Entity] = []
        self.by_count = True
        self.filter_text = ""
        self.shown_groups: set[str] = {"people", "organizations", "places"}
        self._rows: dict[str, Entity] = {}
        self._status = "entities: waiting"

    def compose(self) -> ComposeResult:
        yield Static(id="legend", markup=False)
        yield EntityList(id="entities")

    def on_mount(self) -> None:
        self._render_legend()

    @property
    def option_list(self) -> EntityList:
        return self.query_one(EntityList)

    # ------------------------------------------------------------------ content

    def set_status(self, text: str) -> None:
        """What the panel says while it has no rows (loading, no model...)."""
        self._status = text
        if not self.entities:
            self._fill()

    def set_entities(self, entities: list[Entity]) -> None:
        # Keep the row the reader is on; otherwise (results still arriving, the focus on the
        # page) the top row, not whichever name came first in a partial result.
        if entities == self.entities:
            return  # e.g. the cached entities, listed before the first paint, settled
        selected = self.highlighted_entity if self.option_list.has_focus else None
        self.entities = entities
        self._fill(keep=selected.name if selected else None)

    def set_highlighted_groups(self, groups: set[str]) -> None:
        self.shown_groups = set(groups)
        self._render_legend()
        self._fill(keep=self.highlighted_entity.name if self.highlighted_entity else None)

    def _render_legend(self) -> None:
        # Two rows of two, so the legend fits the panel's width; a group whose
        # highlighting is off is struck through.
        legend = Text()
        for i, (group, title) in enumerate(GROUP_TITLES.items()):
            on_ = group in self.shown_groups
            style = GROUP_MARKS[group] if on_ else "strike dim"
            legend.append(f"{GROUP_KEYS[group]} ", style="dim")
            legend.append(title if group != "organizations" else "Orgs", style=style)
            legend.append("\n" if i == 1 else "  ")
        self.query_one("#legend", Static).update(legend)

    def _sorted(self, group: str) -> list[Entity]:
        rows = [e for e in self.entities if e.group == group]
        if self.filter_text:
            needle = self.filter_text.casefold()
            rows = [e for e in rows if needle in e.name.casefold()
                    or any(needle in a.casefold() for a in e.aliases)]
        if self.by_count:
            rows.sort(key=lambda e: (-e.count, e.first))
        else:
            rows.sort(key=lambda e: e.first)
        return rows

    def _fill(self, keep: str | None = None) -> None:
        ol = self.option_list
        ol.clear_options()
        self._rows = {}
        options: list[Option | None] = []
        groups = [g for g in GROUP_TITLES if g != "other" or "other" in self.shown_groups]
        if not self.entities:
            ol.add_option(Option(self._status, disabled=True))
            return
        keep_index = None
        for group in groups:
            rows = self._sorted(group)
            heading = Text(f"{GROUP_TITLES[group]} ({len(rows)})", style="bold")
            options.append(Option(heading, disabled=True))
            for e in rows:
                oid = f"e{len(self._rows)}"
                self._rows[oid] = e
                # The count comes first so a long name cut at the panel's edge keeps it.
                label = Text(no_wrap=True, overflow="ellipsis")
                label.append(f"{e.count:>3} ", style="dim")
                label.append(e.name, style=GROUP_MARKS[group])
                if keep is not None and e.name == keep:
                    keep_index = len(options)
                options.append(Option(label, id=oid))
        ol.add_options([o for o in options if o is not None])
        if keep_index is not None:
            ol.highlighted = keep_index
        elif self._rows:
            # The first row that is an entity (a group may be empty, its heading disabled).
            ol.highlighted = next(i for i, o in enumerate(options)
                                  if o is not None and o.id is not None)

    @property
    def highlighted_entity(self) -> Entity | None:
        if not self._rows:
            return None
        ol = self.option_list
        if ol.highlighted is None:
            return None
        option = ol.get_option_at_index(ol.highlighted)
        return self._rows.get(option.id or "")

    def select_entity(self, entity: Entity) -> None:
        """Highlight ``entity``'s row (used when a mention in the text is chosen)."""
        ol = self.option_list
        for oid, e in self._rows.items():
            if e is entity or e.name == entity.name and e.group == entity.group:
                ol.highlighted = ol.get_option_index(oid)
                return

    @on(OptionList.OptionSelected, "#entities")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entity = self._rows.get(event.option.id or "")
        if entity is not None:
            self.post_message(self.Selected(entity))

    # ------------------------------------------------------------------ actions

    def action_toggle_sort(self) -> None:
        self.by_count = not self.by_count
        self._fill(keep=self.highlighted_entity.name if self.highlighted_entity else None)
        self.notify("panel sorted by " + ("mentions" if self.by_count else "first appearance"),
                    timeout=timeouts.BRIEF)

    def open_filter(self) -> None:
        """`/` while the panel has the focus (the screen routes it here)."""
        found = self.query("#entity-filter")
        if found:
            box = found.first(Input)
        else:
            box = FilterBox(list_id="entities", placeholder="filter names", id="entity-filter")
            self.mount(box, before="#entities")
        box.display = True
        self.screen.set_focus(box)

    @on(Input.Changed, "#entity-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.filter_text = event.value.strip()
        self._fill()

    @on(Input.Submitted, "#entity-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        """Enter in the filter selects the first name it leaves (as Enter on its row)."""
        event.stop()
        if not event.value.strip():
            event.input.display = False
        self.screen.set_focus(self.option_list)
        if event.value.strip():
            first = next(iter(self._rows.values()), None)
            if first is not None:
                self.select_entity(first)
                self.post_message(self.Selected(first))

    def clear_filter(self) -> bool:
        """Leave the filter (escape); returns whether there was one."""
        found = self.query("#entity-filter")
        if not found or not found.first(Input).display:
            return False
        box = found.first(Input)
        box.value = ""
        box.display = False
        self.filter_text = ""
        self._fill()
        self.screen.set_focus(self.option_list)
        return True
