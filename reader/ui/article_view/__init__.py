"""The page widget: an article laid out, drawn, searched, with a reading cursor."""

from __future__ import annotations

from reader.ui.article_view.layers import LAYERS, TEXT_CLASSES, Match, Span, style_combinations
from reader.ui.article_view.view import ArticleView, Cursor, Selection

__all__ = ["LAYERS", "TEXT_CLASSES", "ArticleView", "Cursor", "Match", "Selection", "Span",
           "style_combinations"]
