"""The settings file: values, line-numbered messages, defaults, and `reader config`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.config import DEFAULT_HIGHLIGHT, Config, config_path, load_config, load_config_sources


def reader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL, env=dict(os.environ))


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The settings file of the test (READER_CONFIG points at it; not written yet)."""
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir()
    monkeypatch.setenv("READER_CONFIG", str(path))
    return path


def write(path: Path, text: str) -> Config:
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_no_file_means_every_default_and_no_message(settings: Path) -> None:
    cfg = load_config()
    assert cfg == Config()
    assert cfg.highlight == {"people": True, "organizations": True, "places": True,
                             "other": False}
    assert cfg.library == [] and cfg.export_dir is None and cfg.theme is None


def test_the_file_lives_in_the_user_config_folder_unless_reader_config_says(
        private_dirs: Path) -> None:
    assert config_path() == private_dirs / "config" / "reader" / "config.toml"


def test_every_setting_is_read(settings: Path) -> None:
    cfg = write(settings, """
model = "en_core_web_md"
library = ["/srv/articles", "/srv/papers"]
export_dir = "/srv/vault"
theme = "nord"
[highlight]
places = false
other = true
[keys]
line_down = "j,down"
""")
    assert cfg.messages == []
    assert cfg.model == "en_core_web_md"
    assert cfg.library == [Path("/srv/articles"), Path("/srv/papers")]
    assert cfg.export_dir == Path("/srv/vault")
    assert cfg.theme == "nord"
    assert cfg.highlight == {"people": True, "organizations": True, "places": False,
                             "other": True}
    assert cfg.keys == {"line_down": "j,down"}


def test_malformed_file_names_the_line_and_uses_the_defaults(settings: Path) -> None:
    cfg = write(settings, 'model = "en_core_web_md"\ntheme = "nord"\nexport_dir = ~/notes\n')
    [message] = cfg.messages
    assert message.startswith("config.toml line 3: ")
    assert "using the defaults" in message and "(at line" not in message
    assert (cfg.model, cfg.theme, cfg.export_dir) == (None, None, None)


def test_a_list_left_open_says_the_file_ends_too_soon(settings: Path) -> None:
    cfg = write(settings, 'library = ["~/a",\n')
    [message] = cfg.messages
    assert message.startswith("config.toml: ") and "end of the file" in message
    assert cfg.library == []


def test_unreadable_file_says_so_and_uses_the_defaults(settings: Path) -> None:
    settings.write_bytes(b'theme = "\xff\xfe"\n')
    cfg = load_config()
    assert len(cfg.messages) == 1 and "cannot be read" in cfg.messages[0]
    assert cfg.theme is None


@pytest.mark.parametrize(("line", "what"), [
    ("theme = 3", "theme"),
    ("model = true", "model"),
    ("library = 5", "library"),
    ('library = ["~/a", 5]', "library"),
    ('export_dir = ["a", "b"]', "export_dir"),
    ("highlight = true", "highlight"),
    ('keys = "j"', "keys"),
])
def test_a_wrongly_typed_value_names_its_line_and_only_it_falls_back(
        settings: Path, line: str, what: str) -> None:
    good, value = ("theme", "nord") if what == "model" else ("model", "en_core_web_md")
    cfg = write(settings, f'# my settings\n{good} = "{value}"\n{line}\n')
    [message] = cfg.messages
    assert message.startswith("config.toml line 3: ") and what in message
    assert getattr(cfg, what) == getattr(Config(), what)
    assert getattr(cfg, good) == value  # the file's other values still apply


def test_a_highlight_that_is_not_true_or_false_names_its_line(settings: Path) -> None:
    cfg = write(settings, '[highlight]\norganizations = false\npeople = "yes"\nplaces = 0\n')
    assert [m.split(":")[0] for m in cfg.messages] == ["config.toml line 3",
                                                       "config.toml line 4"]
    assert "highlight.people" in cfg.messages[0] and "true or false" in cfg.messages[0]
    assert cfg.highlight == {**DEFAULT_HIGHLIGHT, "organizations": False}


def test_unknown_settings_and_groups_are_named_with_their_line_and_ignored(
        settings: Path) -> None:
    cfg = write(settings, 'them = "nord"\n[colours]\nx = 1\n[highlight]\nplace = false\n'
                          'people = false\n')
    assert len(cfg.messages) == 3
    them, colours, place = cfg.messages
    assert them.startswith("config.toml line 1: ") and "them" in them
    assert "did you mean theme?" in them
    assert colours.startswith("config.toml line 2: ") and "colours" in colours
    assert place.startswith("config.toml line 5: ") and "place" in place
    assert cfg.highlight["people"] is False and cfg.theme is None


