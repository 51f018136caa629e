"""Every style the page draws reads in every theme the app offers, dark and light, and with
NO_COLOR: WCAG 4.5:1 for text, 3:1 for the marks in the margin.

`python bench/contrast.py [--no-color]` prints the lowest ratio per theme and style.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import ColorSystem
from rich.style import Style

from reader import nlp
from reader.document import parse
from reader.entities import Entity, Mention
from reader.notes import NOTE_COLOURS
from reader.ui.app import ReaderApp
from reader.ui.article_view import ArticleView, style_combinations
from reader.ui.contrast import MARK_CONTRAST, TEXT_CONTRAST
from reader.ui.screens.article import ArticleScreen

ENTITY_GROUPS = ("people", "organizations", "places", "other")
COLOR_SYSTEMS = {"truecolor": ColorSystem.TRUECOLOR, "256": ColorSystem.EIGHT_BIT}

TEXT = ("# Harbour news\n\nBy Ana Lima\n\n"
        "Marta Quill of the **Tidewater Board** spoke in *Ostrava Bay* on Tuesday. "
        "Quill said the Board would meet again before the Regatta. The bay was calm.\n\n"
        "> Nobody in Ostrava Bay remembers a calmer summer, said Quill.\n\n"
        "Later the Tidewater Board met at the `harbour office` by the bay.\n")


def entities(text: str) -> list[Entity]:
    def entity(name: str, group: str, label: str, *forms: str) -> Entity:
        mentions = []
        for form in forms:
            start = 0
            while (i := text.find(form, start)) >= 0:
                mentions.append(Mention(i, i + len(form), form, label))
                start = i + len(form)
        mentions.sort(key=lambda m: m.start)
        return Entity(name, group, label, [f for f in forms if f != name], mentions)

    return [entity("Marta Quill", "people", "PERSON", "Marta Quill"),
            entity("Tidewater Board", "organizations", "ORG", "Tidewater Board"),
            entity("Ostrava Bay", "places", "LOC", "Ostrava Bay"),
            entity("Regatta", "other", "EVENT", "Regatta")]


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)


@pytest.fixture(params=[False, True], ids=["colour", "NO_COLOR"])
def no_color(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    if request.param:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    return bool(request.param)


@pytest.mark.parametrize("system", ["truecolor", "256"])
async def test_every_style_of_the_page_reads_in_every_theme(
        no_color: bool, system: str, no_model: None) -> None:
    """The reading cursor, the selection, each entity group (other too), a selected
    entity's emphasis, noted passages (plain and in each highlight colour), search hits
    and the current hit, alone and on top of each other, over every kind of text (title,
    quote, code, Markdown marks); in a truecolour terminal and in one of 256 colours
    (tmux without COLORTERM), where Rich sends the nearest of 256."""
    app = ReaderApp(parse("# A title\n\nSome text.\n"))
    app.console._color_system = COLOR_SYSTEMS[system]
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.console.color_system == system
        assert app.no_color is no_color
        view = app.screen.query_one(ArticleView)
        stacks = style_combinations()
        assert len(stacks) > 1000
        for colour in NOTE_COLOURS:  # each note colour, over every other layer
            assert sum(f"note--{colour}" in s for s in stacks) > 100, colour
        themes = sorted(app.available_themes)
        assert {"textual-dark", "textual-light", "gruvbox", "ansi-light"} <= set(themes)
        failures = []
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            for stack in stacks:
                ratio = view.drawn_contrast(*stack)
                if ratio < TEXT_CONTRAST:
                    failures.append(f"{theme}: {' + '.join(stack) or 'plain text'} {ratio:.2f}")
            mark = view.drawn_contrast("article--gutter")
            if mark < MARK_CONTRAST:
                failures.append(f"{theme}: the margin marks (▌ ✎ ◆) {mark:.2f}")
        assert not failures, "\n".join(failures[:40])


@pytest.mark.parametrize("system", ["truecolor", "256"])
async def test_the_page_as_drawn_reads_in_every_theme_and_keeps_the_cursor_mark(
        no_color: bool, system: str, tmp_path: Path, no_model: None) -> None:
    """The lines the page draws (cursor, a search, names and a selected name on screen):
    every character with text reads, and the cursor's line has its ▌ in the margin."""
    from reader.notes import new_note
    from reader.store import Store

    store = Store(tmp_path / "n.json")
    article = parse(TEXT, path=tmp_path / "a.md")
    at = article.text.index("The bay was calm.")
    store.add_note(new_note(article, at, at + len("The bay was calm."), "calm", tags=[]))
    for colour, passage in zip(NOTE_COLOURS, ("Quill said", "the Board would", "meet again",
                                              "Nobody in", "Later the"), strict=True):
        at = article.text.index(passage)
        store.add_note({**new_note(article, at, at + len(passage), colour, tags=[]),
                        "colour": colour})
    store.add_note(new_note(article, None, None, "about the board", tags=[],
                            entity="Tidewater Board"))
    app = ReaderApp(article, store=store)
    app.console._color_system = COLOR_SYSTEMS[system]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        screen.show_entities(entities(screen.article.text))
        screen.action_toggle_group("other")
        screen.select_entity(screen.entities[0])
        await pilot.press("slash", *"bay", "enter", "n")
        await pilot.press("right_parenthesis", "v", "w")  # a selection too
        await pilot.pause()
        view = screen.view
        # Every layer is on the page, on the lines in view.
        assert set(view._decorations) >= {"cursor", "entities", "entities~selected", "notes",
                                          "selection", "~search"}
        assert view.current_match >= 0 and screen.view.selection is not None
        painted = {cls for spans in view._decorations["notes"].values() for *_, cls in spans}
        bad: list[str] = []
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            marked = entity_mark = False
            for y in range(view.size.height):
                for seg in view.render_line(y):
                    if not seg.text.strip():
                        continue
                    marked = marked or "▌" in seg.text
                    entity_mark = entity_mark or "◆" in seg.text
                    style = seg.style or Style()
                    least = MARK_CONTRAST if set(seg.text.strip()) <= set("▌✎◆") \
                        else TEXT_CONTRAST
                    ratio = view.style_contrast(style)
                    if ratio < least:
                        bad.append(f"{theme}: {seg.text!r} {ratio:.2f}")
            assert marked and entity_mark, theme
            assert painted >= {f"note--{c}" for c in NOTE_COLOURS}
        assert not bad, "\n".join(bad[:40])


