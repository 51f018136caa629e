"""The modal dialogs, one a file, each a typed ``ModalScreen[T]``."""

from __future__ import annotations

from reader.ui.screens.dialogs.choice import ChoiceScreen
from reader.ui.screens.dialogs.confirm import ConfirmScreen
from reader.ui.screens.dialogs.help import HelpScreen, section_table
from reader.ui.screens.dialogs.text_prompt import TextPrompt
from reader.ui.screens.dialogs.toc import TocScreen
from reader.ui.screens.dialogs.unsaved_note import UnsavedAnswer, UnsavedNoteScreen

__all__ = ["ChoiceScreen", "ConfirmScreen", "HelpScreen", "TextPrompt", "TocScreen",
           "UnsavedAnswer", "UnsavedNoteScreen", "section_table"]