def test_an_inline_highlight_table_names_the_line_of_the_bad_value(settings: Path) -> None:
    cfg = write(settings, 'theme = "nord"\n\nhighlight = { people = "no", other = true }\n')
    [message] = cfg.messages
    assert message.startswith("config.toml line 3: ") and "highlight.people" in message
    assert cfg.highlight["other"] is True


def test_tilde_and_relative_folders_are_expanded(
        settings: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "me"))
    cfg = write(settings, 'library = "~/articles"\nexport_dir = "vault"\n')
    assert cfg.library == [tmp_path / "me" / "articles"]
    # Relative to the settings file, not to wherever the reader is started.
    assert cfg.export_dir == settings.parent / "vault"
    cfg = write(settings, 'library = ["~/a", "/b"]\nexport_dir = "~/v"\n')
    assert cfg.library == [tmp_path / "me" / "a", Path("/b")]
    assert cfg.export_dir == tmp_path / "me" / "v"


def test_binding_ids_with_dots_can_be_written_without_quotes(settings: Path) -> None:
    cfg = write(settings, '[keys]\nsearch.next = "ctrl+n"\n"app.quit" = "ctrl+x"\n'
                          'line_down = 5\n')
    assert cfg.keys == {"search.next": "ctrl+n", "app.quit": "ctrl+x"}
    [message] = cfg.messages
    assert message.startswith("config.toml line 4: ") and "keys.line_down" in message


def test_sources_say_which_values_the_file_set(settings: Path) -> None:
    settings.write_text('theme = "nord"\n[highlight]\nother = true\n[keys]\nquit = "Q"\n',
                        encoding="utf-8")
    _, sources = load_config_sources()
    assert sources == {"theme", "highlight.other", "keys.quit"}


# --------------------------------------------------------------------------- reader config


def test_reader_config_shows_the_path_and_every_default_when_there_is_no_file(
        settings: Path) -> None:
    run = reader("config")
    assert run.returncode == 0, run.stderr
    assert str(settings) in run.stdout and "not there" in run.stdout
    for name in ("model", "library", "export_dir", "theme", "highlight.people",
                 "highlight.other", "keys"):
        assert name in run.stdout
    assert "from the file" not in run.stdout


def test_reader_config_marks_the_values_from_the_file_and_lists_problems(
        settings: Path) -> None:
    settings.write_text('theme = "gruvbox"\nexport_dir = 5\n[highlight]\nplaces = false\n',
                        encoding="utf-8")
    run = reader("config")
    assert run.returncode == 0, run.stderr
    rows = {line.split()[0]: line for line in run.stdout.splitlines() if line.strip()}
    assert "gruvbox" in rows["theme"] and rows["theme"].endswith("from the file")
    places = rows["highlight.places"]
    assert "false" in places and places.endswith("from the file")
    assert rows["highlight.people"].endswith("default")
    assert rows["export_dir"].endswith("default")
    assert "config.toml line 2: export_dir" in run.stdout


def test_reader_config_shows_the_export_settings_and_where_they_come_from(
        settings: Path) -> None:
    settings.write_text('[export]\nwikilinks = true\n', encoding="utf-8")
    run = reader("config")
    assert run.returncode == 0, run.stderr
    rows = {line.split()[0]: line.split() for line in run.stdout.splitlines() if line.strip()}
    assert rows["export.wikilinks"] == ["export.wikilinks", "true", "from", "the", "file"]
    assert rows["export.file_names"] == ["export.file_names", "title", "default"]


