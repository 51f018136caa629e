"""Shared fixtures: every test runs with its own data, cache and config folders."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "000_30010e33f959fb06.txt"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the user's real notes, cache and settings."""
    home = tmp_path / "home"
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_CONFIG_HOME", "config")):
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("READER_DB", str(home / "notes.json"))
    monkeypatch.delenv("READER_MODEL", raising=False)
    monkeypatch.delenv("READER_CONFIG", raising=False)
    return home


@pytest.fixture
def sample() -> Path:
    return SAMPLE
