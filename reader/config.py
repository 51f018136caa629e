"""Settings: one TOML file in the user's config folder.

A malformed file never stops the reader: the message names the line and the defaults
are used.  A value of the wrong type names its line and falls back to its default alone;
the file's other values still apply.

    model = "en_core_web_md"          # the spaCy model (default: the best installed)
    library = ["~/articles", "~/papers"]   # or one string; relative to this file's folder
    export_dir = "~/vault/reading"    # where `x` and `reader export` write
    theme = "nord"                    # a Textual theme name
    panel = true                      # the entity panel shown when an article opens

    [highlight]                       # which entity groups are highlighted at start
    people = true
    other = false

    [keys]                            # binding id = keys (see the README's key table)
    line_down = "j,down,ctrl+n"

The app writes back what the user sets there (theme, panel, highlight): see
:mod:`reader.settings_write`.

    [export]                          # see docs/export.md
    file_names = "title"              # or "slug"
    wikilinks = false                 # entity names and citations as [[links]]
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import platformdirs

__all__ = ["DEFAULT_HIGHLIGHT", "SETTINGS", "THEMES", "Config", "config_path", "config_values",
           "load_config", "load_config_sources", "theme_problem"]

#: Entity groups and whether each is highlighted when an article opens.
DEFAULT_HIGHLIGHT: dict[str, bool] = {"people": True, "organizations": True, "places": True,
                                      "other": False}
#: The file's top-level settings, in the order `reader config` lists them.
SETTINGS = ("model", "library", "export_dir", "theme", "highlight", "keys", "export",
            "panel", "text_width", "notes")
#: How exported files are named: from the title, or lower-case slugs.
EXPORT_FILE_NAMES = ("title", "slug")
#: The theme names the app knows: Textual's built-in themes (the app registers none of its
#: own), kept here so that headless commands check a setting without importing Textual.
#: tests/unit/test_themes.py keeps this list equal to the themes the app has.
THEMES = ("textual-dark", "textual-light", "nord", "gruvbox", "catppuccin-mocha", "dracula",
          "tokyo-night", "monokai", "flexoki", "catppuccin-latte", "catppuccin-frappe",
          "catppuccin-macchiato", "solarized-light", "solarized-dark", "rose-pine",
          "rose-pine-moon", "rose-pine-dawn", "atom-one-dark", "atom-one-light", "ansi-dark",
          "ansi-light")

# The text column's width: the default is the page's own measure (reader.layout's
# MAX_MEASURE, not imported: this module stays free of the layout code).
TEXT_WIDTH_DEFAULT = 88
TEXT_WIDTH_RANGE = (40, 200)


FileNames = Literal["title", "slug"]


@dataclass(frozen=True)
class ExportSettings:
    """The settings the export follows (``[export]`` in the settings file); kept here so
    that opening the app does not import the export to read two values."""

    file_names: FileNames = "title"
    wikilinks: bool = False

    @classmethod
    def from_config(cls, config: Config) -> ExportSettings:
        return cls(file_names=config.export_file_names, wikilinks=config.export_wikilinks)


def config_path() -> Path:
    override = os.environ.get("READER_CONFIG")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir("reader")) / "config.toml"


@dataclass
class Config:
    model: str | None = None
    """The spaCy model; None: the best one installed."""
    library: list[Path] = field(default_factory=list)
    """Library folders (``~`` expanded; relative ones taken from the file's folder)."""
    export_dir: Path | None = None
    """Where `x` in the app and `reader export` without -o/--dir write; None: the current
    folder for `x`, stdout for `reader export`."""
    theme: str | None = None
    """A Textual theme name; None: Textual's default.  Checked against :data:`THEMES` by
    :func:`theme_problem` (this module imports no Textual)."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, e.g. ``{"line_down": "j,down,ctrl+n"}``."""
    highlight: dict[str, bool] = field(default_factory=lambda: dict(DEFAULT_HIGHLIGHT))
    """Entity group -> highlighted when an article opens."""
    panel: bool = True
    """The entity panel is shown when an article opens (a narrow window hides it still)."""
    export_file_names: Literal["title", "slug"] = "title"
    """``[export] file_names``: an export's file is named from the title, or a slug."""
    export_wikilinks: bool = False
    """``[export] wikilinks``: entity names and citations as ``[[links]]`` by default."""
    messages: list[str] = field(default_factory=list)
    """Problems with the file, one line each, for the user."""
    text_width: int = TEXT_WIDTH_DEFAULT
    """The widest the page's text column gets, in columns (narrower when the window is)."""
    note_colours: dict[str, str] = field(default_factory=dict)
    """``[notes.colours]``: tag -> the highlight colour of notes with that tag."""


def load_config(path: Path | None = None) -> Config:
    """The settings in force: the file's valid values over the defaults."""
    return load_config_sources(path)[0]


def load_config_sources(path: Path | None = None) -> tuple[Config, set[str]]:
    """The settings in force, and the names of those that come from the file: top-level
    names, and ``highlight.<group>`` / ``keys.<id>`` for table entries."""
    p = path or config_path()
    cfg = Config()
    try:
        raw = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return cfg, set()
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        cfg.messages.append(f"{p}: cannot be read ({why}); using the defaults")
        return cfg, set()
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        cfg.messages.append(_syntax_message(p.name, str(exc)))
        return cfg, set()
    return cfg, _Reader(p, raw, cfg).apply(data)


def theme_problem(name: str, known: Iterable[str] | None = None) -> str | None:
    """Why ``name`` cannot be used as the theme, in one line; None when it can.

    ``known``: the theme names available (default: :data:`THEMES`).
    """
    names = sorted(THEMES if known is None else known)
    if name in names:
        return None
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(names)}"
    return f"theme: no theme is called {name} ({hint}); using the default"


