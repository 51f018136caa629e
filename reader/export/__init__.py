"""Markdown export for a notes vault (Obsidian, Logseq): an article's notes as one file,
and a page per entity of the library.

Where things are:

* :mod:`reader.export.markdown` — the Markdown of one article's export (layout, front
  matter, template values);
* :mod:`reader.export.passages` — the quoted passage a note is on;
* :mod:`reader.export.escape` — Markdown and YAML escaping, the note's container;
* :mod:`reader.export.dates` — ISO 8601 dates for the front matter;
* :mod:`reader.export.names` — file names (from the title, or slugs), the citation link;
* :mod:`reader.export.writing` — :func:`export_article`, the one entry point that writes;
* :mod:`reader.export.entity_pages` — entity pages and the manifest of what was written.

``docs/export.md`` describes the files from the user's side.
"""

from __future__ import annotations

from reader.export.dates import iso_date, iso_timestamp
from reader.export.entity_pages import (
    MANIFEST,
    EntityPages,
    LibraryEntity,
    entity_page,
    library_entities,
    linked_articles,
    write_entity_pages,
)
from reader.export.escape import (
    CALLOUT,
    block_id,
    escape_text,
    extract_note_text,
    link_name,
    normalise_note_text,
    quote_note_text,
    unquote_note_text,
    yaml_str,
)
from reader.export.markdown import DEFAULT_TEMPLATE, PlacedNoteLike, export_markdown
from reader.export.names import (
    MAX_NAME_BYTES,
    SLUG_MAX,
    ExportSettings,
    article_stem,
    citation,
    safe_name,
    slugify,
    target_in_dir,
)
from reader.export.passages import passage_paragraphs, quote_lines
from reader.export.writing import (
    Exported,
    ExportError,
    export_article,
    now_stamp,
    source_path,
    write_export,
)

__all__ = [
    "CALLOUT",
    "DEFAULT_TEMPLATE",
    "MANIFEST",
    "MAX_NAME_BYTES",
    "SLUG_MAX",
    "EntityPages",
    "ExportError",
    "ExportSettings",
    "Exported",
    "LibraryEntity",
    "PlacedNoteLike",
    "article_stem",
    "block_id",
    "citation",
    "entity_page",
    "escape_text",
    "export_article",
    "export_markdown",
    "extract_note_text",
    "iso_date",
    "library_entities",
    "linked_articles",
    "iso_timestamp",
    "link_name",
    "normalise_note_text",
    "now_stamp",
    "passage_paragraphs",
    "quote_lines",
    "quote_note_text",
    "safe_name",
    "slugify",
    "source_path",
    "target_in_dir",
    "unquote_note_text",
    "write_entity_pages",
    "write_export",
    "yaml_str",
]
