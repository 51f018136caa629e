"""What the reader sets in the app (theme, entity panel, highlights) is there next time."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.cli import main
from reader.config import config_path, load_config
from reader.document import load
from reader.ui.app import ReaderApp
from reader.ui.screens.article import ArticleScreen


def app_from_settings(sample: Path) -> ReaderApp:
    """The app as `reader FILE` makes it from the settings file."""
    cfg = load_config()
    assert not cfg.messages
    return ReaderApp(load(sample), theme=cfg.theme, highlight=cfg.highlight,
                     panel=cfg.panel)


def article_screen(app: ReaderApp) -> ArticleScreen:
    return next(s for s in app.screen_stack if isinstance(s, ArticleScreen))


async def settled(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def choose_theme(pilot: Pilot[None], name: str) -> None:
    """ctrl+p, then the palette's theme command, then the theme."""
    await pilot.press("ctrl+p")
    await pilot.pause(0.2)
    await pilot.press(*"theme")
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause(0.2)
    await pilot.press(*name)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await settled(pilot)


async def test_the_panel_highlights_and_theme_set_in_the_app_are_there_next_time(
        sample: Path) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# mine\nexport_dir = \"notes\"   # where x writes\n", encoding="utf-8")
    app = app_from_settings(sample)
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        screen = article_screen(app)
        assert screen.panel.display
        await pilot.press("0", "3", "4")
        await choose_theme(pilot, "gruvbox")
        assert app.theme == "gruvbox"
        assert not screen.panel.display
        assert screen.shown_groups == {"people", "organizations", "other"}
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# mine\nexport_dir = "notes"   # where x writes\n')

    again = app_from_settings(sample)
    async with again.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        screen = article_screen(again)
        assert again.theme == "gruvbox"
        assert not screen.panel.display
        assert screen.shown_groups == {"people", "organizations", "other"}
        assert screen.panel.shown_groups == {"people", "organizations", "other"}
        await pilot.press("0")  # and back: shown again next time
        await settled(pilot)
    assert load_config().panel is True


async def test_a_panel_hidden_by_a_narrow_window_is_not_remembered(sample: Path) -> None:
    app = app_from_settings(sample)
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        screen = article_screen(app)
        await pilot.resize_terminal(80, 24)
        await settled(pilot)
        assert not screen.panel.display
        await pilot.resize_terminal(120, 30)
        await settled(pilot)
        assert screen.panel.display
    assert not config_path().exists()
    narrow = app_from_settings(sample)
    async with narrow.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert not article_screen(narrow).panel.display
    assert not config_path().exists()


async def test_an_article_opened_later_follows_what_was_set(sample: Path) -> None:
    app = app_from_settings(sample)
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        await pilot.press("0", "1")
        await settled(pilot)
        app.open_article(load(sample))
        await settled(pilot)
        second = app.screen
        assert isinstance(second, ArticleScreen) and second is not article_screen(app)
        assert not second.panel.display
        assert "people" not in second.shown_groups


async def test_a_settings_file_with_a_toml_error_is_kept_and_said_once(sample: Path) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    broken = 'theme = "nord\n'
    path.write_text(broken, encoding="utf-8")
    app = ReaderApp(load(sample))
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        screen = article_screen(app)
        await pilot.press("0")
        await settled(pilot)
        await pilot.press("4")
        await settled(pilot)
        assert not screen.panel.display and "other" in screen.shown_groups
        said = [n.message for n in app._notifications if "TOML error" in n.message]
        assert len(said) == 1 and "kept for this session only" in said[0]
    assert path.read_text(encoding="utf-8") == broken


def test_reader_starts_with_the_settings_panel(
        sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("panel = false\n", encoding="utf-8")
    opened: list[ReaderApp] = []
    monkeypatch.setattr(ReaderApp, "run", lambda self, *a, **k: opened.append(self))
    assert main([str(sample)]) == 0
    [app] = opened
    assert app.panel_shown is False
