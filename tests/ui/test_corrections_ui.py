"""Pilot tests: correcting entities from the keyboard (r, M, S, delete, +, u)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader import nlp
from reader.document import parse
from reader.entities import Entity, Mention
from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.article import ArticleScreen

TEXT = ("# Harbour news\n\nMarta Quill of the Tidewater Board spoke in Ostrava Bay. "
        "Quill said the Board would meet again. Corvin Ash agreed with Quill.\n")


def row(text: str, name: str, group: str, label: str, *forms: str) -> Entity:
    mentions = []
    for form in forms:
        start = 0
        while (i := text.find(form, start)) >= 0:
            mentions.append(Mention(i, i + len(form), form, label))
            start = i + len(form)
    mentions.sort(key=lambda m: m.start)
    aliases = sorted({f for f in forms if f != name})
    return Entity(name, group, label, aliases, mentions)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReaderApp:
    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)
    return ReaderApp(parse(TEXT, path=tmp_path / "a.md"), store=Store(tmp_path / "n.json"))


async def with_entities(pilot) -> ArticleScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ArticleScreen)
    text = screen.article.text
    screen.show_entities([
        row(text, "Marta Quill", "people", "PERSON", "Marta Quill", "Quill"),
        row(text, "Tidewater Board", "organizations", "ORG", "Tidewater Board"),
        row(text, "Ostrava Bay", "people", "PERSON", "Ostrava Bay"),  # the model's mistake
    ])
    await pilot.press("tab")
    return screen


def find(screen: ArticleScreen, name: str) -> Entity | None:
    return next((e for e in screen.entities if e.name == name), None)


async def highlight(pilot, screen: ArticleScreen, name: str) -> None:  # type: ignore[no-untyped-def]
    entity = find(screen, name)
    assert entity is not None
    screen.panel.select_entity(entity)
    await pilot.pause()


async def test_r_relabels_a_row_and_u_undoes_it(app: ReaderApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await with_entities(pilot)
        await highlight(pilot, screen, "Ostrava Bay")
        await pilot.press("r")
        await pilot.pause()
        # The chooser lists the other groups; pick Places, then "everywhere".
        from textual.widgets import OptionList

        choices = app.screen.query_one(OptionList)
        labels = [str(choices.get_option_at_index(i).prompt)
                  for i in range(choices.option_count)]
        choices.highlighted = labels.index("Places")
        await pilot.press("enter", "y")
        await pilot.pause()
        assert find(screen, "Ostrava Bay").group == "places"  # type: ignore[union-attr]
        assert len(app.store.corrections()) == 1  # type: ignore[union-attr]
        await pilot.press("u")
        assert find(screen, "Ostrava Bay").group == "people"  # type: ignore[union-attr]
        assert app.store.corrections() == []  # type: ignore[union-attr]


@pytest.mark.parametrize("keys", [("r", "down", "enter", "escape"), ("delete", "escape"),
                                  ("M", *"tide", "enter", "escape"),
                                  ("plus",)])
async def test_escape_in_apply_to_every_article_changes_nothing(
        app: ReaderApp, keys: tuple[str, ...]) -> None:
    """After r and a group (or delete, M, +), escape in "Apply to every article?" cancels:
    no entity is relabelled, removed or merged, and nothing is written."""
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await with_entities(pilot)
        await highlight(pilot, screen, "Ostrava Bay")
        before = [(e.name, e.group, e.count) for e in screen.entities]
        if keys == ("plus",):
            await pilot.press("tab", "plus", *"Corvin Ash", "enter", "enter", "escape")
        else:
            await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert [(e.name, e.group, e.count) for e in screen.entities] == before
        assert app.store.corrections() == []  # type: ignore[union-attr]


async def test_delete_removes_a_false_row(app: ReaderApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await with_entities(pilot)
        await highlight(pilot, screen, "Tidewater Board")
        await pilot.press("delete", "n")  # this article only
        await pilot.pause()
        assert find(screen, "Tidewater Board") is None
        [c] = app.store.corrections()  # type: ignore[union-attr]
        assert c["kind"] == "remove" and c["article"] == app.article.hash


async def test_m_merges_a_row_into_another_chosen_by_typing(app: ReaderApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await with_entities(pilot)
        await highlight(pilot, screen, "Ostrava Bay")
        await pilot.press("M", *"tide", "enter", "y")
        await pilot.pause()
        assert find(screen, "Ostrava Bay") is None
        board = find(screen, "Tidewater Board")
        assert board is not None and board.count == 2


async def test_S_splits_an_alias_back_out(app: ReaderApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await with_entities(pilot)
        await highlight(pilot, screen, "Marta Quill")
        await pilot.press("S", "enter", "y")
        await pilot.pause()
        marta = find(screen, "Marta Quill")
        assert marta is not None and "Quill" not in marta.aliases
        assert any(e.name == "Quill" for e in screen.entities)


async def test_plus_adds_a_missed_name_and_finds_every_occurrence(app: ReaderApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await with_entities(pilot)
        await pilot.press("tab")  # back to the page
        await pilot.press("plus", *"Corvin Ash", "enter")
        await pilot.pause()
        from textual.widgets import OptionList

        choices = app.screen.query_one(OptionList)
        labels = [str(choices.get_option_at_index(i).prompt)
                  for i in range(choices.option_count)]
        choices.highlighted = labels.index("People")
        await pilot.press("enter", "y")
        await pilot.pause()
        corvin = find(screen, "Corvin Ash")
        assert corvin is not None and corvin.group == "people" and corvin.count == 1


async def test_corrections_hold_when_another_article_is_opened(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)
    db = tmp_path / "n.json"
    first = ReaderApp(parse(TEXT, path=tmp_path / "a.md"), store=Store(db))
    async with first.run_test(size=(120, 40)) as pilot:
        screen = await with_entities(pilot)
        await highlight(pilot, screen, "Ostrava Bay")
        await pilot.press("delete", "y")  # everywhere
        await pilot.pause()
    other = TEXT.replace("Harbour news", "Other news") + "More from Ostrava Bay.\n"
    second = ReaderApp(parse(other, path=tmp_path / "b.md"), store=Store(db))
    async with second.run_test(size=(120, 40)) as pilot:
        screen = await with_entities(pilot)
        assert find(screen, "Ostrava Bay") is None
        assert find(screen, "Marta Quill") is not None


async def test_the_merge_list_offers_people_organizations_and_places_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import OptionList

    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)
    text = TEXT.replace("met again.", "met again on Tuesday, 4 May 2021.")
    app = ReaderApp(parse(text, path=tmp_path / "a.md"), store=Store(tmp_path / "n.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        text = screen.article.text
        screen.show_entities([
            row(text, "Marta Quill", "people", "PERSON", "Marta Quill", "Quill"),
            row(text, "Tidewater Board", "organizations", "ORG", "Tidewater Board"),
            row(text, "Ostrava Bay", "places", "GPE", "Ostrava Bay"),
            row(text, "Tuesday", "other", "DATE", "Tuesday"),
            row(text, "4 May 2021", "other", "DATE", "4 May 2021"),
        ])
        await pilot.press("tab")
        await highlight(pilot, screen, "Marta Quill")
        await pilot.press("M")
        await pilot.pause()
        choices = app.screen.query_one(OptionList)
        labels = [str(choices.get_option_at_index(i).prompt)
                  for i in range(choices.option_count)]
        assert [label.split("  ")[0] for label in labels] == ["Tidewater Board",
                                                              "Ostrava Bay"]
        await pilot.press("escape")
        await pilot.pause()
        # A date itself can still be merged into a person, organization or place (the
        # panel lists the group "other" once it is highlighted).
        await pilot.press("4")
        await highlight(pilot, screen, "Tuesday")
        await pilot.press("M")
        await pilot.pause()
        choices = app.screen.query_one(OptionList)
        assert choices.option_count == 3


async def test_a_correction_is_recorded_in_the_library(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.library import Library

    monkeypatch.setattr(nlp, "find_model", lambda explicit=None: None)
    store = Store(tmp_path / "n.json")
    library = Library(store, samples=False, index_path=tmp_path / "index")
    app = ReaderApp(parse(TEXT, path=tmp_path / "a.md"), store=store, library=library)

    def people() -> list[str]:
        return sorted(name for name, group, _ in library.entity_names() if group == "people")

    async with app.run_test(size=(120, 40)) as pilot:
        screen = await with_entities(pilot)
        await app.workers.wait_for_complete()
        assert people() == ["Marta Quill", "Ostrava Bay"]
        await highlight(pilot, screen, "Ostrava Bay")
        await pilot.press("delete", "y")  # the model's mistake: not a name
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert people() == ["Marta Quill"]