def config_values(cfg: Config) -> dict[str, Any]:
    """The settings as plain JSON data (paths as strings)."""
    return {"model": cfg.model, "library": [str(p) for p in cfg.library],
            "export_dir": str(cfg.export_dir) if cfg.export_dir is not None else None,
            "theme": cfg.theme, "highlight": dict(cfg.highlight), "keys": dict(cfg.keys),
            "export": {"file_names": cfg.export_file_names,
                       "wikilinks": cfg.export_wikilinks},
            "panel": cfg.panel,
            "text_width": cfg.text_width,
            "notes": {"colours": dict(cfg.note_colours)}}


# --------------------------------------------------------------------------- reading

_AT_LINE = re.compile(r"^(?P<what>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def _syntax_message(name: str, error: str) -> str:
    found = _AT_LINE.match(error)
    if found is None:  # "(at end of document)": an unclosed list, string or table
        what = error.replace("(at end of document)", "").strip()
        return f"{name}: {_lower_first(what)} at the end of the file; using the defaults"
    return (f"{name} line {found['line']}: {_lower_first(found['what'])} "
            f"(column {found['col']}); using the defaults")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _shown(value: object) -> str:
    """A value as it would be written in TOML, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, str | int | float | list):
        text = json.dumps(value, ensure_ascii=False, default=str)
        return text if len(text) <= 40 else text[:39] + "…"
    return str(value)


_HEADER = re.compile(r"^\s*\[\[?\s*(?P<name>[^\]]*?)\s*\]\]?")


def _key_pattern(key: str) -> str:
    return r"""(?:"|')?""" + re.escape(key) + r"""(?:"|')?"""


def _flat(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Binding ids have dots ("search.next"), which TOML reads as nested tables unless
    quoted: join them again."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict) and value:
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


class _Reader:
    """Applies a parsed file to a Config, one value at a time, with line-numbered
    messages for the values that cannot be used."""

    def __init__(self, path: Path, raw: str, cfg: Config) -> None:
        self.path = path
        self.lines = raw.splitlines()
        self.cfg = cfg
        self.sources: set[str] = set()

    def line_of(self, key: str, table: str | None = None) -> int | None:
        """The 1-based line that sets ``key`` (in ``[table]`` when given); tomllib keeps no
        positions, so the raw text is scanned: the key in its table first, then a dotted
        key, then the key anywhere (an inline table)."""
        # At the top level a dotted key (`keys.quit = "q"`) sets a table too.
        plain = re.compile(r"^\s*" + _key_pattern(key) + (r"\s*=" if table else r"\s*[=.]"))
        dotted = (re.compile(r"^\s*" + _key_pattern(table) + r"\s*\.\s*" + _key_pattern(key)
                             + r"\s*=") if table else None)
        header = re.compile(r"^" + _key_pattern(key) + r"(\s*\.|$)") if table is None else None
        current: str | None = None
        for n, line in enumerate(self.lines, 1):
            found = _HEADER.match(line)
            if found:
                current = found["name"].replace('"', "").replace("'", "").replace(" ", "")
                if header is not None and header.match(current):
                    return n
                continue
            if current == table and plain.match(line):
                return n
            if current is None and dotted is not None and dotted.match(line):
                return n
        anywhere = re.compile(r"(?<![\w-])" + _key_pattern(key) + r"\s*=")
        return next((n for n, line in enumerate(self.lines, 1) if anywhere.search(line)), None)

    def problem(self, text: str, key: str, table: str | None = None) -> None:
        line = self.line_of(key, table)
        where = f"{self.path.name} line {line}" if line else self.path.name
        self.cfg.messages.append(f"{where}: {text}")

    def apply(self, data: dict[str, Any]) -> set[str]:
        for key, value in data.items():
            if key not in SETTINGS:
                close = difflib.get_close_matches(key, SETTINGS, n=1)
                hint = (f" (did you mean {close[0]}?)" if close
                        else f" (known: {', '.join(SETTINGS)})")
                self.problem(f"unknown setting {key}{hint}; ignored", key)
                continue
            getattr(self, f"_{key}")(value)
        return self.sources

    def _model(self, value: object) -> None:
        if isinstance(value, str) and value.strip():
            self.cfg.model = value.strip()
            self.sources.add("model")
        else:
            self.problem(f"model must be a spaCy model name in quotes, not {_shown(value)}; "
                         "using the default", "model")

    def _path(self, value: str) -> Path:
        path = Path(value).expanduser()
        # Relative to the file, so the setting means the same from whichever folder the
        # reader is started in.
        return path if path.is_absolute() else self.path.parent / path

    def _library(self, value: object) -> None:
        folders = [value] if isinstance(value, str) else value
        if (isinstance(folders, list) and folders
                and all(isinstance(f, str) and f.strip() for f in folders)):
            self.cfg.library = [self._path(f) for f in folders]
            self.sources.add("library")
        elif folders == []:
            self.sources.add("library")
        else:
            self.problem(f"library must be a folder or a list of folders in quotes, not "
                         f"{_shown(value)}; using the default (no library)", "library")

    def _export_dir(self, value: object) -> None:
        if isinstance(value, str) and value.strip():
            self.cfg.export_dir = self._path(value)
            self.sources.add("export_dir")
        else:
            self.problem(f"export_dir must be a folder in quotes, not {_shown(value)}; "
                         "using the default", "export_dir")

    def _theme(self, value: object) -> None:
        if isinstance(value, str) and value.strip():
            self.cfg.theme = value.strip()
            self.sources.add("theme")
        else:
            self.problem(f"theme must be a theme name in quotes (e.g. \"nord\"), not "
                         f"{_shown(value)}; using the default", "theme")

    def _highlight(self, value: object) -> None:
        if not isinstance(value, dict):
            self.problem(f"highlight must be a table ([highlight] then e.g. places = false), "
                         f"not {_shown(value)}; using the defaults", "highlight")
            return
        for group, on in value.items():
            if group not in DEFAULT_HIGHLIGHT:
                known = ", ".join(DEFAULT_HIGHLIGHT)
                self.problem(f"unknown highlight group {group} (known: {known}); ignored",
                             group, "highlight")
            elif not isinstance(on, bool):
                default = _shown(DEFAULT_HIGHLIGHT[group])
                self.problem(f"highlight.{group} must be true or false, not {_shown(on)}; "
                             f"using the default ({default})", group, "highlight")
            else:
                self.cfg.highlight[group] = on
                self.sources.add(f"highlight.{group}")

    def _keys(self, value: object) -> None:
        if not isinstance(value, dict):
            self.problem(f"keys must be a table ([keys] then binding id = \"keys\"), not "
                         f"{_shown(value)}; using the default keys", "keys")
            return
        from reader.keys import BINDING_IDS

        for binding, keys in _flat(value).items():
            if binding not in BINDING_IDS:
                close = difflib.get_close_matches(binding, sorted(BINDING_IDS), n=1)
                hint = f"did you mean {close[0]}?" if close else "see docs/keys.md"
                self.problem(f"unknown binding id keys.{binding} ({hint}); ignored",
                             binding, "keys")
            elif isinstance(keys, str) and keys.strip():
                self.cfg.keys[binding] = keys
                self.sources.add(f"keys.{binding}")
            else:
                self.problem(f"keys.{binding} must be keys in quotes (e.g. \"j,down\"), not "
                             f"{_shown(keys)}; using its default keys", binding, "keys")

    def _panel(self, value: object) -> None:
        if isinstance(value, bool):
            self.cfg.panel = value
            self.sources.add("panel")
        else:
            self.problem(f"panel must be true or false, not {_shown(value)}; using the "
                         "default (true)", "panel")

    def _export(self, value: object) -> None:
        if not isinstance(value, dict):
            self.problem(f"export must be a table ([export] then e.g. wikilinks = true), "
                         f"not {_shown(value)}; using the defaults", "export")
            return
        for key, setting in value.items():
            if key == "file_names" and setting in EXPORT_FILE_NAMES:
                self.cfg.export_file_names = "slug" if setting == "slug" else "title"
            elif key == "wikilinks" and isinstance(setting, bool):
                self.cfg.export_wikilinks = setting
            elif key in ("file_names", "wikilinks"):
                want = ('"title" or "slug"' if key == "file_names" else "true or false")
                self.problem(f"export.{key} must be {want}, not {_shown(setting)}; using the "
                             "default", key, "export")
                continue
            else:
                self.problem(f"unknown export setting {key} (known: file_names, wikilinks); "
                             "ignored", key, "export")
                continue
            self.sources.add(f"export.{key}")

    def _text_width(self, value: object) -> None:
        low, high = TEXT_WIDTH_RANGE
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            self.cfg.text_width = value
            self.sources.add("text_width")
        else:
            self.problem(f"text_width must be a number of columns from {low} to {high}, not "
                         f"{_shown(value)}; using the default ({TEXT_WIDTH_DEFAULT})",
                         "text_width")

    # ------------------------------------------------------------------ [notes]

    def _notes(self, value: object) -> None:
        from reader.notes import NOTE_COLOURS

        colours = value.get("colours") if isinstance(value, dict) else None
        if not isinstance(value, dict) or set(value) - {"colours"} or not isinstance(
                colours, dict):
            self.problem("notes must be a table with a colours table ([notes.colours] then "
                         f"e.g. todo = \"yellow\"), not {_shown(value)}; ignored", "notes")
            return
        for tag, colour in colours.items():
            if colour in NOTE_COLOURS:
                self.cfg.note_colours[str(tag).lstrip("#")] = str(colour)
                self.sources.add(f"notes.colours.{tag}")
            else:
                self.problem(f"notes.colours.{tag} must be one of {', '.join(NOTE_COLOURS)}, "
                             f"not {_shown(colour)}; ignored", str(tag), "colours")
