"""Settings: one TOML file in the user's config folder.

A malformed file never stops the reader: the message names the line and the defaults
are used.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs


def config_path() -> Path:
    override = os.environ.get("READER_CONFIG")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("reader")) / "config.toml"


@dataclass
class Config:
    model: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, e.g. ``{"line_down": "j,down,ctrl+n"}``."""
    messages: list[str] = field(default_factory=list)


def load_config(path: Path | None = None) -> Config:
    p = path or config_path()
    cfg = Config()
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        return cfg
    except (OSError, UnicodeDecodeError) as exc:
        cfg.messages.append(f"{p}: cannot be read ({exc}); using the defaults")
        return cfg
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        cfg.messages.append(f"{p}: {exc}; using the defaults")
        return cfg
    model = data.get("model")
    if isinstance(model, str) and model:
        cfg.model = model
    keys = data.get("keys", {})
    if isinstance(keys, dict):
        cfg.keys = {str(k): str(v) for k, v in keys.items() if isinstance(v, str)}
    else:
        cfg.messages.append(f"{p}: [keys] must be a table of binding id = \"keys\"")
    return cfg
