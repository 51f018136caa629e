"""A typed way from any widget to the reader application, and to its store and library.

Screens also run inside other apps (tests, embedding); there these are None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from reader.config import ExportSettings
    from reader.library import Library
    from reader.store import Store
    from reader.ui.app import ReaderApp


def reader_app(node: DOMNode) -> ReaderApp | None:
    """The running :class:`ReaderApp`, or None when ``node`` runs in another app."""
    from reader.ui.app import ReaderApp

    app = node.app
    return app if isinstance(app, ReaderApp) else None


def store_of(node: DOMNode) -> Store | None:
    """The notes store (None: no reader app, or the reader keeps no notes)."""
    app = reader_app(node)
    return app.store if app is not None else None


def library_of(node: DOMNode) -> Library | None:
    """The library (None: no reader app, or the reader keeps no library)."""
    app = reader_app(node)
    return app.library if app is not None else None


def export_settings_of(node: DOMNode) -> ExportSettings:
    """The ``[export]`` settings the app was started with (the defaults without them)."""
    from reader.config import ExportSettings

    app = reader_app(node)
    settings = app.export_settings if app is not None else None
    return settings if settings is not None else ExportSettings()
