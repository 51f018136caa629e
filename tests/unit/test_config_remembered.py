"""`reader config` shows what the app remembered, and reports [keys] ids no binding has."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.config import load_config_sources
from reader.settings_write import save_settings


def reader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL, env=dict(os.environ))


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("READER_CONFIG", str(path))
    return path


def test_reader_config_shows_what_the_app_remembered_as_from_the_file(
        settings: Path) -> None:
    save_settings({"theme": "gruvbox", "panel": False, "highlight.places": False})
    run = reader("config")
    assert run.returncode == 0, run.stderr
    rows = {line.split()[0]: line.split() for line in run.stdout.splitlines()
            if line.strip()}
    assert rows["theme"][1:] == ["gruvbox", "from", "the", "file"]
    assert rows["panel"][1:] == ["false", "from", "the", "file"]
    assert rows["highlight.places"][1:] == ["false", "from", "the", "file"]
    assert rows["highlight.people"][1:] == ["true", "default"]

    run = reader("config", "--json")
    out = json.loads(run.stdout)
    assert out["values"]["theme"] == "gruvbox" and out["values"]["panel"] is False
    assert out["values"]["highlight"]["places"] is False
    assert {"theme", "panel", "highlight.places"} <= set(out["from_file"])
    assert out["messages"] == []


def test_a_panel_setting_of_the_wrong_type_names_its_line(settings: Path) -> None:
    settings.parent.mkdir()
    settings.write_text('theme = "nord"\npanel = "no"\n', encoding="utf-8")
    cfg, sources = load_config_sources(settings)
    assert cfg.panel is True and "panel" not in sources
    [message] = cfg.messages
    assert message.startswith("config.toml line 2: panel must be true or false")


def test_an_unknown_binding_id_is_reported_and_not_in_force(settings: Path) -> None:
    settings.parent.mkdir()
    settings.write_text('[keys]\nline_down = "j"\nsearch.nxt = "f3"\nfrobnicate = "z"\n',
                        encoding="utf-8")
    cfg, sources = load_config_sources(settings)
    assert cfg.keys == {"line_down": "j"}
    assert sources == {"keys.line_down"}
    first, second = cfg.messages
    assert first.startswith("config.toml line 3: unknown binding id keys.search.nxt")
    assert "did you mean search.next?" in first
    assert second.startswith("config.toml line 4: unknown binding id keys.frobnicate")

    run = reader("config", "--json")
    out = json.loads(run.stdout)
    assert out["values"]["keys"] == {"line_down": "j"}
    assert out["from_file"] == ["keys.line_down"]
    assert len(out["messages"]) == 2
    text = reader("config").stdout
    assert "keys.frobnicate" not in text.split("problems:")[0]
    assert "unknown binding id keys.frobnicate" in text
