"""What the article screen's workers report: posted from their threads, handled on the
interface's thread (a worker never sets the screen's state itself)."""

from __future__ import annotations

from textual.message import Message

from reader.entities import Entity


class NerProgress(Message):
    """The model has read ``done`` of ``total`` characters."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class EntitiesFound(Message):
    """Entities as resolved from the text (before the reader's corrections); ``final``:
    the whole text was read, else the part read so far."""

    def __init__(self, entities: list[Entity], final: bool) -> None:
        super().__init__()
        self.entities = entities
        self.final = final


class EntitiesFailed(Message):
    """No entities will come (the model is missing): ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class LibraryNotUpdated(Message):
    """The library index could not record the article (derived data: reading goes on)."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class MovedNotesSaved(Message):
    """Moved notes were saved at their new places; ``failures`` holds why each that could
    not be saved was not (it re-anchors on the next open)."""

    def __init__(self, saved: int, failures: list[str]) -> None:
        super().__init__()
        self.saved = saved
        self.failures = failures
