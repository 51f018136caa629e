"""What the app remembers is written into the settings file, keeping the user's own."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from reader.config import load_config, load_config_sources
from reader.settings_write import SettingsError, SettingsWriter, save_settings

USERS_FILE = """\
# my reader settings
model = "en_core_web_md"   # the medium one
library = ["~/articles"]

[highlight]                # what stands out
people = true
places = true              # keep this comment

[keys]
line_down = "j,down"

[mine]                     # a table the reader does not know
colour = "teal"
"""


def test_comments_layout_and_other_keys_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USERS_FILE, encoding="utf-8")
    assert save_settings({"theme": "nord", "panel": False, "highlight.places": False,
                          "highlight.other": True}, path)
    text = path.read_text(encoding="utf-8")
    for line in USERS_FILE.splitlines():
        if not line.startswith("places"):
            assert line in text
    assert "places = false              # keep this comment" in text
    cfg, sources = load_config_sources(path)
    assert cfg.theme == "nord" and cfg.panel is False
    assert cfg.highlight == {"people": True, "organizations": True, "places": False,
                             "other": True}
    assert cfg.model == "en_core_web_md" and cfg.keys == {"line_down": "j,down"}
    assert {"theme", "panel", "highlight.places", "highlight.other"} <= sources
    # The new top-level values go with the others, before the first table.
    assert text.index("theme = ") < text.index("[highlight]")


def test_the_file_and_its_folder_are_made_when_missing(tmp_path: Path) -> None:
    path = tmp_path / "config" / "reader" / "config.toml"
    assert save_settings({"highlight.people": False}, path)
    assert load_config(path).highlight["people"] is False
    assert not load_config(path).messages


def test_highlight_written_as_dotted_keys_or_an_inline_table_stays_so(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('highlight.people = true\ntheme = "nord"\n', encoding="utf-8")
    save_settings({"highlight.people": False}, path)
    assert path.read_text(encoding="utf-8") == 'highlight.people = false\ntheme = "nord"\n'
    path.write_text("highlight = {people = true}\n", encoding="utf-8")
    save_settings({"highlight.places": False}, path)
    assert load_config(path).highlight["places"] is False
    assert path.read_text(encoding="utf-8").startswith("highlight = {")


def test_a_value_of_the_wrong_type_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('highlight = "all"\ntheme = 3\nmodel = "m"\n', encoding="utf-8")
    save_settings({"highlight.other": True, "theme": "gruvbox"}, path)
    cfg = load_config(path)
    assert not cfg.messages
    assert cfg.theme == "gruvbox" and cfg.highlight["other"] is True and cfg.model == "m"


def test_a_file_with_a_toml_error_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    broken = '# mine\ntheme = "nord\n[highlight]\n'
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(SettingsError, match="TOML error"):
        save_settings({"panel": False}, path)
    assert path.read_text(encoding="utf-8") == broken


def test_nothing_is_written_when_the_file_says_so_already(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\npanel = false\n[highlight]\nother = true\n',
                    encoding="utf-8")
    before = path.stat()
    assert not save_settings({"theme": "nord", "panel": False, "highlight.other": True},
                             path)
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_failed_write_leaves_the_file_as_it_was_and_no_temp_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings" / "config.toml"
    path.parent.mkdir()
    path.write_text(USERS_FILE, encoding="utf-8")

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(SettingsError, match="No space left on device"):
        save_settings({"theme": "nord"}, path)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == USERS_FILE
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]


def test_a_byte_order_mark_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'\xef\xbb\xbftheme = "nord"\n')
    save_settings({"theme": "dracula"}, path)
    assert path.read_bytes() == b'\xef\xbb\xbftheme = "dracula"\n'


def test_the_writer_says_a_problem_once_and_keeps_the_change_for_later(
        tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord\n', encoding="utf-8")
    writer = SettingsWriter(path)
    writer.remember({"panel": False})
    first = writer.flush()
    assert first is not None and "TOML error" in first and "this session" in first
    writer.remember({"highlight.people": False})
    assert writer.flush() is None  # said once
    path.write_text('theme = "nord"\n', encoding="utf-8")  # the user mends the file
    writer.remember({"highlight.people": True})
    assert writer.flush() is None
    cfg = load_config(path)
    assert cfg.panel is False and cfg.highlight["people"] is True and cfg.theme == "nord"


def test_the_latest_value_wins_however_writes_interleave(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    writer = SettingsWriter(path)
    threads = []
    for n in range(20):
        writer.remember({"highlight.people": n % 2 == 0, "theme": f"t{n}"})
        thread = threading.Thread(target=writer.flush)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    cfg = load_config(path)
    assert cfg.theme == "t19" and cfg.highlight["people"] is False
