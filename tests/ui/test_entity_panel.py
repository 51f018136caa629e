"""Pilot tests: entities in the app (panel, selection, mention jumping, toggles, no model)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import wait_for_entities

from reader import nlp
from reader.document import load
from reader.ui.app import ReaderApp
from reader.ui.article_view import ArticleView
from reader.ui.entity_panel import EntityPanel
from reader.ui.screens.article import ArticleScreen


def screen_of(app: ReaderApp) -> ArticleScreen:
    assert isinstance(app.screen, ArticleScreen)
    return app.screen


async def ready(pilot) -> ArticleScreen:  # type: ignore[no-untyped-def]
    screen: ArticleScreen = await wait_for_entities(pilot)
    return screen


async def test_panel_lists_people_organizations_and_places(sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        panel = screen.query_one(EntityPanel)
        assert panel.display
        groups = {e.group for e in screen.entities}
        assert {"people", "organizations", "places"} <= groups
        assert panel.highlighted_entity is not None


async def test_panel_starts_hidden_on_a_narrow_terminal_and_0_shows_it(sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        assert not screen.panel.display
        await pilot.press("0")
        assert screen.panel.display
        await pilot.press("0")
        assert not screen.panel.display


async def test_selecting_a_row_emphasises_its_mentions_and_brackets_step_through_them(
        sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("tab")
        assert screen.focused is screen.panel.option_list
        entity = screen.panel.highlighted_entity
        assert entity is not None and entity.count >= 2
        await pilot.press("enter")
        assert screen.selected is entity
        assert screen.view.match_count == 0
        spans = screen.view._decorations["entities~selected"]
        assert sum(len(v) for v in spans.values()) == entity.count
        await pilot.press("tab")
        tops = []
        for _ in range(entity.count):
            await pilot.press("right_square_bracket")
            tops.append(screen.entity_flow.mention_index)
        assert tops == [*range(1, entity.count), 0]
        await pilot.press("left_square_bracket")
        assert screen.entity_flow.mention_index == entity.count - 1
        await pilot.press("escape")
        assert screen.selected is None
        assert "entities~selected" not in screen.view._decorations


async def test_number_keys_toggle_each_groups_highlighting(sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        people = {s for spans in screen.view._decorations["entities"].values()
                  for s in spans if s[2] == "entity--people"}
        assert people
        await pilot.press("1")
        classes = {s[2] for spans in screen.view._decorations["entities"].values() for s in spans}
        assert "entity--people" not in classes and "entity--places" in classes
        await pilot.press("1", "4")
        classes = {s[2] for spans in screen.view._decorations["entities"].values() for s in spans}
        assert {"entity--people", "entity--other"} <= classes


async def test_s_switches_the_panel_between_count_and_first_appearance(sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        panel = screen.panel
        await pilot.press("tab")
        rows = panel._sorted("people")
        by_count = [e.name for e in rows]
        counts = [e.count for e in rows]
        assert counts == sorted(counts, reverse=True)  # most mentioned first
        assert counts[0] > counts[-1]
        await pilot.press("s")
        by_order = [e.name for e in panel._sorted("people")]
        firsts = [e.first for e in panel._sorted("people")]
        assert firsts == sorted(firsts) and len(set(firsts)) == len(firsts)
        assert sorted(by_count) == sorted(by_order) and by_count != by_order


async def test_slash_in_the_panel_filters_names_instead_of_searching(sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("tab", "slash", *"amn")
        panel = screen.panel
        assert panel.filter_text == "amn"
        names = [e.name for e in panel._rows.values()]
        assert names and all("amn" in n.casefold() or any("amn" in a.casefold()
                             for a in e.aliases) for n, e in zip(names, panel._rows.values(),
                                                                  strict=True))
        assert screen.view.match_count == 0
        await pilot.press("escape")
        assert panel.filter_text == ""


async def test_clicking_a_highlighted_name_selects_its_row(sample: Path) -> None:
    app = ReaderApp(load(sample))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        view = screen.view
        lay = view.layout_lines
        # Find a line that shows a mention and click on its first character.
        target = None
        for y in range(view.size.height):
            line = round(view.scroll_y) + y
            bi = lay.block[line]
            if bi < 0:
                continue
            for s, e, _cls in view._decorations["entities"].get(bi, []):
                if lay.start[line] <= s < lay.end[line]:
                    width = view.scrollable_content_region.width
                    x = max(0, (width - lay.measure) // 2) + (s - lay.start[line])
                    target = (x, y, screen.article.blocks[bi].text[s:e])
                    break
            if target:
                break
        assert target is not None
        await pilot.click(ArticleView, offset=(target[0], target[1]))
        assert screen.selected is not None
        assert target[2] in [screen.selected.name, *screen.selected.aliases] or \
            target[2].endswith(screen.selected.name.split()[-1])


async def test_without_a_model_the_article_still_reads_and_says_how_to_install(
        sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)
    app = ReaderApp(load(sample))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert screen.entities == []
        status = str(screen.query_one("#status").render())
        assert "pip install" in status
        await pilot.press("space")
        assert screen.view.scroll_y > 0


async def test_a_reopened_article_is_highlighted_from_the_cache_without_spacy(
        sample: Path) -> None:
    import subprocess
    import sys

    # First run fills the cache (in this process)...
    app = ReaderApp(load(sample))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
    # ...then a fresh process opens the article: entities at mount, spaCy never imported.
    code = (
        "import asyncio, sys\n"
        "from reader.document import load\n"
        "from reader.ui.app import ReaderApp\n"
        "async def main():\n"
        f"    app = ReaderApp(load({str(sample)!r}))\n"
        "    async with app.run_test(size=(120, 40)) as pilot:\n"
        "        await pilot.pause()\n"
        "        print(len(app.screen.entities), 'spacy' in sys.modules)\n"
        "asyncio.run(main())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120).stdout.split()
    assert int(out[0]) > 10
    assert out[1] == "False"
