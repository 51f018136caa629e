"""Pick one of several options; with ``filterable`` a box on top narrows the list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.ui.lists import FilterBox, KeyList


class ChoiceScreen(ModalScreen[int | None]):
    """Returns the index (in ``options``) of the option chosen, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel"),
    ]

    def __init__(self, title: str, options: Sequence[str | Text], *,
                 filterable: bool = False, wide: bool = False) -> None:
        super().__init__(classes="wide" if wide else None)
        self.title_text = title
        self.options = options
        self.filterable = filterable

    def _options(self, needle: str = "") -> list[Option]:
        return [Option(label, id=str(i)) for i, label in enumerate(self.options)
                if needle in (label.plain if isinstance(label, Text) else label).casefold()]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, markup=False)
            if self.filterable:
                yield FilterBox(list_id="choices", id="filter",
                                placeholder="type to narrow the list, Enter picks")
            yield KeyList(*self._options(), id="choices")

    def on_mount(self) -> None:
        if self.filterable:
            self.set_focus(self.query_one(Input))
        else:
            self.set_focus(self.query_one(OptionList))

    def on_input_changed(self, event: Input.Changed) -> None:
        needle = self.query_one(Input).value.strip().casefold()
        ol = self.query_one(OptionList)
        ol.clear_options()
        ol.add_options(self._options(needle))
        if ol.option_count:
            ol.highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter picks the highlighted option (the first match)."""
        ol = self.query_one(OptionList)
        if ol.option_count:
            index = ol.highlighted if ol.highlighted is not None else 0
            self._choose(ol.get_option_at_index(index))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option)

    def _choose(self, option: Option) -> None:
        self.dismiss(int(option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