def test_reader_config_json_has_path_values_sources_and_messages(settings: Path) -> None:
    settings.write_text('theme = "nrod"\nlibrary = "/srv/a"\n[keys]\nquit = "Q"\n',
                        encoding="utf-8")
    run = reader("config", "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["path"] == str(settings) and out["exists"] is True
    # A theme Textual does not know is reported, and the default is what is in force.
    assert out["values"] == {"model": None, "library": ["/srv/a"], "export_dir": None,
                             "theme": None, "highlight": DEFAULT_HIGHLIGHT,
                             "keys": {"quit": "Q"},
                             "export": {"file_names": "title", "wikilinks": False},
                             "panel": True, "text_width": 88, "notes": {"colours": {}}}
    assert out["from_file"] == ["keys.quit", "library"]
    [message] = out["messages"]
    assert "nrod" in message and "nord" in message


def test_reader_config_with_a_malformed_file_reports_it_and_exits_0(settings: Path) -> None:
    settings.write_text("theme = \n", encoding="utf-8")
    run = reader("config", "--json")
    assert run.returncode == 0
    out = json.loads(run.stdout)
    assert out["exists"] is True and out["values"]["theme"] is None
    assert out["messages"][0].startswith("config.toml line 1: ")


def test_reader_config_with_a_bad_argument_exits_2(settings: Path) -> None:
    run = reader("config", "--edit")
    assert run.returncode == 2 and run.stdout == ""
    assert not settings.exists()


# --------------------------------------------------------------------------- export_dir

NO_MODEL = ("--model", "en_core_web_nonexistent")


def test_reader_export_writes_to_the_settings_export_dir(
        settings: Path, tmp_path: Path, sample: Path) -> None:
    vault = tmp_path / "vault" / "reading"  # made on first use
    settings.write_text(f'export_dir = "{vault}"\n', encoding="utf-8")
    run = reader("export", str(sample), "--no-timestamp", *NO_MODEL)
    assert run.returncode == 0, run.stderr
    [written] = list(vault.glob("*.md"))
    assert run.stdout.startswith(f"wrote {written}")
    assert written.read_text(encoding="utf-8").startswith("---\n")
    # -o - still writes to stdout; --dir still wins over the setting.
    run = reader("export", str(sample), "-o", "-", "--no-timestamp", *NO_MODEL)
    assert run.returncode == 0 and run.stdout.startswith("---\n")
    other = tmp_path / "other"
    assert reader("export", str(sample), "--dir", str(other), *NO_MODEL).returncode == 0
    assert len(list(other.glob("*.md"))) == 1 and len(list(vault.glob("*.md"))) == 1


def test_reader_export_without_export_dir_still_writes_to_stdout(
        settings: Path, sample: Path) -> None:
    settings.write_text('theme = "nord"\n', encoding="utf-8")
    run = reader("export", str(sample), "--no-timestamp", *NO_MODEL)
    assert run.returncode == 0 and run.stdout.startswith("---\n")


def test_reader_entities_uses_the_settings_model_unless_the_environment_names_one(
        settings: Path, sample: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import main

    settings.write_text('model = "no_such_model"\n', encoding="utf-8")
    assert main(["entities", str(sample)]) == 2
    assert "'no_such_model' is not installed" in capsys.readouterr().err
    monkeypatch.setenv("READER_MODEL", "another_missing_model")
    assert main(["entities", str(sample)]) == 2
    assert "'another_missing_model' is not installed" in capsys.readouterr().err
    assert main(["entities", str(sample), "--model", "third_model"]) == 2
    assert "'third_model' is not installed" in capsys.readouterr().err


def test_reader_config_shows_an_unknown_theme_as_a_problem_not_in_force(
        settings: Path) -> None:
    settings.write_text('theme = "nrod"\n', encoding="utf-8")
    run = reader("config")
    assert run.returncode == 0, run.stderr
    rows = {line.split()[0]: line for line in run.stdout.splitlines() if line.strip()}
    assert "nrod" not in rows["theme"] and rows["theme"].endswith("default")
    assert "no theme is called nrod (did you mean nord?)" in run.stdout


def test_text_width_is_read_and_a_bad_one_is_reported(tmp_path: Path) -> None:
    from reader.config import TEXT_WIDTH_DEFAULT, load_config
    from reader.layout import MAX_MEASURE

    assert TEXT_WIDTH_DEFAULT == MAX_MEASURE  # the default is the page's own measure
    path = tmp_path / "config.toml"
    path.write_text("text_width = 60\n", encoding="utf-8")
    assert load_config(path).text_width == 60
    for bad in ("30", "201", '"wide"', "true", "72.5"):
        path.write_text(f"model = \"m\"\ntext_width = {bad}\n", encoding="utf-8")
        cfg = load_config(path)
        assert cfg.text_width == TEXT_WIDTH_DEFAULT
        [message] = cfg.messages
        assert message.startswith("config.toml line 2: text_width must be")
        assert cfg.model == "m"  # the file's other values still apply
