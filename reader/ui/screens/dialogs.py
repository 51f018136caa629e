"""Small dialogs: the key help and the table of contents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual.suggester import Suggester


def bindings_table(title: str, bindings: Iterable[Binding]) -> Table:
    """One table of every binding of a screen, so clashes show."""
    table = Table(title=title, title_justify="left", expand=True, show_edge=False)
    table.add_column("keys", no_wrap=True)
    table.add_column("does")
    table.add_column("binding id", style="dim")
    for b in bindings:
        keys = ", ".join(k.strip() for k in b.key.split(","))
        table.add_row(keys, b.description or b.action, b.id or "")
    return table


class HelpScreen(ModalScreen[None]):
    """`?`: every key of the article screen, with the ids used to remap them."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            for title, bindings in self.sections:
                yield Static(bindings_table(title, bindings))
            yield Static("Keys can be remapped by binding id in the config file "
                         "(`reader config` shows where). escape closes this help.")


class TocScreen(ModalScreen[int | None]):
    """`t`: the headings or chapters of the article; Enter jumps to one."""

    BINDINGS = [Binding("escape,q,t", "cancel", "Close", id="toc.close")]

    def __init__(self, entries: list[tuple[int, str, int]]) -> None:
        super().__init__()
        self.entries = entries  # (block index, heading text, level)

    def compose(self) -> ComposeResult:
        options = [Option(("  " * max(0, level - 1)) + text, id=str(bi))
                   for bi, text, level in self.entries]
        with Vertical(id="dialog"):
            yield Static("[b]Contents[/b]  (Enter jumps, escape closes)")
            yield OptionList(*options, id="toc")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextPrompt(ModalScreen[str | None]):
    """Asks for one line of text, e.g. a file path (Enter accepts, escape cancels)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, value: str, hint: str = "Enter accepts, escape cancels",
                 suggester: Suggester | None = None):
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint
        self.suggester = suggester

    def compose(self) -> ComposeResult:
        from textual.widgets import Input

        with Vertical(id="dialog"):
            yield Static(self.title_text, markup=False)
            yield Input(self.value, id="path", suggester=self.suggester)
            yield Static(self.hint, classes="hint")

    def on_mount(self) -> None:
        from textual.widgets import Input

        self.set_focus(self.query_one(Input))

    def on_input_submitted(self, event: object) -> None:
        from textual.widgets import Input

        value = self.query_one(Input).value.strip()
        self.dismiss(value or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceScreen(ModalScreen[str | None]):
    """Pick one of several options; with ``filterable`` a box on top narrows the list.

    Returns the chosen option's id, or None on escape.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]

    def __init__(self, title: str, options: Sequence[tuple[str, str | Text]], *,
                 filterable: bool = False, wide: bool = False) -> None:
        super().__init__(classes="wide" if wide else None)
        self.title_text = title
        self.options = options  # (id, label)
        self.filterable = filterable

    def compose(self) -> ComposeResult:
        from textual.widgets import Input

        with Vertical(id="dialog"):
            yield Static(self.title_text, markup=False)
            if self.filterable:
                yield Input(placeholder="type to narrow the list, Enter picks", id="filter")
            yield OptionList(*[Option(label, id=oid) for oid, label in self.options],
                             id="choices")

    def on_mount(self) -> None:
        from textual.widgets import Input

        if self.filterable:
            self.set_focus(self.query_one(Input))
        else:
            self.set_focus(self.query_one(OptionList))

    def on_input_changed(self, event: object) -> None:
        from textual.widgets import Input

        needle = self.query_one(Input).value.strip().casefold()
        ol = self.query_one(OptionList)
        ol.clear_options()
        ol.add_options([Option(label, id=oid) for oid, label in self.options
                        if needle in (label.plain if isinstance(label, Text)
                                      else label).casefold()])
        if ol.option_count:
            ol.highlighted = 0

    def on_input_submitted(self, event: object) -> None:
        ol = self.query_one(OptionList)
        if ol.option_count and ol.highlighted is not None:
            self.dismiss(ol.get_option_at_index(ol.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
