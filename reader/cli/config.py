"""``reader config``: the settings file, every value in force and where it comes from."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.common import dump_json

if TYPE_CHECKING:
    from reader.config import Config

__all__ = ["cmd_config"]

_SHOWN_DEFAULT = {"model": "(the best model installed)", "library": "(none)",
                  "export_dir": "(x: the current folder; reader export: stdout)",
                  "theme": "(Textual's default)"}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader config",
        description="Show the settings file (config.toml in the user config folder, or "
                    "READER_CONFIG), every value in force and where it comes from, and any "
                    "problem with the file. A problem never stops the reader: the value "
                    "concerned falls back to its default.")
    p.add_argument("--json", action="store_true",
                   help="an object: path, exists, values {model, library, export_dir, theme, "
                        "highlight, keys, export, panel, text_width, notes}, from_file (the "
                        "names set by the file), messages")
    return p


def cmd_config(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    from reader.config import config_path, config_values, load_config_sources, theme_problem

    path = config_path()
    cfg, from_file = load_config_sources(path)
    messages = list(cfg.messages)
    problem = theme_problem(cfg.theme) if cfg.theme is not None else None
    if problem is not None:
        # Reported, and shown as what is in force: the default.
        messages.append(f"{path.name}: {problem}")
        cfg.theme = None
        from_file.discard("theme")
    values = config_values(cfg)
    if args.json:
        dump_json({"path": str(path), "exists": path.is_file(), "values": values,
                   "from_file": sorted(from_file), "messages": messages})
        return 0
    print("\n".join(_table(path, cfg, values, from_file, messages)))
    return 0


def _table(path: Path, cfg: Config, values: dict[str, Any], from_file: set[str],
           messages: list[str]) -> list[str]:
    state = ("exists" if path.is_file() else
             "not there: every value is a default; create it to change one")
    lines = [f"settings file: {path} ({state})", ""]

    def row(name: str, value: str, source: str) -> None:
        lines.append(f"{name:<24} {value:<40} {source}")

    for name in ("model", "library", "export_dir", "theme"):
        value = values[name]
        text = (", ".join(value) if isinstance(value, list) else value) or _SHOWN_DEFAULT[name]
        row(name, text, "from the file" if name in from_file else "default")
    row("panel", "true" if cfg.panel else "false",
        "from the file" if "panel" in from_file else "default")
    row("text_width", str(cfg.text_width),
        "from the file" if "text_width" in from_file else "default")
    for group, on in cfg.highlight.items():
        row(f"highlight.{group}", "true" if on else "false",
            "from the file" if f"highlight.{group}" in from_file else "default")
    for key, value in (("file_names", cfg.export_file_names),
                       ("wikilinks", "true" if cfg.export_wikilinks else "false")):
        row(f"export.{key}", value,
            "from the file" if f"export.{key}" in from_file else "default")
    for binding, keys in cfg.keys.items():
        row(f"keys.{binding}", keys, "from the file")
    if not cfg.keys:
        row("keys", "(no key remapped)", "default")
    for tag, colour in cfg.note_colours.items():
        row(f"notes.colours.{tag}", colour, "from the file")
    if messages:
        lines += ["", "problems:"]
        lines += [f"  {m}" for m in messages]
    return lines
