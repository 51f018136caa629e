"""The article screen and the flows it wires (see docs/ui.md)."""

from __future__ import annotations

from reader.ui.screens.article.screen import POSITION_SAVE_DELAY, ArticleScreen

__all__ = ["POSITION_SAVE_DELAY", "ArticleScreen"]
