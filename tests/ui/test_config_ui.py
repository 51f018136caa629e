"""Settings applied in the app: theme, highlighted groups at start, export folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.cli import main
from reader.document import load
from reader.export import ExportSettings
from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.article import ArticleScreen
from reader.ui.themes import theme_problem


def article_screen(app: ReaderApp) -> ArticleScreen:
    return next(s for s in app.screen_stack if isinstance(s, ArticleScreen))


async def test_the_settings_theme_and_highlighted_groups_apply_at_start(sample: Path) -> None:
    app = ReaderApp(load(sample), theme="nord",
                    highlight={"people": True, "organizations": False, "places": False,
                               "other": True})
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        screen = article_screen(app)
        assert screen.panel.shown_groups == {"people", "other"}
        await pilot.press("3")  # the toggles start from the settings' state
        assert screen.panel.shown_groups == {"people", "other", "places"}
        assert not [n for n in app._notifications if n.severity == "warning"]


async def test_an_unknown_theme_is_named_in_a_notice_and_the_default_is_kept(
        sample: Path) -> None:
    app = ReaderApp(load(sample), theme="nrod")
    default = app.theme
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.theme == default
        shown = [n.message for n in app._notifications]
        assert any("nrod" in m and "did you mean nord?" in m for m in shown)
        assert article_screen(app).panel.shown_groups == {"people", "organizations", "places"}


async def test_x_offers_and_makes_the_settings_export_folder(
        sample: Path, tmp_path: Path) -> None:
    folder = tmp_path / "vault" / "reading"  # not there yet
    app = ReaderApp(load(sample), store=Store(tmp_path / "n.json"), export_dir=folder)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        path_input = app.screen.query_one("#path")
        offered = Path(path_input.value)
        assert offered.parent == folder and offered.suffix == ".md"
        await pilot.press("enter")
        await pilot.pause()
    assert offered.read_text(encoding="utf-8").startswith("---\n")


def test_theme_names_are_checked_against_textuals_themes() -> None:
    assert theme_problem("gruvbox") is None
    assert theme_problem("textual-light") is None
    problem = theme_problem("solarized")
    assert problem is not None and "solarized" in problem and "did you mean" in problem
    assert theme_problem("mine", known=["mine"]) is None


def test_reader_opens_with_the_settings_files_theme_highlight_and_export_folder(
        sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = tmp_path / "config.toml"
    settings.write_text('theme = "gruvbox"\nexport_dir = "notes"\n[highlight]\nother = true\n',
                        encoding="utf-8")
    monkeypatch.setenv("READER_CONFIG", str(settings))
    opened: list[ReaderApp] = []
    monkeypatch.setattr(ReaderApp, "run", lambda self, *a, **k: opened.append(self))
    assert main([str(sample)]) == 0
    [app] = opened
    assert app.theme_name == "gruvbox" and app.export_dir == tmp_path / "notes"
    assert app.highlight == {"people": True, "organizations": True, "places": True,
                             "other": True}


async def test_x_names_the_file_and_y_cites_the_article_per_the_export_settings(
        sample: Path, tmp_path: Path) -> None:
    article = load(sample)
    app = ReaderApp(article, store=Store(tmp_path / "n.json"), export_dir=tmp_path,
                    export=ExportSettings(file_names="title", wikilinks=True))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert Path(app.screen.query_one("#path").value) == tmp_path / f"{article.title}.md"
        await pilot.press("escape", "y")
        await pilot.pause()
        where = article_screen(app).view.passage()
        assert where is not None
        quote = " ".join(article.text[where[0]:where[1]].split())
        assert app.clipboard.startswith(f"“{quote}” — ")
        assert f"[[{article.title}]]" in app.clipboard and str(sample) not in app.clipboard


def test_reader_opens_with_the_settings_export_table(
        sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = tmp_path / "config.toml"
    settings.write_text('[export]\nfile_names = "slug"\nwikilinks = true\n', encoding="utf-8")
    monkeypatch.setenv("READER_CONFIG", str(settings))
    opened: list[ReaderApp] = []
    monkeypatch.setattr(ReaderApp, "run", lambda self, *a, **k: opened.append(self))
    assert main([str(sample)]) == 0
    [app] = opened
    assert app.export_settings == ExportSettings(file_names="slug", wikilinks=True)
