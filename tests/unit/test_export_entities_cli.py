"""`reader export --entities DIR`: the library's entity pages and every article with notes,
linked to them, in one folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from reader.document import Article, load
from reader.entities import Entity, Mention, resolve
from reader.export import ExportSettings, LibraryEntity, entity_page, source_path
from reader.library import Appearance, Library, default_index_dir
from reader.notes import new_note
from reader.store import Store

NO_MODEL = ("--model", "en_core_web_nonexistent")
WIKILINK = re.compile(r"\[\[([^\]|#^]+)(?:[|#^][^\]]*)?\]\]")


def reader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL, env=dict(os.environ))


def rows_of(article: Article, names: dict[str, str]) -> list[Entity]:
    text = article.text
    mentions = [Mention(i, i + len(name), name, label) for name, label in names.items()
                for i in [m.start() for m in re.finditer(re.escape(name), text)]]
    return resolve(sorted(mentions, key=lambda m: (m.start, m.end)), text)


def library_of_two(tmp_path: Path) -> tuple[Article, Article]:
    """Two indexed articles that both mention Mara Quell and Velmora; a note on each."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Harbour plan\n\nMara Quell spoke in Velmora on Monday.\n",
                                  encoding="utf-8")
    (folder / "b.txt").write_text("Bridge vote\n\nIn Velmora, Mara Quell voted no.\n",
                                  encoding="utf-8")
    a, b = load(folder / "a.txt"), load(folder / "b.txt")
    library = Library(Store(memory=True), samples=False, index_path=default_index_dir())
    for article in (a, b):
        library.record(article, rows_of(article, {"Mara Quell": "PERSON", "Velmora": "GPE"}))
    with Store() as store:
        start = a.text.index("spoke")
        store.add_notes([new_note(a, start, start + 5, "Where? #harbour"),
                         new_note(b, None, None, "Chairs the council.", entity="Mara Quell")])
    return a, b


def test_entity_pages_and_the_articles_with_notes_go_to_one_folder_linked(
        tmp_path: Path) -> None:
    a, b = library_of_two(tmp_path)
    vault = tmp_path / "vault"
    run = reader("export", "--entities", str(vault), "--no-timestamp", *NO_MODEL)
    assert run.returncode == 0, run.stderr
    names = sorted(p.name for p in vault.iterdir())
    assert names == sorted([".reader-export.json", "Mara Quell.md", "Velmora.md",
                            f"{a.title}.md", f"{b.title}.md"]), names
    lines = run.stdout.strip().split("\n")
    assert f"wrote 2 entity pages in {vault} (0 unchanged)" in lines
    mara = (vault / "Mara Quell.md").read_text(encoding="utf-8")
    assert "Chairs the council." in mara and f"[[{a.title}]]" in mara
    # every link of every file names a file of the export
    for path in vault.glob("*.md"):
        for target in WIKILINK.findall(path.read_text(encoding="utf-8")):
            assert (vault / f"{target}.md").exists(), (path.name, target)

    # A page the user edited is kept, and the new one goes beside it, said in one line.
    (vault / "Velmora.md").write_text("# Velmora\n\nMy own notes.\n", encoding="utf-8")
    again = reader("export", "--entities", str(vault), "--no-timestamp", *NO_MODEL)
    assert again.returncode == 0, again.stderr
    assert ("Velmora.md was edited since the last export; wrote Velmora (reader).md"
            in again.stdout.split("\n"))
    assert f"wrote 0 entity pages in {vault} (1 unchanged)" in again.stdout.split("\n")
    assert (vault / "Velmora.md").read_text(encoding="utf-8") == "# Velmora\n\nMy own notes.\n"


def test_entities_with_an_empty_index_says_how_to_fill_it(tmp_path: Path) -> None:
    run = reader("export", "--entities", str(tmp_path / "vault"), *NO_MODEL)
    assert run.returncode == 0, run.stderr
    assert "reader index" in run.stderr
    assert run.stdout.split("\n")[0] == f"wrote 0 entity pages in {tmp_path / 'vault'} " \
                                        "(0 unchanged)"


