"""``reader entities FILE``: the article's people, organizations and places."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from reader.cli.common import (
    DB,
    MODEL,
    CommandError,
    dump_json,
    load_article,
    model_setting,
    stored_corrections,
)

__all__ = ["cmd_entities"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reader entities", parents=[MODEL, DB],
                                description="List the people, organizations and places of FILE.")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    return p


def cmd_entities(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    article = load_article(args.file)
    from reader import nlp
    from reader.analysis import analyse
    from reader.entities import entity_to_json

    model = nlp.find_model(model_setting(args.model))
    if model is None:
        raise CommandError(str(nlp.ModelMissing()))
    try:
        mentions = nlp.article_mentions(article, model)
    except nlp.ModelMissing as exc:
        raise CommandError(str(exc)) from None
    entities = analyse(article, mentions, stored_corrections(args.db))
    if args.json:
        dump_json({"article": article.header(),
                   "model": f"{model} {nlp.model_version(model)}",
                   "entities": [entity_to_json(e) for e in entities]})
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=article.title or str(article.path))
    table.add_column("group")
    table.add_column("name")
    table.add_column("mentions", justify="right")
    table.add_column("also")
    for e in entities:
        table.add_row(e.group, e.name, str(e.count), ", ".join(e.aliases))
    Console().print(table)
    return 0
