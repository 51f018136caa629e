"""The library: every article the reader knows, and which articles mention whom.

Pure Python: no Textual, no spaCy (``reader.nlp`` is imported only by :func:`index_files`,
and it imports spaCy only when a text is not in its cache), no TinyDB (the store is passed
in and only its methods are called). Its files:

* ``catalogue.py``: :class:`Library`, the library screen's rows and the lookups;
* ``index_files.py``: the index on disk (summaries, entity shards), its lock and repairs;
* ``rows.py``: how an article's entity rows are packed in a shard;
* ``names.py``: name keys, snippets, which files are articles, where the index lives;
* ``model.py``: :class:`Entry` and :class:`Appearance`;
* ``indexer.py``: :func:`index_files`, what ``reader index`` runs;
* ``positions.py``: reading positions that survive an edit of the file;
* ``vault.py``: the notes as a vault: the articles to export, the entity pages.
"""

from __future__ import annotations

from reader.library.catalogue import Library
from reader.library.indexer import IndexRun, index_files
from reader.library.model import Appearance, Entry
from reader.library.names import (
    ARTICLE_SUFFIXES,
    article_files,
    default_index_dir,
    name_key,
    snippet,
)
from reader.library.positions import save_position, saved_position

__all__ = [
    "ARTICLE_SUFFIXES",
    "Appearance",
    "Entry",
    "IndexRun",
    "Library",
    "article_files",
    "default_index_dir",
    "index_files",
    "name_key",
    "save_position",
    "saved_position",
    "snippet",
]
