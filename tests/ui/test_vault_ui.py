"""`X` in the article screen: the library's entity pages, every article with notes and
every article a page links to, into the folder the prompt asks for."""

from __future__ import annotations

import re
from pathlib import Path

from reader.document import Article, load
from reader.entities import Entity, Mention, resolve
from reader.library import Library
from reader.notes import new_note
from reader.store import Store
from reader.ui.app import ReaderApp


def rows_of(article: Article, names: dict[str, str]) -> list[Entity]:
    text = article.text
    mentions = [Mention(m.start(), m.end(), name, label) for name, label in names.items()
                for m in re.finditer(re.escape(name), text)]
    return resolve(sorted(mentions, key=lambda m: (m.start, m.end)), text)


async def test_X_writes_the_entity_pages_and_the_notes_into_the_folder_asked_for(
        tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Harbour plan\n\nMara Quell spoke in Velmora on Monday.\n",
                                  encoding="utf-8")
    (folder / "b.txt").write_text("Bridge vote\n\nIn Velmora, Mara Quell voted no.\n",
                                  encoding="utf-8")
    a, b = load(folder / "a.txt"), load(folder / "b.txt")
    store = Store(tmp_path / "n.json")
    library = Library(store, samples=False, index_path=tmp_path / "index")
    for article in (a, b):
        library.record(article, rows_of(article, {"Mara Quell": "PERSON", "Velmora": "GPE"}))
    store.add_notes([new_note(b, None, None, "Chairs the council.", entity="Mara Quell")])
    vault = tmp_path / "vault"
    app = ReaderApp(a, store=store, library=library, export_dir=vault,
                    model="en_core_web_nonexistent")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("X")
        await pilot.pause()
        assert Path(app.screen.query_one("#path").value) == vault  # the settings' folder
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = [n.message for n in app._notifications]
    assert any(m.startswith(f"wrote 2 entity pages in {vault} (0 unchanged); "
                            "2 articles (0 unchanged)") for m in said), said
    assert sorted(p.name for p in vault.glob("*.md")) == sorted([
        f"{a.title}.md", f"{b.title}.md", "Mara Quell.md", "Velmora.md"])
    page = (vault / "Mara Quell.md").read_text(encoding="utf-8")
    assert "Chairs the council." in page and f"[[{a.title}]]" in page