def test_entities_and_dir_are_one_or_the_other(tmp_path: Path) -> None:
    run = reader("export", "--entities", str(tmp_path / "a"), "--dir", str(tmp_path / "b"))
    assert run.returncode == 2 and not (tmp_path / "a").exists()


def library_of_three(tmp_path: Path) -> list[Article]:
    """Three indexed articles that all mention Mara Quell and Velmora; a note on the first
    only."""
    folder = tmp_path / "articles"
    folder.mkdir()
    texts = {"a.txt": "Harbour plan\n\nMara Quell spoke in Velmora on Monday.\n",
             "b.txt": "Bridge vote\n\nIn Velmora, Mara Quell voted no.\n",
             "c.txt": "Market day\n\nVelmora cheered as Mara Quell opened the market.\n"}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    articles = [load(folder / name) for name in texts]
    library = Library(Store(memory=True), samples=False, index_path=default_index_dir())
    for article in articles:
        library.record(article, rows_of(article, {"Mara Quell": "PERSON", "Velmora": "GPE"}))
    with Store() as store:
        start = articles[0].text.index("spoke")
        store.add_notes([new_note(articles[0], start, start + 5, "Where? #harbour")])
    return articles


def links_of(vault: Path) -> list[tuple[str, str]]:
    return [(path.name, target) for path in sorted(vault.glob("*.md"))
            for target in WIKILINK.findall(path.read_text(encoding="utf-8"))]


def test_every_article_a_page_links_to_is_exported_even_without_notes(tmp_path: Path) -> None:
    articles = library_of_three(tmp_path)
    vault = tmp_path / "vault"
    run = reader("export", "--entities", str(vault), *NO_MODEL)
    assert run.returncode == 0, run.stderr
    for article in articles:
        assert (vault / f"{article.title}.md").is_file(), article.title
    links = links_of(vault)
    assert {t for _, t in links} >= {a.title for a in articles}
    for name, target in links:
        assert (vault / f"{target}.md").is_file(), (name, target)
    bare = (vault / f"{articles[2].title}.md").read_text(encoding="utf-8")
    assert bare.startswith("---\n") and f"# {articles[2].title}\n" in bare
    assert "## Notes" not in bare
    assert f"wrote {vault / articles[2].title}.md (0 notes)" in run.stdout.split("\n")


def test_an_article_whose_file_is_gone_is_named_without_a_link(tmp_path: Path) -> None:
    articles = library_of_three(tmp_path)
    articles[2].path.unlink()
    vault = tmp_path / "vault"
    run = reader("export", "--entities", str(vault), "--no-timestamp", *NO_MODEL)
    assert run.returncode == 0, run.stderr
    assert not (vault / f"{articles[2].title}.md").exists()
    for name, target in links_of(vault):
        assert (vault / f"{target}.md").is_file(), (name, target)
    mara = (vault / "Mara Quell.md").read_text(encoding="utf-8")
    assert f"[[{articles[2].title}]]" not in mara and f"[[{articles[1].title}]]" in mara


def test_a_page_names_an_article_not_exported_with_it_without_a_link(tmp_path: Path) -> None:
    here, gone = tmp_path / "here.txt", tmp_path / "gone.txt"
    entity = LibraryEntity("Mara Quell", "people", (), [
        Appearance("h", here, "Harbour plan", "Mara Quell", "people", 2, 0, 4, ""),
        Appearance("g", gone, "Market day", "Mara Quell", "people", 1, 0, 4, "")])
    page = entity_page(entity, [], ExportSettings(), exported={source_path(here)})
    assert "- [[Harbour plan]] — 2 mentions\n" in page
    assert "- Market day — 1 mention\n" in page
    assert "[[" not in entity_page(entity, [], ExportSettings(), exported=set())
