"""The core's list of theme names stays the list of themes the app has."""

from __future__ import annotations

import pytest

from reader.config import THEMES, theme_problem


def test_the_core_theme_list_is_the_apps_themes() -> None:
    from reader.ui.app import ReaderApp

    app = ReaderApp(None)
    assert sorted(THEMES) == sorted(app.available_themes)


def test_the_core_and_the_app_judge_a_theme_name_alike() -> None:
    from reader.ui.themes import theme_problem as app_theme_problem

    for name in ("nord", "nrod", "no-such-theme", *THEMES):
        assert theme_problem(name) == app_theme_problem(name)


@pytest.mark.parametrize(("name", "hint"), [("nrod", "did you mean nord?"),
                                             ("zzzz", "known: ansi-dark")])
def test_an_unknown_theme_is_named_with_a_hint(name: str, hint: str) -> None:
    problem = theme_problem(name)
    assert problem is not None and name in problem and hint in problem
    assert problem.endswith("using the default")
