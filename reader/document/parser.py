"""Decoded text to an :class:`~reader.document.model.Article`."""

from __future__ import annotations

from pathlib import Path

from reader.document.blocks import block_structure
from reader.document.decode import content_hash
from reader.document.header import find_header
from reader.document.inline import inline_block
from reader.document.model import Article
from reader.document.repair import keep_short_lines, repair
from reader.document.structure import mark_structure


def parse(text: str, path: Path | str = "<text>", *, header: bool = True) -> Article:
    """Turn decoded text into an :class:`Article` (title, byline, date, blocks).

    ``header=False`` leaves every block in the body (the caller knows the metadata).
    """
    raws = keep_short_lines(repair(block_structure(text)))
    blocks = [inline_block(r) for r in raws]
    blocks = [b for b in blocks if b.text or b.kind == "rule"]
    article = Article(path=Path(path), text=text, encoding="utf-8-sig", hash=content_hash(text),
                      blocks=blocks)
    etext = mark_structure(article.blocks)
    if etext:
        article.title = etext.get("title") or article.path.stem
        article.author = etext.get("author")
    elif header:
        find_header(article)
    elif not article.title:
        article.title = article.path.stem
    article.block_starts = [b.source_start for b in article.blocks]
    return article