async def test_markdown_bold_and_italic_look_unlike_every_entity_group(no_model: None) -> None:
    """Not only by colour: the text attributes differ, so they differ with NO_COLOR."""
    app = ReaderApp(parse("# A title\n\nSome text.\n"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)

        def attributes(name: str) -> tuple[bool, bool, bool, bool]:
            style = view.get_component_styles(name).text_style
            return (bool(style.bold), bool(style.italic), bool(style.underline),
                    bool(style.reverse))

        marks = {attributes("article--strong"), attributes("article--em")}
        for group in ENTITY_GROUPS:
            assert attributes(f"entity--{group}") not in marks, group
        groups = {attributes(f"entity--{g}") for g in ("people", "organizations", "places")}
        assert len(groups) == 3  # the three groups shown by default differ without colour


@pytest.mark.parametrize("theme", ["ansi-dark", "ansi-light"])
async def test_no_color_with_an_ansi_theme_from_the_settings_is_not_black_on_black(
        theme: str, monkeypatch: pytest.MonkeyPatch, no_model: None) -> None:
    """Textual chose its NO_COLOR filter for the default theme; the settings' ansi theme
    then came out in grey-filtered terminal colours: black text on black."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = ReaderApp(parse("# A title\n\nSome text.\n"), theme=theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == theme
        line = app.screen.query_one(ArticleView).render_line(0)
        filtered = line._segments
        for f in app._filters:
            if f.enabled:
                filtered = f.apply(filtered, app.screen.background_colors[1])
        for seg in filtered:
            if seg.text.strip() and seg.style is not None:
                assert seg.style.color is None or seg.style.color.is_default, seg
        app.theme = "textual-dark"  # and back to grey for a truecolour theme
        await pilot.pause()
        assert any(type(f).__name__ == "Monochrome" for f in app._filters)
